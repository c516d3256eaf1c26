"""Every write of bookable resources and their bookings: create and edit a resource with its
opening hours, book, approve or reject a request, cancel, and let an event take place in a
booking.

Who may (``core.permissions``): the owner's innovation leads and admins manage a resource
(``can_manage_resource``); who may book follows its "who may book" (``can_book``) and books
for one of ``booking_organisations``; the booker or a manager cancels.

Two active bookings of a resource never overlap. ``book`` locks the resource's row, looks for
active bookings in the time asked for and inserts inside one transaction: on PostgreSQL the
row lock serialises bookers of one resource and the exclusion constraint
``hub_booking_no_overlap`` stands behind it (its IntegrityError becomes the same refusal); on
SQLite every write transaction is IMMEDIATE, so the check and the insert run alone.

Services raise ``ValidationError({field: message})`` for bad input (``SlotTaken`` when the
time is taken) and ``PermissionDenied`` for a user who may not.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from time import sleep
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samspil.core import permissions
from samspil.core.models import Membership, Organisation, Role, User, Visibility
from samspil.core.services import notify
from samspil.core.validation import clean_text
from samspil.pilots.models import Pilot

from . import booking_rules as rules
from .models import (
    ACTIVE_BOOKING_STATUSES,
    TEXT_MAX,
    TITLE_MAX,
    Booking,
    BookingStatus,
    BookingUnit,
    Hub,
    OpeningHours,
    Resource,
    ResourceKind,
    WhoMayBook,
)

RESOURCE_FIELDS = {
    "name",
    "kind",
    "description",
    "location",
    "capacity",
    "rules",
    "who_may_book",
    "booking_unit",
    "requires_approval",
    "max_booking_days",
    "active",
    "visibility",
    "hub",
}
LOCATION_MAX = 300
REASON_MAX = 500
CAPACITY_MAX = 100_000
DAYS_MAX = 366
REQUESTED_TEMPLATE = "hub/resources/email/requested"
DECIDED_TEMPLATE = "hub/resources/email/decided"
CANCELLED_TEMPLATE = "hub/resources/email/cancelled"
SQLITE_ATTEMPTS = 60
YEARS = (1900, 2200)
T = TypeVar("T")
MANAGING_ROLES = (*permissions.HUB_ROLES, Role.Code.ADMIN)


class SlotTaken(ValidationError):
    """The time asked for overlaps an active booking (the API answers 409)."""


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# Times -----------------------------------------------------------------------------------------


def local_naive(moment: datetime) -> datetime:
    """An aware time as naive local wall-clock time, for the pure rules."""
    return timezone.localtime(moment).replace(tzinfo=None)


def aware(moment: datetime) -> datetime:
    """A time as an aware one; a naive time is read as local time."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def day_start(day: date) -> datetime:
    return aware(datetime.combine(day, time(0)))


def windows_of(resource: Resource) -> tuple[rules.Window, ...]:
    return tuple(
        rules.Window(row.weekday, row.opens, row.closes) for row in resource.opening_hours.all()
    )


def rules_of(resource: Resource) -> rules.Rules:
    return rules.Rules(
        unit=rules.PERIOD if resource.booking_unit == BookingUnit.PERIOD else rules.HOUR,
        capacity=resource.capacity,
        max_days=resource.max_booking_days,
        windows=windows_of(resource),
    )


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _clock(value: time) -> str:
    return time_format(value, "H:i")


def weekday_name(weekday: int) -> str:
    return str(WEEKDAYS[weekday])


