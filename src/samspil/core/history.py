"""Reads a record's django-simple-history rows as "who changed what, when"."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import ModelChange
from simple_history.utils import get_m2m_reverse_field_name

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
    """The newest ``limit`` changes, each compared with the version before it.

    Foreign keys and many-to-many values are shown by name (one query per related model).
    """
    history = getattr(record, "history", None)
    if history is None:
        return []
    # One more than shown, so the oldest shown row has a predecessor to compare with.
    rows = list(
        history.select_related("history_user").order_by("-history_date", "-pk")[: limit + 1]
    )
    model = type(record)
    m2m_names = [field.name for field in getattr(history.model, "_history_m2m_fields", [])]
    m2m_values = _m2m_values(model, rows, m2m_names)
    deltas = []
    for index, row in enumerate(rows[:limit]):
        previous = rows[index + 1] if index + 1 < len(rows) else None
        changes = []
        if previous is not None and row.history_type == "~":
            changes = row.diff_against(
                previous, excluded_fields=m2m_names, foreign_keys_are_objs=False
            ).changes
            for name, (key, by_row) in m2m_values.items():
                old, new = by_row.get(previous.pk, []), by_row.get(row.pk, [])
                if old != new:
                    changes.append(
                        ModelChange(name, [{key: pk} for pk in old], [{key: pk} for pk in new])
                    )
        deltas.append((row, changes))
    names = _related_names(model, [c for _row, changes in deltas for c in changes])
    return [
        HistoryEntry(
            when=row.history_date,
            who=str(row.history_user) if row.history_user else "",
            kind=str(KIND_LABELS.get(row.history_type, row.history_type)),
            changes=[
                Change(
                    _label(model, c.field),
                    _text(model, c.field, c.old, names),
                    _text(model, c.field, c.new, names),
                )
                for c in changes
            ],
        )
        for row, changes in deltas
    ]


def _m2m_values(model: type[models.Model], rows: list, names: list[str]) -> dict:
    """{field: (key, {history row pk: sorted related ids})}, one query per many-to-many field
    (``diff_against`` would make two per row and field)."""
    found: dict = {}
    for name in names if rows else []:
        key = get_m2m_reverse_field_name(model._meta.get_field(name))
        through = getattr(rows[0], name).model
        by_row: dict = defaultdict(list)
        pairs = through.objects.filter(history__in=[row.pk for row in rows]).values_list(
            "history_id", key
        )
        for history_id, related_id in pairs.order_by(key):
            by_row[history_id].append(related_id)
        found[name] = (key, by_row)
    return found


def _relation(model: type[models.Model], field_name: str):
    """(related model, key of its id in a many-to-many row) for a relation, else None."""
    try:
        field = model._meta.get_field(field_name)
    except Exception:
        return None
    if isinstance(field, models.ManyToManyField):
        return field.related_model, field.m2m_reverse_field_name()
    if field.many_to_one:
        return field.related_model, None
    return None


def _ids(value, key: str | None) -> list:
    if key is None:
        return [] if value is None else [value]
    return [row.get(key) for row in value or [] if isinstance(row, dict)]


def _related_names(model: type[models.Model], changes) -> dict:
    wanted: dict = {}
    for change in changes:
        relation = _relation(model, change.field)
        if relation is not None:
            related, key = relation
            ids = wanted.setdefault(related, set())
            ids.update(_ids(change.old, key) + _ids(change.new, key))
    names = {}
    for related, ids in wanted.items():
        for obj in related._default_manager.filter(pk__in=ids - {None}):
            names[related, obj.pk] = str(obj)
    return names


def _text(model: type[models.Model], field_name: str, value, names: dict) -> str:
    """A changed value as a person reads it: names for relations, labels for choices, dates
    and numbers in the active language."""
    relation = _relation(model, field_name)
    if relation is not None:
        related, key = relation
        return ", ".join(names.get((related, pk), str(pk)) for pk in _ids(value, key))
    if value is None:
        return ""
    try:
        field = model._meta.get_field(field_name)
    except Exception:
        field = None
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))  # type: ignore[union-attr]
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return date_format(local, "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal | float):
        return number_format(value, use_l10n=True, force_grouping=True)
    return str(value)
