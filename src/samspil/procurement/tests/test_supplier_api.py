"""The suppliers API: the public directory, a challenge's suggested suppliers for the public
sector, and suppliers' registrations of interest (201, 409 twice, 403, 404), with problem
details on bad input."""

import pytest

from samspil.api.tests.test_api import assert_problem
from samspil.core.models import Organisation, Visibility
from samspil.events.tests.test_api import get, send
from samspil.procurement.models import InterestStatus, Stage, SupplierInterest, SupplierProfile
from samspil.procurement.supplier_services import invite_to_dialogue

from .supplier_factories import make_challenge, make_event, register


def test_anyone_lists_the_directory_with_filters(client, profile, other_profile):
    body = get(client, "/api/suppliers").json()
    assert body["count"] == 2
    names = [row["organisation"]["name"] for row in body["items"]]
    assert names == ["Cobalt Software ApS", "Dalby Bygg AB"]
    first = body["items"][0]
    assert first["competences"] == ["Circadian lighting", "IoT", "Welfare technology"]
    assert first["url"] == f"/suppliers/{profile.organisation_id}/"
    assert get(client, "/api/suppliers", country="NO").json()["count"] == 1
    assert get(client, "/api/suppliers", size="small").json()["count"] == 1
    assert get(client, "/api/suppliers", competence="IoT").json()["count"] == 1
    assert get(client, "/api/suppliers", q="excavators").json()["count"] == 1


def test_bad_filters_are_a_problem(client, profile):
    assert_problem(get(client, "/api/suppliers", country="DE"), 422)
    assert_problem(get(client, "/api/suppliers", size="huge"), 422)
    assert_problem(get(client, "/api/suppliers", page=0), 422)


def test_the_list_costs_the_same_queries_for_more_rows(client, db, django_assert_max_num_queries):
    for i in range(25):
        organisation = Organisation.objects.create(
            name=f"Company {i}", slug=f"c-{i}", kind="company", country="DK"
        )
        SupplierProfile.objects.create(organisation=organisation, offer="x", competences=["y"])
    with django_assert_max_num_queries(3):
        response = get(client, "/api/suppliers", page_size=25)
    assert len(response.json()["items"]) == 25


# Matches ---------------------------------------------------------------------------------------


def test_public_sector_users_get_the_matches_with_reasons(
    client, alice, charlie, dave, org_a, challenge, profile, other_profile
):
    event = make_event(org_a, "Sleep hackathon")
    event.challenges.add(challenge)
    register(event, dave)
    path = f"/api/challenges/{challenge.pk}/supplier-matches"
    for user in (alice, charlie):
        response = get(client, path, user)
        assert response.status_code == 200, response.content
        rows = response.json()
        assert [r["supplier"]["id"] for r in rows] == [profile.organisation_id]
        assert "residents" in rows[0]["shared_terms"]
        assert rows[0]["events"] == ["Sleep hackathon"]
        assert rows[0]["interest"] is None


def test_company_users_get_403_anonymous_401_and_the_unseen_404(
    client, alice, charlie, dave, org_a, challenge, profile
):
    path = f"/api/challenges/{challenge.pk}/supplier-matches"
    assert_problem(get(client, path, dave), 403)
    assert_problem(get(client, path), 401)
    internal = make_challenge(org_a, "Internal", visibility=Visibility.INTERNAL)
    assert_problem(get(client, f"/api/challenges/{internal.pk}/supplier-matches", charlie), 404)
    assert_problem(get(client, "/api/challenges/999999/supplier-matches", alice), 404)


# Interest ----------------------------------------------------------------------------------------


def test_a_supplier_registers_interest_in_a_challenge_then_twice_is_409(
    client, dave, org_c, challenge
):
    path = f"/api/challenges/{challenge.pk}/interest"
    response = send(client, path, {"note": "Sensors and light"}, dave)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "registered" and body["challenge_id"] == challenge.pk
    assert body["supplier"]["id"] == org_c.pk and body["note"] == "Sensors and light"
    again = assert_problem(send(client, path, {"note": "Again"}, dave), 409)
    assert "already" in again["detail"]


def test_an_invited_supplier_registers_for_a_procurement(
    client, alice, dave, org_c, circadian_procurement
):
    invite_to_dialogue(alice, circadian_procurement, org_c)
    path = f"/api/procurements/{circadian_procurement.pk}/interest"
    response = send(client, path, {"supplier_id": org_c.pk}, dave)
    assert response.status_code == 201, response.content
    assert SupplierInterest.objects.get().status == InterestStatus.REGISTERED


def test_non_suppliers_and_closed_targets_get_403(
    client, alice, charlie, dave, org_a, org_d, challenge, circadian_procurement
):
    for user in (alice, charlie):
        assert_problem(send(client, f"/api/challenges/{challenge.pk}/interest", {}, user), 403)
    body = {"supplier_id": org_d.pk}
    assert_problem(send(client, f"/api/challenges/{challenge.pk}/interest", body, dave), 403)
    circadian_procurement.stage = Stage.TENDER
    circadian_procurement.save()
    assert_problem(
        send(client, f"/api/procurements/{circadian_procurement.pk}/interest", {}, dave), 403
    )
    closed = make_challenge(org_a, "Closed", status="closed")
    assert_problem(send(client, f"/api/challenges/{closed.pk}/interest", {}, dave), 403)
    assert not SupplierInterest.objects.exists()


def test_unseen_targets_404_anonymous_401_bad_input_422(client, dave, org_a, challenge):
    internal = make_challenge(org_a, "Internal", visibility=Visibility.INTERNAL)
    assert_problem(send(client, f"/api/challenges/{internal.pk}/interest", {}, dave), 404)
    assert_problem(send(client, "/api/procurements/999999/interest", {}, dave), 404)
    assert_problem(send(client, f"/api/challenges/{challenge.pk}/interest", {}), 401)
    path = f"/api/challenges/{challenge.pk}/interest"
    assert_problem(send(client, path, {"note": "x" * 10001}, dave), 422)
    assert_problem(send(client, path, {"supplier_id": "abc"}, dave), 422)


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_other_methods_are_a_problem(client, dave, challenge, method):
    path = f"/api/challenges/{challenge.pk}/interest"
    response = getattr(client, method)(path)
    assert_problem(response, 405)
