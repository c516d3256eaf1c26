"""Needs and challenges in a real browser: each person's path through the pages, checked by axe.

Texts of the interface are not asserted (translations may be missing): the tests look at
URLs, ids, roles and the data they created.
"""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from samspil.browser_testing import assert_accessible
from samspil.conftest import add_member, make_user
from samspil.core.models import Role, User, Visibility
from samspil.needs import services
from samspil.needs.models import ChallengeCoOwner, CoOwnerStatus, Need, NeedStatus

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"

BOB_TITLE = "Manuel kontering af indgående fakturaer"
BOB_DESCRIPTION = (
    "Medarbejderne i økonomiafdelingen konterer hver indgående faktura i hånden. "
    "Det tager mange timer hver uge og giver fejl i regnskabet."
)
CHARLIE_TITLE = "Manuell kontering av inngående fakturaer"
CHARLIE_DESCRIPTION = (
    "Saksbehandlerne i økonomiavdelingen konterer hver inngående faktura for hånd. "
    "Det tar mange timer hver uke og gir feil i regnskapet."
)


# Helpers ----------------------------------------------------------------------------------------


def sign_in(page: Page, username: str) -> None:
    """Through the sign-in form, as a person does."""
    page.goto("/")
    assert_accessible(page)
    page.locator(".site-header a[href^='/login/']").click()
    expect(page).to_have_url(re.compile(r"/login/"))
    assert_accessible(page)
    page.locator("#id_username").fill(f"{username}@example.org")
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator(".site-header a[href='/profile/']")).to_be_visible()


def log_in(page: Page, live_server, user: User) -> None:
    """A session made on the server side: quicker than the sign-in form the first test uses."""
    client = Client()
    client.force_login(user, backend="samspil.core.auth.EmailOrUsernameBackend")
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page.goto("/")
    expect(page.locator(".site-header a[href='/profile/']")).to_be_visible()


def submit(page: Page, form_selector: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form_selector} button[type=submit]").first.click()


def assert_no_sideways_scrolling(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until ``selector`` has the focus; every stop on the way must be visible."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        expect(page.locator(":focus")).to_be_in_viewport()
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"Tab never reached {selector} on {page.url}")


def need_of_norwegian_colleague(org_b) -> Need:
    charlie = make_user("charlie", language="nb")
    add_member(charlie, org_b)
    return services.report_need(
        charlie,
        org_b,
        title=CHARLIE_TITLE,
        description=CHARLIE_DESCRIPTION,
        visibility=Visibility.SHARED,
    )


# 1. Reporting a need ----------------------------------------------------------------------------


