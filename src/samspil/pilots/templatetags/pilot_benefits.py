"""Benefits panels: ``{% benefits_panel pilot %}`` on the pilot page and
``{% programme_benefits_panel programme %}`` on the programme page (realised vs planned
benefits across its pilots), each in a fixed number of queries; and the colour of a
benefit's status tag."""

from django import template
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from .. import benefit_charts, benefit_queries

register = template.Library()

STATUS_COLOURS = {
    "identified": "neutral",
    "planned": "info",
    "realising": "accent",
    "realised": "success",
    "partly": "warning",
    "not_realised": "danger",
}


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None) or AnonymousUser()


@register.filter
def benefit_status_colour(status: str) -> str:
    """The Designsystemet colour of a status tag: ``data-color="{{ s|benefit_status_colour }}"``."""
    return STATUS_COLOURS.get(status, "neutral")


@register.inclusion_tag("pilots/benefits/_panel.html", takes_context=True)
def benefits_panel(context, pilot):
    """The pilot's benefits with status, latest measurement, progress and the next due
    date: one query, however many benefits and measurements there are."""
    return {
        "pilot": pilot,
        "benefits": benefit_queries.benefits_of(pilot, timezone.localdate(), holders=False),
        "can_edit": context.get("can_edit", False),
    }


@register.inclusion_tag("pilots/benefits/_programme_panel.html", takes_context=True)
def programme_benefits_panel(context, programme):
    """Counts by status and, per unit, planned vs realised improvement (a bar chart of the
    realised share and a table) over the programme's pilots the reader may see: two queries,
    aggregated in the database."""
    summary = benefit_queries.programme_benefits(_user(context), programme)
    chart = benefit_charts.programme_chart(summary) if summary.units else None
    return {"programme": programme, "summary": summary, "chart": chart}
