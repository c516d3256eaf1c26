"""The event pages, for the people who may and may not use them (Django's test client)."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from samspil.core.models import Visibility
from samspil.events.models import Event, Registration, RegistrationMode, RegistrationStatus

from .conftest import make_event, register

HTMX = {"HX-Request": "true"}


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def event_form(org, **overrides) -> dict:
    start = timezone.now() + timedelta(days=10)
    data = {
        "owner": org.pk,
        "title": "Hackathon on complaints",
        "kind": "hackathon",
        "place": "Koncern IT, databanken",
        "starts_at": local(start),
        "ends_at": local(start + timedelta(hours=8)),
        "capacity": "40",
        "registration_deadline": "",
        "registration_mode": "open",
        "visibility": "public",
        "agenda": "Data, teams, prototypes",
        "terms": "",
        "winner_count": "3",
    }
    data.update(overrides)
    return data


def registration_form(**overrides) -> dict:
    data = {
        "name": "Jonas",
        "email": "jonas@example.org",
        "organisation": "Rise Digital",
        "background": "supplier",
        "skill_choices": ["design", "data"],
        "other_skills": "UX writing",
        "accepted_terms": "on",
    }
    data.update(overrides)
    return data


# List -------------------------------------------------------------------------------------------


def test_it_lists_upcoming_and_past_events(client, alice, org_a, public_event):
    past_start = timezone.now() - timedelta(days=30)
    make_event(
        alice,
        org_a,
        "Last year showcase",
        starts_at=past_start,
        ends_at=past_start + timedelta(hours=2),
    )
    upcoming = text_of(client.get("/events/"))
    past = text_of(client.get("/events/?when=past"))
    assert public_event.title in upcoming and "Last year showcase" not in upcoming
    assert "Last year showcase" in past and public_event.title not in past


def test_it_filters_by_kind_with_htmx(client, alice, org_a, public_event):
    make_event(alice, org_a, "Big hackathon", kind="hackathon")
    response = client.get("/events/?kind=hackathon", headers=HTMX)
    assert "Big hackathon" in text_of(response)
    assert public_event.title not in text_of(response)
    assert "<html" not in response.content.decode()


def test_it_hides_internal_events_from_anonymous_visitors_in_the_list(client, internal_event):
    assert internal_event.title not in text_of(client.get("/events/"))


def test_it_lists_with_a_constant_number_of_queries(client_for, alice, org_a):
    client = client_for(alice)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/events/").status_code == 200
        return len(queries)

    for n in range(3):
        make_event(alice, org_a, f"Event {n}")
    few = count_queries()
    for n in range(3, 30):
        event = make_event(alice, org_a, f"Event {n}")
        register(event, f"p{n}@example.org")
    assert count_queries() == few


# Detail -----------------------------------------------------------------------------------------


def test_it_shows_the_detail_to_anonymous_visitors(client, public_event):
    response = client.get(f"/events/{public_event.pk}/")
    text = text_of(response)
    assert response.status_code == 200
    assert "Group work" in text and "Register" in text
    assert "History" not in text and "Edit event" not in text


def test_it_shows_organisers_history_and_participant_links(client_for, alice, public_event):
    text = text_of(client_for(alice).get(f"/events/{public_event.pk}/"))
    assert "History" in text and "Edit event" in text and "Participants" in text


def test_it_answers_404_for_internal_events_of_other_organisations(
    client, client_for, charlie, internal_event
):
    assert client.get(f"/events/{internal_event.pk}/").status_code == 404
    assert client_for(charlie).get(f"/events/{internal_event.pk}/").status_code == 404
    assert client_for(charlie).get(f"/events/{internal_event.pk}/event.ics").status_code == 404


def test_it_shows_the_invitation_link_to_organisers_only(client, client_for, alice, bob, org_a):
    event = make_event(alice, org_a, registration_mode=RegistrationMode.INVITE_ONLY)
    assert event.invitation_token in client_for(alice).get(f"/events/{event.pk}/").content.decode()
    assert (
        event.invitation_token not in client_for(bob).get(f"/events/{event.pk}/").content.decode()
    )


# Create and edit --------------------------------------------------------------------------------


def test_it_lets_innovation_leads_create_events(client_for, alice, org_a):
    response = client_for(alice).post("/events/new/", event_form(org_a))
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/events/{event.pk}/"
    assert list(event.organisers.all()) == [alice]
    assert timezone.is_aware(event.starts_at)


def test_a_link_may_name_the_kind_of_event_to_create(client_for, alice):
    client = client_for(alice)
    form = client.get("/events/new/?kind=showcase").context["form"]
    assert form["kind"].value() == "showcase"
    assert client.get("/events/new/?kind=nonsense").context["form"]["kind"].value() is None


def test_it_keeps_the_input_when_the_end_is_before_the_start(client_for, alice, org_a):
    start = timezone.now() + timedelta(days=10)
    data = event_form(org_a, ends_at=local(start - timedelta(hours=1)), starts_at=local(start))
    response = client_for(alice).post("/events/new/", data)
    assert response.status_code == 422
    assert "Hackathon on complaints" in response.content.decode()
    assert not Event.objects.exists()


def test_it_refuses_the_create_page_to_others(client, client_for, bob, charlie, dave):
    assert client.get("/events/new/").status_code == 302  # to sign in
    for person in (bob, charlie, dave):
        assert client_for(person).get("/events/new/").status_code == 403


def test_it_lets_organisers_edit_and_others_not(
    client_for, alice, bob, charlie, org_a, public_event
):
    data = event_form(org_a, title="Renamed workshop")
    del data["owner"]
    assert client_for(alice).post(f"/events/{public_event.pk}/edit/", data).status_code == 302
    assert Event.objects.get().title == "Renamed workshop"
    assert client_for(bob).get(f"/events/{public_event.pk}/edit/").status_code == 403
    assert client_for(charlie).get(f"/events/{public_event.pk}/edit/").status_code == 403


# Registration -----------------------------------------------------------------------------------


def test_it_registers_an_anonymous_visitor(
    client, public_event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/events/{public_event.pk}/register/", registration_form())
    assert response.status_code == 200
    assert "You are registered" in text_of(response)
    registration = Registration.objects.get()
    assert registration.skills == "Service design, Data analysis, UX writing"
    assert registration.language == "en"
    assert mail.outbox[0].to == ["jonas@example.org"]


def test_it_says_clearly_when_the_registrant_goes_on_the_waiting_list(client, public_event):
    register(public_event, "one@example.org")
    register(public_event, "two@example.org")
    page = text_of(client.get(f"/events/{public_event.pk}/register/"))
    assert "The event is full" in page
    response = client.post(f"/events/{public_event.pk}/register/", registration_form())
    assert "You are on the waiting list" in text_of(response)
    assert Registration.objects.get(email="jonas@example.org").status == RegistrationStatus.WAITING


def test_it_explains_a_duplicate_email_and_keeps_the_input(client, public_event):
    register(public_event, "jonas@example.org")
    response = client.post(f"/events/{public_event.pk}/register/", registration_form())
    assert response.status_code == 422
    assert "already registered" in text_of(response)
    assert 'value="Rise Digital"' in response.content.decode()


def test_it_requires_the_terms_on_the_page(client, alice, org_a):
    event = make_event(alice, org_a, terms="Use the data only here.")
    response = client.post(f"/events/{event.pk}/register/", registration_form(accepted_terms=""))
    assert response.status_code == 422
    assert "You must accept the event" in text_of(response)
    assert not Registration.objects.exists()


def test_it_says_when_registration_has_closed(client, alice, org_a):
    event = make_event(alice, org_a, registration_deadline=timezone.now() - timedelta(minutes=1))
    assert "has closed" in text_of(client.get(f"/events/{event.pk}/register/"))
    response = client.post(f"/events/{event.pk}/register/", registration_form())
    assert response.status_code == 200 and not Registration.objects.exists()


def test_it_hides_invite_only_registration_without_the_token(client, alice, org_a):
    event = make_event(alice, org_a, registration_mode=RegistrationMode.INVITE_ONLY)
    assert client.get(f"/events/{event.pk}/register/").status_code == 404
    url = f"/events/{event.pk}/register/?invitation={event.invitation_token}"
    assert client.get(url).status_code == 200
    response = client.post(
        f"/events/{event.pk}/register/",
        {**registration_form(), "invitation": event.invitation_token},
    )
    assert response.status_code == 200 and Registration.objects.count() == 1


def test_it_answers_404_for_registration_to_internal_events_of_others(client, internal_event):
    assert client.get(f"/events/{internal_event.pk}/register/").status_code == 404
    assert client.get("/events/999999/register/").status_code == 404


def test_it_cancels_through_the_secret_link(
    client, public_event, django_capture_on_commit_callbacks
):
    first = register(public_event, "one@example.org")
    register(public_event, "two@example.org")
    register(public_event, "three@example.org")
    url = f"/events/cancel/{first.cancel_token}/"
    assert "do you want to cancel" in text_of(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 200
    assert Registration.objects.get(email="three@example.org").status == "confirmed"
    assert client.get("/events/cancel/wrong-token/").status_code == 404


# Participants -----------------------------------------------------------------------------------


def test_it_shows_organisers_the_participant_list(client_for, alice, bob, charlie, public_event):
    register(public_event, "one@example.org", organisation="Rise Digital")
    assert "Rise Digital" in text_of(
        client_for(alice).get(f"/events/{public_event.pk}/participants/")
    )
    for person in (bob, charlie):
        response = client_for(person).get(f"/events/{public_event.pk}/participants/")
        assert response.status_code == 403


def test_it_answers_anonymous_participant_pages_with_sign_in(client, public_event):
    response = client.get(f"/events/{public_event.pk}/participants/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_exports_participants_as_csv_and_xlsx(client_for, alice, bob, public_event):
    register(public_event, "one@example.org", name="=HYPERLINK(1)")
    client = client_for(alice)
    csv = client.get(f"/events/{public_event.pk}/participants.csv").content.decode()
    assert "one@example.org" in csv and "'=HYPERLINK(1)" in csv
    response = client.get(f"/events/{public_event.pk}/participants.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=2).value == "one@example.org"
    assert client.get(f"/events/{public_event.pk}/participants.pdf").status_code == 404
    assert client_for(bob).get(f"/events/{public_event.pk}/participants.csv").status_code == 403


def test_it_toggles_attendance_with_htmx(client_for, alice, bob, public_event):
    registration = register(public_event, "one@example.org").registration
    url = f"/events/{public_event.pk}/participants/{registration.pk}/attendance/"
    response = client_for(alice).post(url, {"attended": "1"}, headers=HTMX)
    assert response.status_code == 200 and 'aria-pressed="true"' in response.content.decode()
    assert Registration.objects.get().attended
    assert client_for(bob).post(url, {"attended": "0"}).status_code == 403
    assert Registration.objects.get().attended


def test_it_keeps_the_participant_page_queries_constant(client_for, alice, public_event):
    client = client_for(alice)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/events/{public_event.pk}/participants/").status_code == 200
        return len(queries)

    for n in range(3):
        register(public_event, f"p{n}@example.org")
    few = count_queries()
    for n in range(3, 30):
        register(public_event, f"p{n}@example.org")
    assert count_queries() == few


# Calendar ---------------------------------------------------------------------------------------


def test_it_serves_the_public_feed_without_internal_events(client, public_event, internal_event):
    response = client.get("/events/feed.ics")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert public_event.title in body and internal_event.title not in body


def test_it_keeps_internal_events_out_of_the_feed_for_members(client_for, bob, internal_event):
    assert internal_event.title not in client_for(bob).get("/events/feed.ics").content.decode()


@pytest.mark.parametrize("visibility", [Visibility.PUBLIC])
def test_it_serves_an_ics_per_event(client, public_event, visibility):
    response = client.get(f"/events/{public_event.pk}/event.ics")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
