"""Every write of a proposal's economic table: lines (group, budget area, label, order) and
their cells. Pages, the API and the XLSX import call these.

Who may: ``permissions.can_edit_proposal``. A cell is a value, a range (low ≤ high, no
value) or a three-point estimate (low ≤ value ≤ high), each at most ``AMOUNT_LIMIT`` (in
1,000) with two decimals, in a year of the table. A save of several lines stores all of them
or none: every problem is reported with its line and year (:class:`TableInvalid`).

Cells typed as text are read by :func:`parse_cell` in the active language: "2.700" is 2,700
in Danish and "2,700" is 2,700 in English; "1500-3000" (or with "–") is a range and
"1000/1500/3000" a three-point estimate.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import formats
from django.utils.translation import gettext as _

from samspil.core import permissions
from samspil.core.models import User

from .economy_queries import ordered_lines
from .models import AMOUNT_LIMIT, BudgetArea, EconomicLine, LineGroup, LineValue, Proposal

LABEL_MAX = 300  # EconomicLine.label
DECIMALS = 2  # LineValue's decimal places
MAX_LINES = 500


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# Cells -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """What a cell holds: ``value`` alone, ``low`` and ``high`` (a range) or all three."""

    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None

    @classmethod
    def of(cls, stored: LineValue) -> Cell:
        return cls(stored.value, stored.low, stored.high)


NOT_A_NUMBER = "not_a_number"
_SPACES = re.compile(r"[\s\u00a0\u202f]")
# A number as typed: a sign, then digits with separators inside, ending with a digit.
_NUMBER = r"[+\-\u2212]?\s*\d(?:[\d.,\s\u00a0\u202f]*\d)?"
_RANGE = re.compile(rf"^({_NUMBER})\s*[-\u2013\u2014]\s*({_NUMBER})$")
_THREE = re.compile(rf"^({_NUMBER})\s*/\s*({_NUMBER})\s*/\s*({_NUMBER})$")


def not_a_number_message() -> str:
    return _("Enter a number, a range such as 1500–3000 or three estimates such as 1000/1500/3000.")


def parse_number(text: str) -> Decimal | None:
    """A number typed in the active language, or None. Spaces group thousands anywhere; the
    language's other separator ("." in Danish, "," in English) only as a thousands separator
    in groups of three, so "1.5" in Danish is refused rather than read as 15."""
    decimal = formats.get_format("DECIMAL_SEPARATOR")
    grouping = "." if decimal == "," else ","
    text = _SPACES.sub("", text).replace("\u2212", "-")
    sign, digits = "", text
    if digits[:1] in "+-":
        sign, digits = digits[0].replace("+", ""), digits[1:]
    d, g = re.escape(decimal), re.escape(grouping)
    if not re.fullmatch(rf"(\d+|\d{{1,3}}({g}\d{{3}})+)({d}\d+)?", digits):
        return None
    try:
        return Decimal(sign + digits.replace(grouping, "").replace(decimal, "."))
    except InvalidOperation:
        return None


def parse_cell(text: str) -> Cell | None:
    """The cell typed as ``text`` (None when blank). ValidationError (code
    ``not_a_number``) when it is neither a number, a range nor three estimates; the amounts
    themselves are checked by :func:`cell_problem`."""
    text = (text or "").strip()
    if not text:
        return None
    for pattern, make in (
        (_THREE, lambda low, value, high: Cell(value, low, high)),
        (_RANGE, lambda low, high: Cell(None, low, high)),
    ):
        match = pattern.match(text)
        if match:
            numbers = [parse_number(part) for part in match.groups()]
            if all(n is not None for n in numbers):
                return make(*numbers)
    number = parse_number(text)
    if number is None:
        raise ValidationError(not_a_number_message(), code=NOT_A_NUMBER)
    return Cell(number)


def format_amount(amount: Decimal) -> str:
    """An amount as the language writes it, with decimals only when it has them."""
    places = 0 if amount == amount.to_integral_value() else DECIMALS
    return formats.number_format(amount, places, use_l10n=True, force_grouping=True)


def range_text(low: str, high: str, negative: bool) -> str:
    """ "1.500–3.000"; with spaces when the minimum is negative ("-600 – -300"), which reads
    better and is still typed back the same."""
    return f"{low} – {high}" if negative else f"{low}–{high}"


def format_cell(cell: Cell | LineValue | None) -> str:
    """The text a user would type for the cell: "1.000", "1.500–3.000", "1.000/1.500/3.000"."""
    if cell is None:
        return ""
    if cell.low is not None and cell.high is not None:
        if cell.value is None:
            return range_text(format_amount(cell.low), format_amount(cell.high), cell.low < 0)
        return "/".join(format_amount(n) for n in (cell.low, cell.value, cell.high))
    return format_amount(cell.value) if cell.value is not None else ""


def cell_problem(cell: Cell) -> str | None:
    """Why the amounts of a cell cannot be stored, or None."""
    numbers = [n for n in (cell.low, cell.value, cell.high) if n is not None]
    if not numbers or (cell.value is None and (cell.low is None or cell.high is None)):
        return not_a_number_message()
    if any(not n.is_finite() for n in numbers):
        return not_a_number_message()
    limit = formats.number_format(AMOUNT_LIMIT, 0, use_l10n=True, force_grouping=True)
    if any(abs(n) > AMOUNT_LIMIT for n in numbers):
        return _("The amount is too large: at most %(limit)s (in 1,000).") % {"limit": limit}
    if any(n.as_tuple().exponent < -DECIMALS for n in numbers):  # type: ignore[operator]
        return _("Use at most two decimals.")
    if cell.low is not None and cell.high is not None and cell.low > cell.high:
        if cell.value is None:
            return _("The minimum must not be larger than the maximum.")
        return _("The three estimates must be in order: low/likely/high.")
    if cell.value is not None and cell.low is not None and cell.low > cell.value:
        return _("The three estimates must be in order: low/likely/high.")
    if cell.value is not None and cell.high is not None and cell.value > cell.high:
        return _("The three estimates must be in order: low/likely/high.")
    return None


def year_problem(proposal: Proposal, year: int) -> str | None:
    if proposal.first_year <= year <= proposal.last_year:
        return None
    return _("%(year)s is outside the table's years %(first)s–%(last)s.") % {
        "year": year,
        "first": proposal.first_year,
        "last": proposal.last_year,
    }


# Lines -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineInput:
    """A line as submitted. ``cells`` maps a year to its cell, or None to empty it; years
    it does not name keep their cells."""

    group: str
    budget_area: str
    label: str
    cells: Mapping[int, Cell | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    """One problem of a submitted table: ``line`` is the index of the line in the
    submission, ``field`` one of "group", "budget_area", "label" or "cell" (with ``year``)."""

    line: int
    field: str
    year: int | None
    message: str

    @property
    def key(self) -> str:
        """The form field of a line form: "label", "y2021"."""
        return f"y{self.year}" if self.field == "cell" else self.field


class TableInvalid(ValidationError):
    """Every problem of a submitted table; nothing of it was stored."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        errors: dict[str, list[str]] = {}
        for problem in self.problems:
            errors.setdefault(f"lines.{problem.line}.{problem.key}", []).append(problem.message)
        super().__init__(errors)


