"""The market dialogue API: who reads what, who may log, ask, answer and pull; answers go to
all registered suppliers or to none; problem details for 401/403/404/409/422."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samspil.api.tests.test_api import assert_problem
from samspil.events.models import LearnedRequirement
from samspil.events.tests.test_api import get, send
from samspil.procurement import dialogue_services
from samspil.procurement.models import AnswerDelivery, DialogueEntry, DialogueKind, Question


def path(procurement) -> str:
    return f"/api/procurements/{procurement.pk}/dialogue"


def answer_path(procurement, question) -> str:
    return f"/api/procurements/{procurement.pk}/questions/{question.pk}/answer"


def entry(**overrides) -> dict:
    body = {
        "type": "entry",
        "kind": "meeting",
        "held_on": timezone.localdate().isoformat(),
        "subject": "One-to-one meeting",
    }
    body.update(overrides)
    return body


def test_anyone_who_sees_the_procurement_reads_the_published_answers(
    client, charlie, published, logged, light
):
    for caller in (None, charlie):
        response = get(client, path(light), caller)
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["log_visible"] is False and body["entries"] == []
        assert body["registered_suppliers"] == []
        [qa] = body["questions"]
        assert qa["answer"] == "Yes, leasing is allowed." and qa["published_at"]
        assert "asked_by" not in qa


def test_the_buyers_read_the_log_and_who_asked(client, bob, logged, question, light):
    body = get(client, path(light), bob).json()
    assert body["log_visible"] is True and body["can_log"] is False
    assert [e["subject"] for e in body["entries"]] == ["Meeting with Cobalt"]
    assert body["entries"][0]["participants"][0]["name"] == "Cobalt Software ApS"
    [waiting] = body["waiting_questions"]
    assert waiting["asked_by"]["name"] == "Cobalt Software ApS"
    assert [s["name"] for s in body["registered_suppliers"]] == ["Cobalt Software ApS"]


def test_a_supplier_sees_its_own_waiting_question_but_not_the_log(
    client, dave, logged, question, light
):
    body = get(client, path(light), dave).json()
    assert body["can_ask"] is True and body["log_visible"] is False
    assert body["entries"] == []
    [waiting] = body["waiting_questions"]
    assert waiting["id"] == question.pk and waiting["asked_by"] is None


def test_an_internal_procurement_is_not_found(client, charlie, internal_procurement):
    assert_problem(get(client, path(internal_procurement), charlie), 404)
    assert_problem(get(client, path(internal_procurement)), 404)


def test_alice_logs_a_contact(client, alice, org_c, light):
    response = send(client, path(light), entry(participant_ids=[org_c.pk]), alice)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["type"] == "entry" and body["entry"]["participants"][0]["id"] == org_c.pk
    assert DialogueEntry.objects.get().recorded_by == alice


def test_bad_entries_are_refused_with_the_field(client, alice, light):
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    problem = assert_problem(send(client, path(light), entry(held_on=tomorrow), alice), 422)
    assert "held_on" in problem["errors"]
    problem = assert_problem(send(client, path(light), entry(participant_ids=[99999]), alice), 422)
    assert "participant_ids" in problem["errors"]
    assert_problem(send(client, path(light), entry(type="gossip"), alice), 422)
    assert_problem(send(client, path(light), entry(kind="gossip"), alice), 422)
    assert not DialogueEntry.objects.exists()


def test_who_may_not_log(client, bob, charlie, dave, light):
    assert_problem(send(client, path(light), entry()), 401)
    for person in (bob, charlie, dave):
        assert_problem(send(client, path(light), entry(), person), 403)


def test_a_registered_supplier_asks(client, dave, dave_registered, light):
    response = send(client, path(light), {"type": "question", "text": "Leasing?"}, dave)
    assert response.status_code == 201, response.content
    assert response.json()["question"]["text"] == "Leasing?"
    assert Question.objects.get().asked_by_organisation_id == dave_registered.supplier_id


def test_a_supplier_that_is_not_registered_may_not_ask(client, alice, dave, gustav, light):
    for person in (dave, gustav, alice):
        problem = assert_problem(
            send(client, path(light), {"type": "question", "text": "Q?"}, person), 403
        )
        assert "registered" in problem["detail"]
    assert not Question.objects.exists()


def test_a_null_character_is_refused_not_a_server_error(client, alice, dave_registered, light):
    problem = assert_problem(send(client, path(light), entry(subject="A\x00B"), alice), 422)
    assert [(e["type"], e["loc"][-1]) for e in problem["errors"]] == [("null_character", "subject")]


def test_an_empty_question_is_refused(client, dave, dave_registered, light):
    problem = assert_problem(
        send(client, path(light), {"type": "question", "text": " "}, dave), 422
    )
    assert "text" in problem["errors"]


def test_alice_publishes_an_answer_to_all(client, alice, lumen, question, light):
    response = send(client, answer_path(light, question), {"answer": "Yes."}, alice)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["delivered_to"] == 2 and body["question"]["published_at"]
    assert AnswerDelivery.objects.count() == 2


def test_an_answer_to_some_suppliers_is_refused(client, alice, lumen, question, light):
    for key in ("recipients", "supplier_ids"):
        body = {"answer": "Yes.", key: [lumen.pk]}
        problem = assert_problem(send(client, answer_path(light, question), body, alice), 422)
        assert problem["detail"] == "An answer is published to all registered suppliers."
        assert key in problem["errors"]
    question.refresh_from_db()
    assert question.published_at is None and not AnswerDelivery.objects.exists()


def test_an_empty_answer_and_a_second_publication_are_refused(client, alice, question, light):
    problem = assert_problem(send(client, answer_path(light, question), {"answer": ""}, alice), 422)
    assert "answer" in problem["errors"]
    assert send(client, answer_path(light, question), {"answer": "Yes."}, alice).status_code == 200
    problem = assert_problem(
        send(client, answer_path(light, question), {"answer": "Again."}, alice), 409
    )
    assert "answer" in problem["errors"]


def test_who_may_not_publish(client, bob, charlie, dave, question, light, alice, org_a):
    assert_problem(send(client, answer_path(light, question), {"answer": "Y"}), 401)
    for person in (bob, charlie, dave):
        assert_problem(send(client, answer_path(light, question), {"answer": "Y"}, person), 403)
    from .conftest import make_procurement

    other = make_procurement(alice, org_a, title="Other purchase")
    assert_problem(send(client, answer_path(other, question), {"answer": "Y"}, alice), 404)


def test_alice_adds_and_pulls_requirements(client, alice, light, workshop):
    body = {"type": "requirement", "text": "Residents sleep better.", "outcome": "Fewer falls"}
    response = send(client, path(light), body, alice)
    assert response.status_code == 201, response.content
    assert response.json()["requirement"]["position"] == 1

    learned = LearnedRequirement.objects.order_by("position").first()
    pull = {"type": "requirement", "learned_requirement_id": learned.pk}
    response = send(client, path(light), pull, alice)
    assert response.status_code == 201, response.content
    assert response.json()["requirement"]["source"].startswith("Supplier conference on light, ")
    assert_problem(send(client, path(light), pull, alice), 409)
    problem = assert_problem(
        send(client, path(light), {"type": "requirement", "learned_requirement_id": 0}, alice),
        422,
    )
    assert "learned_requirement_id" in problem["errors"]
    assert_problem(send(client, path(light), {"type": "requirement", "text": ""}, alice), 422)


def test_reading_the_dialogue_costs_the_same_for_more_rows(
    client, alice, bob, dave, org_c, light, dave_registered
):
    def fill(count: int):
        for number in range(count):
            dialogue_services.add_entry(
                alice,
                light,
                kind=DialogueKind.MEETING,
                held_on=timezone.localdate(),
                subject=f"Meeting {number}",
                participants=[org_c, light.owner],
            )
            asked = dialogue_services.ask_question(dave, light, f"Question {number}?")
            if number % 2:
                dialogue_services.publish_answer(alice, asked, f"Answer {number}.")
            dialogue_services.add_requirement(alice, light, text=f"Requirement {number}")

    fill(2)
    counts = {}
    for person in (bob, dave):
        get(client, path(light), person)
        with CaptureQueriesContext(connection) as queries:
            assert get(client, path(light), person).status_code == 200
        counts[person.pk] = len(queries.captured_queries)
    fill(6)
    for person in (bob, dave):
        with CaptureQueriesContext(connection) as queries:
            body = get(client, path(light), person).json()
        assert len(queries.captured_queries) <= counts[person.pk]
        assert len(body["questions"]) == 4
