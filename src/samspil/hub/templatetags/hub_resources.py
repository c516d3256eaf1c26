"""The resources panel of a hub's page (``{% load hub_resources %}{% resources_panel %}``)
and the ``weekday_name`` filter.

The panel reads the page's ``hub`` and loads its resources in two queries however many
there are."""

from datetime import timedelta

from django import template
from django.utils import timezone
from django.utils.formats import date_format

from .. import resource_queries, resource_services

register = template.Library()
PANEL_LIMIT = 50


@register.filter
def weekday_name(weekday) -> str:
    """0 → "Monday" in the active language."""
    try:
        return resource_services.weekday_name(int(weekday))
    except (TypeError, ValueError, KeyError):
        return ""


def _by_period(booking) -> bool:
    return booking.resource.booking_unit == "period"


@register.filter
def booking_start(booking) -> str:
    """When the booking starts: the first day of a period, else the date and time."""
    start = timezone.localtime(booking.start)
    if _by_period(booking):
        return date_format(start.date(), "SHORT_DATE_FORMAT")
    return date_format(start, "SHORT_DATETIME_FORMAT")


@register.filter
def booking_end(booking) -> str:
    """When it ends: the last day of a period (it lasts to that day's end), else the time."""
    end = timezone.localtime(booking.end)
    if _by_period(booking):
        return date_format((end - timedelta(microseconds=1)).date(), "SHORT_DATE_FORMAT")
    return date_format(end, "SHORT_DATETIME_FORMAT")


@register.inclusion_tag("hub/resources/_panel.html", takes_context=True)
def resources_panel(context):
    hub = context["hub"]
    request = context.get("request")
    user = getattr(request, "user", None)
    rows = (
        list(resource_queries.search_resources(user, hub=hub)[:PANEL_LIMIT])
        if user is not None
        else []
    )
    managing = resource_services.managing_organisations(user) if user is not None else set()
    return {
        "request": request,
        "hub": hub,
        "resources": rows,
        "can_create": hub.owner_id in managing,
    }