def test_it_lets_a_staff_member_report_a_need_that_another_organisation_has_too(
    browser_page: Page, org_a, org_b
):
    page = browser_page
    bob = make_user("bob", language="da")
    add_member(bob, org_a)
    norwegian = need_of_norwegian_colleague(org_b)

    sign_in(page, "bob")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    page.locator(".site-navigation a[href='/needs/']").click()
    expect(page).to_have_url(re.compile(r"/needs/$"))
    assert_accessible(page)
    page.locator("main a[href='/needs/new/']").click()
    expect(page).to_have_url(re.compile(r"/needs/new/$"))
    assert_accessible(page)

    # While the title is typed, the Norwegian near-duplicate appears, marked as another
    # organisation's, with a way to endorse it instead.
    page.locator("#id_title").press_sequentially(BOB_TITLE)
    suggestion = page.locator("#similar-needs li.need-similar").filter(
        has=page.locator(f"a[href='{norwegian.get_absolute_url()}']")
    )
    expect(suggestion).to_be_visible()
    expect(suggestion).to_have_class(re.compile(r"need-similar--other"))
    expect(suggestion.locator(".need-tag")).to_be_visible()
    expect(suggestion).to_contain_text(org_b.name)
    expect(suggestion.locator(f"a[href='/needs/{norwegian.pk}/endorse/']")).to_be_visible()
    assert_accessible(page)

    # Without a description the form comes back with the error beside the field.
    submit(page, "form.need-form")
    description_field = page.locator(".field:has(#id_description)")
    expect(description_field.locator(".ds-validation-message")).to_be_visible()
    expect(page.locator("#id_description")).to_have_attribute("aria-invalid", "true")
    error_id = description_field.locator("[id$='_error']").get_attribute("id")
    described_by = page.locator("#id_description").get_attribute("aria-describedby") or ""
    assert error_id in described_by.split()
    expect(page.locator(".ds-error-summary a[href='#id_description']")).to_be_visible()
    expect(page.locator("#id_title")).to_have_value(BOB_TITLE)
    # The suggestions stay in view while the person corrects the form.
    expect(page.locator(f"#similar-needs a[href='{norwegian.get_absolute_url()}']")).to_be_visible()
    assert_accessible(page)
    assert not Need.objects.filter(title=BOB_TITLE).exists()

    page.locator("#id_description").fill(BOB_DESCRIPTION)
    submit(page, "form.need-form")
    need = Need.objects.get(title=BOB_TITLE)
    assert need.submitted_by == bob
    assert need.owner == org_a
    assert need.visibility == Visibility.INTERNAL
    assert need.language == "da"
    expect(page).to_have_url(re.compile(rf"/needs/{need.pk}/$"))
    expect(page.locator("h1")).to_have_text(BOB_TITLE)
    expect(page.locator(".need-status--new")).to_be_visible()
    # The need page suggests the Norwegian need too.
    expect(page.locator(f"main a[href='{norwegian.get_absolute_url()}']")).to_be_visible()
    assert_accessible(page)

    # "My needs" lists it with its status.
    page.goto("/needs/")
    page.locator("main a[href='/needs/mine/']").click()
    expect(page).to_have_url(re.compile(r"/needs/mine/$"))
    row = page.locator(".need-row").filter(has=page.get_by_role("link", name=BOB_TITLE))
    expect(row).to_have_count(1)
    expect(row.locator(".need-status--new")).to_be_visible()
    expect(page.get_by_role("link", name=CHARLIE_TITLE)).to_have_count(0)
    assert_accessible(page)


