"""Suppliers in a real browser: a company's admin writes its directory entry, alice finds the
company suggested on her procurement and invites it to the market dialogue, and dave, the
company's member, registers its interest from the opportunities page; axe checks every page.

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
from samspil.procurement.models import InterestStatus, SupplierInterest, SupplierProfile

from .conftest import make_procurement
from .supplier_factories import make_challenge

pytestmark = pytest.mark.browser


def test_it_walks_from_a_directory_entry_to_a_registered_interest(
    browser_page: Page, live_server, org_a, org_c
):
    restore_migration_rows()
    page = browser_page
    dana = make_user("dana", language="en")
    add_member(dana, org_c, Role.Code.ADMIN)
    dave = make_user("dave", language="en")
    add_member(dave, org_c)
    alice = make_user("alice", language="en")
    add_member(alice, org_a, Role.Code.PROCUREMENT_OFFICER)
    procurement = make_procurement(alice, org_a, title="Circadian lighting in care homes")
    challenge = make_challenge(org_a)

    # The company's admin writes the directory entry.
    log_in(page, live_server, dana)
    page.goto("/suppliers/")
    assert_accessible(page)
    page.locator(f"#supplier-edit-{org_c.pk}").click()
    expect(page).to_have_url(re.compile(rf"/suppliers/{org_c.pk}/edit/$"))
    assert_accessible(page)
    page.locator("#id_offer").fill("Circadian lighting for care homes, with sensors.")
    page.locator("#id_competences").fill("Lighting, IoT")
    page.locator("#id_size").select_option("small")
    with page.expect_navigation():
        page.locator("#supplier-profile-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/suppliers/{org_c.pk}/$"))
    assert SupplierProfile.objects.get(organisation=org_c).competences == ["Lighting", "IoT"]
    assert_accessible(page)

    # Alice sees the company suggested on her procurement and invites it.
    log_in(page, live_server, alice)
    page.goto(procurement.get_absolute_url())
    row = page.locator(f"#match-{org_c.pk}")
    expect(row).to_be_visible()
    assert_accessible(page)
    row.locator("select[name=to]").select_option("dialogue")
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    assert SupplierInterest.objects.get(supplier=org_c).status == InterestStatus.INVITED
    page.goto(challenge.get_absolute_url())
    expect(page.locator(f"#match-{org_c.pk}")).to_be_visible()
    assert_accessible(page)

    # Dave registers the company's interest from the opportunities page.
    log_in(page, live_server, dave)
    page.goto("/suppliers/opportunities/")
    assert_accessible(page)
    row = page.locator(f"#opportunity-procurement-{procurement.pk}")
    row.locator("summary").click()
    row.locator(f"#note-p-{procurement.pk}").fill("We can test in two care homes.")
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    interest = SupplierInterest.objects.get(supplier=org_c)
    assert interest.status == InterestStatus.REGISTERED and interest.registered_by == dave
    expect(
        page.locator(f"#opportunity-procurement-{procurement.pk} [data-status]")
    ).to_have_attribute("data-status", "registered")
    assert_accessible(page)
