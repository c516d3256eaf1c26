"""The API of the public catalogue and adoptions.

- ``GET /api/public/results``: published results, anyone (no sign-in), paginated, with the
  catalogue's filters; ``GET /api/public/results/{id}``: one with its adoptions (404 for any
  result that is not published).
- ``POST /api/results/{id}/adoptions``: "we adopt this" (201; 409 for a second adoption by
  the same organisation; 422 for the publisher itself or an unpublished result; 403 without
  the right in the organisation); ``PATCH /api/results/{id}/adoptions/{adoption_id}``: the
  adopter's outcome.
"""

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from samspil.api.pagination import PagePagination
from samspil.api.problems import problem, problem_responses
from samspil.api.requests import signed_in
from samspil.api.schemas import Id, InputSchema
from samspil.core import permissions
from samspil.core.models import Country
from samspil.pilots.models import MaturityStage

from . import adoption_queries, adoption_services
from .models import (
    Adoption,
    AdoptionOutcome,
    Result,
    ResultKind,
    ResultOutcome,
)

router = Router()

KINDS = {*ResultKind.values, adoption_queries.RESULTS, adoption_queries.TEMPLATES}


class PublicOrganisationOut(Schema):
    id: int
    name: str
    country: str


class PublicAdoptionOut(Schema):
    id: int
    organisation: PublicOrganisationOut
    adopted_on: date
    outcome: AdoptionOutcome
    started: Literal["pilot", "procurement"] | None = Field(
        description="What the adopter started with it; null for nothing yet."
    )
    note: str

    @staticmethod
    def resolve_started(adoption) -> str | None:
        if adoption.pilot_id:
            return "pilot"
        return "procurement" if adoption.procurement_id else None


class PublicResultOut(Schema):
    id: int
    kind: ResultKind
    title: str
    summary: str
    outcome: str = Field(description="A result outcome, or empty.")
    stage: str = Field(description="A maturity stage, or empty.")
    themes: list[str] = Field(description="Theme slugs.")
    organisation: PublicOrganisationOut
    licence: str = Field(description="SPDX identifier of the licence of the text.")
    code_licence: str
    code_url: str
    published_at: datetime
    adoption_count: int
    url: str

    @staticmethod
    def resolve_themes(result) -> list[str]:
        return sorted(theme.slug for theme in result.themes.all())

    @staticmethod
    def resolve_organisation(result):
        return result.owner

    @staticmethod
    def resolve_adoption_count(result) -> int:
        count = getattr(result, "adoption_count", None)
        if count is None:
            count = len(result.result_adoptions.all())
        return count

    @staticmethod
    def resolve_url(result) -> str:
        return adoption_queries.result_link(result)


class PublicResultDetailOut(PublicResultOut):
    tried: str
    came_of_it: str
    figures: list
    contact_name: str
    contact_email: str
    adoptions: list[PublicAdoptionOut]

    @staticmethod
    def resolve_adoptions(result) -> list:
        return list(result.result_adoptions.all())


class PublicResultFilters(Schema):
    country: Country | None = Field(None, description="The publishing organisation's country.")
    theme: str = Field("", max_length=50, description="A theme's slug.")
    stage: MaturityStage | None = None
    outcome: ResultOutcome | None = None
    kind: str = Field(
        "",
        max_length=20,
        description='A kind of result, "results" for every result of a case, or "templates" '
        "for every template and guide.",
    )
    q: str = Field("", max_length=100, description="Words in the title or texts.")


@router.get(
    "/public/results",
    response=list[PublicResultOut],
    tags=["open data"],
    summary="Published results, newest first (anyone, no sign-in needed)",
    openapi_extra=problem_responses(422),
)
@paginate(PagePagination)
def list_public_results(request: HttpRequest, filters: Query[PublicResultFilters]) -> QuerySet:
    if filters.kind and filters.kind not in KINDS:
        raise ValidationError({"kind": _("Choose a known kind of result.")})
    return adoption_queries.public_result_list(
        country=filters.country or "",
        theme=filters.theme,
        stage=filters.stage or "",
        outcome=filters.outcome or "",
        kind=filters.kind,
        q=filters.q,
    )


@router.get(
    "/public/results/{result_id}",
    response=PublicResultDetailOut,
    tags=["open data"],
    summary="One published result with its adoptions (anyone, no sign-in needed)",
    openapi_extra=problem_responses(404, 422),
)
def get_public_result(request: HttpRequest, result_id: int) -> Result:
    return adoption_queries.get_public_result(result_id)


class AdoptionIn(InputSchema):
    organisation_id: Id = Field(description="The adopting organisation.")
    start: Literal["pilot", "procurement", "none"] = Field(
        "none", description="Start a linked pilot or procurement in it, or nothing yet."
    )
    note: str = Field("", max_length=adoption_services.NOTE_MAX)


class AdoptionPatch(InputSchema):
    outcome: AdoptionOutcome
    note: str = Field("", max_length=adoption_services.NOTE_MAX)


class AdoptionOut(PublicAdoptionOut):
    result_id: int
    pilot_id: int | None
    procurement_id: int | None
    pilot_url: str | None = None
    procurement_url: str | None = None

    @staticmethod
    def resolve_pilot_url(adoption) -> str | None:
        return adoption.pilot.get_absolute_url() if adoption.pilot_id else None

    @staticmethod
    def resolve_procurement_url(adoption) -> str | None:
        return adoption.procurement.get_absolute_url() if adoption.procurement_id else None


@router.post(
    "/results/{result_id}/adoptions",
    response={201: AdoptionOut},
    tags=["results"],
    summary="We adopt this: an organisation takes up a published result, optionally "
    "starting a linked pilot or procurement",
    openapi_extra=problem_responses(401, 403, 404, 409, 422),
)
def create_adoption(request: HttpRequest, result_id: int, payload: AdoptionIn):
    user = signed_in(request)
    result = permissions.get_result_for_user(user, result_id)
    organisation = permissions.get_organisation_for_user(user, payload.organisation_id)
    try:
        adoption = adoption_services.adopt_result(
            user, result, organisation, start=payload.start, note=payload.note
        )
    except adoption_services.AlreadyAdopted as error:
        return problem(request, 409, " ".join(error.messages), errors=error.message_dict)
    return Status(201, adoption)


@router.patch(
    "/results/{result_id}/adoptions/{adoption_id}",
    response=AdoptionOut,
    tags=["results"],
    summary="The adopter's outcome: in use, procured or stopped, with a note",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def update_adoption(
    request: HttpRequest, result_id: int, adoption_id: int, payload: AdoptionPatch
) -> Adoption:
    user = signed_in(request)
    adoption = adoption_queries.get_adoption_for_user(user, result_id, adoption_id)
    return adoption_services.update_outcome(
        user, adoption, outcome=payload.outcome, note=payload.note
    )
