"""The survey and cost services: signed links, one answer each, e-mails, hours and costs,
and the figures read from the database in a constant number of queries."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samspil.core.models import Visibility
from samspil.events import feedback
from samspil.events import feedback_services as services
from samspil.events.models import (
    Event,
    EventConcept,
    ExternalCost,
    Registration,
    RegistrationStatus,
    SurveyResponse,
    TimeSpent,
)

from .conftest import make_event, register

SCORES: dict = {"satisfaction": 4, "relevance": 5, "organisation_rating": 3}


def started(event: Event, days_ago: int = 1) -> Event:
    """Move an event into the past (registration closes at the start, so people register first)."""
    start = timezone.now() - timedelta(days=days_ago)
    Event.objects.filter(pk=event.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=4), registration_deadline=None
    )
    event.refresh_from_db()
    return event


def people(event: Event, count: int, prefix: str = "p", **fields) -> list[Registration]:
    return [
        register(event, f"{prefix}{n}@example.org", **fields).registration for n in range(count)
    ]


def fresh(registrations: list[Registration]) -> list[Registration]:
    """The registrations as read now, with their event (after ``started`` moved it)."""
    found = Registration.objects.select_related("event").in_bulk([r.pk for r in registrations])
    return [found[r.pk] for r in registrations]


@pytest.fixture
def workshop(alice, org_a):
    return make_event(alice, org_a, "Hackathon on complaints", capacity=50)


@pytest.fixture
def held(workshop):
    """A workshop that started yesterday with three confirmed participants."""
    registrations = people(workshop, 3)
    started(workshop)
    return workshop, fresh(registrations)


# Signed links ----------------------------------------------------------------------------------


def test_it_finds_the_registration_of_a_survey_link(held):
    _event, (first, *_rest) = held
    path = services.survey_link(first)
    assert path.startswith("/events/survey/")
    token = path.removeprefix("/events/survey/").rstrip("/")
    assert services.registration_for_survey_token(token) == first


def test_it_refuses_altered_forged_and_old_links(held):
    _event, (first, second, _third) = held
    token = services.survey_token(first)
    assert services.registration_for_survey_token(token[:-2] + "xx") is None
    # Another registration's payload under this token's signature.
    other_payload = services.survey_token(second).split(":", 1)[0]
    swapped = other_payload + ":" + token.split(":", 1)[1]
    assert services.registration_for_survey_token(swapped) is None
    forged = signing.dumps(second.pk, salt="another.salt")
    assert services.registration_for_survey_token(forged) is None
    assert services.registration_for_survey_token("") is None
    wrong_payload = signing.dumps("1", salt=services.SURVEY_SALT)
    assert services.registration_for_survey_token(wrong_payload) is None


def test_it_refuses_a_link_older_than_ninety_days(held, monkeypatch):
    _event, (first, *_rest) = held
    long_ago = timezone.now().timestamp() - timedelta(days=91).total_seconds()
    monkeypatch.setattr("django.core.signing.time.time", lambda: long_ago)
    token = services.survey_token(first)
    monkeypatch.undo()
    assert services.registration_for_survey_token(token) is None


# Answers ---------------------------------------------------------------------------------------


def test_it_stores_one_answer_per_participant(held):
    event, (first, *_rest) = held
    response = services.answer_survey(first, **SCORES, went_well=" The data ", improve="")
    assert response.event == event and response.went_well == "The data"
    assert services.survey_state(first) == services.ANSWERED
    with pytest.raises(ValidationError) as error:
        services.answer_survey(first, **SCORES)
    assert "already answered" in error.value.messages[0]
    assert SurveyResponse.objects.count() == 1


def test_it_turns_a_simultaneous_second_answer_into_a_clear_error(held, monkeypatch):
    _event, (first, *_rest) = held
    services.answer_survey(first, **SCORES)
    # The second request checked before the first one saved.
    monkeypatch.setattr(services, "has_answered", lambda registration: False)
    with pytest.raises(ValidationError) as error:
        services.answer_survey(first, **SCORES)
    assert "already answered" in error.value.messages[0]
    assert SurveyResponse.objects.count() == 1


def test_it_opens_the_survey_when_the_event_starts(workshop):
    registration = register(workshop, "early@example.org").registration
    assert services.survey_state(registration) == services.NOT_STARTED
    with pytest.raises(ValidationError) as error:
        services.answer_survey(registration, **SCORES)
    assert "opens when the event starts" in error.value.messages[0]
    later = workshop.starts_at + timedelta(minutes=1)
    assert services.answer_survey(registration, **SCORES, now=later).pk


def test_it_lets_only_confirmed_participants_answer(alice, org_a):
    event = make_event(alice, org_a, capacity=1)
    register(event, "in@example.org")
    waiting = register(event, "waiting@example.org").registration
    started(event)
    (waiting,) = fresh([waiting])
    assert waiting.status == RegistrationStatus.WAITING
    assert services.survey_state(waiting) == services.NOT_PARTICIPANT
    with pytest.raises(ValidationError):
        services.answer_survey(waiting, **SCORES)
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"satisfaction": 0}, "satisfaction"),
        ({"relevance": 6}, "relevance"),
        ({"organisation_rating": "3"}, "organisation_rating"),
        ({"satisfaction": True}, "satisfaction"),
        ({"satisfaction": None}, "satisfaction"),
        ({"improve": "x" * 10_001}, "improve"),
    ],
)
def test_it_refuses_bad_answers(held, changes, field):
    _event, (first, *_rest) = held
    with pytest.raises(ValidationError) as error:
        services.answer_survey(first, **{**SCORES, **changes})
    assert field in error.value.message_dict
    assert not SurveyResponse.objects.exists()


# Sending the survey ----------------------------------------------------------------------------


def test_it_emails_the_link_to_those_who_have_not_answered(
    alice, held, django_capture_on_commit_callbacks
):
    event, (first, second, third) = held
    services.answer_survey(first, **SCORES)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_survey(alice, event) == 2
    assert sorted(m.to[0] for m in mail.outbox) == [second.email, third.email]
    message = next(m for m in mail.outbox if m.to == [second.email])
    found = re.search(r"/events/survey/([^/\s]+)/", str(message.body))
    assert found is not None
    token = found.group(1)
    assert services.registration_for_survey_token(token) == second
    assert event.title in message.subject


def test_it_writes_each_survey_email_in_the_participants_language(alice, workshop, monkeypatch):
    register(workshop, "dansk@example.org", language="da")
    register(workshop, "norsk@example.org", language="nb")
    started(workshop)
    sent = []
    monkeypatch.setattr(
        services,
        "queue_templated_email",
        lambda to, template, context, language: sent.append((to, template, language)),
    )
    assert services.send_survey(alice, workshop) == 2
    assert sent == [
        ("dansk@example.org", "events/feedback/email/survey", "da"),
        ("norsk@example.org", "events/feedback/email/survey", "nb"),
    ]


def test_it_sends_no_survey_before_the_start_or_for_others(alice, bob, charlie, workshop, held):
    with pytest.raises(ValidationError):
        services.send_survey(alice, make_event(alice, workshop.owner, "Later"))
    for person in (bob, charlie):
        with pytest.raises(PermissionDenied):
            services.send_survey(person, workshop)


def test_it_leaves_out_cancelled_and_waiting_registrations(alice, org_a):
    event = make_event(alice, org_a, capacity=1)
    register(event, "in@example.org")
    register(event, "waiting@example.org")
    started(event)
    assert services.send_survey(alice, event) == 1


# Hours and external costs ----------------------------------------------------------------------


def test_it_records_edits_and_deletes_hours_with_history(alice, workshop):
    entry = services.add_time_spent(alice, workshop, role="legal", hours="2.5", note=" GDPR ")
    assert entry.hours == Decimal("2.5") and entry.note == "GDPR"
    services.update_time_spent(alice, entry, role="project_lead", hours=Decimal(12), note="")
    entry.refresh_from_db()
    assert entry.role == "project_lead" and entry.hours == Decimal(12)
    services.delete_time_spent(alice, entry)
    assert not TimeSpent.objects.exists()
    history = TimeSpent.history.order_by("history_date")
    assert [h.history_type for h in history] == ["+", "~", "-"]
    assert all(h.history_user == alice for h in history)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"hours": 0}, "hours"),
        ({"hours": "-1"}, "hours"),
        ({"hours": "10000.1"}, "hours"),
        ({"hours": "1.25"}, "hours"),
        ({"hours": "many"}, "hours"),
        ({"hours": "NaN"}, "hours"),
        ({"hours": None}, "hours"),
        ({"role": "boss"}, "role"),
        ({"note": "x" * 301}, "note"),
    ],
)
def test_it_refuses_bad_hours(alice, workshop, fields, field):
    values = {"role": "legal", "hours": "3", "note": "", **fields}
    with pytest.raises(ValidationError) as error:
        services.add_time_spent(alice, workshop, **values)
    assert field in error.value.message_dict
    assert not TimeSpent.objects.exists()


def test_it_accepts_the_largest_number_of_hours(alice, workshop):
    assert services.add_time_spent(alice, workshop, role="other", hours=10_000).hours == 10_000


def test_it_records_edits_and_deletes_external_costs(alice, workshop):
    cost = services.add_external_cost(alice, workshop, description=" Venue  hire ", amount="4500")
    assert cost.description == "Venue hire" and cost.amount == Decimal("4500")
    services.update_external_cost(alice, cost, description="Venue", amount=Decimal("0"))
    cost.refresh_from_db()
    assert cost.amount == 0
    services.delete_external_cost(alice, cost)
    assert not ExternalCost.objects.exists()
    assert ExternalCost.history.filter(history_user=alice).count() == 3


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"amount": "-0.01"}, "amount"),
        ({"amount": "1.234"}, "amount"),
        ({"amount": "1000000000000"}, "amount"),
        ({"amount": "a lot"}, "amount"),
        ({"description": "  "}, "description"),
        ({"description": "x" * 301}, "description"),
    ],
)
def test_it_refuses_bad_external_costs(alice, workshop, fields, field):
    values = {"description": "Catering", "amount": "100", **fields}
    with pytest.raises(ValidationError) as error:
        services.add_external_cost(alice, workshop, **values)
    assert field in error.value.message_dict


def test_it_lets_only_organisers_record_cost(alice, bob, charlie, dave, workshop):
    entry = services.add_time_spent(alice, workshop, role="legal", hours=1)
    cost = services.add_external_cost(alice, workshop, description="Venue", amount=1)
    for person in (bob, charlie, dave):
        with pytest.raises(PermissionDenied):
            services.add_time_spent(person, workshop, role="legal", hours=1)
        with pytest.raises(PermissionDenied):
            services.update_time_spent(person, entry, role="legal", hours=2)
        with pytest.raises(PermissionDenied):
            services.delete_time_spent(person, entry)
        with pytest.raises(PermissionDenied):
            services.add_external_cost(person, workshop, description="Venue", amount=1)
        with pytest.raises(PermissionDenied):
            services.update_external_cost(person, cost, description="Venue", amount=2)
        with pytest.raises(PermissionDenied):
            services.delete_external_cost(person, cost)
    assert TimeSpent.objects.get().hours == 1 and ExternalCost.objects.get().amount == 1


def test_it_lets_named_organisers_record_cost(alice, bob, org_a):
    event = make_event(alice, org_a, organisers=[alice, bob])
    assert services.add_time_spent(bob, event, role="facilitator", hours=3).pk


# Figures ---------------------------------------------------------------------------------------


def test_it_summarises_the_survey_from_the_database(held, django_assert_num_queries):
    event, (first, second, third) = held
    services.answer_survey(first, satisfaction=5, relevance=4, organisation_rating=4)
    services.answer_survey(
        second, satisfaction=3, relevance=4, organisation_rating=2, improve="Food"
    )
    with django_assert_num_queries(2):
        summary = services.survey_summary(event)
    assert summary.responses == 2 and summary.participants == 3
    assert summary.mean_satisfaction == 4.0
    assert summary.improve == ["Food"]
    Registration.objects.filter(pk__in=[first.pk, third.pk]).update(attended=True)
    summary = services.survey_summary(event)
    assert summary.participants == 2 and summary.response_rate == 0.5


def test_it_summarises_the_cost_from_the_database(alice, held, django_assert_num_queries):
    event, _registrations = held
    Event.objects.filter(pk=event.pk).update(hourly_rate=Decimal("600"))
    event.refresh_from_db()
    services.add_time_spent(alice, event, role="legal", hours="1.5")
    services.add_time_spent(alice, event, role="project_lead", hours="8")
    services.add_time_spent(alice, event, role="legal", hours="0.5")
    services.add_external_cost(alice, event, description="Venue", amount="3000")
    with django_assert_num_queries(3):
        cost = services.cost_summary(event)
    assert list(cost.hours_by_role.items()) == [
        ("project_lead", Decimal("8.0")),
        ("legal", Decimal("2.0")),
    ]
    assert cost.staff_cost == Decimal("6000.00") and cost.total_cost == Decimal("9000.00")
    assert cost.participants == 3 and cost.cost_per_participant == Decimal("3000.00")


# A concept's trend -----------------------------------------------------------------------------


def concept_event(alice, org_a, concept, days_ago: int, *, cost: str, hours: str, score: int):
    event = make_event(alice, org_a, f"Round {days_ago}", capacity=50, hourly_rate=Decimal(100))
    Event.objects.filter(pk=event.pk).update(concept=concept)
    registrations = people(event, 2, prefix=f"e{days_ago}-")
    started(event, days_ago)
    registrations = fresh(registrations)
    services.add_time_spent(alice, event, role="project_lead", hours=hours)
    services.add_external_cost(alice, event, description="Venue", amount=cost)
    services.answer_survey(registrations[0], satisfaction=score, relevance=3, organisation_rating=3)
    return event


@pytest.fixture
def concept(org_a):
    return EventConcept.objects.create(
        owner=org_a, title="Hackathon as market dialogue", visibility=Visibility.PUBLIC
    )


def test_it_follows_a_concept_over_its_events(alice, org_a, concept):
    concept_event(alice, org_a, concept, 300, cost="3000", hours="20", score=3)
    concept_event(alice, org_a, concept, 200, cost="2000", hours="16", score=4)
    concept_event(alice, org_a, concept, 100, cost="1600", hours="10", score=5)
    later = make_event(alice, org_a, "Not yet held", capacity=50)
    Event.objects.filter(pk=later.pk).update(concept=concept)
    trend = services.concept_trend(concept)
    assert [e.title for e in trend.events] == ["Round 300", "Round 200", "Round 100"]
    first = trend.events[0]
    assert first.participants == 2
    assert first.cost_per_participant == Decimal("2500.00")  # (3000 + 20 × 100) / 2
    assert first.hours_per_participant == Decimal("10.00")
    assert first.mean_satisfaction == 3 and first.responses == 1
    assert trend.cheaper and trend.faster
    assert trend.satisfaction.direction == feedback.RISING


def test_it_leaves_unrecorded_costs_unknown(alice, org_a, concept):
    event = make_event(alice, org_a, "Nothing recorded", capacity=50)
    Event.objects.filter(pk=event.pk).update(concept=concept)
    people(event, 2)
    started(event)
    (figures,) = services.concept_trend(concept).events
    assert figures.cost_per_participant is None and figures.hours_per_participant is None


def test_it_shows_only_events_the_person_may_see_and_in_the_concepts_currency(
    alice, bob, charlie, org_a, org_b, concept
):
    concept_event(alice, org_a, concept, 50, cost="100", hours="1", score=4)
    internal = concept_event(alice, org_a, concept, 40, cost="100", hours="1", score=4)
    Event.objects.filter(pk=internal.pk).update(visibility=Visibility.INTERNAL)
    other = make_event(alice, org_a, "Norwegian round", capacity=5)
    Event.objects.filter(pk=other.pk).update(concept=concept, owner=org_b)
    started(other, 30)
    assert len(services.concept_trend(concept, bob).events) == 2
    assert len(services.concept_trend(concept, charlie).events) == 1
    assert "Norwegian round" not in [e.title for e in services.concept_trend(concept).events]


def test_it_reads_a_concepts_trend_in_constant_queries(
    alice, org_a, concept, django_assert_num_queries
):
    concept_event(alice, org_a, concept, 90, cost="100", hours="1", score=4)
    with django_assert_num_queries(5):
        services.concept_trend(concept)
    for days in (80, 70, 60, 50):
        concept_event(alice, org_a, concept, days, cost="100", hours="1", score=4)
    with django_assert_num_queries(5):
        assert len(services.concept_trend(concept).events) == 5
