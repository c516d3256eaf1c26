"""The API of results: list and create, read and change one, publish (refused with the
reasons while it holds internal records), withdraw, and copy a published template into an
organisation — the same reads, services and permission rules as the pages."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from samspil.api.pagination import PagePagination
from samspil.api.problems import problem_responses
from samspil.api.requests import leading_organisation, requester, signed_in
from samspil.api.schemas import Id, InputSchema
from samspil.core import permissions
from samspil.core.models import Country, Organisation
from samspil.needs.models import Theme
from samspil.pilots.models import MaturityStage, PhaseModel

from . import copying, queries, services
from .models import (
    TEXT_MAX,
    TITLE_MAX,
    CodeLicence,
    Result,
    ResultKind,
    ResultOutcome,
    ResultStatus,
    TextLicence,
)

router = Router()

LINKS = ("pilot", "event", "procurement", "scaling_process", "concept", "phase_model")


class ResultOrganisationRef(Schema):
    id: int
    name: str
    country: str


class ResultDocumentOut(Schema):
    id: int
    title: str
    url: str


class ResultOut(Schema):
    id: int
    kind: ResultKind
    title: str
    summary: str
    tried: str
    came_of_it: str
    outcome: str = Field(description="One of the outcomes, or empty.")
    stage: str = Field(description="The maturity stage, or empty.")
    themes: list[str] = Field(description="Theme slugs.")
    owner: ResultOrganisationRef
    status: ResultStatus
    licence: TextLicence
    code_licence: str
    code_url: str
    contact_name: str
    contact_email: str
    pilot_id: int | None
    event_id: int | None
    procurement_id: int | None
    scaling_process_id: int | None
    concept_id: int | None
    phase_model_id: int | None
    copied_from_id: int | None
    published_at: datetime | None
    url: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_themes(result) -> list[str]:
        return [theme.slug for theme in result.themes.all()]

    @staticmethod
    def resolve_url(result) -> str:
        return result.get_absolute_url()


class ResultDetailOut(ResultOut):
    figures: list[dict[str, Any]] = Field(
        description="Snapshot of the pilot's KPIs and benefits: baseline, latest, target, "
        "gain_percent (positive is an improvement), source."
    )
    content: dict[str, Any] = Field(description="Snapshot of a template's content.")
    documents: list[ResultDocumentOut]
    copy_count: int
    can_edit: bool
    problems: list[str] = Field(
        description="For its editors: why publishing is refused now (empty when it may be)."
    )

    @staticmethod
    def resolve_documents(result) -> list[dict]:
        from django.urls import reverse

        return [
            {
                "id": document.pk,
                "title": document.title,
                "url": reverse("results:document", args=[result.pk, document.pk]),
            }
            for document in result.documents.all()
        ]


class ResultIn(InputSchema):
    kind: ResultKind = ResultKind.RESULT
    organisation_id: Id | None = Field(
        None, description="Your first organisation where you lead innovation when left out."
    )
    prefill: bool = Field(
        False,
        description="Fill the fields left out from the linked source (pilot, event, "
        "procurement, scaling process or concept).",
    )
    title: str = Field("", max_length=TITLE_MAX)
    summary: str = Field("", max_length=services.SUMMARY_MAX)
    tried: str = Field("", max_length=TEXT_MAX)
    came_of_it: str = Field("", max_length=TEXT_MAX)
    outcome: ResultOutcome | None = None
    stage: MaturityStage | None = None
    themes: list[str] = Field(default_factory=list, max_length=50, description="Theme slugs.")
    pilot_id: Id | None = None
    event_id: Id | None = None
    procurement_id: Id | None = None
    scaling_process_id: Id | None = None
    concept_id: Id | None = None
    phase_model_id: Id | None = None
    licence: TextLicence = TextLicence.CC_BY_4_0
    code_licence: CodeLicence | None = None
    code_url: str = Field("", max_length=200)
    contact_name: str = Field("", max_length=200, description="You when left out.")
    contact_email: str = Field("", max_length=254, description="Yours when left out.")


class ResultPatch(InputSchema):
    kind: ResultKind | None = None
    title: str | None = Field(None, max_length=TITLE_MAX)
    summary: str | None = Field(None, max_length=services.SUMMARY_MAX)
    tried: str | None = Field(None, max_length=TEXT_MAX)
    came_of_it: str | None = Field(None, max_length=TEXT_MAX)
    outcome: ResultOutcome | None = None
    stage: MaturityStage | None = None
    themes: list[str] | None = Field(None, max_length=50)
    pilot_id: Id | None = None
    event_id: Id | None = None
    procurement_id: Id | None = None
    scaling_process_id: Id | None = None
    concept_id: Id | None = None
    phase_model_id: Id | None = None
    licence: TextLicence | None = None
    code_licence: CodeLicence | None = None
    code_url: str | None = Field(None, max_length=200)
    contact_name: str | None = Field(None, max_length=200)
    contact_email: str | None = Field(None, max_length=254)


class ResultFilters(Schema):
    q: str = Field("", max_length=100, description="Words in title, summary or texts.")
    country: Country | None = Field(None, description="The publishing organisation's country.")
    theme: str | None = Field(None, description="A theme slug.")
    stage: MaturityStage | None = None
    outcome: ResultOutcome | None = None
    kind: str | None = Field(None, description='"results", "templates" or one kind.')
    status: ResultStatus | None = None
    organisation_id: int | None = None


class CopyIn(InputSchema):
    organisation_id: Id | None = Field(
        None, description="Your first organisation where you lead innovation when left out."
    )


class CopyTargetOut(Schema):
    kind: str = Field(description='"event_concept", "phase_model" or "result".')
    id: int
    url: str


class CopyOut(Schema):
    result: ResultOut = Field(description="The draft in your organisation (copied_from set).")
    target: CopyTargetOut


def _detail(user, pk: int):
    result = queries.result_with_details(user, pk)
    result.can_edit = permissions.can_edit_result(user, result)  # type: ignore[attr-defined]
    result.problems = (  # type: ignore[attr-defined]
        services.publication_problems(result)
        if result.can_edit and result.status != ResultStatus.PUBLISHED  # type: ignore[attr-defined]
        else []
    )
    return result


def _references(user, fields: dict) -> dict:
    """``*_id`` fields to records and theme slugs to themes; unseen ones are a 422."""
    lookups = {
        "pilot": permissions.pilots_visible_to(user),
        "event": permissions.events_visible_to(user),
        "procurement": permissions.procurements_visible_to(user),
        "scaling_process": permissions.scaling_processes_visible_to(user),
        "concept": permissions.concepts_visible_to(user),
        "phase_model": PhaseModel.objects.all(),
    }
    for name, queryset in lookups.items():
        key = f"{name}_id"
        if key not in fields:
            continue
        pk = fields.pop(key)
        if pk is None:
            fields[name] = None
            continue
        found = queryset.filter(pk=pk).first()
        if found is None:
            raise ValidationError({key: gettext("Choose a record you may see.")})
        fields[name] = found
    if "themes" in fields:
        slugs = list(dict.fromkeys(fields["themes"] or []))
        themes = list(Theme.objects.filter(slug__in=slugs))
        if len(themes) != len(slugs):
            raise ValidationError({"themes": gettext("Choose known themes.")})
        fields["themes"] = themes
    for name in ("outcome", "stage", "code_licence"):
        if name in fields and fields[name] is None:
            fields[name] = ""
    return fields


def _prefill(user, fields: dict) -> dict:
    """Fields left empty taken from the first linked source."""
    sources: list[tuple[str, Callable[[Any], dict]]] = [
        ("pilot", services.draft_from_pilot),
        ("event", lambda event: services.draft_from_event(event, fields["kind"])),
        ("procurement", services.draft_from_procurement),
        ("scaling_process", services.draft_from_scaling_process),
        ("concept", services.draft_from_concept),
        ("phase_model", services.draft_from_phase_model),
    ]
    for name, draft in sources:
        if fields.get(name) is not None:
            for key, value in draft(fields[name]).items():
                if key in ("kind",) or (key in LINKS and fields.get(key) is not None):
                    continue
                if not fields.get(key):
                    fields[key] = value
            break
    return fields


@router.get(
    "/results",
    response=list[ResultOut],
    tags=["results"],
    summary="Results you may see (published ones, and your organisations' drafts), filtered",
    openapi_extra=problem_responses(401, 422),
)
@paginate(PagePagination)
def list_results(request: HttpRequest, filters: Query[ResultFilters]) -> QuerySet:
    user = requester(request)
    theme = None
    if filters.theme:
        theme = Theme.objects.filter(slug=filters.theme).first()
        if theme is None:
            return queries.results_for_user(user).none()
    return queries.results_for_user(
        user,
        status=filters.status or "",
        organisation=filters.organisation_id,
        q=filters.q,
        country=filters.country or "",
        theme=theme,
        stage=filters.stage or "",
        outcome=filters.outcome or "",
        kind=filters.kind or "",
    )


@router.post(
    "/results",
    response={201: ResultDetailOut},
    tags=["results"],
    summary="Create a draft result or template (innovation leads of the organisation)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def create_result(request: HttpRequest, payload: ResultIn):
    user = signed_in(request)
    fields = payload.dict()
    owner: Organisation = leading_organisation(user, fields.pop("organisation_id"))
    if not permissions.can_publish_results_for(user, owner):
        raise PermissionDenied
    prefill = fields.pop("prefill")
    fields = _references(user, fields)
    if prefill:
        fields = _prefill(user, fields)
    fields["contact_name"] = fields["contact_name"] or user.get_full_name() or user.username
    fields["contact_email"] = fields["contact_email"] or user.email
    result = services.create_result(user, owner, **fields)
    return Status(201, _detail(user, result.pk))


@router.get(
    "/results/{result_id}",
    response=ResultDetailOut,
    tags=["results"],
    summary="One result with its figures, content and documents",
    openapi_extra=problem_responses(401, 404, 422),
)
def get_result(request: HttpRequest, result_id: int):
    return _detail(requester(request), result_id)


def _editable(user, result_id: int) -> Result:
    """The result (404 outside what the user sees), if the user may change it (403)."""
    result = permissions.get_result_for_user(user, result_id)
    if not permissions.can_edit_result(user, result):
        raise PermissionDenied
    return result


@router.patch(
    "/results/{result_id}",
    response=ResultDetailOut,
    tags=["results"],
    summary="Change a result (innovation leads of its organisation)",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def update_result(request: HttpRequest, result_id: int, payload: ResultPatch):
    user = signed_in(request)
    result = _editable(user, result_id)
    fields = payload.dict(exclude_unset=True)
    for name in ("kind", "title", "summary", "licence", "contact_name", "contact_email"):
        if name in fields and fields[name] is None:
            del fields[name]
    for name in ("tried", "came_of_it", "code_url"):
        if name in fields and fields[name] is None:
            fields[name] = ""
    if fields.get("themes", ()) is None:
        fields["themes"] = []
    services.update_result(user, result, **_references(user, fields))
    return _detail(user, result.pk)


@router.post(
    "/results/{result_id}/publish",
    response=ResultDetailOut,
    tags=["results"],
    summary="Publish a result: refused (422, errors.status names each record) while it "
    "holds internal records",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def publish_result(request: HttpRequest, result_id: int):
    user = signed_in(request)
    result = _editable(user, result_id)
    services.publish_result(user, result)
    return _detail(user, result.pk)


@router.post(
    "/results/{result_id}/withdraw",
    response=ResultDetailOut,
    tags=["results"],
    summary="Withdraw a published result from the catalogue",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def withdraw_result(request: HttpRequest, result_id: int):
    user = signed_in(request)
    result = _editable(user, result_id)
    services.withdraw_result(user, result)
    return _detail(user, result.pk)


@router.post(
    "/results/{result_id}/copy",
    response={201: CopyOut},
    tags=["results"],
    summary="Copy a published template or guide into your organisation with one action",
    openapi_extra=problem_responses(401, 403, 404, 422),
)
def copy_result(request: HttpRequest, result_id: int, payload: CopyIn):
    user = signed_in(request)
    result = permissions.get_result_for_user(user, result_id)
    organisation = leading_organisation(user, payload.organisation_id)
    made = copying.copy_template(user, result, organisation)
    target = made.target
    kind = {"EventConcept": "event_concept", "PhaseModel": "phase_model"}.get(
        type(target).__name__, "result"
    )
    return Status(
        201,
        {
            "result": queries.result_with_details(user, made.result.pk),
            "target": {"kind": kind, "id": target.pk, "url": made.url},
        },
    )
