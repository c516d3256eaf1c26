"""Solving a round's best portfolio, and the editors' fixed choices per proposal.

The round's entries become candidates of :mod:`samspil.optimisation.portfolio`: worth their
weighted score (once scoring has closed: the scores are blind until then) or their net present
value in the likely scenario, costing their positive yearly amounts per budget area. The run
is stored with everything the page and the API show (values, costs, budget use, reason codes),
so that it reads the same later even when the proposals change.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from samspil.core import permissions
from samspil.core.models import User
from samspil.optimisation import portfolio

from . import economy_queries, round_queries
from .models import Choice, Objective, OptimisationRun, Round, RoundEntry

# Solving runs in the request: rounds of tens of proposals take milliseconds; this bounds a
# large one, which then keeps the best portfolio found.
TIME_LIMIT_SECONDS = 10.0


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _values(round_: Round, objective: str, proposal_ids: list[int], economics) -> dict:
    if objective == Objective.NPV:
        return {pk: float(economics[pk].figures["likely"].npv) for pk in proposal_ids}
    if not round_queries.scoring_closed(round_):
        raise ValidationError(
            {
                "objective": _(
                    "The weighted scores stay hidden until scoring closes; until then, "
                    "optimise by net present value."
                )
            }
        )
    scores = round_queries.weighted_scores(round_)
    if all(scores.get(pk) is None for pk in proposal_ids):
        raise ValidationError(
            {"objective": _("No proposal has been scored yet: there is no weighted score to use.")}
        )
    # An unscored proposal is worth nothing: funded only when it must be.
    return {pk: scores.get(pk) or 0.0 for pk in proposal_ids}


def _stored(result: portfolio.PortfolioResult, candidates: list[portfolio.Candidate]) -> dict:
    """The run as JSON: ids, numbers and reason codes, never text."""
    return {
        "selected": list(result.selected),
        "greedy": list(result.greedy_selected),
        "bound": result.bound,
        "reasons": {
            str(key): {"code": reason.code, "params": reason.params}
            for key, reason in result.reasons.items()
        },
        "candidates": {
            str(c.key): {
                "value": c.value,
                "costs": [[year, area, cost] for (year, area), cost in sorted(c.costs.items())],
            }
            for c in candidates
        },
        "budgets": [
            {
                "year": use.budget.year,
                "area": use.budget.area,
                "amount": use.budget.amount,
                "used": use.used,
                "greedy_used": use.greedy_used,
            }
            for use in result.budget_use
        ],
    }


def optimise_round(actor: User, round_: Round, objective: str | None = None) -> OptimisationRun:
    """Solve and store the round's best portfolio under its budgets and fixed choices."""
    _require(permissions.can_edit_round(actor, round_))
    objective = objective or round_.objective
    if objective not in Objective.values:
        raise ValidationError({"objective": _("Choose the weighted score or net present value.")})
    entries = list(round_.entries.order_by("entered_at", "pk"))
    if not entries:
        raise ValidationError(
            {"round": _("The round has no proposals yet: enter proposals before optimising.")}
        )
    ids = [entry.proposal_id for entry in entries]
    economics = economy_queries.economics_by_proposal(ids)
    values = _values(round_, objective, ids, economics)
    candidates = [
        portfolio.Candidate(
            pk,
            values[pk],
            {key: float(cost) for key, cost in economics[pk].figures["likely"].costs.items()},
        )
        for pk in ids
    ]
    budgets = [
        portfolio.Budget(float(budget.amount), budget.year, budget.budget_area or None)
        for budget in round_.budgets.all()
    ]
    result = portfolio.optimise(
        candidates,
        budgets,
        must_include=[e.proposal_id for e in entries if e.choice == Choice.INCLUDE],
        must_exclude=[e.proposal_id for e in entries if e.choice == Choice.EXCLUDE],
        time_limit=TIME_LIMIT_SECONDS,
    )
    feasible = result.status != "infeasible"
    # Solving happens outside a transaction (it may take seconds); the run is one insert.
    return OptimisationRun.objects.create(
        round=round_,
        objective=objective,
        status=result.status,
        value=result.value if feasible else None,
        greedy_value=result.greedy_value if feasible else None,
        result=_stored(result, candidates),
        seconds=result.seconds,
        run_by=actor,
    )


def set_choice(actor: User, entry: RoundEntry, choice: str) -> RoundEntry:
    """Fix a proposal in or out of the portfolio, or leave it to the optimiser ("")."""
    _require(permissions.can_edit_round(actor, entry.round))
    if choice not in Choice.values:
        raise ValidationError({"choice": _("Choose must be funded, must not be funded or free.")})
    entry.choice = choice
    entry._history_user = actor  # type: ignore[attr-defined]
    entry.save(update_fields=["choice"])
    return entry
