"""Permission-filtered reads of results for pages and API, in a constant number of queries
however many rows there are.

The catalogue holds published results only, whoever asks; drafts and withdrawn results are
listed for their owner's people on "my organisation's drafts". Search looks for every word
(at most ``MAX_WORDS``) in the title, summary, what was tried or what came of it, with
``icontains`` on SQLite and PostgreSQL alike; the page is cut by the paginator.
"""

from django.db.models import Count, Prefetch, Q, QuerySet

from samspil.core import permissions
from samspil.core.models import Role

from .models import TEMPLATE_KINDS, Result, ResultDocument, ResultKind, ResultStatus

MAX_WORDS = 12
RESULTS = "results"
TEMPLATES = "templates"


def _with_list_relations(rows: QuerySet[Result]) -> QuerySet[Result]:
    return rows.select_related("owner").prefetch_related("themes")


def filter_results(
    rows: QuerySet[Result],
    *,
    q: str = "",
    country: str = "",
    theme=None,
    stage: str = "",
    outcome: str = "",
    kind: str = "",
) -> QuerySet[Result]:
    """``kind`` is "results", "templates" or one kind's code; ``theme`` a Theme or its pk."""
    if country:
        rows = rows.filter(owner__country=country)
    if theme is not None:
        rows = rows.filter(themes=theme)
    if stage:
        rows = rows.filter(stage=stage)
    if outcome:
        rows = rows.filter(outcome=outcome)
    if kind == RESULTS:
        rows = rows.filter(kind=ResultKind.RESULT)
    elif kind == TEMPLATES:
        rows = rows.filter(kind__in=TEMPLATE_KINDS)
    elif kind:
        rows = rows.filter(kind=kind)
    for word in (q or "").split()[:MAX_WORDS]:
        rows = rows.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(tried__icontains=word)
            | Q(came_of_it__icontains=word)
        )
    return rows


def catalogue(**filters) -> QuerySet[Result]:
    """Published results, newest first, filtered (see ``filter_results``)."""
    rows = filter_results(Result.objects.filter(status=ResultStatus.PUBLISHED), **filters)
    return _with_list_relations(rows).order_by("-published_at", "-pk")


def results_for_user(user, *, status: str = "", organisation=None, **filters) -> QuerySet[Result]:
    """What ``user`` may see (published results and their organisations' drafts), for the
    API's list."""
    rows = filter_results(permissions.results_visible_to(user), **filters)
    if status:
        rows = rows.filter(status=status)
    if organisation is not None:
        rows = rows.filter(owner=organisation)
    return _with_list_relations(rows).order_by("-published_at", "-updated_at", "-pk")


def drafts_for(user) -> QuerySet[Result]:
    """Drafts and withdrawn results of the organisations whose innovation leads ``user`` is."""
    led = permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD)
    return (
        _with_list_relations(
            Result.objects.filter(owner__in=led).exclude(status=ResultStatus.PUBLISHED)
        )
        .select_related("copied_from")
        .order_by("-updated_at", "-pk")
    )


def result_with_details(user, pk) -> Result:
    """The result for its page and the API; 404 when ``user`` does not see it."""
    permissions.get_result_for_user(user, pk)
    return (
        Result.objects.filter(pk=pk)
        .select_related(
            "owner",
            "pilot",
            "event",
            "procurement",
            "scaling_process",
            "concept",
            "phase_model",
            "copied_from__owner",
            "published_by",
        )
        .prefetch_related(
            "themes",
            Prefetch("documents", queryset=ResultDocument.objects.order_by("pk")),
        )
        .annotate(copy_count=Count("copies", distinct=True))
        .get()
    )
