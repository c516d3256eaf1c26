"""Event concepts and preparation tasks: the checklist, events from it, copies, tasks, the
concept improving from an event, overdue tasks and their reminders."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone, translation

from samspil.conftest import add_member, make_user
from samspil.core.models import Notification, Role, Visibility
from samspil.events import concept_queries, dataset_services
from samspil.events import concept_services as services
from samspil.events.models import (
    ConceptTask,
    Criterion,
    DatasetAcceptance,
    Event,
    EventTask,
    Registration,
    TaskArea,
    TaskStatus,
    Team,
)
from samspil.needs.models import Challenge


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def make_concept(actor, owner, **fields):
    values = {"title": "Hackathon as market dialogue", "kind": "hackathon"}
    values.update(fields)
    return services.create_concept(actor, owner, **values)


@pytest.fixture
def concept(alice, org_a):
    alice.language = "en"  # the standard checklist is written in the creator's language
    return make_concept(alice, org_a, standard_tasks=True)


def start_in(days: int):
    return timezone.now() + timedelta(days=days)


def event_fields(days: int = 30, **overrides) -> dict:
    start = start_in(days)
    values = {
        "title": "Hackathon on complaints",
        "place": "Koncern IT, databanken",
        "starts_at": start,
        "ends_at": start + timedelta(hours=8),
        "capacity": 40,
    }
    values.update(overrides)
    return values


@pytest.fixture
def hackathon(alice, org_a, concept):
    return services.create_event_from_concept(alice, concept, org_a, **event_fields())


# Concepts ---------------------------------------------------------------------------------------


def test_it_stores_the_standard_checklist_in_the_creators_language(alice, org_a):
    alice.language = "nb"
    concept = make_concept(alice, org_a, standard_tasks=True)
    with translation.override("nb"):
        expected = {str(task.title) for task in services.STANDARD_TASKS}
    assert {task.title for task in concept.tasks.all()} == expected
    assert concept.tasks.count() == len(services.STANDARD_TASKS)
    assert {task.area for task in concept.tasks.all()} == set(TaskArea.values)
    assert concept.created_by == alice and concept.history.exists()


def test_it_covers_the_preparation_of_a_hackathon_as_market_dialogue():
    titles = " ".join(str(task.title) for task in services.STANDARD_TASKS).lower()
    for word in ("data bank", "data-protection", "terms", "invitations", "venue", "jury"):
        assert word in titles
    assert "catering" in titles and "prototypes" in titles
    assert any(task.days_before_start < 0 for task in services.STANDARD_TASKS)


def test_it_creates_an_empty_concept_without_the_standard_checklist(alice, org_a):
    assert not make_concept(alice, org_a).tasks.exists()


def test_it_lets_only_innovation_leads_of_the_owner_create_concepts(bob, charlie, dave, org_a):
    for person in (bob, charlie, dave):
        with pytest.raises(PermissionDenied):
            make_concept(person, org_a)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"kind": "picnic"}, "kind"),
        ({"visibility": "secret"}, "visibility"),
        ({"description": "x" * 10001}, "description"),
    ],
)
def test_it_refuses_bad_concept_input(alice, org_a, fields, field):
    with pytest.raises(ValidationError) as error:
        make_concept(alice, org_a, **fields)
    assert field in error.value.message_dict


def test_it_lets_innovation_leads_edit_the_concept_and_others_not(alice, bob, concept):
    services.update_concept(alice, concept, title="Hackathon, second edition", description="v2")
    concept.refresh_from_db()
    assert concept.title == "Hackathon, second edition"
    with pytest.raises(PermissionDenied):
        services.update_concept(bob, concept, title="Mine")


def test_it_adds_edits_and_deletes_concept_tasks(alice, org_a):
    concept = make_concept(alice, org_a)
    first = services.add_concept_task(alice, concept, title="Book the venue", area="technical")
    second = services.add_concept_task(
        alice, concept, title="Jury", area="professional", days_before_start=21
    )
    assert (first.position, second.position) == (0, 1)
    assert first.days_before_start == services.DEFAULT_DAYS
    services.update_concept_task(alice, first, title="Venue booked", days_before_start=42)
    first.refresh_from_db()
    assert (first.title, first.days_before_start) == ("Venue booked", 42)
    services.delete_concept_task(alice, second)
    assert list(concept.tasks.all()) == [first]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"area": "catering"}, "area"),
        ({"days_before_start": 366}, "days_before_start"),
        ({"days_before_start": "soon"}, "days_before_start"),
    ],
)
def test_it_refuses_bad_concept_tasks(alice, org_a, fields, field):
    concept = make_concept(alice, org_a)
    values = {"title": "Venue", "area": "technical", **fields}
    with pytest.raises(ValidationError) as error:
        services.add_concept_task(alice, concept, **values)
    assert field in error.value.message_dict


def test_it_refuses_concept_task_changes_to_others(bob, charlie, concept):
    task = concept.tasks.first()
    for person in (bob, charlie):
        with pytest.raises(PermissionDenied):
            services.update_concept_task(person, task, title="Mine")
        with pytest.raises(PermissionDenied):
            services.delete_concept_task(person, task)
        with pytest.raises(PermissionDenied):
            services.add_concept_task(person, concept, title="Mine", area="legal")


def test_it_reorders_tasks_due_on_the_same_day(alice, org_a):
    concept = make_concept(alice, org_a)
    jury = services.add_concept_task(alice, concept, title="Jury", area="professional")
    brief = services.add_concept_task(alice, concept, title="Brief", area="professional")
    later = services.add_concept_task(
        alice, concept, title="Survey", area="professional", days_before_start=-3
    )
    assert services.move_concept_task(alice, brief, up=True)
    assert [t.title for t in concept.tasks.all()] == ["Brief", "Jury", "Survey"]
    # Survey is due on another day: its place follows from its days, not from a position.
    assert not services.move_concept_task(alice, later, up=True)
    assert not services.move_concept_task(alice, ConceptTask.objects.get(pk=brief.pk), up=True)
    with pytest.raises(ValidationError):
        services.reorder_concept_tasks(alice, concept, [jury.pk, brief.pk])
    services.reorder_concept_tasks(alice, concept, [jury.pk, brief.pk, later.pk])
    assert [t.title for t in concept.tasks.all()] == ["Jury", "Brief", "Survey"]


# Events from a concept --------------------------------------------------------------------------


def test_it_creates_an_event_with_the_concepts_tasks(alice, org_a, concept, hackathon):
    start = timezone.localdate(hackathon.starts_at)
    assert hackathon.concept == concept and hackathon.kind == "hackathon"
    tasks = {task.from_concept_task_id: task for task in hackathon.tasks.all()}
    assert len(tasks) == concept.tasks.count()
    for source in concept.tasks.all():
        task = tasks[source.pk]
        assert task.title == source.title and task.area == source.area
        assert task.due_on == start - timedelta(days=source.days_before_start)
        assert task.status == TaskStatus.TODO and task.responsible is None


def test_it_creates_events_only_from_concepts_the_creator_may_see(alice, org_a, org_b):
    nora = make_user("nora")
    add_member(nora, org_b, Role.Code.INNOVATION_LEAD)
    theirs = make_concept(nora, org_b, visibility=Visibility.INTERNAL)
    with pytest.raises(PermissionDenied):
        services.create_event_from_concept(alice, theirs, org_a, **event_fields())
    shared = make_concept(nora, org_b, title="Shared", visibility=Visibility.SHARED)
    event = services.create_event_from_concept(alice, shared, org_a, **event_fields())
    assert event.owner == org_a and event.concept == shared


def test_it_refuses_bad_event_input_from_a_concept_and_creates_nothing(alice, org_a, concept):
    fields = event_fields()
    fields["ends_at"] = fields["starts_at"] - timedelta(hours=1)
    with pytest.raises(ValidationError):
        services.create_event_from_concept(alice, concept, org_a, **fields)
    assert not Event.objects.exists() and not EventTask.objects.exists()


def test_it_lets_only_innovation_leads_create_events_from_a_concept(bob, org_a, concept):
    with pytest.raises(PermissionDenied):
        services.create_event_from_concept(bob, concept, org_a, **event_fields())


# Copying an event -------------------------------------------------------------------------------


@pytest.fixture
def past_hackathon(alice, bob, org_a, concept):
    """Last year's hackathon with everything a copy takes along, and what it leaves behind."""
    challenge = Challenge.objects.create(
        owner=org_a, title="Complaints", problem_statement="We learn too little from complaints."
    )
    start = timezone.now() - timedelta(days=365)
    event = services.create_event_from_concept(
        alice,
        concept,
        org_a,
        **event_fields(
            title="Hackathon on complaints 2024",
            starts_at=start,
            ends_at=start + timedelta(hours=8),
            terms="Prototypes belong to the teams.",
            agenda="Data, teams, prototypes",
            visibility=Visibility.SHARED,
            winner_count=2,
            hourly_rate=Decimal("550.00"),
        ),
        challenges=[challenge],
        organisers=[alice, bob],
    )
    task = event.tasks.first()
    services.assign_task(alice, task, bob)
    services.set_task_status(alice, task, TaskStatus.DONE)
    Criterion.objects.create(event=event, name="Usefulness", weight=Decimal("2"), position=0)
    upload = SimpleUploadedFile("complaints.csv", b"id,category\n1,parking\n", "text/csv")
    dataset = dataset_services.add_dataset(
        alice,
        event,
        upload=upload,
        title="Complaints 2023",
        description="",
        classification="internal",
        legal_basis="",
        terms="Only for the hackathon.",
        link="",
    )
    # Registration has closed for a past event: the row is made directly.
    registration = Registration.objects.create(
        event=event,
        name="Dave",
        email="dave@example.org",
        background="supplier",
        status="confirmed",
        cancel_token_digest="x" * 64,
    )
    DatasetAcceptance.objects.create(dataset=dataset, user=alice, terms=dataset.terms)
    team = Team.objects.create(event=event, name="Team Parking")
    team.members.add(registration)
    return event


