"""Reads of phase models, a pilot's phases, checklist and decisions, in a fixed number of
queries whatever the number of rows.

A pilot's place in its model is ``Pilot.current_phase``; whether the model is completed or
stopped follows from its last decision (and a stopped pilot), see :func:`progress_of`.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from samspil.core import permissions
from samspil.core.models import Organisation, Role

from .models import (
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

ACTIVE = "active"
COMPLETED = "completed"
STOPPED = "stopped"
NO_MODEL = "no_model"


def _ancestors(organisation_ids: frozenset[int]) -> set[int]:
    """The organisations above these (a tree a few levels deep)."""
    found: set[int] = set()
    frontier = set(organisation_ids)
    while frontier:
        parents = set(
            Organisation.objects.filter(pk__in=frontier, parent__isnull=False).values_list(
                "parent_id", flat=True
            )
        )
        frontier = parents - found - set(organisation_ids)
        found |= frontier
    return found


def phase_models_visible_to(user) -> QuerySet[PhaseModel]:
    """The built-in models, and those of the organisations in the user's trees: their own,
    the parts below them and those they belong to."""
    access = permissions.access_of(user)
    if access.is_superuser:
        return PhaseModel.objects.all()
    tree = set(access.sees_internal_of) | _ancestors(access.member_of)
    return PhaseModel.objects.filter(Q(organisation__isnull=True) | Q(organisation__in=tree))


def get_phase_model_for_user(user, pk) -> PhaseModel:
    try:
        return phase_models_visible_to(user).select_related("organisation").get(pk=pk)
    except (PhaseModel.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def phase_model_organisations(user) -> QuerySet[Organisation]:
    """Where the user may define a phase model: organisations where they lead innovation."""
    led = permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD)
    return Organisation.objects.filter(pk__in=led).order_by("name", "pk")


def models_for_list(user) -> QuerySet[PhaseModel]:
    """Built-in models first, then the organisations' own, with their phases."""
    return (
        phase_models_visible_to(user)
        .select_related("organisation")
        .prefetch_related("phases")
        .order_by("organisation__name", "name", "pk")
    )


def model_with_details(user, pk) -> PhaseModel:
    """One model with phases, their checklists and the decision points (four queries)."""
    model = get_phase_model_for_user(user, pk)
    phases = list(
        model.phases.order_by("position").prefetch_related(_checklist_prefetch(), "decision_points")
    )
    model.ordered_phases = phases  # type: ignore[attr-defined]
    return model


def _checklist_prefetch() -> Prefetch:
    return Prefetch("checklist", queryset=ChecklistTemplateItem.objects.order_by("position", "pk"))


@dataclass
class PhaseStep:
    """A phase as the stepper shows it, with its pilot's checklist."""

    phase: Phase
    state: str  # "done", "current" or "ahead"
    closing_point: DecisionPoint | None
    items: list[PilotChecklistItem] = field(default_factory=list)
    item_form: object = None  # the form adding an item, on the phase page for editors

    @property
    def done_count(self) -> int:
        return sum(1 for item in self.items if item.done_at is not None)


@dataclass
class PhaseProgress:
    state: str  # ACTIVE, COMPLETED, STOPPED or NO_MODEL
    steps: list[PhaseStep]
    current: Phase | None
    next_point: DecisionPoint | None  # the one to decide now, if any
    last_decision: Decision | None
    checklist_done: int
    checklist_total: int
    current_open: int  # unticked items of the current phase

    @property
    def is_last_phase(self) -> bool:
        return (
            bool(self.steps)
            and self.current is not None
            and (self.steps[-1].phase.pk == self.current.pk)
        )


def _state(pilot: Pilot, phases: list[Phase], last: Decision | None) -> str:
    if pilot.phase_model_id is None or not phases:
        return NO_MODEL
    if pilot.status == PilotStatus.STOPPED or (
        last is not None and last.outcome == DecisionOutcome.STOP
    ):
        return STOPPED
    if (
        last is not None
        and last.outcome == DecisionOutcome.GO
        and last.decision_point.closes_id == phases[-1].pk
    ):
        return COMPLETED
    return ACTIVE