def line_problems(proposal: Proposal, index: int, line: LineInput) -> list[Problem]:
    problems = []
    if line.group not in LineGroup.values:
        problems.append(Problem(index, "group", None, _("Choose a group.")))
    if line.budget_area not in BudgetArea.values:
        problems.append(Problem(index, "budget_area", None, _("Choose a budget area.")))
    label = line.label.strip()
    if not label:
        problems.append(Problem(index, "label", None, _("Name the line.")))
    elif len(label) > LABEL_MAX:
        too_long = _("Use at most %(count)d characters.") % {"count": LABEL_MAX}
        problems.append(Problem(index, "label", None, too_long))
    for year, cell in sorted(line.cells.items()):
        if cell is None:
            continue
        message = year_problem(proposal, year) or cell_problem(cell)
        if message:
            problems.append(Problem(index, "cell", year, message))
    return problems


def _write_cells(line: EconomicLine, cells: Mapping[int, Cell | None]) -> None:
    existing = {stored.year: stored for stored in line.values.all()}
    for year, cell in cells.items():
        stored = existing.get(year)
        if cell is None:
            if stored is not None:
                stored.delete()
            continue
        if stored is None:
            stored = LineValue(line=line, year=year)
        elif Cell.of(stored) == cell:
            continue
        stored.value, stored.low, stored.high = cell.value, cell.low, cell.high
        stored.save()


