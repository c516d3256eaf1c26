"""The demo events: the seeds' workshop and three hackathons, loaded idempotently."""

from samspil.core.demo import load_demo
from samspil.events.demo import load_events_demo
from samspil.events.models import Event, EventKind, Registration


def test_it_loads_the_workshop_and_three_hackathons_once(db):
    load_demo()
    first = load_events_demo()
    assert first.events == 4 and first.created > 4
    kinds = sorted(Event.objects.values_list("kind", flat=True))
    assert kinds.count(EventKind.HACKATHON) == 3
    assert kinds.count(EventKind.CO_CREATION_WORKSHOP) == 1
    workshop = Event.objects.get(kind=EventKind.CO_CREATION_WORKSHOP)
    backgrounds = set(workshop.registrations.values_list("background", flat=True))
    assert {"staff", "supplier", "entrepreneur", "decision_maker"} <= backgrounds
    registrations = Registration.objects.count()
    history = Event.history.count() + Registration.history.count()

    again = load_events_demo()
    assert again.created == 0
    assert Registration.objects.count() == registrations
    assert Event.history.count() + Registration.history.count() == history


def test_it_puts_the_overflow_of_a_small_hackathon_on_the_waiting_list(db):
    load_demo()
    load_events_demo()
    event = Event.objects.get(title__contains="kunstig intelligens")
    assert event.registrations.filter(status="waiting").count() == 1
    assert set(event.organisers.values_list("username", flat=True)) == {"demo"}
