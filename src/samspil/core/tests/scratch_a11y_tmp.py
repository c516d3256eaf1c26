import pytest
from samspil.browser_testing import _axe, assert_accessible
from samspil.conftest import add_member, make_user
from samspil.core.models import Role, Invitation

@pytest.mark.browser
def test_dump(browser_page, org_a, org_b, org_a_department):
    page = browser_page
    u = make_user("erin", language="en"); add_member(u, org_a, Role.Code.ADMIN); add_member(u, org_b)
    token, digest = Invitation.new_token()
    Invitation.objects.create(organisation=org_a, email="f@example.org", token_digest=digest)
    page.goto(f"/invitations/{token}/")
    page.click("main form button[type=submit]"); page.wait_for_load_state()
    page.screenshot(path="/tmp/invite_err.png", full_page=True)
    page.goto("/login/")
    page.fill("#id_username", "erin@example.org"); page.fill("#id_password", "wrong")
    page.click("main form button[type=submit]"); page.wait_for_load_state()
    assert_accessible(page)
    page.fill("#id_username", "erin@example.org"); page.fill("#id_password", "correct horse battery staple")
    page.click("main form button[type=submit]"); page.wait_for_load_state()
    page.goto(f"/organisations/{org_a.pk}/edit/")
    page.fill("#id_name", "")
    page.locator("#id_theme_colour").evaluate("el => { el.type = 'text'; el.value = 'blue'; }")
    page.click("main form .actions button"); page.wait_for_load_state()
    assert_accessible(page)
    page.screenshot(path="/tmp/edit_err.png", full_page=True)
