"""The event page's preparation panel and the copy permission, for templates/events/detail.html."""

from django import template
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from samspil.core import permissions

from .. import concept_queries

register = template.Library()


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None) or AnonymousUser()


@register.inclusion_tag("events/concepts/_overdue_panel.html", takes_context=True)
def overdue_tasks_panel(context, event):
    """For organisers: "N of M tasks done" and the overdue open tasks, in at most two queries
    (the event page's ``can_organise`` is used when it is there)."""
    allowed = context.get("can_organise")
    if allowed is None:
        allowed = permissions.can_organise_event(_user(context), event)
    if not allowed:
        return {"show": False}
    progress = concept_queries.task_progress(event)
    if not progress.total:
        return {"show": False}
    return {
        "show": True,
        "event": event,
        "progress": progress,
        "overdue": concept_queries.overdue_tasks(event, timezone.localdate()),
    }


@register.simple_tag(takes_context=True)
def can_copy_event(context, event) -> bool:
    """Copying makes a new event: innovation leads of the organising organisation."""
    return permissions.can_create_event(_user(context), event.owner)
