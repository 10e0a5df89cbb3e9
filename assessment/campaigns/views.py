"""Campaign pages (thin): list, create, status board, participants, upload, reminders,
export; and the public invitation page where a participant joins or declines.

Routes (under /t/<slug>/campaigns), for associations, consultancies and enterprises acting
as lead manufacturers; writes by owners and administrators:
- GET  /                              the tenant's campaigns
- GET  POST /new                      create one
- GET  /<campaign_id>                 the status board (filters, counts, pages)
- GET  /<campaign_id>/export.<fmt>    the board as XLSX or CSV
- POST /<campaign_id>/participants    add one participant
- GET  POST /<campaign_id>/upload     upload a list (checked and applied by a job)
- GET  /<campaign_id>/uploads/<upload_id>   the upload's outcome (the page polls)
- POST /<campaign_id>/remind          send a reminder now to the selected participants
And /campaigns/join/<token> (no tenant): the invitation link.
"""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from openpyxl import Workbook
from werkzeug.wrappers import Response

from assessment.campaigns import queries, reminders, services
from assessment.campaigns.forms import (
    CampaignForm,
    JoinForm,
    ParticipantForm,
    UploadForm,
    parse_days,
)
from assessment.campaigns.labels import BOARD_ORDER, STATUS_LABELS, status_label
from assessment.campaigns.models import Campaign, UploadState
from assessment.campaigns.roster import COLUMN_LABELS, MAX_BYTES
from assessment.profiles.rules import province as find_province
from assessment.profiles.rules import provinces, size_class_by_code
from indicators.catalogue.industries import find_division, list_divisions
from tenants import queries as platform_queries
from tenants.errors import DomainError
from tenants.forms import ActionForm
from tenants.language import reader_language
from tenants.models import Role, TenantKind
from tenants.services import accounts
from tenants.types import utcnow
from tenants.web import (
    abort_for_access,
    attachment,
    current_tenant,
    flash_error,
    form_error,
    requires_role,
    tenant_blueprint,
    upload_limit,
)

bp = tenant_blueprint("campaigns", __name__, "/campaigns",
                      kinds=[TenantKind.association, TenantKind.consultancy,
                             TenantKind.enterprise],
                      template_folder="templates")
join_bp = Blueprint("campaign_join", __name__, template_folder="templates")

MANAGERS = (Role.owner, Role.admin)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.context_processor
def _words() -> dict[str, Any]:
    lang = reader_language()

    def province_name(code: str) -> str:
        found = find_province(code) if code else None
        return found.name(lang) if found else "—"

    def industry_name(code: str) -> str:
        found = find_division(code) if code else None
        return (found.name_en if lang == "en" else found.name_zh) if found else "—"

    def size_name(code: str) -> str:
        found = size_class_by_code(code) if code else None
        return (found.name_en if lang == "en" else found.name_zh) if found else "—"

    return {"status_label": status_label, "province_name": province_name,
            "industry_name": industry_name, "size_name": size_name,
            "column_label": lambda key: str(COLUMN_LABELS.get(key, ""))}


def _today() -> Any:
    return reminders.local_day(utcnow())


def _campaign_or_404(campaign_id: uuid.UUID) -> Campaign:
    found = queries.campaign(campaign_id)
    if found is None:
        abort(404)
    return found


@bp.route("/")
def index() -> str:
    return render_template("campaigns/index.html", campaigns=queries.campaigns(),
                           today=_today())


@bp.route("/new", methods=["GET", "POST"])
@requires_role(*MANAGERS)
def new() -> Response | str | tuple[str, int]:
    form = CampaignForm()
    if form.validate_on_submit():
        try:
            found = services.create_campaign(current_tenant(), current_user, services.CampaignData(
                name=form.name.data or "", year=int(form.year.data or 0),
                framework=form.framework.data or "", grants=list(form.grants.data or []),
                deadline=form.deadline.data,
                remind_days_before=parse_days(form.remind_days_before.data or ""),
                escalate_days_after=parse_days(form.escalate_days_after.data or ""),
                invitation_zh=form.invitation_zh.data or "",
                invitation_en=form.invitation_en.data or ""))
            flash(_("Campaign created. Add participants one by one or upload a list."),
                  "success")
            return redirect(url_for("campaigns.board", campaign_id=found.id))
        except DomainError as error:
            form_error(form, error)
    status = 422 if request.method == "POST" else 200
    return render_template("campaigns/new.html", form=form), status


