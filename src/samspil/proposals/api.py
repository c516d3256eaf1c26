"""The proposals API: proposals, their economics and documents, prioritisation rounds,
scores and the optimiser — the same reads, services and permission rules as the pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from samspil.api.pagination import PagePagination
from samspil.api.problems import problem, problem_responses
from samspil.api.requests import leading_organisation, requester, signed_in
from samspil.api.schemas import Id, InputSchema
from samspil.core import permissions
from samspil.core.models import Organisation, User, Visibility
from samspil.events.api import OrganisationRef, PersonRef

from . import (
    document_views,
    economy_queries,
    economy_services,
    followup_queries,
    followup_services,
    optimise_queries,
    optimise_services,
    round_queries,
    round_services,
    services,
    states,
)
from . import queries as proposal_queries
from .models import (
    TEXT_MAX,
    TITLE_MAX,
    Assessment,
    BudgetArea,
    ConsultationAnswer,
    DiscountPreset,
    Objective,
    Proposal,
    ProposalState,
    ProposalTemplate,
    Round,
    SectionKind,
)

router = Router()

# section: proposals (services.py owner)


class ProposalTemplateRef(Schema):
    id: int
    code: str
    name: str


class DiscountPresetRef(Schema):
    id: int
    code: str
    name: str


class DiscountPresetOut(DiscountPresetRef):
    country: str
    bands: list[tuple[int, int, Decimal]] = Field(
        description="[first year index, last year index, rate in percent], counted from the "
        "table's first year (index 0)."
    )
    source: str
    valid_from: date


class ProposalTemplateSectionOut(Schema):
    code: str
    number: str
    heading: str
    guidance: str
    kind: SectionKind


class ProposalTemplateOut(ProposalTemplateRef):
    description: str
    source: str
    default_for: str = Field(description="The country it is the default for, or ''.")
    organisation_id: int | None = Field(description="null for a built-in template.")
    sections: list[ProposalTemplateSectionOut]

    @staticmethod
    def resolve_sections(template: ProposalTemplate) -> list:
        return list(template.sections.all())


class NamedRef(Schema):
    id: int
    title: str


class ProposalOut(Schema):
    id: int
    title: str
    summary: str
    committee: str
    state: ProposalState
    visibility: Visibility
    organisation: OrganisationRef = Field(description="The presenting department.")
    affected_departments: list[OrganisationRef]
    template: ProposalTemplateRef
    price_level_year: int
    first_year: int = Field(description="The economic table's first year.")
    last_year: int = Field(description="The economic table's last year.")
    discount_preset: DiscountPresetRef | None = Field(
        description="The discount-rate preset (id, code, name); null for the own rate."
    )
    own_discount_rate: Decimal | None = Field(description="In percent; used without a preset.")
    challenge: NamedRef | None = Field(description="The challenge, if you may see it.")
    pilot: NamedRef | None = Field(description="The pilot, if you may see it.")
    event: NamedRef | None = Field(description="The event, if you may see it.")
    url: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_organisation(proposal: Proposal) -> Organisation:
        return proposal.owner

    @staticmethod
    def resolve_affected_departments(proposal: Proposal) -> list[Organisation]:
        return list(proposal.affected_departments.all())

    @staticmethod
    def resolve_challenge(proposal: Proposal):
        return proposal.challenge if proposal.challenge_visible else None  # type: ignore[attr-defined]

    @staticmethod
    def resolve_pilot(proposal: Proposal):
        return proposal.pilot if proposal.pilot_visible else None  # type: ignore[attr-defined]

    @staticmethod
    def resolve_event(proposal: Proposal):
        return proposal.event if proposal.event_visible else None  # type: ignore[attr-defined]

    @staticmethod
    def resolve_url(proposal: Proposal) -> str:
        return proposal.get_absolute_url()


class ProposalSectionOut(ProposalTemplateSectionOut):
    text: str
    updated_at: datetime | None = Field(description="null until the section is first saved.")


class StateChangeOut(Schema):
    from_state: ProposalState
    to_state: ProposalState
    note: str
    changed_by: PersonRef | None
    changed_at: datetime


class ProposalDetailOut(ProposalOut):
    sections: list[ProposalSectionOut] = Field(description="Every template section, in order.")
    state_changes: list[StateChangeOut] = Field(description="Every move, oldest first.")
    moves: list[ProposalState] = Field(description="The states you may move the proposal to.")
    can_edit: bool = Field(description="Whether you may change the header and the sections.")

    @staticmethod
    def resolve_sections(proposal: Proposal) -> list[dict]:
        return [
            {
                "code": section.code,
                "number": section.number,
                "heading": section.heading,
                "guidance": section.guidance,
                "kind": section.kind,
                "text": saved.text if saved else "",
                "updated_at": saved.updated_at if saved else None,
            }
            for section, saved in proposal_queries.section_rows(proposal)
        ]

    @staticmethod
    def resolve_state_changes(proposal: Proposal) -> list:
        return list(proposal.state_changes.all())


class ProposalIn(InputSchema):
    title: str = Field(max_length=TITLE_MAX)
    summary: str = Field("", max_length=services.SUMMARY_MAX)
    committee: str = Field("", max_length=200)
    organisation_id: Id | None = Field(
        None, description="The presenting department; your first where you lead innovation."
    )
    template_id: Id | None = Field(
        None, description="A built-in template or your organisation's; the country's default."
    )
    price_level_year: int | None = Field(None, description="This year when left out.")
    first_year: int | None = Field(None, description="This year when left out.")
    last_year: int | None = Field(None, description="Four years after the first when left out.")
    discount_preset_id: Id | None = Field(
        None, description="The country's newest preset when left out and no own rate is given."
    )
    own_discount_rate: Decimal | None = Field(None, ge=0, le=50, max_digits=5, decimal_places=2)
    visibility: Visibility = Visibility.INTERNAL
    challenge_id: Id | None = None
    pilot_id: Id | None = None
    event_id: Id | None = None
    affected_department_ids: list[Id] = Field(default_factory=list, max_length=100)


class ProposalPatch(InputSchema):
    title: str | None = Field(None, max_length=TITLE_MAX)
    summary: str | None = Field(None, max_length=services.SUMMARY_MAX)
    committee: str | None = Field(None, max_length=200)
    price_level_year: int | None = None
    first_year: int | None = None
    last_year: int | None = None
    discount_preset_id: Id | None = Field(None, description="null: use the own rate.")
    own_discount_rate: Decimal | None = Field(None, ge=0, le=50, max_digits=5, decimal_places=2)
    visibility: Visibility | None = None
    challenge_id: Id | None = Field(None, description="null removes the challenge.")
    pilot_id: Id | None = Field(None, description="null removes the pilot.")
    event_id: Id | None = Field(None, description="null removes the event.")
    affected_department_ids: list[Id] | None = Field(None, max_length=100)
    sections: dict[str, str] | None = Field(
        None,
        max_length=50,
        description='Texts by section code, e.g. {"background": "…"}; others are kept.',
    )


class StateIn(InputSchema):
    to: str = Field(max_length=20, description="The state to move to; see 'moves'.")
    note: str = Field("", max_length=services.NOTE_MAX)


class ProposalFilters(Schema):
    organisation_id: int | None = Field(None, description="The presenting department.")
    state: ProposalState | None = None
    q: str = Field("", max_length=100, description="Words in the title or summary.")


def _proposal_detail(user, pk: int) -> Proposal:
    proposal = proposal_queries.proposal_with_details(user, pk)
    department = permissions.can_move_proposal(user, proposal)
    board = permissions.can_decide_proposal(user, proposal)
    proposal.moves = states.allowed_moves(proposal.state, department=department, board=board)  # type: ignore[attr-defined]
    proposal.can_edit = permissions.can_edit_proposal(user, proposal)  # type: ignore[attr-defined]
    return proposal


def _proposal_references(user, fields: dict) -> dict:
    """Turns the ``*_id`` fields present in ``fields`` into records; an unknown or unseen id
    is a 422 (the service checks templates and departments further)."""
    lookups = {
        "challenge_id": (
            "challenge",
            permissions.challenges_visible_to(user),
            _("Choose a challenge you may see."),
        ),
        "pilot_id": (
            "pilot",
            permissions.pilots_visible_to(user),
            _("Choose a pilot you may see."),
        ),
        "event_id": (
            "event",
            permissions.events_visible_to(user),
            _("Choose an event you may see."),
        ),
        "template_id": (
            "template",
            ProposalTemplate.objects.all(),
            _("Choose a built-in template or one of your organisation."),
        ),
        "discount_preset_id": (
            "discount_preset",
            DiscountPreset.objects.all(),
            _("Choose a discount-rate preset."),
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
    if "affected_department_ids" in fields:
        ids = set(fields.pop("affected_department_ids") or [])
        departments = list(Organisation.objects.filter(pk__in=ids))
        if len(departments) != len(ids):
            raise ValidationError(
                {
                    "affected_department_ids": _(
                        "Choose departments of the presenting department's municipality."
                    )
                }
            )
        fields["affected_departments"] = departments
    return fields


@router.get(
    "/proposals",
    response=list[ProposalOut],
    tags=["proposals"],
    summary="Investment proposals you may see, filtered",
    openapi_extra=problem_responses(401, 422),
)
@paginate(PagePagination)
def list_proposals(request: HttpRequest, filters: Query[ProposalFilters]) -> QuerySet[Proposal]:
    user = requester(request)
    proposals = proposal_queries.search_proposals(
        user, organisation=filters.organisation_id, state=filters.state or "", q=filters.q
    )
    return proposal_queries.with_list_relations(proposals, user)


@router.post(
    "/proposals",
    response={201: ProposalDetailOut},
    tags=["proposals"],
    summary="Start an investment proposal as a draft (innovation leads)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def create_proposal(request: HttpRequest, payload: ProposalIn):
    user = signed_in(request)
    fields = payload.dict()
    owner = leading_organisation(user, fields.pop("organisation_id"))
    if not permissions.can_create_proposal(user, owner):
        raise PermissionDenied
    # Without a preset or an own rate, the country's preset applies (the service's default).
    if fields["discount_preset_id"] is None and fields["own_discount_rate"] is None:
        del fields["discount_preset_id"]
    proposal = services.create_proposal(user, owner, **_proposal_references(user, fields))
    return Status(201, _proposal_detail(user, proposal.pk))


@router.get(
    "/proposals/{proposal_id}",
    response=ProposalDetailOut,
    tags=["proposals"],
    summary="One proposal: header, sections with their texts, state and its history",
    openapi_extra=problem_responses(401, 404, 422),
)
def get_proposal(request: HttpRequest, proposal_id: int) -> Proposal:
    return _proposal_detail(requester(request), proposal_id)


@router.patch(
    "/proposals/{proposal_id}",
    response=ProposalDetailOut,
    tags=["proposals"],
    summary="Change the header and section texts (the presenting department, while a draft, "
    "in consultation or deferred)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def update_proposal(
    request: HttpRequest, proposal_id: int, payload: ProposalPatch
) -> Proposal | JsonResponse:
    user = signed_in(request)
    proposal = permissions.get_proposal_for_user(user, proposal_id)
    if not permissions.can_edit_proposal(user, proposal):
        raise PermissionDenied
    fields = payload.dict(exclude_unset=True)
    sections = fields.pop("sections", None) or {}
    for name in ("summary", "committee"):
        if name in fields and fields[name] is None:
            fields[name] = ""
    # Required fields sent as null are left as they are.
    for name in ("title", "price_level_year", "first_year", "last_year", "visibility"):
        if name in fields and fields[name] is None:
            del fields[name]
    if fields.get("affected_department_ids", ()) is None:
        fields["affected_department_ids"] = []
    with transaction.atomic():
        if fields:
            services.update_proposal(user, proposal, **_proposal_references(user, fields))
        errors: dict[str, list[str]] = {}
        for code, text in sections.items():
            try:
                services.save_section(user, proposal, code, text)
            except ValidationError as error:
                errors[f"sections.{code}"] = error.messages
        if errors:
            # Nothing of the request is kept, so the caller can send it again corrected.
            transaction.set_rollback(True)
            return problem(request, 422, _("The request is not valid."), errors=errors)
    return _proposal_detail(user, proposal.pk)


@router.post(
    "/proposals/{proposal_id}/state",
    response=ProposalDetailOut,
    tags=["proposals"],
    summary="Move a proposal to another state (the department or the board, by the move)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def move_proposal(request: HttpRequest, proposal_id: int, payload: StateIn) -> Proposal:
    user = signed_in(request)
    proposal = permissions.get_proposal_for_user(user, proposal_id)
    services.move_proposal(user, proposal, payload.to.strip(), payload.note)
    return _proposal_detail(user, proposal.pk)


@router.get(
    "/proposal-templates",
    response=list[ProposalTemplateOut],
    tags=["proposals"],
    summary="Proposal templates: the built-in ones and your organisations' own",
    openapi_extra=problem_responses(401),
)
def list_proposal_templates(request: HttpRequest) -> list[ProposalTemplate]:
    return list(proposal_queries.templates_visible_to(requester(request)))


@router.get(
    "/discount-presets",
    response=list[DiscountPresetOut],
    tags=["proposals"],
    summary="Discount-rate presets for the net present value, dated and with their source",
    openapi_extra=problem_responses(401),
)
def list_discount_presets(request: HttpRequest) -> list[DiscountPreset]:
    return list(DiscountPreset.objects.all())


# section: economics (economy owner)


class EconomicCellOut(Schema):
    year: int
    value: Decimal | None = Field(description="A plain value, or the likely one of three.")
    low: Decimal | None = Field(description="The minimum of a range or three estimates.")
    high: Decimal | None = Field(description="The maximum of a range or three estimates.")


class EconomicLineOut(Schema):
    id: int
    group: str = Field(description="'implementation', 'permanent' or 'investment'.")
    budget_area: str = Field(description="'service', 'construction' or 'transfers'.")
    label: str
    cells: list[EconomicCellOut]


class KeyFiguresOut(Schema):
    npv: Decimal = Field(description="Σ (−net)·discount factor: savings count as benefit.")
    payback_year: int | None = Field(
        description="The year the cumulative net from the first non-zero year reaches ≤ 0; "
        "null when it does not within the table."
    )
    payback_years: int | None
    total_investment: Decimal = Field(description="The sum of the positive amounts.")
    yearly_saving: Decimal = Field(
        description="The savings of the table's last year (full operation), as a positive amount."
    )
    investment_by_area: dict[str, Decimal]
    saving_by_area: dict[str, Decimal]


class ScenarioOut(Schema):
    group_totals: dict[str, dict[int, Decimal]] = Field(description="group → year → total")
    totals: dict[int, Decimal] = Field(description="The net (grand total) per year.")
    cumulative: dict[int, Decimal]
    figures: KeyFiguresOut


class DiscountScheduleOut(Schema):
    bands: list[tuple[int, int, Decimal]] = Field(
        description="[first year index, last year index, rate in percent] from the first year."
    )
    name: str
    source: str = Field(description="'own' for the proposal's own rate, 'none' for 0 %.")


class EconomicsOut(Schema):
    proposal_id: int
    unit: str = Field(description="Amounts are in 1,000 of this currency.")
    price_level_year: int
    years: list[int]
    lines: list[EconomicLineOut]
    has_uncertainty: bool
    scenarios: dict[str, ScenarioOut] = Field(
        description="'low' (every cell at its minimum), 'likely' (a range at its midpoint, "
        "three estimates at the middle one) and 'high'."
    )
    discount: DiscountScheduleOut


class EconomicCellIn(InputSchema):
    year: int
    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None


class EconomicLineIn(InputSchema):
    group: str = Field(description="'implementation', 'permanent' or 'investment'.")
    budget_area: str = Field(description="'service', 'construction' or 'transfers'.")
    label: str = Field(max_length=economy_services.LABEL_MAX)
    cells: list[EconomicCellIn] = Field(
        default_factory=list,
        description="A value; or low and high (a range); or all three (three estimates).",
    )


class EconomicLinesIn(InputSchema):
    lines: list[EconomicLineIn] = Field(max_length=economy_services.MAX_LINES)


def _economics_out(proposal: Proposal) -> dict:
    data = economy_queries.economics_of(proposal)
    preset = proposal.discount_preset
    if preset is not None:
        name, source = preset.name, preset.source
    elif proposal.own_discount_rate is not None:
        name, source = _("Own rate"), "own"
    else:
        name, source = _("No discount rate"), "none"
    discount = {"name": name, "source": source, "bands": list(data.schedule.bands)}
    return {
        "proposal_id": proposal.pk,
        "unit": proposal.owner.currency,
        "price_level_year": proposal.price_level_year,
        "years": list(data.years),
        "lines": [
            {
                "id": line.key.pk,  # type: ignore[attr-defined]
                "group": line.group,
                "budget_area": line.area,
                "label": line.label,
                "cells": list(line.key.values.all()),  # type: ignore[attr-defined]
            }
            for line in data.lines
        ],
        "has_uncertainty": data.has_uncertainty,
        "scenarios": {
            scenario: {
                "group_totals": table.group_totals,
                "totals": table.totals,
                "cumulative": table.cumulative,
                "figures": data.figures[scenario],
            }
            for scenario, table in data.tables.items()
        },
        "discount": discount,
    }


@router.get(
    "/proposals/{proposal_id}/economics",
    response=EconomicsOut,
    tags=["proposals"],
    summary="A proposal's economic table, totals, NPV and payback in three scenarios",
    openapi_extra=problem_responses(401, 404),
)
def get_economics(request: HttpRequest, proposal_id: int):
    proposal = permissions.get_proposal_for_user(requester(request), proposal_id)
    return _economics_out(proposal)


@router.put(
    "/proposals/{proposal_id}/lines",
    response=EconomicsOut,
    tags=["proposals"],
    summary="Replace a proposal's economic table (those who may edit the proposal)",
    description=(
        "All or nothing: when any line or cell is refused the answer is 422 with `errors`, "
        "one `{line, field, year, message}` per problem (line from 0; field 'group', "
        "'budget_area', 'label' or 'cell' with its year). Amounts are in 1,000; savings "
        "negative; a cell's year must be within the table's years."
    ),
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def put_lines(request: HttpRequest, proposal_id: int, payload: EconomicLinesIn):
    user = signed_in(request)
    proposal = permissions.get_proposal_for_user(user, proposal_id)
    lines = []
    for index, line in enumerate(payload.lines):
        cells: dict[int, economy_services.Cell | None] = {}
        for cell in line.cells:
            if cell.year in cells:
                message = _("The year %(year)s appears twice.") % {"year": cell.year}
                errors = [{"line": index, "field": "cell", "year": cell.year, "message": message}]
                return problem(request, 422, _("The table was not saved."), errors=errors)
            empty = cell.value is None and cell.low is None and cell.high is None
            cells[cell.year] = (
                None if empty else economy_services.Cell(cell.value, cell.low, cell.high)
            )
        lines.append(economy_services.LineInput(line.group, line.budget_area, line.label, cells))
    try:
        economy_services.replace_table(user, proposal, lines)
    except economy_services.TableInvalid as error:
        errors = [
            {"line": p.line, "field": p.field, "year": p.year, "message": p.message}
            for p in error.problems
        ]
        return problem(request, 422, _("The table was not saved."), errors=errors)
    return _economics_out(proposal)


# section: documents (documents owner)


def _file_responses(*content_types: str) -> dict:
    """``openapi_extra`` for a download: the file's types, and the problems it may answer."""
    extra = problem_responses(401, 404, 422)
    binary = {"schema": {"type": "string", "format": "binary"}}
    extra["responses"][200] = {
        "description": "The file, in the language of Accept-Language",
        "content": dict.fromkeys(content_types, binary),
    }
    return extra


