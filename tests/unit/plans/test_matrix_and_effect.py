"""The prioritisation matrix (bands, quick wins first, escaped labels) and the measured
effect's rules (moved, unchanged, done but flat), without a database."""

from __future__ import annotations

from types import SimpleNamespace

from assessment.plans.effect import measured_effect
from assessment.plans.matrix import Point, impact_band, is_quick_win, matrix_svg, priority_key


def test_impact_bands_and_quick_wins():
    assert impact_band(None) == "low" and impact_band(0.4) == "low"
    assert impact_band(0.5) == "medium" and impact_band(1.5) == "high"
    assert is_quick_win(0.8, "low") and not is_quick_win(0.2, "low")
    assert not is_quick_win(3.0, "high")
    ranked = sorted([(3.0, "high"), (0.8, "low"), (1.0, "medium"), (2.0, "low")],
                    key=lambda g: priority_key(*g))
    assert ranked == [(2.0, "low"), (0.8, "low"), (3.0, "high"), (1.0, "medium")]


def test_the_matrix_escapes_labels_and_places_every_point(app):
    with app.test_request_context():
        svg = str(matrix_svg([Point(1, "<script>x</script>", 2.0, "low"),
                              Point(2, "B", None, "high")]))
    assert svg.startswith("<svg") and "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<circle") == 2


def _action(status, codes):
    return SimpleNamespace(status=status, indicator_codes=codes)


def _results(**figures):
    return {"indicators": {code: {"status": "ok", "value": v, "score": s, "level": lvl}
                           for code, (v, s, lvl) in figures.items()}}


def test_moved_unchanged_and_done_but_flat():
    then = _results(a=(0.90, 60.0, 3), b=(2, 40.0, 2))
    now = _results(a=(0.965, 80.0, 4), b=(2, 40.0, 2))
    effects = measured_effect(
        [_action("done", ["a"]), _action("done", ["b"]), _action("planned", ["b"]),
         _action("dropped", ["a"])], then, now)
    assert len(effects) == 3  # the dropped action is left out
    moved, flat, open_flat = effects
    assert moved.moved and moved.indicators[0].direction == "better"
    assert not moved.done_but_flat
    assert flat.done_but_flat and flat.indicators[0].direction == "unchanged"
    assert not open_flat.done_but_flat and not open_flat.moved


def test_an_indicator_missing_in_one_year_is_not_measured():
    then = _results(a=(0.9, 60.0, 3))
    effect = measured_effect([_action("done", ["a"])], then, {"indicators": {}})[0]
    assert not effect.measurable and not effect.done_but_flat
    assert effect.indicators[0].direction == "unknown"
