"""The optimiser panel of the round page (``proposals/rounds/_optimise.html``)."""

from django import template

from .. import optimise_queries

register = template.Library()


@register.inclusion_tag("proposals/rounds/_optimise_panel.html", takes_context=True)
def optimise_panel(context, round_):
    """The last run and, for the round's editors, the form and the fixed choices; a constant
    number of queries."""
    panel = optimise_queries.panel_context(round_, context["request"].user)
    panel["csrf_token"] = context.get("csrf_token")
    return panel
