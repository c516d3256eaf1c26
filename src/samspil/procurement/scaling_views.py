"""Pages of scaling processes: the list, start one (from a challenge), edit, and the page of
one process with its criteria, participants (and suggested ones), steps, letters of intent
and adoption over time.

Thin: parse, call ``scaling_services`` and redirect back to the section of the page; a form
with errors comes back on the process's page with status 422 and what was typed. A refused
button press (a skipped step, a participant with a letter of intent) comes back as an error
message. Pages for editors answer 404 to those who do not see the process and 403 to those
who only see it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil import charts
from samspil.core import permissions
from samspil.core.web import add_service_errors, paginate, refusal_message, render_list

from . import scaling_adoption, scaling_queries, scaling_services
from .forms import creating_organisations
from .models import SCALING_STEP_ORDER, ScalingProcess, ScalingRole, ScalingStep
from .scaling_forms import (
    AdoptionForm,
    CommitmentForm,
    CriteriaForm,
    ParticipantForm,
    ProcessFilterForm,
    ProcessForm,
    RoleForm,
    StepDoneForm,
)

DETAIL = "procurement/scaling/detail.html"


def scaling_list(request):
    form = ProcessFilterForm(request.GET or None)
    q = form.cleaned_data.get("q", "") if form.is_valid() else ""
    rows = scaling_queries.processes_for_list(request.user, q=q)
    page, query = paginate(request, rows)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "can_create": creating_organisations(request.user).exists(),
        "step_count": len(SCALING_STEP_ORDER),
    }
    return render_list(
        request, "procurement/scaling/list.html", "procurement/scaling/_rows.html", context
    )


def _challenge_initial(request) -> tuple[dict, object]:
    pk = request.GET.get("challenge")
    if not pk:
        return {}, None
    challenge = permissions.get_challenge_for_user(request.user, pk)
    initial = {
        "challenge": challenge.pk,
        "title": challenge.title,
        "description": challenge.problem_statement,
        "criteria": [name for name in scaling_services.CRITERIA if getattr(challenge, name)],
        "visibility": challenge.visibility,
    }
    return initial, challenge


@login_required
def scaling_create(request):
    if not creating_organisations(request.user).exists():
        raise PermissionDenied
    challenge = None
    if request.method == "POST":
        form = ProcessForm(request.POST, user=request.user)
        if form.is_valid():
            fields = form.service_fields()
            challenge_pk = form.cleaned_data.get("challenge")
            if challenge_pk:
                challenge = (
                    permissions.challenges_visible_to(request.user)
                    .filter(pk=challenge_pk)
                    .select_related("owner")
                    .first()
                )
                if challenge is None:
                    form.add_error(None, _("Choose a challenge you may see."))
            if not form.errors:
                try:
                    process = scaling_services.create_scaling_process(
                        request.user, form.cleaned_data["owner"], challenge=challenge, **fields
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _("The scaling process was started."))
                    return redirect(process)
    else:
        initial, challenge = _challenge_initial(request)
        form = ProcessForm(user=request.user, initial=initial)
    need_owners = scaling_services.need_owners_of(challenge) if challenge is not None else []
    status = 422 if form.is_bound and form.errors else 200
    context = {"form": form, "challenge": challenge, "need_owners": need_owners}
    return render(request, "procurement/scaling/form.html", context, status=status)


def _editable(request, pk: int) -> ScalingProcess:
    process = scaling_queries.process_with_details(request.user, pk)
    if not permissions.can_edit_scaling_process(request.user, process):
        raise PermissionDenied
    return process


@login_required
def scaling_edit(request, pk: int):
    process = _editable(request, pk)
    form = ProcessForm(
        request.POST or None,
        user=request.user,
        process=process,
        initial=ProcessForm.initial_from(process),
    )
    if request.method == "POST" and form.is_valid():
        fresh = ScalingProcess.objects.select_related("owner").get(pk=process.pk)
        try:
            scaling_services.update_scaling_process(request.user, fresh, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The scaling process was saved."))
            return redirect(process)
    status = 422 if form.is_bound and form.errors else 200
    context = {"form": form, "process": process}
    return render(request, "procurement/scaling/form.html", context, status=status)


def _adoption_chart(series):
    return charts.time_chart(
        [
            charts.Series(
                _("Organisations that have bought it"),
                [(p.counted_on, p.organisations) for p in series.points],
            )
        ],
    )


def _detail_context(request, process: ScalingProcess, **extra) -> dict:
    user = request.user
    can_edit = permissions.can_edit_scaling_process(user, process)
    rows = scaling_queries.participants(process)
    letters = scaling_queries.commitments(process)
    committed = {c.organisation_id for c in letters}
    commit_choices = [
        (p.organisation_id, p.organisation.name)
        for p in rows
        if p.organisation_id not in committed
        and scaling_services.can_record_commitment(user, process, p.organisation_id)
    ]
    counts = scaling_queries.adoption_rows(process)
    series = scaling_adoption.adoption((row.counted_on, row.organisations) for row in counts)
    notes = {row.counted_on: row.note for row in counts}
    steps = scaling_queries.step_rows(process)
    next_step = next((row for row in steps if row["is_next"]), None)
    context = {
        "process": process,
        "can_edit": can_edit,
        "participants": rows,
        "missing_criteria": scaling_services.missing_criteria(process),
        "steps": steps,
        "next_step": next_step,
        # The tender is next or done: the procurement may be started.
        "tender_reached": next_step is None or next_step["step"] == ScalingStep.TENDER,
        "commitments": letters,
        "totals": scaling_queries.commitment_totals(letters),
        "adoption": series,
        "adoption_table": [(point, notes.get(point.counted_on, "")) for point in series.points],
        "adoption_chart": _adoption_chart(series),
        "role_choices": ScalingRole.choices,
        "committed_organisations": committed,
    }
    if commit_choices:
        context["commitment_form"] = CommitmentForm(choices=commit_choices)
    if can_edit:
        context.update(
            criteria_form=CriteriaForm(
                initial={"criteria": [n for n in scaling_services.CRITERIA if getattr(process, n)]}
            ),
            suggestions=scaling_queries.suggested_participants(user, process),
            participant_form=ParticipantForm(process=process),
            step_form=StepDoneForm(user=user, process=process),
            adoption_form=AdoptionForm(),
        )
    for name, value in extra.items():
        if name == "commitment_form":
            value.fields["organisation"].widget.choices = [("", "—"), *commit_choices]
        context[name] = value
    return context


def scaling_detail(request, pk: int):
    process = scaling_queries.process_with_details(request.user, pk)
    return render(request, DETAIL, _detail_context(request, process))


def _back(process: ScalingProcess, anchor: str):
    return redirect(f"{process.get_absolute_url()}#{anchor}")


def _invalid(request, process, name: str, form):
    return render(request, DETAIL, _detail_context(request, process, **{name: form}), status=422)


@login_required
@require_POST
def criteria_update(request, pk: int):
    process = _editable(request, pk)
    form = CriteriaForm(request.POST)
    if not form.is_valid():
        return _invalid(request, process, "criteria_form", form)
    fresh = ScalingProcess.objects.select_related("owner").get(pk=process.pk)
    scaling_services.update_scaling_process(request.user, fresh, **form.service_fields())
    messages.success(request, _("The criteria were saved."))
    return _back(process, "scaling-criteria")


@login_required
@require_POST
def participant_add(request, pk: int):
    process = _editable(request, pk)
    form = ParticipantForm(request.POST, process=process)
    if form.is_valid():
        try:
            participant = scaling_services.add_participant(
                request.user, process, form.cleaned_data["organisation"], form.cleaned_data["role"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(organisation)s takes part as %(role)s.")
                % {
                    "organisation": participant.organisation,
                    "role": participant.get_role_display().lower(),
                },
            )
            return _back(process, "scaling-participants")
    return _invalid(request, process, "participant_form", form)


@login_required
@require_POST
def participant_role(request, pk: int, participant_pk: int):
    process = _editable(request, pk)
    participant = scaling_queries.get_participant(process, participant_pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose need owner, buyer, observer or facilitator."))
        return _back(process, "scaling-participants")
    scaling_services.change_participant_role(request.user, participant, form.cleaned_data["role"])
    messages.success(
        request,
        _("%(organisation)s is now %(role)s.")
        % {
            "organisation": participant.organisation,
            "role": participant.get_role_display().lower(),
        },
    )
    return _back(process, "scaling-participants")


@login_required
@require_POST
def participant_remove(request, pk: int, participant_pk: int):
    process = _editable(request, pk)
    participant = scaling_queries.get_participant(process, participant_pk)
    try:
        scaling_services.remove_participant(request.user, participant)
    except ValidationError as error:
        refusal_message(request, error)
    else:
        messages.success(
            request,
            _("%(organisation)s no longer takes part.")
            % {"organisation": participant.organisation},
        )
    return _back(process, "scaling-participants")


@login_required
@require_POST
def step_done(request, pk: int):
    process = _editable(request, pk)
    form = StepDoneForm(request.POST, user=request.user, process=process)
    if form.is_valid():
        data = form.cleaned_data
        event = None
        if data.get("event"):
            event = permissions.events_visible_to(request.user).filter(pk=data["event"]).first()
            if event is None:
                form.add_error("event", _("Choose an event you may see."))
        if not form.errors:
            try:
                scaling_services.mark_step_done(
                    request.user,
                    process,
                    step=data.get("step") or None,
                    done_on=data["done_on"],
                    note=data["note"],
                    event=event,
                )
            except ValidationError as error:
                if set(getattr(error, "error_dict", {})) == {"step"}:
                    refusal_message(request, error)
                    return _back(process, "scaling-steps")
                add_service_errors(form, error)
            else:
                messages.success(request, _("The step was marked done."))
                return _back(process, "scaling-steps")
    return _invalid(request, process, "step_form", form)


@login_required
@require_POST
def commitment_add(request, pk: int):
    process = scaling_queries.process_with_details(request.user, pk)
    if not scaling_services.may_record_any_commitment(request.user, process):
        raise PermissionDenied
    form = CommitmentForm(request.POST)
    if form.is_valid():
        try:
            commitment = scaling_services.record_commitment(
                request.user, process, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The letter of intent of %(organisation)s was recorded.")
                % {"organisation": commitment.organisation},
            )
            return _back(process, "scaling-commitments")
    return _invalid(request, process, "commitment_form", form)


@login_required
@require_POST
def adoption_add(request, pk: int):
    process = _editable(request, pk)
    form = AdoptionForm(request.POST)
    if form.is_valid():
        try:
            scaling_services.add_adoption_count(request.user, process, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The count was added."))
            return _back(process, "scaling-adoption")
    return _invalid(request, process, "adoption_form", form)
