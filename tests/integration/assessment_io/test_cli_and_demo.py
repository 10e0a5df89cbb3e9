"""The command line (score, export) and the demo loader."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from flask import Flask
from openpyxl import load_workbook
from sqlmodel import func, select

from assessment.assessments.models import (
    Answer,
    AnswerChange,
    Assessment,
    AssessmentRevision,
    ResultFigure,
    ReviewComment,
)
from assessment.demo import BULK_FROM, DEFAULT_MEMBERS, load
from assessment.profiles.models import EnterpriseProfile
from assessment.profiles.rules import uscc_problem
from tenants.context import system_scope
from tenants.extensions import db
from tenants.models import Tenant, TenantLink, User
from tests.integration.assessment_io.factories import Made, make_assessment


def test_score_prints_the_stored_results_of_a_finalised_assessment(
        app: Flask, make_user: Any, make_tenant: Any, fetch: Any) -> None:
    owner = make_user()
    made = make_assessment(app, make_tenant(owner=owner), owner, finalise=True)
    result = app.test_cli_runner().invoke(args=["assessment", "score",
                                                str(made.assessment_id)])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    stored = fetch(AssessmentRevision, AssessmentRevision.assessment_id == made.assessment_id)
    assert printed == stored[0].results
    assert printed["overall"]["score"] is not None


def test_score_evaluates_a_draft_and_refuses_unknown_ids(app: Flask, made: Made) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["assessment", "score", str(made.assessment_id)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["indicators"]["lean.on_time_delivery_rate"]["value"] == 96.5
    missing = runner.invoke(args=["assessment", "score", "00000000-0000-0000-0000-000000000000"])
    assert missing.exit_code != 0 and "no assessment" in missing.output


def test_export_writes_json_and_xlsx(app: Flask, made: Made, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    out = tmp_path / "a.json"
    result = runner.invoke(args=["assessment", "export", str(made.assessment_id),
                                 "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["inputs"]["units_sold"] == 9800
    book = tmp_path / "a.xlsx"
    result = runner.invoke(args=["assessment", "export", str(made.assessment_id),
                                 "--format", "xlsx", "-o", str(book), "--lang", "en"])
    assert result.exit_code == 0, result.output
    sheets = load_workbook(io.BytesIO(book.read_bytes())).sheetnames
    assert len(sheets) == 9 and sheets[-1].endswith("Energy and carbon")


def _counts() -> dict[str, int]:
    with system_scope(db.session, "test: demo counts"):
        return {model.__name__: db.session.exec(select(func.count()).select_from(model)).one()
                for model in (Tenant, User, TenantLink, EnterpriseProfile, Assessment, Answer,
                              AnswerChange, AssessmentRevision, ResultFigure, ReviewComment)}


def test_demo_load_is_idempotent(app: Flask) -> None:
    with app.test_request_context():
        first = load(members=6)
        db.commit()
        after_first = _counts()
        second = load(members=6)
        db.commit()
        assert second == first
        assert _counts() == after_first
        # two comments, and two replies to the first
        assert after_first["Tenant"] == 6 + 3 and after_first["ReviewComment"] == 2 + 2
        with system_scope(db.session, "test: demo profiles"):
            profiles = db.session.exec(select(EnterpriseProfile)).all()
            states = {a.state for a in db.session.exec(select(Assessment)).all()}
            names = [t.name for t in db.session.exec(select(Tenant)).all()]
        assert all(uscc_problem(p.credit_code) is None for p in profiles)
        assert {"finalised", "draft", "returned"} <= states
        assert all("示例" in name for name in names)
        db.rollback()


def test_the_demo_sends_no_mail_but_its_benchmarks_are_refreshed(app: Flask, outbox) -> None:
    """Link requests to the demo's fictitious owners are not mailed; the benchmark refresh
    that each finalisation queues for after the commit still runs."""
    from assessment.benchmarks.models import BenchmarkSnapshot

    with app.test_request_context():
        load(members=6)
        db.commit()
        with system_scope(db.session, "test: demo snapshots"):
            snapshots = db.session.exec(select(func.count()).select_from(BenchmarkSnapshot)
                                        ).one()
        db.rollback()
    assert outbox() == []
    assert snapshots > 0


def test_with_billing_on_the_demo_association_has_seats_for_its_members(
        app: Flask, monkeypatch) -> None:
    from tenants.billing import queries as billing_queries
    from tenants.queries import tenant_by_slug

    monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", "sk_test_demo")
    with app.test_request_context():
        load(members=6)
        db.commit()
        with system_scope(db.session, "test: demo billing"):
            association = tenant_by_slug("demo-association")
            account = billing_queries.account(association.id)
            assert (account.plan, account.status, account.quantity) == \
                ("association", "active", 6 + 10)
        load(members=6)  # again: the subscription is left as it is
        db.commit()
        with system_scope(db.session, "test: demo billing again"):
            assert billing_queries.account(association.id).quantity == 16
        db.rollback()


def test_the_full_demo_has_thirty_members_across_divisions(app: Flask) -> None:
    """The default demo, and 4 members more: those are written in bulk (``demo_bulk``)."""
    with app.test_request_context():
        logins = load(members=DEFAULT_MEMBERS + 4)
        db.commit()
        after_first = _counts()
        assert load(members=DEFAULT_MEMBERS + 4) == logins  # the bulk members too: once
        db.commit()
        assert _counts() == after_first
        _check_bulk_members_like_serviced_ones(
            [f"demo-m{i + 1:02d}" for i in range(DEFAULT_MEMBERS, DEFAULT_MEMBERS + 4)],
            "demo-m31")
        with system_scope(db.session, "test: full demo"):
            links = db.session.exec(select(TenantLink)).all()
            divisions = {p.industry_division for p in
                         db.session.exec(select(EnterpriseProfile)).all()}
            finalised = db.session.exec(select(func.count()).select_from(Assessment).where(
                Assessment.state == "finalised")).one()
        members = [link for link in links if link.kind == "association_member"]
        assert len(members) >= 30 and all(link.status == "accepted" for link in links)
        assert len(divisions) >= 10 and finalised >= 50
        assert len({login.email for login in logins}) == len(logins) >= 39
        # the consultancy's portfolio shows a client in every state, some with a plan
        from assessment.portfolio import queries as portfolio_queries
        from tenants.queries import tenant_by_slug

        consultancy = tenant_by_slug("demo-consultancy")
        counts = portfolio_queries.status_counts(consultancy.id)
        for status in ("in_progress", "submitted", "returned", "finalised"):
            assert counts[status] >= 1, counts
        rows, _n = portfolio_queries.board_page(consultancy.id, portfolio_queries.Filters())
        assert sum(1 for row in rows if row.reviewer_name and row.due_on) == 3
        db.rollback()


def _shape(slug: str) -> dict[str, Any]:
    """What a member's rows look like, whichever path wrote them (not their values)."""
    from tenants.models import AuditEvent, Membership

    tenant = db.session.exec(select(Tenant).where(Tenant.slug == slug)).one()
    assessments = db.session.exec(select(Assessment).where(
        Assessment.tenant_id == tenant.id).order_by(Assessment.year)).all()
    link = db.session.exec(select(TenantLink).where(
        TenantLink.target_tenant_id == tenant.id,
        TenantLink.kind == "association_member")).one()
    revisions = db.session.exec(select(AssessmentRevision).where(
        AssessmentRevision.tenant_id == tenant.id)).all()
    figures = db.session.exec(select(ResultFigure).where(
        ResultFigure.tenant_id == tenant.id, ResultFigure.year == 2025)).all()
    actions = db.session.exec(select(AuditEvent.action).where(
        AuditEvent.tenant_id == tenant.id)).all()
    return {
        "assessments": [(a.year, a.state, a.version, a.revision, a.submitted_at is not None,
                         a.finalised_at is not None, a.framework_id, a.framework_version)
                        for a in assessments],
        "members": len(db.session.exec(select(Membership).where(
            Membership.tenant_id == tenant.id)).all()),
        "link": (link.kind, link.status, link.responded_by_id is not None),
        "revisions": sorted((r.year, r.revision, r.reviewed_by_name, r.superseded_at)
                            for r in revisions),
        "figures": sorted((f.code, f.kind, f.current) for f in figures),
        "actions": sorted(set(actions)),
    }