@router.get(
    "/proposals/{proposal_id}/document",
    tags=["proposals"],
    summary="The proposal as a DOCX or PDF document",
    openapi_extra=_file_responses(*document_views.PROPOSAL_FORMATS.values()),
)
def proposal_document(request, proposal_id: int, format: Literal["docx", "pdf"]):
    user = requester(request)
    proposal = permissions.get_proposal_for_user(user, proposal_id)
    return document_views.proposal_file(user, proposal, format, translation.get_language())


@router.get(
    "/rounds/{round_id}/overview",
    tags=["rounds"],
    summary="A round's overview of its proposals as an XLSX or PDF file",
    openapi_extra=_file_responses(*document_views.ROUND_FORMATS.values()),
)
def round_overview(request, round_id: int, format: Literal["xlsx", "pdf"]):
    user = requester(request)
    round_ = permissions.get_round_for_user(user, round_id)
    return document_views.round_file(user, round_, format, translation.get_language())


# section: rounds and scores (rounds owner)


class RoundBudgetSchema(Schema):
    amount: Decimal = Field(description="In 1,000 of the organisation's currency.")
    year: int | None = Field(None, description="null: a budget over all years.")
    budget_area: BudgetArea | None = Field(None, description="null: over all budget areas.")


class RoundBudgetIn(RoundBudgetSchema, InputSchema):
    pass


