"""The market dialogue demo on the biological light partnership: loaded idempotently after
the procurement demo, every published answer delivered to every registered supplier, the
registered suppliers in a valid OCDS release, and learned requirements pulled once."""

from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from samspil.conftest import demo_loaded
from samspil.core.demo import load_demo
from samspil.core.models import User
from samspil.events.models import LearnedRequirement
from samspil.events.tests.conftest import make_event
from samspil.needs.demo import load_needs_demo
from samspil.pilots.demo import load_pilots_demo
from samspil.procurement import ocds, ocds_queries, ocds_validation
from samspil.procurement.demo import BIOLOGICAL_LIGHT, load_procurement_demo
from samspil.procurement.dialogue_demo import ENTRIES, QUESTIONS, SUPPLIERS, load_dialogue_demo
from samspil.procurement.models import (
    AnswerDelivery,
    DialogueEntry,
    FunctionalRequirement,
    InterestStatus,
    Procurement,
    Question,
    SupplierInterest,
)

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MODELS = (DialogueEntry, SupplierInterest, Question, AnswerDelivery, FunctionalRequirement)


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    with demo_loaded(
        django_db_blocker,
        load_demo,
        load_needs_demo,
        load_pilots_demo,
        load_procurement_demo,
        load_dialogue_demo,
    ) as counts:
        yield counts


@pytest.fixture
def loaded(db, demo_data):
    return demo_data


def light() -> Procurement:
    return Procurement.objects.get(owner__slug=BIOLOGICAL_LIGHT.owner, title=BIOLOGICAL_LIGHT.title)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_it_loads_the_light_partnerships_dialogue(loaded):
    procurement = light()
    assert loaded.entries == len(ENTRIES) == procurement.dialogue_entries.count()
    assert loaded.suppliers == len(SUPPLIERS)
    registered = set(
        procurement.supplier_interests.filter(status=InterestStatus.REGISTERED).values_list(
            "supplier__slug", flat=True
        )
    )
    assert registered == {"atea", "sogeti", "rise-digital"}
    assert loaded.questions == len(QUESTIONS) and loaded.requirements >= 3
    # Equal treatment: every published answer reached every registered supplier.
    for question in procurement.questions.all():
        assert question.published_at is not None and question.answer
        delivered = set(question.deliveries.values_list("supplier__slug", flat=True))
        assert delivered == registered
    conference = procurement.dialogue_entries.get(kind="event")
    assert conference.participants.count() == 5


def test_it_changes_nothing_when_run_again(loaded):
    before = counts()
    again = load_dialogue_demo()
    assert again.created == 0 and counts() == before


def test_it_pulls_requirements_learned_at_a_linked_event_once(loaded):
    procurement = light()
    matilde = User.objects.get(username="matilde.gammelgaard")
    event = make_event(matilde, procurement.owner, title="Workshop om lys på plejehjem")
    event.challenges.add(procurement.challenge)
    learned = LearnedRequirement.objects.create(event=event, text="Lyset må ikke blænde.")

    first = load_dialogue_demo()
    assert first.created == 1
    pulled = FunctionalRequirement.objects.get(learned_requirement=learned)
    assert pulled.source.startswith("Workshop om lys på plejehjem, ")
    assert load_dialogue_demo().created == 0


def test_the_registered_suppliers_are_interested_parties_in_a_valid_package(loaded):
    data = ocds_queries.procurement_data(
        ocds_queries.public_procurements(AnonymousUser()).filter(pk=light().pk)
    )
    publisher = ocds_queries.publisher()
    package = ocds.release_package(data, publisher, "https://example.org/ocds", timezone.now())
    assert ocds_validation.release_package_errors(package) == []
    roles = {p["name"]: p["roles"] for p in package["releases"][0]["parties"]}
    assert roles["Atea Sverige"] == ["interestedParty"]
    assert data[0].last_changed.year < timezone.now().year  # the demo's own timeline


def test_the_published_answers_show_to_anyone_and_the_log_to_the_buyers(loaded, client):
    procurement = light()
    html = client.get(procurement.get_absolute_url()).content.decode()
    assert all(f'id="qa-{q.pk}"' in html for q in procurement.questions.all())
    assert 'id="procurement-log-table"' not in html
    client.force_login(User.objects.get(username="matilde.gammelgaard"))
    html = client.get(procurement.get_absolute_url()).content.decode()
    assert 'id="procurement-log-table"' in html


def test_the_command_reports_the_dialogue(loaded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = StringIO()
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        call_command("load_demo", stdout=out)
    line = next(
        line for line in out.getvalue().splitlines() if line.startswith("Demo market dialogue:")
    )
    assert f"{len(ENTRIES)} dialogue entries" in line and "(0 rows created)" in line
