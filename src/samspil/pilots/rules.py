"""Pure rules of pilots: month arithmetic for the length warnings, the status transitions and
how the maturity stage may move. No Django here; the services apply these.
"""

import calendar
from datetime import date

# Helsingborg's stages in order; "outcome" is the last and carries the decision.
STAGES = ("idea", "pretotype", "prototype", "proof_of_concept", "outcome")
OUTCOME_STAGE = "outcome"

# planned → running → completed/stopped; a planned pilot may also be stopped before it runs.
STATUS_TRANSITIONS = {
    "planned": frozenset({"running", "stopped"}),
    "running": frozenset({"completed", "stopped"}),
    "completed": frozenset(),
    "stopped": frozenset(),
}
ENDED_STATUSES = frozenset({"completed", "stopped"})


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter
    (31 January + 1 month = 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def plan_exceeds_max(starts_on: date, planned_end_on: date, max_months: int | None) -> bool:
    """Whether the planned end lies beyond the programme's maximum length."""
    if not max_months:
        return False
    return planned_end_on > add_months(starts_on, max_months)


def running_past_max(starts_on: date, today: date, max_months: int | None) -> bool:
    """Whether a pilot still running today has passed the programme's maximum length."""
    if not max_months:
        return False
    return today > add_months(starts_on, max_months)


def can_change_status(current: str, new: str) -> bool:
    return new in STATUS_TRANSITIONS.get(current, frozenset())


def can_move_stage(current: str, new: str) -> bool:
    """Stages move forward any number of steps (not every idea needs a pretotype) but back
    only one step (to redo the stage before); staying put lets the outcome be revised."""
    old_index, new_index = STAGES.index(current), STAGES.index(new)
    return new_index >= old_index - 1
