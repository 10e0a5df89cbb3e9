"""The plan's panel on the results page (registered in :func:`assessment.plans.init_app`
through :mod:`assessment.results.panels`): this assessment's plan and its progress, or the
button that builds one; and the measured effect of the previous year's plan."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_login import current_user
from markupsafe import Markup

from assessment.assessments import queries as assessment_queries
from assessment.assessments.models import State
from assessment.plans import queries, services
from assessment.plans.effect import measured_effect
from assessment.plans.forms import CreateForm
from assessment.plans.presenter import indicator_name, plan_title, status_label, today
from assessment.results.services import AssessmentResults, current_revision
from tenants.linked import current_membership, link_args
from tenants.models import Role, Tenant, TenantKind


def results_panel(found: AssessmentResults, lang: str) -> Markup | None:
    assessment = found.assessment
    plan = queries.plan_of(assessment.id)
    counts = overdue = None
    if plan is not None:
        counts, overdue = queries.progress(list(queries.actions(plan.id)), today())
    can_edit = (current_user.is_authenticated
                and Role(current_membership().role) in services.EDITORS)
    effect = then_year = None
    previous = queries.previous_plan(assessment)
    if previous is not None:
        old_plan, old_assessment = previous
        revision = current_revision(old_assessment)
        if revision is not None:
            effect = {"year": assessment.year, "provisional": found.provisional,
                      "rows": measured_effect(list(queries.actions(old_plan.id)),
                                              revision.results, found.results)}
            then_year = old_assessment.year
    offer = plan is None and assessment.state == State.finalised and can_edit
    if plan is None and not offer and not (effect and effect["rows"]):
        return None
    # A rendered (autoescaping) template: safe to insert as it is.
    return Markup(render_template(  # noqa: S704
        "plans/_results_panel.html", assessment=assessment, plan=plan, counts=counts,
        overdue=overdue, offer=offer, create_form=CreateForm(), effect=effect,
        then_year=then_year, previous=previous, status_label=status_label,
        plan_title=plan_title,
        indicator_name=lambda c: indicator_name(found.framework, c, lang),
        link_args=link_args()))


def enterprise_home_panel(tenant: Tenant, membership: Any) -> str | None:
    """The enterprise's overview card of its latest finalised year's plan: actions done of
    all, overdue ones, and the way in; or, with no plan yet, the way to build one."""
    if tenant.kind != TenantKind.enterprise:
        return None
    finalised = assessment_queries.finalised_assessments()
    if not finalised:
        return None
    latest = max(finalised, key=lambda a: a.year)
    plan = queries.plan_of(latest.id)
    counts = overdue = None
    if plan is not None:
        counts, overdue = queries.progress(list(queries.actions(plan.id)), today())
    elif Role(membership.role) not in services.EDITORS:
        return None
    return render_template("plans/_home_enterprise.html", assessment=latest, plan=plan,
                           counts=counts, overdue=overdue,
                           total=sum(counts.values()) - counts["dropped"] if counts else 0)


def association_home_panel(tenant: Tenant, _membership: Any) -> str | None:
    """The association's overview card that leads to its members' plan progress."""
    if tenant.kind != TenantKind.association:
        return None
    return render_template("plans/_home_association.html")
