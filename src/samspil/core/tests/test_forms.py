"""The lean select renders like Django's: escaped labels, the chosen option selected."""

from django import forms

from samspil.core.forms import LeanSelect


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
