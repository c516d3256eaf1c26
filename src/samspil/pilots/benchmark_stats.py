"""Positions, median and best value of a benchmark: plain numbers in, plain numbers out.

No Django. Values are Decimals or floats (not mixed in one call). A benchmark compares the
latest values of one KPI definition across pilots; which value is better depends on the
definition's direction ("lower" or "higher" is better, as in ``samspil.pilots.gain``).
``None`` stands for a KPI without any measurement: it has no position and does not count
towards the median or the best value.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TypeVar

from .gain import HIGHER, LOWER

N = TypeVar("N", Decimal, float)


def _check(direction: str) -> None:
    if direction not in (LOWER, HIGHER):
        raise ValueError(f"unknown direction {direction!r}")


def positions(values: Sequence[N | None], direction: str) -> list[int | None]:
    """The position of each value, 1 for the best; equal values share a position and the next
    one skips accordingly (1, 2, 2, 4). ``None`` values get ``None``."""
    _check(direction)
    measured = sorted((v for v in values if v is not None), reverse=direction == HIGHER)
    first_at: dict[N, int] = {}
    for index, value in enumerate(measured, start=1):
        first_at.setdefault(value, index)
    return [None if v is None else first_at[v] for v in values]


def median(values: Sequence[N | None]) -> N | None:
    """The middle value (the mean of the two middle ones for an even count); ``None`` when
    nothing is measured."""
    measured = sorted(v for v in values if v is not None)
    if not measured:
        return None
    middle = len(measured) // 2
    if len(measured) % 2:
        return measured[middle]
    return (measured[middle - 1] + measured[middle]) / 2


def best(values: Sequence[N | None], direction: str) -> N | None:
    """The lowest value when lower is better, else the highest; ``None`` without values."""
    _check(direction)
    measured = [v for v in values if v is not None]
    if not measured:
        return None
    return min(measured) if direction == LOWER else max(measured)
