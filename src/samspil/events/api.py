"""The events API: the same reads, services and permission rules as the pages.

Reads are open (anonymous visitors see public events); creating and changing an event
needs a signed-in innovation lead or organiser; registering follows the registration page's
rules (an open event the caller sees, or an invite-only event with its invitation token).
"""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, QuerySet, Value
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from samspil.api.pagination import PagePagination
from samspil.api.problems import problem, problem_responses
from samspil.api.requests import leading_organisation, requester, signed_in
from samspil.api.schemas import Id, InputSchema
from samspil.core import permissions
from samspil.core.models import Organisation, User, Visibility
from samspil.optimisation.grouping import AttributeWeights

from . import judging_services as judging
from . import queries, services, team_queries
from .models import (
    TEXT_MAX,
    TITLE_MAX,
    Background,
    Event,
    EventKind,
    RegistrationMode,
    RegistrationStatus,
    Submission,
    SubmissionFile,
)

router = Router()


class OrganisationRef(Schema):
    id: int
    name: str


class PersonRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(user: User) -> str:
        return str(user)


class ChallengeRef(Schema):
    id: int
    title: str


class EventOut(Schema):
    id: int
    title: str
    kind: EventKind
    place: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    seats_left: int
    waiting_count: int = Field(description="People on the waiting list.")
    registration_deadline: datetime | None
    registration_mode: RegistrationMode
    terms: str
    agenda: str
    visibility: Visibility
    submission_deadline: datetime | None
    winner_count: int
    winners_published_at: datetime | None
    hourly_rate: Decimal | None = Field(description="Price of a staff hour, if set.")
    concept_id: int | None = Field(description="The event concept it was made from.")
    organisation: OrganisationRef
    organisers: list[PersonRef]
    challenges: list[ChallengeRef] = Field(description="The event's challenges that you may see.")
    ics_url: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_organisation(event: Event) -> Organisation:
        return event.owner

    @staticmethod
    def resolve_organisers(event: Event) -> list[User]:
        return list(event.organisers.all())

    @staticmethod
    def resolve_challenges(event: Event, context) -> list:
        return queries.visible_challenges_of(context["request"].auth, event)

    @staticmethod
    def resolve_ics_url(event: Event) -> str:
        return f"{event.get_absolute_url()}event.ics"

    @staticmethod
    def resolve_waiting_count(event: Event) -> int:
        count = getattr(event, "waiting_count", None)
        if count is None:
            count = event.registrations.filter(status=RegistrationStatus.WAITING).count()
        return count


class EventIn(InputSchema):
    title: str = Field(max_length=TITLE_MAX)
    kind: EventKind
    organisation_id: Id | None = Field(
        None, description="The organising organisation; your first where you lead innovation."
    )
    place: str = Field("", max_length=300)
    starts_at: datetime
    ends_at: datetime
    capacity: int = Field(ge=1, le=services.CAPACITY_MAX)
    registration_deadline: datetime | None = None
    registration_mode: RegistrationMode = RegistrationMode.OPEN
    terms: str = Field("", max_length=TEXT_MAX)
    agenda: str = Field("", max_length=TEXT_MAX)
    visibility: Visibility = Visibility.INTERNAL
    submission_deadline: datetime | None = None
    winner_count: int = Field(3, ge=1, le=100)
    hourly_rate: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    challenge_ids: list[Id] = Field(default_factory=list)
    organiser_ids: list[Id] = Field(
        default_factory=list, description="People of the organisation; you when left out."
    )


class EventPatch(InputSchema):
    title: str | None = Field(None, max_length=TITLE_MAX)
    kind: EventKind | None = None
    place: str | None = Field(None, max_length=300)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    capacity: int | None = Field(None, ge=1, le=services.CAPACITY_MAX)
    registration_deadline: datetime | None = None
    registration_mode: RegistrationMode | None = None
    terms: str | None = Field(None, max_length=TEXT_MAX)
    agenda: str | None = Field(None, max_length=TEXT_MAX)
    visibility: Visibility | None = None
    submission_deadline: datetime | None = None
    winner_count: int | None = Field(None, ge=1, le=100)
    hourly_rate: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    challenge_ids: list[Id] | None = None
    organiser_ids: list[Id] | None = None


class RegistrationIn(InputSchema):
    name: str = Field(max_length=200)
    email: str = Field(max_length=254)
    organisation: str = Field("", max_length=200)
    background: Background
    skills: list[str] = Field(default_factory=list, max_length=30)
    accepted_terms: bool = False
    invitation_token: str = Field("", max_length=100)
    language: str = Field("en", pattern="^(da|nb|sv|en)$")


