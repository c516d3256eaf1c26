"""Organisation admins add departments and units below their organisation."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samspil.core import permissions, services
from samspil.core.models import Membership, Organisation

PART = {
    "name": "Arby Børne- og Ungdomsforvaltning",
    "kind": "department",
    "country": "DK",
    "national_id": "",
    "currency": "DKK",
    "theme_colour": "#336699",
    "website": "",
    "description": "",
    "visibility": "shared",
}


def test_it_lets_an_admin_add_a_part_and_makes_them_its_admin(erin, org_a):
    part = services.create_part_of(erin, org_a, **PART)
    assert part.parent == org_a
    assert part.slug.startswith("arby-brne")
    membership = Membership.objects.get(user=erin, organisation=part)
    assert [r.code for r in membership.roles.all()] == ["admin"]
    assert permissions.can_edit_organisation(erin, part)


def test_it_refuses_a_part_from_someone_who_is_not_admin(alice, org_a):
    with pytest.raises(PermissionDenied):
        services.create_part_of(alice, org_a, **PART)


def test_it_gives_parts_with_the_same_name_different_slugs(erin, org_a):
    first = services.create_part_of(erin, org_a, **PART)
    second = services.create_part_of(erin, org_a, **PART)
    assert first.slug != second.slug


def test_it_shows_the_add_page_only_to_admins(client_for, erin, alice, charlie, org_a, client):
    url = reverse("organisation-add-part", args=[org_a.pk])
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    assert client_for(alice).get(url).status_code == 403
    assert client_for(charlie).get(url).status_code == 403
    assert client_for(erin).get(url).status_code == 200


def test_it_creates_a_part_through_the_page(client_for, erin, org_a):
    response = client_for(erin).post(
        reverse("organisation-add-part", args=[org_a.pk]), {**PART, "visibility": "internal"}
    )
    part = Organisation.objects.get(parent=org_a)
    assert response.status_code == 302
    assert response["Location"] == part.get_absolute_url()


def test_it_keeps_what_was_typed_when_the_colour_is_wrong(client_for, erin, org_a):
    response = client_for(erin).post(
        reverse("organisation-add-part", args=[org_a.pk]), {**PART, "theme_colour": "red"}
    )
    assert response.status_code == 200
    assert "theme_colour" in response.context["form"].errors
    assert PART["name"] in response.content.decode()
    assert not Organisation.objects.filter(parent=org_a).exists()


def test_it_offers_as_parent_only_organisations_the_admin_manages(
    client_for, erin, org_a, org_a_department, org_b
):
    form = client_for(erin).get(reverse("organisation-edit", args=[org_a_department.pk]))
    choices = set(form.context["form"].fields["parent"].queryset)
    assert choices == {org_a}
    response = client_for(erin).post(
        reverse("organisation-edit", args=[org_a_department.pk]),
        {**PART, "name": org_a_department.name, "parent": org_b.pk},
    )
    assert "parent" in response.context["form"].errors
    org_a_department.refresh_from_db()
    assert org_a_department.parent == org_a


def test_it_keeps_the_saved_name_in_the_heading_while_showing_errors(client_for, erin, org_a):
    response = client_for(erin).post(
        reverse("organisation-edit", args=[org_a.pk]),
        {**PART, "name": "Typed but not saved", "theme_colour": "red"},
    )
    assert response.context["organisation"].name == "Arby Kommune"
    assert 'value="Typed but not saved"' in response.content.decode()


def test_it_reads_each_tree_once_within_a_request_and_again_after_a_change(erin, org_a):
    with permissions.remembering_trees():
        with CaptureQueriesContext(connection) as first:
            assert permissions._with_descendants({org_a.pk}) == {org_a.pk}
        with CaptureQueriesContext(connection) as again:
            assert permissions._with_descendants({org_a.pk}) == {org_a.pk}
        part = services.create_part_of(erin, org_a, **PART)
        assert permissions._with_descendants({org_a.pk}) == {org_a.pk, part.pk}
    assert len(first) >= 1 and len(again) == 0


def test_it_reads_trees_afresh_outside_a_request(erin, org_a):
    permissions._with_descendants({org_a.pk})
    with CaptureQueriesContext(connection) as captured:
        permissions._with_descendants({org_a.pk})
    assert len(captured) >= 1


def test_it_reads_a_tree_of_any_depth_in_one_query_and_its_parts_from_it(erin, org_a):
    part = services.create_part_of(erin, org_a, **PART)
    below = services.create_part_of(erin, part, **{**PART, "name": "Team under the part"})
    with permissions.remembering_trees():
        with CaptureQueriesContext(connection) as whole:
            assert permissions._with_descendants({org_a.pk}) == {org_a.pk, part.pk, below.pk}
        with CaptureQueriesContext(connection) as parts:
            assert permissions._with_descendants({part.pk}) == {part.pk, below.pk}
            assert permissions._with_descendants({below.pk}) == {below.pk}
    assert len(whole) == 1 and len(parts) == 0


def test_a_parent_loop_saved_by_mistake_does_not_make_the_tree_endless(erin, org_a):
    part = services.create_part_of(erin, org_a, **PART)
    Organisation.objects.filter(pk=org_a.pk).update(parent=part)  # a loop, past the services
    assert permissions._with_descendants({org_a.pk}) == {org_a.pk, part.pk}
