"""LIKE folds case in every alphabet on SQLite, as on PostgreSQL."""

import pytest

from samspil.core.models import Organisation
from samspil.core.sqlite import like


def test_it_folds_nordic_letters():
    assert like("%øko%", "Økonomiforvaltningen") == 1
    assert like("århus", "ÅRHUS") == 1
    assert like("%HÄLSA%", "Hälsa och sjukvård") == 1
    assert like("%æble%", "Æbler") == 1
    assert like("%oslo%", "Bergen") == 0


def test_it_keeps_like_wildcards_and_their_escapes():
    assert like("a_c", "abc") == 1 and like("a_c", "abbc") == 0
    assert like("50\\%%", "50% mindre tid", "\\") == 1
    assert like("50\\%%", "500 minutter", "\\") == 0
    assert like("a\\_b", "a_b", "\\") == 1 and like("a\\_b", "axb", "\\") == 0
    assert like("%(.*)%", "regex (.*) stays literal") == 1
    assert like("line%", "line one\nline two") == 1


def test_it_answers_null_for_null():
    assert like(None, "x") is None and like("x", None) is None


@pytest.mark.django_db
def test_it_finds_nordic_text_whatever_its_case(org_a):
    Organisation.objects.filter(pk=org_a.pk).update(name="Økonomiforvaltningen Århus")
    assert Organisation.objects.filter(name__icontains="øKONOMI").exists()
    assert Organisation.objects.filter(name__icontains="århus").exists()
    assert Organisation.objects.filter(name__iexact="økonomiforvaltningen århus").exists()
    assert not Organisation.objects.filter(name__icontains="Ærø").exists()
