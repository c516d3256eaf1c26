"""The concept and preparation pages, for the people who may and may not use them."""

from datetime import timedelta

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samspil.core.models import Visibility
from samspil.events import concept_services
from samspil.events.models import ConceptTask, Event, EventConcept, EventTask, TaskStatus

from .conftest import make_event
from .test_views import HTMX, local, text_of


@pytest.fixture
def anonymous():
    """A client of its own: ``client_for`` signs the shared ``client`` in."""
    return Client()


def make_concept(actor, owner, title="Hackathon as market dialogue", **fields):
    actor.language = "en"  # the standard checklist is written in the creator's language
    values = {"kind": "hackathon", "visibility": Visibility.INTERNAL, "standard_tasks": True}
    values.update(fields)
    return concept_services.create_concept(actor, owner, title=title, **values)


@pytest.fixture
def concept(alice, org_a):
    return make_concept(alice, org_a)


@pytest.fixture
def hackathon(alice, org_a, concept):
    """An internal hackathon made from the concept, starting in 30 days: its first tasks are
    already overdue."""
    start = timezone.now() + timedelta(days=30)
    return concept_services.create_event_from_concept(
        alice,
        concept,
        org_a,
        title="Hackathon on complaints",
        starts_at=start,
        ends_at=start + timedelta(hours=8),
        capacity=40,
        visibility=Visibility.INTERNAL,
    )


def url(*parts) -> str:
    return "/events/" + "".join(f"{part}/" for part in parts)


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


# Concept list and detail ------------------------------------------------------------------------


def test_it_lists_the_concepts_a_person_may_see(
    anonymous, client_for, alice, charlie, org_a, concept
):
    public = make_concept(alice, org_a, "Supplier conference", visibility=Visibility.PUBLIC)
    assert concept.title in text_of(client_for(alice).get(url("concepts")))
    for person_client in (anonymous, client_for(charlie)):
        text = text_of(person_client.get(url("concepts")))
        assert public.title in text and concept.title not in text


def concept_counts(response, concept) -> list[str]:
    row = response.content.decode().split(f'data-concept="{concept.pk}"')[1].split("</tr>")[0]
    return [cell.split(">")[1].split("<")[0] for cell in row.split('class="concept-count"')[1:]]


def test_it_counts_the_events_using_each_concept_that_the_reader_may_see(
    client_for, alice, charlie, concept, hackathon
):
    tasks = str(concept.tasks.count())
    assert concept_counts(client_for(alice).get(url("concepts")), concept) == [tasks, "1"]
    EventConcept.objects.filter(pk=concept.pk).update(visibility=Visibility.SHARED)
    # The hackathon is internal to organisation A: charlie does not learn of it.
    assert concept_counts(client_for(charlie).get(url("concepts")), concept) == [tasks, "0"]


def test_it_lists_concepts_with_a_constant_number_of_queries(client_for, alice, org_a):
    client = client_for(alice)
    make_concept(alice, org_a, "Concept 0", standard_tasks=False)
    few = count_queries(client, url("concepts"))
    for n in range(1, 15):
        concept = make_concept(alice, org_a, f"Concept {n}", standard_tasks=False)
        concept_services.add_concept_task(alice, concept, title="Venue", area="technical")
        Event.objects.filter(pk=make_event(alice, org_a, f"Event {n}").pk).update(concept=concept)
    assert count_queries(client, url("concepts")) == few


def test_it_links_the_concepts_from_the_event_list(client_for, bob):
    assert 'href="/events/concepts/"' in client_for(bob).get("/events/").content.decode()


def test_it_shows_the_checklist_by_area_and_the_events_made_from_it(
    client_for, alice, bob, concept, hackathon
):
    response = client_for(alice).get(url("concepts", concept.pk))
    text = text_of(response)
    assert "Technical" in text and "Professional" in text and "Legal" in text
    assert "Data-protection impact assessment" in text and hackathon.title in text
    assert "63 days before" in text and "14 days after the start" in text
    assert "Edit concept" in text and "New event from this concept" in text
    bobs = text_of(client_for(bob).get(url("concepts", concept.pk)))
    assert concept.title in bobs and "Edit concept" not in bobs


