"""The rules a booking must keep, as pure functions of plain data (no Django).

Times are naive local wall-clock times (the service converts them); opening hours are
weekday windows (0 is Monday). A booking by the hour lies inside one opening window of its
day; a booking by the period covers whole days from midnight to midnight and ignores
opening hours. Two bookings overlap when each starts before the other ends, so one may end
exactly when the next begins.

``check`` returns every problem found, each as a code with the facts a message needs; the
service turns them into translated messages on the field concerned.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

HOUR, PERIOD = "hour", "period"

# Problem codes.
END_BEFORE_START = "end_before_start"
IN_THE_PAST = "in_the_past"
NOT_WHOLE_DAYS = "not_whole_days"
OUTSIDE_OPENING_HOURS = "outside_opening_hours"
CLOSED = "closed"
TOO_LONG = "too_long"
OVER_CAPACITY = "over_capacity"
NO_PEOPLE = "no_people"
OVERLAP = "overlap"

# The field each problem is shown on.
FIELD_OF = {
    END_BEFORE_START: "end",
    IN_THE_PAST: "start",
    NOT_WHOLE_DAYS: "start",
    OUTSIDE_OPENING_HOURS: "start",
    CLOSED: "start",
    TOO_LONG: "end",
    OVER_CAPACITY: "people",
    NO_PEOPLE: "people",
    OVERLAP: "start",
}


@dataclass(frozen=True)
class Interval:
    start: datetime
    end: datetime

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Window:
    """Open on ``weekday`` from ``opens`` to ``closes`` (closes after opens)."""

    weekday: int
    opens: time
    closes: time


@dataclass(frozen=True)
class Rules:
    unit: str = HOUR
    capacity: int | None = None
    max_days: int | None = None
    windows: tuple[Window, ...] = ()


@dataclass(frozen=True)
class Problem:
    code: str
    params: dict = field(default_factory=dict)

    @property
    def field(self) -> str:
        return FIELD_OF[self.code]


def overlaps(interval: Interval, taken: Iterable[Interval]) -> list[Interval]:
    """The taken intervals that ``interval`` overlaps, in order."""
    return sorted((t for t in taken if interval.overlaps(t)), key=lambda t: (t.start, t.end))


def windows_of(day: datetime, windows: Sequence[Window]) -> list[Window]:
    weekday = day.weekday()
    return sorted((w for w in windows if w.weekday == weekday), key=lambda w: w.opens)


def inside_opening_hours(interval: Interval, windows: Sequence[Window]) -> bool:
    """Whether the interval lies inside one opening window of one day."""
    start, end = interval.start, interval.end
    same_day = end.date() == start.date()
    for window in windows_of(start, windows):
        if start.time() < window.opens:
            continue
        if same_day and end.time() <= window.closes:
            return True
    return False


def is_midnight(moment: datetime) -> bool:
    return moment.time() == time(0, 0)


def length_in_days(interval: Interval) -> int:
    """Calendar days the interval touches (a period of whole days counts its days)."""
    last = interval.end - timedelta(microseconds=1)
    return (last.date() - interval.start.date()).days + 1


def check(
    interval: Interval,
    rules: Rules,
    *,
    now: datetime,
    people: int | None = None,
    taken: Iterable[Interval] = (),
) -> list[Problem]:
    """Every problem of booking ``interval`` under ``rules`` at ``now``; empty when it may be
    booked. ``taken`` are the intervals active bookings hold."""
    problems: list[Problem] = []
    if interval.end <= interval.start:
        return [Problem(END_BEFORE_START)]
    if interval.start < now:
        problems.append(Problem(IN_THE_PAST))
    if rules.unit == PERIOD:
        if not (is_midnight(interval.start) and is_midnight(interval.end)):
            problems.append(Problem(NOT_WHOLE_DAYS))
    elif not inside_opening_hours(interval, rules.windows):
        day = windows_of(interval.start, rules.windows)
        if not day:
            problems.append(Problem(CLOSED, {"weekday": interval.start.weekday()}))
        else:
            problems.append(
                Problem(
                    OUTSIDE_OPENING_HOURS,
                    {"windows": [(w.opens, w.closes) for w in day]},
                )
            )
    days = length_in_days(interval)
    if rules.max_days is not None and days > rules.max_days:
        problems.append(Problem(TOO_LONG, {"days": days, "max_days": rules.max_days}))
    if people is not None and people < 1:
        problems.append(Problem(NO_PEOPLE))
    elif people is not None and rules.capacity is not None and people > rules.capacity:
        problems.append(Problem(OVER_CAPACITY, {"people": people, "capacity": rules.capacity}))
    clashes = overlaps(interval, taken)
    if clashes:
        problems.append(Problem(OVERLAP, {"first": clashes[0]}))
    return problems


def whole_days(first_day, last_day) -> Interval:
    """The period from the first day's midnight to the midnight after the last day."""
    start = datetime.combine(first_day, time(0, 0))
    end = datetime.combine(last_day, time(0, 0)) + timedelta(days=1)
    return Interval(start, end)
