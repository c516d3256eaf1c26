"""Figures of an event's satisfaction survey and cost, and their trend across a concept.

Pure: plain values in, dataclasses out; no Django. ``feedback_services`` adapts the rows.

Who counts as a participant: the people marked as attending once attendance is marked,
else every confirmed registration (the same rule as the groups use).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from samspil import charts

SCORES = ("satisfaction", "relevance", "organisation_rating")
SCALE = (1, 2, 3, 4, 5)
CENT = Decimal("0.01")
# A change smaller than this share of the series' mean is called steady, not a trend.
STEADY_SHARE = 0.02


def participant_count(confirmed: int, attended: int) -> int:
    """Attendees once attendance is marked, else the confirmed registrations."""
    return attended if attended else confirmed


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# Survey ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """One person's answer: three scores from 1 to 5 and two free texts."""

    satisfaction: int
    relevance: int
    organisation_rating: int
    went_well: str = ""
    improve: str = ""
    attended: bool = False


@dataclass(frozen=True)
class ScoreSummary:
    """One score: its mean and how many answered 1, 2, 3, 4 and 5."""

    name: str
    count: int
    mean: float | None
    distribution: tuple[int, ...]  # answers per value 1..5

    @property
    def rows(self) -> list[tuple[int, int, float]]:
        """(value, answers, share from 0 to 1) for each value 1..5, for bars."""
        return [
            (value, n, n / self.count if self.count else 0.0)
            for value, n in zip(SCALE, self.distribution, strict=True)
        ]


@dataclass(frozen=True)
class SurveySummary:
    responses: int
    participants: int
    response_rate: float | None  # 0..1; None without participants
    scores: dict[str, ScoreSummary]
    went_well: list[str] = field(default_factory=list)
    improve: list[str] = field(default_factory=list)

    @property
    def mean_satisfaction(self) -> float | None:
        return self.scores["satisfaction"].mean

    @property
    def score_list(self) -> list[ScoreSummary]:
        return [self.scores[name] for name in SCORES]


def summarise_scores(name: str, values: Iterable[int]) -> ScoreSummary:
    values = [v for v in values if v in SCALE]
    distribution = tuple(values.count(v) for v in SCALE)
    mean = sum(values) / len(values) if values else None
    return ScoreSummary(name=name, count=len(values), mean=mean, distribution=distribution)


def summarise_survey(answers: Sequence[Answer], confirmed: int, attended: int) -> SurveySummary:
    """Means and distributions of the scores, the free texts (without names) and the share
    of participants who answered. Once attendance is marked only attendees' answers count
    towards the response rate, as only attendees count as participants."""
    participants = participant_count(confirmed, attended)
    counted = sum(1 for a in answers if a.attended) if attended else len(answers)
    rate = min(1.0, counted / participants) if participants else None
    return SurveySummary(
        responses=len(answers),
        participants=participants,
        response_rate=rate,
        scores={
            name: summarise_scores(name, (getattr(a, name) for a in answers)) for name in SCORES
        },
        went_well=[a.went_well.strip() for a in answers if a.went_well.strip()],
        improve=[a.improve.strip() for a in answers if a.improve.strip()],
    )


# Cost ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostSummary:
    """Hours by role and money spent. ``staff_cost`` is None when no hourly rate is set; the
    total then holds the external costs only (``staff_priced`` tells which)."""

    hours_by_role: dict[str, Decimal]
    total_hours: Decimal
    hourly_rate: Decimal | None
    staff_cost: Decimal | None
    external_total: Decimal
    total_cost: Decimal
    participants: int
    cost_per_participant: Decimal | None
    hours_per_participant: Decimal | None

    @property
    def staff_priced(self) -> bool:
        return self.staff_cost is not None