def test_it_copies_an_event_with_tasks_criteria_and_datasets(alice, bob, past_hackathon, media):
    start = start_in(60)
    copy = services.copy_event(
        alice,
        past_hackathon,
        title="Hackathon on complaints 2025",
        starts_at=start,
        ends_at=start + timedelta(hours=8),
    )
    assert copy.copied_from == past_hackathon and copy.concept == past_hackathon.concept
    for name in ("owner", "kind", "place", "capacity", "agenda", "terms", "visibility"):
        assert getattr(copy, name) == getattr(past_hackathon, name), name
    assert (copy.winner_count, copy.hourly_rate) == (2, Decimal("550.00"))
    assert copy.registration_mode == past_hackathon.registration_mode
    assert set(copy.challenges.all()) == set(past_hackathon.challenges.all())
    assert set(copy.organisers.all()) == {alice, bob}

    shift = timezone.localdate(start) - timezone.localdate(past_hackathon.starts_at)
    old_tasks = list(past_hackathon.tasks.all())
    new_tasks = list(copy.tasks.all())
    assert len(new_tasks) == len(old_tasks)
    for old, new in zip(old_tasks, new_tasks, strict=True):
        assert new.title == old.title and new.responsible_id == old.responsible_id
        assert new.due_on == old.due_on + shift
        assert new.status == TaskStatus.TODO and new.completed_at is None
    assert [(c.name, c.weight) for c in copy.criteria.all()] == [("Usefulness", Decimal("2"))]

    old_dataset, new_dataset = past_hackathon.datasets.get(), copy.datasets.get()
    assert new_dataset.title == old_dataset.title and new_dataset.terms == old_dataset.terms
    assert new_dataset.stored_name != old_dataset.stored_name
    assert new_dataset.file.name.startswith(f"events/{copy.pk}/datasets/")
    with new_dataset.file.open("rb") as handle:
        assert handle.read() == b"id,category\n1,parking\n"
    assert not new_dataset.acceptances.exists() and not new_dataset.accesses.exists()
    assert not copy.registrations.exists() and not copy.teams.exists()
    assert Registration.objects.count() == 1 and Team.objects.count() == 1


