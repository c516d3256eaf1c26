"""Writes of phases and decision points: passing a decision point, ticking the checklist,
an organisation's own phase model, and bringing the built-in models up to date.

A decision point closes a phase. Only the one closing the pilot's current phase can be
decided: "go" leads to the next phase (the go closing the last phase completes the model),
"back" returns to the phase before, "stop" stops the pilot. A go with unticked checklist
items of the phase is recorded with a warning, not refused: the people deciding may accept a
gap, and the warning says so.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samspil.core import permissions
from samspil.core.models import Organisation, Role, User
from samspil.core.validation import too_long

from . import phase_queries
from .models import (
    TEXT_MAX,
    ChecklistTemplateItem,
    Decision,
    DecisionOutcome,
    DecisionPoint,
    Phase,
    PhaseModel,
    Pilot,
    PilotChecklistItem,
    PilotStatus,
)
from .phase_models import BUILTIN_MODELS, PhaseModelData

DECIDED_BY_MAX = 200
ITEM_MAX = 300
NAME_MAX = 200
MIN_PHASES = 2
MAX_PHASES = 12
MAX_ITEMS = 20  # checklist items or documents of one phase or decision point
CODE_MAX = 60


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _day(value: date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _point_label(point: DecisionPoint) -> str:
    return f"{point.code} {point.name}"


def _lines(value: str | Iterable[str] | None) -> list[str]:
    """Lines of a text area or items of a list, stripped, without empty ones."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.splitlines()
    return [line.strip() for line in value if line and line.strip()]


# Decisions --------------------------------------------------------------------------------------


@dataclass
class DecisionResult:
    decision: Decision
    pilot: Pilot
    state: str  # phase_queries.ACTIVE, COMPLETED or STOPPED after the decision
    warnings: list[str] = field(default_factory=list)


def _order_error(
    pilot: Pilot, point: DecisionPoint, progress: phase_queries.PhaseProgress
) -> ValidationError:
    """Why ``point`` cannot be decided now: passed already, or not yet its turn."""
    last_go = (
        Decision.objects.filter(pilot=pilot, decision_point=point, outcome=DecisionOutcome.GO)
        .order_by("-decided_on", "-pk")
        .first()
    )
    current = progress.current
    in_force = progress.state == phase_queries.COMPLETED or (
        current is not None and point.closes.position < current.position
    )
    if last_go is not None and in_force:
        message = _("%(point)s was already passed with “go” on %(date)s.") % {
            "point": _point_label(point),
            "date": _day(last_go.decided_on),
        }
    elif progress.state == phase_queries.COMPLETED:
        message = _("The pilot has completed its phase model: no decision point is left.")
    elif progress.next_point is None:
        message = _("The pilot is in the last phase of its model: no decision point follows.")
    else:
        message = _("The next decision point is %(next)s, not %(point)s.") % {
            "next": _point_label(progress.next_point),
            "point": _point_label(point),
        }
    return ValidationError({"decision_point": message})


def _check_decision(
    pilot: Pilot,
    point: DecisionPoint,
    outcome: str,
    decided_by: str,
    decided_on: date,
    documents: list[str],
    notes: str,
    progress: phase_queries.PhaseProgress,
) -> None:
    if progress.state == phase_queries.NO_MODEL:
        raise ValidationError({"decision_point": _("The pilot follows no phase model.")})
    if point.model_id != pilot.phase_model_id:
        raise ValidationError(
            {"decision_point": _("Choose a decision point of the pilot's phase model.")}
        )
    if progress.state == phase_queries.STOPPED:
        raise ValidationError(
            {"decision_point": _("The pilot is stopped: no further decision can be recorded.")}
        )
    if progress.next_point is None or point.pk != progress.next_point.pk:
        raise _order_error(pilot, point, progress)
    errors: dict[str, str] = {}
    if outcome not in DecisionOutcome.values:
        errors["outcome"] = _("Choose go, stop or back.")
    elif outcome == DecisionOutcome.BACK and progress.steps[0].phase.pk == point.closes_id:
        errors["outcome"] = _("There is no phase before %(phase)s to go back to.") % {
            "phase": point.closes.name
        }
    if not decided_by:
        errors["decided_by"] = _("Name the person or body that decided.")
    elif len(decided_by) > DECIDED_BY_MAX:
        errors["decided_by"] = too_long(DECIDED_BY_MAX)
    if len("\n".join(documents)) > TEXT_MAX:
        errors["documents"] = too_long(TEXT_MAX)
    if len(notes) > TEXT_MAX:
        errors["notes"] = too_long(TEXT_MAX)
    if not isinstance(decided_on, date):
        errors["decided_on"] = _("Enter the date of the decision.")
    elif decided_on > timezone.localdate():
        errors["decided_on"] = _("A decision cannot be dated in the future.")
    elif decided_on < pilot.starts_on:
        errors["decided_on"] = _(
            "A decision cannot be dated before the pilot's start on %(date)s."
        ) % {"date": _day(pilot.starts_on)}
    elif progress.last_decision is not None and decided_on < progress.last_decision.decided_on:
        errors["decided_on"] = _(
            "The previous decision was made on %(date)s: date this one on or after it."
        ) % {"date": _day(progress.last_decision.decided_on)}
    if errors:
        raise ValidationError(errors)


