"""A scaling process in a real browser: alice starts one from a scaling-candidate challenge,
adds a participant, marks the first step done, records Bergvik's letter of intent and
counts the adoption (8 → 29); axe checks the challenge page, the form, the list and the
process's page.

Texts of the interface are not asserted: the test looks at URLs, ids and its data.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from samspil.browser_testing import assert_accessible, restore_migration_rows
from samspil.conftest import add_member, make_user
from samspil.core.models import Role
from samspil.events.tests.test_browser import log_in
from samspil.needs.models import Challenge, CoOwnerStatus
from samspil.procurement.models import AdoptionCount, Commitment, ScalingProcess, ScalingStep

from .scaling_factories import make_challenge

pytestmark = pytest.mark.browser


def test_it_walks_from_a_challenge_to_the_adoption(
    browser_page: Page, live_server, org_a, org_b, org_c
):
    restore_migration_rows()
    page = browser_page
    alice = make_user("alice", language="en")
    add_member(alice, org_a, Role.Code.PROCUREMENT_OFFICER)
    challenge = make_challenge(
        org_a, co_owners=[(org_b, CoOwnerStatus.ACCEPTED)], anchored_in_management=True
    )
    Challenge.objects.filter(pk=challenge.pk).update(is_scaling_candidate=True)

    log_in(page, live_server, alice)
    page.goto(challenge.get_absolute_url())
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("#challenge-start-scaling").click()
    expect(page.locator("#id_title")).to_have_value(challenge.title)
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("#scaling-form button[type=submit]").click()
    process = ScalingProcess.objects.get()
    expect(page).to_have_url(re.compile(rf"/scaling/{process.pk}/$"))
    assert process.meets_criteria and process.participants.count() == 2
    assert_accessible(page)

    # Cobalt takes part as an observer.
    page.locator("#participant_organisation").select_option(str(org_c.pk))
    with page.expect_navigation():
        page.locator("#participant_organisation").locator("xpath=ancestor::form").locator(
            "button[type=submit]"
        ).click()
    expect(page.locator("#scaling-participants-table")).to_contain_text(org_c.name)

    # The joint need exploration is done.
    step = page.locator(f"#scaling-step-{ScalingStep.NEED_EXPLORATION}")
    step.locator("summary").click()
    step.locator("input[name=done_on]").fill("2022-03-01")
    with page.expect_navigation():
        step.locator("button[type=submit]").click()
    expect(page.locator(f"#scaling-step-{ScalingStep.NEED_EXPLORATION}")).to_have_attribute(
        "data-done", "yes"
    )

    # Bergvik's letter of intent, recorded by the facilitator on its behalf.
    page.locator("#commitment_organisation").select_option(str(org_b.pk))
    page.locator("#commitment_volume").fill("12")
    page.locator("#commitment_volume_unit").fill("machines")
    page.locator("#commitment_value").fill("3000000")
    page.locator("#commitment_signed_on").fill("2022-11-01")
    page.locator("#commitment_signed_by").fill("Birgit Berg")
    with page.expect_navigation():
        page.locator("#commitment_signed_by").locator("xpath=ancestor::form").locator(
            "button[type=submit]"
        ).click()
    assert Commitment.objects.get().organisation == org_b

    # Adoption over time: 8 → 29.
    for day, count in (("2019-10-01", "8"), ("2022-11-11", "29")):
        page.locator("#adoption_counted_on").fill(day)
        page.locator("#adoption_organisations").fill(count)
        with page.expect_navigation():
            page.locator("#adoption_organisations").locator("xpath=ancestor::form").locator(
                "button[type=submit]"
            ).click()
    assert AdoptionCount.objects.filter(process=process).count() == 2
    expect(page.locator("#scaling-growth")).to_contain_text("8 → 29")
    expect(page.locator("#scaling-adoption-chart")).to_be_visible()
    assert_accessible(page)

    page.goto("/scaling/")
    expect(page.locator(f"#scaling-row-{process.pk}")).to_be_visible()
    assert_accessible(page)
