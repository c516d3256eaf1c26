"""The open API of results (anyone may read published results and their adoptions) and
``POST /api/results/{id}/adoptions`` for those who may adopt; problem details on bad input."""

from datetime import date

import pytest

from samspil.api.tests.test_api import assert_problem
from samspil.core.models import Organisation
from samspil.events.tests.test_api import get, send
from samspil.needs.models import Theme
from samspil.pilots.models import Pilot
from samspil.results import adoption_services as services
from samspil.results.models import Adoption, AdoptionOutcome, ResultKind, ResultStatus

from .factories import insert_result

LIST = "/api/public/results"


@pytest.fixture
def result(org_b):
    return insert_result(org_b, stage="prototype", outcome="implemented")


def adoptions_path(result) -> str:
    return f"/api/results/{result.pk}/adoptions"


def test_anyone_lists_the_published_results_only(client, org_a, org_b, result):
    insert_result(org_a, status=ResultStatus.DRAFT, title="A draft")
    insert_result(org_a, status=ResultStatus.WITHDRAWN, title="Withdrawn", published_at=None)
    response = get(client, LIST)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == result.pk and item["organisation"]["country"] == "NO"
    assert item["licence"] == "CC-BY-4.0" and item["adoption_count"] == 0
    assert item["url"] == f"/results/{result.pk}/"


def test_it_filters_like_the_catalogue(client, org_a, org_b, result):
    theme = Theme.objects.create(
        slug="welfare", name_da="Velfærd", name_nb="Velferd", name_sv="Välfärd", name_en="Welfare"
    )
    danish = insert_result(
        org_a, title="Hackathon concept", kind=ResultKind.EVENT_CONCEPT, summary="Three days."
    )
    danish.themes.add(theme)

    def ids(**query):
        response = get(client, LIST, **query)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    assert ids(country="DK") == [danish.pk]
    assert ids(country="NO") == [result.pk]
    assert ids(theme="welfare") == [danish.pk]
    assert ids(kind="templates") == [danish.pk]
    assert ids(kind="result") == ids(kind="results") == [result.pk]
    assert ids(stage="prototype") == [result.pk]
    assert ids(outcome="implemented") == [result.pk]
    assert ids(q="robotic INVOICE") == [result.pk]
    assert ids(q="three") == [danish.pk]
    assert set(ids()) == {danish.pk, result.pk}


@pytest.mark.parametrize(
    "query", [{"kind": "poem"}, {"stage": "dream"}, {"country": "FI"}, {"page": "0"}]
)
def test_bad_filters_are_a_422_problem(client, result, query):
    assert_problem(get(client, LIST, **query), 422)


def test_the_list_costs_the_same_queries_for_many_results(
    client, org_a, org_b, django_assert_max_num_queries
):
    theme = Theme.objects.create(
        slug="data", name_da="Data", name_nb="Data", name_sv="Data", name_en="Data"
    )
    for number in range(25):
        made = insert_result(org_a if number % 2 else org_b, title=f"Result {number}")
        made.themes.add(theme)
        Adoption.objects.create(
            result=made, organisation=org_b if number % 2 else org_a, adopted_on=date(2024, 1, 1)
        )
    with django_assert_max_num_queries(4):
        response = get(client, LIST, page_size=25)
    assert len(response.json()["items"]) == 25
    assert response.json()["items"][0]["themes"] == ["data"]


