"""Event concepts and preparation tasks: every write.

A concept is a reusable checklist (technical, professional and legal tasks, each due a number
of days before the event starts). An event is made from a concept or copied from a past event;
what its organisers change on the way is written back with ``improve_concept_from_event``, so
the concept improves from event to event (seed 004: "a concept that lets hackathons be held
faster and with fewer resources").
"""

import os
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max, Model
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspil.core import permissions
from samspil.core.models import Notification, Organisation, User, Visibility
from samspil.core.services import notify

from . import services
from .models import (
    OPEN_TASK_STATUSES,
    TEXT_MAX,
    TITLE_MAX,
    ConceptTask,
    Criterion,
    Dataset,
    Event,
    EventConcept,
    EventKind,
    EventTask,
    TaskArea,
    TaskStatus,
)

CONCEPT_FIELDS = {"title", "description", "kind", "visibility"}
CONCEPT_TASK_FIELDS = {"title", "area", "description", "days_before_start"}
EVENT_TASK_FIELDS = {"title", "area", "description", "responsible", "due_on", "status"}
DAYS_LIMIT = 365
DEFAULT_DAYS = 14
# Tasks overdue for longer are not reminded of (the first run would otherwise mail about
# every forgotten task of years past); the event page still shows them.
REMINDER_WINDOW_DAYS = 30
REMINDER_TEMPLATE = "events/concepts/email/task_overdue"


@dataclass(frozen=True)
class StandardTask:
    title: str | Promise
    area: str
    days_before_start: int
    description: str | Promise = ""


# A hackathon as market dialogue, from seed 004 (Copenhagen's social services): data through
# the municipality's data bank, the legal groundwork, the people to invite, the practical
# arrangements and what happens with the prototypes afterwards (negative days: after the start).
STANDARD_TASKS = [
    StandardTask(
        gettext_lazy("Challenge and problem statement agreed with the challenge owners"),
        TaskArea.PROFESSIONAL,
        63,
        gettext_lazy("Which problem, which data, and what a useful prototype would show."),
    ),
    StandardTask(
        gettext_lazy("Data-protection impact assessment of the data to be used"),
        TaskArea.LEGAL,
        56,
        gettext_lazy(
            "Decide which data participants may use and on what legal basis; involve the "
            "data-protection officer."
        ),
    ),
    StandardTask(
        gettext_lazy("Data access through the municipality's data bank"),
        TaskArea.TECHNICAL,
        49,
        gettext_lazy("Order access for the participants together with the central IT department."),
    ),
    StandardTask(
        gettext_lazy("Terms for participants and for the use of data"),
        TaskArea.LEGAL,
        42,
        gettext_lazy(
            "Confidentiality, rights to ideas and prototypes, deletion of data after the event. "
            "Participants accept them when they register."
        ),
    ),
    StandardTask(
        gettext_lazy("Invitations to suppliers, start-ups and knowledge institutions"),
        TaskArea.PROFESSIONAL,
        42,
        gettext_lazy(
            "For example the IT University (ITU), KIT, established IT suppliers and start-ups "
            "in the field; also users, citizens and staff who know the problem."
        ),
    ),
    StandardTask(
        gettext_lazy("Venue booked"),
        TaskArea.TECHNICAL,
        42,
        gettext_lazy("Room for every team, the presentations and the jury; step-free access."),
    ),
    StandardTask(
        gettext_lazy("The same information to every supplier"),
        TaskArea.LEGAL,
        28,
        gettext_lazy(
            "Dialogue before a tender: what one supplier is told is shared with all "
            "(dialogue log, published questions and answers)."
        ),
    ),
    StandardTask(
        gettext_lazy("Jury and judging criteria"),
        TaskArea.PROFESSIONAL,
        21,
    ),
    StandardTask(
        gettext_lazy("Data extracts prepared and anonymised where needed"),
        TaskArea.TECHNICAL,
        21,
    ),
    StandardTask(
        gettext_lazy("Catering ordered"),
        TaskArea.TECHNICAL,
        10,
        gettext_lazy("Numbers from the registrations; ask for special diets."),
    ),
    StandardTask(
        gettext_lazy("Challenge owners briefed"),
        TaskArea.PROFESSIONAL,
        7,
        gettext_lazy(
            "What the teams may ask of them during the event, and what happens with the prototypes."
        ),
    ),
    StandardTask(
        gettext_lazy("Network, screens and development environments tested"),
        TaskArea.TECHNICAL,
        3,
    ),
    StandardTask(
        gettext_lazy("Satisfaction survey sent to the participants"),
        TaskArea.PROFESSIONAL,
        -3,
    ),
    StandardTask(
        gettext_lazy("Data deleted and access closed"),
        TaskArea.LEGAL,
        -7,
    ),
    StandardTask(
        gettext_lazy("Prototypes handed over and follow-up agreed"),
        TaskArea.PROFESSIONAL,
        -14,
        gettext_lazy(
            "Who takes the prototypes on: investment proposal, requirement specification "
            "or procurement."
        ),
    ),
]


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _save(record: Model, actor: User, **options) -> None:
    record._history_user = actor  # type: ignore[attr-defined]
    record.save(**options)


