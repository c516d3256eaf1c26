"""The best portfolio under budgets: which candidates to fund to maximise their total value.

Pure: dataclasses in, dataclasses out; no Django. A candidate has a value (a weighted score or a
net present value) and costs per (year, budget area); a budget caps the costs of the years and
areas it covers (``year=None``: every year, ``area=None``: every area). The exact optimum is a
0/1 integer programme solved with HiGHS (branch and cut):

    maximise  Σ_i value_i · x_i
    subject to  Σ_i cost_i(b) · x_i ≤ amount_b   for every budget b,   x_i ∈ {0, 1}

where cost_i(b) sums candidate i's costs in the years and areas b covers. Before the solver
runs, x_i is fixed to 1 for a must-include and to 0 for a must-exclude, for a value ≤ 0 (such a
candidate adds nothing, so it is never chosen unless forced) and for a candidate that alone
does not fit some budget. Must-includes that alone exceed a budget make the programme
infeasible; that is found before the solver runs and the budget is named. A budget that
cannot bind is left out of the programme (never out of the result): one the open candidates
all fit within together, and one implied by another that charges every open candidate at
least as much with no more room (a total budget under per-year ones, say). Costs are ≥ 0, so
this never changes the optimum (tested against every subset on small rounds).

Proven optimal means HiGHS reports an optimum with no relative gap tolerance: its bound lies
within 1e-6 of the portfolio, or, when every value is an integer multiple of a common unit
(weighted scores are means of members' scores from integer marks; HiGHS finds the unit
itself), less than one unit above it, so no portfolio is worth more.

Ties: identical candidates (equal value, equal cost under every budget) are funded in input
order — a later one only if every earlier one is (symmetry-breaking rows x_i ≥ x_j, which also
spare the solver from exploring mirror images). Other portfolios of equal value are decided by
HiGHS, deterministically: the same candidates in the same order give the same portfolio. The
greedy ranking breaks ties of value by input order.

Every candidate gets a reason: ``must_include``, ``selected``, ``must_exclude``, ``no_value``,
``over_budget`` (it alone exceeds a budget: the budget and the shortfall), ``lower_value``
(funding it too would exceed a budget; the cheapest set of funded candidates found whose
removal would make room — at the optimum always worth at least as much) or ``budget_full``
(only must-includes hold the room it needs). Params hold numbers and keys, never text: the
caller translates.

    result = optimise(candidates, [Budget(1000, year=2025), Budget(2500, area="service")])
"""

from __future__ import annotations

import math
import time
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np

if TYPE_CHECKING:
    import highspy

Status = Literal["optimal", "time_limit", "infeasible"]

# Costs and amounts are sums of decimal money: a budget counts as kept within a millionth (the
# solver's own row tolerance) plus this fraction of its amount, so that float rounding never
# calls a portfolio over budget that fits.
ABSOLUTE_TOLERANCE = 1e-6
RELATIVE_TOLERANCE = 1e-9
# The solver runs with no relative gap: it stops when its bound is within ABSOLUTE_GAP of the
# portfolio found (HiGHS's default, far below a cent of any NPV or a thousandth of a score) or,
# when every value is an integer multiple of a common unit (weighted scores from integer marks
# are, e.g. 5/6 for three members, weights 3, 2, 2, 1, 1, 1 on 1–5; HiGHS finds the unit itself
# and logs "objective function is integral with scale …"), when the bound lies less than one
# unit above it, which proves the portfolio optimal. GAP only absorbs float noise in our own
# comparison of the bound with the portfolio's value.
ABSOLUTE_GAP = 1e-6
GAP = 1e-9
HEURISTIC_EFFORT = 0.01  # HiGHS's default is 0.05


@dataclass(frozen=True)
class Candidate:
    key: Hashable
    value: float
    costs: Mapping[tuple[int, str], float]


@dataclass(frozen=True)
class Budget:
    amount: float
    year: int | None = None
    area: str | None = None

    def covers(self, year: int, area: str) -> bool:
        return (self.year is None or self.year == year) and (self.area is None or self.area == area)


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class BudgetUse:
    """What the portfolio (``used``) and the greedy ranking (``greedy_used``) spend of a budget;
    for an infeasible result, what the must-includes alone spend."""

    budget: Budget
    used: float
    greedy_used: float

    @property
    def over(self) -> bool:
        return not _fits(self.used, self.budget.amount)