def _neighbour(progress: phase_queries.PhaseProgress, phase: Phase, step: int) -> Phase | None:
    phases = [s.phase for s in progress.steps]
    index = next(i for i, p in enumerate(phases) if p.pk == phase.pk) + step
    return phases[index] if 0 <= index < len(phases) else None


@transaction.atomic
def decide(
    actor: User,
    pilot: Pilot,
    decision_point: DecisionPoint,
    outcome: str,
    decided_by: str,
    decided_on: date,
    documents: str | Iterable[str] = (),
    notes: str = "",
) -> DecisionResult:
    """Record the decision at the pilot's next decision point and move the pilot: "go" to
    the next phase (or completes the model), "back" to the phase before, "stop" stops the
    pilot (ended on the decision's date; a completed pilot keeps its end). ``documents``
    are the documents decided on, one a line or a list."""
    _require(permissions.can_decide_pilot(actor, pilot))
    # Locked, so that two people deciding at once cannot both pass the same point.
    locked = Pilot.objects.select_for_update().get(pk=pilot.pk)
    progress = phase_queries.progress_of(locked)
    decided_by = (decided_by or "").strip()
    notes = (notes or "").strip()
    document_lines = _lines(documents)
    _check_decision(
        locked,
        decision_point,
        outcome,
        decided_by,
        decided_on,
        document_lines,
        notes,
        progress,
    )
    decision = Decision(
        pilot=locked,
        decision_point=decision_point,
        outcome=outcome,
        decided_by=decided_by,
        decided_on=decided_on,
        documents="\n".join(document_lines),
        notes=notes,
        recorded_by=actor,
    )
    decision._history_user = actor  # type: ignore[attr-defined]
    decision.full_clean()
    decision.save()

    warnings: list[str] = []
    state = phase_queries.ACTIVE
    closes = decision_point.closes
    if outcome == DecisionOutcome.GO:
        following = _neighbour(progress, closes, 1)
        if following is None:
            state = phase_queries.COMPLETED
        else:
            locked.current_phase = following
        if progress.current_open:
            warnings.append(
                ngettext(
                    "%(count)d checklist item of %(phase)s was not ticked off.",
                    "%(count)d checklist items of %(phase)s were not ticked off.",
                    progress.current_open,
                )
                % {"count": progress.current_open, "phase": closes.name}
            )
    elif outcome == DecisionOutcome.BACK:
        locked.current_phase = _neighbour(progress, closes, -1)
    else:
        state = phase_queries.STOPPED
        if locked.status in (PilotStatus.PLANNED, PilotStatus.RUNNING):
            locked.status = PilotStatus.STOPPED
            locked.ended_on = decided_on
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save(update_fields=["current_phase", "status", "ended_on", "updated_at"])
    for name in ("current_phase", "status", "ended_on", "updated_at"):
        setattr(pilot, name, getattr(locked, name))
    return DecisionResult(decision, pilot, state, warnings)


# Checklist --------------------------------------------------------------------------------------


@transaction.atomic
def tick_item(actor: User, item: PilotChecklistItem, done: bool) -> PilotChecklistItem:
    """Tick an item off (``done``) or open it again; ticking a ticked item changes nothing."""
    _require(permissions.can_edit_pilot(actor, item.pilot))
    if done == (item.done_at is not None):
        return item
    item.done_at = timezone.now() if done else None
    item.done_by = actor if done else None
    item._history_user = actor  # type: ignore[attr-defined]
    item.save(update_fields=["done_at", "done_by"])
    return item


