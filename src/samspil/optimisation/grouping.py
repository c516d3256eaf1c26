"""Maximally diverse groups: split n people into G groups (sizes within [a_g, b_g]) maximising the
sum of pairwise distances inside the groups, each pair counted once.

Pure: dataclasses in, dataclasses out, seeded, the time limit passed in; no Django.

    problem = GroupingProblem(distances, min_sizes=[3, 3], max_sizes=[4, 4], apart=[(0, 1)])
    result = solve(problem, seconds=1.0, seed=7)

Up to `EXACT_MAX_UNITS` people (after merging must-together pairs) a dynamic programme over
subsets returns a proven optimum; above, iterated tabu search (best admissible move or swap per
step, attribute tabu list, perturbation of the best solution after a stall; Palubeckis 2011,
Lai & Hao 2016's move/swap neighbourhoods) runs until `seconds` or `max_iterations`.

Command line, on an MDGPLIB file (see docs/grouping.md):

    python -m samspil.optimisation.grouping FILE --seconds 3 --seed 1 [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from samspil.optimisation._grouping_core import (
    NoAssignment,
    SearchParams,
    Units,
    exact,
    random_assignment,
    tabu_search,
    unit_objective,
)

EXACT_MAX_UNITS = 12
RANDOM_SPLITS = 30

__all__ = [
    "EXACT_MAX_UNITS",
    "AttributeWeights",
    "GroupMix",
    "GroupingProblem",
    "GroupingResult",
    "Infeasibility",
    "InfeasibleGrouping",
    "Participant",
    "SearchParams",
    "balanced_sizes",
    "check_feasible",
    "distance_matrix",
    "diversity_score",
    "group_mix",
    "objective",
    "read_mdgplib",
    "solve",
    "validate",
]


# -- data in and out ---------------------------------------------------------------------------


@dataclass
class GroupingProblem:
    """distances: n×n symmetric, zero diagonal; group g holds min_sizes[g]..max_sizes[g] people;
    together/apart: pairs of person indices; pinned: person index → group index."""

    distances: np.ndarray
    min_sizes: list[int]
    max_sizes: list[int]
    together: list[tuple[int, int]] = field(default_factory=list)
    apart: list[tuple[int, int]] = field(default_factory=list)
    pinned: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        d = np.asarray(self.distances, dtype=np.float64)
        if d.ndim != 2 or d.shape[0] != d.shape[1]:
            raise ValueError("distances must be a square matrix")
        if not np.all(np.isfinite(d)):
            raise ValueError("distances must be finite")
        if not np.allclose(d, d.T):
            raise ValueError("distances must be symmetric")
        d = 0.5 * (d + d.T)
        np.fill_diagonal(d, 0.0)
        self.distances = d
        if len(self.min_sizes) != len(self.max_sizes):
            raise ValueError("min_sizes and max_sizes must have one entry per group")

    @property
    def size(self) -> int:
        return int(self.distances.shape[0])

    @property
    def group_count(self) -> int:
        return len(self.min_sizes)


@dataclass
class GroupingResult:
    groups: list[list[int]]  # per group, its people (sorted indices)
    objective: float  # Σ distances inside groups, each pair once
    random_objective: float  # mean of random feasible splits of the same problem
    iterations: int  # tabu steps (0 for the exact method)
    proven_optimal: bool


@dataclass(frozen=True)
class Infeasibility:
    """Why a problem cannot be solved: a machine code and its parameters for translation."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return MESSAGES.get(self.code, self.code).format(**self.params)

    def __str__(self) -> str:
        return self.message


