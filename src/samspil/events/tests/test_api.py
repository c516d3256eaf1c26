"""The events API: who may read, create, change and register; problem details on bad input."""

import json
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samspil.api.tests.test_api import assert_problem, bearer, token_for
from samspil.events.models import Event, Registration, RegistrationMode

from .conftest import make_event, register


def send(client, path: str, body: dict, user=None, method: str = "post"):
    headers = bearer(token_for(user)) if user is not None else {}
    return getattr(client, method)(
        path, json.dumps(body), content_type="application/json", headers=headers
    )


def get(client, path: str, user=None, **query):
    headers = bearer(token_for(user)) if user is not None else {}
    return client.get(path, query, headers=headers)


def new_event(**overrides) -> dict:
    start = timezone.now() + timedelta(days=20)
    body = {
        "title": "Hackathon: citizens document their own plan",
        "kind": "hackathon",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=8)).isoformat(),
        "capacity": 30,
        "visibility": "public",
    }
    body.update(overrides)
    return body


def test_it_lists_only_public_events_to_anonymous_callers(client, public_event, internal_event):
    response = get(client, "/api/events")
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == [public_event.title]


def test_it_lists_with_a_constant_number_of_queries(client, alice, org_a):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert get(client, "/api/events", alice).status_code == 200
        return len(queries)

    for n in range(3):
        make_event(alice, org_a, f"Event {n}")
    few = count()
    for n in range(3, 30):
        make_event(alice, org_a, f"Event {n}")
    assert count() == few


def test_it_answers_404_for_another_organisations_internal_event(client, charlie, internal_event):
    assert_problem(get(client, f"/api/events/{internal_event.pk}", charlie), 404)
    assert_problem(get(client, f"/api/events/{internal_event.pk}"), 404)


def test_it_lets_innovation_leads_create_events(client, alice):
    response = send(client, "/api/events", new_event(), alice)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["seats_left"] == 30 and body["organisers"][0]["id"] == alice.pk
    assert Event.objects.get().owner.slug == "arby"


def test_it_refuses_creation_to_members_and_anonymous_callers(client, bob, dave):
    assert_problem(send(client, "/api/events", new_event(), bob), 403)
    assert_problem(send(client, "/api/events", new_event(), dave), 403)
    assert_problem(send(client, "/api/events", new_event()), 401)


def test_it_answers_bad_times_with_a_problem(client, alice):
    start = timezone.now() + timedelta(days=2)
    body = new_event(starts_at=start.isoformat(), ends_at=(start - timedelta(hours=1)).isoformat())
    problem = assert_problem(send(client, "/api/events", body, alice), 422)
    assert "ends_at" in problem["errors"]
    assert_problem(send(client, "/api/events", new_event(capacity=0), alice), 422)
    assert not Event.objects.exists()


def test_it_lets_organisers_patch_and_others_not(client, alice, bob, charlie, public_event):
    response = send(
        client, f"/api/events/{public_event.pk}", {"capacity": 5}, alice, method="patch"
    )
    assert response.status_code == 200 and response.json()["capacity"] == 5
    assert_problem(
        send(client, f"/api/events/{public_event.pk}", {"capacity": 9}, bob, method="patch"), 403
    )
    assert_problem(
        send(client, f"/api/events/{public_event.pk}", {"capacity": 9}, charlie, method="patch"),
        403,
    )


def test_it_sets_the_hackathon_fields_through_the_api(client, alice, public_event):
    start = public_event.starts_at
    body = {
        "submission_deadline": (start + timedelta(hours=3)).isoformat(),
        "winner_count": 2,
        "hourly_rate": "450.00",
    }
    path = f"/api/events/{public_event.pk}"
    response = send(client, path, body, alice, method="patch")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["winner_count"] == 2 and data["hourly_rate"] == "450.00"
    assert data["submission_deadline"] and data["concept_id"] is None
    early = {"submission_deadline": (start - timedelta(hours=1)).isoformat()}
    problem = assert_problem(send(client, path, early, alice, method="patch"), 422)
    assert "submission_deadline" in problem["errors"]
    assert_problem(send(client, path, {"winner_count": 0}, alice, method="patch"), 422)
    assert_problem(send(client, path, {"hourly_rate": "-1"}, alice, method="patch"), 422)
    assert Event.objects.get().winner_count == 2


def test_it_registers_through_the_api(client, public_event):
    body = {"name": "Ida", "email": "ida@example.org", "background": "researcher"}
    response = send(client, f"/api/events/{public_event.pk}/registrations", body)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "confirmed"
    problem = assert_problem(
        send(client, f"/api/events/{public_event.pk}/registrations", body), 422
    )
    assert "email" in problem["errors"]


def test_it_puts_api_registrations_on_the_waiting_list_when_full(client, public_event):
    register(public_event, "one@example.org")
    register(public_event, "two@example.org")
    body = {"name": "Ida", "email": "ida@example.org", "background": "citizen"}
    response = send(client, f"/api/events/{public_event.pk}/registrations", body)
    assert response.json()["waiting_list"] is True


def test_it_needs_the_invitation_token_through_the_api(client, alice, org_a, internal_event):
    event = make_event(alice, org_a, registration_mode=RegistrationMode.INVITE_ONLY)
    body = {"name": "Ida", "email": "ida@example.org", "background": "citizen"}
    assert_problem(send(client, f"/api/events/{event.pk}/registrations", body), 404)
    assert_problem(send(client, f"/api/events/{internal_event.pk}/registrations", body), 404)
    body["invitation_token"] = event.invitation_token
    assert send(client, f"/api/events/{event.pk}/registrations", body).status_code == 201
    assert Registration.objects.count() == 1


def test_it_answers_bad_registrations_with_problems(client, alice, org_a):
    event = make_event(alice, org_a, terms="Only for the event.")
    body = {"name": "Ida", "email": "not-an-address", "background": "alien"}
    assert_problem(send(client, f"/api/events/{event.pk}/registrations", body), 422)
    body = {"name": "Ida", "email": "ida@example.org", "background": "citizen"}
    problem = assert_problem(send(client, f"/api/events/{event.pk}/registrations", body), 422)
    assert "accepted_terms" in problem["errors"]
