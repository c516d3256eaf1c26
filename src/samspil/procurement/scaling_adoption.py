"""Adoption over time of a scaled solution: how many organisations had bought it on each
date ("8 → 29"). Pure: (date, count) pairs in, dataclasses out; no Django.

A count is cumulative (organisations that *have* bought the solution), so a series never
falls: ``conflict`` names the neighbouring count that a new one would contradict.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class AdoptionPoint:
    counted_on: date
    organisations: int
    change: int | None = None  # since the point before; None for the first


@dataclass(frozen=True)
class Adoption:
    points: tuple[AdoptionPoint, ...]

    @property
    def empty(self) -> bool:
        return not self.points

    @property
    def first(self) -> AdoptionPoint | None:
        return self.points[0] if self.points else None

    @property
    def latest(self) -> AdoptionPoint | None:
        return self.points[-1] if self.points else None

    @property
    def growth(self) -> int:
        """Organisations gained from the first count to the latest."""
        if not self.points:
            return 0
        return self.points[-1].organisations - self.points[0].organisations

    @property
    def factor(self) -> Decimal | None:
        """Latest count over the first, to one decimal (29 / 8 → 3.6); None from zero."""
        if len(self.points) < 2 or self.points[0].organisations == 0:
            return None
        ratio = Decimal(self.points[-1].organisations) / Decimal(self.points[0].organisations)
        return ratio.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def growth_text(self) -> str:
        """ "8 → 29" from the first count to the latest; "8" for one count; "" for none."""
        if not self.points:
            return ""
        if len(self.points) == 1:
            return str(self.points[0].organisations)
        return f"{self.points[0].organisations} → {self.points[-1].organisations}"


def adoption(pairs: Iterable[tuple[date, int]]) -> Adoption:
    """The series in date order with the change from one count to the next. A date given
    twice keeps its last count."""
    by_date: dict[date, int] = {}
    for counted_on, organisations in pairs:
        by_date[counted_on] = int(organisations)
    points: list[AdoptionPoint] = []
    previous: int | None = None
    for counted_on in sorted(by_date):
        count = by_date[counted_on]
        points.append(
            AdoptionPoint(counted_on, count, None if previous is None else count - previous)
        )
        previous = count
    return Adoption(tuple(points))


@dataclass(frozen=True)
class Conflict:
    """A new count contradicts ``point``: lower than an earlier count (``earlier``) or higher
    than a later one."""

    point: AdoptionPoint
    earlier: bool


def conflict(series: Adoption, counted_on: date, organisations: int) -> Conflict | None:
    """Whether a count of ``organisations`` on ``counted_on`` would make the series fall:
    the latest earlier count above it, or the first later count below it."""
    for point in reversed(series.points):
        if point.counted_on < counted_on:
            if point.organisations > organisations:
                return Conflict(point, earlier=True)
            break
    for point in series.points:
        if point.counted_on > counted_on:
            if point.organisations < organisations:
                return Conflict(point, earlier=False)
            break
    return None
