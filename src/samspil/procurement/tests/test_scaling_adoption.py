"""Adoption over time, with plain data: the series in date order, its growth "8 → 29" and
the counts a new one would contradict."""

from datetime import date
from decimal import Decimal

from samspil.procurement.scaling_adoption import adoption, conflict

START, MIDDLE, NOW = date(2019, 10, 1), date(2021, 1, 15), date(2022, 11, 11)


def test_it_orders_the_counts_and_gives_the_change():
    series = adoption([(NOW, 29), (START, 8), (MIDDLE, 17)])
    assert [(p.counted_on, p.organisations, p.change) for p in series.points] == [
        (START, 8, None),
        (MIDDLE, 17, 9),
        (NOW, 29, 12),
    ]
    assert series.growth == 21
    assert series.growth_text == "8 → 29"
    assert series.factor == Decimal("3.6")
    assert series.first.organisations == 8 and series.latest.organisations == 29


def test_one_count_and_none():
    assert adoption([(START, 8)]).growth_text == "8"
    assert adoption([(START, 8)]).factor is None
    empty = adoption([])
    assert empty.empty and empty.growth == 0 and empty.growth_text == ""
    assert empty.first is None and empty.latest is None


def test_a_date_given_twice_keeps_its_last_count():
    assert [p.organisations for p in adoption([(START, 8), (START, 9)]).points] == [9]


def test_no_factor_from_zero():
    assert adoption([(START, 0), (NOW, 3)]).factor is None


def test_a_count_may_not_make_the_series_fall():
    series = adoption([(START, 8), (NOW, 29)])
    assert conflict(series, MIDDLE, 17) is None
    assert conflict(series, MIDDLE, 8) is None and conflict(series, MIDDLE, 29) is None
    low = conflict(series, MIDDLE, 7)
    assert low is not None and low.earlier and low.point.organisations == 8
    high = conflict(series, MIDDLE, 30)
    assert high is not None and not high.earlier and high.point.organisations == 29
    assert conflict(series, date(2023, 1, 1), 28).point.counted_on == NOW
    assert conflict(series, date(2019, 1, 1), 9).point.counted_on == START
    assert conflict(adoption([]), NOW, 0) is None
