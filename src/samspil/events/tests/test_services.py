"""Writes of events and registrations: capacity, waiting list, deadline, terms, cancelling."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samspil.events import services
from samspil.events.models import Registration, RegistrationMode, RegistrationStatus, hash_secret

from .conftest import make_event, register

ANON = AnonymousUser()


def test_it_creates_an_event_organised_by_its_creator(alice, org_a):
    event = make_event(alice, org_a)
    assert list(event.organisers.all()) == [alice]
    assert event.history.exists()


def test_it_refuses_an_event_that_ends_before_it_starts(alice, org_a):
    start = timezone.now() + timedelta(days=3)
    with pytest.raises(ValidationError) as error:
        make_event(alice, org_a, starts_at=start, ends_at=start - timedelta(hours=1))
    assert "ends_at" in error.value.message_dict


def test_it_refuses_naive_times(alice, org_a):
    with pytest.raises(ValidationError):
        make_event(alice, org_a, starts_at=timezone.now().replace(tzinfo=None))


def test_it_lets_only_innovation_leads_create_events(bob, charlie, org_a):
    for person in (bob, charlie):
        with pytest.raises(PermissionDenied):
            make_event(person, org_a)


def test_it_refuses_organisers_from_another_organisation(alice, charlie, org_a):
    with pytest.raises(ValidationError) as error:
        make_event(alice, org_a, organisers=[charlie])
    assert "organisers" in error.value.message_dict


def test_it_confirms_until_capacity_then_puts_people_on_the_waiting_list(
    public_event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = register(public_event, "one@example.org", language="en")
        second = register(public_event, "two@example.org")
        third = register(public_event, "three@example.org", language="en")
    assert [first.waiting, second.waiting, third.waiting] == [False, False, True]
    assert len(mail.outbox) == 3
    assert "waiting list" in mail.outbox[2].subject
    attachment = mail.outbox[0].attachments[0]
    assert attachment[0] == "event.ics" and "BEGIN:VCALENDAR" in attachment[1]
    assert services.cancel_url(first.cancel_token) in mail.outbox[0].body


def test_it_writes_the_confirmation_in_the_registrants_language(
    public_event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register(public_event, "one@example.org", language="da")
    assert Registration.objects.get().language == "da"
    assert len(mail.outbox) == 1


def test_it_promotes_the_first_on_the_waiting_list_when_someone_cancels(
    public_event, django_capture_on_commit_callbacks
):
    first = register(public_event, "one@example.org")
    register(public_event, "two@example.org")
    waiting = register(public_event, "three@example.org")
    later = register(public_event, "four@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(first.cancel_token)
    waiting.registration.refresh_from_db()
    later.registration.refresh_from_db()
    assert waiting.registration.status == RegistrationStatus.CONFIRMED
    assert waiting.registration.promoted_at is not None
    assert later.registration.status == RegistrationStatus.WAITING
    assert [m.to for m in mail.outbox] == [["three@example.org"]]
    assert "/events/cancel/" in mail.outbox[0].body


def test_it_refuses_a_second_registration_with_the_same_email(public_event):
    register(public_event, "one@example.org")
    with pytest.raises(ValidationError) as error:
        register(public_event, "ONE@example.org ")
    assert "email" in error.value.message_dict
    assert Registration.objects.count() == 1


def test_it_accepts_a_new_registration_after_cancelling(public_event):
    first = register(public_event, "one@example.org")
    services.cancel_registration(first.cancel_token)
    again = register(public_event, "one@example.org")
    assert again.registration.status == RegistrationStatus.CONFIRMED


def test_it_refuses_registrations_after_the_deadline(alice, org_a):
    event = make_event(alice, org_a, registration_deadline=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError):
        register(event, "one@example.org")
    assert not Registration.objects.exists()


def test_it_requires_accepting_the_terms(alice, org_a):
    event = make_event(alice, org_a, terms="Data are used only during the event.")
    with pytest.raises(ValidationError) as error:
        register(event, "one@example.org", accepted_terms=False)
    assert "accepted_terms" in error.value.message_dict
    result = register(event, "one@example.org")
    assert result.registration.accepted_terms_at is not None


def test_it_keeps_only_a_digest_of_the_cancel_token(public_event):
    result = register(public_event, "one@example.org")
    assert result.registration.cancel_token_digest == hash_secret(result.cancel_token)
    assert result.cancel_token not in result.registration.cancel_token_digest
    with pytest.raises(ValidationError):
        services.cancel_registration("not-the-token")


def test_it_cancels_only_once(public_event):
    result = register(public_event, "one@example.org")
    services.cancel_registration(result.cancel_token)
    again = services.cancel_registration(result.cancel_token)
    assert again.status == RegistrationStatus.CANCELLED


def test_it_needs_the_invitation_token_for_invite_only_events(alice, org_a):
    event = make_event(alice, org_a, registration_mode=RegistrationMode.INVITE_ONLY)
    with pytest.raises(PermissionDenied):
        register(event, "one@example.org")
    with pytest.raises(PermissionDenied):
        register(event, "one@example.org", invitation_token="guess")
    result = register(event, "one@example.org", invitation_token=event.invitation_token)
    assert result.registration.status == RegistrationStatus.CONFIRMED


def test_it_does_not_let_anonymous_visitors_register_for_internal_events(internal_event):
    with pytest.raises(PermissionDenied):
        register(internal_event, "one@example.org", user=ANON)


def test_it_promotes_waiting_people_when_capacity_grows(alice, public_event):
    for n in range(4):
        register(public_event, f"p{n}@example.org")
    services.update_event(alice, public_event, capacity=3)
    counts = {
        s: public_event.registrations.filter(status=s).count()
        for s in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)
    }
    assert counts == {RegistrationStatus.CONFIRMED: 3, RegistrationStatus.WAITING: 1}


def test_it_lets_organisers_mark_attendance(alice, bob, public_event):
    result = register(public_event, "one@example.org")
    services.set_attendance(alice, result.registration, True)
    assert Registration.objects.get().attended
    with pytest.raises(PermissionDenied):
        services.set_attendance(bob, result.registration, False)


def test_it_normalises_skills():
    assert services.normalise_skills(["Data", " data ", "Law", ""]) == "Data, Law"
    assert services.normalise_skills("a, b,,a") == "a, b"
