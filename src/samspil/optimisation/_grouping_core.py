"""The engines behind `samspil.optimisation.grouping`: an exact subset DP and iterated tabu search.

Both work on *units*: people who must be together are merged into one unit with a weight (its
head count); a must-apart pair becomes a large negative distance between two units, so every
move that would break it has a hopeless gain and is never taken. Nothing here imports Django.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

NEG = -np.inf


@dataclass
class Units:
    """The problem after merging must-together people (internal to the grouping module)."""

    distances: np.ndarray  # m×m float, zero diagonal, apart pairs carry -penalty
    weights: np.ndarray  # m int, people per unit
    min_sizes: np.ndarray  # G int
    max_sizes: np.ndarray  # G int
    pinned: np.ndarray  # m int, group index or -1
    apart: list[tuple[int, int]] = field(default_factory=list)  # unit pairs
    penalty: float = 0.0

    @property
    def size(self) -> int:
        return int(self.weights.shape[0])

    @property
    def group_count(self) -> int:
        return int(self.min_sizes.shape[0])

    @property
    def weighted(self) -> bool:
        return bool(np.any(self.weights != 1))


class NoAssignment(Exception):
    """No assignment respecting every rule was found (or, for the exact method, none exists)."""


# -- random feasible assignments ------------------------------------------------------------


def random_assignment(units: Units, rng: np.random.Generator, tries: int = 200) -> np.ndarray:
    """A random assignment respecting sizes, pins and apart rules (randomised greedy, retried)."""
    m, groups = units.size, units.group_count
    w, lo, hi = units.weights, units.min_sizes, units.max_sizes
    conflicts: list[list[int]] = [[] for _ in range(m)]
    for u, v in units.apart:
        conflicts[u].append(v)
        conflicts[v].append(u)
    free = np.flatnonzero(units.pinned < 0)
    simple = not units.apart and not units.weighted
    for _ in range(tries):
        g = units.pinned.copy()
        load = np.bincount(g[g >= 0], weights=w[g >= 0], minlength=groups).astype(np.int64)
        order = free[rng.permutation(free.size)]
        if not simple:  # heavy and constrained units first, random among equals
            keys = -(w[order] * 1000 + np.array([len(conflicts[u]) for u in order], dtype=int))
            order = order[np.argsort(keys, kind="stable")]
        remaining = int(w[order].sum())
        ok = True
        for u in order:
            wu = int(w[u])
            fits = load + wu <= hi
            for v in conflicts[u]:
                if g[v] >= 0:
                    fits[g[v]] = False
            candidates = np.flatnonzero(fits)
            if candidates.size == 0:
                ok = False
                break
            deficit = np.maximum(lo - load, 0)
            remaining -= wu
            needy = candidates[deficit[candidates] > 0]
            # the units still to place could not fill the minimum sizes without this one
            if needy.size and remaining < int(deficit.sum()):
                candidates = needy
            choice = int(candidates[rng.integers(candidates.size)])
            g[u] = choice
            load[choice] += wu
        if ok and np.all(load >= lo) and np.all(load <= hi):
            return g
    raise NoAssignment


def group_loads(units: Units, g: np.ndarray) -> np.ndarray:
    return np.bincount(g, weights=units.weights, minlength=units.group_count).astype(np.int64)


def unit_objective(units: Units, g: np.ndarray) -> float:
    same = g[:, None] == g[None, :]
    return float(np.triu(np.where(same, units.distances, 0.0), 1).sum())


# -- exact method: dynamic programme over subsets -------------------------------------------


def exact(units: Units) -> tuple[np.ndarray, float]:
    """Optimal assignment of up to ~12 units: F_k(S) = max_T F_{k-1}(S∖T) + w(T), groups in order.

    O(3^m · G) work, vectorised over the subsets; raises `NoAssignment` if nothing is feasible.
    """
    m, groups = units.size, units.group_count
    full = (1 << m) - 1
    subsets = np.arange(1 << m, dtype=np.int64)
    bits = ((subsets[:, None] >> np.arange(m)) & 1).astype(bool)
    weight = bits @ units.weights.astype(np.int64)
    value = np.zeros(1 << m)
    for i in range(1, m):  # subsets whose highest unit is i
        low = 1 << i
        value[low : 2 * low] = value[:low] + bits[:low, :i] @ units.distances[i, :i]
    conflict = np.zeros(1 << m, dtype=bool)
    for u, v in units.apart:
        conflict |= bits[:, u] & bits[:, v]
    pinned_mask = [0] * groups
    any_pinned = 0
    for u, k in enumerate(units.pinned):
        if k >= 0:
            pinned_mask[int(k)] |= 1 << u
            any_pinned |= 1 << u

    best = np.full(1 << m, NEG)
    best[0] = 0.0
    choices = []
    for k in range(groups):
        ok = (weight >= units.min_sizes[k]) & (weight <= units.max_sizes[k]) & ~conflict
        own, others = pinned_mask[k], any_pinned & ~pinned_mask[k]
        ok &= ((subsets & own) == own) & ((subsets & others) == 0)
        nxt = np.full(1 << m, NEG)
        choice = np.full(1 << m, -1, dtype=np.int64)
        reachable = np.flatnonzero(best > NEG)
        for t in np.flatnonzero(ok):
            rest = reachable[(reachable & t) == 0]
            if rest.size == 0:
                continue
            target = rest | t
            cand = best[rest] + value[t]
            better = cand > nxt[target]
            nxt[target[better]] = cand[better]
            choice[target[better]] = t
        best = nxt
        choices.append(choice)
    if not best[full] > NEG:
        raise NoAssignment
    g = np.full(m, -1, dtype=np.int64)
    s = full
    for k in range(groups - 1, -1, -1):
        taken = int(choices[k][s])
        g[bits[taken]] = k
        s &= ~taken
    return g, float(best[full])


# -- iterated tabu search ---------------------------------------------------------------------


@dataclass
class SearchParams:
    tenure_min: int = 3
    tenure_max: int = 0  # 0: about n/8
    depth: int = 0  # iterations without improvement before a perturbation; 0: about 4n
    strength: int = 0  # random swaps in a perturbation; 0: about n/20


def tabu_search(
    units: Units,
    start: np.ndarray,
    rng: np.random.Generator,
    deadline: float,
    max_iterations: int | None,
    params: SearchParams | None = None,
) -> tuple[np.ndarray, float, int]:
    """Iterated tabu search with move and swap neighbourhoods; returns (best, value, iterations).

    State: ``M[i, k]`` = Σ distances from unit i to the units of group k, so the gain of moving
    i from p to q is ``M[i, q] − M[i, p]`` and of swapping i∈p with j∈q is
    ``(M[i,q] − M[i,p]) + (M[j,p] − M[j,q]) − 2 d_ij``; all gains come out of two n×G and
    n×n array expressions per iteration, and a step updates M in O(n).
    """
    p = params or SearchParams()
    n, groups = units.size, units.group_count
    d = units.distances
    lo, hi, w = units.min_sizes, units.max_sizes, units.weights
    weighted = units.weighted
    use_moves = bool(np.any(lo < hi))
    frozen = units.pinned >= 0
    any_frozen = bool(frozen.any())
    tenure_max = p.tenure_max or max(p.tenure_min + 2, n // 8)
    depth = p.depth or max(200, 4 * n)
    strength = p.strength or max(2, n // 20)
    hopeless = -units.penalty / 2 if units.penalty else NEG
    limit = max_iterations if max_iterations is not None else np.iinfo(np.int64).max

    scale = float(np.abs(d[np.isfinite(d)]).max()) if n > 1 else 1.0
    jitter = rng.random((n, n)) * (scale * 1e-9 + 1e-12)
    d2 = 2.0 * d + (jitter + jitter.T)  # tiny random tie-breaking among equal gains
    dw = (w[None, :] - w[:, None]) if weighted else None
    rows = np.arange(n)

    def fresh(g: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        onehot = np.zeros((n, groups))
        onehot[rows, g] = 1.0
        m_ = d @ onehot
        return m_, group_loads(units, g), 0.5 * float(m_[rows, g].sum())

    g = start.copy()
    m_, load, f = fresh(g)
    best_g, best_f = g.copy(), f
    tabu = np.zeros((n, groups), dtype=np.int64)
    swaps = np.empty((n, n))
    it = 0
    stall = 0
    while it < limit and n > 1:
        if (it & 7) == 0 and time.perf_counter() >= deadline:
            break
        it += 1
        own = m_[rows, g]
        gain = m_ - own[:, None]
        gain[tabu >= it] = NEG
        gain[rows, g] = NEG
        if any_frozen:
            gain[frozen] = NEG
        b = np.take(gain, g, axis=1)
        np.add(b, b.T, out=swaps)
        swaps -= d2
        if weighted:
            assert dw is not None
            room_lo = (lo - load)[g]
            room_hi = (hi - load)[g]
            swaps[
                (dw < np.maximum(room_lo[:, None], -room_hi[None, :]))
                | (dw > np.minimum(room_hi[:, None], -room_lo[None, :]))
            ] = NEG
        k = int(swaps.argmax())
        i, j = divmod(k, n)
        step = swaps[i, j]
        move_to = -1
        if use_moves:
            leave = (load[g] - w) >= lo[g]
            enter = (load[None, :] + w[:, None]) <= hi[None, :]
            moves = np.where(enter & leave[:, None], gain, NEG)
            km = int(moves.argmax())
            mi, mq = divmod(km, groups)
            if moves[mi, mq] > step:
                step, i, move_to = moves[mi, mq], mi, mq
        if not step > hopeless:
            if not np.any(tabu >= it):
                break  # nothing can move at all (one group, everyone pinned, sizes fixed)
            stall = depth  # everything admissible is tabu: perturb
        else:
            pi = int(g[i])
            if move_to >= 0:
                delta = m_[i, move_to] - m_[i, pi]
                m_[:, pi] -= d[:, i]
                m_[:, move_to] += d[:, i]
                load[pi] -= w[i]
                load[move_to] += w[i]
                g[i] = move_to
                tabu[i, pi] = it + int(rng.integers(p.tenure_min, tenure_max + 1))
            else:
                qj = int(g[j])
                delta = m_[i, qj] - m_[i, pi] + m_[j, pi] - m_[j, qj] - 2.0 * d[i, j]
                diff = d[:, j] - d[:, i]
                m_[:, pi] += diff
                m_[:, qj] -= diff
                g[i], g[j] = qj, pi
                if weighted:
                    load[pi] += w[j] - w[i]
                    load[qj] += w[i] - w[j]
                tabu[i, pi] = it + int(rng.integers(p.tenure_min, tenure_max + 1))
                tabu[j, qj] = it + int(rng.integers(p.tenure_min, tenure_max + 1))
            f += float(delta)
            if f > best_f + 1e-9 * max(1.0, abs(best_f)):
                best_f, best_g[:] = f, g
                stall = 0
            else:
                stall += 1
        if stall >= depth:
            g = best_g.copy() if rng.random() < 0.5 else g
            m_, load, f = fresh(g)
            f = _perturb(units, g, m_, load, f, rng, strength, hopeless)
            m_, load, f = fresh(g)  # also clears rounding drift
            tabu[:] = 0
            stall = 0
    # recompute exactly: the tracked value may carry rounding
    return best_g, unit_objective(units, best_g), it


def _perturb(
    units: Units,
    g: np.ndarray,
    m_: np.ndarray,
    load: np.ndarray,
    f: float,
    rng: np.random.Generator,
    strength: int,
    hopeless: float,
) -> float:
    """Apply `strength` random admissible swaps (or moves, when sizes allow) in place."""
    d, w, lo, hi = units.distances, units.weights, units.min_sizes, units.max_sizes
    movable = np.flatnonzero(units.pinned < 0)
    if movable.size < 2:
        return f
    groups = units.group_count
    if np.any(lo < hi) and rng.random() < 0.5:
        # shift: move units from one group to another until one of them hits its bound, so
        # that the group sizes land on another corner of their box (moves undo single steps)
        p = int(rng.integers(groups))
        q = int(rng.integers(groups))
        members = rng.permutation(np.flatnonzero((g == p) & (units.pinned < 0)))
        for i in members if p != q else []:
            i = int(i)
            if load[p] - w[i] < lo[p] or load[q] + w[i] > hi[q]:
                continue
            delta = m_[i, q] - m_[i, p]
            if not delta > hopeless:
                continue
            m_[:, p] -= d[:, i]
            m_[:, q] += d[:, i]
            load[p] -= w[i]
            load[q] += w[i]
            g[i] = q
            f += float(delta)
    done = 0
    for _ in range(strength * 20):
        if done >= strength:
            break
        i = int(movable[rng.integers(movable.size)])
        pi = int(g[i])
        if rng.random() < 0.3:  # a move, if the sizes allow one
            q = int(rng.integers(units.group_count))
            if q == pi or load[pi] - w[i] < lo[pi] or load[q] + w[i] > hi[q]:
                continue
            delta = m_[i, q] - m_[i, pi]
            if not delta > hopeless:
                continue
            m_[:, pi] -= d[:, i]
            m_[:, q] += d[:, i]
            load[pi] -= w[i]
            load[q] += w[i]
            g[i] = q
        else:
            j = int(movable[rng.integers(movable.size)])
            qj = int(g[j])
            if qj == pi:
                continue
            change = int(w[j] - w[i])
            if not (
                lo[pi] <= load[pi] + change <= hi[pi] and lo[qj] <= load[qj] - change <= hi[qj]
            ):
                continue
            delta = m_[i, qj] - m_[i, pi] + m_[j, pi] - m_[j, qj] - 2.0 * d[i, j]
            if not delta > hopeless:
                continue
            diff = d[:, j] - d[:, i]
            m_[:, pi] += diff
            m_[:, qj] -= diff
            load[pi] += change
            load[qj] -= change
            g[i], g[j] = qj, pi
        f += float(delta)
        done += 1
    return f