@dataclass(frozen=True)
class PortfolioResult:
    status: Status
    selected: tuple
    value: float
    greedy_selected: tuple
    greedy_value: float
    reasons: dict[Hashable, Reason]
    seconds: float
    budget_use: tuple[BudgetUse, ...] = ()
    # No portfolio is worth more than this; equals ``value`` when proven optimal.
    bound: float | None = None

    @property
    def over_budgets(self) -> tuple[BudgetUse, ...]:
        """The budgets the must-includes alone exceed (empty unless infeasible)."""
        return tuple(use for use in self.budget_use if use.over)


def _fits(used: float, amount: float) -> bool:
    return used <= amount + ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * abs(amount)


class _Problem:
    """Candidates as arrays: values, and the cost matrix (budgets × candidates)."""

    def __init__(self, candidates, budgets, must_include, must_exclude):
        self.candidates: list[Candidate] = list(candidates)
        self.budgets: list[Budget] = list(budgets)
        keys = [c.key for c in self.candidates]
        self.index = {key: i for i, key in enumerate(keys)}
        if len(self.index) != len(keys):
            raise ValueError("Candidate keys must be unique.")
        self.include = self._indices(must_include, "must_include")
        self.exclude = self._indices(must_exclude, "must_exclude")
        if self.include & self.exclude:
            raise ValueError("A candidate cannot be both included and excluded.")
        for budget in self.budgets:
            if not math.isfinite(budget.amount) or budget.amount < 0:
                raise ValueError(f"A budget's amount must be a number ≥ 0: {budget}.")
        n, m = len(self.candidates), len(self.budgets)
        self.values = np.array([float(c.value) for c in self.candidates], dtype=float)
        if not np.isfinite(self.values).all():
            raise ValueError("Values must be finite numbers.")
        self.amounts = np.array([float(b.amount) for b in self.budgets], dtype=float)
        self.costs = np.zeros((m, n))
        self.total_cost = np.zeros(n)
        covering: dict[tuple[int, str], list[int]] = {}
        for i, candidate in enumerate(self.candidates):
            for (year, area), cost in candidate.costs.items():
                cost = float(cost)
                if not math.isfinite(cost) or cost < 0:
                    raise ValueError(f"Costs must be numbers ≥ 0: {candidate.key}.")
                self.total_cost[i] += cost
                rows = covering.get((year, area))
                if rows is None:
                    rows = covering[(year, area)] = [
                        b for b, budget in enumerate(self.budgets) if budget.covers(year, area)
                    ]
                for b in rows:
                    self.costs[b, i] += cost
        self.slack = ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * np.abs(self.amounts)

    def _indices(self, keys: Iterable[Hashable], name: str) -> set[int]:
        try:
            return {self.index[key] for key in keys}
        except KeyError as error:
            raise ValueError(f"{name} names an unknown candidate: {error.args[0]!r}.") from None

    def usage(self, chosen: np.ndarray) -> np.ndarray:
        return self.costs @ chosen.astype(float)

    def fits(self, used: np.ndarray) -> bool:
        return bool((used <= self.amounts + self.slack).all())


def greedy(
    candidates: Sequence[Candidate],
    budgets: Sequence[Budget],
    must_include: Iterable[Hashable] = (),
    must_exclude: Iterable[Hashable] = (),
) -> tuple:
    """The ranking's portfolio: must-includes first, then down the ranking by value (ties in
    input order), taking every candidate with a positive value that still fits."""
    problem = _Problem(candidates, budgets, must_include, must_exclude)
    return _keys(problem, _greedy(problem))


def _greedy(problem: _Problem, free: np.ndarray | None = None) -> np.ndarray:
    n = len(problem.candidates)
    chosen = np.zeros(n, dtype=bool)
    chosen[list(problem.include)] = True
    if free is None:
        free = _free(problem)
    used = problem.usage(chosen)
    for i in _ranked(problem, np.flatnonzero(free)):
        after = used + problem.costs[:, i]
        if problem.fits(after):
            chosen[i] = True
            used = after
    return chosen


def _ranked(problem: _Problem, indices: np.ndarray) -> list[int]:
    """Highest value first; equal values in input order."""
    return sorted(indices.tolist(), key=lambda i: (-problem.values[i], i))


