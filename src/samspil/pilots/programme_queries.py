"""Permission-filtered reads of programmes and their portfolios, in constant query counts.

Who sees which pilots of a programme: everyone sees the pilots visible to them
(``permissions.pilots_visible_to``); the programme's own people — members of the owner or a
co-owner (or of an organisation above one), its board and its coordinator — see every pilot
in it, internal ones of a co-owner included, because steering a portfolio needs all of it.
A pilot's page still follows the pilot's own visibility, so its title links only where the
reader may open it.

A pilot's gain needs the latest measurement of its first KPI. ``with_gain_inputs`` adds it to
any pilot query as correlated subqueries: the first KPI by (position, pk), then the newest
measurement of that KPI through the (kpi, measured_on) index, so one query serves any number
of pilots. Averages are made from one ``values_list`` query and ``samspil.pilots.gain``; no
pilot objects are loaded for them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from samspil.core import permissions
from samspil.core.models import Organisation, User

from . import portfolio
from .models import Kpi, Measurement, Pilot, Programme

OVERVIEW_PROGRAMMES_MAX = 20


def participating_programmes(user) -> QuerySet[Programme]:
    """Programmes whose every pilot the user sees: those run or co-owned by the user's
    organisations (or ones above them), or whose board or coordinator the user is."""
    access = permissions.access_of(user)
    if access.is_superuser:
        return Programme.objects.all()
    if not user.is_authenticated:
        return Programme.objects.none()
    return Programme.objects.filter(
        Q(owner_id__in=access.sees_internal_of)
        | Q(co_owners__in=access.sees_internal_of)
        | Q(board=user.pk)
        | Q(coordinator=user.pk)
    )


def portfolio_pilots(user) -> QuerySet[Pilot]:
    """Pilots the user may see in a portfolio (see the module's rule)."""
    visible = permissions.pilots_visible_to(user)
    if permissions.access_of(user).is_superuser or not user.is_authenticated:
        return visible
    return Pilot.objects.filter(
        permissions.pilot_visible_q(user)
        | Q(programme_id__in=participating_programmes(user).values("pk"))
    )


def with_gain_inputs(pilots: QuerySet[Pilot]) -> QuerySet[Pilot]:
    """``kpi_baseline``, ``kpi_direction``, ``latest_value`` and ``latest_on`` of each
    pilot's first KPI (all None without a KPI; the last two None without a measurement)."""
    first_kpi = Kpi.objects.filter(pilot=OuterRef("pk")).order_by("position", "pk")
    latest = Measurement.objects.filter(kpi=OuterRef("first_kpi_id")).order_by(
        "-measured_on", "-pk"
    )
    return pilots.annotate(
        first_kpi_id=Subquery(first_kpi.values("pk")[:1]),
        kpi_baseline=Subquery(first_kpi.values("baseline_value")[:1]),
        kpi_direction=Subquery(first_kpi.values("direction")[:1]),
        latest_value=Subquery(latest.values("value")[:1]),
        latest_on=Subquery(latest.values("measured_on")[:1]),
    )


def _decimal(value) -> Decimal | None:
    # SQLite may hand back a float from an expression; the gain rule wants Decimal.
    return None if value is None else Decimal(str(value))


def gain_of(baseline, direction, value) -> Decimal | None:
    """The gain of a row of ``with_gain_inputs``."""
    return portfolio.gain_from(_decimal(baseline), direction, _decimal(value))


# One programme ----------------------------------------------------------------------------------


def programme_with_details(user, pk) -> Programme:
    """One programme the user may see (404 otherwise), with its people and organisations."""
    programme = permissions.get_programme_for_user(user, pk)
    return (
        Programme.objects.filter(pk=programme.pk)
        .select_related("owner", "coordinator", "phase_model", "created_by")
        .prefetch_related(
            Prefetch("co_owners", queryset=Organisation.objects.order_by("name")),
            Prefetch("board", queryset=User.objects.order_by("first_name", "last_name")),
        )
        .get()
    )


def programme_pilots(user, programme: Programme) -> QuerySet[Pilot]:
    return portfolio_pilots(user).filter(programme=programme)


def portfolio_facts(user, programme: Programme) -> list[portfolio.PilotFacts]:
    """Every pilot of the programme the user sees, as plain facts, in one query."""
    rows = (
        with_gain_inputs(programme_pilots(user, programme))  # type: ignore[misc]  # annotations
        .order_by("starts_on", "pk")
        .values_list(
            "pk",
            "title",
            "status",
            "starts_on",
            "planned_end_on",
            "ended_on",
            "owner__name",
            "current_phase__name",
            "current_phase__position",
            "kpi_baseline",
            "kpi_direction",
            "latest_value",
            "latest_on",
        )
    )
    return [
        portfolio.PilotFacts(
            pk=pk,
            title=title,
            status=status,
            starts_on=starts_on,
            planned_end_on=planned_end_on,
            ended_on=ended_on,
            organisation=organisation,
            phase=phase,
            phase_position=position,
            baseline=_decimal(baseline),
            direction=direction,
            latest_value=_decimal(value),
            latest_on=latest_on,
        )
        for (
            pk,
            title,
            status,
            starts_on,
            planned_end_on,
            ended_on,
            organisation,
            phase,
            position,
            baseline,
            direction,
            value,
            latest_on,
        ) in rows
    ]


def portfolio_of(user, programme: Programme, today: date | None = None) -> portfolio.Portfolio:
    return portfolio.portfolio(
        portfolio_facts(user, programme),
        target_percent=programme.gain_target_percent,
        max_months=programme.max_pilot_months,
        today=today or timezone.localdate(),
    )


def portfolio_rows(user, programme: Programme) -> QuerySet[Pilot]:
    """The pilots table (paginated by the caller; the figures come from ``portfolio_of``):
    each pilot with its organisation, phase and ``is_visible`` (whether the reader may open
    the pilot's page)."""
    return (
        programme_pilots(user, programme)
        .select_related("owner", "current_phase")
        .annotate(is_visible=permissions.is_visible_link(permissions.pilots_visible_to(user)))
        .order_by("starts_on", "pk")
    )


def attachable_pilots(user, programme: Programme, organisations: set[int]) -> QuerySet[Pilot]:
    """Pilots the user sees that are in no programme and run by one of ``organisations``
    (``programme_services.member_organisations``)."""
    return (
        permissions.pilots_visible_to(user)
        .filter(programme__isnull=True, owner_id__in=organisations)
        .select_related("owner")
        .order_by("title", "pk")
    )


# Lists of programmes ----------------------------------------------------------------------------


def programmes_for_list(user) -> QuerySet[Programme]:
    return (
        permissions.programmes_visible_to(user).select_related("owner").order_by("-starts_on", "pk")
    )


@dataclass(frozen=True)
class ProgrammeSummary:
    pilots: int
    target: portfolio.TargetCheck


def summaries(user, programmes) -> dict[int, ProgrammeSummary]:
    """Number of pilots and average gain against the target of each programme (those of one
    page), from one query over their pilots' gain inputs."""
    programmes = list(programmes)
    gains_by_programme: dict[int, list] = defaultdict(list)
    if programmes:
        pilots = portfolio_pilots(user).filter(programme_id__in=[p.pk for p in programmes])
        rows = (
            with_gain_inputs(pilots)  # type: ignore[misc]  # the stubs miss annotations
            .order_by()
            .values_list("programme_id", "kpi_baseline", "kpi_direction", "latest_value")
        )
        for programme_id, baseline, direction, value in rows:
            gains_by_programme[programme_id].append(gain_of(baseline, direction, value))
    return {
        p.pk: ProgrammeSummary(
            pilots=len(gains_by_programme[p.pk]),
            target=portfolio.target_check(gains_by_programme[p.pk], p.gain_target_percent),
        )
        for p in programmes
    }


# An organisation's portfolio --------------------------------------------------------------------


def overview_organisations(user) -> QuerySet[Organisation]:
    """The organisations whose overview the user may pick: their own and their parts."""
    access = permissions.access_of(user)
    if access.is_superuser:
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(pk__in=access.sees_internal_of).order_by("name")


def _tree_pilots(user, tree: set[int]) -> QuerySet[Pilot]:
    return permissions.pilots_visible_to(user).filter(owner_id__in=tree)


def funnel_of(user, organisation: Organisation) -> tuple[portfolio.FunnelStage, ...]:
    """Needs → challenges → pilots → outcomes of the organisation's tree, as far as the user
    sees them; an outcome is a pilot with a decided outcome."""
    tree = permissions._with_descendants({organisation.pk})
    needs = (
        permissions.needs_visible_to(user)
        .filter(Q(owner_id__in=tree) | Q(department_id__in=tree))
        .count()
    )
    challenges = permissions.challenges_visible_to(user).filter(owner_id__in=tree).count()
    pilots = _tree_pilots(user, tree).aggregate(
        total=Count("pk"), outcomes=Count("pk", filter=~Q(outcome=""))
    )
    return portfolio.funnel(needs, challenges, pilots["total"], pilots["outcomes"])


def organisation_timeline(
    user, organisation: Organisation, limit: int, today: date | None = None
) -> tuple[list[portfolio.PilotLine], int]:
    """The first ``limit`` pilots by start of the funnel's pilots (the organisation's tree,
    as far as the user sees them), each warned against its own programme's maximum length,
    and how many pilots there are: two queries."""
    pilots = _tree_pilots(user, permissions._with_descendants({organisation.pk}))
    rows = pilots.order_by("starts_on", "pk").values_list(
        "pk",
        "title",
        "status",
        "starts_on",
        "planned_end_on",
        "ended_on",
        "programme__max_pilot_months",
    )[:limit]
    today = today or timezone.localdate()
    lines = [
        portfolio.line(
            portfolio.PilotFacts(
                pk=pk,
                title=title,
                status=status,
                starts_on=starts_on,
                planned_end_on=planned_end_on,
                ended_on=ended_on,
            ),
            max_months,
            today,
        )
        for pk, title, status, starts_on, planned_end_on, ended_on, max_months in rows
    ]
    return lines, pilots.count()


def organisation_programmes(user, organisation: Organisation) -> list[Programme]:
    """The latest programmes the user sees that the organisation's tree runs or co-owns."""
    tree = permissions._with_descendants({organisation.pk})
    ids = Programme.objects.filter(Q(owner_id__in=tree) | Q(co_owners__in=tree)).values("pk")
    return list(programmes_for_list(user).filter(pk__in=ids)[: OVERVIEW_PROGRAMMES_MAX + 1])
