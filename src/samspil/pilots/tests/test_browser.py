"""A pilot in a real browser: alice starts it from a challenge, decides the outcome and writes
a lesson; another organisation adopts it. axe checks every page.

Texts of the interface are not asserted (translations may be missing): the test looks at
URLs, ids, names and the data it created.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from samspil.browser_testing import assert_accessible
from samspil.conftest import add_member, make_user
from samspil.core.models import Role, Visibility
from samspil.events.tests.test_browser import log_in
from samspil.pilots.models import Pilot

from .test_services import make_challenge

pytestmark = pytest.mark.browser


def test_it_walks_from_a_challenge_to_an_adopted_pilot(
    browser_page: Page, live_server, org_a, org_b
):
    page = browser_page
    alice = make_user("alice", language="en")
    add_member(alice, org_a, Role.Code.INNOVATION_LEAD)
    charlie = make_user("charlie", language="en")
    add_member(charlie, org_b, Role.Code.INNOVATION_LEAD)
    challenge = make_challenge(org_a, Visibility.PUBLIC)
    end = timezone.localdate() + timedelta(days=150)

    # Alice starts a pilot from the challenge; the form comes prefilled.
    log_in(page, live_server, alice)
    page.goto(challenge.get_absolute_url())
    assert_accessible(page)
    page.locator("#challenge-start-pilot").click()
    expect(page).to_have_url(re.compile(rf"/pilots/new/\?challenge={challenge.pk}$"))
    expect(page.locator("#id_title")).to_have_value(challenge.title)
    expect(page.locator("#id_challenge")).to_have_value(str(challenge.pk))
    assert_accessible(page)
    page.locator("#id_kind").select_option("gain")
    page.locator("#id_planned_end_on").fill(end.isoformat())
    page.locator("#id_visibility").select_option("public")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    pilot = Pilot.objects.get()
    assert pilot.challenge == challenge and pilot.planned_end_on == end
    expect(page).to_have_url(re.compile(rf"/pilots/{pilot.pk}/$"))
    expect(page.locator("#maturity .pilot-step[aria-current=step]")).to_have_attribute(
        "data-stage", "idea"
    )
    assert_accessible(page)

    # She decides the outcome: a procurement, with the reason.
    page.locator("#pilot-maturity-link").click()
    expect(page).to_have_url(re.compile(rf"/pilots/{pilot.pk}/maturity/$"))
    assert_accessible(page)
    page.locator("#id_maturity").select_option("outcome")
    page.locator("#id_outcome").select_option("procurement")
    page.locator("#id_outcome_reason").fill("Three suppliers offer it as a service.")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/pilots/{pilot.pk}/$"))
    expect(page.locator("#pilot-outcome")).to_have_attribute("data-outcome", "procurement")
    expect(page.locator("#pilot-offer-procurement a")).to_have_attribute(
        "href", f"/procurement/new/?pilot={pilot.pk}"
    )
    assert_accessible(page)

    # She writes a lesson (htmx swaps the lessons section).
    page.locator("#lesson-form textarea[name=text]").fill("Ask the accountants before week one.")
    page.locator("#lesson-form button[type=submit]").click()
    expect(page.locator("#lessons .pilot-lesson")).to_contain_text(
        "Ask the accountants before week one."
    )
    assert pilot.lessons.get().text == "Ask the accountants before week one."
    assert_accessible(page)

    # Charlie's organisation adopts the public pilot.
    log_in(page, live_server, charlie)
    page.goto(pilot.get_absolute_url())
    page.locator("#pilot-adopt-link").click()
    expect(page).to_have_url(re.compile(rf"/pilots/{pilot.pk}/adopt/$"))
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    adopted = Pilot.objects.get(owner=org_b)
    assert adopted.adopted_from == pilot and adopted.title == pilot.title
    expect(page).to_have_url(re.compile(rf"/pilots/{adopted.pk}/$"))
    expect(
        page.locator(f"#pilot-adopted-from a[href='{pilot.get_absolute_url()}']")
    ).to_be_visible()
    assert_accessible(page)

    # The original names the adopting organisation.
    log_in(page, live_server, alice)
    page.goto(pilot.get_absolute_url())
    expect(page.locator("#adoptions")).to_contain_text(org_b.name)
    assert_accessible(page)

    # The list filters by maturity stage.
    page.goto("/pilots/?maturity=outcome")
    expect(page.locator(f"#pilot-table a[href='{pilot.get_absolute_url()}']")).to_be_visible()
    assert_accessible(page)
