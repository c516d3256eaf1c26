"""The figures of a published result, pure: from a pilot's KPI rows and benefit rows to the
snapshot a result keeps (baseline, latest value, target, gain), and back for display.

Plain values in and out, no Django. A figure remembers the record it came from
(``source_kind`` and ``source_id``, such as a pilot) so that publishing can refuse figures
from a record that is not public. The gain follows ``samspil.pilots.gain``: positive is an
improvement whatever the direction; ``None`` when not defined (no measurement yet, a zero
baseline), never shown as 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from samspil.pilots.gain import HIGHER, LOWER, gain

KPI = "kpi"
BENEFIT = "benefit"


@dataclass(frozen=True)
class Measured:
    measured_on: date
    value: Decimal


@dataclass(frozen=True)
class FigureRow:
    """A KPI or a benefit line of a pilot, as the snapshot needs it."""

    kind: str  # KPI or BENEFIT
    name: str
    unit: str
    direction: str  # LOWER or HIGHER
    baseline: Decimal
    baseline_on: date
    target: Decimal | None
    target_on: date | None
    points: Sequence[Measured]
    source_kind: str  # "pilot"
    source_id: int
    source_title: str


@dataclass(frozen=True)
class Figure:
    kind: str
    name: str
    unit: str
    direction: str
    baseline: Decimal
    baseline_on: date
    latest: Decimal | None
    latest_on: date | None
    target: Decimal | None
    target_on: date | None
    gain: Decimal | None  # a fraction: 0.25 is 25 %
    source_kind: str
    source_id: int
    source_title: str

    @property
    def gain_percent(self) -> Decimal | None:
        if self.gain is None:
            return None
        return (self.gain * 100).quantize(Decimal("0.1"))


def figure_of(row: FigureRow) -> Figure:
    """The row's latest measurement and its gain over the baseline."""
    if row.direction not in (LOWER, HIGHER):
        raise ValueError(f"unknown direction {row.direction!r}")
    last = max(row.points, key=lambda point: point.measured_on, default=None)
    return Figure(
        kind=row.kind,
        name=row.name,
        unit=row.unit,
        direction=row.direction,
        baseline=row.baseline,
        baseline_on=row.baseline_on,
        latest=last.value if last else None,
        latest_on=last.measured_on if last else None,
        target=row.target,
        target_on=row.target_on,
        gain=gain(row.baseline, last.value, row.direction) if last else None,
        source_kind=row.source_kind,
        source_id=row.source_id,
        source_title=row.source_title,
    )


def figures_of(rows: Iterable[FigureRow]) -> list[Figure]:
    """KPIs before benefits, each in the order given."""
    figures = [figure_of(row) for row in rows]
    return [f for f in figures if f.kind == KPI] + [f for f in figures if f.kind != KPI]


def _number(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return format(value.normalize(), "f")


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def to_json(figure: Figure) -> dict:
    """The snapshot kept in ``Result.figures``: numbers as decimal strings, dates ISO 8601."""
    return {
        "kind": figure.kind,
        "name": figure.name,
        "unit": figure.unit,
        "direction": figure.direction,
        "baseline": _number(figure.baseline),
        "baseline_on": _day(figure.baseline_on),
        "latest": _number(figure.latest),
        "latest_on": _day(figure.latest_on),
        "target": _number(figure.target),
        "target_on": _day(figure.target_on),
        "gain_percent": _number(figure.gain_percent),
        "source": {
            "kind": figure.source_kind,
            "id": figure.source_id,
            "title": figure.source_title,
        },
    }


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def for_display(snapshot: Sequence[dict]) -> list[dict]:
    """The snapshot read back with decimals and dates; malformed entries are skipped."""
    shown = []
    for item in snapshot if isinstance(snapshot, list | tuple) else []:
        if not isinstance(item, dict) or not item.get("name"):
            continue
        shown.append(
            {
                "kind": item.get("kind", KPI),
                "name": str(item["name"]),
                "unit": str(item.get("unit", "")),
                "direction": item.get("direction", ""),
                "baseline": _decimal(item.get("baseline")),
                "baseline_on": _date(item.get("baseline_on")),
                "latest": _decimal(item.get("latest")),
                "latest_on": _date(item.get("latest_on")),
                "target": _decimal(item.get("target")),
                "target_on": _date(item.get("target_on")),
                "gain_percent": _decimal(item.get("gain_percent")),
            }
        )
    return shown


def sources_of(snapshot: Sequence[dict]) -> dict[str, set[int]]:
    """The records the figures came from, by kind: ``{"pilot": {3, 7}}``."""
    found: dict[str, set[int]] = {}
    for item in snapshot if isinstance(snapshot, list | tuple) else []:
        source = item.get("source") if isinstance(item, dict) else None
        if not isinstance(source, dict):
            continue
        kind, pk = source.get("kind"), source.get("id")
        if isinstance(kind, str) and isinstance(pk, int) and not isinstance(pk, bool):
            found.setdefault(kind, set()).add(pk)
    return found
