"""Amount cells of the criteria table: one number or a range, in the page's number style."""

from decimal import Decimal

import pytest
from django.utils import translation

from samspil.proposals.followup_forms import (
    CriteriaRowForm,
    format_amount_range,
    parse_amount_range,
)

D = Decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1500", (D(1500), D(1500))),
        ("1500-3000", (D(1500), D(3000))),
        ("1500–3000", (D(1500), D(3000))),
        ("1,500 — 3,000", (D(1500), D(3000))),
        ("0.5", (D("0.5"), D("0.5"))),
        ("abc", None),
        ("-500", (D(-500), D(-500))),  # read; the service says "without a sign"
        ("1000/1500/3000", None),
        ("1500-", None),
        ("1,50", None),
    ],
)
def test_it_reads_english_amounts_and_ranges(text, expected):
    with translation.override("en"):
        assert parse_amount_range(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.500–3.000", (D(1500), D(3000))),
        ("1500-3000", (D(1500), D(3000))),
        ("0,5", (D("0.5"), D("0.5"))),
        ("2 700", (D(2700), D(2700))),
        ("1.5", None),
    ],
)
def test_it_reads_danish_amounts_and_refuses_a_dot_that_is_no_thousands_group(text, expected):
    with translation.override("da"):
        assert parse_amount_range(text) == expected


def test_it_writes_amounts_in_the_languages_number_style():
    with translation.override("da"):
        assert format_amount_range(D("1500.00"), D("3000.00")) == "1.500–3.000"
        assert format_amount_range(D("500.50"), D("500.50")) == "500,50"
    with translation.override("en"):
        assert format_amount_range(D(2700), None) == "2,700"
        assert format_amount_range(None, None) == ""


def test_it_keeps_what_was_typed_when_an_amount_is_refused():
    form = CriteriaRowForm({"label": "1. Complaints", "expense": "lots", "saving": "500"})
    assert not form.is_valid()
    assert "Enter an amount or a range" in form.errors["expense"][0]
    assert 'value="lots"' in str(form["expense"])
