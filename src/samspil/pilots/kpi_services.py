"""Every write of a pilot's KPIs and measurements. Pages, API and imports call these.

Who may: ``permissions.can_edit_pilot`` (the pilot's innovation leads, lead, team and the
programme's coordinator). A KPI chosen from the catalogue (a ``KpiDefinition``) takes the
definition's unit and direction and keeps them, so that benchmarks compare like with like; a
KPI's unit and direction cannot change either once it has measurements, since the old values
would then be read in the new unit. A measurement is refused when its unit differs from the
KPI's, when it is dated before the baseline or in the future, or when the KPI has a value on
that day already (unless the caller asks to replace it). An import stores nothing unless every
row is clean.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from samspil.core import permissions
from samspil.core.models import User

from . import gain, kpi_import
from .models import Direction, Kpi, KpiDefinition, Measurement, Pilot

KPI_FIELDS = {
    "name",
    "unit",
    "direction",
    "baseline_value",
    "baseline_on",
    "target_value",
    "target_on",
}
NAME_MAX = 200
UNIT_MAX = 60
NOTE_MAX = kpi_import.NOTE_MAX
# The model's DecimalField(max_digits=18, decimal_places=4).
DECIMALS = 4
INTEGER_DIGITS = 14

UNSET: Any = object()


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def normalise_unit(unit: str | None) -> str:
    """Units compare without case and extra spaces: "Minutes per invoice" = "minutes  per
    invoice"."""
    return " ".join((unit or "").split()).casefold()


def plain(value: Decimal) -> str:
    """A number as text without trailing zeros or exponent: 12.5000 → "12.5", 1E+2 → "100"."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def as_decimal(value: Any) -> Any:
    """Ints and floats as Decimal (floats by their shortest text: 0.1, not 0.1000…055)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    return value


def number_error(value: Decimal | None) -> str | None:
    """Why a number cannot be stored as a KPI value, or None."""
    if value is None:
        return _("This field is required.")
    if not value.is_finite():
        return _("Enter a number.")
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)  # a finite number's exponent
    if -exponent > DECIMALS:
        return _("Give at most %(count)d decimals.") % {"count": DECIMALS}
    if abs(value) >= Decimal(10) ** INTEGER_DIGITS:
        return _("Give a number with at most %(count)d digits before the decimal point.") % {
            "count": INTEGER_DIGITS
        }
    return None


# KPIs -----------------------------------------------------------------------------------------


def _check_definition(actor: User, definition: KpiDefinition | None) -> None:
    if definition is None:
        return
    visible = permissions.kpi_definitions_visible_to(actor).filter(pk=definition.pk).exists()
    if not visible:
        raise ValidationError({"definition": _("Choose a KPI definition you may see.")})


def _clean_kpi_fields(fields: dict) -> dict:
    unknown = set(fields) - KPI_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    cleaned = dict(fields)
    for name in ("baseline_value", "target_value"):
        if name in cleaned:
            cleaned[name] = as_decimal(cleaned[name])
    for name in ("name", "unit"):
        if name in cleaned:
            cleaned[name] = " ".join((cleaned[name] or "").split())
    return cleaned


def check_target(errors: dict, baseline: Decimal, target: Decimal, direction: str) -> None:
    """Add under "target_value" why a target is no improvement on the baseline
    (``gain.target_problem``), unless the direction, baseline or target is already refused;
    KPIs and benefits share it."""
    if errors.keys() & {"direction", "baseline_value", "target_value"}:
        return
    problem = gain.target_problem(baseline, target, direction)
    if problem == gain.UNCHANGED:
        errors["target_value"] = _("The target must differ from the baseline.")
    elif problem == gain.WORSE:
        errors["target_value"] = (
            _("When lower is better, the target must not be above the baseline.")
            if direction == Direction.LOWER
            else _("When higher is better, the target must not be below the baseline.")
        )


