"""Permission-filtered reads of events for pages, API and feeds; constant query counts."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from samspil.core import permissions
from samspil.core.models import Visibility

from .models import Event, Registration, RegistrationStatus

UPCOMING = "upcoming"
PAST = "past"


def with_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    """Owner and the number of confirmed and waiting registrations, in the same query."""
    return events.select_related("owner").annotate(
        confirmed_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
        ),
        waiting_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)
        ),
    )


def with_relations(events: QuerySet[Event], user) -> QuerySet[Event]:
    """Organisers, and the challenges ``user`` may see (as ``visible_challenges``)."""
    return events.prefetch_related(
        "organisers",
        Prefetch(
            "challenges",
            queryset=permissions.challenges_visible_to(user).select_related("owner"),
            to_attr="visible_challenges",
        ),
    )


def search_events(user, *, when: str = UPCOMING, kind: str = "") -> QuerySet[Event]:
    events = permissions.events_visible_to(user)
    now = timezone.now()
    if when == PAST:
        events = events.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    else:
        events = events.filter(ends_at__gte=now).order_by("starts_at", "pk")
    if kind:
        events = events.filter(kind=kind)
    return with_counts(events)


def public_upcoming_events(limit: int = 500) -> QuerySet[Event]:
    """The feed: public events that have not ended, soonest first."""
    return Event.objects.filter(visibility=Visibility.PUBLIC, ends_at__gte=timezone.now()).order_by(
        "starts_at", "pk"
    )[:limit]


def event_with_details(user, pk) -> Event:
    """One event the user may see, with counts, owner and organisers in few queries."""
    event = permissions.get_event_for_user(user, pk)
    return with_counts(Event.objects.filter(pk=event.pk)).prefetch_related("organisers").get()


def visible_challenges_of(user, event: Event) -> list:
    if hasattr(event, "visible_challenges"):
        return event.visible_challenges
    return list(
        permissions.challenges_visible_to(user)
        .filter(pk__in=event.challenges.values("pk"))
        .select_related("owner")
    )


def participants(event: Event) -> QuerySet[Registration]:
    """Live registrations: confirmed first, then the waiting list in its order."""
    return (
        event.registrations.exclude(status=RegistrationStatus.CANCELLED).order_by(
            "status", "created_at", "pk"
        )  # "confirmed" sorts before "waiting"
    )


def seats_left(event: Event) -> int:
    return event.seats_left
