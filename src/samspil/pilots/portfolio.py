"""A programme's portfolio in figures: each pilot's line, the average gain against the target,
counts per phase and status, the timeline and the organisation's funnel.

Pure: plain data in, dataclasses out; no Django. The gain rule is ``samspil.pilots.gain``'s
(a pilot's gain is the gain of its first KPI at its latest measurement; pilots without one
are left out of the average, not counted as 0); the length rules are ``samspil.pilots.rules``'.
Gains and averages are fractions (0.30 = 30 %); a programme's target is in percent as stored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from . import gain as gains
from . import rules

MET = "met"
NOT_MET = "not_met"
NOT_DEFINED = "not_defined"  # no pilot has a gain yet, or the programme has no target

PLAN_TOO_LONG = "plan_too_long"
RUNNING_TOO_LONG = "running_too_long"

RUNNING = "running"


@dataclass(frozen=True)
class PilotFacts:
    """What the portfolio needs of one pilot: the first KPI's baseline and direction and the
    value of its latest measurement (``None`` without a KPI or a measurement)."""

    pk: int
    title: str
    status: str
    starts_on: date
    planned_end_on: date
    ended_on: date | None = None
    organisation: str = ""
    phase: str | None = None
    phase_position: int | None = None
    baseline: Decimal | None = None
    direction: str | None = None
    latest_value: Decimal | None = None
    latest_on: date | None = None


@dataclass(frozen=True)
class PilotLine:
    facts: PilotFacts
    gain: Decimal | None
    warnings: tuple[str, ...]

    @property
    def end(self) -> date:
        """Where the pilot's bar ends: when it ended, else its planned end."""
        return self.facts.ended_on or self.facts.planned_end_on


@dataclass(frozen=True)
class TargetCheck:
    average: Decimal | None  # a fraction
    target: Decimal | None  # a fraction
    verdict: str  # MET, NOT_MET or NOT_DEFINED
    measured: int  # pilots with a gain, those the average is made of

    @property
    def met(self) -> bool | None:
        return None if self.verdict == NOT_DEFINED else self.verdict == MET


@dataclass(frozen=True)
class Count:
    key: str | None  # a phase name (None: no phase) or a status code
    count: int


@dataclass(frozen=True)
class Portfolio:
    lines: tuple[PilotLine, ...]
    target: TargetCheck
    per_phase: tuple[Count, ...]
    per_status: tuple[Count, ...]
    warned: int  # pilots with a length warning


@dataclass(frozen=True)
class FunnelStage:
    key: str  # "needs", "challenges", "pilots" or "outcomes"
    count: int
    share_of_previous: Decimal | None  # None for the first stage or after an empty one


FUNNEL_KEYS = ("needs", "challenges", "pilots", "outcomes")


def gain_from(
    baseline: Decimal | None, direction: str | None, latest_value: Decimal | None
) -> Decimal | None:
    """The gain of a first KPI at its latest value; None without a KPI or a measurement."""
    if latest_value is None or baseline is None or direction is None:
        return None
    return gains.gain(baseline, latest_value, direction)


def pilot_gain(facts: PilotFacts) -> Decimal | None:
    return gain_from(facts.baseline, facts.direction, facts.latest_value)


def length_warnings(
    starts_on: date,
    planned_end_on: date,
    status: str,
    max_months: int | None,
    today: date,
) -> tuple[str, ...]:
    """``PLAN_TOO_LONG`` when the plan exceeds the programme's maximum length,
    ``RUNNING_TOO_LONG`` when a running pilot has passed it."""
    found = []
    if rules.plan_exceeds_max(starts_on, planned_end_on, max_months):
        found.append(PLAN_TOO_LONG)
    if status == RUNNING and rules.running_past_max(starts_on, today, max_months):
        found.append(RUNNING_TOO_LONG)
    return tuple(found)


def line(facts: PilotFacts, max_months: int | None, today: date) -> PilotLine:
    return PilotLine(
        facts=facts,
        gain=pilot_gain(facts),
        warnings=length_warnings(
            facts.starts_on, facts.planned_end_on, facts.status, max_months, today
        ),
    )


def target_check(gains_of_pilots: Iterable[Decimal | None], target_percent) -> TargetCheck:
    """The mean of the defined gains against the target (in percent, e.g. 30); "met" when the
    mean reaches it. Not defined without a gain or without a target."""
    defined = [g for g in gains_of_pilots if g is not None]
    average = gains.portfolio_average(defined)
    target = None if target_percent is None else Decimal(str(target_percent)) / 100
    if average is None or target is None:
        verdict = NOT_DEFINED
    else:
        verdict = MET if average >= target else NOT_MET
    return TargetCheck(average=average, target=target, verdict=verdict, measured=len(defined))


def _per_phase(facts: Sequence[PilotFacts]) -> tuple[Count, ...]:
    """Counts in phase order (pilots of one programme may follow different phase models, so
    equal positions are ordered by name); pilots without a phase come last."""
    counts = Counter((f.phase_position, f.phase) for f in facts)
    ordered = sorted(
        counts.items(),
        key=lambda item: (item[0][1] is None, item[0][0] or 0, item[0][1] or ""),
    )
    return tuple(Count(phase, count) for (_position, phase), count in ordered)


def _per_status(facts: Sequence[PilotFacts], statuses: Sequence[str]) -> tuple[Count, ...]:
    counts = Counter(f.status for f in facts)
    known = [Count(s, counts[s]) for s in statuses]
    unknown = [Count(s, n) for s, n in sorted(counts.items()) if s not in statuses]
    return tuple(known + unknown)


def portfolio(
    facts: Iterable[PilotFacts],
    *,
    target_percent,
    max_months: int | None,
    today: date,
    statuses: Sequence[str] = ("planned", "running", "completed", "stopped"),
) -> Portfolio:
    """Every pilot's line, the average against the target and the counts, in one pass."""
    facts = list(facts)
    lines = tuple(line(f, max_months, today) for f in facts)
    return Portfolio(
        lines=lines,
        target=target_check((item.gain for item in lines), target_percent),
        per_phase=_per_phase(facts),
        per_status=_per_status(facts, statuses),
        warned=sum(1 for item in lines if item.warnings),
    )


def funnel(needs: int, challenges: int, pilots: int, outcomes: int) -> tuple[FunnelStage, ...]:
    """Needs → challenges → pilots → outcomes, each with its share of the stage before."""
    stages = []
    previous: int | None = None
    for key, count in zip(FUNNEL_KEYS, (needs, challenges, pilots, outcomes), strict=True):
        share = None if not previous else Decimal(count) / Decimal(previous)
        stages.append(FunnelStage(key, count, share))
        previous = count
    return tuple(stages)
