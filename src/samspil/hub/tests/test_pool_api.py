"""The competence pool API: GET/POST /api/competences, GET/POST /api/assignments, with the
same rules as the pages and problem details for refusals."""

from datetime import timedelta

from django.utils import timezone

from samspil.conftest import add_member, make_user
from samspil.hub.models import Assignment, Competence, PoolMember

from .factories import COACH, event, member, pilot

PROBLEM = "application/problem+json"


def post(client, url: str, body: dict):
    return client.post(url, body, content_type="application/json")


def test_the_pool_is_listed_for_the_organisations_people(client_for, bob, bobs, org_a):
    body = client_for(bob).get("/api/competences").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == bobs.pk and item["organisation"]["id"] == org_a.pk
    assert item["competences"] == [COACH, Competence.DEVELOPER]
    assert item["available_percent"] == 50 and item["assignments"] == []


def test_others_see_no_one(client, client_for, charlie, bobs):
    assert client_for(charlie).get("/api/competences").json()["count"] == 0
    client.logout()
    assert client.get("/api/competences").json()["count"] == 0


def test_the_competence_filter(client_for, alice, bobs):
    client = client_for(alice)
    assert client.get("/api/competences?competence=developer").json()["count"] == 1
    assert client.get("/api/competences?competence=lawyer").json()["count"] == 0
    response = client.get("/api/competences?competence=wizard")
    assert response.status_code == 422 and response["Content-Type"] == PROBLEM


def test_the_list_queries_do_not_grow(client_for, alice, org_a, django_assert_max_num_queries):
    target = pilot(org_a)
    for index in range(10):
        person = make_user(f"dev{index}")
        add_member(person, org_a)
        pooled = member(org_a, person)
        Assignment.objects.create(
            member=pooled,
            pilot=target,
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
            percent=5,
        )
    client = client_for(alice)
    with django_assert_max_num_queries(8):
        assert client.get("/api/competences").json()["count"] == 10
    with django_assert_max_num_queries(8):
        assert client.get("/api/assignments").json()["count"] == 10


def test_alice_adds_a_person(client_for, alice, bob, org_a):
    response = post(
        client_for(alice),
        "/api/competences",
        {
            "organisation_id": org_a.pk,
            "user_id": bob.pk,
            "competences": [COACH],
            "available_percent": 40,
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["person"]["id"] == bob.pk
    assert PoolMember.objects.get().available_percent == 40


def test_adding_someone_from_elsewhere_is_a_422_on_user_id(client_for, alice, charlie):
    response = post(
        client_for(alice),
        "/api/competences",
        {"user_id": charlie.pk, "competences": [COACH], "available_percent": 40},
    )
    assert response.status_code == 422 and response["Content-Type"] == PROBLEM
    assert "user_id" in response.json()["errors"]


def test_bad_shares_and_competences_are_422(client_for, alice, bob):
    client = client_for(alice)
    for body in (
        {"user_id": bob.pk, "competences": [COACH], "available_percent": 0},
        {"user_id": bob.pk, "competences": [], "available_percent": 10},
        {"user_id": bob.pk, "competences": ["wizard"], "available_percent": 10},
    ):
        response = post(client, "/api/competences", body)
        assert response.status_code == 422 and response["Content-Type"] == PROBLEM


def test_bob_may_not_add_people(client_for, bob, org_a):
    response = post(
        client_for(bob),
        "/api/competences",
        {
            "organisation_id": org_a.pk,
            "user_id": bob.pk,
            "competences": [COACH],
            "available_percent": 40,
        },
    )
    assert response.status_code == 403 and response["Content-Type"] == PROBLEM


def test_anonymous_callers_get_401(client, bob):
    response = post(
        client,
        "/api/competences",
        {"user_id": bob.pk, "competences": [COACH], "available_percent": 4},
    )
    assert response.status_code == 401


def assignment_body(bobs, target, **extra) -> dict:
    start = timezone.localdate()
    body = {
        "member_id": bobs.pk,
        "pilot_id": target.pk,
        "competence": COACH,
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=30)).isoformat(),
        "percent": 30,
    }
    body.update(extra)
    return body


def test_alice_assigns_and_an_over_booking_is_422(client_for, alice, bobs, org_a):
    client = client_for(alice)
    target = pilot(org_a)
    response = post(client, "/api/assignments", assignment_body(bobs, target))
    assert response.status_code == 201, response.content
    assert response.json()["pilot_id"] == target.pk and response.json()["percent"] == 30
    response = post(client, "/api/assignments", assignment_body(bobs, target, percent=25))
    assert response.status_code == 422 and response["Content-Type"] == PROBLEM
    assert "55 %" in response.json()["errors"]["percent"][0]
    listed = client.get(f"/api/assignments?member_id={bobs.pk}").json()
    assert listed["count"] == 1


def test_an_assignment_needs_exactly_one_target_and_an_ordered_period(
    client_for, alice, bobs, org_a
):
    client = client_for(alice)
    both = assignment_body(bobs, pilot(org_a), event_id=event(org_a).pk)
    response = post(client, "/api/assignments", both)
    assert response.status_code == 422 and "pilot_id" in response.json()["errors"]
    none = assignment_body(bobs, pilot(org_a), pilot_id=None)
    assert post(client, "/api/assignments", none).status_code == 422
    backwards = assignment_body(bobs, pilot(org_a), ends_on="2000-01-01")
    response = post(client, "/api/assignments", backwards)
    assert response.status_code == 422 and "ends_on" in response.json()["errors"]


def test_a_pilot_alice_may_not_see_is_422(client_for, alice, bobs, org_b):
    hidden = pilot(org_b, visibility="internal")
    response = post(client_for(alice), "/api/assignments", assignment_body(bobs, hidden))
    assert response.status_code == 422 and "pilot_id" in response.json()["errors"]


def test_bob_gets_403_and_charlie_404(client_for, bob, charlie, bobs, org_a):
    target = pilot(org_a)
    response = post(client_for(bob), "/api/assignments", assignment_body(bobs, target))
    assert response.status_code == 403 and response["Content-Type"] == PROBLEM
    response = post(client_for(charlie), "/api/assignments", assignment_body(bobs, target))
    assert response.status_code == 404
    assert not Assignment.objects.exists()
