"""The excerpt filter gives what Django's ``truncatechars`` gives."""

import pytest
from django.template.defaultfilters import truncatechars

from samspil.core.templatetags.samspil import excerpt


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Kort tekst",
        "x" * 220,
        "x" * 221,
        "Børnehaverne bruger for meget tid på indkøb i en webshop, der er svær at bruge. " * 5,
        "Cafe\u0301 med kombinerende tegn " * 20,  # é as e + accent: NFC makes it one character
    ],
)
def test_an_excerpt_is_what_truncatechars_gives(text):
    assert excerpt(text, 220) == truncatechars(text, 220)


def test_an_excerpt_of_a_long_text_ends_in_an_ellipsis_within_the_length():
    shown = excerpt("Fakturaer konteres manuelt i bydelene. " * 20, 60)
    assert len(shown) == 60 and shown.endswith("…")
