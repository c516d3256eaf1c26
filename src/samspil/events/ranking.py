"""The jury's ranking of a hackathon's submissions: plain data in, plain data out.

Per submission, the mean score on each criterion is taken over the jurors who scored it, and
the weighted score is Σ weight · mean ÷ Σ weight over the criteria that have a mean, so it
stays on the 1–5 scale. Submissions are ranked by the weighted score, highest first.

Tie rule (scores compared rounded to 1e-9, so that float noise never decides):

1. equal weighted scores are broken by the mean on the highest-weighted criterion, then on the
   next highest, and so on (equal weights in the order the criteria are given);
2. then the earlier submission wins;
3. still equal ⇒ a shared rank, and the next rank is skipped (1, 2, 2, 4).

A missing score (no weighted score, or no mean on a criterion) ranks below any given one.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

PRECISION = 9


@dataclass(frozen=True)
class CriterionInput:
    id: int
    weight: float


@dataclass(frozen=True)
class SubmissionInput:
    """``submitted_at``: any sortable value; ``jurors``: who is expected to score it (jurors
    who are members of the team are left out), for completeness."""

    id: int
    submitted_at: Any
    jurors: frozenset[int] = frozenset()


@dataclass(frozen=True)
class ScoreInput:
    submission: int
    criterion: int
    juror: int
    value: int


@dataclass
class RankedResult:
    submission: int
    rank: int
    weighted: float | None
    means: dict[int, float | None]  # by criterion id, in the criteria's order
    scored: int  # (juror, criterion) pairs scored among those expected
    expected: int
    sort_key: tuple = field(repr=False, compare=False, default=())

    @property
    def complete(self) -> bool:
        return self.scored >= self.expected

    @property
    def completeness(self) -> float:
        """Share of the expected scores that are given (1.0 when none is expected)."""
        return self.scored / self.expected if self.expected else 1.0


def _rounded(value: float | None) -> tuple[int, float]:
    # (0, −x) sorts higher scores first; (1, 0) puts a missing value after every given one.
    if value is None:
        return (1, 0.0)
    return (0, -round(value, PRECISION))


def tie_order(criteria: Sequence[CriterionInput]) -> list[int]:
    """Criterion ids in tie-breaking order: highest weight first, then as given."""
    return [c.id for c in sorted(criteria, key=lambda c: -c.weight)]


def rank(
    criteria: Sequence[CriterionInput],
    submissions: Sequence[SubmissionInput],
    scores: Iterable[ScoreInput],
) -> list[RankedResult]:
    """The submissions ranked (see the module's tie rule); scores of unknown submissions or
    criteria are ignored."""
    criterion_ids = [c.id for c in criteria]
    weights = {c.id: float(c.weight) for c in criteria}
    known = {s.id for s in submissions}
    values: dict[tuple[int, int], list[int]] = defaultdict(list)
    pairs: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for score in scores:
        if score.submission not in known or score.criterion not in weights:
            continue
        values[(score.submission, score.criterion)].append(score.value)
        pairs[score.submission].add((score.juror, score.criterion))
    order = tie_order(criteria)
    results = []
    for submission in submissions:
        means: dict[int, float | None] = {}
        for cid in criterion_ids:
            given = values.get((submission.id, cid))
            means[cid] = sum(given) / len(given) if given else None
        scored_weights = [weights[cid] for cid in criterion_ids if means[cid] is not None]
        weighted = (
            sum(weights[cid] * m for cid, m in means.items() if m is not None) / sum(scored_weights)
            if scored_weights
            else None
        )
        expected = {(j, cid) for j in submission.jurors for cid in criterion_ids}
        key = (
            _rounded(weighted),
            *(_rounded(means[cid]) for cid in order),
            submission.submitted_at,
        )
        results.append(
            RankedResult(
                submission=submission.id,
                rank=0,
                weighted=weighted,
                means=means,
                scored=len(pairs[submission.id] & expected),
                expected=len(expected),
                sort_key=key,
            )
        )
    results.sort(key=lambda r: r.sort_key)
    for position, result in enumerate(results, start=1):
        previous = results[position - 2] if position > 1 else None
        if previous is not None and previous.sort_key == result.sort_key:
            result.rank = previous.rank
        else:
            result.rank = position
    return results
