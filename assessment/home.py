"""The assessment package's section of a tenant's overview page (tenants.web home panels)."""

from __future__ import annotations

from typing import Any

from flask import render_template

from assessment.assessments import queries
from assessment.assessments.documents import framework_of
from assessment.assessments.models import State
from assessment.profiles import queries as profile_queries
from assessment.questionnaire.progress import progress_of
from assessment.review import queries as review_queries
from tenants.language import reader_language
from tenants.models import Tenant, TenantKind
from tenants.web import register_home_panel


def overview_panel(tenant: Tenant, _membership: Any) -> str | None:
    if tenant.kind == TenantKind.enterprise:
        return _enterprise_panel()
    return render_template("assessment/_home_reviewer.html",
                           waiting=len(review_queries.review_queue(tenant.id)))


def _enterprise_panel() -> str:
    profile = profile_queries.profile()
    assessments = queries.assessments()
    current = next((a for a in assessments if a.state != State.finalised), None)
    current_percent = None
    if current is not None:
        _pages, overall = progress_of(current, profile is not None)
        current_percent = overall.percent
    finalised = next((a for a in assessments if a.state == State.finalised), None)
    latest = queries.latest_revision(finalised.id) if finalised else None
    level_name = None
    if latest is not None and latest.results["overall"].get("level"):
        level_name = framework_of(finalised).level_name(  # type: ignore[arg-type]
            latest.results["overall"]["level"], reader_language())
    return render_template("assessment/_home_enterprise.html", profile=profile,
                           current=current, current_percent=current_percent,
                           finalised=finalised, latest=latest, level_name=level_name)


def register() -> None:
    register_home_panel(overview_panel)
