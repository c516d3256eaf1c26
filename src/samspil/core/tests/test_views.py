"""The core's pages, for the people who may and may not use them (Django's test client)."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samspil.conftest import add_member, make_invitation
from samspil.core.middleware import SESSION_KEY
from samspil.core.models import AccessToken, Invitation, Membership, Organisation, Role, User

HTMX = {"HX-Request": "true"}
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def english(client):
    """Pages in English, so that text assertions hold whether or not translations are compiled."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def templates_of(response) -> list[str]:
    return [t.name for t in response.templates if t.name]


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def organisation_data(organisation: Organisation, **changes) -> dict:
    data = {
        "name": organisation.name,
        "kind": organisation.kind,
        "country": organisation.country,
        "national_id": organisation.national_id,
        "parent": organisation.parent_id or "",
        "currency": organisation.currency,
        "theme_colour": organisation.theme_colour,
        "website": organisation.website,
        "description": organisation.description,
        "visibility": organisation.visibility,
    }
    data.update(changes)
    return data


def error_next_to(content: str, field: str) -> str:
    """The text of the element that holds a field's errors (``id_<field>_error``)."""
    found = re.search(rf'<(\w+)[^>]*id="id_{field}_error"[^>]*>(.*?)</\1>', content, re.S)
    assert found is not None, f"no error shown next to {field}"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(2)).split())


def make_organisations(count: int, start: int = 0) -> None:
    Organisation.objects.bulk_create(
        Organisation(
            name=f"Kommune {n:03}",
            slug=f"kommune-{n}",
            kind="municipality",
            country="SE",
            currency="SEK",
        )
        for n in range(start, start + count)
    )


def make_members(organisation: Organisation, count: int, start: int = 0) -> None:
    innovation_lead = Role.objects.get(code=Role.Code.INNOVATION_LEAD)
    for n in range(start, start + count):
        person = User.objects.create(
            username=f"person{n}", email=f"person{n}@example.org", first_name=f"Person {n}"
        )
        add_member(person, organisation).roles.add(innovation_lead)


def queries_for(client, url: str) -> int:
    client.get(url)  # warm up: sessions, first-request work
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


# Home and modules ------------------------------------------------------------------------------


