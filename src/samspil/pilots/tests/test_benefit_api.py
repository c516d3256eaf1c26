"""The benefits API: a pilot's benefits plan, adding benefits and recording measurements, for
those who may and may not; problem details on bad input."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samspil.api.tests.test_api import assert_problem
from samspil.events.tests.test_api import get, send
from samspil.pilots import benefit_services as services
from samspil.pilots.models import Benefit, BenefitStatus

from .test_benefit_services import make_benefit

D = Decimal


@pytest.fixture
def benefit(alice, bob, org_a, pilot):
    return make_benefit(alice, pilot, owner=bob, holders=[org_a])


def new_benefit(**overrides) -> dict:
    today = timezone.localdate()
    body = {
        "benefit_type": "budget",
        "indicator": "Postage saved a year",
        "unit": "DKK",
        "direction": "higher",
        "baseline_value": "0",
        "baseline_on": (today - timedelta(days=10)).isoformat(),
        "target_value": "120000",
        "target_on": (today + timedelta(days=365)).isoformat(),
    }
    body.update(overrides)
    return body


def benefits_path(pilot) -> str:
    return f"/api/pilots/{pilot.pk}/benefits"


def measurements_path(benefit) -> str:
    return f"/api/benefits/{benefit.pk}/measurements"


def test_it_lists_a_public_pilots_benefits_to_anyone(client, alice, bob, org_a, benefit):
    services.change_status(alice, benefit, BenefitStatus.PLANNED)
    services.add_measurement(alice, benefit, timezone.localdate(), D(325), "After go-live")
    for caller in (None, bob):
        response = get(client, benefits_path(benefit.pilot), caller)
        assert response.status_code == 200
        (row,) = response.json()
        assert row["indicator"] == benefit.indicator and row["status"] == "realising"
        assert row["owner"] == {"id": bob.pk, "name": str(bob)}
        assert row["holders"] == [{"id": org_a.pk, "name": org_a.name}]
        assert D(row["progress"]) == D("0.5") and row["suggested_status"] == "realising"
        assert [m["note"] for m in row["measurements"]] == ["After go-live"]
        assert row["overdue"] is False


def test_it_answers_404_for_an_internal_pilots_benefits(
    client, alice, bob, charlie, dave, internal_pilot
):
    make_benefit(alice, internal_pilot)
    for caller in (None, charlie, dave):
        assert_problem(get(client, benefits_path(internal_pilot), caller), 404)
    assert len(get(client, benefits_path(internal_pilot), bob).json()) == 1


def test_it_lists_benefits_with_a_constant_number_of_queries(client, alice, org_a, pilot):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert get(client, benefits_path(pilot), alice).status_code == 200
        return len(queries)

    make_benefit(alice, pilot, holders=[org_a])
    few = count()
    for n in range(8):
        benefit = make_benefit(alice, pilot, indicator=f"Indicator {n}", holders=[org_a])
        services.add_measurement(alice, benefit, timezone.localdate(), D(300))
    assert count() == few


def test_it_lets_those_who_keep_the_pilot_add_a_benefit(client, alice, bob, org_a, pilot):
    body = new_benefit(owner_id=bob.pk, holder_ids=[org_a.pk])
    response = send(client, benefits_path(pilot), body, alice)
    assert response.status_code == 201, response.content
    data = response.json()
    benefit = Benefit.objects.get()
    assert data["id"] == benefit.pk and data["status"] == "identified"
    assert data["owner"]["id"] == bob.pk and data["measurements"] == []
    assert benefit.next_measurement_on is not None
    assert data["next_measurement_on"] == benefit.next_measurement_on.isoformat()


def test_it_refuses_benefits_to_others(client, bob, charlie, dave, pilot, internal_pilot):
    assert_problem(send(client, benefits_path(pilot), new_benefit()), 401)
    for caller in (bob, charlie, dave):
        assert_problem(send(client, benefits_path(pilot), new_benefit(), caller), 403)
    assert_problem(send(client, benefits_path(internal_pilot), new_benefit(), charlie), 404)
    assert not Benefit.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"target_on": "2000-01-01"}, "target_on"),
        ({"target_value": "-5"}, "target_value"),
        ({"target_value": "0"}, "target_value"),
        ({"holder_ids": [999999]}, "holder_ids"),
        ({"owner_id": 999999}, "owner_id"),
    ],
)
def test_it_answers_bad_benefits_with_a_problem_naming_the_field(
    client, alice, pilot, overrides, field
):
    body = assert_problem(send(client, benefits_path(pilot), new_benefit(**overrides), alice), 422)
    assert field in body["errors"]


def test_it_answers_invalid_bodies_with_a_problem(client, alice, pilot):
    for body in (new_benefit(benefit_type="joy"), new_benefit(measure_every_months=0), {}):
        assert_problem(send(client, benefits_path(pilot), body, alice), 422)


def test_it_refuses_holders_outside_the_pilot(client, alice, org_b, org_c, pilot):
    for organisation in (org_b, org_c):
        body = new_benefit(holder_ids=[organisation.pk])
        problem = assert_problem(send(client, benefits_path(pilot), body, alice), 422)
        assert "holders" in problem["errors"]


def test_it_records_a_measurement(client, alice, benefit):
    services.change_status(alice, benefit, BenefitStatus.PLANNED)
    today = timezone.localdate().isoformat()
    response = send(
        client, measurements_path(benefit), {"measured_on": today, "value": "310.25"}, alice
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["benefit_id"] == benefit.pk and D(data["value"]) == D("310.25")
    assert data["recorded_by"]["id"] == alice.pk
    benefit.refresh_from_db()
    assert benefit.status == BenefitStatus.REALISING


def test_it_refuses_measurements_to_others_and_on_bad_days(
    client, alice, bob, charlie, benefit, internal_pilot
):
    today = timezone.localdate()
    body = {"measured_on": today.isoformat(), "value": "300"}
    assert_problem(send(client, measurements_path(benefit), body), 401)
    assert_problem(send(client, measurements_path(benefit), body, bob), 403)
    internal = make_benefit(alice, internal_pilot)
    assert_problem(send(client, measurements_path(internal), body, charlie), 404)
    assert_problem(send(client, "/api/benefits/999999/measurements", body, alice), 404)
    future = {"measured_on": (today + timedelta(days=1)).isoformat(), "value": "300"}
    problem = assert_problem(send(client, measurements_path(benefit), future, alice), 422)
    assert "measured_on" in problem["errors"]
    assert send(client, measurements_path(benefit), body, alice).status_code == 201
    assert_problem(send(client, measurements_path(benefit), body, alice), 422)
    assert_problem(send(client, measurements_path(benefit), {"value": "x"}, alice), 422)
    assert benefit.measurements.count() == 1
