"""iCalendar files (RFC 5545) of events, made with the icalendar library."""

from collections.abc import Iterable
from datetime import UTC

from django.conf import settings
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from .models import Event

PRODUCT_ID = "-//samspil//events//EN"
MIME_TYPE = "text/calendar"


def _site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def uid_of(event: Event) -> str:
    """Stable across edits: calendars update the entry instead of adding another."""
    return f"event-{event.uid}@samspil"


def _component(event: Event) -> CalendarEvent:
    component = CalendarEvent()
    component.add("uid", uid_of(event))
    component.add("dtstamp", event.updated_at.astimezone(UTC))
    component.add("dtstart", event.starts_at.astimezone(UTC))
    component.add("dtend", event.ends_at.astimezone(UTC))
    component.add("summary", event.title)
    if event.place:
        component.add("location", event.place)
    if event.agenda:
        component.add("description", event.agenda)
    component.add("url", _site_url() + event.get_absolute_url())
    return component


def _calendar(name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def event_ics(event: Event) -> bytes:
    calendar = _calendar()
    calendar.add("method", "PUBLISH")
    calendar.add_component(_component(event))
    return calendar.to_ical()


def feed_ics(events: Iterable[Event], name: str) -> bytes:
    calendar = _calendar(name)
    for event in events:
        calendar.add_component(_component(event))
    return calendar.to_ical()
