"""``{% winners_panel event %}``: the event page's panel of published winners and judging links.

Everyone who sees the event sees the published winners; a juror gets a link to score with
their progress (organisers find judging among the page's organiser links). A constant number
of queries.
"""

from django import template
from django.contrib.auth.models import AnonymousUser

from samspil.events import judging_services as judging

register = template.Library()


@register.inclusion_tag("events/judging/_winners_panel.html", takes_context=True)
def winners_panel(context, event) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None) or AnonymousUser()
    published = event.winners_published_at is not None
    juror = judging.juror_of(user, event)
    state = judging.judging_state(event) if published or juror else None
    juror_row = next(r for r in state.rows if r.juror.pk == juror.pk) if state and juror else None
    return {
        "event": event,
        "show": published or juror_row is not None,
        "published": published,
        "winners": [r for r in judging.ranking_for(event, state) if r.is_winner]
        if published and state
        else [],
        "juror_row": juror_row,
    }