def _filters() -> queries.Filters:
    status = request.args.get("status", "")
    page = request.args.get("page", "1")
    return queries.Filters(
        status=status if status in STATUS_LABELS else "",
        search=request.args.get("q", "")[:100],
        province=request.args.get("province", "")[:2],
        industry=request.args.get("industry", "")[:3],
        page=int(page) if page.isdigit() and len(page) < 7 else 1)


def _render_board(found: Campaign, participant_form: ParticipantForm | None = None) -> str:
    filters = _filters()
    lang = reader_language()
    return render_template(
        "campaigns/board.html", campaign=found, filters=filters,
        board=queries.board(found, filters, _today()), order=BOARD_ORDER,
        participant_form=participant_form or ParticipantForm(), action_form=ActionForm(),
        today=_today(), next_step=reminders.due_step(found, _today()),
        province_choices=[(p.code, p.name(lang)) for p in provinces()],
        industry_choices=[(d.code, d.name_en if lang == "en" else d.name_zh)
                          for d in list_divisions()])


@bp.route("/<uuid:campaign_id>")
def board(campaign_id: uuid.UUID) -> str:
    return _render_board(_campaign_or_404(campaign_id))


@bp.route("/<uuid:campaign_id>/participants", methods=["POST"])
@requires_role(*MANAGERS)
def add_participant(campaign_id: uuid.UUID) -> Response | tuple[str, int]:
    found = _campaign_or_404(campaign_id)
    form = ParticipantForm()
    if form.validate_on_submit():
        try:
            services.add_participant(current_tenant(), current_user, found, form.data)
            flash(_("Participant added and invited."), "success")
            return redirect(url_for("campaigns.board", campaign_id=found.id))
        except DomainError as error:
            abort_for_access(error)
            form_error(form, error)
    return _render_board(found, form), 422


@bp.route("/<uuid:campaign_id>/upload", methods=["GET", "POST"])
@requires_role(*MANAGERS)
@upload_limit(MAX_BYTES + 64 * 1024)
def upload(campaign_id: uuid.UUID) -> Response | str | tuple[str, int]:
    found = _campaign_or_404(campaign_id)
    form = UploadForm()
    if form.validate_on_submit():
        data = form.file.data.read()
        started = services.start_upload(current_tenant(), current_user, found, data,
                                        form.file.data.filename or "", reader_language())
        return redirect(url_for("campaigns.upload_status", campaign_id=found.id,
                                upload_id=started.id))
    status = 422 if request.method == "POST" else 200
    return render_template("campaigns/upload.html", campaign=found, form=form,
                           columns=COLUMN_LABELS), status


@bp.route("/<uuid:campaign_id>/uploads/<uuid:upload_id>")
def upload_status(campaign_id: uuid.UUID, upload_id: uuid.UUID) -> str:
    found = _campaign_or_404(campaign_id)
    outcome = queries.upload(found.id, upload_id)
    if outcome is None:
        abort(404)
    return render_template("campaigns/upload_status.html", campaign=found, upload=outcome,
                           queued=outcome.state == UploadState.queued)


@bp.route("/<uuid:campaign_id>/remind", methods=["POST"])
@requires_role(*MANAGERS)
def remind(campaign_id: uuid.UUID) -> Response:
    found = _campaign_or_404(campaign_id)
    if ActionForm().validate_on_submit():
        chosen = []
        for value in request.form.getlist("participant")[:1000]:
            try:
                chosen.append(uuid.UUID(value))
            except ValueError:
                continue
        sent = reminders.remind_now(found, chosen, utcnow(), _today())
        flash(_("Reminders sent: %(n)d.", n=sent) if sent else
              _("No reminder sent: the selected participants have finished, declined or "
                "were reminded a moment ago."), "success" if sent else "info")
    return redirect(url_for("campaigns.board", campaign_id=found.id))


