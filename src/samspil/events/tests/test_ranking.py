"""The ranking algorithm with plain data: weighted means, the tie rule, missing scores."""

import pytest

from samspil.events.ranking import CriterionInput, ScoreInput, SubmissionInput, rank, tie_order

VALUE, FEASIBILITY, DATA = 1, 2, 3
ANNA, BEN = 10, 20


def criteria(*weights: float) -> list[CriterionInput]:
    return [CriterionInput(id=i + 1, weight=w) for i, w in enumerate(weights)]


def submissions(count: int, jurors=(ANNA, BEN)) -> list[SubmissionInput]:
    return [
        SubmissionInput(id=100 + i, submitted_at=i, jurors=frozenset(jurors)) for i in range(count)
    ]


def scores(submission: int, juror: int, *values: int) -> list[ScoreInput]:
    return [ScoreInput(submission, i + 1, juror, v) for i, v in enumerate(values)]


def by_submission(results) -> dict:
    return {r.submission: r for r in results}


def test_it_takes_the_weighted_mean_of_the_jurors_means():
    given = scores(100, ANNA, 5, 3, 1) + scores(100, BEN, 4, 3, 2)
    (result,) = rank(criteria(2, 1, 1), submissions(1), given)
    assert result.means == {VALUE: 4.5, FEASIBILITY: 3.0, DATA: 1.5}
    assert result.weighted == pytest.approx((2 * 4.5 + 3.0 + 1.5) / 4)
    assert result.rank == 1 and result.complete and result.completeness == 1.0


def test_it_ranks_the_highest_weighted_score_first():
    given = scores(100, ANNA, 2, 2, 2) + scores(101, ANNA, 5, 4, 4) + scores(102, ANNA, 3, 3, 3)
    results = rank(criteria(1, 1, 1), submissions(3, jurors=[ANNA]), given)
    assert [(r.submission, r.rank) for r in results] == [(101, 1), (102, 2), (100, 3)]


def test_it_breaks_a_tie_by_the_highest_weighted_criterion():
    # Both weigh in at 3.5; 101 is better on feasibility, which weighs most.
    given = scores(100, ANNA, 5, 2) + scores(101, ANNA, 2, 5)
    results = rank(criteria(1, 1), submissions(2, jurors=[ANNA]), given)
    assert results[0].weighted == results[1].weighted == 3.5
    assert [r.submission for r in results] == [100, 101]  # equal weights: the first criterion
    results = rank(criteria(1, 1.0000001), submissions(2, jurors=[ANNA]), given)
    assert [r.submission for r in results] == [101, 100]


def test_it_goes_on_to_the_next_criterion_when_the_first_is_equal_too():
    given = scores(100, ANNA, 3, 2, 4) + scores(101, ANNA, 3, 4, 2)
    results = rank(criteria(2, 1, 1), submissions(2, jurors=[ANNA]), given)
    assert [r.submission for r in results] == [101, 100]
    assert [r.rank for r in results] == [1, 2]


def test_it_breaks_a_full_tie_by_the_earlier_submission():
    given = scores(100, ANNA, 4, 4) + scores(101, ANNA, 4, 4)
    later_first = [
        SubmissionInput(id=100, submitted_at="2025-06-02T10:00", jurors=frozenset([ANNA])),
        SubmissionInput(id=101, submitted_at="2025-06-01T10:00", jurors=frozenset([ANNA])),
    ]
    results = rank(criteria(1, 1), later_first, given)
    assert [(r.submission, r.rank) for r in results] == [(101, 1), (100, 2)]


def test_it_shares_a_rank_when_everything_is_equal_and_skips_the_next():
    subs = [
        SubmissionInput(id=1, submitted_at=0, jurors=frozenset([ANNA])),
        SubmissionInput(id=2, submitted_at=1, jurors=frozenset([ANNA])),
        SubmissionInput(id=3, submitted_at=1, jurors=frozenset([ANNA])),
        SubmissionInput(id=4, submitted_at=2, jurors=frozenset([ANNA])),
    ]
    given = [
        ScoreInput(1, 1, ANNA, 5),
        ScoreInput(2, 1, ANNA, 4),
        ScoreInput(3, 1, ANNA, 4),
        ScoreInput(4, 1, ANNA, 1),
    ]
    results = rank(criteria(1), subs, given)
    assert [r.rank for r in results] == [1, 2, 2, 4]


def test_it_ignores_float_noise_below_a_billionth():
    # 0.1 + 0.2 weights make sums that differ only in the last bits of a float.
    weighted = criteria(0.1, 0.2)
    given = scores(100, ANNA, 4, 4) + scores(101, ANNA, 4, 4)
    subs = [SubmissionInput(id=i, submitted_at=0, jurors=frozenset([ANNA])) for i in (100, 101)]
    assert [r.rank for r in rank(weighted, subs, given)] == [1, 1]


def test_it_computes_with_missing_scores_and_reports_completeness():
    given = [*scores(100, ANNA, 4, 2), ScoreInput(100, VALUE, BEN, 2)]
    results = by_submission(rank(criteria(1, 3), submissions(2), given))
    first = results[100]
    assert first.means == {VALUE: 3.0, FEASIBILITY: 2.0}
    assert first.weighted == pytest.approx((3.0 + 3 * 2.0) / 4)
    assert (first.scored, first.expected, first.complete) == (3, 4, False)
    assert first.completeness == 0.75
    empty = results[101]
    assert empty.weighted is None and empty.means == {VALUE: None, FEASIBILITY: None}
    assert empty.rank == 2 and empty.scored == 0 and not empty.complete


def test_it_weighs_only_the_criteria_that_have_a_score():
    given = [ScoreInput(100, VALUE, ANNA, 4)]
    (result,) = rank(criteria(1, 5), submissions(1, jurors=[ANNA]), given)
    assert result.weighted == 4.0 and result.means[FEASIBILITY] is None


def test_it_ranks_a_missing_mean_below_any_given_one_in_a_tie():
    given = [ScoreInput(100, VALUE, ANNA, 3), *scores(101, ANNA, 3, 3)]
    results = rank(criteria(1, 1), submissions(2, jurors=[ANNA]), given)
    assert [r.submission for r in results] == [101, 100]


def test_it_counts_completeness_over_the_expected_jurors_only():
    # Ben is not expected (he is in the team): the submission is complete without him.
    subs = [SubmissionInput(id=100, submitted_at=0, jurors=frozenset([ANNA]))]
    (result,) = rank(criteria(1), subs, [ScoreInput(100, VALUE, ANNA, 5)])
    assert result.complete and (result.scored, result.expected) == (1, 1)


def test_it_ignores_scores_of_unknown_submissions_and_criteria():
    given = [ScoreInput(999, VALUE, ANNA, 1), ScoreInput(100, 42, ANNA, 1)]
    (result,) = rank(criteria(1), submissions(1, jurors=[ANNA]), given)
    assert result.weighted is None and result.scored == 0


def test_it_handles_no_submissions_and_no_criteria():
    assert rank(criteria(1), [], []) == []
    (result,) = rank([], submissions(1), [])
    assert result.weighted is None and result.rank == 1 and result.complete


def test_it_orders_ties_by_weight_then_as_given():
    assert tie_order(criteria(1, 3, 1, 3)) == [2, 4, 1, 3]
