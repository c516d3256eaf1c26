"""The economic table as an XLSX sheet, and back.

Layout: a title in A1 stating the unit and price level ("1,000 DKK, 2021 prices"), then a
header row "line | group | budget area | <years…>" and a row per line. Amounts are numbers;
a range or three-point estimate is text ("1500–3000", "1000/1500/3000"), written without
thousands separators so that it reads the same in every language.

:func:`read_table` reports every problem with its cell ("C4: not a number"): missing, extra
or repeated columns, years outside the table, a price-level year in the title that differs
from the proposal's, unknown groups or budget areas (the English codes and the labels in
da, nb, sv and en are understood), and bad amounts. It never writes; the caller replaces
the table only when there is no problem.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from samspil.core.uploads import FileRefused, first_sheet

from .economy_queries import ProposalEconomics
from .economy_services import (
    MAX_LINES,
    Cell,
    LineInput,
    cell_problem,
    not_a_number_message,
    parse_cell,
    range_text,
)
from .models import BudgetArea, LineGroup, LineValue, Proposal

MAX_BYTES = 2 * 1024 * 1024
LANGUAGES = ("en", "da", "nb", "sv")
LINE, GROUP, AREA = "line", "group", "area"
# Header names in en, da, nb and sv, compared in lower case.
HEADERS = {
    LINE: {"line", "linje", "rad", "post", "tekst"},
    GROUP: {"group", "gruppe", "grupp"},
    AREA: {"budget area", "styringsområde", "budsjettområde", "budgetområde", "område"},
}
# The Nordic names of the groups and budget areas as the municipalities' own sheets write
# them, besides the codes and the labels in each language (see ``_names``).
GROUP_ALIASES = {
    "implementation": {"implementeringsomkostninger", "implementeringskostnader"},
    "permanent": {"varige ændringer", "varige endringer", "varaktiga förändringar"},
    "investment": {"investering", "investeringer", "investeringar"},
}
AREA_ALIASES = {
    "service": {"service", "drift"},
    "construction": {"anlæg", "anlegg", "anläggning"},
    "transfers": {"overførsler", "overføringer", "överföringar"},
}
COLUMN_NAMES = {
    LINE: gettext_lazy("line"),
    GROUP: gettext_lazy("group"),
    AREA: gettext_lazy("budget area"),
}
_YEAR = re.compile(r"(?<!\d)(19|20|21)\d{2}(?!\d)")


def title(proposal: Proposal) -> str:
    return _("%(unit)s %(currency)s, %(year)s prices") % {
        "unit": formats.number_format(1000, 0, use_l10n=True, force_grouping=True),
        "currency": proposal.owner.currency,
        "year": proposal.price_level_year,
    }


def _plain(amount: Decimal) -> str:
    """An amount without grouping, with the language's decimal separator."""
    text = format(amount.normalize(), "f") if amount % 1 else str(int(amount))
    return text.replace(".", formats.get_format("DECIMAL_SEPARATOR"))


WHOLE_FORMAT, DECIMAL_FORMAT = "#,##0", "#,##0.00"


def amount_format(value) -> str:
    """The number format of an amount: decimals only when it has them, as on the pages
    ("#,##0.##" would leave a dangling separator after a whole number)."""
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return DECIMAL_FORMAT
    return WHOLE_FORMAT


def _cell_value(estimate_cell: Cell | LineValue) -> Decimal | str:
    if estimate_cell.low is not None and estimate_cell.high is not None:
        if estimate_cell.value is None:
            low, high = estimate_cell.low, estimate_cell.high
            return range_text(_plain(low), _plain(high), low < 0)
        parts = (estimate_cell.low, estimate_cell.value, estimate_cell.high)
        return "/".join(_plain(n) for n in parts)
    assert estimate_cell.value is not None
    return estimate_cell.value


