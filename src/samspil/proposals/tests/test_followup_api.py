"""The API of a proposal's criteria table, follow-up table and consultations, for those who
may and may not; problem details naming the row and field on bad input."""

from datetime import date
from decimal import Decimal

import pytest

from samspil.api.tests.test_api import assert_problem
from samspil.events.tests.test_api import get, send
from samspil.proposals import followup_services as services
from samspil.proposals.models import FollowUpItem, Proposal, ProposalState

D = Decimal


def path(proposal, table: str) -> str:
    return f"/api/proposals/{proposal.pk}/{table}"


def put(client, proposal, table: str, body: list, user=None):
    return send(client, path(proposal, table), body, user, method="put")  # type: ignore[arg-type]


@pytest.fixture
def item(alice, bob, proposal) -> FollowUpItem:
    return services.add_follow_up(
        alice, proposal, criterion="The concept is ready", responsible_user=bob
    )


# Criteria ------------------------------------------------------------------------------------


def test_it_lists_a_public_proposals_criteria_to_anyone(client, alice, bob, proposal):
    services.add_criteria_row(
        alice, proposal, label="1. Complaints", expense_low=D(1500), expense_high=D(3000)
    )
    for caller in (None, bob):
        response = get(client, path(proposal, "criteria"), caller)
        assert response.status_code == 200
        (row,) = response.json()
        assert row["label"] == "1. Complaints"
        assert D(row["expense_low"]) == 1500 and D(row["expense_high"]) == 3000


def test_it_replaces_the_criteria_table(client, alice, proposal):
    kept = services.add_criteria_row(alice, proposal, label="Concept")
    body = [
        {"label": "3. Decision support", "expense_low": "3500", "expense_high": "5000"},
        {"id": kept.pk, "label": "Concept", "cross_cutting": "yes", "large_scale": "yes"},
    ]
    response = put(client, proposal, "criteria", body, alice)
    assert response.status_code == 200, response.content
    assert [r["label"] for r in response.json()] == ["3. Decision support", "Concept"]
    assert response.json()[1]["id"] == kept.pk
    assert response.json()[1]["cross_cutting"] == "yes"


def test_it_names_the_row_and_field_of_a_bad_cell(client, alice, proposal):
    body = [
        {"label": "Fine"},
        {"label": "Too much", "saving_low": "200000000"},
        {"label": "Upside down", "expense_low": "3000", "expense_high": "1500"},
    ]
    problem = assert_problem(put(client, proposal, "criteria", body, alice), 422)
    assert [(e["index"], e["field"]) for e in problem["errors"]] == [
        (1, "saving_low"),
        (2, "expense_low"),
    ]
    assert not proposal.criteria_rows.exists()


def test_it_refuses_a_cell_that_is_not_a_choice(client, alice, proposal):
    body = [{"label": "Concept", "cross_cutting": "perhaps"}]
    problem = assert_problem(put(client, proposal, "criteria", body, alice), 422)
    assert any("cross_cutting" in e["loc"] for e in problem["errors"])


def test_it_refuses_criteria_writes_to_others(
    client, bob, charlie, dave, proposal, internal_proposal
):
    body = [{"label": "Mine"}]
    assert_problem(put(client, proposal, "criteria", body), 401)
    for person in (bob, charlie, dave):
        assert_problem(put(client, proposal, "criteria", body, person), 403)
    assert_problem(put(client, proposal, "criteria", [], bob), 403)
    assert_problem(put(client, internal_proposal, "criteria", body, charlie), 404)
    assert_problem(get(client, path(internal_proposal, "criteria"), charlie), 404)
    assert_problem(get(client, path(internal_proposal, "criteria")), 404)
    assert not proposal.criteria_rows.exists()


# Follow-up -----------------------------------------------------------------------------------


def test_it_lists_the_follow_ups_with_their_people(client, bob, item, proposal):
    response = get(client, path(proposal, "follow-ups"), bob)
    (row,) = response.json()
    assert row["responsible_user"] == {"id": bob.pk, "name": str(bob)}
    assert row["needs_date"] is False and row["done_at"] is None


