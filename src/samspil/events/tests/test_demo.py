"""The events demo: the seeds' workshop, three hackathons on one concept and a supplier
conference, loaded idempotently and telling the concept's story."""

import time
from dataclasses import dataclass
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from samspil.core.demo import load_demo
from samspil.events import ranking, services
from samspil.events.demo import (
    CITIZEN_PLAN,
    COMPLAINTS,
    CONCEPT_TASKS,
    CONCEPT_TITLE,
    DECISION_SUPPORT,
    SUPPLIER_CONFERENCE,
    WORKSHOP,
    EventsLoadCounts,
    load_events_demo,
)
from samspil.events.models import (
    OPEN_TASK_STATUSES,
    DataClassification,
    Event,
    EventConcept,
    EventKind,
    Grouping,
    Registration,
    RegistrationStatus,
    Score,
)
from samspil.needs import similarity
from samspil.needs.demo import load_needs_demo

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Loaded:
    counts: EventsLoadCounts
    seconds: float  # the events loader's first run
    media: Path


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole demo, loaded once for this module (a few seconds) and rolled back after it;
    each test runs inside it and its own changes are rolled back as usual."""
    media = tmp_path_factory.mktemp("media")
    similarity.reset_index()
    with (
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=FAST_HASHERS),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        load_demo()
        load_needs_demo()  # the challenges the events link to
        started = time.perf_counter()
        counts = load_events_demo()
        yield Loaded(counts, time.perf_counter() - started, media)
        transaction.set_rollback(True)
    similarity.reset_index()


@pytest.fixture
def loaded(db, demo_data, settings) -> Loaded:
    settings.MEDIA_ROOT = demo_data.media
    return demo_data


def event(data) -> Event:
    return Event.objects.get(owner__slug=data.owner, title=data.title)


def row_counts() -> dict[str, int]:
    """Every table of the events app, history tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_app_config("events").get_models()
    }


def ranked(hackathon: Event) -> list[tuple[str, float]]:
    """The submissions' titles and weighted scores, best first, as the jury page ranks them."""
    criteria = [ranking.CriterionInput(c.pk, float(c.weight)) for c in hackathon.criteria.all()]
    jurors = frozenset(hackathon.jurors.values_list("pk", flat=True))
    submissions = {
        team.submission.pk: team.submission for team in hackathon.teams.select_related("submission")
    }
    scores = [
        ranking.ScoreInput(s.submission_id, s.criterion_id, s.juror_id, s.value)
        for s in Score.objects.filter(criterion__event=hackathon)
    ]
    inputs = [ranking.SubmissionInput(pk, s.submitted_at, jurors) for pk, s in submissions.items()]
    results = ranking.rank(criteria, inputs, scores)
    assert all(r.complete for r in results)
    return [(submissions[r.submission].title, r.weighted or 0.0) for r in results]


def cost_per_participant(hackathon: Event) -> Decimal:
    hours = sum(t.hours for t in hackathon.time_spent.all())
    external = sum(c.amount for c in hackathon.external_costs.all())
    assert hackathon.hourly_rate is not None
    attended = hackathon.registrations.filter(attended=True).count()
    return (hours * hackathon.hourly_rate + external) / attended


def mean_satisfaction(hackathon: Event) -> float:
    values = list(hackathon.survey_responses.values_list("satisfaction", flat=True))
    return sum(values) / len(values)


def test_it_changes_nothing_when_run_again(loaded):
    first = loaded.counts
    assert first.events == 5 and first.created > 300
    assert first.concepts == 1 and first.tasks == 3 * len(CONCEPT_TASKS)
    before = row_counts()
    files = sorted(path.name for path in loaded.media.rglob("*") if path.is_file())
    assert len(files) == 2  # the two public CSV files

    again = load_events_demo()

    assert again.created == 0
    assert row_counts() == before
    assert sorted(path.name for path in loaded.media.rglob("*") if path.is_file()) == files
    counted = (again.events, again.registrations, again.tasks, again.teams, again.scores)
    assert counted == (first.events, first.registrations, first.tasks, 8, 120)


def test_it_runs_two_hackathons_of_the_concept_in_the_past_and_one_ahead(loaded):
    concept = EventConcept.objects.get(title=CONCEPT_TITLE, owner__slug="kobenhavn-sof")
    assert concept.visibility == "public" and concept.tasks.count() == len(CONCEPT_TASKS)
    areas = set(concept.tasks.values_list("area", flat=True))
    assert areas == {"technical", "professional", "legal"}
    now = timezone.now()
    hackathons = list(concept.events.order_by("starts_at"))
    assert [h.title for h in hackathons] == [
        COMPLAINTS.title,
        DECISION_SUPPORT.title,
        CITIZEN_PLAN.title,
    ]
    first, second, upcoming = hackathons
    assert first.ends_at < second.starts_at and second.ends_at < now < upcoming.starts_at
    assert second.copied_from == first and upcoming.copied_from == second
    assert not services.registration_closed(upcoming)
    assert upcoming.registrations.filter(status=RegistrationStatus.CONFIRMED).exists()
    for hackathon in hackathons:
        tasks = list(hackathon.tasks.all())
        assert len(tasks) == len(CONCEPT_TASKS)
        assert all(t.from_concept_task_id and t.responsible_id for t in tasks)
    for past in (first, second):
        assert past.registrations.filter(attended=True).count() >= 12
        assert past.tasks.filter(status="done").count() >= len(CONCEPT_TASKS) - 1


