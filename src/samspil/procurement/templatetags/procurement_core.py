"""``localised`` (a route's or step's text in the active language, English otherwise),
``amount`` and ``may_start_procurement``."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

from samspil.core import permissions

register = template.Library()


@register.filter
def localised(obj, field: str) -> str:
    english = getattr(obj, field, "") or ""
    language = (get_language() or "en").split("-")[0]
    translations = getattr(obj, "translations", None) or {}
    text = (translations.get(language) or {}).get(field) if isinstance(translations, dict) else ""
    return text or english


@register.filter
def amount(value) -> str:
    """An amount in whole units with the language's grouping: 160.000.000 in Danish."""
    if value in (None, ""):
        return "–"
    return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


@register.simple_tag(takes_context=True)
def may_start_procurement(context) -> bool:
    """Whether the signed-in person may start a procurement somewhere."""
    user = context["request"].user
    return bool(permissions.organisations_with_role(user, *permissions.PROCURING_ROLES))