def _free(problem: _Problem) -> np.ndarray:
    """Candidates the choice is open for: not forced either way, positive value, and each fits
    every budget on its own."""
    free = problem.values > 0
    free &= (problem.costs <= (problem.amounts + problem.slack)[:, None]).all(axis=0)
    free[list(problem.include | problem.exclude)] = False
    return free


def _keys(problem: _Problem, chosen: np.ndarray) -> tuple:
    return tuple(problem.candidates[i].key for i in np.flatnonzero(chosen))


def optimise(
    candidates: Sequence[Candidate],
    budgets: Sequence[Budget],
    must_include: Iterable[Hashable] = (),
    must_exclude: Iterable[Hashable] = (),
    time_limit: float = 30.0,
) -> PortfolioResult:
    """The portfolio of greatest total value within every budget, with the greedy ranking's for
    comparison and a reason for each candidate. ``time_limit`` (seconds) bounds the solver;
    when it stops first the best portfolio found is returned with status ``time_limit``."""
    started = time.perf_counter()
    if not time_limit > 0:
        raise ValueError("The time limit must be positive.")
    problem = _Problem(candidates, budgets, must_include, must_exclude)
    n = len(problem.candidates)
    forced = np.zeros(n, dtype=bool)
    forced[list(problem.include)] = True
    forced_use = problem.usage(forced)
    if not problem.fits(forced_use):
        reasons = {
            problem.candidates[i].key: _selected("must_include", problem, i)
            for i in problem.include
        }
        use = tuple(
            BudgetUse(budget, float(forced_use[b]), float(forced_use[b]))
            for b, budget in enumerate(problem.budgets)
        )
        return PortfolioResult(
            "infeasible", (), 0.0, (), 0.0, reasons, time.perf_counter() - started, use, None
        )

    free = _free(problem)
    greedy_chosen = _greedy(problem, free)
    remaining = time_limit - (time.perf_counter() - started)
    status: Status = "optimal"
    chosen = greedy_chosen.copy()
    bound: float | None = _value(problem, chosen)
    if free.any():
        solved, bound = _solve(problem, free, forced_use, greedy_chosen, remaining)
        if solved is not None and _value(problem, solved) >= _value(problem, chosen):
            chosen = solved
        if bound is None or bound > _value(problem, chosen) + GAP * max(1.0, abs(bound)):
            status = "time_limit"
        # A no-op after a proof, unless a candidate fits only within the rounding tolerance;
        # after a stop at the time limit it adds what still fits.
        chosen = _fill(problem, free, chosen)
    used = problem.usage(chosen)
    greedy_used = problem.usage(greedy_chosen)
    reasons = _explain(problem, free, chosen, used)
    use = tuple(
        BudgetUse(budget, float(used[b]), float(greedy_used[b]))
        for b, budget in enumerate(problem.budgets)
    )
    return PortfolioResult(
        status=status,
        selected=_keys(problem, chosen),
        value=_value(problem, chosen),
        greedy_selected=_keys(problem, greedy_chosen),
        greedy_value=_value(problem, greedy_chosen),
        reasons=reasons,
        seconds=time.perf_counter() - started,
        budget_use=use,
        bound=_value(problem, chosen) if status == "optimal" else bound,
    )


def _value(problem: _Problem, chosen: np.ndarray) -> float:
    return float(problem.values[chosen].sum())


