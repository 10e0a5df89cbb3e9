"""A questionnaire page: shown from the framework, saved as a whole (works without JS)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from assessment.assessments import answering, carryover, queries
from assessment.assessments.models import Answer, AnswerState, Assessment
from assessment.assessments.pages import (
    ENERGY_PAGE,
    ENERGY_PAGE_INPUTS,
    ENERGY_SECTIONS,
    Page,
    pages_for,
)
from assessment.assessments.web import assessment_or_404
from assessment.benchmarks import services as benchmark_services
from assessment.benchmarks.pools import PlatformPool
from assessment.benchmarks.services import AnswerRange
from assessment.evidence import queries as evidence_queries
from assessment.profiles import queries as profile_queries
from assessment.questionnaire import checks, energy, fields
from assessment.questionnaire.blueprint import bp
from assessment.questionnaire.common import page_or_404, page_title, people
from assessment.questionnaire.errors import FieldErrors, field_errors
from assessment.questionnaire.presenter import (
    FieldView,
    add_guides,
    bind_errors,
    field_lookup,
    history_by_key,
    indicator_views,
    numeric_keys,
)
from assessment.questionnaire.problems import target_of
from assessment.questionnaire.progress import progress
from assessment.questionnaire.saving import (
    AnswerChange,
    NotApplicableChange,
    PageSave,
    save_page,
)
from assessment.review import queries as review_queries
from indicators import Framework
from tenants.language import reader_language
from tenants.linked import current_membership


def _value_keys(page: Page) -> tuple[str, ...]:
    """The keys with generated fields (the energy sections have their own rows)."""
    own = tuple(k for f in page.indicators for k in f.own_inputs)
    return own + (ENERGY_PAGE_INPUTS if page.code == ENERGY_PAGE else ())


class EnergyState:
    """The rows, options and their errors as the energy page shows them."""

    def __init__(self, answers: dict[str, Any]) -> None:
        self.sections = {s: energy.Section([], energy.rows_from_value(
            s, answers[s].value if s in answers else None), []) for s in ("energy",
                                                                          "process_emissions")}
        stored = answers.get("options")
        self.options: dict[str, Any] = dict(stored.value or {}) if stored else {}
        self.option_errors: dict[str, list[str]] = {}
        self.section_errors: dict[str, list[str]] = {}
        self.versions = {s: (answers[s].version if s in answers else None)
                         for s in ("energy", "process_emissions", "options")}

    def rows(self, section: str) -> list[energy.Row]:
        shown = list(self.sections[section].rows)
        return [*shown, energy.Row(max((r.index for r in shown), default=-1) + 1)]


def _context(assessment_id: uuid.UUID, code: str, form: FlaskForm | None = None,
             result: PageSave | None = None, energy_state: EnergyState | None = None,
             parse_errors: FieldErrors | None = None) -> dict[str, Any]:
    assessment = assessment_or_404(assessment_id)
    framework, page = page_or_404(assessment, code)
    membership = current_membership()
    answers = {a.key: a for a in queries.answers(assessment.id)}
    states = {s.code: s for s in queries.indicator_states(assessment.id)}
    is_english = reader_language() == "en"
    history = history_by_key(queries.answer_history(assessment.id), framework, people(),
                             is_english)
    keys = _value_keys(page)
    form_class = fields.build_form_class(framework, keys, page.indicator_codes, is_english)
    if form is None:
        form = form_class(formdata=None, data=fields.form_data(
            framework, keys, answers, states, page.indicator_codes))
    views = indicator_views(framework, page, answers, states, history, is_english)
    energy_fields = [FieldView(fields.input_field(framework, k), answers.get(k),
                               history.get(k, []))
                     for k in ENERGY_PAGE_INPUTS] if page.code == ENERGY_PAGE else []
    if energy_state is None and page.code == ENERGY_PAGE:
        energy_state = EnergyState(answers)
    warnings = checks.by_key(checks.warnings_for(assessment), is_english)
    lookup = field_lookup(views, energy_fields)
    add_guides(lookup, warnings, is_english, _industry_ranges(assessment, lookup))
    top_errors: list[str] = []
    if parse_errors is not None:
        _bind(form, parse_errors, energy_state, top_errors)
    if result is not None:
        _show_result(framework, page, form, result, energy_state, views, energy_fields,
                     top_errors, is_english)
    all_pages = pages_for(framework)
    per_page, overall = progress(all_pages, list(answers.values()),
                                 list(states.values()), profile_queries.profile() is not None)
    editable = answering.editable_pages(assessment, membership)
    steps = [(p, pp, page_title(framework, p.code))
             for p, pp in zip(all_pages, per_page, strict=True)]
    here = next(i for i, (p, _pp, _t) in enumerate(steps) if p.code == page.code)
    return {
        "assessment": assessment, "framework": framework, "page": page, "form": form,
        "indicators": views, "english": is_english, "can_edit": page.code in editable,
        "page_title": page_title(framework, page.code),
        "pages": steps, "step": here + 1,
        "previous_step": steps[here - 1] if here > 0 else None,
        "next_step": steps[here + 1] if here + 1 < len(steps) else None,
        "this_progress": next(pp for pp in per_page if pp.page == page.code),
        "overall": overall, "energy": energy_state, "energy_fields": energy_fields,
        "energy_history": {k: history.get(k, []) for k in ENERGY_SECTIONS},
        "answers": answers, "top_errors": top_errors, "result": result,
        "warnings": warnings,
        # the reviewers' comments and the evidence, shown next to each indicator
        "comments": review_queries.comments_by_indicator(assessment.id),
        "conversation": review_queries.conversation(assessment.id),
        "evidence_by_code": evidence_queries.files_by_indicator(assessment.id),
        "profile": profile_queries.profile(), "fields": fields, "energy_module": energy,
        # fields carried over from last year and not yet confirmed, per page (沿用上年)
        "carried": carryover.count_by_page(assessment),
        "confirm_url": url_for("questionnaire.confirm_carried", assessment_id=assessment.id,
                               page=page.code),
        "grid": energy.grid_factor_shown(assessment.year, energy_state.options, is_english,
                                         _profile_province())
        if energy_state else None,
    }


def _industry_ranges(assessment: Assessment, lookup: dict[str, FieldView]
                     ) -> dict[str, AnswerRange]:
    """The typical range of the industry's answers for every numeric field of the page, from
    the platform benchmark pool (one query for the page; nothing without an industry)."""
    profile = profile_queries.profile()
    keys = numeric_keys(lookup)
    if profile is None or not profile.industry_division or not keys:
        return {}
    return benchmark_services.industry_answer_ranges(
        PlatformPool(), assessment.year, profile.industry_division, keys, assessment.tenant_id)


def _bind(form: FlaskForm, errors: FieldErrors, energy_state: EnergyState | None,
          top_errors: list[str]) -> None:
    """Put the mapped errors on the page: form fields, energy rows and options, the top."""
    for name, messages in errors.fields.items():
        if name in form:
            bind_errors(form, name, messages)
        else:
            top_errors.extend(messages)
    top_errors.extend(errors.other)
    if energy_state is None:
        top_errors.extend(m for ms in errors.options.values() for m in ms)
        return
    for key, by_index in errors.rows.items():
        section = energy_state.sections[key]
        for index, attributes in by_index.items():
            if index < len(section.entry_rows):
                row = section.rows[section.entry_rows[index]]
                for attribute, messages in attributes.items():
                    for text in messages:
                        row.error(attribute, text)
            else:
                energy_state.section_errors.setdefault(key, []).extend(
                    m for ms in attributes.values() for m in ms)
    for key, messages in errors.sections.items():
        energy_state.section_errors.setdefault(key, []).extend(messages)
    for attribute, messages in errors.options.items():
        energy_state.option_errors.setdefault(attribute, []).extend(messages)


def _profile_province() -> str | None:
    profile = profile_queries.profile()
    return profile.province if profile is not None else None


def _show_result(framework: Framework, page: Page, form: FlaskForm, result: PageSave,
                 energy_state: EnergyState | None, views: list[Any],
                 extra_fields: list[FieldView], top_errors: list[str], is_english: bool) -> None:
    _bind(form, field_errors(framework, result.problems, page.keys, is_english), energy_state,
          top_errors)
    lookup = field_lookup(views, extra_fields)
    by_code = {v.code: v for v in views}
    for stale in result.stale:
        if stale.key.startswith("not_applicable:"):
            code = stale.key.split(":", 1)[1]
            if code in by_code:
                by_code[code].stale = True
            if stale.current is not None:
                form[fields.na_version_name(code)].data = str(stale.current.version)
            continue
        if stale.key in lookup:
            lookup[stale.key].stale = stale.current
            lookup[stale.key].stale_is_mine = isinstance(stale.current, Answer) and \
                stale.current.updated_by_id == current_user.id
        name = fields.version_name(stale.key)
        if name in form and stale.current is not None:
            # Sending the page again now means "keep mine": it is based on their version.
            form[name].data = str(stale.current.version)
        elif energy_state is not None and stale.key in energy_state.versions:
            energy_state.versions[stale.key] = stale.current.version if stale.current else None
    for code in result.reasons_missing:
        bind_errors(form, fields.na_reason_name(code),
                    [str(answering.NA_REASON_REQUIRED)])


@bp.route("/<uuid:assessment_id>/pages/<page>")
def page(assessment_id: uuid.UUID, page: str) -> str:
    return render_template("assessment/page.html", **_context(assessment_id, page))


@bp.route("/<uuid:assessment_id>/pages/<page>", methods=["POST"])
def save(assessment_id: uuid.UUID, page: str) -> Response | tuple[str, int]:
    assessment = assessment_or_404(assessment_id)
    framework, shown = page_or_404(assessment, page)
    membership = current_membership()
    if assessment.state not in answering.EDITABLE_STATES:
        flash(_("This assessment can no longer be edited."), "error")
        return render_template("assessment/page.html",
                               **_context(assessment_id, page)), 409
    if shown.code not in answering.editable_pages(assessment, membership):
        abort(403)
    keys = _value_keys(shown)
    form_class = fields.build_form_class(framework, keys, shown.indicator_codes,
                                             reader_language() == "en")
    form = form_class()
    if not form.validate_on_submit():
        abort(400)
    changes, parse_errors, refused = _read_fields(framework, keys, form)
    energy_state: EnergyState | None = None
    if shown.code == ENERGY_PAGE:
        energy_state = EnergyState({a.key: a for a in queries.answers(assessment.id)})
        changes += _read_energy(energy_state)
    na_changes = [
        NotApplicableChange(code, bool(form[fields.na_name(code)].data),
                            form[fields.na_reason_name(code)].data or "",
                            fields.parse_version(form[fields.na_version_name(code)].data))
        for code in shown.indicator_codes
    ]
    result = save_page(assessment, membership, current_user, changes, na_changes,
                       dry_run=bool(parse_errors) or _row_errors(energy_state))
    if result.ok and not parse_errors and not _row_errors(energy_state):
        flash(_saved_banner(framework, result), "success")
        # "Save and go to the next page" names the page to go to; only a page of the
        # questionnaire is followed
        then = request.form.get("then", "")
        target = then if any(p.code == then for p in pages_for(framework)) else shown.code
        return redirect(url_for("questionnaire.page", assessment_id=assessment.id,
                                page=target))
    if result.stale:
        flash(_("Some answers were changed after you opened the page, in another tab or "
                "window or by a colleague; nothing was saved. Compare both values below and "
                "send the page again to keep yours."),
              "error")
    else:
        stored = {a.key: a for a in queries.answers(assessment.id)}
        for text, category in _rejected_banner(framework, shown, result, refused,
                                               energy_state, changes, stored):
            flash(text, category)
    context = _context(assessment_id, page, form, result, energy_state, parse_errors)
    return render_template("assessment/page.html", **context), 409 if result.stale else 422


def _names(framework: Framework, keys: list[str]) -> str:
    """Answer keys (and "na:<code>") as their names, in the reader's language."""
    is_english = reader_language() == "en"
    names = []
    for key in keys:
        if key.startswith("na:"):
            indicator = framework.indicator(key[3:])
            name = indicator.name_en if is_english else indicator.name_zh
            names.append(_("whether %(name)s applies", name=name))
        elif key in ENERGY_SECTIONS:
            names.append(str(energy.SECTION_NAMES[key]))
        else:
            names.append(fields.input_field(framework, key).label(is_english))
    return ", ".join(names) if is_english else "、".join(names)


