"""The suppliers panel of a challenge's or procurement's page
(``{% load procurement_suppliers %}{% supplier_panel challenge %}``): a supplier registers
interest; public-sector users who may see it get the suggested suppliers with their reasons
and the interests registered; those who may invite do so from a row.

A fixed number of queries however many suppliers there are."""

from django import template

from samspil.core import permissions

from .. import supplier_queries as queries
from ..models import InterestStatus, Procurement
from ..supplier_forms import InterestForm

register = template.Library()


@register.inclusion_tag("procurement/suppliers/_panel.html", takes_context=True)
def supplier_panel(context, target):
    request = context.get("request")
    user = getattr(request, "user", None)
    kind = "procurement" if isinstance(target, Procurement) else "challenge"
    is_open = permissions.is_open_for_interest(target)
    result = {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "target": target,
        "kind": kind,
        "is_open": is_open,
        "show": False,
    }
    if user is None:
        return result
    companies = queries.supplier_companies(user) if user.is_authenticated else []
    own = queries.own_interests(user, target) if companies else []
    registered = {i.supplier_id for i in own if i.status == InterestStatus.REGISTERED}
    may_register = (
        bool(companies)
        and len(registered) < len(companies)
        and permissions.can_register_interest(user, target)
    )
    can_see = permissions.can_see_supplier_matches(user, target)
    can_invite = can_see and permissions.can_invite_suppliers(user, target)
    result.update(
        {
            "show": can_see or (is_open and (bool(companies) or not user.is_authenticated)),
            "companies": companies,
            "own": own,
            "may_register": may_register,
            "interest_form": InterestForm(companies=companies) if may_register else None,
            "can_see": can_see,
            "can_invite": can_invite,
            "matches": queries.supplier_matches(user, target) if can_see else [],
            "interests": queries.interests_of(target) if can_see else [],
            "events": queries.invitable_events(user) if can_invite else [],
        }
    )
    return result
