"""The results page matches the report: the energy and carbon summary (the figures of the
report's energy chapter), and a draft compared with the year before only once its coverage
reaches ``RESULTS_COMPARE_MIN_COVERAGE``, then labelled provisional."""

from __future__ import annotations

import re

import pytest

from tests.factories import owner_of
from tests.integration.assessment_review import factories
from tests.web.helpers import ENGLISH, text

ENERGY = [{"carrier": "electricity", "quantity": 1_200_000, "unit": "kWh"},
          {"carrier": "natural_gas", "quantity": 80_000, "unit": "m3"}]
WITH_ENERGY = {**factories.ANSWERS, "output_value": 52000, "energy": ENERGY,
               "process_emissions": [{"gas": "CH4", "tonnes": 1.5}]}


def _results(client, enterprise, assessment, headers=ENGLISH):
    return client.get(f"/t/{enterprise.slug}/assessments/{assessment.id}/results",
                      headers=headers)


def _energy_section(body: str) -> str:
    match = re.search(r'<section class="card results-energy" id="energy">.*?</section>', body,
                      re.S)
    assert match, "no energy section"
    return match.group(0)


def test_the_energy_summary_shows_the_engines_figures(app, make_enterprise, make_assessment,
                                                      sign_in, client):
    enterprise = make_enterprise()
    make_assessment(enterprise, 2023, {**factories.PREVIOUS_ANSWERS, "output_value": 50000,
                                       "energy": ENERGY[:1]}, finalise=True)
    assessment = make_assessment(enterprise, 2024, WITH_ENERGY, finalise=True)
    sign_in(owner_of(app, enterprise))
    data = client.get(f"/t/{enterprise.slug}/assessments/{assessment.id}/results.json"
                      ).get_json()
    section = _energy_section(text(_results(client, enterprise, assessment)))
    assert "Energy and carbon" in section and "Provisional" not in section
    assert f"{data['energy']['total_tce']:.2f} tce" in section
    assert f"{data['emissions']['total_tco2e']:.2f} tCO2e" in section
    assert "Electricity" in section and "Natural gas" in section  # carriers in words
    assert "Scope 2: purchased electricity and heat" in section
    # the intensities year on year, with the national target's verdict in words
    assert "results-energy-intensities" in section and "2023" in section
    assert re.search(r"national target|Not computable", section)
    assert "natural_gas" not in section and "scope2" not in section  # words, not codes
    chinese = _energy_section(text(_results(client, enterprise, assessment, headers={
        "Accept-Language": "zh-CN"})))
    assert "能源与碳排放" in chinese and "电力" in chinese


@pytest.mark.parametrize("threshold", [0.1, 0.99], ids=["low", "high"])
def test_a_draft_is_compared_only_when_its_coverage_allows_and_then_provisionally(
        app, make_enterprise, make_assessment, sign_in, client, monkeypatch, threshold):
    monkeypatch.setitem(app.config, "RESULTS_COMPARE_MIN_COVERAGE", threshold)
    enterprise = make_enterprise()
    make_assessment(enterprise, 2023, factories.PREVIOUS_ANSWERS, finalise=True)
    draft = make_assessment(enterprise, 2024)  # factories.ANSWERS: a partial draft
    sign_in(owner_of(app, enterprise))
    body = text(_results(client, enterprise, draft))
    coverage = int(re.search(r"cover (\d+) % of the indicators' weight", body).group(1))
    assert 10 < coverage < 99
    if threshold < coverage / 100:
        assert "Compared with 2023" in body
        assert re.search(r'Compared with 2023.*?<span class="badge provisional-badge">'
                         r'Provisional</span>', body, re.S)
        assert "Provisional: this year's answers are not complete" in body
        chinese = text(_results(client, enterprise, draft, headers={
            "Accept-Language": "zh-CN"}))
        assert "暂定" in chinese
    else:
        assert "Compared with 2023" not in body
        assert "provisional-badge" not in body.split("results-overall", 1)[1].split(
            "</div>", 1)[0]
        assert (f"Compared with the previous year once the answers cover at least 99 % of "
                f"the indicators' weight (now {coverage} %)") in body


def test_a_finalised_assessment_is_compared_whatever_the_threshold(
        app, make_enterprise, make_assessment, sign_in, client, monkeypatch):
    monkeypatch.setitem(app.config, "RESULTS_COMPARE_MIN_COVERAGE", 1.0)
    enterprise = make_enterprise()
    make_assessment(enterprise, 2023, factories.PREVIOUS_ANSWERS, finalise=True)
    assessment = make_assessment(enterprise, 2024, finalise=True)
    sign_in(owner_of(app, enterprise))
    body = text(_results(client, enterprise, assessment))
    assert "Compared with 2023" in body and "provisional-badge" not in body