def _kpi_errors(kpi: Kpi) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not kpi.name:
        errors["name"] = _("This field is required.")
    elif len(kpi.name) > NAME_MAX:
        errors["name"] = _("Write at most %(count)d characters.") % {"count": NAME_MAX}
    if not kpi.unit:
        errors["unit"] = _("Give the unit, such as minutes per invoice.")
    elif len(kpi.unit) > UNIT_MAX:
        errors["unit"] = _("Write at most %(count)d characters.") % {"count": UNIT_MAX}
    if kpi.direction not in Direction.values:
        errors["direction"] = _("Choose whether lower or higher is better.")
    for name in ("baseline_value", "target_value"):
        value = getattr(kpi, name)
        if value is None and name == "target_value":
            continue
        message = number_error(value)
        if message:
            errors[name] = message
    if kpi.baseline_on is None:
        errors["baseline_on"] = _("Give the date the baseline was measured.")
    if kpi.target_on and kpi.baseline_on and kpi.target_on <= kpi.baseline_on:
        errors["target_on"] = _("The target date must be after the baseline date.")
    if kpi.target_on and kpi.target_value is None:
        errors["target_value"] = _("Give the target value for the target date.")
    if kpi.target_value is not None:
        check_target(errors, kpi.baseline_value, kpi.target_value, kpi.direction)
    return errors


def _apply_definition(kpi: Kpi, definition: KpiDefinition, fields: dict) -> None:
    """The definition's name (unless one is given), unit and direction; a different unit or
    direction given with it is refused rather than silently replaced."""
    errors: dict[str, str] = {}
    unit = fields.get("unit")
    if unit and normalise_unit(unit) != normalise_unit(definition.unit):
        errors["unit"] = _("A KPI from the catalogue keeps the definition's unit, %(unit)s.") % {
            "unit": definition.unit
        }
    direction = fields.get("direction")
    if direction and direction != definition.direction:
        errors["direction"] = _(
            "A KPI from the catalogue keeps the definition's direction: %(direction)s."
        ) % {"direction": definition.get_direction_display()}
    if errors:
        raise ValidationError(errors)
    kpi.definition = definition
    kpi.unit = definition.unit
    kpi.direction = definition.direction
    if not fields.get("name"):
        kpi.name = definition.name


def _save_kpi(actor: User, kpi: Kpi) -> Kpi:
    errors = _kpi_errors(kpi)
    if errors:
        raise ValidationError(errors)
    kpi._history_user = actor  # type: ignore[attr-defined]
    kpi.full_clean()
    kpi.save()
    return kpi


@transaction.atomic
def add_kpi(actor: User, pilot: Pilot, *, definition: KpiDefinition | None = None, **fields) -> Kpi:
    """A new KPI, last of the pilot's (the first one is the pilot's primary KPI)."""
    _require(permissions.can_edit_pilot(actor, pilot))
    fields = _clean_kpi_fields(fields)
    _check_definition(actor, definition)
    last = pilot.kpis.aggregate(last=Max("position"))["last"]
    kpi = Kpi(pilot=pilot, position=0 if last is None else last + 1)
    for name, value in fields.items():
        if definition is None or name not in ("unit", "direction"):
            setattr(kpi, name, value)
    if definition is not None:
        _apply_definition(kpi, definition, fields)
    return _save_kpi(actor, kpi)


@transaction.atomic
def update_kpi(actor: User, kpi: Kpi, *, definition: Any = UNSET, **fields) -> Kpi:
    """Change a KPI. ``definition`` left out keeps the current one; ``None`` frees the KPI
    from the catalogue (its unit and direction stay until changed)."""
    _require(permissions.can_edit_pilot(actor, kpi.pilot))
    fields = _clean_kpi_fields(fields)
    locked_kpi = Kpi.objects.select_for_update().get(pk=kpi.pk)
    before = (normalise_unit(locked_kpi.unit), locked_kpi.direction)
    if definition is UNSET:
        definition = kpi.definition
    else:
        _check_definition(actor, definition)
    for name, value in fields.items():
        if definition is None or name not in ("unit", "direction"):
            setattr(kpi, name, value)
    if definition is not None:
        _apply_definition(kpi, definition, fields)
    else:
        kpi.definition = None
    if (normalise_unit(kpi.unit), kpi.direction) != before and kpi.measurements.exists():
        field = "unit" if normalise_unit(kpi.unit) != before[0] else "direction"
        if definition is not None and not fields.get(field):
            field = "definition"
        raise ValidationError(
            {
                field: _(
                    "The KPI has measurements: its unit and direction cannot change. Add a new "
                    "KPI instead."
                )
            }
        )
    return _save_kpi(actor, kpi)


