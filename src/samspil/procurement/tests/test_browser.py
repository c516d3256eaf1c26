"""A procurement in a real browser: alice starts an innovation partnership, marks its first
step done and invites Bergvik as an option holder under the ceiling; axe checks the list,
the form and the procurement page.

Texts of the interface are not asserted (they follow the language): the test looks at URLs,
ids and the data it created.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from samspil.browser_testing import assert_accessible, restore_migration_rows
from samspil.conftest import add_member, make_user
from samspil.core.models import Role
from samspil.events.tests.test_browser import log_in
from samspil.procurement.models import Buyer, BuyerRole, Procurement, ProcurementRoute, StepDone

pytestmark = pytest.mark.browser


def test_it_walks_from_a_new_procurement_to_an_option_holder(
    browser_page: Page, live_server, org_a, org_b
):
    restore_migration_rows()
    page = browser_page
    alice = make_user("alice", language="en")
    add_member(alice, org_a, Role.Code.PROCUREMENT_OFFICER)

    log_in(page, live_server, alice)
    page.goto("/procurement/")
    assert_accessible(page)
    page.goto("/procurement/new/")
    assert_accessible(page)
    page.locator("#id_title").fill("Biological light in care homes")
    partnership = ProcurementRoute.objects.get(code="innovation-partnership")
    page.locator("#id_route").select_option(str(partnership.pk))
    page.locator("#id_ceiling").fill("160000000")
    with page.expect_navigation():
        page.locator("main form.form button[type=submit]").last.click()
    procurement = Procurement.objects.get()
    assert procurement.route.code == "innovation-partnership" and procurement.ocid
    expect(page).to_have_url(re.compile(rf"/procurement/{procurement.pk}/$"))
    assert_accessible(page)

    # The first step of the route is marked done with what it produced.
    first = page.locator("#step-1")
    first.locator("summary").click()
    first.locator("input[name=done_on]").fill("2024-03-01")
    first.locator("textarea[name=output]").fill("Need and minimum requirements")
    with page.expect_navigation():
        first.locator("button[type=submit]").click()
    assert StepDone.objects.get(procurement=procurement).output == "Need and minimum requirements"
    expect(page.locator("#step-1")).to_have_attribute("data-done", "yes")

    # Bergvik joins as an option holder with a maximum value under the ceiling.
    form = page.locator("#procurement-buyer-form")
    form.locator("#buyer_organisation").select_option(str(org_b.pk))
    form.locator("#buyer_role").select_option(BuyerRole.OPTION_HOLDER)
    form.locator("#buyer_maximum_value").fill("20000000")
    form.locator("button[type=submit]").click()
    expect(page.locator("#procurement-buyers-table")).to_contain_text(org_b.name)
    buyer = Buyer.objects.get(procurement=procurement, organisation=org_b)
    assert buyer.role == BuyerRole.OPTION_HOLDER and buyer.confirmed_at is None
    assert_accessible(page)
