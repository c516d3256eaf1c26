"""Teams and submissions in a real browser: alice makes teams from the groups; a participant
writes the team's submission and uploads a screenshot (htmx); axe checks every page."""

import re

import pytest
from playwright.sync_api import Page, expect

from samspil.browser_testing import assert_accessible
from samspil.conftest import add_member, make_user
from samspil.core.models import Role
from samspil.events import services
from samspil.events.models import Submission, Team
from samspil.events.services import GroupingSettings

from .conftest import register
from .test_browser import log_in
from .test_grouping_services import populate
from .test_teams_services import make_challenge, make_hackathon, tiny_png

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_it_makes_teams_and_a_participant_submits_with_a_screenshot(
    browser_page: Page, live_server, org_a, tmp_path
):
    page = browser_page
    alice = make_user("alice", language="en")
    add_member(alice, org_a, Role.Code.INNOVATION_LEAD)
    challenge = make_challenge(org_a, "Complaints handled faster")
    event = make_hackathon(alice, org_a, challenges=[challenge])
    populate(event)
    jonas = make_user("jonas", language="en")
    register(event, "jonas@example.org", user=jonas, name="Jonas Grandal")
    services.form_groups(alice, event, GroupingSettings(group_count=3), seconds=0.1)

    # Alice makes one team per group from the teams page.
    log_in(page, live_server, alice)
    page.goto(f"/events/{event.pk}/")
    page.locator(f".event-organise a[href='/events/{event.pk}/teams/']").click()
    expect(page).to_have_url(re.compile(rf"/events/{event.pk}/teams/$"))
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main form.team-from-groups button[type=submit]").click()
    expect(page.locator("main table.team-table tbody tr")).to_have_count(3)
    assert Team.objects.filter(event=event).count() == 3
    team = Team.objects.get(event=event, members__email="jonas@example.org")
    assert team.challenge == challenge
    assert_accessible(page)

    # Jonas finds his team on the event page and writes the submission.
    log_in(page, live_server, jonas)
    page.goto(f"/events/{event.pk}/")
    assert_accessible(page)
    page.locator("#teams-panel-mine a").click()
    expect(page).to_have_url(re.compile(rf"/teams/{team.pk}/submission/$"))
    assert_accessible(page)
    page.locator("#edit-submission").click()
    expect(page).to_have_url(re.compile(r"/submission/edit/$"))
    assert_accessible(page)
    page.locator("#id_title").fill("Complaint bot")
    page.locator("#id_summary").fill("Answers complaints at night and routes the hard ones.")
    page.locator("#id_problem_solved").fill("Citizens wait weeks for an answer.")
    page.locator("#id_links").fill("https://example.org/demo")
    with page.expect_navigation():
        page.locator("main form.submission-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/teams/{team.pk}/submission/$"))
    assert Submission.objects.get(team=team).title == "Complaint bot"
    assert_accessible(page)

    # He adds a screenshot without leaving the page; it is shown from the guarded route.
    image = tmp_path / "front page.png"
    image.write_bytes(tiny_png())
    page.locator("input[name=kind][value=screenshot]").check()
    page.locator("#id_file").set_input_files(str(image))
    page.locator("main form.submission-file-form button[type=submit]").click()
    shot = page.locator("#submission-files img.submission-screenshot")
    expect(shot).to_have_count(1)
    shot.scroll_into_view_if_needed()
    expect(shot).to_have_js_property("complete", True)
    assert shot.evaluate("img => img.naturalWidth") == 1
    record = Submission.objects.get(team=team).files.get()
    assert record.original_name == "front_page.png" and record.kind == "screenshot"
    expect(page).to_have_url(re.compile(rf"/teams/{team.pk}/submission/$"))
    assert_accessible(page)

    page.goto(f"/events/{event.pk}/submissions/")
    expect(page.locator(f"main #submission-{record.submission_id}")).to_have_count(1)
    assert_accessible(page)
