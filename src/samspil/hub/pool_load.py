"""How much of a person's time their assignments take, day by day: pure functions on plain
data (no Django).

An assignment takes ``percent`` of the person's time on every day from ``starts_on`` to
``ends_on``, both included. The load on a day is the sum over the assignments covering it;
it is constant between the days where an assignment starts or the day after one ends, so
the functions sweep over those boundaries instead of over every day.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Span:
    """One assignment: a share of time over a period (both days included)."""

    starts_on: date
    ends_on: date
    percent: int


@dataclass(frozen=True)
class Segment:
    """A period (both days included) over which the load stays ``percent``."""

    starts_on: date
    ends_on: date
    percent: int


@dataclass(frozen=True)
class MemberLoad:
    """A person's peak load against their available share, and the over-booked periods."""

    available: int
    peak: Segment | None
    overbooked: tuple[Segment, ...]
    by_month: dict[tuple[int, int], int]

    @property
    def is_overbooked(self) -> bool:
        return bool(self.overbooked)


def segments(spans: Iterable[Span]) -> list[Segment]:
    """The load over time as periods of constant load (only periods with some load)."""
    changes: dict[date, int] = {}
    for span in spans:
        if span.ends_on < span.starts_on or span.percent <= 0:
            continue
        changes[span.starts_on] = changes.get(span.starts_on, 0) + span.percent
        after = span.ends_on + ONE_DAY
        changes[after] = changes.get(after, 0) - span.percent
    result: list[Segment] = []
    load = 0
    days = sorted(changes)
    for day, following in itertools.pairwise(days):
        load += changes[day]
        if load > 0:
            result.append(Segment(day, following - ONE_DAY, load))
    return result


def _merge(parts: Sequence[Segment]) -> list[Segment]:
    """Adjacent periods as one, with the highest load of them."""
    merged: list[Segment] = []
    for part in parts:
        if merged and merged[-1].ends_on + ONE_DAY == part.starts_on:
            last = merged[-1]
            merged[-1] = Segment(last.starts_on, part.ends_on, max(last.percent, part.percent))
        else:
            merged.append(part)
    return merged


def peak(spans: Iterable[Span]) -> Segment | None:
    """The first longest-running period of the highest load; None without any load."""
    best: Segment | None = None
    for part in _merge_equal(segments(spans)):
        if best is None or part.percent > best.percent:
            best = part
    return best


def _merge_equal(parts: Sequence[Segment]) -> list[Segment]:
    """Adjacent periods with the same load as one."""
    merged: list[Segment] = []
    for part in parts:
        last = merged[-1] if merged else None
        if last and last.ends_on + ONE_DAY == part.starts_on and last.percent == part.percent:
            merged[-1] = Segment(last.starts_on, part.ends_on, last.percent)
        else:
            merged.append(part)
    return merged


def overbooked(spans: Iterable[Span], available: int) -> list[Segment]:
    """The periods where the load is above ``available``, adjacent ones merged (their
    ``percent`` is the highest load within)."""
    return _merge([part for part in segments(spans) if part.percent > available])


def excess(existing: Iterable[Span], new: Span, available: int) -> Segment | None:
    """Whether adding ``new`` takes the load above ``available`` on any day of its period:
    the peak within the period when it does (its first period of highest load), else None."""
    within = [
        Segment(max(part.starts_on, new.starts_on), min(part.ends_on, new.ends_on), part.percent)
        for part in segments([*existing, new])
        if part.ends_on >= new.starts_on and part.starts_on <= new.ends_on
    ]
    top: Segment | None = None
    for part in _merge_equal(within):
        if top is None or part.percent > top.percent:
            top = part
    if top is None or top.percent <= available:
        return None
    return top


def months(first: date, count: int) -> list[tuple[int, int]]:
    """``count`` months as (year, month), starting with the month of ``first``."""
    year, month = first.year, first.month
    result = []
    for _ in range(count):
        result.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return start, following - ONE_DAY


def peak_by_month(spans: Iterable[Span], wanted: Sequence[tuple[int, int]]) -> dict:
    """The highest load on any day of each wanted month (0 when free)."""
    parts = segments(spans)
    result: dict[tuple[int, int], int] = {}
    for year, month in wanted:
        start, end = _month_bounds(year, month)
        result[(year, month)] = max(
            (p.percent for p in parts if p.ends_on >= start and p.starts_on <= end), default=0
        )
    return result


def member_load(
    spans: Sequence[Span], available: int, wanted: Sequence[tuple[int, int]] = ()
) -> MemberLoad:
    return MemberLoad(
        available=available,
        peak=peak(spans),
        overbooked=tuple(overbooked(spans, available)),
        by_month=peak_by_month(spans, wanted),
    )
