"""The supplier pages: the public directory with search and filters, a profile and its form,
the opportunities page, the suppliers panel on a challenge and a procurement, registering
interest and inviting a supplier — for who may and who may not, with bad input kept."""

import pytest
from django.urls import reverse

from samspil.core.models import Notification, Organisation, Visibility
from samspil.procurement.models import InterestStatus, Stage, SupplierInterest, SupplierProfile
from samspil.procurement.supplier_services import invite_to_dialogue, register_interest

from .supplier_factories import make_challenge, make_event, register

DIRECTORY = "/suppliers/"
OPPORTUNITIES = "/suppliers/opportunities/"


def make_profiles(count: int):
    for i in range(count):
        organisation = Organisation.objects.create(
            name=f"Company {i:02}", slug=f"company-{i}", kind="company", country="NO"
        )
        SupplierProfile.objects.create(
            organisation=organisation, offer=f"Offer {i}", competences=[f"Skill {i}", "IoT"]
        )


# The directory -------------------------------------------------------------------------------


def test_anyone_reads_the_directory(client, profile, other_profile):
    response = client.get(DIRECTORY)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="supplier-directory-table"' in html
    assert f'id="supplier-{profile.organisation_id}"' in html
    assert f'id="supplier-{other_profile.organisation_id}"' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "excavators"}, {"dalby"}),
        ({"q": "cobalt"}, {"cobalt"}),
        ({"q": "iot"}, {"cobalt"}),
        ({"country": "NO"}, {"dalby"}),
        ({"country": "DK"}, {"cobalt"}),
        ({"size": "medium"}, {"dalby"}),
        ({"competence": "Construction machines"}, {"dalby"}),
        ({"competence": "Unknown"}, {"cobalt", "dalby"}),  # not a choice: the filter is left out
    ],
)
def test_the_directory_searches_and_filters(client, profile, other_profile, query, expected):
    response = client.get(DIRECTORY, query)
    page = response.context["page"]
    assert {p.organisation.slug for p in page} == expected


def test_a_profile_with_letters_beyond_ascii_is_found_by_its_competence(client, org_c):
    SupplierProfile.objects.create(
        organisation=org_c, offer="Lys", competences=["Velfærdsteknologi"]
    )
    page = client.get(DIRECTORY, {"competence": "Velfærdsteknologi"}).context["page"]
    assert [p.organisation_id for p in page] == [org_c.pk]


def test_an_internal_company_is_not_in_the_directory_for_others(client, client_for, dave, profile):
    Organisation.objects.filter(pk=profile.organisation_id).update(visibility=Visibility.INTERNAL)
    assert not list(client.get(DIRECTORY).context["page"])
    assert client.get(f"/suppliers/{profile.organisation_id}/").status_code == 404
    page = client_for(dave).get(DIRECTORY).context["page"]
    assert [p.pk for p in page] == [profile.pk]


def test_the_directory_costs_the_same_queries_for_more_rows(
    client, db, django_assert_max_num_queries
):
    make_profiles(3)
    with django_assert_max_num_queries(6):
        assert client.get(DIRECTORY).status_code == 200
    make_profiles_more = 20
    for i in range(make_profiles_more):
        organisation = Organisation.objects.create(
            name=f"More {i}", slug=f"more-{i}", kind="company", country="SE"
        )
        SupplierProfile.objects.create(organisation=organisation, offer="x", competences=["y"])
    with django_assert_max_num_queries(6):
        assert client.get(DIRECTORY).status_code == 200


