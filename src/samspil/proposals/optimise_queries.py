"""The last optimisation of a round as the page and the API show it: funded and left-out
proposals with their values and costs, the use of each budget, the greedy ranking compared and
a translated sentence for each reason code. Two queries: the run and the visible entries.

Only the proposals the reader may see are listed; the totals are the run's.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samspil.core import permissions

from . import round_queries
from .economy_services import DECIMALS, format_amount
from .models import BudgetArea, Choice, Objective, OptimisationRun, Round, RoundEntry


def last_run(round_: Round) -> OptimisationRun | None:
    return (
        OptimisationRun.objects.filter(round=round_)
        .select_related("run_by")
        .order_by("-run_at", "-pk")
        .first()
    )


def amount(value: float | None) -> str:
    """1,000s of the currency in the reader's language, with decimals only when the amounts
    have them: Danish "2.700", "1.500,50". The optimiser adds in floats: cents are kept."""
    if value is None:
        return ""
    number = Decimal(str(round(value, DECIMALS)))
    return format_amount(number if number else Decimal(0))  # never "-0"


def value_text(value: float | None, objective: str) -> str:
    """A weighted score with one decimal, a net present value in whole 1,000s (as on the
    proposal page)."""
    if value is None:
        return ""
    if objective == Objective.SCORE:
        return number_format(value, 1, use_l10n=True, force_grouping=True)
    return amount(round(value))


def budget_name(year: int | None, area: str | None) -> str:
    # Mid-sentence: "the 2021 budget for service" (the labels are capitalised for headings).
    label = str(BudgetArea(area).label).lower() if area else ""
    if year is not None and area:
        return _("the %(year)s budget for %(area)s") % {"year": year, "area": label}
    if year is not None:
        return _("the %(year)s budget") % {"year": year}
    if area:
        return _("the budget for %(area)s") % {"area": label}
    return _("the total budget")


def _titles(keys, titles: dict[int, str]) -> str:
    names = [titles.get(key, _("a proposal you may not see")) for key in keys]
    return ", ".join(f"“{name}”" for name in names)


def reason_text(code: str, params: dict, objective: str, titles: dict[int, str]) -> str:
    """The sentence for a reason code; ``titles`` names the proposals it mentions."""
    p = dict(params)
    value = value_text(p.get("value"), objective)
    budget = budget_name(p.get("year"), p.get("area"))
    if code == "must_include":
        return _("Fixed by the round as must be funded.")
    if code == "selected":
        return _(
            "Funded: part of the most valuable portfolio within the budgets (value %(value)s, "
            "costs %(cost)s)."
        ) % {"value": value, "cost": amount(p["cost"])}
    if code == "must_exclude":
        return _("Not funded: fixed by the round as must not be funded.")
    if code == "no_value":
        return _("Not funded: its value (%(value)s) adds nothing to the portfolio.") % {
            "value": value
        }
    if code == "over_budget":
        return _(
            "Not funded: it alone costs %(cost)s under %(budget)s of %(amount)s, "
            "%(short)s more than the budget holds."
        ) % {
            "cost": amount(p["cost"]),
            "budget": budget,
            "amount": amount(p["amount"]),
            "short": amount(p["short_by"]),
        }
    if code == "budget_full":
        text = _(
            "Not funded: it would exceed %(budget)s by %(short)s, and the proposals that must "
            "be funded leave no room for it."
        ) % {"budget": budget, "short": amount(p["short_by"])}
    else:  # lower_value
        text = _(
            "Not funded: it would exceed %(budget)s by %(short)s. Making room would mean "
            "dropping %(drop)s, worth %(drop_value)s together; it is worth %(value)s."
        ) % {
            "budget": budget,
            "short": amount(p["short_by"]),
            "drop": _titles(p["drop"], titles),
            "drop_value": value_text(p["drop_value"], objective),
            "value": value,
        }
    others = p.get("other_budgets", 0)
    if others:
        text += " " + ngettext(
            "It would exceed %(count)s other budget too.",
            "It would exceed %(count)s other budgets too.",
            others,
        ) % {"count": others}
    return text


@dataclass
class Line:
    """A proposal of the run as one row."""

    entry: RoundEntry | None  # None when the reader may not see it
    proposal_id: int
    value: float
    value_text: str
    costs: list[tuple[int, str, str]]  # (year, area label, amount)
    cost_total: str
    funded: bool
    greedy_funded: bool
    code: str
    params: dict
    reason: str


@dataclass
class BudgetLine:
    name: str
    amount: str
    used: str
    greedy_used: str
    percent: int  # of the amount, for the bar; capped at 100
    over: bool


@dataclass
class RunView:
    run: OptimisationRun
    status_line: str
    funded: list[Line]
    left_out: list[Line]
    budgets: list[BudgetLine]
    only_optimal: list[Line]  # funded by the optimum, not by the ranking
    only_greedy: list[Line]  # the other way round
    value: str
    greedy_value: str
    gap: str  # how much more the optimum is worth, in percent of the ranking's value
    hidden: int  # proposals of the run the reader may not see
    over_budgets: list[BudgetLine]


def _percent(used: float, of: float) -> int:
    if of <= 0:
        return 100 if used > 0 else 0
    return max(0, min(100, round(100 * used / of)))


def status_line(run: OptimisationRun) -> str:
    # A small round solves in milliseconds: never claim it took no time at all.
    seconds = number_format(max(run.seconds, 0.01), 2, use_l10n=True)
    if run.status == "optimal":
        return _("Solved in %(seconds)s s — proven optimal.") % {"seconds": seconds}
    if run.status == "time_limit":
        return _(
            "Stopped at the time limit after %(seconds)s s: the best portfolio found, not "
            "proven optimal."
        ) % {"seconds": seconds}
    return _("No portfolio fits the budgets: the proposals that must be funded exceed them.")


def run_view(run: OptimisationRun, entries: list[RoundEntry]) -> RunView:
    """The run laid out for the reader; ``entries`` are those the reader may see."""
    data = run.result
    visible = {entry.proposal_id: entry for entry in entries}
    titles = {pk: entry.proposal.title for pk, entry in visible.items()}
    selected, greedy = set(data.get("selected", [])), set(data.get("greedy", []))
    lines = []
    hidden = 0
    for key, candidate in data.get("candidates", {}).items():
        pk = int(key)
        if pk not in visible:
            hidden += 1
            continue
        reason = data.get("reasons", {}).get(key, {"code": "", "params": {}})
        costs = [
            (year, str(BudgetArea(area).label) if area in BudgetArea.values else area, amount(cost))
            for year, area, cost in candidate["costs"]
        ]
        lines.append(
            Line(
                entry=visible[pk],
                proposal_id=pk,
                value=candidate["value"],
                value_text=value_text(candidate["value"], run.objective),
                costs=costs,
                cost_total=amount(sum(cost for _y, _a, cost in candidate["costs"])),
                funded=pk in selected,
                greedy_funded=pk in greedy,
                code=reason["code"],
                params=reason["params"],
                reason=reason_text(reason["code"], reason["params"], run.objective, titles)
                if reason["code"]
                else "",
            )
        )
    lines.sort(key=lambda line: (-line.value, line.proposal_id))
    budgets = [
        BudgetLine(
            name=budget_name(b["year"], b["area"]),
            amount=amount(b["amount"]),
            used=amount(b["used"]),
            greedy_used=amount(b["greedy_used"]),
            percent=_percent(b["used"], b["amount"]),
            over=b["used"] > b["amount"] + 1e-6,
        )
        for b in data.get("budgets", [])
    ]
    value, greedy_value = run.value, run.greedy_value
    gap = ""
    if value is not None and greedy_value:
        gap = number_format(100 * (value - greedy_value) / abs(greedy_value), 1, use_l10n=True)
    return RunView(
        run=run,
        status_line=status_line(run),
        funded=[line for line in lines if line.funded],
        left_out=[line for line in lines if not line.funded],
        budgets=budgets,
        only_optimal=[line for line in lines if line.funded and not line.greedy_funded],
        only_greedy=[line for line in lines if line.greedy_funded and not line.funded],
        value=value_text(value, run.objective),
        greedy_value=value_text(greedy_value, run.objective),
        gap=gap,
        hidden=hidden,
        over_budgets=[line for line in budgets if line.over],
    )


def panel_context(
    round_: Round, user, *, message: str = "", error: str = "", objective: str | None = None
) -> dict:
    """What the optimiser panel of the round page shows, in a constant number of queries (the
    last run, the entries the reader may see, and the reader's roles)."""
    entries = round_queries.entries_of(round_, user)
    run = last_run(round_)
    return {
        "round": round_,
        "can_edit": permissions.can_edit_round(user, round_),
        "entries": entries,
        "view": run_view(run, entries) if run else None,
        "objectives": Objective.choices,
        "objective": objective if objective in Objective.values else round_.objective,
        "choices": Choice.choices,
        "message": message,
        "error": error,
    }
