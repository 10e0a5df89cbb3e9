"""The assessment package's section of a tenant's overview page (tenants.web home panels).

An enterprise sees first what waits for it: an assessment returned with comments, link
requests to answer, and open comments; then its profile, current assessment and latest
result. A consultancy sees its client portfolio; an association its review queue.
"""

from __future__ import annotations

from typing import Any

from flask import render_template

from assessment.assessments import carryover, queries
from assessment.assessments.documents import framework_of
from assessment.assessments.models import State
from assessment.portfolio import queries as portfolio_queries
from assessment.profiles import queries as profile_queries
from assessment.questionnaire.progress import progress_of
from assessment.review import queries as review_queries
from tenants import queries as platform_queries
from tenants.language import reader_language
from tenants.models import LinkStatus, Tenant, TenantKind
from tenants.web import register_home_panel

OPEN_COMMENTS_SHOWN = 5


def overview_panel(tenant: Tenant, _membership: Any) -> str | None:
    if tenant.kind == TenantKind.enterprise:
        return _enterprise_panel(tenant)
    waiting = len(review_queries.review_queue(tenant.id))
    counts = portfolio_queries.status_counts(tenant.id) \
        if tenant.kind == TenantKind.consultancy else None
    return render_template("assessment/_home_reviewer.html", waiting=waiting,
                           portfolio_counts=counts)


def _enterprise_panel(tenant: Tenant) -> str:
    profile = profile_queries.profile()
    assessments = queries.assessments()
    current = next((a for a in assessments if a.state != State.finalised), None)
    current_percent = None
    to_confirm = 0  # figures copied from last year and not yet confirmed or changed
    if current is not None and current.state == State.draft:
        _pages, overall = progress_of(current, profile is not None)
        current_percent = overall.percent
        to_confirm = len(carryover.unconfirmed(current))
    open_comments = list(queries.open_comments(current.id, current.revision)) \
        if current is not None else []
    finalised = next((a for a in assessments if a.state == State.finalised), None)
    latest = queries.latest_revision(finalised.id) if finalised else None
    level_name = None
    if latest is not None and latest.results["overall"].get("level"):
        level_name = framework_of(finalised).level_name(  # type: ignore[arg-type]
            latest.results["overall"]["level"], reader_language())
    pending_links = [(link, source) for link, source in platform_queries.incoming_links(tenant.id)
                     if link.status == LinkStatus.pending]
    return render_template(
        "assessment/_home_enterprise.html", profile=profile, current=current,
        current_percent=current_percent, to_confirm=to_confirm, finalised=finalised, latest=latest,
        level_name=level_name, pending_links=pending_links,
        open_comments=open_comments[:OPEN_COMMENTS_SHOWN],
        open_comment_count=len(open_comments))


def register() -> None:
    register_home_panel(overview_panel)
