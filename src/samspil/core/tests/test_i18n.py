"""Four languages: every catalogue complete, amounts and dates formatted per language."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import formats, translation

from samspil.core.templatetags.samspil import money

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_has_a_complete_catalogue_for_every_language(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"{language}: untranslated {untranslated[:10]}"
    assert not fuzzy, f"{language}: fuzzy {fuzzy[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_keeps_placeholders_in_translations(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            continue
        for placeholder in ("%(", "{{", "%s", "%d"):
            assert entry.msgid.count(placeholder) == entry.msgstr.count(placeholder), entry.msgid


@pytest.mark.parametrize(
    ("language", "currency", "expected"),
    [
        ("da", "DKK", "2.700.000,00\xa0kr."),
        ("nb", "NOK", "2\xa0700\xa0000,00\xa0kr"),
        ("sv", "SEK", "2\xa0700\xa0000,00\xa0kr"),
        ("en", "DKK", "DKK2,700,000.00"),
    ],
)
def test_it_formats_amounts_for_the_language_and_currency(language, currency, expected):
    with translation.override(language):
        assert money(Decimal("2700000"), currency) == expected


def test_it_leaves_empty_amounts_empty_and_odd_ones_as_they_are():
    assert money(None) == ""
    assert money("") == ""
    assert money("about a million") == "about a million"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("da", "23.11.2026"), ("nb", "23.11.2026"), ("sv", "2026-11-23"), ("en", "23/11/2026")],
)
def test_it_formats_dates_for_the_language(language, expected):
    with translation.override(language):
        assert formats.date_format(date(2026, 11, 23), "SHORT_DATE_FORMAT") == expected


@pytest.mark.django_db
def test_it_sorts_organisation_names_as_each_language_does():
    from django.db import connection

    from samspil.core.models import Organisation
    from samspil.core.queries import by_name

    if connection.vendor != "postgresql":
        pytest.skip("ICU collations are PostgreSQL's; SQLite sorts by code point")
    for slug, name in [("aa", "Ærø"), ("oe", "Örebro"), ("z", "Zealand"), ("a", "Århus")]:
        Organisation.objects.create(
            slug=slug, name=name, kind="municipality", country="DK", currency="DKK"
        )
    with translation.override("da"):
        danish = list(by_name(Organisation.objects.all()).values_list("name", flat=True))
    with translation.override("sv"):
        swedish = list(by_name(Organisation.objects.all()).values_list("name", flat=True))
    assert danish == ["Zealand", "Ærø", "Örebro", "Århus"]
    assert swedish == ["Zealand", "Århus", "Ærø", "Örebro"]
