"""The open-data export of public records: two CSV files (published results; adoptions of
published results) and a Frictionless data package (``datapackage.json``) whose Table Schemas
describe them and whose resource paths point at the CSV addresses.

One list of columns per file drives both the CSV and its Table Schema, so the two cannot
drift apart. Column names and descriptions are English on purpose: they are a data format,
not a page.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from samspil.pilots.models import MaturityStage

from . import adoption_queries
from .models import AdoptionOutcome, CodeLicence, ResultKind, ResultOutcome, TextLicence

PACKAGE_NAME = "samspil-open-results"
RESULTS_FILE = "results.csv"
ADOPTIONS_FILE = "adoptions.csv"
CHUNK = 500


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: integer, string, date, datetime
    description: str
    value: Callable[[Any], Any]
    required: bool = False
    enum: tuple[str, ...] = ()
    format: str = ""
    extra: dict = field(default_factory=dict)

    def schema(self) -> dict:
        described: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "description": self.description,
        }
        if self.format:
            described["format"] = self.format
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if constraints:
            described["constraints"] = constraints
        return described | self.extra


def _utc(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _values(choices) -> tuple[str, ...]:
    return tuple(choices.values)


RESULT_COLUMNS: tuple[Column, ...] = (
    Column("id", "integer", "The result's number on this platform.", lambda r: r.pk, True),
    Column("title", "string", "Title.", lambda r: r.title, True),
    Column(
        "kind",
        "string",
        "A result of a case, or a template or guide to copy.",
        lambda r: r.kind,
        True,
        _values(ResultKind),
    ),
    Column("summary", "string", "Short summary.", lambda r: r.summary),
    Column("tried", "string", "What was tried.", lambda r: r.tried),
    Column("came_of_it", "string", "What came of it.", lambda r: r.came_of_it),
    Column("outcome", "string", "Outcome.", lambda r: r.outcome, enum=_values(ResultOutcome)),
    Column(
        "stage",
        "string",
        "Maturity stage reached (idea → pretotype → prototype → proof of concept → outcome).",
        lambda r: r.stage,
        enum=_values(MaturityStage),
    ),
    Column(
        "themes",
        "string",
        "Theme slugs separated by semicolons.",
        lambda r: ";".join(sorted(t.slug for t in r.themes.all())),
    ),
    Column("organisation", "string", "The publishing organisation.", lambda r: r.owner.name, True),
    Column(
        "organisation_id",
        "integer",
        "The publishing organisation's number on this platform.",
        lambda r: r.owner_id,
        True,
    ),
    Column(
        "country",
        "string",
        "ISO 3166-1 alpha-2 code of the publishing organisation's country.",
        lambda r: r.owner.country,
        True,
    ),
    Column(
        "licence",
        "string",
        "SPDX identifier of the licence of the text.",
        lambda r: r.licence,
        True,
        _values(TextLicence),
    ),
    Column(
        "code_licence",
        "string",
        "SPDX identifier of the licence of the source code, if any.",
        lambda r: r.code_licence,
        enum=_values(CodeLicence),
    ),
    Column("code_url", "string", "Where the source code is.", lambda r: r.code_url, format="uri"),
    Column("contact_name", "string", "Contact person.", lambda r: r.contact_name),
    Column(
        "published_at",
        "datetime",
        "When it was published (UTC).",
        lambda r: _utc(r.published_at),
        True,
    ),
    Column(
        "adoptions",
        "integer",
        "How many organisations adopted it.",
        lambda r: r.adoption_count,
        True,
    ),
    Column(
        "url",
        "string",
        "Its public page (a path on this platform).",
        adoption_queries.result_link,
        True,
    ),
)

ADOPTION_COLUMNS: tuple[Column, ...] = (
    Column("id", "integer", "The adoption's number on this platform.", lambda a: a.pk, True),
    Column(
        "result_id",
        "integer",
        "The adopted result (the id column of results.csv).",
        lambda a: a.result_id,
        True,
    ),
    Column("result_title", "string", "The adopted result's title.", lambda a: a.result.title),
    Column(
        "organisation",
        "string",
        "The adopting organisation.",
        lambda a: a.organisation.name,
        True,
    ),
    Column(
        "organisation_id",
        "integer",
        "The adopting organisation's number on this platform.",
        lambda a: a.organisation_id,
        True,
    ),
    Column(
        "country",
        "string",
        "ISO 3166-1 alpha-2 code of the adopting organisation's country.",
        lambda a: a.organisation.country,
        True,
    ),
    Column("adopted_on", "date", "When it was adopted.", lambda a: a.adopted_on.isoformat(), True),
    Column(
        "started",
        "string",
        "What the adopter started with it: a pilot, a procurement, or nothing yet (empty).",
        lambda a: "pilot" if a.pilot_id else "procurement" if a.procurement_id else "",
        enum=("pilot", "procurement"),
    ),
    Column(
        "outcome",
        "string",
        "How the adoption went.",
        lambda a: a.outcome,
        True,
        _values(AdoptionOutcome),
    ),
    Column("note", "string", "The adopter's note on the outcome.", lambda a: a.note),
)


class _Echo:
    """A file-like object whose write returns the line, for a streamed CSV."""

    def write(self, value: str) -> str:
        return value


def csv_lines(columns: Iterable[Column], rows: Iterable[Any]) -> Iterator[str]:
    """The header and one line per row, RFC 4180 (CRLF line ends), for streaming."""
    columns = list(columns)
    writer = csv.writer(_Echo())
    yield writer.writerow([c.name for c in columns])
    for row in rows:
        yield writer.writerow([c.value(row) for c in columns])


def result_rows() -> Iterator[Any]:
    """Every published result, in chunks (a fixed number of queries per chunk)."""
    return adoption_queries.public_result_list().order_by("pk").iterator(chunk_size=CHUNK)


def adoption_rows() -> Iterator[Any]:
    return adoption_queries.public_adoptions().order_by("pk").iterator(chunk_size=CHUNK)


def results_csv() -> Iterator[str]:
    return csv_lines(RESULT_COLUMNS, result_rows())


def adoptions_csv() -> Iterator[str]:
    return csv_lines(ADOPTION_COLUMNS, adoption_rows())


def _resource(name: str, path: str, title: str, columns: Iterable[Column], **schema) -> dict:
    return {
        "name": name,
        "title": title,
        "path": path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {"fields": [c.schema() for c in columns], "primaryKey": ["id"], **schema},
    }


def datapackage(results_path: str, adoptions_path: str, *, homepage: str = "") -> dict:
    """The Frictionless (Data Package v1) descriptor of the two CSV files at the given
    paths or URLs."""
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "samspil: published results and their adoptions",
        "description": (
            "Results of public innovation published on samspil, and which organisations "
            "adopted them, when and with what outcome. The text of each result is under the "
            "licence in its licence column."
        ),
        "created": _utc(datetime.now(UTC)),
        "resources": [
            _resource(
                "results",
                results_path,
                "Published results",
                RESULT_COLUMNS,
            ),
            _resource(
                "adoptions",
                adoptions_path,
                "Adoptions of published results",
                ADOPTION_COLUMNS,
                foreignKeys=[
                    {
                        "fields": ["result_id"],
                        "reference": {"resource": "results", "fields": ["id"]},
                    }
                ],
            ),
        ],
    }
    if homepage:
        package["homepage"] = homepage
    return package
