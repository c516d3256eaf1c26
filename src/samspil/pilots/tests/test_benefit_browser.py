"""A benefits plan in a real browser: alice adds a benefit with an owner and holders, records
a measurement and moves the status on (both with htmx), and sees it on the programme page;
axe checks every page. Interface texts are not asserted (translations vary)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from samspil.browser_testing import assert_accessible
from samspil.conftest import add_member, make_user
from samspil.core.models import Role
from samspil.events.tests.test_browser import log_in
from samspil.pilots.models import Benefit, BenefitStatus

from .conftest import make_pilot, make_programme

pytestmark = pytest.mark.browser


def test_it_walks_from_a_new_benefit_to_a_measured_one(
    browser_page: Page, live_server, org_a, org_a_department
):
    page = browser_page
    alice = make_user("alice", language="en")
    add_member(alice, org_a, Role.Code.INNOVATION_LEAD)
    bob = make_user("bob", language="en")
    add_member(bob, org_a_department)
    programme = make_programme(alice, org_a)
    pilot = make_pilot(alice, org_a, programme=programme)
    today = timezone.localdate()

    # From the pilot page to its (empty) benefits plan.
    log_in(page, live_server, alice)
    page.goto(f"/pilots/{pilot.pk}/")
    assert_accessible(page)
    page.locator("#pilot-benefits-link").click()
    expect(page).to_have_url(re.compile(rf"/pilots/{pilot.pk}/benefits/$"))
    expect(page.locator("#benefits-empty")).to_be_visible()
    assert_accessible(page)

    # A benefit owned by bob of the social department, held by A and the department.
    page.locator("#benefit-add-link").click()
    expect(page).to_have_url(re.compile(rf"/pilots/{pilot.pk}/benefits/new/$"))
    assert_accessible(page)
    page.locator("#id_benefit_type").select_option("freed_capacity")
    page.locator("#id_indicator").fill("Hours of invoice coding a month")
    page.locator("#id_unit").fill("hours")
    page.locator("#id_direction").select_option("lower")
    page.locator("#id_baseline_value").fill("400")
    page.locator("#id_baseline_on").fill((today - timedelta(days=30)).isoformat())
    page.locator("#id_target_value").fill("250")
    page.locator("#id_target_on").fill((today + timedelta(days=180)).isoformat())
    page.locator("#id_owner").select_option(str(bob.pk))
    page.locator(f"input[name=holders][value='{org_a.pk}']").check()
    page.locator(f"input[name=holders][value='{org_a_department.pk}']").check()
    with page.expect_navigation():
        page.locator("main form.benefit-form button[type=submit]").click()
    benefit = Benefit.objects.get()
    expect(page).to_have_url(re.compile(rf"/pilots/{pilot.pk}/benefits/{benefit.pk}/$"))
    assert set(benefit.holders.all()) == {org_a, org_a_department}
    expect(page.locator("#benefit-holders [data-holder]")).to_have_count(2)
    expect(page.locator("#benefit-current-status")).to_have_attribute("data-status", "identified")
    assert_accessible(page)

    # Planned, then a first measurement halfway to the target: it is being realised.
    page.locator("#benefit-status-select").select_option("planned")
    page.locator("#benefit-status-button").click()
    expect(page.locator("#benefit-current-status")).to_have_attribute("data-status", "planned")
    page.locator("#id_measured_on").fill(today.isoformat())
    page.locator("#id_value").fill("325")
    page.locator("#id_note").fill("First month after go-live")
    page.locator("#benefit-measurement-button").click()
    expect(page.locator(f"tr[data-measured-on='{today.isoformat()}']")).to_have_count(1)
    expect(page.locator("#benefit-measurement-chart svg[role=img]")).to_have_count(1)
    expect(page.locator("#benefit-current-status")).to_have_attribute("data-status", "realising")
    expect(page.locator("#benefit-suggested-status")).to_have_attribute(
        "data-suggested", "realising"
    )
    assert page.url.endswith(f"/benefits/{benefit.pk}/")  # no reload: htmx swapped the body
    assert_accessible(page)

    # Partly realised after all; the plan shows the new status.
    page.locator("#benefit-status-select").select_option("partly")
    page.locator("#benefit-status-button").click()
    expect(page.locator("#benefit-current-status")).to_have_attribute("data-status", "partly")
    benefit.refresh_from_db()
    assert benefit.status == BenefitStatus.PARTLY
    page.locator("#benefit-plan-link").click()
    expect(page).to_have_url(re.compile(rf"/pilots/{pilot.pk}/benefits/$"))
    expect(page.locator(f"#benefit-{benefit.pk}")).to_have_attribute("data-status", "partly")
    assert_accessible(page)

    # The programme page sums the realised against the planned benefits.
    page.goto(f"/pilots/programmes/{programme.pk}/")
    expect(page.locator("#programme-benefits td[data-status='partly']")).to_have_text("1")
    expect(page.locator("#programme-benefit-units tbody tr")).to_have_count(1)
    expect(page.locator("#programme-benefit-chart-box svg[role=img]")).to_have_count(1)
    assert_accessible(page)
