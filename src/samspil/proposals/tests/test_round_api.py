"""The rounds API: listing, opening and reading rounds, entering proposals, scoring; who may
and may not; problem details for bad input."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from samspil.api.tests.test_api import assert_problem, bearer, token_for
from samspil.conftest import add_member, make_user
from samspil.core.models import Visibility
from samspil.proposals import round_services
from samspil.proposals.models import Round, RoundEntry, Score

from .conftest import full_scores, make_proposal, open_round, submitted


def send(client, path: str, body: dict, user=None):
    headers = bearer(token_for(user)) if user is not None else {}
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


def get(client, path: str, user=None):
    headers = bearer(token_for(user)) if user is not None else {}
    return client.get(path, headers=headers)


def round_body(**overrides) -> dict:
    now = timezone.now()
    body = {
        "title": "Innovation pool 2022",
        "submission_deadline": (now + timedelta(days=1)).isoformat(),
        "scoring_deadline": (now + timedelta(days=2)).isoformat(),
        "budgets": [{"amount": "2700", "year": 2022, "budget_area": "service"}],
    }
    body.update(overrides)
    return body


def test_it_lists_the_rounds_each_caller_may_see(client, alice, org_a, charlie):
    open_round(alice, org_a, title="Internal pool")
    open_round(alice, org_a, title="Public pool", visibility=Visibility.PUBLIC)
    titles = [r["title"] for r in json.loads(get(client, "/api/rounds", alice).content)["items"]]
    assert sorted(titles) == ["Internal pool", "Public pool"]
    for user in (charlie, None):
        items = json.loads(get(client, "/api/rounds", user).content)["items"]
        assert [r["title"] for r in items] == ["Public pool"]


def test_it_lists_a_municipalitys_internal_round_to_its_departments_only(
    client, alice, org_a, org_a_department, charlie
):
    open_round(alice, org_a, title="Internal pool")
    sara = make_user("sara")
    add_member(sara, org_a_department)
    items = json.loads(get(client, "/api/rounds", sara).content)["items"]
    assert [r["title"] for r in items] == ["Internal pool"]
    assert json.loads(get(client, "/api/rounds", charlie).content)["items"] == []


def test_it_opens_a_round_with_the_default_criteria_for_alice(client, alice, greta):
    response = send(client, "/api/rounds", round_body(board_ids=[greta.pk]), alice)
    assert response.status_code == 201, response.content
    body = json.loads(response.content)
    assert body["board"] == [{"id": greta.pk, "name": "Greta"}]
    assert body["budgets"] == [{"amount": "2700.00", "year": 2022, "budget_area": "service"}]
    assert len(body["criteria"]) == 6 and body["criteria"][0]["name"] == "Expense"
    assert body["ranking"] is None


def test_it_takes_a_naive_deadline_in_the_servers_time_zone(client, alice):
    body = round_body(submission_deadline="2030-03-01T12:00", scoring_deadline="2030-04-01T12:00")
    assert send(client, "/api/rounds", body, alice).status_code == 201
    assert Round.objects.get().submission_deadline.isoformat() == "2030-03-01T11:00:00+00:00"


def test_it_refuses_a_round_to_bob_and_to_anonymous(client, bob):
    assert_problem(send(client, "/api/rounds", round_body(), bob), 403)
    assert_problem(send(client, "/api/rounds", round_body()), 401)
    assert not Round.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"budgets": [{"amount": "-1"}]}, "budgets"),
        ({"budgets": [{"amount": "1"}, {"amount": "2"}]}, "budgets"),
        ({"criteria": [{"name": "Cost", "scale_min": 3, "scale_max": 2}]}, "criteria"),
        ({"scoring_deadline": "2020-01-01T00:00:00+00:00"}, "scoring_deadline"),
    ],
)
def test_it_answers_bad_round_input_with_a_problem(client, alice, overrides, key):
    problem = assert_problem(send(client, "/api/rounds", round_body(**overrides), alice), 422)
    assert key in problem["errors"]


def test_it_hides_an_internal_round_from_charlie(client, charlie, pool):
    assert_problem(get(client, f"/api/rounds/{pool.pk}", charlie), 404)
    assert_problem(get(client, f"/api/rounds/{pool.pk}"), 404)


def test_it_shows_the_ranking_only_when_scoring_has_closed(client, bob, greta, pool, entry):
    round_services.score_entry(greta, entry, full_scores(pool, 5))
    body = json.loads(get(client, f"/api/rounds/{pool.pk}", bob).content)
    assert body["ranking"] is None
    assert [e["proposal"]["id"] for e in body["entries"]] == [entry.proposal_id]
    Round.objects.filter(pk=pool.pk).update(
        submission_deadline=timezone.now() - timedelta(days=2),
        scoring_deadline=timezone.now() - timedelta(days=1),
    )
    body = json.loads(get(client, f"/api/rounds/{pool.pk}", bob).content)
    [line] = body["ranking"]
    assert (line["rank"], line["score"]) == (1, 100.0)
    assert line["member_scores"][0]["member"]["name"] == "Greta"
    assert {s["value"] for s in line["member_scores"][0]["scores"]} == {5}


def test_it_enters_alices_submitted_proposal(client, alice, pool, proposal):
    submitted(proposal)
    response = send(client, f"/api/rounds/{pool.pk}/entries", {"proposal": proposal.pk}, alice)
    assert response.status_code == 201
    assert json.loads(response.content)["proposal"]["id"] == proposal.pk


def test_it_refuses_entries_by_bob_an_unknown_proposal_and_a_draft(
    client, alice, bob, pool, proposal
):
    path = f"/api/rounds/{pool.pk}/entries"
    assert_problem(send(client, path, {"proposal": proposal.pk}, alice), 422)  # a draft
    submitted(proposal)
    assert_problem(send(client, path, {"proposal": proposal.pk}, bob), 403)
    assert_problem(send(client, path, {"proposal": 999999}, alice), 422)
    assert not RoundEntry.objects.exists()


def test_it_refuses_a_proposal_at_another_price_level_than_the_rounds(
    client, alice, org_a, pool, entry
):
    older = submitted(make_proposal(alice, org_a, title="Robots", price_level_year=2015))
    response = send(client, f"/api/rounds/{pool.pk}/entries", {"proposal": older.pk}, alice)
    problem = assert_problem(response, 422)
    assert problem["errors"] == {
        "proposal": [
            "The round's proposals are at 2021 prices and this proposal is at 2015 prices: "
            "restate its amounts at 2021 prices to enter it."
        ]
    }
    assert not RoundEntry.objects.filter(proposal=older).exists()


def test_it_saves_a_board_members_scores(client, greta, pool, entry):
    body = {"proposal": entry.proposal_id, "scores": full_scores(pool, 4)}
    response = send(client, f"/api/rounds/{pool.pk}/scores", body, greta)
    assert response.status_code == 200, response.content
    assert {s["value"] for s in json.loads(response.content)} == {4}


def test_it_answers_a_score_out_of_scale_with_a_problem(client, greta, pool, entry):
    first = pool.criteria.first()
    body = {"proposal": entry.proposal_id, "scores": [{"criterion": first.pk, "value": 7}]}
    problem = assert_problem(send(client, f"/api/rounds/{pool.pk}/scores", body, greta), 422)
    assert problem["errors"] == {
        f"criterion_{first.pk}": ["Give Expense a whole number from 1 to 5."]
    }
    assert not Score.objects.exists()


def test_it_answers_an_unknown_criterion_with_a_problem(client, greta, pool, entry):
    body = {"proposal": entry.proposal_id, "scores": [{"criterion": 999999, "value": 3}]}
    problem = assert_problem(send(client, f"/api/rounds/{pool.pk}/scores", body, greta), 422)
    assert problem["errors"] == {"criterion": ["Score only the criteria of this round."]}


def test_it_answers_a_score_after_the_deadline_with_a_problem(client, greta, pool, entry):
    Round.objects.filter(pk=pool.pk).update(
        submission_deadline=timezone.now() - timedelta(days=2),
        scoring_deadline=timezone.now() - timedelta(days=1),
    )
    body = {"proposal": entry.proposal_id, "scores": full_scores(pool, 3)}
    problem = assert_problem(send(client, f"/api/rounds/{pool.pk}/scores", body, greta), 422)
    assert problem["errors"] == {"round": ["Scoring has closed: scores can no longer change."]}


def test_it_refuses_scores_from_bob_dave_charlie_and_anonymous(
    client, bob, charlie, dave, pool, entry
):
    path = f"/api/rounds/{pool.pk}/scores"
    body = {"proposal": entry.proposal_id, "scores": full_scores(pool, 3)}
    assert_problem(send(client, path, body, bob), 403)
    assert_problem(send(client, path, body, dave), 404)
    assert_problem(send(client, path, body, charlie), 404)
    assert_problem(send(client, path, body), 401)
    assert not Score.objects.exists()
