"""Concepts in a real browser: alice makes a concept with the standard checklist, an event
from it, marks a task done (htmx), sees the overdue tasks on the event page and copies the
event; axe checks every page. Interface texts are not asserted (translations vary)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from samspil.browser_testing import assert_accessible
from samspil.conftest import add_member, make_user
from samspil.core.models import Role
from samspil.events import concept_services
from samspil.events.models import Event, EventConcept, EventTask, TaskStatus

from .test_browser import log_in

pytestmark = pytest.mark.browser


def fill_times(page: Page, start) -> None:
    page.locator("#id_starts_at").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_ends_at").fill((start + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"))


def test_it_walks_from_a_concept_to_a_copied_event(browser_page: Page, live_server, org_a):
    page = browser_page
    alice = make_user("alice", language="en")
    add_member(alice, org_a, Role.Code.INNOVATION_LEAD)
    start = timezone.localtime(timezone.now() + timedelta(days=10)).replace(hour=9, minute=0)

    # A concept with the standard checklist.
    log_in(page, live_server, alice)
    page.goto("/events/")
    page.locator("#event-concepts-link").click()
    expect(page).to_have_url(re.compile(r"/events/concepts/$"))
    assert_accessible(page)
    page.locator("#concept-create-link").click()
    expect(page).to_have_url(re.compile(r"/events/concepts/new/$"))
    assert_accessible(page)
    page.locator("#id_title").fill("Hackathon as market dialogue")
    page.locator("#id_kind").select_option("hackathon")
    expect(page.locator("#id_standard_tasks")).to_be_checked()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    concept = EventConcept.objects.get()
    expect(page).to_have_url(re.compile(rf"/events/concepts/{concept.pk}/$"))
    expect(page.locator("table.concept-tasks tbody tr")).to_have_count(
        len(concept_services.STANDARD_TASKS)
    )
    assert_accessible(page)

    # An event from it, ten days ahead: the tasks due earlier are overdue at once.
    page.locator("#concept-new-event-link").click()
    expect(page).to_have_url(re.compile(rf"/events/concepts/{concept.pk}/new-event/$"))
    expect(page.locator("#id_kind")).to_have_value("hackathon")
    assert_accessible(page)
    page.locator("#id_title").fill("Hackathon on complaints")
    page.locator("#id_place").fill("Koncern IT, databanken")
    fill_times(page, start)
    page.locator("#id_capacity").fill("40")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    event = Event.objects.get()
    expect(page).to_have_url(re.compile(rf"/events/{event.pk}/$"))
    today = timezone.localdate()
    overdue = list(event.tasks.filter(due_on__lt=today))
    assert overdue
    expect(page.locator("#event-preparation li[data-task]")).to_have_count(len(overdue))
    assert_accessible(page)

    # The preparation page: one overdue task done without reloading the page.
    page.locator("#event-tasks-link").click()
    expect(page).to_have_url(re.compile(rf"/events/{event.pk}/tasks/$"))
    expect(page.locator("tr[data-overdue]")).to_have_count(len(overdue))
    assert_accessible(page)
    task = overdue[0]
    page.locator(f"#status-{task.pk}").select_option("done")
    page.locator(f"#task-{task.pk} form[action$='/status/'] button").click()
    expect(page.locator(f"#task-{task.pk}")).to_have_attribute("data-status", "done")
    expect(page.locator("tr[data-overdue]")).to_have_count(len(overdue) - 1)
    assert EventTask.objects.get(pk=task.pk).status == TaskStatus.DONE
    assert_accessible(page)

    # Back on the event page the done task is no longer overdue.
    page.goto(f"/events/{event.pk}/")
    expect(page.locator("#event-preparation li[data-task]")).to_have_count(len(overdue) - 1)
    expect(page.locator(f"#event-preparation li[data-task='{task.pk}']")).to_have_count(0)

    # A copy a year later, with the tasks to do again.
    page.locator("#event-copy-link").click()
    expect(page).to_have_url(re.compile(rf"/events/{event.pk}/copy/$"))
    expect(page.locator("#id_title")).to_have_value("Hackathon on complaints")
    assert_accessible(page)
    page.locator("#id_title").fill("Hackathon on complaints, second round")
    fill_times(page, start + timedelta(days=364))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    copy = Event.objects.get(copied_from=event)
    expect(page).to_have_url(re.compile(rf"/events/{copy.pk}/$"))
    assert copy.tasks.count() == event.tasks.count()
    assert not copy.tasks.filter(status=TaskStatus.DONE).exists()
    assert_accessible(page)
