"""The resource pages: list with filters, the page with its calendar and booking form,
create and edit with opening hours — who may and who may not, bad input, query counts."""

from datetime import time

import pytest

from samspil.core.models import Visibility
from samspil.hub.models import (
    Booking,
    BookingStatus,
    BookingUnit,
    Resource,
    ResourceKind,
    WhoMayBook,
)

from .factories import at, book, make_resource, next_monday


@pytest.fixture
def internal_room(alice, org_a):
    return make_resource(alice, org_a, "Board room", visibility=Visibility.INTERNAL)


@pytest.fixture
def space(alice, org_a):
    return make_resource(
        alice,
        org_a,
        "Project space",
        kind=ResourceKind.PROJECT_SPACE,
        booking_unit=BookingUnit.PERIOD,
        max_booking_days=28,
        capacity=None,
        opening_hours=[],
    )


def resource_data(**overrides) -> dict:
    data = {
        "owner": "",
        "name": "Meeting room Sundet",
        "kind": ResourceKind.MEETING_ROOM,
        "location": "Bredgatan 12",
        "capacity": "8",
        "booking_unit": BookingUnit.HOUR,
        "who_may_book": WhoMayBook.MEMBERS,
        "visibility": Visibility.SHARED,
        "active": "on",
        "opens_0": "08:00",
        "closes_0": "16:00",
        "opens_2": "09:00",
        "closes_2": "12:00",
    }
    data.update(overrides)
    return data


# List ------------------------------------------------------------------------------------------


def test_it_lists_the_resources_a_visitor_may_see(client, room, internal_room, charlie, client_for):
    page = client.get("/hub/resources/")
    assert page.status_code == 200
    assert room.name not in page.content.decode()  # shared: not for anonymous visitors
    content = client_for(charlie).get("/hub/resources/").content.decode()
    assert f"resource-row-{room.pk}" in content
    assert f"resource-row-{internal_room.pk}" not in content


def test_it_filters_by_kind_and_who_may_book(client_for, alice, room, space):
    client = client_for(alice)
    content = client.get("/hub/resources/", {"kind": "project_space"}).content.decode()
    assert f"resource-row-{space.pk}" in content and f"resource-row-{room.pk}" not in content
    content = client.get("/hub/resources/", {"who_may_book": "everyone"}).content.decode()
    assert f"resource-row-{space.pk}" not in content and f"resource-row-{room.pk}" not in content
    rows = client.get("/hub/resources/", {"kind": "bogus"}, headers={"HX-Request": "true"})
    assert rows.status_code == 200


def test_the_list_takes_the_same_queries_for_many_resources(
    client_for, alice, org_a, django_assert_max_num_queries
):
    client = client_for(alice)
    make_resource(alice, org_a, "One")
    with django_assert_max_num_queries(12) as few:
        client.get("/hub/resources/")
    for i in range(15):
        make_resource(alice, org_a, f"Room {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/hub/resources/").status_code == 200


# Resource page ---------------------------------------------------------------------------------


def test_it_shows_the_resource_with_its_week_and_booking_form(client_for, bob, room):
    day = next_monday()
    book(bob, room, at(day, 9), at(day, 11))
    page = client_for(bob).get(room.get_absolute_url(), {"week": day.isoformat()})
    assert page.status_code == 200
    content = page.content.decode()
    assert 'id="resource-calendar-table"' in content and f'data-week="{day.isoformat()}"' in content
    assert f'data-state="booked" data-start="{day.isoformat()}T09:00"' in content
    assert 'id="booking-form"' in content


def test_it_shows_a_month_for_a_period_resource(client_for, bob, space):
    page = client_for(bob).get(space.get_absolute_url(), {"month": "2030-02-10"})
    assert 'data-month="2030-02"' in page.content.decode()
    assert client_for(bob).get(space.get_absolute_url(), {"month": "nonsense"}).status_code == 200


def test_it_hides_an_internal_resource_and_the_form_from_those_who_may_not_book(
    client, client_for, charlie, room, internal_room
):
    assert client_for(charlie).get(internal_room.get_absolute_url()).status_code == 404
    content = client_for(charlie).get(room.get_absolute_url()).content.decode()
    assert 'id="booking-form"' not in content and 'id="resource-not-for-you"' in content
    client.logout()
    assert client.get(room.get_absolute_url()).status_code == 404