def test_it_leaves_former_organisers_out_of_the_copy(alice, bob, past_hackathon):
    bob.memberships.all().delete()
    start = start_in(60)
    copy = services.copy_event(
        alice, past_hackathon, title="Again", starts_at=start, ends_at=start + timedelta(hours=2)
    )
    assert list(copy.organisers.all()) == [alice]


def test_it_refuses_copies_to_people_who_do_not_organise_the_event(bob, charlie, past_hackathon):
    start = start_in(60)
    for person in (bob, charlie):
        with pytest.raises(PermissionDenied):
            services.copy_event(
                person, past_hackathon, title="Mine", starts_at=start, ends_at=start
            )


def test_it_refuses_a_copy_that_ends_before_it_starts(alice, past_hackathon):
    start = start_in(60)
    with pytest.raises(ValidationError) as error:
        services.copy_event(
            alice,
            past_hackathon,
            title="Again",
            starts_at=start,
            ends_at=start - timedelta(hours=1),
        )
    assert "ends_at" in error.value.message_dict
    assert Event.objects.count() == 1


# Preparation tasks ------------------------------------------------------------------------------


def test_it_sets_and_clears_the_completion_time(alice, hackathon):
    task = hackathon.tasks.first()
    services.set_task_status(alice, task, TaskStatus.DONE)
    assert EventTask.objects.get(pk=task.pk).completed_at is not None
    services.set_task_status(alice, task, TaskStatus.IN_PROGRESS)
    assert EventTask.objects.get(pk=task.pk).completed_at is None
    with pytest.raises(ValidationError):
        services.set_task_status(alice, task, "forgotten")