class RoundCriterionSchema(Schema):
    name: str = Field(max_length=round_services.NAME_MAX)
    description: str = Field("", max_length=round_services.DESCRIPTION_MAX)
    weight: Decimal = Decimal(1)
    scale_min: int = 1
    scale_max: int = 5


class RoundCriterionIn(RoundCriterionSchema, InputSchema):
    pass


class RoundCriterionOut(RoundCriterionSchema):
    id: int


class RoundIn(InputSchema):
    title: str = Field(max_length=TITLE_MAX)
    description: str = Field("", max_length=TEXT_MAX)
    organisation_id: Id | None = Field(
        None, description="The organisation running it; your first where you lead innovation."
    )
    submission_deadline: datetime = Field(description="Without a zone: the server's time zone.")
    scoring_deadline: datetime = Field(description="Not before the submission deadline.")
    objective: Objective = Objective.SCORE
    visibility: Visibility = Visibility.INTERNAL
    board_ids: list[Id] = Field(
        default_factory=list, max_length=100, description="People of the organisation's tree."
    )
    budgets: list[RoundBudgetIn] = Field(default_factory=list, max_length=1000)
    criteria: list[RoundCriterionIn] | None = Field(
        None, max_length=1000, description="null: the default criteria of the Copenhagen proposal."
    )


