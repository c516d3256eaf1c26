"""The programmes API: who may list, read and create; the portfolio; problem details."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samspil.api.tests.test_api import assert_problem, bearer, token_for
from samspil.core.models import Visibility
from samspil.pilots import programme_services
from samspil.pilots.models import Kpi, Measurement, Method, PhaseModel, Programme

from .conftest import make_pilot


def send(client, path: str, body: dict, user=None):
    headers = bearer(token_for(user)) if user is not None else {}
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


def get(client, path: str, user=None, **query):
    headers = bearer(token_for(user)) if user is not None else {}
    return client.get(path, query, headers=headers)


def new_programme(actor, owner, title="Digital welfare", **fields) -> Programme:
    start = timezone.localdate() - timedelta(days=30)
    values = {
        "title": title,
        "starts_on": start,
        "ends_on": start + timedelta(days=365),
        "method": Method.LEAN,
        "gain_target_percent": Decimal("30"),
        "max_pilot_months": 6,
        "visibility": Visibility.PUBLIC,
    }
    values.update(fields)
    return programme_services.create_programme(actor, owner, **values)


def measure(pilot, baseline: str, value: str) -> None:
    kpi = Kpi.objects.create(
        pilot=pilot,
        name="Minutes per invoice",
        unit="min",
        direction="lower",
        baseline_value=Decimal(baseline),
        baseline_on=pilot.starts_on,
    )
    Measurement.objects.create(kpi=kpi, measured_on=pilot.starts_on, value=Decimal(value))


def body(**overrides) -> dict:
    data = {
        "title": "Velferdsteknologi",
        "starts_on": "2025-01-01",
        "ends_on": "2026-12-31",
        "method": "prosjektveiviseren",
        "gain_target_percent": "30",
        "max_pilot_months": 6,
        "visibility": "internal",
    }
    data.update(overrides)
    return data


# Reads -----------------------------------------------------------------------------------------


def test_it_lists_only_public_programmes_to_anonymous_callers(client, alice, org_a):
    public = new_programme(alice, org_a, "Public")
    new_programme(alice, org_a, "Internal", visibility=Visibility.INTERNAL)
    response = get(client, "/api/programmes")
    assert response.status_code == 200
    payload = response.json()
    assert [item["title"] for item in payload["items"]] == [public.title]
    assert payload["count"] == 1
    item = payload["items"][0]
    assert item["organisation"] == {"id": org_a.pk, "name": org_a.name}
    assert item["url"] == f"/pilots/programmes/{public.pk}/"
    assert item["max_pilot_months"] == 6


@pytest.mark.parametrize(("persona", "sees"), [("bob", True), ("charlie", False), ("dave", False)])
def test_it_lists_internal_programmes_to_members_only(request, client, alice, org_a, persona, sees):
    new_programme(alice, org_a, "Internal", visibility=Visibility.INTERNAL)
    response = get(client, "/api/programmes", request.getfixturevalue(persona))
    assert (response.json()["count"] == 1) is sees


def test_it_lists_with_a_constant_number_of_queries(client, alice, bob, org_a):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert get(client, "/api/programmes", alice).status_code == 200
        return len(queries)

    new_programme(alice, org_a, "Programme 0", board=[bob])
    few = count()
    for n in range(1, 20):
        new_programme(alice, org_a, f"Programme {n}", board=[alice, bob], coordinator=bob)
    assert count() == few


def test_it_shows_a_programme_with_its_portfolio(client, alice, org_a):
    programme = new_programme(alice, org_a)
    measured = make_pilot(alice, org_a, "Measured", programme=programme)
    measure(measured, "20", "14")  # 30 %
    unmeasured = make_pilot(
        alice,
        org_a,
        "Unmeasured",
        programme=programme,
        planned_end_on=timezone.localdate() + timedelta(days=300),
    )
    response = get(client, f"/api/programmes/{programme.pk}")
    assert response.status_code == 200
    portfolio = response.json()["portfolio"]
    assert portfolio["pilot_count"] == 2
    assert portfolio["measured_count"] == 1
    assert portfolio["average_gain"] == pytest.approx(0.3)
    assert portfolio["target"] == pytest.approx(0.3)
    assert (portfolio["verdict"], portfolio["met"]) == ("met", True)
    pilots = {p["id"]: p for p in portfolio["pilots"]}
    assert pilots[measured.pk]["gain"] == pytest.approx(0.3)
    assert pilots[measured.pk]["gain_measured_on"] == measured.starts_on.isoformat()
    assert pilots[measured.pk]["organisation"] == org_a.name
    assert pilots[unmeasured.pk]["gain"] is None
    assert pilots[unmeasured.pk]["warnings"] == ["plan_too_long"]


def test_a_programme_without_gains_has_an_undefined_verdict(client, alice, org_a):
    programme = new_programme(alice, org_a)
    make_pilot(alice, org_a, programme=programme)
    portfolio = get(client, f"/api/programmes/{programme.pk}").json()["portfolio"]
    assert (portfolio["average_gain"], portfolio["verdict"], portfolio["met"]) == (
        None,
        "not_defined",
        None,
    )


@pytest.mark.parametrize("persona", [None, "charlie", "dave"])
def test_an_internal_programme_is_not_found_for_outsiders(request, client, alice, org_a, persona):
    programme = new_programme(alice, org_a, visibility=Visibility.INTERNAL)
    user = request.getfixturevalue(persona) if persona else None
    assert_problem(get(client, f"/api/programmes/{programme.pk}", user), 404)


def test_a_co_owners_member_reads_an_internal_programme(client, alice, charlie, org_a, org_b):
    programme = new_programme(alice, org_a, visibility=Visibility.INTERNAL, co_owners=[org_b])
    make_pilot(alice, org_a, "Internal pilot", programme=programme, visibility="internal")
    response = get(client, f"/api/programmes/{programme.pk}", charlie)
    assert response.status_code == 200
    assert [p["title"] for p in response.json()["portfolio"]["pilots"]] == ["Internal pilot"]


def test_an_unknown_programme_is_a_404_problem(client, alice):
    assert_problem(get(client, "/api/programmes/999999", alice), 404)


# Create ----------------------------------------------------------------------------------------


def test_alice_creates_a_programme(client, alice, bob, org_a, org_b):
    model = PhaseModel.objects.create(code="api-model", name="Prosjektveiviseren")
    response = send(
        client,
        "/api/programmes",
        body(
            co_owner_ids=[org_b.pk],
            board_ids=[bob.pk],
            coordinator_id=alice.pk,
            phase_model_id=model.pk,
        ),
        alice,
    )
    assert response.status_code == 201, response.content
    payload = response.json()
    programme = Programme.objects.get(pk=payload["id"])
    assert programme.owner == org_a
    assert payload["co_owners"] == [{"id": org_b.pk, "name": org_b.name}]
    assert payload["board"] == [{"id": bob.pk, "name": "Bob"}]
    assert payload["coordinator"] == {"id": alice.pk, "name": "Alice"}
    assert payload["phase_model"] == {"id": model.pk, "name": "Prosjektveiviseren"}
    assert Decimal(str(payload["gain_target_percent"])) == Decimal("30")
    assert payload["portfolio"]["pilots"] == []


def test_creating_needs_a_signed_in_innovation_lead(client, bob, dave, org_a):
    assert_problem(send(client, "/api/programmes", body()), 401)
    assert_problem(send(client, "/api/programmes", body(), bob), 403)
    assert_problem(send(client, "/api/programmes", body(organisation_id=org_a.pk), dave), 403)
    assert not Programme.objects.exists()


def test_an_end_before_the_start_is_a_422_problem(client, alice):
    problem = assert_problem(
        send(client, "/api/programmes", body(starts_on="2025-06-01", ends_on="2025-05-01"), alice),
        422,
    )
    assert "ends_on" in problem["errors"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"co_owner_ids": [999999]}, "co_owner_ids"),
        ({"board_ids": [999999]}, "board_ids"),
        ({"coordinator_id": 999999}, "coordinator_id"),
        ({"phase_model_id": 999999}, "phase_model_id"),
    ],
)
def test_unknown_references_are_422_problems(client, alice, overrides, field):
    problem = assert_problem(send(client, "/api/programmes", body(**overrides), alice), 422)
    assert field in problem["errors"]


def test_a_person_outside_the_trees_is_a_422_problem(client, alice, charlie):
    problem = assert_problem(
        send(client, "/api/programmes", body(board_ids=[charlie.pk]), alice), 422
    )
    assert "board" in problem["errors"]


def test_schema_violations_are_422_problems(client, alice):
    assert_problem(send(client, "/api/programmes", body(method="waterfall"), alice), 422)
    assert_problem(send(client, "/api/programmes", body(max_pilot_months=0), alice), 422)
    assert_problem(send(client, "/api/programmes", {"title": "Only a title"}, alice), 422)
