"""The hub and its competence pool in a real browser: alice creates a hub, adds a partner
with its project, puts bob into the pool, assigns him and is refused an over-booking; axe
checks every page on the way.

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
from samspil.hub.models import Assignment, Hub, Partner, PartnerProject, PoolMember

from .factories import pilot

pytestmark = pytest.mark.browser


def test_it_walks_from_a_new_hub_to_an_assigned_pool_member(
    browser_page: Page, live_server, org_a, org_c
):
    restore_migration_rows()
    page = browser_page
    alice = make_user("alice", language="en")
    add_member(alice, org_a, Role.Code.INNOVATION_LEAD)
    bob = make_user("bob", language="en", last_name="Berg")
    add_member(bob, org_a)
    project = pilot(org_c, title="Energy data in the hub")
    own = pilot(org_a, title="Resource site")

    log_in(page, live_server, alice)
    page.goto("/hub/")
    assert_accessible(page)
    page.locator("#hub-create-link").click()
    expect(page).to_have_url(re.compile(r"/hub/new/$"))
    assert_accessible(page)
    page.locator("#id_name").fill("Arby innovation hub")
    page.locator("#id_visibility").select_option("public")
    with page.expect_navigation():
        page.locator("#hub-form button[type=submit]").click()
    hub = Hub.objects.get()
    expect(page).to_have_url(re.compile(rf"/hub/{hub.pk}/$"))
    assert_accessible(page)

    # A partner, then its own project with co-financing.
    page.locator("#hub-partner-add summary").click()
    page.locator("#partner_organisation").select_option(str(org_c.pk))
    page.locator("#partner_contribution").fill("Two developers on Fridays")
    with page.expect_navigation():
        page.locator("#hub-partner-form button[type=submit]").click()
    partner = Partner.objects.get(hub=hub)
    expect(page.locator(f"#hub-partner-{partner.pk}")).to_be_visible()
    page.locator("#hub-project-add summary").click()
    page.locator("#project_partner").select_option(str(partner.pk))
    page.locator("#project_pilot").select_option(str(project.pk))
    page.locator("#project_co_financing").fill("250000")
    with page.expect_navigation():
        page.locator("#hub-project-form button[type=submit]").click()
    assert PartnerProject.objects.get().pilot == project
    expect(page.locator("#hub-co-financing")).to_be_visible()
    assert_accessible(page)

    # Bob joins the pool with half his time.
    page.goto(f"/hub/pool/?organisation={org_a.pk}")
    assert_accessible(page)
    page.locator("#pool-add-link").click()
    assert_accessible(page)
    page.locator("#id_user").select_option(str(bob.pk))
    page.locator("#pool-member-form input[value=service_designer]").check()
    page.locator("#id_available_percent").fill("50")
    with page.expect_navigation():
        page.locator("#pool-member-form button[type=submit]").click()
    member = PoolMember.objects.get(user=bob)
    expect(page.locator(f"#pool-member-{member.pk}")).to_be_visible()

    # Assigned at 40 %, then refused 20 % more over the same days.
    for percent in ("40", "20"):
        page.goto(f"/hub/pool/{member.pk}/assign/")
        page.locator("#id_pilot").select_option(str(own.pk))
        page.locator("#id_starts_on").fill("2030-01-01")
        page.locator("#id_ends_on").fill("2030-01-31")
        page.locator("#id_percent").fill(percent)
        with page.expect_navigation():
            page.locator("#pool-assign-form button[type=submit]").click()
    expect(page.locator("#id_percent_error")).to_be_visible()
    expect(page.locator("#id_percent")).to_have_value("20")
    assert_accessible(page)
    assert Assignment.objects.filter(member=member).count() == 1

    # Lowering his share shows him over-booked in January 2030 on the pool page.
    page.goto(f"/hub/pool/{member.pk}/edit/")
    page.locator("#id_available_percent").fill("30")
    with page.expect_navigation():
        page.locator("#pool-member-form button[type=submit]").click()
    expect(page.locator(f"#pool-member-{member.pk}")).to_have_attribute("data-overbooked", "yes")
    assert_accessible(page)
