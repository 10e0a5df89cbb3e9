"""Autosave: one field at a time, as JSON (the page's script calls these; CSRF in a header).

Answers: 200 with the new version; 409 with the current value and who saved it when the
field changed since the editor loaded it (nothing is overwritten); 422 with the field's
errors; 403 for a page not assigned to the editor.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import abort, jsonify, request
from flask_login import current_user
from werkzeug.wrappers import Response

from assessment.assessments import answering
from assessment.assessments.documents import framework_of
from assessment.assessments.models import Answer, AnswerState, Assessment, IndicatorState
from assessment.assessments.pages import ENERGY_SECTIONS, page_of_key, pages_for
from assessment.assessments.web import assessment_or_404
from assessment.questionnaire import checks, energy, fields
from assessment.questionnaire.blueprint import bp
from assessment.questionnaire.common import people
from assessment.questionnaire.errors import FieldErrors, field_errors
from assessment.questionnaire.progress import progress_of
from tenants.errors import Conflict, DomainError, Forbidden, NotFound
from tenants.language import reader_language
from tenants.linked import current_membership


def _json(status: int, **body: Any) -> tuple[Response, int]:
    return jsonify(body), status


def _current(assessment: Assessment, key: str, current: Answer | None) -> dict[str, Any]:
    if current is None:
        return {"value": None, "state": None, "version": None, "text": "—", "by": None,
                "mine": False, "at": None}
    framework = framework_of(assessment)
    if key in ENERGY_SECTIONS:
        text = energy.summary(key, current.value)
    else:
        text = fields.display_value(fields.input_field(framework, key), current.value,
                                    current.state, reader_language() == "en")
    return {
        "value": current.value, "state": current.state, "version": current.version,
        "text": text, "by": people().get(current.updated_by_id) if current.updated_by_id
        else None,
        # the editor's own save from another tab or window is not "someone else's"
        "mine": current.updated_by_id == current_user.id,
        "at": current.updated_at.isoformat() if current.updated_at else None,
    }


def _progress(assessment: Assessment, key: str) -> dict[str, Any]:
    per_page, overall = progress_of(assessment)
    code = page_of_key(framework_of(assessment), key)
    mine = next((p for p in per_page if p.page == code), overall)
    return {"page": {"done": mine.done, "total": mine.total, "percent": mine.percent},
            "overall": {"done": overall.done, "total": overall.total,
                        "percent": overall.percent}}


def _parse(assessment: Assessment, key: str, raw: Any) -> tuple[Any, dict[str, Any]]:
    """The value to store, or the errors of a value that does not even parse."""
    framework = framework_of(assessment)
    if key == "options":
        options, errors = energy.parse_options(raw if isinstance(raw, dict) else {})
        return options, ({"options": errors} if errors else {})
    if key in ENERGY_SECTIONS:
        section = energy.section_from_json(key, raw)
        rows = {str(r.index): r.errors for r in section.rows if r.errors}
        return (section.value or None), ({"rows": {key: rows}} if rows else {})
    if fields.answer_key_kind(framework, key) is None:
        raise NotFound("unknown key")
    return fields.parse_value(fields.input_field(framework, key), raw), {}


def _page_keys(assessment: Assessment, key: str) -> set[str]:
    """The keys of the page(s) that show ``key``."""
    framework = framework_of(assessment)
    return {key, *(k for p in pages_for(framework) if key in p.keys for k in p.keys)}


def _rejected(assessment: Assessment, key: str, refusal: answering.AnswerRejected
              ) -> dict[str, Any]:
    return field_errors(framework_of(assessment), refusal.problems,
                        _page_keys(assessment, key), reader_language() == "en").as_json()


def _warnings(assessment: Assessment, key: str) -> dict[str, list[str]]:
    """The plausibility warnings of every answer on the saved field's page (an empty list
    clears a warning the page shows), and those of the assessment as a whole under ""."""
    grouped = checks.by_key(checks.warnings_for(assessment), reader_language() == "en")
    return checks.for_keys(grouped, [*sorted(_page_keys(assessment, key)), ""])


def _mine_text(assessment: Assessment, key: str, value: Any, state: str) -> str:
    """The editor's own value in words, as the stored one is (for a conflict)."""
    if key in ENERGY_SECTIONS:
        return energy.summary(key, value)
    return fields.display_value(fields.input_field(framework_of(assessment), key), value,
                                state, reader_language() == "en")


def _body(name_key: str) -> dict[str, Any]:
    """The JSON body, which must name what it saves under ``name_key``; else 400."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get(name_key), str):
        abort(400)
    return body


def _expected_version(body: dict[str, Any]) -> int | None:
    """The version the editor saw (None: there was none yet)."""
    version = body.get("version")
    return version if isinstance(version, int) and not isinstance(version, bool) else None


def _refused(error: DomainError) -> tuple[Response, int]:
    """A refusal that is not about the value: not the editor's page (403), no longer editable
    (409); an unknown field is a 404 like any other."""
    if isinstance(error, NotFound):
        abort(404)
    if isinstance(error, Forbidden):
        return _json(403, message=str(error.message))
    if isinstance(error, Conflict):
        return _json(409, message=str(error.message), current=None)
    return _json(422, message=str(error.message))


@bp.route("/<uuid:assessment_id>/answers", methods=["POST"])
def autosave(assessment_id: uuid.UUID) -> tuple[Response, int]:
    assessment = assessment_or_404(assessment_id)
    body = _body("key")
    key: str = body["key"]
    state = AnswerState.unknown if body.get("state") == AnswerState.unknown \
        else AnswerState.answered
    try:
        value, parse_errors = (None, {}) if state == AnswerState.unknown \
            else _parse(assessment, key, body.get("value"))
    except fields.ParseError as error:
        refused = FieldErrors()
        refused.add_parse_error(fields.input_field(framework_of(assessment), key), error)
        return _json(422, **refused.as_json())
    except NotFound:
        abort(404)
    if parse_errors:
        return _json(422, **parse_errors)
    try:
        answer = answering.save_answer(assessment, current_membership(), current_user, key,
                                       value, state, _expected_version(body))
    except answering.StaleAnswer as stale:
        current = stale.current if isinstance(stale.current, Answer) else None
        return _json(409, message=str(stale.message),
                     current=_current(assessment, key, current),
                     mine_text=_mine_text(assessment, key, value, state))
    except answering.AnswerRejected as refusal:
        return _json(422, **_rejected(assessment, key, refusal))
    except DomainError as error:
        return _refused(error)
    return _json(200, version=answer.version, state=answer.state,
                 progress=_progress(assessment, key), warnings=_warnings(assessment, key))


@bp.route("/<uuid:assessment_id>/not-applicable", methods=["POST"])
def autosave_not_applicable(assessment_id: uuid.UUID) -> tuple[Response, int]:
    assessment = assessment_or_404(assessment_id)
    body = _body("code")
    code: str = body["code"]
    try:
        state = answering.set_not_applicable(
            assessment, current_membership(), current_user, code,
            bool(body.get("not_applicable")), str(body.get("reason") or ""),
            _expected_version(body))
    except answering.StaleAnswer as stale:
        current = stale.current if isinstance(stale.current, IndicatorState) else None
        return _json(409, message=str(stale.message), current=None if current is None else {
            "not_applicable": current.not_applicable, "reason": current.na_reason,
            "version": current.version})
    except (Forbidden, Conflict, NotFound) as error:
        return _refused(error)
    except DomainError as error:  # the reason is missing
        return _json(422, errors={fields.na_reason_name(code): [str(error.message)]})
    return _json(200, version=state.version)
