"""Booking in a real browser: charlie (another municipality) finds the school hall, sees its
week, asks to book an evening; alice, who manages the hall, approves it on her bookings
page. axe checks every page on the way, the resource form included.

Texts of the interface are not asserted (they follow the language): the test looks at URLs,
ids and the data it created.
"""

import re
from datetime import time

import pytest
from playwright.sync_api import Page, expect

from samspil.browser_testing import assert_accessible
from samspil.conftest import add_member, make_user
from samspil.core.models import Role
from samspil.events.tests.test_browser import log_in
from samspil.hub.models import Booking, BookingStatus, ResourceKind, WhoMayBook

from .factories import make_resource, next_monday

pytestmark = pytest.mark.browser


def test_it_walks_from_the_list_to_an_approved_booking(
    browser_page: Page, live_server, org_a, org_b
):
    page = browser_page
    alice = make_user("alice", language="en")
    add_member(alice, org_a, Role.Code.INNOVATION_LEAD)
    charlie = make_user("charlie", language="en")
    add_member(charlie, org_b)
    hall = make_resource(
        alice,
        org_a,
        "School hall",
        kind=ResourceKind.CITY_PREMISES,
        capacity=200,
        who_may_book=WhoMayBook.PUBLIC_SECTOR,
        requires_approval=True,
        opening_hours=[(day, time(17), time(22)) for day in range(5)],
    )
    day = next_monday()

    log_in(page, live_server, charlie)
    page.goto("/hub/resources/")
    assert_accessible(page)
    page.locator(f"#resource-row-{hall.pk} a").click()
    expect(page).to_have_url(re.compile(rf"/hub/resources/{hall.pk}/$"))
    page.goto(f"/hub/resources/{hall.pk}/?week={day.isoformat()}")
    expect(page.locator(f'td[data-start="{day.isoformat()}T18:00"]')).to_have_attribute(
        "data-state", "free"
    )
    assert_accessible(page)

    form = page.locator("#booking-form")
    form.locator("#booking_start").fill(f"{day.isoformat()}T18:00")
    form.locator("#booking_end").fill(f"{day.isoformat()}T20:00")
    form.locator("#booking_people").fill("40")
    form.locator("#booking_purpose").fill("Choir evening")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.REQUESTED and booking.organisation == org_b
    expect(page).to_have_url(re.compile(rf"/hub/resources/bookings/{booking.pk}/$"))
    expect(page.locator("#booking-status")).to_have_attribute("data-status", "requested")
    assert_accessible(page)

    # The same evening again is refused, the typed purpose kept.
    page.goto(f"/hub/resources/{hall.pk}/?week={day.isoformat()}")
    expect(page.locator(f'td[data-start="{day.isoformat()}T18:00"]')).to_have_attribute(
        "data-state", "requested"
    )
    form = page.locator("#booking-form")
    form.locator("#booking_start").fill(f"{day.isoformat()}T19:00")
    form.locator("#booking_end").fill(f"{day.isoformat()}T21:00")
    form.locator("#booking_purpose").fill("Second try")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("#booking_start_error")).to_be_visible()
    expect(page.locator("#booking_purpose")).to_have_value("Second try")
    assert_accessible(page)

    log_in(page, live_server, alice)
    page.goto("/hub/resources/bookings/")
    assert_accessible(page)
    page.locator(f"#bookings-awaiting-table-{booking.pk} a").click()
    with page.expect_navigation():
        page.locator("#booking-approve").click()
    expect(page.locator("#booking-status")).to_have_attribute("data-status", "confirmed")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and booking.decided_by == alice
    assert_accessible(page)

    page.goto("/hub/resources/new/")
    assert_accessible(page)
