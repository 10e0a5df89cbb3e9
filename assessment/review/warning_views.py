"""Checking the figures before submitting: each plausibility warning is corrected (by
changing the field) or confirmed with a short reason (thin views over
:mod:`assessment.assessments.plausibility`). Routes on the review blueprint, under the
enterprise's own assessment: ``/t/<slug>/assessments/<id>/submit`` (the check page; posting
to it submits) and ``.../warnings/confirm``.
"""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from assessment.assessments import plausibility
from assessment.assessments.web import assessment_or_404
from assessment.review.data_check import render_check
from assessment.review.forms import WarningConfirmForm
from assessment.review.views import bp
from tenants.errors import DomainError
from tenants.linked import current_membership
from tenants.web import abort_for_access

OWN = "/assessments/<uuid:assessment_id>"


@bp.route(f"{OWN}/submit")
def check(assessment_id: uuid.UUID) -> tuple[str, int]:
    """The figures to check before submitting, and the submit button."""
    return render_check(assessment_or_404(assessment_id))


@bp.route(f"{OWN}/warnings/confirm", methods=["POST"])
def confirm(assessment_id: uuid.UUID) -> Response | tuple[str, int]:
    assessment = assessment_or_404(assessment_id)
    form = WarningConfirmForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return render_check(assessment, 422, form,
                            (form.code.data or "", form.key.data or ""))
    try:
        plausibility.confirm_warning(assessment, current_membership(), current_user,
                                     form.code.data or "", form.key.data or "",
                                     form.fingerprint.data or "", form.reason.data or "")
    except DomainError as error:
        abort_for_access(error)
        form.reason.errors = [str(error.message)]
        return render_check(assessment, error.status_code if error.status_code != 400
                            else 422, form, (form.code.data or "", form.key.data or ""))
    flash(_("The figure is confirmed; your reason is shown to the reviewer and in the "
            "report."), "success")
    return redirect(url_for("review.check", assessment_id=assessment.id), 303)
