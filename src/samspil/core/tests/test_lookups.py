"""An id no column can hold matches no row, on SQLite (whose driver would raise OverflowError)
as on PostgreSQL: in ``in`` lookups, on foreign keys, in model choice fields and in trees."""

import pytest
from django import forms

from samspil.core import permissions
from samspil.core.models import Membership, Organisation

HUGE = 10**20  # beyond a 64-bit column
EDGE = 2**63  # the first value a signed 64-bit column cannot hold


@pytest.mark.django_db
@pytest.mark.parametrize("value", [HUGE, EDGE, -(2**63) - 1])
def test_in_on_a_primary_key_drops_what_no_column_holds(org_a, value):
    assert list(Organisation.objects.filter(pk__in=[value])) == []
    assert list(Organisation.objects.filter(pk__in=[value, org_a.pk])) == [org_a]


@pytest.mark.django_db
def test_a_foreign_key_treats_it_as_no_row_in_exact_and_in(alice, org_a):
    memberships = Membership.objects.filter(user=alice)
    assert not memberships.filter(organisation_id=HUGE).exists()
    assert not memberships.filter(organisation=HUGE).exists()
    assert list(memberships.filter(organisation_id__in=[HUGE, org_a.pk])) == list(
        memberships.filter(organisation=org_a)
    )
    assert memberships.exclude(organisation_id=HUGE).count() == memberships.count()


@pytest.mark.django_db
def test_model_choice_fields_call_it_an_invalid_choice(org_a):
    class Choice(forms.Form):
        one = forms.ModelChoiceField(Organisation.objects.all())
        many = forms.ModelMultipleChoiceField(Organisation.objects.all())

    form = Choice({"one": str(HUGE), "many": [str(HUGE), str(org_a.pk)]})
    assert not form.is_valid()
    assert set(form.errors) == {"one", "many"}


@pytest.mark.django_db
def test_an_organisation_tree_of_such_an_id_is_empty(org_a, org_a_department):
    assert permissions._with_descendants({HUGE}) == {HUGE}
    assert permissions._with_descendants({HUGE, org_a.pk}) == {HUGE, org_a.pk, org_a_department.pk}


@pytest.mark.django_db
def test_pages_and_forms_answer_without_a_500(client_for, alice):
    client = client_for(alice)
    assert client.get(f"/needs/?organisation={HUGE}").status_code == 200
    assert client.get(f"/challenges/new/?needs={HUGE}").status_code == 200
    response = client.post(
        "/needs/new/", {"title": "A title", "description": "Text", "themes": [HUGE]}
    )
    assert response.status_code == 422