def message_of(problem: rules.Problem) -> str:
    """The translated reason for one problem the rules found."""
    code, params = problem.code, problem.params
    if code == rules.END_BEFORE_START:
        return _("The end must come after the start.")
    if code == rules.IN_THE_PAST:
        return _("The time has passed: choose a time from now on.")
    if code == rules.NOT_WHOLE_DAYS:
        return _("This resource is booked by whole days: start and end at midnight.")
    if code == rules.CLOSED:
        return _("The resource is closed on %(weekday)s.") % {
            "weekday": weekday_name(params["weekday"])
        }
    if code == rules.OUTSIDE_OPENING_HOURS:
        hours = ", ".join(f"{_clock(o)}–{_clock(c)}" for o, c in params["windows"])
        return _("Book inside the opening hours of the day: %(hours)s.") % {"hours": hours}
    if code == rules.TOO_LONG:
        return ngettext(
            "A booking may last at most %(max_days)d day.",
            "A booking may last at most %(max_days)d days.",
            params["max_days"],
        ) % {"max_days": params["max_days"]}
    if code == rules.NO_PEOPLE:
        return _("Enter at least one person.")
    if code == rules.OVER_CAPACITY:
        return ngettext(
            "The resource takes at most %(capacity)d person.",
            "The resource takes at most %(capacity)d people.",
            params["capacity"],
        ) % {"capacity": params["capacity"]}
    if code == rules.OVERLAP:
        first = params["first"]
        return _("This time is taken: the resource is booked from %(start)s to %(end)s.") % {
            "start": date_format(first.start, "SHORT_DATETIME_FORMAT"),
            "end": date_format(first.end, "SHORT_DATETIME_FORMAT"),
        }
    raise ValueError(code)


def slot_taken() -> SlotTaken:
    return SlotTaken(
        {"start": _("This time was taken a moment ago by another booking: choose another.")}
    )


# Resources -------------------------------------------------------------------------------------


def managing_organisations(user) -> frozenset[int]:
    """The organisations whose resources the user manages (and may add resources to)."""
    return permissions.organisations_with_role(user, *permissions.HUB_ROLES)


def _clean_opening_hours(
    opening_hours: Iterable[tuple[int, time, time]], errors: dict[str, str]
) -> list[tuple[int, time, time]]:
    cleaned = sorted(opening_hours)
    for weekday, opens, closes in cleaned:
        if not 0 <= weekday <= 6:
            errors["opening_hours"] = _("A weekday is from 0 (Monday) to 6 (Sunday).")
            return cleaned
        if closes <= opens:
            errors["opening_hours"] = _("On %(weekday)s the closing comes before the opening.") % {
                "weekday": weekday_name(weekday)
            }
            return cleaned
    for (day_a, _opens_a, closes_a), (day_b, opens_b, _closes_b) in itertools.pairwise(cleaned):
        if day_a == day_b and opens_b < closes_a:
            errors["opening_hours"] = _("The opening hours of %(weekday)s overlap.") % {
                "weekday": weekday_name(day_a)
            }
    return cleaned


def _clean_resource(fields: dict, errors: dict[str, str]) -> dict:
    unknown = set(fields) - RESOURCE_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    clean_text(fields, errors, "name", TITLE_MAX, required=True)
    clean_text(fields, errors, "location", LOCATION_MAX, required=True)
    clean_text(fields, errors, "description", TEXT_MAX)
    clean_text(fields, errors, "rules", TEXT_MAX)
    choices = {
        "kind": ResourceKind.values,
        "who_may_book": WhoMayBook.values,
        "booking_unit": BookingUnit.values,
        "visibility": Visibility.values,
    }
    for name, allowed in choices.items():
        if name in fields and fields[name] not in allowed:
            errors[name] = _("Choose one of the options.")
    capacity = fields.get("capacity")
    if capacity is not None and not 1 <= capacity <= CAPACITY_MAX:
        errors["capacity"] = _("Enter a capacity from 1 to %(maximum)d, or none.") % {
            "maximum": CAPACITY_MAX
        }
    days = fields.get("max_booking_days")
    if days is not None and not 1 <= days <= DAYS_MAX:
        errors["max_booking_days"] = _("Enter from 1 to %(maximum)d days, or none.") % {
            "maximum": DAYS_MAX
        }
    return fields


def _check_hub(actor: User, owner: Organisation, hub: Hub | None, errors: dict) -> None:
    if hub is None:
        return
    visible = permissions.hubs_visible_to(actor).filter(pk=hub.pk).exists()
    if not visible or not permissions.same_tree(hub.owner, owner):
        errors["hub"] = _("Choose a hub of the resource's own organisation.")


def _save_opening_hours(resource: Resource, opening_hours: list[tuple[int, time, time]]) -> None:
    resource.opening_hours.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(resource=resource, weekday=w, opens=o, closes=c) for w, o, c in opening_hours
    )


def _check_hours_needed(unit: str, opening_hours: list, errors: dict) -> None:
    if unit == BookingUnit.HOUR and not opening_hours:
        errors.setdefault(
            "opening_hours", _("Give the opening hours of at least one day to book by the hour.")
        )


