"""Eight people booking the same slot at the same instant: exactly one gets it, the others
are refused as "taken" (never a 500, never two bookings).

Threads need their own connections and real commits (``transaction=True``). On PostgreSQL
the resource's row lock serialises the bookers and the exclusion constraint stands behind
it; on SQLite every write transaction is IMMEDIATE, so the check and insert run alone.
"""

import itertools
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from samspil.conftest import add_member, at_once, make_user
from samspil.hub import resource_services as services
from samspil.hub.models import ACTIVE_BOOKING_STATUSES, Booking

from .factories import at, make_resource, next_monday

THREADS = 8


@pytest.mark.django_db(transaction=True)
def test_exactly_one_of_eight_at_once_gets_the_slot(migration_rows, alice, org_a):
    room = make_resource(alice, org_a)
    people = []
    for i in range(THREADS):
        person = make_user(f"person{i}")
        add_member(person, org_a)
        people.append(person)
    day = next_monday()
    start, end = at(day, 10), at(day, 12)

    def booking_by(person):
        return lambda: services.book(person, room, start=start, end=end, purpose="Stand-up")

    outcomes = at_once([booking_by(p) for p in people])

    booked = [o for o in outcomes if isinstance(o, Booking)]
    refused = [o for o in outcomes if not isinstance(o, Booking)]
    assert len(booked) == 1, outcomes
    assert all(isinstance(o, services.SlotTaken) for o in refused), refused
    assert Booking.objects.filter(resource=room, status__in=ACTIVE_BOOKING_STATUSES).count() == 1


@pytest.mark.django_db(transaction=True)
def test_overlapping_slots_at_once_leave_no_overlap(migration_rows, alice, org_a):
    room = make_resource(alice, org_a)
    day = next_monday()
    people = []
    for i in range(THREADS):
        person = make_user(f"staggered{i}")
        add_member(person, org_a)
        people.append(person)

    def booking_by(person, i):
        start = at(day, 9) + timedelta(minutes=15 * i)
        return lambda: services.book(
            person, room, start=start, end=start + timedelta(hours=1), purpose="Planning"
        )

    outcomes = at_once([booking_by(p, i) for i, p in enumerate(people)])
    assert not [o for o in outcomes if not isinstance(o, Booking | ValidationError)], outcomes
    rows = list(
        Booking.objects.filter(resource=room, status__in=ACTIVE_BOOKING_STATUSES).order_by("start")
    )
    assert rows
    assert all(a.end <= b.start for a, b in itertools.pairwise(rows))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the constraint is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_the_database_itself_refuses_an_overlap(migration_rows, alice, bob, org_a):
    """Even a row written past the service cannot overlap on PostgreSQL; the service turns
    the constraint's error into the "taken" refusal."""
    from django.db import IntegrityError, transaction

    room = make_resource(alice, org_a)
    day = next_monday()
    services.book(bob, room, start=at(day, 10), end=at(day, 12), purpose="First")
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            resource=room,
            organisation=org_a,
            booked_by=bob,
            start=at(day, 11),
            end=at(day, 13),
            purpose="Sneaked in",
            status="confirmed",
        )
