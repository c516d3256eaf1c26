"""The pilots API: who may list, read, create and change pilots; problem details on bad input."""

import json
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samspil.api.tests.test_api import assert_problem, bearer, token_for
from samspil.core.models import Visibility
from samspil.pilots import services
from samspil.pilots.models import Pilot, PilotStatus

from .conftest import make_pilot, make_programme
from .test_services import make_challenge


def send(client, path: str, body: dict, user=None, method: str = "post"):
    headers = bearer(token_for(user)) if user is not None else {}
    return getattr(client, method)(
        path, json.dumps(body), content_type="application/json", headers=headers
    )


def get(client, path: str, user=None, **query):
    headers = bearer(token_for(user)) if user is not None else {}
    return client.get(path, query, headers=headers)


def new_pilot(**overrides) -> dict:
    start = timezone.localdate()
    body = {
        "title": "Sensors against falls at night",
        "hypothesis": "Sensors halve the falls at night.",
        "kind": "gain",
        "starts_on": start.isoformat(),
        "planned_end_on": (start + timedelta(days=120)).isoformat(),
        "visibility": "public",
    }
    body.update(overrides)
    return body


def test_it_lists_only_public_pilots_to_anonymous_callers(client, pilot, internal_pilot):
    response = get(client, "/api/pilots")
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == [pilot.title]


def test_it_lists_internal_pilots_to_their_organisation(client, alice, charlie, internal_pilot):
    assert get(client, "/api/pilots", alice).json()["count"] == 1
    assert get(client, "/api/pilots", charlie).json()["count"] == 0


def test_it_filters_the_list(client, alice, org_a, programme):
    make_pilot(alice, org_a, "Chatbot", programme=programme)
    make_pilot(alice, org_a, "Drones", kind="sandbox")

    def titles(**query) -> set[str]:
        return {i["title"] for i in get(client, "/api/pilots", **query).json()["items"]}

    assert titles(kind="sandbox") == {"Drones"}
    assert titles(programme_id=programme.pk) == {"Chatbot"}
    assert titles(organisation_id=org_a.pk, q="chat") == {"Chatbot"}
    assert titles(status="running") == set()
    assert titles(maturity="idea") == {"Chatbot", "Drones"}


def test_it_answers_422_for_bad_filters(client):
    assert_problem(get(client, "/api/pilots", kind="experiment"), 422)
    assert_problem(get(client, "/api/pilots", programme_id="abc"), 422)


def test_it_lists_with_a_constant_number_of_queries(client, alice, bob, org_a, org_c, programme):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert get(client, "/api/pilots", alice).status_code == 200
        return len(queries)

    def add(n: int) -> None:
        pilot = make_pilot(alice, org_a, f"Pilot {n}", programme=programme, team=[alice, bob])
        services.add_partner(alice, pilot, org_c, "supplier")

    add(0)
    few = count()
    for n in range(1, 12):
        add(n)
    assert count() == few


def test_it_shows_one_pilot_with_its_details(client, alice, org_a, org_c, programme):
    challenge = make_challenge(org_a)
    pilot = make_pilot(alice, org_a, programme=programme, challenge=challenge, lead=alice)
    services.add_partner(alice, pilot, org_c, "supplier", "Software")
    body = get(client, f"/api/pilots/{pilot.pk}").json()
    assert body["organisation"]["id"] == org_a.pk and body["programme"]["id"] == programme.pk
    assert body["challenge"]["id"] == challenge.pk and body["lead"]["id"] == alice.pk
    assert body["partners"][0]["organisation"]["name"] == org_c.name
    assert (
        body["outcome"] is None and body["warnings"] == [] and body["url"] == f"/pilots/{pilot.pk}/"
    )


def test_it_hides_unseen_programmes_and_challenges(client, alice, org_a):
    programme = make_programme(alice, org_a, visibility=Visibility.INTERNAL)
    challenge = make_challenge(org_a, Visibility.INTERNAL)
    pilot = make_pilot(alice, org_a, programme=programme, challenge=challenge)
    body = get(client, f"/api/pilots/{pilot.pk}").json()
    assert body["programme"] is None and body["challenge"] is None
    body = get(client, f"/api/pilots/{pilot.pk}", alice).json()
    assert body["programme"]["id"] == programme.pk


def test_it_warns_about_the_length(client, alice, org_a, programme):
    start = timezone.localdate()
    pilot = make_pilot(
        alice, org_a, programme=programme, starts_on=start, planned_end_on=start + timedelta(300)
    )
    assert len(get(client, f"/api/pilots/{pilot.pk}").json()["warnings"]) == 1


