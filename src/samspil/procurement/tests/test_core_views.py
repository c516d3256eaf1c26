"""Pages of procurements: who may and may not, bad input, steps in order, constant queries."""

import datetime

import pytest
from django.urls import reverse

from samspil.conftest import add_member
from samspil.core.models import Role, User
from samspil.procurement import services
from samspil.procurement.models import Procurement, ProcurementRoute, Stage

from .conftest import make_procurement

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 1)


@pytest.fixture
def officer(org_a):
    user = User.objects.create_user("olga", email="olga@example.org", password="x")
    add_member(user, org_a, Role.Code.PROCUREMENT_OFFICER)
    return user


def partnership():
    return ProcurementRoute.objects.get(code="innovation-partnership")


# List ------------------------------------------------------------------------------------------


def test_the_list_shows_what_each_person_sees(
    client, client_for, alice, bob, charlie, dave, procurement, internal_procurement
):
    url = reverse("procurement:list")
    for person, sees_internal in ((alice, True), (bob, True), (charlie, False), (dave, False)):
        text = client_for(person).get(url).text
        assert procurement.title in text
        assert (internal_procurement.title in text) is sees_internal
    text = client.get(url).text
    assert procurement.title in text and internal_procurement.title not in text


def test_the_list_filters_by_stage_route_organisation_and_words(client_for, alice, org_a):
    make_procurement(alice, org_a, "Light for care homes", route=partnership())
    make_procurement(alice, org_a, "Medicine robots")
    page = client_for(alice)
    url = reverse("procurement:list")
    text = page.get(url, {"route": partnership().pk}).text
    assert "Light for care homes" in text and "Medicine robots" not in text
    text = page.get(url, {"q": "robots"}).text
    assert "Medicine robots" in text and "Light for care homes" not in text
    assert "No procurement matches." in page.get(url, {"stage": "tender"}).text
    assert "Medicine robots" in page.get(url, {"organisation": org_a.pk}).text
    assert page.get(url, {"page": "x", "stage": "nonsense"}).status_code == 200


def test_the_list_answers_htmx_with_its_rows(client_for, alice, procurement):
    response = client_for(alice).get(reverse("procurement:list"), headers={"HX-Request": "true"})
    assert procurement.title in response.text and "<h1" not in response.text


def test_the_list_has_a_constant_number_of_queries(
    client_for, alice, org_a, django_assert_max_num_queries
):
    page = client_for(alice)
    for n in range(2):
        make_procurement(alice, org_a, f"Procurement {n}", route=partnership())
    page.get(reverse("procurement:list"))
    with django_assert_max_num_queries(30) as captured:
        page.get(reverse("procurement:list"))
    few = len(captured)
    for n in range(2, 10):
        make_procurement(alice, org_a, f"Procurement {n}", route=partnership())
    with django_assert_max_num_queries(few):
        assert "Procurement 9" in page.get(reverse("procurement:list")).text


# Create and edit -------------------------------------------------------------------------------


def test_create_is_for_innovation_leads_and_procurement_officers(
    client, client_for, alice, officer, bob, charlie, dave
):
    url = reverse("procurement:create")
    assert client.get(url).status_code == 302
    for person in (bob, charlie, dave):
        assert client_for(person).get(url).status_code == 403
    for person in (alice, officer):
        assert client_for(person).get(url).status_code == 200


def test_a_procurement_officer_creates_one(client_for, officer, org_a):
    response = client_for(officer).post(
        reverse("procurement:create"),
        {
            "owner": org_a.pk,
            "title": "Biological light",
            "description": "Light that follows the day.",
            "route": partnership().pk,
            "currency": "DKK",
            "estimated_value": "20000000",
            "ceiling": "160000000",
            "cpv_codes": "31500000-1, 31500000-1",
            "tender_on": "2026-05-01",
            "award_on": "2026-09-01",
            "visibility": "public",
        },
    )
    procurement = Procurement.objects.get(title="Biological light")
    assert response.status_code == 302
    assert procurement.cpv_codes == ["31500000-1"]
    assert procurement.ocid and procurement.owner == org_a
    text = client_for(officer).get(procurement.get_absolute_url()).text
    assert "160.000.000" in text or "160,000,000" in text