def _solve(
    problem: _Problem,
    free: np.ndarray,
    forced_use: np.ndarray,
    start: np.ndarray,
    seconds: float,
) -> tuple[np.ndarray | None, float | None]:
    """HiGHS on the open candidates, the budgets reduced by what the must-includes spend.
    Returns the portfolio (must-includes added) and the solver's bound on its value (None when
    the solver had no time or no bound)."""
    columns = np.flatnonzero(free)
    costs = problem.costs[:, columns]
    # The must-includes fit within the tolerance, so what they leave is 0 or more.
    capacity = np.maximum(problem.amounts - forced_use, 0.0)
    rows = _binding_rows(costs, capacity, problem.slack)
    full = np.zeros(len(problem.candidates), dtype=bool)
    full[list(problem.include)] = True
    if rows.size == 0:  # no budget can stop the open candidates: fund them all
        full[columns] = True
        return full, _value(problem, full)
    if seconds <= 0:
        return None, None
    import highspy  # here: a sixth of a second, paid only by processes that optimise

    matrix = costs[rows]
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", float(seconds))
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.setOptionValue("mip_abs_gap", ABSOLUTE_GAP)
    # Less time on primal heuristics, more on the proof: the greedy portfolio is the start, and
    # benchmarks/portfolio.py proves 500-proposal optima about twice as fast so.
    highs.setOptionValue("mip_heuristic_effort", HEURISTIC_EFFORT)
    highs.passModel(_model(problem.values[columns], matrix, capacity[rows]))
    warm = highspy.HighsSolution()
    warm.col_value = start[columns].astype(float).tolist()
    warm.value_valid = True
    highs.setSolution(warm)
    highs.run()
    info = highs.getInfo()
    forced_value = _value(problem, full)
    if highs.getModelStatus() == highspy.HighsModelStatus.kOptimal:
        bound = forced_value + info.objective_function_value
    elif math.isfinite(info.mip_dual_bound):
        bound = forced_value + info.mip_dual_bound
    else:
        bound = None
    if info.primal_solution_status != highspy.SolutionStatus.kSolutionStatusFeasible:
        return None, bound
    x = np.asarray(highs.getSolution().col_value) > 0.5
    full[columns[x]] = True
    if not problem.fits(problem.usage(full)):  # the solver's tolerance let a row slip
        return None, bound
    return full, bound


def _binding_rows(
    costs: np.ndarray, capacity: np.ndarray, slack: np.ndarray | float = 0.0
) -> np.ndarray:
    """The budgets (rows of ``costs``, the open candidates' costs) that can stop a portfolio:
    not those the open candidates together fit within (up to ``slack``, the tolerance of
    ``_fits``), nor one implied by another row that charges every candidate at least as much
    and has no more room (of identical rows, the first stays). Costs are ≥ 0, so every
    portfolio within the rows kept is within the rows left out: the optimum is the same."""
    kept = np.flatnonzero(costs.sum(axis=1) > capacity + slack)
    index = kept.tolist()
    dropped: set[int] = set()
    for r in index:
        for q in index:
            if q == r or q in dropped:
                continue
            # Row q implies row r: q charges every candidate at least as much with no more room.
            if capacity[q] <= capacity[r] and (costs[q] >= costs[r]).all():
                same = capacity[q] == capacity[r] and (costs[q] == costs[r]).all()
                if not same or q < r:
                    dropped.add(r)
                    break
    return np.array([r for r in index if r not in dropped], dtype=int)


def _model(values: np.ndarray, matrix: np.ndarray, capacity: np.ndarray) -> highspy.HighsLp:
    """The 0/1 programme in column-wise arrays: a row per budget (Σ cost·x ≤ room), then a
    symmetry row x_earlier − x_later ≥ 0 per pair of identical candidates."""
    m, k = matrix.shape
    budget_rows, budget_cols = np.nonzero(matrix)
    pairs = np.array(_twins(values, matrix), dtype=np.int64).reshape(-1, 2)
    twin_rows = m + np.arange(len(pairs))
    row_index = np.concatenate([budget_rows, twin_rows, twin_rows])
    col_index = np.concatenate([budget_cols, pairs[:, 0], pairs[:, 1]])
    entries = np.concatenate(
        [matrix[budget_rows, budget_cols], np.ones(len(pairs)), -np.ones(len(pairs))]
    )
    order = np.lexsort((row_index, col_index))
    import highspy

    lp = highspy.HighsLp()
    lp.num_col_ = k
    lp.num_row_ = m + len(pairs)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = values
    lp.col_lower_ = np.zeros(k)
    lp.col_upper_ = np.ones(k)
    lp.row_lower_ = np.concatenate([np.full(m, -highspy.kHighsInf), np.zeros(len(pairs))])
    lp.row_upper_ = np.concatenate([capacity, np.full(len(pairs), highspy.kHighsInf)])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_ = k
    lp.a_matrix_.num_row_ = lp.num_row_
    lp.a_matrix_.start_ = np.concatenate([[0], np.cumsum(np.bincount(col_index, minlength=k))])
    lp.a_matrix_.index_ = row_index[order].astype(np.int32)
    lp.a_matrix_.value_ = entries[order]
    lp.integrality_ = [highspy.HighsVarType.kInteger] * k
    return lp


