"""The proposals API: who may list, read, create, change and move proposals; problem details
on bad input."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samspil.api.tests.test_api import assert_problem, bearer, token_for
from samspil.conftest import add_member, make_user
from samspil.core.models import Role
from samspil.proposals import services
from samspil.proposals.models import TEXT_MAX, Proposal, ProposalTemplate

from .conftest import make_proposal
from .test_services import fill_cell, internal_challenge


@pytest.fixture
def board_member(org_a):
    user = make_user("frida")
    add_member(user, org_a, Role.Code.BOARD_MEMBER)
    return user


def send(client, path: str, body: dict, user=None, method: str = "post"):
    headers = bearer(token_for(user)) if user is not None else {}
    return getattr(client, method)(
        path, json.dumps(body), content_type="application/json", headers=headers
    )


def get(client, path: str, user=None, **query):
    headers = bearer(token_for(user)) if user is not None else {}
    return client.get(path, query, headers=headers)


# Reading ----------------------------------------------------------------------------------------


def test_it_lists_only_public_proposals_to_anonymous_callers(client, proposal, internal_proposal):
    response = get(client, "/api/proposals")
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == [proposal.title]


def test_it_lists_internal_proposals_to_their_organisation(
    client, alice, charlie, dave, internal_proposal
):
    assert get(client, "/api/proposals", alice).json()["count"] == 1
    assert get(client, "/api/proposals", charlie).json()["count"] == 0
    assert get(client, "/api/proposals", dave).json()["count"] == 0


def test_it_filters_the_list(client, alice, org_a, proposal):
    make_proposal(alice, org_a, "Robot coding")
    services.move_proposal(alice, proposal, "consultation")

    def titles(**query) -> set[str]:
        return {i["title"] for i in get(client, "/api/proposals", alice, **query).json()["items"]}

    assert titles(state="consultation") == {proposal.title}
    assert titles(organisation_id=org_a.pk, q="robot") == {"Robot coding"}


def test_it_answers_422_for_bad_filters(client):
    assert_problem(get(client, "/api/proposals", state="finished"), 422)
    assert_problem(get(client, "/api/proposals", organisation_id="abc"), 422)


def test_it_lists_with_a_constant_number_of_queries(client, alice, org_a, org_a_department):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert get(client, "/api/proposals", alice).status_code == 200
        return len(queries)

    for n in range(2):
        make_proposal(alice, org_a, f"P{n}", affected_departments=[org_a_department])
    few = count()
    for n in range(2, 10):
        make_proposal(alice, org_a, f"P{n}", affected_departments=[org_a_department])
    assert count() == few


def test_it_reads_a_proposal_with_sections_state_and_history(client, alice, proposal):
    services.save_section(alice, proposal, "background", "Three hackathons")
    services.move_proposal(alice, proposal, "consultation", "Asked the IT group")
    body = get(client, f"/api/proposals/{proposal.pk}", alice).json()
    assert body["state"] == "consultation"
    assert body["organisation"]["name"] == "Arby Kommune"
    assert body["template"]["code"] == "copenhagen"
    assert [s["code"] for s in body["sections"]][:2] == ["economy", "background"]
    assert body["sections"][1]["text"] == "Three hackathons"
    assert body["state_changes"][0]["note"] == "Asked the IT group"
    assert body["moves"] == ["draft", "submitted"]
    assert body["can_edit"] is True


def test_it_shows_public_proposals_read_only_and_hides_internal_ones(
    client, bob, charlie, proposal, internal_proposal
):
    body = get(client, f"/api/proposals/{proposal.pk}").json()
    assert body["can_edit"] is False and body["moves"] == []
    assert get(client, f"/api/proposals/{proposal.pk}", bob).json()["can_edit"] is False
    assert_problem(get(client, f"/api/proposals/{internal_proposal.pk}"), 404)
    assert_problem(get(client, f"/api/proposals/{internal_proposal.pk}", charlie), 404)


def test_it_hides_a_linked_challenge_the_caller_may_not_see(client, alice, org_a, dave):
    proposal = make_proposal(alice, org_a, challenge=internal_challenge(org_a))
    assert get(client, f"/api/proposals/{proposal.pk}", alice).json()["challenge"] is not None
    assert get(client, f"/api/proposals/{proposal.pk}", dave).json()["challenge"] is None


# Creating ---------------------------------------------------------------------------------------


def test_it_creates_a_draft_with_the_defaults_of_the_country(client, alice, org_a):
    response = send(client, "/api/proposals", {"title": "Hackathons"}, alice)
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "draft" and body["template"]["code"] == "copenhagen"
    assert body["discount_preset"]["code"] == "dk-finance-ministry-2021"
    assert body["last_year"] == body["first_year"] + 4
    assert body["organisation"]["id"] == org_a.pk


def test_it_creates_with_an_own_rate_instead_of_a_preset(client, alice):
    body = send(client, "/api/proposals", {"title": "Own", "own_discount_rate": "4"}, alice).json()
    assert body["discount_preset"] is None and body["own_discount_rate"] == "4.00"


def test_it_refuses_creation_to_those_who_do_not_lead_innovation(client, bob, dave):
    assert_problem(send(client, "/api/proposals", {"title": "x"}), 401)
    for person in (bob, dave):
        assert_problem(send(client, "/api/proposals", {"title": "x"}, person), 403)


def test_it_answers_422_for_bad_proposals(client, alice, org_b):
    cases = [
        {"title": ""},
        {"title": "x", "first_year": 2025, "last_year": 2020},
        {"title": "x", "first_year": 1200},
        {"title": "x", "own_discount_rate": "99"},
        {"title": "x", "challenge_id": internal_challenge(org_b).pk},
        {"title": "x", "template_id": 999999},
        {"title": "x", "affected_department_ids": [org_b.pk]},
        {"title": "x", "visibility": "secret"},
    ]
    for body in cases:
        assert_problem(send(client, "/api/proposals", body, alice), 422)
    assert not Proposal.objects.exists()


# Changing ---------------------------------------------------------------------------------------


def test_it_changes_the_header_and_sections_together(client, alice, proposal, org_a_department):
    body = {
        "committee": "Socialudvalget",
        "affected_department_ids": [org_a_department.pk],
        "sections": {"background": "Why", "risk": "Few participants"},
    }
    response = send(client, f"/api/proposals/{proposal.pk}", body, alice, "patch")
    assert response.status_code == 200
    data = response.json()
    assert data["committee"] == "Socialudvalget"
    assert data["affected_departments"] == [
        {"id": org_a_department.pk, "name": org_a_department.name}
    ]
    texts = {s["code"]: s["text"] for s in data["sections"]}
    assert texts["background"] == "Why" and texts["risk"] == "Few participants"


def test_it_keeps_nothing_of_a_change_with_a_bad_section(client, alice, proposal):
    body = {"title": "New title", "sections": {"background": "Fine", "nothing": "x"}}
    problem = assert_problem(
        send(client, f"/api/proposals/{proposal.pk}", body, alice, "patch"), 422
    )
    assert "sections.nothing" in problem["errors"]
    long = {"sections": {"background": "x" * (TEXT_MAX + 1)}}
    assert_problem(send(client, f"/api/proposals/{proposal.pk}", long, alice, "patch"), 422)
    proposal.refresh_from_db()
    assert proposal.title != "New title"
    assert proposal.sections.get(section__code="background").text == ""


def test_it_refuses_shorter_years_that_leave_cells_behind(client, alice, proposal):
    fill_cell(proposal, 2025, label="Drift")
    problem = assert_problem(
        send(client, f"/api/proposals/{proposal.pk}", {"last_year": 2023}, alice, "patch"), 422
    )
    assert "Drift (2025)" in problem["errors"]["last_year"][0]


def test_it_refuses_changes_to_those_who_may_not_edit(
    client, bob, board_member, charlie, proposal, internal_proposal
):
    for person in (bob, board_member):
        response = send(client, f"/api/proposals/{proposal.pk}", {"title": "x"}, person, "patch")
        assert_problem(response, 403)
    response = send(
        client, f"/api/proposals/{internal_proposal.pk}", {"title": "x"}, charlie, "patch"
    )
    assert_problem(response, 404)
    assert_problem(
        send(client, f"/api/proposals/{proposal.pk}", {"title": "x"}, method="patch"), 401
    )


# Moving -----------------------------------------------------------------------------------------


def test_it_moves_a_proposal_through_department_and_board(client, alice, board_member, proposal):
    url = f"/api/proposals/{proposal.pk}/state"
    assert (
        send(client, url, {"to": "submitted", "note": "Ready"}, alice).json()["state"]
        == "submitted"
    )
    body = send(client, url, {"to": "approved"}, board_member).json()
    assert body["state"] == "approved"
    assert [c["to_state"] for c in body["state_changes"]] == ["submitted", "approved"]


def test_it_answers_problems_for_moves_that_may_not_be_made(
    client, alice, bob, board_member, charlie, proposal, internal_proposal
):
    url = f"/api/proposals/{proposal.pk}/state"
    assert_problem(send(client, url, {"to": "finished"}, alice), 422)
    assert_problem(send(client, url, {"to": "approved"}, alice), 422)
    assert_problem(send(client, url, {"to": "submitted"}, board_member), 403)
    assert_problem(send(client, url, {"to": "consultation"}, bob), 403)
    assert_problem(send(client, url, {"to": "consultation"}), 401)
    assert_problem(
        send(client, f"/api/proposals/{internal_proposal.pk}/state", {"to": "draft"}, charlie), 404
    )
    assert_problem(send(client, url, {"note": "no state"}, alice), 422)


# Templates and presets --------------------------------------------------------------------------


def test_it_lists_built_in_templates_and_the_callers_own(client, alice, charlie, org_a):
    ProposalTemplate.objects.create(code="arby", name="Arby's own", organisation=org_a)
    codes = {t["code"] for t in get(client, "/api/proposal-templates", alice).json()}
    assert {"copenhagen", "prosjektveiviseren", "arby"} <= codes
    codes = {t["code"] for t in get(client, "/api/proposal-templates", charlie).json()}
    assert "arby" not in codes and "copenhagen" in codes


def test_it_lists_the_discount_presets_with_their_source(client, db):
    presets = {p["code"]: p for p in get(client, "/api/discount-presets").json()}
    danish = presets["dk-finance-ministry-2021"]
    assert danish["bands"] == [[0, 35, "3.5"], [36, 70, "2.5"]]
    assert danish["source"]
