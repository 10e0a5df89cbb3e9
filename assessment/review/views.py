"""Views of assessment.review (thin: forms in, services called, templates out).

The blueprint has no URL prefix of its own: an enterprise reviews under
``/t/<slug>/assessments/<assessment_id>/review``, a linked consultancy or association under
``/t/<its-slug>/clients/<enterprise_id>/assessments/<assessment_id>/review``; both rules
lead to the same views. The blueprint declares who may use them: an enterprise its own,
another organisation through a link granting ``review`` (``tenants.web.Access``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from assessment.assessments import carryover, plausibility
from assessment.assessments import queries as assessment_queries
from assessment.assessments import services as lifecycle
from assessment.assessments.models import Assessment
from assessment.assessments.web import assessment_or_404
from assessment.evidence.queries import files_by_indicator
from assessment.profiles import queries as profile_queries
from assessment.profiles import services as profile_services
from assessment.results.review_status import checks_by_indicator
from assessment.results.rows import dimension_rows, na_reasons
from assessment.results.services import assessment_results
from assessment.review import queries, services
from assessment.review.data_check import render_check
from assessment.review.forms import CommentForm, ReplyForm, StateForm, VerifyForm
from tenants import confirm
from tenants.errors import DomainError
from tenants.language import reader_language
from tenants.linked import current_membership, link_args, linked_enterprise
from tenants.models import LinkGrant, TenantKind
from tenants.web import (
    abort_for_access,
    access,
    current_role,
    current_tenant,
    form_error,
    local_path,
    tenant_blueprint,
)

bp = tenant_blueprint("review", __name__, kinds=[TenantKind.enterprise], grant=LinkGrant.review)

OWN = "/assessments/<uuid:assessment_id>"
LINKED = "/clients/<uuid:enterprise_id>/assessments/<uuid:assessment_id>"


def _reviewer() -> services.Reviewer:
    entered = linked_enterprise()
    acting = entered.acting_tenant if entered else current_tenant()
    return services.Reviewer(user=current_user._get_current_object(), tenant_id=acting.id,
                             role=current_role(), linked=entered is not None,
                             tenant_name=acting.name)


def _render(assessment: Assessment, status: int = 200, comment_form: CommentForm | None = None,
            problems: list[Any] | None = None) -> tuple[str, int]:
    lang = reader_language()
    evidence = files_by_indicator(assessment.id)
    found = assessment_results(assessment, compare=False)
    rows = dimension_rows(found, lang, {code: len(files) for code, files in evidence.items()},
                          na_reasons(assessment.id))
    # The plausibility warnings and the enterprise's reasons: as finalised, or as they stand.
    entries = (found.revision.warning_confirmations if found.revision is not None
               else plausibility.live_entries(assessment))
    return render_template(
        "assessment/review.html", assessment=assessment, found=found, rows=rows, lang=lang,
        data_quality=plausibility.quality_lines(entries, lang),
        comments=queries.comments_by_indicator(assessment.id), evidence=evidence,
        conversation=queries.conversation(assessment.id), reply_form=ReplyForm(),
        may_reply=_reviewer().may_reply and assessment.state in services.CONVERSATION_STATES,
        may_resolve=_reviewer().may_act and assessment.state in services.CONVERSATION_STATES,
        checks=checks_by_indicator(assessment.id),
        open_comments=assessment_queries.open_comments(assessment.id, assessment.revision),
        reviewer=_reviewer(), link_args=link_args(), linked=linked_enterprise(),
        comment_form=comment_form or CommentForm(), state_form=StateForm(),
        verify_form=VerifyForm(), problems=problems or [],
    ), status


def _refused(assessment: Assessment, error: DomainError,
             comment_form: CommentForm | None = None) -> tuple[str, int]:
    """Show the refusal on the page with an error status, so the request rolls back."""
    abort_for_access(error)
    form_error(comment_form, error)  # next to the comment box when it names it, else on top
    problems = getattr(error, "problems", None)
    return _render(assessment, error.status_code, comment_form, problems)


def _back(assessment: Assessment) -> Response:
    return redirect(url_for("review.page", assessment_id=assessment.id, **link_args()), 303)


@bp.route(f"{OWN}/review")
@bp.route(f"{LINKED}/review")
def page(assessment_id: uuid.UUID, enterprise_id: uuid.UUID | None = None) -> tuple[str, int]:
    return _render(assessment_or_404(assessment_id))


@bp.route(f"{OWN}/review/comments", methods=["POST"])
@bp.route(f"{LINKED}/review/comments", methods=["POST"])
def comment(assessment_id: uuid.UUID, enterprise_id: uuid.UUID | None = None
            ) -> Response | tuple[str, int]:
    assessment = assessment_or_404(assessment_id)
    form = CommentForm()
    if not form.validate_on_submit():
        return _render(assessment, 422, form)
    try:
        services.comment(_reviewer(), assessment, form.body.data or "",
                         form.indicator_code.data or None)
    except DomainError as error:
        return _refused(assessment, error, form)
    flash(_("Comment added."), "success")
    return _back(assessment)


@bp.route(f"{OWN}/review/comments/<uuid:comment_id>/replies", methods=["POST"])
@bp.route(f"{LINKED}/review/comments/<uuid:comment_id>/replies", methods=["POST"])
def reply(assessment_id: uuid.UUID, comment_id: uuid.UUID,
          enterprise_id: uuid.UUID | None = None) -> Response | tuple[str, int]:
    """The reviewer or the enterprise answers a comment."""
    assessment = assessment_or_404(assessment_id)
    form = ReplyForm()
    if not form.validate_on_submit():
        return _render(assessment, 422)
    try:
        services.reply(_reviewer(), assessment, comment_id, form.body.data or "")
    except DomainError as error:
        return _refused(assessment, error)
    flash(_("Reply added."), "success")
    return redirect(url_for("review.page", assessment_id=assessment.id, **link_args())
                    + f"#comment-{comment_id}", 303)


@bp.route(f"{OWN}/review/comments/<uuid:comment_id>/resolve", methods=["POST"])
@bp.route(f"{LINKED}/review/comments/<uuid:comment_id>/resolve", methods=["POST"])
def resolve(assessment_id: uuid.UUID, comment_id: uuid.UUID,
            enterprise_id: uuid.UUID | None = None) -> Response | tuple[str, int]:
    assessment = assessment_or_404(assessment_id)
    if not StateForm().validate_on_submit():
        abort(400)
    try:
        services.resolve_comment(_reviewer(), assessment, comment_id)
    except DomainError as error:
        return _refused(assessment, error)
    return _back(assessment)


@bp.route(f"{OWN}/review/indicators/<code>/verify", methods=["POST"])
@bp.route(f"{LINKED}/review/indicators/<code>/verify", methods=["POST"])
def verify(assessment_id: uuid.UUID, code: str, enterprise_id: uuid.UUID | None = None
           ) -> Response | tuple[str, int]:
    assessment = assessment_or_404(assessment_id)
    form = VerifyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.verify(_reviewer(), assessment, code, form.verified.data != "0")
    except DomainError as error:
        return _refused(assessment, error)
    return _back(assessment)


def _change_state(assessment: Assessment,
                  change: Callable[[services.Reviewer, Assessment, int | None], object]
                  ) -> tuple[str, int] | None:
    """Apply a reviewer's state change, posted with the version the reviewer saw; the review
    page with the refusal when the change is refused, None when it is done."""
    form = StateForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        change(_reviewer(), assessment, form.version())
    except DomainError as error:
        return _refused(assessment, error)
    return None


def _whose(assessment: Assessment) -> str:
    entered = linked_enterprise()
    return entered.enterprise.name if entered else current_tenant().name


def _review_page(assessment: Assessment) -> str:
    return url_for("review.page", assessment_id=assessment.id, **link_args())


def _first_finalisation_question() -> list[tuple[str, str, str]]:
    """The benchmark pool, asked when an enterprise finalises its own assessment for the
    first time and is not in the pool yet: what it gives and what it costs."""
    if linked_enterprise() is not None or assessment_queries.finalised_assessments():
        return []
    profile = profile_queries.profile()
    if profile is None or profile.benchmark_opt_in:
        return []
    return [(POOL_FIELD, _("Join the anonymous benchmark pool"),
             _("It gives: your results page and reports place you among every enterprise "
               "of your industry that shares its figures on ChainGauge. It costs: your "
               "finalised scores count, without your name, in their statistics (never "
               "shown for fewer than the anonymity minimum); you can leave it on your "
               "profile at any time."))]


POOL_FIELD = "benchmark_opt_in"


@bp.route(f"{OWN}/review/return", methods=["POST"])
@bp.route(f"{LINKED}/review/return", methods=["POST"])
def return_(assessment_id: uuid.UUID, enterprise_id: uuid.UUID | None = None
            ) -> Response | tuple[str, int]:
    assessment = assessment_or_404(assessment_id)
    # Without an open comment the service refuses: no question before a refusal.
    if StateForm().validate_on_submit() and not confirm.confirmed() and \
            assessment_queries.open_comments(assessment.id, assessment.revision):
        return confirm.ask(
            title=_("Return with comments"), button=_("Return with comments"),
            cancel=_review_page(assessment),
            sentence=_("The %(year)s assessment goes back to %(enterprise)s with your open "
                       "comments, so that it can change its answers and submit it again.",
                       year=assessment.year, enterprise=_whose(assessment)))
    refused = _change_state(assessment, services.return_for_changes)
    if refused:
        return refused
    flash(_("The assessment was returned with your comments."), "success")
    return _back(assessment)


@bp.route(f"{OWN}/review/finalise", methods=["POST"])
@bp.route(f"{LINKED}/review/finalise", methods=["POST"])
def finalise(assessment_id: uuid.UUID, enterprise_id: uuid.UUID | None = None
             ) -> Response | tuple[str, int]:
    assessment = assessment_or_404(assessment_id)
    question = _first_finalisation_question()
    if StateForm().validate_on_submit() and not confirm.confirmed():
        return confirm.ask(
            title=_("Finalise"), button=_("Finalise"), danger=True,
            cancel=_review_page(assessment), extra=question,
            sentence=_("The %(year)s assessment of %(enterprise)s is frozen with its answers "
                       "and results in a revision that cannot be changed; only reopening it "
                       "as a new revision allows further changes.",
                       year=assessment.year, enterprise=_whose(assessment)))
    refused = _change_state(assessment, services.finalise)
    if refused:
        return refused
    if question and request.form.get(POOL_FIELD) == "y":
        profile_services.join_benchmark_pool(current_membership(), current_user)
        flash(_("Your enterprise joined the anonymous benchmark pool."), "success")
    flash(_("The assessment is finalised. Its results are now fixed."), "success")
    return redirect(url_for("results.page", assessment_id=assessment.id, **link_args()), 303)


# -- the enterprise's own state changes ---------------------------------------------------
def _next_or_results(assessment: Assessment) -> Response:
    return redirect(local_path(request.form.get("next"), f"/t/{current_tenant().slug}/")
                    or url_for("results.page", assessment_id=assessment.id), 303)


def _back_to(assessment: Assessment) -> str:
    return local_path(request.form.get("next"), f"/t/{current_tenant().slug}/") or \
        url_for("results.page", assessment_id=assessment.id)


@bp.route(f"{OWN}/submit", methods=["POST"])
def submit(assessment_id: uuid.UUID) -> Response | tuple[str, int]:
    assessment = assessment_or_404(assessment_id)
    form = StateForm()
    if not form.validate_on_submit():
        abort(400)
    # The figures to correct or confirm come first: no question before a refusal.
    if plausibility.unconfirmed(assessment):
        return render_check(assessment, 422)
    carried = carryover.unconfirmed(assessment)
    acknowledged = request.form.get(lifecycle.CARRIED_ACKNOWLEDGED) == "y"
    if not confirm.confirmed() or (carried and not acknowledged):
        # Fields carried over from last year and not confirmed are listed, with links; the
        # submitter may still submit them as they are, by ticking an acknowledgement.
        return _ask_submit(assessment, carried, refused=confirm.confirmed())
    try:
        lifecycle.submit(assessment, current_membership(), form.version(),
                         carried_acknowledged=acknowledged)
    except plausibility.UnconfirmedWarnings:
        return render_check(assessment, 422)
    except lifecycle.UnconfirmedCarriedOver as refusal:
        return _ask_submit(assessment, refusal.pending, refused=True)
    except DomainError as error:
        return _refused(assessment, error)
    flash(_("The assessment was submitted for review."), "success")
    return _next_or_results(assessment)


def _ask_submit(assessment: Assessment, carried: list[carryover.CarriedField],
                refused: bool) -> tuple[str, int]:
    english = reader_language() == "en"
    page, status = confirm.ask(
        title=_("Submit for review"), button=_("Submit for review"),
        cancel=_back_to(assessment), template="assessment/submit_confirm.html",
        extra=[(lifecycle.CARRIED_ACKNOWLEDGED,
                _("I checked these fields: they are unchanged from last year, submit them "
                  "as they are."), "")] if carried else [],
        sentence=_("The %(year)s assessment goes to review: its answers can no longer be "
                   "changed unless the reviewer returns it.", year=assessment.year),
        carried_fields=[(item.label(english), url_for(
            "questionnaire.page", assessment_id=assessment.id, page=item.page,
            _anchor=item.indicator or None)) for item in carried if item.page],
        carried_refused=refused and bool(carried))
    return page, 422 if refused and carried else status


@bp.route(f"{OWN}/reopen", methods=["POST"])
def reopen(assessment_id: uuid.UUID) -> Response | tuple[str, int]:
    assessment = assessment_or_404(assessment_id)
    form = StateForm()
    if not form.validate_on_submit():
        abort(400)
    if not confirm.confirmed():
        return confirm.ask(
            title=_("Reopen as a new revision"), button=_("Reopen as a new revision"),
            cancel=_back_to(assessment),
            sentence=_("The %(year)s assessment opens again as a new revision: the finalised "
                       "revision and its results are kept on record, and the new one must be "
                       "submitted and finalised again.", year=assessment.year))
    try:
        lifecycle.reopen(assessment, current_membership(), form.version())
    except DomainError as error:
        return _refused(assessment, error)
    flash(_("The assessment was reopened as a new revision; the finalised one is kept."),
          "success")
    return _next_or_results(assessment)


# -- the linked reviewer's queue ----------------------------------------------------------
@bp.route("/clients/reviews")
@access(kinds=[TenantKind.association, TenantKind.consultancy])
def queue() -> str:
    tenant = current_tenant()
    return render_template("assessment/review_queue.html",
                           waiting=queries.review_queue(tenant.id),
                           enterprises=queries.linked_enterprises(tenant.id))


from assessment.review import warning_views  # noqa: E402, F401  (routes on this blueprint)
