"""The procurement API: procurements, their buyers and options, and the OCDS releases —
the same reads, services and permission rules as the pages."""

from ninja import Router

router = Router()

# section: procurements (core owner)
# Imported here so that each section keeps to its own lines of this shared file.
from datetime import date as _core_date  # noqa: E402
from datetime import datetime as _core_datetime  # noqa: E402
from decimal import Decimal as _CoreDecimal  # noqa: E402

from django.core.exceptions import PermissionDenied as _CorePermissionDenied  # noqa: E402
from django.core.exceptions import ValidationError as _CoreValidationError  # noqa: E402
from django.db import transaction as _core_transaction  # noqa: E402
from django.db.models import QuerySet as _CoreQuerySet  # noqa: E402
from django.http import HttpRequest as _CoreHttpRequest  # noqa: E402
from django.utils.translation import gettext as _core_gettext  # noqa: E402
from ninja import Field as _CoreField  # noqa: E402
from ninja import Query as _CoreQuery  # noqa: E402
from ninja import Schema as _CoreSchema  # noqa: E402
from ninja import Status as _CoreStatus  # noqa: E402
from ninja.pagination import paginate as _core_paginate  # noqa: E402

from samspil.api.pagination import PagePagination as _CorePagePagination  # noqa: E402
from samspil.api.problems import problem_responses as _core_problem_responses  # noqa: E402
from samspil.api.requests import requester as _core_requester  # noqa: E402
from samspil.api.requests import signed_in as _core_signed_in  # noqa: E402
from samspil.core import permissions as _core_permissions  # noqa: E402
from samspil.core.models import Currency as _CoreCurrency  # noqa: E402
from samspil.core.models import Visibility as _CoreVisibility  # noqa: E402

from . import queries as _core_queries  # noqa: E402
from . import services as _core_services  # noqa: E402
from .forms import creating_organisations as _core_creating_organisations  # noqa: E402
from .models import TEXT_MAX as _CORE_TEXT_MAX  # noqa: E402
from .models import TITLE_MAX as _CORE_TITLE_MAX  # noqa: E402
from .models import Procurement as _CoreProcurement  # noqa: E402
from .models import ProcurementRoute as _CoreProcurementRoute  # noqa: E402
from .models import Stage as _CoreStage  # noqa: E402


class ProcurementOrganisationRef(_CoreSchema):
    id: int
    name: str


class RouteStepOut(_CoreSchema):
    id: int
    position: int
    name: str
    produces: str
    guidance: str
    translations: dict


class ProcurementRouteOut(_CoreSchema):
    id: int
    code: str
    name: str
    law: str
    description: str
    produces: str
    ocds_method: str = _CoreField(description="OCDS procurementMethod; empty outside it.")
    has_phases: bool
    translations: dict = _CoreField(description='{"da": {"name": …}, "nb": …, "sv": …}')
    steps: list[RouteStepOut]

    @staticmethod
    def resolve_steps(route) -> list:
        return list(route.steps.all())


class ProcurementRouteRef(_CoreSchema):
    id: int
    code: str
    name: str


class StepDoneOut(_CoreSchema):
    step_id: int
    position: int
    name: str
    done_on: _core_date
    output: str

    @staticmethod
    def resolve_position(row) -> int:
        return row.step.position

    @staticmethod
    def resolve_name(row) -> str:
        return row.step.name


class LotOut(_CoreSchema):
    id: int
    position: int
    title: str
    description: str
    estimated_value: _CoreDecimal | None


class PhaseOut(_CoreSchema):
    id: int
    position: int
    name: str
    target: str
    max_cost: _CoreDecimal | None
    suppliers: list[ProcurementOrganisationRef]
    result: str
    decision: str = _CoreField(description='"go", "no_go" or empty while undecided.')
    decided_on: _core_date | None

    @staticmethod
    def resolve_suppliers(phase) -> list:
        return list(phase.suppliers.all())


class AwardOut(_CoreSchema):
    id: int
    supplier: ProcurementOrganisationRef
    value: _CoreDecimal | None
    awarded_on: _core_date
    lot_id: int | None


class ContractOut(_CoreSchema):
    id: int
    award_id: int
    value: _CoreDecimal | None
    signed_on: _core_date
    starts_on: _core_date | None
    ends_on: _core_date | None