def test_anyone_reads_one_published_result_with_its_adoptions(client, alice, org_a, result):
    services.adopt_result(alice, result, org_a, start="pilot", note="In payroll.")
    response = get(client, f"{LIST}/{result.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["contact_name"] == "Kari Nordmann" and body["tried"]
    assert body["adoption_count"] == 1
    [adoption] = body["adoptions"]
    assert adoption["organisation"]["name"] == "Arby Kommune"
    assert adoption["started"] == "pilot" and adoption["outcome"] == "started"
    assert adoption["note"] == "In payroll."
    assert "pilot_id" not in adoption  # Arby's pilot is internal


def test_an_unpublished_result_is_404_even_to_its_owner(client, alice, org_a):
    draft = insert_result(org_a, status=ResultStatus.DRAFT)
    assert_problem(get(client, f"{LIST}/{draft.pk}", alice), 404)
    assert_problem(get(client, f"{LIST}/999999"), 404)


# Adopting ------------------------------------------------------------------------------------


def test_alice_adopts_with_a_pilot(client, alice, org_a, result):
    response = send(
        client, adoptions_path(result), {"organisation_id": org_a.pk, "start": "pilot"}, alice
    )
    assert response.status_code == 201, response.content
    body = response.json()
    pilot = Pilot.objects.get(owner=org_a)
    assert body["pilot_id"] == pilot.pk and body["pilot_url"] == pilot.get_absolute_url()
    assert body["outcome"] == "started" and body["result_id"] == result.pk
    assert body["procurement_id"] is None


def test_a_second_adoption_is_a_409(client, alice, org_a, result):
    services.adopt_result(alice, result, org_a)
    response = send(client, adoptions_path(result), {"organisation_id": org_a.pk}, alice)
    body = assert_problem(response, 409)
    assert "Arby Kommune" in body["detail"]
    assert Adoption.objects.count() == 1


def test_the_publisher_and_an_unpublished_result_are_a_422(
    client,
    olav,
    alice,
    org_a,
    org_a_department,
    org_b,
    result,
):
    body = assert_problem(
        send(client, adoptions_path(result), {"organisation_id": org_b.pk}, olav), 422
    )
    assert "organisation" in body["errors"]
    draft = insert_result(org_a_department, status=ResultStatus.DRAFT)
    assert_problem(send(client, adoptions_path(draft), {"organisation_id": org_a.pk}, alice), 422)
    bad = send(client, adoptions_path(result), {"organisation_id": org_a.pk, "start": "x"}, alice)
    assert_problem(bad, 422)
    assert not Adoption.objects.exists()


def test_no_right_in_the_organisation_is_a_403(client, bob, dave, org_a, org_c, result):
    assert_problem(send(client, adoptions_path(result), {"organisation_id": org_a.pk}, bob), 403)
    assert_problem(send(client, adoptions_path(result), {"organisation_id": org_c.pk}, dave), 403)
    assert not Adoption.objects.exists()


def test_anonymous_callers_and_unseen_records_are_refused(client, alice, org_a):
    result = insert_result(Organisation.objects.create(name="X", slug="x", kind="municipality"))
    assert_problem(send(client, adoptions_path(result), {"organisation_id": org_a.pk}), 401)
    hidden = Organisation.objects.create(
        name="Hidden", slug="hidden", kind="municipality", visibility="internal"
    )
    assert_problem(send(client, adoptions_path(result), {"organisation_id": hidden.pk}, alice), 404)
    draft = insert_result(hidden, status=ResultStatus.DRAFT)
    assert_problem(send(client, adoptions_path(draft), {"organisation_id": org_a.pk}, alice), 404)


def test_the_adopter_patches_the_outcome(client, alice, bob, org_a, result):
    adoption = services.adopt_result(alice, result, org_a)
    path = f"{adoptions_path(result)}/{adoption.pk}"
    response = send(client, path, {"outcome": "procured", "note": "Bought."}, alice, "patch")
    assert response.status_code == 200, response.content
    assert response.json()["outcome"] == "procured"
    assert_problem(send(client, path, {"outcome": "stopped"}, bob, "patch"), 403)
    assert_problem(send(client, path, {"outcome": "lost"}, alice, "patch"), 422)
    services.update_outcome(alice, adoption, outcome=AdoptionOutcome.STOPPED, note="")
    assert_problem(send(client, path, {"outcome": "in_use"}, alice, "patch"), 422)
