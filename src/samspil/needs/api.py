"""The needs and challenges API: the same reads, services and permission rules as the pages.

Writes need a signed-in person (a token, or the session with its CSRF token); records the
person may not see answer 404, records they see but may not change 403, bad input 422 —
all as RFC 9457 problem details (see ``samspil.api.api``).
"""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from samspil.api.pagination import PagePagination
from samspil.api.problems import problem_responses
from samspil.api.requests import requester, signed_in
from samspil.api.schemas import Id, InputSchema
from samspil.core import permissions
from samspil.core.models import (
    PUBLIC_SECTOR_KINDS,
    Country,
    Membership,
    Organisation,
    Role,
    User,
    Visibility,
)

from . import challenge_queries, queries, services, similarity
from .models import (
    DESCRIPTION_MAX,
    TITLE_MAX,
    Challenge,
    ChallengeStatus,
    Endorsement,
    Frequency,
    Need,
    NeedStatus,
    NestaStage,
    OpsiFacet,
    Theme,
)

router = Router()

Language = Literal["da", "nb", "sv", "en"]
MAX_COUNT = 2_147_483_647  # the largest number of people the database keeps
SIMILAR_MAX = 50


# Output ---------------------------------------------------------------------------------------


class OrganisationRef(Schema):
    id: int
    name: str


class EndorsementSummaryOut(Schema):
    count: int = Field(description="How many other organisations said “we have it too”.")
    affected_count: int = Field(description="People affected, summed over the endorsements.")
    hours_per_week: float = Field(description="Hours per week, summed over the endorsements.")
    organisations: list[OrganisationRef]


class NeedOut(Schema):
    id: int
    title: str
    description: str
    language: str
    status: NeedStatus
    status_reason: str
    visibility: Visibility
    organisation: OrganisationRef
    department: OrganisationRef | None
    affected_who: str
    affected_count: int | None
    frequency: str
    hours_per_week: float | None
    themes: list[str] = Field(description="Theme slugs.")
    saves_time: bool
    recognisable_elsewhere: bool
    anchored_in_management: bool
    merged_into_id: int | None
    created_at: datetime
    updated_at: datetime
    endorsements: EndorsementSummaryOut

    @staticmethod
    def resolve_organisation(need: Need) -> Organisation:
        return need.owner

    @staticmethod
    def resolve_hours_per_week(need: Need) -> float | None:
        return None if need.hours_per_week is None else float(need.hours_per_week)

    @staticmethod
    def resolve_themes(need: Need) -> list[str]:
        return [theme.slug for theme in need.themes.all()]

    @staticmethod
    def resolve_endorsements(need: Need) -> dict:
        summary = challenge_queries.endorsement_summary(need)
        return {
            "count": summary.count,
            "affected_count": summary.affected_count,
            "hours_per_week": float(summary.hours_per_week),
            "organisations": summary.organisations,
        }


class AbsorbedNeedOut(Schema):
    id: int
    title: str


class NeedDetailOut(NeedOut):
    absorbed: list[AbsorbedNeedOut] = Field(
        description="The needs merged into this one that you may see."
    )

    @staticmethod
    def resolve_absorbed(need: Need) -> list[Need]:
        return need.visible_absorbed  # type: ignore[attr-defined]


class EndorsementOut(Schema):
    id: int
    need_id: int
    organisation: OrganisationRef
    affected_count: int | None
    hours_per_week: float | None
    comment: str
    created_at: datetime

    @staticmethod
    def resolve_hours_per_week(endorsement: Endorsement) -> float | None:
        hours = endorsement.hours_per_week
        return None if hours is None else float(hours)


class SimilarNeedOut(Schema):
    id: int
    title: str
    organisation: OrganisationRef
    score: float = Field(description="Higher is more similar.")


class NeedRef(Schema):
    id: int
    title: str
    organisation: OrganisationRef

    @staticmethod
    def resolve_organisation(need: Need) -> Organisation:
        return need.owner


class CoOwnerOut(Schema):
    organisation: OrganisationRef
    status: str


