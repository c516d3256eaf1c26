"""The booking pages: the bookings list, one booking with approval, cancellation, its event
and its .ics — who may and who may not, bad input, query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.formats import date_format
from icalendar import Calendar

from samspil.hub.models import Booking, BookingStatus, BookingUnit, ResourceKind
from samspil.hub.resource_services import day_start
from samspil.hub.templatetags.hub_resources import booking_end, booking_start

from .factories import at, book, make_event, make_resource, next_monday, pilot


@pytest.fixture
def request_by_charlie(charlie, hall):
    day = next_monday()
    return book(charlie, hall, at(day, 18), at(day, 20), purpose="Choir evening")


def test_the_booker_and_the_managers_see_a_booking_others_do_not(
    client_for, alice, bob, charlie, dave, request_by_charlie
):
    url = request_by_charlie.get_absolute_url()
    assert client_for(charlie).get(url).status_code == 200
    page = client_for(alice).get(url)
    assert page.status_code == 200 and 'id="booking-decide-form"' in page.content.decode()
    assert client_for(dave).get(url).status_code == 404
    assert client_for(bob).get(url).status_code == 404  # A's member, but not a manager


def test_the_manager_approves_and_the_booker_is_told(
    client_for, alice, charlie, request_by_charlie
):
    url = f"/hub/resources/bookings/{request_by_charlie.pk}/decide/"
    response = client_for(alice).post(url, {"decision": "approve", "reason": ""})
    assert response.status_code == 302
    request_by_charlie.refresh_from_db()
    assert request_by_charlie.status == BookingStatus.CONFIRMED
    assert charlie.notifications.count() == 1


def test_a_rejection_needs_a_reason_and_keeps_the_page(client_for, alice, request_by_charlie):
    url = f"/hub/resources/bookings/{request_by_charlie.pk}/decide/"
    response = client_for(alice).post(url, {"decision": "reject", "reason": ""})
    assert response.status_code == 422 and 'id="decision_reason_error"' in response.content.decode()
    response = client_for(alice).post(url, {"decision": "reject", "reason": "Exams in the hall"})
    assert response.status_code == 302
    request_by_charlie.refresh_from_db()
    assert request_by_charlie.status == BookingStatus.REJECTED
    assert request_by_charlie.reason == "Exams in the hall"


def test_only_managers_decide(client_for, charlie, request_by_charlie):
    url = f"/hub/resources/bookings/{request_by_charlie.pk}/decide/"
    assert client_for(charlie).post(url, {"decision": "approve"}).status_code == 403
    assert client_for(charlie).get(url).status_code == 405


def test_the_booker_cancels_and_others_may_not(client_for, bob, dave, charlie, request_by_charlie):
    url = f"/hub/resources/bookings/{request_by_charlie.pk}/cancel/"
    assert client_for(dave).post(url).status_code == 404
    assert client_for(charlie).post(url, {"reason": ""}).status_code == 302
    request_by_charlie.refresh_from_db()
    assert request_by_charlie.status == BookingStatus.CANCELLED
    again = client_for(charlie).post(url, {"reason": ""})
    assert again.status_code == 403 or again.status_code == 422


def test_it_gives_the_booking_as_ics(client, client_for, charlie, request_by_charlie, hall):
    url = f"/hub/resources/bookings/{request_by_charlie.pk}/booking.ics"
    response = client_for(charlie).get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["location"]) == f"{hall.name}, {hall.location}"
    assert event["dtstart"].dt == request_by_charlie.start
    assert str(event["status"]) == "TENTATIVE"
    client.logout()
    assert client.get(url).status_code == 404


def test_the_booker_links_an_event_and_it_takes_the_place(client_for, alice, hall, org_a):
    day = next_monday()
    booking = book(alice, hall, at(day, 17), at(day, 22))
    event = make_event(org_a)
    client = client_for(alice)
    assert 'id="booking-event-form"' in client.get(booking.get_absolute_url()).content.decode()
    response = client.post(f"/hub/resources/bookings/{booking.pk}/event/", {"event": event.pk})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.place.startswith(hall.name)
    bad = client.post(f"/hub/resources/bookings/{booking.pk}/event/", {"event": "nonsense"})
    assert bad.status_code == 422 and 'id="link_event_error"' in bad.content.decode()


def test_linking_is_for_the_booker_of_a_confirmed_booking(client_for, charlie, request_by_charlie):
    url = f"/hub/resources/bookings/{request_by_charlie.pk}/event/"
    assert client_for(charlie).post(url, {"event": 1}).status_code == 403


def test_the_bookings_page_lists_requests_to_decide(
    client_for, alice, charlie, request_by_charlie, django_assert_max_num_queries
):
    page = client_for(alice).get("/hub/resources/bookings/")
    content = page.content.decode()
    assert f"bookings-awaiting-table-{request_by_charlie.pk}" in content
    own = client_for(charlie).get("/hub/resources/bookings/").content.decode()
    assert f"bookings-table-{request_by_charlie.pk}" in own
    assert "bookings-awaiting-table" not in own


def test_the_bookings_page_takes_the_same_queries_for_many(
    client_for, charlie, hall, django_assert_max_num_queries
):
    client = client_for(charlie)
    day = next_monday()
    book(charlie, hall, at(day, 17), at(day, 18))
    with django_assert_max_num_queries(20) as few:
        client.get("/hub/resources/bookings/")
    for hour in range(18, 22):
        book(charlie, hall, at(day, hour), at(day, hour + 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/hub/resources/bookings/").status_code == 200
    assert Booking.objects.count() == 5


def test_the_bookings_page_is_for_signed_in_people(client):
    assert client.get("/hub/resources/bookings/").status_code == 302


def test_a_period_booking_shows_its_first_and_last_day(client_for, alice, bob, org_a):
    space = make_resource(
        alice,
        org_a,
        "Project space",
        kind=ResourceKind.PROJECT_SPACE,
        booking_unit=BookingUnit.PERIOD,
        opening_hours=[],
    )
    first = next_monday()
    booking = book(bob, space, day_start(first), day_start(first + timedelta(days=3)))
    assert booking_start(booking) == date_format(first, "SHORT_DATE_FORMAT")
    assert booking_end(booking) == date_format(first + timedelta(days=2), "SHORT_DATE_FORMAT")
    content = client_for(bob).get(booking.get_absolute_url()).content.decode()
    assert booking_end(booking) in content


def test_a_project_space_is_booked_for_a_pilot_on_the_page(client_for, alice, bob, org_a, org_b):
    space = make_resource(
        alice,
        org_a,
        "Project space",
        kind=ResourceKind.PROJECT_SPACE,
        booking_unit=BookingUnit.PERIOD,
        opening_hours=[],
    )
    project, other = pilot(org_a), pilot(org_b, title="Another city's pilot")
    client = client_for(bob)
    form = client.get(space.get_absolute_url()).content.decode()
    assert f'value="{project.pk}"' in form and f'value="{other.pk}"' not in form
    first = next_monday()
    body = {
        "start": first.isoformat(),
        "end": (first + timedelta(days=13)).isoformat(),
        "purpose": "Project room",
        "organisation": org_a.pk,
        "pilot": other.pk,
    }
    refused = client.post(reverse("hub:resource-book", args=[space.pk]), body)
    assert refused.status_code == 422 and "Project room" in refused.content.decode()
    assert list(refused.context["booking_form"].errors) == ["pilot"]
    response = client.post(
        reverse("hub:resource-book", args=[space.pk]), {**body, "pilot": project.pk}
    )
    assert response.status_code == 302, response.context["booking_form"].errors
    booking = Booking.objects.get(resource=space)
    assert response.status_code == 302 and booking.pilot == project
    page = client.get(booking.get_absolute_url()).content.decode()
    assert project.get_absolute_url() in page
