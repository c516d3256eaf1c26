"""The booking rules with plain data: overlap, opening hours, whole days, length, capacity,
the past."""

from datetime import date, datetime, time

from samspil.hub import booking_rules as rules
from samspil.hub.booking_rules import Interval, Rules, Window

NOW = datetime(2026, 3, 1, 12, 0)  # a Sunday
MONDAY = date(2026, 3, 2)
OFFICE = tuple(Window(day, time(8), time(17)) for day in range(5))
HOURLY = Rules(unit=rules.HOUR, capacity=10, max_days=1, windows=OFFICE)
PERIOD = Rules(unit=rules.PERIOD, capacity=None, max_days=28)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


def codes(problems) -> list[str]:
    return [p.code for p in problems]


def test_it_accepts_a_booking_inside_the_opening_hours():
    assert rules.check(Interval(at(MONDAY, 9), at(MONDAY, 11)), HOURLY, now=NOW, people=4) == []


def test_it_lets_one_booking_end_when_the_next_begins():
    taken = [Interval(at(MONDAY, 9), at(MONDAY, 10))]
    assert rules.check(Interval(at(MONDAY, 10), at(MONDAY, 11)), HOURLY, now=NOW, taken=taken) == []
    assert rules.check(Interval(at(MONDAY, 8), at(MONDAY, 9)), HOURLY, now=NOW, taken=taken) == []


def test_it_refuses_an_overlap_and_names_the_first_clash():
    taken = [Interval(at(MONDAY, 13), at(MONDAY, 14)), Interval(at(MONDAY, 10), at(MONDAY, 11))]
    problems = rules.check(Interval(at(MONDAY, 9), at(MONDAY, 15)), HOURLY, now=NOW, taken=taken)
    assert codes(problems) == [rules.OVERLAP]
    assert problems[0].params["first"] == taken[1]
    assert problems[0].field == "start"


def test_it_refuses_an_end_before_the_start_alone():
    problems = rules.check(Interval(at(MONDAY, 11), at(MONDAY, 9)), HOURLY, now=NOW)
    assert codes(problems) == [rules.END_BEFORE_START]
    assert codes(rules.check(Interval(at(MONDAY, 9), at(MONDAY, 9)), HOURLY, now=NOW)) == [
        rules.END_BEFORE_START
    ]


def test_it_refuses_the_past():
    problems = rules.check(
        Interval(at(date(2026, 2, 27), 9), at(date(2026, 2, 27), 10)), HOURLY, now=NOW
    )
    assert codes(problems) == [rules.IN_THE_PAST]


def test_it_refuses_outside_the_opening_hours_and_names_them():
    early = rules.check(Interval(at(MONDAY, 7), at(MONDAY, 9)), HOURLY, now=NOW)
    late = rules.check(Interval(at(MONDAY, 16), at(MONDAY, 18)), HOURLY, now=NOW)
    overnight = rules.check(Interval(at(MONDAY, 16), at(date(2026, 3, 3), 9)), HOURLY, now=NOW)
    assert codes(early) == codes(late) == [rules.OUTSIDE_OPENING_HOURS]
    assert early[0].params["windows"] == [(time(8), time(17))]
    assert rules.OUTSIDE_OPENING_HOURS in codes(overnight)


def test_it_refuses_a_closed_day():
    saturday = date(2026, 3, 7)
    problems = rules.check(Interval(at(saturday, 10), at(saturday, 11)), HOURLY, now=NOW)
    assert codes(problems) == [rules.CLOSED] and problems[0].params == {"weekday": 5}


def test_it_fits_a_booking_into_one_of_several_windows_of_a_day():
    split = Rules(windows=(Window(0, time(8), time(12)), Window(0, time(17), time(22))))
    assert rules.check(Interval(at(MONDAY, 18), at(MONDAY, 21)), split, now=NOW) == []
    across = rules.check(Interval(at(MONDAY, 11), at(MONDAY, 18)), split, now=NOW)
    assert codes(across) == [rules.OUTSIDE_OPENING_HOURS]


def test_it_refuses_more_people_than_capacity_and_none():
    over = rules.check(Interval(at(MONDAY, 9), at(MONDAY, 10)), HOURLY, now=NOW, people=11)
    assert codes(over) == [rules.OVER_CAPACITY] and over[0].params["capacity"] == 10
    zero = rules.check(Interval(at(MONDAY, 9), at(MONDAY, 10)), HOURLY, now=NOW, people=0)
    assert codes(zero) == [rules.NO_PEOPLE]


def test_it_books_a_period_by_whole_days_up_to_the_longest_allowed():
    four_weeks = rules.whole_days(MONDAY, date(2026, 3, 29))
    assert rules.length_in_days(four_weeks) == 28
    assert rules.check(four_weeks, PERIOD, now=NOW, people=500) == []
    longer = rules.whole_days(MONDAY, date(2026, 3, 30))
    problems = rules.check(longer, PERIOD, now=NOW)
    assert codes(problems) == [rules.TOO_LONG]
    assert problems[0].params == {"days": 29, "max_days": 28}


def test_it_refuses_a_period_that_does_not_start_and_end_at_midnight():
    problems = rules.check(Interval(at(MONDAY, 9), at(date(2026, 3, 4), 0)), PERIOD, now=NOW)
    assert codes(problems) == [rules.NOT_WHOLE_DAYS]


def test_it_reports_every_problem_at_once():
    taken = [Interval(at(date(2026, 2, 27), 9), at(date(2026, 2, 27), 10))]
    problems = rules.check(
        Interval(at(date(2026, 2, 27), 7), at(date(2026, 2, 27), 10)),
        HOURLY,
        now=NOW,
        people=50,
        taken=taken,
    )
    assert codes(problems) == [
        rules.IN_THE_PAST,
        rules.OUTSIDE_OPENING_HOURS,
        rules.OVER_CAPACITY,
        rules.OVERLAP,
    ]