@transaction.atomic
def add_checklist_item(actor: User, pilot: Pilot, phase: Phase, text: str) -> PilotChecklistItem:
    """A checklist item of the pilot's own, last in ``phase``."""
    _require(permissions.can_edit_pilot(actor, pilot))
    text = (text or "").strip()
    if phase.model_id != pilot.phase_model_id:
        raise ValidationError({"phase": _("Choose a phase of the pilot's phase model.")})
    if not text:
        raise ValidationError({"text": _("This field is required.")})
    if len(text) > ITEM_MAX:
        raise ValidationError({"text": too_long(ITEM_MAX)})
    last = PilotChecklistItem.objects.filter(pilot=pilot, phase=phase).aggregate(
        last=Max("position")
    )["last"]
    item = PilotChecklistItem(pilot=pilot, phase=phase, text=text, position=(last or 0) + 1)
    item._history_user = actor  # type: ignore[attr-defined]
    item.save()
    return item


@transaction.atomic
def remove_checklist_item(actor: User, item: PilotChecklistItem) -> None:
    _require(permissions.can_edit_pilot(actor, item.pilot))
    item._history_user = actor  # type: ignore[attr-defined]
    item.delete()


# An organisation's own phase model ----------------------------------------------------------


def can_create_phase_model(user, organisation: Organisation) -> bool:
    return organisation.pk in permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD)


def generated_point_name(before: str, after: str) -> str:
    """The name a decision point gets unless one is given: "From Test to Evaluate"."""
    return _("From %(before)s to %(after)s") % {"before": before, "after": after}


def _unique_code(organisation: Organisation, name: str) -> str:
    stem = slugify(f"{organisation.slug}-{name}")[: CODE_MAX - 4].strip("-") or "model"
    taken = set(PhaseModel.objects.filter(code__startswith=stem).values_list("code", flat=True))
    code, number = stem, 1
    while code in taken:
        number += 1
        code = f"{stem}-{number}"
    return code


def _clean_item_lists(
    lists: Sequence[str | Iterable[str]] | None, count: int, field_name: str, limit: int
) -> tuple[list[list[str]], dict[str, str]]:
    cleaned = [_lines(items) for items in (lists or [])]
    cleaned += [[] for _i in range(count - len(cleaned))]
    if len(cleaned) > count:
        return cleaned, {field_name: _("Give one list per phase or decision point.")}
    for items in cleaned:
        if len(items) > MAX_ITEMS:
            return cleaned, {
                field_name: _("Give at most %(count)d items in a list.") % {"count": MAX_ITEMS}
            }
        if any(len(item) > limit for item in items):
            return cleaned, {field_name: too_long(limit)}
    return cleaned, {}


