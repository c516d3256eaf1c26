"""The adoptions panel of the result page (``{% load results_adoption %}{% adoptions_panel %}``).

It reads the page's ``result`` and ``request``; a fixed number of queries, whatever the number
of adoptions: the adoptions with their organisations, the links the reader may see, the
organisations the reader may still adopt for."""

from django import template
from django.utils.translation import gettext as _

from samspil import charts

from .. import adoption_queries
from ..adoption_chart import choose_period, cumulative_adoptions
from ..models import ResultStatus

register = template.Library()


def adoption_chart(adoptions):
    """The rows of the table and the line of the chart: adoptions in all by month or year."""
    dates = [a.adopted_on for a in adoptions]
    period = choose_period(dates)
    counts = cumulative_adoptions(dates, period=period)
    series = charts.Series(_("Organisations in all"), [(c.period, c.total) for c in counts])
    return counts, period, charts.time_chart([series], unit_chars=0)


@register.inclusion_tag("results/adoption/_panel.html", takes_context=True)
def adoptions_panel(context):
    result = context["result"]
    request = context.get("request")
    user = getattr(request, "user", None)
    adoptions = adoption_queries.adoptions_of(result)
    rows = adoption_queries.adoption_rows(user, adoptions) if user is not None else []
    counts, period, chart = adoption_chart(adoptions)
    may_adopt = (
        user is not None
        and user.is_authenticated
        and result.status == ResultStatus.PUBLISHED
        and adoption_queries.organisations_to_adopt_for(user, result).exists()
    )
    return {
        "request": request,
        "result": result,
        "rows": rows,
        "counts": counts,
        "period": period,
        "chart": chart,
        "may_adopt": may_adopt,
    }