class RoundOut(Schema):
    id: int
    title: str
    description: str
    organisation: OrganisationRef
    submission_deadline: datetime
    scoring_deadline: datetime
    scoring_closed: bool
    objective: Objective
    visibility: Visibility
    board: list[PersonRef]
    url: str

    @staticmethod
    def resolve_organisation(round_: Round) -> Organisation:
        return round_.owner

    @staticmethod
    def resolve_scoring_closed(round_: Round) -> bool:
        return round_queries.scoring_closed(round_)

    @staticmethod
    def resolve_board(round_: Round) -> list[User]:
        return list(round_.board.all())

    @staticmethod
    def resolve_url(round_: Round) -> str:
        return round_.get_absolute_url()


class RoundProposalRef(Schema):
    id: int
    title: str
    state: ProposalState


class RoundEntryOut(Schema):
    id: int
    proposal: RoundProposalRef
    entered_at: datetime


class ScoreOut(Schema):
    criterion: int
    value: int
    comment: str


class MemberScoresOut(Schema):
    member: PersonRef
    score: float | None = Field(description="The member's weighted score, 0–100.")
    scores: list[ScoreOut]


class RankedEntryOut(Schema):
    rank: int | None = Field(description="null for a proposal nobody scored.")
    proposal: RoundProposalRef
    score: float | None = Field(description="The mean of the members' scores, 0–100.")
    member_scores: list[MemberScoresOut]


