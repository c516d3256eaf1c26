"""The API of resources and bookings: the same reads, services and permission rules as the
pages. A booking whose time is taken is answered 409 (problem details); other refusals
422."""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from samspil.api.pagination import PagePagination
from samspil.api.problems import problem, problem_responses
from samspil.api.requests import organisation_with_role, requester, signed_in
from samspil.api.schemas import Id, InputSchema
from samspil.core import permissions
from samspil.core.models import Organisation, Visibility
from samspil.pilots.models import Pilot

from . import resource_queries as queries
from . import resource_services as services
from .models import (
    TEXT_MAX,
    TITLE_MAX,
    BookingStatus,
    BookingUnit,
    ResourceKind,
    WhoMayBook,
)

router = Router()


class ResourceOrganisationRef(Schema):
    id: int
    name: str


class OpeningHoursSchema(Schema):
    weekday: int = Field(ge=0, le=6, description="0 is Monday.")
    opens: time
    closes: time


class OpeningHoursIn(OpeningHoursSchema, InputSchema):
    pass


class ResourceOut(Schema):
    id: int
    name: str
    kind: ResourceKind
    description: str
    location: str
    capacity: int | None
    rules: str
    who_may_book: WhoMayBook
    booking_unit: BookingUnit
    requires_approval: bool
    max_booking_days: int | None
    active: bool
    visibility: Visibility
    owner: ResourceOrganisationRef
    hub_id: int | None
    opening_hours: list[OpeningHoursSchema]
    url: str

    @staticmethod
    def resolve_opening_hours(resource) -> list:
        return list(resource.opening_hours.all())

    @staticmethod
    def resolve_url(resource) -> str:
        return resource.get_absolute_url()


class ResourceIn(InputSchema):
    name: str = Field(max_length=TITLE_MAX)
    kind: ResourceKind
    location: str = Field(max_length=300)
    organisation_id: Id | None = Field(
        None, description="The owner; your first organisation where you lead innovation."
    )
    hub_id: Id | None = None
    description: str = Field("", max_length=TEXT_MAX)
    capacity: int | None = Field(None, ge=1)
    rules: str = Field("", max_length=TEXT_MAX)
    who_may_book: WhoMayBook = WhoMayBook.MEMBERS
    booking_unit: BookingUnit = BookingUnit.HOUR
    requires_approval: bool = False
    max_booking_days: int | None = Field(None, ge=1)
    active: bool = True
    visibility: Visibility = Visibility.INTERNAL
    opening_hours: list[OpeningHoursIn] = Field(default_factory=list, max_length=50)


class ResourceFilters(Schema):
    kind: ResourceKind | None = None
    who_may_book: WhoMayBook | None = None
    q: str = Field("", max_length=100, description="Words in the name, location or description.")


class BookingOut(Schema):
    id: int
    resource_id: int
    organisation: ResourceOrganisationRef
    start: datetime
    end: datetime
    purpose: str
    people: int | None
    status: BookingStatus
    reason: str
    event_id: int | None
    pilot_id: int | None
    url: str
    ics_url: str

    @staticmethod
    def resolve_url(booking) -> str:
        return booking.get_absolute_url()

    @staticmethod
    def resolve_ics_url(booking) -> str:
        return f"{booking.get_absolute_url()}booking.ics"


class BookingIn(InputSchema):
    start: datetime = Field(description="ISO 8601; without an offset read as local time.")
    end: datetime = Field(
        description="ISO 8601. A resource booked by the period takes whole days: start and "
        "end at local midnight (end is the midnight after the last day)."
    )
    purpose: str = Field("", max_length=TITLE_MAX)
    people: int | None = Field(None, ge=1)
    organisation_id: Id | None = Field(
        None, description="Whom you book for; needed when you may book for several."
    )
    pilot_id: Id | None = Field(None, description="The pilot (project) the booking is for.")


class BookingFilters(Schema):
    status: BookingStatus | None = None
    upcoming: bool = Field(False, description="Only bookings that have not ended.")


class TakenOut(Schema):
    start: datetime
    end: datetime
    awaiting_approval: bool


class AvailabilityOut(Schema):
    start: datetime
    end: datetime
    taken: list[TakenOut] = Field(
        description="Times active bookings hold, whoever booked them; the rest is free "
        "inside the opening hours (by the hour) or by whole days (by the period)."
    )


class AvailabilityFilters(Schema):
    start: date | None = Field(
        None,
        ge=date(1900, 1, 1),
        le=date(2200, 12, 31),
        description="First day; today when left out.",
    )
    days: int = Field(7, ge=1, le=92, description="How many days from the first.")


class CancelIn(InputSchema):
    reason: str = Field("", max_length=500)


class DecisionIn(InputSchema):
    approve: bool
    reason: str = Field("", max_length=500, description="Needed to reject.")


def _organisation(user, pk: int | None, field: str) -> Organisation | None:
    if pk is None:
        return None
    found = permissions.organisations_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: _("Choose an organisation you may see.")})
    return found


def _pilot(user, pk: int | None) -> Pilot | None:
    if pk is None:
        return None
    found = permissions.pilots_visible_to(user).select_related("owner").filter(pk=pk).first()
    if found is None:
        raise ValidationError({"pilot_id": _("Choose a pilot you can see.")})
    return found


