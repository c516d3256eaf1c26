"""Every write of programmes: create and edit, attach and detach pilots. Pages, API and the
demo loader call these.

A programme's people (board, coordinator) come from the trees of its owner and co-owners:
the organisations, their parts and those above them. A pilot joins a programme only when it
is run by the owner or a co-owner (or a part of one), so that a portfolio holds only the
programme's own pilots.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from samspil.core import permissions
from samspil.core.models import PUBLIC_SECTOR_KINDS, Organisation, User, Visibility
from samspil.core.validation import clean_text
from samspil.events.services import organiser_candidates

from .models import TEXT_MAX, TITLE_MAX, Method, Pilot, Programme

PROGRAMME_FIELDS = {
    "title",
    "description",
    "starts_on",
    "ends_on",
    "method",
    "phase_model",
    "gain_target_percent",
    "max_pilot_months",
    "visibility",
}
TARGET_LIMIT = 1000
MONTHS_MAX = 120


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _clean_fields(owner: Organisation, fields: dict) -> dict:
    unknown = set(fields) - PROGRAMME_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    errors: dict[str, str] = {}
    clean_text(fields, errors, "title", TITLE_MAX, required=True)
    clean_text(fields, errors, "description", TEXT_MAX)
    if "method" in fields and fields["method"] not in Method.values:
        errors["method"] = _("Choose a method.")
    if "visibility" in fields and fields["visibility"] not in Visibility.values:
        errors["visibility"] = _("Choose a visibility.")
    phase_model = fields.get("phase_model")
    if phase_model is not None and phase_model.organisation_id not in (None, owner.pk):
        errors["phase_model"] = _("Choose a built-in phase model or one of your organisation.")
    target = fields.get("gain_target_percent")
    if target is not None and not (-TARGET_LIMIT <= target <= TARGET_LIMIT):
        errors["gain_target_percent"] = _("Enter a target between -%(limit)d and %(limit)d %%.") % {
            "limit": TARGET_LIMIT
        }
    months = fields.get("max_pilot_months")
    if months is not None and not (1 <= months <= MONTHS_MAX):
        errors["max_pilot_months"] = _("Enter a number of months between 1 and %(max)d.") % {
            "max": MONTHS_MAX
        }
    if errors:
        raise ValidationError(errors)
    return fields


def _check_dates(programme: Programme) -> None:
    if not programme.starts_on:
        raise ValidationError({"starts_on": _("This field is required.")})
    if not programme.ends_on:
        raise ValidationError({"ends_on": _("This field is required.")})
    if programme.ends_on < programme.starts_on:
        raise ValidationError({"ends_on": _("The programme must not end before it starts.")})


def co_owner_candidates(user) -> QuerySet[Organisation]:
    """Public-sector organisations the user sees: who may share a programme."""
    return permissions.organisations_visible_to(user).filter(kind__in=PUBLIC_SECTOR_KINDS)


def _check_co_owners(actor: User, owner: Organisation, co_owners) -> list[Organisation]:
    co_owners = list(dict.fromkeys(co_owners))
    allowed = set(
        co_owner_candidates(actor)
        .filter(pk__in=[o.pk for o in co_owners])
        .values_list("pk", flat=True)
    )
    if any(o.pk not in allowed for o in co_owners):
        raise ValidationError(
            {"co_owners": _("Co-owners must be public-sector organisations you can see.")}
        )
    if any(o.pk == owner.pk for o in co_owners):
        raise ValidationError(
            {"co_owners": _("The organisation running the programme is not its co-owner.")}
        )
    return co_owners


def programme_people(owner: Organisation, co_owners=()):
    """People of the owner's and the co-owners' trees: who may sit on the board or
    coordinate."""
    condition = Q()
    for organisation in [owner, *co_owners]:
        condition |= Q(pk__in=organiser_candidates(organisation).values("pk"))
    return User.objects.filter(condition)


def _check_people(owner: Organisation, co_owners, board, coordinator) -> None:
    people = [u for u in [coordinator, *board] if u is not None]
    if not people:
        return
    allowed = set(
        programme_people(owner, co_owners)
        .filter(pk__in=[u.pk for u in people])
        .values_list("pk", flat=True)
    )
    message = _("Choose people of the organisation running the programme or of a co-owner.")
    if coordinator is not None and coordinator.pk not in allowed:
        raise ValidationError({"coordinator": message})
    if any(u.pk not in allowed for u in board):
        raise ValidationError({"board": message})


def _save(actor: User, obj) -> None:
    obj._history_user = actor
    obj.full_clean()
    obj.save()


@transaction.atomic
def create_programme(
    actor: User,
    owner: Organisation,
    *,
    co_owners=(),
    board=(),
    coordinator: User | None = None,
    **fields,
) -> Programme:
    """An innovation lead of ``owner`` starts a programme, shared with ``co_owners``."""
    _require(permissions.can_create_programme(actor, owner))
    fields = _clean_fields(owner, fields)
    fields.setdefault("visibility", Visibility.INTERNAL)
    co_owners = _check_co_owners(actor, owner, co_owners)
    board = list(dict.fromkeys(board))
    _check_people(owner, co_owners, board, coordinator)
    programme = Programme(owner=owner, created_by=actor, coordinator=coordinator, **fields)
    _check_dates(programme)
    _save(actor, programme)
    programme.co_owners.set(co_owners)
    programme.board.set(board)
    return programme


_UNSET = object()


@transaction.atomic
def update_programme(
    actor: User,
    programme: Programme,
    *,
    co_owners=None,
    board=None,
    coordinator=_UNSET,
    **fields,
) -> Programme:
    """Change the programme. Leave ``co_owners``, ``board`` or ``coordinator`` out to keep
    them; pass None as ``coordinator`` to clear it."""
    _require(permissions.can_edit_programme(actor, programme))
    fields = _clean_fields(programme.owner, fields)
    for name, value in fields.items():
        setattr(programme, name, value)
    if co_owners is not None:
        co_owners = _check_co_owners(actor, programme.owner, co_owners)
    if board is not None:
        board = list(dict.fromkeys(board))
    if coordinator is not _UNSET:
        programme.coordinator = coordinator  # type: ignore[assignment]
    # New co-owners re-check everyone; otherwise only the people named now.
    trees_changed = co_owners is not None
    _check_people(
        programme.owner,
        co_owners if trees_changed else list(programme.co_owners.all()),
        board if board is not None else (list(programme.board.all()) if trees_changed else []),
        programme.coordinator if coordinator is not _UNSET or trees_changed else None,
    )
    _check_dates(programme)
    _save(actor, programme)
    if co_owners is not None:
        programme.co_owners.set(co_owners)
    if board is not None:
        programme.board.set(board)
    return programme


# Pilots of the programme ------------------------------------------------------------------------


def member_organisations(programme: Programme) -> set[int]:
    """The owner's and co-owners' organisations with their parts and those above them: whose
    pilots may join the programme."""
    roots = {programme.owner_id, *programme.co_owners.values_list("pk", flat=True)}
    found = permissions._with_descendants(roots)
    parents = set(
        Organisation.objects.filter(pk__in=roots, parent__isnull=False).values_list(
            "parent_id", flat=True
        )
    )
    while parents - found:
        found |= parents
        parents = set(
            Organisation.objects.filter(pk__in=parents, parent__isnull=False).values_list(
                "parent_id", flat=True
            )
        )
    return found


@transaction.atomic
def attach_pilot(actor: User, programme: Programme, pilot: Pilot) -> Pilot:
    """Put a pilot the actor sees, run by the owner or a co-owner, into the programme."""
    _require(permissions.can_edit_programme(actor, programme))
    pilot = (
        Pilot.objects.select_for_update(of=("self",)).select_related("programme").get(pk=pilot.pk)
    )
    if not permissions.pilots_visible_to(actor).filter(pk=pilot.pk).exists():
        raise ValidationError({"pilot": _("Choose a pilot you may see.")})
    if pilot.owner_id not in member_organisations(programme):
        raise ValidationError(
            {
                "pilot": _(
                    "Only pilots of the organisation running the programme or of a co-owner "
                    "can join it."
                )
            }
        )
    if pilot.programme_id == programme.pk:
        raise ValidationError({"pilot": _("The pilot is already in this programme.")})
    if pilot.programme_id is not None:
        raise ValidationError(
            {
                "pilot": _(
                    "The pilot belongs to the programme “%(programme)s”; take it out of that "
                    "programme first."
                )
                % {"programme": pilot.programme}
            }
        )
    pilot.programme = programme
    pilot._history_user = actor  # type: ignore[attr-defined]
    pilot.save(update_fields=["programme", "updated_at"])
    return pilot


@transaction.atomic
def detach_pilot(actor: User, programme: Programme, pilot: Pilot) -> Pilot:
    """Take a pilot out of the programme; the pilot itself stays as it is."""
    _require(permissions.can_edit_programme(actor, programme))
    pilot = Pilot.objects.select_for_update().get(pk=pilot.pk)
    if pilot.programme_id != programme.pk:
        raise ValidationError({"pilot": _("The pilot is not in this programme.")})
    pilot.programme = None
    pilot._history_user = actor  # type: ignore[attr-defined]
    pilot.save(update_fields=["programme", "updated_at"])
    return pilot