class RoundDetailOut(RoundOut):
    budgets: list[RoundBudgetSchema]
    criteria: list[RoundCriterionOut]
    entries: list[RoundEntryOut] = Field(description="The proposals in it that you may see.")
    ranking: list[RankedEntryOut] | None = Field(description="Once scoring has closed.")

    @staticmethod
    def resolve_budgets(round_: Round) -> list[dict]:
        return [
            {"amount": b.amount, "year": b.year, "budget_area": b.budget_area or None}
            for b in round_.budgets.all()
        ]

    @staticmethod
    def resolve_criteria(round_: Round) -> list:
        return list(round_.criteria.all())

    @staticmethod
    def resolve_entries(round_: Round) -> list:
        return round_.entries_out  # type: ignore[attr-defined]

    @staticmethod
    def resolve_ranking(round_: Round):
        return round_.ranking_out  # type: ignore[attr-defined]


class RoundEntryIn(InputSchema):
    proposal: Id


class ScoreIn(InputSchema):
    criterion: Id
    value: int | None = Field(description="Within the criterion's scale; null unscores it.")
    comment: str = Field("", max_length=round_services.COMMENT_MAX)


class ScoresIn(InputSchema):
    proposal: Id
    scores: list[ScoreIn] = Field(max_length=1000)


def _round_detail(user, pk: int) -> Round:
    """The round with its parts as attributes the schema reads."""
    round_ = round_queries.round_with_details(user, pk)
    round_.entries_out = round_queries.entries_of(round_, user)  # type: ignore[attr-defined]
    round_.ranking_out = None  # type: ignore[attr-defined]
    if round_queries.scoring_closed(round_):
        round_.ranking_out = [  # type: ignore[attr-defined]
            {
                "rank": line.rank,
                "proposal": line.proposal,
                "score": line.score,
                "member_scores": [
                    {
                        "member": member.member,
                        "score": member.score,
                        "scores": [
                            {"criterion": i.criterion_id, "value": i.value, "comment": i.comment}
                            for i in member.cells
                            if i is not None
                        ],
                    }
                    for member in line.member_scores
                ],
            }
            for line in round_queries.ranking(round_, user)
        ]
    return round_


