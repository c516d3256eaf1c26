"""The event page's panel of teams and submissions: ``{% teams_panel event %}``."""

from django import template
from django.contrib.auth.models import AnonymousUser

from samspil.core import permissions

from .. import team_queries, team_services
from ..models import EventKind

register = template.Library()


@register.inclusion_tag("events/teams/_panel.html", takes_context=True)
def teams_panel(context, event):
    """For those who may see submissions: the teams, their challenge and whether they have
    submitted, the deadline; the signed-in participant's own team. A fixed number of queries."""
    request = context.get("request")
    user = request.user if request is not None else AnonymousUser()
    if not permissions.can_see_submissions(user, event):
        return {"show": False}
    teams = team_queries.show_challenges(list(team_queries.teams_of(event)), user, event)
    if not teams and event.kind != EventKind.HACKATHON and not event.submission_deadline:
        return {"show": False}
    registration = permissions.participant_registration(user, event)
    my_team = None
    if registration is not None:
        my_team = next(
            (t for t in teams if any(m.pk == registration.pk for m in t.members.all())), None
        )
    return {
        "show": True,
        "event": event,
        "teams": teams,
        "submitted": sum(1 for t in teams if _has_submission(t)),
        "registration": registration,
        "my_team": my_team,
        "is_open": team_services.submissions_open(event),
    }


def _has_submission(team) -> bool:
    # The submission was fetched with the team (select_related): no query here.
    return hasattr(team, "submission")