def test_it_assigns_only_people_of_the_organising_organisation(alice, bob, charlie, hackathon):
    task = hackathon.tasks.first()
    services.assign_task(alice, task, bob)
    assert EventTask.objects.get(pk=task.pk).responsible == bob
    with pytest.raises(ValidationError) as error:
        services.assign_task(alice, task, charlie)
    assert "responsible" in error.value.message_dict
    services.assign_task(alice, task, None)
    assert EventTask.objects.get(pk=task.pk).responsible is None


def test_it_adds_edits_and_deletes_event_tasks(alice, bob, hackathon):
    due = timezone.localdate() + timedelta(days=5)
    task = services.add_event_task(
        alice, hackathon, title="Parking permits", area="technical", responsible=bob, due_on=due
    )
    assert task.position == hackathon.tasks.count() - 1 and task.from_concept_task is None
    services.update_event_task(alice, task, title="Parking permits for the jury", status="done")
    task.refresh_from_db()
    assert task.title == "Parking permits for the jury" and task.completed_at is not None
    services.delete_event_task(alice, task)
    assert not EventTask.objects.filter(pk=task.pk).exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"area": "fun"}, "area"),
        ({"status": "someday"}, "status"),
        ({"due_on": "tomorrow"}, "due_on"),
    ],
)
def test_it_refuses_bad_event_tasks(alice, hackathon, fields, field):
    values = {"title": "Parking", "area": "technical", **fields}
    with pytest.raises(ValidationError) as error:
        services.add_event_task(alice, hackathon, **values)
    assert field in error.value.message_dict


def test_it_lets_only_organisers_change_tasks(bob, charlie, hackathon):
    task = hackathon.tasks.first()
    for person in (bob, charlie):
        with pytest.raises(PermissionDenied):
            services.set_task_status(person, task, TaskStatus.DONE)
        with pytest.raises(PermissionDenied):
            services.assign_task(person, task, None)
        with pytest.raises(PermissionDenied):
            services.add_event_task(person, hackathon, title="Mine", area="legal")
        with pytest.raises(PermissionDenied):
            services.delete_event_task(person, task)


def test_it_lets_organisers_who_are_not_leads_work_on_tasks(alice, bob, org_a, concept):
    event = services.create_event_from_concept(
        alice, concept, org_a, organisers=[bob], **event_fields()
    )
    task = event.tasks.first()
    services.set_task_status(bob, task, TaskStatus.DONE)
    assert EventTask.objects.get(pk=task.pk).status == TaskStatus.DONE


# Overdue tasks ----------------------------------------------------------------------------------


def test_it_finds_overdue_open_tasks_and_counts_progress(alice, hackathon):
    today = timezone.localdate()
    tasks = list(hackathon.tasks.all())
    expected = [t for t in tasks if t.due_on < today]
    assert expected  # the concept's first tasks are due more than 30 days before the start
    assert concept_queries.overdue_tasks(hackathon, today) == expected
    services.set_task_status(alice, expected[0], TaskStatus.DONE)
    services.set_task_status(alice, expected[1], TaskStatus.NOT_RELEVANT)
    assert concept_queries.overdue_tasks(hackathon, today) == expected[2:]
    progress = concept_queries.task_progress(hackathon)
    assert (progress.done, progress.total) == (1, len(tasks) - 1)