def test_it_answers_404_for_internal_concepts_of_other_organisations(
    anonymous, client_for, charlie, concept
):
    assert anonymous.get(url("concepts", concept.pk)).status_code == 404
    assert client_for(charlie).get(url("concepts", concept.pk)).status_code == 404
    assert client_for(charlie).get(url("concepts", concept.pk, "edit")).status_code == 404


# Creating and editing concepts ------------------------------------------------------------------


def concept_form(org, **overrides) -> dict:
    data = {
        "owner": org.pk,
        "title": "Hackathon as market dialogue",
        "kind": "hackathon",
        "description": "Three hackathons with external parties on complex data.",
        "visibility": "internal",
        "standard_tasks": "on",
    }
    data.update(overrides)
    return data


def test_it_lets_innovation_leads_create_a_concept_with_the_checklist(client_for, alice, org_a):
    response = client_for(alice).post(url("concepts", "new"), concept_form(org_a))
    concept = EventConcept.objects.get()
    assert response.status_code == 302 and response["Location"] == url("concepts", concept.pk)
    assert concept.tasks.count() == len(concept_services.STANDARD_TASKS)


def test_it_keeps_the_input_of_a_refused_concept(client_for, alice, org_a):
    data = concept_form(org_a, title="", description="Kept description")
    response = client_for(alice).post(url("concepts", "new"), data)
    assert response.status_code == 422 and "Kept description" in response.content.decode()
    assert not EventConcept.objects.exists()


def test_it_refuses_the_concept_pages_for_writing_to_others(
    anonymous, client_for, bob, charlie, dave, concept
):
    assert anonymous.get(url("concepts", "new")).status_code == 302  # to sign in
    for person in (bob, charlie, dave):
        assert client_for(person).get(url("concepts", "new")).status_code == 403
    assert client_for(bob).get(url("concepts", concept.pk, "edit")).status_code == 403
    assert anonymous.get(url("concepts", concept.pk, "edit")).status_code == 302


def test_it_lets_innovation_leads_edit_a_concept(client_for, alice, concept):
    data = concept_form(concept.owner, title="Hackathon, second edition")
    del data["owner"], data["standard_tasks"]
    response = client_for(alice).post(url("concepts", concept.pk, "edit"), data)
    assert response.status_code == 302
    assert EventConcept.objects.get().title == "Hackathon, second edition"
    data["title"] = ""
    response = client_for(alice).post(url("concepts", concept.pk, "edit"), data)
    assert response.status_code == 422 and "Hackathon, second edition" in text_of(response)


def test_it_adds_edits_moves_and_deletes_concept_tasks(client_for, alice, org_a):
    concept = make_concept(alice, org_a, standard_tasks=False)
    client = client_for(alice)
    data = {
        "title": "Venue booked",
        "area": "technical",
        "description": "",
        "days_before_start": 42,
    }
    assert client.get(url("concepts", concept.pk, "tasks", "new")).status_code == 200
    assert client.post(url("concepts", concept.pk, "tasks", "new"), data).status_code == 302
    assert client.post(url("concepts", concept.pk, "tasks", "new"), data).status_code == 302
    first, second = concept.tasks.all()
    edit = url("concepts", concept.pk, "tasks", first.pk, "edit")
    assert client.get(edit).status_code == 200
    response = client.post(edit, {**data, "title": "Venue and rooms booked"})
    assert response.status_code == 302
    response = client.post(edit, {**data, "days_before_start": "400"})
    assert response.status_code == 422 and "Venue and rooms booked" in text_of(response)
    move = url("concepts", concept.pk, "tasks", second.pk, "move")
    response = client.post(move, {"direction": "up"})
    assert response["Location"] == f"{url('concepts', concept.pk)}#concept-task-{second.pk}"
    assert list(concept.tasks.all()) == [second, first]
    assert client.post(move, {"direction": "sideways"}).status_code == 404
    delete = url("concepts", concept.pk, "tasks", second.pk, "delete")
    assert client.get(delete).status_code == 405
    assert client.post(delete).status_code == 302
    assert list(concept.tasks.all()) == [first]


