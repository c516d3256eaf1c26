"""Every write of a competence pool: add, change and remove a person, assign them to a pilot
or an event for a period with a share of their time, and remove an assignment.

Who may: the organisation's innovation leads and admins (``permissions.can_manage_pool``).
An assignment is refused when, on any day of its period, the person's assignments would
take more than their available share (``pool_load.excess``); the reason names the peak and
its dates. Lowering a person's available share is allowed: the pool page then shows them as
over-booked.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from samspil.core import permissions
from samspil.core.models import Membership, Organisation, User

from . import pool_load
from .models import Assignment, Competence, Hub, PoolMember

MEMBER_FIELDS = ("competences", "available_percent", "note", "hub")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _day(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _lineage(organisation: Organisation) -> set[int]:
    """The organisation and those above it."""
    found = {organisation.pk}
    parent_id = organisation.parent_id
    while parent_id is not None and parent_id not in found:
        found.add(parent_id)
        parent_id = (
            Organisation.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
        )
    return found


def is_member(user: User, organisation: Organisation) -> bool:
    """A member of the organisation, or of one it belongs to (a municipality's staff work in
    its hub)."""
    return Membership.objects.filter(user=user, organisation_id__in=_lineage(organisation)).exists()


def _clean_member(member: PoolMember) -> dict[str, str]:
    errors: dict[str, str] = {}
    known = set(Competence.values)
    competences = list(dict.fromkeys(member.competences or []))
    if not competences:
        errors["competences"] = _("Choose at least one competence.")
    elif any(code not in known for code in competences):
        errors["competences"] = _("Choose competences from the list.")
    member.competences = [code for code in Competence.values if code in competences]
    percent = member.available_percent
    if percent is None or not 1 <= percent <= 100:
        errors["available_percent"] = _("Enter a share from 1 to 100 %.")
    member.note = (member.note or "").strip()
    if len(member.note) > 300:
        errors["note"] = _("Enter at most 300 characters.")
    if member.hub is not None and member.hub.owner_id not in _lineage(member.organisation):
        errors["hub"] = _("Choose a hub of this organisation.")
    return errors


@transaction.atomic
def add_member(
    actor: User,
    organisation: Organisation,
    user: User | None,
    *,
    competences: Iterable[str],
    available_percent: int | None,
    note: str = "",
    hub: Hub | None = None,
) -> PoolMember:
    """Put a member of the organisation into its competence pool."""
    _require(permissions.can_manage_pool(actor, organisation))
    member = PoolMember(
        organisation=organisation,
        user=user,  # type: ignore[misc]
        competences=list(competences),
        available_percent=available_percent,  # type: ignore[misc]
        note=note,
        hub=hub,
    )
    errors = _clean_member(member)
    if user is None:
        errors["user"] = _("Choose a person.")
    elif not is_member(user, organisation):
        errors["user"] = _("%(person)s is not a member of %(organisation)s.") % {
            "person": user.get_full_name() or user.email,
            "organisation": organisation,
        }
    elif PoolMember.objects.filter(organisation=organisation, user=user).exists():
        errors["user"] = _("%(person)s is in the pool already.") % {
            "person": user.get_full_name() or user.email
        }
    if errors:
        raise ValidationError(errors)
    member._history_user = actor  # type: ignore[attr-defined]
    member.save()
    return member


@transaction.atomic
def update_member(actor: User, member: PoolMember, **fields) -> PoolMember:
    """Change a person's competences, available share, note or hub. A share below what they
    are assigned is kept; the pool page shows them as over-booked."""
    _require(permissions.can_manage_pool(actor, member.organisation_id))
    unknown = set(fields) - set(MEMBER_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(member, name, value)
    errors = _clean_member(member)
    if errors:
        raise ValidationError(errors)
    member._history_user = actor  # type: ignore[attr-defined]
    member.save()
    return member


@transaction.atomic
def remove_member(actor: User, member: PoolMember) -> None:
    """Take a person out of the pool with their assignments."""
    _require(permissions.can_manage_pool(actor, member.organisation_id))
    member._history_user = actor  # type: ignore[attr-defined]
    member.delete()


def spans_of(assignments: Iterable[Assignment]) -> list[pool_load.Span]:
    return [pool_load.Span(a.starts_on, a.ends_on, a.percent) for a in assignments]


@transaction.atomic
def assign(
    actor: User,
    member: PoolMember,
    *,
    pilot=None,
    event=None,
    competence: str = "",
    starts_on: date | None,
    ends_on: date | None,
    percent: int | None,
) -> Assignment:
    """Assign a person to one pilot or one event for a period with a share of their time.

    The caller passes a pilot or event the actor may see. Refused when on any day of the
    period the person's assignments would take more than their available share."""
    _require(permissions.can_manage_pool(actor, member.organisation_id))
    # One assignment of a person at a time, so that two at once cannot both pass the check.
    locked = PoolMember.objects.select_for_update().get(pk=member.pk)
    errors: dict[str, str] = {}
    if (pilot is None) == (event is None):
        errors["pilot"] = _("Choose either a pilot or an event.")
    if competence and competence not in Competence.values:
        errors["competence"] = _("Choose a competence from the list.")
    if starts_on is None:
        errors["starts_on"] = _("Enter the first day.")
    if ends_on is None:
        errors["ends_on"] = _("Enter the last day.")
    elif starts_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("The last day must not be before the first day.")
    for name, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        if day is not None and not 1900 <= day.year <= 2200 and name not in errors:
            errors[name] = _("Enter a date from 1900 to 2200.")
    if percent is None or not 1 <= percent <= 100:
        errors["percent"] = _("Enter a share from 1 to 100 %.")
    if errors:
        raise ValidationError(errors)
    assert starts_on is not None and ends_on is not None and percent is not None
    existing = spans_of(
        Assignment.objects.filter(member=locked).only("starts_on", "ends_on", "percent")
    )
    top = pool_load.excess(
        existing, pool_load.Span(starts_on, ends_on, percent), locked.available_percent
    )
    if top is not None:
        raise ValidationError(
            {
                "percent": _(
                    "%(person)s would be booked %(peak)s %% of their time from %(start)s to "
                    "%(end)s, above the %(available)s %% they have available."
                )
                % {
                    "person": locked,
                    "peak": top.percent,
                    "start": _day(top.starts_on),
                    "end": _day(top.ends_on),
                    "available": locked.available_percent,
                }
            }
        )
    assignment = Assignment(
        member=locked,
        pilot=pilot,
        event=event,
        competence=competence or "",
        starts_on=starts_on,
        ends_on=ends_on,
        percent=percent,
        assigned_by=actor,
    )
    assignment._history_user = actor  # type: ignore[attr-defined]
    assignment.save()
    return assignment


@transaction.atomic
def remove_assignment(actor: User, assignment: Assignment) -> None:
    _require(permissions.can_manage_pool(actor, assignment.member.organisation_id))
    assignment._history_user = actor  # type: ignore[attr-defined]
    assignment.delete()
