"""Assessments: the list, starting one, the assessment page and its page assignments.

The questionnaire pages live in ``page_views``, the autosave endpoints in ``api``; importing
them here registers their routes on the one blueprint.
"""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from assessment.assessments import answering, carryover, queries, services
from assessment.assessments.documents import framework_of
from assessment.assessments.pages import pages_for
from assessment.assessments.web import assessment_or_404
from assessment.profiles import queries as profile_queries
from assessment.questionnaire import api, carried_views, page_views  # noqa: F401  (routes)
from assessment.questionnaire.blueprint import bp
from assessment.questionnaire.common import page_title, people
from assessment.questionnaire.forms import CreateAssessmentForm, build_assignment_form
from assessment.questionnaire.progress import progress_of
from tenants import queries as platform_queries
from tenants.errors import DomainError
from tenants.linked import current_membership
from tenants.models import Role
from tenants.web import current_role, current_tenant, form_error, requires_role

__all__ = ["bp"]

MANAGERS = (Role.owner, Role.admin)


def _render_index(form: CreateAssessmentForm, status: int = 200) -> tuple[str, int]:
    assessments = queries.assessments()
    has_profile = profile_queries.profile() is not None
    return render_template(
        "assessment/assessments.html", assessments=assessments, form=form,
        # the start page's offer: the assessment a year after the latest would copy from
        # (for the year entered, the service picks the latest finalised one before it)
        copy_source=carryover.source_for_year(max(a.year for a in assessments) + 1)
        if assessments else None,
        progress={a.id: progress_of(a, has_profile)[1].percent for a in assessments},
        can_create=current_role() in MANAGERS, has_profile=has_profile,
    ), status


@bp.route("/")
def index() -> tuple[str, int]:
    return _render_index(CreateAssessmentForm())


@bp.route("/", methods=["POST"])
@requires_role(*MANAGERS)
def create() -> Response | tuple[str, int]:
    form = CreateAssessmentForm()
    if not form.validate_on_submit():
        return _render_index(form, 422)
    try:
        assessment = services.create_assessment(current_membership(), int(form.year.data or 0),
                                                current_user)
    except DomainError as error:
        form_error(form, error)
        return _render_index(form, error.status_code if error.status_code != 400 else 422)
    flash(_("The assessment for %(year)d is started.", year=assessment.year), "success")
    if form.carry_over.data and carryover.source_for(assessment) is not None:
        try:
            record = carryover.copy_forward(assessment, current_membership(), current_user)
        except DomainError as error:  # the copy is all or nothing: the start stays
            flash(str(error.message), "error")
        else:
            flash(carried_views.copied_banner(record), "success")
    return redirect(url_for("questionnaire.assessment", assessment_id=assessment.id))


def _render_assessment(assessment_id: uuid.UUID, assignment_form: object = None,
                       status: int = 200) -> tuple[str, int]:
    assessment = assessment_or_404(assessment_id)
    framework = framework_of(assessment)
    pages = pages_for(framework)
    per_page, overall = progress_of(assessment)
    assignments = {a.page: a.user_id for a in queries.page_assignments(assessment.id)}
    names = people()
    if assignment_form is None and current_role() in MANAGERS:
        assignment_form = build_assignment_form(
            [(p.code, page_title(framework, p.code)) for p in pages],
            platform_queries.members_of(current_tenant().id),
            {code: str(user_id) for code, user_id in assignments.items()})
    return render_template(
        "assessment/assessment.html", assessment=assessment, framework=framework,
        pages=[(p, progress_of, page_title(framework, p.code))
               for p, progress_of in zip(pages, per_page, strict=True)],
        overall=overall, assignments=assignments, names=names,
        editable=answering.editable_pages(assessment, current_membership()),
        assignment_form=assignment_form,
        can_assign=current_role() in MANAGERS,
        copy_source=carryover.source_for(assessment)
        if current_role() in MANAGERS and carryover.can_copy(assessment) else None,
        carried=carryover.count_by_page(assessment),
    ), status


@bp.route("/<uuid:assessment_id>")
def assessment(assessment_id: uuid.UUID) -> tuple[str, int]:
    return _render_assessment(assessment_id)


@bp.route("/<uuid:assessment_id>/assignments", methods=["POST"])
@requires_role(*MANAGERS)
def assign(assessment_id: uuid.UUID) -> Response | tuple[str, int]:
    assessment = assessment_or_404(assessment_id)
    framework = framework_of(assessment)
    pages = pages_for(framework)
    form = build_assignment_form([(p.code, page_title(framework, p.code)) for p in pages],
                                 platform_queries.members_of(current_tenant().id), {})
    if not form.validate_on_submit():
        return _render_assessment(assessment_id, form, 400)
    membership = current_membership()
    for p in pages:
        chosen = (form[f"page__{p.code}"].data or "").strip()
        try:
            user_id = uuid.UUID(chosen) if chosen else None
        except ValueError:
            user_id = None
        try:
            answering.assign_page(assessment, membership, p.code, user_id)
        except DomainError as error:
            form[f"page__{p.code}"].errors = [str(error.message)]
            return _render_assessment(assessment_id, form, 422)
    flash(_("The page assignments are saved."), "success")
    return redirect(url_for("questionnaire.assessment", assessment_id=assessment.id))
