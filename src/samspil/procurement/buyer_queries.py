"""Reads of a procurement's buyers and its demand against the ceiling. Each read is one
query however many buyers there are."""

from django.http import Http404

from samspil.core.models import PUBLIC_SECTOR_KINDS, Organisation

from . import buyer_services, demand
from .models import Buyer, Procurement


def buyers(procurement: Procurement) -> list[Buyer]:
    rows = list(
        procurement.buyers.select_related("organisation", "confirmed_by", "invited_by").order_by(
            "role", "organisation__name", "pk"
        )
    )
    order = {"lead": 0, "participant": 1, "option_holder": 2}
    rows.sort(key=lambda b: order.get(b.role, 3))  # stable: names stay in order in a role
    for row in rows:
        row.procurement = procurement
    return rows


def demand_of(procurement: Procurement, rows: list[Buyer]) -> demand.Demand:
    return demand.demand((buyer_services.buyer_demand(b) for b in rows), procurement.ceiling)


def get_buyer(procurement: Procurement, pk) -> Buyer:
    try:
        buyer = (
            procurement.buyers.select_related("organisation", "confirmed_by")
            .filter(pk=int(pk))
            .first()
        )
    except (TypeError, ValueError):
        buyer = None
    if buyer is None:
        raise Http404
    buyer.procurement = procurement
    return buyer


def invitable_organisations(procurement: Procurement):
    """Public-sector organisations that are not buyers yet, by name."""
    taken = Buyer.objects.filter(procurement=procurement).values("organisation_id")
    return (
        Organisation.objects.filter(kind__in=PUBLIC_SECTOR_KINDS)
        .exclude(pk__in=taken)
        .order_by("name", "pk")
    )
