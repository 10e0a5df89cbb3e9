"""The command line, in-process (fast) plus a few real subprocess runs."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from indicators.cli import main

ROOT = Path(__file__).resolve().parents[3]


def run(argv, stdin_text=""):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdin=io.StringIO(stdin_text), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_evaluate_file_prints_the_contract(json_file, full_document):
    code, out, err = run(["evaluate", str(json_file(full_document()))])
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert set(data) == {"framework", "indicators", "dimensions", "overall", "warnings",
                         "factors"}
    assert (data["warnings"], data["factors"]) == ([], [])
    # a document naming only the id is scored with the newest version
    assert data["framework"] == {"id": "scm-2024", "version": "2.0.0"}
    assert len(data["indicators"]) == 30


def test_evaluate_stdin():
    code, out, _ = run(["evaluate", "-"], json.dumps({"inputs": {"scm_hires": 1,
                                                                  "scm_internal_promotions": 1}}))
    assert code == 0 and json.loads(out)["indicators"]["talent.recruit_develop"]["value"] == 2


def test_bad_input_exits_2_with_every_problem_and_no_stdout():
    doc = {"inputs": {"deliveries_on_time": 5, "deliveries_total": 3, "ghost": 1,
                      "digital.strategy": 7}}
    code, out, err = run(["evaluate", "-"], json.dumps(doc))
    assert (code, out) == (2, "")
    lines = err.strip().splitlines()
    assert len(lines) == 3
    assert {line.split(":")[0] for line in lines} == {
        "inputs.deliveries_on_time", "inputs.ghost", "inputs.digital.strategy"}


@pytest.mark.parametrize("text", ["{not json", "", "[1,", "\ufeff{}"])
def test_invalid_json_exits_2(text):
    code, out, err = run(["evaluate", "-"], text)
    assert (code, out) == (2, "") and "error:" in err


def test_unreadable_file_exits_2(tmp_path):
    code, out, err = run(["evaluate", str(tmp_path / "nope.json")])
    assert (code, out) == (2, "") and "cannot be read" in err


def test_evaluate_with_a_derived_framework(json_file, derived_file, full_document):
    from tests.unit.indicators.test_framework import DERIVED

    code, out, _ = run(["evaluate", str(json_file(full_document())), "--framework",
                        str(derived_file(DERIVED))])
    assert code == 0 and json.loads(out)["framework"]["id"] == "scm-2024-c36"


def test_evaluate_with_trace_what_if_and_cohorts(json_file, full_document):
    cohorts = json_file({"collaboration.resource_sharing_index": [1, 2, 3, 40, 50]}, "c.json")
    code, out, _ = run(["evaluate", str(json_file(full_document())), "--trace", "--what-if",
                        "--cohorts", str(cohorts)])
    data = json.loads(out)
    assert code == 0 and "trace" in data and isinstance(data["what_if"], list)
    entry = data["trace"]["dimensions"]["collaboration"]["indicators"][3]
    assert entry["method"] == "relative"


def test_list_and_show():
    code, out, _ = run(["list", "--lang", "en"])
    assert code == 0 and "scm-2024 1.0.0" in out and "lean.inventory_turnover" in out
    code, out, _ = run(["show", "resilience.supply_control"])
    assert code == 0 and "引领级" in out and "供应自主可控性" in out
    code, out, _ = run(["show", "lean.sales_production_ratio", "--lang", "en"])
    assert code == 0 and "target 100" in out and "100→100" in out
    code, out, err = run(["show", "no.such"])
    assert code == 2 and out == "" and "unknown indicator" in err


def test_validate(tmp_path):
    base = ROOT / "indicators" / "data" / "frameworks" / "scm-2024.yaml"
    assert run(["validate", str(base)])[:2] == (0, "ok: scm-2024 1.0.0\n")
    broken = tmp_path / "broken.yaml"
    broken.write_text(base.read_text("utf-8").replace("weight: 20", "weight: -20"), "utf-8")
    code, out, err = run(["validate", str(broken)])
    assert (code, out) == (2, "") and "dimensions[1].weight" in err


def test_usage_errors_exit_2():
    assert run([])[0] == 2
    assert run(["recommend", "x.json"])[0] == 2  # --industry is required


def test_recommend_passes_the_evaluation_on(json_file, full_document, monkeypatch):
    import types

    seen = {}

    class Item:
        def as_dict(self):
            return {"measure": 5}

    def recommend(evaluation, industry, *, limit=10):
        seen.update(industry=industry, limit=limit, score=evaluation.overall.score)
        return [Item()]

    monkeypatch.setitem(sys.modules, "indicators.recommendations",
                        types.SimpleNamespace(recommend=recommend))
    code, out, _ = run(["recommend", str(json_file(full_document())), "--industry", "C36",
                        "--limit", "3"])
    assert code == 0 and json.loads(out) == [{"measure": 5}]
    assert seen["industry"] == "C36" and seen["limit"] == 3 and seen["score"] is not None


def _subprocess(args, stdin_text=""):
    return subprocess.run([sys.executable, "-m", "indicators", *args], input=stdin_text,
                          capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_real_process_ok_and_bad():
    ok = _subprocess(["evaluate", "-"], json.dumps({"inputs": {"digital.strategy": 3}}))
    assert ok.returncode == 0 and json.loads(ok.stdout)["indicators"]["digital.strategy"][
        "score"] == 50.0
    bad = _subprocess(["evaluate", "-"], json.dumps({"inputs": {"digital.strategy": True}}))
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.startswith("inputs.digital.strategy:") and "Traceback" not in bad.stderr


def test_real_process_invalid_json():
    bad = _subprocess(["evaluate", "-"], "{{{")
    assert bad.returncode == 2 and bad.stdout == "" and "Traceback" not in bad.stderr
