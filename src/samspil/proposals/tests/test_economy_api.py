"""The economics API: the table with totals and key figures per scenario, replacing the
table from JSON, problem details on bad cells, and who may."""

import json
from decimal import Decimal as D

import pytest

from samspil.api.tests.test_api import assert_problem, bearer, token_for
from samspil.proposals import economy_services as services
from samspil.proposals.economy_services import Cell, LineInput
from samspil.proposals.models import EconomicLine

from .conftest import make_proposal


def get(client, path, user=None):
    headers = bearer(token_for(user)) if user is not None else {}
    return client.get(path, headers=headers)


def put(client, path, body, user=None):
    headers = bearer(token_for(user)) if user is not None else {}
    return client.put(path, json.dumps(body), content_type="application/json", headers=headers)


def seed_table(alice, proposal):
    for amount in (1000, 950, 475, 275):
        services.add_line(
            alice,
            proposal,
            LineInput("implementation", "service", f"Line {amount}", {2021: Cell(D(amount))}),
        )


TABLE = {
    "lines": [
        {
            "group": "implementation",
            "budget_area": "service",
            "label": "Prototype of complaint handling",
            "cells": [{"year": 2021, "low": 1500, "high": 3000}],
        },
        {
            "group": "permanent",
            "budget_area": "service",
            "label": "Fewer complaints",
            "cells": [{"year": 2022, "value": -500}, {"year": 2025, "value": -500}],
        },
    ]
}


def test_it_gives_the_table_totals_and_key_figures(client, alice, proposal):
    seed_table(alice, proposal)

    body = get(client, f"/api/proposals/{proposal.pk}/economics").json()

    assert body["unit"] == "DKK" and body["price_level_year"] == 2021
    assert body["years"] == list(range(2020, 2026))
    assert [D(line["cells"][0]["value"]) for line in body["lines"]] == [1000, 950, 475, 275]
    likely = body["scenarios"]["likely"]
    assert D(likely["totals"]["2021"]) == 2700
    assert D(likely["group_totals"]["implementation"]["2021"]) == 2700
    assert D(likely["cumulative"]["2025"]) == 2700
    assert likely["figures"]["payback_year"] is None
    assert D(likely["figures"]["total_investment"]) == 2700
    assert round(D(likely["figures"]["npv"])) == round(D(-2700) / D("1.035"))
    assert body["discount"]["source"].startswith("Finansministeriet")
    assert body["discount"]["bands"][0][:2] == [0, 35]


def test_it_replaces_the_table_and_answers_with_every_scenario(client, alice, proposal):
    response = put(client, f"/api/proposals/{proposal.pk}/lines", TABLE, alice)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["has_uncertainty"]
    assert [D(body["scenarios"][s]["totals"]["2021"]) for s in ("low", "likely", "high")] == [
        1500,
        2250,
        3000,
    ]
    assert D(body["scenarios"]["likely"]["figures"]["yearly_saving"]) == 500
    assert EconomicLine.objects.filter(proposal=proposal).count() == 2


def test_it_lists_each_bad_cell_and_stores_nothing(client, alice, proposal):
    seed_table(alice, proposal)
    body = {
        "lines": [
            {
                "group": "implementation",
                "budget_area": "service",
                "label": "Bad",
                "cells": [
                    {"year": 2021, "low": 3000, "high": 1500},
                    {"year": 2030, "value": 1},
                    {"year": 2022, "value": "1e12"},
                ],
            },
            {"group": "other", "budget_area": "service", "label": "", "cells": []},
        ]
    }

    problem = assert_problem(put(client, f"/api/proposals/{proposal.pk}/lines", body, alice), 422)

    found = {(e["line"], e["field"], e["year"]) for e in problem["errors"]}
    assert found == {
        (0, "cell", 2021),
        (0, "cell", 2022),
        (0, "cell", 2030),
        (1, "group", None),
        (1, "label", None),
    }
    assert EconomicLine.objects.filter(proposal=proposal).count() == 4


def test_it_refuses_a_non_number_with_a_problem(client, alice, proposal):
    body = {"lines": [{**TABLE["lines"][0], "cells": [{"year": 2021, "value": "lots"}]}]}

    assert_problem(put(client, f"/api/proposals/{proposal.pk}/lines", body, alice), 422)


@pytest.mark.parametrize("persona", ["bob", "charlie", "dave"])
def test_it_forbids_others_to_replace_the_table(client, request, persona, proposal):
    user = request.getfixturevalue(persona)

    assert_problem(put(client, f"/api/proposals/{proposal.pk}/lines", TABLE, user), 403)


def test_it_asks_an_anonymous_visitor_to_sign_in(client, proposal):
    assert_problem(put(client, f"/api/proposals/{proposal.pk}/lines", TABLE), 401)


def test_it_hides_an_internal_table_from_charlie(client, charlie, internal_proposal):
    path = f"/api/proposals/{internal_proposal.pk}"

    assert_problem(get(client, f"{path}/economics", charlie), 404)
    assert_problem(put(client, f"{path}/lines", TABLE, charlie), 404)
    assert_problem(get(client, f"{path}/economics"), 404)


def test_it_lets_bob_read_an_internal_table_of_his_organisation(client, bob, internal_proposal):
    assert get(client, f"/api/proposals/{internal_proposal.pk}/economics", bob).status_code == 200


def test_it_uses_the_own_rate_when_no_preset_is_chosen(client, alice, org_a):
    proposal = make_proposal(alice, org_a, discount_preset=None, own_discount_rate=D(4))

    body = get(client, f"/api/proposals/{proposal.pk}/economics").json()

    assert body["discount"]["source"] == "own"
    assert D(body["discount"]["bands"][0][2]) == 4
