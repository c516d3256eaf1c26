"""The API of a joint procurement's buyers and options, for those who may and may not;
problem details naming the problem on bad input."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samspil.api.tests.test_api import assert_problem
from samspil.conftest import add_member, make_user
from samspil.core.models import Organisation, Role
from samspil.events.tests.test_api import get, send
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
    return services.invite_buyer(alice, light, org_b, BuyerRole.OPTION_HOLDER, maximum_value=15 * M)


def path(procurement, *rest) -> str:
    return "/".join([f"/api/procurements/{procurement.pk}/buyers", *map(str, rest)])


def test_it_lists_the_buyers_and_the_demand_to_anyone(client, bob, invited, light):
    for caller in (None, bob):
        response = get(client, path(light), caller)
        assert response.status_code == 200, response.content
        body = response.json()
        assert [b["role"] for b in body["buyers"]] == ["lead", "option_holder"]
        assert body["buyers"][1]["organisation"]["name"] == "Bergvik kommune"
        assert body["buyers"][1]["confirmed"] is False
        demand = body["demand"]
        assert Decimal(demand["committed"]) == 20 * M
        assert Decimal(demand["optional"]) == 15 * M
        assert Decimal(demand["headroom"]) == 125 * M


def test_alice_invites_a_buyer(client, alice, org_b, light):
    body = {"organisation_id": org_b.pk, "role": "participant", "estimated_value": "30000000"}
    response = send(client, path(light), body, alice)
    assert response.status_code == 201, response.content
    assert response.json()["confirmed_by"] is None
    assert light.buyers.get(organisation=org_b).estimated_value == 30 * M


def test_a_buyer_added_twice_is_refused(client, alice, invited, light):
    body = {"organisation_id": invited.organisation_id, "role": "participant"}
    problem = assert_problem(send(client, path(light), body, alice), 422)
    assert problem["errors"]["organisation_id"] == ["Bergvik kommune is a buyer already."]


def test_an_option_above_the_ceiling_is_refused_with_the_amounts(client, alice, light):
    other = Organisation.objects.create(
        name="Odense Kommune", slug="odense", kind="municipality", country="DK"
    )
    body = {"organisation_id": other.pk, "role": "option_holder", "maximum_value": "141000000"}
    problem = assert_problem(send(client, path(light), body, alice), 422)
    (message,) = problem["errors"]["maximum_value"]
    assert "DKK 161,000,000" in message and "DKK 1,000,000" in message


def test_bad_input_is_a_problem_not_an_error(client, alice, org_b, light):
    for body in (
        {"organisation_id": org_b.pk, "role": "lead"},
        {"organisation_id": org_b.pk, "role": "participant", "estimated_value": "-1"},
        {"organisation_id": org_b.pk, "role": "participant", "estimated_value": "lots"},
        {"organisation_id": 999999, "role": "participant"},
        {"role": "participant"},
    ):
        assert_problem(send(client, path(light), body, alice), 422)
    assert light.buyers.count() == 1


def test_who_may_not_invite(client, bob, charlie, dave, org_b, light):
    body = {"organisation_id": org_b.pk, "role": "participant"}
    assert_problem(send(client, path(light), body), 401)
    for person in (bob, charlie, dave):
        assert_problem(send(client, path(light), body, person), 403)


def test_charlie_gets_404_on_an_internal_procurement(client, alice, charlie, org_a, org_b):
    internal = make_procurement(alice, org_a, visibility="internal")
    assert_problem(get(client, path(internal), charlie), 404)
    body = {"organisation_id": org_b.pk, "role": "participant"}
    assert_problem(send(client, path(internal), body, charlie), 404)
    lead = internal.buyers.get()
    assert_problem(send(client, path(internal, lead.pk, "confirm"), {}, charlie), 404)
    assert_problem(get(client, path(internal)), 404)


def test_the_invited_organisations_officer_confirms(client, officer_b, invited, light):
    response = send(client, path(light, invited.pk, "confirm"), {}, officer_b)
    assert response.status_code == 200, response.content
    assert response.json()["confirmed"] is True
    assert response.json()["confirmed_by"]["name"] == str(officer_b)


def test_who_may_not_confirm(client, alice, bob, charlie, dave, invited, light):
    assert_problem(send(client, path(light, invited.pk, "confirm"), {}), 401)
    for person in (alice, bob, charlie, dave):
        assert_problem(send(client, path(light, invited.pk, "confirm"), {}, person), 403)
    assert_problem(send(client, path(light, 999999, "confirm"), {}, alice), 404)


@pytest.fixture
def held(officer_b, invited) -> Buyer:
    return services.confirm_buyer(officer_b, invited)


def test_alice_exercises_an_option(client, alice, held, light):
    url = path(light, held.pk, "exercise")
    response = send(client, url, {"exercised_on": "2023-06-01"}, alice)
    assert response.status_code == 200, response.content
    assert response.json()["exercised_on"] == "2023-06-01"
    demand = get(client, path(light), alice).json()["demand"]
    assert Decimal(demand["committed"]) == 35 * M and Decimal(demand["optional"]) == 0


def test_an_exercised_option_without_a_date_is_refused(client, alice, held, light):
    problem = assert_problem(send(client, path(light, held.pk, "exercise"), {}, alice), 422)
    assert problem["errors"]["exercised_on"] == ["Enter the date the option was exercised."]


def test_an_exercise_after_the_deadline_is_refused(client, alice, held, light):
    light.option_deadline = date(2023, 6, 30)
    light.save()
    body = {"exercised_on": "2023-07-01"}
    problem = assert_problem(send(client, path(light, held.pk, "exercise"), body, alice), 422)
    assert "until" in problem["errors"]["exercised_on"][0]


def test_who_may_not_exercise(client, bob, charlie, dave, held, light):
    url = path(light, held.pk, "exercise")
    body = {"exercised_on": "2023-06-01"}
    assert_problem(send(client, url, body), 401)
    for person in (bob, charlie, dave):
        assert_problem(send(client, url, body, person), 403)


def test_the_invited_organisation_declines(client, bob, officer_b, invited, light):
    url = path(light, invited.pk)
    assert_problem(send(client, url, {}, bob, method="delete"), 403)
    assert send(client, url, {}, officer_b, method="delete").status_code == 204
    assert not light.buyers.filter(pk=invited.pk).exists()


def test_the_list_queries_stay_constant_as_buyers_grow(client, alice, light):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert get(client, path(light), alice).status_code == 200
        return len(queries)

    def add(index: int) -> None:
        org = Organisation.objects.create(
            name=f"Kommune {index}", slug=f"k{index}", kind="municipality", country="DK"
        )
        services.invite_buyer(alice, light, org, BuyerRole.OPTION_HOLDER, maximum_value=M)

    add(0)
    few = count()
    for index in range(1, 9):
        add(index)
    assert count() == few


def test_alice_sets_the_leads_values_and_others_may_not(client, alice, bob, charlie, light):
    lead = light.buyers.get()
    url = path(light, lead.pk)
    body = {"estimated_value": "25000000", "volume": "30", "volume_unit": "care homes"}
    assert_problem(send(client, url, body, method="put"), 401)
    assert_problem(send(client, url, body, bob, method="put"), 403)
    response = send(client, url, body, alice, method="put")
    assert response.status_code == 200, response.content
    assert Decimal(response.json()["estimated_value"]) == 25 * M
    problem = assert_problem(
        send(client, url, {"estimated_value": "170000000"}, alice, method="put"), 422
    )
    assert "estimated_value" in problem["errors"]