def test_it_refuses_concept_task_pages_to_others(anonymous, client_for, bob, charlie, concept):
    task = concept.tasks.first()
    paths = [
        (url("concepts", concept.pk, "tasks", "new"), "get"),
        (url("concepts", concept.pk, "tasks", task.pk, "edit"), "get"),
        (url("concepts", concept.pk, "tasks", task.pk, "delete"), "post"),
        (url("concepts", concept.pk, "tasks", task.pk, "move"), "post"),
    ]
    for path, method in paths:
        assert getattr(anonymous, method)(path).status_code == 302
        assert getattr(client_for(charlie), method)(path).status_code == 404
        assert getattr(client_for(bob), method)(path).status_code == 403
    assert ConceptTask.objects.filter(pk=task.pk).exists()


# New event from a concept, copy -----------------------------------------------------------------


def event_form(org, **overrides) -> dict:
    start = timezone.now() + timedelta(days=45)
    data = {
        "owner": org.pk,
        "title": "Hackathon on complaints",
        "kind": "hackathon",
        "place": "Koncern IT, databanken",
        "starts_at": local(start),
        "ends_at": local(start + timedelta(hours=8)),
        "capacity": "40",
        "registration_mode": "open",
        "visibility": "internal",
        "winner_count": "3",
    }
    data.update(overrides)
    return data


def test_it_creates_an_event_from_a_concept(client_for, alice, org_a, concept):
    client = client_for(alice)
    page = client.get(url("concepts", concept.pk, "new-event")).content.decode()
    assert '<option value="hackathon" selected>' in page
    response = client.post(url("concepts", concept.pk, "new-event"), event_form(org_a))
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == url(event.pk)
    assert event.concept == concept and event.tasks.count() == concept.tasks.count()


def test_it_keeps_the_input_of_a_refused_event_from_a_concept(client_for, alice, org_a, concept):
    data = event_form(org_a, capacity="0", place="Kept place")
    response = client_for(alice).post(url("concepts", concept.pk, "new-event"), data)
    assert response.status_code == 422 and "Kept place" in response.content.decode()
    assert not Event.objects.exists()


def test_it_refuses_new_events_from_concepts_to_others(
    anonymous, client_for, bob, charlie, concept
):
    path = url("concepts", concept.pk, "new-event")
    assert anonymous.get(path).status_code == 302
    assert client_for(bob).get(path).status_code == 403
    assert client_for(charlie).get(path).status_code == 404


def copy_form(**overrides) -> dict:
    start = timezone.now() + timedelta(days=400)
    data = {
        "title": "Hackathon on complaints, again",
        "starts_at": local(start),
        "ends_at": local(start + timedelta(hours=8)),
        "registration_deadline": "",
        "submission_deadline": "",
    }
    data.update(overrides)
    return data


def test_it_copies_an_event(client_for, alice, hackathon):
    client = client_for(alice)
    page = client.get(url(hackathon.pk, "copy"))
    assert page.status_code == 200 and f'value="{hackathon.title}"' in page.content.decode()
    response = client.post(url(hackathon.pk, "copy"), copy_form())
    copy = Event.objects.exclude(pk=hackathon.pk).get()
    assert response.status_code == 302 and response["Location"] == url(copy.pk)
    assert copy.copied_from == hackathon and copy.tasks.count() == hackathon.tasks.count()