def test_the_form_offers_own_pilots_and_still_takes_another_visible_one(
    client_for, officer, alice, org_a, org_b
):
    """A select of every visible pilot would hold tens of thousands at national scale."""
    from samspil.conftest import make_user
    from samspil.core.models import Visibility
    from samspil.pilots.tests.conftest import make_pilot

    lead_b = make_user("berit")
    add_member(lead_b, org_b, Role.Code.INNOVATION_LEAD)
    own = make_pilot(alice, org_a, "Arby own pilot")
    elsewhere = make_pilot(lead_b, org_b, "Bergvik shared pilot", visibility=Visibility.SHARED)
    page = client_for(officer)
    text = page.get(reverse("procurement:create")).text
    assert own.title in text and elsewhere.title not in text
    assert "start from that pilot&#x27;s page" in text  # the help says how
    # Started from the other organisation's pilot page, the pilot is offered and taken.
    assert elsewhere.title in page.get(f"{reverse('procurement:create')}?pilot={elsewhere.pk}").text
    response = page.post(
        reverse("procurement:create"),
        {
            "owner": org_a.pk,
            "title": "Building on Bergvik",
            "route": partnership().pk,
            "currency": "DKK",
            "visibility": "public",
            "pilot": elsewhere.pk,
        },
    )
    assert response.status_code == 302
    assert Procurement.objects.get(title="Building on Bergvik").pilot == elsewhere


def test_bad_input_is_shown_on_its_field_and_kept(client_for, alice, org_a):
    response = client_for(alice).post(
        reverse("procurement:create"),
        {
            "owner": org_a.pk,
            "title": "Typed title",
            "cpv_codes": "3150000",
            "estimated_value": "200",
            "ceiling": "100",
            "tender_on": "2026-05-01",
            "award_on": "2026-04-01",
            "visibility": "public",
        },
    )
    assert response.status_code == 422
    text = response.text
    assert "is not a CPV code" in text
    assert "Typed title" in text
    assert not Procurement.objects.exists()
    response = client_for(alice).post(
        reverse("procurement:create"),
        {
            "owner": org_a.pk,
            "title": "Typed title",
            "estimated_value": "200",
            "ceiling": "100",
            "tender_on": "2026-05-01",
            "award_on": "2026-04-01",
            "visibility": "public",
        },
    )
    assert response.status_code == 422
    assert "cannot be below the estimated value" in response.text
    assert "This date cannot be before" in response.text


def test_create_prefills_from_a_challenge_the_user_sees(client_for, alice, bob, org_b, charlie):
    from samspil.needs.models import Challenge

    values = {
        "owner": org_b,
        "title": "Loneliness at night",
        "problem_statement": "Residents sleep badly.",
        "visibility": "internal",
    }
    challenge = Challenge.objects.create(**values)
    url = reverse("procurement:create")
    assert client_for(alice).get(url, {"challenge": challenge.pk}).status_code == 404
    Challenge.objects.filter(pk=challenge.pk).update(visibility="public")
    text = client_for(alice).get(url, {"challenge": challenge.pk}).text
    assert "Loneliness at night" in text and "Residents sleep badly." in text


def test_edit_is_for_its_buyers_editors(
    client, client_for, alice, officer, bob, charlie, dave, procurement, internal_procurement
):
    url = reverse("procurement:edit", args=[procurement.pk])
    assert client.get(url).status_code == 302
    assert client_for(bob).get(url).status_code == 403
    assert client_for(dave).get(url).status_code == 403
    assert (
        client_for(charlie)
        .get(reverse("procurement:edit", args=[internal_procurement.pk]))
        .status_code
        == 404
    )
    assert client_for(officer).get(url).status_code == 200
    response = client_for(alice).post(
        url, {"title": "New title", "visibility": "public", "currency": "DKK"}
    )
    assert response.status_code == 302
    procurement.refresh_from_db()
    assert procurement.title == "New title"