def test_it_takes_a_need_on_a_phone_with_the_keyboard_alone(
    browser_page: Page, live_server, org_a, org_b
):
    page = browser_page
    bob = make_user("bob", language="da")
    add_member(bob, org_a)
    norwegian = need_of_norwegian_colleague(org_b)
    log_in(page, live_server, bob)

    # Nordic compounds are long: the title wraps on a phone instead of widening the page.
    title = f"{BOB_TITLE}: leverandørfakturakonteringsarbejdsgangene i økonomiforvaltningen"

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/needs/new/")
    assert_no_sideways_scrolling(page)
    assert_accessible(page)

    tab_to(page, "#id_title")
    page.keyboard.type(title)
    tab_to(page, "#id_description")
    page.keyboard.type(BOB_DESCRIPTION)
    expect(page.locator(f"#similar-needs a[href='{norwegian.get_absolute_url()}']")).to_be_visible()
    assert_no_sideways_scrolling(page)

    # "More details" opens with Enter; a theme is ticked with Space, visibility chosen by arrow.
    tab_to(page, "details.need-more > summary")
    page.keyboard.press("Enter")
    expect(page.locator("details.need-more")).to_have_attribute("open", "")
    tab_to(page, "#id_affected_count")
    page.keyboard.type("12")
    tab_to(page, "input[name=themes]")
    theme_value = page.evaluate("document.activeElement.value")
    page.keyboard.press("Space")
    tab_to(page, "input[name=visibility]")
    expect(page.locator(":focus")).to_have_value(Visibility.INTERNAL)
    page.keyboard.press("ArrowDown")
    expect(page.locator("input[name=visibility][value=shared]")).to_be_checked()
    assert_no_sideways_scrolling(page)
    assert_accessible(page)

    tab_to(page, "form.need-form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    need = Need.objects.get(title=title)
    expect(page).to_have_url(re.compile(rf"/needs/{need.pk}/$"))
    expect(page.locator(f"main a[href='{norwegian.get_absolute_url()}']")).to_be_visible()
    assert need.description == BOB_DESCRIPTION
    assert need.affected_count == 12
    assert need.visibility == Visibility.SHARED
    assert [str(t.pk) for t in need.themes.all()] == [theme_value]
    assert_no_sideways_scrolling(page)
    assert_accessible(page)

    page.goto("/needs/mine/")
    expect(page.get_by_role("link", name=title)).to_be_visible()
    assert_no_sideways_scrolling(page)
    assert_accessible(page)


# 2. Triage --------------------------------------------------------------------------------------


def test_it_lets_an_innovation_lead_triage_and_tells_the_reporter(
    browser_page: Page, live_server, org_a, alice
):
    page = browser_page
    bob = make_user("bob", language="da")
    add_member(bob, org_a)
    need = services.report_need(bob, org_a, title=BOB_TITLE, description=BOB_DESCRIPTION)

    log_in(page, live_server, alice)
    page.locator(".site-navigation a[href='/needs/']").click()
    page.locator("main a[href='/needs/board/']").click()
    expect(page).to_have_url(re.compile(r"/needs/board/$"))
    card = page.locator(f"#card-{need.pk}")
    expect(page.locator(f"section[aria-labelledby='column-new'] #card-{need.pk}")).to_be_visible()
    assert_accessible(page)

    def move(status: str, reason: str = "") -> None:
        details = card.locator("details.board-change")
        if details.get_attribute("open") is None:
            details.locator("summary").click()
        card.locator(f"#id_status-{need.pk}-status").select_option(status)
        card.locator(f"#id_status-{need.pk}-reason").fill(reason)
        card.locator("button[type=submit]").click()

    # In triage: the board is swapped in place and says what moved, in a status region that
    # stays on the page (a region swapped in with its text is not announced).
    page.locator("#board-status").evaluate("element => element.dataset.kept = 'yes'")
    move(NeedStatus.IN_TRIAGE)
    expect(
        page.locator(f"section[aria-labelledby='column-in_triage'] #card-{need.pk}")
    ).to_be_visible()
    expect(page.locator("#board-status[role=status][data-kept=yes]")).to_contain_text(BOB_TITLE)
    expect(card.get_by_role("link", name=BOB_TITLE)).to_be_focused()
    expect(page).to_have_url(re.compile(r"/needs/board/$"))
    assert_accessible(page)
    assert Need.objects.get(pk=need.pk).status == NeedStatus.IN_TRIAGE

    # Rejecting without a reason: the error is shown in the card, the need does not move.
    move(NeedStatus.REJECTED)
    reason = card.locator(f"#id_status-{need.pk}-reason")
    expect(card.locator(".ds-validation-message")).to_be_visible()
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(reason).to_be_focused()
    expect(
        page.locator(f"section[aria-labelledby='column-in_triage'] #card-{need.pk}")
    ).to_be_visible()
    assert_accessible(page)
    assert Need.objects.get(pk=need.pk).status == NeedStatus.IN_TRIAGE

    move(NeedStatus.ACCEPTED)
    expect(
        page.locator(f"section[aria-labelledby='column-accepted'] #card-{need.pk}")
    ).to_be_visible()
    assert_accessible(page)
    assert Need.objects.get(pk=need.pk).status == NeedStatus.ACCEPTED

    # bob sees two new notifications (in triage, accepted) and opens the newest.
    log_in(page, live_server, bob)
    bell = page.locator(".site-header a[href='/notifications/']")
    expect(bell).to_contain_text("2")
    bell.click()
    expect(page).to_have_url(re.compile(r"/notifications/$"))
    unread = page.locator(".notification-list li.unread")
    expect(unread).to_have_count(2)
    expect(unread.first).to_contain_text(BOB_TITLE)
    assert_accessible(page)
    with page.expect_navigation():
        unread.first.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/needs/{need.pk}/$"))
    expect(page.locator(".need-status--accepted")).to_be_visible()
    expect(bell).to_contain_text("1")
    assert_accessible(page)


# 3. "We have it too" ----------------------------------------------------------------------------


def test_it_lets_another_public_organisation_say_we_have_it_too(
    browser_page: Page, live_server, org_a, org_b, alice
):
    page = browser_page
    charlie = make_user("charlie", language="nb")
    add_member(charlie, org_b)
    internal = services.report_need(
        alice, org_a, title="Vagtplaner i hjemmeplejen", description="Intern sag om vagtplaner."
    )
    need = services.report_need(
        alice,
        org_a,
        title=BOB_TITLE,
        description=BOB_DESCRIPTION,
        visibility=Visibility.SHARED,
        affected_count=40,
        hours_per_week=Decimal("12.5"),
    )

    log_in(page, live_server, charlie)
    page.locator(".site-navigation a[href='/needs/']").click()
    expect(page.get_by_role("link", name=internal.title)).to_have_count(0)
    page.get_by_role("link", name=BOB_TITLE).click()
    expect(page).to_have_url(re.compile(rf"/needs/{need.pk}/$"))
    assert_accessible(page)

    page.locator(".need-actions a[href='#endorse']").click()
    expect(page.locator("#id_organisation")).to_have_value(str(org_b.pk))
    expect(page.locator("#id_affected_count")).to_be_in_viewport()
    page.locator("#id_affected_count").fill("25")
    page.locator("#id_hours_per_week").fill("7.5")
    page.locator("#id_comment").fill("Vi konterer også for hånd i Bergvik.")
    submit(page, "#endorse form")

    expect(page).to_have_url(re.compile(rf"/needs/{need.pk}/#endorsements$"))
    table = page.locator("#endorsements table")
    expect(table.locator("tbody th")).to_have_count(2)
    expect(table.locator("tbody th").nth(0)).to_contain_text(org_a.name)
    expect(table.locator("tbody th").nth(1)).to_contain_text(org_b.name)
    expect(table.locator("tbody")).to_contain_text("Vi konterer også for hånd i Bergvik.")
    totals = table.locator("tfoot td")
    expect(totals.nth(0)).to_have_text("65")
    expect(totals.nth(1)).to_have_text(re.compile(r"^20([.,]0)?$"))
    assert_accessible(page)
    endorsement = need.endorsements.get()
    assert (endorsement.organisation, endorsement.affected_count) == (org_b, 25)
    assert endorsement.hours_per_week == Decimal("7.5")

    # An internal need of org_a stays out of charlie's reach.
    response = page.goto(internal.get_absolute_url())
    assert response is not None and response.status == 404


# 4. Search and export ---------------------------------------------------------------------------


def test_it_finds_needs_by_a_danish_word_and_exports_what_it_found(
    browser_page: Page, live_server, org_a, org_b, alice
):
    page = browser_page
    danish = services.report_need(alice, org_a, title=BOB_TITLE, description=BOB_DESCRIPTION)
    services.report_need(
        alice,
        org_a,
        title="Bleer til vuggestuerne",
        description="Indkøb af bleer i en webshop, der er svær at bruge.",
    )
    norwegian = need_of_norwegian_colleague(org_b)

    log_in(page, live_server, alice)
    page.locator(".site-navigation a[href='/needs/']").click()
    expect(page.locator("#need-results .need-row h2 a")).to_have_count(3)
    assert_accessible(page)

    titles = page.locator("#need-results .need-row h2 a")
    page.locator("#id_q").press_sequentially("fakturaer")
    expect(titles).to_have_count(2)
    expect(page).to_have_url(re.compile(r"q=fakturaer"))
    expect(page.get_by_role("link", name=norwegian.title)).to_be_visible()

    page.locator("#id_country").select_option("DK")
    expect(titles).to_have_text([danish.title])
    expect(page).to_have_url(re.compile(r"country=DK"))
    assert_accessible(page)

    # The page reloaded from its address shows the same.
    page.reload()
    expect(page.locator("#id_q")).to_have_value("fakturaer")
    expect(titles).to_have_text([danish.title])
    assert_accessible(page)

    csv_link = page.locator("#need-results a[href^='/needs/export.csv']")
    href = csv_link.get_attribute("href") or ""
    assert "q=fakturaer" in href and "country=DK" in href
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/csv")
    body = response.text()
    assert danish.title in body
    assert norwegian.title not in body
    assert "Bleer til vuggestuerne" not in body


# 5. A challenge owned by two organisations ------------------------------------------------------


def test_it_makes_a_scaling_candidate_from_a_need_with_another_organisation(
    browser_page: Page, live_server, org_a, org_b, alice
):
    page = browser_page
    charlie = make_user("charlie", language="nb")
    add_member(charlie, org_b, Role.Code.INNOVATION_LEAD)
    need = services.report_need(
        alice, org_a, title=BOB_TITLE, description=BOB_DESCRIPTION, visibility=Visibility.SHARED
    )
    other = services.report_need(
        alice, org_a, title="Bleer til vuggestuerne", description="Indkøb af bleer."
    )
    services.create_challenge(
        alice,
        org_a,
        [other],
        title="Nemmere indkøb af bleer",
        problem_statement="Webshoppen.",
        visibility=Visibility.SHARED,
    )

    log_in(page, live_server, alice)
    page.goto(need.get_absolute_url())
    page.locator(f"main a[href='/challenges/new/?needs={need.pk}']").click()
    expect(page).to_have_url(re.compile(rf"/challenges/new/\?needs={need.pk}$"))
    expect(page.locator(f"input[name=needs][value='{need.pk}']")).to_be_checked()
    expect(page.locator("#id_owner")).to_have_value(str(org_a.pk))
    assert_accessible(page)

    title = "Automatisk kontering af fakturaer"
    page.locator("#id_title").fill(title)
    page.locator("#id_problem_statement").fill(BOB_DESCRIPTION)
    for criterion in ["saves_time", "recognisable_elsewhere", "anchored_in_management"]:
        page.locator(f"input[name=criteria][value={criterion}]").check()
    page.locator("#id_co_owners").select_option(str(org_b.pk))
    submit(page, "main form")

    challenge = need.challenges.get()
    expect(page).to_have_url(re.compile(rf"/challenges/{challenge.pk}/$"))
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("#scaling .ds-tag")).to_have_count(0)  # one owner so far
    assert_accessible(page)
    assert challenge.meets_scaling_criteria and not challenge.is_scaling_candidate
    assert Need.objects.get(pk=need.pk).status == NeedStatus.IN_CHALLENGE

    # charlie, innovation lead of org_b, is told, and accepts for his organisation.
    log_in(page, live_server, charlie)
    page.locator(".site-header a[href='/notifications/']").click()
    invitation = page.locator(".notification-list li.unread").filter(has_text=title)
    expect(invitation).to_have_count(1)
    assert_accessible(page)
    with page.expect_navigation():
        invitation.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/challenges/{challenge.pk}/$"))
    assert_accessible(page)
    co_owner = ChallengeCoOwner.objects.get(challenge=challenge, organisation=org_b)
    answer = page.locator(
        f"form[action='/challenges/{challenge.pk}/co-owners/{co_owner.pk}/answer/']"
    )
    with page.expect_navigation():
        answer.locator("button[value=accept]").click()
    expect(page.locator("#scaling .ds-tag")).to_be_visible()
    expect(page.locator("main ul.owners")).to_contain_text(org_b.name)
    assert_accessible(page)
    co_owner.refresh_from_db()
    challenge.refresh_from_db()
    assert co_owner.status == CoOwnerStatus.ACCEPTED
    assert challenge.is_scaling_candidate

    # The challenge list, filtered to scaling candidates, shows it and not the other one.
    page.goto("/challenges/")
    rows = page.locator("#challenge-table tbody tr")
    expect(rows).to_have_count(2)
    assert_accessible(page)
    page.locator("#id_scaling").check()
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_role("link", name=title)).to_be_visible()
    expect(rows.first.locator(".ds-tag")).to_be_visible()
    expect(page).to_have_url(re.compile(r"scaling=on"))
    assert_accessible(page)

    # Both pages reflow at 320 CSS pixels (WCAG 1.4.10).
    page.set_viewport_size({"width": 320, "height": 640})
    assert_no_sideways_scrolling(page)
    page.goto(challenge.get_absolute_url())
    assert_no_sideways_scrolling(page)
    assert_accessible(page)