def test_the_resource_page_takes_the_same_queries_for_many_bookings(
    client_for, bob, room, django_assert_max_num_queries
):
    client = client_for(bob)
    day = next_monday()
    book(bob, room, at(day, 8), at(day, 9))
    with django_assert_max_num_queries(30) as few:
        client.get(room.get_absolute_url())
    for hour in range(9, 16):
        book(bob, room, at(day, hour), at(day, hour + 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(room.get_absolute_url()).status_code == 200


# Booking from the page -------------------------------------------------------------------------


def test_it_books_from_the_page(client_for, bob, room):
    day = next_monday()
    response = client_for(bob).post(
        f"/hub/resources/{room.pk}/book/",
        {
            "start": f"{day.isoformat()}T10:00",
            "end": f"{day.isoformat()}T11:30",
            "people": "4",
            "purpose": "Sprint review",
            "organisation": room.owner_id,
        },
    )
    booking = Booking.objects.get()
    assert response.status_code == 302 and response.url == booking.get_absolute_url()
    assert booking.status == BookingStatus.CONFIRMED and booking.people == 4


def test_it_books_a_period_by_days_from_the_page(client_for, bob, space):
    first = next_monday()
    response = client_for(bob).post(
        f"/hub/resources/{space.pk}/book/",
        {
            "start": first.isoformat(),
            "end": first.isoformat(),
            "purpose": "Guide Helsingborg",
            "organisation": space.owner_id,
        },
    )
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.end - booking.start).days == 1


@pytest.mark.parametrize(
    ("start", "end", "people", "field"),
    [
        ("10:00", "09:00", "2", "end"),
        ("06:00", "08:00", "2", "start"),
        ("09:00", "10:00", "99", "people"),
        ("", "10:00", "2", "start"),
        ("soon", "10:00", "2", "start"),
    ],
)
def test_it_refuses_bad_bookings_keeping_the_input(
    client_for, bob, room, start, end, people, field
):
    day = next_monday().isoformat()
    data = {
        "start": f"{day}T{start}" if ":" in start else start,
        "end": f"{day}T{end}",
        "people": people,
        "purpose": "Typed purpose",
        "organisation": room.owner_id,
    }
    response = client_for(bob).post(f"/hub/resources/{room.pk}/book/", data)
    assert response.status_code == 422
    content = response.content.decode()
    assert f'id="booking_{field}_error"' in content
    assert 'value="Typed purpose"' in content
    assert not Booking.objects.exists()


def test_it_refuses_a_taken_slot_on_the_page(client_for, alice, bob, room):
    day = next_monday()
    book(alice, room, at(day, 9), at(day, 11))
    response = client_for(bob).post(
        f"/hub/resources/{room.pk}/book/",
        {
            "start": f"{day.isoformat()}T10:00",
            "end": f"{day.isoformat()}T12:00",
            "purpose": "Late",
            "organisation": room.owner_id,
        },
    )
    assert response.status_code == 422 and 'id="booking_start_error"' in response.content.decode()
    assert Booking.objects.count() == 1


def test_it_refuses_booking_to_those_who_may_not(client, client_for, charlie, room):
    url = f"/hub/resources/{room.pk}/book/"
    assert client_for(charlie).post(url, {}).status_code == 403
    client.logout()
    assert client.post(url, {}).status_code == 302  # to the login


# Create and edit -------------------------------------------------------------------------------


def test_an_innovation_lead_creates_a_resource_with_opening_hours(client_for, alice, org_a):
    client = client_for(alice)
    assert client.get("/hub/resources/new/").status_code == 200
    response = client.post("/hub/resources/new/", resource_data(owner=org_a.pk))
    resource = Resource.objects.get()
    assert response.status_code == 302 and response.url == resource.get_absolute_url()
    hours = list(resource.opening_hours.values_list("weekday", "opens", "closes"))
    assert hours == [(0, time(8), time(16)), (2, time(9), time(12))]


def test_it_refuses_a_bad_resource_keeping_the_input(client_for, alice, org_a):
    response = client_for(alice).post(
        "/hub/resources/new/",
        resource_data(owner=org_a.pk, location="", closes_0="07:00", opens_3="10:00"),
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert 'id="id_location_error"' in content and 'id="id_closes_3_error"' in content
    assert 'value="Meeting room Sundet"' in content
    assert not Resource.objects.exists()
    response = client_for(alice).post(
        "/hub/resources/new/", resource_data(owner=org_a.pk, closes_0="07:00")
    )
    assert response.status_code == 422 and not Resource.objects.exists()


def test_only_managers_create_and_edit(client_for, bob, charlie, room):
    assert client_for(bob).get("/hub/resources/new/").status_code == 403
    assert client_for(bob).get(f"/hub/resources/{room.pk}/edit/").status_code == 403
    assert client_for(charlie).get(f"/hub/resources/{room.pk}/edit/").status_code == 403


def test_the_manager_edits_the_resource(client_for, alice, room):
    client = client_for(alice)
    assert client.get(f"/hub/resources/{room.pk}/edit/").status_code == 200
    data = resource_data(name="Meeting room Kärnan", capacity="14")
    del data["owner"]
    response = client.post(f"/hub/resources/{room.pk}/edit/", data)
    assert response.status_code == 302
    room.refresh_from_db()
    assert room.capacity == 14 and room.opening_hours.count() == 2


# The hub's panel -------------------------------------------------------------------------------


def test_the_hubs_page_lists_its_resources_and_the_new_form_takes_the_hub(
    client_for, alice, org_a, django_assert_max_num_queries
):
    from samspil.hub.models import Hub

    hub = Hub.objects.create(owner=org_a, name="Arby hub", visibility=Visibility.PUBLIC)
    room = make_resource(alice, org_a, "Hub room", hub=hub)
    make_resource(alice, org_a, "Elsewhere")
    client = client_for(alice)
    content = client.get(hub.get_absolute_url()).content.decode()
    assert f'id="hub-resource-{room.pk}"' in content and "Elsewhere" not in content
    assert 'id="hub-resource-create"' in content
    form = client.get("/hub/resources/new/", {"hub": hub.pk}).content.decode()
    assert f'<option value="{hub.pk}" selected>' in form


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
def test_it_refuses_far_off_days_without_an_error_page(client_for, bob, space, room, value):
    response = client_for(bob).post(
        f"/hub/resources/{space.pk}/book/",
        {"start": value, "end": value, "purpose": "Far", "organisation": space.owner_id},
    )
    assert response.status_code == 422
    response = client_for(bob).post(
        f"/hub/resources/{room.pk}/book/",
        {
            "start": f"{value}T10:00",
            "end": f"{value}T11:00",
            "purpose": "Far",
            "organisation": room.owner_id,
        },
    )
    assert response.status_code == 422
