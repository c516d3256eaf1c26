"""The results API: list and create, read and change one, publish (refused with the reasons),
withdraw and copy; problem details for bad input and refusals."""

import json

import pytest

from samspil.api.tests.test_api import assert_problem, bearer, token_for
from samspil.conftest import add_member, make_user
from samspil.core.models import Role
from samspil.events.models import EventConcept
from samspil.results.models import Result, ResultStatus

from .factories import CONTACT, make_result

pytestmark = pytest.mark.django_db


def send(client, path: str, body: dict, user=None, method: str = "post"):
    headers = bearer(token_for(user)) if user is not None else {}
    return getattr(client, method)(
        path, json.dumps(body), content_type="application/json", headers=headers
    )


def get(client, path: str, user=None, **query):
    headers = bearer(token_for(user)) if user is not None else {}
    return client.get(path, query, headers=headers)


def test_anyone_lists_published_results_and_the_owners_people_drafts_too(
    client, alice, charlie, draft, published
):
    assert {r["id"] for r in get(client, "/api/results").json()["items"]} == {published.pk}
    mine = {r["id"] for r in get(client, "/api/results", alice).json()["items"]}
    assert mine == {published.pk, draft.pk}
    theirs = {r["id"] for r in get(client, "/api/results", charlie).json()["items"]}
    assert theirs == {published.pk}
    drafts = get(client, "/api/results", alice, status="draft").json()["items"]
    assert [r["id"] for r in drafts] == [draft.pk]


def test_the_list_filters(client, published):
    assert get(client, "/api/results", q="robot").json()["count"] == 1
    assert get(client, "/api/results", country="NO").json()["count"] == 0
    assert get(client, "/api/results", kind="templates").json()["count"] == 0
    assert get(client, "/api/results", theme="unknown").json()["count"] == 0
    assert_problem(get(client, "/api/results", country="XX"), 422)


def test_the_list_query_count_does_not_grow(client, alice, org_a, django_assert_max_num_queries):
    for number in range(30):
        make_result(alice, org_a, title=f"Result {number}")
    token = token_for(alice)
    with django_assert_max_num_queries(10):
        body = client.get("/api/results", {"page_size": 30}, headers=bearer(token)).json()
    assert len(body["items"]) == 30


def test_a_result_is_read_with_its_figures(client, published, draft):
    body = get(client, f"/api/results/{published.pk}").json()
    assert body["status"] == "published" and body["figures"][0]["gain_percent"] == "30"
    assert body["can_edit"] is False and body["problems"] == []
    assert_problem(get(client, f"/api/results/{draft.pk}"), 404)


def test_alice_creates_a_draft_prefilled_from_her_pilot(client, alice, pilot):
    response = send(client, "/api/results", {"pilot_id": pilot.pk, "prefill": True}, alice)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == pilot.title and body["stage"] == "outcome"
    assert body["status"] == "draft" and len(body["figures"]) == 2
    assert body["contact_email"] == alice.email


def test_bad_input_is_a_422_problem(client, alice):
    body = assert_problem(send(client, "/api/results", {"title": "T"}, alice), 422)
    assert "summary" in body["errors"]
    assert_problem(send(client, "/api/results", {"title": "x" * 300}, alice), 422)
    body = assert_problem(
        send(client, "/api/results", {"title": "T", "summary": "S", "pilot_id": 999999}, alice),
        422,
    )
    assert "pilot_id" in body["errors"]


def test_who_may_create(client, bob, dave):
    assert_problem(send(client, "/api/results", {"title": "T", "summary": "S"}), 401)
    for user in (bob, dave):
        assert_problem(send(client, "/api/results", {"title": "T", "summary": "S"}, user), 403)


def test_patch_changes_a_draft_and_only_for_its_editors(client, alice, bob, charlie, draft):
    response = send(client, f"/api/results/{draft.pk}", {"title": "New"}, alice, "patch")
    assert response.status_code == 200 and response.json()["title"] == "New"
    assert_problem(send(client, f"/api/results/{draft.pk}", {"title": "X"}, bob, "patch"), 403)
    assert_problem(send(client, f"/api/results/{draft.pk}", {"title": "X"}, charlie, "patch"), 404)
    assert_problem(send(client, f"/api/results/{draft.pk}", {"title": ""}, alice, "patch"), 422)


def test_publishing_is_refused_naming_the_internal_pilot(client, alice, org_a, internal_pilot):
    result = make_result(alice, org_a, pilot=internal_pilot)
    body = assert_problem(send(client, f"/api/results/{result.pk}/publish", {}, alice), 422)
    assert internal_pilot.title in " ".join(body["errors"]["status"])
    detail = get(client, f"/api/results/{result.pk}", alice).json()
    assert detail["problems"]


def test_publish_and_withdraw(client, alice, bob, draft):
    assert_problem(send(client, f"/api/results/{draft.pk}/publish", {}, bob), 403)
    body = send(client, f"/api/results/{draft.pk}/publish", {}, alice).json()
    assert body["status"] == "published" and body["published_at"]
    body = send(client, f"/api/results/{draft.pk}/withdraw", {}, alice).json()
    assert body["status"] == "withdrawn"
    assert_problem(send(client, f"/api/results/{draft.pk}/withdraw", {}, alice), 422)


def test_copy_into_my_organisation(client, org_b, concept_template):
    lead = make_user("birgit")
    add_member(lead, org_b, Role.Code.INNOVATION_LEAD)
    response = send(client, f"/api/results/{concept_template.pk}/copy", {}, lead)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["target"]["kind"] == "event_concept"
    assert EventConcept.objects.get(pk=body["target"]["id"]).owner == org_b
    copy = Result.objects.get(pk=body["result"]["id"])
    assert copy.copied_from == concept_template and copy.status == ResultStatus.DRAFT


def test_copy_is_refused_without_a_led_organisation(client, bob, concept_template, published):
    assert_problem(send(client, f"/api/results/{concept_template.pk}/copy", {}, bob), 403)
    assert_problem(send(client, f"/api/results/{concept_template.pk}/copy", {}), 401)


def test_copying_a_result_that_is_no_template_is_a_422(client, alice, published):
    assert_problem(send(client, f"/api/results/{published.pk}/copy", {}, alice), 422)


def test_contact_defaults_to_the_requester(client, alice):
    body = send(client, "/api/results", {"title": "T", "summary": "S", **CONTACT}, alice).json()
    assert body["contact_name"] == "Alice"