class ChallengeOut(Schema):
    id: int
    title: str
    problem_statement: str
    affected_users: str
    success_criteria: str
    language: str
    status: ChallengeStatus
    visibility: Visibility
    organisation: OrganisationRef = Field(description="The lead organisation.")
    co_owners: list[CoOwnerOut]
    needs: list[NeedRef] = Field(description="The challenge's needs that you may see.")
    themes: list[str] = Field(description="Theme slugs.")
    opsi_facet: str
    trl: int | None
    nesta_stage: str
    saves_time: bool
    recognisable_elsewhere: bool
    anchored_in_management: bool
    is_scaling_candidate: bool = Field(
        description="Two or more owner organisations and all three CO-PI criteria met."
    )
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_organisation(challenge: Challenge) -> Organisation:
        return challenge.owner

    @staticmethod
    def resolve_co_owners(challenge: Challenge) -> list:
        return list(challenge.co_owners.all())

    @staticmethod
    def resolve_needs(challenge: Challenge) -> list[Need]:
        return challenge_queries.visible_needs_of(challenge)

    @staticmethod
    def resolve_themes(challenge: Challenge) -> list[str]:
        return [theme.slug for theme in challenge.themes.all()]


# Input ----------------------------------------------------------------------------------------


class NeedIn(InputSchema):
    title: str = Field(max_length=TITLE_MAX)
    description: str = Field(max_length=DESCRIPTION_MAX)
    visibility: Visibility = Visibility.INTERNAL
    language: Language | None = Field(None, description="Detected from the text when left out.")
    organisation_id: Id | None = Field(
        None,
        description="The public organisation the need is reported for; your first public "
        "organisation when left out.",
    )
    department_id: Id | None = None
    affected_who: str = Field("", max_length=200)
    affected_count: int | None = Field(None, ge=0, le=MAX_COUNT)
    frequency: Frequency | None = None
    hours_per_week: Decimal | None = Field(None, ge=0, le=100000, decimal_places=1)
    themes: list[str] = Field([], description="Theme slugs.")
    saves_time: bool = False
    recognisable_elsewhere: bool = False
    anchored_in_management: bool = False


class NeedPatch(InputSchema):
    """Only the fields sent are changed; ``status`` moves the need on the triage board."""

    title: str | None = Field(None, max_length=TITLE_MAX)
    description: str | None = Field(None, max_length=DESCRIPTION_MAX)
    visibility: Visibility | None = None
    language: Language | None = None
    department_id: Id | None = None
    affected_who: str | None = Field(None, max_length=200)
    affected_count: int | None = Field(None, ge=0, le=MAX_COUNT)
    frequency: Frequency | Literal[""] | None = None
    hours_per_week: Decimal | None = Field(None, ge=0, le=100000, decimal_places=1)
    themes: list[str] | None = None
    saves_time: bool | None = None
    recognisable_elsewhere: bool | None = None
    anchored_in_management: bool | None = None
    status: NeedStatus | None = Field(None, description="For innovation leads of the owner.")
    reason: str = Field("", max_length=2000, description="Required when rejecting.")


class EndorsementIn(InputSchema):
    organisation_id: Id = Field(description="Your public organisation that has the need too.")
    affected_count: int | None = Field(None, ge=0, le=MAX_COUNT)
    hours_per_week: Decimal | None = Field(None, ge=0, le=100000, decimal_places=1)
    comment: str = Field("", max_length=2000)


class ChallengeIn(InputSchema):
    title: str = Field(max_length=TITLE_MAX)
    problem_statement: str = Field(max_length=DESCRIPTION_MAX)
    need_ids: list[Id] = Field(min_length=1, max_length=100)
    organisation_id: Id | None = Field(
        None,
        description="The lead organisation (you are its innovation lead); your first such "
        "organisation when left out.",
    )
    co_owner_ids: list[Id] = Field(
        [], max_length=50, description="Public organisations invited as co-owners."
    )
    affected_users: str = Field("", max_length=2000)
    success_criteria: str = Field("", max_length=2000)
    language: Language | None = Field(None, description="Detected from the text when left out.")
    themes: list[str] | None = Field(
        None, description="Theme slugs; the needs' themes when left out."
    )
    status: ChallengeStatus = ChallengeStatus.OPEN
    visibility: Visibility = Visibility.INTERNAL
    opsi_facet: OpsiFacet | None = None
    trl: int | None = Field(None, ge=1, le=9)
    nesta_stage: NestaStage | None = None
    saves_time: bool = False
    recognisable_elsewhere: bool = False
    anchored_in_management: bool = False


