"""Pages of phases and decisions: a pilot's phase page (stepper, checklists, the decision
form for the next decision point, the timeline of decisions) and the phase models (list,
detail, and a new one for innovation leads).

Anyone who sees the pilot reads its phase page; those who may edit the pilot tick the
checklist, those who may decide (``permissions.can_decide_pilot``) record decisions. A
checklist posted with htmx gets its phase's section back; without JavaScript the page is
posted and redrawn.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil.core import permissions
from samspil.core.web import add_service_errors

from . import phase_queries
from . import phase_services as services
from .models import DecisionPoint, Phase, Pilot, PilotChecklistItem
from .phase_forms import ChecklistItemForm, DecisionForm, PhaseModelForm, text_lines


def _pilot(request, pk: int) -> Pilot:
    return permissions.get_pilot_for_user(request.user, pk)


def _phases_url(pilot: Pilot, anchor: str = "") -> str:
    url = reverse("pilots:phases", args=[pilot.pk])
    return f"{url}#{anchor}" if anchor else url


def _phase_of(pilot: Pilot, phase_pk: int) -> Phase:
    return get_object_or_404(Phase, pk=phase_pk, model_id=pilot.phase_model_id)


def _page(
    request,
    pilot: Pilot,
    *,
    decision_form: DecisionForm | None = None,
    item_forms: dict[int, ChecklistItemForm] | None = None,
    status: int = 200,
):
    user = request.user
    page = phase_queries.phase_page(pilot)
    progress = page.progress
    can_edit = permissions.can_edit_pilot(user, pilot)
    can_decide = permissions.can_decide_pilot(user, pilot)
    if can_decide and progress.next_point is not None and decision_form is None:
        decision_form = DecisionForm(initial=DecisionForm.initial_for(progress.next_point))
    item_forms = item_forms or {}
    for step in progress.steps:
        step.item_form = item_forms.get(step.phase.pk) or (
            ChecklistItemForm(prefix=f"p{step.phase.pk}") if can_edit else None
        )
    context = {
        "pilot": pilot,
        "progress": progress,
        "decisions": page.decisions,
        "can_edit": can_edit,
        "can_decide": can_decide,
        "decision_form": decision_form if can_decide else None,
        "next_documents": text_lines(progress.next_point.documents) if progress.next_point else [],
    }
    return render(request, "pilots/phases/page.html", context, status=status)


def phases(request, pk: int):
    return _page(request, _pilot(request, pk))


@login_required
@require_POST
def decide(request, pk: int):
    pilot = _pilot(request, pk)
    if not permissions.can_decide_pilot(request.user, pilot):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        point = (
            DecisionPoint.objects.select_related("closes")
            .filter(pk=data["point"], model_id=pilot.phase_model_id)
            .first()
        )
        if point is None:
            form.add_error(None, _("Choose a decision point of the pilot's phase model."))
        else:
            try:
                result = services.decide(
                    request.user,
                    pilot,
                    point,
                    data["outcome"],
                    data["decided_by"],
                    data["decided_on"],
                    documents=data["documents"],
                    notes=data["notes"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The decision at %(point)s was recorded.") % {"point": point.code},
                )
                for warning in result.warnings:
                    messages.warning(request, warning)
                return redirect(_phases_url(pilot, "decisions"))
    return _page(request, pilot, decision_form=form, status=422)


# Checklist ------------------------------------------------------------------------------------


def _editable(request, pk: int) -> Pilot:
    pilot = _pilot(request, pk)
    if not permissions.can_edit_pilot(request.user, pilot):
        raise PermissionDenied
    return pilot


def _checklist_section(request, pilot: Pilot, phase: Phase, *, form=None, status=200, message=""):
    """Only this phase's checklist (htmx)."""
    progress = phase_queries.phase_page(pilot).progress
    step = next(s for s in progress.steps if s.phase.pk == phase.pk)
    step.item_form = form or ChecklistItemForm(prefix=f"p{phase.pk}")
    context = {"pilot": pilot, "step": step, "can_edit": True, "status_message": message}
    return render(request, "pilots/phases/_checklist.html", context, status=status)


def _done_after(request, pilot: Pilot, phase: Phase, message: str):
    if request.htmx:
        return _checklist_section(request, pilot, phase, message=message)
    messages.success(request, message)
    return redirect(_phases_url(pilot, f"phase-{phase.pk}"))


@login_required
@require_POST
def checklist_tick(request, pk: int, phase_pk: int):
    """The phase's tick boxes as posted: ``done`` lists the ticked items."""
    pilot = _editable(request, pk)
    phase = _phase_of(pilot, phase_pk)
    ticked = set(request.POST.getlist("done"))
    for item in PilotChecklistItem.objects.filter(pilot=pilot, phase=phase):
        item.pilot = pilot  # spares a query in the permission check
        services.tick_item(request.user, item, str(item.pk) in ticked)
    return _done_after(request, pilot, phase, _("The checklist was saved."))


@login_required
@require_POST
def checklist_add(request, pk: int, phase_pk: int):
    pilot = _editable(request, pk)
    phase = _phase_of(pilot, phase_pk)
    form = ChecklistItemForm(request.POST, prefix=f"p{phase.pk}")
    if form.is_valid():
        try:
            services.add_checklist_item(request.user, pilot, phase, form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done_after(request, pilot, phase, _("The item was added."))
    if request.htmx:
        return _checklist_section(request, pilot, phase, form=form, status=422)
    return _page(request, pilot, item_forms={phase.pk: form}, status=422)


@login_required
@require_POST
def checklist_remove(request, pk: int, item_pk: int):
    pilot = _editable(request, pk)
    item = get_object_or_404(
        PilotChecklistItem.objects.select_related("phase"), pk=item_pk, pilot=pilot
    )
    item.pilot = pilot
    phase = item.phase
    services.remove_checklist_item(request.user, item)
    return _done_after(request, pilot, phase, _("The item was removed."))


# Phase models ---------------------------------------------------------------------------------


def phase_models(request):
    context = {
        "models": list(phase_queries.models_for_list(request.user)),
        "can_create": phase_queries.phase_model_organisations(request.user).exists(),
    }
    return render(request, "pilots/phases/models.html", context)


def phase_model(request, pk: int):
    model = phase_queries.model_with_details(request.user, pk)
    return render(request, "pilots/phases/model.html", {"model": model})


@login_required
def phase_model_create(request):
    organisations = phase_queries.phase_model_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    if request.method != "POST":
        form = PhaseModelForm(organisations=organisations)
        return render(request, "pilots/phases/model_form.html", {"form": form})
    names, errors = services.clean_phase_names(text_lines(request.POST.get("phases", "")))
    if errors or request.POST.get("shown") != str(len(names)):
        # First step, or the phases changed: show the decision points between them.
        first = PhaseModelForm(request.POST, organisations=organisations)
        if not first.is_valid():
            context = {"form": first}
            return render(request, "pilots/phases/model_form.html", context, status=422)
        initial = {**first.cleaned_data, "phases": "\n".join(names), "shown": len(names)}
        initial.update(PhaseModelForm.generated_initial(names, request.POST))
        form = PhaseModelForm(initial=initial, organisations=organisations, phase_names=names)
        return render(request, "pilots/phases/model_form.html", {"form": form})
    form = PhaseModelForm(request.POST, organisations=organisations, phase_names=names)
    if form.is_valid():
        try:
            model = services.create_phase_model(
                request.user, form.cleaned_data["organisation"], **form.service_kwargs()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The phase model was created."))
            return redirect("pilots:phase-model", pk=model.pk)
    return render(request, "pilots/phases/model_form.html", {"form": form}, status=422)
