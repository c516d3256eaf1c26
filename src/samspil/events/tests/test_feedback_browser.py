"""Survey and cost in a real browser: a participant answers through the signed link, alice
reads the results, records hours and a cost (htmx) and opens the concept's trend; axe checks.

Texts of the interface are not asserted (translations may be missing): the test looks at
URLs, ids, names and the data it typed.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from samspil.browser_testing import assert_accessible
from samspil.conftest import add_member, make_user
from samspil.core.models import Role, Visibility
from samspil.events import feedback_services, services
from samspil.events.models import (
    Event,
    EventConcept,
    EventKind,
    ExternalCost,
    Registration,
    SurveyResponse,
    TimeSpent,
)

from .test_browser import log_in

pytestmark = pytest.mark.browser


def held_event(alice, org_a, concept, title: str, days_ago: int, amount: str) -> Event:
    start = timezone.now() + timedelta(days=3)
    event = services.create_event(
        alice,
        org_a,
        title=title,
        kind=EventKind.HACKATHON,
        starts_at=start,
        ends_at=start + timedelta(hours=6),
        capacity=30,
        visibility=Visibility.PUBLIC,
        hourly_rate=Decimal("450"),
    )
    for name in ("Jonas Grandal", "Sara Holm"):
        services.register(
            None,
            event,
            name=name,
            email=f"{name.split()[0].lower()}.{event.pk}@example.org",
            background="supplier",
            accepted_terms=True,
            language="en",
        )
    past = timezone.now() - timedelta(days=days_ago)
    Event.objects.filter(pk=event.pk).update(
        concept=concept, starts_at=past, ends_at=past + timedelta(hours=6)
    )
    event.refresh_from_db()
    feedback_services.add_external_cost(alice, event, description="Venue", amount=amount)
    return event


def test_it_walks_from_a_survey_answer_to_the_concepts_trend(
    browser_page: Page, live_server, org_a
):
    page = browser_page
    alice = make_user("alice", language="en")
    add_member(alice, org_a, Role.Code.INNOVATION_LEAD)
    concept = EventConcept.objects.create(
        owner=org_a, title="Hackathon as market dialogue", visibility=Visibility.PUBLIC
    )
    held_event(alice, org_a, concept, "Hackathon on complaints, round 1", 120, "9000")
    event = held_event(alice, org_a, concept, "Hackathon on complaints, round 2", 2, "6000")
    jonas = Registration.objects.select_related("event").get(event=event, name="Jonas Grandal")

    # Jonas opens the link from his e-mail without an account; a missing score keeps his text.
    link = feedback_services.survey_link(jonas)
    page.goto(link)
    assert_accessible(page)
    page.locator("input[name=relevance][value='4']").check()
    page.locator("#id_went_well").fill("Real complaint data to work on")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_went_well")).to_have_value("Real complaint data to work on")
    assert_accessible(page)
    page.locator("input[name=satisfaction][value='5']").check()
    page.locator("input[name=organisation_rating][value='4']").check()
    page.locator("#id_improve").fill("A longer lunch break")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(link) + "$"))
    answer = SurveyResponse.objects.get()
    assert (answer.registration_id, answer.satisfaction, answer.relevance) == (jonas.pk, 5, 4)
    assert page.locator("main form").count() == 0
    assert_accessible(page)

    # Alice sees the panel on the event page and the aggregated results.
    log_in(page, live_server, alice)
    page.goto(f"/events/{event.pk}/")
    expect(page.locator("#event-feedback")).to_be_visible()
    assert_accessible(page)
    page.locator(f"#event-feedback a[href='/events/{event.pk}/survey/results/']").click()
    expect(page).to_have_url(re.compile(r"/survey/results/$"))
    expect(page.locator("#went-well")).to_contain_text("Real complaint data to work on")
    expect(page.locator("#improve")).to_contain_text("A longer lunch break")
    assert_accessible(page)

    # She records hours and a cost on the cost page (htmx) and corrects the cost in its row.
    page.goto(f"/events/{event.pk}/cost/")
    assert_accessible(page)
    page.locator("#id_time-role").select_option("project_lead")
    page.locator("#id_time-hours").fill("12.5")
    page.locator("#id_time-note").fill("Preparing the data")
    page.locator("#time-add-form button[type=submit]").click()
    expect(page.locator("#time-lines")).to_contain_text("Preparing the data")
    assert TimeSpent.objects.get().hours == Decimal("12.5")
    page.locator("#id_cost-description").fill("Catering")
    page.locator("#id_cost-amount").fill("1800")
    page.locator("#cost-add-form button[type=submit]").click()
    expect(page.locator("#cost-lines")).to_contain_text("Catering")
    catering = ExternalCost.objects.get(description="Catering")
    assert_accessible(page)
    page.locator(f"#cost-row-{catering.pk} a").click()
    amount = page.locator(f"#id_cost-{catering.pk}-amount")
    description = page.locator(f"#id_cost-{catering.pk}-description")
    expect(description).to_be_focused()
    # htmx moves focus to the row's autofocus field as it settles: typing before it has
    # settled can land in the description, so wait until no swap is under way.
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, "
        ".htmx-added')"
    )
    amount.fill("2000")
    expect(amount).to_have_value("2000")
    expect(description).to_have_value("Catering")
    assert_accessible(page)
    page.locator(f"#cost-row-{catering.pk} button[type=submit]").click()
    expect(page.locator(f"#id_cost-{catering.pk}-amount")).to_have_count(0)
    # The swapped row shows the saved amount: wait for it before reading the database.
    expect(page.locator(f"#cost-row-{catering.pk}")).to_contain_text("2,000")
    expect(page.locator(f"#cost-row-{catering.pk}")).to_contain_text("Catering")
    assert ExternalCost.objects.get(pk=catering.pk).amount == 2000
    assert_accessible(page)

    # The concept's trend: a chart with a table beside it.
    page.goto(f"/events/concepts/{concept.pk}/trend/")
    expect(page.locator("#trend-chart")).to_have_attribute("role", "img")
    expect(page.locator("#trend-table tbody tr")).to_have_count(2)
    expect(page.locator("#trend-table")).to_contain_text("Hackathon on complaints, round 2")
    assert_accessible(page)