class ChallengePatch(InputSchema):
    """Only the fields sent are changed."""

    title: str | None = Field(None, max_length=TITLE_MAX)
    problem_statement: str | None = Field(None, max_length=DESCRIPTION_MAX)
    need_ids: list[Id] | None = Field(None, min_length=1, max_length=100)
    affected_users: str | None = Field(None, max_length=2000)
    success_criteria: str | None = Field(None, max_length=2000)
    language: Language | None = None
    themes: list[str] | None = None
    status: ChallengeStatus | None = None
    visibility: Visibility | None = None
    opsi_facet: OpsiFacet | Literal[""] | None = None
    trl: int | None = Field(None, ge=1, le=9)
    nesta_stage: NestaStage | Literal[""] | None = None
    saves_time: bool | None = None
    recognisable_elsewhere: bool | None = None
    anchored_in_management: bool | None = None


class NeedFilters(Schema):
    search: str = Field("", max_length=200, description="Full text, in any of the languages.")
    status: NeedStatus | None = None
    organisation: int | None = Field(None, description="Owning organisation or department id.")
    country: Country | None = None
    theme: str | None = Field(None, description="A theme slug.")


class ChallengeFilters(Schema):
    search: str = Field("", max_length=200, description="Full text, in any of the languages.")
    status: ChallengeStatus | None = None
    organisation: int | None = Field(None, description="Lead or accepted co-owner organisation.")
    theme: str | None = Field(None, description="A theme slug.")
    scaling_candidate: bool = Field(False, description="Only scaling candidates.")


# Helpers --------------------------------------------------------------------------------------


def _themes(slugs: list[str]) -> list[Theme]:
    wanted = list(dict.fromkeys(slugs))
    themes = list(Theme.objects.filter(slug__in=wanted))
    unknown = sorted(set(wanted) - {t.slug for t in themes})
    if unknown:
        raise ValidationError(
            {"themes": _("Unknown theme: %(slugs)s.") % {"slugs": ", ".join(unknown)}}
        )
    return themes


def _check_theme(slug: str | None) -> str:
    if slug:
        _themes([slug])
    return slug or ""


def _organisation(user, pk: int) -> Organisation:
    return permissions.get_organisation_for_user(user, pk)


def _need_out(user, pk: int) -> Need:
    need = permissions.get_need_for_user(user, pk)
    found = challenge_queries.with_need_details(Need.objects.filter(pk=need.pk)).get()
    found.visible_absorbed = queries.absorbed_into(user, found)  # type: ignore[attr-defined]
    return found


def _challenge_out(user, pk: int) -> Challenge:
    challenge = permissions.get_challenge_for_user(user, pk)
    return challenge_queries.with_details(Challenge.objects.filter(pk=challenge.pk), user).get()


def _reporting_organisation(user: User, organisation_id: int | None) -> Organisation:
    if organisation_id is not None:
        return _organisation(user, organisation_id)
    membership = (
        Membership.objects.filter(user=user, organisation__kind__in=PUBLIC_SECTOR_KINDS)
        .select_related("organisation")
        .order_by("created_at", "pk")
        .first()
    )
    if membership is None:
        raise PermissionDenied
    return membership.organisation


def _leading_organisation(user: User, organisation_id: int | None) -> Organisation:
    if organisation_id is not None:
        return _organisation(user, organisation_id)
    membership = (
        Membership.objects.filter(
            user=user,
            organisation__kind__in=PUBLIC_SECTOR_KINDS,
            roles__code__in=[Role.Code.INNOVATION_LEAD, Role.Code.ADMIN],
        )
        .select_related("organisation")
        .order_by("created_at", "pk")
        .first()
    )
    if membership is None:
        raise PermissionDenied
    return membership.organisation