MESSAGES = {
    "no_groups": "There are no groups to fill.",
    "bad_bounds": "Group {group} has a minimum size {min} above its maximum size {max}.",
    "too_few_places": "The groups hold at most {total_max} people, but there are {people}.",
    "too_many_places": "The groups need at least {total_min} people, but there are only {people}.",
    "unknown_person": "Person {person} is not among the {people} people.",
    "unknown_group": "Person {person} is pinned to group {group}, which does not exist.",
    "apart_from_self": "Person {person} cannot be kept apart from themselves.",
    "together_and_apart": (
        "Persons {a} and {b} must be kept apart, but must-together rules join them "
        "(through {chain})."
    ),
    "pinned_apart": "Persons {a} and {b} must be kept apart, but both are pinned to group {group}.",
    "pinned_split": (
        "Persons {a} and {b} must be together (through {chain}), but are pinned to groups "
        "{group_a} and {group_b}."
    ),
    "unit_too_large": (
        "Persons {people} must be together ({size} people), but no group takes more than {largest}."
    ),
    "pinned_unit_too_large": (
        "Persons {people} must be together in group {group} ({size} people), which takes at "
        "most {max}."
    ),
    "pinned_overfull": "Group {group} has {pinned} pinned people but takes at most {max}.",
    "no_assignment": "No split satisfies the sizes and the together, apart and pinned rules.",
}


class InfeasibleGrouping(ValueError):
    """Raised by `solve` when the rules cannot all be kept; `.reasons` explains why."""

    def __init__(self, reasons: Sequence[Infeasibility]) -> None:
        self.reasons = list(reasons)
        super().__init__("; ".join(r.message for r in self.reasons))


# -- feasibility ------------------------------------------------------------------------------


