"""The programme pages and the portfolio overview, for those who may and may not use them."""

import re
from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samspil.conftest import add_member, make_user
from samspil.core.models import Role, Visibility
from samspil.needs.models import Need
from samspil.pilots import programme_services
from samspil.pilots.models import Kpi, Measurement, Method, Pilot, PilotStatus, Programme

from .conftest import make_pilot

HTMX = {"HX-Request": "true"}


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def squeezed(text: str) -> str:
    """Without spaces: numbers are written with narrow or non-breaking ones by language."""
    return re.sub(r"\s", "", unescape(text))


def table_of(response, table_id: str) -> str:
    """The text of one table of the page."""
    found = re.search(rf'<table[^>]*id="{table_id}".*?</table>', response.content.decode(), re.S)
    assert found, table_id
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split())


def new_programme(actor, owner, title="Digital welfare", **fields) -> Programme:
    start = timezone.localdate() - timedelta(days=60)
    values = {
        "title": title,
        "starts_on": start,
        "ends_on": start + timedelta(days=730),
        "method": Method.LEAN,
        "gain_target_percent": Decimal("30"),
        "max_pilot_months": 6,
        "visibility": Visibility.PUBLIC,
    }
    values.update(fields)
    return programme_services.create_programme(actor, owner, **values)


def measure(pilot: Pilot, baseline: str, *values: str, direction: str = "lower") -> Kpi:
    """A first KPI with measurements on consecutive days, the last one the latest."""
    kpi = Kpi.objects.create(
        pilot=pilot,
        name="Minutes per invoice",
        unit="min",
        direction=direction,
        baseline_value=Decimal(baseline),
        baseline_on=pilot.starts_on,
    )
    Measurement.objects.bulk_create(
        Measurement(kpi=kpi, measured_on=pilot.starts_on + timedelta(days=n + 1), value=value)
        for n, value in enumerate(values)
    )
    return kpi


def form_data(org, **overrides) -> dict:
    data = {
        "owner": org.pk,
        "title": "Velferdsteknologi 2025",
        "description": "UKE with Alna and Stovner.",
        "starts_on": "2025-01-01",
        "ends_on": "2026-12-31",
        "method": "prosjektveiviseren",
        "gain_target_percent": "30",
        "max_pilot_months": "6",
        "visibility": "internal",
    }
    data.update(overrides)
    return data


@pytest.fixture
def internal_programme(alice, org_a):
    return new_programme(alice, org_a, "Internal programme", visibility=Visibility.INTERNAL)


# List ------------------------------------------------------------------------------------------


def test_the_list_shows_public_programmes_to_anonymous_visitors(client, alice, org_a):
    public = new_programme(alice, org_a, "Public programme")
    new_programme(alice, org_a, "Internal programme", visibility=Visibility.INTERNAL)
    response = client.get("/pilots/programmes/")
    assert response.status_code == 200
    text = text_of(response)
    assert public.title in text
    assert "Internal programme" not in text
    assert "/pilots/programmes/new/" not in response.content.decode()


def test_the_list_shows_internal_programmes_to_members_only(
    client_for, alice, bob, charlie, dave, internal_programme
):
    assert internal_programme.title in text_of(client_for(bob).get("/pilots/programmes/"))
    for outsider in (charlie, dave):
        assert internal_programme.title not in text_of(
            client_for(outsider).get("/pilots/programmes/")
        )


def test_the_list_shows_pilots_average_and_target(client, alice, org_a):
    programme = new_programme(alice, org_a)
    measure(make_pilot(alice, org_a, "A", programme=programme), "20", "14")  # 30 %
    measure(make_pilot(alice, org_a, "B", programme=programme), "20", "18")  # 10 %
    make_pilot(alice, org_a, "C", programme=programme)
    response = client.get("/pilots/programmes/")
    row = re.search(
        rf'<tr data-programme="{programme.pk}">(.*?)</tr>', response.content.decode(), re.S
    ).group(1)
    cells = [
        " ".join(re.sub(r"<[^>]+>", " ", c).split())
        for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]
    assert cells[3] == "3"
    assert squeezed(cells[4]) == "+20%"
    assert squeezed(cells[5]) == "30%"
    assert 'data-verdict="not_met"' in row


