"""Every write of benefits plans: benefits, their status, measurements, and the reminders
when a measurement is due. Pages, API and the reminder command call these.

Who may: the people who keep the pilot (``permissions.can_edit_pilot``). The benefit owner
(*gevinstansvarlig*) is a person of the pilot's organisation tree; the holders
(*gevinsteiere*) are public-sector organisations around the pilot (see
``holder_candidates``).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samspil.core import permissions
from samspil.core.models import PUBLIC_SECTOR_KINDS, Organisation, User
from samspil.core.services import notify
from samspil.events.services import organiser_candidates

from . import benefits
from .kpi_services import check_target
from .models import (
    Benefit,
    BenefitMeasurement,
    BenefitStatus,
    BenefitType,
    Direction,
    Pilot,
    PilotPartner,
)

BENEFIT_FIELDS = {
    "benefit_type",
    "indicator",
    "unit",
    "direction",
    "baseline_value",
    "baseline_on",
    "target_value",
    "target_on",
    "measure_every_months",
    "next_measurement_on",
}
REQUIRED_FIELDS = (
    "benefit_type",
    "indicator",
    "unit",
    "baseline_value",
    "baseline_on",
    "target_value",
    "target_on",
)
REMINDER_TEMPLATE = "pilots/benefits/email/measurement_due"
NOTE_MAX = 300

_UNSET = object()


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _save(actor: User, obj) -> None:
    obj._history_user = actor
    obj.full_clean()
    obj.save()


def benefit_path(benefit: Benefit) -> str:
    return reverse("pilots:benefit-detail", args=[benefit.pilot_id, benefit.pk])


# Who may own and hold a benefit ---------------------------------------------------------------


def owner_candidates(pilot: Pilot) -> QuerySet[User]:
    """People of the pilot's organisation, its parts and those above it."""
    return organiser_candidates(pilot.owner).order_by("first_name", "last_name", "username")


def holder_candidates(actor: User, pilot: Pilot) -> QuerySet[Organisation]:
    """Public-sector organisations the actor sees that take part in the pilot: its owner
    and the organisations in the owner's tree, the programme's owner and co-owners, public
    partners, the organisations that adopted it and the one it was adopted from."""
    tree = permissions._with_descendants({pilot.owner_id})
    parent_id = pilot.owner.parent_id
    while parent_id is not None and parent_id not in tree:
        tree.add(parent_id)
        parent_id = (
            Organisation.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
        )
    around = (
        Q(pk__in=tree)
        | Q(pk__in=PilotPartner.objects.filter(pilot=pilot).values("organisation_id"))
        | Q(pk__in=Pilot.objects.filter(adopted_from=pilot).values("owner_id"))
    )
    if pilot.adopted_from_id:
        around |= Q(pk__in=Pilot.objects.filter(pk=pilot.adopted_from_id).values("owner_id"))
    programme = pilot.programme
    if programme is not None:
        around |= Q(pk=programme.owner_id) | Q(co_programmes=programme.pk)
    chosen = Organisation.objects.filter(around, kind__in=PUBLIC_SECTOR_KINDS).values("pk")
    return permissions.organisations_visible_to(actor).filter(pk__in=chosen).order_by("name", "pk")


# Benefits ------------------------------------------------------------------------------------


def _clean(actor: User, pilot: Pilot, benefit: Benefit, owner, holders) -> None:
    errors: dict[str, str] = {}
    for name in REQUIRED_FIELDS:
        value = getattr(benefit, name)
        if isinstance(value, str):
            value = value.strip()
            setattr(benefit, name, value)
        if value in (None, ""):
            errors[name] = _("This field is required.")
    if benefit.benefit_type and benefit.benefit_type not in BenefitType.values:
        errors["benefit_type"] = _("Choose one of the types.")
    if benefit.direction not in Direction.values:
        errors["direction"] = _("Choose whether lower or higher is better.")
    if benefit.baseline_on and benefit.target_on and benefit.target_on <= benefit.baseline_on:
        errors["target_on"] = _("The target date must be after the baseline date.")
    check_target(errors, benefit.baseline_value, benefit.target_value, benefit.direction)
    if owner is not None and not owner_candidates(pilot).filter(pk=owner.pk).exists():
        errors["owner"] = _("Choose a person of %(organisation)s.") % {"organisation": pilot.owner}
    if holders is not None:
        wanted = {o.pk for o in holders}
        allowed = set(
            holder_candidates(actor, pilot).filter(pk__in=wanted).values_list("pk", flat=True)
        )
        if wanted - allowed:
            errors["holders"] = _("Choose public-sector organisations that take part in the pilot.")
    if errors:
        raise ValidationError(errors)