class ProcurementOut(_CoreSchema):
    id: int
    ocid: str | None
    title: str
    description: str
    stage: _CoreStage
    visibility: _CoreVisibility
    lead_buyer: ProcurementOrganisationRef
    procuring_entity: ProcurementOrganisationRef | None
    route: ProcurementRouteRef | None
    currency: str
    estimated_value: _CoreDecimal | None = _CoreField(description="In whole currency units.")
    ceiling: _CoreDecimal | None = _CoreField(description="Including options.")
    cpv_codes: list[str]
    dialogue_starts_on: _core_date | None
    tender_on: _core_date | None
    award_on: _core_date | None
    contract_starts_on: _core_date | None
    contract_ends_on: _core_date | None
    option_deadline: _core_date | None
    url: str
    created_at: _core_datetime
    updated_at: _core_datetime

    @staticmethod
    def resolve_lead_buyer(procurement):
        return procurement.owner

    @staticmethod
    def resolve_url(procurement) -> str:
        return procurement.get_absolute_url()


class ProcurementDetailOut(ProcurementOut):
    steps_done: list[StepDoneOut] = _CoreField(description="In the route's order.")
    next_step: RouteStepOut | None = _CoreField(description="The step to mark done next.")
    phases: list[PhaseOut]
    lots: list[LotOut]
    awards: list[AwardOut]
    contracts: list[ContractOut]
    stages: list[_CoreStage] = _CoreField(description="The stages it may move to.")
    can_edit: bool

    @staticmethod
    def resolve_steps_done(procurement) -> list:
        return sorted(procurement.steps_done.all(), key=lambda row: row.step.position)

    @staticmethod
    def resolve_next_step(procurement):
        return next(
            (row["step"] for row in _core_queries.step_rows(procurement) if row["is_next"]), None
        )

    @staticmethod
    def resolve_phases(procurement) -> list:
        return list(procurement.phases.all())

    @staticmethod
    def resolve_lots(procurement) -> list:
        return list(procurement.lots.all())

    @staticmethod
    def resolve_awards(procurement) -> list:
        return list(procurement.awards.all())

    @staticmethod
    def resolve_contracts(procurement) -> list:
        return list(procurement.contracts.all())

    @staticmethod
    def resolve_stages(procurement) -> list:
        return _core_services.allowed_stages(procurement.stage)


class ProcurementIn(_CoreSchema):
    title: str = _CoreField(max_length=_CORE_TITLE_MAX)
    description: str = _CoreField("", max_length=_CORE_TEXT_MAX)
    organisation_id: int | None = _CoreField(
        None,
        description="The lead buyer; your first organisation where you are procurement "
        "officer or innovation lead when left out.",
    )
    route: str | None = _CoreField(None, description="A route code, see /procurement-routes.")
    procuring_entity_id: int | None = None
    currency: _CoreCurrency | None = _CoreField(None, description="The lead buyer's by default.")
    estimated_value: _CoreDecimal | None = _CoreField(None, ge=0)
    ceiling: _CoreDecimal | None = _CoreField(None, ge=0)
    cpv_codes: list[str] = _CoreField(
        default_factory=list, max_length=50, description='Such as "45000000-7".'
    )
    dialogue_starts_on: _core_date | None = None
    tender_on: _core_date | None = None
    award_on: _core_date | None = None
    contract_starts_on: _core_date | None = None
    contract_ends_on: _core_date | None = None
    option_deadline: _core_date | None = None
    visibility: _CoreVisibility = _CoreVisibility.INTERNAL
    challenge_id: int | None = None
    pilot_id: int | None = None
    proposal_id: int | None = None


