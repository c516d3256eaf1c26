"""The KPI API: who may read and write, gain in the answers, problem details on bad input."""

import json
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samspil.api.tests.test_api import assert_problem, bearer, token_for
from samspil.core.models import Visibility
from samspil.pilots import kpi_services as services
from samspil.pilots.models import Kpi, Measurement

from .test_kpi_services import BASELINE_ON, make_definition, make_kpi

TODAY = timezone.localdate()
D1, D2, D3 = (BASELINE_ON + timedelta(days=n) for n in (10, 20, 30))


def send(client, path: str, body, user=None):
    headers = bearer(token_for(user)) if user is not None else {}
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


def get(client, path: str, user=None):
    headers = bearer(token_for(user)) if user is not None else {}
    return client.get(path, headers=headers)


def new_kpi(**overrides) -> dict:
    body = {
        "name": "Minutes per invoice",
        "unit": "minutes per invoice",
        "direction": "lower",
        "baseline_value": "20",
        "baseline_on": BASELINE_ON.isoformat(),
        "target_value": "14",
    }
    body.update(overrides)
    return body


def test_it_lists_kpis_with_latest_value_gain_and_progress(client, alice, pilot):
    kpi = make_kpi(alice, pilot)
    services.add_measurement(alice, kpi, D1, Decimal("18"))
    services.add_measurement(alice, kpi, D2, Decimal("17"))
    zero = make_kpi(
        alice,
        pilot,
        name="Complaints",
        unit="complaints",
        baseline_value=0,
        target_value=None,
        target_on=None,
    )
    make_kpi(alice, pilot, name="Errors", unit="errors")
    services.add_measurement(alice, zero, D1, Decimal("2"))
    response = get(client, f"/api/pilots/{pilot.pk}/kpis")
    assert response.status_code == 200
    first, second, third = response.json()
    assert first["primary"] and not second["primary"]
    assert Decimal(first["latest_value"]) == 17 and first["latest_on"] == D2.isoformat()
    assert Decimal(first["gain"]) == Decimal("0.15")  # (20 − 17) / 20
    assert Decimal(first["progress_to_target"]) == Decimal("0.5")  # 3 of 6 minutes
    assert second["gain"] is None and Decimal(second["latest_value"]) == 2  # zero baseline
    assert third["gain"] is None and third["latest_value"] is None


def test_it_lists_kpis_in_a_constant_number_of_queries(client, alice, pilot):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert get(client, f"/api/pilots/{pilot.pk}/kpis", alice).status_code == 200
        return len(queries)

    make_kpi(alice, pilot)
    few = count()
    for n in range(5):
        kpi = make_kpi(alice, pilot, name=f"KPI {n}")
        services.add_measurement(alice, kpi, D1, Decimal(n))
    assert count() == few


def test_it_answers_404_for_another_organisations_internal_pilot(
    client, alice, charlie, internal_pilot
):
    kpi = make_kpi(alice, internal_pilot)
    body = {"measured_on": D1.isoformat(), "value": "3"}
    for user in (charlie, None):
        assert_problem(get(client, f"/api/pilots/{internal_pilot.pk}/kpis", user), 404)
    assert_problem(send(client, f"/api/pilots/{internal_pilot.pk}/kpis", new_kpi(), charlie), 404)
    assert_problem(send(client, f"/api/kpis/{kpi.pk}/measurements", body, charlie), 404)
    assert_problem(send(client, "/api/kpis/999999/measurements", body, alice), 404)


def test_it_lets_those_who_edit_the_pilot_add_kpis(client, alice, bob, dave, pilot):
    response = send(client, f"/api/pilots/{pilot.pk}/kpis", new_kpi(), alice)
    assert response.status_code == 201, response.content
    assert response.json()["gain"] is None and response.json()["primary"]
    for user in (bob, dave):
        assert_problem(send(client, f"/api/pilots/{pilot.pk}/kpis", new_kpi(), user), 403)
    assert_problem(send(client, f"/api/pilots/{pilot.pk}/kpis", new_kpi()), 401)
    assert Kpi.objects.count() == 1


def test_it_adds_a_kpi_from_the_catalogue(client, alice, org_a, org_b, pilot):
    definition = make_definition(org_a)
    body = new_kpi(definition_id=definition.pk, name="", unit="", direction=None)
    response = send(client, f"/api/pilots/{pilot.pk}/kpis", body, alice)
    assert response.status_code == 201, response.content
    assert response.json()["definition_id"] == definition.pk
    assert response.json()["unit"] == definition.unit
    hidden = make_definition(org_b, visibility=Visibility.INTERNAL)
    body = new_kpi(definition_id=hidden.pk)
    problem = assert_problem(send(client, f"/api/pilots/{pilot.pk}/kpis", body, alice), 422)
    assert "definition_id" in problem["errors"]


