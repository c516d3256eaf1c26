"""OCDS 1.1.5 open data: public procurements only, for every caller (see ocds_queries)."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema

from samspil.api.problems import problem, problem_responses
from samspil.api.requests import requester

from . import ocds, ocds_queries

router = Router()


class OcdsReleasesQuery(Schema):
    since: str | None = Field(
        None,
        description="Only procurements changed after this RFC 3339 date-time, such as "
        "2026-01-31T12:00:00+01:00 (without an offset: the server's time zone).",
    )
    page: int = Field(1, ge=1)
    page_size: int | None = Field(
        None,
        ge=1,
        le=settings.API_MAX_PAGE_SIZE,
        description="Releases per page; the server's PAGE_SIZE setting when left out.",
    )


def _ocds_since(value: str | None) -> datetime | None:
    if value is None or not value.strip():
        return None
    try:
        # A "+" of the offset arrives as a space when the caller did not encode it.
        parsed = datetime.fromisoformat(value.strip().replace(" ", "+"))
    except ValueError:
        raise ValidationError(
            {"since": gettext("Enter a date and time such as 2026-01-31T12:00:00+01:00.")}
        ) from None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _ocds_json(package: dict) -> JsonResponse:
    return JsonResponse(package, json_dumps_params={"ensure_ascii": False})


def _ocds_data(user, procurement_ids: list[int]) -> list[ocds.ProcurementData]:
    return ocds_queries.procurement_data(
        ocds_queries.public_procurements(user)
        .filter(pk__in=procurement_ids)
        .order_by("last_changed", "pk")
    )


@router.get(
    "/ocds/releases",
    url_name="ocds_releases",
    response={200: dict, 204: None},
    tags=["ocds"],
    summary="OCDS release package: the latest release of each public procurement",
    description="OCDS 1.1.5. The latest release of every public procurement changed after "
    "`since`, oldest change first, a page at a time (`links.next` names the next page). "
    "Only public procurements are open data, for signed-in callers too. 204 when none "
    "changed (an OCDS package holds at least one release); 404 past the last page.",
    openapi_extra=problem_responses(404, 422),
)
def ocds_releases(request: HttpRequest, query: Query[OcdsReleasesQuery]):
    user = requester(request)
    since = _ocds_since(query.since)
    page_size = query.page_size or min(settings.PAGE_SIZE, settings.API_MAX_PAGE_SIZE)
    offset = (query.page - 1) * page_size
    ids = list(
        ocds_queries.changed_since(user, since).values_list("pk", flat=True)[
            offset : offset + page_size + 1
        ]
    )
    if not ids:
        if query.page == 1:
            return HttpResponse(status=204)
        return problem(request, 404, gettext("There is no such page."))
    data = _ocds_data(user, ids[:page_size])
    links = {}
    if len(ids) > page_size:
        params = request.GET.copy()
        params["page"] = str(query.page + 1)
        links["next"] = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    package = ocds.release_package(
        data,
        ocds_queries.publisher(),
        uri=request.build_absolute_uri(),
        published=max(item.last_changed for item in data),
        links=links,
    )
    return _ocds_json(package)


@router.get(
    "/ocds/releases/{ocid}",
    url_name="ocds_release",
    response={200: dict},
    tags=["ocds"],
    summary="OCDS release package with the latest release of a public procurement",
    openapi_extra=problem_responses(404),
)
def ocds_release(request: HttpRequest, ocid: str):
    user = requester(request)
    procurement = ocds_queries.get_public_procurement(user, ocid)
    data = _ocds_data(user, [procurement.pk])
    package = ocds.release_package(
        data,
        ocds_queries.publisher(),
        uri=request.build_absolute_uri(),
        published=data[0].last_changed,
    )
    return _ocds_json(package)


@router.get(
    "/ocds/records/{ocid}",
    url_name="ocds_record",
    response={200: dict},
    tags=["ocds"],
    summary="OCDS record package of a public procurement",
    description="OCDS 1.1.5: the procurement's releases (one per stage reached, each with "
    "everything known then) and its compiled release. 404 when unknown or not public.",
    openapi_extra=problem_responses(404),
)
def ocds_record(request: HttpRequest, ocid: str):
    user = requester(request)
    procurement = ocds_queries.get_public_procurement(user, ocid)
    [data] = _ocds_data(user, [procurement.pk])
    package = ocds.record_package(data, ocds_queries.publisher(), uri=request.build_absolute_uri())
    return _ocds_json(package)
