"""The best portfolio under budgets, tested with plain data (no Django)."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from samspil.optimisation.portfolio import Budget, Candidate, _binding_rows, greedy, optimise

S, C = "service", "construction"


def one_year(key, value, cost, year=2025, area=S):
    return Candidate(key, value, {(year, area): cost})


def brute_force(candidates, budgets, must_include=(), must_exclude=()):
    """The best value over every subset: the reference for small cases (None: nothing fits)."""
    best = None
    for size in range(len(candidates) + 1):
        for subset in itertools.combinations(candidates, size):
            keys = {c.key for c in subset}
            if not set(must_include) <= keys or keys & set(must_exclude):
                continue
            if all(
                sum(
                    cost
                    for c in subset
                    for (year, area), cost in c.costs.items()
                    if b.covers(year, area)
                )
                <= b.amount
                for b in budgets
            ):
                value = sum(c.value for c in subset)
                best = value if best is None else max(best, value)
    return best


def test_it_beats_the_greedy_ranking_where_the_ranking_wastes_budget():
    # By hand: the ranking takes A (10) and then nothing fits; B and C together are worth 12.
    candidates = [one_year("A", 10, 6), one_year("B", 6, 5), one_year("C", 6, 5)]
    result = optimise(candidates, [Budget(10)])
    assert result.status == "optimal"
    assert result.selected == ("B", "C")
    assert result.value == 12
    assert result.greedy_selected == ("A",) == greedy(candidates, [Budget(10)])
    assert result.greedy_value == 10
    reason = result.reasons["A"]
    assert reason.code == "lower_value"
    assert reason.params["short_by"] == 6
    assert reason.params["drop"] == ["B", "C"]
    assert reason.params["drop_value"] == 12


def test_it_keeps_every_budget_of_a_year_and_of_an_area():
    candidates = [
        Candidate("school", 50, {(2025, C): 800, (2026, C): 200}),
        Candidate("robots", 40, {(2025, S): 300}),
        Candidate("sensors", 35, {(2026, S): 400, (2026, C): 100}),
        Candidate("app", 20, {(2025, S): 150, (2026, S): 150}),
    ]
    budgets = [Budget(900, year=2025), Budget(600, year=2026), Budget(600, area=S)]
    result = optimise(candidates, budgets)
    # By hand: the school leaves no room in 2025 for robots or the app, nor in 2026 for the
    # sensors, so the ranking stops at 50; robots and the app fill the service budget (600)
    # for 60. Robots and sensors would exceed it (700), sensors and the app 2026 (650).
    assert result.status == "optimal"
    assert result.value == brute_force(candidates, budgets) == 60
    assert result.selected == ("robots", "app")
    assert result.greedy_selected == ("school",)
    use = {(u.budget.year, u.budget.area): u.used for u in result.budget_use}
    assert use == {(2025, None): 450, (2026, None): 150, (None, S): 600}
    assert result.reasons["sensors"].code == "lower_value"
    assert (
        result.reasons["sensors"].params["area"],
        result.reasons["sensors"].params["short_by"],
    ) == (S, 400)


def test_it_matches_every_subset_on_small_random_rounds():
    rng = random.Random(3)
    for _ in range(30):
        candidates = [
            Candidate(
                i,
                rng.randint(-5, 50),
                {(rng.choice([2025, 2026]), rng.choice([S, C])): rng.randint(1, 60)},
            )
            for i in range(9)
        ]
        budgets = [Budget(rng.randint(20, 90), year=2025), Budget(rng.randint(20, 90), area=S)]
        result = optimise(candidates, budgets)
        assert result.value == pytest.approx(brute_force(candidates, budgets))
        assert result.value >= result.greedy_value


def test_it_funds_the_must_includes_and_never_the_must_excludes():
    candidates = [one_year("A", 10, 6), one_year("B", 6, 5), one_year("C", 6, 5)]
    result = optimise(candidates, [Budget(11)], must_include=["A"], must_exclude=["B"])
    assert result.selected == ("A", "C")
    assert result.reasons["A"].code == "must_include"
    assert result.reasons["B"].code == "must_exclude"
    assert result.reasons["C"].code == "selected"
    assert result.greedy_selected == ("A", "C")


def test_it_calls_must_includes_that_exceed_a_budget_infeasible_and_names_the_budget():
    candidates = [
        one_year("A", 10, 600, year=2025),
        one_year("B", 6, 500, year=2025),
        one_year("C", 6, 100, year=2026),
    ]
    budgets = [Budget(1000, year=2025), Budget(1000, year=2026)]
    result = optimise(candidates, budgets, must_include=["A", "B"])
    assert result.status == "infeasible"
    assert result.selected == () and result.value == 0
    [over] = result.over_budgets
    assert over.budget == Budget(1000, year=2025)
    assert over.used == 1100


def test_it_says_which_budget_a_proposal_can_never_fit_and_by_how_much():
    candidates = [one_year("big", 90, 1120, year=2022), one_year("small", 5, 100, year=2022)]
    result = optimise(candidates, [Budget(1000, year=2022, area=S)])
    assert result.selected == ("small",)
    reason = result.reasons["big"]
    assert reason.code == "over_budget"
    assert reason.params == {
        "year": 2022,
        "area": S,
        "amount": 1000.0,
        "cost": 1120.0,
        "short_by": 120.0,
    }


def test_it_never_funds_a_proposal_without_value_unless_forced():
    candidates = [one_year("zero", 0, 1), one_year("negative", -4, 1), one_year("plus", 3, 1)]
    result = optimise(candidates, [Budget(100)])
    assert result.selected == ("plus",)
    assert result.reasons["zero"].code == "no_value"
    assert result.reasons["negative"].params == {"value": -4.0}
    forced = optimise(candidates, [Budget(100)], must_include=["negative"])
    assert forced.selected == ("negative", "plus")
    assert forced.value == -1


def test_it_answers_empty_input_and_funds_everything_of_value_without_budgets():
    empty = optimise([], [Budget(10)])
    assert (empty.status, empty.selected, empty.value, empty.reasons) == ("optimal", (), 0, {})
    candidates = [one_year("A", 10, 600), one_year("B", 0, 5), one_year("C", 2, 5000)]
    result = optimise(candidates, [])
    assert result.selected == ("A", "C")
    assert result.status == "optimal"


def test_it_funds_the_earlier_of_identical_proposals():
    # The tie rule: identical candidates are funded in input order.
    twins = [one_year("first", 10, 6), one_year("second", 10, 6)]
    assert optimise(twins, [Budget(10)]).selected == ("first",)
    assert optimise(twins[::-1], [Budget(10)]).selected == ("second",)
    assert greedy(twins, [Budget(10)]) == ("first",)
    assert greedy(twins[::-1], [Budget(10)]) == ("second",)


def test_it_gives_the_same_portfolio_for_the_same_round_every_time():
    rng = random.Random(11)
    candidates = [
        Candidate(i, rng.choice([20, 30, 40]), {(2025, S): rng.choice([10, 20, 30])})
        for i in range(40)
    ]
    results = {optimise(candidates, [Budget(200)]).selected for _ in range(3)}
    assert len(results) == 1


def test_it_says_the_budget_is_full_when_only_must_includes_hold_the_room():
    candidates = [one_year("forced", 1, 90), one_year("wanted", 50, 20)]
    result = optimise(candidates, [Budget(100)], must_include=["forced"])
    assert result.selected == ("forced",)
    reason = result.reasons["wanted"]
    assert reason.code == "budget_full"
    assert reason.params["short_by"] == 10


def test_it_stops_at_the_time_limit_with_a_portfolio_that_fits():
    rng = random.Random(1)
    candidates = [
        Candidate(
            i,
            round(rng.uniform(1, 100), 3),
            {(2025 + rng.randrange(3), rng.choice([S, C])): round(rng.uniform(50, 500), 2)},
        )
        for i in range(2000)
    ]
    budgets = [Budget(30_000, year=y) for y in (2025, 2026, 2027)] + [
        Budget(40_000, area=S),
        Budget(40_000, area=C),
    ]
    result = optimise(candidates, budgets, time_limit=0.001)
    assert result.status == "time_limit"
    assert result.value >= result.greedy_value
    assert not any(use.over for use in result.budget_use)
    # Every positive candidate left out is blocked by a budget: nothing that fits was missed.
    assert {r.code for r in result.reasons.values()} <= {"selected", "lower_value"}


def test_it_refuses_inconsistent_choices_and_unknown_keys():
    candidates = [one_year("A", 10, 6)]
    with pytest.raises(ValueError):
        optimise(candidates, [Budget(10)], must_include=["A"], must_exclude=["A"])
    with pytest.raises(ValueError):
        optimise(candidates, [Budget(10)], must_include=["Z"])
    with pytest.raises(ValueError):
        optimise(candidates + candidates, [Budget(10)])
    with pytest.raises(ValueError):
        optimise([Candidate("A", 1, {(2025, S): -5})], [Budget(10)])


def test_the_solver_leaves_out_only_budgets_that_cannot_bind():
    costs = np.array(
        [
            [5.0, 0.0, 3.0],  # 0: implied by row 1 (charges no more, has more room)
            [5.0, 2.0, 3.0],  # 1
            [5.0, 2.0, 3.0],  # 2: identical to row 1 (the first of the two stays)
            [1.0, 1.0, 1.0],  # 3: all three fit (3 ≤ 3)
            [0.0, 4.0, 4.0],  # 4: cheaper than row 1 for the first, dearer for the others
            [5.0, 2.0, 4.0],  # 5: dearer than row 1 but with more room: both stay
        ]
    )
    capacity = np.array([8.0, 7.0, 7.0, 3.0, 5.0, 9.0])
    assert _binding_rows(costs, capacity).tolist() == [1, 4, 5]
    assert _binding_rows(costs[[3]], capacity[[3]]).tolist() == []


def test_leaving_out_budgets_that_cannot_bind_never_changes_the_optimum():
    # Nested and overlapping budgets (a total, per year, per area, per year and area), many of
    # them implied by others or slack, with forced choices: every subset is the reference.
    rng = random.Random(7)
    years, areas = (2025, 2026, 2027), (S, C)
    for _ in range(40):
        candidates = [
            Candidate(
                i,
                rng.choice([-2, 0, 5, 10, 10, 12.5, 20, 33.3]),
                {
                    (rng.choice(years), rng.choice(areas)): rng.choice([10, 20, 20, 35, 60])
                    for _ in range(rng.randint(1, 3))
                },
            )
            for i in range(10)
        ]
        budgets = [Budget(rng.choice([80, 150, 400]))]
        budgets += [Budget(rng.choice([30, 60, 60, 500]), year=y) for y in years]
        budgets += [Budget(rng.choice([50, 90, 500]), area=a) for a in areas]
        budgets += [Budget(rng.choice([20, 40]), year=rng.choice(years), area=rng.choice(areas))]
        rng.shuffle(budgets)
        include = rng.sample(range(10), rng.choice([0, 0, 1, 2]))
        exclude = rng.sample([i for i in range(10) if i not in include], rng.choice([0, 1]))
        best = brute_force(candidates, budgets, include, exclude)
        result = optimise(candidates, budgets, must_include=include, must_exclude=exclude)
        if best is None:
            assert result.status == "infeasible"
            continue
        assert result.status == "optimal"
        assert result.value == pytest.approx(best)
        assert not any(use.over for use in result.budget_use)
        assert set(include) <= set(result.selected)
        assert not set(exclude) & set(result.selected)


def test_must_includes_that_fit_only_within_the_tolerance_leave_no_room_but_block_nothing():
    # A spends 2025's budget and a rounding error more (within the tolerance: it fits); B
    # spends only in 2026, C would need room in 2025.
    candidates = [
        one_year("A", 1, 10.000_000_1, year=2025),
        one_year("B", 5, 4, year=2026),
        one_year("C", 5, 1, year=2025),
    ]
    budgets = [Budget(10, year=2025), Budget(5, year=2026)]
    result = optimise(candidates, budgets, must_include=["A"])
    assert result.status == "optimal"
    assert result.selected == ("A", "B")
    assert result.reasons["C"].code == "budget_full"
