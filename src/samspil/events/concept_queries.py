"""Permission-filtered reads of event concepts and preparation tasks; constant query counts."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from samspil.core import permissions

from .models import (
    OPEN_TASK_STATUSES,
    ConceptTask,
    Event,
    EventConcept,
    EventTask,
    TaskArea,
    TaskStatus,
)


def concepts_for_list(user) -> QuerySet[EventConcept]:
    """Visible concepts with ``task_count`` and ``event_count`` (the events using the concept
    that ``user`` may see), in one query."""
    events = (
        permissions.events_visible_to(user)
        .filter(concept=OuterRef("pk"))
        .order_by()
        .values("concept")
        .annotate(count=Count("pk"))
        .values("count")
    )
    tasks = (
        ConceptTask.objects.filter(concept=OuterRef("pk"))
        .order_by()
        .values("concept")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        permissions.concepts_visible_to(user)
        .select_related("owner")
        .annotate(
            event_count=Coalesce(Subquery(events, output_field=IntegerField()), 0),
            task_count=Coalesce(Subquery(tasks, output_field=IntegerField()), 0),
        )
        .order_by("title", "pk")
    )


@dataclass
class AreaTasks:
    area: str
    label: str
    tasks: list


def concept_tasks_by_area(concept: EventConcept) -> list[AreaTasks]:
    """The checklist by area, earliest due first. On each task ``can_move_up``/``can_move_down``
    tell whether a neighbour is due on the same day (only those can swap places), and
    ``days_after_start`` is for tasks due after the start."""
    tasks = list(concept.tasks.all())
    areas = []
    for area, label in TaskArea.choices:
        rows = [task for task in tasks if task.area == area]
        for i, task in enumerate(rows):
            days = task.days_before_start
            task.can_move_up = i > 0 and rows[i - 1].days_before_start == days  # type: ignore[attr-defined]
            task.can_move_down = i + 1 < len(rows) and rows[i + 1].days_before_start == days  # type: ignore[attr-defined]
            task.days_after_start = -days  # type: ignore[attr-defined]
        areas.append(AreaTasks(area, str(label), rows))
    return areas


def events_of_concept(user, concept: EventConcept) -> QuerySet[Event]:
    """The events made from the concept that ``user`` may see, newest first."""
    return (
        permissions.events_visible_to(user)
        .filter(concept=concept)
        .select_related("owner")
        .order_by("-starts_at", "-pk")
    )


def is_overdue(task: EventTask, today: date) -> bool:
    return task.status in OPEN_TASK_STATUSES and task.due_on is not None and task.due_on < today


def event_tasks_by_area(event: Event, today: date) -> list[AreaTasks]:
    """The event's tasks by area, with the person responsible and ``overdue`` on each."""
    tasks = list(event.tasks.select_related("responsible"))
    for task in tasks:
        task.overdue = is_overdue(task, today)  # type: ignore[attr-defined]
    return [
        AreaTasks(area, str(label), [task for task in tasks if task.area == area])
        for area, label in TaskArea.choices
    ]


def overdue_tasks(event: Event, today: date) -> list[EventTask]:
    """Open tasks whose due date has passed, earliest first, with the person responsible."""
    return list(
        event.tasks.filter(status__in=OPEN_TASK_STATUSES, due_on__lt=today).select_related(
            "responsible"
        )
    )


@dataclass
class Progress:
    done: int
    total: int  # tasks marked not relevant do not count


def task_progress(event: Event) -> Progress:
    counts = event.tasks.aggregate(
        done=Count("pk", filter=Q(status=TaskStatus.DONE)),
        total=Count("pk", filter=~Q(status=TaskStatus.NOT_RELEVANT)),
    )
    return Progress(done=counts["done"], total=counts["total"])
