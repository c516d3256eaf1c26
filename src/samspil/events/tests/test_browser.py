"""An event in a real browser: alice creates it, a visitor registers, alice sees them; axe checks.

Texts of the interface are not asserted (translations may be missing): the test looks at
URLs, ids, roles and the data it created.
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from samspil.browser_testing import assert_accessible
from samspil.conftest import add_member, make_user
from samspil.core.models import Role, User
from samspil.events.models import Event, Registration

pytestmark = pytest.mark.browser


def log_in(page: Page, live_server, user: User) -> None:
    client = Client()
    client.force_login(user, backend="samspil.core.auth.EmailOrUsernameBackend")
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


def test_it_walks_from_a_new_event_to_a_registered_participant(
    browser_page: Page, live_server, org_a
):
    page = browser_page
    alice = make_user("alice", language="en")
    add_member(alice, org_a, Role.Code.INNOVATION_LEAD)
    start = timezone.localtime(timezone.now() + timedelta(days=10)).replace(hour=9, minute=0)

    # Alice creates a public co-creation workshop.
    log_in(page, live_server, alice)
    page.goto("/events/")
    assert_accessible(page)
    page.locator("main a[href='/events/new/']").click()
    expect(page).to_have_url(re.compile(r"/events/new/$"))
    assert_accessible(page)
    page.locator("#id_title").fill("Co-creation: the digital purchasing experience")
    page.locator("#id_kind").select_option("co_creation_workshop")
    page.locator("#id_place").fill("Innovationshuset, Halmtorvet")
    page.locator("#id_starts_at").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_ends_at").fill((start + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_capacity").fill("30")
    page.locator("#id_visibility").select_option("public")
    page.locator("#id_terms").fill("Photos may be taken during the day.")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    event = Event.objects.get()
    expect(page).to_have_url(re.compile(rf"/events/{event.pk}/$"))
    assert_accessible(page)

    # An anonymous visitor registers and accepts the terms.
    page.context.clear_cookies()
    page.goto(f"/events/{event.pk}/")
    page.locator(f"main a[href='/events/{event.pk}/register/']").click()
    expect(page).to_have_url(re.compile(r"/register/$"))
    assert_accessible(page)
    page.locator("#id_name").fill("Jonas Grandal")
    page.locator("#id_email").fill("jonas@example.org")
    page.locator("#id_organisation").fill("Rise Digital")
    page.locator("input[name=background][value=supplier]").check()
    page.locator("input[name=skill_choices][value=design]").check()
    page.locator("#id_accepted_terms").check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert Registration.objects.get().email == "jonas@example.org"
    assert_accessible(page)

    # Alice sees the participant and marks the attendance (htmx).
    log_in(page, live_server, alice)
    page.goto(f"/events/{event.pk}/participants/")
    expect(page.locator("main table")).to_contain_text("Jonas Grandal")
    assert_accessible(page)
    button = page.locator("button.event-attendance")
    button.click()
    expect(page.locator("button.event-attendance")).to_have_attribute("aria-pressed", "true")
    assert Registration.objects.get().attended
    assert_accessible(page)
