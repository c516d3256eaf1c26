"""The exact portfolio optimiser (samspil.optimisation.portfolio) on random rounds, measured in
one run.

    .venv/bin/python benchmarks/portfolio.py              # 3 rounds each of 50, 500, 5,000
    .venv/bin/python benchmarks/portfolio.py --rounds 1 --sizes 50 500

A round (seeded) is made the way samspil makes one: proposals invest in one to three years of
five, mostly in one budget area (service, construction, transfers), in whole 1,000s (lognormal,
median about 400); each is worth its weighted score (0–100) from three board members scoring
six criteria weighted 3, 2, 2, 1, 1, 1 on a 1–5 scale, the same formula as the round page.
Budgets: one per year (30 % of what the proposals ask for that year) and one per area (35 %),
so that both kinds bind. Per round: the wall time of ``optimise`` (model, HiGHS, explanations)
until the optimum is proven or the time limit stops it, the solver's remaining gap when it
stops, and how much value the greedy ranking (down the scores, taking what fits) leaves out.
The load average (1, 5, 15 min) is printed before and after: other work on the machine
slows the solver roughly in proportion.

Targets (issue 6): proven optimum for 500 proposals in ≤ 1 s and for 5,000 in ≤ 10 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from samspil.optimisation.portfolio import Budget, Candidate, optimise

YEARS = range(2026, 2031)
AREAS = ("service", "construction", "transfers")
WEIGHTS = (3, 2, 2, 1, 1, 1)
MEMBERS = 3
TARGETS = {500: 1.0, 5000: 10.0}
# How long a round may run before it counts as not proven: ten times its target.
LIMITS = {50: 10.0, 500: 10.0, 5000: 100.0}


def weighted_score(rng: random.Random) -> float:
    """Board members agree roughly on a proposal's quality and differ a little per criterion."""
    quality = rng.uniform(1.5, 4.5)
    total = 0.0
    for _ in range(MEMBERS):
        scores = [min(5, max(1, round(rng.gauss(quality, 0.8)))) for _ in WEIGHTS]
        total += sum(w * (s - 1) / 4 for w, s in zip(WEIGHTS, scores, strict=True)) / sum(WEIGHTS)
    return 100 * total / MEMBERS


def round_of(n: int, seed: int) -> tuple[list[Candidate], list[Budget]]:
    rng = random.Random(seed)  # noqa: S311  (seeded test data, not a secret)
    candidates = []
    for key in range(n):
        first = rng.choice(YEARS)
        years = range(first, min(first + rng.choice((1, 2, 2, 3)), YEARS[-1] + 1))
        area = rng.choices(AREAS, weights=(6, 3, 1))[0]
        size = rng.lognormvariate(6, 0.8)
        costs = {(year, area): float(round(size * rng.uniform(0.5, 1.5))) for year in years}
        if rng.random() < 0.2:  # some also spend in a second area in their first year
            second = (first, rng.choice([a for a in AREAS if a != area]))
            costs[second] = float(round(size * 0.3))
        candidates.append(Candidate(key, weighted_score(rng), costs))
    budgets = []
    for year in YEARS:
        asked = sum(cost for c in candidates for (y, _), cost in c.costs.items() if y == year)
        budgets.append(Budget(float(round(0.30 * asked)), year=year))
    for area in AREAS:
        asked = sum(cost for c in candidates for (_, a), cost in c.costs.items() if a == area)
        budgets.append(Budget(float(round(0.35 * asked)), area=area))
    return candidates, budgets


def _load() -> str:
    return " / ".join(f"{load:.1f}" for load in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 500, 5000])
    parser.add_argument("--rounds", type=int, default=3, help="random rounds per size")
    args = parser.parse_args()
    print(f"load average {_load()} (1, 5, 15 min) on {os.cpu_count()} cores, before")
    header = (
        f"{'proposals':>9} {'round':>5} {'status':>10} {'seconds':>8} {'gap left':>9} "
        f"{'funded':>6} {'greedy gap':>10}"
    )
    print(header)
    print("-" * len(header))
    summary = []
    for n in args.sizes:
        times, proven, greedy_gaps = [], 0, []
        for seed in range(args.rounds):
            candidates, budgets = round_of(n, seed)
            result = optimise(candidates, budgets, time_limit=LIMITS.get(n, 100.0))
            left = (result.bound - result.value) / result.value if result.bound else float("nan")
            greedy_gap = (result.value - result.greedy_value) / result.value
            times.append(result.seconds)
            proven += result.status == "optimal"
            greedy_gaps.append(greedy_gap)
            print(
                f"{n:9d} {seed:5d} {result.status:>10} {result.seconds:8.2f} {left:9.4%} "
                f"{len(result.selected):6d} {greedy_gap:10.3%}"
            )
        summary.append((n, times, proven, greedy_gaps))
    print(f"load average {_load()} (1, 5, 15 min), after")
    print()
    for n, times, proven, greedy_gaps in summary:
        line = (
            f"{n:5d} proposals: proven optimal in {proven}/{len(times)} rounds, median "
            f"{statistics.median(times):.2f} s, slowest {max(times):.2f} s; greedy ranking "
            f"{statistics.mean(greedy_gaps):.3%} below the optimum on average "
            f"(worst {max(greedy_gaps):.3%})"
        )
        if n in TARGETS:
            met = proven == len(times) and max(times) <= TARGETS[n]
            line += f" — target ≤ {TARGETS[n]:g} s: {'met' if met else 'NOT met'}"
        print(line)


if __name__ == "__main__":
    main()
