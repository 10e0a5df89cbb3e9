"""The app scores energy and carbon intensity within the enterprise's own industry: it
passes the engine the values of the enterprise's division (the platform pool of opted-in
enterprises, same year, at least the anonymity minimum), so a steel plant and an
electronics plant are each scored against their own industry, never on one band.

The intensities are typical orders of magnitude (steel about 1 tce per 万元 of output,
electronics a few hundredths); on the cross-industry bands of version 1.0.0 the steel plant
is at the bottom level whatever its standing among steelworks."""

from __future__ import annotations

import itertools
from typing import Any

from flask import Flask

from assessment.benchmarks.cohorts import ANONYMITY_MIN_COHORT

_serial = itertools.count(500)
STEEL, ELECTRONICS = "C31", "C39"
ENERGY = "green.energy_intensity"
CARBON = "green.carbon_intensity"


def _credit_code(n: int) -> str:
    from assessment.profiles.rules import uscc_check_character

    first17 = f"9144030{n:010d}"
    return first17 + uscc_check_character(first17)


def _enterprise(app: Flask, make_tenant: Any, division: str, energy_tce: float,
                emissions: float, *, finalise: bool, opt_in: bool = True) -> tuple[Any, Any]:
    """An enterprise of ``division`` with one assessment for 2023 (output 10,000 万元 and the
    given totals), finalised by its owner or left as a draft; every plausibility warning
    confirmed before submitting."""
    from assessment.assessments import answering, plausibility
    from assessment.assessments import services as lifecycle
    from assessment.profiles.services import ProfileData, save_profile
    from tenants import queries as platform_queries
    from tenants.context import set_tenant
    from tenants.extensions import db

    tenant = make_tenant("enterprise")
    with app.test_request_context():
        set_tenant(db.session, tenant.id)
        owner = platform_queries.owners_of(tenant.id)[0]
        member = platform_queries.membership(tenant.id, owner.id)
        save_profile(member, owner, ProfileData(
            legal_name=f"{tenant.name} Ltd", credit_code=_credit_code(next(_serial)),
            industry_division=division, employees=800, revenue_wan="10000", province="44",
            benchmark_opt_in=opt_in))
        assessment = lifecycle.create_assessment(member, 2023, owner)
        answering.save_answers(assessment, member, owner, {
            "output_value": (10000, "answered"), "energy_tce": (energy_tce, "answered"),
            "emissions_tco2e": (emissions, "answered"),
            "deliveries_total": (100, "answered"), "deliveries_on_time": (95, "answered")})
        if finalise:
            for warning in plausibility.unconfirmed(assessment):
                plausibility.confirm_warning(assessment, member, owner, warning.code,
                                             warning.key, warning.fingerprint, "checked")
            lifecycle.submit(assessment, member)
            lifecycle.finalise(assessment, owner)
        db.commit()
        db.session.expunge(assessment)
    return tenant, assessment


def _results(app: Flask, tenant: Any, assessment: Any) -> dict[str, Any]:
    from assessment.assessments import queries
    from assessment.results.services import assessment_results
    from tenants.context import set_tenant
    from tenants.extensions import db

    with app.test_request_context():
        set_tenant(db.session, tenant.id)
        found = assessment_results(queries.assessment(assessment.id), compare=False)
        db.rollback()
    return found.results


def _peers(app: Flask, make_tenant: Any, division: str, intensities: list[float]) -> None:
    for tce_per_wan in intensities:
        _enterprise(app, make_tenant, division, tce_per_wan * 10000, tce_per_wan * 25000,
                    finalise=True)


STEEL_PEERS = [0.6, 0.8, 1.0, 1.2, 1.5]  # tce per 万元
ELECTRONICS_PEERS = [0.01, 0.015, 0.02, 0.03, 0.05]


def test_a_steel_and_an_electronics_plant_are_each_scored_within_their_industry(
        app: Flask, make_tenant: Any) -> None:
    assert len(STEEL_PEERS) >= ANONYMITY_MIN_COHORT
    _peers(app, make_tenant, STEEL, STEEL_PEERS)
    _peers(app, make_tenant, ELECTRONICS, ELECTRONICS_PEERS)
    steel, steel_draft = _enterprise(app, make_tenant, STEEL, 9000, 22500, finalise=False)
    chips, chips_draft = _enterprise(app, make_tenant, ELECTRONICS, 180, 450, finalise=False)

    steel_results = _results(app, steel, steel_draft)["indicators"]
    chips_results = _results(app, chips, chips_draft)["indicators"]
    for code in (ENERGY, CARBON):
        against = steel_results[code]["details"]["scored_against"]
        assert (against["scope"], against["code"], against["cohort_size"]) == (
            "industry_cohort", STEEL, 5)
        against = chips_results[code]["details"]["scored_against"]
        assert (against["scope"], against["code"], against["cohort_size"]) == (
            "industry_cohort", ELECTRONICS, 5)
    # 0.9 tce/万元 beats 3 of the 5 steelworks (1.0, 1.2, 1.5): percentile 60.
    assert steel_results[ENERGY]["value"] == 0.9
    assert steel_results[ENERGY]["score"] == 60.0
    # 0.018 tce/万元 beats 3 of the 5 electronics plants (0.02, 0.03, 0.05): also 60.
    assert chips_results[ENERGY]["value"] == 0.018
    assert chips_results[ENERGY]["score"] == 60.0
    # On one cross-industry band the same steel plant is at the bottom level (4 of 100): the
    # two are never judged on one scale.
    from indicators import evaluate

    cross = evaluate({"framework": "scm-2024", "inputs": {"output_value": 10000,
                                                          "energy_tce": 9000}})
    assert cross.indicators[ENERGY].score == 4.0 and cross.indicators[ENERGY].level == 1


def test_the_enterprise_itself_and_a_small_cohort_are_not_used(
        app: Flask, make_tenant: Any) -> None:
    """Four opted-in peers and one that did not opt in: below the anonymity minimum, so the
    wider group's bands are used and named; the enterprise's own finalised figure is never
    part of its own cohort."""
    _peers(app, make_tenant, STEEL, STEEL_PEERS[:4])
    _enterprise(app, make_tenant, STEEL, 10000, 25000, finalise=True, opt_in=False)
    steel, finalised = _enterprise(app, make_tenant, STEEL, 9000, 22500, finalise=True)
    results = _results(app, steel, finalised)["indicators"]
    against = results[ENERGY]["details"]["scored_against"]
    assert against["scope"] in ("group", "manufacturing")
    assert "cohort_size" not in against