def _steps(
    phases: list[Phase], points: list[DecisionPoint], current_id: int | None, state: str
) -> list[PhaseStep]:
    closing: dict[int, DecisionPoint] = {}
    for point in points:  # by position: the first one closing a phase is its gate
        closing.setdefault(point.closes_id, point)
    current_position = next((p.position for p in phases if p.pk == current_id), None)
    steps = []
    for phase in phases:
        if state == COMPLETED or (
            current_position is not None and phase.position < current_position
        ):
            step_state = "done"
        elif phase.pk == current_id:
            step_state = "current"
        else:
            step_state = "ahead"
        steps.append(PhaseStep(phase, step_state, closing.get(phase.pk)))
    return steps


def _last_decision(pilot: Pilot) -> Decision | None:
    return (
        Decision.objects.filter(pilot=pilot)
        .select_related("decision_point")
        .order_by("-decided_on", "-pk")
        .first()
    )


def _progress(
    pilot: Pilot,
    phases: list[Phase],
    points: list[DecisionPoint],
    last: Decision | None,
    done_by_phase: Counter,
    total_by_phase: Counter,
) -> PhaseProgress:
    state = _state(pilot, phases, last)
    steps = _steps(phases, points, pilot.current_phase_id, state)
    current = next((s.phase for s in steps if s.phase.pk == pilot.current_phase_id), None)
    next_point = None
    if state == ACTIVE and current is not None:
        next_point = next((s.closing_point for s in steps if s.phase.pk == current.pk), None)
    current_open = 0
    if current is not None:
        current_open = total_by_phase[current.pk] - done_by_phase[current.pk]
    return PhaseProgress(
        state=state,
        steps=steps,
        current=current,
        next_point=next_point,
        last_decision=last,
        checklist_done=sum(done_by_phase.values()),
        checklist_total=sum(total_by_phase.values()),
        current_open=current_open,
    )


def progress_of(pilot: Pilot) -> PhaseProgress:
    """The pilot's place in its model for the pilot page's panel: four queries."""
    if pilot.phase_model_id is None:
        return _progress(pilot, [], [], None, Counter(), Counter())
    phases = list(Phase.objects.filter(model_id=pilot.phase_model_id).order_by("position"))
    points = list(DecisionPoint.objects.filter(model_id=pilot.phase_model_id).order_by("position"))
    done: Counter = Counter()
    total: Counter = Counter()
    counted = (
        PilotChecklistItem.objects.filter(pilot=pilot)
        .order_by()
        .values("phase_id")
        .annotate(total=Count("pk"), done=Count("done_at"))
    )
    for row in counted:
        total[row["phase_id"]] = row["total"]
        done[row["phase_id"]] = row["done"]
    return _progress(pilot, phases, points, _last_decision(pilot), done, total)


def decisions_of(pilot: Pilot) -> QuerySet[Decision]:
    """The pilot's decisions in date order, as the timeline and the API show them."""
    return (
        Decision.objects.filter(pilot=pilot)
        .select_related("decision_point", "recorded_by")
        .order_by("decided_on", "pk")
    )


@dataclass
class PhasePage:
    progress: PhaseProgress
    decisions: list[Decision]


def phase_page(pilot: Pilot) -> PhasePage:
    """Everything the phase page shows: the steps with each phase's checklist items and
    every decision, in five queries."""
    decisions = list(decisions_of(pilot))
    if pilot.phase_model_id is None:
        return PhasePage(_progress(pilot, [], [], None, Counter(), Counter()), decisions)
    phases = list(Phase.objects.filter(model_id=pilot.phase_model_id).order_by("position"))
    points = list(DecisionPoint.objects.filter(model_id=pilot.phase_model_id).order_by("position"))
    items = list(
        PilotChecklistItem.objects.filter(pilot=pilot)
        .select_related("done_by")
        .order_by("phase__position", "position", "pk")
    )
    done = Counter(i.phase_id for i in items if i.done_at is not None)
    total = Counter(i.phase_id for i in items)
    last = max(decisions, key=lambda d: (d.decided_on, d.pk), default=None)
    progress = _progress(pilot, phases, points, last, done, total)
    by_phase: dict[int, list[PilotChecklistItem]] = {}
    for item in items:
        by_phase.setdefault(item.phase_id, []).append(item)
    for step in progress.steps:
        step.items = by_phase.get(step.phase.pk, [])
    return PhasePage(progress, decisions)
