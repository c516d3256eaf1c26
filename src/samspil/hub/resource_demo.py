"""The demo resources and bookings behind ``manage.py load_demo``, from seed 002.

Helsingborg's innovation hub lends its project space to the city's projects for a period of
some weeks, has meeting rooms by the hour and a room its partners (Atea, Öresundskraft,
Sogeti) may book too; the city's own premises are bookable when their owners do not use
them (the seed's idea of a resource site for the city's assets): a school hall in the
evenings and at weekends, for every public organisation, with the city's approval. A VR kit
is lent by the day.

Names of rooms and premises, their capacities, hours and the bookings are invented; texts
are our own, in Swedish. Bookings are placed from the Monday at least a week after the
first load, so they lie ahead when the demo is new.

Loading is idempotent: the hub is ``demo.helsingborg_hub()`` (found by owner and name, made
if missing), a resource is found again by (owner, name), its opening hours are written only
when it is made, a booking is found by (resource, purpose); what exists is left alone. Like
the other demo loaders it writes with the ORM (the services check an acting person's
permissions); the bookings keep the rules the services check (inside opening hours, within
capacity and length, no overlap).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import models, transaction
from django.utils import timezone

from samspil.core.demo import CHANGE_REASON
from samspil.core.models import Organisation, User, Visibility
from samspil.pilots.models import Pilot

from .demo import HUB_OWNER, helsingborg_hub
from .models import (
    Booking,
    BookingStatus,
    BookingUnit,
    OpeningHours,
    Resource,
    ResourceKind,
    WhoMayBook,
)

CITY = "helsingborg"
WEEKDAYS = range(5)
WEEKEND = (5, 6)


@dataclass(frozen=True)
class ResourceData:
    owner: str
    name: str
    kind: str
    location: str
    description: str
    unit: str = BookingUnit.HOUR
    capacity: int | None = None
    who_may_book: str = WhoMayBook.MEMBERS
    requires_approval: bool = False
    max_booking_days: int | None = None
    visibility: str = Visibility.SHARED
    rules: str = ""
    in_hub: bool = True
    hours: tuple[tuple[int, time, time], ...] = ()


@dataclass(frozen=True)
class BookingData:
    resource: str
    purpose: str
    by: str  # username
    organisation: str  # slug
    day: int  # days after the base Monday
    start: time | None = None  # None: by the period, from midnight
    end: time | None = None
    days: int = 1  # by the period: how many days
    people: int | None = None
    status: str = BookingStatus.CONFIRMED
    pilot: str = ""  # title of the organisation's pilot the booking is for


def _hours(days, opens: time, closes: time) -> tuple[tuple[int, time, time], ...]:
    return tuple((day, opens, closes) for day in days)


PROJECT_SPACE = ResourceData(
    HUB_OWNER,
    "Projektytan i hubben",
    ResourceKind.PROJECT_SPACE,
    "Innovationshubben, Helsingborg",
    "En fast projektyta för förvaltningarnas innovationsprojekt: skrivbord, whiteboardväggar "
    "och ett eget rum, med coacher, tjänstedesigner och utvecklare inom armlängds avstånd.",
    unit=BookingUnit.PERIOD,
    capacity=12,
    requires_approval=True,
    max_booking_days=84,
    rules="Lånas av ett projekt i taget, som längst tolv veckor. Hubbens team godkänner.",
)
MEETING_ROOM = ResourceData(
    HUB_OWNER,
    "Mötesrum Kärnan",
    ResourceKind.MEETING_ROOM,
    "Innovationshubben, plan 2",
    "Mötesrum med skärm och whiteboard för stadens medarbetare.",
    capacity=8,
    hours=_hours(WEEKDAYS, time(8), time(17)),
)
PARTNER_ROOM = ResourceData(
    HUB_OWNER,
    "Partnerrummet",
    ResourceKind.MEETING_ROOM,
    "Innovationshubben, plan 1",
    "Rummet där hubbens partner och stadens projekt möts, visar resultat och planerar.",
    capacity=14,
    who_may_book=WhoMayBook.EVERYONE,
    visibility=Visibility.PUBLIC,
    hours=_hours(WEEKDAYS, time(8), time(18)),
)
SCHOOL_HALL = ResourceData(
    CITY,
    "Aulan, Slottsstadens skola",
    ResourceKind.CITY_PREMISES,
    "Slottsstadens skola, Helsingborg",
    "Skolans aula med scen och ljud, ledig när skolan inte använder den: kvällar och helger.",
    capacity=180,
    who_may_book=WhoMayBook.PUBLIC_SECTOR,
    requires_approval=True,
    rules="Skolan går före. Lämna aulan som ni fann den; nyckel hämtas i receptionen.",
    in_hub=False,
    hours=_hours(WEEKDAYS, time(17), time(22)) + _hours(WEEKEND, time(10), time(18)),
)
VR_KIT = ResourceData(
    HUB_OWNER,
    "VR-utrustning för studiebesök",
    ResourceKind.EQUIPMENT,
    "Innovationshubben, utlåningen",
    "Sex VR-glasögon för virtuella studiebesök på stadens arbetsplatser.",
    unit=BookingUnit.PERIOD,
    max_booking_days=14,
)
RESOURCES: tuple[ResourceData, ...] = (
    PROJECT_SPACE,
    MEETING_ROOM,
    PARTNER_ROOM,
    SCHOOL_HALL,
    VR_KIT,
)

BOOKINGS: tuple[BookingData, ...] = (
    BookingData(
        PROJECT_SPACE.name,
        "Guide Helsingborg: nästa version av besöksappen",
        CITY,
        CITY,
        day=0,
        days=42,
        people=6,
        pilot="Guide Helsingborg – digital stadsguide",
    ),
    BookingData(
        MEETING_ROOM.name,
        "Reformgruppen digitalisering: veckomöte",
        CITY,
        CITY,
        day=0,
        start=time(9),
        end=time(10),
        people=7,
    ),
    BookingData(
        MEETING_ROOM.name,
        "Tjänstedesign: intervjuer med invånare",
        CITY,
        HUB_OWNER,
        day=2,
        start=time(13),
        end=time(15),
        people=4,
    ),
    BookingData(
        PARTNER_ROOM.name,
        "Ateas projektgenomgång med staden",
        "supplier",
        "atea",
        day=1,
        start=time(13),
        end=time(16),
        people=10,
    ),
    BookingData(
        SCHOOL_HALL.name,
        "Hackathonkväll: staden som plattform",
        CITY,
        CITY,
        day=5,
        start=time(10),
        end=time(18),
        people=120,
    ),
    BookingData(
        SCHOOL_HALL.name,
        "Nordiskt nätverksmöte om innovationshubbar",
        "oslo",
        "oslo-uke",
        day=3,
        start=time(18),
        end=time(21),
        people=40,
        status=BookingStatus.REQUESTED,
    ),
    BookingData(
        VR_KIT.name,
        "Virtuella studiebesök för studie- och yrkesvägledningen",
        CITY,
        CITY,
        day=7,
        days=3,
    ),
)


@dataclass
class ResourceLoadCounts:
    resources: int = 0
    bookings: int = 0
    created: int = 0
    names: list[str] = field(default_factory=list)


def _save(instance: models.Model, counts: ResourceLoadCounts) -> None:
    instance._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
    instance.save()
    counts.created += 1


def base_monday(today: date) -> date:
    """The Monday at least a week after ``today``."""
    return today + timedelta(days=14 - today.weekday())


def _times(data: BookingData, monday: date) -> tuple[datetime, datetime]:
    day = monday + timedelta(days=data.day)
    if data.start is None or data.end is None:
        start = datetime.combine(day, time(0))
        end = datetime.combine(day + timedelta(days=data.days), time(0))
    else:
        start, end = datetime.combine(day, data.start), datetime.combine(day, data.end)
    return timezone.make_aware(start), timezone.make_aware(end)


def _resource(data: ResourceData, owner: Organisation, hub, counts) -> Resource:
    resource = Resource.objects.filter(owner=owner, name=data.name).first()
    if resource is not None:
        return resource
    resource = Resource(
        owner=owner,
        hub=hub if data.in_hub else None,
        name=data.name,
        kind=data.kind,
        description=data.description,
        location=data.location,
        capacity=data.capacity,
        rules=data.rules,
        who_may_book=data.who_may_book,
        booking_unit=data.unit,
        requires_approval=data.requires_approval,
        max_booking_days=data.max_booking_days,
        visibility=data.visibility,
    )
    _save(resource, counts)
    OpeningHours.objects.bulk_create(
        OpeningHours(resource=resource, weekday=w, opens=o, closes=c) for w, o, c in data.hours
    )
    return resource


@transaction.atomic
def load_resource_demo(today: date | None = None) -> ResourceLoadCounts:
    """Load the demo resources and bookings; nothing without the core demo's organisations."""
    counts = ResourceLoadCounts()
    slugs = {d.owner for d in RESOURCES} | {b.organisation for b in BOOKINGS}
    by_slug = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    if HUB_OWNER not in by_slug or CITY not in by_slug:
        return counts
    hub = helsingborg_hub()
    resources: dict[str, Resource] = {}
    for item in RESOURCES:
        resources[item.name] = _resource(item, by_slug[item.owner], hub, counts)
    counts.resources = len(resources)
    users = {u.username: u for u in User.objects.filter(username__in={b.by for b in BOOKINGS})}
    deciders = {CITY: users.get(CITY)}
    monday = base_monday(today or timezone.localdate())
    for data in BOOKINGS:
        resource = resources[data.resource]
        organisation = by_slug.get(data.organisation)
        booker = users.get(data.by)
        if organisation is None or booker is None:
            continue
        counts.bookings += 1
        if Booking.objects.filter(resource=resource, purpose=data.purpose).exists():
            continue
        start, end = _times(data, monday)
        confirmed_on_request = resource.requires_approval and data.status == BookingStatus.CONFIRMED
        _save(
            Booking(
                resource=resource,
                organisation=organisation,
                booked_by=booker,
                start=start,
                end=end,
                purpose=data.purpose,
                people=data.people,
                status=data.status,
                pilot=Pilot.objects.filter(owner=organisation, title=data.pilot).first()
                if data.pilot
                else None,
                decided_by=deciders[CITY] if confirmed_on_request else None,
                decided_at=timezone.now() if confirmed_on_request else None,
            ),
            counts,
        )
    return counts
