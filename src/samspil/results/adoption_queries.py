"""Permission-filtered reads of adoptions and of the open data: the adoptions panel, the
public API, the Atom feed and the exports. Every list here costs a fixed number of queries,
whatever the number of rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from samspil.core import permissions
from samspil.core.permissions import AnyUser

from . import adoption_services
from . import queries as catalogue_queries
from .models import Adoption, Result, ResultStatus

# The ``kind`` filter: one kind, every result of a case, or every template and guide.
RESULTS, TEMPLATES = catalogue_queries.RESULTS, catalogue_queries.TEMPLATES
FEED_SIZE = 50


def adoptions_of(result: Result) -> list[Adoption]:
    """Who adopted the result, oldest first, with what they started (one query)."""
    return list(
        Adoption.objects.filter(result=result)
        .select_related("organisation", "pilot", "procurement")
        .order_by("adopted_on", "pk")
    )


@dataclass
class AdoptionRow:
    """An adoption as the panel shows it to one user: the linked pilot and procurement only
    when the user may see them, and whether the user may update its outcome."""

    adoption: Adoption
    pilot: object | None
    procurement: object | None
    may_update: bool


def adoption_rows(user: AnyUser, adoptions: Iterable[Adoption]) -> list[AdoptionRow]:
    """Two queries at most for the links, whatever the number of adoptions."""
    adoptions = list(adoptions)
    pilot_ids = {a.pilot_id for a in adoptions if a.pilot_id}
    procurement_ids = {a.procurement_id for a in adoptions if a.procurement_id}
    seen_pilots = (
        set(
            permissions.pilots_visible_to(user)
            .filter(pk__in=pilot_ids)
            .values_list("pk", flat=True)
        )
        if pilot_ids
        else set()
    )
    seen_procurements = (
        set(
            permissions.procurements_visible_to(user)
            .filter(pk__in=procurement_ids)
            .values_list("pk", flat=True)
        )
        if procurement_ids
        else set()
    )
    return [
        AdoptionRow(
            adoption=a,
            pilot=a.pilot if a.pilot_id in seen_pilots else None,
            procurement=a.procurement if a.procurement_id in seen_procurements else None,
            may_update=user.is_authenticated and permissions.can_update_adoption(user, a),
        )
        for a in adoptions
    ]


def get_adoption_for_user(user: AnyUser, result_pk, pk) -> Adoption:
    """An adoption of a result the user sees; 404 otherwise."""
    try:
        return (
            permissions.adoptions_visible_to(user)
            .select_related("result", "result__owner", "organisation", "pilot", "procurement")
            .get(result_id=result_pk, pk=pk)
        )
    except (Adoption.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def organisations_to_adopt_for(user: AnyUser, result: Result):
    """The organisations the user may adopt the result for and that have not yet."""
    from samspil.core.models import Organisation

    allowed = permissions.adopting_organisations(user, result)
    taken = Adoption.objects.filter(result=result).values("organisation_id")
    return Organisation.objects.filter(pk__in=allowed).exclude(pk__in=taken).order_by("name")


# Open data ------------------------------------------------------------------------------------


def published_results() -> QuerySet[Result]:
    return Result.objects.filter(status=ResultStatus.PUBLISHED)


def public_result_list(*, theme: str = "", **filters) -> QuerySet[Result]:
    """Published results, newest first, with the catalogue's filters
    (``queries.filter_results``; ``theme`` is a theme's slug here) and what a list shows, in
    a fixed number of queries."""
    results = catalogue_queries.filter_results(published_results(), **filters)
    if theme:
        results = results.filter(themes__slug=theme)
    return (
        results.select_related("owner")
        .prefetch_related("themes")
        .annotate(adoption_count=Count("result_adoptions", distinct=True))
        .order_by("-published_at", "-pk")
    )


def public_adoptions() -> QuerySet[Adoption]:
    """Adoptions of published results: who, when and with what outcome (public)."""
    return (
        Adoption.objects.filter(result__status=ResultStatus.PUBLISHED)
        .select_related("organisation", "result")
        .order_by("result_id", "adopted_on", "pk")
    )


def get_public_result(pk) -> Result:
    """A published result with its themes and adoptions; 404 for any other."""
    try:
        return (
            published_results()
            .select_related("owner")
            .prefetch_related(
                "themes",
                Prefetch(
                    "result_adoptions",
                    queryset=Adoption.objects.select_related("organisation").order_by(
                        "adopted_on", "pk"
                    ),
                ),
            )
            .get(pk=pk)
        )
    except (Result.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def feed_results(limit: int = FEED_SIZE) -> list[Result]:
    """The newest published results for the Atom feed."""
    return list(
        published_results().select_related("owner").order_by("-published_at", "-pk")[:limit]
    )


def result_link(result: Result) -> str:
    return adoption_services.result_url(result)