class ProcurementPatch(_CoreSchema):
    title: str | None = _CoreField(None, max_length=_CORE_TITLE_MAX)
    description: str | None = _CoreField(None, max_length=_CORE_TEXT_MAX)
    route: str | None = _CoreField(None, description="A route code; null removes it.")
    procuring_entity_id: int | None = None
    currency: _CoreCurrency | None = None
    estimated_value: _CoreDecimal | None = _CoreField(None, ge=0)
    ceiling: _CoreDecimal | None = _CoreField(None, ge=0)
    cpv_codes: list[str] | None = _CoreField(None, max_length=50)
    dialogue_starts_on: _core_date | None = None
    tender_on: _core_date | None = None
    award_on: _core_date | None = None
    contract_starts_on: _core_date | None = None
    contract_ends_on: _core_date | None = None
    option_deadline: _core_date | None = None
    visibility: _CoreVisibility | None = None
    challenge_id: int | None = None
    pilot_id: int | None = None
    proposal_id: int | None = None
    stage: _CoreStage | None = _CoreField(
        None, description="Move the stage (tender needs a route, award an award, …)."
    )


class StepDoneIn(_CoreSchema):
    done_on: _core_date
    output: str = _CoreField("", max_length=_CORE_TEXT_MAX)
    step_id: int | None = _CoreField(
        None, description="The step meant; refused (422) unless it is the next one."
    )


class ProcurementFilters(_CoreSchema):
    stage: _CoreStage | None = None
    route: str | None = _CoreField(None, description="A route code.")
    organisation_id: int | None = _CoreField(None, description="Lead buyer or procuring entity.")
    q: str = _CoreField("", max_length=100, description="Words in the title or description.")


def _procurement_detail(user, pk: int):
    procurement = _core_queries.procurement_with_details(user, pk)
    procurement.can_edit = _core_permissions.can_edit_procurement(user, procurement)  # type: ignore[attr-defined]
    return procurement


def _procurement_references(user, fields: dict) -> dict:
    """``route`` codes and ``*_id`` fields to records; unknown or unseen ones are a 422."""
    if "route" in fields:
        code = fields.pop("route")
        route = None
        if code:
            route = _CoreProcurementRoute.objects.filter(code=code).first()
            if route is None:
                raise _CoreValidationError({"route": _core_gettext("Choose a known route.")})
        fields["route"] = route
    lookups = {
        "procuring_entity_id": (
            "procuring_entity",
            _core_permissions.organisations_visible_to(user),
            _core_gettext("Choose an organisation you may see."),
        ),
        "challenge_id": (
            "challenge",
            _core_permissions.challenges_visible_to(user),
            _core_gettext("Choose a challenge you may see."),
        ),
        "pilot_id": (
            "pilot",
            _core_permissions.pilots_visible_to(user),
            _core_gettext("Choose a pilot you may see."),
        ),
        "proposal_id": (
            "proposal",
            _core_permissions.proposals_visible_to(user),
            _core_gettext("Choose a proposal you may see."),
        ),
    }
    for key, (name, queryset, message) in lookups.items():
        if key not in fields:
            continue
        pk = fields.pop(key)
        if pk is None:
            fields[name] = None
            continue
        found = queryset.filter(pk=pk).first()
        if found is None:
            raise _CoreValidationError({key: message})
        fields[name] = found
    return fields


@router.get(
    "/procurement-routes",
    response=list[ProcurementRouteOut],
    tags=["procurement"],
    summary="The procurement routes with their steps in order",
    openapi_extra=_core_problem_responses(401),
)
def list_procurement_routes(request: _CoreHttpRequest) -> list:
    _core_requester(request)
    return list(_core_queries.routes())


@router.get(
    "/procurements",
    response=list[ProcurementOut],
    tags=["procurement"],
    summary="Procurements you may see, filtered",
    openapi_extra=_core_problem_responses(401, 422),
)
@_core_paginate(_CorePagePagination)
def list_procurements(
    request: _CoreHttpRequest, filters: _CoreQuery[ProcurementFilters]
) -> _CoreQuerySet:
    user = _core_requester(request)
    route = None
    if filters.route:
        route = _CoreProcurementRoute.objects.filter(code=filters.route).first()
        if route is None:
            return _CoreProcurement.objects.none()
    return _core_queries.search_procurements(
        user,
        stage=filters.stage or "",
        route=route,
        organisation=filters.organisation_id,
        q=filters.q,
    )


