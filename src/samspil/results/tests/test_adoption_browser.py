"""Adoption in a real browser: alice finds Bergvik's published result, adopts it for Arby with
a linked pilot, comes back and reports that it is in use; then the open-data page. axe checks
every page on the way.

Texts of the interface are not asserted (they follow the language): the test looks at URLs,
ids and the data it created.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from samspil.browser_testing import assert_accessible
from samspil.conftest import add_member, make_user
from samspil.core.models import Role
from samspil.events.tests.test_browser import log_in
from samspil.results.models import Adoption, AdoptionOutcome

from .factories import insert_result

pytestmark = pytest.mark.browser


def test_it_walks_from_a_published_result_to_an_adoption_in_use(
    browser_page: Page, live_server, org_a, org_b
):
    page = browser_page
    alice = make_user("alice", language="en")
    add_member(alice, org_a, Role.Code.INNOVATION_LEAD)
    result = insert_result(org_b)

    log_in(page, live_server, alice)
    page.goto(f"/results/{result.pk}/")
    expect(page.locator("#result-adoptions-none")).to_be_visible()
    assert_accessible(page)

    page.locator("#result-adopt-link").click()
    expect(page).to_have_url(re.compile(rf"/results/{result.pk}/adopt/$"))
    assert_accessible(page)
    page.locator("#adopt_organisation").select_option(str(org_a.pk))
    page.locator("#adopt_start_0").check()  # a linked pilot
    page.locator("#adopt_note").fill("Payroll first")
    with page.expect_navigation():
        page.locator("#result-adopt-submit").click()
    adoption = Adoption.objects.get()
    expect(page).to_have_url(re.compile(rf"/pilots/{adoption.pilot_id}/$"))

    # Arby is no longer offered; a form without an organisation is refused, the note kept.
    page.goto(f"/results/{result.pk}/adopt/")
    expect(page.locator(f"#adopt_organisation option[value='{org_a.pk}']")).to_have_count(0)
    page.locator("#adopt_note").fill("Once more")
    page.locator("#result-adopt-submit").click()
    expect(page.locator("#adopt_organisation_error")).to_be_visible()
    expect(page.locator("#adopt_note")).to_have_value("Once more")
    assert_accessible(page)

    page.goto(f"/results/{result.pk}/")
    expect(page.locator(f"#adoption-{adoption.pk}")).to_be_visible()
    expect(page.locator("#result-adoptions-chart")).to_be_visible()
    assert_accessible(page)
    page.locator(f"#adoption-{adoption.pk}-outcome-link").click()
    assert_accessible(page)
    page.locator("input[name=outcome][value=in_use]").check()
    page.locator(f"#adoption_{adoption.pk}_note").fill("In use since May")
    with page.expect_navigation():
        page.locator("#result-outcome-submit").click()
    adoption.refresh_from_db()
    assert adoption.outcome == AdoptionOutcome.IN_USE
    expect(page.locator(f"#adoption-{adoption.pk}")).to_have_attribute("data-outcome", "in_use")

    page.locator("#result-open-data-link").click()
    expect(page).to_have_url(re.compile(r"/results/open-data/$"))
    assert_accessible(page)
