"""Exporting an assessment: the contract's input document (JSON), a workbook (XLSX), and
the results as the contract's output document (for the command line)."""

from __future__ import annotations

import json
from typing import Any

from assessment.assessments import queries
from assessment.assessments.documents import (
    build_document,
    current_industry,
    evaluate_document,
    framework_of,
    industry_cohorts,
)
from assessment.assessments.models import Assessment, State
from assessment.io.xlsx import write_workbook
from assessment.results.review_status import review_status
from assessment.results.services import current_revision

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_document(assessment: Assessment) -> dict[str, Any]:
    """Exactly the document the engine evaluates: ``python -m indicators evaluate`` on it
    gives the figures the application shows."""
    return build_document(assessment, queries.answers(assessment.id),
                          queries.indicator_states(assessment.id), current_industry())


def export_metadata(assessment: Assessment) -> dict[str, Any]:
    """What the exported document is, beside its answers: whether anyone outside the
    enterprise reviewed it (``review``: a finalised assessment's "self-assessment" or the
    reviewing organisation, in the exporting user's language; None before finalisation).
    The engine accepts and ignores ``metadata``; an import ignores it too."""
    revision = current_revision(assessment) if assessment.state == State.finalised else None
    status = review_status(revision)
    return {"assessment": str(assessment.id), "revision": assessment.revision,
            "state": assessment.state,
            "review": status.as_metadata() if status is not None else None}


def export_json(assessment: Assessment) -> bytes:
    document = {**export_document(assessment), "metadata": export_metadata(assessment)}
    return (json.dumps(document, ensure_ascii=False, indent=2,
                       sort_keys=True) + "\n").encode("utf-8")


def export_xlsx(assessment: Assessment, organisation: str, english: bool) -> bytes:
    answers = {a.key: a for a in queries.answers(assessment.id)}
    states = {s.code: s for s in queries.indicator_states(assessment.id)}
    review = export_metadata(assessment)["review"]
    return write_workbook(assessment, framework_of(assessment), answers, states, organisation,
                          english, review_label=review["label"] if review else "")


def export_filename(assessment: Assessment, slug: str, extension: str) -> str:
    return f"chaingauge-{slug}-{assessment.year}-r{assessment.revision}.{extension}"


def results_document(assessment: Assessment) -> dict[str, Any]:
    """The contract's output document: a finalised assessment's stored results (what
    benchmarks and reports read); otherwise the current answers, evaluated now."""
    if assessment.state == State.finalised:
        revision = queries.latest_revision(assessment.id)
        if revision is not None:
            return dict(revision.results)
    framework, document = framework_of(assessment), export_document(assessment)
    return evaluate_document(framework, document,
                             industry_cohorts(assessment, framework, document)).to_contract()