def test_the_list_answers_htmx_with_its_table(client, alice, org_a):
    new_programme(alice, org_a)
    response = client.get("/pilots/programmes/", headers=HTMX)
    assert response.status_code == 200
    assert "<h1" not in response.content.decode()
    assert 'id="programmes"' in response.content.decode()


def test_the_list_keeps_its_query_count_with_more_programmes_and_pilots(client_for, alice, org_a):
    client = client_for(alice)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/pilots/programmes/").status_code == 200
        return len(queries)

    programme = new_programme(alice, org_a, "Programme 0")
    measure(make_pilot(alice, org_a, "Pilot 0", programme=programme), "20", "15")
    few = count_queries()
    for n in range(1, 15):
        programme = new_programme(alice, org_a, f"Programme {n}")
        for m in range(2):
            measure(make_pilot(alice, org_a, f"P{n}-{m}", programme=programme), "20", "19", "15")
    assert count_queries() == few


# Detail ----------------------------------------------------------------------------------------


def test_the_programme_page_shows_facts_portfolio_and_average(client, alice, bob, org_a):
    programme = new_programme(alice, org_a, board=[bob], coordinator=alice)
    measure(make_pilot(alice, org_a, "Invoice robot", programme=programme), "20", "16", "12")
    make_pilot(
        alice,
        org_a,
        "Too long",
        programme=programme,
        planned_end_on=timezone.localdate() + timedelta(days=400),
    )
    response = client.get(f"/pilots/programmes/{programme.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    for expected in ("Digital welfare", "Bob", "Alice", "Lean", "Invoice robot", "Too long"):
        assert expected in text
    assert "6 months" in text
    # 20 → 12 minutes: a 40 % gain, the programme's only measured one: the target is met.
    assert 'id="portfolio-target"' in html and 'data-verdict="met"' in html
    assert "+40%" in squeezed(text)
    assert "longer than the programme's maximum of 6 months" in text
    assert f'href="/pilots/programmes/{programme.pk}/edit/"' not in html


def test_the_pilots_table_says_not_defined_for_a_gain_on_a_zero_baseline(client, alice, org_a):
    programme = new_programme(alice, org_a)
    zero = make_pilot(alice, org_a, "Zero baseline", programme=programme)
    measure(zero, "0", "3")
    unmeasured = make_pilot(alice, org_a, "Not measured", programme=programme)
    html = client.get(f"/pilots/programmes/{programme.pk}/").content.decode()
    cells = {
        pk: " ".join(re.sub(r"<[^>]+>", " ", cell).split())
        for pk, cell in re.findall(
            r'<tr data-pilot="(\d+)">.*?<td class="number"[^>]*>(.*?)</td>', html, re.S
        )
    }
    assert cells == {str(zero.pk): "not defined", str(unmeasured.pk): "–"}


@pytest.mark.parametrize("persona", ["client", "charlie", "dave"])
def test_an_internal_programme_is_not_found_for_outsiders(
    request, client_for, persona, internal_programme
):
    client = (
        request.getfixturevalue("client")
        if persona == "client"
        else client_for(request.getfixturevalue(persona))
    )
    assert client.get(f"/pilots/programmes/{internal_programme.pk}/").status_code == 404


def test_members_and_a_co_owners_people_see_an_internal_programme(
    client_for, alice, bob, charlie, org_a, org_b
):
    programme = new_programme(alice, org_a, visibility=Visibility.INTERNAL, co_owners=[org_b])
    for person in (alice, bob, charlie):
        assert client_for(person).get(f"/pilots/programmes/{programme.pk}/").status_code == 200


def test_a_co_owners_people_see_every_pilot_but_open_only_those_they_may(
    client_for, alice, charlie, org_a, org_b
):
    programme = new_programme(alice, org_a, visibility=Visibility.INTERNAL, co_owners=[org_b])
    hidden = make_pilot(
        alice, org_a, "Internal pilot", programme=programme, visibility=Visibility.INTERNAL
    )
    response = client_for(charlie).get(f"/pilots/programmes/{programme.pk}/")
    assert "Internal pilot" in text_of(response)
    assert f'href="/pilots/{hidden.pk}/"' not in response.content.decode()
    assert (
        f'href="/pilots/{hidden.pk}/"'
        in client_for(alice).get(f"/pilots/programmes/{programme.pk}/").content.decode()
    )


def test_outsiders_see_only_the_visible_pilots_of_a_public_programme(client, alice, org_a):
    programme = new_programme(alice, org_a)
    make_pilot(alice, org_a, "Public pilot", programme=programme)
    make_pilot(alice, org_a, "Internal pilot", programme=programme, visibility=Visibility.INTERNAL)
    text = text_of(client.get(f"/pilots/programmes/{programme.pk}/"))
    assert "Public pilot" in text
    assert "Internal pilot" not in text


def test_the_programme_page_keeps_its_query_count_with_more_pilots_and_measurements(
    client_for, alice, org_a
):
    programme = new_programme(alice, org_a)
    client = client_for(alice)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/pilots/programmes/{programme.pk}/").status_code == 200
        return len(queries)

    measure(make_pilot(alice, org_a, "Pilot 0", programme=programme), "20", "15")
    few = count_queries()
    for n in range(1, 30):
        pilot = make_pilot(alice, org_a, f"Pilot {n}", programme=programme)
        measure(pilot, "20", *[str(20 - k) for k in range(10)])
    assert count_queries() == few


def test_the_pilots_table_pages_and_answers_htmx_with_the_table(client, settings, alice, org_a):
    settings.PAGE_SIZE = 2
    programme = new_programme(alice, org_a)
    for n in range(3):
        make_pilot(
            alice,
            org_a,
            f"Pilot {n}",
            programme=programme,
            starts_on=timezone.localdate() + timedelta(days=n),
            planned_end_on=timezone.localdate() + timedelta(days=60),
        )
    first = table_of(client.get(f"/pilots/programmes/{programme.pk}/"), "portfolio-pilots")
    assert "Pilot 0" in first and "Pilot 2" not in first
    second = client.get(f"/pilots/programmes/{programme.pk}/?page=2", headers=HTMX)
    assert "<h1" not in second.content.decode()
    rows = table_of(second, "portfolio-pilots")
    assert "Pilot 2" in rows and "Pilot 0" not in rows


# Create and edit -------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in_to_create_or_edit(client, internal_programme):
    for url in (
        "/pilots/programmes/new/",
        f"/pilots/programmes/{internal_programme.pk}/edit/",
        f"/pilots/programmes/{internal_programme.pk}/pilots/",
        "/pilots/portfolio/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize("persona", ["bob", "charlie", "dave"])
def test_only_innovation_leads_may_create_a_programme(request, client_for, persona, org_a):
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/pilots/programmes/new/").status_code == 403
    assert client.post("/pilots/programmes/new/", form_data(org_a)).status_code == 403
    assert not Programme.objects.exists()


def test_alice_creates_a_programme(client_for, alice, bob, org_a, org_b):
    client = client_for(alice)
    assert client.get("/pilots/programmes/new/").status_code == 200
    response = client.post(
        "/pilots/programmes/new/",
        form_data(org_a, co_owners=[org_b.pk], board=[bob.pk], coordinator=alice.pk),
    )
    programme = Programme.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/pilots/programmes/{programme.pk}/"
    assert programme.owner == org_a
    assert list(programme.co_owners.all()) == [org_b]
    assert list(programme.board.all()) == [bob]
    assert programme.gain_target_percent == Decimal("30")


def test_an_end_before_the_start_is_shown_on_the_form_keeping_every_value(client_for, alice, org_a):
    response = client_for(alice).post(
        "/pilots/programmes/new/",
        form_data(org_a, starts_on="2025-06-01", ends_on="2025-05-01"),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "must not end before it starts" in text_of(response)
    assert 'value="Velferdsteknologi 2025"' in html
    assert 'value="2025-05-01"' in html
    assert not Programme.objects.exists()


@pytest.mark.parametrize("persona", ["bob", "dave"])
def test_only_editors_may_edit(request, client_for, persona, alice, org_a):
    programme = new_programme(alice, org_a)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(f"/pilots/programmes/{programme.pk}/edit/").status_code == 403
    assert client.post(f"/pilots/programmes/{programme.pk}/edit/", {}).status_code == 403


def test_charlie_does_not_find_the_internal_programme_to_edit(
    client_for, charlie, internal_programme
):
    response = client_for(charlie).get(f"/pilots/programmes/{internal_programme.pk}/edit/")
    assert response.status_code == 404


def test_alice_edits_the_programme(client_for, alice, org_a):
    programme = new_programme(alice, org_a)
    client = client_for(alice)
    assert (
        f'href="/pilots/programmes/{programme.pk}/edit/"'
        in client.get(f"/pilots/programmes/{programme.pk}/").content.decode()
    )
    data = form_data(org_a, title="Renamed", max_pilot_months="9")
    del data["owner"]
    response = client.post(f"/pilots/programmes/{programme.pk}/edit/", data)
    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.title, programme.max_pilot_months) == ("Renamed", 9)


def test_a_bad_edit_keeps_the_saved_title_in_the_heading(client_for, alice, org_a):
    programme = new_programme(alice, org_a)
    data = form_data(org_a, title="")
    del data["owner"]
    response = client_for(alice).post(f"/pilots/programmes/{programme.pk}/edit/", data)
    assert response.status_code == 422
    assert "Edit Digital welfare" in text_of(response)


# Pilots of the programme -----------------------------------------------------------------------


def test_alice_attaches_and_detaches_a_pilot(client_for, alice, org_a):
    programme = new_programme(alice, org_a)
    pilot = make_pilot(alice, org_a, planned_end_on=timezone.localdate() + timedelta(days=300))
    client = client_for(alice)
    page = client.get(f"/pilots/programmes/{programme.pk}/pilots/")
    assert page.status_code == 200
    assert f'value="{pilot.pk}"' in page.content.decode()

    response = client.post(f"/pilots/programmes/{programme.pk}/pilots/", {"pilot": pilot.pk})
    assert response.status_code == 302
    pilot.refresh_from_db()
    assert pilot.programme == programme
    shown = client.get(response["Location"])
    assert "longer than the programme's maximum of 6 months" in text_of(shown)

    response = client.post(f"/pilots/programmes/{programme.pk}/pilots/{pilot.pk}/detach/")
    assert response.status_code == 302
    pilot.refresh_from_db()
    assert pilot.programme is None


def test_attaching_another_organisations_pilot_is_a_form_error(client_for, alice, org_a, org_b):
    programme = new_programme(alice, org_a)
    lead_b = make_user("lena")
    add_member(lead_b, org_b, Role.Code.INNOVATION_LEAD)
    pilot = make_pilot(lead_b, org_b, "Bergvik's pilot")
    response = client_for(alice).post(
        f"/pilots/programmes/{programme.pk}/pilots/", {"pilot": pilot.pk}
    )
    assert response.status_code == 422
    assert Pilot.objects.get(pk=pilot.pk).programme is None


def test_detaching_needs_a_post(client_for, alice, org_a):
    programme = new_programme(alice, org_a)
    pilot = make_pilot(alice, org_a, programme=programme)
    url = f"/pilots/programmes/{programme.pk}/pilots/{pilot.pk}/detach/"
    assert client_for(alice).get(url).status_code == 405


@pytest.mark.parametrize("persona", ["bob", "dave"])
def test_only_editors_attach_and_detach(request, client_for, persona, alice, org_a):
    programme = new_programme(alice, org_a)
    pilot = make_pilot(alice, org_a, programme=programme)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(f"/pilots/programmes/{programme.pk}/pilots/").status_code == 403
    url = f"/pilots/programmes/{programme.pk}/pilots/{pilot.pk}/detach/"
    assert client.post(url).status_code == 403
    assert Pilot.objects.get(pk=pilot.pk).programme == programme


def test_charlie_does_not_find_the_internal_programmes_pilots(
    client_for, charlie, internal_programme
):
    url = f"/pilots/programmes/{internal_programme.pk}/pilots/"
    assert client_for(charlie).get(url).status_code == 404


# Portfolio overview ----------------------------------------------------------------------------


def test_the_overview_shows_the_funnel_and_the_programmes_of_the_current_organisation(
    client_for, alice, org_a
):
    for n in range(3):
        Need.objects.create(
            owner=org_a, title=f"Need {n}", description="Too much time on invoices."
        )
    programme = new_programme(alice, org_a)
    measure(make_pilot(alice, org_a, "Measured", programme=programme), "20", "14")
    decided = make_pilot(alice, org_a, "Decided")
    Pilot.objects.filter(pk=decided.pk).update(maturity="outcome", outcome="scale")

    response = client_for(alice).get("/pilots/portfolio/")
    assert response.status_code == 200
    html = response.content.decode()
    counts = dict(
        re.findall(r'data-stage="(\w+)"><th scope="row">\w+\s*</th><td class="number">(\d+)', html)
    )
    assert counts == {"needs": "3", "challenges": "0", "pilots": "2", "outcomes": "1"}
    assert f'data-programme="{programme.pk}"' in html
    assert 'data-verdict="met"' in html


def test_the_overview_draws_the_timeline_of_every_pilot_it_covers(
    client_for, monkeypatch, alice, charlie, org_a
):
    programme = new_programme(alice, org_a)  # at most 6 months
    start = timezone.localdate()
    long_plan = start + timedelta(days=400)
    make_pilot(alice, org_a, "In the programme", programme=programme, planned_end_on=long_plan)
    make_pilot(
        alice,
        org_a,
        "Outside any programme",
        starts_on=start + timedelta(days=1),
        planned_end_on=long_plan,
    )
    make_pilot(
        alice,
        org_a,
        "Internal pilot",
        starts_on=start + timedelta(days=2),
        visibility=Visibility.INTERNAL,
    )
    response = client_for(alice).get("/pilots/portfolio/")
    html = response.content.decode()
    assert 'id="timeline-chart"' in html
    rows = re.findall(r'<tr data-pilot="\d+">\s*<th scope="row">([^<]+)</th>', html)
    assert rows == ["In the programme", "Outside any programme", "Internal pilot"]
    flags = table_of(response, "timeline-table")
    # Only the programme's pilot is measured against a maximum length.
    assert "In the programme" in flags and flags.count(" Yes") == 1
    assert "pilots by start are shown" not in html

    monkeypatch.setattr("samspil.pilots.programme_views.TIMELINE_MAX", 2)
    response = client_for(alice).get("/pilots/portfolio/")
    assert "The first 2 of 3 pilots by start are shown." in text_of(response)
    assert "Internal pilot" not in table_of(response, "timeline-table")

    other = client_for(charlie).get(f"/pilots/portfolio/?organisation={org_a.pk}")
    assert "Internal pilot" not in table_of(other, "timeline-table")
    assert "Outside any programme" in table_of(other, "timeline-table")


def test_the_overview_switches_to_another_organisation_the_user_sees(
    client_for, alice, charlie, org_a, org_b
):
    make_pilot(alice, org_a, "Public pilot of A")
    make_pilot(alice, org_a, "Internal pilot of A", visibility=Visibility.INTERNAL)
    response = client_for(charlie).get(f"/pilots/portfolio/?organisation={org_a.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'data-stage="pilots">.*?<td class="number">1<', html, re.S)
    assert "Arby Kommune" in text_of(response)
    assert f'<option value="{org_a.pk}" selected>' in html


def test_the_overview_of_an_unseen_organisation_is_not_found(client_for, charlie, org_a):
    org_a.visibility = Visibility.INTERNAL
    org_a.save()
    assert client_for(charlie).get(f"/pilots/portfolio/?organisation={org_a.pk}").status_code == 404
    assert client_for(charlie).get("/pilots/portfolio/?organisation=x").status_code == 404


def test_the_overview_asks_for_an_organisation_when_the_user_has_none(client_for, db):
    loner = make_user("loner")
    response = client_for(loner).get("/pilots/portfolio/")
    assert response.status_code == 200
    assert 'id="funnel-table"' not in response.content.decode()


def test_the_overview_keeps_its_query_count_with_more_programmes(client_for, alice, org_a):
    client = client_for(alice)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/pilots/portfolio/").status_code == 200
        return len(queries)

    new_programme(alice, org_a, "Programme 0")
    few = count_queries()
    for n in range(1, 10):
        programme = new_programme(alice, org_a, f"Programme {n}")
        measure(make_pilot(alice, org_a, f"P{n}", programme=programme), "20", "15")
    assert count_queries() == few


def test_a_running_pilot_past_the_maximum_is_flagged(client, alice, org_a):
    programme = new_programme(alice, org_a)
    pilot = make_pilot(
        alice,
        org_a,
        "Old pilot",
        programme=programme,
        starts_on=timezone.localdate() - timedelta(days=300),
        planned_end_on=timezone.localdate() - timedelta(days=200),
    )
    Pilot.objects.filter(pk=pilot.pk).update(status=PilotStatus.RUNNING)
    text = text_of(client.get(f"/pilots/programmes/{programme.pk}/"))
    assert "has run longer than the programme's maximum of 6 months" in text
