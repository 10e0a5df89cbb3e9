"""Views of the consultancy portfolio (thin: filters in, queries called, templates out).

- ``/t/<consultancy>/portfolio/``: the client board (only a consultancy has one; any other
  kind of tenant gets a 404);
- ``/t/<consultancy>/portfolio/clients/<enterprise_id>``: a client's assessments of every
  year, entered through a link granting ``review`` (404 without one);
- ``/t/<consultancy>/portfolio/assignment?client=<id>``: the reviewer and due date the
  consultancy records for a client (owners and administrators).
"""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from assessment.assessments import queries as assessment_queries
from assessment.assessments.models import State
from assessment.portfolio import queries, services
from assessment.portfolio.forms import STATUS_LABELS, AssignmentForm, BoardForm
from indicators import load_framework
from tenants import queries as platform_queries
from tenants.errors import DomainError
from tenants.language import reader_language
from tenants.linked import link_args, linked_enterprise
from tenants.models import LinkGrant, Role, TenantKind
from tenants.web import (
    abort_for_access,
    access,
    current_role,
    current_tenant,
    form_error,
    tenant_blueprint,
)

# The board is a consultancy's; a client's page is entered through a link granting review
# (so an association's reviewer reaches it from its review queue too).
bp = tenant_blueprint("portfolio", __name__, "/portfolio", kinds=[TenantKind.consultancy],
                      template_folder="templates")


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def _reviewers() -> list[tuple[str, str]]:
    return [(str(user.id), user.name or user.email)
            for user, member in platform_queries.members_of(current_tenant().id)
            if Role(member.role) in services.REVIEWING_ROLES]


@bp.route("/")
def board() -> str | tuple[str, int]:
    tenant = current_tenant()
    form = BoardForm(queries.years(tenant.id), _reviewers(), formdata=request.args)
    if not form.validate():
        return render_template("portfolio/board.html", form=form, rows=[], matching=0,
                               filters=None, pages=1, counts={}, level_name=None,
                               manages=False), 400
    filters = form.filters()
    rows, matching = queries.board_page(tenant.id, filters)
    framework = load_framework()
    lang = reader_language()
    return render_template(
        "portfolio/board.html", form=form, rows=rows, matching=matching, filters=filters,
        pages=max(1, -(-matching // queries.PER_PAGE)), counts=queries.status_counts(tenant.id),
        level_name=lambda level: framework.level_name(level, lang),
        manages=current_role() in (Role.owner, Role.admin))


@bp.route("/clients/<uuid:enterprise_id>")
@access(grant=LinkGrant.review)
def client(enterprise_id: uuid.UUID) -> str:
    """The client's assessments of every year, each opening as its state allows."""
    entered = linked_enterprise()
    assert entered is not None  # the blueprint entered it (or refused with a 404)
    assessments = sorted(assessment_queries.assessments(), key=lambda a: -a.year)
    open_counts = {a.id: len(assessment_queries.open_comments(a.id, a.revision))
                   for a in assessments if a.state != State.finalised}
    return render_template("portfolio/client.html", linked=entered, assessments=assessments,
                           open_counts=open_counts, link_args=link_args(),
                           reports=entered.link.grants_(LinkGrant.reports))


def _client_id() -> uuid.UUID:
    try:
        return uuid.UUID(request.values.get("client", ""))
    except ValueError:
        abort(404)


@bp.route("/assignment", methods=["GET", "POST"])
@access(roles=[Role.owner, Role.admin])
def assignment() -> Response | str | tuple[str, int]:
    tenant = current_tenant()
    client_id = _client_id()
    if queries.client_link(tenant.id, client_id) is None:
        abort(404)
    client_tenant = platform_queries.tenant_by_id(client_id)
    form = AssignmentForm()
    form.reviewer.choices = [("", str(_("Nobody yet"))), *_reviewers()]
    if request.method == "GET":
        found = queries.assignment(client_id)
        if found is not None:
            form.reviewer.data = str(found.reviewer_id) if found.reviewer_id else ""
            form.due_on.data = found.due_on
    elif form.validate_on_submit():
        try:
            services.assign(tenant.id, client_id,
                            uuid.UUID(form.reviewer.data) if form.reviewer.data else None,
                            form.due_on.data, current_user.id)
        except DomainError as error:
            abort_for_access(error)
            form_error(form, error)
            return render_template("portfolio/assignment.html", form=form,
                                   client=client_tenant, client_id=client_id), 422
        flash(_("Saved."), "success")
        return redirect(url_for("portfolio.board"), 303)
    else:
        return render_template("portfolio/assignment.html", form=form, client=client_tenant,
                               client_id=client_id), 422
    return render_template("portfolio/assignment.html", form=form, client=client_tenant,
                           client_id=client_id)
