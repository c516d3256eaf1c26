"""Pages of procurements: list, create, edit, and the page of one procurement with its
route's steps, phases, lots, award, contract and stage.

Views stay thin: they parse, call a service from ``services`` and render or redirect. Pages
for editors answer 404 to those who do not see the procurement and 403 to those who see it
only. A refused button press (a skipped step, a stage without its facts) comes back as an
error message on the procurement's page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil.core import permissions
from samspil.core.web import add_service_errors, paginate, refusal_message, render_list

from . import queries, services
from . import routes as route_aid
from .forms import (
    AwardForm,
    ContractForm,
    LotForm,
    PhaseDecisionForm,
    PhaseForm,
    ProcurementFilterForm,
    ProcurementForm,
    RouteAdviceForm,
    StageForm,
    StepDoneForm,
    creating_organisations,
)
from .models import Phase, Procurement, ProcurementRoute, Stage


def procurement_list(request):
    form = ProcurementFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = queries.search_procurements(
        request.user,
        stage=filters.get("stage", ""),
        route=filters.get("route"),
        organisation=filters.get("organisation"),
        q=filters.get("q", ""),
    )
    page, query = paginate(request, rows)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "can_create": creating_organisations(request.user).exists(),
    }
    return render_list(request, "procurement/list.html", "procurement/_rows.html", context)


def _create_initial(request) -> dict:
    """Title and description from the challenge, pilot or proposal the procurement starts
    from (404 if the user does not see it)."""
    user = request.user
    initial: dict = {}
    if pk := request.GET.get("challenge"):
        challenge = permissions.get_challenge_for_user(user, pk)
        initial.update(
            challenge=challenge,
            title=challenge.title,
            description=challenge.problem_statement or "",
        )
    if pk := request.GET.get("pilot"):
        pilot = permissions.get_pilot_for_user(user, pk)
        initial.update(pilot=pilot, title=pilot.title)
        initial.setdefault("description", pilot.description or pilot.hypothesis or "")
        if pilot.challenge_id and "challenge" not in initial:
            initial["challenge"] = pilot.challenge_id
    if pk := request.GET.get("proposal"):
        proposal = permissions.get_proposal_for_user(user, pk)
        initial.update(proposal=proposal, title=proposal.title)
        initial.setdefault("description", getattr(proposal, "summary", "") or "")
    if route := request.GET.get("route"):
        initial["route"] = ProcurementRoute.objects.filter(code=route).first()
    return initial


def _advice_context(request) -> dict:
    form = RouteAdviceForm(request.GET if "advice" in request.GET else None)
    advice: list[dict] = []
    all_routes = list(ProcurementRoute.objects.order_by("position", "pk"))
    if form.is_bound:
        by_code = {route.code: route for route in all_routes}
        advice = [
            {"route": by_code[item.code], "reason": _(item.reason)}
            for item in route_aid.recommend(form.answers())
            if item.code in by_code
        ]
    return {"advice_form": form, "advice": advice, "all_routes": all_routes}


def route_advice(request):
    """The decision aid's answer: for htmx the advice and the form's route select with the
    first advice chosen (swapped out of band); without JavaScript the create page with the
    answers and the first route chosen."""
    context = _advice_context(request)
    if request.htmx:
        return render(request, "procurement/_advice.html", {**context, "oob": True})
    query = request.GET.copy()
    if context["advice"]:
        query["route"] = context["advice"][0]["route"].code
    return redirect(f"{reverse('procurement:create')}?{query.urlencode()}")


@login_required
def procurement_create(request):
    if not creating_organisations(request.user).exists():
        raise PermissionDenied
    initial = _create_initial(request) if request.method != "POST" else {}
    form = ProcurementForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            procurement = services.create_procurement(
                request.user, form.cleaned_data["owner"], **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The procurement was created."))
            return redirect(procurement)
    status = 422 if form.is_bound and form.errors else 200
    context = {"form": form, "creating": True, **_advice_context(request)}
    return render(request, "procurement/form.html", context, status=status)


def editable_procurement(request, pk: int) -> Procurement:
    """The procurement for its editors: 404 when unseen, 403 when seen but not editable."""
    procurement = queries.procurement_with_details(request.user, pk)
    if not permissions.can_edit_procurement(request.user, procurement):
        raise PermissionDenied
    return procurement


@login_required
def procurement_edit(request, pk: int):
    procurement = editable_procurement(request, pk)
    form = ProcurementForm(request.POST or None, instance=procurement, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        fresh = Procurement.objects.select_related("owner", "route").get(pk=procurement.pk)
        try:
            services.update_procurement(request.user, fresh, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The procurement was saved."))
            return redirect(procurement)
    status = 422 if form.is_bound and form.errors else 200
    context = {"form": form, "procurement": procurement, **_advice_context(request)}
    return render(request, "procurement/form.html", context, status=status)


def _detail_context(request, procurement: Procurement, **extra) -> dict:
    user = request.user
    can_edit = permissions.can_edit_procurement(user, procurement)
    labels = dict(Stage.choices)
    phases = list(procurement.phases.all())
    context = {
        "procurement": procurement,
        "can_edit": can_edit,
        "steps": queries.step_rows(procurement),
        "lots": list(procurement.lots.all()),
        "phases": phases,
        "awards": list(procurement.awards.all()),
        "contracts": list(procurement.contracts.all()),
        "moves": [(s, labels[s]) for s in services.allowed_stages(procurement.stage)],
    }
    if can_edit:
        context.update(
            step_form=StepDoneForm(),
            lot_form=LotForm(),
            phase_form=PhaseForm(),
            decision_form=PhaseDecisionForm(),
            award_form=AwardForm(procurement=procurement),
            contract_form=ContractForm(procurement=procurement),
        )
    context.update(extra)
    return context


def procurement_detail(request, pk: int):
    procurement = queries.procurement_with_details(request.user, pk)
    return render(request, "procurement/detail.html", _detail_context(request, procurement))


def _back(procurement: Procurement, anchor: str):
    return redirect(f"{procurement.get_absolute_url()}#{anchor}")


def _invalid(request, procurement, name: str, form, anchor: str):
    context = _detail_context(request, procurement, **{name: form, f"{anchor}_open": True})
    return render(request, "procurement/detail.html", context, status=422)


@login_required
@require_POST
def step_done(request, pk: int):
    procurement = editable_procurement(request, pk)
    form = StepDoneForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        step = None
        if data.get("step") and procurement.route is not None:
            step = next((s for s in procurement.route.steps.all() if s.pk == data["step"]), None)
            if step is None:
                raise Http404
        try:
            services.mark_step_done(
                request.user, procurement, done_on=data["done_on"], output=data["output"], step=step
            )
        except ValidationError as error:
            if set(getattr(error, "error_dict", {})) == {"step"}:
                refusal_message(request, error)
                return _back(procurement, "steps")
            add_service_errors(form, error)
        else:
            messages.success(request, _("The step was marked done."))
            return _back(procurement, "steps")
    return _invalid(request, procurement, "step_form", form, "steps")


@login_required
@require_POST
def stage_move(request, pk: int):
    procurement = editable_procurement(request, pk)
    form = StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a stage."))
        return _back(procurement, "stage")
    try:
        services.move_stage(request.user, procurement, form.cleaned_data["to"])
    except ValidationError as error:
        refusal_message(request, error)
    else:
        messages.success(
            request,
            _("The procurement is now: %(stage)s.") % {"stage": procurement.get_stage_display()},
        )
    return _back(procurement, "stage")


@login_required
@require_POST
def lot_add(request, pk: int):
    procurement = editable_procurement(request, pk)
    form = LotForm(request.POST)
    if form.is_valid():
        try:
            services.add_lot(request.user, procurement, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The lot was added."))
            return _back(procurement, "lots")
    return _invalid(request, procurement, "lot_form", form, "lots")


@login_required
@require_POST
def phase_add(request, pk: int):
    procurement = editable_procurement(request, pk)
    form = PhaseForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        suppliers = data.pop("suppliers", [])
        try:
            services.add_phase(request.user, procurement, suppliers=suppliers, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The phase was added."))
            return _back(procurement, "phases")
    return _invalid(request, procurement, "phase_form", form, "phases")


@login_required
@require_POST
def phase_decide(request, pk: int, phase_pk: int):
    procurement = editable_procurement(request, pk)
    phase = next((p for p in procurement.phases.all() if p.pk == phase_pk), None)
    if phase is None:
        raise Http404
    phase = Phase.objects.select_related("procurement").get(pk=phase.pk)
    form = PhaseDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_phase(request.user, phase, **form.cleaned_data)
        except ValidationError as error:
            refusal_message(request, error)
            return _back(procurement, f"phase-{phase.pk}")
        messages.success(request, _("The decision was recorded."))
        return _back(procurement, f"phase-{phase.pk}")
    refusal_message(request, ValidationError(_("Choose a decision and its date.")))
    return _back(procurement, f"phase-{phase.pk}")


@login_required
@require_POST
def award_add(request, pk: int):
    procurement = editable_procurement(request, pk)
    form = AwardForm(request.POST, procurement=procurement)
    if form.is_valid():
        try:
            services.add_award(request.user, procurement, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The award was recorded."))
            return _back(procurement, "awards")
    return _invalid(request, procurement, "award_form", form, "awards")


@login_required
@require_POST
def contract_add(request, pk: int):
    procurement = editable_procurement(request, pk)
    form = ContractForm(request.POST, procurement=procurement)
    if form.is_valid():
        try:
            services.add_contract(request.user, procurement, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The contract was recorded."))
            return _back(procurement, "contracts")
    return _invalid(request, procurement, "contract_form", form, "contracts")