def _schedule(benefit: Benefit, explicit: date | None) -> None:
    """The next measurement is the date given, else due every N months from the latest
    measurement (or the baseline date)."""
    if explicit is not None:
        benefit.next_measurement_on = explicit
        return
    last = None
    if benefit.pk:
        last = (
            benefit.measurements.order_by("-measured_on")
            .values_list("measured_on", flat=True)
            .first()
        )
    benefit.next_measurement_on = benefits.next_measurement(
        last, benefit.baseline_on, benefit.measure_every_months
    )


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - BENEFIT_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")


@transaction.atomic
def add_benefit(
    actor: User,
    pilot: Pilot,
    *,
    owner: User | None = None,
    holders=(),
    **fields,
) -> Benefit:
    """A line of the pilot's benefits plan, starting as "identified"; the first measurement
    is due ``measure_every_months`` after the baseline date unless ``next_measurement_on``
    says otherwise."""
    _require(permissions.can_edit_pilot(actor, pilot))
    _check_fields(fields)
    explicit = fields.pop("next_measurement_on", None)
    fields.setdefault("direction", Direction.HIGHER)
    fields.setdefault("measure_every_months", 3)
    holders = list(holders or [])
    benefit = Benefit(pilot=pilot, owner=owner, **fields)
    _clean(actor, pilot, benefit, owner, holders)
    _schedule(benefit, explicit)
    _save(actor, benefit)
    benefit.holders.set(holders)
    return benefit


@transaction.atomic
def update_benefit(
    actor: User, benefit: Benefit, *, owner=_UNSET, holders=None, **fields
) -> Benefit:
    """Change a benefit. Leave ``owner`` out to keep them (None clears), ``holders`` out to
    keep them. A ``next_measurement_on`` of None, or a new baseline date or interval without
    one, reschedules the next measurement from the latest (or the baseline date)."""
    pilot = benefit.pilot
    _require(permissions.can_edit_pilot(actor, pilot))
    _check_fields(fields)
    if "next_measurement_on" in fields:
        reschedule, explicit = True, fields.pop("next_measurement_on")
    else:
        reschedule = any(
            name in fields and fields[name] != getattr(benefit, name)
            for name in ("baseline_on", "measure_every_months")
        )
        explicit = None
    for name, value in fields.items():
        setattr(benefit, name, value)
    if owner is not _UNSET:
        benefit.owner = owner  # type: ignore[assignment]
    holders = None if holders is None else list(holders)
    _clean(actor, pilot, benefit, benefit.owner if owner is not _UNSET else None, holders)
    if reschedule:
        _schedule(benefit, explicit)
    _save(actor, benefit)
    if holders is not None:
        benefit.holders.set(holders)
    return benefit


@transaction.atomic
def delete_benefit(actor: User, benefit: Benefit) -> None:
    _require(permissions.can_edit_pilot(actor, benefit.pilot))
    benefit._history_user = actor  # type: ignore[attr-defined]
    benefit.delete()


def _status_label(status: str) -> str:
    return str(dict(BenefitStatus.choices).get(status, status)).lower()


@transaction.atomic
def change_status(actor: User, benefit: Benefit, status: str) -> Benefit:
    """identified → planned → realising → realised / partly / not realised, one step at a
    time either way (see ``benefits.can_change_status``)."""
    _require(permissions.can_edit_pilot(actor, benefit.pilot))
    if status not in BenefitStatus.values or not benefits.can_change_status(benefit.status, status):
        raise ValidationError(
            {
                "status": _(
                    "A benefit that is %(current)s cannot become %(new)s: move one step at a time."
                )
                % {"current": _status_label(benefit.status), "new": _status_label(status)}
            }
        )
    benefit.status = status
    _save(actor, benefit)
    return benefit


