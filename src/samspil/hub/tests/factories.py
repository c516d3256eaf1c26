"""Helpers the hub tests share (plain functions, not fixtures): resources and bookings from
the booking tests, and pilots, events and pool members from the pool tests."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from samspil.conftest import add_member, make_user
from samspil.core.models import Role, Visibility
from samspil.events import services as event_services
from samspil.events.models import Event, EventKind
from samspil.hub import resource_services
from samspil.hub.models import BookingUnit, Competence, PoolMember, ResourceKind, WhoMayBook
from samspil.pilots.models import Pilot, PilotKind

# Resources and bookings ------------------------------------------------------------------------

OFFICE_HOURS = [(day, time(8), time(17)) for day in range(5)]


def next_monday():
    today = timezone.localdate()
    return today + timedelta(days=14 - today.weekday())


def at(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def make_resource(actor, owner, name="Meeting room Kärnan", **fields):
    values = {
        "kind": ResourceKind.MEETING_ROOM,
        "location": "Bredgatan 12, 2nd floor",
        "capacity": 10,
        "who_may_book": WhoMayBook.MEMBERS,
        "booking_unit": BookingUnit.HOUR,
        "visibility": Visibility.SHARED,
        "opening_hours": OFFICE_HOURS,
    }
    values.update(fields)
    return resource_services.create_resource(actor, owner, name=name, **values)


def book(user, resource, start, end, **fields):
    fields.setdefault("purpose", "Workshop")
    return resource_services.book(user, resource, start=start, end=end, **fields)


def make_event(owner, title="Hackathon on complaints"):
    day = next_monday()
    lead = make_user(f"lead-{owner.slug}-{Event.objects.count()}")
    add_member(lead, owner, Role.Code.INNOVATION_LEAD)
    return event_services.create_event(
        lead,
        owner,
        title=title,
        kind=EventKind.HACKATHON,
        starts_at=at(day, 18),
        ends_at=at(day, 21),
        capacity=80,
        visibility=Visibility.INTERNAL,
    )


# Pilots, events and the competence pool --------------------------------------------------------

COACH = Competence.INNOVATION_COACH


def pilot(owner, title="Resource site for city premises", **fields) -> Pilot:
    start = timezone.localdate()
    values = {
        "hypothesis": "Associations book empty school rooms when they can see them.",
        "kind": PilotKind.SANDBOX,
        "starts_on": start,
        "planned_end_on": start + timedelta(days=120),
        "visibility": Visibility.PUBLIC,
    }
    values.update(fields)
    return Pilot.objects.create(owner=owner, title=title, **values)


def event(owner, title="Showcase day", **fields) -> Event:
    start = timezone.now() + timedelta(days=14)
    values = {
        "kind": EventKind.SHOWCASE,
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "capacity": 40,
        "visibility": Visibility.PUBLIC,
    }
    values.update(fields)
    return Event.objects.create(owner=owner, title=title, **values)


def member(organisation, user, available=50, competences=(COACH,)) -> PoolMember:
    return PoolMember.objects.create(
        organisation=organisation,
        user=user,
        competences=list(competences),
        available_percent=available,
    )
