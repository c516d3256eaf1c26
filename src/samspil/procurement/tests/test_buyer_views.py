"""The buyers panel of the procurement page: who sees which action, who may invite,
confirm, decline and exercise, and bad input shown on the field with what was typed."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samspil.conftest import add_member, make_user
from samspil.core.models import Organisation, Role
from samspil.procurement import buyer_services as services
from samspil.procurement.models import Buyer, BuyerRole

from .conftest import make_procurement

M = Decimal(1_000_000)


@pytest.fixture
def officer_b(org_b):
    user = make_user("birgit")
    add_member(user, org_b, Role.Code.PROCUREMENT_OFFICER)
    return user


@pytest.fixture
def light(alice, org_a):
    procurement = make_procurement(alice, org_a, ceiling=160 * M)
    Buyer.objects.filter(procurement=procurement).update(estimated_value=20 * M)
    return procurement


@pytest.fixture
def invited(alice, org_b, light) -> Buyer:
    return services.invite_buyer(
        alice, light, org_b, BuyerRole.OPTION_HOLDER, maximum_value=15 * M, estimated_value=M
    )


def detail(light) -> str:
    return reverse("procurement:detail", args=[light.pk])


def invite_url(light) -> str:
    return reverse("procurement:buyer-invite", args=[light.pk])


def action(name: str, buyer) -> str:
    return reverse(f"procurement:buyer-{name}", args=[buyer.procurement_id, buyer.pk])


def test_the_panel_shows_buyers_and_demand_against_the_ceiling(client, invited, light):
    response = client.get(detail(light))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="procurement-buyers"' in html
    assert "Bergvik kommune" in html and "Invited" in html
    assert "DKK 20,000,000" in html  # committed: the lead
    assert "DKK 15,000,000" in html  # optional: the option
    assert "DKK 160,000,000" in html
    assert 'id="procurement-demand-chart"' in html
    assert "Confirm that" not in html and "Invite a buyer" not in html


def test_the_invited_organisations_officer_sees_the_confirm_button(
    client_for, officer_b, invited, light
):
    html = client_for(officer_b).get(detail(light)).content.decode()
    assert "Confirm that Bergvik kommune buys in" in html
    assert "Decline" in html and "Invite a buyer" not in html


def test_bob_sees_no_actions(client_for, bob, invited, light):
    html = client_for(bob).get(detail(light)).content.decode()
    assert "Confirm that" not in html and "Invite a buyer" not in html
    assert "Exercise the option" not in html


def test_alice_invites_a_buyer(client_for, alice, org_b, light):
    client = client_for(alice)
    assert "Invite a buyer" in client.get(detail(light)).content.decode()
    response = client.post(
        invite_url(light),
        {
            "organisation": org_b.pk,
            "role": "participant",
            "volume": "40",
            "volume_unit": "care homes",
            "estimated_value": "20,000,000",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#procurement-buyers")
    buyer = light.buyers.get(organisation=org_b)
    assert buyer.estimated_value == 20 * M and buyer.volume_unit == "care homes"


def test_a_buyer_added_twice_is_refused_on_the_field(client_for, alice, invited, light):
    response = client_for(alice).post(
        invite_url(light),
        {"organisation": invited.organisation_id, "role": "participant", "volume_unit": "homes"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Bergvik kommune is a buyer already." in html
    assert 'value="homes"' in html


def test_an_option_above_the_ceiling_is_refused_with_the_amounts(client_for, alice, light):
    other = Organisation.objects.create(
        name="Odense Kommune", slug="odense", kind="municipality", country="DK", currency="DKK"
    )
    response = client_for(alice).post(
        invite_url(light),
        {"organisation": other.pk, "role": "option_holder", "maximum_value": "150000000"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "DKK 170,000,000" in html and "DKK 10,000,000" in html
    assert 'value="150000000"' in html
    assert not light.buyers.filter(organisation=other).exists()


def test_a_number_that_is_not_one_is_refused(client_for, alice, org_b, light):
    response = client_for(alice).post(
        invite_url(light), {"organisation": org_b.pk, "role": "participant", "volume": "many"}
    )
    assert response.status_code == 422
    assert "Enter a number" in response.content.decode()


def test_who_may_not_invite(client, client_for, bob, charlie, dave, org_b, light):
    body = {"organisation": org_b.pk, "role": "participant"}
    assert client.post(invite_url(light), body).status_code == 302  # to sign in
    for person in (bob, charlie, dave):
        assert client_for(person).post(invite_url(light), body).status_code == 403
    assert not light.buyers.filter(organisation=org_b).exists()


def test_charlie_gets_404_on_an_internal_procurement(client_for, alice, charlie, org_a, org_b):
    internal = make_procurement(alice, org_a, visibility="internal")
    client = client_for(charlie)
    assert client.post(invite_url(internal), {}).status_code == 404
    lead = internal.buyers.get()
    assert client.post(action("confirm", lead)).status_code == 404


def test_the_invited_organisations_officer_confirms(client_for, officer_b, invited):
    response = client_for(officer_b).post(action("confirm", invited), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    invited.refresh_from_db()
    assert invited.confirmed_by == officer_b
    assert "By Birgit" in response.content.decode()


def test_who_may_not_confirm(client, client_for, alice, bob, charlie, dave, invited):
    assert client.post(action("confirm", invited)).status_code == 302
    for person in (alice, bob, charlie, dave):
        assert client_for(person).post(action("confirm", invited)).status_code == 403
    invited.refresh_from_db()
    assert invited.confirmed_at is None


def test_the_invited_organisation_declines(client_for, bob, officer_b, invited, light):
    assert client_for(bob).post(action("remove", invited)).status_code == 403
    response = client_for(officer_b).post(action("remove", invited))
    assert response.status_code == 302
    assert not light.buyers.filter(pk=invited.pk).exists()


def test_the_lead_buyer_is_not_removed(client_for, alice, light):
    lead = light.buyers.get()
    response = client_for(alice).post(action("remove", lead), follow=True)
    assert "The lead buyer stays." in response.content.decode()
    assert light.buyers.filter(pk=lead.pk).exists()


@pytest.fixture
def held(officer_b, invited) -> Buyer:
    return services.confirm_buyer(officer_b, invited)


def test_an_option_is_exercised_with_a_date(client_for, officer_b, held, light):
    client = client_for(officer_b)
    assert client.get(action("exercise", held)).status_code == 200
    response = client.post(action("exercise", held), {"exercised_on": "2023-06-01"})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.exercised_on == date(2023, 6, 1)
    html = client.get(detail(light)).content.decode()
    assert "DKK 35,000,000" in html  # committed: lead 20 m and the option's 15 m


def test_an_exercise_without_a_date_is_refused_on_the_field(client_for, alice, held):
    response = client_for(alice).post(action("exercise", held), {"exercised_on": ""})
    assert response.status_code == 422
    assert "Enter the date the option was exercised." in response.content.decode()
    held.refresh_from_db()
    assert not held.option_exercised


def test_an_exercise_after_the_deadline_keeps_the_date_typed(client_for, alice, held, light):
    light.option_deadline = date(2023, 6, 30)
    light.save()
    response = client_for(alice).post(
        action("exercise", held), {"exercised_on": "2023-07-01"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Options may be exercised until" in html and 'value="2023-07-01"' in html


def test_who_may_not_exercise(client, client_for, bob, charlie, dave, held):
    body = {"exercised_on": "2023-06-01"}
    assert client.post(action("exercise", held), body).status_code == 302
    for person in (bob, charlie, dave):
        assert client_for(person).post(action("exercise", held), body).status_code == 403
    held.refresh_from_db()
    assert not held.option_exercised


def test_alice_changes_an_option_holders_values(client_for, alice, invited, light):
    client = client_for(alice)
    form = client.get(action("edit", invited))
    assert form.status_code == 200
    assert 'value="15,000,000"' in form.content.decode()
    response = client.post(
        action("edit", invited),
        {"volume": "12", "volume_unit": "care homes", "maximum_value": "25000000"},
    )
    assert response.status_code == 302
    invited.refresh_from_db()
    assert (invited.volume, invited.volume_unit, invited.maximum_value) == (
        Decimal(12),
        "care homes",
        25 * M,
    )
    assert "Change the values" in client.get(detail(light)).content.decode()


def test_values_above_the_ceiling_are_refused_and_what_was_typed_stays(
    client_for, alice, invited, light
):
    response = client_for(alice).post(
        action("edit", invited), {"maximum_value": "150000000"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="150000000"' in html and "DKK 10,000,000" in html
    invited.refresh_from_db()
    assert invited.maximum_value == 15 * M


def test_who_may_not_change_values(client, client_for, bob, charlie, dave, officer_b, held):
    body = {"maximum_value": "1"}
    assert client.post(action("edit", held), body).status_code == 302  # to sign in
    for person in (bob, charlie, dave, officer_b):
        assert client_for(person).post(action("edit", held), body).status_code == 403


def test_an_exercised_options_values_are_not_changed(client_for, alice, held):
    services.exercise_option(alice, held, date(2023, 6, 1))
    assert client_for(alice).get(action("edit", held)).status_code == 403


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_panel_queries_stay_constant_as_buyers_grow(client_for, alice, officer_b, light):
    client = client_for(alice)
    for index in range(2):
        org = Organisation.objects.create(
            name=f"Kommune {index}", slug=f"k{index}", kind="municipality", country="DK"
        )
        services.invite_buyer(alice, light, org, BuyerRole.OPTION_HOLDER, maximum_value=M)
    few = _count(client, detail(light))
    for index in range(2, 10):
        org = Organisation.objects.create(
            name=f"Kommune {index}", slug=f"k{index}", kind="municipality", country="DK"
        )
        buyer = services.invite_buyer(alice, light, org, BuyerRole.OPTION_HOLDER, maximum_value=M)
        if index % 2:
            buyer.confirmed_by, buyer.confirmed_at = officer_b, buyer.invited_at
            buyer.save()
    assert _count(client, detail(light)) == few


def test_amounts_are_grouped_in_the_readers_language(client, invited, light, settings):
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    with translation.override("da"):
        html = client.get(detail(light)).content.decode()
    assert "160.000.000" in html and "15.000.000" in html
