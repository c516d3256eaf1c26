"""Benefits realisation rules, tested with plain data."""

from datetime import date
from decimal import Decimal

import pytest

from samspil.pilots.benefits import (
    IDENTIFIED,
    NOT_REALISED,
    PARTLY,
    PLANNED,
    REALISED,
    REALISING,
    Plan,
    UnitTotal,
    can_change_status,
    improvement,
    is_overdue,
    next_measurement,
    next_statuses,
    progress,
    suggest_status,
)
from samspil.pilots.gain import HIGHER, LOWER, Point

D = Decimal
TARGET_ON = date(2026, 6, 30)
# Hours of invoice coding a month: 400 down to 250 by the end of June 2026.
HOURS = Plan(baseline=D(400), target=D(250), target_on=TARGET_ON, direction=LOWER)
# Cases closed a week: 40 up to 50.
CASES = Plan(baseline=D(40), target=D(50), target_on=TARGET_ON, direction=HIGHER)
BEFORE, AFTER = date(2026, 3, 1), date(2026, 9, 1)


def points(*values) -> list[Point]:
    return [Point(date(2026, 1, 1 + i), D(v)) for i, v in enumerate(values)]


@pytest.mark.parametrize(
    ("current", "new"),
    [
        (IDENTIFIED, PLANNED),
        (PLANNED, REALISING),
        (REALISING, REALISED),
        (REALISING, PARTLY),
        (REALISING, NOT_REALISED),
        (PLANNED, IDENTIFIED),
        (REALISING, PLANNED),
        (REALISED, REALISING),
        (PARTLY, REALISED),
        (NOT_REALISED, PARTLY),
    ],
)
def test_it_allows_one_step_forward_or_back_and_from_outcome_to_outcome(current, new):
    assert can_change_status(current, new)


@pytest.mark.parametrize(
    ("current", "new"),
    [
        (IDENTIFIED, REALISING),
        (IDENTIFIED, REALISED),
        (PLANNED, REALISED),
        (REALISED, PLANNED),
        (PLANNED, PLANNED),
        (PLANNED, "done"),
        ("done", PLANNED),
    ],
)
def test_it_refuses_jumps_unknown_statuses_and_standing_still(current, new):
    assert not can_change_status(current, new)


def test_it_lists_the_next_statuses_in_order():
    assert next_statuses(IDENTIFIED) == [PLANNED]
    assert next_statuses(REALISING) == [PLANNED, REALISED, PARTLY, NOT_REALISED]
    assert next_statuses(PARTLY) == [REALISING, REALISED, NOT_REALISED]


def test_it_measures_progress_from_the_baseline_to_the_target():
    # 400 → 325 hours is half of the way to 250.
    assert progress(HOURS, D(325)) == D("0.5")
    assert progress(CASES, D(55)) == D("1.5")
    assert progress(CASES, D(36)) == D("-0.4")
    assert progress(CASES, None) is None
    assert progress(Plan(D(40), D(40), TARGET_ON), D(41)) is None


def test_it_suggests_nothing_before_the_first_measurement():
    assert suggest_status(HOURS, [], AFTER) is None


def test_it_suggests_realised_at_or_beyond_the_target_whatever_the_date():
    assert suggest_status(HOURS, points(300, 250), BEFORE) == REALISED
    assert suggest_status(HOURS, points(240), AFTER) == REALISED
    assert suggest_status(CASES, points(52), BEFORE) == REALISED


def test_it_suggests_realising_before_the_target_date_when_short_of_it():
    assert suggest_status(HOURS, points(390), BEFORE) == REALISING
    assert suggest_status(HOURS, points(420), TARGET_ON) == REALISING


def test_it_suggests_partly_or_not_realised_after_the_target_date():
    assert suggest_status(HOURS, points(300), AFTER) == PARTLY
    assert suggest_status(HOURS, points(400), AFTER) == NOT_REALISED
    assert suggest_status(CASES, points(38), AFTER) == NOT_REALISED


def test_it_takes_the_latest_measurement_by_date_not_by_order():
    later_better = [Point(date(2026, 2, 1), D(250)), Point(date(2026, 1, 1), D(400))]
    assert suggest_status(HOURS, later_better, AFTER) == REALISED


def test_it_compares_an_unchanged_target_by_direction():
    keep = Plan(baseline=D(90), target=D(90), target_on=TARGET_ON, direction=HIGHER)
    assert suggest_status(keep, points(90), AFTER) == REALISED
    assert suggest_status(keep, points(80), AFTER) == NOT_REALISED


def test_it_schedules_the_next_measurement_from_the_latest_or_the_baseline():
    assert next_measurement(None, date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert next_measurement(date(2026, 4, 15), date(2026, 1, 31), 3) == date(2026, 7, 15)


def test_it_calls_a_due_measurement_overdue_only_while_the_benefit_is_measured():
    today = date(2026, 5, 1)
    assert is_overdue(date(2026, 5, 1), REALISING, today)
    assert is_overdue(date(2026, 4, 1), PLANNED, today)
    assert not is_overdue(date(2026, 5, 2), REALISING, today)
    assert not is_overdue(date(2026, 4, 1), IDENTIFIED, today)
    assert not is_overdue(date(2026, 4, 1), REALISED, today)
    assert not is_overdue(None, REALISING, today)


def test_it_counts_improvement_in_the_benefits_direction():
    assert improvement(D(400), D(250), LOWER) == D(150)
    assert improvement(D(40), D(36), HIGHER) == D(-4)


def test_it_gives_the_realised_share_of_a_units_plan():
    total = UnitTotal("hours", benefits=2, measured=1, planned=D(300), realised=D(75))
    assert total.share == D("0.25")
    assert UnitTotal("DKK", 1, 0, D(0), D(0)).share is None
