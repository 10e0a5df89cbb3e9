"""Fuzzing the `evaluate` command: whatever JSON document it reads, it exits 0 (with one JSON
document on stdout) or 2 (problems on stderr, each naming a key), never a traceback, never an
internal error or another exit code."""

from __future__ import annotations

import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.cli import main
from indicators.energy import load_factor_tables
from indicators.framework.loader import load_framework

TABLES = load_factor_tables()
FRAMEWORK = load_framework("scm-2024")

numbers = st.one_of(
    st.integers(min_value=-10**20, max_value=10**20),
    st.integers(min_value=10**14, max_value=10**16),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0, max_value=1e6),
    st.just(10**400), st.just(1e30), st.just(-0.0),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=8))
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=6), children, max_size=4)),
    max_leaves=12,
)


def pick(known, junk=json_values):
    return st.one_of(st.sampled_from(sorted(known)), junk)


energy_entry = st.fixed_dictionaries(
    {"carrier": pick(TABLES.carriers), "quantity": st.one_of(numbers, scalars),
     "unit": pick(list(TABLES.units) + list(TABLES.unit_aliases))},
    optional={"kgce_per_unit": st.one_of(numbers, scalars),
              "source": pick(["grid", "renewable_onsite", "green_certificate"]),
              "extra": json_values},
)
process_entry = st.fixed_dictionaries(
    {"gas": pick(TABLES.gases), "tonnes": st.one_of(numbers, scalars)})
options = st.dictionaries(
    st.sampled_from(["gwp_set", "electricity_basis", "grid_series", "grid_factor_basis",
                     "totals", "electricity_equivalent_kgce_per_kwh", "unknown"]),
    st.one_of(st.sampled_from(["AR5", "AR6", "SAR", "equivalent", "calorific", "province",
                               "region", "national", "given", "computed", "fossil_only"]),
              numbers, json_values),
    max_size=4)
inputs = st.dictionaries(pick(FRAMEWORK.inputs, st.text(max_size=6)),
                         st.one_of(numbers, scalars, json_values), max_size=12)
documents = st.fixed_dictionaries({}, optional={
    "framework": pick(["scm-2024"]),
    "inputs": st.one_of(inputs, json_values),
    "energy": st.one_of(st.lists(energy_entry, max_size=4), json_values),
    "process_emissions": st.one_of(st.lists(process_entry, max_size=3), json_values),
    "options": st.one_of(options, json_values),
    "year": st.one_of(st.integers(min_value=1980, max_value=2110), json_values),
    "province": pick(TABLES.provinces),
    "not_applicable": st.one_of(st.lists(pick(FRAMEWORK.indicators), max_size=3), json_values),
    "previous_year": st.one_of(
        st.fixed_dictionaries({"year": st.integers(2015, 2030), "output_value": numbers},
                              optional={"energy_tce": numbers, "emissions_tco2e": numbers,
                                        "energy": st.lists(energy_entry, max_size=2)}),
        json_values),
    "junk": json_values,
})


def run(text: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["evaluate", "-"], stdin=io.StringIO(text), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def check(text: str) -> None:
    code, out, err = run(text)
    assert code in (0, 2), (code, err)
    assert "Traceback" not in err and "internal error" not in err, err
    if code == 0:
        data = json.loads(out)
        assert set(data) >= {"framework", "indicators", "dimensions", "overall", "warnings",
                             "factors"}
        assert err == ""
    else:
        assert out == "" and err.strip()


FUZZ = settings(max_examples=250, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(documents)
def test_structured_documents_exit_0_or_2(document):
    check(json.dumps(document))


@FUZZ
@given(json_values)
def test_any_json_value_exits_0_or_2(value):
    check(json.dumps(value))


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_any_text_exits_0_or_2(text):
    check(text)


def test_deep_nesting_is_bad_input():
    code, out, err = run("[" * 50000 + "]" * 50000)
    assert (code, out) == (2, "") and "nested too deeply" in err
    code, out, err = run('{"inputs": {"resource_sharing": ' + "[" * 900 + "]" * 900 + "}}")
    assert (code, out) == (2, "")
    assert err.startswith("inputs.resource_sharing[0]") and "nested too deeply" in err


def test_numbers_too_large_to_compute_name_their_key():
    cases = {
        '{"inputs": {"output_value": 1e30}}': "inputs.output_value",
        '{"inputs": {"deliveries_total": ' + "9" * 400 + "}}": "inputs.deliveries_total",
        '{"inputs": {"units_output": ' + "9" * 5000 + "}}": "inputs.units_output",
        '{"energy": [{"carrier": "diesel", "quantity": 1e30, "unit": "t"}]}':
            "energy[0].quantity",
        '{"energy": [{"carrier": "natural_gas", "quantity": 1, "unit": "m3", '
        '"kgce_per_unit": 1e300}]}': "energy[0].kgce_per_unit",
        '{"process_emissions": [{"gas": "CH4", "tonnes": 1e20}]}': "process_emissions[0].tonnes",
        '{"inputs": {"output_value": Infinity}}': "inputs.output_value",
        '{"inputs": {"output_value": NaN}}': "inputs.output_value",
        '{"previous_year": {"year": 2022, "output_value": 1e16, "energy_tce": 1}}':
            "previous_year.output_value",
    }
    for text, key in cases.items():
        code, out, err = run(text)
        assert (code, out) == (2, ""), text
        assert err.startswith(f"{key}: "), (text, err)
        assert "too large" in err or "finite" in err, err


def test_a_lone_surrogate_in_a_key_is_reported_not_crashed():
    code, out, err = run('{"inputs": {"\\ud800": 1}, "energy": [{"carrier": "\\udfff"}]}')
    assert (code, out) == (2, "")
    assert "\\ud800" in err


def test_the_library_refuses_deep_python_structures_without_recursing():
    from indicators import InvalidInput, evaluate

    deep: list = []
    node = deep
    for _ in range(100_000):
        node.append([])
        node = node[0]
    for document in ({"inputs": {"resource_sharing": {"testing": deep}}},
                     {"not_applicable": [deep]},
                     {"energy": [{"carrier": deep, "quantity": deep, "unit": "t"}]}):
        try:
            evaluate(document)
        except InvalidInput as invalid:
            assert invalid.problems[0].code == "too_deep"
            assert invalid.problems[0].key != "(document)"
        else:  # pragma: no cover - the assertion below explains
            raise AssertionError("a deep document was accepted")
