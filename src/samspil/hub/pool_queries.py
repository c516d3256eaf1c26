"""Permission-filtered reads of a competence pool: its people with their assignments, the
pilots and events they may be assigned to, and the load overview. Each read is a fixed
number of queries however many people and assignments there are."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from samspil.core import permissions
from samspil.core.models import Organisation, User
from samspil.events.models import Event
from samspil.pilots.models import Pilot, PilotStatus

from . import pool_load, pool_services
from .models import Assignment, Competence, PoolMember

OVERVIEW_MONTHS = 6
CHOICES_LIMIT = 300


def pool_organisation(user, organisation_id, current: Organisation | None) -> Organisation | None:
    """The organisation whose pool is shown: the one asked for (404 unless the user sees its
    pool), else the organisation the user works for now."""
    if organisation_id not in (None, ""):
        try:
            pk = int(organisation_id)
        except (TypeError, ValueError):
            raise Http404 from None
        access = permissions.access_of(user)
        if not (access.is_superuser or pk in access.sees_internal_of):
            raise Http404
        return permissions.get_organisation_for_user(user, pk)
    # ``request.organisation`` is a lazy object; it is falsy when it wraps None.
    if not user.is_authenticated or not current:
        return None
    return getattr(current, "_wrapped", current)


def with_competence(rows: QuerySet, competence: str) -> QuerySet:
    """People holding the competence (a JSON list of codes; the quotes make it exact)."""
    if competence not in Competence.values:
        return rows
    return rows.filter(competences__icontains=f'"{competence}"')


def members(user, organisation: Organisation, competence: str = "") -> list[PoolMember]:
    """The pool of the organisation with each person's assignments (pilot or event)."""
    rows = (
        permissions.pool_members_visible_to(user)
        .filter(organisation=organisation)
        .select_related("user", "hub")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("pilot", "event").order_by(
                    "starts_on", "pk"
                ),
            )
        )
    )
    result = list(with_competence(rows, competence))
    labels = dict(Competence.choices)
    for member in result:
        member.competence_labels = [  # type: ignore[attr-defined]
            labels[code] for code in member.competences if code in labels
        ]
    return result


def mark_visible_targets(user, rows: list[PoolMember]) -> None:
    """Set ``target_visible`` on every assignment: whether the user may see its pilot or
    event (the page names only those)."""
    assignments = [a for m in rows for a in m.assignments.all()]
    pilot_ids = {a.pilot_id for a in assignments if a.pilot_id}
    event_ids = {a.event_id for a in assignments if a.event_id}
    seen_pilots = set(
        permissions.pilots_visible_to(user).filter(pk__in=pilot_ids).values_list("pk", flat=True)
        if pilot_ids
        else ()
    )
    seen_events = set(
        permissions.events_visible_to(user).filter(pk__in=event_ids).values_list("pk", flat=True)
        if event_ids
        else ()
    )
    for assignment in assignments:
        assignment.target_visible = (  # type: ignore[attr-defined]
            assignment.pilot_id in seen_pilots
            if assignment.pilot_id
            else assignment.event_id in seen_events
        )


@dataclass(frozen=True)
class LoadRow:
    member: PoolMember
    load: pool_load.MemberLoad
    months: list[int]


def overview(rows: list[PoolMember], today: date) -> tuple[list[tuple[int, int]], list[LoadRow]]:
    """The next months and, per person, their load: peak against available share, the
    over-booked periods and the peak of each month."""
    wanted = pool_load.months(today, OVERVIEW_MONTHS)
    result = []
    for member in rows:
        load = pool_load.member_load(
            pool_services.spans_of(member.assignments.all()), member.available_percent, wanted
        )
        result.append(LoadRow(member, load, [load.by_month[m] for m in wanted]))
    return wanted, result


def competence_counts(rows: list[PoolMember]) -> list[tuple[str, Any, int]]:
    """(code, label, people) for each competence someone in the pool holds."""
    counts = {code: 0 for code in Competence.values}
    for member in rows:
        for code in member.competences:
            if code in counts:
                counts[code] += 1
    return [(code, label, counts[code]) for code, label in Competence.choices if counts[code]]


def get_member_for_user(user, pk) -> PoolMember:
    try:
        return (
            permissions.pool_members_visible_to(user)
            .select_related("organisation", "user", "hub")
            .get(pk=int(pk))
        )
    except (PoolMember.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def get_assignment_for_user(user, pk) -> Assignment:
    visible = permissions.pool_members_visible_to(user).values("pk")
    try:
        return Assignment.objects.select_related("member__organisation", "member__user").get(
            pk=int(pk), member__in=visible
        )
    except (Assignment.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def candidates(organisation: Organisation) -> QuerySet[User]:
    """Members of the organisation (or of one above it) who are not in its pool yet."""
    lineage = pool_services._lineage(organisation)
    taken = PoolMember.objects.filter(organisation=organisation).values("user_id")
    return (
        User.objects.filter(memberships__organisation__in=lineage, is_active=True)
        .exclude(pk__in=taken)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def assignable_pilots(user) -> QuerySet[Pilot]:
    """Pilots the user may see that are planned or running, by title."""
    return (
        permissions.pilots_visible_to(user)
        .filter(status__in=[PilotStatus.PLANNED, PilotStatus.RUNNING])
        .order_by("title", "pk")
    )


def assignable_events(user, today: date) -> QuerySet[Event]:
    """Events the user may see that have not ended, soonest first."""
    return (
        permissions.events_visible_to(user)
        .filter(Q(ends_at__date__gte=today))
        .order_by("starts_at", "pk")
    )
