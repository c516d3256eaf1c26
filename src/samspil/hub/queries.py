"""Permission-filtered reads of hubs: the list, and everything the hub page shows (partners
with their projects and co-financing, showcase days, the competence pool in short). Each
read is a fixed number of queries however many partners, projects and events there are."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from samspil.core import permissions
from samspil.core.models import Organisation, Role
from samspil.events.models import Event, EventKind
from samspil.pilots.models import Pilot

from . import pool_queries
from .models import Hub, Partner, PartnerProject

SHOWCASE_LIMIT = 10


def hub_list(user) -> QuerySet[Hub]:
    return (
        permissions.hubs_visible_to(user)
        .select_related("owner")
        .annotate(partner_count=Count("partners", distinct=True))
        .order_by("name", "pk")
    )


def creating_organisations(user) -> QuerySet[Organisation]:
    """Where the user may start a hub: where they lead innovation (or administer)."""
    return Organisation.objects.filter(
        pk__in=permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD)
    ).order_by("name", "pk")


@dataclass
class HubPage:
    partners: list[Partner]
    totals: list[tuple[str, Decimal]]
    upcoming: list[Event]
    past: list[Event]
    pool_count: int | None
    pool_competences: list[tuple[str, str, int]] = field(default_factory=list)


def partners(user, hub: Hub) -> list[Partner]:
    """The hub's partners, each with ``visible_projects``: its projects whose pilot the user
    may see."""
    rows = list(
        hub.partners.select_related("organisation").prefetch_related(
            Prefetch(
                "projects",
                queryset=PartnerProject.objects.select_related("pilot").order_by("pk"),
            )
        )
    )
    pilot_ids = {p.pilot_id for partner in rows for p in partner.projects.all()}
    seen = set(
        permissions.pilots_visible_to(user).filter(pk__in=pilot_ids).values_list("pk", flat=True)
        if pilot_ids
        else ()
    )
    for partner in rows:
        partner.hub = hub
        partner.visible_projects = [  # type: ignore[attr-defined]
            p for p in partner.projects.all() if p.pilot_id in seen
        ]
    return rows


def co_financing_totals(rows: list[Partner]) -> list[tuple[str, Decimal]]:
    """The co-financing of the projects shown, summed per currency."""
    totals: dict[str, Decimal] = {}
    for partner in rows:
        for project in partner.visible_projects:  # type: ignore[attr-defined]
            if project.co_financing is not None:
                totals[project.currency] = (
                    totals.get(project.currency, Decimal(0)) + project.co_financing
                )
    return sorted(totals.items())


def showcase_days(user, hub: Hub, rows: list[Partner]) -> tuple[list[Event], list[Event]]:
    """Showcase days the user may see, held by the hub's organisation or a partner:
    upcoming (soonest first) and past (latest first)."""
    owners = {hub.owner_id, *(p.organisation_id for p in rows)}
    events = permissions.events_visible_to(user).filter(kind=EventKind.SHOWCASE, owner__in=owners)
    now = timezone.now()
    upcoming = list(
        events.filter(ends_at__gte=now)
        .select_related("owner")
        .order_by("starts_at", "pk")[:SHOWCASE_LIMIT]
    )
    past = list(
        events.filter(ends_at__lt=now)
        .select_related("owner")
        .order_by("-starts_at", "-pk")[:SHOWCASE_LIMIT]
    )
    return upcoming, past


def hub_page(user, hub: Hub) -> HubPage:
    rows = partners(user, hub)
    upcoming, past = showcase_days(user, hub, rows)
    access = permissions.access_of(user)
    pool_count = None
    competences: list = []
    if access.is_superuser or hub.owner_id in access.sees_internal_of:
        pool = list(
            permissions.pool_members_visible_to(user)
            .filter(organisation=hub.owner_id)
            .only("competences")
        )
        pool_count = len(pool)
        competences = pool_queries.competence_counts(pool)
    return HubPage(rows, co_financing_totals(rows), upcoming, past, pool_count, competences)


def get_partner(hub: Hub, pk) -> Partner:
    try:
        partner = hub.partners.select_related("organisation").get(pk=int(pk))
    except (Partner.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    partner.hub = hub
    return partner


def get_project(hub: Hub, pk) -> PartnerProject:
    try:
        project = PartnerProject.objects.select_related("partner__organisation", "pilot").get(
            pk=int(pk), partner__hub=hub
        )
    except (PartnerProject.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    project.partner.hub = hub
    return project


def partner_candidates(user, hub: Hub) -> QuerySet[Organisation]:
    """Organisations the user may see that are neither the hub's own nor partners yet."""
    taken = Partner.objects.filter(hub=hub).values("organisation_id")
    return (
        permissions.organisations_visible_to(user)
        .exclude(pk=hub.owner_id)
        .exclude(pk__in=taken)
        .order_by("name", "pk")
    )


def partner_pilots(user, organisation_ids: list[int]) -> QuerySet[Pilot]:
    """Pilots of the partner organisations the user may see, by title."""
    return (
        permissions.pilots_visible_to(user)
        .filter(owner__in=organisation_ids)
        .order_by("title", "pk")
    )
