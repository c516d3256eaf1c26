"""The datasets panel of the event page: ``{% load event_datasets %}{% datasets_panel event %}``."""

from django import template

from samspil.core import permissions

from .. import dataset_services
from ..models import DatasetAcceptance

register = template.Library()


@register.inclusion_tag("events/datasets/_panel.html", takes_context=True)
def datasets_panel(context, event):
    """The event's datasets with their classification, for organisers (with a link to manage
    them) and confirmed participants (with whether they accepted each one's terms as they read
    now); nothing for others. A few queries, however many datasets there are."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    can_organise = context.get("can_organise")
    if can_organise is None:
        can_organise = permissions.can_organise_event(user, event)
    if not can_organise and permissions.participant_registration(user, event) is None:
        return {"show": False}
    datasets = list(
        event.datasets.only("pk", "event_id", "title", "classification", "terms").order_by(
            "title", "pk"
        )
    )
    if not can_organise and not datasets:
        return {"show": False}
    accepted = dict(
        DatasetAcceptance.objects.filter(dataset__event=event, user=user).values_list(
            "dataset_id", "terms"
        )
        if datasets and not can_organise
        else ()
    )
    rows = [
        (dataset, dataset_services.acceptance_state(accepted.get(dataset.pk), dataset))
        for dataset in datasets
    ]
    return {"show": True, "event": event, "can_organise": can_organise, "rows": rows}