def test_it_publishes_winners_ranked_from_every_jurors_scores(loaded):
    for data, winner in ((COMPLAINTS, "Klagekompasset"), (DECISION_SUPPORT, "Anden mening")):
        hackathon = event(data)
        assert hackathon.winners_published_at is not None
        assert hackathon.winners_published_at > hackathon.ends_at
        assert hackathon.criteria.count() == 5 and hackathon.jurors.count() == 3
        teams = list(hackathon.teams.prefetch_related("members"))
        assert len(teams) == 4 and all(team.submission.link_list for team in teams)
        placed = [r.pk for team in teams for r in team.members.all()]
        assert (
            len(placed) == len(set(placed)) == hackathon.registrations.filter(attended=True).count()
        )
        # No juror judges a team they belong to.
        juror_emails = set(hackathon.jurors.values_list("user__email", flat=True))
        assert not Registration.objects.filter(teams__event=hackathon, email__in=juror_emails)
        assert Score.objects.filter(criterion__event=hackathon).count() == 4 * 5 * 3
        results = ranked(hackathon)
        assert results[0][0].startswith(winner)
        weighted = [score for _title, score in results]
        # Distinct scores down to the last winner and the first one after: no tie decides.
        assert len(set(weighted[: hackathon.winner_count + 1])) == hackathon.winner_count + 1


def test_it_makes_the_second_hackathon_cheaper_per_participant_and_better_rated(loaded):
    first, second = event(COMPLAINTS), event(DECISION_SUPPORT)
    assert cost_per_participant(second) < cost_per_participant(first)
    assert mean_satisfaction(second) > mean_satisfaction(first) >= 3
    for hackathon in (first, second):
        attended = hackathon.registrations.filter(attended=True).count()
        assert attended > hackathon.survey_responses.count() >= attended * 2 / 3
        assert 3 <= hackathon.learned_requirements.count() <= 5
        assert hackathon.survey_responses.exclude(went_well="").exists()


def test_it_shows_an_overdue_task_to_a_demo_user(loaded):
    today = timezone.localdate()
    overdue = event(CITIZEN_PLAN).tasks.filter(status__in=OPEN_TASK_STATUSES, due_on__lt=today)
    assert overdue.exists()
    responsible = [task.responsible for task in overdue]
    assert all(user is not None and user.has_usable_password() for user in responsible)
    assert event(CITIZEN_PLAN).tasks.filter(status="done").exists()


def test_it_offers_data_bank_links_and_a_public_file(loaded):
    hackathon = event(COMPLAINTS)
    personal = hackathon.datasets.get(classification=DataClassification.PERSONAL)
    assert personal.link.startswith("https://") and personal.legal_basis and not personal.file
    public = hackathon.datasets.get(classification=DataClassification.PUBLIC)
    assert public.original_name.endswith(".csv") and public.stored_name != public.original_name
    assert public.content_type == "text/csv" and public.size == public.file.size
    with public.file.open("rb") as stored:
        assert stored.readline().decode() == "maaned,sagstype,klager\n"
    member = Registration.objects.get(event=hackathon, email="member@demo.samspil.local")
    assert personal.acceptances.filter(user=member.user).exists()


def test_it_mixes_backgrounds_in_the_workshops_groups(loaded):
    workshop = event(WORKSHOP)
    grouping = Grouping.objects.get(event=workshop)
    attendees = set(workshop.registrations.filter(attended=True).values_list("pk", flat=True))
    assert sorted(pk for group in grouping.groups for pk in group) == sorted(attendees)
    backgrounds = dict(workshop.registrations.values_list("pk", "background"))
    assert all(len({backgrounds[pk] for pk in group}) >= 3 for group in grouping.groups)
    assert workshop.survey_responses.exists() and workshop.external_costs.exists()
    assert {"staff", "supplier", "entrepreneur", "decision_maker"} <= set(backgrounds.values())


def test_it_puts_the_overflow_of_the_small_hackathon_on_the_waiting_list(loaded):
    hackathon = event(CITIZEN_PLAN)
    assert hackathon.registrations.filter(status="waiting").count() == 1
    assert set(hackathon.organisers.values_list("username", flat=True)) == {"demo"}


def test_it_announces_a_supplier_conference_of_the_scaling_process(loaded):
    conference = event(SUPPLIER_CONFERENCE)
    assert conference.kind == EventKind.SUPPLIER_CONFERENCE and conference.visibility == "public"
    assert conference.starts_at > timezone.now() and not services.registration_closed(conference)
    assert conference.challenges.filter(title__startswith="Emissionsfrie").exists()
    organisations = set(conference.registrations.values_list("organisation", flat=True))
    assert {"Metroselskabet", "Vejdirektoratet", "Aarhus Havn"} <= organisations
    backgrounds = set(conference.registrations.values_list("background", flat=True))
    assert {"staff", "supplier", "entrepreneur"} <= backgrounds


def test_it_reports_the_rows_and_creates_nothing_the_second_time(loaded):
    # How long loading takes is for a benchmark, not a test: machines here are shared.
    out = StringIO()
    call_command("load_demo", stdout=out)
    line = next(line for line in out.getvalue().splitlines() if line.startswith("Demo events:"))
    assert "5 events" in line and "120 scores" in line and "(0 rows created)" in line
