"""Every write of the core goes through services.py; these are its rules."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from samspil.conftest import add_member, make_invitation, make_user
from samspil.core import services
from samspil.core.models import AccessToken, Invitation, Membership, Role

# update_organisation ------------------------------------------------------------------------


def test_it_lets_erin_update_organisation_a(erin, org_a):
    services.update_organisation(erin, org_a, name="Arby Municipality", theme_colour="#112233")
    org_a.refresh_from_db()
    assert org_a.name == "Arby Municipality"
    assert org_a.theme_colour == "#112233"


def test_it_lets_erin_update_the_department_below_organisation_a(erin, org_a_department):
    services.update_organisation(erin, org_a_department, description="Social services")
    org_a_department.refresh_from_db()
    assert org_a_department.description == "Social services"


@pytest.mark.parametrize("persona", ["alice", "bob", "charlie", "dave"])
def test_it_refuses_an_update_by_anyone_but_an_admin(persona, request, org_a):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.update_organisation(user, org_a, name="Taken over")
    org_a.refresh_from_db()
    assert org_a.name == "Arby Kommune"


def test_it_refuses_an_invalid_theme_colour(erin, org_a):
    with pytest.raises(ValidationError) as error:
        services.update_organisation(erin, org_a, theme_colour="red")
    assert "theme_colour" in error.value.error_dict


def test_it_refuses_a_field_that_may_not_be_edited(erin, org_a):
    with pytest.raises(ValueError):
        services.update_organisation(erin, org_a, slug="elsewhere")


def test_it_refuses_to_make_an_organisation_belong_to_itself(erin, org_a):
    with pytest.raises(ValidationError) as error:
        services.update_organisation(erin, org_a, parent=org_a)
    assert "parent" in error.value.error_dict


def test_it_refuses_to_make_an_organisation_belong_to_its_own_department(
    erin, org_a, org_a_department
):
    with pytest.raises(ValidationError) as error:
        services.update_organisation(erin, org_a, parent=org_a_department)
    assert "parent" in error.value.error_dict
    org_a.refresh_from_db()
    assert org_a.parent is None


# invite_member and accept_invitation ---------------------------------------------------------


def test_it_records_an_invitation_with_its_roles_and_a_digest_only(
    erin, org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_member(
            erin, org_a, " New.Person@Example.org ", [Role.Code.INNOVATION_LEAD, Role.Code.MEMBER]
        )
    assert invitation.email == "new.person@example.org"
    assert invitation.invited_by == erin
    assert [r.code for r in invitation.roles.all()] == [Role.Code.INNOVATION_LEAD]
    assert len(invitation.token_digest) == 64
    assert len(mail.outbox) == 1
    assert invitation.token_digest not in mail.outbox[0].body


def test_it_refuses_to_invite_an_existing_member(erin, bob, org_a):
    with pytest.raises(ValidationError) as error:
        services.invite_member(erin, org_a, "BOB@example.org", [])
    assert "email" in error.value.error_dict
    assert not Invitation.objects.exists()


def test_it_refuses_an_invitation_by_a_non_admin(alice, org_a):
    with pytest.raises(PermissionDenied):
        services.invite_member(alice, org_a, "someone@example.org", [])


def test_it_lets_an_invited_person_accept_and_get_the_roles(charlie, org_a):
    invitation, _token = make_invitation(org_a, "charlie@example.org")
    invitation.roles.add(Role.objects.get(code=Role.Code.BOARD_MEMBER))
    membership = services.accept_invitation(charlie, invitation)
    assert membership.organisation == org_a
    assert [r.code for r in membership.roles.all()] == [Role.Code.BOARD_MEMBER]
    invitation.refresh_from_db()
    assert invitation.accepted_by == charlie
    assert not invitation.is_open


def test_it_refuses_an_invitation_accepted_with_another_e_mail_address(charlie, org_a):
    invitation, _token = make_invitation(org_a, "someone.else@example.org")
    with pytest.raises(PermissionDenied):
        services.accept_invitation(charlie, invitation)
    assert not Membership.objects.filter(user=charlie, organisation=org_a).exists()


def test_it_refuses_an_expired_invitation(charlie, org_a):
    invitation, _token = make_invitation(
        org_a, "charlie@example.org", expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(ValidationError):
        services.accept_invitation(charlie, invitation)


def test_it_refuses_an_invitation_used_twice(charlie, org_a):
    invitation, _token = make_invitation(org_a, "charlie@example.org")
    services.accept_invitation(charlie, invitation)
    with pytest.raises(ValidationError):
        services.accept_invitation(charlie, invitation)


def test_it_finds_only_open_invitations_by_their_token(org_a):
    invitation, token = make_invitation(org_a, "x@example.org")
    assert services.find_open_invitation(token) == invitation
    assert services.find_open_invitation("garbage") is None
    invitation.accepted_at = timezone.now()
    invitation.save()
    assert services.find_open_invitation(token) is None


def test_it_registers_a_new_person_from_an_invitation(org_a):
    invitation, _token = make_invitation(org_a, "newbie@example.org")
    user = services.register_from_invitation(
        invitation,
        first_name="New",
        last_name="Bie",
        password="a long enough secret",
        language="sv",
    )
    assert user.username == "newbie"
    assert user.language == "sv"
    assert user.check_password("a long enough secret")
    assert Membership.objects.filter(user=user, organisation=org_a).exists()


def test_it_gives_a_registered_person_a_free_user_name(bob, org_a):
    invitation, _token = make_invitation(org_a, "bob@elsewhere.example")
    user = services.register_from_invitation(
        invitation,
        first_name="Other",
        last_name="Bob",
        password="a long enough secret",
        language="da",
    )
    assert user.username == "bob2"


def test_it_refuses_to_register_an_address_that_has_an_account(charlie, org_a):
    invitation, _token = make_invitation(org_a, "charlie@example.org")
    with pytest.raises(ValidationError):
        services.register_from_invitation(
            invitation,
            first_name="C",
            last_name="C",
            password="a long enough secret",
            language="da",
        )


# set_roles and remove_member ------------------------------------------------------------------


def test_it_lets_erin_set_bobs_roles(erin, bob, org_a):
    membership = bob.memberships.get()
    services.set_roles(erin, membership, [Role.Code.PROCUREMENT_OFFICER, Role.Code.BOARD_MEMBER])
    assert {r.code for r in membership.roles.all()} == {
        Role.Code.PROCUREMENT_OFFICER,
        Role.Code.BOARD_MEMBER,
    }


def test_it_refuses_roles_set_by_a_non_admin(alice, bob):
    with pytest.raises(PermissionDenied):
        services.set_roles(alice, bob.memberships.get(), [Role.Code.ADMIN])


def test_it_refuses_to_let_the_last_admin_drop_her_admin_role(erin):
    membership = erin.memberships.get()
    with pytest.raises(ValidationError):
        services.set_roles(erin, membership, [Role.Code.INNOVATION_LEAD])
    assert membership.roles.filter(code=Role.Code.ADMIN).exists()


def test_it_lets_an_admin_step_down_when_another_admin_remains(erin, bob):
    services.set_roles(erin, bob.memberships.get(), [Role.Code.ADMIN])
    services.set_roles(erin, erin.memberships.get(), [])
    assert not erin.memberships.get().roles.exists()


def test_it_lets_erin_remove_bob(erin, bob, org_a):
    services.remove_member(erin, bob.memberships.get())
    assert not Membership.objects.filter(user=bob, organisation=org_a).exists()


def test_it_refuses_a_removal_by_a_non_admin(alice, bob):
    with pytest.raises(PermissionDenied):
        services.remove_member(alice, bob.memberships.get())


def test_it_refuses_to_remove_the_last_admin(erin):
    with pytest.raises(ValidationError):
        services.remove_member(erin, erin.memberships.get())
    assert erin.memberships.exists()


def test_it_lets_the_parents_admin_manage_a_departments_members(erin, org_a_department):
    frank = make_user("frank")
    membership = add_member(frank, org_a_department)
    services.set_roles(erin, membership, [Role.Code.INNOVATION_LEAD])
    services.remove_member(erin, membership)
    assert not frank.memberships.exists()


# profile and access tokens ---------------------------------------------------------------------


def test_it_updates_a_profile_and_refuses_other_fields(bob):
    services.update_profile(bob, job_title="Caseworker", language="en")
    bob.refresh_from_db()
    assert (bob.job_title, bob.language) == ("Caseworker", "en")
    with pytest.raises(ValueError):
        services.update_profile(bob, is_superuser=True)


def test_it_stores_only_a_digest_of_an_access_token(alice):
    with translation.override("en"):
        token, secret = services.create_access_token(alice, "  ")
    assert secret.startswith(AccessToken.PREFIX)
    assert token.digest == AccessToken.digest_of(secret)
    assert secret not in {token.digest, token.name}
    assert token.hint == secret[:8]
    assert token.name == "API token"


def test_it_finds_the_user_of_an_access_token_and_notes_its_use(alice):
    token, secret = services.create_access_token(alice, "report")
    assert services.user_for_access_token(secret) == alice
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_it_ignores_a_revoked_access_token(alice):
    token, secret = services.create_access_token(alice, "report")
    services.revoke_access_token(alice, token)
    assert services.user_for_access_token(secret) is None


def test_it_ignores_a_token_of_an_inactive_user_and_garbage(alice):
    _token, secret = services.create_access_token(alice, "report")
    alice.is_active = False
    alice.save()
    assert services.user_for_access_token(secret) is None
    assert services.user_for_access_token("sp_garbage") is None


def test_it_refuses_to_revoke_another_persons_token(alice, bob):
    token, _secret = services.create_access_token(alice, "report")
    with pytest.raises(PermissionDenied):
        services.revoke_access_token(bob, token)


# remind_open_invitations ---------------------------------------------------------------------


def test_it_reminds_once_and_only_of_invitations_expiring_within_three_days(
    erin, org_a, django_capture_on_commit_callbacks
):
    now = timezone.now()
    due, old_token = make_invitation(org_a, "due@example.org", expires_at=now + timedelta(days=2))
    make_invitation(org_a, "later@example.org", expires_at=now + timedelta(days=5))
    make_invitation(org_a, "gone@example.org", expires_at=now - timedelta(days=1))
    make_invitation(
        org_a,
        "done@example.org",
        expires_at=now + timedelta(days=1),
        accepted_at=now,
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_open_invitations() == 1
    assert [m.to for m in mail.outbox] == [["due@example.org"]]

    due.refresh_from_db()
    assert due.reminded_at is not None
    # The reminder carries a fresh link; the first one no longer works.
    assert services.find_open_invitation(old_token) is None
    assert "/invitations/" in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_open_invitations() == 0
    assert len(mail.outbox) == 1


def test_it_sends_a_reminder_link_that_works(org_a, django_capture_on_commit_callbacks):
    due, _token = make_invitation(
        org_a, "due@example.org", expires_at=timezone.now() + timedelta(hours=5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.remind_open_invitations()
    path = next(line for line in mail.outbox[0].body.splitlines() if "/invitations/" in line)
    token = path.rstrip("/").rsplit("/", 1)[-1]
    assert services.find_open_invitation(token) == due
