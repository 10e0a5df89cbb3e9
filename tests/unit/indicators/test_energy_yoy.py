"""compare_with_previous: intensity changes against the national targets of the year."""

from __future__ import annotations

from decimal import Decimal

from indicators.energy import compare_with_previous, load_factor_tables

D = Decimal
PREVIOUS = {"year": 2023, "output_value": 10000, "energy_tce": 1000, "emissions_tco2e": 2000}


def test_energy_meets_and_carbon_misses_the_2024_targets():
    current = {"year": 2024, "output_value": 10500, "energy_tce": 990, "emissions_tco2e": 2050}
    result = compare_with_previous(current, PREVIOUS)
    energy, carbon = result.energy_intensity, result.carbon_intensity
    # energy intensity: 1000/10000 = 0.1 → 990/10500 = 0.0942857…; change = 0.942857… − 1
    #   = −5.714 % ≤ −3.5 % (industrial value-added target) → meets
    assert energy.previous == D("0.1")
    assert energy.change_percent == (D(990) / D(10500) / D("0.1") - 1) * 100
    assert round(energy.change_percent, 3) == D("-5.714")
    assert energy.target is not None and energy.target.change_percent == D("-3.5")
    assert energy.verdict == "meets"
    # carbon intensity: 0.2 → 2050/10500 = 0.195238…; change = −2.381 % > −3.9 % → misses
    assert round(carbon.change_percent, 3) == D("-2.381")
    assert carbon.target is not None and carbon.target.change_percent == D("-3.9")
    assert carbon.verdict == "misses"
    assert (result.year, result.previous_year) == (2024, 2023)


def test_a_change_exactly_at_the_target_meets_it():
    # 1000/10000 = 0.1 → 965/10000 = 0.0965: exactly −3.5 %
    current = {"year": 2024, "output_value": 10000, "energy_tce": 965, "emissions_tco2e": 2000}
    result = compare_with_previous(current, PREVIOUS)
    assert result.energy_intensity.change_percent == D("-3.5")
    assert result.energy_intensity.verdict == "meets"
    # 966 → −3.4 %: just misses
    result = compare_with_previous({**current, "energy_tce": 966}, PREVIOUS)
    assert result.energy_intensity.verdict == "misses"


def test_no_intensity_target_for_2025_and_none_across_a_gap():
    current = {"year": 2025, "output_value": 10000, "energy_tce": 900, "emissions_tco2e": 1800}
    later = compare_with_previous(current, {**PREVIOUS, "year": 2024})
    assert later.energy_intensity.change_percent == D(-10)  # 0.09 / 0.1 − 1
    assert later.energy_intensity.verdict == "no_target"
    assert later.carbon_intensity.verdict == "no_target"
    gap = compare_with_previous({**current, "year": 2024}, {**PREVIOUS, "year": 2022})
    assert gap.energy_intensity.verdict == "no_target"
    assert "consecutive" in (gap.energy_intensity.reason or "")


def test_not_computable_without_output_or_emissions():
    current = {"year": 2024, "output_value": 0, "energy_tce": 900}
    result = compare_with_previous(current, PREVIOUS)
    assert result.energy_intensity.verdict == "not_computable"
    assert result.energy_intensity.change_percent is None
    no_emissions = compare_with_previous({"year": 2024, "output_value": 10000,
                                          "energy_tce": 900}, PREVIOUS)
    assert no_emissions.energy_intensity.verdict == "meets"  # −10 %
    assert no_emissions.carbon_intensity.verdict == "not_computable"
    zero_before = compare_with_previous({"year": 2024, "output_value": 1, "energy_tce": 1},
                                        {**PREVIOUS, "energy_tce": 0})
    assert zero_before.energy_intensity.verdict == "not_computable"


def test_the_previous_year_can_be_an_energy_list():
    previous = {"year": 2023, "output_value": 100, "energy": [
        {"carrier": "diesel", "quantity": 10, "unit": "t"}]}
    # previous: 14.571 tce / 100 万元 = 0.14571; current 13.5 / 100 = 0.135
    # change = 0.135 / 0.14571 − 1 = −7.35 % → meets −3.5 %
    current = {"year": 2024, "output_value": 100, "energy_tce": D("13.5"),
               "emissions_tco2e": 28}
    result = compare_with_previous(current, previous)
    assert result.energy_intensity.previous == D("0.14571")
    assert result.energy_intensity.change_percent == (D("0.135") / D("0.14571") - 1) * 100
    assert result.energy_intensity.verdict == "meets"
    # previous emissions from the list: 10 t × 3.0959… = 30.959 t → 0.30959 t/万元;
    # current 0.28: change ≈ −9.56 % → meets −3.9 %
    assert result.carbon_intensity.verdict == "meets"
    assert any(f["what"] == "combustion_emission_factor" for f in result.factors_used)


def test_as_dict_carries_the_target_with_its_seed_lines():
    current = {"year": 2024, "output_value": 10000, "energy_tce": 960, "emissions_tco2e": 1900}
    document = compare_with_previous(current, PREVIOUS).as_dict()
    energy = document["energy_intensity"]
    assert energy["verdict"] == "meets"
    assert energy["change_percent"] == -4.0  # 0.096 / 0.1 − 1
    assert energy["target"]["target"] == "industrial_energy_per_value_added"
    assert energy["target"]["lines"] == "41"
    assert document["carbon_intensity"]["change_percent"] == -5.0  # 0.19 / 0.2 − 1


def test_targets_can_be_passed_in():
    targets = load_factor_tables().targets
    current = {"year": 2024, "output_value": 10000, "energy_tce": 970, "emissions_tco2e": 1900}
    result = compare_with_previous(current, PREVIOUS, targets=targets)
    assert result.energy_intensity.verdict == "misses"  # −3.0 % > −3.5 %


def test_a_figure_given_directly_wins_over_the_energy_list():
    # The evaluation passes the current year with both its energy list and any given figure.
    current = {"year": 2024, "output_value": 100, "energy_tce": 10, "energy": [
        {"carrier": "diesel", "quantity": 10, "unit": "t"}]}
    previous = {"year": 2023, "output_value": 100, "energy_tce": 10, "emissions_tco2e": 40}
    result = compare_with_previous(current, previous)
    # energy: the given 10 tce, not the list's 14.571 → no change
    assert result.energy_intensity.change_percent == 0
    # emissions: none given, so the list's 30.9969… t → 0.309969 vs 0.4 = −22.5 %
    assert round(result.carbon_intensity.change_percent, 1) == D("-22.5")