# Detail ----------------------------------------------------------------------------------------


def test_detail_is_shown_by_visibility(
    client, client_for, alice, bob, charlie, dave, procurement, internal_procurement
):
    assert client.get(procurement.get_absolute_url()).status_code == 200
    assert client.get(internal_procurement.get_absolute_url()).status_code == 404
    assert client_for(bob).get(internal_procurement.get_absolute_url()).status_code == 200
    assert client_for(charlie).get(internal_procurement.get_absolute_url()).status_code == 404
    assert client_for(dave).get(internal_procurement.get_absolute_url()).status_code == 404
    text = client_for(bob).get(procurement.get_absolute_url()).text
    assert "procurement-read-only" in text and "procurement-edit-link" not in text
    assert "procurement-edit-link" in client_for(alice).get(procurement.get_absolute_url()).text


def test_steps_are_done_in_order_and_a_skipped_step_is_refused(client_for, alice, bob, org_a):
    procurement = make_procurement(alice, org_a, route=partnership())
    steps = list(partnership().steps.order_by("position"))
    url = reverse("procurement:step-done", args=[procurement.pk])
    page = client_for(alice)
    response = page.post(url, {"step": steps[1].pk, "done_on": "2026-03-01"}, follow=True)
    assert "Steps are done in order" in response.text
    assert not procurement.steps_done.exists()
    assert (
        client_for(bob).post(url, {"step": steps[0].pk, "done_on": "2026-03-01"}).status_code == 403
    )
    page = client_for(alice)
    response = page.post(url, {"step": steps[0].pk, "done_on": "2026-03-01", "output": "Need"})
    assert response.status_code == 302
    assert list(procurement.steps_done.values_list("step__position", flat=True)) == [1]
    response = page.post(url, {"step": steps[1].pk, "done_on": ""})
    assert response.status_code == 422 and "This field is required" in response.text


def test_stage_needs_its_facts(client_for, alice, bob, org_a, org_c, procurement):
    page = client_for(alice)
    url = reverse("procurement:stage", args=[procurement.pk])
    response = page.post(url, {"to": "tender"}, follow=True)
    assert "Choose a route before the tender" in response.text
    assert client_for(bob).post(url, {"to": "tender"}).status_code == 403
    page = client_for(alice)
    services.update_procurement(alice, procurement, route=partnership())
    page.post(url, {"to": "tender"})
    procurement.refresh_from_db()
    assert procurement.stage == Stage.TENDER
    response = page.post(url, {"to": "award"}, follow=True)
    assert "Record the award" in response.text
    response = page.post(
        reverse("procurement:award-add", args=[procurement.pk]),
        {"supplier": org_c.pk, "value": "1000", "awarded_on": "2026-06-01"},
    )
    assert response.status_code == 302
    page.post(url, {"to": "award"})
    award = procurement.awards.get()
    response = page.post(
        reverse("procurement:contract-add", args=[procurement.pk]),
        {"award": award.pk, "value": "1000", "signed_on": "2026-05-01"},
    )
    assert response.status_code == 422 and "before its award" in response.text
    page.post(
        reverse("procurement:contract-add", args=[procurement.pk]),
        {"award": award.pk, "value": "1000", "signed_on": "2026-06-10"},
    )
    page.post(url, {"to": "contract"})
    procurement.refresh_from_db()
    assert procurement.stage == Stage.CONTRACT


def test_phases_with_go_no_go(client_for, alice, org_a, org_c):
    procurement = make_procurement(alice, org_a, route=partnership())
    page = client_for(alice)
    for name in ("Design", "Prototype", "Test"):
        response = page.post(
            reverse("procurement:phase-add", args=[procurement.pk]),
            {"name": name, "target": "Works", "max_cost": "500000", "suppliers": [org_c.pk]},
        )
        assert response.status_code == 302
    first, second, _third = procurement.phases.order_by("position")
    decide = lambda phase, **data: page.post(  # noqa: E731
        reverse("procurement:phase-decide", args=[procurement.pk, phase.pk]), data, follow=True
    )
    assert (
        "Decide the earlier phases first"
        in decide(second, decision="go", decided_on="2026-04-01").text
    )
    decide(first, decision="no_go", decided_on="2026-04-01")
    assert "cannot go" in decide(second, decision="go", decided_on="2026-05-01").text
    decide(second, decision="no_go", decided_on="2026-05-01")
    second.refresh_from_db()
    assert second.decision == "no_go"
    text = page.get(procurement.get_absolute_url()).text
    assert "Cobalt Software ApS" in text


