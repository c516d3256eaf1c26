"""The market dialogue panel and its pages: who sees the log, the published Q&A and the
forms; who may log, ask, answer and pull; bad input shown with what was typed (422); query
counts that do not grow with the rows."""

from django.urls import reverse
from django.utils import timezone

from samspil.events.models import LearnedRequirement
from samspil.procurement import dialogue_services
from samspil.procurement.models import (
    AnswerDelivery,
    DialogueEntry,
    DialogueKind,
    FunctionalRequirement,
    Question,
)


def detail(procurement) -> str:
    return reverse("procurement:detail", args=[procurement.pk])


def panel(html: str) -> str:
    """The market dialogue section of a page."""
    start = html.index('<section id="procurement-dialogue"')
    return html[start : html.index("</section>", start)]


def url(name: str, procurement, *rest) -> str:
    return reverse(f"procurement:dialogue-{name}", args=[procurement.pk, *rest])


def entry_body(**overrides) -> dict:
    body = {
        "kind": DialogueKind.MEETING,
        "held_on": timezone.localdate().isoformat(),
        "subject": "One-to-one meeting",
        "summary": "The light curve was shown.",
    }
    body.update(overrides)
    return body


def test_everyone_who_sees_the_procurement_reads_the_published_answers(
    client, client_for, charlie, dave, published, logged, light
):
    for caller in (client, client_for(charlie), client_for(dave)):
        response = caller.get(detail(light))
        assert response.status_code == 200
        html = response.content.decode()
        assert f'id="qa-{published.pk}"' in html and "Yes, leasing is allowed." in html
        assert 'id="procurement-log-table"' not in html  # the log names suppliers
        assert "Meeting with Cobalt" not in html
        assert "Cobalt Software ApS" not in panel(html)  # who asked is not published


def test_the_buyers_read_the_log_and_the_waiting_questions(
    client_for, bob, logged, question, light
):
    html = client_for(bob).get(detail(light)).content.decode()
    assert f'id="dialogue-entry-{logged.pk}"' in html and "Meeting with Cobalt" in html
    assert f'id="question-{question.pk}"' in html and "Cobalt Software ApS" in html
    assert 'id="dialogue-entry-add-link"' not in html  # bob reads only
    assert f'id="answer-link-{question.pk}"' not in html


def test_alice_sees_every_action(client_for, alice, logged, question, light, workshop):
    html = client_for(alice).get(detail(light)).content.decode()
    assert 'id="dialogue-entry-add-link"' in html and 'id="dialogue-requirement-form"' in html
    assert f'id="answer-link-{question.pk}"' in html and 'id="dialogue-pull-link"' in html
    assert 'id="dialogue-question-form"' not in html


def test_a_registered_supplier_asks_and_sees_its_waiting_question(
    client_for, dave, dave_registered, light
):
    client = client_for(dave)
    assert 'id="dialogue-question-form"' in client.get(detail(light)).content.decode()
    response = client.post(url("ask", light), {"text": "May the light be leased?"})
    assert response.status_code == 302
    assert response["Location"].endswith("#procurement-dialogue")
    asked = Question.objects.get()
    assert asked.asked_by == dave and asked.asked_by_organisation.slug == "cobalt"
    html = client.get(detail(light)).content.decode()
    assert f'id="own-question-{asked.pk}"' in html


