"""Combining lexical scores with embedding cosines into one ranking.

Two fusions are offered, measured on the labelled set in ``benchmarks/matching.py``:

- ``"weighted"``: ``weight × lexical + (1 − weight) × cosine``, each min–max normalised over
  the candidates (e5 cosines sit close together, so raw values are not comparable with
  lexical ones);
- ``"rrf"``: reciprocal-rank fusion, ``Σ 1 / (k + rank)``.

Documents without a stored vector keep their lexical score alone (their cosine part is
the candidates' lowest), so a need whose embedding is still being computed is not lost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np

from .lexical import Match

__all__ = ["DEFAULT_METHOD", "DEFAULT_WEIGHT", "rank"]

DEFAULT_METHOD: Literal["weighted", "rrf"] = "weighted"
DEFAULT_WEIGHT = 0.2  # best of 0.2/0.4/0.6/RRF on both benchmark sets
RRF_K = 60


def _minmax(values: np.ndarray) -> np.ndarray:
    low, high = float(values.min()), float(values.max())
    if high - low <= 1e-12:
        return np.ones_like(values)
    return (values - low) / (high - low)


def rank(
    query_text: str,
    lexical_matches: Sequence[Match],
    query_vector: np.ndarray | None = None,
    vectors: Mapping[int, np.ndarray] | None = None,
    limit: int = 10,
    *,
    method: Literal["weighted", "rrf"] = DEFAULT_METHOD,
    weight: float = DEFAULT_WEIGHT,
) -> list[Match]:
    """Re-rank lexical candidates with embedding cosines when a query vector is given.

    ``query_text`` is kept for symmetry with the lexical engine (and future fusions); the
    candidates already carry their lexical scores. Ties are broken by id.
    """
    del query_text
    if not lexical_matches:
        return []
    if query_vector is None or not vectors:
        ordered = sorted(lexical_matches, key=lambda m: (-m.score, m.id))
        return list(ordered[:limit])
    ids = [m.id for m in lexical_matches]
    lexical = np.array([m.score for m in lexical_matches], dtype=np.float64)
    has_vector = np.array([i in vectors for i in ids])
    cosine = np.full(len(ids), np.nan)
    if has_vector.any():
        stacked = np.stack([vectors[i] for i in ids if i in vectors]).astype(np.float32)
        cosine[has_vector] = stacked @ np.asarray(query_vector, dtype=np.float32)
    if method == "rrf":
        lexical_rank = np.argsort(np.argsort(-lexical, kind="stable"), kind="stable")
        fused = 1.0 / (RRF_K + 1 + lexical_rank)
        if has_vector.any():
            known = np.flatnonzero(has_vector)
            order = known[np.argsort(-cosine[known], kind="stable")]
            cosine_rank = np.empty(len(ids))
            cosine_rank[order] = np.arange(order.size)
            fused[known] += 1.0 / (RRF_K + 1 + cosine_rank[known])
    elif method == "weighted":
        fused = weight * _minmax(lexical)
        if has_vector.any():
            filled = np.where(has_vector, cosine, np.nanmin(cosine))
            fused = fused + (1.0 - weight) * _minmax(filled)
    else:
        raise ValueError(f"unknown method {method!r}")
    best = sorted(range(len(ids)), key=lambda i: (-fused[i], ids[i]))
    return [Match(ids[i], float(fused[i])) for i in best[:limit]]
