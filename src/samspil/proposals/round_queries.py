"""Permission-filtered reads of prioritisation rounds: lists, the round page's parts, scores
and the ranking; each in a constant number of queries.

Scores are blind while scoring is open: a board member reads only their own. Once the
scoring deadline has passed, the ranking and every member's scores are open to whoever sees
the round. Only the scores of the current board count: a member taken off the board takes
their scores out of the ranking.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from samspil.core import permissions
from samspil.core.models import Organisation, User

from . import scoring
from .models import (
    Proposal,
    ProposalState,
    Round,
    RoundBudget,
    RoundCriterion,
    RoundEntry,
    Score,
)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def submission_open(round_: Round, now: datetime | None = None) -> bool:
    return _now(now) < round_.submission_deadline


def scoring_closed(round_: Round, now: datetime | None = None) -> bool:
    return _now(now) >= round_.scoring_deadline


def price_level_year(round_: Round) -> int | None:
    """The price-level year of the round's amounts: its first entry's (None while empty)."""
    first = round_.entries.order_by("entered_at", "pk").values("proposal__price_level_year")[:1]
    return next((row["proposal__price_level_year"] for row in first), None)


def rounds_for_list(user) -> QuerySet[Round]:
    return (
        permissions.rounds_visible_to(user)
        .select_related("owner")
        .annotate(entry_count=Count("entries", distinct=True))
        .order_by("-submission_deadline", "pk")
    )


def round_with_details(user, pk) -> Round:
    """The round (404 when unseen) with its budgets, criteria and board loaded."""
    round_ = permissions.get_round_for_user(user, pk)
    return (
        Round.objects.select_related("owner", "created_by")
        .prefetch_related(
            Prefetch("budgets", queryset=RoundBudget.objects.order_by("year", "budget_area")),
            Prefetch("criteria", queryset=RoundCriterion.objects.order_by("position", "pk")),
            Prefetch("board", queryset=User.objects.order_by("first_name", "last_name", "pk")),
        )
        .get(pk=round_.pk)
    )


def entries_of(round_: Round, user=None) -> list[RoundEntry]:
    """The entries with their proposals and owners, in the order they were entered; with
    ``user``, only those whose proposal the user may see (the board sees them all)."""
    entries = round_.entries.select_related("proposal__owner", "entered_by").order_by(
        "entered_at", "pk"
    )
    if user is not None:
        entries = entries.filter(proposal__in=permissions.proposals_visible_to(user).values("pk"))
    return list(entries)


def criteria_of(round_: Round) -> list[RoundCriterion]:
    return list(round_.criteria.order_by("position", "pk"))


def _scoring_criteria(criteria: Iterable[RoundCriterion]) -> list[scoring.Criterion]:
    return [
        scoring.Criterion(
            id=c.pk, weight=float(c.weight), scale_min=c.scale_min, scale_max=c.scale_max
        )
        for c in criteria
    ]


def board_scores(round_: Round) -> QuerySet[Score]:
    """The scores that count: those of the round's current board members."""
    return Score.objects.filter(entry__round=round_, member__in=round_.board.values("pk"))


def _score_inputs(round_: Round) -> list[scoring.ScoreInput]:
    rows = board_scores(round_).values_list(
        "entry__proposal_id", "criterion_id", "member_id", "value"
    )
    return [scoring.ScoreInput(p, c, m, v) for p, c, m, v in rows]


def weighted_scores(round_: Round) -> dict[int, float | None]:
    """Proposal id → weighted score 0–100 (``scoring``), None until scored."""
    proposals = list(
        round_.entries.order_by("entered_at", "pk").values_list("proposal_id", flat=True)
    )
    return scoring.weighted_scores(  # type: ignore[return-value]
        _scoring_criteria(criteria_of(round_)), proposals, _score_inputs(round_)
    )


@dataclass
class MemberScores:
    member: User
    score: float | None  # 0–100
    cells: list[Score | None]  # in the criteria's order


@dataclass
class RankedEntry:
    entry: RoundEntry
    proposal: Proposal
    score: float | None
    rank: int | None
    member_scores: list[MemberScores] = field(default_factory=list)  # only when closed


