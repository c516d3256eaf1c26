"""The procurements API: who may list, read, create, change and mark steps; problem details."""

import json

import pytest

from samspil.api.tests.test_api import assert_problem, bearer, token_for
from samspil.conftest import add_member, make_user
from samspil.core.models import Role
from samspil.procurement.models import Procurement, ProcurementRoute

from .conftest import make_procurement

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(org_a):
    user = make_user("olga")
    add_member(user, org_a, Role.Code.PROCUREMENT_OFFICER)
    return user


def send(client, path: str, body: dict, user=None, method: str = "post"):
    headers = bearer(token_for(user)) if user is not None else {}
    return getattr(client, method)(
        path, json.dumps(body), content_type="application/json", headers=headers
    )


def get(client, path: str, user=None, **query):
    headers = bearer(token_for(user)) if user is not None else {}
    return client.get(path, query, headers=headers)


def test_routes_are_listed_with_their_steps(client):
    body = get(client, "/api/procurement-routes").json()
    codes = [route["code"] for route in body]
    assert codes == [
        "market-consultation",
        "open-tender",
        "competitive-dialogue",
        "negotiation",
        "innovation-partnership",
        "pcp",
        "opi-without-tender",
        "lup",
    ]
    partnership = body[codes.index("innovation-partnership")]
    assert partnership["has_phases"] and partnership["ocds_method"] == "selective"
    assert partnership["translations"]["da"]["name"] == "Innovationspartnerskab"
    assert [s["position"] for s in partnership["steps"]] == [1, 2, 3, 4, 5]


def test_the_list_shows_what_each_caller_sees(
    client, alice, bob, charlie, dave, procurement, internal_procurement
):
    assert get(client, "/api/procurements").json()["count"] == 1
    assert get(client, "/api/procurements", alice).json()["count"] == 2
    assert get(client, "/api/procurements", bob).json()["count"] == 2
    assert get(client, "/api/procurements", charlie).json()["count"] == 1
    assert get(client, "/api/procurements", dave).json()["count"] == 1
    assert get(client, "/api/procurements", alice, q="Internal").json()["count"] == 1
    assert get(client, "/api/procurements", alice, route="pcp").json()["count"] == 0
    assert_problem(get(client, "/api/procurements", stage="finished"), 422)


def test_reading_one(client, alice, charlie, procurement, internal_procurement):
    body = get(client, f"/api/procurements/{procurement.pk}").json()
    assert body["ocid"] == procurement.ocid and body["can_edit"] is False
    assert get(client, f"/api/procurements/{procurement.pk}", alice).json()["can_edit"] is True
    assert_problem(get(client, f"/api/procurements/{internal_procurement.pk}"), 404)
    assert_problem(get(client, f"/api/procurements/{internal_procurement.pk}", charlie), 404)


def test_creating(client, alice, officer, bob, dave, org_a):
    body = {"title": "Biological light", "route": "innovation-partnership", "ceiling": 160000000}
    assert_problem(send(client, "/api/procurements", body), 401)
    assert_problem(send(client, "/api/procurements", body, bob), 403)
    assert_problem(send(client, "/api/procurements", body, dave), 403)
    response = send(client, "/api/procurements", body, officer)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["route"]["code"] == "innovation-partnership"
    assert data["lead_buyer"]["id"] == org_a.pk and data["currency"] == "DKK"
    assert data["next_step"]["position"] == 1
    assert_problem(send(client, "/api/procurements", {**body, "route": "nope"}, alice), 422)
    assert_problem(send(client, "/api/procurements", {**body, "cpv_codes": ["1234"]}, alice), 422)
    assert_problem(send(client, "/api/procurements", {"title": "  "}, alice), 422)
    assert_problem(
        send(
            client,
            "/api/procurements",
            {"title": "X", "tender_on": "2026-05-01", "award_on": "2026-01-01"},
            alice,
        ),
        422,
    )
    assert Procurement.objects.count() == 1


def test_changing(client, alice, bob, charlie, procurement, internal_procurement):
    path = f"/api/procurements/{procurement.pk}"
    assert_problem(send(client, path, {"title": "X"}, method="patch"), 401)
    assert_problem(send(client, path, {"title": "X"}, bob, method="patch"), 403)
    assert_problem(
        send(client, f"/api/procurements/{internal_procurement.pk}", {}, charlie, method="patch"),
        404,
    )
    assert_problem(send(client, path, {"stage": "tender"}, alice, method="patch"), 422)
    body = send(client, path, {"route": "pcp", "stage": "tender"}, alice, method="patch").json()
    assert body["route"]["code"] == "pcp" and body["stage"] == "tender"


def test_steps_in_order_and_a_skipped_step_refused(client, alice, bob, org_a):
    route = ProcurementRoute.objects.get(code="open-tender")
    procurement = make_procurement(alice, org_a, route=route)
    steps = list(route.steps.order_by("position"))
    path = f"/api/procurements/{procurement.pk}/steps"
    assert_problem(send(client, path, {"done_on": "2026-03-01"}), 401)
    assert_problem(send(client, path, {"done_on": "2026-03-01"}, bob), 403)
    response = send(client, path, {"done_on": "2026-03-01", "step_id": steps[2].pk}, alice)
    assert_problem(response, 422)
    assert "in order" in json.dumps(response.json(), ensure_ascii=False)
    response = send(client, path, {"done_on": "2026-03-01", "output": "Notice"}, alice)
    assert response.status_code == 201
    response = send(client, path, {"done_on": "2026-02-01"}, alice)
    assert_problem(response, 422)
    body = send(client, path, {"done_on": "2026-03-05", "step_id": steps[1].pk}, alice).json()
    assert [row["position"] for row in body["steps_done"]] == [1, 2]
    assert body["next_step"]["position"] == 3
    assert_problem(send(client, path, {"done_on": "nonsense"}, alice), 422)