# Measurements --------------------------------------------------------------------------------


@transaction.atomic
def add_measurement(
    actor: User,
    benefit: Benefit,
    measured_on: date,
    value,
    note: str = "",
    *,
    today: date | None = None,
) -> BenefitMeasurement:
    """A measurement of the indicator: from the baseline date to today, once a day. The next
    one falls due ``measure_every_months`` after the latest; the first moves a planned
    benefit to "being realised"."""
    _require(permissions.can_edit_pilot(actor, benefit.pilot))
    today = today or timezone.localdate()
    note = (note or "").strip()
    errors: dict[str, str] = {}
    if measured_on is None:
        errors["measured_on"] = _("This field is required.")
    elif measured_on < benefit.baseline_on:
        errors["measured_on"] = _("A measurement cannot be before the baseline date.")
    elif measured_on > today:
        errors["measured_on"] = _("A measurement cannot be in the future.")
    elif benefit.measurements.filter(measured_on=measured_on).exists():
        errors["measured_on"] = _("There is already a measurement on this day.")
    if value is None or value == "":
        errors["value"] = _("This field is required.")
    if len(note) > NOTE_MAX:
        errors["note"] = _("Write at most %(count)d characters.") % {"count": NOTE_MAX}
    if errors:
        raise ValidationError(errors)
    first = not benefit.measurements.exists()
    measurement = BenefitMeasurement(
        benefit=benefit, measured_on=measured_on, value=value, note=note, recorded_by=actor
    )
    measurement.full_clean()
    try:
        with transaction.atomic():
            measurement.save()
    except IntegrityError:  # the same day recorded at the same moment by someone else
        raise ValidationError(
            {"measured_on": _("There is already a measurement on this day.")}
        ) from None
    _schedule(benefit, None)
    if first and benefit.status == BenefitStatus.PLANNED:
        benefit.status = BenefitStatus.REALISING
    _save(actor, benefit)
    return measurement


@transaction.atomic
def delete_measurement(actor: User, measurement: BenefitMeasurement) -> None:
    """Remove a wrong measurement; the next one falls due from the latest left."""
    benefit = measurement.benefit
    _require(permissions.can_edit_pilot(actor, benefit.pilot))
    measurement.delete()
    _schedule(benefit, None)
    _save(actor, benefit)


# Reminders -----------------------------------------------------------------------------------


def due_reminders(today: date) -> QuerySet[Benefit]:
    """Benefits being measured whose next measurement is due by ``today`` and whose owner
    was not yet reminded of that due date."""
    return (
        Benefit.objects.filter(
            status__in=benefits.MEASURED,
            owner__isnull=False,
            owner__is_active=True,
            next_measurement_on__lte=today,
        )
        .exclude(reminded_for=F("next_measurement_on"))
        .select_related("owner", "pilot")
        .order_by("next_measurement_on", "pk")
    )


def remind_due_measurements(today: date | None = None) -> int:
    """Tell each benefit owner, in their language (in-app and by e-mail), that a measurement
    is due: once per due date, recorded in ``Benefit.reminded_for``. A new measurement or a
    new due date brings a new reminder when that date comes."""
    today = today or timezone.localdate()
    sent = 0
    for benefit in due_reminders(today):
        due = benefit.next_measurement_on
        with transaction.atomic():
            # Claim the reminder first, so that two runs at once do not both send it. A
            # bookkeeping field: ``update`` leaves the benefit's history alone on purpose.
            claimed = (
                Benefit.objects.filter(pk=benefit.pk, next_measurement_on=due)
                .exclude(reminded_for=due)
                .update(reminded_for=due)
            )
            if not claimed:
                continue
            notify(
                benefit.owner,  # type: ignore[arg-type]
                REMINDER_TEMPLATE,
                {"indicator": benefit.indicator, "pilot": benefit.pilot.title, "due_on": due},
                benefit_path(benefit),
            )
        sent += 1
    return sent
