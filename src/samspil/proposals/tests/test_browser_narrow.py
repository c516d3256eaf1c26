"""The proposal page on a phone and by keyboard: the economic table scrolls in its own
focusable, named region while the page itself does not scroll sideways, and editing a line
keeps the focus in the line instead of dropping it to the top of the page."""

import pytest
from playwright.sync_api import Page, expect

from samspil.browser_testing import assert_accessible
from samspil.conftest import add_member, make_user
from samspil.core.models import Role
from samspil.events.tests.test_browser import log_in

from .conftest import make_proposal
from .test_documents import add_line

pytestmark = pytest.mark.browser


def test_the_economic_table_scrolls_alone_on_a_phone_and_keeps_the_keyboard_focus(
    browser_page: Page, live_server, org_a
):
    page = browser_page
    alice = make_user("alice", language="en")
    add_member(alice, org_a, Role.Code.INNOVATION_LEAD)
    proposal = make_proposal(alice, org_a)
    line = add_line(proposal, "Project management", y2021=2700)
    log_in(page, live_server, alice)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(proposal.get_absolute_url())
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    table = page.locator("#economy .table-wrap")
    expect(table).to_have_attribute("tabindex", "0")
    expect(table).to_have_attribute("role", "region")
    assert_accessible(page)

    # Edit the line by keyboard, then save it with Enter: focus stays in the line.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator(f"#line-{line.pk} a").first.focus()
    page.keyboard.press("Enter")
    cell = page.locator(f"#line-{line.pk} input[name$=label]")
    expect(cell).to_be_visible()
    expect(cell).to_be_focused()
    cell.fill("Project lead")
    page.keyboard.press("Enter")
    expect(page.locator(f"#line-{line.pk} th")).to_have_text("Project lead")
    # The line's first control: its Edit link (focus moves once htmx has settled the swap).
    expect(page.locator(f"#line-{line.pk} a").first).to_be_focused()
