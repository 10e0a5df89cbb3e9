"""``flask assessment rescore``: open assessments move to the new framework version with their
answers; finalised ones keep the version (and the stored results) they were scored with."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlmodel import col

from assessment.assessments import services
from assessment.assessments.models import Answer, Assessment, AssessmentRevision
from assessment.assessments.rescoring import rescore_assessment
from assessment.results.services import assessment_results
from tenants import queries as platform_queries
from tenants.context import set_tenant, system_scope
from tenants.extensions import db
from tests.integration.assessment_io.factories import Made, make_assessment

OLD, NEW = "1.0.0", "2.0.0"


@pytest.fixture
def enterprise(app: Flask, make_user: Any, make_tenant: Any) -> tuple[Any, Any]:
    owner = make_user()
    return make_tenant(owner=owner, name="Old Version Works"), owner


def pin(app: Flask, assessment_id: uuid.UUID, version: str) -> None:
    """As if the assessment had been created before ``version`` was the newest."""
    with app.app_context():
        with system_scope(db.session, "test: pin an assessment to an old version"):
            db.session.execute(sa.update(Assessment)
                               .where(col(Assessment.id) == assessment_id)
                               .values(framework_version=version))
        db.commit()


def on_old_version(app: Flask, enterprise: tuple[Any, Any], *, year: int = 2025,
                   finalise: bool = False) -> Made:
    tenant, owner = enterprise
    made = make_assessment(app, tenant, owner, year=year)
    pin(app, made.assessment_id, OLD)
    if finalise:
        with app.test_request_context():
            set_tenant(db.session, tenant.id)
            user = db.session.merge(owner)
            membership = platform_queries.membership(tenant.id, user.id)
            assert membership is not None
            assessment = db.session.get(Assessment, (tenant.id, made.assessment_id))
            assert assessment is not None
            services.submit(assessment, membership)
            services.finalise(assessment, user)
            db.commit()
    return made


def stored(fetch: Any, model: type, assessment_id: uuid.UUID) -> list[Any]:
    return list(fetch(model, model.assessment_id == assessment_id))


def the(fetch: Any, assessment_id: uuid.UUID) -> Assessment:
    found: Assessment = fetch(Assessment, Assessment.id == assessment_id)[0]
    return found


def test_new_assessments_use_the_new_version(app: Flask, enterprise: tuple[Any, Any],
                                             fetch: Any) -> None:
    made = make_assessment(app, *enterprise)
    assert the(fetch, made.assessment_id).framework_version == NEW


def test_dry_run_shows_the_move_and_changes_nothing(
        app: Flask, enterprise: tuple[Any, Any], fetch: Any) -> None:
    made = on_old_version(app, enterprise)
    before = the(fetch, made.assessment_id)
    result = app.test_cli_runner().invoke(args=["assessment", "rescore", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"{made.assessment_id}" in result.output and "would_move" in result.output
    assert "dry run: scm-2024 -> 2.0.0: 1 would_move" in result.output
    after = the(fetch, made.assessment_id)
    assert (after.framework_version, after.version) == (OLD, before.version)


def test_rescore_moves_open_answers_and_keeps_finalised_results(
        app: Flask, enterprise: tuple[Any, Any], fetch: Any, audit_actions: Any) -> None:
    draft = on_old_version(app, enterprise, year=2025)
    final = on_old_version(app, enterprise, year=2024, finalise=True)
    answers_before = {(a.key, repr(a.value)) for a in stored(fetch, Answer, draft.assessment_id)}
    revision_before = stored(fetch, AssessmentRevision, final.assessment_id)[0]
    assert revision_before.framework_version == OLD
    version_before = the(fetch, draft.assessment_id).version

    result = app.test_cli_runner().invoke(args=["assessment", "rescore"])
    assert result.exit_code == 0, result.output
    assert "1 finalised" in result.output and "1 moved" in result.output

    moved = the(fetch, draft.assessment_id)
    assert (moved.framework_version, moved.version) == (NEW, version_before + 1)
    answers_after = {(a.key, repr(a.value)) for a in stored(fetch, Answer, draft.assessment_id)}
    assert answers_after == answers_before  # the answers move across unchanged
    assert ("assessment.rescored", "2025") in [(a, s) for a, s, _ in audit_actions(
        enterprise[0], "assessment.rescored")]

    # the finalised assessment keeps its version and its stored result, figure for figure
    kept = the(fetch, final.assessment_id)
    assert kept.framework_version == OLD
    revision_after = stored(fetch, AssessmentRevision, final.assessment_id)[0]
    assert revision_after.results == revision_before.results
    assert revision_after.results["framework"] == {"id": "scm-2024", "version": OLD}

    with app.test_request_context():
        set_tenant(db.session, enterprise[0].id)
        # the moved draft is now scored with 2.0.0, within the profile's industry (C34)
        tenant_id = enterprise[0].id
        draft_row = db.session.get(Assessment, (tenant_id, draft.assessment_id))
        assert draft_row is not None
        draft_results = assessment_results(draft_row, compare=False)
        assert draft_results.results["framework"]["version"] == NEW
        assert draft_results.evaluation is not None
        assert draft_results.evaluation.document["industry"] == "C34"  # the profile's
        energy = draft_results.results["indicators"]["green.energy_intensity"]
        assert energy["details"]["scored_against"]["scope"] == "manufacturing"
        # the finalised one still shows its stored 1.0.0 figures, and they recompute exactly
        final_row = db.session.get(Assessment, (tenant_id, final.assessment_id))
        assert final_row is not None
        final_results = assessment_results(final_row, compare=False)
        assert final_results.results == revision_before.results
        assert final_results.trace_matches
        db.rollback()

    again = app.test_cli_runner().invoke(args=["assessment", "rescore"])
    assert again.exit_code == 0 and "1 finalised" in again.output
    assert "moved" not in again.output


def test_the_move_is_decided_by_the_database(
        app: Flask, enterprise: tuple[Any, Any], fetch: Any) -> None:
    """A copy read before someone else moved the assessment moves nothing: the conditional
    UPDATE finds no row still on the old version and says so."""
    made = on_old_version(app, enterprise)
    with app.test_request_context():
        set_tenant(db.session, enterprise[0].id)
        read_earlier = db.session.get(Assessment, (enterprise[0].id, made.assessment_id))
        assert read_earlier is not None and read_earlier.framework_version == OLD
        # the other writer, behind the in-memory copy's back
        db.session.execute(sa.update(Assessment)
                           .where(col(Assessment.id) == made.assessment_id)
                           .values(framework_version=NEW, version=Assessment.version + 1)
                           .execution_options(synchronize_session=False))
        assert read_earlier.framework_version == OLD  # still believes it is on 1.0.0
        outcome = rescore_assessment(read_earlier, NEW, dry_run=False)
        assert outcome.status == "changed"
        db.commit()
    assert the(fetch, made.assessment_id).framework_version == NEW


def test_an_unknown_version_is_refused(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["assessment", "rescore", "--to-version",
                                                "9.9.9"])
    assert result.exit_code != 0 and "9.9.9" in result.output