def _saved_banner(framework: Framework, result: PageSave) -> str:
    saved = list(result.saved_keys) + [f"na:{c}" for c in result.changed_not_applicable]
    if not saved:
        return _("The page is saved. Nothing had changed since the last save (answers are "
                 "also saved as you type).")
    return _("The page is saved. Saved now: %(names)s.", names=_names(framework, saved))


def _rejected_banner(framework: Framework, page: Page, result: PageSave, refused: set[str],
                     energy_state: EnergyState | None, changes: list[AnswerChange],
                     stored: dict[str, Answer]) -> list[tuple[str, str]]:
    """What a refused page send saved and did not: the answers to correct, the others it
    holds back (all or nothing), and those stored already (by autosave or earlier)."""
    for problem in result.problems:
        target = target_of(framework, problem.key)
        if target is not None and target.key in page.keys:
            refused.add(target.key)
    if energy_state is not None:
        refused.update(k for k, section in energy_state.sections.items()
                       if section.parse_errors)
        if energy_state.option_errors:
            refused.add("options")
    refused.update(f"na:{code}" for code in result.reasons_missing)
    ordered = [k for k in page.keys if k in refused] + sorted(
        k for k in refused if k.startswith("na:"))
    held = [k for k in result.changed_keys if k not in refused] + [
        f"na:{c}" for c in result.changed_not_applicable if f"na:{c}" not in refused]
    sent_keys = {c.key for c in changes}
    kept = [k for k in page.keys if k in sent_keys and k not in refused
            and k not in result.changed_keys and _given(stored.get(k))]
    banners = [(_("Not saved: %(names)s. Correct the answers marked below and send the page "
                  "again.", names=_names(framework, ordered)) if ordered else
                _("Nothing was saved: correct the answers marked below."), "error")]
    if held:
        banners.append((_("Not saved yet either, though nothing is wrong with them: "
                          "%(names)s. They are saved with the page once it is corrected.",
                          names=_names(framework, held)), "error"))
    if kept:
        banners.append((_("Already saved (as you typed, or earlier): %(names)s.",
                          names=_names(framework, kept)), "success"))
    return banners


