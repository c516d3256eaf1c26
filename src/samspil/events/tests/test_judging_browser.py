"""Judging in a real browser: alice sets the default criteria and two jurors, each juror
scores blind, alice publishes, the winners show on the event page; axe checks every page."""

import re

import pytest
from playwright.sync_api import Page, expect

from samspil.browser_testing import assert_accessible
from samspil.conftest import add_member, make_user
from samspil.core.models import Role
from samspil.events.models import Criterion, Event, Score

from .test_browser import log_in
from .test_judging_services import make_hackathon, make_submission

pytestmark = pytest.mark.browser


def score_submission(page: Page, event: Event, submission, value: int) -> None:
    page.goto(f"/events/{event.pk}/judging/score/")
    page.locator(f"main a[href='/events/{event.pk}/judging/score/{submission.pk}/']").click()
    expect(page).to_have_url(re.compile(rf"/judging/score/{submission.pk}/$"))
    for criterion in Criterion.objects.filter(event=event):
        page.locator(f"input[name='criterion_{criterion.pk}'][value='{value}']").check()
    with page.expect_navigation():
        page.locator("main form.event-score-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/events/{event.pk}/judging/score/$"))


def test_it_judges_a_hackathon_and_publishes_the_winners(
    browser_page: Page, live_server, org_a, org_c
):
    page = browser_page
    alice = make_user("alice", language="en")
    add_member(alice, org_a, Role.Code.INNOVATION_LEAD)
    bob = make_user("bob", language="en")
    add_member(bob, org_a)
    dave = make_user("dave", language="en")
    add_member(dave, org_c)
    event = make_hackathon(alice, org_a, winner_count=1)
    alfa = make_submission(event, "Alfa", "Complaint tracker", minutes=0)
    beta = make_submission(event, "Beta", "Plain-language letters", minutes=1)

    # Alice sets up the judging from the event page.
    log_in(page, live_server, alice)
    page.goto(f"/events/{event.pk}/")
    page.locator("#event-judging-link").click()
    expect(page).to_have_url(re.compile(rf"/events/{event.pk}/judging/$"))
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("#criterion-defaults-form button[type=submit]").click()
    expect(page.locator("#judging-criteria tbody tr")).to_have_count(5)
    page.locator("#id_user").select_option(str(bob.pk))
    with page.expect_navigation():
        page.locator("#juror-form button[type=submit]").click()
    page.locator("#id_email").fill("nobody@example.org")
    with page.expect_navigation():
        page.locator("#juror-form button[type=submit]").click()
    expect(page.locator("#juror-form .ds-error-summary")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_email").fill(dave.email)
    with page.expect_navigation():
        page.locator("#juror-form button[type=submit]").click()
    expect(page.locator("#judging-jury tbody tr")).to_have_count(2)
    assert_accessible(page)

    # Bob scores both submissions; a missing score keeps what he ticked.
    log_in(page, live_server, bob)
    page.goto(f"/events/{event.pk}/")
    page.locator("#event-score-link").click()
    expect(page).to_have_url(re.compile(rf"/events/{event.pk}/judging/score/$"))
    assert_accessible(page)
    page.locator(f"main a[href='/events/{event.pk}/judging/score/{alfa.pk}/']").click()
    assert_accessible(page)
    first = Criterion.objects.filter(event=event).first()
    page.locator(f"input[name='criterion_{first.pk}'][value='5']").check()
    with page.expect_navigation():
        page.locator("main form.event-score-form button[type=submit]").click()
    expect(page.locator(".ds-error-summary")).to_be_visible()
    expect(page.locator(f"input[name='criterion_{first.pk}'][value='5']")).to_be_checked()
    assert_accessible(page)
    score_submission(page, event, alfa, 5)
    score_submission(page, event, beta, 2)
    # Blind: Dave has not scored, so the ranking is closed even to the jury.
    assert page.goto(f"/events/{event.pk}/ranking/").status == 403

    log_in(page, live_server, dave)
    score_submission(page, event, alfa, 4)
    score_submission(page, event, beta, 3)
    assert_accessible(page)
    assert Score.objects.count() == 20
    assert page.goto(f"/events/{event.pk}/ranking/").status == 200
    expect(page.locator(".event-ranking-scores tbody tr")).to_have_count(20)
    assert_accessible(page)

    # Alice publishes; the winner is on the event page for everyone.
    log_in(page, live_server, alice)
    page.goto(f"/events/{event.pk}/judging/")
    expect(page.locator(".event-ranking-row")).to_have_count(2)
    with page.expect_navigation():
        page.locator("#publish-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/events/{event.pk}/$"))
    expect(page.locator(f"#event-winners tr[data-submission='{alfa.pk}']")).to_have_count(1)
    assert_accessible(page)

    page.context.clear_cookies()
    page.goto(f"/events/{event.pk}/")
    expect(page.locator("#event-winners tbody tr")).to_have_count(1)
    expect(page.locator(f"#event-winners tr[data-submission='{alfa.pk}']")).to_contain_text(
        "Complaint tracker"
    )
    page.locator("#event-ranking-link").click()
    expect(page).to_have_url(re.compile(rf"/events/{event.pk}/ranking/$"))
    expect(page.locator(".event-ranking-row")).to_have_count(2)
    expect(page.locator(".event-ranking-scores")).to_have_count(0)
    assert_accessible(page)
