"""Permission-filtered reads of resources and bookings for pages and API, each a constant
number of queries however many rows there are."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from samspil.core import permissions

from . import availability
from . import resource_services as services
from .models import (
    ACTIVE_BOOKING_STATUSES,
    Booking,
    BookingStatus,
    BookingUnit,
    OpeningHours,
    Resource,
)

MAX_WORDS = 12


def _with_hours(rows: QuerySet[Resource]) -> QuerySet[Resource]:
    return rows.select_related("owner", "hub").prefetch_related(
        Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens"))
    )


def search_resources(
    user, *, kind: str = "", who_may_book: str = "", hub=None, q: str = "", active_only=False
) -> QuerySet[Resource]:
    """The resources ``user`` sees, filtered, by name."""
    rows = _with_hours(permissions.resources_visible_to(user)).order_by("name", "pk")
    if kind:
        rows = rows.filter(kind=kind)
    if who_may_book:
        rows = rows.filter(who_may_book=who_may_book)
    if hub is not None:
        rows = rows.filter(hub=hub)
    if active_only:
        rows = rows.filter(active=True)
    for word in (q or "").split()[:MAX_WORDS]:
        rows = rows.filter(
            Q(name__icontains=word) | Q(location__icontains=word) | Q(description__icontains=word)
        )
    return rows


def resource_with_details(user, pk) -> Resource:
    """The resource with its opening hours; 404 when ``user`` does not see it."""
    permissions.get_resource_for_user(user, pk)
    return _with_hours(Resource.objects.filter(pk=pk)).get()


def _local_range(first: date, last_exclusive: date) -> tuple[datetime, datetime]:
    return services.day_start(first), services.day_start(last_exclusive)


def taken_between(
    resource: Resource, start: datetime, end: datetime, *, local: bool = True
) -> list[availability.Taken]:
    """The active bookings' times in the range, in order, whoever booked them: naive local
    times for the calendar, or aware ones (``local=False``)."""
    rows = (
        Booking.objects.filter(
            resource=resource, status__in=ACTIVE_BOOKING_STATUSES, start__lt=end, end__gt=start
        )
        .order_by("start", "pk")
        .values_list("start", "end", "status")
    )
    convert = services.local_naive if local else (lambda moment: moment)
    return [
        availability.Taken(convert(s), convert(e), status == BookingStatus.REQUESTED)
        for s, e, status in rows
    ]


def calendar_of(resource: Resource, around: date | None = None):
    """The week (by the hour) or month (by the period) around ``around`` (today by default)."""
    today = timezone.localdate()
    around = around or today
    now = services.local_naive(timezone.now())
    if resource.booking_unit == BookingUnit.PERIOD:
        first = around.replace(day=1)
        after = (first + timedelta(days=32)).replace(day=1)
        taken = taken_between(resource, *_local_range(first, after))
        return availability.month(first, taken, now)
    monday = availability.monday_of(around)
    taken = taken_between(resource, *_local_range(monday, monday + timedelta(days=7)))
    return availability.week(monday, services.windows_of(resource), taken, now)


def _booking_rows(rows: QuerySet[Booking]) -> QuerySet[Booking]:
    return rows.select_related(
        "resource", "resource__owner", "organisation", "booked_by", "decided_by", "event", "pilot"
    )


def bookings_for_list(user, *, resource=None, status: str = "", upcoming=False):
    rows = _booking_rows(permissions.bookings_visible_to(user))
    if resource is not None:
        rows = rows.filter(resource=resource)
    if status:
        rows = rows.filter(status=status)
    if upcoming:
        rows = rows.filter(end__gt=timezone.now())
    return rows.order_by("start", "pk")


def awaiting_decision(user) -> QuerySet[Booking]:
    """Requests on the resources the user manages, oldest start first."""
    managed = services.managing_organisations(user)
    rows = Booking.objects.filter(
        status=BookingStatus.REQUESTED, resource__owner__in=managed, end__gt=timezone.now()
    )
    return _booking_rows(rows).order_by("start", "pk")


def booking_with_details(user, pk) -> Booking:
    booking = permissions.get_booking_for_user(user, pk)
    return _booking_rows(Booking.objects.filter(pk=booking.pk)).get()


def linkable_events(user, booking: Booking):
    """Events of the booking's organisation (and its tree) the user organises, upcoming."""
    from samspil.events.models import Event

    organisations = permissions._with_descendants({booking.organisation_id})
    rows = permissions.events_visible_to(user).filter(
        owner__in=organisations, ends_at__gt=timezone.now() - timedelta(days=1)
    )
    access = permissions.access_of(user)
    if not access.is_superuser:
        leading = permissions.organisations_with_role(user, *permissions.HUB_ROLES)
        rows = rows.filter(Q(owner__in=leading) | Q(organisers=user))
    return Event.objects.filter(pk__in=rows.values("pk")).order_by("starts_at", "pk")


def booking_ics(booking: Booking) -> bytes:
    """The booking as an iCalendar file (RFC 5545); the same uid across changes, so that a
    calendar updates its entry (a cancelled booking is sent as cancelled)."""
    from datetime import UTC

    from django.conf import settings
    from icalendar import Calendar
    from icalendar import Event as CalendarEvent

    resource = booking.resource
    calendar = Calendar()
    calendar.add("prodid", "-//samspil//bookings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    component = CalendarEvent()
    component.add("uid", f"booking-{booking.pk}@samspil")
    component.add("dtstamp", booking.created_at.astimezone(UTC))
    component.add("dtstart", booking.start.astimezone(UTC))
    component.add("dtend", booking.end.astimezone(UTC))
    component.add(
        "summary", f"{resource.name}: {booking.purpose}" if booking.purpose else resource.name
    )
    component.add("location", services.place_of(resource))
    component.add("url", settings.SITE_URL.rstrip("/") + booking.get_absolute_url())
    ical_status: dict[str, str] = {
        BookingStatus.CONFIRMED: "CONFIRMED",
        BookingStatus.REQUESTED: "TENTATIVE",
    }
    status = ical_status.get(booking.status, "CANCELLED")
    component.add("status", status)
    calendar.add_component(component)
    return calendar.to_ical()
