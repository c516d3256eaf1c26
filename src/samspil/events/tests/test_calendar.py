"""The .ics files: stable UID, UTC times, summary, place, description and address."""

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from samspil.events import calendar, services

from .conftest import make_event


def only_event(content: bytes):
    return next(iter(Calendar.from_ical(content).walk("VEVENT")))


def test_it_writes_the_event_in_utc_with_a_stable_uid(alice, org_a, settings):
    settings.SITE_URL = "https://samspil.example"
    start = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    event = make_event(alice, org_a, starts_at=start, ends_at=start + timedelta(hours=3))
    raw = calendar.event_ics(event).decode()
    assert "DTSTART:20261203T090000Z" in raw
    assert "DTEND:20261203T120000Z" in raw
    component = only_event(calendar.event_ics(event))
    assert str(component["SUMMARY"]) == event.title
    assert str(component["LOCATION"]) == event.place
    assert "Group work" in str(component["DESCRIPTION"])
    assert str(component["URL"]) == f"https://samspil.example/events/{event.pk}/"
    uid = str(component["UID"])
    services.update_event(alice, event, title="Renamed")
    assert str(only_event(calendar.event_ics(event))["UID"]) == uid


def test_it_makes_a_feed_of_several_events(alice, org_a):
    events = [make_event(alice, org_a, f"Event {n}") for n in range(3)]
    feed = Calendar.from_ical(calendar.feed_ics(events, "samspil"))
    assert [str(c["SUMMARY"]) for c in feed.walk("VEVENT")] == ["Event 0", "Event 1", "Event 2"]
