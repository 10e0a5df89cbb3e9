"""Evidence services against the database: a file documents its indicator, goes with a rolled-back
unit of work, and is refused to viewers and when too large."""

from __future__ import annotations

import io
import os

import pytest
from sqlmodel import select

from assessment.assessments import queries
from assessment.assessments.models import Confidence
from assessment.evidence import queries as evidence_queries
from assessment.evidence import services as evidence
from assessment.evidence.models import EvidenceFile
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
