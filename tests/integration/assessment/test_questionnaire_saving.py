"""The page save of the questionnaire (assessment.questionnaire.saving): all or nothing."""

from __future__ import annotations

import pytest

from assessment.assessments import queries
from assessment.assessments.models import AnswerState
from assessment.questionnaire.saving import AnswerChange, NotApplicableChange, save_page
from tests.factories import owner_of
from tests.web.assessment import factories
from tests.web.assessment.factories import acting

# The questionnaire tests' factory fixtures, made visible to this module.
enterprise_with_profile = factories.enterprise_with_profile
draft_assessment = factories.draft_assessment
save_answer = factories.save_answer


@pytest.fixture
def assessment_of(enterprise_with_profile, draft_assessment):
    tenant = enterprise_with_profile()
    return tenant, draft_assessment(tenant)


def _save(app, tenant, assessment, changes, na=(), dry_run=False):
    with acting(app, tenant, owner_of(app, tenant)) as (user, membership):
        result = save_page(queries.assessment(assessment.id), membership, user, changes, na,
                           dry_run=dry_run)
        stored = {a.key: (a.value, a.version) for a in queries.answers(assessment.id)}
    return result, stored


def test_a_total_and_its_sub_count_lowered_together_are_saved(app, assessment_of, save_answer):
    tenant, assessment = assessment_of
    save_answer(tenant, assessment, "deliveries_total", 100)
    save_answer(tenant, assessment, "deliveries_on_time", 90)
    result, stored = _save(app, tenant, assessment, [
        AnswerChange("deliveries_total", 50, AnswerState.answered, 1),
        AnswerChange("deliveries_on_time", 40, AnswerState.answered, 1)])
    assert result.ok
    assert stored == {"deliveries_total": (50, 2), "deliveries_on_time": (40, 2)}


def test_one_bad_field_saves_nothing(app, assessment_of):
    tenant, assessment = assessment_of
    result, stored = _save(app, tenant, assessment, [
        AnswerChange("units_sold", 10, AnswerState.answered, None),
        AnswerChange("deliveries_total", -1, AnswerState.answered, None)])
    assert [p.key for p in result.problems] == ["inputs.deliveries_total"]
    assert stored == {}


def test_a_stale_field_is_listed_with_the_current_row_and_nothing_is_saved(app, assessment_of,
                                                                          save_answer):
    tenant, assessment = assessment_of
    save_answer(tenant, assessment, "units_sold", 7)
    result, stored = _save(app, tenant, assessment, [
        AnswerChange("units_sold", 8, AnswerState.answered, None),
        AnswerChange("units_produced", 9, AnswerState.answered, None)])
    [stale] = result.stale
    assert (stale.key, stale.mine, stale.current.value) == ("units_sold", 8, 7)
    assert stored == {"units_sold": (7, 1)}


def test_unchanged_fields_are_not_rewritten(app, assessment_of, save_answer):
    tenant, assessment = assessment_of
    save_answer(tenant, assessment, "units_sold", 7)
    result, stored = _save(app, tenant, assessment, [
        AnswerChange("units_sold", 7, AnswerState.answered, 1),
        AnswerChange("units_produced", None, AnswerState.answered, None)])
    assert result.ok and result.saved_keys == []
    assert stored == {"units_sold": (7, 1)}


def test_not_applicable_needs_a_reason_and_dry_run_writes_nothing(app, assessment_of):
    tenant, assessment = assessment_of
    missing = NotApplicableChange("global.footprint", True, " ", None)
    result, _stored = _save(app, tenant, assessment, [], [missing])
    assert result.reasons_missing == ["global.footprint"]
    change = AnswerChange("units_sold", 3, AnswerState.answered, None)
    result, stored = _save(app, tenant, assessment, [change], dry_run=True)
    assert result.ok and stored == {}
