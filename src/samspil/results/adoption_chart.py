"""Adoptions over time: how many organisations had taken a result up by the end of each month
(or year, for a long history). Pure: dates in, counts out; no Django.

The result page draws the counts as a line (``samspil.charts.time_chart``) with a table of the
same numbers beside it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

Period = Literal["month", "year"]
# Up to this many months the counts go by month; a longer history goes by year.
MONTHS_SHOWN = 36


@dataclass(frozen=True)
class AdoptionCount:
    """``period`` is the first day of the month (or year); ``new`` adoptions in it and
    ``total`` adoptions up to its end."""

    period: date
    new: int
    total: int


def period_of(day: date, period: Period) -> date:
    return date(day.year, 1, 1) if period == "year" else date(day.year, day.month, 1)


def _next(start: date, period: Period) -> date:
    if period == "year":
        return date(start.year + 1, 1, 1)
    return date(start.year + (start.month == 12), start.month % 12 + 1, 1)


def months_between(first: date, last: date) -> int:
    """Calendar months from ``first``'s month to ``last``'s, both counted."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def choose_period(dates: Iterable[date], *, months_shown: int = MONTHS_SHOWN) -> Period:
    days = list(dates)
    if not days:
        return "month"
    return "month" if months_between(min(days), max(days)) <= months_shown else "year"


def cumulative_adoptions(
    dates: Iterable[date], *, period: Period | None = None, until: date | None = None
) -> list[AdoptionCount]:
    """One row per month (or year) from the first adoption to the last (or to ``until`` when
    later), months without adoptions included so that the line rises in real time."""
    days = sorted(dates)
    if not days:
        return []
    chosen: Period = period or choose_period(days)
    per_period = Counter(period_of(day, chosen) for day in days)
    last = max(days[-1], until) if until is not None else days[-1]
    rows, total = [], 0
    current, end = period_of(days[0], chosen), period_of(last, chosen)
    while current <= end:
        new = per_period.get(current, 0)
        total += new
        rows.append(AdoptionCount(current, new, total))
        current = _next(current, chosen)
    return rows
