"""The buyers panel of the procurement page (``{% load procurement_buyers %}{% buyers_panel %}``)
and the ``whole_amount`` filter.

The panel loads its buyers in one query and takes the page's context (``procurement``,
``can_edit``, and a form with errors when a view shows one again)."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from samspil import charts

from .. import buyer_queries, buyer_services
from ..buyer_forms import ExerciseOptionForm, InviteBuyerForm
from ..models import BuyerRole

register = template.Library()
MILLION = Decimal(1_000_000)


@register.filter
def whole_amount(value) -> str:
    """160000000 → "160.000.000" in Danish, "160,000,000" in English; "" for nothing."""
    if value is None or value == "":
        return ""
    return buyer_services.amount(value)


def _chart(result):
    def millions(value):
        return None if value is None else (value / MILLION).quantize(Decimal("0.1"))

    bars = [
        charts.Bar(_("Committed demand"), millions(result.committed)),
        charts.Bar(_("Optional demand"), millions(result.optional)),
        charts.Bar(_("Committed and optional"), millions(result.total), highlight=True),
    ]
    references = [charts.Reference(_("Ceiling"), millions(result.ceiling))]
    return charts.bar_chart(bars, references=references)


@register.inclusion_tag("procurement/buyers/_section.html", takes_context=True)
def buyers_panel(context):
    procurement = context["procurement"]
    request = context.get("request")
    user = getattr(request, "user", None)
    can_edit = context.get("can_edit", False)
    rows = buyer_queries.buyers(procurement)
    for row in rows:
        is_lead = row.role == BuyerRole.LEAD
        row.is_invited = not is_lead and row.confirmed_at is None  # type: ignore[attr-defined]
        row.may_confirm = (  # type: ignore[attr-defined]
            user is not None
            and row.is_invited  # type: ignore[attr-defined]
            and buyer_services.permissions.can_confirm_buyer(user, row)
        )
        row.may_remove = user is not None and buyer_services.can_remove(user, row)  # type: ignore[attr-defined]
        row.may_edit = can_edit and not row.option_exercised  # type: ignore[attr-defined]
        row.may_exercise = (  # type: ignore[attr-defined]
            user is not None
            and row.role == BuyerRole.OPTION_HOLDER
            and not row.option_exercised
            and row.confirmed_at is not None
            and buyer_services.can_exercise(user, row)
        )
    result = buyer_queries.demand_of(procurement, rows)
    buyer_form = context.get("buyer_form")
    if buyer_form is None and can_edit:
        buyer_form = InviteBuyerForm(procurement=procurement)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "procurement": procurement,
        "can_edit": can_edit,
        "rows": rows,
        "demand": result,
        "chart": _chart(result),
        "buyer_form": buyer_form,
        "exercise_form": context.get("exercise_form") or ExerciseOptionForm(),
        "exercise_buyer": context.get("buyer"),
        "show_exercise": context.get("exercise_form") is not None,
        "values_form": context.get("values_form"),
        "values_buyer": context.get("buyer"),
    }
