"""The pilots API: programmes, pilots, decisions, KPIs and measurements, benchmarks and
benefits — the same reads, services and permission rules as the pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from samspil.api.pagination import PagePagination
from samspil.api.problems import problem, problem_responses
from samspil.api.requests import leading_organisation, requester, signed_in
from samspil.api.schemas import Id, InputSchema, NotBoolean
from samspil.core import permissions
from samspil.core.models import Organisation, User, Visibility
from samspil.events.api import ChallengeRef, OrganisationRef, PersonRef

from . import (
    benchmark_queries,
    benchmark_services,
    benefit_queries,
    benefit_services,
    kpi_import,
    kpi_queries,
    kpi_services,
    phase_queries,
    phase_services,
    programme_queries,
    programme_services,
)
from . import queries as pilot_queries
from . import services as pilot_services
from .models import (
    TEXT_MAX,
    TITLE_MAX,
    Benefit,
    BenefitStatus,
    BenefitType,
    Decision,
    DecisionOutcome,
    DecisionPoint,
    Direction,
    Kpi,
    MaturityStage,
    Method,
    Outcome,
    PartnerRole,
    PhaseModel,
    Pilot,
    PilotKind,
    PilotStatus,
    Programme,
)

router = Router()

# section: programmes


class ProgrammePhaseModelRef(Schema):
    id: int
    name: str


class ProgrammeOut(Schema):
    id: int
    title: str
    description: str
    organisation: OrganisationRef
    co_owners: list[OrganisationRef]
    board: list[PersonRef]
    coordinator: PersonRef | None
    starts_on: date
    ends_on: date
    method: Method
    phase_model: ProgrammePhaseModelRef | None = Field(
        description="The phase model new pilots of the programme follow."
    )
    gain_target_percent: Decimal | None = Field(
        description="The average gain of its pilots in full operation, in percent (30 = 30 %)."
    )
    max_pilot_months: int | None = Field(description="The maximum length of its pilots.")
    visibility: Visibility
    url: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_organisation(programme: Programme) -> Organisation:
        return programme.owner

    @staticmethod
    def resolve_co_owners(programme: Programme) -> list[Organisation]:
        return list(programme.co_owners.all())

    @staticmethod
    def resolve_board(programme: Programme) -> list[User]:
        return list(programme.board.all())

    @staticmethod
    def resolve_url(programme: Programme) -> str:
        return programme.get_absolute_url()


class PortfolioPilotOut(Schema):
    id: int
    title: str
    organisation: str
    phase: str | None
    status: PilotStatus
    starts_on: date
    planned_end_on: date
    ended_on: date | None
    gain: float | None = Field(
        description="The gain of its first KPI at the latest measurement, a fraction "
        "(0.3 = 30 % better); null without a measurement or with a zero baseline."
    )
    gain_measured_on: date | None
    warnings: list[str] = Field(description="'plan_too_long' and/or 'running_too_long'.")


class PortfolioOut(Schema):
    pilot_count: int
    measured_count: int = Field(description="Pilots with a gain: those the average is made of.")
    average_gain: float | None = Field(
        description="The mean of the pilots' gains, a fraction; null when no pilot has a gain."
    )
    target: float | None = Field(description="The programme's target as a fraction.")
    verdict: str = Field(description="'met', 'not_met' or 'not_defined'.")
    met: bool | None = Field(description="null when the average or the target is missing.")
    pilots: list[PortfolioPilotOut]


class ProgrammeDetailOut(ProgrammeOut):
    portfolio: PortfolioOut = Field(description="The pilots of the programme that you may see.")


class ProgrammeIn(InputSchema):
    title: str = Field(max_length=TITLE_MAX)
    description: str = Field("", max_length=TEXT_MAX)
    organisation_id: Id | None = Field(
        None, description="The organisation running it; your first where you lead innovation."
    )
    co_owner_ids: list[Id] = Field(
        default_factory=list, max_length=100, description="Public-sector organisations."
    )
    board_ids: list[Id] = Field(
        default_factory=list,
        max_length=100,
        description="People of the organisation running it or of a co-owner.",
    )
    coordinator_id: Id | None = None
    starts_on: date
    ends_on: date
    method: Method
    phase_model_id: Id | None = Field(None, description="A built-in phase model or your own.")
    gain_target_percent: Decimal | None = Field(
        None,
        ge=-programme_services.TARGET_LIMIT,
        le=programme_services.TARGET_LIMIT,
        max_digits=6,
        decimal_places=2,
    )
    max_pilot_months: int | None = Field(None, ge=1, le=programme_services.MONTHS_MAX)
    visibility: Visibility = Visibility.INTERNAL


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _programme_detail(user, pk: int) -> Programme:
    """The programme with its portfolio as the attribute ``portfolio`` (for the schema)."""
    programme = programme_queries.programme_with_details(user, pk)
    figures = programme_queries.portfolio_of(user, programme)
    programme.portfolio = {  # type: ignore[attr-defined]
        "pilot_count": len(figures.lines),
        "measured_count": figures.target.measured,
        "average_gain": _float(figures.target.average),
        "target": _float(figures.target.target),
        "verdict": figures.target.verdict,
        "met": figures.target.met,
        "pilots": [
            {
                "id": line.facts.pk,
                "title": line.facts.title,
                "organisation": line.facts.organisation,
                "phase": line.facts.phase,
                "status": line.facts.status,
                "starts_on": line.facts.starts_on,
                "planned_end_on": line.facts.planned_end_on,
                "ended_on": line.facts.ended_on,
                "gain": _float(line.gain),
                "gain_measured_on": line.facts.latest_on if line.gain is not None else None,
                "warnings": list(line.warnings),
            }
            for line in figures.lines
        ],
    }
    return programme


def _programme_references(fields: dict) -> dict:
    """Turns the ids into records; unknown ids are a 422 (the service checks the rest)."""
    co_owner_ids = set(fields.pop("co_owner_ids"))
    co_owners = list(Organisation.objects.filter(pk__in=co_owner_ids))
    if len(co_owners) != len(co_owner_ids):
        raise ValidationError(
            {"co_owner_ids": _("Co-owners must be public-sector organisations you can see.")}
        )
    board_ids = set(fields.pop("board_ids"))
    board = list(User.objects.filter(pk__in=board_ids))
    people_message = _("Choose people of the organisation running the programme or of a co-owner.")
    if len(board) != len(board_ids):
        raise ValidationError({"board_ids": people_message})
    coordinator_id = fields.pop("coordinator_id")
    coordinator = None
    if coordinator_id is not None:
        coordinator = User.objects.filter(pk=coordinator_id).first()
        if coordinator is None:
            raise ValidationError({"coordinator_id": people_message})
    phase_model_id = fields.pop("phase_model_id")
    phase_model = None
    if phase_model_id is not None:
        phase_model = PhaseModel.objects.filter(pk=phase_model_id).first()
        if phase_model is None:
            raise ValidationError(
                {"phase_model_id": _("Choose a built-in phase model or one of your organisation.")}
            )
    fields.update(
        co_owners=co_owners, board=board, coordinator=coordinator, phase_model=phase_model
    )
    return fields


@router.get(
    "/programmes",
    response=list[ProgrammeOut],
    tags=["programmes"],
    summary="Programmes you may see",
    openapi_extra=problem_responses(401, 422),
)
@paginate(PagePagination)
def list_programmes(request: HttpRequest) -> QuerySet[Programme]:
    return (
        programme_queries.programmes_for_list(requester(request))
        .select_related("coordinator", "phase_model")
        .prefetch_related("co_owners", "board")
    )


@router.post(
    "/programmes",
    response={201: ProgrammeDetailOut},
    tags=["programmes"],
    summary="Start a programme (innovation leads)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def create_programme(request: HttpRequest, payload: ProgrammeIn):
    user = signed_in(request)
    fields = payload.dict()
    owner = leading_organisation(user, fields.pop("organisation_id"))
    if not permissions.can_create_programme(user, owner):
        raise PermissionDenied
    programme = programme_services.create_programme(user, owner, **_programme_references(fields))
    return Status(201, _programme_detail(user, programme.pk))


@router.get(
    "/programmes/{programme_id}",
    response=ProgrammeDetailOut,
    tags=["programmes"],
    summary="One programme with its portfolio: pilots, gains and the average against the target",
    openapi_extra=problem_responses(401, 404, 422),
)
def get_programme(request: HttpRequest, programme_id: int):
    return _programme_detail(requester(request), programme_id)


# section: pilots


class PilotProgrammeRef(Schema):
    id: int
    title: str


class PilotEventRef(Schema):
    id: int
    title: str


class PilotNamedRef(Schema):
    id: int
    name: str


class PilotPartnerOut(Schema):
    id: int
    organisation: OrganisationRef
    role: PartnerRole
    contribution: str


class PilotOut(Schema):
    id: int
    title: str
    hypothesis: str
    description: str
    kind: PilotKind
    status: PilotStatus
    maturity: MaturityStage
    outcome: Outcome | None = Field(description="Decided at the maturity stage 'outcome'.")
    outcome_reason: str
    visibility: Visibility
    starts_on: date
    planned_end_on: date
    ended_on: date | None
    organisation: OrganisationRef
    programme: PilotProgrammeRef | None = Field(description="The programme, if you may see it.")
    challenge: ChallengeRef | None = Field(description="The challenge, if you may see it.")
    event: PilotEventRef | None = Field(description="The event of the idea, if you may see it.")
    lead: PersonRef | None
    team: list[PersonRef]
    partners: list[PilotPartnerOut]
    phase_model: PilotNamedRef | None
    current_phase: PilotNamedRef | None
    adopted_from_id: int | None = Field(description="The original pilot, if you may see it.")
    warnings: list[str] = Field(
        description="The programme's maximum pilot length exceeded by the plan or passed."
    )
    url: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_outcome(pilot: Pilot) -> str | None:
        return pilot.outcome or None

    @staticmethod
    def resolve_organisation(pilot: Pilot) -> Organisation:
        return pilot.owner

    @staticmethod
    def resolve_programme(pilot: Pilot):
        return pilot.programme if pilot.programme_visible else None  # type: ignore[attr-defined]

    @staticmethod
    def resolve_challenge(pilot: Pilot):
        return pilot.challenge if pilot.challenge_visible else None  # type: ignore[attr-defined]

    @staticmethod
    def resolve_event(pilot: Pilot):
        return pilot.event if pilot.event_visible else None  # type: ignore[attr-defined]

    @staticmethod
    def resolve_team(pilot: Pilot) -> list[User]:
        return list(pilot.team.all())

    @staticmethod
    def resolve_partners(pilot: Pilot) -> list:
        return list(pilot.partners.all())

    @staticmethod
    def resolve_adopted_from_id(pilot: Pilot) -> int | None:
        return pilot.adopted_from_id if pilot.adopted_from_visible else None  # type: ignore[attr-defined]

    @staticmethod
    def resolve_warnings(pilot: Pilot) -> list[str]:
        return pilot_queries.length_warnings(pilot)

    @staticmethod
    def resolve_url(pilot: Pilot) -> str:
        return pilot.get_absolute_url()


class PilotIn(InputSchema):
    title: str = Field(max_length=TITLE_MAX)
    hypothesis: str = Field(max_length=TEXT_MAX)
    description: str = Field("", max_length=TEXT_MAX)
    kind: PilotKind
    organisation_id: Id | None = Field(
        None, description="The organisation running it; your first where you lead innovation."
    )
    programme_id: Id | None = None
    challenge_id: Id | None = None
    event_id: Id | None = Field(None, description="The event the idea came from.")
    starts_on: date
    planned_end_on: date
    visibility: Visibility = Visibility.INTERNAL
    lead_id: Id | None = None
    team_ids: list[Id] = Field(default_factory=list, max_length=200)


class PilotPatch(InputSchema):
    title: str | None = Field(None, max_length=TITLE_MAX)
    hypothesis: str | None = Field(None, max_length=TEXT_MAX)
    description: str | None = Field(None, max_length=TEXT_MAX)
    kind: PilotKind | None = None
    programme_id: Id | None = Field(None, description="null removes the programme.")
    challenge_id: Id | None = Field(None, description="null removes the challenge.")
    event_id: Id | None = Field(None, description="null removes the event.")
    starts_on: date | None = None
    planned_end_on: date | None = None
    visibility: Visibility | None = None
    lead_id: Id | None = Field(None, description="null removes the pilot lead.")
    team_ids: list[Id] | None = Field(None, max_length=200)


class PilotFilters(Schema):
    organisation_id: int | None = None
    programme_id: int | None = None
    kind: PilotKind | None = None
    status: PilotStatus | None = None
    maturity: MaturityStage | None = None
    q: str = Field("", max_length=100, description="Words in the title or hypothesis.")


def _pilot_out(user, pk: int) -> Pilot:
    return pilot_queries.pilot_with_details(user, pk)


def _visible_or_invalid(queryset, pk: int | None, field: str, message: str):
    """The record ``pk`` among those the caller sees; an unknown or unseen id is a 422."""
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: message})
    return found


def _pilot_references(user, fields: dict) -> dict:
    """Turns the ``*_id`` fields present in ``fields`` into records the caller may see."""
    lookups = {
        "programme_id": (
            "programme",
            permissions.programmes_visible_to(user),
            _("Choose a programme you may see."),
        ),
        "challenge_id": (
            "challenge",
            permissions.challenges_visible_to(user),
            _("Choose a challenge you may see."),
        ),
        "event_id": (
            "event",
            permissions.events_visible_to(user),
            _("Choose an event you may see."),
        ),
        "lead_id": ("lead", User.objects.all(), _("Choose a person of the organisation.")),
    }
    for key, (name, queryset, message) in lookups.items():
        if key in fields:
            fields[name] = _visible_or_invalid(queryset, fields.pop(key), key, message)
    if "team_ids" in fields:
        ids = set(fields.pop("team_ids") or [])
        team = list(User.objects.filter(pk__in=ids))
        if len(team) != len(ids):
            raise ValidationError({"team_ids": _("Choose people of the organisation.")})
        fields["team"] = team
    return fields


@router.get(
    "/pilots",
    response=list[PilotOut],
    tags=["pilots"],
    summary="Pilots you may see, filtered",
    openapi_extra=problem_responses(401, 422),
)
@paginate(PagePagination)
def list_pilots(request: HttpRequest, filters: Query[PilotFilters]) -> QuerySet[Pilot]:
    user = requester(request)
    pilots = pilot_queries.search_pilots(
        user,
        organisation=filters.organisation_id,
        programme=filters.programme_id,
        kind=filters.kind or "",
        status=filters.status or "",
        maturity=filters.maturity or "",
        q=filters.q,
    )
    return pilot_queries.with_relations(pilots)


@router.post(
    "/pilots",
    response={201: PilotOut},
    tags=["pilots"],
    summary="Start a pilot (innovation leads)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def create_pilot(request: HttpRequest, payload: PilotIn):
    user = signed_in(request)
    fields = payload.dict()
    owner = leading_organisation(user, fields.pop("organisation_id"))
    if not permissions.can_create_pilot(user, owner):
        raise PermissionDenied
    pilot = pilot_services.create_pilot(user, owner, **_pilot_references(user, fields))
    return Status(201, _pilot_out(user, pilot.pk))


@router.get(
    "/pilots/{pilot_id}",
    response=PilotOut,
    tags=["pilots"],
    summary="One pilot",
    openapi_extra=problem_responses(401, 404, 422),
)
def get_pilot(request: HttpRequest, pilot_id: int) -> Pilot:
    return _pilot_out(requester(request), pilot_id)


@router.patch(
    "/pilots/{pilot_id}",
    response=PilotOut,
    tags=["pilots"],
    summary="Change a pilot's plan (innovation leads of its organisation, its lead and team)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def update_pilot(request: HttpRequest, pilot_id: int, payload: PilotPatch) -> Pilot:
    user = signed_in(request)
    pilot = permissions.get_pilot_for_user(user, pilot_id)
    if not permissions.can_edit_pilot(user, pilot):
        raise PermissionDenied
    fields = payload.dict(exclude_unset=True)
    if fields.get("description", "") is None:
        fields["description"] = ""
    # Required fields sent as null are left as they are.
    for name in ("title", "hypothesis", "kind", "starts_on", "planned_end_on", "visibility"):
        if name in fields and fields[name] is None:
            del fields[name]
    pilot_services.update_pilot(user, pilot, **_pilot_references(user, fields))
    return _pilot_out(user, pilot.pk)


# section: decisions


class DecisionPointRef(Schema):
    id: int
    code: str
    name: str


class PhaseRef(Schema):
    id: int
    name: str
    position: int = Field(description="From 1, in the order of the phase model.")


class DecisionOut(Schema):
    id: int
    decision_point: DecisionPointRef
    closes_phase: PhaseRef = Field(description="The phase the decision point closes.")
    outcome: DecisionOutcome
    decided_by: str = Field(description="The person or body that decided.")
    decided_on: date
    documents: list[str] = Field(description="The documents decided on: titles or links.")
    notes: str
    recorded_by: PersonRef | None
    recorded_at: datetime

    @staticmethod
    def resolve_closes_phase(decision: Decision):
        return decision.decision_point.closes

    @staticmethod
    def resolve_documents(decision: Decision) -> list[str]:
        return [line for line in decision.documents.splitlines() if line.strip()]


class DecisionIn(InputSchema):
    decision_point: Annotated[str | int, NotBoolean] = Field(
        description="The decision point's code in the pilot's phase model (such as 'BP2', "
        "'B1' or 'G1'), or its id. Only the one closing the pilot's current phase can be "
        "decided."
    )
    outcome: DecisionOutcome = Field(
        description="'go' leads to the next phase (on the last decision point it completes "
        "the model), 'back' returns to the phase before, 'stop' stops the pilot."
    )
    decided_by: str = Field(max_length=phase_services.DECIDED_BY_MAX)
    decided_on: date = Field(description="Not in the future, nor before the pilot's start.")
    documents: list[str] = Field(default_factory=list, max_length=50)
    notes: str = Field("", max_length=TEXT_MAX)


class DecisionCreatedOut(Schema):
    decision: DecisionOut
    current_phase: PhaseRef | None = Field(description="The pilot's phase after the decision.")
    state: str = Field(description="'active', 'completed' (the model) or 'stopped'.")
    status: PilotStatus
    warnings: list[str] = Field(
        description="E.g. checklist items of the phase left unticked at a 'go'."
    )


def _decision_point_of(pilot: Pilot, reference: str | int) -> DecisionPoint:
    """The pilot's model's decision point by code, else by id; unknown is a 422."""
    points = DecisionPoint.objects.filter(model_id=pilot.phase_model_id).select_related("closes")
    found = points.filter(code__iexact=str(reference).strip()).first()
    digits = str(reference).strip()
    if found is None and digits.isdigit() and int(digits) < 2**63:
        found = points.filter(pk=int(digits)).first()
    if found is None:
        raise ValidationError(
            {"decision_point": _("Choose a decision point of the pilot's phase model.")}
        )
    return found


@router.get(
    "/pilots/{pilot_id}/decisions",
    response=list[DecisionOut],
    tags=["pilots"],
    summary="A pilot's decisions at its decision points, in date order",
    openapi_extra=problem_responses(401, 404, 422),
)
def list_decisions(request: HttpRequest, pilot_id: int):
    pilot = permissions.get_pilot_for_user(requester(request), pilot_id)
    return list(phase_queries.decisions_of(pilot).select_related("decision_point__closes"))


@router.post(
    "/pilots/{pilot_id}/decisions",
    response={201: DecisionCreatedOut},
    tags=["pilots"],
    summary="Pass the pilot's next decision point (those who decide on the pilot)",
    description=(
        "A decision point passed out of order or a second time, a date in the future or "
        "before the pilot's start or the previous decision is a 422 naming the problem. A "
        "'go' with unticked checklist items of the phase is recorded, with a warning."
    ),
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def create_decision(request: HttpRequest, pilot_id: int, payload: DecisionIn):
    user = signed_in(request)
    pilot = permissions.get_pilot_for_user(user, pilot_id)
    if not permissions.can_decide_pilot(user, pilot):
        raise PermissionDenied
    point = _decision_point_of(pilot, payload.decision_point)
    result = phase_services.decide(
        user,
        pilot,
        point,
        payload.outcome,
        payload.decided_by,
        payload.decided_on,
        documents=payload.documents,
        notes=payload.notes,
    )
    decision = phase_queries.decisions_of(pilot).select_related("decision_point__closes")
    return Status(
        201,
        {
            "decision": decision.get(pk=result.decision.pk),
            "current_phase": result.pilot.current_phase,
            "state": result.state,
            "status": result.pilot.status,
            "warnings": result.warnings,
        },
    )


# section: kpis and measurements


class KpiOut(Schema):
    id: int
    pilot_id: int
    name: str
    unit: str
    direction: Direction
    definition_id: int | None = Field(description="The catalogue's KPI definition, if any.")
    baseline_value: Decimal
    baseline_on: date
    target_value: Decimal | None
    target_on: date | None
    position: int
    primary: bool = Field(description="The first KPI: its gain counts in the programme's mean.")
    latest_value: Decimal | None = Field(description="The latest measurement, if any.")
    latest_on: date | None
    gain: Decimal | None = Field(
        description="Improvement on the baseline as a fraction (0.3 = 30 %), positive when "
        "better: (baseline − latest) / |baseline| when lower is better, (latest − baseline) / "
        "|baseline| when higher is better. Null when not defined: no measurement, or a zero "
        "baseline."
    )
    progress_to_target: Decimal | None = Field(
        description="0 at the baseline, 1 at the target; null without a target or measurement."
    )


def _kpi_out(row: kpi_queries.KpiSummary) -> dict:
    kpi = row.kpi
    return {
        "id": kpi.pk,
        "pilot_id": kpi.pilot_id,
        "name": kpi.name,
        "unit": kpi.unit,
        "direction": kpi.direction,
        "definition_id": kpi.definition_id,
        "baseline_value": kpi.baseline_value,
        "baseline_on": kpi.baseline_on,
        "target_value": kpi.target_value,
        "target_on": kpi.target_on,
        "position": kpi.position,
        "primary": row.primary,
        "latest_value": row.latest_value,
        "latest_on": row.latest_on,
        "gain": row.gain,
        "progress_to_target": row.progress,
    }


class KpiIn(InputSchema):
    definition_id: Id | None = Field(
        None, description="A KPI definition of the catalogue: its name, unit and direction."
    )
    name: str = Field(
        "", max_length=kpi_services.NAME_MAX, description="The definition's when left empty."
    )
    unit: str = Field("", max_length=kpi_services.UNIT_MAX)
    direction: Direction | None = None
    baseline_value: Decimal = Field(max_digits=18, decimal_places=4)
    baseline_on: date
    target_value: Decimal | None = Field(None, max_digits=18, decimal_places=4)
    target_on: date | None = None


class MeasurementIn(InputSchema):
    measured_on: date
    value: Decimal
    unit: str | None = Field(
        None, max_length=kpi_services.UNIT_MAX, description="If given, must be the KPI's unit."
    )
    note: str = Field("", max_length=kpi_services.NOTE_MAX)
    replace: bool = Field(False, description="Replace a value on the same day.")


class MeasurementOut(Schema):
    id: int
    kpi_id: int
    measured_on: date
    value: Decimal
    note: str


@router.get(
    "/pilots/{pilot_id}/kpis",
    response=list[KpiOut],
    tags=["pilots"],
    summary="A pilot's KPIs with their latest value, gain and progress to the target",
    openapi_extra=problem_responses(401, 404, 422),
)
def list_kpis(request: HttpRequest, pilot_id: int):
    pilot = permissions.get_pilot_for_user(requester(request), pilot_id)
    return [_kpi_out(row) for row in kpi_queries.summaries_with_latest(pilot)]


@router.post(
    "/pilots/{pilot_id}/kpis",
    response={201: KpiOut},
    tags=["pilots"],
    summary="Add a KPI to a pilot (those who may edit the pilot)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def create_kpi(request: HttpRequest, pilot_id: int, payload: KpiIn):
    user = signed_in(request)
    pilot = permissions.get_pilot_for_user(user, pilot_id)
    fields = payload.dict()
    definition_id = fields.pop("definition_id")
    definition = None
    if definition_id is not None:
        try:
            definition = permissions.get_kpi_definition_for_user(user, definition_id)
        except Http404:
            raise ValidationError(
                {"definition_id": _("Choose a KPI definition you may see.")}
            ) from None
        for name in ("unit", "direction"):
            if not fields[name]:
                del fields[name]
    else:
        fields["direction"] = fields["direction"] or ""
    kpi = kpi_services.add_kpi(user, pilot, definition=definition, **fields)
    row = next(r for r in kpi_queries.summaries_with_latest(pilot) if r.kpi.pk == kpi.pk)
    return Status(201, _kpi_out(row))


@router.post(
    "/kpis/{kpi_id}/measurements",
    response={201: MeasurementOut | list[MeasurementOut]},
    tags=["pilots"],
    summary="Add one measurement or a list of them to a KPI (those who may edit the pilot)",
    description=(
        "A list is stored whole or not at all: when any item is refused the answer is 422 with "
        "`errors`, one `{index, field, message}` per problem (index from 0). A value is refused "
        "when its unit differs from the KPI's, when it is dated before the baseline or in the "
        "future, or when the day has a value already (unless `replace`)."
    ),
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def create_measurements(
    request: HttpRequest, kpi_id: int, payload: MeasurementIn | list[MeasurementIn]
):
    user = signed_in(request)
    kpi = (
        Kpi.objects.select_related("pilot__programme")
        .filter(pk=kpi_id, pilot__in=permissions.pilots_visible_to(user))
        .first()
    )
    if kpi is None:
        raise Http404
    items = payload if isinstance(payload, list) else [payload]
    if not items:
        raise ValidationError(_("Send at least one measurement."))
    if len(items) > kpi_import.MAX_ROWS:
        message = _("Send at most %(count)d measurements at a time.")
        raise ValidationError(message % {"count": kpi_import.MAX_ROWS})
    created, errors = [], []
    with transaction.atomic():
        for index, item in enumerate(items):
            try:
                created.append(
                    kpi_services.add_measurement(
                        user,
                        kpi,
                        item.measured_on,
                        item.value,
                        unit=item.unit,
                        note=item.note,
                        replace=item.replace,
                    )
                )
            except ValidationError as error:
                errors += [
                    {"index": index, "field": field, "message": message}
                    for field, messages in error.message_dict.items()
                    for message in messages
                ]
        if errors:
            transaction.set_rollback(True)
    if errors:
        return problem(request, 422, _("No measurement was stored."), errors=errors)
    return Status(201, created if isinstance(payload, list) else created[0])


# section: benchmarks


class KpiDefinitionOut(Schema):
    id: int
    name: str
    unit: str
    direction: Direction
    description: str
    visibility: Visibility
    organisation: OrganisationRef = Field(description="The organisation that defined it.")
    pilot_count: int = Field(description="Pilots you may see that measure it in its unit.")
    organisation_count: int = Field(description="The organisations running those pilots.")
    benchmark_url: str

    @staticmethod
    def resolve_organisation(definition) -> Organisation:
        return definition.owner

    @staticmethod
    def resolve_benchmark_url(definition) -> str:
        return definition.get_absolute_url()


class KpiDefinitionFilters(Schema):
    q: str = Field("", max_length=100, description="Part of the name.")


class BenchmarkDefinitionOut(Schema):
    id: int
    name: str
    unit: str
    direction: Direction
    description: str
    visibility: Visibility
    organisation: OrganisationRef

    @staticmethod
    def resolve_organisation(definition) -> Organisation:
        return definition.owner


class BenchmarkPilotRef(Schema):
    id: int
    title: str


class BenchmarkRowOut(Schema):
    kpi_id: int
    kpi_name: str
    pilot: BenchmarkPilotRef
    organisation: OrganisationRef
    municipality: OrganisationRef = Field(description="The top of the organisation's tree.")
    country: str
    baseline_value: Decimal
    baseline_on: date
    latest_value: Decimal | None = Field(description="The latest measurement, if any.")
    latest_on: date | None
    gain: Decimal | None = Field(
        description="Improvement on the KPI's own baseline as a fraction (0.3 = 30 %), positive "
        "when better; null without a measurement or with a zero baseline."
    )
    position: int | None = Field(
        description="1 for the best latest value (by the definition's direction); equal values "
        "share a position; null without a measurement."
    )
    scope: benchmark_services.Scope = Field(
        description="Seen from you: your organisation (or a part of it), another part of your "
        "municipality, or outside it."
    )


class BenchmarkSummaryOut(Schema):
    count: int = Field(description="KPIs compared (in the definition's unit).")
    measured: int = Field(description="Of them, those with a measurement.")
    organisations: int
    median: Decimal | None = Field(description="The median of the latest values.")
    best: Decimal | None = Field(description="The best latest value.")
    own_count: int = Field(description="Rows of your organisation.")
    own_position: int | None = Field(description="The position of your best row.")
    other_unit_count: int = Field(description="KPIs left out: they measure in another unit.")


class ReferenceValueOut(Schema):
    id: int
    label: str
    value: Decimal
    measured_on: date | None
    source: str
    source_url: str
    added_by: OrganisationRef

    @staticmethod
    def resolve_added_by(reference) -> Organisation:
        return reference.added_by_organisation


class BenchmarkOut(Schema):
    definition: BenchmarkDefinitionOut
    summary: BenchmarkSummaryOut
    rows: list[BenchmarkRowOut] = Field(
        description="A page of the rows, best first; KPIs without a value last."
    )
    row_count: int = Field(description="Rows in the scope asked for, on every page.")
    page: int
    page_size: int
    pages: int
    reference_values: list[ReferenceValueOut]


class BenchmarkFilters(PagePagination.Input):
    scope: benchmark_services.Scope | None = Field(
        None, description="Only the rows of this scope; the summary covers every row."
    )


def _benchmark_row_out(row: benchmark_services.BenchmarkRow) -> dict:
    place = row.place
    return {
        "kpi_id": row.kpi_id,
        "kpi_name": row.kpi_name,
        "pilot": {"id": row.pilot_id, "title": row.pilot_title},
        "organisation": {"id": place.organisation_id, "name": place.organisation},
        "municipality": {"id": place.top_id, "name": place.top},
        "country": place.country,
        "baseline_value": row.baseline,
        "baseline_on": row.baseline_on,
        "latest_value": row.latest,
        "latest_on": row.latest_on,
        "gain": row.gain,
        "position": row.position,
        "scope": row.scope,
    }


class KpiDefinitionPagination(PagePagination):
    """The shared pagination; each page's counts of measuring pilots come in one query."""

    def paginate_queryset(self, queryset, pagination, request: HttpRequest, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = benchmark_queries.with_measuring_counts(requester(request), page["items"])
        return page


@router.get(
    "/kpi-definitions",
    response=list[KpiDefinitionOut],
    tags=["benchmarks"],
    summary="The KPI catalogue: definitions you may see, with the pilots measuring each",
    openapi_extra=problem_responses(401, 422),
)
@paginate(KpiDefinitionPagination)
def list_kpi_definitions(request: HttpRequest, filters: Query[KpiDefinitionFilters]):
    return benchmark_queries.definitions_for_catalogue(requester(request), filters.q)


@router.get(
    "/kpi-definitions/{definition_id}/benchmark",
    response=BenchmarkOut,
    tags=["benchmarks"],
    summary="Compare the latest values of a KPI definition across the pilots you may see",
    openapi_extra=problem_responses(401, 404, 422),
)
def get_benchmark(request: HttpRequest, definition_id: int, filters: Query[BenchmarkFilters]):
    user = requester(request)
    definition = permissions.get_kpi_definition_for_user(user, definition_id)
    result = benchmark_services.benchmark(user, definition)
    summary = result.summary
    # The shared pagination, over the ranked rows (it needs only count() and slicing).
    rows = PagePagination().paginate_queryset(
        result.rows_in(filters.scope or ""),  # type: ignore[arg-type]
        filters,
        request,
    )
    return {
        "definition": definition,
        "summary": {
            "count": summary.count,
            "measured": summary.measured,
            "organisations": summary.organisations,
            "median": summary.median,
            "best": summary.best,
            "own_count": summary.own_count,
            "own_position": summary.own_position,
            "other_unit_count": summary.other_unit_count,
        },
        "rows": [_benchmark_row_out(row) for row in rows["items"]],
        "row_count": rows["count"],
        "page": rows["page"],
        "page_size": rows["page_size"],
        "pages": rows["pages"],
        "reference_values": result.reference_values,
    }


# section: benefits
class BenefitMeasurementOut(Schema):
    id: int
    benefit_id: int
    measured_on: date
    value: Decimal
    note: str
    recorded_by: PersonRef | None


class BenefitOut(Schema):
    id: int
    pilot_id: int
    benefit_type: BenefitType
    indicator: str
    unit: str
    direction: Direction
    baseline_value: Decimal
    baseline_on: date
    target_value: Decimal
    target_on: date
    owner: PersonRef | None = Field(description="The benefit owner (gevinstansvarlig).")
    holders: list[OrganisationRef] = Field(
        description="The organisations holding the benefit (gevinsteiere)."
    )
    status: BenefitStatus
    suggested_status: BenefitStatus | None = Field(
        description="What the latest measurement suggests; null before the first."
    )
    progress: Decimal | None = Field(
        description="Of the latest measurement: 0 at the baseline, 1 at the target."
    )
    measure_every_months: int
    next_measurement_on: date | None
    overdue: bool = Field(description="A measurement is due and the benefit is measured.")
    measurements: list[BenefitMeasurementOut]

    @staticmethod
    def resolve_holders(benefit: Benefit) -> list[Organisation]:
        return list(benefit.holders.all())

    @staticmethod
    def resolve_measurements(benefit: Benefit) -> list:
        return list(benefit.measurements.all())


class BenefitIn(InputSchema):
    benefit_type: BenefitType
    indicator: str = Field(max_length=300)
    unit: str = Field(max_length=60)
    direction: Direction = Direction.HIGHER
    baseline_value: Decimal = Field(max_digits=18, decimal_places=4)
    baseline_on: date
    target_value: Decimal = Field(max_digits=18, decimal_places=4)
    target_on: date = Field(description="After the baseline date.")
    owner_id: Id | None = Field(None, description="A person of the pilot's organisation.")
    holder_ids: list[Id] = Field(
        default_factory=list,
        max_length=100,
        description="Public-sector organisations taking part in the pilot.",
    )
    measure_every_months: int = Field(3, ge=1, le=24)
    next_measurement_on: date | None = Field(
        None, description="The first measurement; measure_every_months after the baseline date."
    )


class BenefitMeasurementIn(InputSchema):
    measured_on: date = Field(description="From the baseline date to today; one a day.")
    value: Decimal = Field(max_digits=18, decimal_places=4)
    note: str = Field("", max_length=benefit_services.NOTE_MAX)


def _benefits_out(pilot: Pilot, pk: int | None = None) -> list[Benefit]:
    rows = benefit_queries.benefits_with_measurements(pilot)
    if pk is not None:
        rows = rows.filter(pk=pk)
    return benefit_queries.describe_all(rows, timezone.localdate())


def _benefit_people(payload: BenefitIn) -> tuple[User | None, list[Organisation]]:
    owner = None
    if payload.owner_id is not None:
        owner = User.objects.filter(pk=payload.owner_id, is_active=True).first()
        if owner is None:
            raise ValidationError({"owner_id": _("Choose a person of the pilot's organisation.")})
    wanted = set(payload.holder_ids)
    holders = list(Organisation.objects.filter(pk__in=wanted))
    if len(holders) != len(wanted):
        raise ValidationError(
            {"holder_ids": _("Choose public-sector organisations that take part in the pilot.")}
        )
    return owner, holders


@router.get(
    "/pilots/{pilot_id}/benefits",
    response=list[BenefitOut],
    tags=["benefits"],
    summary="The benefits plan of a pilot, with measurements",
    openapi_extra=problem_responses(401, 404, 422),
)
def list_benefits(request: HttpRequest, pilot_id: int) -> list[Benefit]:
    pilot = permissions.get_pilot_for_user(requester(request), pilot_id)
    return _benefits_out(pilot)


@router.post(
    "/pilots/{pilot_id}/benefits",
    response={201: BenefitOut},
    tags=["benefits"],
    summary="Add a benefit to a pilot's benefits plan (those who keep the pilot)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def create_benefit(request: HttpRequest, pilot_id: int, payload: BenefitIn):
    user = signed_in(request)
    pilot = permissions.get_pilot_for_user(user, pilot_id)
    if not permissions.can_edit_pilot(user, pilot):
        raise PermissionDenied
    owner, holders = _benefit_people(payload)
    fields = payload.dict(exclude={"owner_id", "holder_ids"})
    benefit = benefit_services.add_benefit(user, pilot, owner=owner, holders=holders, **fields)
    return Status(201, _benefits_out(pilot, benefit.pk)[0])


@router.post(
    "/benefits/{benefit_id}/measurements",
    response={201: BenefitMeasurementOut},
    tags=["benefits"],
    summary="Record a measurement of a benefit (those who keep the pilot)",
    description=(
        "The next measurement falls due `measure_every_months` later; the first measurement "
        "moves a planned benefit to `realising`."
    ),
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def create_benefit_measurement(
    request: HttpRequest, benefit_id: int, payload: BenefitMeasurementIn
):
    user = signed_in(request)
    benefit = benefit_queries.get_benefit_for_user(user, benefit_id)
    measurement = benefit_services.add_measurement(
        user, benefit, payload.measured_on, payload.value, payload.note
    )
    return Status(201, measurement)
