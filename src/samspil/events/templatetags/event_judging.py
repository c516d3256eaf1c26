"""``{% winners_panel event %}``: the event page's panel of published winners and judging links.

Everyone who sees the event sees the published winners; a juror gets a link to score with
their progress; organisers get a link to the judging page. A constant number of queries.
"""

from django import template
from django.contrib.auth.models import AnonymousUser

from samspil.core import permissions
from samspil.events import judging_services as judging
from samspil.events.models import EventKind

register = template.Library()

# Kinds where organisers are offered judging before any criterion or juror exists.
JUDGED_KINDS = {EventKind.HACKATHON, EventKind.SHOWCASE}


@register.inclusion_tag("events/judging/_winners_panel.html", takes_context=True)
def winners_panel(context, event) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None) or AnonymousUser()
    organise = context.get("can_organise")
    if organise is None:
        organise = permissions.can_organise_event(user, event)
    published = event.winners_published_at is not None
    juror = judging.juror_of(user, event)
    state = judging.judging_state(event) if published or juror else None
    juror_row = next(r for r in state.rows if r.juror.pk == juror.pk) if state and juror else None
    if organise and not (published or event.kind in JUDGED_KINDS):
        organise = event.criteria.exists() or event.jurors.exists()
    return {
        "event": event,
        "show": published or juror_row is not None or organise,
        "published": published,
        "winners": [r for r in judging.ranking_for(event, state) if r.is_winner]
        if published and state
        else [],
        "juror_row": juror_row,
        "organise": organise,
    }
