"""Reading measurements from a CSV or XLSX file: columns date, value and optionally unit and
note, with a header row in English, Danish, Norwegian or Swedish.

``parse(name, data)`` only reads: it returns the rows it understood and one message per bad
line ("Line 7: the date 2019-13-01 is not a date"). Whether the rows fit the KPI (unit,
baseline date, same-day values) is ``kpi_services.import_measurements``'s check, which imports
nothing unless every row is clean.

CSV: UTF-8 with or without a byte order mark; the delimiter (``;`` or ``,``, also tab) is
taken from the header line. With ``;`` a decimal comma is accepted ("12,5"), as Excel writes
in the Nordic countries. XLSX: the first sheet; date cells and number cells are read as such.
Dates are ISO (2024-03-31) or day first (31.03.2024, 31/03/2024, 31-03-2024).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from samspil.core.uploads import FileRefused, first_sheet

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 10_000
# An XLSX is a zip: refuse one whose contents unpack to far more than a sheet of 10,000 rows.

NOTE_MAX = 300  # Measurement.note

DATE, VALUE, UNIT, NOTE = "date", "value", "unit", "note"
# Header names in en, da, nb and sv, compared in lower case without surrounding spaces.
HEADERS = {
    DATE: {"date", "dato", "datum"},
    VALUE: {"value", "værdi", "verdi", "värde", "vaerdi", "varde"},
    UNIT: {"unit", "enhed", "enhet"},
    NOTE: {"note", "notat", "merknad", "anteckning", "comment", "kommentar"},
}
ALIASES = {name: column for column, names in HEADERS.items() for name in names}
# The header of the template file, in the language of the page it is downloaded from.
TEMPLATE_HEADERS = {
    "en": ["date", "value", "unit", "note"],
    "da": ["dato", "værdi", "enhed", "note"],
    "nb": ["dato", "verdi", "enhet", "merknad"],
    "sv": ["datum", "värde", "enhet", "anteckning"],
}

_DAY_FIRST = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]+)?$")


@dataclass(frozen=True)
class Row:
    line: int
    measured_on: date
    value: Decimal
    unit: str
    note: str


def line_message(line: int, message: str) -> str:
    # The file's own problems and the form's field errors read alike after the line number.
    return _("Line %(line)d: %(message)s") % {"line": line, "message": capfirst(message)}


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, message)

    def fail(self, line: int, message: str) -> None:
        self.problems.append((line, message))

    @property
    def errors(self) -> list[str]:
        return [line_message(line, message) for line, message in self.problems]


def kind_of(name: str, data: bytes) -> str:
    """ "xlsx" or "csv", from the file name (or the zip signature when the name says nothing)."""
    lower = (name or "").lower()
    if lower.endswith(".xlsx"):
        return "xlsx"
    if lower.endswith((".csv", ".txt")):
        return "csv"
    if "." not in lower:
        return "xlsx" if data[:4] == b"PK\x03\x04" else "csv"
    raise FileRefused(_("Upload a CSV or XLSX file."))


def parse(name: str, data: bytes) -> Parsed:
    """The rows of a CSV or XLSX file and a message for every bad line; ``FileRefused`` when
    the file as a whole cannot be read."""
    if len(data) > MAX_BYTES:
        raise FileRefused(
            _("The file is larger than %(size)s.") % {"size": filesizeformat(MAX_BYTES)}
        )
    if not data.strip():
        raise FileRefused(_("The file is empty."))
    lines = _xlsx_lines(data) if kind_of(name, data) == "xlsx" else _csv_lines(data)
    return _read(lines)


# Reading lines -------------------------------------------------------------------------------


def _csv_lines(data: bytes) -> Iterator[tuple[int, list[Any], bool]]:
    """(line number, cells, decimal comma allowed) for every row of a CSV file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.")
        ) from None
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(";,\t", key=first.count)
    if first.count(delimiter) == 0:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            yield reader.line_num, cells, delimiter == ";"
    except csv.Error as error:
        raise FileRefused(
            _("Line %(line)d: the file is not valid CSV (%(reason)s).")
            % {"line": reader.line_num, "reason": error}
        ) from None


