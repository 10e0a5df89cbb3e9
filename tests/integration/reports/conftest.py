"""Factories for report tests: enterprises with a finalised assessment built through the real
lifecycle (profile, answers, submit, finalise), cohorts of peers, and PDF inspection with
poppler (pdftotext, pdffonts, pdfinfo)."""

from __future__ import annotations

import itertools
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests import factories

_serial = itertools.count(1)


def credit_code(n: int) -> str:
    from assessment.profiles.rules import uscc_check_character

    first17 = f"9132050{n:010d}"
    return first17 + uscc_check_character(first17)


def finalised_report_assessment(app: Flask, tenant: Any, *, year: int = 2025,
                                legal_name: str | None = None, division: str = "C36",
                                opt_in: bool = True, seed: str | None = None,
                                comment: str | None = None,
                                general_comment: str | None = None,
                                reviewed_by: Any = None,
                               overrides: dict[str, Any] | None = None,
                               warning_reason: str | None = None) -> Any:
    """A finalised assessment of ``tenant`` with a full demo answer set (totals first),
    optionally with a reviewer's comment on an indicator and one on the whole assessment;
    returns the (detached) assessment. Finalised by its owner (a self-assessment), or with
    ``reviewed_by`` (a consultancy or association linked with the review grant) by that
    tenant's owner acting through the link. ``overrides`` replace demo answers (an implausible
    figure, say); ``warning_reason`` confirms every plausibility warning with that reason
    before submitting."""
    from assessment.assessments import answering
    from assessment.assessments import services as lifecycle
    from assessment.demo_figures import demo_answers
    from assessment.profiles import queries as profile_queries
    from assessment.profiles.services import ProfileData, save_profile
    from tenants import queries as platform_queries
    from tenants.context import set_tenant
    from tenants.extensions import db

    with app.test_request_context():
        set_tenant(db.session, tenant.id)
        owner = platform_queries.owners_of(tenant.id)[0]
        membership = platform_queries.membership(tenant.id, owner.id)
        assert membership is not None
        profile = profile_queries.profile()
        if profile is None:
            save_profile(membership, owner, ProfileData(
                legal_name=legal_name or f"{tenant.name} 有限公司", credit_code=credit_code(
                    next(_serial)), industry_division=division, employees=600,
                revenue_wan="20000", province="32", benchmark_opt_in=opt_in))
            profile = profile_queries.profile()
        assert profile is not None
        answers = demo_answers(seed or tenant.slug, profile.industry_division,
                               profile.size_class, profile.employees,
                               float(profile.revenue_wan), profile.export_oriented, year - 2024)
        assessment = lifecycle.create_assessment(membership, year, owner)
        values = {**answers.values, **(overrides or {})}
        answering.save_answers(assessment, membership, owner,
                               {k: (v, "answered") for k, v in values.items()})
        if warning_reason is not None:
            from assessment.assessments import plausibility

            for warning in plausibility.unconfirmed(assessment):
                plausibility.confirm_warning(assessment, membership, owner, warning.code,
                                             warning.key, warning.fingerprint, warning_reason)
        lifecycle.submit(assessment, membership)
        if comment:
            lifecycle.add_comment(assessment, owner, tenant.id, comment,
                                  "lean.on_time_delivery_rate")
        if general_comment:
            lifecycle.add_comment(assessment, owner, tenant.id, general_comment)
        if reviewed_by is None:
            lifecycle.finalise(assessment, owner)
        else:
            from assessment.review import services as review
            from tenants.context import system_scope
            from tenants.models import Role

            with system_scope(db.session, "test: the reviewing organisation's owner"):
                reviewing_owner = platform_queries.owners_of(reviewed_by.id)[0]
            reviewer = review.Reviewer(
                user=reviewing_owner, tenant_id=reviewed_by.id,
                role=Role.owner, linked=True, tenant_name=reviewed_by.name)
            review.finalise(reviewer, assessment, None)
        db.commit()
        db.session.expunge(assessment)
    return assessment


def pdf_text(tmp_path: Path, pdf: bytes, tool: str = "pdftotext") -> str:
    path = tmp_path / f"report-{next(_serial)}.pdf"
    path.write_bytes(pdf)
    args = [tool, str(path), "-"] if tool == "pdftotext" else [tool, str(path)]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def page_count(tmp_path: Path, pdf: bytes) -> int:
    info = pdf_text(tmp_path, pdf, "pdfinfo")
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


@pytest.fixture
def report_enterprise(app: Flask) -> Any:
    """An enterprise (with an owner) and a finalised assessment: (tenant, assessment)."""

    def make(**kwargs: Any) -> tuple[Any, Any]:
        tenant = factories.make_tenant(app, name=kwargs.pop("name", None))
        return tenant, finalised_report_assessment(app, tenant, **kwargs)

    return make
