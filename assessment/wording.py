"""Words, not codes: what a person reads for each code the product stores.

Pages and reports show names in the reader's language (``zh`` or ``en``); the codes stay in
exports, the API and, for the curious, a tooltip (``title`` attribute). Every helper takes
an optional ``lang``; without one it uses the request's locale. An unknown code is shown as
it is rather than hidden (so that a gap is visible and fixable, never silent).

- industries: GB/T 4754-2017 division names (``C38`` → 电气机械和器材制造业);
- provinces: GB/T 2260 names (``32`` → 江苏省); size classes (``medium`` → 中型);
- roles, audit events and their details, assessment states;
- greenhouse gases in the reader's language;
- an indicator's formula as words and figures with units (the results page's trace and the
  report's methodology), e.g. "在线协同的业务环节：采购、销售…（4 个）÷ 10 × 100".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from flask import Flask, has_request_context
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from assessment.labels import choice_label, state_label
from assessment.profiles.rules import province as find_province
from assessment.profiles.rules import size_class_by_code
from assessment.units import unit_label
from indicators.catalogue.industries import find_division, list_groups
from tenants.audit_labels import audit_label
from tenants.forms import GRANT_LABELS, ROLE_LABELS
from tenants.language import reader_language
from tenants.models import LinkGrant, Role

if TYPE_CHECKING:
    from indicators.framework.model import Framework, InputSpec

MISSING = "—"


def reader_lang(lang: str | None = None) -> str:
    """``"en"`` or ``"zh"``: the given language, else the reader's
    (:func:`tenants.language.reader_language`; Chinese outside a request)."""
    if lang:
        return "en" if lang.startswith("en") else "zh"
    return reader_language() if has_request_context() else "zh"


def _pick(lang: str | None, zh: str, en: str) -> str:
    return en if reader_lang(lang) == "en" else zh


# -- organisation profile --------------------------------------------------------------------
def industry_name(code: str | None, lang: str | None = None) -> str:
    """A GB/T 4754-2017 division or benchmark group by its name: ``C38`` → 电气机械和器材制造业."""
    if not code:
        return MISSING
    division = find_division(code)
    if division is not None:
        return _pick(lang, division.name_zh, division.name_en)
    group = next((g for g in list_groups() if g.code == code), None)
    if group is not None:
        return _pick(lang, group.name_zh, group.name_en)
    return code


def province_name(code: str | None, lang: str | None = None) -> str:
    """A GB/T 2260 province by its name: ``32`` → 江苏省 / Jiangsu."""
    if not code:
        return MISSING
    found = find_province(str(code))
    return _pick(lang, found.name_zh, found.name_en) if found else str(code)


def size_name(code: str | None, lang: str | None = None) -> str:
    """An NBS size class by its name: ``medium`` → 中型 / Medium."""
    if not code:
        return MISSING
    found = size_class_by_code(str(code))
    return _pick(lang, found.name_zh, found.name_en) if found else str(code)


# -- people and events -----------------------------------------------------------------------
def role_name(role: Role | str | None) -> str:
    """A membership role in words: ``owner`` → 所有者 / Owner."""
    if role is None:
        return MISSING
    try:
        return str(ROLE_LABELS[Role(role)])
    except ValueError:
        return str(role)


def state_name(state: str | None) -> str:
    """An assessment state in words: ``finalised`` → 已定稿 / Finalised."""
    return state_label(str(state)) if state else MISSING


def audit_event(action: str) -> str:
    """An audit action in words: ``assessment.created`` → 开始评估 / Assessment started."""
    return str(audit_label(action))


# The keys audit events record in their details, in words; values are formatted by kind.
AUDIT_DETAIL_LABELS: dict[str, Any] = {
    "overall": _l("Overall index"),
    "level": _l("Level"),
    "year": _l("Year"),
    "role": _l("Role"),
    "from": _l("From"),
    "to": _l("To"),
    "email": _l("E-mail"),
    "grants": _l("Grants"),
    "indicator": _l("Indicator"),
    "code": _l("Indicator"),
    "file": _l("File"),
    "filename": _l("File"),
    "plan": _l("Plan"),
    "seats": _l("Seats"),
    "count": _l("Number"),
    "reason": _l("Reason"),
    "acting_tenant": _l("On behalf of"),
    "organisation": _l("Organisation"),
    "may_be_named": _l("May be named"),
    "framework_version": _l("Framework version"),
    "from_version": _l("From version"),
    "to_version": _l("To version"),
    "ip": _l("IP address"),
    "sessions": _l("Sessions"),
    "state": _l("State"),
    "by": _l("By"),
    "revision": _l("Revision"),
    "old": _l("From"),
    "new": _l("To"),
    "grant": _l("Grants"),
    "status": _l("Status"),
    "quantity": _l("Seats"),
    "type": _l("File type"),
    "grace_until": _l("Grace period until"),
    "added": _l("Companies added"),
    "linked": _l("Already on ChainGauge"),
}

# Values some events record as codes.
AUDIT_VALUE_LABELS: dict[str, Any] = {
    "unverified": _l("e-mail address not confirmed"),
    "unknown": _l("unknown address"),
    "inactive": _l("account deactivated"),
    "password": _l("wrong password"),
    "moved": _l("moved"),
}

_SNAKE = re.compile(r"^[a-z]+(?:_[a-z0-9]+)+$|^[a-z]+(?:\.[a-z_]+)+$")


def _detail_value(key: str, value: Any, lang: str | None,
                  names: Mapping[str, str] | None) -> str:
    if isinstance(value, bool):
        return str(_l("yes")) if value else str(_l("no"))
    if isinstance(value, list | tuple):
        return "、".join(_detail_value(key, v, lang, names) for v in value) \
            if reader_lang(lang) == "zh" else ", ".join(
                _detail_value(key, v, lang, names) for v in value)
    if value is None:
        return MISSING
    text = str(value)
    if key in ("role", "from", "to") and text in {r.value for r in Role}:
        return role_name(text)
    if key == "state":
        return state_name(text)
    if names and text in names:
        return names[text]
    if key in ("grants", "grant"):
        known = {g.value: g for g in LinkGrant}
        found = [str(GRANT_LABELS[known[w]]) for w in re.findall(r"[a-z_]+", text)
                 if w in known]
        return _sep(lang).join(found) if found else text
    if text in AUDIT_VALUE_LABELS:
        return str(AUDIT_VALUE_LABELS[text])
    return text


def audit_details(details: Mapping[str, Any] | None, lang: str | None = None,
                  names: Mapping[str, str] | None = None) -> str:
    """An audit event's details as "总指数 53.9 · 年度 2025" instead of ``overall=53.9``.

    ``names`` maps codes that may appear as values (e.g. indicator or organisation ids) to
    their names. Keys without a label and values that are internal ids are left out."""
    parts = []
    for key, value in (details or {}).items():
        label = AUDIT_DETAIL_LABELS.get(key)
        if label is None:
            continue
        if key == "acting_tenant" and not (names and str(value) in names):
            continue
        text = _detail_value(key, value, lang, names)
        if _SNAKE.match(text):
            text = choice_label(text)
        parts.append(f"{label} {text}")
    return " · ".join(parts)


# -- energy and carbon -----------------------------------------------------------------------
GAS_NAMES_EN: dict[str, str] = {
    "CO2": "carbon dioxide", "CH4": "methane", "N2O": "nitrous oxide",
    "SF6": "sulphur hexafluoride", "NF3": "nitrogen trifluoride",
    "HFC-23": "trifluoromethane", "HFC-32": "difluoromethane",
    "HFC-125": "pentafluoroethane", "HFC-134a": "1,1,1,2-tetrafluoroethane",
    "HFC-143a": "1,1,1-trifluoroethane", "HFC-152a": "1,1-difluoroethane",
    "HFC-227ea": "heptafluoropropane", "HFC-236fa": "hexafluoropropane",
    "HFC-245fa": "pentafluoropropane", "HFC-365mfc": "pentafluorobutane",
    "HFC-43-10mee": "decafluoropentane", "CF4": "tetrafluoromethane (PFC-14)",
    "C2F6": "hexafluoroethane (PFC-116)", "C3F8": "octafluoropropane",
    "c-C4F8": "octafluorocyclobutane", "C4F10": "decafluorobutane",
    "C6F14": "tetradecafluorohexane",
}


def gas_name(code: str, name_zh: str, lang: str | None = None) -> str:
    """A greenhouse gas as "CO2 二氧化碳" / "CO2 carbon dioxide" (the formula is its name too)."""
    if reader_lang(lang) == "en":
        return f"{code} {GAS_NAMES_EN.get(code, '')}".strip()
    return f"{code} {name_zh}"


# -- indicators, inputs and formulas ---------------------------------------------------------
_GUIDE_NOTE = re.compile(r"\s*[（(][^（）()]*\bnull\b[^（）()]*[）)]\s*$")


def input_name(framework: Framework, name: str, lang: str | None = None) -> str:
    """An input's name in the reader's language, without notes meant for data entry."""
    spec = framework.inputs.get(name)
    if spec is None:
        return name
    return _GUIDE_NOTE.sub("", _pick(lang, spec.name_zh, spec.name_en))


def indicator_name(framework: Framework, code: str, lang: str | None = None) -> str:
    try:
        ind = framework.indicator(code)
    except (KeyError, LookupError):
        return code
    return _pick(lang, ind.name_zh, ind.name_en)


def _number(value: Any) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float | Decimal):
        text = f"{float(value):,.4f}".rstrip("0").rstrip(".")
        return text or "0"
    return str(value)


def _sep(lang: str | None) -> str:
    return "、" if reader_lang(lang) == "zh" else ", "


def _figure(spec: InputSpec | None, value: Any, lang: str | None) -> str:
    """One input's value with its unit, lists and maps in words."""
    if value is None:
        return str(_l("no answer"))
    if isinstance(value, list | tuple):
        shown = [choice_label(str(v)) for v in value]
        head = _sep(lang).join(shown[:3]) + ("…" if len(shown) > 3 else "")
        count = _l("%(num)d chosen", num=len(shown))
        return f"{head}（{count}）" if reader_lang(lang) == "zh" else f"{head} ({count})"
    if isinstance(value, Mapping):
        owned = [(k, v) for k, v in value.items() if v is not None]
        unit = unit_label(spec.unit) if spec else ""
        parts = [f"{choice_label(str(k))} {_number(v)}{' ' + unit if unit else ''}"
                 for k, v in owned]
        return _sep(lang).join(parts) if parts else str(_l("none owned"))
    unit = unit_label(spec.unit) if spec else ""
    return f"{_number(value)} {unit}".strip() if unit else _number(value)


