"""The round page's optimiser: run it, fix a proposal in or out. Editors of the round only
(404 to those who do not see it, 403 to those who only see it).

Thin: parse, call ``optimise_services`` and answer htmx with the optimiser panel, other
requests with a redirect to the round page (a refusal as an error message there).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from samspil.core import permissions

from . import optimise_queries, optimise_services
from .models import Choice, Objective, Round, RoundEntry


class OptimiseForm(forms.Form):
    objective = forms.ChoiceField(label=gettext_lazy("Maximise"), choices=Objective.choices)


class ChoiceForm(forms.Form):
    choice = forms.ChoiceField(
        label=gettext_lazy("Optimiser choice"), choices=Choice.choices, required=False
    )


def _editable(request, pk: int) -> Round:
    round_ = permissions.get_round_for_user(request.user, pk)
    if not permissions.can_edit_round(request.user, round_):
        raise PermissionDenied
    return round_


def _answer(request, round_: Round, *, message: str = "", error: str = "", form=None):
    """The panel for htmx (422 when refused, with the objective asked for kept); otherwise
    back to the round page with the outcome as a message."""
    if request.htmx:
        objective = form.data.get("objective") if form is not None else None
        context = optimise_queries.panel_context(
            round_, request.user, message=message, error=error, objective=objective
        )
        return render(
            request, "proposals/rounds/_optimise_panel.html", context, status=422 if error else 200
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, message)
    return redirect(f"{round_.get_absolute_url()}#optimise")


@login_required
@require_POST
def round_optimise(request, pk: int):
    round_ = _editable(request, pk)
    form = OptimiseForm(request.POST)
    if not form.is_valid():
        return _answer(request, round_, error=_("Choose what to maximise."), form=form)
    try:
        run = optimise_services.optimise_round(request.user, round_, form.cleaned_data["objective"])
    except ValidationError as error:
        return _answer(request, round_, error=" ".join(error.messages), form=form)
    return _answer(request, round_, message=optimise_queries.status_line(run))


@login_required
@require_POST
def round_choice(request, pk: int, entry_pk: int):
    round_ = _editable(request, pk)
    entry = get_object_or_404(RoundEntry.objects.select_related("round"), pk=entry_pk, round=round_)
    form = ChoiceForm(request.POST)
    if not form.is_valid():
        return _answer(
            request, round_, error=_("Choose must be funded, must not be funded or free.")
        )
    optimise_services.set_choice(request.user, entry, form.cleaned_data["choice"])
    return _answer(request, round_, message=_("The choice was saved. Run the optimiser again."))
