"""Views of assessment.plans (thin: forms in, services called, templates out).

An enterprise's plan lives under ``/t/<slug>/assessments/<assessment_id>/plan``; a linked
consultancy (grant ``review``) works on it under ``/t/<its-slug>/clients/<enterprise_id>/
assessments/<assessment_id>/plan``. Owners, administrators and assessors edit; viewers read
and comment. An association sees progress counts of its members only
(``/t/<slug>/plans/members``, see :mod:`.members`).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from assessment.assessments.documents import framework_of
from assessment.assessments.models import Assessment
from assessment.assessments.web import assessment_or_404
from assessment.plans import queries, services
from assessment.plans.effect import measured_effect
from assessment.plans.forms import ActionForm, AdoptForm, CommentForm, CreateForm, StatusForm
from assessment.plans.members import member_progress
from assessment.plans.models import ActionStatus, ImprovementPlan, PlanAction
from assessment.plans.presenter import (
    action_views,
    band_label,
    field_label,
    indicator_name,
    matrix_for,
    member_names,
    plan_title,
    status_label,
    today,
)
from assessment.plans.proposals import proposals_for
from assessment.plans.services import Actor
from assessment.results.services import assessment_results, current_revision
from tenants.db import db
from tenants.errors import Conflict, DomainError
from tenants.language import reader_language
from tenants.linked import current_membership, link_args, linked_enterprise
from tenants.models import LinkGrant, TenantKind
from tenants.web import abort_for_access, current_tenant, form_error, tenant_blueprint

bp = tenant_blueprint("plans", __name__, kinds=[TenantKind.enterprise], grant=LinkGrant.review,
                      template_folder="templates")

OWN = "/assessments/<uuid:assessment_id>/plan"
LINKED = "/clients/<uuid:enterprise_id>/assessments/<uuid:assessment_id>/plan"


def _actor() -> Actor:
    return Actor.of(current_user._get_current_object(), current_membership())


def _plan_or_404(assessment: Assessment) -> ImprovementPlan:
    plan = queries.plan_of(assessment.id)
    if plan is None:
        abort(404)
    return plan


def _action_or_404(plan: ImprovementPlan, action_id: uuid.UUID) -> PlanAction:
    item = queries.action(plan.id, action_id)
    if item is None:
        abort(404)
    return item


def _to(endpoint: str, **values: Any) -> Response:
    return redirect(url_for(endpoint, **values, **link_args()), 303)


def _enterprise_id(assessment: Assessment) -> uuid.UUID:
    return assessment.tenant_id


def _fill_choices(form: ActionForm, assessment: Assessment, lang: str) -> None:
    framework = framework_of(assessment)
    form.indicator_codes.choices = [
        (code, indicator_name(framework, code, lang)) for code in framework.indicators]
    form.owner_id.choices = [("", _("Nobody yet"))] + [
        (str(uid), name) for uid, name in member_names(_enterprise_id(assessment)).items()]
    form.evidence_id.choices = [("", _("None"))] + [
        (str(f.id), f.original_name) for f in queries.evidence_files()]


def _values(form: ActionForm) -> dict[str, Any]:
    def uid(raw: str | None) -> uuid.UUID | None:
        try:
            return uuid.UUID(raw) if raw else None
        except ValueError:
            return None

    target = form.target_value.data
    return {
        "title": (form.title.data or "").strip(),
        "indicator_codes": list(form.indicator_codes.data or []),
        "target_value": float(target) if isinstance(target, Decimal) else None,
        "target_level": form.target_level.data,
        "owner_id": uid(form.owner_id.data),
        "due_date": form.due_date.data,
        "effort": form.effort.data or "medium",
        "cost": form.cost.data or "medium",
        "notes": form.notes.data or "",
        "evidence_id": uid(form.evidence_id.data),
    }


def _effect(assessment: Assessment, plan_actions: list[PlanAction]) -> dict[str, Any] | None:
    """This plan's actions measured in the enterprise's next assessment, if there is one."""
    later = queries.later_assessment(assessment)
    revision = current_revision(assessment)
    if later is None or revision is None:
        return None
    found = assessment_results(later, compare=False)
    return {"year": later.year, "provisional": found.provisional,
            "rows": measured_effect(plan_actions, revision.results, found.results)}


def _render_plan(assessment: Assessment, plan: ImprovementPlan | None,
                 action_form: ActionForm | None = None, status: int = 200
                 ) -> tuple[str, int]:
    lang = reader_language()
    framework = framework_of(assessment)
    actor = _actor()
    can_edit = actor.role in services.EDITORS
    context: dict[str, Any] = {"assessment": assessment, "plan": plan, "lang": lang,
                               "can_edit": can_edit, "link_args": link_args(),
                               "linked": linked_enterprise(), "create_form": CreateForm(),
                               "status_label": status_label, "band_label": band_label,
                               "framework": framework, "plan_title": plan_title,
                               "indicator_name": lambda c: indicator_name(framework, c, lang)}
    if plan is not None:
        items = list(queries.actions(plan.id))
        views = action_views(items, framework, lang, member_names(assessment.tenant_id))
        counts, overdue = queries.progress(items, today())
        adopted = {a.source_ref for a in items if a.source_ref}
        proposals = ([p for p in proposals_for(assessment) if p.key not in adopted]
                     if can_edit else [])
        form = action_form or ActionForm()
        _fill_choices(form, assessment, lang)
        context.update(views=views, counts=counts, overdue=overdue, matrix=matrix_for(views),
                       proposals=proposals, adopt_form=AdoptForm(), action_form=form,
                       effect=_effect(assessment, items))
    return render_template("plans/plan.html", **context), status


@bp.route(OWN)
@bp.route(LINKED)
def page(assessment_id: uuid.UUID, enterprise_id: uuid.UUID | None = None) -> tuple[str, int]:
    assessment = assessment_or_404(assessment_id)
    return _render_plan(assessment, queries.plan_of(assessment.id))


@bp.route(f"{OWN}/create", methods=["POST"])
@bp.route(f"{LINKED}/create", methods=["POST"])
def create(assessment_id: uuid.UUID, enterprise_id: uuid.UUID | None = None) -> Response:
    assessment = assessment_or_404(assessment_id)
    if not CreateForm().validate_on_submit():
        abort(400)
    try:
        services.create_plan(assessment, _actor())
    except DomainError as error:
        abort_for_access(error)
        flash(str(error.message), "error")
        return _to("results.page", assessment_id=assessment.id)
    db.commit()
    return _to("plans.page", assessment_id=assessment.id)


@bp.route(f"{OWN}/adopt", methods=["POST"])
@bp.route(f"{LINKED}/adopt", methods=["POST"])
def adopt(assessment_id: uuid.UUID, enterprise_id: uuid.UUID | None = None) -> Response:
    assessment = assessment_or_404(assessment_id)
    plan = _plan_or_404(assessment)
    form = AdoptForm()
    if not form.validate_on_submit():
        abort(400)
    wanted = set(form.keys.data or [])
    chosen = [p for p in proposals_for(assessment) if p.key in wanted]
    try:
        added = services.adopt(plan, chosen, _actor(), reader_language())
    except DomainError as error:
        abort_for_access(error)
        raise
    db.commit()
    flash(_("%(num)d actions added to the plan.", num=len(added)) if added
          else _("Tick the proposals to add."), "success" if added else "error")
    return _to("plans.page", assessment_id=assessment.id)


@bp.route(f"{OWN}/actions", methods=["POST"])
@bp.route(f"{LINKED}/actions", methods=["POST"])
def add_action(assessment_id: uuid.UUID, enterprise_id: uuid.UUID | None = None
               ) -> Response | tuple[str, int]:
    assessment = assessment_or_404(assessment_id)
    plan = _plan_or_404(assessment)
    form = ActionForm()
    _fill_choices(form, assessment, reader_language())
    if not form.validate_on_submit():
        return _render_plan(assessment, plan, form, 422)
    try:
        services.add_action(plan, _actor(), **_values(form))
    except DomainError as error:
        abort_for_access(error)
        form_error(form, error)
        return _render_plan(assessment, plan, form, error.status_code)
    db.commit()
    flash(_("The action was added."), "success")
    return _to("plans.page", assessment_id=assessment.id)


def _render_action(assessment: Assessment, plan: ImprovementPlan, item: PlanAction,
                   form: ActionForm | None = None, status: int = 200,
                   comment_form: CommentForm | None = None) -> tuple[str, int]:
    lang = reader_language()
    framework = framework_of(assessment)
    names = member_names(assessment.tenant_id)
    if form is None:
        form = ActionForm(obj=item, formdata=None)
        form.owner_id.data = str(item.owner_id) if item.owner_id else ""
        form.evidence_id.data = str(item.evidence_id) if item.evidence_id else ""
        form.version.data = str(item.version)
    _fill_choices(form, assessment, lang)
    view = next(v for v in action_views([item], framework, lang, names))
    comments = list(queries.comments(item.id))
    evidence = queries.evidence_file(item.evidence_id) if item.evidence_id else None
    return render_template(
        "plans/action.html", assessment=assessment, plan=plan, item=item, view=view,
        form=form, can_edit=_actor().role in services.EDITORS, lang=lang,
        transitions=services.TRANSITIONS[item.status],  # type: ignore[index]
        status_form=StatusForm(), comment_form=comment_form or CommentForm(),
        comments=[c for c in comments if c.parent_id is None],
        replies={c.parent_id: [r for r in comments if r.parent_id == c.parent_id]
                 for c in comments if c.parent_id is not None},
        history=queries.history(item.id), names=names,
        organisations=queries.organisation_names({c.author_tenant_id for c in comments}
                                                 | {h.changed_by_tenant_id for h in
                                                    queries.history(item.id)}),
        status_label=status_label, band_label=band_label, evidence=evidence,
        plan_title=plan_title,
        field_label=field_label,
        indicator_name=lambda c: indicator_name(framework, c, lang),
        link_args=link_args(), linked=linked_enterprise()), status


@bp.route(f"{OWN}/actions/<uuid:action_id>")
@bp.route(f"{LINKED}/actions/<uuid:action_id>")
def action(assessment_id: uuid.UUID, action_id: uuid.UUID,
           enterprise_id: uuid.UUID | None = None) -> tuple[str, int]:
    assessment = assessment_or_404(assessment_id)
    plan = _plan_or_404(assessment)
    return _render_action(assessment, plan, _action_or_404(plan, action_id))


@bp.route(f"{OWN}/actions/<uuid:action_id>", methods=["POST"])
@bp.route(f"{LINKED}/actions/<uuid:action_id>", methods=["POST"])
def edit(assessment_id: uuid.UUID, action_id: uuid.UUID,
         enterprise_id: uuid.UUID | None = None) -> Response | tuple[str, int]:
    assessment = assessment_or_404(assessment_id)
    plan = _plan_or_404(assessment)
    item = _action_or_404(plan, action_id)
    form = ActionForm()
    _fill_choices(form, assessment, reader_language())
    if not form.validate_on_submit():
        return _render_action(assessment, plan, item, form, 422)
    try:
        seen = int(form.version.data or 0)
    except ValueError:
        seen = 0
    try:
        services.update_action(item, seen, _actor(), **_values(form))
    except Conflict as error:
        # Nothing lost: the form keeps what the user typed; the page shows the action as it
        # now stands, and the new version, so that saving again is a deliberate choice.
        db.rollback()
        item = _action_or_404(plan, action_id)
        form.version.data = str(item.version)
        flash(str(error.message), "error")
        return _render_action(assessment, plan, item, form, 409)
    except DomainError as error:
        abort_for_access(error)
        form_error(form, error)
        return _render_action(assessment, plan, item, form, error.status_code)
    db.commit()
    flash(_("The action was saved."), "success")
    return _to("plans.action", assessment_id=assessment.id, action_id=item.id)


@bp.route(f"{OWN}/actions/<uuid:action_id>/status", methods=["POST"])
@bp.route(f"{LINKED}/actions/<uuid:action_id>/status", methods=["POST"])
def change_status(assessment_id: uuid.UUID, action_id: uuid.UUID,
                  enterprise_id: uuid.UUID | None = None) -> Response | tuple[str, int]:
    assessment = assessment_or_404(assessment_id)
    plan = _plan_or_404(assessment)
    item = _action_or_404(plan, action_id)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.change_status(item, form.seen.data or "", form.status.data or "", _actor())
    except DomainError as error:
        abort_for_access(error)
        db.rollback()
        flash(str(error.message), "error")
        item = _action_or_404(plan, action_id)
        return _render_action(assessment, plan, item, status=error.status_code)
    db.commit()
    flash(_("The status is now “%(status)s”.", status=status_label(item.status)), "success")
    return _to("plans.action", assessment_id=assessment.id, action_id=item.id)


@bp.route(f"{OWN}/actions/<uuid:action_id>/comments", methods=["POST"])
@bp.route(f"{LINKED}/actions/<uuid:action_id>/comments", methods=["POST"])
def comment(assessment_id: uuid.UUID, action_id: uuid.UUID,
            enterprise_id: uuid.UUID | None = None) -> Response | tuple[str, int]:
    assessment = assessment_or_404(assessment_id)
    plan = _plan_or_404(assessment)
    item = _action_or_404(plan, action_id)
    form = CommentForm()
    if not form.validate_on_submit():
        return _render_action(assessment, plan, item, status=422, comment_form=form)
    try:
        parent = uuid.UUID(form.parent_id.data) if form.parent_id.data else None
    except ValueError:
        abort(404)
    try:
        services.add_comment(item, _actor(), form.body.data or "", parent)
    except DomainError as error:
        abort_for_access(error)
        form_error(form, error)
        return _render_action(assessment, plan, item, status=error.status_code,
                              comment_form=form)
    db.commit()
    flash(_("Your comment was added."), "success")
    return _to("plans.action", assessment_id=assessment.id, action_id=item.id)




members_bp = tenant_blueprint("plans_members", __name__, "/plans",
                              kinds=[TenantKind.association], template_folder="templates")


@members_bp.route("/members")
def members() -> str:
    """Counts per member (actions per status, overdue): an association sees no more."""
    rows = member_progress(current_tenant().id, today())
    return render_template("plans/members.html", rows=rows, status_label=status_label,
                           statuses=[s.value for s in ActionStatus])
