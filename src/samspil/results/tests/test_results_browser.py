"""A result in a real browser: alice starts a draft from her public pilot, publishes it, and
an anonymous visitor finds it in the catalogue and reads its figures; then Bergvik's
innovation lead copies alice's published hackathon concept with one button. axe checks each
page.

Texts of the interface are not asserted (they follow the language): the test looks at URLs,
ids and the data it created.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from samspil.browser_testing import assert_accessible, restore_migration_rows
from samspil.conftest import add_member, make_user
from samspil.core.models import Role
from samspil.events.models import EventConcept
from samspil.events.tests.test_browser import log_in
from samspil.results import services
from samspil.results.models import Result, ResultKind, ResultStatus

from .factories import make_concept, make_pilot, make_result

pytestmark = pytest.mark.browser


def test_it_walks_from_a_pilot_to_a_published_result_and_a_copied_template(
    browser_page: Page, live_server, org_a, org_b
):
    restore_migration_rows()
    page = browser_page
    alice = make_user("alice", language="en")
    add_member(alice, org_a, Role.Code.INNOVATION_LEAD)
    pilot = make_pilot(org_a)

    log_in(page, live_server, alice)
    page.goto(f"/results/new/?pilot={pilot.pk}")
    assert_accessible(page)
    expect(page.locator("#id_title")).to_have_value(pilot.title)
    page.locator("#id_summary").fill("A software robot codes invoices.")
    with page.expect_navigation():
        page.locator("#result-form button[type=submit]").click()
    result = Result.objects.get()
    expect(page).to_have_url(re.compile(rf"/results/{result.pk}/$"))
    expect(page.locator("#figure-table")).to_be_visible()
    assert_accessible(page)

    with page.expect_navigation():
        page.locator("#result-publish").click()
    result.refresh_from_db()
    assert result.status == ResultStatus.PUBLISHED
    expect(page.locator("#result-status")).to_have_attribute("data-status", "published")

    page.context.clear_cookies()
    page.goto("/results/?q=robot")
    assert_accessible(page)
    link = page.locator(f"#result-table a[href='{result.get_absolute_url()}']")
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(re.compile(rf"/results/{result.pk}/$"))
    expect(page.locator("#figure-table td[data-gain='30']")).to_be_visible()
    assert_accessible(page)

    # A published template is copied into Bergvik with one action.
    concept = make_concept(org_a)
    template = services.publish_result(
        alice,
        make_result(
            alice, org_a, title=concept.title, kind=ResultKind.EVENT_CONCEPT, concept=concept
        ),
    )
    birgit = make_user("birgit", language="en")
    add_member(birgit, org_b, Role.Code.INNOVATION_LEAD)
    log_in(page, live_server, birgit)
    page.goto(template.get_absolute_url())
    expect(page.locator("#template-tasks")).to_be_visible()
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("#result-copy").click()
    copy = EventConcept.objects.get(owner=org_b)
    assert copy.tasks.count() == 2
    expect(page).to_have_url(re.compile(rf"{copy.get_absolute_url()}$"))
