"""Fair market dialogue in a real browser: a registered supplier asks a question, alice logs
the meeting, adds a functional requirement and publishes the answer to all registered
suppliers; the supplier then reads it. axe checks the procurement page and the forms.

Texts of the interface are not asserted (they follow the language): the test looks at URLs,
ids and the data it created.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from samspil.browser_testing import assert_accessible, restore_migration_rows
from samspil.conftest import add_member, make_user
from samspil.core.models import Role
from samspil.events.tests.test_browser import log_in
from samspil.procurement.models import (
    AnswerDelivery,
    DialogueEntry,
    FunctionalRequirement,
    InterestStatus,
    Question,
    SupplierInterest,
)

from .conftest import make_procurement

pytestmark = pytest.mark.browser


def test_it_walks_from_a_question_to_an_answer_published_to_all(
    browser_page: Page, live_server, org_a, org_c
):
    restore_migration_rows()
    page = browser_page
    alice = make_user("alice", language="en")
    add_member(alice, org_a, Role.Code.PROCUREMENT_OFFICER)
    dave = make_user("dave", language="en")
    add_member(dave, org_c)
    light = make_procurement(alice, org_a)
    SupplierInterest.objects.create(
        supplier=org_c,
        procurement=light,
        status=InterestStatus.REGISTERED,
        registered_at=timezone.now(),
    )

    # The registered supplier asks in the panel.
    log_in(page, live_server, dave)
    page.goto(f"{live_server.url}/procurement/{light.pk}/")
    assert_accessible(page)
    form = page.locator("#dialogue-question-form")
    form.locator("#question_text").fill("May the light be leased?")
    form.locator("button[type=submit]").click()
    expect(page.locator("#procurement-own-questions")).to_be_visible()
    question = Question.objects.get()
    assert question.asked_by_organisation == org_c

    # alice logs the meeting on its own page.
    log_in(page, live_server, alice)
    page.goto(f"{live_server.url}/procurement/{light.pk}/")
    page.locator("#dialogue-entry-add-link").click()
    expect(page).to_have_url(re.compile(r"/dialogue/entries/new/$"))
    assert_accessible(page)
    page.locator("#dialogue_kind").select_option("meeting")
    page.locator("#dialogue_held_on").fill(timezone.localdate().isoformat())
    page.locator("#dialogue_subject").fill("One-to-one meeting")
    page.locator("#dialogue_participants").select_option(str(org_c.pk))
    with page.expect_navigation():
        page.locator("#dialogue-entry-form button[type=submit]").click()
    entry = DialogueEntry.objects.get()
    expect(page.locator(f"#dialogue-entry-{entry.pk}")).to_be_visible()

    # A functional requirement, added in the panel.
    requirement_form = page.locator("#dialogue-requirement-form")
    requirement_form.locator("#requirement_text").fill("Residents sleep better.")
    requirement_form.locator("button[type=submit]").click()
    requirement = page.locator("#procurement-requirements-table tbody tr")
    expect(requirement).to_have_count(1)
    assert FunctionalRequirement.objects.get().text == "Residents sleep better."
    assert_accessible(page)

    # The answer is published to all registered suppliers.
    page.locator(f"#answer-link-{question.pk}").click()
    assert_accessible(page)
    page.locator(f"#answer_{question.pk}_answer").fill("Yes, leasing is allowed.")
    with page.expect_navigation():
        page.locator("#dialogue-answer-publish").click()
    expect(page.locator(f"#qa-{question.pk}")).to_be_visible()
    question.refresh_from_db()
    assert question.published_at is not None
    assert AnswerDelivery.objects.filter(question=question, supplier=org_c).exists()

    # The supplier reads the published answer.
    log_in(page, live_server, dave)
    page.goto(f"{live_server.url}/procurement/{light.pk}/")
    expect(page.locator(f"#qa-{question.pk}")).to_be_visible()
    expect(page.locator("#procurement-log-table")).to_have_count(0)
    assert_accessible(page)
