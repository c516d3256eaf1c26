"""Reads of the core that pages and API share, always through the permission rules."""

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.functions import Collate
from django.utils import translation

from . import permissions
from .models import Organisation

# PostgreSQL's ICU collations put æ, ø, å (and Swedish å, ä, ö) where each language wants them.
ICU_COLLATION = {"da": "da-x-icu", "nb": "nb-x-icu", "sv": "sv-x-icu", "en": "en-x-icu"}


def by_name(queryset: QuerySet, field: str = "name") -> QuerySet:
    """Alphabetical in the reader's language (on SQLite, by code point)."""
    if connection.vendor != "postgresql":
        return queryset.order_by(field, "pk")
    collation = ICU_COLLATION.get(translation.get_language() or "da", "da-x-icu")
    return queryset.order_by(Collate(field, collation), "pk")


def search_organisations(
    user, *, text: str = "", kind: str = "", country: str = ""
) -> QuerySet[Organisation]:
    """The organisation directory: the ones ``user`` may see, filtered, in name order."""
    organisations = permissions.organisations_visible_to(user)
    if text:
        organisations = organisations.filter(
            Q(name__icontains=text) | Q(national_id__icontains=text)
        )
    if kind:
        organisations = organisations.filter(kind=kind)
    if country:
        organisations = organisations.filter(country=country.upper())
    return by_name(organisations)
