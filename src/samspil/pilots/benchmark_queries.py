"""Permission-filtered reads of the KPI catalogue: a page of definitions, then how many pilots
measure each, in one query more for the whole page."""

from collections.abc import Iterable

from django.db.models import Count, F, QuerySet

from samspil.core import permissions

from .models import Kpi, KpiDefinition


def definitions_for_catalogue(user, q: str = "") -> QuerySet[KpiDefinition]:
    """The definitions ``user`` may see, by name; ``q`` searches the name."""
    definitions = permissions.kpi_definitions_visible_to(user)
    q = " ".join(q.split())
    if q:
        definitions = definitions.filter(name__icontains=q)
    return definitions.select_related("owner").order_by("name", "pk")


def with_measuring_counts(user, definitions: Iterable[KpiDefinition]) -> list[KpiDefinition]:
    """The definitions with ``pilot_count`` and ``organisation_count``: the pilots ``user`` may
    see that measure each in its unit, and their organisations.

    One grouped query over the KPIs of these definitions only: counting for every visible
    definition in the page's query would aggregate every KPI of the catalogue.
    """
    definitions = list(definitions)
    counts = {
        row["definition"]: row
        for row in Kpi.objects.filter(
            permissions.pilot_visible_q(user, path="pilot"),
            definition__in=[d.pk for d in definitions],
            unit__iexact=F("definition__unit"),
        )
        .order_by()
        .values("definition")
        .annotate(
            pilots=Count("pilot", distinct=True),
            organisations=Count("pilot__owner", distinct=True),
        )
    }
    for definition in definitions:
        row = counts.get(definition.pk, {})
        definition.pilot_count = row.get("pilots", 0)  # type: ignore[attr-defined]
        definition.organisation_count = row.get("organisations", 0)  # type: ignore[attr-defined]
    return definitions