def _clean(fields: dict, allowed: set[str]) -> dict:
    """Stripped texts within their limits and values among their choices, else by field."""
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    errors: dict[str, str] = {}
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()
        if not fields["title"]:
            errors["title"] = _("This field is required.")
        elif len(fields["title"]) > TITLE_MAX:
            errors["title"] = _("Write at most %(count)d characters.") % {"count": TITLE_MAX}
    if "description" in fields:
        fields["description"] = (fields["description"] or "").strip()
        if len(fields["description"]) > TEXT_MAX:
            errors["description"] = _("Write at most %(count)d characters.") % {"count": TEXT_MAX}
    if "area" in fields and fields["area"] not in TaskArea.values:
        errors["area"] = _("Choose technical, professional or legal.")
    if "status" in fields and fields["status"] not in TaskStatus.values:
        errors["status"] = _("Choose one of the statuses.")
    if "kind" in fields:
        fields["kind"] = fields["kind"] or ""
        if fields["kind"] and fields["kind"] not in EventKind.values:
            errors["kind"] = _("Choose one of the kinds of event.")
    if "visibility" in fields and fields["visibility"] not in Visibility.values:
        errors["visibility"] = _("Choose one of the visibilities.")
    if "days_before_start" in fields:
        days = fields["days_before_start"]
        if not isinstance(days, int) or isinstance(days, bool) or abs(days) > DAYS_LIMIT:
            errors["days_before_start"] = _(
                "Enter a whole number between -%(limit)d and %(limit)d."
            ) % {"limit": DAYS_LIMIT}
    if "due_on" in fields:
        due = fields["due_on"]
        if due is not None and (not isinstance(due, date) or isinstance(due, datetime)):
            errors["due_on"] = _("Enter a date.")
    if errors:
        raise ValidationError(errors)
    return fields


def _next_position(rows) -> int:
    highest = rows.aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


# Concepts -------------------------------------------------------------------------------------


@transaction.atomic
def create_concept(
    actor: User, owner: Organisation, *, standard_tasks: bool = False, **fields
) -> EventConcept:
    """An innovation lead of ``owner`` creates a concept, optionally with the standard
    checklist written in the lead's language (the tasks are then the concept's own text)."""
    _require(permissions.can_create_event(actor, owner))
    fields.setdefault("title", "")
    fields = _clean(fields, CONCEPT_FIELDS)
    concept = EventConcept(owner=owner, created_by=actor, **fields)
    concept.full_clean()
    _save(concept, actor)
    if standard_tasks:
        with translation.override(actor.language):
            for position, standard in enumerate(STANDARD_TASKS):
                task = ConceptTask(
                    concept=concept,
                    title=str(standard.title),
                    area=standard.area,
                    description=str(standard.description),
                    days_before_start=standard.days_before_start,
                    position=position,
                )
                _save(task, actor)
    return concept


@transaction.atomic
def update_concept(actor: User, concept: EventConcept, **fields) -> EventConcept:
    _require(permissions.can_edit_concept(actor, concept))
    fields = _clean(fields, CONCEPT_FIELDS)
    for name, value in fields.items():
        setattr(concept, name, value)
    concept.full_clean()
    _save(concept, actor)
    return concept


@transaction.atomic
def add_concept_task(
    actor: User,
    concept: EventConcept,
    *,
    title: str,
    area: str,
    description: str = "",
    days_before_start: int = DEFAULT_DAYS,
) -> ConceptTask:
    _require(permissions.can_edit_concept(actor, concept))
    fields = _clean(
        {
            "title": title,
            "area": area,
            "description": description,
            "days_before_start": days_before_start,
        },
        CONCEPT_TASK_FIELDS,
    )
    task = ConceptTask(concept=concept, position=_next_position(concept.tasks), **fields)
    _save(task, actor)
    return task


