"""A programme in a real browser: alice creates it with a 30 % target and pilots of at most
6 months, adds a measured pilot, and reads the portfolio, its charts and the overview; axe
checks every page.

Texts of the interface are not asserted (translations may be missing): the test looks at
URLs, ids, names and the data it created.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from samspil.browser_testing import assert_accessible
from samspil.conftest import add_member, make_user
from samspil.core.models import Organisation, Role
from samspil.events.tests.test_browser import log_in
from samspil.pilots.models import Kpi, Measurement, Programme

from .conftest import make_pilot

pytestmark = pytest.mark.browser


def test_it_walks_from_a_new_programme_to_its_portfolio(browser_page: Page, live_server):
    page = browser_page
    org_a = Organisation.objects.create(
        name="Oslo kommune, UKE", slug="uke", kind="municipality", country="NO", currency="NOK"
    )
    alice = make_user("alice", language="en")
    add_member(alice, org_a, Role.Code.INNOVATION_LEAD)
    start = timezone.localdate() - timedelta(days=20)
    pilot = make_pilot(
        alice,
        org_a,
        "Automatic invoice coding",
        starts_on=start,
        planned_end_on=start + timedelta(days=120),
    )
    kpi = Kpi.objects.create(
        pilot=pilot,
        name="Minutes per invoice",
        unit="min",
        direction="lower",
        baseline_value=Decimal(20),
        baseline_on=start,
    )
    Measurement.objects.create(kpi=kpi, measured_on=start + timedelta(days=10), value=Decimal(13))

    # From the pilots to the programmes, and a new programme.
    log_in(page, live_server, alice)
    page.goto("/pilots/")
    page.locator("main #programmes-link").click()
    expect(page).to_have_url(re.compile(r"/pilots/programmes/$"))
    assert_accessible(page)
    page.locator("main #programme-create-link").click()
    expect(page).to_have_url(re.compile(r"/pilots/programmes/new/$"))
    assert_accessible(page)
    page.locator("#id_owner").select_option(str(org_a.pk))
    page.locator("#id_title").fill("Digital velferd 2025–2027")
    page.locator("#id_description").fill("UKE with the districts Alna and Stovner.")
    page.locator("#id_coordinator").select_option(str(alice.pk))
    page.locator("#id_starts_on").fill(start.isoformat())
    page.locator("#id_ends_on").fill((start + timedelta(days=730)).isoformat())
    page.locator("#id_method").select_option("prosjektveiviseren")
    page.locator("#id_gain_target_percent").fill("30")
    page.locator("#id_max_pilot_months").fill("6")
    page.locator("#id_visibility").select_option("internal")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    programme = Programme.objects.get()
    assert (programme.gain_target_percent, programme.max_pilot_months) == (Decimal(30), 6)
    expect(page).to_have_url(re.compile(rf"/pilots/programmes/{programme.pk}/$"))
    assert_accessible(page)

    # Alice adds the pilot to the programme.
    page.locator("main #programme-pilots-link").click()
    expect(page).to_have_url(re.compile(r"/pilots/$"))
    assert_accessible(page)
    page.locator("#id_pilot").select_option(str(pilot.pk))
    with page.expect_navigation():
        page.locator("#attach-pilot button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/pilots/programmes/{programme.pk}/$"))
    pilot.refresh_from_db()
    assert pilot.programme == programme

    # The portfolio: the pilot with its 35 % gain, the target met, both charts with tables.
    row = page.locator(f"#portfolio-pilots tr[data-pilot='{pilot.pk}']")
    expect(row).to_have_count(1)
    expect(row.locator("td[data-gain]")).to_have_attribute("data-gain", re.compile(r"^0?\.35"))
    expect(page.locator("#portfolio-target [data-verdict='met']")).to_have_count(1)
    expect(page.locator("svg#target-chart")).to_have_count(1)
    expect(page.locator("svg#timeline-chart")).to_have_count(1)
    expect(page.locator(f"#timeline-table tr[data-pilot='{pilot.pk}']")).to_have_count(1)
    assert_accessible(page)

    # The overview of alice's organisation: the funnel and the programme against its target.
    page.goto("/pilots/portfolio/")
    expect(page.locator("svg#funnel-chart")).to_have_count(1)
    expect(page.locator("#funnel-table tr[data-stage='pilots'] td").first).to_have_text("1")
    expect(page.locator(f"#programme-gains tr[data-programme='{programme.pk}']")).to_have_count(1)
    expect(page.locator("svg#programmes-chart")).to_have_count(1)
    assert_accessible(page)
