"""Diverse groups in a real browser: alice forms groups, moves a person (htmx); axe checks."""

import re

import pytest
from playwright.sync_api import Page, expect

from samspil.browser_testing import assert_accessible
from samspil.conftest import add_member, make_user
from samspil.core.models import Role
from samspil.events.models import Grouping

from .conftest import make_event
from .test_browser import log_in
from .test_grouping_services import populate

pytestmark = pytest.mark.browser


def test_it_forms_groups_and_moves_a_person(browser_page: Page, live_server, org_a):
    page = browser_page
    alice = make_user("alice", language="en")
    add_member(alice, org_a, Role.Code.INNOVATION_LEAD)
    event = make_event(alice, org_a, "Co-creation with groups", capacity=100)
    people = populate(event)

    log_in(page, live_server, alice)
    page.goto(f"/events/{event.pk}/")
    page.locator(f"main a[href='/events/{event.pk}/groups/']").click()
    expect(page).to_have_url(re.compile(rf"/events/{event.pk}/groups/$"))
    assert_accessible(page)

    page.locator("#id_group_count").fill("2")
    page.locator("#id_group_size").fill("")
    page.locator("#id_together-0-a").select_option(str(people[0].pk))
    page.locator("#id_together-0-b").select_option(str(people[3].pk))
    # "Add a rule" appends a row in place (htmx) and moves the focus into it, twice.
    for index in (1, 2):
        page.locator("#together-add-rule").click()
        expect(page.locator(f"#id_together-{index}-a")).to_be_focused()
    expect(page.locator("#id_together-TOTAL_FORMS")).to_have_value("3")
    page.locator("#id_together-2-a").select_option(str(people[1].pk))
    page.locator("#id_together-2-b").select_option(str(people[4].pk))
    assert_accessible(page)
    # Enter in a field forms the groups (the form's first submit button), not another row.
    with page.expect_navigation():
        page.locator("#id_group_count").press("Enter")
    expect(page.locator("#event-groups article.event-group")).to_have_count(2)
    stored = Grouping.objects.get(event=event)
    assert any(people[0].pk in g and people[3].pk in g for g in stored.groups)
    assert any(people[1].pk in g and people[4].pk in g for g in stored.groups)
    # The saved rules come back as rows, followed by one empty row.
    expect(page.locator("#together-rules .event-group-rule")).to_have_count(3)
    expect(page.locator("#id_together-1-a")).to_have_value(str(people[1].pk))
    assert_accessible(page)

    # Move someone from group 1 to group 2 without reloading the page.
    mover = stored.groups[0][0]
    score = page.locator(".event-group-score").inner_text()
    page.locator(f"#move-{mover}").select_option("2")
    page.locator(f"#group-1 form:has(#move-{mover}) button").click()
    expect(page.locator(f"#group-2 #move-{mover}")).to_have_count(1)
    expect(page.locator("#group-1 .event-group-members > li")).to_have_count(3)
    assert mover in Grouping.objects.get(event=event).groups[1]
    assert page.locator(".event-group-score").inner_text() != score
    assert_accessible(page)

    page.goto(f"/events/{event.pk}/groups/print/")
    expect(page.locator(".event-group-print-group")).to_have_count(2)
    assert_accessible(page)
