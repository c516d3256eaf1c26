"""The optimiser on the round page: running it, fixing choices, the last run with its budget
use, the ranking compared and the reasons; who may and may not; queries per page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samspil.proposals import optimise_services, round_services
from samspil.proposals.models import Choice, OptimisationRun, RoundEntry

from .conftest import make_proposal, submitted
from .test_optimise_services import add_investment, entry_of, scored_round


@pytest.fixture
def pool(alice, org_a, greta):
    return scored_round(alice, org_a, greta)


def optimise_url(round_):
    return reverse("proposals:round-optimise", args=[round_.pk])


def choice_url(round_, entry):
    return reverse("proposals:round-choice", args=[round_.pk, entry.pk])


def test_it_runs_the_optimiser_for_alice_and_shows_the_portfolio_and_why(client_for, alice, pool):
    client = client_for(alice)
    response = client.post(optimise_url(pool), {"objective": "score"})
    assert response.status_code == 302
    assert response.url == f"{pool.get_absolute_url()}#optimise"
    page = client.get(pool.get_absolute_url()).content.decode()
    assert "Solved in " in page and "proven optimal" in page
    assert 'id="optimise-funded"' in page
    assert "“Sensors” is funded by the portfolio, not by the ranking." in page
    assert "“Robots” is funded by the ranking, not by the portfolio." in page
    assert "the portfolio is worth 50.0 % more" in page
    assert "Making room would mean dropping “Sensors”, “App”" in page
    assert '<meter min="0" max="100" value="100"' in page


def test_it_answers_htmx_with_the_panel_only(client_for, alice, pool):
    response = client_for(alice).post(
        optimise_url(pool), {"objective": "score"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith("<section")
    assert "proven optimal" in body


def test_it_shows_a_refusal_in_the_panel_and_keeps_the_objective(client_for, alice, org_a, greta):
    open_pool = scored_round(alice, org_a, greta, closed=False)
    response = client_for(alice).post(
        optimise_url(open_pool), {"objective": "score"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "until scoring closes" in body
    assert '<option value="score" selected>' in body
    assert not OptimisationRun.objects.exists()


def test_it_tells_of_a_refusal_after_a_plain_post(client_for, alice, org_a, greta):
    open_pool = scored_round(alice, org_a, greta, closed=False)
    client = client_for(alice)
    response = client.post(optimise_url(open_pool), {"objective": "score"}, follow=True)
    assert "until scoring closes" in response.content.decode()


def test_it_refuses_an_unknown_objective_without_a_500(client_for, alice, pool):
    response = client_for(alice).post(
        optimise_url(pool), {"objective": "luck"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert "Choose what to maximise." in response.content.decode()


def test_it_saves_a_fixed_choice_and_the_next_run_follows_it(client_for, alice, pool):
    client = client_for(alice)
    robots = entry_of(pool, "Robots")
    response = client.post(choice_url(pool, robots), {"choice": "include"})
    assert response.status_code == 302
    assert RoundEntry.objects.get(pk=robots.pk).choice == Choice.INCLUDE
    client.post(optimise_url(pool), {"objective": "score"})
    page = client.get(pool.get_absolute_url()).content.decode()
    assert "Fixed by the round as must be funded." in page
    assert "the proposals that must be funded leave no room for it" in page


def test_it_names_the_budget_the_must_funded_proposals_exceed(client_for, alice, pool):
    for title in ("Robots", "Sensors"):
        optimise_services.set_choice(alice, entry_of(pool, title), Choice.INCLUDE)
    client = client_for(alice)
    client.post(optimise_url(pool), {"objective": "score"})
    page = client.get(pool.get_absolute_url()).content.decode()
    assert "No portfolio fits the budgets" in page
    assert (
        "The proposals that must be funded need 1,400 of the 2021 budget for service, which "
        "holds 1,000." in page
    )


def test_it_refuses_a_bad_choice_without_a_500(client_for, alice, pool):
    response = client_for(alice).post(
        choice_url(pool, entry_of(pool, "App")), {"choice": "maybe"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422


def test_it_shows_the_last_run_to_the_board_without_the_controls(client_for, alice, greta, pool):
    optimise_services.optimise_round(alice, pool)
    page = client_for(greta).get(pool.get_absolute_url()).content.decode()
    assert "proven optimal" in page
    assert 'id="optimise-form"' not in page
    assert optimise_url(pool) not in page


@pytest.mark.parametrize("persona", ["bob", "greta"])
def test_it_forbids_running_or_fixing_to_those_who_only_see_the_round(
    request, client_for, pool, persona
):
    client = client_for(request.getfixturevalue(persona))
    assert client.post(optimise_url(pool), {"objective": "score"}).status_code == 403
    entry = entry_of(pool, "App")
    assert client.post(choice_url(pool, entry), {"choice": "exclude"}).status_code == 403
    assert not OptimisationRun.objects.exists()


@pytest.mark.parametrize("persona", ["charlie", "dave"])
def test_it_hides_an_internal_round_from_other_organisations(request, client_for, pool, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.post(optimise_url(pool), {"objective": "score"}).status_code == 404
    entry = entry_of(pool, "App")
    assert client.post(choice_url(pool, entry), {"choice": "exclude"}).status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client, pool):
    response = client.post(optimise_url(pool), {"objective": "score"})
    assert response.status_code == 302
    assert "login" in response.url


def test_it_answers_only_posts(client_for, alice, pool):
    assert client_for(alice).get(optimise_url(pool)).status_code == 405


def test_it_reads_the_panel_in_the_same_number_of_queries_for_more_proposals(
    client_for, alice, org_a, greta
):
    pool = scored_round(alice, org_a, greta, closed=False)
    client = client_for(alice)

    def count() -> int:
        optimise_services.optimise_round(alice, pool, "npv")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(pool.get_absolute_url()).status_code == 200
        return len(queries)

    count()  # the first request fills per-process caches
    two = count()
    for i in range(8):
        proposal = submitted(make_proposal(alice, org_a, title=f"More {i}"))
        add_investment(proposal, 100 + i, 10)
        round_services.enter_proposal(alice, pool, proposal)
    assert count() == two