def _check_bulk_members_like_serviced_ones(slugs: list[str], serviced: str) -> None:
    """The bulk members' rows have the shape of a member built through the services, and
    their stored figures are what the engine makes of their stored answers."""
    from assessment.assessments import plausibility, queries
    from assessment.assessments.documents import (
        build_document,
        evaluate_document,
        framework_of,
        industry_cohorts,
    )
    from assessment.assessments.services import figure_rows
    from tenants.context import set_tenant

    assert BULK_FROM == DEFAULT_MEMBERS
    with system_scope(db.session, "test: demo shapes"):
        expected = _shape(serviced)
        shapes = {slug: _shape(slug) for slug in slugs}
        tenants = [db.session.exec(select(Tenant).where(Tenant.slug == s)).one()
                   for s in slugs]
    for slug, shape in shapes.items():
        two_years = shape["assessments"] if len(shape["assessments"]) == 2 else None
        if two_years:  # every eighth member has 2025 only
            assert shape == expected, slug
    checked = 0
    for tenant in tenants:
        set_tenant(db.session, tenant.id)
        profile = db.session.exec(select(EnterpriseProfile)).one()
        assert uscc_problem(profile.credit_code) is None
        for assessment in queries.assessments():
            revision = queries.revisions(assessment.id)[0]
            answers = queries.answers(assessment.id)
            states = queries.indicator_states(assessment.id)
            document = build_document(assessment, answers, states,
                                      profile.industry_division, profile.province)
            assert revision.document == document
            framework = framework_of(assessment)
            results = evaluate_document(framework, document, industry_cohorts(
                assessment, framework, document)).to_contract()
            assert revision.results == results
            stored = sorted((f.code, f.kind, f.status, f.value, f.score, f.level)
                            for f in queries.current_figures(assessment.id))
            assert stored == sorted(
                (r["code"], r["kind"], r["status"], r["value"], r["score"], r["level"])
                for r in figure_rows(assessment.id, 1, assessment.year, profile, results))
            assert revision.warning_confirmations == plausibility.snapshot(
                plausibility.checked_warnings(assessment), {})
            history = queries.answer_history(assessment.id)
            assert len(history) == len(answers) + len(states) > 40
            checked += 1
    set_tenant(db.session, None)
    assert checked >= 7
