"""The rounds a proposal is in, for its page, and the scores of the round pages (amounts are
``proposal_economy``'s, as on the proposal page)."""

from django import template
from django.utils.formats import number_format

from samspil.core import permissions

from .. import round_queries

register = template.Library()


@register.filter
def round_score(value) -> str:
    """A weighted score 0–100 with one decimal."""
    if value is None:
        return ""
    return number_format(value, 1, use_l10n=True)


@register.inclusion_tag("proposals/rounds/_proposal_entries_panel.html", takes_context=True)
def proposal_round_entries(context, proposal):
    """The rounds the proposal is in, and a form to enter it in an open round of its
    organisation tree when the reader may; a constant number of queries."""
    user = context["request"].user
    open_rounds = round_queries.open_rounds_for(user, proposal)
    # Every open round lies in the proposal's tree, so one check answers for all of them.
    may_enter = bool(open_rounds) and permissions.can_enter_round(user, open_rounds[0], proposal)
    return {
        "proposal": proposal,
        "entries": round_queries.proposal_entries(user, proposal),
        "open_rounds": open_rounds if may_enter else [],
        "csrf_token": context.get("csrf_token"),
    }
