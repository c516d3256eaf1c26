"""Permission-filtered reads of procurements for pages and API, in a constant number of
queries however many rows there are."""

from django.db.models import Prefetch, Q, QuerySet

from samspil.core import permissions

from .models import Award, Contract, Phase, Procurement, ProcurementRoute, RouteStep, StepDone

MAX_WORDS = 12


def routes() -> QuerySet[ProcurementRoute]:
    return ProcurementRoute.objects.prefetch_related(
        Prefetch("steps", queryset=RouteStep.objects.order_by("position"))
    ).order_by("position", "pk")


def procurements_for_list(user) -> QuerySet[Procurement]:
    return (
        permissions.procurements_visible_to(user)
        .select_related("owner", "route", "procuring_entity")
        .order_by("-updated_at", "pk")
    )


def search_procurements(
    user, *, stage: str = "", route=None, organisation=None, q: str = ""
) -> QuerySet[Procurement]:
    """The procurements ``user`` sees, filtered; ``organisation`` is the lead buyer or the
    procuring entity; ``q`` searches title and description."""
    rows = procurements_for_list(user)
    if stage:
        rows = rows.filter(stage=stage)
    if route is not None:
        rows = rows.filter(route=route)
    if organisation is not None:
        rows = rows.filter(Q(owner=organisation) | Q(procuring_entity=organisation))
    for word in (q or "").split()[:MAX_WORDS]:
        rows = rows.filter(Q(title__icontains=word) | Q(description__icontains=word))
    return rows


def with_relations(rows: QuerySet[Procurement]) -> QuerySet[Procurement]:
    return rows.select_related(
        "owner", "route", "procuring_entity", "created_by", "challenge", "pilot", "proposal"
    ).prefetch_related(
        Prefetch("route__steps", queryset=RouteStep.objects.order_by("position")),
        Prefetch("steps_done", queryset=StepDone.objects.select_related("step", "done_by")),
        "lots",
        Prefetch("phases", queryset=Phase.objects.prefetch_related("suppliers")),
        Prefetch("awards", queryset=Award.objects.select_related("supplier", "lot")),
        Prefetch("contracts", queryset=Contract.objects.select_related("award__supplier")),
    )


def procurement_with_details(user, pk) -> Procurement:
    """The procurement for its page and the API; 404 when ``user`` does not see it."""
    permissions.get_procurement_for_user(user, pk)
    return with_relations(Procurement.objects.filter(pk=pk)).get()


def step_rows(procurement: Procurement) -> list[dict]:
    """The route's steps in order, each with its done row (if any) and whether it is next."""
    if procurement.route is None:
        return []
    done = {row.step_id: row for row in procurement.steps_done.all()}
    rows, next_found = [], False
    for step in procurement.route.steps.all():
        row = done.get(step.pk)
        is_next = row is None and not next_found
        next_found = next_found or is_next
        rows.append({"step": step, "done": row, "is_next": is_next})
    return rows