def _components(n: int, pairs: Iterable[tuple[int, int]]) -> tuple[list[int], dict[int, list]]:
    """Union-find over must-together pairs: root per person and the tree edges (for chains)."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    adjacency: dict[int, list[int]] = {}
    for a, b in pairs:
        adjacency.setdefault(a, []).append(b)
        adjacency.setdefault(b, []).append(a)
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [find(i) for i in range(n)], adjacency


def _chain(adjacency: Mapping[int, list[int]], a: int, b: int) -> list[int]:
    """Shortest must-together path from a to b (breadth first)."""
    previous = {a: a}
    frontier = [a]
    while frontier and b not in previous:
        nxt = []
        for x in frontier:
            for y in adjacency.get(x, []):
                if y not in previous:
                    previous[y] = x
                    nxt.append(y)
        frontier = nxt
    path = [b]
    while path[-1] != a:
        path.append(previous[path[-1]])
    return path[::-1]


def _chain_text(path: list[int]) -> str:
    return " – ".join(str(x) for x in path)


def check_feasible(problem: GroupingProblem) -> list[Infeasibility]:
    """Every plainly impossible rule, as codes with parameters; empty if none was found.

    An empty list does not prove feasibility (apart rules can make a hard colouring problem);
    `solve` then raises `InfeasibleGrouping` with code ``no_assignment`` if it finds no split.
    """
    n, groups = problem.size, problem.group_count
    lo, hi = problem.min_sizes, problem.max_sizes
    out: list[Infeasibility] = []
    if groups == 0:
        return [Infeasibility("no_groups")]
    for k in range(groups):
        if lo[k] > hi[k] or hi[k] < 0:
            out.append(Infeasibility("bad_bounds", {"group": k, "min": lo[k], "max": hi[k]}))
    if sum(hi) < n:
        out.append(Infeasibility("too_few_places", {"total_max": sum(hi), "people": n}))
    if sum(max(x, 0) for x in lo) > n:
        out.append(Infeasibility("too_many_places", {"total_min": sum(lo), "people": n}))
    people = set(range(n))
    for a, b in [*problem.together, *problem.apart]:
        for x in (a, b):
            if x not in people:
                out.append(Infeasibility("unknown_person", {"person": x, "people": n}))
    for person, k in problem.pinned.items():
        if person not in people:
            out.append(Infeasibility("unknown_person", {"person": person, "people": n}))
        if not 0 <= k < groups:
            out.append(Infeasibility("unknown_group", {"person": person, "group": k}))
    if out:
        return out

    root, adjacency = _components(n, problem.together)
    for a, b in problem.apart:
        if a == b:
            out.append(Infeasibility("apart_from_self", {"person": a}))
        elif root[a] == root[b]:
            chain = _chain_text(_chain(adjacency, a, b))
            out.append(Infeasibility("together_and_apart", {"a": a, "b": b, "chain": chain}))
        else:
            pa, pb = problem.pinned.get(a), problem.pinned.get(b)
            if pa is not None and pa == pb:
                out.append(Infeasibility("pinned_apart", {"a": a, "b": b, "group": pa}))
    members: dict[int, list[int]] = {}
    for i in range(n):
        members.setdefault(root[i], []).append(i)
    unit_group: dict[int, tuple[int, int]] = {}  # root -> (person, group)
    for person, k in sorted(problem.pinned.items()):
        r = root[person]
        if r in unit_group and unit_group[r][1] != k:
            first, gk = unit_group[r]
            chain = _chain_text(_chain(adjacency, first, person))
            params = {"a": first, "b": person, "chain": chain, "group_a": gk, "group_b": k}
            out.append(Infeasibility("pinned_split", params))
        unit_group.setdefault(r, (person, k))
    largest = max(hi)
    pinned_load = [0] * groups
    for r, people_in in members.items():
        size = len(people_in)
        if r in unit_group:
            k = unit_group[r][1]
            pinned_load[k] += size
            if size > hi[k] and size > 1:
                params = {"people": people_in, "size": size, "group": k, "max": hi[k]}
                out.append(Infeasibility("pinned_unit_too_large", params))
        elif size > largest:
            params = {"people": people_in, "size": size, "largest": largest}
            out.append(Infeasibility("unit_too_large", params))
    for k in range(groups):
        if pinned_load[k] > hi[k]:
            params = {"group": k, "pinned": pinned_load[k], "max": hi[k]}
            out.append(Infeasibility("pinned_overfull", params))
    return out


def validate(problem: GroupingProblem, groups: Sequence[Sequence[int]]) -> bool:
    """True if `groups` places everyone once and keeps sizes, together, apart and pins."""
    n = problem.size
    if len(groups) != problem.group_count:
        return False
    where = np.full(n, -1)
    for k, members in enumerate(groups):
        if not problem.min_sizes[k] <= len(members) <= problem.max_sizes[k]:
            return False
        for i in members:
            if not 0 <= i < n or where[i] >= 0:
                return False
            where[i] = k
    if np.any(where < 0):
        return False
    if any(where[a] != where[b] for a, b in problem.together):
        return False
    if any(where[a] == where[b] for a, b in problem.apart):
        return False
    return all(where[i] == k for i, k in problem.pinned.items())


# -- solving ----------------------------------------------------------------------------------


def objective(distances: np.ndarray, groups: Sequence[Sequence[int]]) -> float:
    """Σ of distances inside each group, each pair once."""
    d = np.asarray(distances, dtype=np.float64)
    total = 0.0
    for members in groups:
        idx = np.asarray(members, dtype=np.int64)
        total += 0.5 * float(d[np.ix_(idx, idx)].sum()) if idx.size else 0.0
    return total


def _to_units(problem: GroupingProblem) -> tuple[Units, np.ndarray, float]:
    """Merge must-together people; returns the units, the unit of each person, the constant."""
    n, groups = problem.size, problem.group_count
    root, _ = _components(n, problem.together)
    roots = sorted(set(root))
    index = {r: u for u, r in enumerate(roots)}
    unit_of = np.array([index[r] for r in root], dtype=np.int64)
    m = len(roots)
    indicator = np.zeros((m, n))
    indicator[unit_of, np.arange(n)] = 1.0
    d = problem.distances
    du = indicator @ d @ indicator.T
    constant = 0.5 * float(np.trace(du))
    np.fill_diagonal(du, 0.0)
    weights = np.bincount(unit_of, minlength=m).astype(np.int64)
    pinned = np.full(m, -1, dtype=np.int64)
    for person, k in problem.pinned.items():
        pinned[unit_of[person]] = k
    apart = sorted({tuple(sorted((int(unit_of[a]), int(unit_of[b])))) for a, b in problem.apart})
    apart_pairs = [(u, v) for u, v in apart]
    penalty = 0.0
    if apart_pairs:
        # any swap gain is bounded by 4·n·max|d|; this keeps a broken apart rule hopeless
        penalty = 8.0 * (m + 1) * (float(np.abs(du).max()) + 1.0)
        for u, v in apart_pairs:
            du[u, v] = du[v, u] = -penalty
    units = Units(
        distances=du,
        weights=weights,
        min_sizes=np.asarray(problem.min_sizes, dtype=np.int64).reshape(groups),
        max_sizes=np.asarray(problem.max_sizes, dtype=np.int64).reshape(groups),
        pinned=pinned,
        apart=apart_pairs,
        penalty=penalty,
    )
    return units, unit_of, constant


def _groups_of(g_units: np.ndarray, unit_of: np.ndarray, groups: int) -> list[list[int]]:
    where = g_units[unit_of]
    return [np.flatnonzero(where == k).tolist() for k in range(groups)]


def solve(
    problem: GroupingProblem,
    seconds: float = 1.0,
    seed: int = 0,
    max_iterations: int | None = None,
    params: SearchParams | None = None,
    exact_max_units: int = EXACT_MAX_UNITS,
) -> GroupingResult:
    """The most diverse split found within `seconds` (or `max_iterations` tabu steps).

    Deterministic for a given seed when `max_iterations` stops the search before the clock.
    Raises `InfeasibleGrouping` if the rules cannot be kept.
    """
    started = time.perf_counter()
    reasons = check_feasible(problem)
    if reasons:
        raise InfeasibleGrouping(reasons)
    units, unit_of, constant = _to_units(problem)
    rng = np.random.default_rng(seed)
    groups = problem.group_count
    try:
        random_values = []
        for _ in range(RANDOM_SPLITS):
            g = random_assignment(units, rng)
            random_values.append(unit_objective(units, g) + constant)
        if units.size <= exact_max_units:
            best, _ = exact(units)
            iterations, proven = 0, True
        else:
            deadline = started + seconds
            best, _, iterations = tabu_search(units, g, rng, deadline, max_iterations, params)
            proven = False
    except NoAssignment:
        raise InfeasibleGrouping([Infeasibility("no_assignment")]) from None
    result_groups = _groups_of(best, unit_of, groups)
    return GroupingResult(
        groups=result_groups,
        objective=objective(problem.distances, result_groups),
        random_objective=float(np.mean(random_values)),
        iterations=iterations,
        proven_optimal=proven,
    )


def balanced_sizes(people: int, group_count: int) -> tuple[list[int], list[int]]:
    """Min and max sizes for `group_count` groups as equal as possible (sizes ⌊n/G⌋..⌈n/G⌉)."""
    low, extra = divmod(people, group_count)
    high = low + (1 if extra else 0)
    return [low] * group_count, [high] * group_count


# -- participants and their attributes -------------------------------------------------------


@dataclass(frozen=True)
class Participant:
    id: Any
    background: str
    organisation: str
    skills: frozenset[str] = frozenset()


@dataclass(frozen=True)
class AttributeWeights:
    background: float = 1.0
    organisation: float = 1.0
    skills: float = 1.0


def distance_matrix(
    participants: Sequence[Participant], weights: AttributeWeights | None = None
) -> np.ndarray:
    """Weighted mismatch: w_b·[backgrounds differ] + w_o·[organisations differ] +
    w_s·(Jaccard distance of the skill sets; two empty sets are alike)."""
    w = weights or AttributeWeights()
    n = len(participants)

    def codes(values: list[str]) -> np.ndarray:
        table: dict[str, int] = {}
        return np.array([table.setdefault(v, len(table)) for v in values], dtype=np.int64)

    bg = codes([p.background for p in participants])
    org = codes([p.organisation for p in participants])
    d = w.background * (bg[:, None] != bg[None, :]) + w.organisation * (
        org[:, None] != org[None, :]
    )
    vocabulary = sorted({s for p in participants for s in p.skills})
    if vocabulary and w.skills:
        column = {s: c for c, s in enumerate(vocabulary)}
        has = np.zeros((n, len(vocabulary)))
        for i, p in enumerate(participants):
            has[i, [column[s] for s in p.skills]] = 1.0
        inter = has @ has.T
        counts = has.sum(axis=1)
        union = counts[:, None] + counts[None, :] - inter
        jaccard = np.divide(inter, union, out=np.ones_like(inter), where=union > 0)
        d = d + w.skills * (1.0 - jaccard)
    d = np.asarray(d, dtype=np.float64)
    np.fill_diagonal(d, 0.0)
    return d


@dataclass
class GroupMix:
    members: list[Any]  # participant ids
    backgrounds: dict[str, int]
    organisations: dict[str, int]
    skills: dict[str, int]
    diversity: float  # Σ distances inside the group, each pair once


def group_mix(
    participants: Sequence[Participant], groups: Sequence[Sequence[int]], distances: np.ndarray
) -> list[GroupMix]:
    """Each group's make-up, counts sorted by frequency (then name)."""

    def counted(values: Iterable[str]) -> dict[str, int]:
        return dict(sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0])))

    out = []
    for members in groups:
        people = [participants[i] for i in members]
        out.append(
            GroupMix(
                members=[p.id for p in people],
                backgrounds=counted(p.background for p in people),
                organisations=counted(p.organisation for p in people),
                skills=counted(s for p in people for s in p.skills),
                diversity=objective(distances, [members]),
            )
        )
    return out


