"""Rounds: creating them with budgets and criteria, entering proposals, blind scores until
the deadline, the ranking and prioritising. Deadlines are tested with a given "now"."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samspil.conftest import add_member, make_user
from samspil.core.models import Role
from samspil.proposals import round_queries, round_services, services
from samspil.proposals.models import Proposal, ProposalState, RoundEntry, Score

from .conftest import HOUR, board_person, full_scores, make_proposal, open_round, submitted

# Rounds ---------------------------------------------------------------------------------------


def test_it_gives_a_new_round_the_criteria_of_the_copenhagen_proposal(pool):
    names = list(pool.criteria.values_list("name", flat=True))
    assert names == [
        "Expense",
        "Expected investment proposal and budget year",
        "Lasting efficiency potential (with budget area)",
        "Cross-cutting efficiency",
        "Large-scale potential",
        "Mature use of new technology",
    ]
    assert {(c.weight, c.scale_min, c.scale_max) for c in pool.criteria.all()} == {
        (Decimal(1), 1, 5)
    }


def test_it_refuses_a_round_to_bob_who_leads_no_innovation(bob, org_a):
    with pytest.raises(PermissionDenied):
        open_round(bob, org_a)


def test_it_refuses_scoring_to_close_before_submissions(alice, org_a):
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        open_round(alice, org_a, submission_deadline=now + HOUR, scoring_deadline=now)
    assert "scoring_deadline" in error.value.message_dict


def test_it_refuses_a_board_member_from_another_organisation(alice, org_a, charlie):
    with pytest.raises(ValidationError) as error:
        open_round(alice, org_a, board=[charlie])
    assert "board" in error.value.message_dict


@pytest.mark.parametrize(
    ("budgets", "message"),
    [
        ([{"amount": -5}], "A budget cannot be negative."),
        ([{"amount": 10**9}], "Enter at most 100,000,000 (in 1,000)."),
        (
            [{"amount": 1, "year": 2022}, {"amount": 2, "year": 2022}],
            "The round already has a budget for this year and budget area.",
        ),
    ],
)
def test_it_refuses_bad_budgets_naming_the_row(alice, org_a, budgets, message):
    with pytest.raises(ValidationError) as error:
        open_round(alice, org_a, budgets=budgets)
    assert error.value.message_dict["budgets"][-1].endswith(message)


def test_it_keeps_budgets_per_year_and_area(alice, org_a):
    round_ = open_round(
        alice,
        org_a,
        budgets=[
            {"amount": 1000, "year": 2022, "budget_area": "service"},
            {"amount": 500, "year": 2022, "budget_area": "construction"},
            {"amount": 3000},
        ],
    )
    assert set(round_.budgets.values_list("year", "budget_area", "amount")) == {
        (2022, "service", 1000),
        (2022, "construction", 500),
        (None, "", 3000),
    }


def test_it_refuses_a_scale_whose_top_is_not_above_its_bottom(alice, org_a):
    criteria = [{"name": "Expense", "weight": 1, "scale_min": 5, "scale_max": 5}]
    with pytest.raises(ValidationError) as error:
        open_round(alice, org_a, criteria=criteria)
    assert "The highest score must be above the lowest." in error.value.messages[0]


def test_it_edits_criteria_in_place_and_removes_those_left_out(alice, pool):
    first, *_rest = pool.criteria.all()
    rows = [{"id": first.pk, "name": "Cost", "weight": 3, "scale_min": 0, "scale_max": 10}]
    round_services.update_round(alice, pool, criteria=rows)
    assert list(pool.criteria.values_list("pk", "name", "weight", "scale_max")) == [
        (first.pk, "Cost", Decimal(3), 10)
    ]


def test_it_locks_weights_and_scales_once_the_board_has_scored(alice, greta, pool, entry):
    round_services.score_entry(greta, entry, full_scores(pool, 3))
    rows = [
        {**row, "id": c.pk}
        for c, row in zip(pool.criteria.all(), round_services.default_criteria(), strict=True)
    ]
    rows[0]["weight"] = 5
    with pytest.raises(ValidationError) as error:
        round_services.update_round(alice, pool, criteria=rows)
    assert "Scoring has begun" in error.value.message_dict["criteria"][0]
    rows[0]["weight"] = 1
    rows[0]["name"] = "Cost"
    round_services.update_round(alice, pool, criteria=rows)
    assert pool.criteria.first().name == "Cost"


def test_it_lets_only_editors_change_the_round(bob, greta, pool):
    for person in (bob, greta):
        with pytest.raises(PermissionDenied):
            round_services.update_round(person, pool, title="Mine")


# Entries --------------------------------------------------------------------------------------


def test_it_enters_a_submitted_proposal_once(alice, pool, entry):
    assert entry.round == pool and entry.entered_by == alice
    with pytest.raises(ValidationError) as error:
        round_services.enter_proposal(alice, pool, entry.proposal)
    assert error.value.message_dict == {"proposal": ["The proposal is already in this round."]}


def test_it_refuses_a_draft(alice, pool, proposal):
    with pytest.raises(ValidationError) as error:
        round_services.enter_proposal(alice, pool, proposal)
    assert error.value.message_dict == {
        "proposal": ["Only a submitted proposal can enter a round."]
    }


def test_it_refuses_an_entry_after_the_submission_deadline(alice, pool, proposal):
    late = pool.submission_deadline + timezone.timedelta(seconds=1)
    with pytest.raises(ValidationError) as error:
        round_services.enter_proposal(alice, pool, submitted(proposal), now=late)
    assert "deadline has passed" in error.value.message_dict["round"][0]


def test_it_takes_the_price_level_of_the_first_entry_and_refuses_another(alice, org_a, pool, entry):
    assert round_queries.price_level_year(pool) == 2021
    older = submitted(make_proposal(alice, org_a, title="Robots", price_level_year=2015))
    with pytest.raises(ValidationError) as error:
        round_services.enter_proposal(alice, pool, older)
    assert error.value.message_dict == {
        "proposal": [
            "The round's proposals are at 2021 prices and this proposal is at 2015 prices: "
            "restate its amounts at 2021 prices to enter it."
        ]
    }
    same = submitted(make_proposal(alice, org_a, title="Drones", price_level_year=2021))
    assert round_services.enter_proposal(alice, pool, same).round == pool


def test_it_takes_any_price_level_in_an_empty_round(alice, org_a, pool):
    assert round_queries.price_level_year(pool) is None
    older = submitted(make_proposal(alice, org_a, price_level_year=2015))
    round_services.enter_proposal(alice, pool, older)
    assert round_queries.price_level_year(pool) == 2015


def test_a_proposal_in_a_round_with_others_keeps_their_price_level(alice, org_a, pool, entry):
    other = submitted(make_proposal(alice, org_a, title="Drones", price_level_year=2021))
    round_services.enter_proposal(alice, pool, other)
    Proposal.objects.filter(pk=other.pk).update(state=ProposalState.DEFERRED)
    other.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        services.update_proposal(alice, other, price_level_year=2022)

    assert "take it out of the round" in error.value.message_dict["price_level_year"][0]
    other.refresh_from_db()
    assert other.price_level_year == 2021
    alone = submitted(make_proposal(alice, org_a, title="Alone", price_level_year=2021))
    round_services.enter_proposal(alice, open_round(alice, org_a, title="Second pool"), alone)
    Proposal.objects.filter(pk=alone.pk).update(state=ProposalState.DEFERRED)
    alone.refresh_from_db()
    assert services.update_proposal(alice, alone, price_level_year=2022).price_level_year == 2022


def test_it_refuses_an_entry_by_someone_outside_the_department(bob, pool, proposal):
    with pytest.raises(PermissionDenied):
        round_services.enter_proposal(bob, pool, submitted(proposal))


def test_it_refuses_a_proposal_of_another_organisation_tree(pool, org_b):
    nils = make_user("nils")
    add_member(nils, org_b, Role.Code.INNOVATION_LEAD)
    other = submitted(make_proposal(nils, org_b))
    with pytest.raises(PermissionDenied):
        round_services.enter_proposal(nils, pool, other)


def test_it_lets_an_editor_take_an_entry_out_with_its_scores(alice, greta, pool, entry):
    round_services.score_entry(greta, entry, full_scores(pool, 3))
    round_services.remove_entry(alice, entry)
    assert not RoundEntry.objects.filter(pk=entry.pk).exists()
    assert not Score.objects.exists()


def test_it_refuses_bob_taking_an_entry_out(bob, entry):
    with pytest.raises(PermissionDenied):
        round_services.remove_entry(bob, entry)


# Scores ---------------------------------------------------------------------------------------


def test_it_saves_a_members_scores_and_replaces_them_on_a_second_save(greta, pool, entry):
    round_services.score_entry(greta, entry, full_scores(pool, 2))
    round_services.score_entry(greta, entry, full_scores(pool, 4))
    assert set(Score.objects.values_list("value", flat=True)) == {4}
    assert Score.objects.count() == pool.criteria.count()


def test_it_removes_a_score_left_blank(greta, pool, entry):
    round_services.score_entry(greta, entry, full_scores(pool, 2))
    first = pool.criteria.first()
    round_services.score_entry(greta, entry, [{"criterion": first.pk, "value": None}])
    assert not Score.objects.filter(criterion=first).exists()


def test_it_refuses_a_score_out_of_scale_naming_the_criterion(greta, pool, entry):
    first = pool.criteria.first()
    with pytest.raises(ValidationError) as error:
        round_services.score_entry(greta, entry, [{"criterion": first.pk, "value": 6}])
    assert error.value.message_dict == {
        f"criterion_{first.pk}": ["Give Expense a whole number from 1 to 5."]
    }
    assert not Score.objects.exists()


def test_it_refuses_a_score_after_the_scoring_deadline(greta, pool, entry):
    late = pool.scoring_deadline
    with pytest.raises(ValidationError) as error:
        round_services.score_entry(greta, entry, full_scores(pool, 3), now=late)
    assert error.value.message_dict == {
        "round": ["Scoring has closed: scores can no longer change."]
    }


def test_it_refuses_a_criterion_of_another_round(alice, org_a, greta, pool, entry):
    other = open_round(alice, org_a, board=[greta])
    with pytest.raises(ValidationError) as error:
        round_services.score_entry(greta, entry, full_scores(other, 3))
    assert error.value.message_dict == {"criterion": ["Score only the criteria of this round."]}


def test_it_refuses_scores_from_bob_who_is_not_on_the_board(bob, pool, entry):
    with pytest.raises(PermissionDenied):
        round_services.score_entry(bob, entry, full_scores(pool, 3))


# Blindness and ranking ---------------------------------------------------------------------------


def test_it_shows_a_member_only_their_own_scores(alice, greta, pool, entry, org_a):
    other = make_user("hugo")
    add_member(other, org_a)
    pool.board.add(other)
    round_services.score_entry(greta, entry, full_scores(pool, 5))
    assert round_queries.own_scores(pool, other) == {}
    assert len(round_queries.own_scores(pool, greta)[entry.pk]) == pool.criteria.count()


def test_it_ranks_after_closing_with_every_members_scores(alice, greta, pool, entry, org_a):
    hugo = make_user("hugo")
    add_member(hugo, org_a)
    pool.board.add(hugo)
    second = round_services.enter_proposal(
        alice, pool, submitted(make_proposal(alice, org_a, title="Robots"))
    )
    round_services.score_entry(greta, entry, full_scores(pool, 5))
    round_services.score_entry(hugo, entry, full_scores(pool, 3))
    round_services.score_entry(greta, second, full_scores(pool, 1))
    assert round_queries.weighted_scores(pool) == {
        entry.proposal_id: 75.0,
        second.proposal_id: 0.0,
    }
    open_ = round_queries.ranking(pool, now=pool.scoring_deadline - HOUR)
    assert [line.member_scores for line in open_] == [[], []]
    closed = round_queries.ranking(pool, now=pool.scoring_deadline)
    assert [(line.proposal.title, line.rank, line.score) for line in closed] == [
        ("Hackathons as market dialogue", 1, 75.0),
        ("Robots", 2, 0.0),
    ]
    members = {str(m.member): m.score for m in closed[0].member_scores}
    assert members == {"Greta": 100.0, "Hugo": 50.0}
    assert [cell.value for cell in closed[0].member_scores[1].cells] == [3] * 6


def test_it_tells_whether_scoring_has_closed(pool):
    assert not round_queries.scoring_closed(pool, now=pool.scoring_deadline - HOUR)
    assert round_queries.scoring_closed(pool, now=pool.scoring_deadline)


def test_it_counts_who_has_scored_how_many(greta, pool, entry):
    first = pool.criteria.first()
    assert [(p.scored, p.started) for p in round_queries.scoring_progress(pool, [greta])] == [
        (0, 0)
    ]
    round_services.score_entry(greta, entry, [{"criterion": first.pk, "value": 3}])
    assert [(p.scored, p.started) for p in round_queries.scoring_progress(pool, [greta])] == [
        (0, 1)
    ]
    round_services.score_entry(greta, entry, full_scores(pool, 3))
    assert [(p.scored, p.started) for p in round_queries.scoring_progress(pool, [greta])] == [
        (1, 1)
    ]


# Prioritising ----------------------------------------------------------------------------------


def test_it_marks_the_scored_proposals_prioritised_when_a_board_member_asks(greta, pool, entry):
    round_services.score_entry(greta, entry, full_scores(pool, 4))
    moved = round_services.prioritise_ranked(greta, pool, now=pool.scoring_deadline)
    assert moved == [entry.proposal]
    assert Proposal.objects.get(pk=entry.proposal_id).state == ProposalState.PRIORITISED


def test_it_refuses_to_prioritise_while_scoring_is_open(greta, pool, entry):
    with pytest.raises(ValidationError):
        round_services.prioritise_ranked(greta, pool, now=pool.scoring_deadline - HOUR)


def test_it_refuses_bob_prioritising(bob, pool, entry):
    with pytest.raises(PermissionDenied):
        round_services.prioritise_ranked(bob, pool, now=pool.scoring_deadline)


def test_it_leaves_prioritising_to_the_board_not_the_round_editor(alice, greta, pool, entry):
    round_services.score_entry(greta, entry, full_scores(pool, 4))
    with pytest.raises(PermissionDenied):
        round_services.prioritise_ranked(alice, pool, now=pool.scoring_deadline)


def test_it_counts_only_the_scores_of_the_current_board(alice, greta, pool, entry, org_a):
    hugo = board_person(org_a, "hugo")
    pool.board.add(hugo)
    round_services.score_entry(greta, entry, full_scores(pool, 5))
    round_services.score_entry(hugo, entry, full_scores(pool, 1))
    assert round_queries.weighted_scores(pool) == {entry.proposal_id: 50.0}
    round_services.update_round(alice, pool, board=[greta])
    assert round_queries.weighted_scores(pool) == {entry.proposal_id: 100.0}
