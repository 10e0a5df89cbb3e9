"""The association dashboard (thin: filters in, services called, templates and files out).

Only an association has a dashboard: any other kind of tenant gets a 404, like a page that
does not exist. The ``dashboards`` entitlement is checked by the services (a refusal is the
billing page's "not in your plan" answer, with the upgrade link).
"""

from __future__ import annotations

from typing import Any

from flask import g, render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from assessment.benchmarks.anonymity import ANONYMITY_RULE
from assessment.benchmarks.cohorts import ANONYMITY_MIN_COHORT
from assessment.dashboard import export, services
from assessment.dashboard.charts import box_plot_svg, histogram_svg
from assessment.dashboard.filters import STATUS_LABELS, FilterForm, Filters, MemberStatus
from assessment.profiles.rules import province as find_province
from assessment.profiles.rules import size_class_by_code
from indicators.framework.schema import LEVELS
from tenants.language import reader_language
from tenants.models import Tenant, TenantKind
from tenants.web import attachment, current_tenant, tenant_blueprint

bp = tenant_blueprint("dashboard", __name__, "/dashboard", kinds=[TenantKind.association])

TABLES = ("members", "levels", "distributions", "breakdowns")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.context_processor
def _names() -> dict[str, Any]:
    lang = reader_language()

    def size_name(code: str | None) -> str:
        found = size_class_by_code(code) if code else None
        return (found.name_en if lang == "en" else found.name_zh) if found else "—"

    def province_name(code: str | None) -> str:
        found = find_province(code) if code else None
        return found.name(lang) if found else "—"

    return {"size_name": size_name, "province_name": province_name,
            "status_label": lambda status: str(STATUS_LABELS[MemberStatus(status)])}


def _association() -> Tenant:
    tenant = current_tenant()
    services.require_dashboards(tenant)
    return tenant


def _filters(tenant: Tenant) -> tuple[FilterForm, Filters | None]:
    form = FilterForm(formdata=request.args)
    if not form.validate():
        return form, None
    g.dashboard_years = services.member_years(tenant.id)  # once per request
    return form, form.filters(services.default_year(g.dashboard_years))


def _refused(form: FilterForm) -> tuple[str, int]:
    """Bad filters: the page with each bad field's error, and no figures."""
    return render_template("dashboard/index.html", form=form, found=None, years=[],
                           rule=ANONYMITY_RULE, minimum=ANONYMITY_MIN_COHORT,
                           page="index"), 400


def _level_chart(found: services.Dashboard) -> str:
    if not found.levels.shown:
        return ""
    return histogram_svg([found.levels.counts[level] for level in LEVELS],
                         [f"L{level}" for level in LEVELS], width=320, height=120,
                         label=_("Members per level"))


def _page(template: str, tenant: Tenant, form: FilterForm, filters: Filters,
          **context: Any) -> str:
    """A dashboard page: its filters (the year the figures are for), the years to choose
    from and the anonymity rule, besides the page's own figures."""
    form.year.data = filters.year
    return render_template(
        template, form=form, filters=filters,
        years=services.year_choices(g.dashboard_years, filters.year), rule=ANONYMITY_RULE,
        minimum=ANONYMITY_MIN_COHORT, box_plot=box_plot_svg, **context)


@bp.route("/")
def index() -> str | tuple[str, int]:
    tenant = _association()
    form, filters = _filters(tenant)
    if filters is None:
        return _refused(form)
    lang = reader_language()
    found = services.dashboard(tenant, filters, lang, paginate=True)
    return _page("dashboard/index.html", tenant, form, filters, page="index", found=found,
                 level_chart=_level_chart(found), framework=services.framework(), lang=lang)


@bp.route("/distributions")
def distributions() -> str | tuple[str, int]:
    tenant = _association()
    form, filters = _filters(tenant)
    if filters is None:
        return _refused(form)
    found = services.code_distributions(tenant, filters, reader_language())
    bins = [f"{low}–{high}" for low, high in services.BINS]
    return _page("dashboard/distributions.html", tenant, form, filters, page="distributions",
                 distributions=found,
                 histogram=lambda counts, name: histogram_svg(counts, bins, label=name))


@bp.route("/export.csv")
def export_csv() -> Response | tuple[str, int]:
    tenant = _association()
    form, filters = _filters(tenant)
    table = request.args.get("table", "members")
    if table not in TABLES:
        form.form_errors.append(_("Unknown table %(table)s: choose one of %(tables)s.",
                                  table=table[:40], tables=", ".join(TABLES)))
        filters = None
    if filters is None:
        return _refused(form)
    lang = reader_language()
    found = services.dashboard(tenant, filters, lang)
    if table == "members":
        header, rows = export.member_table(found, lang)
    elif table == "levels":
        header, rows = export.level_table(found)
    elif table == "distributions":
        header, rows = export.distribution_table(
            services.code_distributions(tenant, filters, lang))
    else:
        header, rows = export.breakdown_table(found)
    return attachment(export.to_csv(header, rows), "text/csv; charset=utf-8",
                      f"{tenant.slug}-{table}-{filters.year}.csv")


@bp.route("/export.xlsx")
def export_xlsx() -> Response | tuple[str, int]:
    tenant = _association()
    form, filters = _filters(tenant)
    if filters is None:
        return _refused(form)
    lang = reader_language()
    found = services.dashboard(tenant, filters, lang)
    data = export.workbook(found, services.code_distributions(tenant, filters, lang), lang)
    return attachment(data, XLSX, f"{tenant.slug}-dashboard-{filters.year}.xlsx")
