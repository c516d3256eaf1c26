"""The criteria, follow-up and consultation sections of the proposal page
(``{% load proposal_followup %}{% criteria_section %}`` …) and the amount ranges of the
criteria table.

Each section tag loads its rows in one or two queries and takes the page's context
(``proposal``, ``can_edit``, ``can_edit_follow_up``, and a form with errors when a view
shows one again)."""

from django import template
from django.utils import timezone

from samspil.core import permissions

from .. import followup_queries
from ..followup_forms import (
    AddConsultationForm,
    CriteriaRowForm,
    FollowUpForm,
    format_amount_range,
)

register = template.Library()


@register.filter
def amount_range(row, prefix: str) -> str:
    """``row|amount_range:"expense"``: "1.500–3.000" or "500" in the page's language."""
    return format_amount_range(getattr(row, f"{prefix}_low"), getattr(row, f"{prefix}_high"))


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.inclusion_tag("proposals/followup/_criteria_section.html", takes_context=True)
def criteria_section(context):
    proposal = context["proposal"]
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "proposal": proposal,
        "can_edit": context.get("can_edit", False),
        "rows": followup_queries.criteria_rows(proposal),
        "criteria_form": context.get("criteria_form") or CriteriaRowForm(),
        "criteria_row": context.get("criteria_row"),
    }


@register.inclusion_tag("proposals/followup/_follow_up_section.html", takes_context=True)
def follow_up_section(context):
    proposal = context["proposal"]
    user = _user(context)
    can_edit = context.get("can_edit_follow_up", False)
    items = followup_queries.follow_ups(proposal, timezone.localdate())
    for item in items:
        item.can_complete = user is not None and (  # type: ignore[attr-defined]
            can_edit or permissions.can_complete_follow_up(user, item)
        )
    form = context.get("follow_up_form")
    if form is None and can_edit:
        form = FollowUpForm(proposal=proposal)
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "proposal": proposal,
        "can_edit_follow_up": can_edit,
        "items": items,
        "undated": [item for item in items if item.needs_date],  # type: ignore[attr-defined]
        "follow_up_form": form,
        "follow_up_item": context.get("follow_up_item"),
    }


@register.inclusion_tag("proposals/followup/_consultations_section.html", takes_context=True)
def consultations_section(context):
    proposal = context["proposal"]
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "proposal": proposal,
        "can_edit": context.get("can_edit", False),
        "rows": followup_queries.consultations(proposal),
        "consultation_form": context.get("consultation_form"),
        "consultation": context.get("consultation"),
        "add_consultation_form": context.get("add_consultation_form") or AddConsultationForm(),
    }