def _term(framework: Framework, name: str, values: Mapping[str, Any] | None,
          lang: str | None) -> str:
    label = input_name(framework, name, lang)
    if values is None:
        return label
    colon = "：" if reader_lang(lang) == "zh" else ": "
    return f"{label}{colon}{_figure(framework.inputs.get(name), values.get(name), lang)}"


def _sum(framework: Framework, names: Iterable[str], values: Mapping[str, Any] | None,
         lang: str | None) -> str:
    terms = [_term(framework, n, values, lang) for n in names]
    return terms[0] if len(terms) == 1 else "(" + " + ".join(terms) + ")"


def formula_in_words(framework: Framework, code: str, values: Mapping[str, Any] | None = None,
                     lang: str | None = None) -> str:
    """How indicator ``code`` is computed, in words; with ``values`` (its inputs) in figures.

    "在线协同的业务环节：采购、销售…（4 个）÷ 10 × 100" rather than
    ``count(online_business_areas) / 10 × 100``.
    """
    ind = framework.indicator(code)
    f = ind.formula
    if f.kind == "level":
        chosen = values.get(code) if values is not None else None
        if values is None or chosen is None:
            return str(_l("the maturity level chosen (1-5)"))
        return str(_l("the maturity level chosen: %(level)s", level=chosen))
    if f.kind == "ratio":
        text = (f"{_sum(framework, f.numerator, values, lang)} ÷ "
                f"{_sum(framework, f.denominator, values, lang)}")
        return text + (f" × {f.scale:g}" if f.scale != 1 else "")
    if f.kind == "count_share":
        name = str(f.input)
        allowed = len(framework.inputs[name].allowed)
        return f"{_term(framework, name, values, lang)} ÷ {allowed} × 100"
    if f.kind == "mean_owned":
        name = str(f.input)
        label = str(_l("average over the resource types owned"))
        if values is None:
            return f"{label}：{input_name(framework, name, lang)}" if reader_lang(lang) == "zh" \
                else f"{label}: {input_name(framework, name, lang)}"
        return f"{label}（{_term(framework, name, values, lang)}）" \
            if reader_lang(lang) == "zh" else f"{label} ({_term(framework, name, values, lang)})"
    if f.kind == "mean_of_given":
        label = str(_l("average of the figures given"))
        terms = _sep(lang).join(_term(framework, n, values, lang) for n in f.inputs)
        return f"{label}（{terms}）" if reader_lang(lang) == "zh" else f"{label} ({terms})"
    return " + ".join(_term(framework, n, values, lang) for n in f.inputs)


_CODE_TOKEN = re.compile(r"\b[a-z][a-z0-9]*(?:[._][a-z0-9]+)+\b")


def codes_in_words(framework: Framework, text: str, lang: str | None = None) -> str:
    """``text`` (e.g. an engine's reason, "缺少输入：period_expenses") with every input or
    indicator code it names replaced by that name ("缺少输入：期间费用")."""

    def name(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in framework.inputs:
            return input_name(framework, token, lang)
        if token in framework.indicators:
            return indicator_name(framework, token, lang)
        return token

    return _CODE_TOKEN.sub(name, text or "")


def named(name: str, code: str | None) -> Markup:
    """A name with its code in a tooltip only: ``<span title="C38">电气机械…</span>``."""
    if not code or code == name:
        return Markup("{}").format(escape(name))
    return Markup('<span class="has-code" title="{}">{}</span>').format(code, name)


def register(app: Flask) -> None:
    """Make the helpers template globals (macros imported without context see them too)."""
    for fn in (industry_name, province_name, size_name, role_name, state_name, audit_event,
               audit_details, gas_name, input_name, indicator_name, formula_in_words,
               codes_in_words, named):
        app.jinja_env.globals[fn.__name__] = fn