def ranking(round_: Round, user=None, now: datetime | None = None) -> list[RankedEntry]:
    """The entries ranked by weighted score (``scoring.rank``); each member's scores are
    filled in only when scoring has closed. With ``user``, ranks count every entry but only
    the proposals the user may see are listed."""
    entries = entries_of(round_)
    criteria = criteria_of(round_)
    plain_criteria = _scoring_criteria(criteria)
    inputs = _score_inputs(round_)
    order = [e.proposal_id for e in entries]
    ranked = scoring.rank(order, scoring.weighted_scores(plain_criteria, order, inputs))
    by_proposal = {e.proposal_id: e for e in entries}
    result = [
        RankedEntry(
            entry=by_proposal[r.proposal],  # type: ignore[index]
            proposal=by_proposal[r.proposal].proposal,  # type: ignore[index]
            score=r.score,
            rank=r.rank,
        )
        for r in ranked
    ]
    if user is not None:
        visible = {e.pk for e in entries_of(round_, user)}
        result = [line for line in result if line.entry.pk in visible]
    if not scoring_closed(round_, now):
        return result
    per_member = scoring.member_scores(plain_criteria, inputs)
    rows: dict[tuple[int, int], dict[int, Score]] = defaultdict(dict)
    for item in board_scores(round_):
        rows[(item.entry_id, item.member_id)][item.criterion_id] = item
    board = list(round_.board.order_by("first_name", "last_name", "pk"))
    for line in result:
        given = per_member.get(line.proposal.pk, {})
        line.member_scores = [
            MemberScores(
                member,
                given.get(member.pk),
                [rows[(line.entry.pk, member.pk)].get(c.pk) for c in criteria],
            )
            for member in board
        ]
    return result


@dataclass
class MemberProgress:
    member: User
    scored: int  # entries the member has scored on every criterion
    started: int  # entries with at least one of the member's scores


def scoring_progress(round_: Round, board: list[User]) -> list[MemberProgress]:
    """Who has scored how many entries: counts only, no values (scores are blind)."""
    needed = round_.criteria.count()
    counts = (
        Score.objects.filter(entry__round=round_)
        .values("member_id", "entry_id")
        .annotate(count=Count("pk"))
    )
    scored: dict[int, int] = defaultdict(int)
    started: dict[int, int] = defaultdict(int)
    for row in counts:
        started[row["member_id"]] += 1
        if needed and row["count"] >= needed:
            scored[row["member_id"]] += 1
    return [MemberProgress(m, scored[m.pk], started[m.pk]) for m in board]


def own_scores(round_: Round, user) -> dict[int, dict[int, Score]]:
    """Entry id → criterion id → the user's own score."""
    if not user.is_authenticated:
        return {}
    result: dict[int, dict[int, Score]] = defaultdict(dict)
    for item in Score.objects.filter(entry__round=round_, member=user.pk):
        result[item.entry_id][item.criterion_id] = item
    return dict(result)


def tree_of(organisation: Organisation) -> set[int]:
    """The organisation, its parts and those above it: the rounds it may enter."""
    return permissions._with_descendants({organisation.pk}) | permissions._with_ancestors(
        {organisation.pk}
    )


def proposal_entries(user, proposal: Proposal) -> list[RoundEntry]:
    """The rounds the proposal is in that the user may see."""
    visible = permissions.rounds_visible_to(user).values("pk")
    return list(
        proposal.round_entries.filter(round__in=visible)
        .select_related("round")
        .order_by("round__submission_deadline", "pk")
    )


def open_rounds_for(user, proposal: Proposal, now: datetime | None = None) -> list[Round]:
    """Rounds of the proposal's organisation tree the user sees, still open for entries, that
    the proposal is not in; none unless the proposal is submitted."""
    if proposal.state != ProposalState.SUBMITTED:
        return []
    return list(
        permissions.rounds_visible_to(user)
        .filter(owner_id__in=tree_of(proposal.owner), submission_deadline__gt=_now(now))
        .exclude(entries__proposal=proposal)
        .order_by("submission_deadline", "pk")
    )
