"""Pages of event concepts and of an event's preparation tasks.

Thin: parse, call ``concept_services`` and render or redirect. Status changes and assignments
answer htmx requests with the task's row; without JavaScript the form posts and comes back.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil.core import permissions
from samspil.core.models import Role
from samspil.core.web import add_service_errors, paginate

from . import concept_queries, concept_services
from .concept_forms import (
    ConceptForm,
    ConceptTaskForm,
    CopyEventForm,
    EventTaskForm,
    TaskAssignForm,
    TaskStatusForm,
    responsible_candidates,
)
from .forms import EventForm
from .models import ConceptTask, Event, EventConcept, EventTask, TaskStatus
from .views import organised_event


def _status(form) -> int:
    return 422 if form.is_bound and form.errors else 200


def _leads_somewhere(user) -> bool:
    return bool(permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD))


def _editable_concept(request, pk: int) -> EventConcept:
    concept = permissions.get_concept_for_user(request.user, pk)
    if not permissions.can_edit_concept(request.user, concept):
        raise PermissionDenied
    return concept


# Concepts -------------------------------------------------------------------------------------


def concept_list(request):
    page, query = paginate(request, concept_queries.concepts_for_list(request.user))
    context = {"page": page, "query": query, "can_create": _leads_somewhere(request.user)}
    return render(request, "events/concepts/list.html", context)


def concept_detail(request, pk: int):
    concept = permissions.get_concept_for_user(request.user, pk)
    context = {
        "concept": concept,
        "areas": concept_queries.concept_tasks_by_area(concept),
        "events": list(concept_queries.events_of_concept(request.user, concept)),
        "can_edit": permissions.can_edit_concept(request.user, concept),
        "can_create_event": _leads_somewhere(request.user),
    }
    return render(request, "events/concepts/detail.html", context)


@login_required
def concept_create(request):
    if not _leads_somewhere(request.user):
        raise PermissionDenied
    form = ConceptForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            concept = concept_services.create_concept(
                request.user,
                form.cleaned_data["owner"],
                standard_tasks=form.cleaned_data["standard_tasks"],
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The concept was created."))
            return redirect(concept)
    return render(request, "events/concepts/form.html", {"form": form}, status=_status(form))


@login_required
def concept_edit(request, pk: int):
    concept = _editable_concept(request, pk)
    # The form edits a copy, so the heading keeps the saved title while errors are shown.
    editable = EventConcept.objects.get(pk=concept.pk)
    form = ConceptForm(request.POST or None, instance=editable, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            concept_services.update_concept(
                request.user, EventConcept.objects.get(pk=concept.pk), **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The concept was saved."))
            return redirect(concept)
    context = {"form": form, "concept": concept}
    return render(request, "events/concepts/form.html", context, status=_status(form))


@login_required
def concept_task_add(request, pk: int):
    concept = _editable_concept(request, pk)
    form = ConceptTaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            concept_services.add_concept_task(request.user, concept, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The task was added."))
            return redirect(concept)
    context = {"form": form, "concept": concept}
    return render(request, "events/concepts/task_form.html", context, status=_status(form))


@login_required
def concept_task_edit(request, pk: int, task_pk: int):
    concept = _editable_concept(request, pk)
    task = get_object_or_404(concept.tasks, pk=task_pk)
    form = ConceptTaskForm(request.POST or None, instance=ConceptTask.objects.get(pk=task.pk))
    if request.method == "POST" and form.is_valid():
        try:
            concept_services.update_concept_task(request.user, task, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The task was saved."))
            return redirect(concept)
    context = {"form": form, "concept": concept, "task": task}
    return render(request, "events/concepts/task_form.html", context, status=_status(form))


@login_required
@require_POST
def concept_task_delete(request, pk: int, task_pk: int):
    concept = _editable_concept(request, pk)
    task = get_object_or_404(concept.tasks, pk=task_pk)
    concept_services.delete_concept_task(request.user, task)
    messages.success(
        request, _("“%(title)s” was removed from the concept.") % {"title": task.title}
    )
    return redirect(concept)


@login_required
@require_POST
def concept_task_move(request, pk: int, task_pk: int):
    concept = _editable_concept(request, pk)
    task = get_object_or_404(concept.tasks.select_related("concept"), pk=task_pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        raise Http404
    concept_services.move_concept_task(request.user, task, up=direction == "up")
    return redirect(f"{concept.get_absolute_url()}#concept-task-{task.pk}")


@login_required
def concept_new_event(request, pk: int):
    concept = permissions.get_concept_for_user(request.user, pk)
    leading = permissions.organisations_with_role(request.user, Role.Code.INNOVATION_LEAD)
    if not leading:
        raise PermissionDenied
    initial = {"kind": concept.kind}
    if concept.owner_id in leading:
        initial["owner"] = concept.owner_id
    form = EventForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            event = concept_services.create_event_from_concept(
                request.user, concept, form.cleaned_data["owner"], **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event was created with the concept's tasks."))
            return redirect(event)
    context = {"form": form, "concept": concept}
    return render(request, "events/concepts/new_event.html", context, status=_status(form))


# Copying an event -------------------------------------------------------------------------------


@login_required
def event_copy(request, pk: int):
    source = organised_event(request, pk)
    if not permissions.can_create_event(request.user, source.owner):
        raise PermissionDenied
    form = CopyEventForm(request.POST or None, initial={"title": source.title})
    if request.method == "POST" and form.is_valid():
        try:
            event = concept_services.copy_event(request.user, source, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event was copied."))
            return redirect(event)
    context = {"form": form, "event": source}
    return render(request, "events/concepts/copy.html", context, status=_status(form))


# Preparation tasks ------------------------------------------------------------------------------


def _row_context(event: Event, task: EventTask, **extra) -> dict:
    today = timezone.localdate()
    task.overdue = concept_queries.is_overdue(task, today)  # type: ignore[attr-defined]
    return {
        "event": event,
        "task": task,
        "candidates": list(responsible_candidates(event)),
        "statuses": TaskStatus.choices,
        "progress": concept_queries.task_progress(event),
        **extra,
    }


@login_required
def event_tasks(request, pk: int):
    event = organised_event(request, pk)
    concept = event.concept
    context = {
        "event": event,
        "concept": concept,
        "areas": concept_queries.event_tasks_by_area(event, timezone.localdate()),
        "progress": concept_queries.task_progress(event),
        "candidates": list(responsible_candidates(event)),
        "statuses": TaskStatus.choices,
        "can_improve": concept is not None and permissions.can_edit_concept(request.user, concept),
    }
    return render(request, "events/concepts/tasks.html", context)


def _event_task(event: Event, task_pk: int) -> EventTask:
    return get_object_or_404(event.tasks.select_related("event__owner", "responsible"), pk=task_pk)


def _back_to_tasks(event: Event, task: EventTask | None = None):
    anchor = f"#task-{task.pk}" if task is not None else ""
    return redirect(reverse("events:tasks", args=[event.pk]) + anchor)


@login_required
def task_add(request, pk: int):
    event = organised_event(request, pk)
    form = EventTaskForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            task = concept_services.add_event_task(request.user, event, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The task was added."))
            return _back_to_tasks(event, task)
    context = {"form": form, "event": event}
    return render(request, "events/concepts/event_task_form.html", context, status=_status(form))


@login_required
def task_edit(request, pk: int, task_pk: int):
    event = organised_event(request, pk)
    task = _event_task(event, task_pk)
    form = EventTaskForm(
        request.POST or None, instance=EventTask.objects.get(pk=task.pk), event=event
    )
    if request.method == "POST" and form.is_valid():
        try:
            concept_services.update_event_task(request.user, task, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The task was saved."))
            return _back_to_tasks(event, task)
    context = {"form": form, "event": event, "task": task}
    return render(request, "events/concepts/event_task_form.html", context, status=_status(form))


@login_required
@require_POST
def task_delete(request, pk: int, task_pk: int):
    event = organised_event(request, pk)
    task = _event_task(event, task_pk)
    concept_services.delete_event_task(request.user, task)
    messages.success(request, _("“%(title)s” was deleted.") % {"title": task.title})
    return _back_to_tasks(event)


def _row_response(request, event: Event, task: EventTask, error: str):
    """The task's row for htmx (with the summary above the tables), else back to the page."""
    if request.htmx:
        context = _row_context(event, task, row_error=error)
        return render(
            request, "events/concepts/_task_row.html", context, status=422 if error else 200
        )
    if error:
        messages.error(request, error)
    return _back_to_tasks(event, task)


@login_required
@require_POST
def task_status(request, pk: int, task_pk: int):
    event = organised_event(request, pk)
    task = _event_task(event, task_pk)
    form = TaskStatusForm(request.POST)
    error = ""
    if form.is_valid():
        concept_services.set_task_status(request.user, task, form.cleaned_data["status"])
    else:
        error = _("Choose one of the statuses.")
    return _row_response(request, event, task, error)


@login_required
@require_POST
def task_assign(request, pk: int, task_pk: int):
    event = organised_event(request, pk)
    task = _event_task(event, task_pk)
    form = TaskAssignForm(request.POST, event=event)
    error = ""
    if form.is_valid():
        concept_services.assign_task(request.user, task, form.cleaned_data["responsible"])
    else:
        error = _("Choose one of the people of %(organisation)s.") % {"organisation": event.owner}
    return _row_response(request, event, task, error)


@login_required
@require_POST
def improve_concept(request, pk: int):
    event = organised_event(request, pk)
    if event.concept is None:
        raise Http404
    try:
        result = concept_services.improve_concept_from_event(request.user, event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back_to_tasks(event)
    return render(request, "events/concepts/improved.html", {"event": event, "result": result})
