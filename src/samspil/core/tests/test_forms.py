"""The lean select renders like Django's: escaped labels, the chosen option selected; the
labelled choice field reads its options as values."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samspil.core.forms import LabelledChoiceField, LeanChoiceField, LeanSelect
from samspil.core.models import Organisation


class OrganisationFilter(forms.Form):
    organisation = forms.TypedChoiceField(
        choices=[("", "All"), (1, "Kø<b>benhavn"), (2, "Oslo")],
        coerce=int,
        required=False,
        widget=LeanSelect(attrs={"class": "ds-input"}),
    )


def test_it_escapes_labels_and_marks_the_chosen_option():
    html = str(OrganisationFilter({"organisation": "1"})["organisation"])
    assert '<option value="1" selected>Kø&lt;b&gt;benhavn</option>' in html
    assert '<option value="2">Oslo</option>' in html
    assert 'class="ds-input"' in html and 'name="organisation"' in html


def test_it_selects_the_empty_choice_when_nothing_is_chosen():
    html = str(OrganisationFilter()["organisation"])
    assert '<option value="" selected>All</option>' in html


class OwnerFilter(forms.Form):
    organisation = LabelledChoiceField(
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label="All organisations",
        label_field="name",
    )


@pytest.mark.django_db
def test_it_reads_labelled_choices_as_values_in_one_query(org_a, org_b):
    with CaptureQueriesContext(connection) as captured:
        html = str(OwnerFilter({"organisation": str(org_b.pk)})["organisation"])
    # Besides the validation of the chosen id, one query for the options, of two columns.
    (options,) = (q["sql"] for q in captured if "ORDER BY" in q["sql"])
    assert '"description"' not in options and '"name"' in options
    assert f'<option value="{org_b.pk}" selected>{org_b.name}</option>' in html
    assert f'<option value="{org_a.pk}">{org_a.name}</option>' in html
    assert '<option value="">All organisations</option>' in html


@pytest.mark.django_db
def test_it_validates_a_labelled_choice_against_its_queryset(org_a):
    assert OwnerFilter({"organisation": str(org_a.pk)}).is_valid()
    form = OwnerFilter({"organisation": "999999"})
    assert not form.is_valid() and "organisation" in form.errors


class LongFilter(forms.Form):
    organisation = LeanChoiceField(coerce=int, empty_value=None, required=False)

    def __init__(self, *args, pairs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "All"), *pairs]


def test_a_lean_choice_field_keeps_its_pairs_as_given_and_validates_against_them():
    pairs = [(pk, f"Kommune {pk}") for pk in range(1, 801)]
    form = LongFilter({"organisation": "17"}, pairs=pairs)
    assert form.is_valid() and form.cleaned_data["organisation"] == 17
    assert form.fields["organisation"].choices[1] == (1, "Kommune 1")
    refused = LongFilter({"organisation": "801"}, pairs=pairs)
    assert not refused.is_valid() and "organisation" in refused.errors


def test_the_same_options_shown_again_mark_only_the_new_choice():
    pairs = [(1, "Aarhus"), (2, "Oslo")]
    first = str(LongFilter({"organisation": "1"}, pairs=pairs)["organisation"])
    second = str(LongFilter({"organisation": "2"}, pairs=pairs)["organisation"])
    assert '<option value="1" selected>Aarhus</option>' in first
    assert '<option value="2">Oslo</option>' in first
    assert '<option value="1">Aarhus</option>' in second
    assert '<option value="2" selected>Oslo</option>' in second
