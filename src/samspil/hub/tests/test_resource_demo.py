"""The demo resources and bookings: Helsingborg's hub with its project space, rooms, the
city's school hall and a VR kit, loaded idempotently and keeping the booking rules."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from samspil.conftest import demo_loaded
from samspil.core.demo import load_demo
from samspil.core.models import User
from samspil.hub import resource_services as services
from samspil.hub.demo import HUB_NAME, HUB_OWNER
from samspil.hub.models import (
    ACTIVE_BOOKING_STATUSES,
    Booking,
    BookingStatus,
    Hub,
    OpeningHours,
    Resource,
)
from samspil.hub.resource_demo import (
    BOOKINGS,
    PROJECT_SPACE,
    RESOURCES,
    SCHOOL_HALL,
    ResourceLoadCounts,
    base_monday,
    load_resource_demo,
)
from samspil.needs.demo import load_needs_demo
from samspil.pilots.demo import load_pilots_demo

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    with demo_loaded(
        django_db_blocker, load_demo, load_needs_demo, load_pilots_demo, load_resource_demo
    ) as counts:
        yield counts


@pytest.fixture
def loaded(db, demo_data) -> ResourceLoadCounts:
    return demo_data


def counts() -> tuple[int, ...]:
    return (
        Hub.objects.count(),
        Resource.objects.count(),
        OpeningHours.objects.count(),
        Booking.objects.count(),
        Resource.history.count(),
        Booking.history.count(),
    )


def test_it_changes_nothing_when_run_again(loaded):
    assert loaded.resources == len(RESOURCES) and loaded.bookings == len(BOOKINGS)
    assert loaded.created == len(RESOURCES) + len(BOOKINGS)
    before = counts()
    again = load_resource_demo()
    assert again.created == 0 and counts() == before


def test_it_puts_the_hubs_resources_in_the_hub_made_once(loaded):
    hub = Hub.objects.get(owner__slug=HUB_OWNER, name=HUB_NAME)
    assert Hub.objects.count() == 1
    in_hub = set(Resource.objects.filter(hub=hub).values_list("name", flat=True))
    assert PROJECT_SPACE.name in in_hub and SCHOOL_HALL.name not in in_hub


def test_every_booking_keeps_the_rules_and_none_overlap(loaded):
    for booking in Booking.objects.select_related("resource"):
        resource = Resource.objects.prefetch_related("opening_hours").get(pk=booking.resource_id)
        others = [
            services.rules.Interval(services.local_naive(b.start), services.local_naive(b.end))
            for b in Booking.objects.filter(
                resource=resource, status__in=ACTIVE_BOOKING_STATUSES
            ).exclude(pk=booking.pk)
        ]
        problems = services.check_booking(
            resource, booking.start, booking.end, people=booking.people, taken=others
        )
        assert problems == [], (booking, problems)


def test_the_school_hall_is_for_public_organisations_in_the_evenings(loaded):
    hall = Resource.objects.get(name=SCHOOL_HALL.name)
    weekdays = hall.opening_hours.filter(weekday__lt=5)
    assert weekdays.count() == 5 and all(h.opens.hour >= 17 for h in weekdays)
    assert hall.who_may_book == "public_sector" and hall.requires_approval
    requested = Booking.objects.get(resource=hall, status=BookingStatus.REQUESTED)
    assert requested.organisation.slug == "oslo-uke"


def test_the_project_space_is_lent_for_weeks(loaded):
    booking = Booking.objects.get(resource__name=PROJECT_SPACE.name)
    assert (booking.end - booking.start).days == 42
    assert booking.status == BookingStatus.CONFIRMED and booking.decided_by is not None
    assert booking.pilot.title == "Guide Helsingborg – digital stadsguide"


def test_the_demo_people_see_and_book_what_they_may(loaded, client):
    elin = User.objects.get(username="helsingborg")
    space = Resource.objects.get(name=PROJECT_SPACE.name)
    assert services.permissions.can_book(elin, space)
    assert services.permissions.booking_organisations(elin, space)
    client.force_login(User.objects.get(username="supplier"))
    assert client.get("/hub/resources/").status_code == 200
    partner_room = Resource.objects.get(name="Partnerrummet")
    assert client.get(partner_room.get_absolute_url()).status_code == 200
    assert client.get(space.get_absolute_url()).status_code == 404  # shared, not for suppliers


def test_the_bookings_start_a_week_ahead_or_more():
    assert base_monday(date(2026, 11, 24)) == date(2026, 12, 7)
    assert base_monday(date(2026, 11, 30)) == date(2026, 12, 14)
    assert base_monday(timezone.localdate()).weekday() == 0


def test_it_reports_the_rows_from_the_command(loaded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = StringIO()
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        call_command("load_demo", stdout=out)
    lines = out.getvalue().splitlines()
    line = next(text for text in lines if text.startswith("Demo resources:"))
    assert f"{len(RESOURCES)} resources" in line and "(0 rows created)" in line
