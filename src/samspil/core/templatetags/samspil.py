"""Formatting for the four languages: amounts in a currency, history panels."""

import unicodedata
from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency
from django import template
from django.utils import translation

from ..history import history_entries

register = template.Library()

BABEL_LOCALE = {"da": "da_DK", "nb": "nb_NO", "sv": "sv_SE", "en": "en_GB"}


def babel_locale() -> str:
    return BABEL_LOCALE.get(translation.get_language() or "da", "da_DK")


@register.filter
def excerpt(text, length: int) -> str:
    """The start of a plain text: at most ``length`` characters, the last an ellipsis.

    What ``truncatechars`` gives, without walking every character of a long text (a list
    shows 25 descriptions of a page each)."""
    text = unicodedata.normalize("NFC", str(text))
    return text if len(text) <= length else text[: length - 1] + "…"


@register.filter
def money(amount, currency: str = "DKK") -> str:
    """``{{ 2700000|money:organisation.currency }}`` → "2.700.000,00 kr." in Danish."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    return format_currency(value, currency or "DKK", locale=babel_locale())


@register.inclusion_tag("_partials/history.html")
def history_panel(record, limit: int = 20):
    return {"entries": history_entries(record, limit)}