@transaction.atomic
def create_resource(
    actor: User,
    owner: Organisation,
    *,
    opening_hours: Iterable[tuple[int, time, time]] = (),
    **fields,
) -> Resource:
    """An innovation lead (or admin) of ``owner`` adds a bookable resource."""
    _require(owner.pk in managing_organisations(actor))
    errors: dict[str, str] = {}
    fields = _clean_resource(fields, errors)
    hours = _clean_opening_hours(opening_hours, errors)
    _check_hub(actor, owner, fields.get("hub"), errors)
    _check_hours_needed(fields.get("booking_unit", BookingUnit.HOUR), hours, errors)
    if errors:
        raise ValidationError(errors)
    resource = Resource(owner=owner, **fields)
    resource._history_user = actor  # type: ignore[attr-defined]
    resource.save()
    _save_opening_hours(resource, hours)
    return resource


@transaction.atomic
def update_resource(
    actor: User,
    resource: Resource,
    *,
    opening_hours: Iterable[tuple[int, time, time]] | None = None,
    **fields,
) -> Resource:
    _require(permissions.can_manage_resource(actor, resource))
    errors: dict[str, str] = {}
    fields = _clean_resource(fields, errors)
    hours = None if opening_hours is None else _clean_opening_hours(opening_hours, errors)
    if "hub" in fields:
        _check_hub(actor, resource.owner, fields["hub"], errors)
    unit = fields.get("booking_unit", resource.booking_unit)
    current = hours if hours is not None else list(resource.opening_hours.all())
    _check_hours_needed(unit, current, errors)
    if errors:
        raise ValidationError(errors)
    for name, value in fields.items():
        setattr(resource, name, value)
    resource._history_user = actor  # type: ignore[attr-defined]
    resource.save()
    if hours is not None:
        _save_opening_hours(resource, hours)
    return resource


# People to tell ---------------------------------------------------------------------------------


def _ancestors(organisation_id: int) -> set[int]:
    found: set[int] = set()
    current: int | None = organisation_id
    while current is not None and current not in found:
        found.add(current)
        current = (
            Organisation.objects.filter(pk=current).values_list("parent_id", flat=True).first()
        )
    return found


def managers(resource: Resource):
    """Active innovation leads and admins of the resource's owner and those above it."""
    members = Membership.objects.filter(
        organisation_id__in=_ancestors(resource.owner_id), roles__code__in=MANAGING_ROLES
    ).values("user_id")
    return User.objects.filter(pk__in=members, is_active=True).order_by("pk")


def _context(booking: Booking) -> dict:
    resource = booking.resource
    return {
        "resource": resource.name,
        "location": resource.location,
        "organisation": booking.organisation.name,
        "person": str(booking.booked_by) if booking.booked_by else "",
        "start": _when(booking.start),
        "end": _when(booking.end),
        "status": booking.status,
        "reason": booking.reason,
    }


def _tell_booker(booking: Booking, actor: User, template: str) -> None:
    booker = booking.booked_by
    if booker is not None and booker.pk != actor.pk and booker.is_active:
        notify(booker, template, _context(booking), booking.get_absolute_url())


# Bookings --------------------------------------------------------------------------------------


def _booking_organisation(actor: User, resource: Resource, organisation, errors: dict):
    allowed = permissions.booking_organisations(actor, resource)
    if organisation is None:
        if len(allowed) == 1:
            return Organisation.objects.get(pk=next(iter(allowed)))
        errors["organisation"] = _("Choose the organisation you book for.")
        return None
    if organisation.pk not in allowed and not permissions.access_of(actor).is_superuser:
        errors["organisation"] = _("You may not book this resource for %(organisation)s.") % {
            "organisation": organisation.name
        }
    return organisation


def _check_pilot(actor: User, pilot: Pilot, organisation: Organisation, errors: dict) -> None:
    """A booking is for a pilot the booker sees, of the organisation it is booked for."""
    if not permissions.pilots_visible_to(actor).filter(pk=pilot.pk).exists():
        errors["pilot"] = _("Choose a pilot you can see.")
    elif not permissions.same_tree(pilot.owner, organisation):
        errors["pilot"] = _("%(pilot)s is not a pilot of %(organisation)s.") % {
            "pilot": pilot.title,
            "organisation": organisation.name,
        }