def test_it_refuses_a_bad_kpi_with_a_problem(client, alice, pilot):
    body = new_kpi(unit="", direction="sideways")
    assert_problem(send(client, f"/api/pilots/{pilot.pk}/kpis", body, alice), 422)
    body = new_kpi(unit="", baseline_value="1.23456")
    assert_problem(send(client, f"/api/pilots/{pilot.pk}/kpis", body, alice), 422)
    problem = assert_problem(
        send(client, f"/api/pilots/{pilot.pk}/kpis", new_kpi(unit=""), alice), 422
    )
    assert "unit" in problem["errors"]
    assert not Kpi.objects.exists()


def test_it_refuses_a_target_that_is_no_improvement(client, alice, pilot):
    path = f"/api/pilots/{pilot.pk}/kpis"
    worse = new_kpi(direction="lower", baseline_value="20", target_value="30")
    problem = assert_problem(send(client, path, worse, alice), 422)
    assert problem["errors"]["target_value"] == [
        "When lower is better, the target must not be above the baseline."
    ]
    problem = assert_problem(send(client, path, new_kpi(target_value="20"), alice), 422)
    assert problem["errors"]["target_value"] == ["The target must differ from the baseline."]
    assert not Kpi.objects.exists()


def test_it_adds_one_measurement_or_a_list(client, alice, pilot):
    kpi = make_kpi(alice, pilot)
    url = f"/api/kpis/{kpi.pk}/measurements"
    response = send(client, url, {"measured_on": D1.isoformat(), "value": "18.5"}, alice)
    assert response.status_code == 201, response.content
    assert Decimal(response.json()["value"]) == Decimal("18.5")
    items = [
        {"measured_on": D2.isoformat(), "value": 17, "unit": "Minutes per invoice"},
        {"measured_on": D3.isoformat(), "value": 16, "note": "May"},
    ]
    response = send(client, url, items, alice)
    assert response.status_code == 201, response.content
    assert [item["measured_on"] for item in response.json()] == [D2.isoformat(), D3.isoformat()]
    assert kpi.measurements.count() == 3


def test_it_refuses_an_empty_list_of_measurements(client, alice, pilot):
    kpi = make_kpi(alice, pilot)
    problem = assert_problem(send(client, f"/api/kpis/{kpi.pk}/measurements", [], alice), 422)
    assert problem["errors"] == {"": ["Send at least one measurement."]}
    assert not Measurement.objects.exists()


def test_it_names_each_bad_item_and_stores_none(client, alice, pilot):
    kpi = make_kpi(alice, pilot)
    services.add_measurement(alice, kpi, D1, Decimal("18"))
    items = [
        {"measured_on": D2.isoformat(), "value": 17},
        {"measured_on": (BASELINE_ON - timedelta(days=1)).isoformat(), "value": 17},
        {"measured_on": D3.isoformat(), "value": 0.25, "unit": "hours"},
        {"measured_on": (TODAY + timedelta(days=1)).isoformat(), "value": 1},
        {"measured_on": D1.isoformat(), "value": 16},
        {"measured_on": D2.isoformat(), "value": 15},
    ]
    problem = assert_problem(send(client, f"/api/kpis/{kpi.pk}/measurements", items, alice), 422)
    assert [(e["index"], e["field"]) for e in problem["errors"]] == [
        (1, "measured_on"),
        (2, "unit"),
        (3, "measured_on"),
        (4, "measured_on"),
        (5, "measured_on"),
    ]
    assert "18" in problem["errors"][3]["message"]
    assert list(kpi.measurements.values_list("value", flat=True)) == [Decimal("18")]


def test_it_refuses_measurements_to_those_who_may_not_edit(client, alice, bob, dave, pilot):
    kpi = make_kpi(alice, pilot)
    body = {"measured_on": D1.isoformat(), "value": "3"}
    for user in (bob, dave):
        assert_problem(send(client, f"/api/kpis/{kpi.pk}/measurements", body, user), 403)
    assert_problem(send(client, f"/api/kpis/{kpi.pk}/measurements", body), 401)
    assert_problem(send(client, f"/api/kpis/{kpi.pk}/measurements", {"value": "x"}, alice), 422)
    assert not Measurement.objects.exists()