def test_it_answers_404_for_another_organisations_internal_pilot(
    client, charlie, dave, internal_pilot
):
    assert_problem(get(client, f"/api/pilots/{internal_pilot.pk}", charlie), 404)
    assert_problem(get(client, f"/api/pilots/{internal_pilot.pk}", dave), 404)
    assert_problem(get(client, f"/api/pilots/{internal_pilot.pk}"), 404)
    assert_problem(get(client, "/api/pilots/999999"), 404)


def test_it_lets_innovation_leads_create_pilots(client, alice, bob, org_a):
    challenge = make_challenge(org_a)
    body = new_pilot(challenge_id=challenge.pk, lead_id=alice.pk, team_ids=[alice.pk, bob.pk])
    response = send(client, "/api/pilots", body, alice)
    assert response.status_code == 201, response.content
    pilot = Pilot.objects.get()
    assert pilot.owner == org_a and pilot.challenge == challenge and pilot.lead == alice
    assert {p["id"] for p in response.json()["team"]} == {alice.pk, bob.pk}


def test_it_refuses_creation_to_members_suppliers_and_anonymous_callers(client, bob, dave, org_a):
    assert_problem(send(client, "/api/pilots", new_pilot(), bob), 403)
    assert_problem(send(client, "/api/pilots", new_pilot(), dave), 403)
    assert_problem(send(client, "/api/pilots", new_pilot(organisation_id=org_a.pk), dave), 403)
    assert_problem(send(client, "/api/pilots", new_pilot()), 401)
    assert not Pilot.objects.exists()


def test_it_answers_problems_for_bad_input(client, alice, charlie, org_b):
    end_before_start = new_pilot(planned_end_on="2000-01-01")
    problem = assert_problem(send(client, "/api/pilots", end_before_start, alice), 422)
    assert "planned_end_on" in problem["errors"]
    assert_problem(send(client, "/api/pilots", new_pilot(kind="experiment"), alice), 422)
    assert_problem(send(client, "/api/pilots", new_pilot(starts_on="tomorrow"), alice), 422)
    assert_problem(send(client, "/api/pilots", new_pilot(title="x" * 201), alice), 422)
    assert_problem(send(client, "/api/pilots", new_pilot(title=" "), alice), 422)
    assert_problem(send(client, "/api/pilots", new_pilot(challenge_id=999999), alice), 422)
    assert_problem(send(client, "/api/pilots", new_pilot(lead_id=charlie.pk), alice), 422)
    assert_problem(send(client, "/api/pilots", new_pilot(team_ids=[999999]), alice), 422)
    assert_problem(send(client, "/api/pilots", new_pilot(organisation_id=org_b.pk), alice), 403)
    assert_problem(send(client, "/api/pilots", new_pilot(organisation_id=999999), alice), 404)
    response = client.post(
        "/api/pilots", "{", content_type="application/json", headers=bearer(token_for(alice))
    )
    assert_problem(response, 400)
    assert not Pilot.objects.exists()


def test_it_lets_editors_change_a_pilot(client, alice, bob, org_a, pilot):
    body = {"title": "Renamed", "lead_id": bob.pk, "team_ids": [bob.pk], "description": None}
    response = send(client, f"/api/pilots/{pilot.pk}", body, alice, method="patch")
    assert response.status_code == 200, response.content
    pilot.refresh_from_db()
    assert pilot.title == "Renamed" and pilot.lead == bob and list(pilot.team.all()) == [bob]
    response = send(client, f"/api/pilots/{pilot.pk}", {"lead_id": None}, bob, method="patch")
    assert response.status_code == 200 and response.json()["lead"] is None
    assert Pilot.objects.get(pk=pilot.pk).status == PilotStatus.PLANNED


def test_it_refuses_changes_to_others(client, bob, charlie, dave, pilot, internal_pilot):
    for person in (bob, charlie, dave):
        assert_problem(
            send(client, f"/api/pilots/{pilot.pk}", {"title": "Mine"}, person, method="patch"),
            403,
        )
    path = f"/api/pilots/{internal_pilot.pk}"
    assert_problem(send(client, path, {"title": "Mine"}, charlie, method="patch"), 404)
    assert_problem(send(client, f"/api/pilots/{pilot.pk}", {"title": "Mine"}, method="patch"), 401)
    assert Pilot.objects.get(pk=pilot.pk).title == pilot.title


def test_it_refuses_a_patch_ending_before_the_start(client, alice, pilot):
    body = {"planned_end_on": (pilot.starts_on - timedelta(days=1)).isoformat()}
    problem = assert_problem(
        send(client, f"/api/pilots/{pilot.pk}", body, alice, method="patch"), 422
    )
    assert "planned_end_on" in problem["errors"]
    body = {"title": None, "kind": None}
    assert send(client, f"/api/pilots/{pilot.pk}", body, alice, method="patch").status_code == 200
