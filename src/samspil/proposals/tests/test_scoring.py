"""The ranking math of a prioritisation round, with plain data."""

import pytest

from samspil.proposals.scoring import (
    Criterion,
    Ranked,
    ScoreInput,
    member_scores,
    rank,
    weighted_scores,
)

EXPENSE = Criterion(id=1, weight=2, scale_min=1, scale_max=5)
SCALE = Criterion(id=2, weight=1, scale_min=0, scale_max=10)


def test_it_scores_a_member_as_the_weighted_share_of_each_scale():
    # expense 4 of 1–5 is 0.75, scale 5 of 0–10 is 0.5: (2·0.75 + 1·0.5) / 3 = 2/3
    scores = [ScoreInput("p", 1, "ann", 4), ScoreInput("p", 2, "ann", 5)]
    assert member_scores([EXPENSE, SCALE], scores)["p"]["ann"] == pytest.approx(200 / 3)


def test_it_gives_100_for_the_top_of_every_scale_and_0_for_the_bottom():
    top = [ScoreInput("p", 1, "ann", 5), ScoreInput("p", 2, "ann", 10)]
    bottom = [ScoreInput("q", 1, "ann", 1), ScoreInput("q", 2, "ann", 0)]
    result = weighted_scores([EXPENSE, SCALE], ["p", "q"], top + bottom)
    assert result == {"p": 100.0, "q": 0.0}


def test_it_averages_the_members_scores():
    scores = [
        ScoreInput("p", 1, "ann", 5),  # ann: 100
        ScoreInput("p", 1, "ben", 3),  # ben: 50
    ]
    assert weighted_scores([EXPENSE], ["p"], scores) == {"p": 75.0}


def test_it_judges_a_member_on_the_criteria_they_scored():
    assert weighted_scores([EXPENSE, SCALE], ["p"], [ScoreInput("p", 2, "ann", 10)]) == {"p": 100.0}


def test_it_leaves_an_unscored_proposal_without_a_score():
    assert weighted_scores([EXPENSE], ["p", "q"], [ScoreInput("p", 1, "ann", 5)])["q"] is None


def test_it_leaves_out_a_member_whose_scored_criteria_weigh_nothing():
    free = Criterion(id=3, weight=0, scale_min=1, scale_max=5)
    scores = [ScoreInput("p", 3, "ann", 5), ScoreInput("p", 1, "ben", 1)]
    assert weighted_scores([EXPENSE, free], ["p"], scores) == {"p": 0.0}


def test_it_ignores_scores_of_unknown_criteria():
    assert weighted_scores([EXPENSE], ["p"], [ScoreInput("p", 99, "ann", 5)]) == {"p": None}


def test_it_ranks_higher_scores_first_and_unscored_last_without_a_rank():
    result = rank(["a", "b", "c"], {"a": 20.0, "b": None, "c": 80.0})
    assert result == [Ranked("c", 80.0, 1), Ranked("a", 20.0, 2), Ranked("b", None, None)]


def test_it_shares_a_rank_on_a_tie_and_skips_the_next_keeping_the_given_order():
    result = rank(["a", "b", "c", "d"], {"a": 50.0, "b": 90.0, "c": 50.0, "d": 10.0})
    assert [(r.proposal, r.rank) for r in result] == [("b", 1), ("a", 2), ("c", 2), ("d", 4)]


def test_it_treats_float_noise_as_a_tie():
    result = rank(["a", "b"], {"a": 0.1 + 0.2, "b": 0.3})
    assert [r.rank for r in result] == [1, 1]
