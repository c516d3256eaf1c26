"""A prioritisation round's ranking: plain data in, plain data out.

Each board member's score of a proposal is Σ weight · (value − min) / (max − min) ÷ Σ weight
over the criteria the member scored, so that criteria on different scales count alike and a
member who left a criterion out is judged on the rest. It lies between 0 and 1 and is shown
as 0–100. A member whose scored criteria all weigh 0 gives no score. A proposal's weighted
score is the mean of its members' scores; None until someone has scored it.

Tie rule (scores compared rounded to 1e-9, so that float noise never decides):

1. higher weighted score first;
2. equal scores share a rank and the next rank is skipped (1, 2, 2, 4); within a tie the
   proposals stay in the order given (the order they were entered in the round);
3. proposals without a score come last, in the order given, without a rank.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

PRECISION = 9


@dataclass(frozen=True)
class Criterion:
    id: int
    weight: float
    scale_min: int
    scale_max: int

    def normalised(self, value: float) -> float:
        """The value as a share of the scale: 0 at its minimum, 1 at its maximum."""
        return (value - self.scale_min) / (self.scale_max - self.scale_min)


@dataclass(frozen=True)
class ScoreInput:
    proposal: Hashable
    criterion: int
    member: Hashable
    value: float


@dataclass(frozen=True)
class Ranked:
    proposal: Hashable
    score: float | None  # 0–100
    rank: int | None  # None for a proposal nobody has scored


def member_scores(
    criteria: Sequence[Criterion], scores: Iterable[ScoreInput]
) -> dict[Hashable, dict[Hashable, float]]:
    """Per proposal, per member, the member's score 0–100. Scores of unknown criteria are
    ignored; a member whose scored criteria all weigh 0 is left out."""
    by_id = {c.id: c for c in criteria}
    sums: dict[tuple[Hashable, Hashable], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for score in scores:
        criterion = by_id.get(score.criterion)
        if criterion is None:
            continue
        totals = sums[(score.proposal, score.member)]
        totals[0] += criterion.weight * criterion.normalised(score.value)
        totals[1] += criterion.weight
    result: dict[Hashable, dict[Hashable, float]] = defaultdict(dict)
    for (proposal, member), (weighted, weights) in sums.items():
        if weights > 0:
            result[proposal][member] = 100 * weighted / weights
    return dict(result)


def weighted_scores(
    criteria: Sequence[Criterion], proposals: Sequence[Hashable], scores: Iterable[ScoreInput]
) -> dict[Hashable, float | None]:
    """Per proposal the mean of its members' scores (0–100), None when nobody scored it."""
    per_member = member_scores(criteria, scores)
    result: dict[Hashable, float | None] = {}
    for proposal in proposals:
        given = per_member.get(proposal, {})
        result[proposal] = sum(given.values()) / len(given) if given else None
    return result


def rank(proposals: Sequence[Hashable], scores: dict[Hashable, float | None]) -> list[Ranked]:
    """The proposals ranked by their weighted scores (see the module's tie rule)."""
    given = [(p, scores.get(p)) for p in proposals]
    scored = [(p, s) for p, s in given if s is not None]
    # sorted() is stable: a tie keeps the order given.
    scored.sort(key=lambda item: -round(item[1], PRECISION))
    result: list[Ranked] = []
    previous: float | None = None
    for position, (proposal, score) in enumerate(scored, start=1):
        rounded = round(score, PRECISION)
        rank_ = result[-1].rank if previous == rounded else position
        result.append(Ranked(proposal, score, rank_))
        previous = rounded
    result += [Ranked(p, None, None) for p, s in given if s is None]
    return result