class RegistrationOut(Schema):
    id: int
    event_id: int
    name: str
    email: str
    status: RegistrationStatus
    waiting_list: bool = Field(description="True when the event was full.")

    @staticmethod
    def resolve_waiting_list(registration) -> bool:
        return registration.status == RegistrationStatus.WAITING


class EventFilters(Schema):
    when: str = Field("upcoming", pattern="^(upcoming|past)$")
    kind: EventKind | None = None


def _event_out(user, pk: int) -> Event:
    return queries.event_with_details(user, pk)


def _challenges(user, ids: list[int]) -> list:
    wanted = set(ids)
    found = list(permissions.challenges_visible_to(user).filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise ValidationError({"challenge_ids": _("Choose challenges you may see.")})
    return found


def _organisers(ids: list[int]) -> list[User]:
    return list(User.objects.filter(pk__in=set(ids)))


@router.get(
    "/events",
    response=list[EventOut],
    tags=["events"],
    summary="Events you may see, upcoming or past",
    openapi_extra=problem_responses(401, 422),
)
@paginate(PagePagination)
def list_events(request: HttpRequest, filters: Query[EventFilters]) -> QuerySet[Event]:
    user = requester(request)
    return queries.with_relations(
        queries.search_events(user, when=filters.when, kind=filters.kind or ""), user
    )


@router.post(
    "/events",
    response={201: EventOut},
    tags=["events"],
    summary="Create an event (innovation leads)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def create_event(request: HttpRequest, payload: EventIn):
    user = signed_in(request)
    fields = payload.dict()
    owner = leading_organisation(user, fields.pop("organisation_id"))
    challenges = _challenges(user, fields.pop("challenge_ids"))
    organiser_ids = fields.pop("organiser_ids")
    event = services.create_event(
        user,
        owner,
        challenges=challenges,
        organisers=_organisers(organiser_ids) if organiser_ids else None,
        **fields,
    )
    return Status(201, _event_out(user, event.pk))


@router.get(
    "/events/{event_id}",
    response=EventOut,
    tags=["events"],
    summary="One event",
    openapi_extra=problem_responses(401, 404, 422),
)
def get_event(request: HttpRequest, event_id: int) -> Event:
    return _event_out(requester(request), event_id)


@router.patch(
    "/events/{event_id}",
    response=EventOut,
    tags=["events"],
    summary="Change an event (innovation leads of its organisation, organisers)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def update_event(request: HttpRequest, event_id: int, payload: EventPatch) -> Event:
    user = signed_in(request)
    event = permissions.get_event_for_user(user, event_id)
    fields = payload.dict(exclude_unset=True)
    if "challenge_ids" in fields:
        fields["challenges"] = _challenges(user, fields.pop("challenge_ids") or [])
    if "organiser_ids" in fields:
        fields["organisers"] = _organisers(fields.pop("organiser_ids") or [])
    for name in ("place", "terms", "agenda"):
        if name in fields and fields[name] is None:
            fields[name] = ""
    for name in (
        "title",
        "kind",
        "starts_at",
        "ends_at",
        "capacity",
        "registration_mode",
        "winner_count",
    ):
        if name in fields and fields[name] is None:
            del fields[name]
    if "visibility" in fields and fields["visibility"] is None:
        del fields["visibility"]
    services.update_event(user, event, **fields)
    return _event_out(user, event.pk)


@router.post(
    "/events/{event_id}/registrations",
    response={201: RegistrationOut},
    tags=["events"],
    summary="Register for an event (open events you see, or with the invitation token)",
    openapi_extra=problem_responses(401, 404, 422),
)
def create_registration(request: HttpRequest, event_id: int, payload: RegistrationIn):
    user = requester(request)
    event = Event.objects.filter(pk=event_id).first()
    if event is None or not services.can_register(user, event, payload.invitation_token):
        raise Http404
    try:
        result = services.register(
            user,
            event,
            name=payload.name,
            email=payload.email,
            organisation=payload.organisation,
            background=payload.background,
            skills=payload.skills,
            accepted_terms=payload.accepted_terms,
            invitation_token=payload.invitation_token,
            language=payload.language,
        )
    except PermissionDenied:
        raise Http404 from None
    return Status(201, result.registration)


class WeightsIn(InputSchema):
    background: float = Field(1.0, ge=0, le=services.WEIGHT_MAX)
    organisation: float = Field(1.0, ge=0, le=services.WEIGHT_MAX)
    skills: float = Field(1.0, ge=0, le=services.WEIGHT_MAX)


class PinIn(InputSchema):
    participant_id: Id = Field(description="A registration id.")
    group: int = Field(ge=1, le=services.GROUP_COUNT_MAX, description="Numbered from 1.")


class GroupingIn(InputSchema):
    group_count: int | None = Field(
        None, ge=1, le=services.GROUP_COUNT_MAX, description="Give this or group_size."
    )
    group_size: int | None = Field(None, ge=1, le=services.GROUP_COUNT_MAX)
    min_size: int | None = Field(
        None, ge=0, le=services.GROUP_COUNT_MAX, description="Equal sizes when left out."
    )
    max_size: int | None = Field(None, ge=0, le=services.GROUP_COUNT_MAX)
    weights: WeightsIn | None = Field(None, description="Each 1.0 when left out.")
    together: list[tuple[Id, Id]] = Field(
        default_factory=list,
        max_length=services.RULES_MAX,
        description="Pairs of registration ids that must share a group.",
    )
    apart: list[tuple[Id, Id]] = Field(
        default_factory=list,
        max_length=services.RULES_MAX,
        description="Pairs of registration ids that must be in different groups.",
    )
    pinned: list[PinIn] = Field(default_factory=list, max_length=services.RULES_MAX)


class GroupMemberOut(Schema):
    id: int = Field(description="The registration id.")
    name: str


class GroupOut(Schema):
    number: int
    members: list[GroupMemberOut]
    backgrounds: dict[str, int]
    organisations: dict[str, int]
    skills: dict[str, int]
    diversity: float


class GroupingOut(Schema):
    event_id: int
    score: float = Field(description="Diversity against the mean random split (1.0 = random).")
    objective: float
    random_objective: float
    groups: list[GroupOut]


def _grouping_out(event: Event, view: services.GroupingView) -> dict:
    return {
        "event_id": event.pk,
        "score": view.score,
        "objective": view.objective,
        "random_objective": view.grouping.random_objective,
        "groups": [
            {
                "number": g.number,
                "members": [{"id": r.pk, "name": r.name} for r in g.members],
                "backgrounds": g.mix.backgrounds,
                "organisations": g.mix.organisations,
                "skills": g.mix.skills,
                "diversity": g.mix.diversity,
            }
            for g in view.groups
        ],
    }


@router.post(
    "/events/{event_id}/grouping",
    response={200: GroupingOut},
    tags=["events"],
    summary="Form maximally diverse groups of the participants and store them (organisers)",
    description=(
        "Groups the attending participants (every confirmed one while attendance is not "
        "marked). Impossible rules answer 422 with `errors`: one `{code, message, params}` "
        "per reason; nothing is stored."
    ),
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def form_grouping(request: HttpRequest, event_id: int, payload: GroupingIn):
    user = signed_in(request)
    event = permissions.get_event_for_user(user, event_id)
    if not permissions.can_organise_event(user, event):
        raise PermissionDenied
    settings = services.GroupingSettings(
        group_count=payload.group_count,
        group_size=payload.group_size,
        min_size=payload.min_size,
        max_size=payload.max_size,
        weights=AttributeWeights(**payload.weights.dict())
        if payload.weights
        else AttributeWeights(),
        together=[(a, b) for a, b in payload.together],
        apart=[(a, b) for a, b in payload.apart],
        pinned={pin.participant_id: pin.group for pin in payload.pinned},
    )
    try:
        view = services.form_groups(user, event, settings)
    except services.GroupingInfeasible as error:
        return problem(
            request,
            422,
            _("These groups cannot be formed. Nothing was saved."),
            errors=error.reasons,
        )
    return _grouping_out(event, view)


# Teams and submissions --------------------------------------------------------------------------


class SubmissionTeamRef(Schema):
    id: int
    name: str


class SubmissionFileOut(Schema):
    id: int
    name: str = Field(description="The file name as uploaded.")
    kind: SubmissionFile.Kind
    content_type: str
    size: int = Field(description="In bytes.")
    url: str = Field(description="Download (images are shown inline); needs the same rights.")

    @staticmethod
    def resolve_name(record: SubmissionFile) -> str:
        return record.original_name

    @staticmethod
    def resolve_url(record: SubmissionFile) -> str:
        team = record.submission.team
        return reverse("events:submission-file", args=[team.event_id, team.pk, record.pk])


class SubmissionOut(Schema):
    id: int
    team: SubmissionTeamRef
    members: list[str] | None = Field(
        description="The members' names: for organisers and jurors only, else null."
    )
    member_count: int
    challenge_id: int | None
    title: str
    summary: str
    problem_solved: str
    links: list[str]
    files: list[SubmissionFileOut]
    submitted_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_members(submission: Submission) -> list[str] | None:
        if not getattr(submission, "members_shown", False):
            return None
        return [m.name for m in submission.team.members.all()]

    @staticmethod
    def resolve_member_count(submission: Submission) -> int:
        return len(submission.team.members.all())

    @staticmethod
    def resolve_challenge_id(submission: Submission) -> int | None:
        return submission.team.challenge_id

    @staticmethod
    def resolve_links(submission: Submission) -> list[str]:
        return submission.link_list

    @staticmethod
    def resolve_files(submission: Submission) -> list[SubmissionFile]:
        return list(submission.files.all())


@router.get(
    "/events/{event_id}/submissions",
    response=list[SubmissionOut],
    tags=["events"],
    summary="The teams' submissions (organisers, jurors and confirmed participants)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
@paginate(PagePagination)
def list_submissions(request: HttpRequest, event_id: int) -> QuerySet[Submission]:
    user = requester(request)
    event = permissions.get_event_for_user(user, event_id)
    if not permissions.can_see_submissions(user, event):
        raise PermissionDenied
    names = permissions.can_organise_event(user, event) or permissions.is_juror(user, event)
    return team_queries.submissions_of(event).annotate(
        members_shown=Value(names, output_field=BooleanField())
    )


# Report: requirements learned -------------------------------------------------------------------


class LearnedRequirementOut(Schema):
    id: int
    position: int = Field(description="The line's place in the list, from 1.")
    text: str
    created_at: datetime


@router.get(
    "/events/{event_id}/requirements-learned",
    response=list[LearnedRequirementOut],
    tags=["events"],
    summary="What the event taught about the requirement specification, in order",
    description=(
        "Everyone who may see the event may read its requirements learned, so that "
        "procurements of other organisations can pick them up."
    ),
    openapi_extra=problem_responses(401, 404, 422),
)
def list_learned_requirements(request: HttpRequest, event_id: int):
    event = permissions.get_event_for_user(requester(request), event_id)
    return list(event.learned_requirements.order_by("position", "pk"))


# Judging: the ranking ---------------------------------------------------------------------------


class RankingCriterionOut(Schema):
    id: int
    name: str
    description: str
    weight: float
    position: int = Field(description="The criterion's place in the list, from 1.")


class RankingTeamOut(Schema):
    id: int
    name: str


class CriterionMeanOut(Schema):
    criterion_id: int
    mean: float | None = Field(description="The jurors' mean (1 to 5); null when unscored.")


class RankedSubmissionOut(Schema):
    rank: int = Field(description="From 1; equal after every tie rule ⇒ a shared rank.")
    submission_id: int
    team: RankingTeamOut
    title: str
    weighted_score: float | None = Field(
        description="Σ weight · mean ÷ Σ weight, on the scale 1 to 5; null when unscored."
    )
    means: list[CriterionMeanOut]
    winner: bool
    complete: bool = Field(description="Every juror who may judge it has scored it.")


class RankingOut(Schema):
    event_id: int
    criteria: list[RankingCriterionOut]
    all_scored: bool
    published: bool
    published_at: datetime | None
    winner_count: int
    ranking: list[RankedSubmissionOut]


@router.get(
    "/events/{event_id}/ranking",
    response=RankingOut,
    tags=["events"],
    summary="The jury's ranking of the submissions, with the winners",
    description=(
        "Organisers and jurors may read it once every juror has scored every submission; "
        "everyone who sees the event once the winners are published. Before that: 403. "
        "Ties: equal weighted scores are ranked by the mean on the highest-weighted "
        "criterion, then the next, then by the earlier submission; still equal ⇒ a shared "
        "rank (1, 2, 2, 4)."
    ),
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def get_ranking(request: HttpRequest, event_id: int):
    user = requester(request)
    event = permissions.get_event_for_user(user, event_id)
    state = judging.judging_state(event)
    if not judging.can_see_ranking(user, event, state):
        return problem(request, 403, _("The ranking is not available yet."))
    return {
        "event_id": event.pk,
        "criteria": [
            {
                "id": c.pk,
                "name": c.name,
                "description": c.description,
                "weight": float(c.weight),
                "position": index,
            }
            for index, c in enumerate(state.criteria, start=1)
        ],
        "all_scored": state.all_scored,
        "published": state.published,
        "published_at": event.winners_published_at,
        "winner_count": event.winner_count,
        "ranking": [
            {
                "rank": r.rank,
                "submission_id": r.submission.pk,
                "team": {"id": r.submission.team_id, "name": r.team_name},
                "title": r.title,
                "weighted_score": r.weighted,
                "means": [{"criterion_id": m.criterion.pk, "mean": m.mean} for m in r.means],
                "winner": r.is_winner,
                "complete": r.complete,
            }
            for r in judging.ranking_for(event, state)
        ],
    }