# Improving the concept from an event ------------------------------------------------------------


def test_it_writes_the_events_experience_back_to_the_concept(alice, concept, hackathon):
    start = timezone.localdate(hackathon.starts_at)
    venue = hackathon.tasks.get(title="Venue booked")
    services.update_event_task(
        alice, venue, title="Venue booked with room for 12 teams", due_on=start - timedelta(60)
    )
    catering = hackathon.tasks.get(title="Catering ordered")
    services.set_task_status(alice, catering, TaskStatus.NOT_RELEVANT)
    added = services.add_event_task(
        alice, hackathon, title="Parking permits", area="technical", due_on=start - timedelta(2)
    )
    undated = services.add_event_task(alice, hackathon, title="Thank-you notes", area="legal")

    result = services.improve_concept_from_event(alice, hackathon)

    source = ConceptTask.objects.get(pk=venue.from_concept_task_id)
    assert source.title == "Venue booked with room for 12 teams"
    assert source.days_before_start == 60
    assert [(c.task.pk, c.fields) for c in result.updated] == [
        (source.pk, ["title", "days_before_start"])
    ]
    assert sorted((t.title, t.days_before_start) for t in result.added) == [
        ("Parking permits", 2),
        ("Thank-you notes", services.DEFAULT_DAYS),
    ]
    assert [t.pk for t in result.not_relevant] == [catering.pk]
    assert concept.tasks.filter(title="Catering ordered").exists()
    linked = {EventTask.objects.get(pk=t.pk).from_concept_task for t in (added, undated)}
    assert linked == set(result.added)

    again = services.improve_concept_from_event(alice, hackathon)
    assert not again.changed and [t.pk for t in again.not_relevant] == [catering.pk]


def test_it_lets_only_innovation_leads_of_the_concept_improve_it(alice, bob, org_a, concept):
    event = services.create_event_from_concept(
        alice, concept, org_a, organisers=[alice, bob], **event_fields()
    )
    with pytest.raises(PermissionDenied):
        services.improve_concept_from_event(bob, event)


def test_it_says_when_the_event_has_no_concept(alice, public_event):
    with pytest.raises(ValidationError):
        services.improve_concept_from_event(alice, public_event)


# Reminders --------------------------------------------------------------------------------------


@pytest.fixture
def overdue(alice, bob, hackathon):
    """One open task of bob's, due yesterday."""
    task = hackathon.tasks.first()
    services.assign_task(alice, task, bob)
    services.update_event_task(alice, task, due_on=timezone.localdate() - timedelta(days=1))
    return task


def test_it_reminds_the_responsible_person_once_in_their_language(
    bob, overdue, django_capture_on_commit_callbacks
):
    bob.language = "en"
    bob.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_overdue_tasks() == 1
        assert services.remind_overdue_tasks() == 0
    notification = Notification.objects.get(recipient=bob)
    assert overdue.title in notification.message
    assert notification.url == f"/events/{overdue.event_id}/tasks/#task-{overdue.pk}"
    assert [m.to for m in mail.outbox] == [[bob.email]]
    assert overdue.event.title in mail.outbox[0].body


def test_it_reminds_again_when_the_task_is_overdue_again(alice, bob, overdue):
    assert services.remind_overdue_tasks() == 1
    later = timezone.localdate() + timedelta(days=3)
    services.update_event_task(alice, overdue, due_on=later)
    assert services.remind_overdue_tasks(today=later) == 0
    assert services.remind_overdue_tasks(today=later + timedelta(days=1)) == 1


def test_it_does_not_remind_of_done_unassigned_or_long_forgotten_tasks(alice, bob, overdue):
    services.set_task_status(alice, overdue, TaskStatus.DONE)
    assert services.remind_overdue_tasks() == 0
    services.set_task_status(alice, overdue, TaskStatus.TODO)
    services.assign_task(alice, overdue, None)
    assert services.remind_overdue_tasks() == 0
    services.assign_task(alice, overdue, bob)
    far = timezone.localdate() + timedelta(days=services.REMINDER_WINDOW_DAYS + 1)
    assert services.remind_overdue_tasks(today=far) == 0


def test_it_queues_task_reminders_from_the_reminder_command(overdue):
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "Overdue task reminders queued: 1" in out.getvalue()