def _taken(resource: Resource, start: datetime, end: datetime) -> list[rules.Interval]:
    rows = Booking.objects.filter(
        resource=resource, status__in=ACTIVE_BOOKING_STATUSES, start__lt=end, end__gt=start
    ).values_list("start", "end")
    return [rules.Interval(local_naive(s), local_naive(e)) for s, e in rows]


def check_booking(
    resource: Resource,
    start: datetime,
    end: datetime,
    *,
    people: int | None = None,
    taken: list[rules.Interval] | None = None,
) -> list[rules.Problem]:
    interval = rules.Interval(local_naive(start), local_naive(end))
    return rules.check(
        interval,
        rules_of(resource),
        now=local_naive(timezone.now()),
        people=people,
        taken=taken or [],
    )


def _serialised(write: Callable[[], T]) -> T:
    """Run ``write`` in a transaction. On SQLite a writer that finds another holding the
    database's lock waits (the connection's timeout); a shared in-memory database (the
    tests') answers "locked" at once instead, so there the transaction is tried again."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        with transaction.atomic():
            return write()
    for attempt in range(SQLITE_ATTEMPTS):
        try:
            with transaction.atomic():
                return write()
        except OperationalError as error:
            if "locked" not in str(error) or attempt == SQLITE_ATTEMPTS - 1:
                raise
            sleep(0.005 * (attempt + 1))
    raise AssertionError("unreachable")


def _raise(problems: list[rules.Problem]) -> None:
    if not problems:
        return
    errors: dict[str, list[str]] = {}
    for problem in problems:
        errors.setdefault(problem.field, []).append(message_of(problem))
    if [p.code for p in problems] == [rules.OVERLAP]:
        raise SlotTaken(errors)
    raise ValidationError(errors)


def book(
    actor: User,
    resource: Resource,
    *,
    start: datetime | None,
    end: datetime | None,
    organisation: Organisation | None = None,
    purpose: str = "",
    people: int | None = None,
    pilot: Pilot | None = None,
) -> Booking:
    """Book ``resource`` from ``start`` to ``end`` for ``organisation``, optionally for one of
    its pilots (a project space for a project); confirmed at once, or awaiting approval when
    the owner approves bookings (its managers are told)."""
    _require(permissions.can_book(actor, resource))
    errors: dict[str, str] = {}
    fields = {"purpose": purpose}
    clean_text(fields, errors, "purpose", TITLE_MAX)
    organisation = _booking_organisation(actor, resource, organisation, errors)
    if people is not None and people > CAPACITY_MAX:
        errors["people"] = _("Enter at most %(maximum)d people.") % {"maximum": CAPACITY_MAX}
    if pilot is not None and organisation is not None:
        _check_pilot(actor, pilot, organisation, errors)
    for name, moment in (("start", start), ("end", end)):
        if moment is None:
            errors[name] = (
                _("Enter when the booking starts.")
                if name == "start"
                else _("Enter when the booking ends.")
            )
        elif not YEARS[0] <= moment.year <= YEARS[1]:
            errors[name] = _("Enter a date from %(first)d to %(last)d.") % {
                "first": YEARS[0],
                "last": YEARS[1],
            }
    if errors:
        raise ValidationError(errors)
    assert start is not None and end is not None and organisation is not None
    start, end = aware(start), aware(end)
    # Everything but the overlap first, so that a plainly wrong request takes no lock.
    _raise(check_booking(resource, start, end, people=people))
    manager = permissions.can_manage_resource(actor, resource)
    status = (
        BookingStatus.REQUESTED
        if resource.requires_approval and not manager
        else BookingStatus.CONFIRMED
    )

    def write() -> Booking:
        locked = (
            Resource.objects.select_for_update()
            .prefetch_related("opening_hours")
            .get(pk=resource.pk)
        )
        _raise(check_booking(locked, start, end, people=people, taken=_taken(locked, start, end)))
        booking = Booking(
            resource=locked,
            organisation=organisation,
            booked_by=actor,
            start=start,
            end=end,
            purpose=fields["purpose"],
            people=people,
            status=status,
            pilot=pilot,
        )
        booking._history_user = actor  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                booking.save()
        except IntegrityError as error:
            if "hub_booking_no_overlap" in str(error):
                raise slot_taken() from None
            raise
        if status == BookingStatus.REQUESTED:
            for person in managers(locked):
                if person.pk != actor.pk:
                    notify(
                        person, REQUESTED_TEMPLATE, _context(booking), booking.get_absolute_url()
                    )
        return booking

    booking = _serialised(write)
    return booking


def can_decide(user, booking: Booking) -> bool:
    return booking.status == BookingStatus.REQUESTED and permissions.can_manage_resource(
        user, booking.resource
    )


def _locked(booking: Booking) -> Booking:
    """The booking read afresh and locked until the transaction ends, so that two decisions
    or cancellations cannot both pass their checks."""
    return (
        Booking.objects.select_for_update()
        .select_related("resource", "organisation")
        .get(pk=booking.pk)
    )


@transaction.atomic
def decide_booking(actor: User, booking: Booking, *, approve: bool, reason: str = "") -> Booking:
    """A manager approves a requested booking or rejects it with a reason; the booker is
    told."""
    _require(permissions.can_manage_resource(actor, booking.resource))
    booking = _locked(booking)
    fields = {"reason": reason}
    errors: dict[str, str] = {}
    clean_text(fields, errors, "reason", REASON_MAX)
    if booking.status != BookingStatus.REQUESTED:
        errors["status"] = _("This booking is not awaiting approval: it is %(status)s.") % {
            "status": booking.get_status_display().lower()
        }
    elif not approve and not fields["reason"]:
        errors["reason"] = _("Give the booker the reason for the rejection.")
    if errors:
        raise ValidationError(errors)
    booking.status = BookingStatus.CONFIRMED if approve else BookingStatus.REJECTED
    booking.reason = fields["reason"]
    booking.decided_by = actor
    booking.decided_at = timezone.now()
    booking._history_user = actor  # type: ignore[attr-defined]
    booking.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    _tell_booker(booking, actor, DECIDED_TEMPLATE)
    return booking


def can_cancel(user, booking: Booking) -> bool:
    return (
        booking.status in ACTIVE_BOOKING_STATUSES
        and booking.end > timezone.now()
        and permissions.can_cancel_booking(user, booking)
    )


@transaction.atomic
def cancel_booking(actor: User, booking: Booking, *, reason: str = "") -> Booking:
    """The booker or a manager cancels an active booking that has not ended; the slot is free
    again. A manager's cancellation is told to the booker."""
    _require(permissions.can_cancel_booking(actor, booking))
    booking = _locked(booking)
    fields = {"reason": reason}
    errors: dict[str, str] = {}
    clean_text(fields, errors, "reason", REASON_MAX)
    if booking.status not in ACTIVE_BOOKING_STATUSES:
        errors["status"] = _("This booking is %(status)s already.") % {
            "status": booking.get_status_display().lower()
        }
    elif booking.end <= timezone.now():
        errors["status"] = _("A booking that has ended cannot be cancelled.")
    if errors:
        raise ValidationError(errors)
    booking.status = BookingStatus.CANCELLED
    booking.reason = fields["reason"]
    booking.decided_by = actor
    booking.decided_at = timezone.now()
    booking._history_user = actor  # type: ignore[attr-defined]
    booking.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    _tell_booker(booking, actor, CANCELLED_TEMPLATE)
    return booking


def place_of(resource: Resource) -> str:
    return f"{resource.name}, {resource.location}"[:300]


def can_link_event(user, booking: Booking) -> bool:
    """The booker (or a manager) of a confirmed booking gives it an event."""
    return booking.status == BookingStatus.CONFIRMED and permissions.can_cancel_booking(
        user, booking
    )


@transaction.atomic
def link_event(actor: User, booking: Booking, event) -> Booking:
    """The event takes place in the booking: one the actor organises, of the booking's
    organisation (or one in its tree); the event's place becomes the resource's."""
    from samspil.events import services as event_services

    _require(can_link_event(actor, booking))
    if event is None:
        booking.event = None
    else:
        if not permissions.can_organise_event(actor, event) or not permissions.same_tree(
            event.owner, booking.organisation
        ):
            raise ValidationError(
                {
                    "event": _("Choose an event of %(organisation)s that you organise.")
                    % {"organisation": booking.organisation.name}
                }
            )
        place = place_of(booking.resource)
        if event.place != place:
            event_services.update_event(actor, event, place=place)
        booking.event = event
    booking._history_user = actor  # type: ignore[attr-defined]
    booking.save(update_fields=["event"])
    return booking