@router.post(
    "/procurements",
    response={201: ProcurementDetailOut},
    tags=["procurement"],
    summary="Start a procurement in planning (procurement officers and innovation leads)",
    openapi_extra=_core_problem_responses(401, 403, 404, 422),
)
def create_procurement(request: _CoreHttpRequest, payload: ProcurementIn):
    user = _core_signed_in(request)
    fields = payload.dict()
    organisation_id = fields.pop("organisation_id")
    if organisation_id is not None:
        owner = _core_permissions.get_organisation_for_user(user, organisation_id)
    else:
        owner = _core_creating_organisations(user).first()
        if owner is None:
            raise _CorePermissionDenied
    if not _core_permissions.can_create_procurement(user, owner):
        raise _CorePermissionDenied
    if fields["currency"] is None:
        del fields["currency"]
    procurement = _core_services.create_procurement(
        user, owner, **_procurement_references(user, fields)
    )
    return _CoreStatus(201, _procurement_detail(user, procurement.pk))


@router.get(
    "/procurements/{procurement_id}",
    response=ProcurementDetailOut,
    tags=["procurement"],
    summary="One procurement with its route, steps done, phases, lots, awards and contracts",
    openapi_extra=_core_problem_responses(401, 404, 422),
)
def get_procurement(request: _CoreHttpRequest, procurement_id: int):
    return _procurement_detail(_core_requester(request), procurement_id)


@router.patch(
    "/procurements/{procurement_id}",
    response=ProcurementDetailOut,
    tags=["procurement"],
    summary="Change a procurement or move its stage (its lead buyer's and procuring "
    "entity's procurement officers and innovation leads)",
    openapi_extra=_core_problem_responses(401, 403, 404, 422),
)
def update_procurement(request: _CoreHttpRequest, procurement_id: int, payload: ProcurementPatch):
    user = _core_signed_in(request)
    procurement = _core_permissions.get_procurement_for_user(user, procurement_id)
    if not _core_permissions.can_edit_procurement(user, procurement):
        raise _CorePermissionDenied
    fields = payload.dict(exclude_unset=True)
    stage = fields.pop("stage", None)
    if "description" in fields and fields["description"] is None:
        fields["description"] = ""
    if fields.get("cpv_codes", ()) is None:
        fields["cpv_codes"] = []
    for name in ("title", "visibility", "currency"):
        if name in fields and fields[name] is None:
            del fields[name]
    with _core_transaction.atomic():
        if fields:
            _core_services.update_procurement(
                user, procurement, **_procurement_references(user, fields)
            )
        if stage:
            _core_services.move_stage(user, procurement, stage)
    return _procurement_detail(user, procurement.pk)


@router.post(
    "/procurements/{procurement_id}/steps",
    response={201: ProcurementDetailOut},
    tags=["procurement"],
    summary="Mark the route's next step done (steps are done strictly in order)",
    openapi_extra=_core_problem_responses(401, 403, 404, 422),
)
def mark_step_done(request: _CoreHttpRequest, procurement_id: int, payload: StepDoneIn):
    user = _core_signed_in(request)
    procurement = _core_queries.procurement_with_details(user, procurement_id)
    if not _core_permissions.can_edit_procurement(user, procurement):
        raise _CorePermissionDenied
    step = None
    if payload.step_id is not None:
        steps = procurement.route.steps.all() if procurement.route else []
        step = next((s for s in steps if s.pk == payload.step_id), None)
        if step is None:
            raise _CoreValidationError(
                {"step_id": _core_gettext("This step is not part of the route.")}
            )
    try:
        _core_services.mark_step_done(
            user, procurement, done_on=payload.done_on, output=payload.output, step=step
        )
    except _CoreValidationError as error:
        errors = dict(error.message_dict)
        if "step" in errors:
            errors["step_id"] = errors.pop("step")
        raise _CoreValidationError(errors) from None
    return _CoreStatus(201, _procurement_detail(user, procurement.pk))


# section: buyers and options (buyers owner)
# Imported here so that each section keeps to its own lines of this shared file.
from datetime import date as _date  # noqa: E402
from datetime import datetime as _datetime  # noqa: E402
from decimal import Decimal as _Decimal  # noqa: E402

from django.core.exceptions import PermissionDenied as _PermissionDenied  # noqa: E402
from django.core.exceptions import ValidationError as _ValidationError  # noqa: E402
from django.http import HttpRequest as _HttpRequest  # noqa: E402
from ninja import Field as _Field  # noqa: E402
from ninja import Schema as _Schema  # noqa: E402
from ninja import Status as _Status  # noqa: E402