def test_it_shows_the_home_page_to_an_anonymous_visitor(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "core/home.html" in templates_of(response)
    assert reverse("login") in response.content.decode()


def test_it_shows_alice_which_organisation_she_works_for(client_for, alice):
    response = client_for(alice).get("/")
    assert "You are working for Arby Kommune." in response.content.decode()


def test_it_shows_a_module_page(client, db):
    response = client.get("/modules/needs/")
    assert response.status_code == 200
    assert response.context["module_key"] == "needs"


def test_it_gives_404_on_an_unknown_module(client, db):
    response = client.get("/modules/nonsense/")
    assert response.status_code == 404
    assert "404.html" in templates_of(response)


# Organisation list ----------------------------------------------------------------------------


def listed(response) -> list[str]:
    return [o.slug for o in response.context["page"]]


def test_it_lists_public_organisations_to_an_anonymous_visitor(client, org_a, org_a_department):
    response = client.get("/organisations/")
    assert response.status_code == 200
    assert listed(response) == ["arby"]


def test_it_lists_the_internal_department_to_alice_but_not_to_charlie(
    client_for, alice, charlie, org_a_department
):
    assert "arby-social" in listed(client_for(alice).get("/organisations/"))
    assert "arby-social" not in listed(client_for(charlie).get("/organisations/"))


def test_it_filters_organisations_by_kind_country_and_text(client, org_a, org_b, org_c):
    assert listed(client.get("/organisations/", {"kind": "company"})) == ["cobalt"]
    assert listed(client.get("/organisations/", {"country": "NO"})) == ["bergvik"]
    assert listed(client.get("/organisations/", {"q": "arby"})) == ["arby"]
    assert listed(client.get("/organisations/", {"q": "nothing like it"})) == []


def test_it_answers_htmx_with_the_table_only(client, org_a, org_b):
    response = client.get("/organisations/", {"country": "DK"}, headers=HTMX)
    assert response.status_code == 200
    assert templates_of(response)[0] == "core/_organisation_table.html"
    assert "base.html" not in templates_of(response)
    assert "<html" not in response.content.decode()
    assert "Arby Kommune" in response.content.decode()


def test_it_answers_an_htmx_history_restore_with_the_whole_page(client, org_a):
    response = client.get("/organisations/", headers={**HTMX, "HX-History-Restore-Request": "true"})
    assert "core/organisation_list.html" in templates_of(response)
    assert "<html" in response.content.decode()


def test_it_keeps_the_page_and_the_htmx_table_apart_in_caches(client, org_a):
    for headers in ({}, HTMX):
        response = client.get("/organisations/", headers=headers)
        assert "HX-Request" in response["Vary"]


def test_it_keeps_the_filter_in_the_page_links(client, db):
    make_organisations(30)
    response = client.get("/organisations/", {"country": "SE"})
    assert "?country=SE&amp;page=2" in response.content.decode()


def test_it_lists_organisations_in_a_constant_number_of_queries(client_for, alice):
    client = client_for(alice)
    make_organisations(3)
    few = queries_for(client, "/organisations/")
    make_organisations(27, start=3)
    many = queries_for(client, "/organisations/")
    assert few == many


def test_it_lists_organisations_to_a_visitor_in_a_constant_number_of_queries(client, db):
    make_organisations(3)
    few = queries_for(client, "/organisations/")
    make_organisations(27, start=3)
    assert queries_for(client, "/organisations/") == few


def test_a_page_reads_the_persons_memberships_once_for_access_switcher_and_organisation(
    client_for, alice, org_b
):
    add_member(alice, org_b)
    client = client_for(alice)
    client.get("/organisations/")
    with CaptureQueriesContext(connection) as captured:
        content = client.get("/organisations/").content.decode()
    reads = [q["sql"] for q in captured if 'FROM "core_membership"' in q["sql"]]
    assert len(reads) == 1
    assert f'<option value="{org_b.pk}"' in content  # the switcher offers both


# Organisation detail --------------------------------------------------------------------------


def test_it_shows_a_public_organisation_without_its_members_to_a_visitor(client, org_a, bob):
    response = client.get(f"/organisations/{org_a.pk}/")
    assert response.status_code == 200
    assert response.context["can_see_members"] is False
    assert "Bob" not in response.content.decode()


def test_it_shows_alice_the_members_of_her_organisation(client_for, alice, bob, org_a):
    response = client_for(alice).get(f"/organisations/{org_a.pk}/")
    assert response.context["can_see_members"] is True
    assert {m.user for m in response.context["members"]} == {alice, bob}
    assert response.context["can_edit"] is False


def test_it_hides_the_members_of_organisation_a_from_charlie(client_for, charlie, bob, org_a):
    response = client_for(charlie).get(f"/organisations/{org_a.pk}/")
    assert response.status_code == 200
    assert response.context["members"] == []
    assert "Bob" not in response.content.decode()


def test_it_gives_charlie_404_on_the_internal_department(client_for, charlie, org_a_department):
    response = client_for(charlie).get(f"/organisations/{org_a_department.pk}/")
    assert response.status_code == 404
    assert "404.html" in templates_of(response)


def test_it_gives_a_visitor_404_on_the_internal_department(client, org_a_department):
    assert client.get(f"/organisations/{org_a_department.pk}/").status_code == 404


def test_it_shows_bob_the_internal_department_as_part_of_his_organisation(
    client_for, bob, org_a, org_a_department
):
    response = client_for(bob).get(f"/organisations/{org_a.pk}/")
    assert list(response.context["children"]) == [org_a_department]
    assert client_for(bob).get(f"/organisations/{org_a_department.pk}/").status_code == 200


def test_it_shows_erin_the_edit_links_and_the_history(client_for, erin, org_a):
    response = client_for(erin).get(f"/organisations/{org_a.pk}/")
    assert response.context["can_edit"] is True
    content = response.content.decode()
    assert reverse("organisation-edit", args=[org_a.pk]) in content
    assert "_partials/history.html" in templates_of(response)


def test_it_shows_an_organisation_in_a_constant_number_of_queries(client_for, erin, org_a):
    client = client_for(erin)
    make_members(org_a, 3)
    few = queries_for(client, f"/organisations/{org_a.pk}/")
    make_members(org_a, 17, start=3)
    assert queries_for(client, f"/organisations/{org_a.pk}/") == few


# Organisation edit ----------------------------------------------------------------------------


def test_it_lets_erin_edit_organisation_a(client_for, erin, org_a):
    client = client_for(erin)
    assert client.get(f"/organisations/{org_a.pk}/edit/").status_code == 200
    response = client.post(
        f"/organisations/{org_a.pk}/edit/", organisation_data(org_a, name="Arby Municipality")
    )
    assert response.status_code == 302
    assert response["Location"] == org_a.get_absolute_url()
    org_a.refresh_from_db()
    assert org_a.name == "Arby Municipality"
    assert org_a.history.first().history_user == erin


def test_it_lets_erin_edit_the_department_of_organisation_a(client_for, erin, org_a_department):
    response = client_for(erin).post(
        f"/organisations/{org_a_department.pk}/edit/",
        organisation_data(org_a_department, description="Care and welfare"),
    )
    assert response.status_code == 302
    org_a_department.refresh_from_db()
    assert org_a_department.description == "Care and welfare"


def test_it_refuses_alice_the_edit_page(client_for, alice, org_a):
    client = client_for(alice)
    response = client.get(f"/organisations/{org_a.pk}/edit/")
    assert response.status_code == 403
    assert "403.html" in templates_of(response)
    response = client.post(f"/organisations/{org_a.pk}/edit/", organisation_data(org_a, name="X"))
    assert response.status_code == 403
    org_a.refresh_from_db()
    assert org_a.name == "Arby Kommune"


def test_it_gives_charlie_404_on_editing_the_internal_department(
    client_for, charlie, org_a_department
):
    response = client_for(charlie).get(f"/organisations/{org_a_department.pk}/edit/")
    assert response.status_code == 404


def test_it_sends_a_visitor_to_sign_in_before_editing(client, org_a):
    response = client.get(f"/organisations/{org_a.pk}/edit/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_keeps_a_bad_theme_colour_and_shows_the_error_next_to_the_field(client_for, erin, org_a):
    response = client_for(erin).post(
        f"/organisations/{org_a.pk}/edit/", organisation_data(org_a, theme_colour="red")
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="red"' in content
    assert error_next_to(content, "theme_colour") == "Enter a colour as #rrggbb."
    org_a.refresh_from_db()
    assert org_a.theme_colour == "#1e6e8c"


def test_it_shows_djangos_own_errors_in_danish(client_for, erin, org_a):
    client = client_for(erin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    response = client.post(f"/organisations/{org_a.pk}/edit/", organisation_data(org_a, name=""))
    assert response.status_code == 200
    assert '<html lang="da"' in response.content.decode()
    assert response.context["form"].errors["name"] == ["Dette felt er påkrævet."]


def test_it_refuses_to_make_an_organisation_belong_to_itself(client_for, erin, org_a):
    response = client_for(erin).post(
        f"/organisations/{org_a.pk}/edit/", organisation_data(org_a, parent=org_a.pk)
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    org_a.refresh_from_db()
    assert org_a.parent is None


def test_it_refuses_to_make_an_organisation_belong_to_its_department(
    client_for, erin, org_a, org_a_department
):
    response = client_for(erin).post(
        f"/organisations/{org_a.pk}/edit/", organisation_data(org_a, parent=org_a_department.pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["parent"] == ["An organisation cannot belong to itself."]
    assert error_next_to(response.content.decode(), "parent") == (
        "An organisation cannot belong to itself."
    )
    org_a.refresh_from_db()
    assert org_a.parent is None


# Members, invitations and roles ----------------------------------------------------------------


def test_it_shows_erin_the_members_page(client_for, erin, bob, org_a):
    response = client_for(erin).get(f"/organisations/{org_a.pk}/members/")
    assert response.status_code == 200
    assert {row["membership"].user for row in response.context["rows"]} == {erin, bob}


def test_it_refuses_alice_and_charlie_the_members_page(client_for, alice, charlie, org_a):
    assert client_for(alice).get(f"/organisations/{org_a.pk}/members/").status_code == 403
    assert client_for(charlie).get(f"/organisations/{org_a.pk}/members/").status_code == 403


def test_it_gives_charlie_404_on_the_members_of_the_internal_department(
    client_for, charlie, org_a_department
):
    response = client_for(charlie).get(f"/organisations/{org_a_department.pk}/members/")
    assert response.status_code == 404


def test_it_sends_a_visitor_to_sign_in_before_the_members_page(client, org_a):
    assert client.get(f"/organisations/{org_a.pk}/members/").status_code == 302


def test_it_shows_the_members_page_in_a_constant_number_of_queries(client_for, erin, org_a):
    client = client_for(erin)
    make_members(org_a, 3)
    make_invitation(org_a, "one@example.org")
    few = queries_for(client, f"/organisations/{org_a.pk}/members/")
    make_members(org_a, 17, start=3)
    make_invitation(org_a, "two@example.org")
    assert queries_for(client, f"/organisations/{org_a.pk}/members/") == few


def test_it_lets_erin_invite_a_person_by_e_mail(
    client_for, erin, org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(erin).post(
            f"/organisations/{org_a.pk}/members/",
            {"email": "new@example.org", "roles": [Role.Code.INNOVATION_LEAD]},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "new@example.org"
    assert [r.code for r in invitation.roles.all()] == [Role.Code.INNOVATION_LEAD]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.org"]
    assert "/invitations/" in mail.outbox[0].body
    assert messages_of(response) == ["An invitation was sent to new@example.org."]


def test_it_refuses_to_invite_an_existing_member_and_says_why(
    client_for, erin, bob, org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(erin).post(
            f"/organisations/{org_a.pk}/members/", {"email": "bob@example.org"}
        )
    assert response.status_code == 200
    assert response.context["invite_form"].errors["email"] == ["This person is already a member."]
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_it_refuses_an_invitation_from_alice(client_for, alice, org_a):
    response = client_for(alice).post(
        f"/organisations/{org_a.pk}/members/", {"email": "new@example.org"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_it_lets_erin_change_bobs_roles(client_for, erin, bob, org_a):
    membership = bob.memberships.get()
    response = client_for(erin).post(
        f"/memberships/{membership.pk}/roles/", {"roles": [Role.Code.PROCUREMENT_OFFICER]}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation-members", args=[org_a.pk])
    assert [r.code for r in membership.roles.all()] == [Role.Code.PROCUREMENT_OFFICER]
    assert messages_of(response) == ["The roles were saved."]


def test_it_changes_roles_through_htmx_and_answers_with_the_row(client_for, erin, bob):
    membership = bob.memberships.get()
    response = client_for(erin).post(
        f"/memberships/{membership.pk}/roles/",
        {"roles": [Role.Code.BOARD_MEMBER, Role.Code.INNOVATION_LEAD]},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert templates_of(response) == ["core/_membership_roles.html"]
    content = response.content.decode()
    assert f'id="roles-{membership.pk}"' in content
    assert "Saved." in content
    assert re.search(r'value="board_member"[^>]* checked', content)
    assert not re.search(r'value="admin"[^>]* checked', content)
    assert {r.code for r in membership.roles.all()} == {
        Role.Code.BOARD_MEMBER,
        Role.Code.INNOVATION_LEAD,
    }


def test_it_refuses_to_remove_the_last_admin_role_with_a_message(client_for, erin):
    membership = erin.memberships.get()
    response = client_for(erin).post(f"/memberships/{membership.pk}/roles/", {"roles": []})
    assert response.status_code == 302
    assert messages_of(response) == ["An organisation needs at least one admin."]
    assert membership.roles.filter(code=Role.Code.ADMIN).exists()


def test_it_refuses_to_remove_the_last_admin_role_through_htmx(client_for, erin):
    membership = erin.memberships.get()
    response = client_for(erin).post(
        f"/memberships/{membership.pk}/roles/", {"roles": []}, headers=HTMX
    )
    assert response.status_code == 200  # htmx swaps only 2xx answers
    assert templates_of(response) == ["core/_membership_roles.html"]
    assert "An organisation needs at least one admin." in response.content.decode()
    assert "Saved." not in response.content.decode()
    assert membership.roles.filter(code=Role.Code.ADMIN).exists()


def test_it_says_why_an_unknown_role_is_refused(client_for, erin, bob):
    membership = bob.memberships.get()
    url = f"/memberships/{membership.pk}/roles/"
    response = client_for(erin).post(url, {"roles": ["emperor"]})
    (message,) = messages_of(response)
    assert "emperor" in message
    response = client_for(erin).post(url, {"roles": ["emperor"]}, headers=HTMX)
    assert "emperor" in response.content.decode()
    assert not membership.roles.exists()


def test_it_refuses_role_changes_by_alice_and_hides_them_from_charlie(
    client_for, alice, charlie, bob
):
    membership = bob.memberships.get()
    url = f"/memberships/{membership.pk}/roles/"
    assert client_for(alice).post(url, {"roles": [Role.Code.ADMIN]}).status_code == 403
    assert client_for(charlie).post(url, {"roles": [Role.Code.ADMIN]}).status_code == 404
    assert not membership.roles.exists()


def test_it_accepts_role_changes_only_by_post(client_for, erin, bob):
    assert (
        client_for(erin).get(f"/memberships/{bob.memberships.get().pk}/roles/").status_code == 405
    )


def test_it_lets_erin_remove_bob(client_for, erin, bob, org_a):
    membership = bob.memberships.get()
    response = client_for(erin).post(f"/memberships/{membership.pk}/remove/")
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert messages_of(response) == ["Bob is no longer a member."]


def test_it_refuses_to_remove_the_last_admin_with_a_message(client_for, erin):
    membership = erin.memberships.get()
    response = client_for(erin).post(f"/memberships/{membership.pk}/remove/", follow=True)
    assert response.status_code == 200
    assert "An organisation needs at least one admin." in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_it_refuses_removals_by_alice_and_hides_them_from_charlie(client_for, alice, charlie, bob):
    membership = bob.memberships.get()
    assert client_for(alice).post(f"/memberships/{membership.pk}/remove/").status_code == 403
    assert client_for(charlie).post(f"/memberships/{membership.pk}/remove/").status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


# Accepting an invitation -----------------------------------------------------------------------


def test_it_lets_a_signed_in_person_accept_an_invitation_to_their_address(
    client_for, charlie, org_a
):
    invitation, token = make_invitation(org_a, "charlie@example.org")
    invitation.roles.add(Role.objects.get(code=Role.Code.BOARD_MEMBER))
    client = client_for(charlie)
    response = client.get(f"/invitations/{token}/")
    assert response.status_code == 200
    assert "core/invitation_accept.html" in templates_of(response)
    response = client.post(f"/invitations/{token}/")
    assert response.status_code == 302
    assert response["Location"] == org_a.get_absolute_url()
    membership = Membership.objects.get(user=charlie, organisation=org_a)
    assert [r.code for r in membership.roles.all()] == [Role.Code.BOARD_MEMBER]
    assert client.session[SESSION_KEY] == org_a.pk


def test_it_refuses_an_invitation_to_another_address_with_a_message(client_for, bob, org_b):
    _invitation, token = make_invitation(org_b, "charlie@example.org")
    response = client_for(bob).post(f"/invitations/{token}/")
    assert response.status_code == 200
    assert messages_of(response) == ["This invitation was sent to another e-mail address."]
    assert not Membership.objects.filter(user=bob, organisation=org_b).exists()


def test_it_lets_a_new_person_register_through_an_invitation(client, org_a):
    _invitation, token = make_invitation(org_a, "newbie@example.org")
    response = client.get(f"/invitations/{token}/")
    assert response.status_code == 200
    assert "core/invitation_register.html" in templates_of(response)
    response = client.post(
        f"/invitations/{token}/",
        {
            "first_name": "New",
            "last_name": "Person",
            "language": "sv",
            "password1": "a long and unusual secret",
            "password2": "a long and unusual secret",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == org_a.get_absolute_url()
    user = User.objects.get(email="newbie@example.org")
    assert Membership.objects.filter(user=user, organisation=org_a).exists()
    assert int(client.session["_auth_user_id"]) == user.pk
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"


def test_it_refuses_a_registration_whose_passwords_differ(client, org_a):
    _invitation, token = make_invitation(org_a, "newbie@example.org")
    response = client.post(
        f"/invitations/{token}/",
        {
            "first_name": "New",
            "last_name": "Person",
            "language": "da",
            "password1": "a long and unusual secret",
            "password2": "another long secret",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password2"] == ["The two passwords differ."]
    assert not User.objects.filter(email="newbie@example.org").exists()


def test_it_refuses_to_register_an_address_that_has_an_account(client, charlie, org_a):
    _invitation, token = make_invitation(org_a, "charlie@example.org")
    response = client.post(
        f"/invitations/{token}/",
        {
            "first_name": "C",
            "last_name": "C",
            "language": "da",
            "password1": "a long and unusual secret",
            "password2": "a long and unusual secret",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "An account with this e-mail address exists."
    ]


@pytest.mark.parametrize("state", ["expired", "used", "garbage"])
def test_it_shows_an_unusable_invitation_as_not_found(client, org_a, state):
    now = timezone.now()
    extra = {
        "expired": {"expires_at": now - timedelta(seconds=1)},
        "used": {"accepted_at": now},
        "garbage": {},
    }[state]
    _invitation, token = make_invitation(org_a, "someone@example.org", **extra)
    if state == "garbage":
        token = "not-a-token"
    response = client.get(f"/invitations/{token}/")
    assert response.status_code == 404
    assert "core/invitation_invalid.html" in templates_of(response)


# Profile and access tokens ---------------------------------------------------------------------


def test_it_lets_bob_edit_his_profile_and_language(client_for, bob):
    client = client_for(bob)
    assert client.get("/profile/").status_code == 200
    response = client.post(
        "/profile/",
        {
            "first_name": "Robert",
            "last_name": "Builder",
            "email": "bob@example.org",
            "job_title": "Caseworker",
            "language": "nb",
        },
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nb"
    bob.refresh_from_db()
    assert (bob.first_name, bob.job_title, bob.language) == ("Robert", "Caseworker", "nb")
    assert '<html lang="nb"' in client.get("/profile/").content.decode()


def test_it_refuses_a_profile_with_someone_elses_e_mail_address(client_for, alice, bob):
    response = client_for(bob).post(
        "/profile/",
        {"first_name": "Bob", "last_name": "", "email": "alice@example.org", "language": "da"},
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    bob.refresh_from_db()
    assert bob.email == "bob@example.org"


def test_it_sends_a_visitor_to_sign_in_before_the_profile(client, db):
    assert client.get("/profile/").status_code == 302


def test_it_shows_a_new_token_once_and_stores_only_its_digest(client_for, alice):
    client = client_for(alice)
    response = client.post("/profile/tokens/", {"name": "report script"}, follow=True)
    assert response.redirect_chain == [("/profile/#tokens", 302)]
    secret = response.context["secret"]
    assert secret in response.content.decode()
    token = AccessToken.objects.get(user=alice)
    assert token.digest == AccessToken.digest_of(secret)
    assert secret not in {token.digest, token.hint, token.name}
    assert secret not in client.get("/profile/").content.decode()


def test_it_refuses_a_token_without_a_name(client_for, alice):
    response = client_for(alice).post("/profile/tokens/", {"name": ""})
    assert response.status_code == 422
    assert not AccessToken.objects.exists()


def test_it_lets_alice_revoke_her_token(client_for, alice):
    client = client_for(alice)
    client.post("/profile/tokens/", {"name": "report script"})
    token = AccessToken.objects.get(user=alice)
    response = client.post(f"/profile/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_it_gives_404_on_revoking_another_persons_token(client_for, alice, bob):
    client_for(alice).post("/profile/tokens/", {"name": "report script"})
    token = AccessToken.objects.get(user=alice)
    response = client_for(bob).post(f"/profile/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# Organisation switcher and language ------------------------------------------------------------


def test_it_lets_alice_switch_to_her_other_organisation(client_for, alice, org_a, org_b):
    add_member(alice, org_b)
    client = client_for(alice)
    response = client.post("/switch-organisation/", {"organisation": org_b.pk, "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session[SESSION_KEY] == org_b.pk
    content = client.get("/").content.decode()
    assert f'<option value="{org_b.pk}" selected>' in content
    assert "You are working for Bergvik kommune." in content


def test_it_gives_404_on_switching_to_an_organisation_one_is_not_a_member_of(
    client_for, alice, org_a, org_b
):
    client = client_for(alice)
    assert client.post("/switch-organisation/", {"organisation": org_b.pk}).status_code == 404
    assert client.post("/switch-organisation/", {"organisation": "x"}).status_code == 404
    assert SESSION_KEY not in client.session


def test_it_does_not_follow_a_switch_to_another_site(client_for, alice, org_a):
    response = client_for(alice).post(
        "/switch-organisation/", {"organisation": org_a.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_it_remembers_the_language_of_a_signed_in_person(client_for, bob):
    response = client_for(bob).post("/language/", {"language": "sv", "next": "/organisations/"})
    assert response.status_code == 302
    assert response["Location"] == "/organisations/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"
    bob.refresh_from_db()
    assert bob.language == "sv"


def test_it_switches_the_language_of_a_visitor_with_a_cookie(client, db):
    response = client.post("/language/", {"language": "nb", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nb"
    assert '<html lang="nb"' in client.get("/").content.decode()


def test_it_ignores_an_unknown_language(client_for, bob):
    client_for(bob).post("/language/", {"language": "xx", "next": "/"})
    bob.refresh_from_db()
    assert bob.language == "da"


# Signing in and out, throttling, password reset ------------------------------------------------


@pytest.mark.parametrize("username", ["alice@example.org", "ALICE@example.org", "alice"])
def test_it_signs_in_with_e_mail_or_user_name(client, alice, username):
    response = client.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert int(client.session["_auth_user_id"]) == alice.pk
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "da"


def test_it_refuses_a_wrong_password(client, alice):
    response = client.post("/login/", {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=3)
def test_it_locks_out_after_too_many_wrong_passwords(client, alice):
    for _attempt in range(3):
        client.post("/login/", {"username": "alice", "password": "wrong"})
    response = client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert "registration/locked_out.html" in templates_of(response)
    assert "_auth_user_id" not in client.session


def test_it_signs_out(client_for, alice):
    client = client_for(alice)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_it_resets_a_password_by_e_mail(client, bob, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/password-reset/", {"email": "bob@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["bob@example.org"]
    link = re.search(r"https?://[^/\s]+(/password-reset/\S+/\S+/)", mail.outbox[0].body)
    assert link is not None

    response = client.get(link.group(1), follow=True)
    assert response.context["validlink"] is True
    set_password_url = response.redirect_chain[-1][0]
    response = client.post(
        set_password_url,
        {"new_password1": "a brand new long secret", "new_password2": "a brand new long secret"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")

    response = client.post("/login/", {"username": "bob", "password": "a brand new long secret"})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == bob.pk


def test_it_sends_no_reset_e_mail_to_an_unknown_address(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


# Error pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "da", "sv", "nb"])
def test_it_shows_the_404_page_in_the_language_chosen(client, db, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "404.html" in templates_of(response)
    assert f'<html lang="{language}"' in response.content.decode()
    if language == "en":
        assert "Page not found" in response.content.decode()


def test_it_follows_the_browsers_language_without_a_cookie(client, db):
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    response = client.get("/no-such-page/", headers={"Accept-Language": "sv"})
    assert '<html lang="sv"' in response.content.decode()


@pytest.mark.parametrize("language", ["en", "da"])
def test_it_shows_the_403_page_in_the_language_chosen(client_for, alice, org_a, language):
    client = client_for(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(f"/organisations/{org_a.pk}/edit/")
    assert response.status_code == 403
    assert "403.html" in templates_of(response)
    assert f'<html lang="{language}"' in response.content.decode()
    if language == "en":
        assert "Not allowed" in response.content.decode()
