"""Registrations arriving at the same instant: the row lock on the event keeps the last seat
for one of them, and a repeated e-mail address is refused with a ValidationError, not a 500.

Threads need real connections and commits, so the concurrent tests run on PostgreSQL
(``transaction=True``); SQLite serialises writers on the whole file, so there the same
rules are checked one registration after another.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from samspil.browser_testing import restore_migration_rows
from samspil.events.models import Registration, RegistrationStatus

from .conftest import make_event, register

THREADS = 8

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite has no row locks and serialises writers on the file",
)


def at_once(calls) -> list:
    """Run each call in its own thread, all released together; their results or errors."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[i] = calls[i]()
        except Exception as error:  # the test inspects every outcome
            outcomes[i] = error
        finally:
            connection.close()  # each thread has its own connection; the test database is dropped

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


@pytest.fixture
def migration_rows(transactional_db):
    """An earlier transactional test's flush also removed the roles alice needs."""
    restore_migration_rows()


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