from samspil.api.problems import problem_responses as _problem_responses  # noqa: E402
from samspil.api.requests import requester as _requester  # noqa: E402
from samspil.api.requests import signed_in as _signed_in  # noqa: E402
from samspil.core import permissions as _permissions  # noqa: E402
from samspil.core.models import Organisation as _Organisation  # noqa: E402

from . import buyer_queries, buyer_services  # noqa: E402
from .models import BuyerRole as _BuyerRole  # noqa: E402


class BuyerOrganisationRef(_Schema):
    id: int
    name: str


class BuyerPersonRef(_Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(user) -> str:
        return str(user)


class BuyerOut(_Schema):
    id: int
    organisation: BuyerOrganisationRef
    role: _BuyerRole
    volume: _Decimal | None
    volume_unit: str
    estimated_value: _Decimal | None = _Field(description="In whole units of the currency.")
    maximum_value: _Decimal | None = _Field(description="In whole units of the currency.")
    confirmed: bool = _Field(description="False: invited, not confirmed yet.")
    confirmed_by: BuyerPersonRef | None
    confirmed_at: _datetime | None
    option_exercised: bool
    exercised_on: _date | None

    @staticmethod
    def resolve_confirmed(buyer) -> bool:
        return buyer.confirmed_at is not None


class DemandOut(_Schema):
    currency: str
    committed: _Decimal = _Field(description="Lead, participants and exercised options.")
    optional: _Decimal = _Field(description="Maximum values of options not exercised.")
    total: _Decimal
    ceiling: _Decimal | None
    headroom: _Decimal | None = _Field(description="Left under the ceiling; none without one.")


class BuyersOut(_Schema):
    buyers: list[BuyerOut]
    demand: DemandOut


class BuyerIn(_Schema):
    organisation_id: int = _Field(description="A public-sector organisation, not a buyer yet.")
    role: _BuyerRole = _Field(description="`participant` or `option_holder`.")
    volume: _Decimal | None = _Field(None, ge=0)
    volume_unit: str = _Field("", max_length=60)
    estimated_value: _Decimal | None = _Field(None, ge=0)
    maximum_value: _Decimal | None = _Field(None, ge=0, description="Needed for an option holder.")


class ExerciseIn(_Schema):
    exercised_on: _date | None = _Field(None, description="Needed; not after the option deadline.")


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
    openapi_extra=_problem_responses(401, 404, 422),
)
def list_buyers(request: _HttpRequest, procurement_id: int):
    procurement = _permissions.get_procurement_for_user(_requester(request), procurement_id)
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
    openapi_extra=_problem_responses(401, 403, 404, 422),
)
def invite_buyer(request: _HttpRequest, procurement_id: int, payload: BuyerIn):
    user = _signed_in(request)
    procurement = _permissions.get_procurement_for_user(user, procurement_id)
    if not _permissions.can_edit_procurement(user, procurement):
        raise _PermissionDenied
    fields = payload.dict()
    organisation = _Organisation.objects.filter(pk=fields.pop("organisation_id")).first()
    try:
        buyer = buyer_services.invite_buyer(user, procurement, organisation, **fields)
    except _ValidationError as error:
        errors = dict(error.message_dict)
        if "organisation" in errors:
            errors["organisation_id"] = errors.pop("organisation")
        raise _ValidationError(errors) from None
    return _Status(201, _buyer_out(procurement, buyer.pk))


class BuyerValuesIn(_Schema):
    volume: _Decimal | None = _Field(None, ge=0)
    volume_unit: str = _Field("", max_length=60)
    estimated_value: _Decimal | None = _Field(None, ge=0)
    maximum_value: _Decimal | None = _Field(None, ge=0, description="Needed for an option holder.")


