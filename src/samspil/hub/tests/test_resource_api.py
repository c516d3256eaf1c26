"""The API of resources and bookings: who may and may not, 201 when booked, 409 when the
slot is taken, 422 with the reason for other refusals, constant query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samspil.api.tests.test_api import assert_problem
from samspil.events.tests.test_api import get, send
from samspil.hub.models import Booking, BookingStatus, Resource

from .factories import at, book, make_resource, next_monday, pilot


def slot(day, start_hour: int, end_hour: int) -> dict:
    return {"start": at(day, start_hour).isoformat(), "end": at(day, end_hour).isoformat()}


def test_it_lists_the_resources_one_may_see(client, charlie, room):
    body = get(client, "/api/resources", charlie).json()
    assert [r["id"] for r in body["items"]] == [room.pk]
    assert body["items"][0]["opening_hours"][0] == {
        "weekday": 0,
        "opens": "08:00:00",
        "closes": "17:00:00",
    }
    assert get(client, "/api/resources").json()["count"] == 0  # shared: not anonymous
    filtered = get(client, "/api/resources", charlie, kind="project_space").json()
    assert filtered["count"] == 0
    assert_problem(get(client, "/api/resources", charlie, kind="castle"), 422)


def test_the_list_takes_the_same_queries_for_many(client, alice, org_a, room):
    with CaptureQueriesContext(connection) as one:
        get(client, "/api/resources", alice)
    for i in range(10):
        make_resource(alice, org_a, f"Room {i}")
    with CaptureQueriesContext(connection) as many:
        assert get(client, "/api/resources", alice).json()["count"] == 11
    assert len(many.captured_queries) == len(one.captured_queries)


def test_an_innovation_lead_adds_a_resource(client, alice, org_a):
    body = {
        "name": "Meeting room Sundet",
        "kind": "meeting_room",
        "location": "Bredgatan 12",
        "capacity": 8,
        "visibility": "shared",
        "opening_hours": [{"weekday": 1, "opens": "08:00", "closes": "16:00"}],
    }
    response = send(client, "/api/resources", body, alice)
    assert response.status_code == 201, response.content
    resource = Resource.objects.get(pk=response.json()["id"])
    assert resource.owner == org_a and resource.opening_hours.count() == 1


def test_it_refuses_a_resource_to_others_and_bad_input(client, bob, alice, dave):
    body = {"name": "Room", "kind": "meeting_room", "location": "Here"}
    assert_problem(send(client, "/api/resources", body, bob), 403)
    assert_problem(send(client, "/api/resources", body), 401)
    closed = assert_problem(send(client, "/api/resources", body, alice), 422)
    assert "opening_hours" in closed["errors"]
    bad_hours = {**body, "opening_hours": [{"weekday": 0, "opens": "12:00", "closes": "09:00"}]}
    assert (
        "opening_hours"
        in assert_problem(send(client, "/api/resources", bad_hours, alice), 422)["errors"]
    )
    assert_problem(send(client, "/api/resources", {**body, "kind": "castle"}, alice), 422)


def test_it_books_with_201(client, bob, room, org_a):
    day = next_monday()
    response = send(client, f"/api/resources/{room.pk}/bookings", slot(day, 9, 10), bob)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "confirmed" and body["organisation"]["id"] == org_a.pk
    assert body["ics_url"].endswith("booking.ics")


def test_it_books_for_a_pilot_and_refuses_one_not_seen(client, bob, room, org_a, org_b):
    day = next_monday()
    project = pilot(org_a)
    body = {**slot(day, 9, 10), "pilot_id": project.pk}
    response = send(client, f"/api/resources/{room.pk}/bookings", body, bob)
    assert response.status_code == 201 and response.json()["pilot_id"] == project.pk
    hidden = pilot(org_b, visibility="internal")
    body = {**slot(day, 11, 12), "pilot_id": hidden.pk}
    problem = assert_problem(send(client, f"/api/resources/{room.pk}/bookings", body, bob), 422)
    assert "pilot_id" in problem["errors"]


def test_it_answers_409_when_the_slot_is_taken(client, alice, bob, room):
    day = next_monday()
    book(alice, room, at(day, 9), at(day, 11))
    problem = assert_problem(
        send(client, f"/api/resources/{room.pk}/bookings", slot(day, 10, 12), bob), 409
    )
    assert "start" in problem["errors"]
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"start_hour": 11, "end_hour": 9}, "end"),
        ({"start_hour": 6, "end_hour": 9}, "start"),
        ({"start_hour": 9, "end_hour": 10, "people": 50}, "people"),
    ],
)
def test_it_answers_422_for_the_other_refusals(client, bob, room, body, field):
    day = next_monday()
    payload = {**slot(day, body["start_hour"], body["end_hour"])}
    if "people" in body:
        payload["people"] = body["people"]
    problem = assert_problem(send(client, f"/api/resources/{room.pk}/bookings", payload, bob), 422)
    assert field in problem["errors"]


def test_it_refuses_the_past_and_nonsense(client, bob, room):
    past = timezone_day(-3)
    problem = assert_problem(
        send(client, f"/api/resources/{room.pk}/bookings", slot(past, 9, 10), bob), 422
    )
    assert "start" in problem["errors"]
    assert_problem(send(client, f"/api/resources/{room.pk}/bookings", {"start": "soon"}, bob), 422)


def timezone_day(offset: int):
    from django.utils import timezone

    return timezone.localdate() + timedelta(days=offset)


def test_it_refuses_booking_to_those_who_may_not(client, charlie, dave, room, hall):
    day = next_monday()
    assert_problem(
        send(client, f"/api/resources/{room.pk}/bookings", slot(day, 9, 10), charlie), 403
    )
    assert_problem(send(client, f"/api/resources/{hall.pk}/bookings", slot(day, 18, 19), dave), 404)
    assert_problem(send(client, f"/api/resources/{room.pk}/bookings", slot(day, 9, 10)), 401)


def test_a_request_awaits_approval_and_the_manager_decides(client, alice, charlie, hall):
    day = next_monday()
    response = send(client, f"/api/resources/{hall.pk}/bookings", slot(day, 18, 20), charlie)
    assert response.status_code == 201 and response.json()["status"] == "requested"
    pk = response.json()["id"]
    assert_problem(send(client, f"/api/bookings/{pk}/decision", {"approve": True}, charlie), 403)
    rejected = send(client, f"/api/bookings/{pk}/decision", {"approve": False}, alice)
    assert "reason" in assert_problem(rejected, 422)["errors"]
    decided = send(client, f"/api/bookings/{pk}/decision", {"approve": True}, alice)
    assert decided.status_code == 200 and decided.json()["status"] == "confirmed"


def test_it_lists_the_bookings_one_may_see(client, alice, bob, charlie, hall):
    day = next_monday()
    mine = book(charlie, hall, at(day, 18), at(day, 19))
    book(alice, hall, at(day, 19), at(day, 20))
    assert [
        b["id"] for b in get(client, f"/api/resources/{hall.pk}/bookings", charlie).json()["items"]
    ] == [mine.pk]
    assert get(client, f"/api/resources/{hall.pk}/bookings", alice).json()["count"] == 2
    with CaptureQueriesContext(connection) as few:
        get(client, f"/api/resources/{hall.pk}/bookings", alice)
    book(alice, hall, at(day, 20), at(day, 21))
    with CaptureQueriesContext(connection) as more:
        assert get(client, f"/api/resources/{hall.pk}/bookings", alice).json()["count"] == 3
    assert len(more.captured_queries) == len(few.captured_queries)


def test_the_booker_cancels_through_the_api(client, bob, dave, room):
    day = next_monday()
    booking = book(bob, room, at(day, 9), at(day, 10))
    assert_problem(send(client, f"/api/bookings/{booking.pk}/cancel", {}, dave), 404)
    response = send(client, f"/api/bookings/{booking.pk}/cancel", {"reason": "Ill"}, bob)
    assert response.status_code == 200 and response.json()["status"] == BookingStatus.CANCELLED
    assert (
        "status"
        in assert_problem(send(client, f"/api/bookings/{booking.pk}/cancel", {}, bob), 422)[
            "errors"
        ]
    )
    assert get(client, f"/api/bookings/{booking.pk}", bob).json()["reason"] == "Ill"


def test_it_tells_the_taken_times_without_who_booked(client, alice, bob, charlie, hall):
    day = next_monday()
    book(charlie, hall, at(day, 18), at(day, 19))
    book(alice, hall, at(day, 20), at(day, 21))
    response = get(
        client, f"/api/resources/{hall.pk}/availability", bob, start=day.isoformat(), days=1
    )
    assert response.status_code == 200, response.content
    taken = response.json()["taken"]
    assert [t["awaiting_approval"] for t in taken] == [True, False]
    assert set(taken[0]) == {"start", "end", "awaiting_approval"}
    assert_problem(get(client, f"/api/resources/{hall.pk}/availability", bob, days=500), 422)
    assert_problem(get(client, f"/api/resources/{hall.pk}/availability"), 404)


def test_it_refuses_far_off_times_with_422(client, bob, room):
    body = {"start": "9999-12-31T23:00:00+00:00", "end": "9999-12-31T23:30:00+00:00"}
    problem = assert_problem(send(client, f"/api/resources/{room.pk}/bookings", body, bob), 422)
    assert "start" in problem["errors"]
    assert_problem(
        get(client, f"/api/resources/{room.pk}/availability", bob, start="9999-12-31"), 422
    )


def test_it_refuses_an_absurd_number_of_people(client, bob, org_a, alice):
    from samspil.hub.models import BookingUnit

    space = make_resource(
        alice, org_a, "Space", booking_unit=BookingUnit.PERIOD, capacity=None, opening_hours=[]
    )
    day = next_monday()
    from samspil.hub.resource_services import day_start

    body = {
        "start": day_start(day).isoformat(),
        "end": day_start(day + timedelta(days=1)).isoformat(),
        "people": 10**30,
    }
    problem = assert_problem(send(client, f"/api/resources/{space.pk}/bookings", body, bob), 422)
    assert "people" in problem["errors"]
