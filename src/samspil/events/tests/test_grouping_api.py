"""POST /api/events/{id}/grouping: groups for organisers, problems for everyone else."""

import pytest

from samspil.api.tests.test_api import assert_problem
from samspil.events.models import Grouping

from .conftest import make_event
from .test_api import send
from .test_grouping_services import populate


@pytest.fixture
def workshop(alice, org_a):
    return make_event(alice, org_a, "Co-creation with groups", capacity=100)


@pytest.fixture
def people(workshop):
    return populate(workshop)


def path(event) -> str:
    return f"/api/events/{event.pk}/grouping"


def test_it_forms_groups_and_returns_them_with_the_score(client, alice, workshop, people):
    ane, bo, cem = (r.pk for r in people[:3])
    body = {
        "group_count": 2,
        "weights": {"background": 2, "organisation": 1, "skills": 0.5},
        "together": [[ane, bo]],
        "apart": [[ane, cem]],
        "pinned": [{"participant_id": ane, "group": 2}],
    }
    response = send(client, path(workshop), body, alice)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["event_id"] == workshop.pk and data["score"] > 1.0
    assert [g["number"] for g in data["groups"]] == [1, 2]
    second = {m["id"]: m["name"] for m in data["groups"][1]["members"]}
    assert second[ane] == "Ane" and bo in second and cem not in second
    assert sum(data["groups"][0]["backgrounds"].values()) == len(data["groups"][0]["members"])
    assert Grouping.objects.get(event=workshop).groups[1] == sorted(second)


def test_it_answers_422_with_the_infeasibility_codes(client, alice, workshop, people):
    ane, bo = people[0].pk, people[1].pk
    body = {"group_size": 4, "together": [[ane, bo]], "apart": [[bo, ane]]}
    body_pins = {"group_count": 2, "max_size": 3}
    problem = assert_problem(send(client, path(workshop), body, alice), 422)
    assert [e["code"] for e in problem["errors"]] == ["together_and_apart"]
    assert problem["errors"][0]["params"]["a"] == bo and "Ane" in problem["errors"][0]["message"]
    problem = assert_problem(send(client, path(workshop), body_pins, alice), 422)
    assert problem["errors"][0] == {
        "code": "too_few_places",
        "message": "The groups hold at most 6 people, but there are 8.",
        "params": {"total_max": 6, "people": 8},
    }
    assert not Grouping.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"group_count": 2, "group_size": 3},
        {"group_count": 0},
        {"group_count": "many"},
        {"group_count": 2, "weights": {"skills": -1}},
        {"group_count": 2, "together": [[1, 2, 3]]},
        {"group_count": 2, "together": [[999999, 1]]},
        {"group_count": 2, "pinned": [{"participant_id": 999999, "group": 1}]},
        {"group_count": 2, "pinned": [{"participant_id": 1, "group": 0}]},
        {"group_count": 50},
    ],
)
def test_it_answers_bad_input_with_422(client, alice, workshop, people, body):
    assert_problem(send(client, path(workshop), body, alice), 422)
    assert not Grouping.objects.exists()


def test_it_answers_401_403_and_404(client, alice, bob, charlie, org_a, workshop, people):
    body = {"group_count": 2}
    assert_problem(send(client, path(workshop), body), 401)
    assert_problem(send(client, path(workshop), body, bob), 403)
    assert_problem(send(client, path(workshop), body, charlie), 403)
    internal = make_event(alice, org_a, "Internal", visibility="internal")
    assert_problem(send(client, path(internal), body, charlie), 404)
    assert_problem(send(client, "/api/events/999999/grouping", body, alice), 404)
    assert not Grouping.objects.exists()
