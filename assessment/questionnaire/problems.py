"""The engine's problems as the questionnaire shows them: next to the right field, in the
user's language, naming the rule.

A problem names a document key (``inputs.deliveries_on_time``, ``inputs.resource_sharing.
testing``, ``energy[2].unit``); here it becomes the answer key it concerns and the rest of
its path. The sub-count rule is reworded with both inputs' framework names ("准时交货次数不能
大于总交货次数") because the engine's message names the total by its code.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from assessment.assessments.pages import ENERGY_SECTIONS
from indicators import Framework, Problem

_ENERGY_PATH = re.compile(r"^\[(\d+)\]\.?(\w*)$")


@dataclass(frozen=True)
class ProblemTarget:
    key: str  # the answer key ("deliveries_on_time", "energy", "resource_sharing")
    rest: str  # the path below it: "", ".testing", "[2].unit", "[0]"


def target_of(framework: Framework, problem_key: str) -> ProblemTarget | None:
    if problem_key.startswith("inputs."):
        path = problem_key[len("inputs."):]
        known = [k for k in (*framework.inputs, *framework.indicators)
                 if path == k or path.startswith((f"{k}.", f"{k}["))]
        if not known:
            return None
        key = max(known, key=len)
        return ProblemTarget(key, path[len(key):])
    for section in ENERGY_SECTIONS:
        if problem_key == section or problem_key.startswith((f"{section}.", f"{section}[")):
            return ProblemTarget(section, problem_key[len(section):])
    return None


def energy_row(rest: str) -> tuple[int, str] | None:
    """(row index, attribute) of an energy-list path such as ``[2].unit``."""
    match = _ENERGY_PATH.match(rest)
    return (int(match.group(1)), match.group(2)) if match else None


def message(framework: Framework, problem: Problem, english: bool) -> str:
    if problem.code == "exceeds_total" and problem.key.startswith("inputs."):
        sub = framework.inputs.get(problem.key[len("inputs."):])
        total = framework.inputs.get(str(problem.params.get("total", "")))
        if sub is not None and total is not None:
            if english:
                return f"{sub.name_en} may not exceed {total.name_en[0].lower()}" \
                       f"{total.name_en[1:]}"
            return f"{sub.name_zh}不能大于{total.name_zh}"
    return problem.message("en" if english else "zh")


def place(framework: Framework, problems: Iterable[Problem], page_keys: Collection[str],
          english: bool) -> tuple[dict[ProblemTarget, list[str]], list[str]]:
    """Problems by target on this page, and those with no field here (shown at the top).

    A sub-count above its total is shown on the sub-count; when only the total is on this
    page (the sub-count is answered elsewhere), on the total.
    """
    placed: dict[ProblemTarget, list[str]] = {}
    elsewhere: list[str] = []
    for problem in problems:
        text = message(framework, problem, english)
        target = target_of(framework, problem.key)
        if target is not None and target.key not in page_keys and \
                problem.code == "exceeds_total":
            total = str(problem.params.get("total", ""))
            target = ProblemTarget(total, "") if total in page_keys else target
        if target is None or target.key not in page_keys:
            elsewhere.append(text)
            continue
        messages = placed.setdefault(target, [])
        if text not in messages:
            messages.append(text)
    return placed, elsewhere
