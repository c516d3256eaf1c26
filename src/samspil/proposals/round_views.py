"""Pages of prioritisation rounds: list, create/edit (with budgets and criteria), the round
page (entries with their key figures, scoring progress, the ranking after scoring closes),
a board member's scores, entering a proposal and taking it out, prioritising the ranked.

Views stay thin: they parse, call a service from ``round_services`` and render or redirect.
Pages for editors answer 404 to those who do not see the round and 403 to those who see it
only.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil.core import permissions
from samspil.core.models import Role
from samspil.core.web import add_service_errors, paginate, refusal_message, render_list

from . import economy_queries, round_queries, round_services
from .models import Round, RoundEntry
from .round_forms import ROW_KINDS, EnterRoundForm, RoundForm, ScoreForm


def _may_create(user) -> bool:
    return bool(permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD))


def round_list(request):
    page, query = paginate(request, round_queries.rounds_for_list(request.user))
    context = {"page": page, "query": query, "can_create": _may_create(request.user)}
    return render_list(
        request, "proposals/rounds/list.html", "proposals/rounds/_table.html", context
    )


def _row_to_add(request) -> str | None:
    """The table whose "Add a row" button was pressed, if any."""
    kind = request.POST.get("add_row")
    return kind if kind in ROW_KINDS else None


def _default_owner(request) -> dict:
    """The organisation the user works for now, when they may run a round there (else the
    form offers the first they may)."""
    current = request.organisation
    if current and permissions.can_create_round(request.user, current):
        return {"owner": current.pk}
    return {}


@login_required
def round_create(request):
    if not _may_create(request.user):
        raise PermissionDenied
    form = RoundForm(request.POST or None, user=request.user, initial=_default_owner(request))
    if request.method == "POST" and (kind := _row_to_add(request)):
        form = form.with_row_added(kind)
    elif request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            round_ = round_services.create_round(request.user, form.cleaned_data["owner"], **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The round was created."))
            return redirect(round_)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "proposals/rounds/form.html", {"form": form}, status=status)


def editable_round(request, pk: int) -> Round:
    """The round for its editors: 404 when unseen, 403 when seen but not editable."""
    round_ = permissions.get_round_for_user(request.user, pk)
    if not permissions.can_edit_round(request.user, round_):
        raise PermissionDenied
    return round_


@login_required
def round_edit(request, pk: int):
    round_ = editable_round(request, pk)
    # The form edits a copy, so the heading keeps the saved title while errors are shown.
    editable = Round.objects.select_related("owner").get(pk=round_.pk)
    form = RoundForm(request.POST or None, instance=editable, user=request.user)
    if request.method == "POST" and (kind := _row_to_add(request)):
        form = form.with_row_added(kind)
    elif request.method == "POST" and form.is_valid():
        try:
            round_services.update_round(request.user, round_, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The round was saved."))
            return redirect(round_)
    status = 422 if form.is_bound and form.errors else 200
    context = {"form": form, "round": round_}
    return render(request, "proposals/rounds/form.html", context, status=status)


def _key_figures(entries) -> dict:
    """Per proposal its key figures in the likely scenario (constant queries)."""
    economics = economy_queries.economics_by_proposal([e.proposal_id for e in entries])
    return {pk: item.figures["likely"] for pk, item in economics.items()}


def round_detail(request, pk: int):
    round_ = round_queries.round_with_details(request.user, pk)
    user = request.user
    closed = round_queries.scoring_closed(round_)
    board = list(round_.board.all())
    is_member = any(member.pk == user.pk for member in board)
    entries = round_queries.entries_of(round_, user)
    figures = _key_figures(entries)
    own = round_queries.own_scores(round_, user) if is_member else {}
    criteria = list(round_.criteria.all())
    can_edit = permissions.can_edit_round(user, round_)
    context = {
        "round": round_,
        "budgets": list(round_.budgets.all()),
        "criteria": criteria,
        "board": board,
        "rows": [
            {"entry": e, "figures": figures.get(e.proposal_id), "own": len(own.get(e.pk, {}))}
            for e in entries
        ],
        "closed": closed,
        "submission_open": round_queries.submission_open(round_),
        "progress": round_queries.scoring_progress(round_, board),
        "ranking": round_queries.ranking(round_, user) if closed else [],
        "is_member": is_member,
        "can_edit": can_edit,
        "can_prioritise": closed and is_member,
    }
    return render(request, "proposals/rounds/detail.html", context)


def _member_round(request, pk: int) -> Round:
    """The round for its board: 404 when unseen, 403 for others."""
    round_ = permissions.get_round_for_user(request.user, pk)
    if not permissions.is_round_board_member(request.user, round_):
        raise PermissionDenied
    return round_


@login_required
def round_score(request, pk: int, entry_pk: int):
    round_ = _member_round(request, pk)
    entry = get_object_or_404(
        RoundEntry.objects.select_related("proposal__owner", "round"), pk=entry_pk, round=round_
    )
    criteria = round_queries.criteria_of(round_)
    own = round_queries.own_scores(round_, request.user).get(entry.pk, {})
    form = ScoreForm(request.POST or None, criteria=criteria, initial=ScoreForm.initial_from(own))
    closed = round_queries.scoring_closed(round_)
    if request.method == "POST" and form.is_valid():
        try:
            round_services.score_entry(request.user, entry, form.scores())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your scores were saved."))
            return redirect(round_)
    context = {"round": round_, "entry": entry, "form": form, "own": own, "closed": closed}
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "proposals/rounds/score.html", context, status=status)


@login_required
@require_POST
def round_remove_entry(request, pk: int, entry_pk: int):
    round_ = editable_round(request, pk)
    entry = get_object_or_404(RoundEntry.objects.select_related("round"), pk=entry_pk, round=round_)
    round_services.remove_entry(request.user, entry)
    messages.success(request, _("The proposal was taken out of the round."))
    return redirect(round_)


@login_required
@require_POST
def round_prioritise(request, pk: int):
    round_ = permissions.get_round_for_user(request.user, pk)
    try:
        moved = round_services.prioritise_ranked(request.user, round_)
    except ValidationError as error:
        refusal_message(request, error)
    else:
        messages.success(
            request,
            _("%(count)d proposals were marked prioritised.") % {"count": len(moved)},
        )
    return redirect(round_)


@login_required
@require_POST
def proposal_enter_round(request, pk: int):
    """Enter the proposal in one of the open rounds (the form on the proposal page)."""
    proposal = permissions.get_proposal_for_user(request.user, pk)
    rounds = permissions.rounds_visible_to(request.user)
    form = EnterRoundForm(request.POST, rounds=rounds)
    if not form.is_valid():
        messages.error(request, _("Choose a round you may see."))
        return redirect(proposal)
    try:
        entry = round_services.enter_proposal(request.user, form.cleaned_data["round"], proposal)
    except ValidationError as error:
        refusal_message(request, error)
    else:
        messages.success(
            request, _("The proposal was entered in “%(round)s”.") % {"round": entry.round}
        )
    return redirect(proposal)
