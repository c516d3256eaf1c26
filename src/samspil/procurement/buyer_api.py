"""The API of a joint procurement's buyers and options, with the same rules as the pages."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from samspil.api.problems import problem_responses
from samspil.api.requests import requester, signed_in
from samspil.api.schemas import Id, InputSchema
from samspil.core import permissions
from samspil.core.models import Organisation

from . import buyer_queries, buyer_services
from .models import BuyerRole

router = Router()


class BuyerOrganisationRef(Schema):
    id: int
    name: str


class BuyerPersonRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(user) -> str:
        return str(user)


class BuyerOut(Schema):
    id: int
    organisation: BuyerOrganisationRef
    role: BuyerRole
    volume: Decimal | None
    volume_unit: str
    estimated_value: Decimal | None = Field(description="In whole units of the currency.")
    maximum_value: Decimal | None = Field(description="In whole units of the currency.")
    confirmed: bool = Field(description="False: invited, not confirmed yet.")
    confirmed_by: BuyerPersonRef | None
    confirmed_at: datetime | None
    option_exercised: bool
    exercised_on: date | None

    @staticmethod
    def resolve_confirmed(buyer) -> bool:
        return buyer.confirmed_at is not None


class DemandOut(Schema):
    currency: str
    committed: Decimal = Field(description="Lead, participants and exercised options.")
    optional: Decimal = Field(description="Maximum values of options not exercised.")
    total: Decimal
    ceiling: Decimal | None
    headroom: Decimal | None = Field(description="Left under the ceiling; none without one.")


class BuyersOut(Schema):
    buyers: list[BuyerOut]
    demand: DemandOut


class BuyerIn(InputSchema):
    organisation_id: Id = Field(description="A public-sector organisation, not a buyer yet.")
    role: BuyerRole = Field(description="`participant` or `option_holder`.")
    volume: Decimal | None = Field(None, ge=0)
    volume_unit: str = Field("", max_length=60)
    estimated_value: Decimal | None = Field(None, ge=0)
    maximum_value: Decimal | None = Field(None, ge=0, description="Needed for an option holder.")


class ExerciseIn(InputSchema):
    exercised_on: date | None = Field(None, description="Needed; not after the option deadline.")


def _buyers_out(procurement) -> dict:
    rows = buyer_queries.buyers(procurement)
    result = buyer_queries.demand_of(procurement, rows)
    return {
        "buyers": rows,
        "demand": {
            "currency": procurement.currency,
            "committed": result.committed,
            "optional": result.optional,
            "total": result.total,
            "ceiling": result.ceiling,
            "headroom": result.headroom,
        },
    }


def _buyer_out(procurement, buyer_id: int):
    return buyer_queries.get_buyer(procurement, buyer_id)


@router.get(
    "/procurements/{procurement_id}/buyers",
    response=BuyersOut,
    tags=["procurement"],
    summary="The buyers of a joint procurement and its demand against the ceiling",
    openapi_extra=problem_responses(401, 404, 422),
)
def list_buyers(request: HttpRequest, procurement_id: int):
    procurement = permissions.get_procurement_for_user(requester(request), procurement_id)
    return _buyers_out(procurement)


@router.post(
    "/procurements/{procurement_id}/buyers",
    response={201: BuyerOut},
    tags=["procurement"],
    summary="Invite an organisation to buy in (those who may edit the procurement)",
    description=(
        "A public-sector organisation, once per procurement, as participating buyer or option "
        "holder; committed and optional demand must stay within the ceiling. Its procurement "
        "officers, innovation leads and admins are told and may confirm."
    ),
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def invite_buyer(request: HttpRequest, procurement_id: int, payload: BuyerIn):
    user = signed_in(request)
    procurement = permissions.get_procurement_for_user(user, procurement_id)
    if not permissions.can_edit_procurement(user, procurement):
        raise PermissionDenied
    fields = payload.dict()
    organisation = Organisation.objects.filter(pk=fields.pop("organisation_id")).first()
    try:
        buyer = buyer_services.invite_buyer(user, procurement, organisation, **fields)
    except ValidationError as error:
        errors = dict(error.message_dict)
        if "organisation" in errors:
            errors["organisation_id"] = errors.pop("organisation")
        raise ValidationError(errors) from None
    return Status(201, _buyer_out(procurement, buyer.pk))


class BuyerValuesIn(InputSchema):
    volume: Decimal | None = Field(None, ge=0)
    volume_unit: str = Field("", max_length=60)
    estimated_value: Decimal | None = Field(None, ge=0)
    maximum_value: Decimal | None = Field(None, ge=0, description="Needed for an option holder.")


@router.put(
    "/procurements/{procurement_id}/buyers/{buyer_id}",
    response=BuyerOut,
    tags=["procurement"],
    summary="Set a buyer's volume and values, the lead's own too (those who may edit the "
    "procurement)",
    description="Committed and optional demand must stay within the ceiling.",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def update_buyer(request: HttpRequest, procurement_id: int, buyer_id: int, payload: BuyerValuesIn):
    user = signed_in(request)
    procurement = permissions.get_procurement_for_user(user, procurement_id)
    buyer = buyer_queries.get_buyer(procurement, buyer_id)
    buyer_services.update_buyer(user, buyer, **payload.dict())
    return _buyer_out(procurement, buyer_id)


@router.post(
    "/procurements/{procurement_id}/buyers/{buyer_id}/confirm",
    response=BuyerOut,
    tags=["procurement"],
    summary="Confirm that your organisation buys in (its procurement officers, innovation "
    "leads and admins)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def confirm_buyer(request: HttpRequest, procurement_id: int, buyer_id: int):
    user = signed_in(request)
    procurement = permissions.get_procurement_for_user(user, procurement_id)
    buyer = buyer_queries.get_buyer(procurement, buyer_id)
    buyer_services.confirm_buyer(user, buyer)
    return _buyer_out(procurement, buyer_id)


@router.post(
    "/procurements/{procurement_id}/buyers/{buyer_id}/exercise",
    response=BuyerOut,
    tags=["procurement"],
    summary="Exercise an option on a date (the lead's editors or the option holder's own "
    "procurement officers, innovation leads and admins)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def exercise_option(request: HttpRequest, procurement_id: int, buyer_id: int, payload: ExerciseIn):
    user = signed_in(request)
    procurement = permissions.get_procurement_for_user(user, procurement_id)
    buyer = buyer_queries.get_buyer(procurement, buyer_id)
    buyer_services.exercise_option(user, buyer, payload.exercised_on)
    return _buyer_out(procurement, buyer_id)


@router.delete(
    "/procurements/{procurement_id}/buyers/{buyer_id}",
    response={204: None},
    tags=["procurement"],
    summary="Decline an invitation (the invited organisation) or withdraw it (the lead)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def remove_buyer(request: HttpRequest, procurement_id: int, buyer_id: int):
    user = signed_in(request)
    procurement = permissions.get_procurement_for_user(user, procurement_id)
    buyer = buyer_queries.get_buyer(procurement, buyer_id)
    buyer_services.remove_buyer(user, buyer)
    return Status(204, None)
