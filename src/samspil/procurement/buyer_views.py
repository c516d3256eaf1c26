"""The buyers panel of a procurement: invite a buyer, confirm or decline, change a buyer's
values, remove, exercise an option.

Thin: parse, call ``buyer_services`` and render or redirect. An htmx request gets the panel
back (with the form's errors, status 422); without JavaScript a form posts and comes back to
the procurement at the panel, or shows its own page with the errors.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil.core import permissions
from samspil.core.web import add_service_errors, refusal_message

from . import buyer_queries, buyer_services
from .buyer_forms import BuyerValuesForm, ExerciseOptionForm, InviteBuyerForm

PANEL = "procurement/buyers/_panel.html"
ANCHOR = "procurement-buyers"


def _respond(request, procurement, page: str = "", context: dict | None = None):
    context = {
        "procurement": procurement,
        "can_edit": permissions.can_edit_procurement(request.user, procurement),
        **(context or {}),
    }
    failed = any(
        getattr(form, "errors", None) for name, form in context.items() if name.endswith("form")
    )
    status = 422 if failed else 200
    if request.htmx:
        return render(request, PANEL, context, status=status)
    if page and (failed or request.method == "GET"):
        return render(request, page, context, status=status)
    return redirect(f"{procurement.get_absolute_url()}#{ANCHOR}")


@login_required
def buyer_invite(request, pk: int):
    procurement = permissions.get_procurement_for_user(request.user, pk)
    if not permissions.can_edit_procurement(request.user, procurement):
        raise PermissionDenied
    page = "procurement/buyers/invite.html"
    if request.method != "POST":
        form = InviteBuyerForm(procurement=procurement)
        return _respond(request, procurement, page, {"buyer_form": form})
    form = InviteBuyerForm(request.POST, procurement=procurement)
    if form.is_valid():
        try:
            buyer = buyer_services.invite_buyer(request.user, procurement, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not request.htmx:
                messages.success(
                    request,
                    _("%(organisation)s was invited to buy in.")
                    % {"organisation": buyer.organisation},
                )
    if form.errors:
        return _respond(request, procurement, page, {"buyer_form": form})
    return _respond(request, procurement)


@login_required
@require_POST
def buyer_confirm(request, pk: int, buyer_pk: int):
    procurement = permissions.get_procurement_for_user(request.user, pk)
    buyer = buyer_queries.get_buyer(procurement, buyer_pk)
    buyer_services.confirm_buyer(request.user, buyer)
    if not request.htmx:
        messages.success(
            request,
            _("You confirmed that %(organisation)s buys in.")
            % {"organisation": buyer.organisation},
        )
    return _respond(request, procurement)


@login_required
def buyer_edit(request, pk: int, buyer_pk: int):
    procurement = permissions.get_procurement_for_user(request.user, pk)
    buyer = buyer_queries.get_buyer(procurement, buyer_pk)
    if not buyer_services.can_edit_values(request.user, buyer):
        raise PermissionDenied
    page = "procurement/buyers/edit.html"
    if request.method != "POST":
        form = BuyerValuesForm(buyer=buyer)
        return _respond(request, procurement, page, {"buyer": buyer, "values_form": form})
    form = BuyerValuesForm(request.POST)
    if form.is_valid():
        try:
            buyer_services.update_buyer(request.user, buyer, **form.value_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not request.htmx:
                messages.success(
                    request,
                    _("The values of %(organisation)s were saved.")
                    % {"organisation": buyer.organisation},
                )
    if form.errors:
        saved = buyer_queries.get_buyer(procurement, buyer_pk)
        return _respond(request, procurement, page, {"buyer": saved, "values_form": form})
    return _respond(request, procurement)


@login_required
@require_POST
def buyer_remove(request, pk: int, buyer_pk: int):
    procurement = permissions.get_procurement_for_user(request.user, pk)
    buyer = buyer_queries.get_buyer(procurement, buyer_pk)
    try:
        buyer_services.remove_buyer(request.user, buyer)
    except ValidationError as error:
        refusal_message(request, error)
    else:
        if not request.htmx:
            messages.success(
                request,
                _("%(organisation)s no longer buys in.") % {"organisation": buyer.organisation},
            )
    return _respond(request, procurement)


@login_required
def buyer_exercise(request, pk: int, buyer_pk: int):
    procurement = permissions.get_procurement_for_user(request.user, pk)
    buyer = buyer_queries.get_buyer(procurement, buyer_pk)
    if not buyer_services.can_exercise(request.user, buyer):
        raise PermissionDenied
    page = "procurement/buyers/exercise.html"
    context = {"buyer": buyer}
    if request.method != "POST":
        return _respond(
            request, procurement, page, {**context, "exercise_form": ExerciseOptionForm()}
        )
    form = ExerciseOptionForm(request.POST)
    if form.is_valid():
        try:
            buyer_services.exercise_option(request.user, buyer, form.cleaned_data["exercised_on"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not request.htmx:
                messages.success(
                    request,
                    _("The option of %(organisation)s was exercised.")
                    % {"organisation": buyer.organisation},
                )
    if form.errors:
        saved = buyer_queries.get_buyer(procurement, buyer_pk)
        return _respond(request, procurement, page, {"buyer": saved, "exercise_form": form})
    return _respond(request, procurement)
