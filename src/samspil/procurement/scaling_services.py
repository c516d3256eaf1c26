"""Every write of a scaling process (CO-PI's method): start it from a shared challenge, keep
its three criteria, its participating organisations with their roles, its steps in order,
the participants' letters of intent and the adoption of the solution over time.

Who may (``core.permissions``, section "scaling processes"):

- start one: procurement officers and innovation leads of the owning organisation, which
  facilitates it (``can_create_scaling_process``);
- change it (criteria, participants, steps, adoption counts, the tender): the same roles of
  the owner or of a participant with the role facilitator (``can_edit_scaling_process``);
- record a letter of intent for an organisation: its own procurement officers and
  innovation leads (``can_commit_for``), or the process's editors on its behalf (a
  facilitator collects the signed letters); the organisation must take part.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from samspil.core import permissions
from samspil.core.models import Organisation, User, Visibility
from samspil.core.validation import clean_text
from samspil.needs.models import Challenge, ChallengeCoOwner, CoOwnerStatus

from . import scaling_adoption
from .models import (
    AMOUNT_LIMIT,
    SCALING_STEP_ORDER,
    TEXT_MAX,
    TITLE_MAX,
    AdoptionCount,
    Commitment,
    ScalingParticipant,
    ScalingProcess,
    ScalingRole,
    ScalingStep,
    ScalingStepDone,
)

PROCESS_FIELDS = {
    "title",
    "description",
    "challenge",
    "saves_time",
    "recognisable_elsewhere",
    "anchored_in_management",
    "currency",
    "visibility",
    "started_on",
    "procurement",
}
CRITERIA = ("saves_time", "recognisable_elsewhere", "anchored_in_management")
VOLUME_LIMIT = Decimal(10**12)
COUNT_LIMIT = 100_000
FIRST_YEAR, LAST_YEAR = 1900, 2200


class AlreadyCommitted(ValidationError):
    """The organisation has a letter of intent in this process already (the API's 409)."""


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _short(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _check_date(errors: dict, name: str, day, *, not_future: bool = True) -> None:
    if not isinstance(day, datetime.date):
        errors[name] = _("Enter a valid date.")
    elif day.year < FIRST_YEAR or day.year > LAST_YEAR:
        errors[name] = _("Enter a date from 1900 to 2200.")
    elif not_future and day > timezone.localdate():
        errors[name] = _("Enter a date that is not in the future.")


def missing_criteria(process: ScalingProcess) -> list[str]:
    """The labels of the CO-PI criteria the process does not meet yet."""
    return [
        str(getattr(ScalingProcess._meta.get_field(name), "verbose_name", name))
        for name in CRITERIA
        if not getattr(process, name)
    ]


# The process ------------------------------------------------------------------------------


def _validate(actor: User, fields: dict, current: ScalingProcess | None) -> None:
    errors: dict[str, str] = {}
    clean_text(fields, errors, "title", TITLE_MAX, required=True)
    clean_text(fields, errors, "description", TEXT_MAX)
    if "visibility" in fields and fields["visibility"] not in Visibility.values:
        errors["visibility"] = _("Choose internal, shared or public.")
    if fields.get("started_on") is not None:
        _check_date(errors, "started_on", fields["started_on"], not_future=False)
    challenge = fields.get("challenge")
    if (
        challenge is not None
        and (current is None or challenge.pk != current.challenge_id)
        and not permissions.challenges_visible_to(actor).filter(pk=challenge.pk).exists()
    ):
        errors["challenge"] = _("Choose a challenge you may see.")
    procurement = fields.get("procurement")
    if (
        procurement is not None
        and (current is None or procurement.pk != current.procurement_id)
        and not permissions.procurements_visible_to(actor).filter(pk=procurement.pk).exists()
    ):
        errors["procurement"] = _("Choose a procurement you may see.")
    if errors:
        raise ValidationError(errors)


def need_owners_of(challenge: Challenge) -> list[Organisation]:
    """The challenge's lead organisation and its accepted co-owners, lead first."""
    co_owners = ChallengeCoOwner.objects.filter(
        challenge=challenge, status=CoOwnerStatus.ACCEPTED
    ).select_related("organisation")
    owners = [challenge.owner]
    owners += sorted(
        (c.organisation for c in co_owners if c.organisation_id != challenge.owner_id),
        key=lambda o: o.name,
    )
    return owners


@transaction.atomic
def create_scaling_process(actor: User, owner: Organisation, **fields) -> ScalingProcess:
    """A scaling process facilitated by ``owner``; started from a challenge, the challenge's
    owner and accepted co-owners take part as need owners."""
    _require(permissions.can_create_scaling_process(actor, owner))
    unknown = set(fields) - PROCESS_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    fields.setdefault("title", "")
    fields.setdefault("visibility", Visibility.INTERNAL)
    challenge = fields.get("challenge")
    for name in CRITERIA:  # the challenge's criteria unless told
        fields.setdefault(name, bool(challenge is not None and getattr(challenge, name)))
    _validate(actor, fields, None)
    if not fields.get("currency"):
        fields["currency"] = owner.currency
    process = ScalingProcess(owner=owner, created_by=actor, **fields)
    process._history_user = actor  # type: ignore[attr-defined]
    process.save()
    if challenge is not None:
        today = timezone.localdate()
        for organisation in need_owners_of(challenge):
            participant = ScalingParticipant(
                process=process,
                organisation=organisation,
                role=ScalingRole.NEED_OWNER,
                joined_on=today,
                added_by=actor,
            )
            participant._history_user = actor  # type: ignore[attr-defined]
            participant.save()
    return process


@transaction.atomic
def update_scaling_process(actor: User, process: ScalingProcess, **fields) -> ScalingProcess:
    """Change the title, description, criteria, visibility, start date or the tender."""
    _require(permissions.can_edit_scaling_process(actor, process))
    unknown = set(fields) - (PROCESS_FIELDS - {"challenge"})
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    if "currency" in fields and not fields["currency"]:
        del fields["currency"]
    _validate(actor, fields, process)
    for name, value in fields.items():
        setattr(process, name, value)
    process._history_user = actor  # type: ignore[attr-defined]
    process.save()
    return process


# Participants ------------------------------------------------------------------------------


def _check_role(role: str) -> None:
    if role not in ScalingRole.values:
        raise ValidationError({"role": _("Choose need owner, buyer, observer or facilitator.")})


@transaction.atomic
def add_participant(
    actor: User,
    process: ScalingProcess,
    organisation: Organisation | None,
    role: str = ScalingRole.OBSERVER,
) -> ScalingParticipant:
    """An organisation takes part with a role; once per process."""
    _require(permissions.can_edit_scaling_process(actor, process))
    errors: dict[str, str] = {}
    if role not in ScalingRole.values:
        errors["role"] = _("Choose need owner, buyer, observer or facilitator.")
    if organisation is None:
        errors["organisation"] = _("This field is required.")
    elif process.participants.filter(organisation=organisation).exists():
        errors["organisation"] = _("%(organisation)s takes part already.") % {
            "organisation": organisation
        }
    if errors:
        raise ValidationError(errors)
    participant = ScalingParticipant(
        process=process,
        organisation=organisation,
        role=role,
        joined_on=timezone.localdate(),
        added_by=actor,
    )
    participant._history_user = actor  # type: ignore[attr-defined]
    participant.save()
    return participant


@transaction.atomic
def change_participant_role(
    actor: User, participant: ScalingParticipant, role: str
) -> ScalingParticipant:
    _require(permissions.can_edit_scaling_process(actor, participant.process))
    _check_role(role)
    if participant.role != role:
        participant.role = role
        participant._history_user = actor  # type: ignore[attr-defined]
        participant.save(update_fields=["role"])
    return participant


@transaction.atomic
def remove_participant(actor: User, participant: ScalingParticipant) -> None:
    """An organisation leaves; one with a letter of intent stays."""
    _require(permissions.can_edit_scaling_process(actor, participant.process))
    if Commitment.objects.filter(
        process_id=participant.process_id, organisation_id=participant.organisation_id
    ).exists():
        raise ValidationError(
            {
                "organisation": _(
                    "%(organisation)s has signed a letter of intent and stays in the process."
                )
                % {"organisation": participant.organisation}
            }
        )
    participant._history_user = actor  # type: ignore[attr-defined]
    participant.delete()


# Steps --------------------------------------------------------------------------------------


def step_label(step: str) -> str:
    return str(ScalingStep(step).label)


def next_step(process: ScalingProcess) -> str | None:
    done = set(process.steps_done.values_list("step", flat=True))
    return next((step for step in SCALING_STEP_ORDER if step not in done), None)


@transaction.atomic
def mark_step_done(
    actor: User,
    process: ScalingProcess,
    *,
    step: str | None = None,
    done_on: datetime.date | None,
    note: str = "",
    event=None,
) -> ScalingStepDone:
    """The next CO-PI step done on ``done_on``; ``step`` (if given) must be that next step:
    skipping a step is refused. ``event`` (a workshop, a supplier conference) must be one the
    actor may see."""
    _require(permissions.can_edit_scaling_process(actor, process))
    ScalingProcess.objects.select_for_update().filter(pk=process.pk).first()
    following = next_step(process)
    if following is None:
        raise ValidationError({"step": _("Every step of the process is done.")})
    if step and step != following:
        if step not in SCALING_STEP_ORDER:
            raise ValidationError({"step": _("This is not a step of a scaling process.")})
        if process.steps_done.filter(step=step).exists():
            raise ValidationError({"step": _("This step is done already.")})
        raise ValidationError(
            {
                "step": _("Steps are done in order: “%(next)s” comes before “%(step)s”.")
                % {"next": step_label(following), "step": step_label(step)}
            }
        )
    errors: dict[str, str] = {}
    values = {"note": note}
    clean_text(values, errors, "note", TEXT_MAX)
    _check_date(errors, "done_on", done_on)
    if "done_on" not in errors:
        last = process.steps_done.order_by("-done_on").values_list("done_on", flat=True).first()
        if last is not None and done_on < last:  # type: ignore[operator]
            errors["done_on"] = _("A step cannot be done before the step before it (%(date)s).") % {
                "date": _short(last)
            }
    if event is not None and not permissions.events_visible_to(actor).filter(pk=event.pk).exists():
        errors["event"] = _("Choose an event you may see.")
    if errors:
        raise ValidationError(errors)
    assert isinstance(done_on, datetime.date)  # checked above
    row = ScalingStepDone(
        process=process,
        step=following,
        done_on=done_on,
        note=values["note"],
        event=event,
        done_by=actor,
    )
    row._history_user = actor  # type: ignore[attr-defined]
    row.save()
    ScalingProcess.objects.filter(pk=process.pk).update(updated_at=timezone.now())
    return row


# Letters of intent --------------------------------------------------------------------------


def can_record_commitment(user, process: ScalingProcess, organisation: Organisation | int) -> bool:
    """The organisation's own procuring roles, or the process's editors on its behalf."""
    return permissions.can_commit_for(user, organisation) or (
        permissions.can_edit_scaling_process(user, process)
    )


def may_record_any_commitment(user, process: ScalingProcess) -> bool:
    """Whether the user may record a letter of intent for some participant."""
    if not user.is_authenticated:
        return False
    if permissions.can_edit_scaling_process(user, process):
        return True
    procuring = permissions.organisations_with_role(user, *permissions.PROCURING_ROLES)
    return process.participants.filter(organisation__in=procuring).exists()


def _as_decimal(fields: dict, errors: dict, name: str) -> None:
    value = fields.get(name)
    if value is None or isinstance(value, Decimal):
        return
    try:
        fields[name] = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[name] = _("Enter a number, such as 160000000.")
        fields[name] = None


def _clean_commitment(fields: dict, errors: dict) -> None:
    _as_decimal(fields, errors, "volume")
    _as_decimal(fields, errors, "value")
    for name in ("volume", "value"):
        number = fields.get(name)
        if number is not None and not number.is_finite():
            errors[name] = _("Enter a number, such as 160000000.")
            fields[name] = None
    volume = fields.get("volume")
    if volume is not None:
        if volume < 0:
            errors["volume"] = _("Enter the volume without a sign.")
        elif volume >= VOLUME_LIMIT:
            errors["volume"] = _("Enter a smaller volume.")
    clean_text(fields, errors, "volume_unit", 60)
    if volume is not None and "volume_unit" not in errors and not fields["volume_unit"]:
        errors["volume_unit"] = _("Enter the unit of the volume, such as “machines”.")
    value = fields.get("value")
    if value is not None:
        if value < 0:
            errors["value"] = _("Enter the amount without a sign.")
        elif value > AMOUNT_LIMIT:
            errors["value"] = _("Enter an amount below %(limit)s.") % {"limit": f"{AMOUNT_LIMIT:,}"}
        elif value != value.to_integral_value():
            errors["value"] = _("Enter the amount in whole units of the currency.")
    if volume is None and value is None and not errors.keys() & {"volume", "value"}:
        errors["volume"] = _("Enter the volume, the value or both.")
    clean_text(fields, errors, "signed_by", 200, required=True)
    if fields.get("signed_on") is None:
        errors["signed_on"] = _("Enter the date the letter was signed.")
    else:
        _check_date(errors, "signed_on", fields["signed_on"])


@transaction.atomic
def record_commitment(
    actor: User,
    process: ScalingProcess,
    organisation: Organisation | None,
    *,
    volume: Decimal | None = None,
    volume_unit: str = "",
    value: Decimal | None = None,
    signed_on: datetime.date | None = None,
    signed_by: str = "",
) -> Commitment:
    """A participant's letter of intent with the volume and value it means to buy.

    Refused (``ValidationError`` on ``organisation``) when the organisation does not take
    part, refused with ``AlreadyCommitted`` when it has a letter already, and
    ``PermissionDenied`` when the actor may not record for it.
    """
    if organisation is None:
        raise ValidationError({"organisation": _("This field is required.")})
    ScalingProcess.objects.select_for_update().filter(pk=process.pk).first()
    if not process.participants.filter(organisation=organisation).exists():
        if not (
            may_record_any_commitment(actor, process)
            or permissions.can_commit_for(actor, organisation)
        ):
            raise PermissionDenied
        raise ValidationError(
            {
                "organisation": _(
                    "%(organisation)s does not take part in this scaling process: add it as a "
                    "participant before recording its letter of intent."
                )
                % {"organisation": organisation}
            }
        )
    _require(can_record_commitment(actor, process, organisation))
    if process.commitments.filter(organisation=organisation).exists():
        raise AlreadyCommitted(
            {
                "organisation": _("%(organisation)s has signed a letter of intent already.")
                % {"organisation": organisation}
            }
        )
    fields = {
        "volume": volume,
        "volume_unit": volume_unit or "",
        "value": value,
        "signed_on": signed_on,
        "signed_by": signed_by or "",
    }
    errors: dict[str, str] = {}
    _clean_commitment(fields, errors)
    if errors:
        raise ValidationError(errors)
    commitment = Commitment(process=process, organisation=organisation, recorded_by=actor, **fields)
    commitment._history_user = actor  # type: ignore[attr-defined]
    commitment.save()
    ScalingProcess.objects.filter(pk=process.pk).update(updated_at=timezone.now())
    return commitment


# Adoption over time -------------------------------------------------------------------------


def adoption_of(process: ScalingProcess) -> scaling_adoption.Adoption:
    rows = process.adoption_counts.values_list("counted_on", "organisations")
    return scaling_adoption.adoption(rows)


@transaction.atomic
def add_adoption_count(
    actor: User,
    process: ScalingProcess,
    *,
    counted_on: datetime.date | None,
    organisations: int | None,
    note: str = "",
) -> AdoptionCount:
    """How many organisations had bought the solution on a date; counts never fall."""
    _require(permissions.can_edit_scaling_process(actor, process))
    ScalingProcess.objects.select_for_update().filter(pk=process.pk).first()
    errors: dict[str, str] = {}
    values = {"note": note}
    clean_text(values, errors, "note", 300)
    _check_date(errors, "counted_on", counted_on)
    if organisations is None:
        errors["organisations"] = _("Enter how many organisations had bought the solution.")
    elif organisations < 0 or organisations > COUNT_LIMIT:
        errors["organisations"] = _("Enter a whole number from 0 to %(limit)s.") % {
            "limit": COUNT_LIMIT
        }
    if not errors:
        assert counted_on is not None and organisations is not None
        if process.adoption_counts.filter(counted_on=counted_on).exists():
            errors["counted_on"] = _("There is a count for %(date)s already.") % {
                "date": _short(counted_on)
            }
        else:
            clash = scaling_adoption.conflict(adoption_of(process), counted_on, organisations)
            if clash is not None:
                message = (
                    _(
                        "%(count)s organisations had bought it by %(date)s: a later count "
                        "cannot be lower."
                    )
                    if clash.earlier
                    else _(
                        "Only %(count)s organisations had bought it by %(date)s: an earlier "
                        "count cannot be higher."
                    )
                )
                errors["organisations"] = message % {
                    "count": clash.point.organisations,
                    "date": _short(clash.point.counted_on),
                }
    if errors:
        raise ValidationError(errors)
    assert counted_on is not None and organisations is not None  # checked above
    row = AdoptionCount(
        process=process,
        counted_on=counted_on,
        organisations=organisations,
        note=values["note"],
    )
    row._history_user = actor  # type: ignore[attr-defined]
    row.save()
    ScalingProcess.objects.filter(pk=process.pk).update(updated_at=timezone.now())
    return row
