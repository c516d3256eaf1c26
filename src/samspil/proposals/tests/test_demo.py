"""The proposals demo: seed 004's hackathon proposal complete, Copenhagen's innovation pool
whose budget forces a choice, and Oslo's proposal on Prosjektveiviseren's template, loaded
idempotently."""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import override_settings

from samspil.conftest import demo_loaded
from samspil.core.demo import load_demo
from samspil.events.demo import COMPLAINTS, load_events_demo
from samspil.needs.demo import load_needs_demo
from samspil.pilots.demo import INVOICE_ROBOT, load_pilots_demo
from samspil.proposals import round_queries
from samspil.proposals.demo import (
    HACKATHONS,
    INNOVATION_POOL,
    INVOICE_ROBOT_SCALING,
    PROPOSALS,
    ProposalsLoadCounts,
    load_proposals_demo,
)
from samspil.proposals.economy_queries import economics_by_proposal, economics_of
from samspil.proposals.models import Proposal, ProposalState, Round

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    with demo_loaded(
        django_db_blocker,
        load_demo,
        load_needs_demo,
        load_events_demo,
        load_pilots_demo,
        load_proposals_demo,
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
    ) as counts:
        yield counts


@pytest.fixture
def loaded(db, demo_data) -> ProposalsLoadCounts:
    return demo_data


def proposal(data) -> Proposal:
    return Proposal.objects.get(owner__slug=data.owner, title=data.title)


