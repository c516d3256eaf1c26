"""The procurement API: procurements with their route, steps, phases, lots, awards and
contracts — the same reads, services and permission rules as the pages."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from samspil.api.pagination import PagePagination
from samspil.api.problems import problem_responses
from samspil.api.requests import organisation_with_role, requester, signed_in
from samspil.api.schemas import Id, InputSchema
from samspil.core import permissions
from samspil.core.models import Currency, Visibility

from . import queries, services
from .models import TEXT_MAX, TITLE_MAX, Procurement, ProcurementRoute, Stage

router = Router()


class ProcurementOrganisationRef(Schema):
    id: int
    name: str


class RouteStepOut(Schema):
    id: int
    position: int
    name: str
    produces: str
    guidance: str
    translations: dict


class ProcurementRouteOut(Schema):
    id: int
    code: str
    name: str
    law: str
    description: str
    produces: str
    ocds_method: str = Field(description="OCDS procurementMethod; empty outside it.")
    has_phases: bool
    translations: dict = Field(description='{"da": {"name": …}, "nb": …, "sv": …}')
    steps: list[RouteStepOut]

    @staticmethod
    def resolve_steps(route) -> list:
        return list(route.steps.all())


class ProcurementRouteRef(Schema):
    id: int
    code: str
    name: str


class StepDoneOut(Schema):
    step_id: int
    position: int
    name: str
    done_on: date
    output: str

    @staticmethod
    def resolve_position(row) -> int:
        return row.step.position

    @staticmethod
    def resolve_name(row) -> str:
        return row.step.name


class LotOut(Schema):
    id: int
    position: int
    title: str
    description: str
    estimated_value: Decimal | None


class PhaseOut(Schema):
    id: int
    position: int
    name: str
    target: str
    max_cost: Decimal | None
    suppliers: list[ProcurementOrganisationRef]
    result: str
    decision: str = Field(description='"go", "no_go" or empty while undecided.')
    decided_on: date | None

    @staticmethod
    def resolve_suppliers(phase) -> list:
        return list(phase.suppliers.all())


class AwardOut(Schema):
    id: int
    supplier: ProcurementOrganisationRef
    value: Decimal | None
    awarded_on: date
    lot_id: int | None


class ContractOut(Schema):
    id: int
    award_id: int
    value: Decimal | None
    signed_on: date
    starts_on: date | None
    ends_on: date | None


class ProcurementOut(Schema):
    id: int
    ocid: str | None
    title: str
    description: str
    stage: Stage
    visibility: Visibility
    lead_buyer: ProcurementOrganisationRef
    procuring_entity: ProcurementOrganisationRef | None
    route: ProcurementRouteRef | None
    currency: str
    estimated_value: Decimal | None = Field(description="In whole currency units.")
    ceiling: Decimal | None = Field(description="Including options.")
    cpv_codes: list[str]
    dialogue_starts_on: date | None
    tender_on: date | None
    award_on: date | None
    contract_starts_on: date | None
    contract_ends_on: date | None
    option_deadline: date | None
    url: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_lead_buyer(procurement):
        return procurement.owner

    @staticmethod
    def resolve_url(procurement) -> str:
        return procurement.get_absolute_url()


class ProcurementDetailOut(ProcurementOut):
    steps_done: list[StepDoneOut] = Field(description="In the route's order.")
    next_step: RouteStepOut | None = Field(description="The step to mark done next.")
    phases: list[PhaseOut]
    lots: list[LotOut]
    awards: list[AwardOut]
    contracts: list[ContractOut]
    stages: list[Stage] = Field(description="The stages it may move to.")
    can_edit: bool

    @staticmethod
    def resolve_steps_done(procurement) -> list:
        return sorted(procurement.steps_done.all(), key=lambda row: row.step.position)

    @staticmethod
    def resolve_next_step(procurement):
        return next((row["step"] for row in queries.step_rows(procurement) if row["is_next"]), None)

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
        return services.allowed_stages(procurement.stage)


class ProcurementIn(InputSchema):
    title: str = Field(max_length=TITLE_MAX)
    description: str = Field("", max_length=TEXT_MAX)
    organisation_id: Id | None = Field(
        None,
        description="The lead buyer; your first organisation where you are procurement "
        "officer or innovation lead when left out.",
    )
    route: str | None = Field(None, description="A route code, see /procurement-routes.")
    procuring_entity_id: Id | None = None
    currency: Currency | None = Field(None, description="The lead buyer's by default.")
    estimated_value: Decimal | None = Field(None, ge=0)
    ceiling: Decimal | None = Field(None, ge=0)
    cpv_codes: list[str] = Field(
        default_factory=list, max_length=50, description='Such as "45000000-7".'
    )
    dialogue_starts_on: date | None = None
    tender_on: date | None = None
    award_on: date | None = None
    contract_starts_on: date | None = None
    contract_ends_on: date | None = None
    option_deadline: date | None = None
    visibility: Visibility = Visibility.INTERNAL
    challenge_id: Id | None = None
    pilot_id: Id | None = None
    proposal_id: Id | None = None


class ProcurementPatch(InputSchema):
    title: str | None = Field(None, max_length=TITLE_MAX)
    description: str | None = Field(None, max_length=TEXT_MAX)
    route: str | None = Field(None, description="A route code; null removes it.")
    procuring_entity_id: Id | None = None
    currency: Currency | None = None
    estimated_value: Decimal | None = Field(None, ge=0)
    ceiling: Decimal | None = Field(None, ge=0)
    cpv_codes: list[str] | None = Field(None, max_length=50)
    dialogue_starts_on: date | None = None
    tender_on: date | None = None
    award_on: date | None = None
    contract_starts_on: date | None = None
    contract_ends_on: date | None = None
    option_deadline: date | None = None
    visibility: Visibility | None = None
    challenge_id: Id | None = None
    pilot_id: Id | None = None
    proposal_id: Id | None = None
    stage: Stage | None = Field(
        None, description="Move the stage (tender needs a route, award an award, …)."
    )


class StepDoneIn(InputSchema):
    done_on: date
    output: str = Field("", max_length=TEXT_MAX)
    step_id: Id | None = Field(
        None, description="The step meant; refused (422) unless it is the next one."
    )


class ProcurementFilters(Schema):
    stage: Stage | None = None
    route: str | None = Field(None, description="A route code.")
    organisation_id: int | None = Field(None, description="Lead buyer or procuring entity.")
    q: str = Field("", max_length=100, description="Words in the title or description.")


def _procurement_detail(user, pk: int):
    procurement = queries.procurement_with_details(user, pk)
    procurement.can_edit = permissions.can_edit_procurement(user, procurement)  # type: ignore[attr-defined]
    return procurement


def _procurement_references(user, fields: dict) -> dict:
    """``route`` codes and ``*_id`` fields to records; unknown or unseen ones are a 422."""
    if "route" in fields:
        code = fields.pop("route")
        route = None
        if code:
            route = ProcurementRoute.objects.filter(code=code).first()
            if route is None:
                raise ValidationError({"route": gettext("Choose a known route.")})
        fields["route"] = route
    lookups = {
        "procuring_entity_id": (
            "procuring_entity",
            permissions.organisations_visible_to(user),
            gettext("Choose an organisation you may see."),
        ),
        "challenge_id": (
            "challenge",
            permissions.challenges_visible_to(user),
            gettext("Choose a challenge you may see."),
        ),
        "pilot_id": (
            "pilot",
            permissions.pilots_visible_to(user),
            gettext("Choose a pilot you may see."),
        ),
        "proposal_id": (
            "proposal",
            permissions.proposals_visible_to(user),
            gettext("Choose a proposal you may see."),
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
            raise ValidationError({key: message})
        fields[name] = found
    return fields


@router.get(
    "/procurement-routes",
    response=list[ProcurementRouteOut],
    tags=["procurement"],
    summary="The procurement routes with their steps in order",
    openapi_extra=problem_responses(401),
)
def list_procurement_routes(request: HttpRequest) -> list:
    requester(request)
    return list(queries.routes())


@router.get(
    "/procurements",
    response=list[ProcurementOut],
    tags=["procurement"],
    summary="Procurements you may see, filtered",
    openapi_extra=problem_responses(401, 422),
)
@paginate(PagePagination)
def list_procurements(request: HttpRequest, filters: Query[ProcurementFilters]) -> QuerySet:
    user = requester(request)
    route = None
    if filters.route:
        route = ProcurementRoute.objects.filter(code=filters.route).first()
        if route is None:
            return Procurement.objects.none()
    return queries.search_procurements(
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
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def create_procurement(request: HttpRequest, payload: ProcurementIn):
    user = signed_in(request)
    fields = payload.dict()
    owner = organisation_with_role(
        user, fields.pop("organisation_id"), *permissions.PROCURING_ROLES
    )
    if not permissions.can_create_procurement(user, owner):
        raise PermissionDenied
    if fields["currency"] is None:
        del fields["currency"]
    procurement = services.create_procurement(user, owner, **_procurement_references(user, fields))
    return Status(201, _procurement_detail(user, procurement.pk))


@router.get(
    "/procurements/{procurement_id}",
    response=ProcurementDetailOut,
    tags=["procurement"],
    summary="One procurement with its route, steps done, phases, lots, awards and contracts",
    openapi_extra=problem_responses(401, 404, 422),
)
def get_procurement(request: HttpRequest, procurement_id: int):
    return _procurement_detail(requester(request), procurement_id)


@router.patch(
    "/procurements/{procurement_id}",
    response=ProcurementDetailOut,
    tags=["procurement"],
    summary="Change a procurement or move its stage (its lead buyer's and procuring "
    "entity's procurement officers and innovation leads)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def update_procurement(request: HttpRequest, procurement_id: int, payload: ProcurementPatch):
    user = signed_in(request)
    procurement = permissions.get_procurement_for_user(user, procurement_id)
    if not permissions.can_edit_procurement(user, procurement):
        raise PermissionDenied
    fields = payload.dict(exclude_unset=True)
    stage = fields.pop("stage", None)
    if "description" in fields and fields["description"] is None:
        fields["description"] = ""
    if fields.get("cpv_codes", ()) is None:
        fields["cpv_codes"] = []
    for name in ("title", "visibility", "currency"):
        if name in fields and fields[name] is None:
            del fields[name]
    with transaction.atomic():
        if fields:
            services.update_procurement(user, procurement, **_procurement_references(user, fields))
        if stage:
            services.move_stage(user, procurement, stage)
    return _procurement_detail(user, procurement.pk)


@router.post(
    "/procurements/{procurement_id}/steps",
    response={201: ProcurementDetailOut},
    tags=["procurement"],
    summary="Mark the route's next step done (steps are done strictly in order)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def mark_step_done(request: HttpRequest, procurement_id: int, payload: StepDoneIn):
    user = signed_in(request)
    procurement = queries.procurement_with_details(user, procurement_id)
    if not permissions.can_edit_procurement(user, procurement):
        raise PermissionDenied
    step = None
    if payload.step_id is not None:
        steps = procurement.route.steps.all() if procurement.route else []
        step = next((s for s in steps if s.pk == payload.step_id), None)
        if step is None:
            raise ValidationError({"step_id": gettext("This step is not part of the route.")})
    try:
        services.mark_step_done(
            user, procurement, done_on=payload.done_on, output=payload.output, step=step
        )
    except ValidationError as error:
        errors = dict(error.message_dict)
        if "step" in errors:
            errors["step_id"] = errors.pop("step")
        raise ValidationError(errors) from None
    return Status(201, _procurement_detail(user, procurement.pk))
