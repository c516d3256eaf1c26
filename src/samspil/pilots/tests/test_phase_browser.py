"""Phases in a real browser: alice ticks a checklist item and adds one of her own (htmx),
passes B1 with "go" and sees the decision in the timeline; then she defines her
organisation's own phase model in two steps. axe checks every page.

Texts of the interface are not asserted (translations may be missing): the test looks at
URLs, ids, names and the data it created.
"""

import importlib
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from samspil.browser_testing import assert_accessible
from samspil.conftest import add_member, make_user
from samspil.core.models import Role
from samspil.events.tests.test_browser import log_in
from samspil.pilots.models import Decision, PhaseModel, PilotChecklistItem

from .conftest import make_pilot

pytestmark = pytest.mark.browser


def test_it_passes_a_decision_point_and_shows_it_in_the_timeline(
    browser_page: Page, live_server, org_a
):
    # live_server's flush after an earlier browser test removed the built-in models.
    importlib.import_module("samspil.pilots.migrations.0002_phase_models").create_models(apps, None)
    page = browser_page
    alice = make_user("alice", language="en")
    add_member(alice, org_a, Role.Code.INNOVATION_LEAD)
    pilot = make_pilot(alice, org_a, starts_on=timezone.localdate() - timedelta(days=14))
    idea, analysis = pilot.phase_model.phases.order_by("position")[:2]

    # From the pilot page's panel to the phase page, where Idéfase is the current step.
    log_in(page, live_server, alice)
    page.goto(f"/pilots/{pilot.pk}/")
    expect(page.locator(f"#phases [data-phase='{idea.pk}']")).to_have_attribute(
        "aria-current", "step"
    )
    assert_accessible(page)
    page.locator("#pilot-phases-link").click()
    expect(page).to_have_url(re.compile(rf"/pilots/{pilot.pk}/phases/$"))
    expect(page.locator("#next-decision")).to_have_attribute("data-point", "B1")
    assert_accessible(page)

    # A tick box saves at once (htmx) and the phase's section comes back ticked.
    item = PilotChecklistItem.objects.filter(pilot=pilot, phase=idea).first()
    page.locator(f"#item-{item.pk}").check()
    expect(page.locator(f"#checklist-item-{item.pk}")).to_have_attribute("data-done", "true")
    item.refresh_from_db()
    assert item.done_by == alice

    # An item of the pilot's own is added and removed again, each answered by htmx.
    page.locator(f"#id_p{idea.pk}-text").fill("Borgerpanel spurgt")
    page.locator(f"#phase-{idea.pk} .phase-add-form button[type=submit]").click()
    own = page.locator(f"#phase-{idea.pk} .phase-item", has_text="Borgerpanel spurgt")
    expect(own).to_have_count(1)
    own.locator(".phase-item-remove").click()
    expect(own).to_have_count(0)
    assert not PilotChecklistItem.objects.filter(text="Borgerpanel spurgt").exists()
    assert_accessible(page)

    # Alice passes B1 with "go", naming the board and the documents decided on.
    expect(page.locator("#id_outcome_0")).to_be_checked()
    page.locator("#id_decided_by").fill("Direktionen")
    page.locator("#id_documents").fill("Projektgrundlag\nhttps://example.org/business-case")
    with page.expect_navigation():
        page.locator("#decision-form button[type=submit]").click()
    decision = Decision.objects.get()
    assert (decision.outcome, decision.decided_by) == ("go", "Direktionen")
    expect(page).to_have_url(re.compile(rf"/pilots/{pilot.pk}/phases/#decisions$"))
    entry = page.locator(f"#decision-{decision.pk}")
    expect(entry).to_have_attribute("data-outcome", "go")
    expect(entry.locator("a[href='https://example.org/business-case']")).to_be_visible()
    expect(page.locator(f".phase-stepper [data-phase='{analysis.pk}']")).to_have_attribute(
        "aria-current", "step"
    )
    expect(page.locator("#next-decision")).to_have_attribute("data-point", "B2")
    assert_accessible(page)

    # The phase models, and a model of Arby's own in two steps.
    page.goto("/pilots/phase-models/")
    assert_accessible(page)
    page.locator("#phase-model-create").click()
    expect(page).to_have_url(re.compile(r"/pilots/phase-models/new/$"))
    assert_accessible(page)
    page.locator("#id_name").fill("Arby light")
    page.locator("#id_phases").fill("Idé\nAfprøvning\nBeslutning")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("#gate-G2")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_point_1").fill("Må vi prøve?")
    page.locator("#id_checklist_1").fill("Idé beskrevet")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    model = PhaseModel.objects.get(organisation=org_a)
    expect(page).to_have_url(re.compile(rf"/pilots/phase-models/{model.pk}/$"))
    expect(page.locator("#decision-point-G1")).to_be_visible()
    assert_accessible(page)
