"""Registrations arriving at the same instant: the row lock on the event keeps the last seat
for one of them, and a repeated e-mail address is refused with a ValidationError, not a 500.

Threads need real connections and commits, so the concurrent tests run on PostgreSQL
(``transaction=True``); SQLite serialises writers on the whole file, so there the same
rules are checked one registration after another.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from samspil.conftest import at_once
from samspil.events.models import Registration, RegistrationStatus

from .conftest import make_event, register

THREADS = 8

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite has no row locks and serialises writers on the file",
)


def statuses(event) -> list[str]:
    return sorted(Registration.objects.filter(event=event).values_list("status", flat=True))


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_it_gives_the_last_seat_to_exactly_one_of_many_at_once(migration_rows, alice, org_a):
    event = make_event(alice, org_a, "One seat", capacity=1)
    calls = [(lambda i=i: register(event, f"person{i}@example.org")) for i in range(THREADS)]
    outcomes = at_once(calls)
    assert [o for o in outcomes if isinstance(o, Exception)] == []
    assert sum(not o.waiting for o in outcomes) == 1
    assert statuses(event) == [RegistrationStatus.CONFIRMED] + [RegistrationStatus.WAITING] * (
        THREADS - 1
    )


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_it_refuses_the_same_address_twice_at_once(migration_rows, alice, org_a):
    event = make_event(alice, org_a, "One seat", capacity=1)
    outcomes = at_once([lambda: register(event, "same@example.org")] * 2)
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], ValidationError)
    assert "email" in refused[0].message_dict
    assert Registration.objects.filter(event=event, email="same@example.org").count() == 1


def test_it_keeps_the_same_rules_one_after_another(alice, org_a):
    event = make_event(alice, org_a, "One seat", capacity=1)
    results = [register(event, f"person{i}@example.org") for i in range(THREADS)]
    assert [r.waiting for r in results] == [False] + [True] * (THREADS - 1)
    with pytest.raises(ValidationError) as refused:
        register(event, "PERSON0@example.org")
    assert "email" in refused.value.message_dict
    assert statuses(event) == [RegistrationStatus.CONFIRMED] + [RegistrationStatus.WAITING] * (
        THREADS - 1
    )