def summarise_cost(
    hours: Iterable[tuple[str, Decimal]],
    external: Iterable[Decimal],
    hourly_rate: Decimal | None,
    confirmed: int,
    attended: int,
    roles: Sequence[str] = (),
) -> CostSummary:
    """``hours`` are (role, hours) lines; ``roles`` gives the order of the roles shown (roles
    not in it follow in the order met)."""
    by_role: dict[str, Decimal] = {}
    for role, amount in hours:
        by_role[role] = by_role.get(role, Decimal(0)) + Decimal(amount)
    ordered = {r: by_role[r] for r in roles if r in by_role}
    ordered.update({r: v for r, v in by_role.items() if r not in ordered})
    total_hours = sum(ordered.values(), Decimal(0))
    staff_cost = _cents(total_hours * Decimal(hourly_rate)) if hourly_rate is not None else None
    external_total = sum((Decimal(a) for a in external), Decimal(0))
    total_cost = external_total + (staff_cost or Decimal(0))
    participants = participant_count(confirmed, attended)
    return CostSummary(
        hours_by_role=ordered,
        total_hours=total_hours,
        hourly_rate=Decimal(hourly_rate) if hourly_rate is not None else None,
        staff_cost=staff_cost,
        external_total=external_total,
        total_cost=total_cost,
        participants=participants,
        cost_per_participant=_cents(total_cost / participants) if participants else None,
        hours_per_participant=_cents(total_hours / participants) if participants else None,
    )


# Trend across the events of a concept --------------------------------------------------------

FALLING, RISING, STEADY = "falling", "rising", "steady"


@dataclass(frozen=True)
class EventFigures:
    """One event's figures in a concept's trend; ``key`` identifies the event to the caller."""

    key: Any
    date: date
    title: str
    participants: int
    cost_per_participant: Decimal | None
    hours_per_participant: Decimal | None
    mean_satisfaction: float | None
    responses: int = 0


@dataclass(frozen=True)
class Direction:
    """Where one series goes: the least-squares slope per event (x = the event's place in
    date order), the first and last known values, and a word for it ("" under two values)."""

    slope: float | None
    first: float | None
    last: float | None
    direction: str
    values: int

    @property
    def change(self) -> float | None:
        if self.first is None or self.last is None:
            return None
        return self.last - self.first

    @property
    def relative_change(self) -> float | None:
        """The change from first to last as a share of the first value (None from 0)."""
        if self.change is None or not self.first:
            return None
        return self.change / self.first


def least_squares_slope(points: Sequence[tuple[float, float]]) -> float | None:
    """The slope of the least-squares line through (x, y) points; None under two distinct x."""
    n = len(points)
    if n < 2:
        return None
    mean_x = sum(x for x, _y in points) / n
    mean_y = sum(y for _x, y in points) / n
    spread = sum((x - mean_x) ** 2 for x, _y in points)
    if spread == 0:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread


def direction_of(values: Sequence[float | None]) -> Direction:
    """Direction of a series in event order; events without a value are left out."""
    points = [(float(i), float(v)) for i, v in enumerate(values) if v is not None]
    slope = least_squares_slope(points)
    word = ""
    if slope is not None:
        mean = abs(sum(y for _x, y in points) / len(points))
        # The fitted change over the series, compared with its size.
        span = slope * (points[-1][0] - points[0][0])
        if abs(span) <= STEADY_SHARE * mean:
            word = STEADY
        elif span < 0:
            word = FALLING
        else:
            word = RISING
    return Direction(
        slope=slope,
        first=points[0][1] if points else None,
        last=points[-1][1] if points else None,
        direction=word,
        values=len(points),
    )


@dataclass(frozen=True)
class Trend:
    events: list[EventFigures]
    cost: Direction
    hours: Direction
    satisfaction: Direction

    @property
    def cheaper(self) -> bool:
        return self.cost.direction == FALLING

    @property
    def faster(self) -> bool:
        return self.hours.direction == FALLING


def concept_trend(events: Iterable[EventFigures]) -> Trend:
    """The events in date order with the direction of cost, hours and satisfaction."""
    ordered = sorted(events, key=lambda e: e.date)

    def floats(name: str) -> list[float | None]:
        values = (getattr(e, name) for e in ordered)
        return [float(v) if v is not None else None for v in values]

    return Trend(
        events=ordered,
        cost=direction_of(floats("cost_per_participant")),
        hours=direction_of(floats("hours_per_participant")),
        satisfaction=direction_of(floats("mean_satisfaction")),
    )


# The trend chart -------------------------------------------------------------------------------


def trend_chart(trend: Trend, *, cost_label: str, satisfaction_label: str) -> charts.TimeChart:
    """Cost per participant on the left axis from 0 and mean satisfaction on a right axis
    from 1 to 5, over the events' dates; the labels come translated from the caller."""
    return charts.time_chart(
        [
            charts.Series(cost_label, [(e.date, e.cost_per_participant) for e in trend.events]),
            charts.Series(
                satisfaction_label,
                [(e.date, e.mean_satisfaction) for e in trend.events],
                axis="right",
            ),
        ],
        y2_domain=(SCALE[0], SCALE[-1]),
    )
