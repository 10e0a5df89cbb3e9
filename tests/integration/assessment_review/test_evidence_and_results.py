"""Evidence services (confidence follows files) and results (provisional, snapshot, trace,
previous year re-scored under the same framework version), against the database."""

from __future__ import annotations

import io
import os

import pytest
from sqlmodel import select

from assessment.assessments import queries
from assessment.assessments.models import AssessmentRevision, Confidence
from assessment.evidence import queries as evidence_queries
from assessment.evidence import services as evidence
from assessment.evidence.models import EvidenceFile
from assessment.results.services import assessment_results, results_for
from indicators import rescore
from tenants.context import system_scope
from tenants.errors import Forbidden
from tenants.extensions import db
from tenants.models import Role
from tests.integration.assessment_review import factories
from tests.integration.assessment_review.factories import membership_of, owner

CODE = "lean.on_time_delivery_rate"


def _attach_png(app, enterprise, assessment_id, name):
    """The test PNG attached by the owner (inside ``acting_in``): its row and its file's path."""
    user = owner(enterprise)
    stored = evidence.attach(queries.assessment(assessment_id), membership_of(enterprise, user),
                             user, CODE, name, io.BytesIO(factories.PNG))
    return stored, os.path.join(app.config["EVIDENCE_DIR"], str(enterprise.id), stored.stored_name)




def test_attaching_a_file_documents_the_indicator_and_removing_it_undoes_that(
        app, make_enterprise, make_assessment, acting_in):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise)
    with acting_in(enterprise):
        stored, path = _attach_png(app, enterprise, assessment.id, "交货记录.PDF")
        assert stored.content_type == "image/png"  # judged by content, not by the name
        assert evidence.download_name(stored) == "交货记录.png"
        assert queries.indicator_state(assessment.id, CODE).confidence == Confidence.documented
        with open(path, "rb") as handle:
            assert handle.read() == factories.PNG
        assert "交货" not in stored.stored_name and len(stored.stored_name) == 32
        assert not path.startswith(app.static_folder)
        stored_id = stored.id
    with acting_in(enterprise):
        user = owner(enterprise)
        loaded = queries.assessment(assessment.id)
        found = evidence_queries.evidence_file(loaded.id, stored_id)
        evidence.remove(loaded, membership_of(enterprise, user), user, found)
        assert queries.indicator_state(loaded.id, CODE).confidence == Confidence.self_declared
    assert not os.path.exists(path)  # deleted once the removal committed


def test_a_file_attached_in_a_unit_of_work_that_rolls_back_goes_with_it(
        app, make_enterprise, make_assessment, acting_in):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise)
    with acting_in(enterprise):
        _stored, path = _attach_png(app, enterprise, assessment.id, "a.png")
        assert os.path.exists(path)
        db.rollback()  # the request failed after the upload: no row, and no file
        assert not os.path.exists(path)
    with acting_in(enterprise):
        assert evidence_queries.files_of(assessment.id, CODE) == []


def test_a_verified_indicator_stays_verified_when_more_evidence_arrives(
        app, make_enterprise, make_assessment, make_tenant, acting_in):
    from assessment.assessments import answering

    enterprise = make_enterprise()
    consultancy = make_tenant("consultancy")  # verified: a linked reviewer's word
    assessment = make_assessment(enterprise)
    with acting_in(enterprise):
        user = owner(enterprise)
        loaded = queries.assessment(assessment.id)
        answering.set_confidence(loaded, CODE, Confidence.verified, user, consultancy.id)
        evidence.attach(loaded, membership_of(enterprise, user), user, CODE, "a.pdf",
                        io.BytesIO(factories.PDF))
        assert queries.indicator_state(loaded.id, CODE).confidence == Confidence.verified


def test_the_database_refuses_a_verified_label_without_another_organisation(
        app, make_enterprise, make_assessment, acting_in):
    """Whatever path writes it, "verified" must name an organisation other than the
    enterprise itself (the enterprise's own check is "internally reviewed")."""
    from sqlalchemy.exc import IntegrityError

    from assessment.assessments import answering

    enterprise = make_enterprise()
    assessment = make_assessment(enterprise)
    with acting_in(enterprise):
        user = owner(enterprise)
        loaded = queries.assessment(assessment.id)
        for reviewer_tenant in (None, enterprise.id):
            with pytest.raises(IntegrityError), db.session.begin_nested():
                answering.set_confidence(loaded, CODE, Confidence.verified, user,
                                         reviewer_tenant)
        state = answering.set_confidence(loaded, CODE, Confidence.internally_reviewed, user,
                                         enterprise.id)
        assert state.confidence == Confidence.internally_reviewed


def test_a_viewer_cannot_attach_and_nothing_is_stored(
        app, make_enterprise, make_assessment, make_user, add_member, acting_in):
    enterprise = make_enterprise()
    viewer = make_user()
    add_member(enterprise, viewer, Role.viewer)
    assessment = make_assessment(enterprise)
    with acting_in(enterprise):
        loaded = queries.assessment(assessment.id)
        with pytest.raises(Forbidden):
            evidence.attach(loaded, membership_of(enterprise, viewer), viewer, CODE, "a.pdf",
                            io.BytesIO(factories.PDF))
        assert db.session.exec(select(EvidenceFile)).all() == []
    assert not os.path.exists(os.path.join(app.config["EVIDENCE_DIR"], str(enterprise.id)))


def test_an_oversized_file_is_refused_with_the_limit_named(
        app, make_enterprise, make_assessment, acting_in, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 1024 * 1024)
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise)
    with acting_in(enterprise):
        user = owner(enterprise)
        loaded = queries.assessment(assessment.id)
        with pytest.raises(evidence.EvidenceRefused) as refused:
            evidence.attach(loaded, membership_of(enterprise, user), user, CODE, "big.pdf",
                            io.BytesIO(factories.PDF + b"0" * (1024 * 1024)))
        assert "1 MB" in str(refused.value.message) and refused.value.field == "file"


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