def _aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@router.get(
    "/rounds",
    response=list[RoundOut],
    tags=["rounds"],
    summary="Prioritisation rounds you may see",
    openapi_extra=problem_responses(401, 422),
)
@paginate(PagePagination)
def list_rounds(request: HttpRequest) -> QuerySet[Round]:
    return round_queries.rounds_for_list(requester(request)).prefetch_related("board")


@router.post(
    "/rounds",
    response={201: RoundDetailOut},
    tags=["rounds"],
    summary="Open a prioritisation round (innovation leads)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def create_round(request: HttpRequest, payload: RoundIn):
    user = signed_in(request)
    fields = payload.dict()
    owner = leading_organisation(user, fields.pop("organisation_id"))
    if not permissions.can_create_round(user, owner):
        raise PermissionDenied
    board_ids = set(fields.pop("board_ids"))
    board = list(User.objects.filter(pk__in=board_ids))
    if len(board) != len(board_ids):
        message = _("Choose people of %(organisation)s.") % {"organisation": owner}
        raise ValidationError({"board_ids": message})
    for name in ("submission_deadline", "scoring_deadline"):
        fields[name] = _aware(fields[name])
    for row in fields["budgets"]:
        row["budget_area"] = row["budget_area"] or ""
    round_ = round_services.create_round(user, owner, board=board, **fields)
    return Status(201, _round_detail(user, round_.pk))


@router.get(
    "/rounds/{round_id}",
    response=RoundDetailOut,
    tags=["rounds"],
    summary="One round: budgets, criteria, proposals, and the ranking once scoring has closed",
    openapi_extra=problem_responses(401, 404, 422),
)
def get_round(request: HttpRequest, round_id: int):
    return _round_detail(requester(request), round_id)


@router.post(
    "/rounds/{round_id}/entries",
    response={201: RoundEntryOut},
    tags=["rounds"],
    summary="Enter a submitted proposal in the round (its department, before the deadline)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def enter_round(request: HttpRequest, round_id: int, payload: RoundEntryIn):
    user = signed_in(request)
    round_ = permissions.get_round_for_user(user, round_id)
    proposal = permissions.proposals_visible_to(user).filter(pk=payload.proposal).first()
    if proposal is None:
        raise ValidationError({"proposal": _("Choose a proposal you may see.")})
    entry = round_services.enter_proposal(user, round_, proposal)
    return Status(201, entry)


@router.post(
    "/rounds/{round_id}/scores",
    response=list[ScoreOut],
    tags=["rounds"],
    summary="Your scores of a proposal in the round (board members, until scoring closes)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def score_round_entry(request: HttpRequest, round_id: int, payload: ScoresIn):
    user = signed_in(request)
    round_ = permissions.get_round_for_user(user, round_id)
    if not permissions.is_round_board_member(user, round_):
        raise PermissionDenied
    entry = round_.entries.filter(proposal=payload.proposal).select_related("round").first()
    if entry is None:
        raise ValidationError({"proposal": _("The proposal is not in this round.")})
    round_services.score_entry(user, entry, [row.dict() for row in payload.scores])
    own = round_queries.own_scores(round_, user).get(entry.pk, {})
    return [
        {"criterion": item.criterion_id, "value": item.value, "comment": item.comment}
        for item in own.values()
    ]


# section: optimise (optimiser owner)


class OptimiseIn(InputSchema):
    objective: Objective | None = Field(
        None, description="What to maximise; the round's own choice when left out."
    )


class ReasonOut(Schema):
    code: str = Field(
        description="must_include, selected, must_exclude, no_value, over_budget (it alone "
        "exceeds a budget), lower_value (making room would mean dropping the proposals in "
        "`params.drop`) or budget_full (must-funded proposals hold the room)."
    )
    params: dict
    text: str = Field(description="The reason in the request's language.")


class OptimisedCostOut(Schema):
    year: int
    area: str
    amount: float = Field(description="In 1,000 of the round owner's currency.")


class OptimisedProposalOut(Schema):
    id: int
    title: str
    value: float = Field(description="Weighted score 0–100, or NPV in 1,000 (likely scenario).")
    costs: list[OptimisedCostOut]
    funded: bool
    greedy_funded: bool = Field(description="Funded by taking the ranking from the top.")
    reason: ReasonOut | None


class BudgetUseOut(Schema):
    year: int | None = Field(description="null: every year.")
    area: str | None = Field(description="null: every budget area.")
    amount: float
    used: float = Field(description="By the portfolio; by the must-funded alone if infeasible.")
    greedy_used: float


class OptimisationOut(Schema):
    id: int
    round: int
    objective: Objective
    status: str = Field(description="optimal (proven), time_limit or infeasible.")
    status_text: str
    value: float | None
    greedy_value: float | None
    seconds: float
    run_at: datetime
    selected: list[int] = Field(description="Ids of the funded proposals you may see.")
    greedy: list[int] = Field(description="Ids the ranking from the top would fund.")
    proposals: list[OptimisedProposalOut]
    budgets: list[BudgetUseOut]


def _optimisation_out(run, view) -> dict:
    return {
        "id": run.pk,
        "round": run.round_id,
        "objective": run.objective,
        "status": run.status,
        "status_text": view.status_line,
        "value": run.value,
        "greedy_value": run.greedy_value,
        "seconds": run.seconds,
        "run_at": run.run_at,
        "selected": [line.proposal_id for line in view.funded],
        "greedy": [line.proposal_id for line in view.funded + view.left_out if line.greedy_funded],
        "proposals": [
            {
                "id": line.proposal_id,
                "title": line.entry.proposal.title,
                "value": line.value,
                "costs": [
                    {"year": year, "area": area, "amount": cost}
                    for year, area, cost in run.result["candidates"][str(line.proposal_id)]["costs"]
                ],
                "funded": line.funded,
                "greedy_funded": line.greedy_funded,
                "reason": {"code": line.code, "params": line.params, "text": line.reason}
                if line.code
                else None,
            }
            for line in view.funded + view.left_out
        ],
        "budgets": run.result["budgets"],
    }


@router.post(
    "/rounds/{round_id}/optimise",
    response=OptimisationOut,
    tags=["rounds"],
    summary="Find the best portfolio under the round's budgets (the round's editors)",
    description=(
        "Solved exactly as a 0/1 integer programme (HiGHS), compared with taking the ranking "
        "from the top, with a reason for each proposal. The run is stored and shown on the "
        "round page. 422 when the round has no proposals, no scores yet (objective `score`, "
        "which needs scoring closed) or when the must-funded proposals exceed a budget."
    ),
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def optimise_round(request: HttpRequest, round_id: int, payload: OptimiseIn | None = None):
    user = signed_in(request)
    round_ = permissions.get_round_for_user(user, round_id)
    objective = payload.objective if payload is not None else None
    run = optimise_services.optimise_round(user, round_, objective)
    view = optimise_queries.run_view(run, round_queries.entries_of(round_, user))
    if run.status == "infeasible":
        budgets = [
            _(
                "The proposals that must be funded need %(used)s of %(budget)s, "
                "which holds %(amount)s."
            )
            % {"used": line.used, "budget": line.name, "amount": line.amount}
            for line in view.over_budgets
        ]
        return problem(request, 422, view.status_line, errors={"budgets": budgets})
    return _optimisation_out(run, view)


# section: follow-up (criteria, follow-up and consultations owner)


class CriteriaRowOut(Schema):
    id: int
    label: str
    expense_low: Decimal | None = Field(
        description="In 1,000; equal to the maximum for one amount."
    )
    expense_high: Decimal | None
    expense_note: str
    expected_proposal: str
    expected_budget_year: int | None
    saving_low: Decimal | None = Field(description="Lasting yearly saving in 1,000, no sign.")
    saving_high: Decimal | None
    saving_area: BudgetArea | Literal[""]
    saving_note: str
    cross_cutting: Assessment | Literal[""]
    large_scale: Assessment | Literal[""]
    mature_technology: Assessment | Literal[""]


class CriteriaRowIn(InputSchema):
    id: Id | None = Field(None, description="A row of the table to change; none adds a row.")
    label: str = Field(max_length=300)
    expense_low: Decimal | None = Field(
        None, description="In 1,000; give one end alone for a single amount."
    )
    expense_high: Decimal | None = None
    expense_note: str = Field("", max_length=300)
    expected_proposal: str = Field("", max_length=300)
    expected_budget_year: int | None = None
    saving_low: Decimal | None = None
    saving_high: Decimal | None = None
    saving_area: BudgetArea | Literal[""] = ""
    saving_note: str = Field("", max_length=300)
    cross_cutting: Assessment | Literal[""] = ""
    large_scale: Assessment | Literal[""] = ""
    mature_technology: Assessment | Literal[""] = ""


class FollowUpOut(Schema):
    id: int
    criterion: str
    how_measured: str
    responsible: str
    responsible_user: PersonRef | None
    when: str
    due_on: date | None
    done_at: datetime | None
    overdue: bool = Field(description="Open and past its due date.")
    needs_date: bool = Field(description="A task of a decided proposal without a due date.")


class FollowUpIn(InputSchema):
    id: Id | None = Field(None, description="A follow-up to change; none adds one.")
    criterion: str = Field(max_length=500)
    how_measured: str = Field("", max_length=2000)
    responsible: str = Field("", max_length=200)
    responsible_user_id: Id | None = Field(
        None, description="A member of the proposal's organisation."
    )
    when: str = Field("", max_length=300)
    due_on: date | None = None


class FollowUpDoneIn(InputSchema):
    done: bool = Field(True, description="False opens the follow-up again.")


class ConsultationOut(Schema):
    id: int
    body: str
    guidance: str
    answer: ConsultationAnswer | Literal[""]
    answered_on: date | None
    note: str
    added: bool = Field(description="Added to the proposal, not one of its template's bodies.")


class ConsultationIn(InputSchema):
    id: Id | None = Field(None, description="A body of the proposal; none adds a body.")
    body: str = Field("", max_length=200, description="For a body added.")
    guidance: str = Field("", max_length=2000, description="For a body added.")
    answer: ConsultationAnswer | Literal[""] = ""
    answered_on: date | None = Field(None, description="Needed for yes and no.")
    note: str = Field("", max_length=2000)


def _table_problem(request: HttpRequest, error: followup_services.TableErrors):
    return problem(request, 422, _("Nothing was saved."), errors=error.rows)


def _writable(request: HttpRequest, proposal_id: int, allowed):
    user = signed_in(request)
    proposal = permissions.get_proposal_for_user(user, proposal_id)
    if not allowed(user, proposal):
        raise PermissionDenied
    return user, proposal


def _follow_ups_out(proposal) -> list:
    return followup_queries.follow_ups(proposal, timezone.localdate())


TABLE_PROBLEMS = problem_responses(401, 403, 404, 422)
TABLE_WRITE = (
    "The whole table, in order: an item with an `id` changes that row, one without adds a row, "
    "rows left out are removed. Nothing is saved when a row is refused: the answer is 422 "
    "with `errors`, one `{index, id, field, message}` per problem (index from 0)."
)


@router.get(
    "/proposals/{proposal_id}/criteria",
    response=list[CriteriaRowOut],
    tags=["proposals"],
    summary="The prioritisation criteria table (1.4) of a proposal",
    openapi_extra=problem_responses(401, 404, 422),
)
def list_criteria(request: HttpRequest, proposal_id: int):
    proposal = permissions.get_proposal_for_user(requester(request), proposal_id)
    return followup_queries.criteria_rows(proposal)


@router.put(
    "/proposals/{proposal_id}/criteria",
    response=list[CriteriaRowOut],
    tags=["proposals"],
    summary="Replace the prioritisation criteria table (those who may edit the proposal)",
    description=TABLE_WRITE,
    openapi_extra=TABLE_PROBLEMS,
)
def put_criteria(request: HttpRequest, proposal_id: int, payload: list[CriteriaRowIn]):
    user, proposal = _writable(request, proposal_id, permissions.can_edit_proposal)
    try:
        return followup_services.replace_criteria_rows(
            user, proposal, [item.dict() for item in payload]
        )
    except followup_services.TableErrors as error:
        return _table_problem(request, error)


@router.get(
    "/proposals/{proposal_id}/follow-ups",
    response=list[FollowUpOut],
    tags=["proposals"],
    summary="The follow-up table (1.7) of a proposal: tasks once it is approved",
    openapi_extra=problem_responses(401, 404, 422),
)
def list_follow_ups(request: HttpRequest, proposal_id: int):
    proposal = permissions.get_proposal_for_user(requester(request), proposal_id)
    return _follow_ups_out(proposal)


@router.put(
    "/proposals/{proposal_id}/follow-ups",
    response=list[FollowUpOut],
    tags=["proposals"],
    summary="Replace the follow-up table (those who may edit it, until the proposal is closed)",
    description=TABLE_WRITE + " Done follow-ups that stay keep that; see `…/done`.",
    openapi_extra=TABLE_PROBLEMS,
)
def put_follow_ups(request: HttpRequest, proposal_id: int, payload: list[FollowUpIn]):
    user, proposal = _writable(request, proposal_id, permissions.can_edit_follow_up)
    try:
        followup_services.replace_follow_ups(user, proposal, [item.dict() for item in payload])
    except followup_services.TableErrors as error:
        return _table_problem(request, error)
    return _follow_ups_out(proposal)


@router.post(
    "/proposals/{proposal_id}/follow-ups/{item_id}/done",
    response=FollowUpOut,
    tags=["proposals"],
    summary="Tick a follow-up done, or open it again (its responsible person, and those who "
    "may edit the follow-up table)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def follow_up_done(
    request: HttpRequest, proposal_id: int, item_id: int, payload: FollowUpDoneIn | None = None
):
    user = signed_in(request)
    proposal = permissions.get_proposal_for_user(user, proposal_id)
    item = followup_queries.get_follow_up(proposal, item_id)
    if payload is None or payload.done:
        followup_services.complete_follow_up(user, item)
    else:
        followup_services.reopen_follow_up(user, item)
    return followup_queries.describe_follow_up(item, timezone.localdate())


@router.get(
    "/proposals/{proposal_id}/consultations",
    response=list[ConsultationOut],
    tags=["proposals"],
    summary="Who has been heard: the bodies consulted on a proposal, their answers and dates",
    openapi_extra=problem_responses(401, 404, 422),
)
def list_consultations(request: HttpRequest, proposal_id: int):
    proposal = permissions.get_proposal_for_user(requester(request), proposal_id)
    return followup_queries.consultations(proposal)


@router.put(
    "/proposals/{proposal_id}/consultations",
    response=list[ConsultationOut],
    tags=["proposals"],
    summary="Record the consultations (those who may edit the proposal)",
    description=(
        "All answers, in order: an item with an `id` answers that body, one without adds a "
        "body (`body`, `guidance`). Yes and no need `answered_on`; not relevant needs none. "
        "Added bodies left out are removed; the template's bodies stay. Nothing is saved "
        "when an item is refused: 422 with `errors`, one `{index, id, field, message}` each."
    ),
    openapi_extra=TABLE_PROBLEMS,
)
def put_consultations(request: HttpRequest, proposal_id: int, payload: list[ConsultationIn]):
    user, proposal = _writable(request, proposal_id, permissions.can_edit_proposal)
    try:
        followup_services.replace_consultations(user, proposal, [item.dict() for item in payload])
    except followup_services.TableErrors as error:
        return _table_problem(request, error)
    return followup_queries.consultations(proposal)