@transaction.atomic
def update_concept_task(actor: User, task: ConceptTask, **fields) -> ConceptTask:
    _require(permissions.can_edit_concept(actor, task.concept))
    fields = _clean(fields, CONCEPT_TASK_FIELDS)
    for name, value in fields.items():
        setattr(task, name, value)
    _save(task, actor)
    return task


@transaction.atomic
def delete_concept_task(actor: User, task: ConceptTask) -> None:
    """Events made earlier keep their copy of the task (its link to the concept is cleared)."""
    _require(permissions.can_edit_concept(actor, task.concept))
    task._history_user = actor  # type: ignore[attr-defined]
    task.delete()


@transaction.atomic
def reorder_concept_tasks(actor: User, concept: EventConcept, task_ids: list[int]) -> None:
    """Positions in the order given; ``task_ids`` names every task of the concept once.

    Tasks are listed by their days before the event first: the order settles tasks due on
    the same day.
    """
    _require(permissions.can_edit_concept(actor, concept))
    tasks = {task.pk: task for task in concept.tasks.all()}
    if sorted(task_ids) != sorted(tasks):
        raise ValidationError({"order": _("Give every task of the concept once.")})
    for position, pk in enumerate(task_ids):
        task = tasks[pk]
        if task.position != position:
            task.position = position
            _save(task, actor, update_fields=["position"])


