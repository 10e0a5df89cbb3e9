"""The association's cohort report and bulk run: only granted members, only consenting names,
nothing after revocation, and the threshold of five."""

from __future__ import annotations

import io
import zipfile

import pytest

from tenants.context import set_tenant
from tests.integration.benchmarks.conftest import add_link, make_peer
from tests.integration.reports.conftest import finalised_report_assessment, pdf_text

SCORES = {"overall": 55.0, "lean": 60.0, "lean.on_time_delivery_rate": 70.0}


@pytest.fixture(autouse=True)
def _reports_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "REPORTS_DIR", str(tmp_path / "reports"))


def _members(app, association, n, *, grants=("scores",), named=()):
    from tenants.extensions import db

    members = []
    for i in range(n):
        member = make_peer(app, {**SCORES, "overall": 40.0 + i}, year=2025)
        add_link(app, association, member, grants=grants)
        members.append(member)
    with app.app_context():
        for member in members:
            if member in named:
                _link(association, member).may_be_named = True
        db.commit()
    return members


def _link(association, member):
    from sqlmodel import select

    from tenants.extensions import db
    from tenants.models import TenantLink

    set_tenant(db.session, association.id)  # the association's side of the link
    return db.session.exec(select(TenantLink).where(
        TenantLink.source_tenant_id == association.id,
        TenantLink.target_tenant_id == member.id)).one()


def _cohort(app, association, year=2025):
    from assessment.reports import services
    from tenants.context import set_tenant
    from tenants.extensions import db

    with app.test_request_context():
        set_tenant(db.session, association.id)
        try:
            return services.cohort_report(association, year, "en")
        finally:
            db.rollback()


def test_four_members_show_nothing_five_show_statistics(app, make_tenant):
    from tenants.models import TenantKind

    association = make_tenant(TenantKind.association)
    _members(app, association, 4)
    four = _cohort(app, association)
    assert not four.shown and four.members == 4
    assert four.dimension_rows == [] and four.ranked == [] and four.level_chart == ""
    _members(app, association, 1)
    five = _cohort(app, association)
    assert five.shown and five.overall is not None and five.overall.n == "5"
    assert five.level_chart.startswith("data:image/svg+xml;base64,")


def test_only_members_sharing_scores_count_and_only_consenting_ones_are_named(
        app, make_tenant):
    from tenants.models import TenantKind

    association = make_tenant(TenantKind.association)
    first = _members(app, association, 3)
    named = _members(app, association, 2)
    _members(app, association, 2, grants=("answers",))  # no scores: not in the cohort
    other = make_tenant(TenantKind.association)
    _members(app, other, 3)  # another association's members
    from tenants.extensions import db

    with app.app_context():
        for member in named:
            _link(association, member).may_be_named = True
        db.commit()
    report = _cohort(app, association)
    assert report.members == 5
    assert sorted(row.name for row in report.ranked) == sorted(m.name for m in named)
    # ranks among all five members (scores 40, 41, 42 and the named 40, 41: ties share order)
    assert [row.rank for row in report.ranked] == sorted(row.rank for row in report.ranked)
    assert all(3 <= row.rank <= 5 for row in report.ranked)
    assert all(m.name not in {r.name for r in report.ranked} for m in first)


def test_a_revoked_member_drops_out_at_once(app, make_tenant, make_link):
    from tenants.models import LinkGrant, TenantKind
    from tenants.services import links
    from tests.factories import owner_of

    association = make_tenant(TenantKind.association)
    _members(app, association, 4)
    member = make_tenant()
    finalised_report_assessment(app, member)
    link = make_link(association, member, grants=[LinkGrant.scores], may_be_named=True)
    assert _cohort(app, association).members == 5
    with app.test_request_context():
        from tenants.extensions import db

        set_tenant(db.session, member.id)  # the revoking side's scope

        links.revoke(db.session.merge(member), db.session.merge(owner_of(app, member)), link.id)
        db.commit()
    after = _cohort(app, association)
    assert after.members == 4 and not after.shown


def test_cohort_pdf_reads_back(app, make_tenant, tmp_path):
    from assessment.reports import services
    from tenants.context import set_tenant
    from tenants.extensions import db
    from tenants.models import TenantKind

    association = make_tenant(TenantKind.association, name="Machinery Association")
    _members(app, association, 5)
    with app.test_request_context():
        set_tenant(db.session, association.id)
        found = services.cohort_report_pdf(association, 2025, "en")
        db.rollback()
    text = pdf_text(tmp_path, found.content)
    assert "Machinery Association" in text and "Dimension distributions" in text
    # The charts' text (matplotlib SVG) is set in the report font too: nothing fell back.
    fonts = pdf_text(tmp_path, found.content, "pdffonts").splitlines()[2:]
    assert {line.split()[0].split("+")[1] for line in fonts} == {
        "ChainGauge-Sans-SC", "ChainGauge-Sans-SC-Bold"}, fonts


def test_bulk_job_renders_one_pdf_per_member_with_reports_granted(app, make_tenant,
                                                                 make_link, tmp_path):
    from assessment.reports import queries, tasks
    from assessment.reports.bulk_models import BulkStatus
    from tenants.context import set_tenant
    from tenants.extensions import db
    from tenants.models import LinkGrant, TenantKind
    from tests.factories import owner_of

    association = make_tenant(TenantKind.association)
    granted = []
    for n in range(2):
        member = make_tenant(name=f"Member {n}")
        finalised_report_assessment(app, member)
        make_link(association, member, grants=[LinkGrant.scores, LinkGrant.reports])
        granted.append(member)
    scores_only = make_tenant(name="Scores only")
    finalised_report_assessment(app, scores_only)
    make_link(association, scores_only, grants=[LinkGrant.scores])
    with app.test_request_context():
        set_tenant(db.session, association.id)
        job = tasks.start_bulk(db.session.merge(association),
                               db.session.merge(owner_of(app, association)), 2025, "en")
        job_id = job.id
        db.commit()  # runs the job (immediate mode) after the commit
        set_tenant(db.session, association.id)
        done = queries.bulk_job(job_id)
        assert done is not None and done.status == BulkStatus.done
        assert (done.done, done.total, done.skipped) == (2, 2, 0)
        assert done.zip_path == tasks.zip_key(association.id, job_id)
        from tenants.storage import file_store

        stored = file_store("reports").open(done.zip_path).read()
        db.rollback()
    with zipfile.ZipFile(io.BytesIO(stored)) as archive:
        names = archive.namelist()
        assert len(names) == 2 and all(n.endswith("-2025-en.pdf") for n in names)
        assert all(archive.read(n).startswith(b"%PDF") for n in names)
