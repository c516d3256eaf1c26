"""Who sees and may change which organisations and memberships (core/permissions.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from samspil.conftest import add_member, make_user
from samspil.core import permissions
from samspil.core.models import Invitation, Membership, Organisation, Role, Visibility


def organisation(slug: str, visibility: str, kind: str = "municipality", **extra) -> Organisation:
    return Organisation.objects.create(
        name=slug.capitalize(),
        slug=slug,
        kind=kind,
        country="DK",
        currency="DKK",
        visibility=visibility,
        **extra,
    )


@pytest.fixture
def records(db):
    """One organisation of each visibility, owned by nobody the personas belong to."""
    return {
        "public": organisation("open", Visibility.PUBLIC),
        "shared": organisation("shared", Visibility.SHARED),
        "internal": organisation("closed", Visibility.INTERNAL),
    }


def visible_slugs(user) -> set[str]:
    return set(permissions.organisations_visible_to(user).values_list("slug", flat=True))


def slugs_through_visible_q(user) -> set[str]:
    """visible_q on organisations standing in for records: the parent is the owner."""
    return set(
        Organisation.objects.filter(permissions.visible_q(user, owner_field="parent")).values_list(
            "slug", flat=True
        )
    )


# organisations_visible_to and get_organisation_for_user ---------------------------------------


def test_it_shows_an_anonymous_visitor_only_public_organisations(
    records, org_a, org_a_department, org_c
):
    assert visible_slugs(AnonymousUser()) == {"open", "arby", "cobalt"}


def test_it_gives_an_anonymous_visitor_404_on_an_internal_organisation(org_a_department):
    with pytest.raises(Http404):
        permissions.get_organisation_for_user(AnonymousUser(), org_a_department.pk)


def test_it_shows_alice_her_own_internal_department(alice, org_a_department, records):
    assert visible_slugs(alice) == {"arby", "arby-social", "open", "shared"}
    assert permissions.get_organisation_for_user(alice, org_a_department.pk) == org_a_department


def test_it_shows_bob_his_own_internal_department(bob, org_a_department):
    assert permissions.get_organisation_for_user(bob, org_a_department.pk) == org_a_department


def test_it_gives_charlie_404_on_another_organisations_internal_department(
    charlie, org_a_department
):
    with pytest.raises(Http404):
        permissions.get_organisation_for_user(charlie, org_a_department.pk)


def test_it_shows_charlie_shared_organisations_because_he_is_public_sector(charlie, records):
    assert visible_slugs(charlie) == {"bergvik", "open", "shared"}


def test_it_does_not_show_dave_the_supplier_shared_or_internal_organisations(dave, records):
    assert visible_slugs(dave) == {"cobalt", "open"}
    with pytest.raises(Http404):
        permissions.get_organisation_for_user(dave, records["shared"].pk)


def test_it_shows_dave_his_own_internal_company(dave, org_c):
    org_c.visibility = Visibility.INTERNAL
    org_c.save()
    assert permissions.get_organisation_for_user(dave, org_c.pk) == org_c


def test_it_shows_erin_everything_below_organisation_a(erin, org_a_department):
    grandchild = organisation("arby-social-team", Visibility.INTERNAL, parent=org_a_department)
    assert permissions.get_organisation_for_user(erin, grandchild.pk) == grandchild


def test_it_does_not_show_a_department_member_the_internal_parent(org_a, org_a_department):
    org_a.visibility = Visibility.INTERNAL
    org_a.save()
    frank = make_user("frank")
    add_member(frank, org_a_department)
    with pytest.raises(Http404):
        permissions.get_organisation_for_user(frank, org_a.pk)


def test_it_shows_a_superuser_everything(records):
    root = make_user("root", is_superuser=True)
    assert permissions.get_organisation_for_user(root, records["internal"].pk)


@pytest.mark.parametrize("pk", ["abc", None, 999999])
def test_it_gives_404_for_a_malformed_or_missing_pk(alice, pk):
    with pytest.raises(Http404):
        permissions.get_organisation_for_user(alice, pk)


# visible_q on records with an owner and a visibility ------------------------------------------


@pytest.fixture
def owned(org_a, org_b):
    """Organisations used as records: their parent is the owner, their visibility is theirs."""
    return {
        "a-internal": organisation(
            "a-internal", Visibility.INTERNAL, kind="department", parent=org_a
        ),
        "a-shared": organisation("a-shared", Visibility.SHARED, kind="department", parent=org_a),
        "a-public": organisation("a-public", Visibility.PUBLIC, kind="department", parent=org_a),
        "b-internal": organisation(
            "b-internal", Visibility.INTERNAL, kind="department", parent=org_b
        ),
    }


def test_it_lets_visible_q_show_an_owners_members_their_internal_records(alice, owned):
    assert {"a-internal", "a-shared", "a-public"} <= slugs_through_visible_q(alice)
    assert "b-internal" not in slugs_through_visible_q(alice)


def test_it_lets_visible_q_show_another_public_sector_member_shared_but_not_internal(
    charlie, owned
):
    seen = slugs_through_visible_q(charlie)
    assert {"a-shared", "a-public", "b-internal"} <= seen
    assert "a-internal" not in seen


def test_it_lets_visible_q_show_a_supplier_only_public_records(dave, owned):
    seen = slugs_through_visible_q(dave)
    assert "a-public" in seen
    assert not seen & {"a-internal", "a-shared", "b-internal"}


def test_it_lets_visible_q_show_an_anonymous_visitor_only_public_records(owned):
    seen = slugs_through_visible_q(AnonymousUser())
    assert "a-public" in seen
    assert not seen & {"a-internal", "a-shared", "b-internal"}


def test_it_gives_charlie_404_through_get_visible_or_404_on_an_internal_record(charlie, owned):
    with pytest.raises(Http404):
        permissions.get_visible_or_404(
            charlie, Organisation.objects.all(), owned["a-internal"].pk, owner_field="parent"
        )
    found = permissions.get_visible_or_404(
        charlie, Organisation.objects.all(), owned["a-shared"].pk, owner_field="parent"
    )
    assert found == owned["a-shared"]


# can_edit_organisation, can_see_members, memberships_visible_to, has_role ----------------------


def test_it_lets_erin_edit_organisation_a_and_its_department(erin, org_a, org_a_department):
    assert permissions.can_edit_organisation(erin, org_a)
    assert permissions.can_edit_organisation(erin, org_a_department)
    assert permissions.can_manage_members(erin, org_a)


def test_it_does_not_let_alice_edit_organisation_a(alice, org_a):
    assert not permissions.can_edit_organisation(alice, org_a)


def test_it_does_not_let_charlie_edit_organisation_a(charlie, org_a, org_a_department):
    assert not permissions.can_edit_organisation(charlie, org_a)
    assert not permissions.can_edit_organisation(charlie, org_a_department)


def test_it_does_not_let_an_anonymous_visitor_edit_anything(org_a):
    assert not permissions.can_edit_organisation(AnonymousUser(), org_a)


def test_it_does_not_let_a_department_admin_edit_the_parent(org_a, org_a_department):
    frank = make_user("frank")
    add_member(frank, org_a_department, Role.Code.ADMIN)
    assert permissions.can_edit_organisation(frank, org_a_department)
    assert not permissions.can_edit_organisation(frank, org_a)


def test_it_shows_members_to_the_organisations_own_people(alice, bob, org_a, org_a_department):
    assert permissions.can_see_members(alice, org_a)
    assert permissions.can_see_members(bob, org_a)
    assert permissions.can_see_members(bob, org_a_department)


def test_it_hides_members_from_other_organisations_and_visitors(charlie, dave, org_a):
    assert not permissions.can_see_members(charlie, org_a)
    assert not permissions.can_see_members(dave, org_a)
    assert not permissions.can_see_members(AnonymousUser(), org_a)


def test_it_shows_alice_the_memberships_of_her_organisation_and_her_own(alice, bob, charlie, org_a):
    visible = set(permissions.memberships_visible_to(alice))
    assert visible == set(Membership.objects.filter(organisation=org_a))
    assert not visible & set(charlie.memberships.all())


def test_it_shows_charlie_only_memberships_of_organisation_b(alice, charlie, org_b):
    visible = set(permissions.memberships_visible_to(charlie))
    assert visible == set(charlie.memberships.all())
    with pytest.raises(Http404):
        permissions.get_membership_for_user(charlie, alice.memberships.get().pk)


def test_it_shows_an_anonymous_visitor_no_memberships(alice):
    assert not permissions.memberships_visible_to(AnonymousUser()).exists()


def test_it_shows_a_person_their_own_memberships_in_every_organisation(org_a, org_b):
    frank = make_user("frank")
    mine = {add_member(frank, org_a), add_member(frank, org_b)}
    assert mine <= set(permissions.memberships_visible_to(frank))


def test_it_knows_alice_is_an_innovation_lead_and_not_an_admin(alice, org_a, org_b):
    assert permissions.has_role(alice, org_a, Role.Code.INNOVATION_LEAD)
    assert permissions.has_role(alice, org_a.pk, Role.Code.MEMBER)
    assert not permissions.has_role(alice, org_a, Role.Code.ADMIN)
    assert not permissions.has_role(alice, org_b, Role.Code.INNOVATION_LEAD)


def test_it_knows_bob_is_only_a_member(bob, org_a):
    assert permissions.has_role(bob, org_a, Role.Code.MEMBER)
    assert not permissions.has_role(bob, org_a, Role.Code.INNOVATION_LEAD)


def test_it_treats_an_admin_as_holding_every_role(erin, org_a):
    assert permissions.has_role(erin, org_a, Role.Code.PROCUREMENT_OFFICER, Role.Code.BOARD_MEMBER)


def test_it_gives_an_anonymous_visitor_no_role(org_a):
    assert not permissions.has_role(AnonymousUser(), org_a, Role.Code.MEMBER)


def test_it_sees_new_roles_after_forget_access(bob, org_a):
    assert not permissions.has_role(bob, org_a, Role.Code.BOARD_MEMBER)
    bob.memberships.get().roles.add(Role.objects.get(code=Role.Code.BOARD_MEMBER))
    assert not permissions.has_role(bob, org_a, Role.Code.BOARD_MEMBER)  # cached per user object
    permissions.forget_access(bob)
    assert permissions.has_role(bob, org_a, Role.Code.BOARD_MEMBER)


def test_it_shows_invitations_only_to_admins(erin, alice, org_a):
    invitation = Invitation.objects.create(
        organisation=org_a, email="x@example.org", token_digest="d" * 64
    )
    assert list(permissions.invitations_visible_to(erin)) == [invitation]
    assert not permissions.invitations_visible_to(alice).exists()