def _visible_needs(user, ids: list[int]) -> list[Need]:
    wanted = set(ids)
    needs = list(permissions.needs_visible_to(user).filter(pk__in=wanted))
    if len(needs) != len(wanted):
        raise Http404
    return needs


def _visible_organisations(user, ids: list[int]) -> list[Organisation]:
    wanted = set(ids)
    organisations = list(permissions.organisations_visible_to(user).filter(pk__in=wanted))
    if len(organisations) != len(wanted):
        raise Http404
    return organisations


# Needs ----------------------------------------------------------------------------------------


@router.get(
    "/needs",
    response=list[NeedOut],
    tags=["needs"],
    summary="Needs you may see, searched and filtered",
    openapi_extra=problem_responses(401, 422),
)
@paginate(PagePagination)
def list_needs(request: HttpRequest, filters: Query[NeedFilters]) -> QuerySet[Need]:
    needs = queries.search_needs(
        requester(request),
        # Punctuation alone searches nothing, rather than finding nothing.
        text=filters.search if challenge_queries.search_words(filters.search) else "",
        status=filters.status or "",
        organisation=filters.organisation,
        country=filters.country or "",
        theme=_check_theme(filters.theme),
    )
    return challenge_queries.with_need_details(needs)


@router.post(
    "/needs",
    response={201: NeedDetailOut},
    tags=["needs"],
    summary="Report a need",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def create_need(request: HttpRequest, payload: NeedIn):
    user = signed_in(request)
    fields = payload.dict()
    owner = _reporting_organisation(user, fields.pop("organisation_id"))
    department_id = fields.pop("department_id")
    if department_id is not None:
        fields["department"] = _organisation(user, department_id)
    fields["themes"] = _themes(fields["themes"])
    fields["frequency"] = fields["frequency"] or ""
    if fields["language"] is None:
        del fields["language"]
    need = services.report_need(user, owner, **fields)
    return Status(201, _need_out(user, need.pk))


@router.get(
    "/needs/{need_id}",
    response=NeedDetailOut,
    tags=["needs"],
    summary="One need",
    openapi_extra=problem_responses(401, 404, 422),
)
def get_need(request: HttpRequest, need_id: int) -> Need:
    return _need_out(requester(request), need_id)


@router.patch(
    "/needs/{need_id}",
    response=NeedDetailOut,
    tags=["needs"],
    summary="Change a need; innovation leads may also change its status",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def update_need(request: HttpRequest, need_id: int, payload: NeedPatch) -> Need:
    user = signed_in(request)
    need = permissions.get_need_for_user(user, need_id)
    fields = payload.dict(exclude_unset=True)
    status = fields.pop("status", None)
    reason = fields.pop("reason", "")
    if "department_id" in fields:
        department_id = fields.pop("department_id")
        fields["department"] = None if department_id is None else _organisation(user, department_id)
    if "themes" in fields:
        fields["themes"] = _themes(fields["themes"] or [])
    for text in ("affected_who", "frequency"):
        if text in fields and fields[text] is None:
            fields[text] = ""
    for name in (
        "visibility",
        "language",
        "saves_time",
        "recognisable_elsewhere",
        "anchored_in_management",
    ):
        if name in fields and fields[name] is None:
            del fields[name]
    with transaction.atomic():
        if fields:
            need = services.update_need(user, need, **fields)
        if status is not None:
            services.change_status(user, need, status, reason)
    return _need_out(user, need.pk)


@router.post(
    "/needs/{need_id}/endorsements",
    response={201: EndorsementOut},
    tags=["needs"],
    summary="“We have it too”: endorse another organisation's need with your own numbers",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def endorse_need(request: HttpRequest, need_id: int, payload: EndorsementIn):
    user = signed_in(request)
    need = permissions.get_need_for_user(user, need_id)
    organisation = _organisation(user, payload.organisation_id)
    endorsement = services.endorse_need(
        user,
        need,
        organisation,
        affected_count=payload.affected_count,
        hours_per_week=payload.hours_per_week,
        comment=payload.comment,
    )
    endorsement.refresh_from_db()
    return Status(201, endorsement)


@router.get(
    "/needs/{need_id}/similar",
    response=list[SimilarNeedOut],
    tags=["needs"],
    summary="The most similar needs of every organisation you may see, most similar first",
    openapi_extra=problem_responses(401, 404, 422),
)
def similar_needs(
    request: HttpRequest, need_id: int, limit: int = Query(10, ge=1, le=SIMILAR_MAX)
) -> list[dict]:
    user = requester(request)
    need = permissions.get_need_for_user(user, need_id)
    found = similarity.similar_needs(
        user, similarity.need_text(need.title, need.description), exclude_id=need.pk, limit=limit
    )
    return [
        {
            "id": other.pk,
            "title": other.title,
            "organisation": other.owner,
            "score": float(score),
        }
        for other, score in found
    ]


# Challenges -----------------------------------------------------------------------------------


@router.get(
    "/challenges",
    response=list[ChallengeOut],
    tags=["challenges"],
    summary="Challenges you may see, searched and filtered",
    openapi_extra=problem_responses(401, 422),
)
@paginate(PagePagination)
def list_challenges(request: HttpRequest, filters: Query[ChallengeFilters]) -> QuerySet[Challenge]:
    user = requester(request)
    challenges = challenge_queries.search_challenges(
        user,
        text=filters.search,
        status=filters.status or "",
        theme=_check_theme(filters.theme),
        organisation=filters.organisation,
        scaling_only=filters.scaling_candidate,
    )
    return challenge_queries.with_details(challenges, user)


@router.post(
    "/challenges",
    response={201: ChallengeOut},
    tags=["challenges"],
    summary="Make a challenge from needs (innovation leads)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def create_challenge(request: HttpRequest, payload: ChallengeIn):
    user = signed_in(request)
    fields = payload.dict()
    owner = _leading_organisation(user, fields.pop("organisation_id"))
    needs = _visible_needs(user, fields.pop("need_ids"))
    co_owners = _visible_organisations(user, fields.pop("co_owner_ids"))
    if fields["themes"] is not None:
        fields["themes"] = _themes(fields["themes"])
    for choice in ("opsi_facet", "nesta_stage"):
        fields[choice] = fields[choice] or ""
    if fields["language"] is None:
        del fields["language"]
    challenge = services.create_challenge(user, owner, needs, co_owners=co_owners, **fields)
    return Status(201, _challenge_out(user, challenge.pk))


@router.get(
    "/challenges/{challenge_id}",
    response=ChallengeOut,
    tags=["challenges"],
    summary="One challenge",
    openapi_extra=problem_responses(401, 404, 422),
)
def get_challenge(request: HttpRequest, challenge_id: int) -> Challenge:
    return _challenge_out(requester(request), challenge_id)


@router.patch(
    "/challenges/{challenge_id}",
    response=ChallengeOut,
    tags=["challenges"],
    summary="Change a challenge (innovation leads of its owner organisations)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def update_challenge(request: HttpRequest, challenge_id: int, payload: ChallengePatch):
    user = signed_in(request)
    challenge = permissions.get_challenge_for_user(user, challenge_id)
    fields = payload.dict(exclude_unset=True)
    if "need_ids" in fields:
        ids = fields.pop("need_ids")
        if ids is None:
            raise ValidationError({"need_ids": _("Choose at least one need.")})
        fields["needs"] = _visible_needs(user, ids)
    if "themes" in fields:
        fields["themes"] = _themes(fields["themes"] or [])
    for text in ("affected_users", "success_criteria", "opsi_facet", "nesta_stage"):
        if text in fields and fields[text] is None:
            fields[text] = ""
    for name in (
        "language",
        "status",
        "visibility",
        "saves_time",
        "recognisable_elsewhere",
        "anchored_in_management",
    ):
        if name in fields and fields[name] is None:
            del fields[name]
    services.update_challenge(user, challenge, **fields)
    return _challenge_out(user, challenge.pk)
