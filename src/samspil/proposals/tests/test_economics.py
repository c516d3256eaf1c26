"""The pure economics of a proposal, with plain data: seed 004's table and hand-checked NPV
and payback cases."""

from decimal import Decimal as D

import pytest

from samspil.proposals.economics import (
    DiscountSchedule,
    Estimate,
    Line,
    build_table,
    key_figures,
    npv,
    payback_year,
)

YEARS = tuple(range(2020, 2026))
DANISH_2021 = DiscountSchedule.from_bands([[0, 35, "3.5"], [36, 70, "2.5"]])


def line(key, values, group="implementation", area="service", label=""):
    return Line(
        key, group, area, label or f"line {key}", {y: Estimate.of(v) for y, v in values.items()}
    )


def seed_004_lines():
    """Seed 004's implementation costs: four service lines, all in 2021."""
    return [line(i, {2021: amount}) for i, amount in enumerate([1000, 950, 475, 275])]


def test_it_totals_seed_004_to_2700_in_2021():
    table = build_table(seed_004_lines(), YEARS)

    assert table.group_totals == {"implementation": {y: D(2700 if y == 2021 else 0) for y in YEARS}}
    assert table.totals[2021] == D(2700)
    assert [table.cumulative[y] for y in YEARS] == [D(0)] + [D(2700)] * 5


def test_it_leaves_empty_cells_out_of_the_rows():
    table = build_table(seed_004_lines(), YEARS)

    assert table.rows[0][1] == {2021: D(1000)}


def test_it_gives_seed_004_its_key_figures():
    figures = key_figures(seed_004_lines(), YEARS, DANISH_2021)

    assert figures.total_investment == D(2700)
    assert figures.yearly_saving == D(0)
    assert figures.investment_by_area == {"service": D(2700)}
    assert figures.costs == {(2021, "service"): D(2700)}
    assert figures.payback_year is None
    assert figures.payback_years is None
    # Only a cost in year index 1: NPV = −2700 / 1.035.
    assert figures.npv.quantize(D("0.01")) == (D(-2700) / D("1.035")).quantize(D("0.01"))


def test_it_keeps_groups_apart_and_nets_costs_against_savings():
    lines = [
        line(1, {2021: 500}, group="implementation"),
        line(2, {2022: -200, 2023: -200}, group="permanent"),
        line(3, {2022: 100}, group="permanent", area="construction"),
    ]

    table = build_table(lines, YEARS)

    assert table.group_totals["implementation"][2021] == D(500)
    assert table.group_totals["permanent"][2022] == D(-100)
    assert [table.totals[y] for y in YEARS] == [D(0), D(500), D(-100), D(-200), D(0), D(0)]
    assert [table.cumulative[y] for y in YEARS] == [D(0), D(500), D(400), D(200), D(200), D(200)]


def test_it_leaves_values_outside_the_years_out_of_every_total():
    table = build_table([line(1, {2019: 999, 2020: 1})], YEARS)

    assert table.totals[2020] == D(1)
    assert sum(table.totals.values()) == D(1)


def test_it_discounts_a_flat_four_percent_by_hand():
    schedule = DiscountSchedule.flat(4)

    # −net: −100 now, +104 next year discounted by 1.04 → 0.
    assert npv({2020: D(100), 2021: D(-104)}, 2020, schedule) == D(0)
    # 104/1.04 + 108.16/1.04² = 100 + 100.
    assert npv({2020: D(0), 2021: D(-104), 2022: D("-108.16")}, 2020, schedule) == D(200)


def test_it_gives_a_saving_a_positive_npv_in_the_danish_sign():
    assert npv({2020: D(-50)}, 2020, DiscountSchedule.flat(4)) == D(50)


def test_it_uses_the_danish_bands_for_a_forty_year_case():
    # DF_40 = 1 / (1.035^35 · 1.025^5) ≈ 1 / (3.33359 · 1.13141) ≈ 0.26514
    hand = 1 / (1.035**35 * 1.025**5)

    assert float(DANISH_2021.factor(40)) == pytest.approx(hand, rel=1e-12)
    assert float(npv({2000 + 40: D(-1000)}, 2000, DANISH_2021)) == pytest.approx(1000 * hand)
    assert DANISH_2021.factor(35) / DANISH_2021.factor(36) == D("1.025")
    assert DANISH_2021.factor(34) / DANISH_2021.factor(35) == D("1.035")


def test_it_starts_discounting_at_one_in_the_first_year():
    assert DANISH_2021.factor(0) == 1
    assert DiscountSchedule(()).factor(10) == 1


def test_it_keeps_the_last_band_rate_after_the_last_band():
    assert DANISH_2021.rate(71) == D("2.5")


def test_it_finds_the_payback_year_when_the_cumulative_net_reaches_zero():
    totals = {2020: D(0), 2021: D(1000), 2022: D(-300), 2023: D(-300), 2024: D(-400), 2025: D(-400)}

    assert payback_year(totals) == 2024


def test_it_says_none_when_the_table_never_pays_back():
    totals = {2020: D(0), 2021: D(1000), 2022: D(-100), 2023: D(-100)}

    assert payback_year(totals) is None
    assert payback_year({2020: D(0), 2021: D(0)}) is None


def test_it_counts_payback_years_from_the_first_non_zero_year():
    lines = [line(1, {2021: 1000}), line(2, {2022: -600, 2023: -600}, group="permanent")]

    figures = key_figures(lines, YEARS, DiscountSchedule.flat(0))

    assert figures.payback_year == 2023
    assert figures.payback_years == 2


def test_it_takes_the_last_year_as_full_operation_for_the_yearly_saving():
    lines = [
        line(1, {2021: 1000}),
        line(2, {2024: -200, 2025: -500}, group="permanent"),
        line(3, {2025: -100}, group="permanent", area="transfers"),
    ]

    figures = key_figures(lines, YEARS, DiscountSchedule.flat(0))

    assert figures.yearly_saving == D(600)
    assert figures.saving_by_area == {"service": D(500), "transfers": D(100)}
    assert figures.npv == D(-1000 + 200 + 600)


def test_it_takes_the_midpoint_of_a_range_as_likely():
    estimate = Estimate.of(low=1500, high=3000)

    assert (estimate.low, estimate.likely, estimate.high) == (D(1500), D(2250), D(3000))
    assert estimate.uncertain


def test_it_takes_the_middle_value_of_a_three_point_estimate_as_likely():
    estimate = Estimate.of(1500, low=1000, high=3000)

    assert [estimate.at(s) for s in ("low", "likely", "high")] == [D(1000), D(1500), D(3000)]


def test_it_makes_a_plain_value_certain():
    estimate = Estimate.of("2.5")

    assert estimate == Estimate(D("2.5"), D("2.5"), D("2.5"))
    assert not estimate.uncertain


def test_it_refuses_an_estimate_of_nothing():
    with pytest.raises(ValueError):
        Estimate.of()


def test_it_gives_the_figures_at_min_midpoint_and_max():
    lines = [
        Line(1, "implementation", "service", "app", {2021: Estimate.of(low=2000, high=5000)}),
        Line(2, "permanent", "service", "saving", {2025: Estimate.of(low=-3000, high=-1500)}),
    ]

    low, likely, high = (
        key_figures(lines, YEARS, DiscountSchedule.flat(0), scenario)
        for scenario in ("low", "likely", "high")
    )

    assert [f.total_investment for f in (low, likely, high)] == [D(2000), D(3500), D(5000)]
    assert [f.yearly_saving for f in (low, likely, high)] == [D(3000), D("2250"), D(1500)]
    assert build_table(lines, YEARS, "high").totals[2021] == D(5000)
