"""The KPI catalogue and benchmark API: who sees what, the shape of a benchmark, problem
details on bad input, and a constant number of queries."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samspil.api.tests.test_api import assert_problem, bearer, token_for
from samspil.core.models import Visibility
from samspil.pilots import benchmark_services as services

from .conftest import make_pilot
from .test_benchmark_services import make_definition, make_lead, measure, reference_fields


@pytest.fixture
def berit(org_b):
    """Innovation lead of organisation B (Bergvik, Norway)."""
    return make_lead(org_b)


@pytest.fixture
def definition(alice, org_a):
    """Alice's public definition: minutes per invoice coded, lower is better."""
    return make_definition(alice, org_a)


def get(client, path: str, user=None, **query):
    headers = bearer(token_for(user)) if user is not None else {}
    return client.get(path, query, headers=headers)


def test_it_lists_the_catalogue_with_the_pilots_measuring_each(
    client, alice, berit, org_a, org_b, definition
):
    internal = services.create_kpi_definition(
        alice, org_a, name="Cost per payslip", unit="EUR", direction="lower"
    )
    measure(make_pilot(alice, org_a, "Arby robot"), definition, 20, 14)
    measure(make_pilot(berit, org_b, "Bergvik robot"), definition, 18, 12)
    measure(make_pilot(berit, org_b, "Bergvik again"), definition, 18, 13)
    measure(make_pilot(berit, org_b, "Bergvik seconds"), definition, 900, unit="seconds")

    body = get(client, "/api/kpi-definitions", alice).json()
    assert [item["name"] for item in body["items"]] == [internal.name, definition.name]
    item = body["items"][1]
    assert (item["pilot_count"], item["organisation_count"]) == (3, 2)
    assert item["organisation"] == {"id": org_a.pk, "name": org_a.name}
    assert item["benchmark_url"] == f"/pilots/kpi-definitions/{definition.pk}/"
    assert item["direction"] == "lower" and item["visibility"] == "public"

    anonymous = get(client, "/api/kpi-definitions").json()
    assert [item["name"] for item in anonymous["items"]] == [definition.name]
    assert get(client, "/api/kpi-definitions", alice, q="payslip").json()["count"] == 1


def test_it_lists_the_catalogue_with_a_constant_number_of_queries(client, alice, org_a):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert get(client, "/api/kpi-definitions", alice).status_code == 200
        return len(queries)

    services.create_kpi_definition(alice, org_a, name="KPI 0", unit="min", direction="lower")
    few = count()
    for n in range(1, 15):
        kpi_definition = services.create_kpi_definition(
            alice, org_a, name=f"KPI {n}", unit="min", direction="lower"
        )
        measure(make_pilot(alice, org_a, f"Pilot {n}"), kpi_definition, 20, 14)
    assert count() == few


def test_it_answers_a_benchmark_with_rows_summary_and_references(
    client, alice, berit, charlie, org_a, org_b, definition
):
    arby = measure(make_pilot(alice, org_a, "Arby robot"), definition, 20, 14)
    measure(
        make_pilot(berit, org_b, "Bergvik internal", visibility=Visibility.INTERNAL),
        definition,
        18,
        9,
    )
    services.add_reference_value(alice, definition, org_a, **reference_fields())
    body = get(client, f"/api/kpi-definitions/{definition.pk}/benchmark", alice).json()
    assert body["definition"]["name"] == definition.name
    assert body["definition"]["organisation"]["id"] == org_a.pk
    [row] = body["rows"]
    assert row["kpi_id"] == arby.pk and row["pilot"]["title"] == "Arby robot"
    assert row["scope"] == "own" and row["position"] == 1
    assert D(row["latest_value"]) == 14 and D(row["gain"]) == D("0.3")
    assert row["municipality"] == {"id": org_a.pk, "name": org_a.name}
    assert body["summary"]["count"] == 1 and body["summary"]["own_position"] == 1
    [reference] = body["reference_values"]
    assert reference["source"].startswith("DFØ") and reference["added_by"]["id"] == org_a.pk

    # Charlie of Bergvik sees its internal pilot; Arby's pilot is outside his municipality.
    rows = get(client, f"/api/kpi-definitions/{definition.pk}/benchmark", charlie).json()["rows"]
    assert [(r["pilot"]["title"], r["scope"]) for r in rows] == [
        ("Bergvik internal", "own"),
        ("Arby robot", "outside"),
    ]
    outside = get(
        client, f"/api/kpi-definitions/{definition.pk}/benchmark", charlie, scope="outside"
    ).json()
    assert [r["pilot"]["title"] for r in outside["rows"]] == ["Arby robot"]
    assert (outside["row_count"], outside["summary"]["count"]) == (1, 2)


def test_it_pages_the_rows_of_a_benchmark(client, alice, berit, org_a, org_b, definition):
    for n in range(5):
        measure(make_pilot(berit, org_b, f"Bergvik {n}"), definition, 18, 10 + n)
    path = f"/api/kpi-definitions/{definition.pk}/benchmark"
    body = get(client, path, alice, page=2, page_size=2).json()
    assert (body["row_count"], body["page"], body["page_size"], body["pages"]) == (5, 2, 2, 3)
    assert [row["position"] for row in body["rows"]] == [3, 4]
    assert get(client, path, alice, page=9, page_size=2).json()["rows"] == []
    assert_problem(get(client, path, alice, page=0), 422)


def test_it_hides_an_internal_definition_from_other_organisations(
    client, alice, bob, charlie, dave, org_a
):
    internal = services.create_kpi_definition(
        alice, org_a, name="Cost per payslip", unit="EUR", direction="lower"
    )
    path = f"/api/kpi-definitions/{internal.pk}/benchmark"
    for person in (alice, bob):
        assert get(client, path, person).status_code == 200
    for person in (charlie, dave, None):
        assert_problem(get(client, path, person), 404)
    assert_problem(get(client, "/api/kpi-definitions/999999/benchmark", alice), 404)


def test_it_answers_bad_parameters_with_a_problem(client, alice, definition):
    assert_problem(get(client, f"/api/kpi-definitions/{definition.pk}/benchmark", scope="x"), 422)
    assert_problem(get(client, "/api/kpi-definitions/abc/benchmark"), 422)
    assert_problem(get(client, "/api/kpi-definitions", q="x" * 101), 422)
    assert_problem(client.get("/api/kpi-definitions", headers=bearer("not-a-token")), 401)


def test_it_answers_a_benchmark_in_a_constant_number_of_queries(
    client, alice, berit, org_a, org_b, definition
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            path = f"/api/kpi-definitions/{definition.pk}/benchmark"
            assert get(client, path, alice).status_code == 200
        return len(queries)

    measure(make_pilot(alice, org_a, "Arby 0"), definition, 20, 14)
    services.add_reference_value(alice, definition, org_a, **reference_fields())
    few = count()
    for n in range(10):
        owner, actor = (org_a, alice) if n % 2 else (org_b, berit)
        measure(make_pilot(actor, owner, f"Pilot {n}"), definition, 20, 17, 15)
    services.add_reference_value(alice, definition, org_a, **reference_fields(label="Sweden"))
    assert count() == few
