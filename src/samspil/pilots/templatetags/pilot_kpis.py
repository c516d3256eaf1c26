"""The KPI panel of the pilot page (``{% load pilot_kpis %}{% kpi_panel pilot %}``) and the
number formats of the KPI pages: ``kpi_number`` and ``kpi_percent`` in the page's language."""

from decimal import Decimal, InvalidOperation

from babel import Locale
from babel.numbers import format_decimal, format_percent
from django import template

from samspil.core.templatetags.samspil import babel_locale

from .. import kpi_queries

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def kpi_number(value) -> str:
    """A measured value with its decimals (at most four) and the language's separators:
    ``12345.5000`` → "12.345,5" in Danish."""
    number = _decimal(value)
    if number is None:
        return ""
    return format_decimal(number.normalize(), format="#,##0.####", locale=babel_locale())


@register.filter
def kpi_percent(value, signed: bool = True) -> str:
    """A fraction as a percentage with one decimal: 0.3 → "+30 %", −0.257 → "-25,7 %". The
    sign is shown (a gain of −10 % is a loss) unless ``signed`` is False."""
    number = _decimal(value)
    if number is None:
        return ""
    locale = babel_locale()
    pattern = Locale.parse(locale).percent_formats[None].pattern.replace("#,##0", "#,##0.#")
    if signed and number != 0:
        pattern = f"+{pattern};-{pattern}"
    return format_percent(number, format=pattern, locale=locale)


@register.inclusion_tag("pilots/kpis/_panel.html")
def kpi_panel(pilot):
    """Each KPI of the pilot with its latest value, gain and target: one query, however many
    KPIs and measurements there are."""
    return {"pilot": pilot, "rows": kpi_queries.summaries_with_latest(pilot)}
