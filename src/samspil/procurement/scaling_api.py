"""The API of scaling processes: the same reads, services and permission rules as the pages.

- ``GET /scaling-processes`` — the processes you may see, paginated;
- ``POST /scaling-processes`` — start one (procurement officers and innovation leads);
- ``GET /scaling-processes/{id}`` — one process with participants, steps, letters of intent
  and adoption over time;
- ``POST /scaling-processes/{id}/commitments`` — a participant's letter of intent: 201, 422
  when the organisation does not take part, 409 when it has a letter already, 403 when you
  may not record one for it.
"""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from samspil.api.pagination import PagePagination
from samspil.api.problems import problem, problem_responses
from samspil.api.requests import organisation_with_role, requester, signed_in
from samspil.api.schemas import Id, InputSchema
from samspil.core import permissions
from samspil.core.models import Currency, Visibility

from . import scaling_queries, scaling_services
from .models import TEXT_MAX, TITLE_MAX, ScalingProcess, ScalingRole, ScalingStep

router = Router()


class ScalingOrganisationRef(Schema):
    id: int
    name: str


class ScalingChallengeRef(Schema):
    id: int
    title: str


class ScalingProcessOut(Schema):
    id: int
    title: str
    description: str
    facilitator: ScalingOrganisationRef = Field(description="The owner, who runs the process.")
    challenge: ScalingChallengeRef | None
    saves_time: bool
    recognisable_elsewhere: bool
    anchored_in_management: bool
    meets_criteria: bool = Field(description="All three CO-PI criteria are met.")
    currency: str
    visibility: Visibility
    started_on: date | None
    procurement_id: int | None = Field(description="The tender, once started.")
    participant_count: int
    steps_done_count: int
    url: str
    updated_at: datetime

    @staticmethod
    def resolve_facilitator(process):
        return process.owner

    @staticmethod
    def resolve_url(process) -> str:
        return process.get_absolute_url()


class ScalingParticipantOut(Schema):
    id: int
    organisation: ScalingOrganisationRef
    role: ScalingRole
    joined_on: date | None


class ScalingStepOut(Schema):
    step: ScalingStep
    position: int
    label: str
    done: bool
    done_on: date | None
    note: str
    event_id: int | None
    is_next: bool


class ScalingCommitmentOut(Schema):
    id: int
    organisation: ScalingOrganisationRef
    volume: Decimal | None
    volume_unit: str
    value: Decimal | None = Field(description="In whole units of the process's currency.")
    signed_on: date
    signed_by: str


class ScalingVolumeOut(Schema):
    volume: Decimal
    unit: str


class ScalingTotalsOut(Schema):
    organisations: int
    value: Decimal
    volumes: list[ScalingVolumeOut] = Field(description="Committed volume per unit.")


class ScalingAdoptionPointOut(Schema):
    counted_on: date
    organisations: int
    change: int | None


class ScalingAdoptionOut(Schema):
    points: list[ScalingAdoptionPointOut]
    growth: str = Field(description='From the first count to the latest, such as "8 → 29".')


class ScalingProcessDetailOut(ScalingProcessOut):
    participants: list[ScalingParticipantOut]
    steps: list[ScalingStepOut] = Field(description="CO-PI's steps in order.")
    commitments: list[ScalingCommitmentOut]
    committed: ScalingTotalsOut
    adoption: ScalingAdoptionOut
    can_edit: bool

    @staticmethod
    def resolve_participants(process) -> list:
        return process.participant_rows

    @staticmethod
    def resolve_commitments(process) -> list:
        return process.commitment_rows


class ScalingProcessIn(InputSchema):
    title: str = Field(max_length=TITLE_MAX)
    description: str = Field("", max_length=TEXT_MAX)
    organisation_id: Id | None = Field(
        None,
        description="The facilitating owner; your first organisation where you are "
        "procurement officer or innovation lead when left out.",
    )
    challenge_id: Id | None = Field(
        None, description="The shared challenge; its owners take part as need owners."
    )
    saves_time: bool | None = Field(None, description="The challenge's when left out.")
    recognisable_elsewhere: bool | None = None
    anchored_in_management: bool | None = None
    currency: Currency | None = Field(None, description="The owner's by default.")
    visibility: Visibility = Visibility.INTERNAL
    started_on: date | None = None


class ScalingCommitmentIn(InputSchema):
    organisation_id: Id = Field(description="A participating organisation.")
    volume: Decimal | None = Field(None, ge=0)
    volume_unit: str = Field("", max_length=60)
    value: Decimal | None = Field(None, ge=0, description="In whole units of the currency.")
    signed_on: date
    signed_by: str = Field(max_length=200)


class ScalingFilters(Schema):
    q: str = Field("", max_length=100, description="Words in the title or description.")
    challenge_id: int | None = None


