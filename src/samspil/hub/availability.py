"""A resource's free and taken time for its calendar, as pure functions of plain data.

A resource booked by the hour gets a week: one row per hour between the earliest opening
and the latest closing of the week, one column per day. A resource booked by the period
gets a month: weeks of days. Each cell has a state that the page writes out in words
(never colour alone): closed, past, free, requested (held while awaiting approval) or
booked. Times are naive local wall-clock times, as in ``booking_rules``.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .booking_rules import Interval, Window

CLOSED, PAST, FREE, REQUESTED, BOOKED = "closed", "past", "free", "requested", "booked"


@dataclass(frozen=True)
class Taken:
    """An active booking's time; ``requested`` while it awaits approval."""

    start: datetime
    end: datetime
    requested: bool = False


@dataclass(frozen=True)
class Cell:
    start: datetime
    end: datetime
    state: str


@dataclass(frozen=True)
class WeekRow:
    hour: time
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Week:
    monday: date
    days: tuple[date, ...]
    rows: tuple[WeekRow, ...]

    @property
    def previous(self) -> date:
        return self.monday - timedelta(days=7)

    @property
    def next(self) -> date:
        return self.monday + timedelta(days=7)


@dataclass(frozen=True)
class DayCell:
    day: date
    state: str


@dataclass(frozen=True)
class Month:
    first: date
    weeks: tuple[tuple[DayCell | None, ...], ...]

    @property
    def previous(self) -> date:
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        return (self.first + timedelta(days=32)).replace(day=1)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _state(slot: Interval, taken: Sequence[Taken], now: datetime) -> str:
    clashes = [t for t in taken if t.start < slot.end and slot.start < t.end]
    if any(not t.requested for t in clashes):
        return BOOKED
    if clashes:
        return REQUESTED
    if slot.end <= now:
        return PAST
    return FREE


def _open_during(slot: Interval, windows: Sequence[Window]) -> bool:
    weekday = slot.start.weekday()
    return any(
        w.weekday == weekday
        and datetime.combine(slot.start.date(), w.opens) < slot.end
        and slot.start < datetime.combine(slot.start.date(), w.closes)
        for w in windows
    )


def week(monday: date, windows: Sequence[Window], taken: Sequence[Taken], now: datetime) -> Week:
    """The week from ``monday`` by the hour; no rows when the resource never opens."""
    days = tuple(monday + timedelta(days=i) for i in range(7))
    if not windows:
        return Week(monday, days, ())
    first = min(w.opens.hour for w in windows)
    last = max(w.closes.hour + (1 if w.closes.minute or w.closes.second else 0) for w in windows)
    rows = []
    for hour in range(first, min(last, 24)):
        cells = []
        for day in days:
            start = datetime.combine(day, time(hour))
            slot = Interval(start, start + timedelta(hours=1))
            state = _state(slot, taken, now) if _open_during(slot, windows) else CLOSED
            cells.append(Cell(slot.start, slot.end, state))
        rows.append(WeekRow(time(hour), tuple(cells)))
    return Week(monday, days, tuple(rows))


def month(first: date, taken: Sequence[Taken], now: datetime) -> Month:
    """The month of ``first`` by the day, in weeks from Monday (None outside the month)."""
    first = first.replace(day=1)
    weeks = []
    for dates in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        row: list[DayCell | None] = []
        for day in dates:
            if day.month != first.month:
                row.append(None)
                continue
            start = datetime.combine(day, time(0))
            slot = Interval(start, start + timedelta(days=1))
            row.append(DayCell(day, _state(slot, taken, now)))
        weeks.append(tuple(row))
    return Month(first, tuple(weeks))