def test_an_htmx_filter_gets_only_the_rows(client, profile):
    response = client.get(DIRECTORY, {"q": "light"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b"<form" not in response.content and b"supplier-directory-table" in response.content


# A profile and its form ------------------------------------------------------------------------


def test_anyone_reads_a_profile(client, profile):
    response = client.get(f"/suppliers/{profile.organisation_id}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Circadian lighting" in html and "sales@cobalt.example" in html
    assert 'id="supplier-profile-edit"' not in html


def test_a_company_without_a_profile_or_a_municipality_has_no_profile_page(client, org_c, org_a):
    assert client.get(f"/suppliers/{org_c.pk}/").status_code == 404
    assert client.get(f"/suppliers/{org_a.pk}/").status_code == 404


def test_the_admin_is_sent_to_the_form_when_there_is_no_profile(client_for, dana, org_c):
    response = client_for(dana).get(f"/suppliers/{org_c.pk}/")
    assert response.status_code == 302 and response.url == f"/suppliers/{org_c.pk}/edit/"


def test_the_company_admin_creates_the_profile(client_for, dana, org_c):
    client = client_for(dana)
    assert client.get(f"/suppliers/{org_c.pk}/edit/").status_code == 200
    response = client.post(
        f"/suppliers/{org_c.pk}/edit/",
        {
            "offer": "Light for care homes",
            "competences": "IoT, light",
            "size": "small",
            "countries_served": ["DK", "SE"],
            "contact_email": "sales@cobalt.example",
        },
    )
    assert response.status_code == 302 and response.url == f"/suppliers/{org_c.pk}/"
    profile = SupplierProfile.objects.get(organisation=org_c)
    assert profile.competences == ["IoT", "light"] and profile.countries_served == ["DK", "SE"]
    html = client.get(response.url).content.decode()
    assert 'id="supplier-profile-edit"' in html


def test_bad_input_is_shown_on_the_field_with_what_was_typed(client_for, dana, org_c):
    response = client_for(dana).post(
        f"/suppliers/{org_c.pk}/edit/",
        {"offer": "", "competences": "Typed competence", "contact_email": "not-an-address"},
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert "offer" in form.errors and "contact_email" in form.errors
    html = response.content.decode()
    assert "Typed competence" in html and "not-an-address" in html
    assert not SupplierProfile.objects.exists()


@pytest.mark.parametrize("who", ["dave", "alice", "charlie"])
def test_others_may_not_edit_the_profile(client_for, request, who, org_c, profile):
    client = client_for(request.getfixturevalue(who))
    assert client.get(f"/suppliers/{org_c.pk}/edit/").status_code == 403
    assert client.post(f"/suppliers/{org_c.pk}/edit/", {"offer": "Hacked"}).status_code == 403
    profile.refresh_from_db()
    assert profile.offer != "Hacked"


def test_anonymous_visitors_are_sent_to_sign_in(client, org_c):
    response = client.get(f"/suppliers/{org_c.pk}/edit/")
    assert response.status_code == 302 and "login" in response.url


# Opportunities ---------------------------------------------------------------------------------


def test_opportunities_list_open_public_challenges_and_procurements_in_dialogue(
    client, alice, org_a, challenge, circadian_procurement
):
    hidden = [
        make_challenge(org_a, "Shared one", visibility=Visibility.SHARED),
        make_challenge(org_a, "Closed one", status="closed"),
    ]
    response = client.get(OPPORTUNITIES)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="opportunity-challenge-{challenge.pk}"' in html
    assert f'id="opportunity-procurement-{circadian_procurement.pk}"' in html
    for row in hidden:
        assert f'id="opportunity-challenge-{row.pk}"' not in html
    assert 'id="opportunities-not-supplier"' in html
    assert "supplier-quick-interest" not in html


def test_a_supplier_registers_from_the_opportunities_page(client_for, dave, org_c, challenge):
    client = client_for(dave)
    html = client.get(OPPORTUNITIES).content.decode()
    assert f'id="note-c-{challenge.pk}"' in html
    response = client.post(
        reverse("suppliers:challenge-interest", args=[challenge.pk]),
        {"supplier": org_c.pk, "note": "Sensors", "next": OPPORTUNITIES},
    )
    assert response.status_code == 302 and response.url == OPPORTUNITIES
    html = client.get(OPPORTUNITIES).content.decode()
    assert 'data-status="registered"' in html and f'id="note-c-{challenge.pk}"' not in html


def test_opportunities_cost_the_same_queries_for_more_rows(
    client_for, dave, alice, org_a, org_c, django_assert_max_num_queries
):
    client = client_for(dave)
    for i in range(2):
        register_interest(dave, make_challenge(org_a, f"Challenge {i}"))
    client.get(OPPORTUNITIES)
    with django_assert_max_num_queries(14):
        client.get(OPPORTUNITIES)
    for i in range(10):
        register_interest(dave, make_challenge(org_a, f"More {i}"))
    with django_assert_max_num_queries(14):
        assert client.get(OPPORTUNITIES).status_code == 200


# Registering interest on the page -------------------------------------------------------------


def test_the_challenge_page_offers_the_supplier_the_interest_form(client_for, dave, challenge):
    client = client_for(dave)
    html = client.get(challenge.get_absolute_url()).content.decode()
    assert 'id="suppliers"' in html and 'id="supplier-interest-form"' in html
    assert 'id="supplier-matches-table"' not in html  # matches are for the public sector
    url = reverse("suppliers:challenge-interest", args=[challenge.pk])
    response = client.post(url, {"note": "We make lights"})
    assert response.status_code == 302
    assert response.url == f"{challenge.get_absolute_url()}#suppliers"
    html = client.get(challenge.get_absolute_url()).content.decode()
    assert 'data-status="registered"' in html and 'id="supplier-interest-form"' not in html


def test_registering_twice_comes_back_with_the_reason_and_the_note(client_for, dave, challenge):
    client = client_for(dave)
    url = reverse("suppliers:challenge-interest", args=[challenge.pk])
    client.post(url, {"note": "First"})
    response = client.post(url, {"note": "Second note typed"})
    assert response.status_code == 422
    assert "registered its interest already" in response.content.decode()
    assert "Second note typed" in response.content.decode()
    assert SupplierInterest.objects.get().note == "First"


def test_an_invited_supplier_registers_on_the_procurement_page(
    client_for, alice, dave, org_c, circadian_procurement
):
    invite_to_dialogue(alice, circadian_procurement, org_c)
    client = client_for(dave)
    html = client.get(circadian_procurement.get_absolute_url()).content.decode()
    assert 'data-status="invited"' in html and 'id="supplier-interest-form"' in html
    url = reverse("suppliers:procurement-interest", args=[circadian_procurement.pk])
    assert client.post(url, {"note": "Yes"}).status_code == 302
    assert SupplierInterest.objects.get().status == InterestStatus.REGISTERED


@pytest.mark.parametrize("who", ["alice", "bob", "charlie"])
def test_non_suppliers_may_not_register(client_for, request, who, challenge, circadian_procurement):
    client = client_for(request.getfixturevalue(who))
    for name, target in (("challenge", challenge), ("procurement", circadian_procurement)):
        url = reverse(f"suppliers:{name}-interest", args=[target.pk])
        assert client.post(url, {"note": "x"}).status_code == 403
    assert not SupplierInterest.objects.exists()


def test_a_procurement_out_of_dialogue_or_unseen_refuses_interest(
    client_for, dave, alice, org_a, circadian_procurement
):
    circadian_procurement.stage = Stage.TENDER
    circadian_procurement.save()
    internal = make_challenge(org_a, "Internal", visibility=Visibility.INTERNAL)
    client = client_for(dave)
    url = reverse("suppliers:procurement-interest", args=[circadian_procurement.pk])
    assert client.post(url, {"note": "x"}).status_code == 403
    url = reverse("suppliers:challenge-interest", args=[internal.pk])
    assert client.post(url, {"note": "x"}).status_code == 404
    html = client.get(circadian_procurement.get_absolute_url()).content.decode()
    assert 'id="supplier-interest-form"' not in html


def test_an_anonymous_visitor_sees_how_to_register(client, challenge):
    html = client.get(challenge.get_absolute_url()).content.decode()
    assert 'id="suppliers-sign-in"' in html


# Matches and inviting ---------------------------------------------------------------------------


def test_public_sector_members_see_the_matches_with_reasons(
    client_for, charlie, bob, challenge, profile, other_profile
):
    for user in (charlie, bob):
        response = client_for(user).get(challenge.get_absolute_url())
        html = response.content.decode()
        assert 'id="supplier-matches-table"' in html
        assert f'id="match-{profile.organisation_id}"' in html
        assert f'id="match-{other_profile.organisation_id}"' not in html  # nothing shared
        assert "Shared terms" in html and "residents" in html
        assert 'name="to"' not in html  # neither may invite


def test_past_participation_is_a_reason(client_for, alice, dave, org_a, challenge, profile):
    event = make_event(org_a, "Hackathon on sleep")
    event.challenges.add(challenge)
    register(event, dave)
    html = client_for(alice).get(challenge.get_absolute_url()).content.decode()
    assert "Registered for" in html and "Hackathon on sleep" in html


def test_the_procurement_page_shows_matches_only_to_those_who_run_it(
    client_for, client, alice, bob, dave, circadian_procurement, profile
):
    html = client_for(alice).get(circadian_procurement.get_absolute_url()).content.decode()
    assert f'id="match-{profile.organisation_id}"' in html and 'name="to"' in html
    for user in (bob, dave):
        html = client_for(user).get(circadian_procurement.get_absolute_url()).content.decode()
        assert 'id="supplier-matches-table"' not in html
    client.logout()
    assert (
        b"supplier-matches-table"
        not in client.get(circadian_procurement.get_absolute_url()).content
    )


def test_the_panel_costs_the_same_queries_for_more_suppliers(
    client_for, alice, org_a, challenge, profile, django_assert_max_num_queries
):
    event = make_event(org_a)
    event.challenges.add(challenge)
    register(event, email="first@light.example", organisation="Company 00")
    client = client_for(alice)
    client.get(challenge.get_absolute_url())
    make_profiles(2)
    with django_assert_max_num_queries(60) as first:
        client.get(challenge.get_absolute_url())
    for i in range(15):
        organisation = Organisation.objects.create(
            name=f"Light {i}", slug=f"light-{i}", kind="company", country="DK"
        )
        SupplierProfile.objects.create(organisation=organisation, offer="residents of care homes")
        register(event, email=f"p{i}@light.example", organisation=f"Light {i}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        html = client.get(challenge.get_absolute_url()).content.decode()
    assert html.count('id="match-') == 10


def test_an_officer_invites_a_match_to_the_dialogue(
    client_for, alice, dave, org_c, circadian_procurement, profile
):
    client = client_for(alice)
    url = reverse("suppliers:procurement-invite", args=[circadian_procurement.pk])
    response = client.post(url, {"supplier": org_c.pk, "to": "dialogue"})
    assert response.status_code == 302
    assert response.url == f"{circadian_procurement.get_absolute_url()}#suppliers"
    assert SupplierInterest.objects.get().status == InterestStatus.INVITED
    assert Notification.objects.filter(recipient=dave).exists()
    response = client.post(url, {"supplier": org_c.pk, "to": "dialogue"})
    assert response.status_code == 422
    assert "invited already" in response.content.decode()


def test_an_officer_invites_a_match_to_an_event(client_for, alice, dave, org_a, org_c, challenge):
    event = make_event(org_a, registration_mode="invite_only")
    client = client_for(alice)
    url = reverse("suppliers:challenge-invite", args=[challenge.pk])
    response = client.post(url, {"supplier": org_c.pk, "to": f"event:{event.pk}"})
    assert response.status_code == 302
    assert event.invitation_token in Notification.objects.get(recipient=dave).url


def test_an_unknown_event_or_destination_is_refused(client_for, alice, org_b, org_c, challenge):
    other = make_event(org_b, "Someone else's")
    client = client_for(alice)
    url = reverse("suppliers:challenge-invite", args=[challenge.pk])
    response = client.post(url, {"supplier": org_c.pk, "to": f"event:{other.pk}"})
    assert response.status_code == 422 and "to" in response.context["form"].errors
    response = client.post(url, {"supplier": org_c.pk, "to": "nowhere"})
    assert response.status_code == 422
    response = client.post(url, {"supplier": "abc", "to": "dialogue"})
    assert response.status_code == 422
    for supplier in (org_b.pk, 999999):  # a municipality, nobody
        response = client.post(url, {"supplier": supplier, "to": "dialogue"})
        assert response.status_code == 422 and "to" in response.context["form"].errors
    assert not Notification.objects.exists()


@pytest.mark.parametrize("who", ["bob", "charlie", "dave"])
def test_others_may_not_invite(client_for, request, who, org_c, circadian_procurement, challenge):
    client = client_for(request.getfixturevalue(who))
    for name, target in (("procurement", circadian_procurement), ("challenge", challenge)):
        url = reverse(f"suppliers:{name}-invite", args=[target.pk])
        assert client.post(url, {"supplier": org_c.pk, "to": "dialogue"}).status_code == 403
    assert not SupplierInterest.objects.exists()