@transaction.atomic
def delete_kpi(actor: User, kpi: Kpi) -> None:
    """Remove a KPI with its measurements."""
    _require(permissions.can_edit_pilot(actor, kpi.pilot))
    kpi._history_user = actor  # type: ignore[attr-defined]
    kpi.delete()


# Measurements -----------------------------------------------------------------------------------


def _date_error(kpi: Kpi, measured_on: date | None, today: date) -> str | None:
    if measured_on is None:
        return _("Give the date of the measurement.")
    if measured_on < kpi.baseline_on:
        return _("The date %(date)s is before the baseline date %(baseline)s.") % {
            "date": measured_on.isoformat(),
            "baseline": kpi.baseline_on.isoformat(),
        }
    if measured_on > today:
        return _("The date %(date)s is in the future.") % {"date": measured_on.isoformat()}
    return None


def _unit_error(kpi: Kpi, unit: str | None) -> str | None:
    if unit and normalise_unit(unit) != normalise_unit(kpi.unit):
        return _("The unit %(given)s differs from the KPI's unit, %(unit)s.") % {
            "given": " ".join(unit.split()),
            "unit": kpi.unit,
        }
    return None


def _same_day_error(measured_on: date, value: Decimal) -> str:
    return _(
        "There is a value for %(date)s already: %(value)s. Replace it, or choose another date."
    ) % {"date": measured_on.isoformat(), "value": plain(value)}


