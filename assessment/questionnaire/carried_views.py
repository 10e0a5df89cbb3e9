"""Last year's answers carried over (沿用上年): copying them into an empty assessment, and
confirming carried-over fields unchanged, one or a whole page at a time.

The confirm buttons sit inside the questionnaire page's form (``formaction``): they post
the page's CSRF token and the key, and work without JavaScript. The rules are the
services' (:mod:`assessment.assessments.carryover`).
"""

from __future__ import annotations

import uuid

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from assessment.assessments import carryover
from assessment.assessments.web import assessment_or_404
from assessment.questionnaire.blueprint import bp
from assessment.questionnaire.common import page_or_404
from tenants.errors import DomainError
from tenants.linked import current_membership
from tenants.models import Role
from tenants.web import requires_role


def copied_banner(record: object) -> str:
    answers = getattr(record, "answers", 0)
    not_applicable = getattr(record, "not_applicable", 0)
    return _("Last year's answers were copied: %(answers)d answers and %(na)d \"not "
             "applicable\" declarations, each marked \"carried over\" until you confirm it "
             "or change it.", answers=answers, na=not_applicable)


@bp.route("/<uuid:assessment_id>/carry-over", methods=["POST"])
@requires_role(Role.owner, Role.admin)
def carry_over(assessment_id: uuid.UUID) -> Response:
    assessment = assessment_or_404(assessment_id)
    if not FlaskForm().validate_on_submit():
        flash(_("The form expired. Please try again."), "error")
        return redirect(url_for("questionnaire.assessment", assessment_id=assessment.id))
    try:
        record = carryover.copy_forward(assessment, current_membership(), current_user)
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(copied_banner(record), "success")
    return redirect(url_for("questionnaire.assessment", assessment_id=assessment.id), 303)


@bp.route("/<uuid:assessment_id>/pages/<page>/carried", methods=["POST"])
def confirm_carried(assessment_id: uuid.UUID, page: str) -> Response:
    """Confirm one field (``carried_key``) or every field of the page (``carried_all``)."""
    assessment = assessment_or_404(assessment_id)
    _framework, shown = page_or_404(assessment, page)
    back = url_for("questionnaire.page", assessment_id=assessment.id, page=shown.code)
    if not FlaskForm().validate_on_submit():
        flash(_("The form expired. Please try again."), "error")
        return redirect(back, 303)
    membership = current_membership()
    key = (request.form.get("carried_key") or "").strip()
    try:
        if request.form.get("carried_all"):
            cleared = carryover.confirm_page(assessment, membership, current_user, shown.code)
        elif key:
            cleared = carryover.confirm(assessment, membership, current_user, [key])
        else:
            cleared = 0
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(back, 303)
    if cleared:
        flash(_("Confirmed unchanged from last year: %(n)d field(s).", n=cleared), "success")
    return redirect(back, 303)