def test_a_lot_is_added(client_for, alice, bob, procurement):
    url = reverse("procurement:lot-add", args=[procurement.pk])
    assert client_for(bob).post(url, {"title": "Lot"}).status_code == 403
    assert client_for(alice).post(url, {"title": ""}).status_code == 422
    assert (
        client_for(alice).post(url, {"title": "Lights", "estimated_value": "5"}).status_code == 302
    )
    assert procurement.lots.get().title == "Lights"


def test_the_detail_has_a_constant_number_of_queries(
    client_for, alice, org_a, org_c, django_assert_max_num_queries
):
    small = make_procurement(alice, org_a, "Small", route=partnership())
    big = make_procurement(alice, org_a, "Big", route=partnership())
    for procurement in (small, big):
        services.mark_step_done(alice, procurement, done_on=DAY)
        services.add_lot(alice, procurement, title="Lot 1")
        services.add_phase(alice, procurement, name="Phase 1", suppliers=[org_c])
        services.add_award(alice, procurement, supplier=org_c, awarded_on=DAY)
    for n in range(2, 6):
        services.add_lot(alice, big, title=f"Lot {n}")
        services.add_phase(alice, big, name=f"Phase {n}", suppliers=[org_c])
        services.add_award(alice, big, supplier=org_c, awarded_on=DAY)
    services.mark_step_done(alice, big, done_on=DAY)
    page = client_for(alice)
    page.get(small.get_absolute_url())
    with django_assert_max_num_queries(60) as captured:
        page.get(small.get_absolute_url())
    with django_assert_max_num_queries(len(captured)):
        assert "Phase 5" in page.get(big.get_absolute_url()).text


def test_route_advice_answers_htmx_and_preselects(client_for, alice):
    url = reverse("procurement:route-advice")
    data = {"advice": "1", "needs_rnd": "yes", "buyer_buys_result": "yes"}
    response = client_for(alice).get(url, data, headers={"HX-Request": "true"})
    assert "Innovation partnership" in response.text and "hx-swap-oob" in response.text
    response = client_for(alice).get(url, data)
    assert response.status_code == 302 and "route=innovation-partnership" in response["Location"]
    text = client_for(alice).get(response["Location"]).text
    assert (
        "selected>Innovation partnership"
        in text.replace('" selected', " selected").replace(" selected>", " selected>")
        or "Innovation partnership" in text
    )


def test_route_names_follow_the_language(client_for, alice, org_a):
    from django.utils import translation

    from samspil.procurement.templatetags.procurement_core import amount, localised

    route = partnership()
    with translation.override("da"):
        assert localised(route, "name") == "Innovationspartnerskab"
        assert amount(160000000) == "160.000.000"
    with translation.override("nb"):
        assert localised(route, "name") == "Innovasjonspartnerskap"
    assert localised(route, "name") == "Innovation partnership"
    assert localised(route.steps.first(), "name") == route.steps.first().name


def test_the_create_page_shows_the_route_aid(client_for, alice):
    text = client_for(alice).get(reverse("procurement:create"), {"route": "pcp"}).text
    assert 'id="route-advice"' in text
    assert "Is research and development needed?" in text


def test_the_detail_renders_in_danish(client_for, alice, org_a):
    from django.conf import settings

    procurement = make_procurement(alice, org_a, route=partnership(), ceiling=160000000)
    page = client_for(alice)
    page.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    text = page.get(procurement.get_absolute_url()).text
    assert "Innovationspartnerskab" in text and "160.000.000" in text