@transaction.atomic
def move_concept_task(actor: User, task: ConceptTask, *, up: bool) -> bool:
    """Swap a task with its neighbour in the same area that is due on the same day; whether
    it moved (a task due on another day is ordered by its days, not by its position)."""
    concept = task.concept
    _require(permissions.can_edit_concept(actor, concept))
    ordered = list(concept.tasks.all())
    same_area = [t for t in ordered if t.area == task.area]
    index = next(i for i, t in enumerate(same_area) if t.pk == task.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(same_area):
        return False
    other = same_area[other_index]
    if other.days_before_start != task.days_before_start:
        return False
    ids = [t.pk for t in ordered]
    a, b = ids.index(task.pk), ids.index(other.pk)
    ids[a], ids[b] = ids[b], ids[a]
    reorder_concept_tasks(actor, concept, ids)
    return True


# Events from concepts and from past events ------------------------------------------------------


def _due_on(start: date, days_before_start: int) -> date:
    return start - timedelta(days=days_before_start)


@transaction.atomic
def create_event_from_concept(
    actor: User, concept: EventConcept, owner: Organisation, **event_fields
) -> Event:
    """A new event (``services.create_event``) with the concept's tasks, each due its number
    of days before the day the event starts."""
    _require(permissions.concepts_visible_to(actor).filter(pk=concept.pk).exists())
    if concept.kind:
        event_fields.setdefault("kind", concept.kind)
    event = services.create_event(actor, owner, **event_fields)
    event.concept = concept
    _save(event, actor, update_fields=["concept", "updated_at"])
    start = timezone.localdate(event.starts_at)
    for position, source in enumerate(concept.tasks.all()):
        task = EventTask(
            event=event,
            title=source.title,
            area=source.area,
            description=source.description,
            due_on=_due_on(start, source.days_before_start),
            from_concept_task=source,
            position=position,
        )
        _save(task, actor)
    return event


def _copy_dataset(actor: User, source: Dataset, event: Event) -> Dataset:
    """The dataset's description and terms, and its file under a new generated name.
    Acceptances and the access log belong to the old event's participants: not copied."""
    copy = Dataset(
        event=event,
        title=source.title,
        description=source.description,
        classification=source.classification,
        legal_basis=source.legal_basis,
        terms=source.terms,
        link=source.link,
        original_name=source.original_name,
        content_type=source.content_type,
        size=source.size,
        created_by=actor,
    )
    if source.file:
        extension = os.path.splitext(source.stored_name or source.file.name)[1].lower()
        copy.stored_name = f"{uuid.uuid4().hex}{extension}"
        with source.file.open("rb") as handle:
            copy.file.save(copy.stored_name, File(handle), save=False)
    _save(copy, actor)
    return copy


@transaction.atomic
def copy_event(
    actor: User,
    source: Event,
    *,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    registration_deadline: datetime | None = None,
    submission_deadline: datetime | None = None,
) -> Event:
    """A new event like ``source``: settings, challenges, organisers, concept, preparation
    tasks (to do again, due dates moved by as many days as the start moved, the same people
    responsible), judging criteria and datasets. Registrations, teams, scores, survey
    answers and costs stay with the old event."""
    _require(permissions.can_organise_event(actor, source))
    # People who left the organisation, and challenges the actor may not see, are left out.
    organisers = list(
        services.organiser_candidates(source.owner).filter(pk__in=source.organisers.values("pk"))
    )
    challenges = permissions.challenges_visible_to(actor).filter(
        pk__in=source.challenges.values("pk")
    )
    event = services.create_event(
        actor,
        source.owner,
        challenges=challenges,
        organisers=organisers,
        title=title,
        kind=source.kind,
        place=source.place,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=source.capacity,
        registration_deadline=registration_deadline,
        registration_mode=source.registration_mode,
        terms=source.terms,
        agenda=source.agenda,
        visibility=source.visibility,
        submission_deadline=submission_deadline,
        winner_count=source.winner_count,
        hourly_rate=source.hourly_rate,
    )
    event.concept_id = source.concept_id
    event.copied_from = source
    _save(event, actor, update_fields=["concept", "copied_from", "updated_at"])
    shift = timezone.localdate(event.starts_at) - timezone.localdate(source.starts_at)
    for task in source.tasks.all():
        copy = EventTask(
            event=event,
            title=task.title,
            area=task.area,
            description=task.description,
            responsible_id=task.responsible_id,
            due_on=task.due_on + shift if task.due_on else None,
            from_concept_task_id=task.from_concept_task_id,
            position=task.position,
        )
        _save(copy, actor)
    for criterion in source.criteria.all():
        _save(
            Criterion(
                event=event,
                name=criterion.name,
                description=criterion.description,
                weight=criterion.weight,
                position=criterion.position,
            ),
            actor,
        )
    for dataset in source.datasets.all():
        _copy_dataset(actor, dataset, event)
    return event


# Preparation tasks of an event ------------------------------------------------------------------


def _check_responsible(event: Event, responsible: User | None) -> None:
    if responsible is None:
        return
    if not services.organiser_candidates(event.owner).filter(pk=responsible.pk).exists():
        message = _("The person responsible must be one of the people of %(organisation)s.") % {
            "organisation": event.owner
        }
        raise ValidationError({"responsible": message})


def _apply_status(task: EventTask, status: str) -> None:
    if status == task.status:
        return
    task.status = status
    task.completed_at = timezone.now() if status == TaskStatus.DONE else None


@transaction.atomic
def add_event_task(
    actor: User,
    event: Event,
    *,
    title: str,
    area: str,
    description: str = "",
    responsible: User | None = None,
    due_on: date | None = None,
    status: str = TaskStatus.TODO,
) -> EventTask:
    _require(permissions.can_organise_event(actor, event))
    fields = _clean(
        {
            "title": title,
            "area": area,
            "description": description,
            "responsible": responsible,
            "due_on": due_on,
            "status": status,
        },
        EVENT_TASK_FIELDS,
    )
    _check_responsible(event, responsible)
    task = EventTask(event=event, position=_next_position(event.tasks))
    status = fields.pop("status")
    for name, value in fields.items():
        setattr(task, name, value)
    _apply_status(task, status)
    _save(task, actor)
    return task


@transaction.atomic
def update_event_task(actor: User, task: EventTask, **fields) -> EventTask:
    _require(permissions.can_organise_event(actor, task.event))
    fields = _clean(fields, EVENT_TASK_FIELDS)
    if "responsible" in fields:
        _check_responsible(task.event, fields["responsible"])
    status = fields.pop("status", task.status)
    for name, value in fields.items():
        setattr(task, name, value)
    _apply_status(task, status)
    _save(task, actor)
    return task


@transaction.atomic
def delete_event_task(actor: User, task: EventTask) -> None:
    _require(permissions.can_organise_event(actor, task.event))
    task._history_user = actor  # type: ignore[attr-defined]
    task.delete()


@transaction.atomic
def set_task_status(actor: User, task: EventTask, status: str) -> EventTask:
    """Done tasks get the time they were completed; any other status clears it."""
    _require(permissions.can_organise_event(actor, task.event))
    _clean({"status": status}, {"status"})
    _apply_status(task, status)
    _save(task, actor, update_fields=["status", "completed_at"])
    return task


@transaction.atomic
def assign_task(actor: User, task: EventTask, responsible: User | None) -> EventTask:
    """Make someone of the organising organisation responsible (None: no one)."""
    _require(permissions.can_organise_event(actor, task.event))
    _check_responsible(task.event, responsible)
    task.responsible = responsible
    _save(task, actor, update_fields=["responsible"])
    return task


# Writing an event's experience back to its concept ------------------------------------------


@dataclass
class ConceptChange:
    task: ConceptTask
    fields: list[str]  # the names of the fields that changed


@dataclass
class ConceptImprovement:
    """What ``improve_concept_from_event`` changed in the concept."""

    concept: EventConcept
    updated: list[ConceptChange] = field(default_factory=list)
    added: list[ConceptTask] = field(default_factory=list)
    # Concept tasks the event marked as not relevant: kept, for the lead to decide on.
    not_relevant: list[EventTask] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.updated or self.added)


