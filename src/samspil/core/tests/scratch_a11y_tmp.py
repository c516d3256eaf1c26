import json, pytest
from samspil.browser_testing import _axe
from samspil.conftest import add_member, make_user
from samspil.core.models import Role

@pytest.mark.browser
def test_dump(browser_page, org_a, org_b):
    page = browser_page
    u = make_user("erin"); add_member(u, org_a, Role.Code.ADMIN); add_member(u, org_b)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    print(page.evaluate("""() => [...document.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > window.innerWidth).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0,20)"""))
    page.set_viewport_size({"width": 1280, "height": 900})
    for path in ["/", "/login/"]:
        page.goto(path)
        r = _axe.run(page, options={"resultTypes": ["violations", "incomplete"]})
        for key in ("violations", "incomplete"):
            for v in r.response[key]:
                print(path, key, v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5])
    page.goto("/login/")
    page.fill("#id_username", "erin@example.org"); page.fill("#id_password", "correct horse battery staple")
    page.click("main form button[type=submit]"); page.wait_for_load_state()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    print(page.evaluate("""() => [...document.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > window.innerWidth).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0,20)"""))
    page.screenshot(path="/tmp/phone_signed_in.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    for path in ["/", f"/organisations/{org_a.pk}/members/", f"/organisations/{org_a.pk}/edit/", "/profile/"]:
        page.goto(path)
        r = _axe.run(page, options={"resultTypes": ["violations", "incomplete"]})
        for key in ("violations", "incomplete"):
            for v in r.response[key]:
                print(path, key, v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5])
    page.goto(f"/organisations/{org_a.pk}/members/")
    page.screenshot(path="/tmp/members.png", full_page=True)
    page.goto(f"/organisations/{org_a.pk}/edit/")
    page.screenshot(path="/tmp/edit.png", full_page=True)