def _xlsx_lines(data: bytes) -> Iterator[tuple[int, list[Any], bool]]:
    with first_sheet(data) as sheet:
        for number, cells in enumerate(sheet.iter_rows(max_col=30, values_only=True), start=1):
            yield number, list(cells), True


# Understanding rows ----------------------------------------------------------------------------


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _text(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()


def _columns(line: int, cells: list[Any]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column = ALIASES.get(_text(cell).lstrip("\ufeff").casefold())
        if column and column not in columns:
            columns[column] = index
    missing = [c for c in (DATE, VALUE) if c not in columns]
    if missing:
        raise FileRefused(
            _(
                "Line %(line)d: the first row must name the columns; date and value are "
                "needed (unit and note may follow)."
            )
            % {"line": line}
        )
    return columns


def parse_date(cell: Any) -> date | None:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = _text(cell)
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _DAY_FIRST.match(text)
        if not match:
            return None
        day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_number(cell: Any, decimal_comma: bool) -> Decimal | None:
    """A number cell or text: "12.5"; with ``decimal_comma`` also "12,5" and "1.234,5".
    Spaces (thousands groups) are ignored. ``None`` when it is not a finite number."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float | Decimal):
        text = str(cell)
    else:
        text = re.sub(r"[\s\u00a0\u202f]", "", _text(cell)).replace("\u2212", "-")
        if decimal_comma and "," in text:
            text = text.replace(".", "").replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text):
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _cell(cells: list[Any], columns: dict[str, int], name: str) -> Any:
    index = columns.get(name)
    return cells[index] if index is not None and index < len(cells) else None


def _read(lines: Iterable[tuple[int, list[Any], bool]]) -> Parsed:
    parsed = Parsed()
    columns: dict[str, int] | None = None
    count = 0
    for line, cells, decimal_comma in lines:
        if all(_blank(c) for c in cells):
            continue
        if columns is None:
            columns = _columns(line, cells)
            continue
        count += 1
        if count > MAX_ROWS:
            raise FileRefused(
                _("The file has more than %(count)d rows. Split it into smaller files.")
                % {"count": MAX_ROWS}
            )
        raw_date, raw_value = _cell(cells, columns, DATE), _cell(cells, columns, VALUE)
        measured_on = parse_date(raw_date)
        value = parse_number(raw_value, decimal_comma)
        note = _text(_cell(cells, columns, NOTE))
        bad = False
        if _blank(raw_date):
            parsed.fail(line, _("the date is missing"))
            bad = True
        elif measured_on is None:
            parsed.fail(line, _("the date %(text)s is not a date") % {"text": _text(raw_date)})
            bad = True
        if _blank(raw_value):
            parsed.fail(line, _("the value is missing"))
            bad = True
        elif value is None:
            parsed.fail(line, _("the value %(text)s is not a number") % {"text": _text(raw_value)})
            bad = True
        if len(note) > NOTE_MAX:
            parsed.fail(
                line, _("the note is longer than %(count)d characters") % {"count": NOTE_MAX}
            )
            bad = True
        if not bad:
            assert measured_on is not None and value is not None
            parsed.rows.append(
                Row(line, measured_on, value, _text(_cell(cells, columns, UNIT)), note)
            )
    if columns is None:
        raise FileRefused(_("The file is empty."))
    if not parsed.rows and not parsed.problems:
        raise FileRefused(_("The file has a header but no measurements."))
    return parsed


def template_csv(language: str) -> str:
    """A file to fill in: only the header, in ``language`` (an example row would be imported
    by whoever forgot to delete it). Danish, Norwegian and Swedish get ``;``, which their
    Excel expects and which lets them type a decimal comma."""
    header = TEMPLATE_HEADERS.get(language, TEMPLATE_HEADERS["en"])
    nordic = language in ("da", "nb", "sv")
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";" if nordic else ",", lineterminator="\r\n")
    writer.writerow(header)
    return "\ufeff" + text.getvalue()
