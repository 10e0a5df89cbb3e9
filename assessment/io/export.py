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
)
from assessment.assessments.models import Assessment, State
from assessment.io.xlsx import write_workbook

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_document(assessment: Assessment) -> dict[str, Any]:
    """Exactly the document the engine evaluates: ``python -m indicators evaluate`` on it
    gives the figures the application shows."""
    return build_document(assessment, queries.answers(assessment.id),
                          queries.indicator_states(assessment.id), current_industry())


def export_json(assessment: Assessment) -> bytes:
    return (json.dumps(export_document(assessment), ensure_ascii=False, indent=2,
                       sort_keys=True) + "\n").encode("utf-8")


def export_xlsx(assessment: Assessment, organisation: str, english: bool) -> bytes:
    answers = {a.key: a for a in queries.answers(assessment.id)}
    states = {s.code: s for s in queries.indicator_states(assessment.id)}
    return write_workbook(assessment, framework_of(assessment), answers, states, organisation,
                          english)


def export_filename(assessment: Assessment, slug: str, extension: str) -> str:
    return f"chaingauge-{slug}-{assessment.year}-r{assessment.revision}.{extension}"


def results_document(assessment: Assessment) -> dict[str, Any]:
    """The contract's output document: a finalised assessment's stored results (what
    benchmarks and reports read); otherwise the current answers, evaluated now."""
    if assessment.state == State.finalised:
        revision = queries.latest_revision(assessment.id)
        if revision is not None:
            return dict(revision.results)
    return evaluate_document(framework_of(assessment), export_document(assessment)).to_contract()
