"""The API of suppliers: the directory (public), the suggested suppliers of a challenge
(public-sector users who see it) and suppliers' registrations of interest — the same reads,
services and permission rules as the pages."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.pagination import paginate

from samspil.api.pagination import PagePagination
from samspil.api.problems import problem_responses
from samspil.api.requests import requester, signed_in
from samspil.api.schemas import Id, InputSchema
from samspil.core import permissions
from samspil.core.models import Country, Organisation

from . import supplier_queries as queries
from . import supplier_services as services
from .models import TEXT_MAX, CompanySize, InterestStatus, SupplierProfile

router = Router()


class SupplierOrganisationRef(Schema):
    id: int
    name: str
    country: str


class SupplierOut(Schema):
    organisation: SupplierOrganisationRef
    offer: str
    competences: list[str]
    references: str
    size: str = Field(description="micro, small, medium, large; empty when not given.")
    countries_served: list[str]
    contact_email: str
    website: str
    url: str

    @staticmethod
    def resolve_website(profile: SupplierProfile) -> str:
        return profile.organisation.website

    @staticmethod
    def resolve_url(profile: SupplierProfile) -> str:
        return reverse("suppliers:profile", args=[profile.organisation_id])


class SupplierFilters(Schema):
    q: str = Field(
        "", max_length=100, description="Words in the name, offer, competences or references."
    )
    country: Country | None = Field(None, description="Based in or serving this country.")
    size: CompanySize | None = None
    competence: str = Field("", max_length=80, description="One competence, as named.")


class SupplierMatchOut(Schema):
    supplier: SupplierOrganisationRef
    score: float = Field(description="Orders the suggestions; not comparable across targets.")
    shared_terms: list[str] = Field(description="Words of the target found in the profile.")
    competences: list[str] = Field(description="The supplier's competences the target names.")
    events: list[str] = Field(description="Linked events its people registered for.")
    submissions: list[str] = Field(description="Linked events where its team submitted.")
    interest: InterestStatus | None = Field(description="invited, registered or none.")


class InterestIn(InputSchema):
    supplier_id: Id | None = Field(
        None, description="Your company; your first company organisation when left out."
    )
    note: str = Field("", max_length=TEXT_MAX, description="What your company can offer.")


class InterestOut(Schema):
    id: int
    supplier: SupplierOrganisationRef
    status: InterestStatus
    note: str
    procurement_id: int | None
    challenge_id: int | None
    registered_at: datetime | None


@router.get(
    "/suppliers",
    response=list[SupplierOut],
    tags=["suppliers"],
    summary="The supplier directory, filtered (public)",
    openapi_extra=problem_responses(401, 422),
)
@paginate(PagePagination)
def list_suppliers(request: HttpRequest, filters: Query[SupplierFilters]) -> QuerySet:
    return queries.search_profiles(
        requester(request),
        q=filters.q,
        country=filters.country or "",
        size=filters.size or "",
        competence=filters.competence,
    )


@router.get(
    "/challenges/{challenge_id}/supplier-matches",
    response=list[SupplierMatchOut],
    tags=["suppliers"],
    summary="The best-matching suppliers of a challenge with the reasons (public-sector users)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def challenge_supplier_matches(request: HttpRequest, challenge_id: int) -> list:
    user = requester(request)
    challenge = permissions.get_challenge_for_user(user, challenge_id)
    if not user.is_authenticated:
        raise AuthenticationError
    if not permissions.can_see_supplier_matches(user, challenge):
        raise PermissionDenied
    return [
        {
            "supplier": row.organisation,
            "score": row.match.score,
            "shared_terms": list(row.match.shared_terms),
            "competences": list(row.match.competences),
            "events": list(row.match.events),
            "submissions": list(row.match.submissions),
            "interest": row.interest.status if row.interest else None,
        }
        for row in queries.supplier_matches(user, challenge)
    ]


def _register(request: HttpRequest, target, payload: InterestIn):
    user = signed_in(request)
    if not permissions.can_register_interest(user, target):
        raise PermissionDenied
    supplier = None
    if payload.supplier_id is not None:
        supplier = Organisation.objects.filter(pk=payload.supplier_id).first()
        if supplier is None or supplier.pk not in permissions.company_memberships(user):
            raise PermissionDenied
    try:
        interest = services.register_interest(user, target, supplier=supplier, note=payload.note)
    except services.AlreadyRegistered as error:
        raise HttpError(409, " ".join(error.messages)) from None
    return Status(201, interest)


@router.post(
    "/procurements/{procurement_id}/interest",
    response={201: InterestOut},
    tags=["suppliers"],
    summary="Register your company's interest in a public procurement in market dialogue",
    description=(
        "For members of a company organisation. An invitation becomes a registration; a "
        "second registration is refused (409). The registration receives every answer "
        "published to the procurement's suppliers so far."
    ),
    openapi_extra=problem_responses(401, 403, 404, 409, 422),
)
def register_procurement_interest(request: HttpRequest, procurement_id: int, payload: InterestIn):
    target = permissions.get_procurement_for_user(requester(request), procurement_id)
    return _register(request, target, payload)


@router.post(
    "/challenges/{challenge_id}/interest",
    response={201: InterestOut},
    tags=["suppliers"],
    summary="Register your company's interest in a public open challenge",
    description=("For members of a company organisation; a second registration is refused (409)."),
    openapi_extra=problem_responses(401, 403, 404, 409, 422),
)
def register_challenge_interest(request: HttpRequest, challenge_id: int, payload: InterestIn):
    target = permissions.get_challenge_for_user(requester(request), challenge_id)
    return _register(request, target, payload)