def clean_phase_names(phases: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    names = _lines(phases)
    if not MIN_PHASES <= len(names) <= MAX_PHASES:
        message = _("Give from %(min)d to %(max)d phases, one a line.") % {
            "min": MIN_PHASES,
            "max": MAX_PHASES,
        }
        return names, {"phases": message}
    if any(len(n) > NAME_MAX for n in names):
        return names, {"phases": too_long(NAME_MAX)}
    if len({n.casefold() for n in names}) != len(names):
        return names, {"phases": _("Give each phase its own name.")}
    return names, {}


def _clean_point_names(
    names: Sequence[str] | None, phase_names: list[str]
) -> tuple[list[str], dict[str, str]]:
    count = len(phase_names) - 1
    given = [(n or "").strip() for n in (names or [])]
    if len(given) > count:
        return given, {"decision_points": _("Give one decision point between two phases.")}
    given += [""] * (count - len(given))
    cleaned = [
        name or generated_point_name(phase_names[i], phase_names[i + 1])
        for i, name in enumerate(given)
    ]
    if any(len(n) > NAME_MAX for n in cleaned):
        return cleaned, {"decision_points": too_long(NAME_MAX)}
    return cleaned, {}


@transaction.atomic
def create_phase_model(
    actor: User,
    organisation: Organisation,
    name: str,
    phases: Sequence[str],
    decision_points: Sequence[str] | None = None,
    *,
    description: str = "",
    checklists: Sequence[str | Iterable[str]] | None = None,
    documents: Sequence[str | Iterable[str]] | None = None,
) -> PhaseModel:
    """An innovation lead's own model for ``organisation``: ``phases`` by name in order, a
    decision point G1…Gn between each two (named by ``decision_points``, else "From A to
    B"), optional ``checklists`` (one list per phase) and ``documents`` (one list per
    decision point). People of the organisation's tree may then choose it."""
    _require(can_create_phase_model(actor, organisation))
    name = (name or "").strip()
    description = (description or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("This field is required.")
    elif len(name) > NAME_MAX:
        errors["name"] = too_long(NAME_MAX)
    elif PhaseModel.objects.filter(organisation=organisation, name__iexact=name).exists():
        errors["name"] = _("%(organisation)s already has a phase model of this name.") % {
            "organisation": organisation.name
        }
    if len(description) > TEXT_MAX:
        errors["description"] = too_long(TEXT_MAX)
    phase_names, phase_errors = clean_phase_names(phases)
    errors.update(phase_errors)
    if phase_errors:
        raise ValidationError(errors)
    point_names, point_errors = _clean_point_names(decision_points, phase_names)
    item_lists, item_errors = _clean_item_lists(
        checklists, len(phase_names), "checklists", ITEM_MAX
    )
    document_lists, document_errors = _clean_item_lists(
        documents, len(point_names), "documents", ITEM_MAX
    )
    errors.update(point_errors | item_errors | document_errors)
    if errors:
        raise ValidationError(errors)
    model = PhaseModel.objects.create(
        code=_unique_code(organisation, name),
        name=name,
        description=description,
        source=organisation.name,
        organisation=organisation,
    )
    made = Phase.objects.bulk_create(
        Phase(model=model, name=phase_name, position=position)
        for position, phase_name in enumerate(phase_names, start=1)
    )
    ChecklistTemplateItem.objects.bulk_create(
        ChecklistTemplateItem(phase=phase, text=text, position=position)
        for phase, items in zip(made, item_lists, strict=True)
        for position, text in enumerate(items, start=1)
    )
    DecisionPoint.objects.bulk_create(
        DecisionPoint(
            model=model,
            code=f"G{position}",
            name=point_name,
            documents="\n".join(document_lines),
            closes=made[position - 1],
            position=position,
        )
        for position, (point_name, document_lines) in enumerate(
            zip(point_names, document_lists, strict=True), start=1
        )
    )
    return model


# The built-in models ----------------------------------------------------------------------------


@dataclass
class LoadReport:
    code: str
    created: bool
    phases: int
    decision_points: int
    checklist_items: int
    kept: list[str] = field(default_factory=list)  # rows no longer in the data, left in place


@transaction.atomic
def load_builtin_models(models: Sequence[PhaseModelData] = BUILTIN_MODELS) -> list[LoadReport]:
    """Create or update the built-in models from ``phase_models``; running it twice changes
    nothing. Template checklist items beyond the data are removed (pilots keep their own
    copies); phases and decision points beyond it are kept, since pilots and decisions may
    refer to them, and reported."""
    reports = []
    for data in models:
        model, created = PhaseModel.objects.update_or_create(
            code=data.code,
            defaults={
                "name": data.name,
                "description": data.description,
                "source": data.source,
                "organisation": None,
            },
        )
        phases: dict[int, Phase] = {}
        items = 0
        for position, phase_data in enumerate(data.phases, start=1):
            phase, _created = Phase.objects.update_or_create(
                model=model,
                position=position,
                defaults={"name": phase_data.name, "description": phase_data.description},
            )
            phases[position] = phase
            for item_position, text in enumerate(phase_data.checklist, start=1):
                ChecklistTemplateItem.objects.update_or_create(
                    phase=phase, position=item_position, defaults={"text": text}
                )
            items += len(phase_data.checklist)
            phase.checklist.filter(position__gt=len(phase_data.checklist)).delete()
        for position, point in enumerate(data.decision_points, start=1):
            DecisionPoint.objects.update_or_create(
                model=model,
                position=position,
                defaults={
                    "code": point.code,
                    "name": point.name,
                    "description": point.description,
                    "documents": "\n".join(point.documents),
                    "closes": phases[point.closes],
                },
            )
        kept = [
            *model.phases.filter(position__gt=len(data.phases)).values_list("name", flat=True),
            *model.decision_points.filter(position__gt=len(data.decision_points)).values_list(
                "code", flat=True
            ),
        ]
        reports.append(
            LoadReport(
                data.code,
                created,
                len(data.phases),
                len(data.decision_points),
                items,
                kept,
            )
        )
    return reports
