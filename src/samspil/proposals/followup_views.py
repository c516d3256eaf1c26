"""The criteria (1.4), follow-up (1.7) and consultation sections of a proposal, and the page
of the follow-up tasks a person is responsible for.

Thin: parse, call ``followup_services`` and render or redirect. An htmx request gets its
section back (with the form's errors, status 422); without JavaScript a form posts and comes
back to the proposal at the section's anchor, or shows its own page with the errors.
"""

from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil.core import permissions
from samspil.core.web import add_service_errors, paginate, refusal_message

from . import followup_queries, followup_services
from .followup_forms import AddConsultationForm, ConsultationForm, CriteriaRowForm, FollowUpForm
from .models import Consultation, FollowUpItem, Proposal


class Section(NamedTuple):
    partial: str  # what htmx swaps in
    page: str  # a form's own page, without JavaScript
    anchor: str  # where the proposal page shows the section


CRITERIA = Section(
    "proposals/followup/_criteria.html",
    "proposals/followup/criteria_form.html",
    "proposal-criteria",
)
FOLLOW_UP = Section(
    "proposals/followup/_follow_up.html",
    "proposals/followup/follow_up_form.html",
    "proposal-follow-up",
)
CONSULTATIONS = Section(
    "proposals/followup/_consultations.html",
    "proposals/followup/consultation_form.html",
    "proposal-consultations",
)


def _proposal(request, pk: int, allowed) -> Proposal:
    """404 for a proposal the person may not see, 403 for one they may not change."""
    proposal = permissions.get_proposal_for_user(request.user, pk)
    if not allowed(request.user, proposal):
        raise PermissionDenied
    return proposal


def _respond(request, proposal: Proposal, section: Section, context: dict | None = None):
    """The section for htmx, the section's own page with a form that has errors, or back to
    the proposal's section."""
    context = {
        "proposal": proposal,
        "can_edit": permissions.can_edit_proposal(request.user, proposal),
        "can_edit_follow_up": permissions.can_edit_follow_up(request.user, proposal),
        **(context or {}),
    }
    failed = any(
        getattr(form, "errors", None) for name, form in context.items() if name.endswith("form")
    )
    status = 422 if failed else 200
    if request.htmx:
        return render(request, section.partial, context, status=status)
    if failed or request.method == "GET":
        return render(request, section.page, context, status=status)
    return redirect(f"{proposal.get_absolute_url()}#{section.anchor}")


def _direction(request) -> bool:
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        raise Http404
    return direction == "up"


# 1.4 prioritisation criteria -------------------------------------------------------------------


@login_required
@require_POST
def criteria_add(request, pk: int):
    proposal = _proposal(request, pk, permissions.can_edit_proposal)
    form = CriteriaRowForm(request.POST)
    if form.is_valid():
        try:
            followup_services.add_criteria_row(request.user, proposal, **form.service_fields())
        except ValidationError as error:
            _add_errors(form, error)
    if form.errors:
        return _respond(request, proposal, CRITERIA, {"criteria_form": form})
    return _respond(request, proposal, CRITERIA)


def _add_errors(form: CriteriaRowForm, error: ValidationError) -> None:
    errors: dict[str, list] = {}
    for name, messages_ in error.message_dict.items():
        errors.setdefault(form.FIELD_OF.get(name, name), []).extend(messages_)
    add_service_errors(form, ValidationError(errors))


@login_required
def criteria_edit(request, pk: int, row_pk: int):
    proposal = _proposal(request, pk, permissions.can_edit_proposal)
    row = followup_queries.get_criteria_row(proposal, row_pk)
    if request.method != "POST":
        form = CriteriaRowForm(initial=CriteriaRowForm.initial_of(row))
        return _respond(request, proposal, CRITERIA, {"criteria_form": form, "criteria_row": row})
    form = CriteriaRowForm(request.POST)
    if form.is_valid():
        try:
            followup_services.update_criteria_row(request.user, row, **form.service_fields())
        except ValidationError as error:
            _add_errors(form, error)
    if form.errors:
        # The heading keeps the saved label while the form shows what was typed.
        saved = followup_queries.get_criteria_row(proposal, row_pk)
        return _respond(request, proposal, CRITERIA, {"criteria_form": form, "criteria_row": saved})
    return _respond(request, proposal, CRITERIA)


@login_required
@require_POST
def criteria_delete(request, pk: int, row_pk: int):
    proposal = _proposal(request, pk, permissions.can_edit_proposal)
    row = followup_queries.get_criteria_row(proposal, row_pk)
    followup_services.delete_criteria_row(request.user, row)
    if not request.htmx:
        messages.success(request, _("“%(label)s” was removed.") % {"label": row.label})
    return _respond(request, proposal, CRITERIA)


