"""The calendar's week and month with plain data: each cell's state in words."""

from datetime import date, datetime, time

from samspil.hub import availability
from samspil.hub.availability import Taken
from samspil.hub.booking_rules import Window

MONDAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 3, 12, 30)  # Tuesday noon
EVENINGS = (
    *tuple(Window(day, time(17), time(22)) for day in range(5)),
    Window(5, time(9), time(18)),
)


def cell(week, day: int, hour: int):
    row = next(r for r in week.rows if r.hour == time(hour))
    return row.cells[day]


def test_it_draws_the_week_by_the_hour_between_the_earliest_opening_and_latest_closing():
    week = availability.week(MONDAY, EVENINGS, [], NOW)
    assert [r.hour.hour for r in week.rows] == list(range(9, 22))
    assert len(week.days) == 7 and week.days[0] == MONDAY
    assert cell(week, 0, 10).state == availability.CLOSED  # Monday morning
    assert cell(week, 5, 10).state == availability.FREE  # Saturday morning
    assert cell(week, 6, 10).state == availability.CLOSED  # Sunday
    assert cell(week, 0, 18).state == availability.PAST  # Monday evening, before now
    assert cell(week, 2, 18).state == availability.FREE


def test_it_marks_booked_and_requested_hours():
    taken = [
        Taken(datetime(2026, 3, 4, 18), datetime(2026, 3, 4, 20)),
        Taken(datetime(2026, 3, 5, 19, 30), datetime(2026, 3, 5, 21), requested=True),
    ]
    week = availability.week(MONDAY, EVENINGS, taken, NOW)
    assert [cell(week, 2, h).state for h in (17, 18, 19, 20)] == [
        "free",
        "booked",
        "booked",
        "free",
    ]
    assert [cell(week, 3, h).state for h in (18, 19, 20, 21)] == [
        "free",
        "requested",
        "requested",
        "free",
    ]


def test_it_has_no_rows_when_the_resource_never_opens():
    assert availability.week(MONDAY, (), [], NOW).rows == ()


def test_it_draws_the_month_by_the_day_from_monday():
    taken = [Taken(datetime(2026, 3, 9), datetime(2026, 3, 21))]
    month = availability.month(date(2026, 3, 15), taken, NOW)
    assert month.first == date(2026, 3, 1)
    assert month.weeks[0][:6] == (None,) * 6  # 1 March 2026 is a Sunday
    days = {c.day: c.state for week in month.weeks for c in week if c}
    assert len(days) == 31
    assert days[date(2026, 3, 2)] == "past"
    assert days[date(2026, 3, 8)] == "free"
    assert days[date(2026, 3, 9)] == days[date(2026, 3, 20)] == "booked"
    assert days[date(2026, 3, 21)] == "free"
    assert (month.previous, month.next) == (date(2026, 2, 1), date(2026, 4, 1))


def test_it_steps_weeks():
    week = availability.week(MONDAY, EVENINGS, [], NOW)
    assert (week.previous, week.next) == (date(2026, 2, 23), date(2026, 3, 9))
    assert availability.monday_of(date(2026, 3, 8)) == MONDAY
