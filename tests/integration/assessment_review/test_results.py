"""Results against the database: provisional with their coverage, a trace that adds up, the
finalised snapshot, and the previous year re-scored under the same framework version."""

from __future__ import annotations

from sqlmodel import select

from assessment.assessments import queries
from assessment.assessments.models import AssessmentRevision
from assessment.results.services import assessment_results, results_for
from indicators import rescore
from tenants.context import system_scope
from tenants.extensions import db
from tests.integration.assessment_review import factories

CODE = "lean.on_time_delivery_rate"


def test_draft_results_are_provisional_with_their_coverage(
        app, make_enterprise, make_assessment, acting_in):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise)
    with acting_in(enterprise):
        found = assessment_results(queries.assessment(assessment.id))
        assert found.provisional and found.revision is None
        assert 0 < found.coverage < 1
        assert found.results["indicators"][CODE]["status"] == "ok"
        assert found.results["indicators"]["global.footprint"]["status"] == "missing"


def test_trace_contributions_add_up_to_the_overall_score(
        app, make_enterprise, make_assessment, acting_in):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise)
    with acting_in(enterprise):
        found = assessment_results(queries.assessment(assessment.id))
        trace = found.trace
        overall = found.results["overall"]["score"]
        total = sum(d["contribution"] for d in trace["dimensions"].values())
        assert overall is not None and abs(total - overall) < 0.05
        for code, dimension in trace["dimensions"].items():
            if dimension["score"] is not None:
                part = sum(i["contribution"] for i in dimension["indicators"])
                assert abs(part - dimension["score"]) < 0.05, code


def test_a_finalised_assessment_shows_its_stored_snapshot(
        app, make_enterprise, make_assessment, acting_in, fetch):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise, finalise=True)
    with acting_in(enterprise):
        loaded = queries.assessment(assessment.id)
        found = assessment_results(loaded)
        assert not found.provisional and found.revision is not None and found.trace_matches
        assert results_for(loaded) == found.revision.results
        # The snapshot is what is shown, even if the engine would now say otherwise.
        with system_scope(db.session, "test: alter the stored snapshot"):
            revision = db.session.exec(select(AssessmentRevision)).one()
            changed = dict(revision.results)
            changed["overall"] = {**changed["overall"], "score": 12.3}
            revision.results = changed
    with acting_in(enterprise):
        loaded = queries.assessment(assessment.id)
        found = assessment_results(loaded)
        assert found.results["overall"]["score"] == 12.3 and not found.trace_matches
        assert results_for(loaded)["overall"]["score"] == 12.3


def test_the_previous_year_is_rescored_under_this_assessments_version(
        app, make_enterprise, make_assessment, acting_in):
    enterprise = make_enterprise()
    make_assessment(enterprise, 2023, factories.PREVIOUS_ANSWERS, finalise=True)
    current = make_assessment(enterprise, 2024)
    with acting_in(enterprise), \
            system_scope(db.session, "test: pretend 2023 was finalised under 0.9"):
        revision = db.session.exec(select(AssessmentRevision)).one()
        revision.framework_version = "0.9"
        revision.results = {"overall": {"score": 1.0}, "dimensions": {}, "indicators": {}}
        document = dict(revision.document)
    with acting_in(enterprise):
        loaded = queries.assessment(current.id)
        found = assessment_results(loaded)
        previous = found.previous
        assert previous is not None and previous.year == 2023
        assert previous.framework_version == loaded.framework_version
        assert previous.stored_version == "0.9" and previous.rescored
        expected = rescore(document, loaded.framework_id, loaded.framework_version)
        assert previous.results == expected.to_contract()
        assert previous.results["overall"]["score"] != 1.0


def test_no_previous_year_no_comparison(app, make_enterprise, make_assessment, acting_in):
    enterprise = make_enterprise()
    make_assessment(enterprise, 2025, finalise=True)  # a later year does not count
    current = make_assessment(enterprise, 2024)
    with acting_in(enterprise):
        assert assessment_results(queries.assessment(current.id)).previous is None
