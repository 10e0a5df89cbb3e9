"""The pure parts of saving answers: which keys a rule ties together, and the version check
that every save path (autosave, a page, an import) shares."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from assessment.assessments.answering import changed_since, related_keys
from indicators import load_framework


def test_a_sub_count_and_its_total_are_related_both_ways():
    framework = load_framework()
    assert related_keys(framework, ["deliveries_on_time"]) == {
        "deliveries_on_time", "deliveries_total"}
    assert related_keys(framework, ["deliveries_total"]) == {
        "deliveries_on_time", "deliveries_total"}
    assert related_keys(framework, ["units_sold"]) == {"units_sold"}  # no rule ties it


@pytest.mark.parametrize(("expected", "current", "changed"), [
    (None, None, False),  # nothing then, nothing now
    (None, 1, True),  # saved meanwhile by someone
    (1, 1, False),
    (1, 2, True),
    (2, None, True),  # saved then, gone now
])
def test_a_save_is_stale_when_the_version_is_not_the_one_the_editor_saw(
        expected, current, changed):
    row = None if current is None else SimpleNamespace(version=current)
    assert changed_since(expected, row) is changed  # type: ignore[arg-type]