def export(proposal: Proposal, economics: ProposalEconomics, cells: dict) -> bytes:
    """The workbook of the table. ``cells`` maps (line pk, year) to its stored cell."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Economy")[:31]
    sheet["A1"] = title(proposal)
    sheet["A1"].font = Font(bold=True)
    header = [str(COLUMN_NAMES[c]) for c in (LINE, GROUP, AREA)] + list(economics.years)
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    groups, areas = dict(LineGroup.choices), dict(BudgetArea.choices)
    for line in economics.lines:
        row: list = [line.label, str(groups[line.group]), str(areas[line.area])]
        for year in economics.years:
            stored = cells.get((line.key.pk, year))  # type: ignore[attr-defined]
            row.append(_cell_value(stored) if stored is not None else None)
        sheet.append(row)
        for column in range(4, 4 + len(economics.years)):
            cell = sheet.cell(sheet.max_row, column)
            cell.number_format = amount_format(cell.value)
    sheet.column_dimensions["A"].width = 50
    sheet.column_dimensions["B"].width = 24
    sheet.column_dimensions["C"].width = 16
    for column in range(4, 4 + len(economics.years)):
        sheet.column_dimensions[get_column_letter(column)].width = 12
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Reading ---------------------------------------------------------------------------------------


@dataclass
class Read:
    lines: list[LineInput] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # the sheet row of each line
    problems: list[str] = field(default_factory=list)

    def fail(self, reference: str, message: str) -> None:
        self.problems.append(_("%(cell)s: %(message)s") % {"cell": reference, "message": message})


def _names(choices, aliases: dict[str, set[str]]) -> dict[str, str]:
    """Code, label (in each language) and alias → code, in lower case."""
    names = {alias: code for code, words in aliases.items() for alias in words}
    for code, label in choices:
        names[code.casefold()] = code
        for language in LANGUAGES:
            with translation.override(language):
                names[str(label).casefold()] = code
    return names


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _rows(data: bytes) -> list[list]:
    if len(data) > MAX_BYTES:
        raise FileRefused(_("The file is larger than 2 MB."))
    with first_sheet(data) as sheet:
        return [
            list(r) for r in sheet.iter_rows(max_row=MAX_LINES + 20, max_col=120, values_only=True)
        ]


def _cell(value) -> Cell | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float | Decimal):
        return Cell(Decimal(str(value)))
    return parse_cell(str(value))


def read_table(proposal: Proposal, data: bytes) -> Read:
    """The lines of the workbook and every problem, each with its cell reference."""
    rows = _rows(data)
    read = Read()
    header_at = next(
        (i for i, row in enumerate(rows) if row and _text(row[0]).casefold() in HEADERS[LINE]),
        None,
    )
    if header_at is None:
        raise FileRefused(
            _(
                "No header row found: it must start with “line”, then group, budget area "
                "and the years."
            )
        )
    for number, row in enumerate(rows[:header_at], start=1):
        for index, value in enumerate(row):
            match = _YEAR.search(_text(value))
            if match and int(match.group()) != proposal.price_level_year:
                reference = f"{get_column_letter(index + 1)}{number}"
                read.fail(
                    reference,
                    _(
                        "the prices are of %(file)s, the proposal's of %(proposal)s "
                        "(mixed price-level years)."
                    )
                    % {"file": match.group(), "proposal": proposal.price_level_year},
                )
    columns, years = _columns(proposal, rows[header_at], header_at + 1, read)
    groups = _names(LineGroup.choices, GROUP_ALIASES)
    areas = _names(BudgetArea.choices, AREA_ALIASES)
    for number, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if all(_text(v) == "" for v in row):
            continue

        def value(name: str, row=row):
            index = columns.get(name)
            return row[index] if index is not None and index < len(row) else None

        def ref(name: str, number=number) -> str:
            return f"{get_column_letter(columns[name] + 1)}{number}"

        # A missing column is reported once, with the header; its cells are not checked.
        label = _text(value(LINE))
        if not label and LINE in columns:
            read.fail(ref(LINE), _("name the line."))
        group = groups.get(_text(value(GROUP)).casefold(), "")
        if not group and GROUP in columns:
            read.fail(ref(GROUP), _("unknown group “%(value)s”.") % {"value": _text(value(GROUP))})
        area = areas.get(_text(value(AREA)).casefold(), "")
        if not area and AREA in columns:
            read.fail(
                ref(AREA), _("unknown budget area “%(value)s”.") % {"value": _text(value(AREA))}
            )
        cells: dict[int, Cell | None] = {}
        for index, year in years.items():
            reference = f"{get_column_letter(index + 1)}{number}"
            raw = row[index] if index < len(row) else None
            try:
                cell = _cell(raw)
            except Exception:  # parse_cell's ValidationError, or a bool/date cell
                read.fail(reference, not_a_number_message())
                continue
            message = cell_problem(cell) if cell is not None else None
            if message:
                read.fail(reference, message)
            cells[year] = cell
        for index in range(len(rows[header_at]), len(row)):
            if _text(row[index]):
                read.fail(
                    f"{get_column_letter(index + 1)}{number}", _("a value outside the columns.")
                )
        read.lines.append(LineInput(group, area, label, cells))
        read.rows.append(number)
    if len(read.lines) > MAX_LINES:
        read.problems.append(_("A table has at most %(count)d lines.") % {"count": MAX_LINES})
    return read


def _columns(proposal: Proposal, header: list, number: int, read: Read) -> tuple[dict, dict]:
    """Which column holds the line, group and area (found by their names, so a deleted
    column is reported once, as missing), and which the years (index → year). A missing
    column is named by the header cell the export gives it."""
    columns: dict[str, int] = {}
    years: dict[int, int] = {}
    for index, value in enumerate(header):
        text = _text(value)
        if not text:
            continue
        reference = f"{get_column_letter(index + 1)}{number}"
        name = next((n for n in (LINE, GROUP, AREA) if text.casefold() in HEADERS[n]), None)
        if name in columns:
            read.fail(reference, _("the column “%(name)s” appears twice.") % {"name": text})
            continue
        if name is not None:
            columns[name] = index
            continue
        match = re.fullmatch(r"(\d{4})(\.0)?", text)
        year = int(match.group(1)) if match else None
        if year is None:
            read.fail(reference, _("an extra column “%(name)s”.") % {"name": text})
        elif not proposal.first_year <= year <= proposal.last_year:
            read.fail(
                reference,
                _("%(year)s is outside the table's years %(first)s–%(last)s.")
                % {"year": year, "first": proposal.first_year, "last": proposal.last_year},
            )
        elif year in years.values():
            read.fail(reference, _("the year %(year)s appears twice.") % {"year": year})
        else:
            years[index] = year
    for position, name in enumerate((LINE, GROUP, AREA)):
        if name not in columns:
            read.fail(
                f"{get_column_letter(position + 1)}{number}",
                _("the column “%(name)s” is missing.") % {"name": COLUMN_NAMES[name]},
            )
    for position, year in enumerate(proposal.years, start=4):
        if year not in years.values():
            read.fail(
                f"{get_column_letter(position)}{number}",
                _("the column for %(year)s is missing.") % {"year": year},
            )
    return columns, years
