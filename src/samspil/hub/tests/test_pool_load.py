"""The load of a person's assignments over time, with plain data."""

from datetime import date

from samspil.hub import pool_load
from samspil.hub.pool_load import Segment, Span


def d(month: int, day: int) -> date:
    return date(2025, month, day)


def test_it_sums_overlapping_assignments_into_periods_of_constant_load():
    spans = [Span(d(1, 1), d(1, 31), 40), Span(d(1, 15), d(2, 10), 30)]
    assert pool_load.segments(spans) == [
        Segment(d(1, 1), d(1, 14), 40),
        Segment(d(1, 15), d(1, 31), 70),
        Segment(d(2, 1), d(2, 10), 30),
    ]


def test_it_leaves_gaps_between_assignments_out():
    spans = [Span(d(1, 1), d(1, 10), 20), Span(d(1, 20), d(1, 25), 20)]
    assert [s.starts_on for s in pool_load.segments(spans)] == [d(1, 1), d(1, 20)]


def test_the_peak_is_the_first_period_of_the_highest_load():
    spans = [
        Span(d(1, 1), d(1, 31), 50),
        Span(d(1, 10), d(1, 12), 30),
        Span(d(3, 1), d(3, 2), 80),
    ]
    assert pool_load.peak(spans) == Segment(d(1, 10), d(1, 12), 80)
    assert pool_load.peak([]) is None


def test_back_to_back_assignments_of_the_same_share_make_one_peak():
    spans = [Span(d(1, 1), d(1, 31), 50), Span(d(2, 1), d(2, 28), 50)]
    assert pool_load.peak(spans) == Segment(d(1, 1), d(2, 28), 50)


def test_a_new_assignment_above_the_available_share_names_its_peak():
    existing = [Span(d(1, 1), d(3, 31), 50), Span(d(2, 10), d(2, 20), 20)]
    refused = pool_load.excess(existing, Span(d(2, 1), d(2, 28), 20), available=80)
    assert refused == Segment(d(2, 10), d(2, 20), 90)
    assert pool_load.excess(existing, Span(d(2, 21), d(2, 28), 30), available=80) is None


def test_exactly_the_available_share_is_allowed():
    existing = [Span(d(1, 1), d(1, 31), 60)]
    assert pool_load.excess(existing, Span(d(1, 1), d(1, 31), 40), available=100) is None
    assert pool_load.excess(existing, Span(d(1, 31), d(2, 5), 41), available=100) == Segment(
        d(1, 31), d(1, 31), 101
    )


def test_load_outside_the_new_period_does_not_count():
    existing = [Span(d(1, 1), d(1, 31), 100)]
    assert pool_load.excess(existing, Span(d(2, 1), d(2, 5), 100), available=100) is None


def test_over_booked_periods_after_the_available_share_was_lowered():
    spans = [Span(d(1, 1), d(1, 31), 30), Span(d(1, 10), d(2, 15), 30)]
    assert pool_load.overbooked(spans, available=50) == [Segment(d(1, 10), d(1, 31), 60)]
    assert pool_load.overbooked(spans, available=60) == []


def test_adjacent_over_booked_periods_merge_with_the_highest_load():
    spans = [Span(d(1, 1), d(1, 31), 60), Span(d(1, 10), d(1, 20), 20)]
    assert pool_load.overbooked(spans, available=50) == [Segment(d(1, 1), d(1, 31), 80)]


def test_months_run_over_the_new_year():
    assert pool_load.months(date(2024, 11, 20), 3) == [(2024, 11), (2024, 12), (2025, 1)]


def test_the_peak_of_each_month():
    spans = [Span(d(1, 25), d(2, 3), 40), Span(d(2, 1), d(2, 2), 40)]
    wanted = pool_load.months(d(1, 1), 3)
    assert pool_load.peak_by_month(spans, wanted) == {(2025, 1): 40, (2025, 2): 80, (2025, 3): 0}


def test_a_member_load_sums_it_up():
    load = pool_load.member_load([Span(d(1, 1), d(1, 31), 80)], 50, [(2025, 1)])
    assert load.is_overbooked and load.peak == Segment(d(1, 1), d(1, 31), 80)
    assert load.by_month == {(2025, 1): 80}
    assert not pool_load.member_load([], 50).is_overbooked