def test_it_replaces_the_follow_up_table_keeping_what_was_done(client, alice, bob, item, proposal):
    services.complete_follow_up(bob, item)
    body = [
        {"criterion": "Hackathons are held", "due_on": "2021-12-31"},
        {"id": item.pk, "criterion": "The concept is ready", "responsible_user_id": bob.pk},
    ]
    response = put(client, proposal, "follow-ups", body, alice)
    assert response.status_code == 200, response.content
    rows = response.json()
    assert [r["criterion"] for r in rows] == ["Hackathons are held", "The concept is ready"]
    assert rows[0]["due_on"] == "2021-12-31" and rows[1]["done_at"] is not None


def test_it_refuses_a_responsible_person_outside_the_organisation(client, alice, charlie, proposal):
    body = [{"criterion": "Fine"}, {"criterion": "Charlie's", "responsible_user_id": charlie.pk}]
    problem = assert_problem(put(client, proposal, "follow-ups", body, alice), 422)
    assert problem["errors"][0]["index"] == 1
    assert problem["errors"][0]["field"] == "responsible_user"
    body = [{"criterion": "Nobody", "responsible_user_id": 999999}]
    assert_problem(put(client, proposal, "follow-ups", body, alice), 422)
    assert not proposal.follow_ups.exists()


def test_it_lets_the_responsible_person_tick_their_task(client, bob, item, proposal):
    Proposal.objects.filter(pk=proposal.pk).update(state=ProposalState.APPROVED)
    done = f"{path(proposal, 'follow-ups')}/{item.pk}/done"
    response = send(client, done, {}, bob)
    assert response.status_code == 200 and response.json()["done_at"]
    response = send(client, done, {"done": False}, bob)
    assert response.json()["done_at"] is None
    assert_problem(put(client, proposal, "follow-ups", [], bob), 403)


def test_it_refuses_ticking_to_others(client, alice, charlie, dave, item, internal_proposal):
    done = f"{path(item.proposal, 'follow-ups')}/{item.pk}/done"
    assert_problem(send(client, done, {}), 401)
    assert_problem(send(client, done, {}, charlie), 403)
    assert_problem(send(client, done, {}, dave), 403)
    hidden = services.add_follow_up(alice, internal_proposal, criterion="Internal")
    hidden_done = f"{path(internal_proposal, 'follow-ups')}/{hidden.pk}/done"
    assert_problem(send(client, hidden_done, {}, charlie), 404)
    wrong = f"{path(internal_proposal, 'follow-ups')}/{item.pk}/done"
    assert_problem(send(client, wrong, {}, alice), 404)


# Consultations -------------------------------------------------------------------------------


def test_it_records_the_consultations(client, alice, proposal):
    centre = proposal.consultations.first()
    body = [
        {"id": centre.pk, "answer": "yes", "answered_on": "2020-06-16"},
        {"body": "Data protection officer", "answer": "not_relevant"},
    ]
    response = put(client, proposal, "consultations", body, alice)
    assert response.status_code == 200, response.content
    rows = response.json()
    assert rows[0]["answer"] == "yes" and rows[0]["added"] is False
    assert rows[1]["body"] == "Data protection officer" and rows[1]["added"] is True
    assert len(rows) == 7
    centre.refresh_from_db()
    assert centre.answered_on == date(2020, 6, 16)


def test_it_names_the_consultation_without_a_date(client, alice, proposal):
    centre = proposal.consultations.first()
    body = [{"id": centre.pk, "answer": "no"}]
    problem = assert_problem(put(client, proposal, "consultations", body, alice), 422)
    assert problem["errors"] == [
        {
            "index": 0,
            "id": centre.pk,
            "field": "answered_on",
            "message": "Enter the date of the answer.",
        }
    ]


def test_it_refuses_consultation_writes_to_others(
    client, bob, charlie, proposal, internal_proposal
):
    assert get(client, path(proposal, "consultations")).status_code == 200
    assert_problem(put(client, proposal, "consultations", [], bob), 403)
    assert_problem(put(client, internal_proposal, "consultations", [], charlie), 404)
    assert_problem(get(client, path(internal_proposal, "consultations"), charlie), 404)
