"""Benefits realisation, pure: how a benefit's status may move, which status its latest
measurement suggests, when the next measurement is due, and a programme's realised vs
planned benefits per unit. Plain values in and out; no Django (the services adapt rows).

Statuses run identified → planned → realising → one of the outcomes realised, partly
realised, not realised. A status moves one step forward or back; the three outcomes may
replace one another (a benefit partly realised at the target date may be realised later).

The suggestion compares the latest measurement with the target using
``gain.progress_to_target`` (0 at the baseline, 1 at the target):

* at or beyond the target → realised (at any date);
* before the target date and short of it → realising;
* after the target date: some progress → partly realised, none → not realised.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .gain import HIGHER, Point, latest_point, progress_to_target
from .rules import add_months

IDENTIFIED = "identified"
PLANNED = "planned"
REALISING = "realising"
REALISED = "realised"
PARTLY = "partly"
NOT_REALISED = "not_realised"

STATUSES = (IDENTIFIED, PLANNED, REALISING, REALISED, PARTLY, NOT_REALISED)
OUTCOMES = frozenset({REALISED, PARTLY, NOT_REALISED})
# Statuses in which measurements are expected: the owner is reminded when one is due.
MEASURED = frozenset({PLANNED, REALISING})

_STEP = {IDENTIFIED: 0, PLANNED: 1, REALISING: 2, REALISED: 3, PARTLY: 3, NOT_REALISED: 3}


def can_change_status(current: str, new: str) -> bool:
    """One step forward or back, or from one outcome to another; staying put is no change."""
    if current not in _STEP or new not in _STEP or current == new:
        return False
    return abs(_STEP[new] - _STEP[current]) <= 1


def next_statuses(current: str) -> list[str]:
    """The statuses ``current`` may move to, in the order of ``STATUSES``."""
    return [status for status in STATUSES if can_change_status(current, status)]


@dataclass(frozen=True)
class Plan:
    """What the suggestion needs of a benefit."""

    baseline: Decimal
    target: Decimal
    target_on: date
    direction: str = HIGHER


def reached(plan: Plan, value: Decimal) -> bool:
    """Whether ``value`` is at the target or beyond it in the plan's direction."""
    return value >= plan.target if plan.direction == HIGHER else value <= plan.target


def progress(plan: Plan, value: Decimal | None) -> Decimal | None:
    """0 at the baseline, 1 at the target (see ``gain.progress_to_target``); ``None``
    without a value or when the target equals the baseline."""
    return progress_to_target(plan.baseline, plan.target, value)


def suggest_status(plan: Plan, points: Iterable[Point], today: date) -> str | None:
    """The status the latest measurement suggests (see the module), ``None`` without one."""
    latest = latest_point(points)
    if latest is None:
        return None
    if reached(plan, latest.value):
        return REALISED
    if today <= plan.target_on:
        return REALISING
    moved = progress(plan, latest.value)
    return PARTLY if moved is not None and moved > 0 else NOT_REALISED


def next_measurement(last_measured_on: date | None, baseline_on: date, every_months: int) -> date:
    """When the next measurement is due: ``every_months`` after the latest measurement, or
    after the baseline date before the first one."""
    return add_months(last_measured_on or baseline_on, every_months)


def is_overdue(next_measurement_on: date | None, status: str, today: date) -> bool:
    """A measurement is overdue once its due date has come while the benefit is measured."""
    return next_measurement_on is not None and status in MEASURED and next_measurement_on <= today


# A programme's realised vs planned benefits --------------------------------------------------


@dataclass(frozen=True)
class UnitTotal:
    """The benefits of one unit across a programme: ``planned`` sums each target's
    improvement on its baseline, ``realised`` each latest measurement's (negative when
    things got worse); ``measured`` counts the benefits with a measurement."""

    unit: str
    benefits: int
    measured: int
    planned: Decimal
    realised: Decimal

    @property
    def share(self) -> Decimal | None:
        """Realised as a fraction of planned; ``None`` when nothing was planned."""
        return self.realised / self.planned if self.planned else None


def improvement(baseline: Decimal, value: Decimal, direction: str) -> Decimal:
    """How much better ``value`` is than the baseline, in the benefit's unit."""
    return value - baseline if direction == HIGHER else baseline - value
