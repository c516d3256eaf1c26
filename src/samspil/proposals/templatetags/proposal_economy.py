"""The economic table on the proposal page (``{% load proposal_economy %}{% economy_panel
proposal %}``) and the number formats of the table in the page's language: ``economy_amount``
(Danish "2.700", English "2,700") and ``economy_cell`` (a value, range or three estimates)."""

from decimal import Decimal

from django import template

from ..economics import SCENARIOS
from ..economy_services import format_amount, format_cell
from ..economy_views import panel_context

register = template.Library()


@register.filter
def economy_amount(value) -> str:
    if value is None or value == "":
        return ""
    return format_amount(value if isinstance(value, Decimal) else Decimal(str(value)))


@register.filter
def economy_whole(value) -> str:
    """A computed figure (net present value) in whole 1,000: "2.609" in Danish."""
    if value is None or value == "":
        return ""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return format_amount(number.quantize(Decimal(1)))


@register.filter
def economy_cell(cell) -> str:
    return format_cell(cell)


@register.filter
def economy_scenarios(view) -> list:
    """The key figures at minimum, midpoint (likely) and maximum, in that order."""
    return [view.figures[scenario] for scenario in SCENARIOS]


@register.inclusion_tag("proposals/economy/_panel.html", takes_context=True)
def economy_panel(context, proposal):
    """The table, its totals and key figures, and for an editor the htmx editor: two
    queries (lines, cells) however many lines there are."""
    result = panel_context(proposal, bool(context.get("can_edit", False)))
    result["csrf_token"] = context.get("csrf_token")
    result["request"] = context.get("request")
    return result