@router.put(
    "/procurements/{procurement_id}/buyers/{buyer_id}",
    response=BuyerOut,
    tags=["procurement"],
    summary="Set a buyer's volume and values, the lead's own too (those who may edit the "
    "procurement)",
    description="Committed and optional demand must stay within the ceiling.",
    openapi_extra=_problem_responses(401, 403, 404, 422),
)
def update_buyer(request: _HttpRequest, procurement_id: int, buyer_id: int, payload: BuyerValuesIn):
    user = _signed_in(request)
    procurement = _permissions.get_procurement_for_user(user, procurement_id)
    buyer = buyer_queries.get_buyer(procurement, buyer_id)
    buyer_services.update_buyer(user, buyer, **payload.dict())
    return _buyer_out(procurement, buyer_id)


@router.post(
    "/procurements/{procurement_id}/buyers/{buyer_id}/confirm",
    response=BuyerOut,
    tags=["procurement"],
    summary="Confirm that your organisation buys in (its procurement officers, innovation "
    "leads and admins)",
    openapi_extra=_problem_responses(401, 403, 404, 422),
)
def confirm_buyer(request: _HttpRequest, procurement_id: int, buyer_id: int):
    user = _signed_in(request)
    procurement = _permissions.get_procurement_for_user(user, procurement_id)
    buyer = buyer_queries.get_buyer(procurement, buyer_id)
    buyer_services.confirm_buyer(user, buyer)
    return _buyer_out(procurement, buyer_id)


@router.post(
    "/procurements/{procurement_id}/buyers/{buyer_id}/exercise",
    response=BuyerOut,
    tags=["procurement"],
    summary="Exercise an option on a date (the lead's editors or the option holder's own "
    "procurement officers, innovation leads and admins)",
    openapi_extra=_problem_responses(401, 403, 404, 422),
)
def exercise_option(request: _HttpRequest, procurement_id: int, buyer_id: int, payload: ExerciseIn):
    user = _signed_in(request)
    procurement = _permissions.get_procurement_for_user(user, procurement_id)
    buyer = buyer_queries.get_buyer(procurement, buyer_id)
    buyer_services.exercise_option(user, buyer, payload.exercised_on)
    return _buyer_out(procurement, buyer_id)


@router.delete(
    "/procurements/{procurement_id}/buyers/{buyer_id}",
    response={204: None},
    tags=["procurement"],
    summary="Decline an invitation (the invited organisation) or withdraw it (the lead)",
    openapi_extra=_problem_responses(401, 403, 404, 422),
)
def remove_buyer(request: _HttpRequest, procurement_id: int, buyer_id: int):
    user = _signed_in(request)
    procurement = _permissions.get_procurement_for_user(user, procurement_id)
    buyer = buyer_queries.get_buyer(procurement, buyer_id)
    buyer_services.remove_buyer(user, buyer)
    return _Status(204, None)


# section: ocds (ocds owner)
# OCDS 1.1.5 open data: public procurements only, for every caller (see ocds_queries).
from datetime import datetime as _ocds_datetime  # noqa: E402

from django.conf import settings as _ocds_settings  # noqa: E402
from django.core.exceptions import ValidationError as _OcdsValidationError  # noqa: E402
from django.http import HttpRequest as _OcdsHttpRequest  # noqa: E402
from django.http import HttpResponse as _OcdsHttpResponse  # noqa: E402
from django.http import JsonResponse as _OcdsJsonResponse  # noqa: E402
from django.utils import timezone as _ocds_timezone  # noqa: E402
from django.utils.translation import gettext as _ocds_gettext  # noqa: E402
from ninja import Field as _OcdsField  # noqa: E402
from ninja import Query as _OcdsQuery  # noqa: E402
from ninja import Schema as _OcdsSchema  # noqa: E402

from samspil.api.problems import problem as _ocds_problem  # noqa: E402
from samspil.api.problems import problem_responses as _ocds_problem_responses  # noqa: E402
from samspil.api.requests import requester as _ocds_requester  # noqa: E402

from . import ocds, ocds_queries  # noqa: E402


class OcdsReleasesQuery(_OcdsSchema):
    since: str | None = _OcdsField(
        None,
        description="Only procurements changed after this RFC 3339 date-time, such as "
        "2026-01-31T12:00:00+01:00 (without an offset: the server's time zone).",
    )
    page: int = _OcdsField(1, ge=1)
    page_size: int | None = _OcdsField(
        None,
        ge=1,
        le=_ocds_settings.API_MAX_PAGE_SIZE,
        description="Releases per page; the server's PAGE_SIZE setting when left out.",
    )


