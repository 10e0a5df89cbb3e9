"""Reading what an enterprise report is built from, in the enterprise's tenant context.

The caller has already put the session in the enterprise's context (its own request, a
linked request through :func:`tenants.linked.enter_linked_enterprise`, or a job
in a logged system scope that set the tenant). Every figure is read from the finalised
revision, the engine, the benchmark services and the recommendation catalogue.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from assessment.assessments import queries
from assessment.assessments.models import Assessment, State
from assessment.benchmarks.pools import Pool
from assessment.benchmarks.services import cohort_statistics, position_of
from assessment.plans.chapter import plan_chapter
from assessment.profiles import queries as profile_queries
from assessment.profiles.rules import province, size_class_by_code
from assessment.reports.branding import report_branding
from assessment.reports.enterprise_chapters import FactorSource
from assessment.reports.enterprise_report import ReportComment, ReportSources
from assessment.reports.formatting import pick
from assessment.results.energy import energy_year_on_year
from assessment.results.review_status import review_status
from assessment.results.services import assessment_results
from indicators import InvalidInput
from indicators.catalogue.industries import find_division
from indicators.energy import load_factor_tables
from indicators.recommendations import recommend
from tenants import queries as platform_queries
from tenants.errors import Conflict
from tenants.models import Tenant

RECOMMENDATIONS = 10
WHAT_IF_DEPTH = 30  # every scored indicator below the top level, in practice


class NotFinalised(Conflict):
    """Reports are of finalised assessments: the figures a report hands out do not move."""


def factor_sources() -> tuple[FactorSource, ...]:
    """Source, citations and version of every factor table the energy figures use, as the
    energy loader read them from the packaged data files (loaded once, then cached)."""
    return tuple(load_factor_tables().sources.values())


def enterprise_sources(assessment: Assessment, lang: str, issuer: Tenant,
                       pool: Pool | None) -> ReportSources:
    """Everything the enterprise report of ``assessment`` shows; ``issuer`` brands it and
    ``pool`` is the cohort it is compared with."""
    if assessment.state != State.finalised:
        raise NotFinalised(_l("Only a finalised assessment has a report. Finalise it first."))
    found = assessment_results(assessment)
    revision = found.revision
    assert revision is not None
    profile = profile_queries.profile()
    enterprise = platform_queries.tenant_by_id(assessment.tenant_id)
    division = find_division(profile.industry_division) if profile else None
    size = size_class_by_code(profile.size_class) if profile else None
    place = province(profile.province) if profile else None
    statistics = position = None
    recommendations = []
    if profile is not None and pool is not None:
        statistics = cohort_statistics(pool, assessment.year, profile.industry_division)
        position = position_of(assessment, pool)
    if profile is not None:
        try:
            recommendations = recommend(found.results, profile.industry_division,
                                        limit=RECOMMENDATIONS)
        except InvalidInput:
            recommendations = []
    reasons = {s.code: s.na_reason for s in queries.indicator_states(assessment.id)
               if s.not_applicable}
    status = review_status(revision)
    comments = [ReportComment(c.indicator_code, c.body)
                for c in queries.comments(assessment.id) if c.revision == revision.revision]
    return ReportSources(
        lang=lang,
        enterprise_name=(profile.legal_name if profile else "") or
        (enterprise.name if enterprise else ""),
        industry_label=(pick(lang, division.name_zh, division.name_en) if division else ""),
        size_label=pick(lang, size.name_zh, size.name_en) if size else "",
        province_label=pick(lang, place.name_zh, place.name_en) if place else "",
        industry_division=profile.industry_division if profile else "",
        year=assessment.year,
        revision=revision.revision,
        finalised_on=revision.finalised_at.date(),
        framework=found.framework,
        results=found.results,
        confidence=found.confidence,
        branding=report_branding(issuer),
        statistics=statistics,
        pooled=pool is not None,
        position=position,
        previous_year=found.previous.year if found.previous else None,
        previous_results=found.previous.results if found.previous else None,
        recommendations=recommendations,
        what_if=found.what_if(limit=WHAT_IF_DEPTH),
        energy_yoy=energy_year_on_year(revision.document, assessment.year),
        factor_sources=list(factor_sources()),
        not_applicable_reasons=reasons,
        comments=comments,
        reviewed_by=status.organisation if status is not None and status.reviewed else "",
        data_quality=list(revision.warning_confirmations or []),
        plan=plan_chapter(assessment, lang),
    )