def _detail(user, pk: int):
    """The process as listed, with what its page shows set on it for the detail schema."""
    process = scaling_queries.process_with_details(user, pk)
    row = scaling_queries.processes_for_list(user).get(pk=process.pk)
    letters = scaling_queries.commitments(process)
    totals = scaling_queries.commitment_totals(letters)
    series = scaling_queries.adoption(process)
    row.participant_rows = scaling_queries.participants(process)
    row.commitment_rows = letters
    row.steps = [
        {
            "step": r["step"],
            "position": r["position"],
            "label": str(r["label"]),
            "done": r["done"] is not None,
            "done_on": r["done"].done_on if r["done"] else None,
            "note": r["done"].note if r["done"] else "",
            "event_id": r["done"].event_id if r["done"] else None,
            "is_next": r["is_next"],
        }
        for r in scaling_queries.step_rows(process)
    ]
    row.committed = {
        "organisations": totals.count,
        "value": totals.value,
        "volumes": [{"volume": v, "unit": u} for v, u in totals.volumes],
    }
    row.adoption = {
        "points": [
            {"counted_on": p.counted_on, "organisations": p.organisations, "change": p.change}
            for p in series.points
        ],
        "growth": series.growth_text,
    }
    row.can_edit = permissions.can_edit_scaling_process(user, process)
    return row


@router.get(
    "/scaling-processes",
    response=list[ScalingProcessOut],
    tags=["scaling"],
    summary="Scaling processes you may see",
    openapi_extra=problem_responses(401, 422),
)
@paginate(PagePagination)
def list_scaling_processes(request: HttpRequest, filters: Query[ScalingFilters]) -> QuerySet:
    return scaling_queries.processes_for_list(
        requester(request), q=filters.q, challenge=filters.challenge_id
    )


@router.post(
    "/scaling-processes",
    response={201: ScalingProcessDetailOut},
    tags=["scaling"],
    summary="Start a scaling process (procurement officers and innovation leads)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def create_scaling_process(request: HttpRequest, payload: ScalingProcessIn):
    user = signed_in(request)
    fields = payload.dict()
    owner = organisation_with_role(
        user, fields.pop("organisation_id"), *permissions.PROCURING_ROLES
    )
    if not permissions.can_create_scaling_process(user, owner):
        raise PermissionDenied
    challenge = None
    challenge_id = fields.pop("challenge_id")
    if challenge_id is not None:
        challenge = (
            permissions.challenges_visible_to(user)
            .select_related("owner")
            .filter(pk=challenge_id)
            .first()
        )
        if challenge is None:
            raise ValidationError({"challenge_id": _("Choose a challenge you may see.")})
    for name in scaling_services.CRITERIA:
        if fields[name] is None:
            fields[name] = bool(challenge is not None and getattr(challenge, name))
    if fields["currency"] is None:
        del fields["currency"]
    process = scaling_services.create_scaling_process(user, owner, challenge=challenge, **fields)
    return Status(201, _detail(user, process.pk))


@router.get(
    "/scaling-processes/{process_id}",
    response=ScalingProcessDetailOut,
    tags=["scaling"],
    summary="One scaling process with participants, steps, letters of intent and adoption",
    openapi_extra=problem_responses(401, 404, 422),
)
def get_scaling_process(request: HttpRequest, process_id: int):
    return _detail(requester(request), process_id)


@router.post(
    "/scaling-processes/{process_id}/commitments",
    response={201: ScalingCommitmentOut},
    tags=["scaling"],
    summary="Record a participant's letter of intent",
    description=(
        "By the organisation's own procurement officers and innovation leads, or by the "
        "process's facilitators on its behalf. 422 when the organisation does not take part, "
        "409 when it has a letter of intent already."
    ),
    openapi_extra=problem_responses(401, 403, 404, 409, 422),
)
def record_commitment(request: HttpRequest, process_id: int, payload: ScalingCommitmentIn):
    user = signed_in(request)
    process: ScalingProcess = permissions.get_scaling_process_for_user(user, process_id)
    fields = payload.dict()
    organisation = (
        permissions.organisations_visible_to(user).filter(pk=fields.pop("organisation_id")).first()
    )
    if organisation is None:
        raise ValidationError({"organisation_id": _("Choose an organisation you may see.")})
    try:
        commitment = scaling_services.record_commitment(user, process, organisation, **fields)
    except scaling_services.AlreadyCommitted as error:
        return problem(request, 409, " ".join(error.messages), errors=error.message_dict)
    except ValidationError as error:
        errors = dict(error.message_dict)
        if "organisation" in errors:
            errors["organisation_id"] = errors.pop("organisation")
        raise ValidationError(errors) from None
    commitment.organisation = organisation
    return Status(201, commitment)