def _given(answer: Answer | None) -> bool:
    return answer is not None and (answer.state == AnswerState.unknown or
                                   answer.value not in (None, [], {}))


def _read_fields(framework: Framework, keys: tuple[str, ...], form: FlaskForm
                 ) -> tuple[list[AnswerChange], FieldErrors, set[str]]:
    """The answers the form sends, the errors of those that do not parse, and their keys."""
    changes: list[AnswerChange] = []
    errors = FieldErrors()
    refused: set[str] = set()
    for key in keys:
        field = fields.input_field(framework, key)
        unknown = bool(form[fields.unknown_name(key)].data)
        version = fields.parse_version(form[fields.version_name(key)].data)
        if unknown:
            changes.append(AnswerChange(key, None, AnswerState.unknown, version))
            continue
        try:
            value = fields.parse_value(field, fields.read_form_value(field, request.form))
        except fields.ParseError as error:
            errors.add_parse_error(field, error)
            refused.add(key)
            continue
        changes.append(AnswerChange(key, value, AnswerState.answered, version))
    return changes, errors, refused


def _read_energy(state: EnergyState) -> list[AnswerChange]:
    changes = []
    for section in ("energy", "process_emissions"):
        parsed = energy.section_from_form(request.form, section)
        state.sections[section] = parsed
        version = fields.parse_version(request.form.get(fields.version_name(section)))
        state.versions[section] = version
        if not parsed.parse_errors:
            changes.append(AnswerChange(section, parsed.value or None, AnswerState.answered,
                                        version))
    options, option_errors = energy.options_from_form(request.form)
    state.options = dict(options or {})
    state.option_errors = option_errors
    version = fields.parse_version(request.form.get(fields.version_name("options")))
    state.versions["options"] = version
    if not option_errors:
        changes.append(AnswerChange("options", options, AnswerState.answered, version))
    return changes


def _row_errors(state: EnergyState | None) -> bool:
    if state is None:
        return False
    return bool(state.option_errors) or any(s.parse_errors for s in state.sections.values())
