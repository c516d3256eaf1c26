"""Gain of a KPI against its baseline, progress to a target, and a programme's portfolio mean.

Pure: plain numbers and dates in, ``Decimal`` (a fraction, 0.25 = 25 %) or ``None`` out; no
Django. ``None`` always means "not defined" (a zero baseline, no measurement yet, a target equal
to the baseline) and is shown as such, never as 0.

Sign convention: a **positive gain is an improvement**, whatever the direction.

* lower is better (minutes per invoice): ``gain = (baseline − value) / baseline``;
  baseline 20, measured 14 → (20 − 14) / 20 = 0.30, i.e. 30 % less time.
* higher is better (cases closed per week): ``gain = (value − baseline) / baseline``;
  baseline 40, measured 50 → (50 − 40) / 40 = 0.25.

A worse value gives a negative gain (baseline 20, measured 25, lower is better → −0.25). The
division is by ``|baseline|`` so that a negative baseline (a balance, a temperature) keeps the
sign convention; a zero baseline has no relative gain.

A programme's target such as "30 % on average in full operation" is a **portfolio mean**
(``portfolio_average``), not a threshold every pilot must pass: each pilot contributes the gain
of its *primary* KPI (the first by position) at that KPI's latest measurement
(``pilot_gain``); pilots whose gain is not defined are left out of the mean, not counted as 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

LOWER = "lower"
HIGHER = "higher"

Number = Decimal | int | float


def _dec(value: Number) -> Decimal:
    # str() keeps floats such as 0.1 from turning into 0.1000000000000000055…
    return value if isinstance(value, Decimal) else Decimal(str(value))


def gain(baseline: Number, value: Number, direction: str) -> Decimal | None:
    """The relative improvement of ``value`` over ``baseline`` (see the module's sign
    convention); ``None`` when the baseline is 0."""
    if direction not in (LOWER, HIGHER):
        raise ValueError(f"unknown direction {direction!r}")
    base, measured = _dec(baseline), _dec(value)
    if base == 0:
        return None
    change = base - measured if direction == LOWER else measured - base
    return change / abs(base)


@dataclass(frozen=True)
class Point:
    measured_on: date
    value: Decimal


@dataclass(frozen=True)
class KpiSeries:
    """What the gain of one KPI needs: its baseline, direction and measurements (any order)."""

    baseline: Decimal
    direction: str
    points: Sequence[Point]


def latest_point(points: Iterable[Point]) -> Point | None:
    """The measurement with the latest date, or ``None`` when there is none."""
    return max(points, key=lambda p: p.measured_on, default=None)


def latest_gain(kpi: KpiSeries) -> Decimal | None:
    """The gain at the KPI's latest measurement; ``None`` without measurements or with a zero
    baseline."""
    last = latest_point(kpi.points)
    if last is None:
        return None
    return gain(kpi.baseline, last.value, kpi.direction)


def progress_to_target(
    baseline: Number, target: Number | None, value: Number | None
) -> Decimal | None:
    """How far ``value`` has come from the baseline towards the target: 0 at the baseline,
    1 at the target, above 1 beyond it, negative when it moved the wrong way. Direction needs
    no argument: it is implicit in the target's side of the baseline. ``None`` without a target
    or a value, or when the target equals the baseline."""
    if target is None or value is None:
        return None
    base, goal = _dec(baseline), _dec(target)
    if goal == base:
        return None
    return (_dec(value) - base) / (goal - base)


# Why a target is refused (``target_problem``).
UNCHANGED = "unchanged"
WORSE = "worse"


def target_problem(baseline: Number, target: Number, direction: str) -> str | None:
    """Why ``target`` is no target for a KPI or benefit at ``baseline``: ``UNCHANGED`` when it
    equals the baseline (progress to it is not defined), ``WORSE`` when it lies on the worse
    side; ``None`` for an improvement."""
    if direction not in (LOWER, HIGHER):
        raise ValueError(f"unknown direction {direction!r}")
    base, goal = _dec(baseline), _dec(target)
    if goal == base:
        return UNCHANGED
    better = goal > base if direction == HIGHER else goal < base
    return None if better else WORSE


def pilot_gain(kpis: Sequence[KpiSeries]) -> Decimal | None:
    """A pilot's gain for the portfolio: the latest gain of its primary KPI, the first of
    ``kpis`` (pass them ordered by position); ``None`` without KPIs."""
    return latest_gain(kpis[0]) if kpis else None


def portfolio_average(gains: Iterable[Decimal | None]) -> Decimal | None:
    """The mean of the defined gains (one per pilot, see ``pilot_gain``); ``None`` when no
    pilot has a defined gain. Compare it with a programme's target such as 0.30."""
    defined = [g for g in gains if g is not None]
    if not defined:
        return None
    return sum(defined, Decimal(0)) / len(defined)