def _measurement_errors(
    kpi: Kpi, measured_on: date | None, value: Decimal | None, unit: str | None, note: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    message = _date_error(kpi, measured_on, timezone.localdate())
    if message:
        errors["measured_on"] = message
    message = number_error(value)
    if message:
        errors["value"] = message
    message = _unit_error(kpi, unit)
    if message:
        errors["unit"] = message
    if len(note) > NOTE_MAX:
        errors["note"] = _("Write at most %(count)d characters.") % {"count": NOTE_MAX}
    return errors


def refresh_latest(kpi_ids) -> None:
    """Set each KPI's ``latest_value`` and ``latest_on`` from its measurements (None without
    any), in one statement. Saving a measurement does it through a signal; deleting one and
    writing many at once (imports, demo and scale data) call it."""
    latest = Measurement.objects.filter(kpi=OuterRef("pk")).order_by("-measured_on")
    Kpi.objects.filter(pk__in=kpi_ids).update(
        latest_value=Subquery(latest.values("value")[:1]),
        latest_on=Subquery(latest.values("measured_on")[:1]),
    )


def measurement_saved(instance: Measurement, **_signal_arguments: Any) -> None:
    refresh_latest([instance.kpi_id])


def _store(measurement: Measurement) -> Measurement:
    try:
        with transaction.atomic():  # a savepoint: a same-day race leaves the outer intact
            measurement.save()
    except IntegrityError:
        existing = Measurement.objects.filter(
            kpi_id=measurement.kpi_id, measured_on=measurement.measured_on
        ).first()
        value = existing.value if existing else measurement.value
        raise ValidationError(
            {"measured_on": _same_day_error(measurement.measured_on, value)}
        ) from None
    return measurement


@transaction.atomic
def add_measurement(
    actor: User,
    kpi: Kpi,
    measured_on: date,
    value: Decimal,
    unit: str | None = None,
    note: str = "",
    *,
    replace: bool = False,
) -> Measurement:
    """A value of the KPI on a day. ``unit``, when given, must be the KPI's (compared without
    case and extra spaces). A day with a value already is refused, naming that value, unless
    ``replace``: then the value and note are replaced."""
    _require(permissions.can_edit_pilot(actor, kpi.pilot))
    note, value = (note or "").strip(), as_decimal(value)
    errors = _measurement_errors(kpi, measured_on, value, unit, note)
    if errors:
        raise ValidationError(errors)
    existing = kpi.measurements.filter(measured_on=measured_on).first()
    if existing is not None:
        if not replace:
            raise ValidationError({"measured_on": _same_day_error(measured_on, existing.value)})
        existing.value, existing.note, existing.recorded_by = value, note, actor
        existing.save(update_fields=["value", "note", "recorded_by"])
        return existing
    return _store(
        Measurement(kpi=kpi, measured_on=measured_on, value=value, note=note, recorded_by=actor)
    )


@transaction.atomic
def update_measurement(
    actor: User, measurement: Measurement, *, measured_on: date, value: Decimal, note: str = ""
) -> Measurement:
    kpi = measurement.kpi
    _require(permissions.can_edit_pilot(actor, kpi.pilot))
    note, value = (note or "").strip(), as_decimal(value)
    errors = _measurement_errors(kpi, measured_on, value, None, note)
    if errors:
        raise ValidationError(errors)
    other = kpi.measurements.filter(measured_on=measured_on).exclude(pk=measurement.pk).first()
    if other is not None:
        raise ValidationError({"measured_on": _same_day_error(measured_on, other.value)})
    measurement.measured_on, measurement.value, measurement.note = measured_on, value, note
    measurement.recorded_by = actor
    return _store(measurement)


@transaction.atomic
def delete_measurement(actor: User, measurement: Measurement) -> None:
    _require(permissions.can_edit_pilot(actor, measurement.kpi.pilot))
    measurement.delete()
    refresh_latest([measurement.kpi_id])


# Import ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    added: int
    replaced: int


def import_measurements(
    actor: User, kpi: Kpi, name: str, data: bytes, *, replace: bool = False
) -> ImportResult:
    """Store every row of a CSV or XLSX file (see ``kpi_import``) as a measurement of the KPI,
    all in one transaction; if any row is bad, nothing is stored and the ValidationError on
    ``file`` lists every bad row with its line number."""
    _require(permissions.can_edit_pilot(actor, kpi.pilot))
    try:
        parsed = kpi_import.parse(name, data)
    except kpi_import.FileRefused as refusal:
        raise ValidationError({"file": [str(refusal)]}) from None
    with transaction.atomic():
        # The lock keeps two imports of one KPI from checking the same days at once.
        Kpi.objects.select_for_update().filter(pk=kpi.pk).first()
        existing = {m.measured_on: m for m in kpi.measurements.all()}
        problems = list(parsed.problems)
        seen: dict[date, int] = {}
        today = timezone.localdate()
        for row in parsed.rows:
            messages = [
                m
                for m in (
                    _date_error(kpi, row.measured_on, today),
                    number_error(row.value),
                    _unit_error(kpi, row.unit),
                )
                if m
            ]
            if row.measured_on in seen:
                messages.append(
                    _("%(date)s is on line %(line)d too")
                    % {"date": row.measured_on.isoformat(), "line": seen[row.measured_on]}
                )
            else:
                seen[row.measured_on] = row.line
            if row.measured_on in existing and not replace:
                messages.append(_same_day_error(row.measured_on, existing[row.measured_on].value))
            problems += [(row.line, m) for m in messages]
        if problems:
            problems.sort(key=lambda problem: problem[0])  # stable: a line's order is kept
            raise ValidationError(
                {"file": [kpi_import.line_message(line, m) for line, m in problems]}
            )
        new, changed = [], []
        for row in parsed.rows:
            if row.measured_on in existing:
                old = existing[row.measured_on]
                old.value, old.note, old.recorded_by = row.value, row.note, actor
                changed.append(old)
            else:
                new.append(
                    Measurement(
                        kpi=kpi,
                        measured_on=row.measured_on,
                        value=row.value,
                        note=row.note,
                        recorded_by=actor,
                    )
                )
        try:
            with transaction.atomic():
                Measurement.objects.bulk_create(new, batch_size=1000)
        except IntegrityError:  # another writer took one of these days meanwhile
            raise ValidationError(
                {"file": [_("Some of these days got a value meanwhile. Import the file again.")]}
            ) from None
        Measurement.objects.bulk_update(changed, ["value", "note", "recorded_by"], batch_size=1000)
        refresh_latest([kpi.pk])
    return ImportResult(added=len(new), replaced=len(changed))
