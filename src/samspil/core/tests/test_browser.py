"""The core in a real browser: a person's path through the pages, each checked by axe-core.

Texts are not asserted (translations may be missing); languages are checked on <html lang>.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from samspil.browser_testing import assert_accessible
from samspil.conftest import add_member, make_invitation, make_user
from samspil.core.models import AccessToken, Membership, Organisation, Role

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


def sign_in(page: Page, email: str) -> None:
    page.locator(".site-header a[href^='/login/']").click()
    expect(page).to_have_url(re.compile(r"/login/"))
    assert_accessible(page)
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator(".site-header a[href='/profile/']")).to_be_visible()


def choose_language(page: Page, code: str) -> None:
    chooser = page.locator(".site-header form:has(#language-chooser)")
    chooser.locator("select").select_option(code)
    with page.expect_navigation():
        chooser.locator("button").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def submit(page: Page, form_selector: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form_selector} button[type=submit]").first.click()


def test_it_walks_a_signed_in_admin_through_the_core(browser_page: Page, org_a, org_b, org_c):
    page = browser_page
    erin = make_user("erin")
    add_member(erin, org_a, Role.Code.ADMIN)
    add_member(erin, org_b)
    bob = make_user("bob")
    bob_membership = add_member(bob, org_a)

    page.goto("/")
    assert_accessible(page)
    sign_in(page, "erin@example.org")
    expect(page).to_have_url(re.compile(r"/$"))

    # The language chooser works from any page and brings the person back to it.
    for code, path in [
        ("da", "/"),
        ("nb", "/organisations/"),
        ("sv", "/profile/"),
        ("en", "/hub/"),
    ]:
        page.goto(path)
        choose_language(page, code)
        expect(page).to_have_url(re.compile(re.escape(path) + "$"))
        assert_accessible(page)
    erin.refresh_from_db()
    assert erin.language == "en"

    # The organisation switcher lists both memberships and remembers the choice.
    page.goto("/")
    switcher = page.locator("#organisation-switcher")
    expect(switcher).to_have_value(str(org_a.pk))
    switcher.select_option(str(org_b.pk))
    submit(page, ".site-header form:has(#organisation-switcher)")
    expect(page.locator("#organisation-switcher")).to_have_value(str(org_b.pk))
    expect(page.locator("#organisation-switcher option:checked")).to_have_text(org_b.name)
    expect(page.locator("main")).to_contain_text(org_b.name)

    # Organisation list, filtered as one types and by kind, without a page load.
    page.locator(".site-navigation a[href='/organisations/']").click()
    expect(page.locator("#organisation-table tbody a")).to_have_count(3)
    assert_accessible(page)
    page.locator("#id_q").press_sequentially("Berg")
    expect(page.locator("#organisation-table tbody a")).to_have_text([org_b.name])
    expect(page).to_have_url(re.compile(r"q=Berg"))
    page.locator("#id_q").fill("")
    page.locator("#id_kind").select_option("company")
    expect(page.locator("#organisation-table tbody a")).to_have_text([org_c.name])
    assert_accessible(page)

    # Organisation detail and edit: a bad colour is refused next to the field, input kept.
    page.locator(".site-navigation a[href='/organisations/']").click()
    page.locator(f"#organisation-table a[href='/organisations/{org_a.pk}/']").click()
    expect(page.locator("h1")).to_have_text(org_a.name)
    assert_accessible(page)
    page.locator(f"main a[href='/organisations/{org_a.pk}/edit/']").click()
    assert_accessible(page)
    page.locator("#id_name").fill("Arby Kommune Nord")
    # A colour input cannot hold a bad value, so make it a text box as an old browser would.
    page.locator("#id_theme_colour").evaluate("el => { el.type = 'text'; el.value = 'blue'; }")
    submit(page, "main form")
    colour_field = page.locator(".field:has(#id_theme_colour)")
    expect(colour_field.locator(".ds-validation-message")).to_be_visible()
    expect(page.locator("#id_theme_colour")).to_have_attribute("aria-invalid", "true")
    error_id = colour_field.locator("[id$='_error']").get_attribute("id")
    described_by = page.locator("#id_theme_colour").get_attribute("aria-describedby") or ""
    assert error_id in described_by.split()
    expect(page.locator("#id_name")).to_have_value("Arby Kommune Nord")
    expect(page.locator(".ds-error-summary a[href='#id_theme_colour']")).to_be_visible()
    assert_accessible(page)
    assert Organisation.objects.get(pk=org_a.pk).name == "Arby Kommune"

    # Members: a role is changed in place through htmx, and the row says it was saved.
    page.goto(f"/organisations/{org_a.pk}/")
    page.locator(f"main a[href='/organisations/{org_a.pk}/members/']").click()
    assert_accessible(page)
    roles_form = page.locator(f"#roles-{bob_membership.pk}")
    roles_form.locator("input[value='innovation_lead']").check()
    roles_form.locator("button[type=submit]").click()
    expect(roles_form.locator("[role=status]")).to_have_text(re.compile(r"\S"))
    expect(page).to_have_url(re.compile(rf"/organisations/{org_a.pk}/members/$"))
    expect(roles_form.locator("input[value='innovation_lead']")).to_be_checked()
    expect(roles_form.locator("button[type=submit]")).to_be_focused()
    assert_accessible(page)
    codes = set(Membership.objects.get(pk=bob_membership.pk).roles.values_list("code", flat=True))
    assert codes == {"innovation_lead"}
    # Taking away the last admin role is refused, and the refusal shows in the row.
    erin_form = page.locator(f"#roles-{erin.memberships.get(organisation=org_a).pk}")
    erin_form.locator("input[value='admin']").uncheck()
    erin_form.locator("button[type=submit]").click()
    expect(erin_form.locator(".ds-validation-message")).to_be_visible()
    assert erin.memberships.get(organisation=org_a).roles.filter(code="admin").exists()
    assert_accessible(page)

    # Profile: a new API token is shown once.
    page.locator(".site-header a[href='/profile/']").click()
    expect(page).to_have_url(re.compile(r"/profile/$"))
    assert_accessible(page)
    page.locator("#id_name").fill("report script")
    submit(page, "form[action='/profile/tokens/']")
    secret = page.locator("#new-token").inner_text().strip()
    assert len(secret) > 20
    assert AccessToken.objects.filter(user=erin, name="report script").exists()
    assert_accessible(page)
    page.goto("/profile/")
    expect(page.locator("#new-token")).to_have_count(0)
    expect(page.get_by_text(secret)).to_have_count(0)

    # Signing out brings back the sign-in link.
    submit(page, ".site-header form[action='/logout/']")
    expect(page.locator(".site-header a[href^='/login/']")).to_be_visible()


def test_it_serves_accessible_pages_to_an_anonymous_visitor(browser_page: Page, org_a):
    page = browser_page
    erin = make_user("erin")
    add_member(erin, org_a, Role.Code.ADMIN)

    # The skip link is the first stop for the keyboard and leads to the content.
    page.goto("/")
    page.keyboard.press("Tab")
    skip_link = page.locator(".ds-skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # Password reset, reached from the sign-in page.
    page.locator(".site-header a[href^='/login/']").click()
    page.locator("main a[href='/password-reset/']").click()
    assert_accessible(page)
    submit(page, "main form")  # empty: the error is shown next to the field
    expect(page.locator(".field:has(#id_email) .ds-validation-message")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_email").fill("erin@example.org")
    submit(page, "main form")
    expect(page).to_have_url(re.compile(r"/password-reset/sent/$"))
    assert_accessible(page)

    response = page.goto("/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page)

    page.goto("/hub/")
    expect(page.locator(".site-navigation a[aria-current='page']")).to_have_attribute(
        "href", "/hub/"
    )
    assert_accessible(page)

    invitation, token = make_invitation(org_a, "frank@example.org", invited_by=erin)
    invitation.roles.set(Role.objects.filter(code=Role.Code.INNOVATION_LEAD))
    page.goto(f"/invitations/{token}/")
    expect(page.locator("#id_first_name")).to_be_visible()
    assert_accessible(page)
    submit(page, "main form")
    expect(page.locator(".field:has(#id_first_name) .ds-validation-message")).to_be_visible()
    assert_accessible(page)


def test_it_fits_a_phone(browser_page: Page, org_a):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    assert_accessible(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    for selector in [
        ".site-header a[href^='/login/']",
        "#language-chooser",
        ".site-navigation a[href='/organisations/']",
        ".site-navigation a[href='/results/']",
    ]:
        expect(page.locator(selector)).to_be_visible()
    page.locator(".site-navigation a[href='/organisations/']").click()
    expect(page).to_have_url(re.compile(r"/organisations/$"))
    link = page.locator(f"#organisation-table a[href='{org_a.get_absolute_url()}']")
    expect(link).to_be_visible()
    assert_accessible(page)