def diversity_score(
    distances: np.ndarray, groups: Sequence[Sequence[int]], random_objective: float
) -> float:
    """How much more diverse the split is than a random one: objective / random mean
    (1.0 = like random; recompute after organisers move people)."""
    if random_objective <= 0:
        return 1.0
    return objective(distances, groups) / random_objective


# -- MDGPLIB files and the command line ------------------------------------------------------


def read_mdgplib(path: str | Path) -> GroupingProblem:
    """First line ``n G ss|ds a_1 b_1 … a_G b_G``; then ``i j d`` per pair, 0-based."""
    with open(path, encoding="utf-8") as handle:
        head = handle.readline().split()
        n, groups = int(head[0]), int(head[1])
        bounds = [int(x) for x in head[3 : 3 + 2 * groups]]
        data = np.loadtxt(handle, ndmin=2)
    d = np.zeros((n, n))
    if data.size:
        i, j = data[:, 0].astype(np.int64), data[:, 1].astype(np.int64)
        d[i, j] = data[:, 2]
        d[j, i] = data[:, 2]
    return GroupingProblem(d, min_sizes=bounds[0::2], max_sizes=bounds[1::2])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Solve an MDGPLIB instance.")
    parser.add_argument("file", type=Path)
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-iterations", type=int, default=None)
    parser.add_argument("--json", action="store_true", help="last line is a JSON object")
    args = parser.parse_args(argv)
    problem = read_mdgplib(args.file)
    started = time.perf_counter()
    try:
        result = solve(
            problem, seconds=args.seconds, seed=args.seed, max_iterations=args.max_iterations
        )
    except InfeasibleGrouping as error:
        print(f"infeasible: {error}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    if not validate(problem, result.groups):
        print("error: the solution breaks a rule", file=sys.stderr)
        return 1
    value = round(result.objective, 6)
    print(
        f"n={problem.size} groups={problem.group_count} iterations={result.iterations} "
        f"seconds={elapsed:.3f} proven_optimal={result.proven_optimal} "
        f"random_mean={result.random_objective:.3f}"
    )
    if args.json:
        print(json.dumps({"objective": value, "groups": result.groups}))
    else:
        print(value)
    return 0


if __name__ == "__main__":
    sys.exit(main())
