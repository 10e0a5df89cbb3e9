"""The enterprise report's data-quality section lists every figure a plausibility check
questioned and the enterprise's reason for confirming it, in the report's language (real
PDFs read back with pdftotext)."""

from __future__ import annotations

import re

import pytest

from tests import factories
from tests.integration.reports.conftest import finalised_report_assessment, pdf_text

# Electricity in MWh where kWh was meant: 4,804,620 MWh for about 22,700 万元 of output.
SLIPPED = {"energy": [{"carrier": "electricity", "quantity": 4_804_620.0, "unit": "MWh"},
                      {"carrier": "diesel", "quantity": 27.0, "unit": "t"}]}
REASON = "电解铝项目，用电量经电网结算单核对无误"


@pytest.fixture(autouse=True)
def _reports_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "REPORTS_DIR", str(tmp_path / "reports"))


def _pdf(in_tenant, enterprise, assessment, lang):
    from assessment.reports import services

    return in_tenant(enterprise, lambda: services.enterprise_report_pdf(
        assessment, lang, enterprise, check_entitlement=False)).content


@pytest.mark.parametrize(("lang", "heading", "words"), [
    ("zh", "数据质量", r"电力每万元产值[\d,]+千瓦时"),
    ("en", "Data quality", r"Electricityof[\d,]+kWhper10,000yuan")])
def test_the_report_lists_the_confirmed_warnings_with_the_reason(
        app, in_tenant, tmp_path, lang, heading, words):
    enterprise = factories.make_tenant(app)
    assessment = finalised_report_assessment(app, enterprise, overrides=SLIPPED,
                                             warning_reason=REASON)
    flat = " ".join(pdf_text(tmp_path, _pdf(in_tenant, enterprise, assessment, lang)).split())
    assert heading in flat
    # (table cells wrap, so the check is on a part of the message that stays on one line)
    assert re.search(words, flat.replace(" ", ""))
    assert REASON in flat.replace(" ", "")


def test_a_report_without_warnings_says_so(app, in_tenant, tmp_path):
    enterprise = factories.make_tenant(app)
    assessment = finalised_report_assessment(app, enterprise)
    flat = " ".join(pdf_text(tmp_path, _pdf(in_tenant, enterprise, assessment, "en")).split())
    assert "Data quality" in flat and "looks like" not in flat