def test_it_keeps_the_input_of_a_refused_copy(client_for, alice, hackathon):
    start = timezone.now() + timedelta(days=400)
    data = copy_form(title="Kept title", ends_at=local(start - timedelta(hours=1)))
    data["starts_at"] = local(start)
    response = client_for(alice).post(url(hackathon.pk, "copy"), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Kept title" in page and f'value="{data["ends_at"]}"' in page
    assert Event.objects.count() == 1


def test_it_refuses_copies_to_others(anonymous, client_for, alice, bob, charlie, org_a, concept):
    event = make_event(alice, org_a, organisers=[alice, bob], visibility=Visibility.INTERNAL)
    path = url(event.pk, "copy")
    assert anonymous.get(path).status_code == 302
    assert client_for(charlie).get(path).status_code == 404
    # bob organises the event but is no innovation lead: he may not create events.
    assert client_for(bob).get(path).status_code == 403
    assert "Copy this event" not in text_of(client_for(bob).get(url(event.pk)))
    assert "Copy this event" in text_of(client_for(alice).get(url(event.pk)))


# Preparation tasks ------------------------------------------------------------------------------


def test_it_shows_organisers_the_tasks_by_area_with_the_overdue_ones_marked(
    client_for, alice, hackathon
):
    response = client_for(alice).get(url(hackathon.pk, "tasks"))
    page = response.content.decode()
    today = timezone.localdate()
    overdue = [t for t in hackathon.tasks.all() if t.due_on < today]
    assert response.status_code == 200 and overdue
    for task in hackathon.tasks.all():
        assert f'id="task-{task.pk}"' in page
        row = page.split(f'id="task-{task.pk}"')[1].split("</tr>")[0]
        assert ("data-overdue" in row) == (task in overdue)
    assert 'data-area="technical"' in page and 'data-area="legal"' in page
    assert "Update the concept from this event" in text_of(response)


def test_it_refuses_the_preparation_pages_to_others(anonymous, client_for, bob, charlie, hackathon):
    task = hackathon.tasks.first()
    paths = [
        (url(hackathon.pk, "tasks"), "get"),
        (url(hackathon.pk, "tasks", "new"), "get"),
        (url(hackathon.pk, "tasks", task.pk, "edit"), "get"),
        (url(hackathon.pk, "tasks", task.pk, "delete"), "post"),
        (url(hackathon.pk, "tasks", task.pk, "status"), "post"),
        (url(hackathon.pk, "tasks", task.pk, "assign"), "post"),
        (url(hackathon.pk, "tasks", "improve-concept"), "post"),
    ]
    for path, method in paths:
        assert getattr(anonymous, method)(path).status_code == 302, path
        assert getattr(client_for(charlie), method)(path).status_code == 404, path
        assert getattr(client_for(bob), method)(path).status_code == 403, path
    assert EventTask.objects.filter(pk=task.pk, status=TaskStatus.TODO).exists()


def test_it_refuses_the_preparation_of_a_public_event_to_visitors(
    anonymous, client_for, dave, public_event
):
    assert client_for(dave).get(url(public_event.pk, "tasks")).status_code == 403
    assert anonymous.get(url(public_event.pk, "tasks")).status_code == 302


def test_it_keeps_the_preparation_page_queries_constant(client_for, alice, org_a, concept):
    client = client_for(alice)
    start = timezone.now() + timedelta(days=30)
    event = make_event(alice, org_a, "Few tasks", starts_at=start, ends_at=start + timedelta(1))
    concept_services.add_event_task(alice, event, title="Venue", area="technical")
    few = count_queries(client, url(event.pk, "tasks"))
    for n in range(20):
        concept_services.add_event_task(
            alice, event, title=f"Task {n}", area="legal", responsible=alice
        )
    assert count_queries(client, url(event.pk, "tasks")) == few


def test_it_changes_a_status_with_htmx_and_without(client_for, alice, hackathon):
    client = client_for(alice)
    task = hackathon.tasks.first()
    path = url(hackathon.pk, "tasks", task.pk, "status")
    response = client.post(path, {"status": "done"}, headers=HTMX)
    page = response.content.decode()
    assert response.status_code == 200 and page.lstrip().startswith(f'<tr id="task-{task.pk}"')
    assert 'data-status="done"' in page and 'hx-swap-oob="true"' in page
    assert EventTask.objects.get(pk=task.pk).completed_at is not None
    response = client.post(path, {"status": "in_progress"})
    assert response["Location"] == f"{url(hackathon.pk, 'tasks')}#task-{task.pk}"
    assert EventTask.objects.get(pk=task.pk).status == TaskStatus.IN_PROGRESS
    response = client.post(path, {"status": "someday"}, headers=HTMX)
    assert response.status_code == 422 and 'role="alert"' in response.content.decode()


def test_it_assigns_a_task_with_htmx_to_people_of_the_organisation(
    client_for, alice, bob, charlie, hackathon
):
    client = client_for(alice)
    task = hackathon.tasks.first()
    path = url(hackathon.pk, "tasks", task.pk, "assign")
    response = client.post(path, {"responsible": bob.pk}, headers=HTMX)
    assert response.status_code == 200
    assert f'<option value="{bob.pk}" selected>' in response.content.decode()
    assert EventTask.objects.get(pk=task.pk).responsible == bob
    response = client.post(path, {"responsible": charlie.pk}, headers=HTMX)
    assert response.status_code == 422
    assert EventTask.objects.get(pk=task.pk).responsible == bob
    assert client.post(path, {"responsible": ""}).status_code == 302
    assert EventTask.objects.get(pk=task.pk).responsible is None


def test_it_adds_edits_and_deletes_event_tasks(client_for, alice, bob, hackathon):
    client = client_for(alice)
    data = {
        "title": "Parking permits",
        "area": "technical",
        "description": "",
        "responsible": bob.pk,
        "due_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        "status": "todo",
    }
    assert client.get(url(hackathon.pk, "tasks", "new")).status_code == 200
    assert client.post(url(hackathon.pk, "tasks", "new"), data).status_code == 302
    task = hackathon.tasks.get(title="Parking permits")
    assert task.responsible == bob
    edit = url(hackathon.pk, "tasks", task.pk, "edit")
    assert client.get(edit).status_code == 200
    response = client.post(edit, {**data, "title": "", "description": "Kept text"})
    assert response.status_code == 422 and "Kept text" in response.content.decode()
    assert client.post(edit, {**data, "status": "done"}).status_code == 302
    assert EventTask.objects.get(pk=task.pk).completed_at is not None
    assert client.post(url(hackathon.pk, "tasks", task.pk, "delete")).status_code == 302
    assert not EventTask.objects.filter(pk=task.pk).exists()


def test_it_updates_the_concept_from_the_event(client_for, alice, concept, hackathon):
    task = hackathon.tasks.get(title="Venue booked")
    concept_services.update_event_task(alice, task, title="Venue booked for 12 teams")
    response = client_for(alice).post(url(hackathon.pk, "tasks", "improve-concept"))
    assert response.status_code == 200 and "Venue booked for 12 teams" in text_of(response)
    assert concept.tasks.filter(title="Venue booked for 12 teams").exists()


def test_it_answers_404_for_improving_without_a_concept(client_for, alice, public_event):
    path = url(public_event.pk, "tasks", "improve-concept")
    assert client_for(alice).post(path).status_code == 404
    assert "Update the concept" not in text_of(client_for(alice).get(url(public_event.pk, "tasks")))


# The event page ---------------------------------------------------------------------------------


def test_it_shows_organisers_the_overdue_tasks_on_the_event_page(client_for, alice, bob, hackathon):
    task = hackathon.tasks.order_by("due_on").first()
    concept_services.assign_task(alice, task, bob)
    page = client_for(alice).get(url(hackathon.pk)).content.decode()
    assert 'id="event-preparation"' in page and f'data-task="{task.pk}"' in page
    assert f'href="{url(hackathon.pk, "tasks")}"' in page
    total = hackathon.tasks.count()
    assert f"0 of {total} tasks done" in text_of(client_for(alice).get(url(hackathon.pk)))
    assert "Bob" in page.split('id="event-preparation"')[1].split("</section>")[0]


def test_it_hides_the_preparation_from_people_who_do_not_organise(
    anonymous, client_for, bob, hackathon
):
    page = client_for(bob).get(url(hackathon.pk)).content.decode()
    assert 'id="event-preparation"' not in page and url(hackathon.pk, "tasks") not in page
    Event.objects.filter(pk=hackathon.pk).update(visibility=Visibility.PUBLIC)
    assert 'id="event-preparation"' not in anonymous.get(url(hackathon.pk)).content.decode()


def test_it_shows_the_panel_in_at_most_two_queries(
    alice, hackathon, rf, django_assert_max_num_queries
):
    template = Template("{% load event_concepts %}{% overdue_tasks_panel event %}")
    request = rf.get("/")
    request.user = alice
    with django_assert_max_num_queries(2):
        html = template.render(
            Context({"event": hackathon, "can_organise": True, "request": request})
        )
    assert 'id="event-preparation"' in html