@bp.route("/<uuid:campaign_id>/export.<any(xlsx, csv):fmt>")
def export(campaign_id: uuid.UUID, fmt: str) -> Response:
    found = _campaign_or_404(campaign_id)
    lang = reader_language()
    header = [_("Company name"), _("Unified social credit code"), _("Contact name"),
              _("E-mail"), _("Industry"), _("Size"), _("Province"), _("Status"),
              _("Answered (%)"), _("Reminders sent")]
    rows = []
    for r in queries.export_rows(found, _today()):
        division = find_division(r.industry) if r.industry else None
        size = size_class_by_code(r.size) if r.size else None
        place = find_province(r.province) if r.province else None
        rows.append([r.company_name, r.credit_code, r.contact_name, r.email,
                     (division.name_en if lang == "en" else division.name_zh) if division else "",
                     (size.name_en if lang == "en" else size.name_zh) if size else "",
                     place.name(lang) if place else "", status_label(r.status),
                     "" if r.coverage is None else r.coverage, r.reminders])
    name = f"{found.name}-{found.year}"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        # a cell starting with = + - @ would run as a formula in a spreadsheet
        writer.writerows([[f"'{v}" if isinstance(v, str) and v[:1] in "=+-@" else v
                           for v in row] for row in rows])
        return attachment(("\ufeff" + out.getvalue()).encode("utf-8"), "text/csv",
                          f"{name}.csv")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Participants")[:31]
    sheet.append(header)
    for row in rows:
        sheet.append([f"'{v}" if isinstance(v, str) and v[:1] in "=+-@" else v for v in row])
    data = io.BytesIO()
    book.save(data)
    return attachment(data.getvalue(), XLSX, f"{name}.xlsx")


# -- the invitation link (no tenant in the URL: the token names the participant) -----------
@join_bp.route("/campaigns/join/<token>", methods=["GET", "POST"])
def join(token: str) -> Response | str | tuple[str, int]:
    try:
        participant, found, owner = services.participant_for_token(token)
    except DomainError as error:
        return render_template("auth/message.html", title=_("Invalid link"),
                               message=str(error.message)), 400
    if participant.enterprise_tenant_id is not None or participant.declined_at is not None:
        return render_template("auth/message.html", title=_("Invitation"),
                               message=_("This invitation has already been answered.")), 200
    action = request.form.get("action", "")
    own_enterprises = []
    if current_user.is_authenticated:
        own_enterprises = [t for t, m in platform_queries.tenants_of_user(current_user.id)
                           if t.kind == TenantKind.enterprise and m.role == Role.owner]
    form = JoinForm()
    if request.method == "GET":
        form.organisation.data = participant.company_name
        form.name.data = participant.contact_name
        form.email.data = participant.email
    elif action == "decline" and ActionForm().validate_on_submit():
        services.decline(participant, owner)
        return render_template("auth/message.html", title=_("Invitation declined"),
                               message=_("Thank you for your answer. %(owner)s has been told.",
                                         owner=owner.name))
    elif action == "existing" and ActionForm().validate_on_submit() and own_enterprises:
        chosen = next((t for t in own_enterprises
                       if str(t.id) == request.form.get("enterprise")), None)
        if chosen is not None:
            try:
                services.join(participant, found, owner, chosen, current_user)
            except DomainError as error:
                flash_error(error)
                return redirect(url_for("campaign_join.join", token=token))
            flash(_("Accept the link request of %(owner)s to take part.", owner=owner.name),
                  "success")
            return redirect(url_for("tenant.links_page", slug=chosen.slug))
    elif form.validate_on_submit():
        try:
            created = accounts.sign_up(form.email.data or "", form.password.data or "",
                                       form.name.data or "", form.organisation.data or "",
                                       TenantKind.enterprise,
                                       locale="en" if reader_language() == "en" else "zh_CN")
            if created is not None:
                user, enterprise = created
                services.join(participant, found, owner, enterprise, user)
            return render_template(
                "auth/message.html", title=_("Check your e-mail"),
                message=_("We have sent a message to %(email)s. Open the link in it to "
                          "confirm your address, then accept the link request of "
                          "%(owner)s on the Links page.",
                          email=(form.email.data or "").strip().lower(), owner=owner.name))
        except DomainError as error:
            form_error(form, error)
    status = 422 if request.method == "POST" else 200
    return render_template("campaigns/join.html", form=form, campaign=found, owner=owner,
                           participant=participant, action_form=ActionForm(),
                           own_enterprises=own_enterprises,
                           invitation=found.invitation_en if reader_language() == "en"
                           else found.invitation_zh), status
