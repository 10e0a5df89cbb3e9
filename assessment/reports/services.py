"""Report services: who may have which report, built from what, rendered how.

Entitlements are checked here, on the tenant that asks for the report (the enterprise for
its own report; the consultancy or association for a linked enterprise's report, or for its
cohort report): PDFs need ``pdf_reports``, cohort reports ``cohort_reports``, bulk runs
``bulk_reports``. The HTML preview is the results on the page and needs no paid feature.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from assessment.assessments.models import Assessment
from assessment.benchmarks.pools import AssociationPool, PlatformPool, Pool
from assessment.benchmarks.services import cohort_statistics
from assessment.profiles import queries as profile_queries
from assessment.reports import queries
from assessment.reports.branding import report_branding
from assessment.reports.cohort import CohortReport, CohortSources, build_cohort_report
from assessment.reports.enterprise_report import EnterpriseReport, build_enterprise_report
from assessment.reports.gather import enterprise_sources
from assessment.reports.report_render import (
    PdfRequest,
    ReportFile,
    locale_of,
    pdf_request,
    report_html,
    report_pdf,
)
from indicators import load_framework
from tenants import queries as platform_queries
from tenants.billing import entitlements
from tenants.errors import NotFound
from tenants.models import LinkStatus, Tenant, TenantKind

ENTERPRISE_TEMPLATE = "reports/enterprise.html"
COHORT_TEMPLATE = "reports/cohort.html"
LANGUAGES = ("zh", "en")


def language(requested: str | None, default: str = "zh") -> str:
    """``zh`` or ``en``; anything else falls back to ``default``."""
    return requested if requested in LANGUAGES else default


def pool_for(issuer: Tenant, opted_in: bool = True) -> Pool | None:
    """An association compares its members with its own members; everyone else with the
    platform's opted-in enterprises, when the enterprise is one of them (the results page
    applies the same rule: an enterprise outside the pool is compared with nobody there)."""
    if issuer.kind == TenantKind.association:
        return AssociationPool(issuer.id)
    return PlatformPool() if opted_in else None


def _opted_in() -> bool:
    """Whether the current enterprise (the report's session is in its context) is in the
    platform's benchmark pool."""
    found = profile_queries.profile()
    return bool(found and found.benchmark_opt_in)


def enterprise_report(assessment: Assessment, lang: str, issuer: Tenant) -> EnterpriseReport:
    """The report of a finalised ``assessment`` (session in the enterprise's context).

    Built in the report's language, not the reader's: labels made here (units, statuses,
    the cohort's name, the anonymity rule) are translated as they are made, and an English
    report asked for from a Chinese page must not carry Chinese fragments."""
    with force_locale(locale_of(lang)):
        return build_enterprise_report(
            enterprise_sources(assessment, lang, issuer, pool_for(issuer, _opted_in())))


def enterprise_report_html(assessment: Assessment, lang: str, issuer: Tenant,
                           toolbar: list[tuple[str, str]] | None = None) -> str:
    report = enterprise_report(assessment, lang, issuer)
    return report_html(ENTERPRISE_TEMPLATE, report, lang, for_pdf=False, toolbar=toolbar)


def enterprise_report_pdf(assessment: Assessment, lang: str, issuer: Tenant, *,
                          check_entitlement: bool = True) -> ReportFile:
    """The PDF, from the issuer's cache when nothing in it changed."""
    if check_entitlement:
        entitlements.require(issuer, "pdf_reports")
    report = enterprise_report(assessment, lang, issuer)
    return report_pdf(ENTERPRISE_TEMPLATE, report, lang, report.branding, str(issuer.id))


def enterprise_pdf_request(assessment: Assessment, lang: str, issuer: Tenant, *,
                           check_entitlement: bool = False) -> PdfRequest:
    """What the PDF is rendered from (a job renders it, off the request)."""
    if check_entitlement:
        entitlements.require(issuer, "pdf_reports")
    report = enterprise_report(assessment, lang, issuer)
    return pdf_request(ENTERPRISE_TEMPLATE, report, lang, report.branding, str(issuer.id))


def report_filename(name: str, year: int, lang: str, suffix: str = "pdf") -> str:
    """A download name: the enterprise's name kept readable, path characters removed."""
    safe = "".join(c for c in name if c.isalnum() or c in "-_（）()")[:60] or "report"
    return f"{safe}-{year}-{lang}.{suffix}"


# -- the association's cohort report ---------------------------------------------------------
def cohort_report(association: Tenant, year: int, lang: str) -> CohortReport:
    """The members' benchmark of ``year``: members whose link grants ``scores`` only."""
    if association.kind != TenantKind.association:
        raise NotFound(_l("Not found."))
    linked = [link for link, _tenant in platform_queries.outgoing_links(association.id)
              if link.status == LinkStatus.accepted]
    with force_locale(locale_of(lang)):  # labels made here, in the report's language
        return _cohort_report(association, year, lang, len(linked))


def _cohort_report(association: Tenant, year: int, lang: str, linked: int) -> CohortReport:
    sources = CohortSources(
        lang=lang, association_name=association.name, year=year,
        framework=load_framework(), branding=report_branding(association),
        members=queries.member_overall_figures(association.id, year),
        statistics=cohort_statistics(AssociationPool(association.id), year, None),
        named=queries.nameable_members(association.id), linked_members=linked,
    )
    return build_cohort_report(sources)


def cohort_report_html(association: Tenant, year: int, lang: str,
                       toolbar: list[tuple[str, str]] | None = None) -> str:
    entitlements.require(association, "cohort_reports")
    return report_html(COHORT_TEMPLATE, cohort_report(association, year, lang), lang,
                       for_pdf=False, toolbar=toolbar)


def cohort_pdf_request(association: Tenant, year: int, lang: str) -> PdfRequest:
    entitlements.require(association, "cohort_reports")
    report = cohort_report(association, year, lang)
    return pdf_request(COHORT_TEMPLATE, report, lang, report.branding, str(association.id))


def cohort_report_pdf(association: Tenant, year: int, lang: str, *,
                      check_entitlement: bool = True) -> ReportFile:
    if check_entitlement:
        entitlements.require(association, "cohort_reports")
    report = cohort_report(association, year, lang)
    return report_pdf(COHORT_TEMPLATE, report, lang, report.branding, str(association.id))
