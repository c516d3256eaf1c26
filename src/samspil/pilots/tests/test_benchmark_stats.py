"""Positions, median and best value of a benchmark, with plain numbers."""

from decimal import Decimal as D

import pytest

from samspil.pilots.benchmark_stats import best, median, positions


def test_it_ranks_the_lowest_first_when_lower_is_better():
    assert positions([D(14), D(9), None, D(20)], "lower") == [2, 1, None, 3]


def test_it_ranks_the_highest_first_when_higher_is_better():
    assert positions([D(14), D(9), None, D(20)], "higher") == [2, 3, None, 1]


def test_it_gives_equal_values_the_same_position_and_skips_the_next():
    assert positions([D(5), D(7), D(5), D(9)], "lower") == [1, 3, 1, 4]


def test_it_takes_the_middle_value_or_the_mean_of_the_two_middle_ones():
    assert median([D(3), None, D(1), D(2)]) == D(2)
    assert median([D(4), D(1), D(2), D(3)]) == D("2.5")


def test_it_has_no_median_or_best_without_values():
    assert median([None, None]) is None
    assert best([], "lower") is None


def test_it_finds_the_best_value_by_direction():
    values = [D(12), None, D("8.5"), D(30)]
    assert best(values, "lower") == D("8.5")
    assert best(values, "higher") == D(30)


def test_it_refuses_an_unknown_direction():
    with pytest.raises(ValueError):
        positions([D(1)], "sideways")
    with pytest.raises(ValueError):
        best([D(1)], "sideways")