def test_an_empty_question_is_refused_in_the_panel(client_for, dave, dave_registered, light):
    response = client_for(dave).post(url("ask", light), {"text": " "}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert 'id="question_text_error"' in response.content.decode()
    assert not Question.objects.exists()


def test_a_supplier_that_is_not_registered_may_not_ask(client, client_for, dave, gustav, light):
    html = client_for(dave).get(detail(light)).content.decode()
    assert 'id="dialogue-question-form"' not in html
    assert 'id="procurement-dialogue-register-hint"' in html
    for person in (dave, gustav):
        assert client_for(person).post(url("ask", light), {"text": "Q?"}).status_code == 403
    client.logout()
    assert client.post(url("ask", light), {"text": "Q?"}).status_code == 302  # to sign in
    assert not Question.objects.exists()


def test_alice_publishes_an_answer_to_all_registered_suppliers(
    client_for, alice, lumen, question, light
):
    client = client_for(alice)
    page = client.get(url("answer", light, question.pk))
    assert page.status_code == 200 and 'id="dialogue-answer-form"' in page.content.decode()
    response = client.post(url("answer", light, question.pk), {"answer": "Yes.", "publish": "1"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.published_at is not None
    assert AnswerDelivery.objects.filter(question=question).count() == 2


def test_a_draft_is_saved_and_an_empty_answer_is_not_published(client_for, alice, question, light):
    client = client_for(alice)
    response = client.post(url("answer", light, question.pk), {"answer": "Draft.", "save": "1"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answer == "Draft." and question.published_at is None

    response = client.post(url("answer", light, question.pk), {"answer": "", "publish": "1"})
    assert response.status_code == 422
    assert 'id="answer_' in response.content.decode()
    question.refresh_from_db()
    assert question.published_at is None


def test_publishing_twice_is_refused(client_for, alice, published, light):
    response = client_for(alice).post(
        url("answer", light, published.pk), {"answer": "Again.", "publish": "1"}
    )
    assert response.status_code == 422
    published.refresh_from_db()
    assert published.answer == "Yes, leasing is allowed."


def test_who_may_not_answer(client, client_for, bob, charlie, dave, question, light):
    target = url("answer", light, question.pk)
    for person in (bob, charlie, dave):
        assert client_for(person).post(target, {"answer": "Yes.", "publish": "1"}).status_code == (
            403
        )
    client.logout()
    assert client.post(target, {"answer": "Yes.", "publish": "1"}).status_code == 302
    question.refresh_from_db()
    assert question.published_at is None


def test_alice_logs_edits_and_removes_a_contact(client_for, alice, org_c, light):
    client = client_for(alice)
    assert client.get(url("entry-add", light)).status_code == 200
    response = client.post(url("entry-add", light), {**entry_body(), "participants": [org_c.pk]})
    assert response.status_code == 302
    entry = DialogueEntry.objects.get()
    assert list(entry.participants.values_list("slug", flat=True)) == ["cobalt"]

    edit = url("entry-edit", light, entry.pk)
    assert 'value="One-to-one meeting"' in client.get(edit).content.decode()
    assert client.post(edit, entry_body(subject="Meeting at the care home")).status_code == 302
    entry.refresh_from_db()
    assert entry.subject == "Meeting at the care home" and not entry.participants.exists()

    response = client.post(url("entry-remove", light, entry.pk), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="procurement-dialogue"' in response.content.decode()
    assert not DialogueEntry.objects.exists()


def test_a_contact_in_the_future_is_refused_with_what_was_typed(client_for, alice, light):
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    response = client_for(alice).post(
        url("entry-add", light), entry_body(held_on=tomorrow, subject="Planned visit")
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="dialogue_held_on_error"' in html and 'value="Planned visit"' in html
    assert not DialogueEntry.objects.exists()


def test_who_may_not_log(
    client, client_for, bob, charlie, dave, logged, light, internal_procurement
):
    for person in (bob, charlie, dave):
        assert client_for(person).post(url("entry-add", light), entry_body()).status_code == 403
        assert client_for(person).post(url("entry-remove", light, logged.pk)).status_code == 403
    # charlie does not see A's internal procurement at all
    assert client_for(charlie).get(url("entry-add", internal_procurement)).status_code == 404
    client.logout()
    assert client.post(url("entry-add", light), entry_body()).status_code == 302
    assert DialogueEntry.objects.count() == 1


def test_an_entry_of_another_procurement_is_not_found(client_for, alice, org_a, logged):
    from .conftest import make_procurement

    other = make_procurement(alice, org_a, title="Other purchase")
    assert client_for(alice).get(url("entry-edit", other, logged.pk)).status_code == 404


def test_alice_adds_and_removes_a_requirement(client_for, alice, light):
    client = client_for(alice)
    response = client.post(
        url("requirement-add", light),
        {"text": "Residents sleep better.", "outcome": "Fewer falls", "source": "Need 12"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    requirement = FunctionalRequirement.objects.get()
    assert f'id="requirement-{requirement.pk}"' in response.content.decode()
    response = client.post(url("requirement-add", light), {"text": "", "source": "Need 13"})
    assert response.status_code == 422 and 'value="Need 13"' in response.content.decode()
    assert client.post(url("requirement-remove", light, requirement.pk)).status_code == 302
    assert not FunctionalRequirement.objects.exists()


def test_alice_pulls_learned_requirements_once(client_for, alice, light, workshop):
    client = client_for(alice)
    learned = list(LearnedRequirement.objects.order_by("position"))
    page = client.get(url("requirement-pull", light))
    assert page.status_code == 200
    assert f'id="pull_learned_{learned[0].pk}"' in page.content.decode()

    response = client.post(url("requirement-pull", light), {"learned": [learned[0].pk]})
    assert response.status_code == 302
    pulled = FunctionalRequirement.objects.get()
    assert pulled.learned_requirement == learned[0]
    assert pulled.source.startswith("Supplier conference on light, ")

    again = client.post(url("requirement-pull", light), {"learned": [learned[0].pk, learned[1].pk]})
    assert again.status_code == 422
    assert 'id="pull_learned_error"' in again.content.decode()
    assert FunctionalRequirement.objects.count() == 1
    html = client.get(url("requirement-pull", light)).content.decode()
    assert f'id="learned-{learned[0].pk}" data-pulled' in html
    assert client.post(url("requirement-pull", light), {}).status_code == 422


def test_who_may_not_keep_requirements(client_for, bob, charlie, dave, light):
    for person in (bob, charlie, dave):
        client = client_for(person)
        assert client.post(url("requirement-add", light), {"text": "X"}).status_code == 403
        assert client.get(url("requirement-pull", light)).status_code == 403


def test_the_panel_costs_the_same_number_of_queries_for_more_rows(
    client_for, alice, org_c, light, django_assert_max_num_queries, dave, dave_registered
):
    def fill(count: int):
        for number in range(count):
            entry = dialogue_services.add_entry(
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
            assert entry.pk

    client = client_for(alice)
    fill(2)
    client.get(detail(light))  # warm the caches of the session and the site
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(detail(light)).status_code == 200
    fill(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(detail(light)).status_code == 200
    for person in (dave,):
        client = client_for(person)
        with CaptureQueriesContext(connection) as supplier:
            client.get(detail(light))
        fill(3)
        with django_assert_max_num_queries(len(supplier.captured_queries)):
            client.get(detail(light))
