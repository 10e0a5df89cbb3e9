"""The next year's assessment: last year's answers copied forward (沿用上年), on both
databases: what is carried and what never is, the marks and how they clear, one copy per
assessment, all or nothing, and an export/import round trip of a copied assessment."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask

from assessment.assessments import answering, carryover, queries
from assessment.assessments import services as lifecycle
from assessment.assessments.models import (
    Answer,
    AnswerState,
    CarryOver,
    Confidence,
    IndicatorState,
    WarningConfirmation,
)
from assessment.io import export, importer
from tests.factories.assessment_io import ANSWERS, NOT_APPLICABLE, UNKNOWN, make_assessment
from tests.factories.questionnaire import acting

NEXT_YEAR = 2026


@pytest.fixture
def enterprise(app: Flask, make_user: Any, make_tenant: Any) -> tuple[Any, Any]:
    owner = make_user()
    return make_tenant(owner=owner, name="Carry Works"), owner


@pytest.fixture
def last_year(app: Flask, enterprise: tuple[Any, Any]) -> Any:
    """A finalised 2025 assessment with every kind of answer, and with what must never be
    carried: a confidence label, a review comment and a warning confirmation."""
    tenant, owner = enterprise
    made = make_assessment(app, tenant, owner, year=2025, finalise=True)
    with acting(app, tenant, owner) as (user, _membership):
        source = queries.assessment(made.assessment_id)
        answering.set_confidence(source, "digital.strategy", Confidence.documented)
        answering.set_confidence(source, "global.footprint", Confidence.internally_reviewed,
                                 user=user, reviewer_tenant_id=tenant.id)
        lifecycle.add_comment(source, user, tenant.id, "Check the delivery count.",
                              "lean.on_time_delivery_rate")
        from tenants.extensions import db
        db.session.add(WarningConfirmation(
            assessment_id=source.id, code="energy.intensity", key="energy", fingerprint="x",
            reason="We bought a second furnace.", confirmed_by_id=user.id))
    return made


def _next_year(app: Flask, enterprise: tuple[Any, Any]) -> Any:
    tenant, owner = enterprise
    with acting(app, tenant, owner) as (user, membership):
        return lifecycle.create_assessment(membership, NEXT_YEAR, user)


def _copy(app: Flask, enterprise: tuple[Any, Any], target: Any) -> Any:
    tenant, owner = enterprise
    with acting(app, tenant, owner) as (user, membership):
        return carryover.copy_forward(queries.assessment(target.id), membership, user)


def _rows(assessment_id: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    answers = {a.key: (json.dumps(a.value, sort_keys=True), a.state)
               for a in queries.answers(assessment_id)}
    states = {s.code: (s.not_applicable, s.na_reason)
              for s in queries.indicator_states(assessment_id) if s.not_applicable}
    return answers, states


def test_every_kind_of_answer_is_carried_and_marked(app, enterprise, last_year):
    target = _next_year(app, enterprise)
    record = _copy(app, enterprise, target)
    tenant, owner = enterprise
    with acting(app, tenant, owner):
        copied, copied_na = _rows(target.id)
        source, source_na = _rows(last_year.assessment_id)
        assert copied == source
        # numbers, a level, a multi-choice, shares, energy and emission rows, "unknown"
        assert set(ANSWERS) | set(UNKNOWN) <= set(copied)
        assert copied["security_incidents"] == ("null", AnswerState.unknown)
        assert json.loads(copied["online_business_areas"][0]) == ANSWERS["online_business_areas"]
        assert json.loads(copied["energy"][0]) == ANSWERS["energy"]
        assert copied_na == source_na == {code: (True, reason)
                                          for code, reason in NOT_APPLICABLE.items()}
        rows = queries.answers(target.id)
        assert {a.carried_from_id for a in rows} == {last_year.assessment_id}
        assert {a.version for a in rows} == {1}
        assert (record.answers, record.not_applicable) == (len(rows), len(NOT_APPLICABLE))
        keys = {f.key for f in carryover.unconfirmed(queries.assessment(target.id))}
        assert keys == set(copied) | {f"not_applicable:{c}" for c in NOT_APPLICABLE}
        # the history says where each value came from: one row per copied field
        assert len(queries.answer_history(target.id)) == len(keys)


def test_nothing_of_review_or_verification_is_carried(app, enterprise, last_year):
    target = _next_year(app, enterprise)
    _copy(app, enterprise, target)
    tenant, owner = enterprise
    with acting(app, tenant, owner):
        states = queries.indicator_states(target.id)
        assert [s.code for s in states] == list(NOT_APPLICABLE)
        assert {s.confidence for s in states} == {Confidence.self_declared}
        assert {(s.verified_by_id, s.verified_by_tenant_id, s.verified_at)
                for s in states} == {(None, None, None)}
        assert queries.comments(target.id) == []
        assert list(queries.warning_confirmations(target.id)) == []
        # ...while last year keeps all of it
        assert queries.comments(last_year.assessment_id)
        assert queries.warning_confirmations(last_year.assessment_id)


def test_the_source_is_the_latest_finalised_else_the_latest(app, enterprise, last_year):
    tenant, owner = enterprise
    with acting(app, tenant, owner) as (user, membership):
        later_draft = lifecycle.create_assessment(membership, 2024, user)
        target = lifecycle.create_assessment(membership, NEXT_YEAR, user)
        assert carryover.source_for(target).id == last_year.assessment_id
        assert carryover.source_for(later_draft) is None  # nothing earlier than 2024
        assert carryover.source_for_year(2025).id == later_draft.id  # not finalised, latest


def test_confirming_clears_the_mark_and_keeps_the_value(app, enterprise, last_year):
    target = _next_year(app, enterprise)
    _copy(app, enterprise, target)
    tenant, owner = enterprise
    with acting(app, tenant, owner) as (user, membership):
        assessment = queries.assessment(target.id)
        assert carryover.confirm(assessment, membership, user, ["deliveries_total"]) == 1
        assert carryover.confirm(assessment, membership, user, ["deliveries_total"]) == 0
        assert carryover.confirm(assessment, membership, user,
                                 ["not_applicable:global.footprint"]) == 1
        row = queries.answer(target.id, "deliveries_total")
        assert (row.value, row.version, row.carried_from_id) == (1000, 1, None)
        na = queries.indicator_state(target.id, "global.footprint")
        assert (na.not_applicable, na.carried_from_id) == (True, None)
        keys = {f.key for f in carryover.unconfirmed(assessment)}
        assert "deliveries_total" not in keys and "not_applicable:global.footprint" not in keys
        assert "deliveries_on_time" in keys


def test_confirming_a_page_clears_only_that_page(app, enterprise, last_year):
    target = _next_year(app, enterprise)
    _copy(app, enterprise, target)
    tenant, owner = enterprise
    with acting(app, tenant, owner) as (user, membership):
        assessment = queries.assessment(target.id)
        before = carryover.count_by_page(assessment)
        assert before.get("energy") and len(before) > 1
        cleared = carryover.confirm_page(assessment, membership, user, "energy")
        after = carryover.count_by_page(assessment)
        assert cleared == before["energy"]
        assert "energy" not in after
        assert after == {p: n for p, n in before.items() if p != "energy"}


def test_changing_a_value_clears_the_mark_and_an_unchanged_save_does_not(app, enterprise,
                                                                         last_year):
    target = _next_year(app, enterprise)
    _copy(app, enterprise, target)
    tenant, owner = enterprise
    with acting(app, tenant, owner) as (user, membership):
        assessment = queries.assessment(target.id)
        answering.save_answer(assessment, membership, user, "deliveries_on_time", 970,
                              expected_version=1)
        answering.save_answers(assessment, membership, user,
                               {"deliveries_total": (1000, AnswerState.answered)})
        answering.set_not_applicable(assessment, membership, user, "global.footprint", True,
                                     "Still no overseas operations.", expected_version=1)
        changed = queries.answer(target.id, "deliveries_on_time")
        same = queries.answer(target.id, "deliveries_total")
        assert (changed.value, changed.carried_from_id) == (970, None)
        assert same.carried_from_id == last_year.assessment_id  # same value: still to check
        assert queries.indicator_state(target.id, "global.footprint").carried_from_id is None


def test_a_second_copy_is_refused_by_the_database(app, enterprise, last_year, monkeypatch):
    target = _next_year(app, enterprise)
    _copy(app, enterprise, target)
    with pytest.raises(carryover.CopyRefused):
        _copy(app, enterprise, target)
    # Without the early checks, the unique key still refuses it, and nothing is written.
    real_copy_of = carryover.copy_of
    asked = []

    def not_seen_first(assessment_id: Any) -> Any:  # the early check misses the first copy
        asked.append(assessment_id)
        return None if len(asked) == 1 else real_copy_of(assessment_id)

    monkeypatch.setattr(carryover, "copy_of", not_seen_first)
    monkeypatch.setattr(carryover, "is_empty", lambda _assessment: True)
    tenant, owner = enterprise
    with acting(app, tenant, owner) as (user, membership):
        count = len(queries.answers(target.id))
        with pytest.raises(carryover.CopyRefused):
            carryover.copy_forward(queries.assessment(target.id), membership, user)
        assert len(queries.answers(target.id)) == count
    from tests.factories import fetch
    assert len(fetch(app, CarryOver, CarryOver.assessment_id == target.id)) == 1


def test_a_failed_copy_changes_nothing(app, enterprise, last_year, monkeypatch):
    target = _next_year(app, enterprise)
    real = carryover.AnswerChange
    calls = {"n": 0}

    def breaking(**kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 5:  # half-way: a row the database refuses (a duplicate answer key)
            return Answer(assessment_id=kwargs["assessment_id"], key="deliveries_total",
                          value=1)
        return real(**kwargs)

    monkeypatch.setattr(carryover, "AnswerChange", breaking)
    tenant, owner = enterprise
    with acting(app, tenant, owner) as (user, membership):  # commits what is left
        with pytest.raises(Exception):  # noqa: B017  (the database's own refusal)
            carryover.copy_forward(queries.assessment(target.id), membership, user)
        assert queries.answers(target.id) == []
    from tests.factories import fetch
    assert fetch(app, Answer, Answer.assessment_id == target.id) == []
    assert fetch(app, IndicatorState, IndicatorState.assessment_id == target.id) == []
    assert fetch(app, CarryOver, CarryOver.assessment_id == target.id) == []
    monkeypatch.setattr(carryover, "AnswerChange", real)
    _copy(app, enterprise, target)  # and the copy can still be made
    assert len(fetch(app, Answer, Answer.assessment_id == target.id)) > 10


def test_only_an_empty_assessment_is_copied_into(app, enterprise, last_year):
    target = _next_year(app, enterprise)
    tenant, owner = enterprise
    with acting(app, tenant, owner) as (user, membership):
        assessment = queries.assessment(target.id)
        answering.save_answer(assessment, membership, user, "deliveries_total", 5)
        with pytest.raises(carryover.CopyRefused):
            carryover.copy_forward(assessment, membership, user)
        assert not carryover.can_copy(assessment)


def test_submission_asks_for_an_acknowledgement_of_unconfirmed_fields(app, enterprise,
                                                                      last_year):
    target = _next_year(app, enterprise)
    _copy(app, enterprise, target)
    tenant, owner = enterprise
    with acting(app, tenant, owner) as (_user, membership):
        assessment = queries.assessment(target.id)
        with pytest.raises(lifecycle.UnconfirmedCarriedOver) as refused:
            lifecycle.submit(assessment, membership)
        assert {f.key for f in refused.value.pending} >= {"deliveries_total", "energy"}
        assert assessment.state == "draft"
        lifecycle.submit(assessment, membership, carried_acknowledged=True)
        assert queries.assessment(target.id).state == "submitted"


def test_a_copied_assessment_exported_and_imported_elsewhere_has_the_same_answers(
        app, enterprise, last_year, make_user, make_tenant):
    target = _next_year(app, enterprise)
    _copy(app, enterprise, target)
    tenant, owner = enterprise
    with acting(app, tenant, owner):
        data = export.export_xlsx(queries.assessment(target.id), "Carry Works", english=False)
        expected = _rows(target.id)
    other_owner = make_user()
    other = make_tenant(owner=other_owner, name="Other Works")
    elsewhere = make_assessment(app, other, other_owner, year=NEXT_YEAR, answers={})
    with acting(app, other, other_owner) as (user, membership):
        # the factory's own "unknown" and "not applicable" rows: start from an empty sheet
        assessment = queries.assessment(elsewhere.assessment_id)
        for key in UNKNOWN:
            answering.save_answer(assessment, membership, user, key, None,
                                  AnswerState.answered, expected_version=1)
        for code in NOT_APPLICABLE:
            answering.set_not_applicable(assessment, membership, user, code, False,
                                         expected_version=1)
        importer.import_workbook(assessment, membership, user, data)
    with acting(app, other, other_owner):
        imported = _rows(elsewhere.assessment_id)
    assert imported == expected


def test_an_assessor_confirms_only_on_assigned_pages_and_never_copies(app, enterprise, last_year,
                                                                      make_user, add_member):
    from tenants.errors import Forbidden
    from tenants.models import Role

    target = _next_year(app, enterprise)
    _copy(app, enterprise, target)
    tenant, owner = enterprise
    assessor = make_user()
    add_member(tenant, assessor, Role.assessor)
    with acting(app, tenant, owner) as (_user, membership):
        answering.assign_page(queries.assessment(target.id), membership, "lean", assessor.id)
    with acting(app, tenant, assessor) as (user, membership):
        assessment = queries.assessment(target.id)
        assert carryover.confirm(assessment, membership, user, ["deliveries_total"]) == 1
        with pytest.raises(Forbidden):
            carryover.confirm(assessment, membership, user, ["energy"])
        with pytest.raises(Forbidden):
            carryover.confirm_page(assessment, membership, user, "energy")
    other = _next_year_of(app, enterprise, 2027)
    with acting(app, tenant, assessor) as (user, membership), pytest.raises(Forbidden):
        carryover.copy_forward(queries.assessment(other.id), membership, user)


def _next_year_of(app: Flask, enterprise: tuple[Any, Any], year: int) -> Any:
    tenant, owner = enterprise
    with acting(app, tenant, owner) as (user, membership):
        return lifecycle.create_assessment(membership, year, user)
