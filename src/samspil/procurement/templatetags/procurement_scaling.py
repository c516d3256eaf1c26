"""The scaling panel of the challenge page (``{% load procurement_scaling %}{% scaling_panel %}``):
the challenge's scaling processes the reader may see and, for procurement officers and
innovation leads, "Start a scaling process" (prominent when the challenge is a scaling
candidate). It reads ``challenge`` and ``request`` from the page's context and makes two
queries however many processes there are."""

from django import template

from samspil.core import permissions

from .. import scaling_queries

register = template.Library()


@register.inclusion_tag("procurement/scaling/_challenge_panel.html", takes_context=True)
def scaling_panel(context):
    challenge = context["challenge"]
    request = context.get("request")
    user = getattr(request, "user", None)
    processes = scaling_queries.processes_of_challenge(user, challenge) if user else []
    may_start = bool(
        user is not None
        and user.is_authenticated
        and permissions.organisations_with_role(user, *permissions.PROCURING_ROLES)
    )
    return {
        "challenge": challenge,
        "processes": processes,
        "may_start": may_start,
        "is_candidate": challenge.is_scaling_candidate,
    }