@login_required
@require_POST
def criteria_move(request, pk: int, row_pk: int):
    proposal = _proposal(request, pk, permissions.can_edit_proposal)
    row = followup_queries.get_criteria_row(proposal, row_pk)
    followup_services.move_criteria_row(request.user, row, up=_direction(request))
    return _respond(request, proposal, CRITERIA)


# 1.7 follow-up ---------------------------------------------------------------------------------


@login_required
@require_POST
def follow_up_add(request, pk: int):
    proposal = _proposal(request, pk, permissions.can_edit_follow_up)
    form = FollowUpForm(request.POST, proposal=proposal)
    if form.is_valid():
        try:
            followup_services.add_follow_up(request.user, proposal, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return _respond(request, proposal, FOLLOW_UP, {"follow_up_form": form})
    return _respond(request, proposal, FOLLOW_UP)


@login_required
def follow_up_edit(request, pk: int, item_pk: int):
    proposal = _proposal(request, pk, permissions.can_edit_follow_up)
    item = followup_queries.get_follow_up(proposal, item_pk)
    # The form changes a copy, so the service sees what was saved before.
    copy = FollowUpItem.objects.get(pk=item.pk)
    form = FollowUpForm(request.POST or None, instance=copy, proposal=proposal)
    if request.method == "POST" and form.is_valid():
        try:
            followup_services.update_follow_up(request.user, item, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _respond(request, proposal, FOLLOW_UP)
    item = followup_queries.get_follow_up(proposal, item_pk)
    return _respond(request, proposal, FOLLOW_UP, {"follow_up_form": form, "follow_up_item": item})


@login_required
@require_POST
def follow_up_delete(request, pk: int, item_pk: int):
    proposal = _proposal(request, pk, permissions.can_edit_follow_up)
    item = followup_queries.get_follow_up(proposal, item_pk)
    followup_services.delete_follow_up(request.user, item)
    if not request.htmx:
        messages.success(request, _("“%(label)s” was removed.") % {"label": item.criterion})
    return _respond(request, proposal, FOLLOW_UP)


@login_required
@require_POST
def follow_up_move(request, pk: int, item_pk: int):
    proposal = _proposal(request, pk, permissions.can_edit_follow_up)
    item = followup_queries.get_follow_up(proposal, item_pk)
    followup_services.move_follow_up(request.user, item, up=_direction(request))
    return _respond(request, proposal, FOLLOW_UP)


@login_required
@require_POST
def follow_up_done(request, pk: int, item_pk: int):
    """Tick a follow-up done (``done=1``) or open it again (``done=0``): those who keep the
    follow-up table, and the responsible person."""
    proposal = permissions.get_proposal_for_user(request.user, pk)
    item = followup_queries.get_follow_up(proposal, item_pk)
    if request.POST.get("done") == "0":
        followup_services.reopen_follow_up(request.user, item)
    else:
        followup_services.complete_follow_up(request.user, item)
    if request.POST.get("next") == "mine":
        return redirect("proposals:follow-ups")
    return _respond(request, proposal, FOLLOW_UP)


@login_required
def my_follow_ups(request):
    """The follow-ups the person is responsible for, open first."""
    page, query = paginate(request, followup_queries.my_follow_ups(request.user))
    today = timezone.localdate()
    for item in page.object_list:
        followup_queries.describe_follow_up(item, today)
    return render(request, "proposals/followup/my_follow_ups.html", {"page": page, "query": query})


# Consultations ---------------------------------------------------------------------------------


@login_required
def consultation_edit(request, pk: int, consultation_pk: int):
    proposal = _proposal(request, pk, permissions.can_edit_proposal)
    consultation = followup_queries.get_consultation(proposal, consultation_pk)
    copy = Consultation.objects.get(pk=consultation.pk)
    form = ConsultationForm(request.POST or None, instance=copy)
    if request.method == "POST" and form.is_valid():
        try:
            followup_services.answer_consultation(request.user, consultation, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _respond(request, proposal, CONSULTATIONS)
    consultation = followup_queries.get_consultation(proposal, consultation_pk)
    context = {"consultation_form": form, "consultation": consultation}
    return _respond(request, proposal, CONSULTATIONS, context)


@login_required
@require_POST
def consultation_add(request, pk: int):
    proposal = _proposal(request, pk, permissions.can_edit_proposal)
    form = AddConsultationForm(request.POST)
    if form.is_valid():
        try:
            followup_services.add_consultation(request.user, proposal, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return _respond(request, proposal, CONSULTATIONS, {"add_consultation_form": form})
    return _respond(request, proposal, CONSULTATIONS)


@login_required
@require_POST
def consultation_delete(request, pk: int, consultation_pk: int):
    proposal = _proposal(request, pk, permissions.can_edit_proposal)
    consultation = followup_queries.get_consultation(proposal, consultation_pk)
    try:
        followup_services.remove_consultation(request.user, consultation)
    except ValidationError as error:
        refusal_message(request, error)
    return _respond(request, proposal, CONSULTATIONS)
