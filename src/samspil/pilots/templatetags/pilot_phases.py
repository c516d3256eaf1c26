"""The phase panel of the pilot page (``{% load pilot_phases %}{% phase_panel pilot %}``): the
stepper with the current phase, the next decision point, the last decision and the
checklist's progress, in four queries however long the model and the checklist are."""

from django import template

from .. import phase_queries

register = template.Library()


@register.inclusion_tag("pilots/phases/_panel.html", takes_context=True)
def phase_panel(context, pilot):
    return {
        "pilot": pilot,
        "progress": phase_queries.progress_of(pilot),
        "can_decide": context.get("can_decide", False),
    }
