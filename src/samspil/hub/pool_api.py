"""The API of competences and assignments: the competence pools the caller may see, adding a
person to a pool, and assigning a person to a pilot or an event — the same reads, services
and permission rules as the pool pages."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from samspil.api.pagination import PagePagination
from samspil.api.problems import problem_responses
from samspil.api.requests import leading_organisation, requester, signed_in
from samspil.api.schemas import Id, InputSchema
from samspil.core import permissions
from samspil.core.models import User

from . import pool_queries, pool_services
from .models import Assignment, Competence, PoolMember

router = Router()


class PoolOrganisationRef(Schema):
    id: int
    name: str


class PoolPersonRef(Schema):
    id: int
    name: str
    job_title: str

    @staticmethod
    def resolve_name(user) -> str:
        return user.get_full_name() or user.email


class AssignmentOut(Schema):
    id: int
    member_id: int
    pilot_id: int | None
    event_id: int | None
    competence: str = Field(description="A competence code, or empty.")
    starts_on: date
    ends_on: date
    percent: int = Field(description="Share of the person's time on each day of the period.")


class PoolMemberOut(Schema):
    id: int
    organisation: PoolOrganisationRef
    person: PoolPersonRef
    hub_id: int | None
    competences: list[Competence]
    available_percent: int = Field(description="Share of their time the person can give.")
    note: str
    assignments: list[AssignmentOut]

    @staticmethod
    def resolve_person(member):
        return member.user

    @staticmethod
    def resolve_assignments(member) -> list:
        return list(member.assignments.all())


class PoolFilters(Schema):
    organisation_id: int | None = Field(None, description="One organisation's pool.")
    competence: Competence | None = Field(None, description="People holding this competence.")


class PoolMemberIn(InputSchema):
    organisation_id: Id | None = Field(
        None, description="The pool's organisation; your first where you lead innovation."
    )
    user_id: Id = Field(description="A member of the organisation (or of one above it).")
    competences: list[Competence] = Field(min_length=1, max_length=len(Competence.values))
    available_percent: int = Field(ge=1, le=100)
    note: str = Field("", max_length=300)
    hub_id: Id | None = Field(None, description="A hub of the organisation.")


class AssignmentFilters(Schema):
    organisation_id: int | None = None
    member_id: int | None = None


class AssignmentIn(InputSchema):
    member_id: Id = Field(description="A person in a pool you manage.")
    pilot_id: Id | None = Field(None, description="A pilot you may see; or an event.")
    event_id: Id | None = Field(None, description="An event you may see; or a pilot.")
    competence: Competence | None = None
    starts_on: date
    ends_on: date = Field(description="Not before starts_on.")
    percent: int = Field(
        ge=1,
        le=100,
        description="Refused (422) when the person's assignments would then take more than "
        "their available share on any day of the period.",
    )


def _members(user) -> QuerySet[PoolMember]:
    return (
        permissions.pool_members_visible_to(user)
        .select_related("organisation", "user")
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.order_by("starts_on", "pk"))
        )
        .order_by("organisation__name", "user__last_name", "user__first_name", "pk")
    )


def _renamed(error: ValidationError, names: dict[str, str]) -> ValidationError:
    errors = dict(error.message_dict)
    for old, new in names.items():
        if old in errors:
            errors[new] = errors.pop(old)
    return ValidationError(errors)


@router.get(
    "/competences",
    response=list[PoolMemberOut],
    tags=["hub"],
    summary="People in the competence pools you may see, with their competences, available "
    "share and assignments",
    openapi_extra=problem_responses(401, 422),
)
@paginate(PagePagination)
def list_competences(request: HttpRequest, filters: Query[PoolFilters]) -> QuerySet:
    rows = _members(requester(request))
    if filters.organisation_id is not None:
        rows = rows.filter(organisation_id=filters.organisation_id)
    if filters.competence:
        rows = pool_queries.with_competence(rows, filters.competence)
    return rows


def _member_out(user, pk: int) -> PoolMember:
    return _members(user).get(pk=pk)


@router.post(
    "/competences",
    response={201: PoolMemberOut},
    tags=["hub"],
    summary="Add a person to a competence pool (its organisation's innovation leads and admins)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def add_pool_member(request: HttpRequest, payload: PoolMemberIn):
    user = signed_in(request)
    organisation = leading_organisation(user, payload.organisation_id)
    if not permissions.can_manage_pool(user, organisation):
        raise PermissionDenied
    hub = None
    if payload.hub_id is not None:
        hub = permissions.hubs_visible_to(user).filter(pk=payload.hub_id).first()
        if hub is None:
            raise ValidationError({"hub_id": _("Choose a hub you may see.")})
    person = User.objects.filter(pk=payload.user_id).first()
    try:
        member = pool_services.add_member(
            user,
            organisation,
            person,
            competences=[str(c) for c in payload.competences],
            available_percent=payload.available_percent,
            note=payload.note,
            hub=hub,
        )
    except ValidationError as error:
        raise _renamed(error, {"user": "user_id", "hub": "hub_id"}) from None
    return Status(201, _member_out(user, member.pk))


@router.get(
    "/assignments",
    response=list[AssignmentOut],
    tags=["hub"],
    summary="Assignments of the people in the competence pools you may see",
    openapi_extra=problem_responses(401, 422),
)
@paginate(PagePagination)
def list_assignments(request: HttpRequest, filters: Query[AssignmentFilters]) -> QuerySet:
    visible = permissions.pool_members_visible_to(requester(request))
    if filters.organisation_id is not None:
        visible = visible.filter(organisation_id=filters.organisation_id)
    if filters.member_id is not None:
        visible = visible.filter(pk=filters.member_id)
    return Assignment.objects.filter(member__in=visible.values("pk")).order_by(
        "member", "starts_on", "pk"
    )


def _target(queryset, pk: int | None, field: str, message: str):
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: message})
    return found


@router.post(
    "/assignments",
    response={201: AssignmentOut},
    tags=["hub"],
    summary="Assign a person of a pool to a pilot or an event for a period with a share of "
    "their time (the pool organisation's innovation leads and admins)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def add_assignment(request: HttpRequest, payload: AssignmentIn):
    user = signed_in(request)
    member = pool_queries.get_member_for_user(user, payload.member_id)
    if not permissions.can_manage_pool(user, member.organisation):
        raise PermissionDenied
    pilot = _target(
        permissions.pilots_visible_to(user),
        payload.pilot_id,
        "pilot_id",
        _("Choose a pilot you may see."),
    )
    event = _target(
        permissions.events_visible_to(user),
        payload.event_id,
        "event_id",
        _("Choose an event you may see."),
    )
    try:
        assignment = pool_services.assign(
            user,
            member,
            pilot=pilot,
            event=event,
            competence=str(payload.competence or ""),
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            percent=payload.percent,
        )
    except ValidationError as error:
        raise _renamed(error, {"pilot": "pilot_id"}) from None
    return Status(201, assignment)
