"""Quality of samspil.optimisation.grouping on MDGPLIB, measured in one run (one core).

    .venv/bin/python benchmarks/grouping.py               # 5 seeds; about 17 minutes
    .venv/bin/python benchmarks/grouping.py --quick       # 1 seed, a third of the time
    .venv/bin/python benchmarks/grouping.py --instances DIR

Per instance: best and average objective over the seeds (each pair once), whether the proven
optimum of REFERENCE.md was reached (n ≤ 12), and the normalised quality
q = (f − f_random) / (f_reference_average − f_random) with f_random and f_reference_average
from REFERENCE.md (iterated maxima search, the authors' code, same time per run). The same for
a simple baseline: random splits improved by single best swaps until no swap improves,
restarted until the same time is up (the best kept). Time per run: 3 s at n = 120, 20 s at
n = 240, 0.5 s at n ≤ 60 (the exact method answers at n ≤ 12 at once).

Last, a realistic event: 300 participants with categorical attributes in 30 groups, the
wall time of `solve(seconds=1.5)` and its diversity score against random splits.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from samspil.optimisation.grouping import (
    AttributeWeights,
    GroupingProblem,
    Participant,
    balanced_sizes,
    distance_matrix,
    diversity_score,
    objective,
    read_mdgplib,
    solve,
    validate,
)

INSTANCES = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "mdgplib"
SEEDS = 5


def seconds_for(n: int) -> float:
    if n >= 240:
        return 20.0
    if n >= 120:
        return 3.0
    return 0.5


def read_reference(path: Path) -> tuple[dict[str, tuple[float, bool]], dict[str, tuple]]:
    """(optima: name -> (value, proven)), (heuristic: name -> (best, average, random mean))."""
    text = path.read_text(encoding="utf-8")
    optima, heuristic = {}, {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not cells or not re.fullmatch(r"\w+_n\d+_(ss|ds)_\d+", cells[0]):
            continue
        numbers = [float(re.match(r"[\d.]+", c).group()) for c in cells[1:]]  # type: ignore[union-attr]
        if len(cells) == 2:
            optima[cells[0]] = (numbers[0], "best known" not in cells[1])
        elif len(cells) == 4:
            heuristic[cells[0]] = tuple(numbers)
    return optima, heuristic


# -- the baseline: random splits improved by single swaps -----------------------------------


def random_split(problem: GroupingProblem, rng: np.random.Generator) -> np.ndarray:
    """Minimum sizes first, the rest of the people into random groups with room left."""
    sizes = np.array(problem.min_sizes)
    room = np.array(problem.max_sizes) - sizes
    for _ in range(problem.size - int(sizes.sum())):
        k = rng.choice(np.flatnonzero(room > 0))
        sizes[k] += 1
        room[k] -= 1
    return rng.permutation(np.repeat(np.arange(problem.group_count), sizes))


def swap_descent(problem: GroupingProblem, seconds: float, seed: int) -> float:
    rng = np.random.default_rng(seed)
    d = problem.distances
    n, groups = problem.size, problem.group_count
    rows = np.arange(n)
    deadline = time.perf_counter() + seconds
    best = -np.inf
    while time.perf_counter() < deadline:
        g = random_split(problem, rng)
        onehot = np.zeros((n, groups))
        onehot[rows, g] = 1.0
        m = d @ onehot
        while time.perf_counter() < deadline:
            gain = m - m[rows, g][:, None]
            b = gain[:, g]
            swaps = b + b.T - 2.0 * d
            swaps[g[:, None] == g[None, :]] = -np.inf
            k = int(swaps.argmax())
            i, j = divmod(k, n)
            if swaps[i, j] <= 1e-9:
                break
            p, q = g[i], g[j]
            diff = d[:, j] - d[:, i]
            m[:, p] += diff
            m[:, q] -= diff
            g[i], g[j] = q, p
        best = max(best, objective(d, [np.flatnonzero(g == k) for k in range(groups)]))
    return best


# -- a realistic event ------------------------------------------------------------------------


def event(people: int, seed: int = 0) -> list[Participant]:
    rng = np.random.default_rng(seed)
    backgrounds = ["staff", "supplier", "entrepreneur", "decision maker", "researcher", "citizen"]
    skills = ["design", "data", "law", "procurement", "care", "software", "economy", "ux"]
    return [
        Participant(
            id=i,
            background=backgrounds[rng.choice(6, p=[0.4, 0.25, 0.1, 0.1, 0.1, 0.05])],
            organisation=f"org{min(int(rng.exponential(5)), 24)}",
            skills=frozenset(rng.choice(skills, size=int(rng.integers(0, 4)), replace=False)),
        )
        for i in range(people)
    ]


def bench_event() -> None:
    participants = event(300)
    d = distance_matrix(participants, AttributeWeights(background=2.0))
    problem = GroupingProblem(d, *balanced_sizes(300, 30))
    started = time.perf_counter()
    result = solve(problem, seconds=1.5, seed=1)
    wall = time.perf_counter() - started
    long = solve(problem, seconds=15.0, seed=2)
    gap = (result.objective - result.random_objective) / (long.objective - long.random_objective)
    print(
        f"\nevent 300 people / 30 groups: {wall:.2f} s wall (limit 1.5 s), "
        f"score {diversity_score(d, result.groups, result.random_objective):.4f}× random, "
        f"{gap:.4f} of the gain a 15 s run finds ({result.iterations} iterations)"
    )


# -- main ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--instances", type=Path, default=INSTANCES)
    parser.add_argument("--quick", action="store_true", help="1 seed, a third of the time")
    parser.add_argument("--only", default="", help="substring of the instance names to run")
    args = parser.parse_args()
    seeds = 1 if args.quick else SEEDS
    scale = 1 / 3 if args.quick else 1.0
    optima, heuristic = read_reference(args.instances / "REFERENCE.md")
    files = sorted(args.instances.glob("*.txt"), key=lambda p: (read_n(p), p.name))
    q_solver: dict[int, list[float]] = {}
    q_base: dict[int, list[float]] = {}
    missed = []
    header = (
        f"{'instance':20} {'s':>5} {'best':>10} {'avg':>10} {'reference':>10} "
        f"{'opt/q':>7} | {'base best':>10} {'base avg':>10} {'q':>7}"
    )
    print(header)
    print("-" * len(header))
    for path in files:
        if args.only not in path.stem:
            continue
        problem = read_mdgplib(path)
        n, name = problem.size, path.stem
        seconds = seconds_for(n) * scale
        values, base = [], []
        proven = True
        for seed in range(seeds):
            result = solve(problem, seconds=seconds, seed=seed)
            assert validate(problem, result.groups), name
            values.append(result.objective)
            proven &= result.proven_optimal
            if n > 12:
                base.append(swap_descent(problem, seconds, seed))
        best, avg = max(values), statistics.mean(values)
        cells = f"{name:20} {seconds:5.2f} {best:10.3f} {avg:10.3f}"
        if name in optima:
            value, certified = optima[name]
            reached = min(values) >= value - 1e-3
            if certified and not reached:
                missed.append(name)
            mark = ("optimum" if certified else "≥known") if reached and proven else "MISSED"
            print(f"{cells} {value:10.3f} {mark:>7} |")
        elif name in heuristic:
            _, ref_avg, ref_random = heuristic[name]

            def q(f: float, _avg: float = ref_avg, _rand: float = ref_random) -> float:
                return (f - _rand) / (_avg - _rand)

            q_solver.setdefault(n, []).append(q(avg))
            q_base.setdefault(n, []).append(q(statistics.mean(base)))
            print(
                f"{cells} {ref_avg:10.1f} {q(avg):7.4f} | {max(base):10.3f} "
                f"{statistics.mean(base):10.3f} {q(statistics.mean(base)):7.4f}"
            )
        else:
            bb = f"{max(base):10.3f} {statistics.mean(base):10.3f}" if base else ""
            print(f"{cells} {'':10} {'':>7} | {bb}")
    print()
    mean: Callable[[list[float]], float] = statistics.mean
    for n in sorted(q_solver):
        print(
            f"n = {n}: average q {mean(q_solver[n]):.4f} (target ≥ 0.98); "
            f"baseline {mean(q_base[n]):.4f}"
        )
    print(f"proven optima missed: {missed or 'none'}")
    if not args.only:
        bench_event()


def read_n(path: Path) -> int:
    with open(path, encoding="utf-8") as handle:
        return int(handle.readline().split()[0])


if __name__ == "__main__":
    main()