@transaction.atomic
def save_lines(
    actor: User,
    proposal: Proposal,
    updates: Sequence[tuple[EconomicLine | None, LineInput]],
    *,
    replace: bool = False,
) -> list[EconomicLine]:
    """Change existing lines and add new ones (``None``) in one go; with ``replace`` the
    table becomes exactly ``updates`` (other lines are removed). All or nothing:
    :class:`TableInvalid` lists every problem."""
    _require(permissions.can_edit_proposal(actor, proposal))
    if len(updates) > MAX_LINES:
        raise ValidationError(_("A table has at most %(count)d lines.") % {"count": MAX_LINES})
    problems = [
        p for i, (_line, data) in enumerate(updates) for p in line_problems(proposal, i, data)
    ]
    if problems:
        raise TableInvalid(problems)
    if replace:
        keep = [line.pk for line, _data in updates if line is not None]
        for old in proposal.lines.exclude(pk__in=keep):
            old._history_user = actor  # type: ignore[attr-defined]
            old.delete()
    position = (proposal.lines.aggregate(top=Max("position"))["top"] or 0) + 1
    saved = []
    for line, data in updates:
        if line is None:
            line = EconomicLine(proposal=proposal, position=position)
            position += 1
        elif line.proposal_id != proposal.pk:
            raise ValueError("The line is not in this proposal.")
        line.group, line.budget_area, line.label = data.group, data.budget_area, data.label.strip()
        line._history_user = actor  # type: ignore[attr-defined]
        line.save()
        _write_cells(line, data.cells)
        saved.append(line)
    return saved


def _as_field_errors(error: TableInvalid) -> ValidationError:
    """One line's problems keyed by its form's fields ("label", "y2021")."""
    errors: dict[str, list[str]] = {}
    for problem in error.problems:
        errors.setdefault(problem.key, []).append(problem.message)
    return ValidationError(errors)


def add_line(actor: User, proposal: Proposal, data: LineInput) -> EconomicLine:
    """A new line at the end of the table. ValidationError keyed "group", "budget_area",
    "label" or "y<year>"."""
    try:
        return save_lines(actor, proposal, [(None, data)])[0]
    except TableInvalid as error:
        raise _as_field_errors(error) from None


def update_line(actor: User, line: EconomicLine, data: LineInput) -> EconomicLine:
    """A line's group, area, label and the cells ``data`` names; errors as for
    :func:`add_line`."""
    try:
        return save_lines(actor, line.proposal, [(line, data)])[0]
    except TableInvalid as error:
        raise _as_field_errors(error) from None


def set_cell(actor: User, line: EconomicLine, year: int, cell: Cell | None) -> None:
    data = LineInput(line.group, line.budget_area, line.label, {year: cell})
    update_line(actor, line, data)


def replace_table(
    actor: User, proposal: Proposal, lines: Sequence[LineInput]
) -> list[EconomicLine]:
    """The table becomes ``lines`` (API and XLSX import); nothing changes on a problem."""
    return save_lines(actor, proposal, [(None, data) for data in lines], replace=True)


@transaction.atomic
def remove_line(actor: User, line: EconomicLine) -> None:
    _require(permissions.can_edit_proposal(actor, line.proposal))
    line._history_user = actor  # type: ignore[attr-defined]
    line.delete()


@transaction.atomic
def move_line(actor: User, line: EconomicLine, offset: int) -> None:
    """Move a line up (−1) or down (+1) within its group; refused at the group's edge."""
    proposal = line.proposal
    _require(permissions.can_edit_proposal(actor, proposal))
    group = [other for other in ordered_lines(proposal.lines.all()) if other.group == line.group]
    index = next(i for i, other in enumerate(group) if other.pk == line.pk)
    target = index + offset
    if target < 0:
        raise ValidationError(_("The line is already the first of its group."), code="edge")
    if target >= len(group):
        raise ValidationError(_("The line is already the last of its group."), code="edge")
    group[index], group[target] = group[target], group[index]
    for position, other in enumerate(group):
        if other.position != position:
            other.position = position
            other._history_user = actor  # type: ignore[attr-defined]
            other.save(update_fields=["position"])


# The table's years -----------------------------------------------------------------------------


def cells_outside(proposal: Proposal, first_year: int, last_year: int) -> list[LineValue]:
    """The filled cells that fall outside ``first_year``–``last_year``, with their line: what
    changing the table's years to these would leave out. The header's editor reports them
    (and refuses or asks) instead of dropping them silently."""
    return list(
        LineValue.objects.filter(line__proposal=proposal)
        .exclude(year__gte=first_year, year__lte=last_year)
        .select_related("line")
        .order_by("year", "line__position", "line__pk")
    )


def outside_message(cells: Sequence[LineValue]) -> str:
    """One sentence naming the cells outside the years, e.g. for the header form."""
    names = ", ".join(f"{cell.line.label} ({cell.year})" for cell in cells)
    return _("These cells fall outside the table's years: %(cells)s.") % {"cells": names}


def table_problems(proposal: Proposal) -> list[str]:
    """What keeps the stored table from being submitted: cells outside its years."""
    outside = cells_outside(proposal, proposal.first_year, proposal.last_year)
    return [outside_message(outside)] if outside else []