@transaction.atomic
def improve_concept_from_event(actor: User, event: Event) -> ConceptImprovement:
    """Write the event's tasks back to its concept: the concept tasks they came from take
    their title, area, description and due day (counted back from the event's start); tasks
    the organisers added become concept tasks. Tasks marked not relevant are reported, not
    removed. Innovation leads of the concept's organisation who organise the event only."""
    concept = event.concept
    if concept is None:
        raise ValidationError(_("The event was not made from a concept."))
    _require(
        permissions.can_edit_concept(actor, concept)
        and permissions.can_organise_event(actor, event)
    )
    result = ConceptImprovement(concept)
    concept_tasks = {task.pk: task for task in concept.tasks.all()}
    position = max((task.position for task in concept_tasks.values()), default=-1) + 1
    start = timezone.localdate(event.starts_at)
    for task in event.tasks.all():
        source = concept_tasks.get(task.from_concept_task_id)  # type: ignore[arg-type]
        if task.status == TaskStatus.NOT_RELEVANT:
            if source is not None:
                result.not_relevant.append(task)
            continue
        values: dict = {"title": task.title, "area": task.area, "description": task.description}
        if task.due_on is not None:
            days = (start - task.due_on).days
            values["days_before_start"] = max(-DAYS_LIMIT, min(DAYS_LIMIT, days))
        if source is None:
            values.setdefault("days_before_start", DEFAULT_DAYS)
            added = ConceptTask(concept=concept, position=position, **values)
            position += 1
            _save(added, actor)
            # Linked, so that improving again updates this concept task instead of adding another.
            task.from_concept_task = added
            _save(task, actor, update_fields=["from_concept_task"])
            result.added.append(added)
            continue
        changed = [name for name, value in values.items() if getattr(source, name) != value]
        if changed:
            for name in changed:
                setattr(source, name, values[name])
            _save(source, actor)
            result.updated.append(ConceptChange(source, changed))
    return result


# Reminders ----------------------------------------------------------------------------------


def task_path(task: EventTask) -> str:
    return reverse("events:tasks", args=[task.event_id]) + f"#task-{task.pk}"


def remind_overdue_tasks(today: date | None = None) -> int:
    """Tell each person responsible for an open task whose due date has passed, in their
    language (an in-app notification and an e-mail). The notification is the record of the
    reminder: one made after the due date means the person was told, so nothing repeats; a
    task given a later due date, or another person, is reminded of again."""
    today = today or timezone.localdate()
    due = list(
        EventTask.objects.filter(
            status__in=OPEN_TASK_STATUSES,
            responsible__isnull=False,
            due_on__lt=today,
            due_on__gte=today - timedelta(days=REMINDER_WINDOW_DAYS),
        ).select_related("event", "responsible")
    )
    by_path = {task_path(task): task for task in due}
    earlier = Notification.objects.filter(
        url__in=list(by_path), recipient_id__in={task.responsible_id for task in due}
    ).values_list("recipient_id", "url", "created_at")
    reminded = set()
    for recipient_id, path, created_at in earlier:
        task = by_path[path]
        if (
            recipient_id == task.responsible_id
            and task.due_on is not None
            and timezone.localdate(created_at) > task.due_on
        ):
            reminded.add(task.pk)
    sent = 0
    for task in due:
        responsible = task.responsible
        if task.pk in reminded or responsible is None:
            continue
        with transaction.atomic():
            notify(
                responsible,
                REMINDER_TEMPLATE,
                {"task": task.title, "event": task.event.title, "due_on": task.due_on},
                task_path(task),
            )
        sent += 1
    return sent
