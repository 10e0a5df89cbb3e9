"""Views of assessment.results (thin: forms in, services called, templates out).

An enterprise reads its results under ``/t/<slug>/assessments/<assessment_id>/results``; a
linked reviewer (grant ``review``) under ``/t/<its-slug>/clients/<enterprise_id>/
assessments/<assessment_id>/results``.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import abort, current_app, jsonify, render_template
from werkzeug.wrappers import Response

from assessment.assessments.models import Assessment, State
from assessment.assessments.web import assessment_or_404
from assessment.evidence.queries import files_by_indicator
from assessment.results.energy import (
    energy_figures,
    energy_year_on_year,
    target_name,
    verdict_label,
)
from assessment.results.panels import render_panels
from assessment.results.peers import headline_percentile, you_vs_peers
from assessment.results.review_status import checks_by_indicator, review_status
from assessment.results.rows import (
    dimension_rows,
    na_reasons,
    overall_level_name,
    radar_for,
)
from assessment.results.services import assessment_results, results_for
from indicators import InvalidInput
from tenants.language import reader_language
from tenants.linked import LinkedEnterprise, link_args, linked_enterprise
from tenants.models import LinkGrant, TenantKind
from tenants.web import current_tenant, tenant_blueprint

bp = tenant_blueprint("results", __name__, kinds=[TenantKind.enterprise], grant=LinkGrant.review)

OWN = "/assessments/<uuid:assessment_id>/results"
LINKED = "/clients/<uuid:enterprise_id>/assessments/<uuid:assessment_id>/results"


def report_args(assessment: Assessment, linked: LinkedEnterprise | None
                ) -> dict[str, Any] | None:
    """URL values of the assessment's report (preview and PDFs), or None when there is no
    report to open: only a finalised assessment has one, and a linked reader needs a link
    that grants ``reports`` (a link granting only ``review`` reaches results, not reports).
    Whether the plan includes the PDF is the report route's answer (its refusal page)."""
    if assessment.state != State.finalised:
        return None
    if linked is not None and not linked.link.grants_(LinkGrant.reports):
        return None
    return {"assessment_id": assessment.id, **link_args()}


@bp.route(OWN)
@bp.route(LINKED)
def page(assessment_id: uuid.UUID, enterprise_id: uuid.UUID | None = None) -> str:
    assessment = assessment_or_404(assessment_id)
    lang = reader_language()
    found = assessment_results(
        assessment, min_coverage=float(current_app.config["RESULTS_COMPARE_MIN_COVERAGE"]))
    counts = {code: len(files) for code, files in files_by_indicator(assessment.id).items()}
    rows = dimension_rows(found, lang, counts, na_reasons(assessment.id))
    linked = linked_enterprise()
    # "You vs. peers" is the enterprise's own view; a linked reviewer does not get it.
    peers = None if linked else you_vs_peers(assessment, current_tenant(), found.framework,
                                             lang)
    return render_template(
        "assessment/results.html", assessment=assessment, found=found, rows=rows, lang=lang,
        radar=radar_for(found, rows) if found.evaluation or not found.provisional else "",
        overall_level=overall_level_name(found, lang), what_if=found.what_if(),
        link_args=link_args(), linked=linked, peers=peers,
        report_args=report_args(assessment, linked),
        review=review_status(found.revision), checks=checks_by_indicator(assessment.id),
        headline=headline_percentile(peers),
        # the figures of the report's energy chapter (assessment/results/energy.py)
        energy=energy_figures(
            found.results, found.previous.results if found.previous else None,
            energy_year_on_year(found.document, assessment.year)
            if found.previous is not None and found.document is not None else None),
        min_coverage=float(current_app.config["RESULTS_COMPARE_MIN_COVERAGE"]),
        energy_target=target_name, energy_verdict=verdict_label,
        panels=render_panels(found, lang),
    )


@bp.route(f"{OWN}.json")
@bp.route(f"{LINKED}.json")
def contract(assessment_id: uuid.UUID, enterprise_id: uuid.UUID | None = None) -> Response:
    """The contract's output document (snapshot when finalised, else provisional)."""
    assessment = assessment_or_404(assessment_id)
    try:
        return jsonify(results_for(assessment))
    except InvalidInput:
        abort(409)
