"""The survey and cost panel of the event page, and small formatting for those pages."""

from babel.numbers import format_percent
from django import template
from django.contrib.auth.models import AnonymousUser

from samspil.core import permissions
from samspil.core.templatetags.samspil import babel_locale

from .. import feedback_services as services

register = template.Library()


@register.inclusion_tag("events/feedback/_panel.html", takes_context=True)
def survey_panel(context, event):
    """Organisers see the answers and the cost; a confirmed participant, from the event's
    start, the way to the survey (or thanks). Others see nothing."""
    request = context.get("request")
    user = getattr(request, "user", None) or AnonymousUser()
    can_organise = context.get("can_organise")
    if can_organise is None:
        can_organise = permissions.can_organise_event(user, event)
    panel = {"event": event, "can_organise": can_organise}
    if can_organise:
        panel.update(
            survey=services.survey_summary(event),
            cost=services.cost_summary(event),
            currency=event.owner.currency,
        )
    elif services.survey_open(event):
        registration = permissions.participant_registration(user, event)
        if registration is not None:
            panel.update(participant=True, answered=services.has_answered(registration))
    return panel


@register.filter
def percent(share) -> str:
    """A share from 0 to 1 as a whole percentage in the page's language: "42 %"."""
    if share is None or share == "":
        return ""
    return format_percent(share, locale=babel_locale())


@register.filter
def bar_step(share) -> int:
    """A share from 0 to 1 as a percentage in the 5 % steps the bar classes of
    events-feedback.css offer."""
    try:
        value = float(share) * 100
    except (TypeError, ValueError):
        return 0
    return max(0, min(100, int(round(value / 5) * 5)))
