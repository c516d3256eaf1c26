from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from samspil.api.pagination import PagePagination
from samspil.api.problems import problem_responses
from samspil.api.requests import requester, signed_in

from . import permissions, queries
from .models import Organisation, OrganisationKind

router = Router(tags=["core"])


class OrganisationOut(Schema):
    id: int
    name: str
    slug: str
    kind: str
    country: str
    national_id: str
    parent_id: int | None
    currency: str
    theme_colour: str
    website: str
    visibility: str


class MembershipOut(Schema):
    organisation: OrganisationOut
    roles: list[str]


class MeOut(Schema):
    id: int
    username: str
    email: str
    first_name: str
    last_name: str
    language: str
    memberships: list[MembershipOut]


@router.get(
    "/me",
    response=MeOut,
    summary="The signed-in person and their memberships",
    openapi_extra=problem_responses(401),
)
def me(request: HttpRequest):
    user = signed_in(request)
    memberships = user.memberships.select_related("organisation").prefetch_related("roles")
    return {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.language,
        "memberships": [
            {
                "organisation": m.organisation,
                "roles": ["member", *sorted(r.code for r in m.roles.all())],
            }
            for m in memberships
        ],
    }


@router.get(
    "/organisations",
    response=list[OrganisationOut],
    summary="Organisations you may see",
    openapi_extra=problem_responses(401, 422),
)
@paginate(PagePagination)
def list_organisations(
    request: HttpRequest, kind: OrganisationKind | None = None, country: str | None = None
):
    return queries.search_organisations(
        requester(request),
        kind=kind or "",
        country=country or "",
    )


@router.get(
    "/organisations/{organisation_id}",
    response=OrganisationOut,
    summary="One organisation",
    openapi_extra=problem_responses(401, 404, 422),
)
def get_organisation(request: HttpRequest, organisation_id: int) -> Organisation:
    return permissions.get_organisation_for_user(requester(request), organisation_id)