def _twins(values: np.ndarray, matrix: np.ndarray) -> list[tuple[int, int]]:
    """Pairs (earlier, later) of columns of identical candidates, chained in order."""
    last: dict[tuple, int] = {}
    pairs = []
    for j, signature in enumerate(zip(values.tolist(), *matrix.tolist(), strict=True)):
        if signature in last:
            pairs.append((last[signature], j))
        last[signature] = j
    return pairs


def _fill(problem: _Problem, free: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """Add, best first, any open candidate that still fits."""
    chosen = chosen.copy()
    used = problem.usage(chosen)
    for i in _ranked(problem, np.flatnonzero(free & ~chosen)):
        after = used + problem.costs[:, i]
        if problem.fits(after):
            chosen[i] = True
            used = after
    return chosen


def _selected(code: str, problem: _Problem, i: int) -> Reason:
    return Reason(code, {"value": float(problem.values[i]), "cost": float(problem.total_cost[i])})


def _budget_params(budget: Budget) -> dict:
    return {"year": budget.year, "area": budget.area, "amount": float(budget.amount)}


def _explain(
    problem: _Problem, free: np.ndarray, chosen: np.ndarray, used: np.ndarray
) -> dict[Hashable, Reason]:
    reasons: dict[Hashable, Reason] = {}
    # The funded open candidates, cheapest first: sorted once, filtered per candidate.
    droppable = np.array(_cheapest_first(problem, np.flatnonzero(chosen & free)), dtype=int)
    for i, candidate in enumerate(problem.candidates):
        if i in problem.include:
            reasons[candidate.key] = _selected("must_include", problem, i)
        elif chosen[i]:
            reasons[candidate.key] = _selected("selected", problem, i)
        elif i in problem.exclude:
            reasons[candidate.key] = Reason("must_exclude", {"value": float(problem.values[i])})
        elif not free[i] and problem.values[i] > 0:
            reasons[candidate.key] = _over_budget(problem, i)
        elif not free[i]:
            reasons[candidate.key] = Reason("no_value", {"value": float(problem.values[i])})
        else:
            reasons[candidate.key] = _outvalued(problem, i, used, droppable)
    return reasons


def _over_budget(problem: _Problem, i: int) -> Reason:
    """The budget the candidate alone exceeds by the most."""
    short = problem.costs[:, i] - problem.amounts
    b = int(np.argmax(short))
    params = _budget_params(problem.budgets[b])
    params.update(cost=float(problem.costs[b, i]), short_by=float(short[b]))
    return Reason("over_budget", params)


def _outvalued(problem: _Problem, i: int, used: np.ndarray, droppable: np.ndarray) -> Reason:
    """Why an open candidate that fits on its own is left out: the budget it would exceed
    most, and the cheapest funded set found whose removal would make room for it.
    ``droppable``: the funded open candidates, cheapest first."""
    over = used + problem.costs[:, i] - problem.amounts
    exceeded = np.flatnonzero(over > problem.slack)
    b = int(exceeded[np.argmax(over[exceeded])])
    params = _budget_params(problem.budgets[b])
    params.update(
        value=float(problem.values[i]),
        short_by=float(over[b]),
        other_budgets=len(exceeded) - 1,
    )
    need = over[exceeded] - problem.slack[exceeded]
    order = droppable[(problem.costs[np.ix_(exceeded, droppable)] > 0).any(axis=0)]
    if order.size:
        freed = np.cumsum(problem.costs[np.ix_(exceeded, order)], axis=1)
        enough = np.flatnonzero((freed >= need[:, None]).all(axis=0))
    else:
        enough = order
    if enough.size == 0:
        return Reason("budget_full", params)
    drop = order[: enough[0] + 1].tolist()
    # Keep nothing that is not needed: try to spare the most valuable first.
    for j in sorted(drop, key=lambda j: (-problem.values[j], j)):
        rest = [d for d in drop if d != j]
        if (problem.costs[np.ix_(exceeded, rest)].sum(axis=1) >= need).all():
            drop = rest
    drop.sort(key=lambda j: (-problem.values[j], j))
    params.update(
        drop=[problem.candidates[j].key for j in drop],
        drop_value=float(problem.values[drop].sum()),
    )
    return Reason("lower_value", params)


def _cheapest_first(problem: _Problem, indices: np.ndarray) -> list[int]:
    """Lowest value first; equal values in input order."""
    return sorted(indices.tolist(), key=lambda i: (problem.values[i], i))
