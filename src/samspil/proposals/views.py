"""Pages of proposals: list, create, and the editor (header, sections, state).

Views stay thin: they parse, call a service from ``services`` and render or redirect. Pages
for editors answer 404 to those who do not see the proposal and 403 to those who see it only.
A section saves on its own (htmx answers with the section's status only, so nothing typed
meanwhile is replaced); without JavaScript its Save button posts the page and comes back to
the section.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil.core import permissions
from samspil.core.web import add_service_errors, paginate, render_list

from . import queries, services, states
from .forms import MoveForm, ProposalFilterForm, ProposalForm, SectionForm, creating_organisations
from .models import Proposal, ProposalState, TemplateSection


def proposal_list(request):
    form = ProposalFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    proposals = queries.search_proposals(
        request.user,
        organisation=filters.get("organisation"),
        state=filters.get("state", ""),
        q=filters.get("q", ""),
    )
    page, query = paginate(request, proposals)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "can_create": creating_organisations(request.user).exists(),
    }
    return render_list(request, "proposals/list.html", "proposals/_rows.html", context)


def _create_initial(request) -> dict:
    """Values from the challenge, pilot or event the proposal starts from (404 if unseen)."""
    user = request.user
    initial: dict = {}
    leading = creating_organisations(user)
    if pk := request.GET.get("challenge"):
        challenge = permissions.get_challenge_for_user(user, pk)
        initial.update(challenge=challenge, title=challenge.title, owner=challenge.owner_id)
    if pk := request.GET.get("pilot"):
        pilot = permissions.get_pilot_for_user(user, pk)
        initial.update(pilot=pilot, title=pilot.title, owner=pilot.owner_id)
        if pilot.challenge_id and "challenge" not in initial:
            initial["challenge"] = pilot.challenge_id
    if pk := request.GET.get("event"):
        event = permissions.get_event_for_user(user, pk)
        initial.update(event=event)
        initial.setdefault("title", event.title)
    if initial.get("owner") not in set(leading.values_list("pk", flat=True)):
        initial.pop("owner", None)
    return initial


@login_required
def proposal_create(request):
    if not creating_organisations(request.user).exists():
        raise PermissionDenied
    initial = _create_initial(request) if request.method != "POST" else {}
    form = ProposalForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.create_proposal(
                request.user, form.cleaned_data["owner"], **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The proposal was created."))
            return redirect(proposal)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "proposals/form.html", {"form": form}, status=status)


def _section_entries(proposal: Proposal, bound: dict | None = None) -> list[dict]:
    """The template's sections in order, each with its saved text and a form (the posted one
    for the section whose save failed)."""
    bound = bound or {}
    entries = []
    for section, saved in queries.section_rows(proposal):
        form = bound.get(section.code) or SectionForm(
            initial={"text": saved.text if saved else ""}, prefix=section.code
        )
        entries.append({"section": section, "saved": saved, "form": form})
    return entries


def _detail_context(request, proposal: Proposal, **extra) -> dict:
    user = request.user
    can_edit = permissions.can_edit_proposal(user, proposal)
    department = permissions.can_move_proposal(user, proposal)
    board = permissions.can_decide_proposal(user, proposal)
    moves = states.allowed_moves(proposal.state, department=department, board=board)
    labels = dict(ProposalState.choices)
    context = {
        "proposal": proposal,
        "can_edit": can_edit,
        "can_edit_follow_up": permissions.can_edit_follow_up(user, proposal),
        "sections": _section_entries(proposal, extra.pop("bound_sections", None)),
        "departments": list(proposal.affected_departments.all()),
        "state_changes": list(proposal.state_changes.all()),
        "moves": [(state, labels[state]) for state in moves],
        "move_form": MoveForm(),
        "header_form": ProposalForm(instance=proposal, user=user) if can_edit else None,
        # The change log is for those who write or decide; readers see the state history.
        "show_history": can_edit or department or board,
    }
    context.update(extra)
    return context


def proposal_detail(request, pk: int):
    proposal = queries.proposal_with_details(request.user, pk)
    return render(request, "proposals/detail.html", _detail_context(request, proposal))


def editable_proposal(request, pk: int) -> Proposal:
    """The proposal for its editors: 404 when unseen, 403 when seen but not editable."""
    proposal = queries.proposal_with_details(request.user, pk)
    if not permissions.can_edit_proposal(request.user, proposal):
        raise PermissionDenied
    return proposal


@login_required
@require_POST
def proposal_header(request, pk: int):
    proposal = editable_proposal(request, pk)
    # The form edits a copy, so the page keeps the saved header while errors are shown.
    copy = Proposal.objects.select_related("owner").get(pk=proposal.pk)
    form = ProposalForm(request.POST, instance=copy, user=request.user)
    if form.is_valid():
        try:
            services.update_proposal(request.user, copy, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The header was saved."))
            return redirect(f"{proposal.get_absolute_url()}#header")
    context = _detail_context(request, proposal, header_form=form, header_open=True)
    return render(request, "proposals/detail.html", context, status=422)


def _section_status(request, section: TemplateSection, form, saved=None, status=200):
    context = {"section": section, "form": form, "saved": saved, "saved_now": status == 200}
    return render(request, "proposals/_section_status.html", context, status=status)


@login_required
@require_POST
def proposal_section(request, pk: int, code: str):
    proposal = editable_proposal(request, pk)
    section = TemplateSection.objects.filter(template_id=proposal.template_id, code=code).first()
    if section is None:
        raise Http404
    form = SectionForm(request.POST, prefix=section.code)
    if form.is_valid():
        try:
            saved = services.save_section(request.user, proposal, code, form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.htmx:
                return _section_status(request, section, form, saved)
            messages.success(request, _("The section was saved."))
            return redirect(f"{proposal.get_absolute_url()}#section-{code}")
    if request.htmx:
        return _section_status(request, section, form, status=422)
    context = _detail_context(request, proposal, bound_sections={code: form})
    return render(request, "proposals/detail.html", context, status=422)


@login_required
@require_POST
def proposal_move(request, pk: int):
    proposal = queries.proposal_with_details(request.user, pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.move_proposal(request.user, proposal, data["to"], data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The proposal is now: %(state)s.") % {"state": proposal.get_state_display()},
            )
            return redirect(f"{proposal.get_absolute_url()}#state")
    elif not (
        permissions.can_move_proposal(request.user, proposal)
        or permissions.can_decide_proposal(request.user, proposal)
    ):
        raise PermissionDenied
    proposal = queries.proposal_with_details(request.user, pk)
    context = _detail_context(request, proposal, move_form=form)
    return render(request, "proposals/detail.html", context, status=422)
