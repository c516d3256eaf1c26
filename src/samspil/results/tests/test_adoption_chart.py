"""Adoptions over time from plain dates: counts by month, or by year for a long history."""

from datetime import date

from samspil.results.adoption_chart import (
    AdoptionCount,
    choose_period,
    cumulative_adoptions,
    months_between,
)


def test_it_counts_nothing_for_no_dates():
    assert cumulative_adoptions([]) == []
    assert choose_period([]) == "month"


def test_it_adds_up_by_month_with_the_empty_months_between():
    dates = [date(2024, 1, 15), date(2024, 1, 3), date(2024, 3, 31)]
    assert cumulative_adoptions(dates) == [
        AdoptionCount(date(2024, 1, 1), 2, 2),
        AdoptionCount(date(2024, 2, 1), 0, 2),
        AdoptionCount(date(2024, 3, 1), 1, 3),
    ]


def test_it_crosses_the_new_year():
    rows = cumulative_adoptions([date(2023, 12, 1), date(2024, 1, 1)])
    assert [r.period for r in rows] == [date(2023, 12, 1), date(2024, 1, 1)]


def test_it_goes_by_year_for_a_long_history():
    dates = [date(2018, 6, 1), date(2019, 2, 1), date(2019, 9, 1), date(2023, 5, 1)]
    assert choose_period(dates) == "year"
    rows = cumulative_adoptions(dates)
    assert [(r.period.year, r.new, r.total) for r in rows] == [
        (2018, 1, 1),
        (2019, 2, 3),
        (2020, 0, 3),
        (2021, 0, 3),
        (2022, 0, 3),
        (2023, 1, 4),
    ]


def test_it_runs_on_to_a_later_day_when_asked():
    rows = cumulative_adoptions([date(2024, 1, 2)], until=date(2024, 3, 5))
    assert [(r.period.month, r.total) for r in rows] == [(1, 1), (2, 1), (3, 1)]
    earlier = cumulative_adoptions([date(2024, 1, 2)], until=date(2023, 1, 1))
    assert len(earlier) == 1


def test_three_years_of_months_stay_monthly():
    assert months_between(date(2021, 1, 1), date(2023, 12, 31)) == 36
    assert choose_period([date(2021, 1, 1), date(2023, 12, 31)]) == "month"
    assert choose_period([date(2021, 1, 1), date(2024, 1, 1)]) == "year"
    assert cumulative_adoptions([date(2021, 1, 1)], period="year")[0].period == date(2021, 1, 1)