def row_counts() -> dict[str, int]:
    """Every table of the proposals app, history tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_app_config("proposals").get_models()
    }


def test_it_changes_nothing_when_run_again(loaded):
    assert (loaded.proposals, loaded.rounds) == (len(PROPOSALS), 1)
    assert loaded.created > 100
    before = row_counts()

    again = load_proposals_demo()

    assert again.created == 0
    assert row_counts() == before
    assert (again.lines, again.entries, again.scores) == (
        loaded.lines,
        loaded.entries,
        loaded.scores,
    )


def test_it_loads_seed_004s_proposal_with_2700_in_2021(loaded):
    hackathons = proposal(HACKATHONS)
    economics = economics_of(hackathons)

    table = economics.tables["likely"]
    assert table.years == tuple(range(2020, 2026))
    assert [row[1][2021] for row in table.rows] == [1000, 950, 475, 275]
    assert table.totals[2021] == Decimal("2700")
    assert sum(table.totals.values()) == Decimal("2700")
    assert economics.figures["likely"].total_investment == Decimal("2700")
    assert {line.area for line in economics.lines} == {"service"}
    assert not economics.has_uncertainty
    assert hackathons.template.code == "copenhagen" and hackathons.price_level_year == 2021
    assert hackathons.discount_preset.code == "dk-finance-ministry-2021"
    assert list(hackathons.affected_departments.values_list("slug", flat=True)) == ["kobenhavn-sof"]


def test_it_writes_every_section_and_table_of_seed_004(loaded):
    hackathons = proposal(HACKATHONS)
    empty = hackathons.sections.filter(text="").values_list("section__code", flat=True)
    assert set(empty) == {"consultations"}
    rows = list(hackathons.criteria_rows.order_by("position"))
    assert [row.label for row in rows] == [
        "Koncept for hackathons",
        "1. Klager",
        "2. Borgerdokumentation",
        "3. Beslutningsstøtte",
    ]
    assert [(row.expense_low, row.expense_high) for row in rows] == [
        (0, 0),
        (1500, 3000),
        (2000, 5000),
        (3500, 5000),
    ]
    assert [(row.saving_low, row.saving_high) for row in rows[1:]] == [
        (500, 500),
        (1500, 3000),
        (1500, 3000),
    ]
    assert [(r.cross_cutting, r.large_scale, r.mature_technology) for r in rows] == [
        ("yes", "yes", "yes"),
        ("maybe", "maybe", "yes"),
        ("", "", "yes"),
        ("", "yes", "yes"),
    ]
    follow_ups = list(hackathons.follow_ups.order_by("position"))
    assert len(follow_ups) == 3
    assert {item.responsible for item in follow_ups} == {"Digitalisering"}
    assert {item.due_on for item in follow_ups} == {date(2021, 6, 30), date(2021, 12, 31)}
    answers = {c.body: (c.answer, c.answered_on) for c in hackathons.consultations.all()}
    assert answers.pop("Center for Økonomi, Økonomiforvaltningen") == ("yes", date(2020, 6, 16))
    assert len(answers) == 5 and set(answers.values()) == {("no", None)}


def test_it_takes_seed_004s_proposal_from_draft_to_follow_up(loaded):
    hackathons = proposal(HACKATHONS)
    assert hackathons.state == ProposalState.FOLLOW_UP
    moves = list(hackathons.state_changes.values_list("from_state", "to_state"))
    assert moves == [
        ("draft", "consultation"),
        ("consultation", "submitted"),
        ("submitted", "prioritised"),
        ("prioritised", "approved"),
        ("approved", "follow_up"),
    ]
    assert hackathons.event.title == COMPLAINTS.title
    assert hackathons.event.owner == hackathons.owner


def test_it_forces_a_choice_within_the_pools_budget(loaded):
    pool = Round.objects.get(owner__slug=INNOVATION_POOL.owner, title=INNOVATION_POOL.title)
    entries = list(pool.entries.all())
    assert len(entries) == 7
    assert len({entry.proposal.owner_id for entry in entries}) == 5
    figures = economics_by_proposal(entry.proposal_id for entry in entries)
    asked: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for economics in figures.values():
        for key, amount in economics.figures["likely"].costs.items():
            asked[key] += amount
    over = [b for b in pool.budgets.all() if asked[(b.year, b.budget_area)] > b.amount]
    assert over, "no budget forces a choice"
    # Every proposal alone fits every budget, so each could be funded.
    for economics in figures.values():
        for budget in pool.budgets.all():
            cost = economics.figures["likely"].costs.get((budget.year, budget.budget_area), 0)
            assert cost <= budget.amount


def test_it_solves_the_pool_so_the_best_portfolio_leaves_proposals_out(loaded):
    pool = Round.objects.get(owner__slug=INNOVATION_POOL.owner, title=INNOVATION_POOL.title)
    run = pool.optimisation_runs.get()
    assert run.status == "optimal" and run.objective == "score"
    funded = set(run.result["selected"])
    entered = set(pool.entries.values_list("proposal_id", flat=True))
    assert funded < entered and len(funded) >= 3
    # The exact portfolio beats walking down the ranking.
    assert run.value > run.greedy_value
    citizens_plan = proposal(INNOVATION_POOL.entries[1].proposal)
    assert citizens_plan.pk not in funded
    assert run.run_at > pool.scoring_deadline


def test_it_closes_scoring_so_the_ranking_shows(loaded):
    pool = Round.objects.get(owner__slug=INNOVATION_POOL.owner, title=INNOVATION_POOL.title)
    assert round_queries.scoring_closed(pool)
    assert pool.board.count() == 3 and pool.criteria.count() == 6
    scores = round_queries.weighted_scores(pool)
    assert len(scores) == 7 and None not in scores.values()
    assert len(set(scores.values())) > 4  # the ranking is not a tie


def test_it_shows_the_norwegian_template_on_oslos_proposal(loaded):
    oslo = proposal(INVOICE_ROBOT_SCALING)
    assert oslo.template.code == "prosjektveiviseren"
    assert oslo.discount_preset.code == "no-finance-ministry-4"
    assert oslo.state == ProposalState.SUBMITTED
    assert oslo.pilot.title == INVOICE_ROBOT.title
    assert oslo.sections.count() == oslo.template.sections.count()
    assert economics_of(oslo).has_uncertainty


def test_it_writes_only_valid_rows(loaded):
    for model in apps.get_app_config("proposals").get_models():
        if model._meta.label.split(".")[1].startswith("Historical"):
            continue
        # Who recorded a row is not a form field: it may be empty though it is not "blank".
        recorders = [f.name for f in model._meta.fields if f.null and not f.blank]
        for row in model._default_manager.all():
            row.full_clean(exclude=recorders, validate_unique=False, validate_constraints=False)


def test_it_reports_the_rows_and_creates_nothing_the_second_time(loaded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the events demo, loaded by the command, stores files
    out = StringIO()
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        call_command("load_demo", stdout=out)
    line = next(line for line in out.getvalue().splitlines() if line.startswith("Demo proposals:"))
    assert f"{len(PROPOSALS)} proposals" in line and "(0 rows created)" in line