def _ocds_since(value: str | None) -> _ocds_datetime | None:
    if value is None or not value.strip():
        return None
    try:
        # A "+" of the offset arrives as a space when the caller did not encode it.
        parsed = _ocds_datetime.fromisoformat(value.strip().replace(" ", "+"))
    except ValueError:
        raise _OcdsValidationError(
            {"since": _ocds_gettext("Enter a date and time such as 2026-01-31T12:00:00+01:00.")}
        ) from None
    return parsed if _ocds_timezone.is_aware(parsed) else _ocds_timezone.make_aware(parsed)


def _ocds_json(package: dict) -> _OcdsJsonResponse:
    return _OcdsJsonResponse(package, json_dumps_params={"ensure_ascii": False})


def _ocds_data(user, procurement_ids: list[int]) -> list[ocds.ProcurementData]:
    return ocds_queries.procurement_data(
        ocds_queries.public_procurements(user)
        .filter(pk__in=procurement_ids)
        .order_by("last_changed", "pk")
    )


@router.get(
    "/ocds/releases",
    url_name="ocds_releases",
    response={200: dict, 204: None},
    tags=["ocds"],
    summary="OCDS release package: the latest release of each public procurement",
    description="OCDS 1.1.5. The latest release of every public procurement changed after "
    "`since`, oldest change first, a page at a time (`links.next` names the next page). "
    "Only public procurements are open data, for signed-in callers too. 204 when none "
    "changed (an OCDS package holds at least one release); 404 past the last page.",
    openapi_extra=_ocds_problem_responses(404, 422),
)
def ocds_releases(request: _OcdsHttpRequest, query: _OcdsQuery[OcdsReleasesQuery]):
    user = _ocds_requester(request)
    since = _ocds_since(query.since)
    page_size = query.page_size or min(_ocds_settings.PAGE_SIZE, _ocds_settings.API_MAX_PAGE_SIZE)
    offset = (query.page - 1) * page_size
    ids = list(
        ocds_queries.changed_since(user, since).values_list("pk", flat=True)[
            offset : offset + page_size + 1
        ]
    )
    if not ids:
        if query.page == 1:
            return _OcdsHttpResponse(status=204)
        return _ocds_problem(request, 404, _ocds_gettext("There is no such page."))
    data = _ocds_data(user, ids[:page_size])
    links = {}
    if len(ids) > page_size:
        params = request.GET.copy()
        params["page"] = str(query.page + 1)
        links["next"] = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    package = ocds.release_package(
        data,
        ocds_queries.publisher(),
        uri=request.build_absolute_uri(),
        published=max(item.last_changed for item in data),
        links=links,
    )
    return _ocds_json(package)


@router.get(
    "/ocds/releases/{ocid}",
    url_name="ocds_release",
    response={200: dict},
    tags=["ocds"],
    summary="OCDS release package with the latest release of a public procurement",
    openapi_extra=_ocds_problem_responses(404),
)
def ocds_release(request: _OcdsHttpRequest, ocid: str):
    user = _ocds_requester(request)
    procurement = ocds_queries.get_public_procurement(user, ocid)
    data = _ocds_data(user, [procurement.pk])
    package = ocds.release_package(
        data,
        ocds_queries.publisher(),
        uri=request.build_absolute_uri(),
        published=data[0].last_changed,
    )
    return _ocds_json(package)


@router.get(
    "/ocds/records/{ocid}",
    url_name="ocds_record",
    response={200: dict},
    tags=["ocds"],
    summary="OCDS record package of a public procurement",
    description="OCDS 1.1.5: the procurement's releases (one per stage reached, each with "
    "everything known then) and its compiled release. 404 when unknown or not public.",
    openapi_extra=_ocds_problem_responses(404),
)
def ocds_record(request: _OcdsHttpRequest, ocid: str):
    user = _ocds_requester(request)
    procurement = ocds_queries.get_public_procurement(user, ocid)
    [data] = _ocds_data(user, [procurement.pk])
    package = ocds.record_package(data, ocds_queries.publisher(), uri=request.build_absolute_uri())
    return _ocds_json(package)
