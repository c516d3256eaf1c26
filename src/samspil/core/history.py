"""Reads a record's django-simple-history rows as "who changed what, when"."""

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

KIND_LABELS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    kind: str
    changes: list[Change]


def _label(model: type[models.Model], field_name: str) -> str:
    try:
        return str(getattr(model._meta.get_field(field_name), "verbose_name", field_name))
    except Exception:
        return field_name


def history_entries(record: models.Model, limit: int = 20) -> list[HistoryEntry]:
    """The newest ``limit`` changes, each compared with the version before it (one query)."""
    history = getattr(record, "history", None)
    if history is None:
        return []
    # One more than shown, so the oldest shown row has a predecessor to compare with.
    rows = list(
        history.select_related("history_user").order_by("-history_date", "-pk")[: limit + 1]
    )
    entries = []
    model = type(record)
    for index, row in enumerate(rows[:limit]):
        previous = rows[index + 1] if index + 1 < len(rows) else None
        changes: list[Change] = []
        if previous is not None and row.history_type == "~":
            delta = row.diff_against(previous, foreign_keys_are_objs=False)
            changes = [
                Change(_label(model, c.field), _text(c.old), _text(c.new)) for c in delta.changes
            ]
        entries.append(
            HistoryEntry(
                when=row.history_date,
                who=str(row.history_user) if row.history_user else "",
                kind=str(KIND_LABELS.get(row.history_type, row.history_type)),
                changes=changes,
            )
        )
    return entries


def _text(value) -> str:
    if isinstance(value, list):  # many-to-many rows come as dicts of the through table
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(str(v) for k, v in value.items() if k not in {"id", "membership"})
    return "" if value is None else str(value)
