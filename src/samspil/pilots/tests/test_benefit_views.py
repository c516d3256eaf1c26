"""The benefits plan pages and panels, for the people who may and may not use them."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samspil.conftest import add_member, make_user
from samspil.core.models import Visibility
from samspil.events.tests.test_views import HTMX, text_of
from samspil.pilots import benefit_services as services
from samspil.pilots.models import Benefit, BenefitMeasurement, BenefitStatus

from .conftest import make_pilot
from .test_benefit_services import benefit_fields, make_benefit

D = Decimal


@pytest.fixture
def anonymous():
    """A client of its own: ``client_for`` signs the shared ``client`` in."""
    return Client()


@pytest.fixture
def benefit(alice, bob, org_a, pilot):
    return make_benefit(alice, pilot, owner=bob, holders=[org_a])


@pytest.fixture
def internal_benefit(alice, internal_pilot):
    return make_benefit(alice, internal_pilot, indicator="Payroll errors a month")


def plan_url(pilot) -> str:
    return f"/pilots/{pilot.pk}/benefits/"


def url(benefit, *parts) -> str:
    return f"/pilots/{benefit.pilot_id}/benefits/{benefit.pk}/" + "".join(f"{p}/" for p in parts)


def form_data(org, **overrides) -> dict:
    fields = benefit_fields()
    data = {name: str(value) for name, value in fields.items()}
    data["holders"] = [str(org.pk)]
    data["measure_every_months"] = "3"
    data.update(overrides)
    return data


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


# The plan --------------------------------------------------------------------------------------


def test_it_shows_the_plan_of_a_public_pilot_to_everyone_and_the_forms_to_its_keepers(
    anonymous, client_for, alice, bob, charlie, dave, benefit
):
    pilot = benefit.pilot
    for person_client in (anonymous, client_for(bob), client_for(charlie), client_for(dave)):
        response = person_client.get(plan_url(pilot))
        assert response.status_code == 200
        assert benefit.indicator in text_of(response)
        assert 'id="benefit-add-link"' not in response.content.decode()
    page = client_for(alice).get(plan_url(pilot)).content.decode()
    assert 'id="benefit-add-link"' in page and "Record measurement" in page


def test_it_hides_an_internal_pilots_plan_outside_its_organisation(
    anonymous, client_for, bob, charlie, dave, internal_benefit
):
    pilot = internal_benefit.pilot
    for person_client in (anonymous, client_for(charlie), client_for(dave)):
        assert person_client.get(plan_url(pilot)).status_code == 404
        assert person_client.get(url(internal_benefit)).status_code == 404
    assert internal_benefit.indicator in text_of(client_for(bob).get(plan_url(pilot)))


def test_it_shows_each_benefit_with_baseline_target_owner_holders_and_status(
    client_for, alice, benefit
):
    text = text_of(client_for(alice).get(plan_url(benefit.pilot)))
    assert "Freed capacity for other use" in text and "Bob" in text and "Arby Kommune" in text
    assert "400" in text and "250" in text and "Identified" in text


def test_it_highlights_overdue_measurements_and_suggests_a_status(client_for, alice, benefit):
    services.change_status(alice, benefit, BenefitStatus.PLANNED)
    services.update_benefit(
        alice, benefit, next_measurement_on=timezone.localdate() - timedelta(days=1)
    )
    page = client_for(alice).get(plan_url(benefit.pilot)).content.decode()
    row = page.split(f'id="benefit-{benefit.pk}"')[1].split("</tr>")[0]
    assert "data-overdue" in row and "Overdue" in row
    services.add_measurement(alice, benefit, timezone.localdate(), D(240))
    page = client_for(alice).get(plan_url(benefit.pilot)).content.decode()
    row = page.split(f'id="benefit-{benefit.pk}"')[1].split("</tr>")[0]
    assert "data-overdue" not in row
    assert 'data-suggested="realised"' in row and "Being realised" in row


def test_it_shows_the_plan_with_a_constant_number_of_queries(client_for, alice, org_a, pilot):
    client = client_for(alice)
    make_benefit(alice, pilot, holders=[org_a])
    few = count_queries(client, plan_url(pilot))
    for n in range(12):
        benefit = make_benefit(alice, pilot, indicator=f"Indicator {n}", holders=[org_a])
        services.add_measurement(alice, benefit, timezone.localdate(), D(300 + n))
    assert count_queries(client, plan_url(pilot)) == few


# Adding and editing -----------------------------------------------------------------------------


def test_it_sends_strangers_away_from_the_benefit_form(
    anonymous, client_for, bob, charlie, dave, pilot, internal_pilot
):
    response = anonymous.get(f"/pilots/{pilot.pk}/benefits/new/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    for person in (bob, charlie, dave):
        assert client_for(person).get(f"/pilots/{pilot.pk}/benefits/new/").status_code == 403
    assert client_for(charlie).get(f"/pilots/{internal_pilot.pk}/benefits/new/").status_code == 404
    assert client_for(bob).post(f"/pilots/{pilot.pk}/benefits/new/", {}).status_code == 403


def test_it_adds_a_benefit_with_owner_and_holders(client_for, alice, bob, org_a, pilot):
    client = client_for(alice)
    page = client.get(f"/pilots/{pilot.pk}/benefits/new/").content.decode()
    assert f'value="{bob.pk}"' in page and f'value="{org_a.pk}"' in page
    response = client.post(f"/pilots/{pilot.pk}/benefits/new/", form_data(org_a, owner=str(bob.pk)))
    benefit = Benefit.objects.get()
    assert response.status_code == 302 and response["Location"] == url(benefit)
    assert benefit.owner == bob and list(benefit.holders.all()) == [org_a]


def test_it_shows_the_form_again_with_the_errors_and_every_value_typed(
    client_for, alice, org_a, pilot
):
    data = form_data(org_a, target_on=form_data(org_a)["baseline_on"], indicator="Coding hours")
    response = client_for(alice).post(f"/pilots/{pilot.pk}/benefits/new/", data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "The target date must be after the baseline date." in page
    assert 'value="Coding hours"' in page and f'value="{data["baseline_on"]}"' in page
    assert not Benefit.objects.exists()


def test_it_refuses_a_target_equal_to_the_baseline_on_the_form(client_for, alice, org_a, pilot):
    data = form_data(org_a, target_value=form_data(org_a)["baseline_value"])
    response = client_for(alice).post(f"/pilots/{pilot.pk}/benefits/new/", data)
    assert response.status_code == 422
    assert "The target must differ from the baseline." in response.content.decode()
    assert not Benefit.objects.exists()


def test_it_edits_a_benefit_for_its_keepers_only(client_for, alice, bob, charlie, org_a, benefit):
    assert client_for(bob).get(url(benefit, "edit")).status_code == 403
    assert client_for(charlie).get(url(benefit, "edit")).status_code == 403
    client = client_for(alice)
    assert client.get(url(benefit, "edit")).status_code == 200
    response = client.post(url(benefit, "edit"), form_data(org_a, indicator="Coding hours"))
    assert response.status_code == 302
    benefit.refresh_from_db()
    assert benefit.indicator == "Coding hours" and benefit.owner is None


def test_it_keeps_the_saved_heading_while_an_edit_has_errors(client_for, alice, org_a, benefit):
    response = client_for(alice).post(
        url(benefit, "edit"), form_data(org_a, indicator="Coding hours", target_value="500")
    )
    assert response.status_code == 422
    assert "Edit the benefit Hours of invoice coding a month" in text_of(response)


def test_it_deletes_a_benefit_for_its_keepers_only(client_for, alice, bob, benefit):
    assert client_for(bob).post(url(benefit, "delete")).status_code == 403
    assert client_for(alice).get(url(benefit, "delete")).status_code == 405
    response = client_for(alice).post(url(benefit, "delete"))
    assert response.status_code == 302 and response["Location"] == plan_url(benefit.pilot)
    assert not Benefit.objects.exists()


def test_it_finds_no_benefit_of_another_pilot(client_for, alice, org_a, benefit):
    other = make_pilot(alice, org_a, "Chatbot for building permits")
    assert client_for(alice).get(f"/pilots/{other.pk}/benefits/{benefit.pk}/").status_code == 404


# One benefit: measurements and status ----------------------------------------------------------


def test_it_shows_a_benefit_with_its_measurements_to_those_who_see_the_pilot(
    anonymous, client_for, alice, benefit
):
    services.add_measurement(alice, benefit, timezone.localdate(), D(325), "After go-live")
    response = anonymous.get(url(benefit))
    assert response.status_code == 200
    text = text_of(response)
    assert "325" in text and "After go-live" in text and "50 %" in text
    page = response.content.decode()
    assert 'id="benefit-measurement-form"' not in page
    chart = page.split('id="benefit-measurement-chart"')[1].split("</svg>")[0]
    assert 'data-points="1"' in chart
    assert 'id="benefit-measurement-form"' in client_for(alice).get(url(benefit)).content.decode()


def test_it_draws_no_chart_before_the_first_measurement(anonymous, benefit):
    page = anonymous.get(url(benefit)).content.decode()
    assert 'id="benefit-no-measurements"' in page and "benefit-measurement-chart" not in page


def test_it_records_a_measurement_with_htmx(client_for, alice, benefit):
    services.change_status(alice, benefit, BenefitStatus.PLANNED)
    today = timezone.localdate()
    response = client_for(alice).post(
        url(benefit, "measurements"),
        {"measured_on": today.isoformat(), "value": "325", "note": "First"},
        headers=HTMX,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith('<div id="benefit-body"') or 'id="benefit-body"' in page[:200]
    assert "<html" not in page and 'data-status="realising"' in page
    assert BenefitMeasurement.objects.get().value == D(325)


def test_it_records_a_measurement_without_javascript(client_for, alice, benefit):
    response = client_for(alice).post(
        url(benefit, "measurements"),
        {"measured_on": timezone.localdate().isoformat(), "value": "325"},
    )
    assert response.status_code == 302 and response["Location"] == url(benefit)
    assert benefit.measurements.count() == 1


def test_it_shows_measurement_errors_in_place_keeping_the_values(client_for, alice, benefit):
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    data = {"measured_on": future, "value": "325", "note": "Too early"}
    client = client_for(alice)
    partial = client.post(url(benefit, "measurements"), data, headers=HTMX)
    assert partial.status_code == 422
    page = partial.content.decode()
    assert "<html" not in page and "A measurement cannot be in the future." in page
    assert f'value="{future}"' in page and 'value="Too early"' in page
    whole = client.post(url(benefit, "measurements"), data)
    assert whole.status_code == 422 and "<html" in whole.content.decode()
    assert not benefit.measurements.exists()


def test_it_lets_only_keepers_record_or_delete_measurements(
    anonymous, client_for, alice, bob, charlie, benefit, internal_benefit
):
    data = {"measured_on": timezone.localdate().isoformat(), "value": "325"}
    response = anonymous.post(url(benefit, "measurements"), data)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client_for(bob).post(url(benefit, "measurements"), data).status_code == 403
    assert client_for(charlie).post(url(internal_benefit, "measurements"), data).status_code == 404
    assert client_for(alice).get(url(benefit, "measurements")).status_code == 405
    measurement = services.add_measurement(alice, benefit, timezone.localdate(), D(325))
    delete = url(benefit, "measurements", measurement.pk, "delete")
    assert client_for(bob).post(delete).status_code == 403
    assert client_for(alice).post(delete, headers=HTMX).status_code == 200
    assert not benefit.measurements.exists()


def test_it_changes_the_status_and_refuses_jumps_in_place(client_for, alice, benefit):
    client = client_for(alice)
    page = client.get(url(benefit)).content.decode()
    assert '<option value="planned"' in page and '<option value="realised"' not in page
    refused = client.post(url(benefit, "status"), {"status": "realised"}, headers=HTMX)
    assert refused.status_code == 422 and 'id="benefit-status-error"' in refused.content.decode()
    done = client.post(url(benefit, "status"), {"status": "planned"}, headers=HTMX)
    assert done.status_code == 200 and 'data-status="planned"' in done.content.decode()
    response = client.post(url(benefit, "status"), {"status": "realising"})
    assert response.status_code == 302
    benefit.refresh_from_db()
    assert benefit.status == BenefitStatus.REALISING


def test_it_lets_only_keepers_change_the_status(anonymous, client_for, bob, dave, benefit):
    assert anonymous.post(url(benefit, "status"), {"status": "planned"}).status_code == 302
    for person in (bob, dave):
        assert (
            client_for(person).post(url(benefit, "status"), {"status": "planned"}).status_code
            == 403
        )
    benefit.refresh_from_db()
    assert benefit.status == BenefitStatus.IDENTIFIED


def test_it_shows_the_status_the_latest_measurement_suggests(client_for, alice, benefit):
    services.change_status(alice, benefit, BenefitStatus.PLANNED)
    services.add_measurement(alice, benefit, timezone.localdate(), D(240))
    page = client_for(alice).get(url(benefit)).content.decode()
    assert 'id="benefit-suggested-status" data-suggested="realised"' in page
    assert '<option value="realised" selected>' in page


# Panels -----------------------------------------------------------------------------------------


def test_it_shows_the_benefits_panel_on_the_pilot_page(client_for, bob, benefit):
    page = client_for(bob).get(f"/pilots/{benefit.pilot_id}/").content.decode()
    assert 'id="pilot-benefits"' in page and f'id="pilot-benefit-{benefit.pk}"' in page


def render_panel(source: str, user, rf, **context) -> str:
    request = rf.get("/")
    request.user = user
    return Template("{% load pilot_benefits %}" + source).render(
        Context({"request": request, **context})
    )


def test_it_shows_the_pilot_panel_in_one_query(alice, org_a, pilot, rf, django_assert_num_queries):
    for n in range(5):
        benefit = make_benefit(alice, pilot, indicator=f"Indicator {n}", holders=[org_a])
        services.add_measurement(alice, benefit, timezone.localdate(), D(300))
    with django_assert_num_queries(1):
        html = render_panel("{% benefits_panel pilot %}", alice, rf, pilot=pilot)
    assert len(re.findall(r'id="pilot-benefit-\d+"', html)) == 5


@pytest.fixture
def programme_pilots(alice, org_a, programme):
    """Two pilots of the programme: a public one and an internal one of organisation A."""
    public = make_pilot(alice, org_a, "Invoice coding", programme=programme)
    internal = make_pilot(
        alice, org_a, "Payroll robots", programme=programme, visibility=Visibility.INTERNAL
    )
    return public, internal


def test_it_sums_realised_against_planned_benefits_per_unit(
    alice, charlie, rf, programme, programme_pilots
):
    public, internal = programme_pilots
    hours = make_benefit(alice, public)  # 400 → 250 hours: 150 planned
    services.add_measurement(alice, hours, timezone.localdate(), D(340))  # 60 realised
    make_benefit(alice, internal, unit=" Hours")  # 150 more planned, nothing measured
    kroner = make_benefit(
        alice,
        public,
        benefit_type="budget",
        unit="DKK",
        direction="higher",
        baseline_value=D(0),
        target_value=D(500000),
    )
    services.change_status(alice, kroner, BenefitStatus.PLANNED)
    html = render_panel("{% programme_benefits_panel programme %}", alice, rf, programme=programme)
    assert 'data-status="identified">2<' in html and 'data-status="planned">1<' in html
    assert html.count("data-unit=") == 2  # " Hours" and "hours" are one unit
    hours_row = html.split('data-unit="Hours"')[1].split("</tr>")[0]
    assert 'data-planned="300' in hours_row and 'data-realised="60' in hours_row
    dkk_row = html.split('data-unit="DKK"')[1].split("</tr>")[0]
    assert 'data-planned="500000' in dkk_row and 'data-realised="0' in dkk_row
    chart = html.split('id="programme-benefit-chart-box"')[1].split("</svg>")[0]
    assert 'data-bars="2"' in chart
    # Charlie of another organisation sees the public pilot's benefits only.
    seen = render_panel(
        "{% programme_benefits_panel programme %}", charlie, rf, programme=programme
    )
    assert 'data-status="identified">1<' in seen
    assert 'data-planned="150' in seen.split('data-unit="hours"')[1]


def test_it_counts_every_pilot_for_the_programmes_own_people(
    alice, charlie, org_b, rf, programme, programme_pilots
):
    public, internal = programme_pilots
    make_benefit(alice, public)
    make_benefit(alice, internal)
    source = "{% programme_benefits_panel programme %}"
    assert 'data-status="identified">1<' in render_panel(source, charlie, rf, programme=programme)
    programme.co_owners.add(org_b)
    assert 'data-status="identified">2<' in render_panel(source, charlie, rf, programme=programme)


def test_it_shows_the_programme_panel_in_constant_queries(
    alice, org_a, programme, rf, django_assert_max_num_queries
):
    def queries() -> int:
        request = rf.get("/")
        request.user = alice
        template = Template("{% load pilot_benefits %}{% programme_benefits_panel programme %}")
        with CaptureQueriesContext(connection) as captured:
            template.render(Context({"request": request, "programme": programme}))
        return len(captured)

    first = make_pilot(alice, org_a, "Pilot 0", programme=programme)
    make_benefit(alice, first)
    few = queries()
    for n in range(1, 8):
        pilot = make_pilot(alice, org_a, f"Pilot {n}", programme=programme)
        benefit = make_benefit(alice, pilot, unit=f"unit {n % 3}")
        services.add_measurement(alice, benefit, timezone.localdate(), D(300))
    assert queries() == few
    with django_assert_max_num_queries(3):
        render_panel("{% programme_benefits_panel programme %}", alice, rf, programme=programme)


def test_it_shows_the_programme_panel_on_the_programme_page(client_for, bob, programme):
    make_benefit(
        programme.created_by, make_pilot(programme.created_by, programme.owner, programme=programme)
    )
    page = client_for(bob).get(f"/pilots/programmes/{programme.pk}/").content.decode()
    assert 'id="programme-benefits"' in page and 'id="programme-benefit-units"' in page


def test_it_says_when_a_programme_has_no_benefits(alice, rf, programme):
    html = render_panel("{% programme_benefits_panel programme %}", alice, rf, programme=programme)
    assert 'id="programme-benefits"' in html and "programme-benefit-units" not in html


def test_it_lets_a_member_of_the_owner_tree_be_the_owner_in_the_form(
    client_for, alice, org_a_department, pilot
):
    worker = make_user("sofie")
    add_member(worker, org_a_department)
    page = client_for(alice).get(f"/pilots/{pilot.pk}/benefits/new/").content.decode()
    assert f'value="{worker.pk}"' in page and f'value="{org_a_department.pk}"' in page
