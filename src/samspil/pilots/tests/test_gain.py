"""Gain, progress and portfolio mean, tested with plain data and numbers checked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from samspil.pilots.gain import (
    HIGHER,
    LOWER,
    UNCHANGED,
    WORSE,
    KpiSeries,
    Point,
    gain,
    latest_gain,
    latest_point,
    pilot_gain,
    portfolio_average,
    progress_to_target,
    target_problem,
)

D = Decimal


def test_it_computes_a_lower_is_better_gain_as_the_share_saved():
    # 20 minutes per invoice down to 14: (20 − 14) / 20 = 0.3
    assert gain(D("20"), D("14"), LOWER) == D("0.3")


def test_it_computes_a_higher_is_better_gain_as_the_share_added():
    # 40 cases a week up to 50: (50 − 40) / 40 = 0.25
    assert gain(D("40"), D("50"), HIGHER) == D("0.25")


def test_it_gives_a_negative_gain_when_the_value_got_worse():
    # 20 minutes up to 25 when lower is better: (20 − 25) / 20 = −0.25
    assert gain(D("20"), D("25"), LOWER) == D("-0.25")
    # 40 cases down to 30 when higher is better: (30 − 40) / 40 = −0.25
    assert gain(D("40"), D("30"), HIGHER) == D("-0.25")


def test_it_keeps_the_sign_convention_for_a_negative_baseline():
    # a deficit of −200 shrinking to −150 is an improvement when higher is better: 50 / 200
    assert gain(D("-200"), D("-150"), HIGHER) == D("0.25")


def test_it_gives_no_gain_for_a_zero_baseline():
    assert gain(D("0"), D("5"), LOWER) is None
    assert gain(0, 0, HIGHER) is None


def test_it_gives_zero_gain_at_the_baseline():
    assert gain(D("12.5"), D("12.5"), LOWER) == 0


def test_it_accepts_ints_and_floats_without_binary_noise():
    assert gain(10, 9, LOWER) == D("0.1")
    assert gain(0.3, 0.27, LOWER) == D("0.1")


def test_it_refuses_an_unknown_direction():
    with pytest.raises(ValueError):
        gain(D("1"), D("1"), "sideways")


def series(direction=LOWER, baseline="20", *points):
    return KpiSeries(
        baseline=D(baseline),
        direction=direction,
        points=[Point(date.fromisoformat(d), D(v)) for d, v in points],
    )


def test_it_takes_the_gain_at_the_latest_measurement_whatever_the_order():
    kpi = series(LOWER, "20", ("2024-03-01", "15"), ("2024-05-01", "10"), ("2024-04-01", "18"))
    assert latest_point(kpi.points) == Point(date(2024, 5, 1), D("10"))
    assert latest_gain(kpi) == D("0.5")


def test_it_has_no_latest_gain_without_measurements():
    assert latest_gain(series(LOWER, "20")) is None
    assert latest_point([]) is None


def test_it_measures_progress_from_baseline_to_target():
    # lower is better, 20 → target 14; at 17 half the way: (17 − 20) / (14 − 20) = 0.5
    assert progress_to_target(D("20"), D("14"), D("17")) == D("0.5")
    # higher is better, 40 → 50; at 55 one and a half: (55 − 40) / (50 − 40)
    assert progress_to_target(D("40"), D("50"), D("55")) == D("1.5")
    # moved the wrong way
    assert progress_to_target(D("20"), D("14"), D("23")) == D("-0.5")


def test_it_has_no_progress_without_a_target_a_value_or_a_distance():
    assert progress_to_target(D("20"), None, D("17")) is None
    assert progress_to_target(D("20"), D("14"), None) is None
    assert progress_to_target(D("20"), D("20"), D("17")) is None


def test_it_takes_a_pilots_gain_from_its_first_kpi():
    primary = series(LOWER, "20", ("2024-01-10", "16"))  # 0.2
    secondary = series(HIGHER, "10", ("2024-01-10", "20"))  # 1.0
    assert pilot_gain([primary, secondary]) == D("0.2")
    assert pilot_gain([]) is None


def test_it_averages_only_the_defined_gains_of_a_portfolio():
    # (0.2 + 0.4 + 0.3) / 3 = 0.3; the pilot without a gain is left out, not counted as 0
    assert portfolio_average([D("0.2"), None, D("0.4"), D("0.3")]) == D("0.3")
    assert portfolio_average([None, None]) is None
    assert portfolio_average([]) is None


def test_it_wants_a_target_on_the_better_side_of_the_baseline():
    assert target_problem(D(400), D(250), LOWER) is None
    assert target_problem(D(400), D(450), LOWER) == WORSE
    assert target_problem(D(40), D(50), HIGHER) is None
    assert target_problem(D(40), D(30), HIGHER) == WORSE
    assert target_problem(D(40), 40, HIGHER) == UNCHANGED
    assert target_problem(D(-5), D(-8), LOWER) is None
    with pytest.raises(ValueError):
        target_problem(D(1), D(2), "sideways")
