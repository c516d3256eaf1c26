"""The decisions API: a pilot's decisions in date order, and passing its next decision point,
with problem details for every refusal (never a 500)."""

import json
from datetime import timedelta

from django.utils import timezone

from samspil.api.tests.test_api import assert_problem, bearer, token_for
from samspil.pilots import phase_services
from samspil.pilots.models import Decision, DecisionPoint, PilotChecklistItem

from .conftest import make_pilot


def today():
    return timezone.localdate()


def send(client, path: str, body, user=None):
    headers = bearer(token_for(user)) if user is not None else {}
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


def get(client, path: str, user=None):
    headers = bearer(token_for(user)) if user is not None else {}
    return client.get(path, headers=headers)


def new_decision(**overrides) -> dict:
    body = {
        "decision_point": "B1",
        "outcome": "go",
        "decided_by": "Direktionen",
        "decided_on": today().isoformat(),
        "documents": ["Projektgrundlag", "https://example.org/business-case.xlsx"],
        "notes": "Godkendt uden forbehold.",
    }
    body.update(overrides)
    return body


def test_it_passes_the_next_decision_point_and_answers_with_the_new_phase(client, alice, pilot):
    response = send(client, f"/api/pilots/{pilot.pk}/decisions", new_decision(), alice)
    assert response.status_code == 201, response.content
    body = response.json()
    decision = Decision.objects.get()
    assert body["decision"]["id"] == decision.pk
    assert body["decision"]["decision_point"]["code"] == "B1"
    assert body["decision"]["closes_phase"]["name"] == "Idéfase"
    assert body["decision"]["documents"] == [
        "Projektgrundlag",
        "https://example.org/business-case.xlsx",
    ]
    assert body["decision"]["recorded_by"] == {"id": alice.pk, "name": str(alice)}
    assert body["current_phase"]["name"] == "Analysefase"
    assert body["current_phase"]["position"] == 2
    assert (body["state"], body["status"]) == ("active", "planned")
    open_items = PilotChecklistItem.objects.filter(pilot=pilot, done_at__isnull=True).count()
    assert open_items and len(body["warnings"]) == 1


def test_it_takes_the_decision_point_by_id_and_stops_the_pilot(client, alice, pilot):
    b1 = DecisionPoint.objects.get(model_id=pilot.phase_model_id, code="B1")
    body = new_decision(decision_point=b1.pk, outcome="stop")
    response = send(client, f"/api/pilots/{pilot.pk}/decisions", body, alice)
    assert response.status_code == 201
    assert (response.json()["state"], response.json()["status"]) == ("stopped", "stopped")


def test_it_refuses_to_end_a_pilot_after_today(client, alice, pilot):
    """A stop decision is the API's way to end a pilot: its date is the end, never after today."""
    future = (today() + timedelta(days=1)).isoformat()
    body = new_decision(outcome="stop", decided_on=future)
    problem = assert_problem(send(client, f"/api/pilots/{pilot.pk}/decisions", body, alice), 422)
    assert "decided_on" in problem["errors"]
    pilot.refresh_from_db()
    assert pilot.status == "planned" and pilot.ended_on is None


def test_it_lists_the_decisions_in_date_order_to_those_who_see_the_pilot(client, alice, org_a):
    pilot = make_pilot(alice, org_a, starts_on=today() - timedelta(days=10))
    path = f"/api/pilots/{pilot.pk}/decisions"
    earlier = (today() - timedelta(days=3)).isoformat()
    assert send(client, path, new_decision(decided_on=earlier), alice).status_code == 201
    send(client, path, new_decision(decision_point="B2", outcome="back"), alice)
    response = get(client, path)
    assert response.status_code == 200
    rows = response.json()
    assert [(r["decision_point"]["code"], r["outcome"]) for r in rows] == [
        ("B1", "go"),
        ("B2", "back"),
    ]
    assert rows[0]["decided_on"] == earlier


def test_it_answers_a_decision_out_of_order_twice_or_misdated_with_a_422(client, alice, pilot):
    path = f"/api/pilots/{pilot.pk}/decisions"
    problem = assert_problem(send(client, path, new_decision(decision_point="B2"), alice), 422)
    assert "B1" in problem["errors"]["decision_point"][0]
    assert send(client, path, new_decision(), alice).status_code == 201
    problem = assert_problem(send(client, path, new_decision(), alice), 422)
    assert "already passed" in problem["errors"]["decision_point"][0]
    future = (today() + timedelta(days=1)).isoformat()
    bad_dates = [future, (pilot.starts_on - timedelta(days=1)).isoformat(), "2024-02-30"]
    for day in bad_dates:
        body = new_decision(decision_point="B2", decided_on=day)
        assert_problem(send(client, path, body, alice), 422)
    assert Decision.objects.count() == 1


def test_it_answers_bad_bodies_with_a_422(client, alice, pilot):
    path = f"/api/pilots/{pilot.pk}/decisions"
    bodies = [
        new_decision(decision_point="BP9"),
        new_decision(decision_point=999999),
        new_decision(decision_point=10**30),
        new_decision(decision_point=1.5),
        new_decision(decision_point=""),
        new_decision(outcome="maybe"),
        new_decision(decided_by=""),
        new_decision(decided_by="x" * 201),
        new_decision(documents="not a list"),
        new_decision(outcome="back"),
        {"outcome": "go"},
    ]
    for body in bodies:
        assert_problem(send(client, path, body, alice), 422)
    assert not Decision.objects.exists()


def test_it_lets_only_those_who_decide_post_and_hides_internal_pilots(
    client, alice, bob, charlie, dave, pilot, internal_pilot
):
    path = f"/api/pilots/{pilot.pk}/decisions"
    assert_problem(send(client, path, new_decision()), 401)
    for person in (bob, charlie, dave):
        assert_problem(send(client, path, new_decision(), person), 403)
    internal = f"/api/pilots/{internal_pilot.pk}/decisions"
    assert_problem(send(client, internal, new_decision(), charlie), 404)
    assert_problem(get(client, internal), 404)
    assert_problem(get(client, internal, charlie), 404)
    assert get(client, internal, bob).status_code == 200
    assert_problem(get(client, "/api/pilots/999999/decisions", alice), 404)
    assert not Decision.objects.exists()


def test_it_lists_decisions_in_a_constant_number_of_queries(
    client, alice, org_a, pilot, django_assert_max_num_queries
):
    token = bearer(token_for(alice))
    with django_assert_max_num_queries(20) as few:
        client.get(f"/api/pilots/{pilot.pk}/decisions", headers=token)
    busy = make_pilot(alice, org_a, "Busy", starts_on=today() - timedelta(days=5))
    points = {p.code: p for p in DecisionPoint.objects.filter(model_id=busy.phase_model_id)}
    for code, outcome in (("B1", "go"), ("B2", "back"), ("B1", "go"), ("B2", "go")):
        phase_services.decide(alice, busy, points[code], outcome, "Direktionen", today())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"/api/pilots/{busy.pk}/decisions", headers=token)
    assert len(response.json()) == 4