@router.get(
    "/resources",
    response=list[ResourceOut],
    tags=["hub"],
    summary="Bookable resources you may see, filtered",
    openapi_extra=problem_responses(401, 422),
)
@paginate(PagePagination)
def list_resources(request: HttpRequest, filters: Query[ResourceFilters]) -> QuerySet:
    return queries.search_resources(
        requester(request),
        kind=filters.kind or "",
        who_may_book=filters.who_may_book or "",
        q=filters.q,
    )


@router.post(
    "/resources",
    response={201: ResourceOut},
    tags=["hub"],
    summary="Add a bookable resource (innovation leads and admins of its owner)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def create_resource(request: HttpRequest, payload: ResourceIn):
    user = signed_in(request)
    fields = payload.dict()
    owner = organisation_with_role(user, fields.pop("organisation_id"), *permissions.HUB_ROLES)
    if owner.pk not in services.managing_organisations(user):
        raise PermissionDenied
    hub_id = fields.pop("hub_id")
    if hub_id is not None:
        hub = permissions.hubs_visible_to(user).filter(pk=hub_id).first()
        if hub is None:
            raise ValidationError({"hub_id": _("Choose a hub you may see.")})
        fields["hub"] = hub
    hours = [(h["weekday"], h["opens"], h["closes"]) for h in fields.pop("opening_hours")]
    resource = services.create_resource(user, owner, opening_hours=hours, **fields)
    return Status(201, queries.resource_with_details(user, resource.pk))


@router.get(
    "/resources/{resource_id}",
    response=ResourceOut,
    tags=["hub"],
    summary="One resource with its opening hours",
    openapi_extra=problem_responses(401, 404, 422),
)
def get_resource(request: HttpRequest, resource_id: int):
    return queries.resource_with_details(requester(request), resource_id)


@router.get(
    "/resources/{resource_id}/bookings",
    response=list[BookingOut],
    tags=["hub"],
    summary="The resource's bookings you may see (yours, your organisation's, or all of a "
    "resource you manage)",
    openapi_extra=problem_responses(401, 404, 422),
)
@paginate(PagePagination)
def list_bookings(
    request: HttpRequest, resource_id: int, filters: Query[BookingFilters]
) -> QuerySet:
    user = requester(request)
    resource = permissions.get_resource_for_user(user, resource_id)
    return queries.bookings_for_list(
        user, resource=resource, status=filters.status or "", upcoming=filters.upcoming
    )


@router.get(
    "/resources/{resource_id}/availability",
    response=AvailabilityOut,
    tags=["hub"],
    summary="The times taken in a range of days, for finding a free slot",
    openapi_extra=problem_responses(401, 404, 422),
)
def get_availability(request: HttpRequest, resource_id: int, filters: Query[AvailabilityFilters]):
    resource = permissions.get_resource_for_user(requester(request), resource_id)
    first = filters.start or timezone.localdate()
    start = services.day_start(first)
    end = services.day_start(first + timedelta(days=filters.days))
    taken = [
        {"start": t.start, "end": t.end, "awaiting_approval": t.requested}
        for t in queries.taken_between(resource, start, end, local=False)
    ]
    return {"start": start, "end": end, "taken": taken}


@router.post(
    "/resources/{resource_id}/bookings",
    response={201: BookingOut},
    tags=["hub"],
    summary="Book the resource: 201 when booked (or requested, when the owner approves), "
    "409 when the time is taken, 422 for the other refusals",
    openapi_extra=problem_responses(401, 403, 404, 409, 422),
)
def create_booking(request: HttpRequest, resource_id: int, payload: BookingIn):
    user = signed_in(request)
    resource = queries.resource_with_details(user, resource_id)
    organisation = _organisation(user, payload.organisation_id, "organisation_id")
    try:
        booking = services.book(
            user,
            resource,
            start=payload.start,
            end=payload.end,
            organisation=organisation,
            purpose=payload.purpose,
            people=payload.people,
            pilot=_pilot(user, payload.pilot_id),
        )
    except services.SlotTaken as error:
        return problem(request, 409, " ".join(error.messages), errors=error.message_dict)
    except ValidationError as error:
        errors = dict(error.message_dict)
        for name in ("organisation", "pilot"):
            if name in errors:
                errors[f"{name}_id"] = errors.pop(name)
        raise ValidationError(errors) from None
    return Status(201, queries.booking_with_details(user, booking.pk))


@router.get(
    "/bookings/{booking_id}",
    response=BookingOut,
    tags=["hub"],
    summary="One booking you may see",
    openapi_extra=problem_responses(401, 404, 422),
)
def get_booking(request: HttpRequest, booking_id: int):
    return queries.booking_with_details(requester(request), booking_id)


@router.post(
    "/bookings/{booking_id}/cancel",
    response=BookingOut,
    tags=["hub"],
    summary="Cancel a booking that has not ended (its booker or the resource's managers)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def cancel_booking(request: HttpRequest, booking_id: int, payload: CancelIn):
    user = signed_in(request)
    booking = queries.booking_with_details(user, booking_id)
    services.cancel_booking(user, booking, reason=payload.reason)
    return queries.booking_with_details(user, booking_id)


@router.post(
    "/bookings/{booking_id}/decision",
    response=BookingOut,
    tags=["hub"],
    summary="Approve or reject a requested booking (the resource's managers)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def decide_booking(request: HttpRequest, booking_id: int, payload: DecisionIn):
    user = signed_in(request)
    booking = queries.booking_with_details(user, booking_id)
    services.decide_booking(user, booking, approve=payload.approve, reason=payload.reason)
    return queries.booking_with_details(user, booking_id)
