"""Booking through the services: who may book, the refusals with their reasons, approval,
cancellation, notifications and linking an event."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samspil.core.models import Notification
from samspil.hub import resource_services as services
from samspil.hub.models import Booking, BookingStatus, BookingUnit, ResourceKind

from .factories import OFFICE_HOURS, at, book, make_event, make_resource, next_monday, pilot


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
        requires_approval=True,
        opening_hours=[],
    )


# Resources -------------------------------------------------------------------------------------


def test_it_creates_a_resource_with_its_opening_hours(room, org_a):
    assert room.owner == org_a
    hours = list(room.opening_hours.values_list("weekday", "opens", "closes"))
    assert hours == OFFICE_HOURS


def test_it_lets_only_the_owners_innovation_leads_and_admins_create(bob, erin, charlie, org_a):
    with pytest.raises(PermissionDenied):
        make_resource(bob, org_a)
    with pytest.raises(PermissionDenied):
        make_resource(charlie, org_a)
    assert make_resource(erin, org_a).pk


def test_it_refuses_bad_resources_with_reasons(alice, org_a):
    with pytest.raises(ValidationError) as refused:
        make_resource(
            alice,
            org_a,
            name=" ",
            capacity=0,
            max_booking_days=0,
            opening_hours=[(0, time(12), time(9))],
        )
    assert set(refused.value.message_dict) == {
        "name",
        "capacity",
        "max_booking_days",
        "opening_hours",
    }
    with pytest.raises(ValidationError) as overlapping:
        make_resource(alice, org_a, opening_hours=[(0, time(8), time(12)), (0, time(11), time(14))])
    assert "opening_hours" in overlapping.value.message_dict
    with pytest.raises(ValidationError) as closed:
        make_resource(alice, org_a, opening_hours=[])
    assert "opening_hours" in closed.value.message_dict


def test_it_updates_a_resource_and_replaces_its_hours(alice, bob, room):
    services.update_resource(alice, room, capacity=12, opening_hours=[(5, time(9), time(13))])
    room.refresh_from_db()
    assert room.capacity == 12
    assert list(room.opening_hours.values_list("weekday", flat=True)) == [5]
    with pytest.raises(PermissionDenied):
        services.update_resource(bob, room, capacity=3)


# Booking ---------------------------------------------------------------------------------------


def test_it_confirms_a_booking_without_approval_at_once(bob, room, org_a):
    day = next_monday()
    booking = book(bob, room, at(day, 9), at(day, 11), people=6)
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.organisation == org_a and booking.booked_by == bob


def test_it_refuses_an_overlapping_booking_as_taken(bob, alice, room):
    day = next_monday()
    book(bob, room, at(day, 9), at(day, 11))
    with pytest.raises(services.SlotTaken) as refused:
        book(alice, room, at(day, 10), at(day, 12))
    assert list(refused.value.message_dict) == ["start"]
    assert book(alice, room, at(day, 11), at(day, 12)).status == BookingStatus.CONFIRMED


@pytest.mark.parametrize(
    ("start", "end", "people", "field"),
    [
        ((0, 11), (0, 9), None, "end"),  # end before start
        ((0, 6), (0, 9), None, "start"),  # before opening
        ((5, 10), (5, 11), None, "start"),  # Saturday: closed
        ((0, 9), (0, 10), 11, "people"),  # over capacity
        ((0, 9), (1, 10), None, "end"),  # longer than a day
    ],
)
def test_it_refuses_bad_bookings_with_a_reason_on_the_field(bob, room, start, end, people, field):
    room.max_booking_days = 1
    room.save()
    day = next_monday()
    begin = at(day + timedelta(days=start[0]), start[1])
    finish = at(day + timedelta(days=end[0]), end[1])
    with pytest.raises(ValidationError) as refused:
        book(bob, room, begin, finish, people=people)
    assert not isinstance(refused.value, services.SlotTaken)
    assert field in refused.value.message_dict
    assert not Booking.objects.exists()


def test_it_refuses_a_past_booking(bob, room):
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        book(bob, room, at(yesterday, 9), at(yesterday, 10))
    assert "start" in refused.value.message_dict


def test_it_lets_only_those_the_resource_allows_book(charlie, dave, room, hall, org_b):
    day = next_monday()
    with pytest.raises(PermissionDenied):
        book(charlie, room, at(day, 9), at(day, 10))  # members of A only
    with pytest.raises(PermissionDenied):
        book(dave, hall, at(day, 18), at(day, 19))  # public sector only
    booking = book(charlie, hall, at(day, 18), at(day, 19))
    assert booking.organisation == org_b and booking.status == BookingStatus.REQUESTED


def test_it_refuses_booking_for_an_organisation_not_allowed(bob, room, org_b):
    day = next_monday()
    with pytest.raises(ValidationError) as refused:
        book(bob, room, at(day, 9), at(day, 10), organisation=org_b)
    assert "organisation" in refused.value.message_dict


def test_it_refuses_an_inactive_resource(bob, room):
    room.active = False
    room.save()
    day = next_monday()
    with pytest.raises(PermissionDenied):
        book(bob, room, at(day, 9), at(day, 10))


def test_it_books_a_period_by_whole_days(bob, space):
    first = next_monday()
    booking = book(
        bob, space, services.day_start(first), services.day_start(first + timedelta(days=21))
    )
    assert booking.status == BookingStatus.REQUESTED
    with pytest.raises(ValidationError) as too_long:
        book(
            bob,
            space,
            services.day_start(first + timedelta(days=30)),
            services.day_start(first + timedelta(days=60)),
        )
    assert "end" in too_long.value.message_dict
    with pytest.raises(ValidationError) as not_whole:
        book(bob, space, at(first + timedelta(days=30), 9), at(first + timedelta(days=31), 9))
    assert "start" in not_whole.value.message_dict


def test_a_project_space_is_booked_for_a_pilot_of_the_booking_organisation(
    bob, space, org_a, org_b
):
    first = next_monday()
    project = pilot(org_a)
    booking = services.book(
        bob,
        space,
        start=services.day_start(first),
        end=services.day_start(first + timedelta(days=14)),
        purpose="Project room for the resource site",
        pilot=project,
    )
    assert booking.pilot == project
    later = first + timedelta(days=20)
    for wrong in (pilot(org_b, title="Another city's pilot"), pilot(org_b, visibility="internal")):
        with pytest.raises(ValidationError) as refused:
            services.book(
                bob,
                space,
                start=services.day_start(later),
                end=services.day_start(later + timedelta(days=1)),
                purpose="Project room",
                pilot=wrong,
            )
        assert "pilot" in refused.value.message_dict
    assert Booking.objects.filter(resource=space).count() == 1


def test_a_request_holds_the_slot_until_rejected_or_cancelled(alice, bob, charlie, hall):
    day = next_monday()
    request = book(charlie, hall, at(day, 18), at(day, 20))
    with pytest.raises(services.SlotTaken):
        book(bob, hall, at(day, 19), at(day, 21))
    services.decide_booking(alice, request, approve=False, reason="The hall is being painted.")
    freed = book(bob, hall, at(day, 19), at(day, 21))
    services.cancel_booking(bob, freed)
    assert book(charlie, hall, at(day, 18), at(day, 21)).pk


# Approval and cancellation ---------------------------------------------------------------------


def test_it_tells_the_managers_of_a_request_and_the_booker_of_the_decision(
    alice, erin, charlie, hall
):
    day = next_monday()
    booking = book(charlie, hall, at(day, 18), at(day, 20))
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"alice", "erin"}
    services.decide_booking(alice, booking, approve=True)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and booking.decided_by == alice
    assert Notification.objects.filter(recipient=charlie).count() == 1


def test_it_needs_a_reason_to_reject_and_a_request_to_decide(alice, charlie, bob, hall, room):
    day = next_monday()
    booking = book(charlie, hall, at(day, 18), at(day, 20))
    with pytest.raises(ValidationError) as refused:
        services.decide_booking(alice, booking, approve=False, reason=" ")
    assert "reason" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.decide_booking(bob, booking, approve=True)
    confirmed = book(bob, room, at(day, 9), at(day, 10))
    with pytest.raises(ValidationError) as not_requested:
        services.decide_booking(alice, confirmed, approve=True)
    assert "status" in not_requested.value.message_dict


def test_a_manager_books_without_approval(alice, hall):
    day = next_monday()
    assert book(alice, hall, at(day, 18), at(day, 19)).status == BookingStatus.CONFIRMED


def test_the_booker_or_a_manager_cancels(alice, bob, charlie, hall):
    day = next_monday()
    booking = book(charlie, hall, at(day, 18), at(day, 20))
    with pytest.raises(PermissionDenied):
        services.cancel_booking(bob, booking)
    services.cancel_booking(alice, booking, reason="Double-booked by the school.")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert Notification.objects.filter(recipient=charlie).exists()
    with pytest.raises(ValidationError) as again:
        services.cancel_booking(charlie, booking)
    assert "status" in again.value.message_dict


def test_it_does_not_cancel_a_booking_that_has_ended(bob, room):
    booking = book(bob, room, at(next_monday(), 9), at(next_monday(), 10))
    Booking.objects.filter(pk=booking.pk).update(
        start=timezone.now() - timedelta(days=3), end=timezone.now() - timedelta(days=3, hours=-1)
    )
    booking.refresh_from_db()
    with pytest.raises(ValidationError):
        services.cancel_booking(bob, booking)


# Events ----------------------------------------------------------------------------------------


def test_an_event_takes_its_place_from_a_confirmed_booking(alice, hall, org_a):
    event = make_event(org_a)
    day = next_monday()
    booking = book(alice, hall, at(day, 17), at(day, 22))
    services.link_event(alice, booking, event)
    event.refresh_from_db()
    assert booking.event == event
    assert event.place == f"{hall.name}, {hall.location}"


def test_it_links_only_events_the_booker_organises_of_the_booking_organisation(
    alice, bob, charlie, hall, org_a, org_b
):
    day = next_monday()
    own = book(alice, hall, at(day, 17), at(day, 22))
    with pytest.raises(ValidationError) as other_org:
        services.link_event(alice, own, make_event(org_b))
    assert "event" in other_org.value.message_dict
    requested = book(
        charlie, hall, at(day + timedelta(days=1), 17), at(day + timedelta(days=1), 18)
    )
    with pytest.raises(PermissionDenied):
        services.link_event(charlie, requested, make_event(org_b))  # not confirmed yet
    with pytest.raises(PermissionDenied):
        services.link_event(bob, own, make_event(org_a))  # not the booker


def test_a_member_above_the_owner_books_for_their_own_organisation(
    alice, bob, org_a, org_a_department
):
    """A department's members-only room: the municipality's staff (above it) may book it,
    for the municipality."""
    room = make_resource(alice, org_a_department, "Department room")
    day = next_monday()
    booking = book(bob, room, at(day, 9), at(day, 10))
    assert booking.organisation == org_a
