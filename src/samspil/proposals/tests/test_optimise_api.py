"""POST /api/rounds/{id}/optimise: the run with its reasons; who may and may not; problem
details for a round without proposals, without scores and with must-funded proposals that
exceed a budget."""

import json

import pytest

from samspil.api.tests.test_api import assert_problem, bearer, token_for
from samspil.proposals import optimise_services
from samspil.proposals.models import Choice, OptimisationRun

from .conftest import open_round
from .test_optimise_services import entry_of, scored_round


@pytest.fixture
def pool(alice, org_a, greta):
    return scored_round(alice, org_a, greta)


def optimise(client, round_, body=None, user=None):
    headers = bearer(token_for(user)) if user is not None else {}
    path = f"/api/rounds/{round_.pk}/optimise"
    data = json.dumps(body) if body is not None else ""
    return client.post(path, data, content_type="application/json", headers=headers)


def test_it_returns_alices_run_with_reasons_in_words(client, alice, pool):
    response = optimise(client, pool, {"objective": "score"}, user=alice)
    assert response.status_code == 200
    run = response.json()
    assert run["status"] == "optimal"
    assert run["status_text"].endswith("proven optimal.")
    assert run["value"] == pytest.approx(150.0)
    assert run["greedy_value"] == pytest.approx(100.0)
    by_title = {line["title"]: line for line in run["proposals"]}
    assert set(run["selected"]) == {by_title["Sensors"]["id"], by_title["App"]["id"]}
    assert run["greedy"] == [by_title["Robots"]["id"]]
    robots = by_title["Robots"]
    assert robots["funded"] is False and robots["greedy_funded"] is True
    assert robots["reason"]["code"] == "lower_value"
    assert robots["reason"]["params"]["short_by"] == pytest.approx(900.0)
    assert robots["reason"]["text"].startswith("Not funded: it would exceed the 2021 budget")
    assert robots["costs"] == [{"year": 2021, "area": "service", "amount": 900.0}]
    assert run["budgets"] == [
        {"year": 2021, "area": "service", "amount": 1000.0, "used": 1000.0, "greedy_used": 900.0}
    ]


def test_it_uses_the_rounds_objective_without_a_body(client, alice, pool):
    response = optimise(client, pool, user=alice)
    assert response.status_code == 200
    assert response.json()["objective"] == "score"


def test_it_answers_a_round_without_proposals_with_a_problem(client, alice, org_a, greta):
    empty = open_round(alice, org_a, board=[greta])
    body = assert_problem(optimise(client, empty, {"objective": "npv"}, user=alice), 422)
    assert "no proposals" in body["errors"]["round"][0]


def test_it_answers_the_score_while_scoring_is_open_with_a_problem(client, alice, org_a, greta):
    open_pool = scored_round(alice, org_a, greta, closed=False)
    body = assert_problem(optimise(client, open_pool, {"objective": "score"}, user=alice), 422)
    assert "until scoring closes" in body["errors"]["objective"][0]


def test_it_answers_an_unknown_objective_with_a_problem(client, alice, pool):
    assert_problem(optimise(client, pool, {"objective": "luck"}, user=alice), 422)


def test_it_names_the_budget_must_funded_proposals_exceed(client, alice, pool):
    for title in ("Robots", "Sensors"):
        optimise_services.set_choice(alice, entry_of(pool, title), Choice.INCLUDE)
    body = assert_problem(optimise(client, pool, {"objective": "score"}, user=alice), 422)
    assert body["detail"].startswith("No portfolio fits the budgets")
    assert body["errors"]["budgets"] == [
        "The proposals that must be funded need 1,400 of the 2021 budget for service, which "
        "holds 1,000."
    ]


@pytest.mark.parametrize("persona", ["bob", "greta"])
def test_it_forbids_those_who_only_see_the_round(client, request, pool, persona):
    user = request.getfixturevalue(persona)
    assert_problem(optimise(client, pool, {"objective": "score"}, user=user), 403)
    assert not OptimisationRun.objects.exists()


@pytest.mark.parametrize("persona", ["charlie", "dave"])
def test_it_hides_an_internal_round_from_other_organisations(client, request, pool, persona):
    user = request.getfixturevalue(persona)
    assert_problem(optimise(client, pool, {"objective": "score"}, user=user), 404)


def test_it_asks_anonymous_callers_to_authenticate(client, pool):
    assert_problem(optimise(client, pool, {"objective": "score"}), 401)
