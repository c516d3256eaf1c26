"""Permission-filtered reads of benefits plans: a pilot's benefits with their latest
measurement, one benefit with its measurements, and a programme's realised vs planned
benefits — each in a fixed number of queries however many rows there are."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    Min,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Lower, Trim
from django.shortcuts import get_object_or_404

from samspil.core import permissions
from samspil.core.models import Organisation

from . import benefits, programme_queries
from .gain import Point
from .models import Benefit, BenefitMeasurement, BenefitStatus, Direction, Pilot, Programme

AMOUNT: DecimalField = DecimalField(max_digits=18, decimal_places=4)


def _latest(field: str) -> Subquery:
    return Subquery(
        BenefitMeasurement.objects.filter(benefit=OuterRef("pk"))
        .order_by("-measured_on", "-pk")
        .values(field)[:1]
    )


def with_latest(rows: QuerySet[Benefit]) -> QuerySet[Benefit]:
    """Each benefit with ``latest_value`` and ``latest_on`` of its latest measurement."""
    return rows.annotate(
        latest_value=_latest("value"),
        latest_on=_latest("measured_on"),
        measurement_count=Count("measurements"),
    )


def benefits_of(pilot: Pilot, today: date, *, holders: bool = True) -> list[Benefit]:
    """A pilot's benefits plan (the caller has checked the pilot is visible), each with its
    latest measurement, progress, suggested status and whether a measurement is overdue;
    with its holders (one more query) unless ``holders`` is False."""
    rows_qs = with_latest(pilot.benefits.select_related("owner")).order_by("pk")
    if holders:
        rows_qs = rows_qs.prefetch_related(
            Prefetch("holders", queryset=Organisation.objects.order_by("name", "pk"))
        )
    rows = list(rows_qs)
    for benefit in rows:
        describe(benefit, today)
    return rows


def benefits_with_measurements(pilot: Pilot) -> QuerySet[Benefit]:
    """A pilot's benefits with owner, holders and all measurements (for the API): three
    queries. ``describe_all`` adds progress and the suggested status once fetched."""
    return (
        pilot.benefits.select_related("owner")
        .prefetch_related(
            Prefetch("holders", queryset=Organisation.objects.order_by("name", "pk")),
            Prefetch(
                "measurements",
                queryset=BenefitMeasurement.objects.select_related("recorded_by").order_by(
                    "measured_on", "pk"
                ),
            ),
        )
        .order_by("pk")
    )


def describe_all(rows, today: date) -> list[Benefit]:
    """``describe`` each benefit of ``benefits_with_measurements`` from its measurements."""
    found = list(rows)
    for benefit in found:
        points = [Point(m.measured_on, m.value) for m in benefit.measurements.all()]
        describe(benefit, today, points)
    return found


def describe(benefit: Benefit, today: date, points: list[Point] | None = None) -> Benefit:
    """Set ``progress``, ``suggested_status`` and ``overdue`` on a benefit annotated by
    ``with_latest`` (or given all its ``points``)."""
    plan = plan_of(benefit)
    if points is None:
        latest = getattr(benefit, "latest_value", None)
        points = [] if latest is None else [Point(benefit.latest_on, latest)]  # type: ignore[attr-defined]
    last = max(points, key=lambda p: p.measured_on, default=None)
    benefit.progress = benefits.progress(plan, last.value if last else None)  # type: ignore[attr-defined]
    suggested = benefits.suggest_status(plan, points, today)
    benefit.suggested_status = suggested  # type: ignore[attr-defined]
    benefit.suggested_label = BenefitStatus(suggested).label if suggested else ""  # type: ignore[attr-defined]
    benefit.overdue = benefits.is_overdue(benefit.next_measurement_on, benefit.status, today)  # type: ignore[attr-defined]
    return benefit


def plan_of(benefit: Benefit) -> benefits.Plan:
    return benefits.Plan(
        baseline=benefit.baseline_value,
        target=benefit.target_value,
        target_on=benefit.target_on,
        direction=benefit.direction,
    )


def get_benefit(pilot: Pilot, pk) -> Benefit:
    """One benefit of a pilot the caller may see (404 for another pilot's)."""
    return get_object_or_404(
        Benefit.objects.select_related("owner", "pilot__owner", "pilot__programme"),
        pilot=pilot,
        pk=pk,
    )


def get_benefit_for_user(user, pk) -> Benefit:
    """A benefit of a pilot the user may see; 404 otherwise."""
    return get_object_or_404(
        Benefit.objects.select_related("owner", "pilot__owner", "pilot__programme").filter(
            pilot__in=permissions.pilots_visible_to(user)
        ),
        pk=pk,
    )


def measurements_of(benefit: Benefit) -> list[BenefitMeasurement]:
    """The benefit's measurements by date, each with its ``progress`` to the target."""
    plan = plan_of(benefit)
    rows = list(benefit.measurements.select_related("recorded_by").order_by("measured_on", "pk"))
    for measurement in rows:
        measurement.progress = benefits.progress(plan, measurement.value)  # type: ignore[attr-defined]
    return rows


# A programme's benefits ----------------------------------------------------------------------


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class ProgrammeBenefits:
    statuses: list[StatusCount]
    units: list[benefits.UnitTotal]

    @property
    def total(self) -> int:
        return sum(s.count for s in self.statuses)


def _improvement(of) -> Case:
    """The improvement of ``of`` on the baseline in the benefit's unit (see
    ``benefits.improvement``)."""
    return Case(
        When(direction=Direction.LOWER, then=F("baseline_value") - of),
        default=of - F("baseline_value"),
        output_field=AMOUNT,
    )


def programme_benefits(user, programme: Programme) -> ProgrammeBenefits:
    """Counts by status and realised vs planned per unit over the programme's pilots that
    ``user`` sees in its portfolio (``programme_queries.portfolio_pilots``: the programme's
    own people see all of them): two queries, aggregated in the database."""
    rows = Benefit.objects.filter(
        pilot__programme=programme, pilot__in=programme_queries.portfolio_pilots(user)
    )
    counts = dict(rows.order_by().values_list("status").annotate(n=Count("pk")))
    statuses = [
        StatusCount(status, str(label), counts.get(status, 0))
        for status, label in BenefitStatus.choices
    ]
    latest = _latest("value")
    per_unit = (
        rows.annotate(latest=latest, key=Lower(Trim("unit")))
        .order_by()
        .values("key")
        .annotate(
            name=Min(Trim("unit")),
            benefits=Count("pk"),
            measured=Count("latest"),
            planned=Sum(_improvement(F("target_value"))),
            realised=Sum(
                Case(
                    When(latest__isnull=True, then=Value(Decimal(0))),
                    default=_improvement(F("latest")),
                    output_field=AMOUNT,
                )
            ),
        )
        .order_by("key")
    )
    units = [
        benefits.UnitTotal(
            unit=row["name"],
            benefits=row["benefits"],
            measured=row["measured"],
            planned=row["planned"] or Decimal(0),
            realised=row["realised"] or Decimal(0),
        )
        for row in per_unit
    ]
    return ProgrammeBenefits(statuses, units)
