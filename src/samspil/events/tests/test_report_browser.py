"""The event report in a real browser: alice opens it, writes down what the event taught
(htmx), edits it, and downloads the PDF; axe checks each state of the page."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from samspil.browser_testing import assert_accessible
from samspil.conftest import add_member, make_user
from samspil.core.models import Role
from samspil.events.models import EventKind, LearnedRequirement

from .conftest import make_event
from .test_browser import log_in
from .test_report import add_team, populate

pytestmark = pytest.mark.browser


def test_it_writes_requirements_learned_and_downloads_the_pdf(
    browser_page: Page, live_server, org_a
):
    page = browser_page
    alice = make_user("alice", language="en")
    add_member(alice, org_a, Role.Code.INNOVATION_LEAD)
    event = make_event(alice, org_a, "Hackathon on complaints", kind=EventKind.HACKATHON)
    add_team(event, "Team Blue", populate(event)[:2], "Complaint tracker")

    log_in(page, live_server, alice)
    page.goto(f"/events/{event.pk}/")
    page.locator(f"main a[href='/events/{event.pk}/report/']").click()
    expect(page).to_have_url(re.compile(rf"/events/{event.pk}/report/$"))
    expect(page.locator("#report-teams")).to_be_visible()
    assert_accessible(page)

    # An empty line is refused in place, with the error summary.
    page.locator(".report-requirement-add button[type=submit]").click()
    expect(page.locator("#report-requirements .ds-error-summary")).to_be_visible()
    assert_accessible(page)

    # A requirement is added without reloading the page.
    page.locator("#id_text").fill("Citizens can upload documents from their phone.")
    page.locator(".report-requirement-add button[type=submit]").click()
    expect(page.locator("#report-requirements .report-requirement")).to_have_count(1)
    line = LearnedRequirement.objects.get(event=event)
    assert line.text == "Citizens can upload documents from their phone."
    expect(page.locator("#id_text")).to_have_value("")
    assert_accessible(page)

    # It is edited in place.
    page.locator(f"#requirement-{line.pk} a[href$='/edit/']").click()
    page.locator("#id_edit-text").fill("Citizens can upload documents from a phone or tablet.")
    page.locator(f"#requirement-{line.pk} button[type=submit]").click()
    expect(page.locator("#id_edit-text")).to_have_count(0)
    expect(page.locator(f"#requirement-{line.pk}")).to_contain_text("phone or tablet")
    assert_accessible(page)

    with page.expect_download() as waiting:
        page.locator("#report-pdf").click()
    download = waiting.value
    assert re.fullmatch(
        r"hackathon-on-complaints-\d{4}-\d{2}-\d{2}\.pdf", download.suggested_filename
    )
    assert Path(download.path()).read_bytes().startswith(b"%PDF")
