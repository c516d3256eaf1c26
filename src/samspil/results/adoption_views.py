"""Adoption pages ("we adopt this", the adopter's outcome) and the open data: the open-data
page, the CSV files, the data package and the Atom feed.

Thin: parse, call ``adoption_services`` or ``exports``, render or redirect. A refused form comes
back with the reason and what was typed, status 422.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from samspil.core import permissions
from samspil.core.web import add_service_errors

from . import adoption_queries, adoption_services, exports
from .adoption_forms import AdoptForm, OutcomeForm
from .feeds import NewResultsFeed

ANCHOR = "result-adoptions"


def _back_to(result) -> str:
    return f"{adoption_services.result_url(result)}#{ANCHOR}"


@login_required
def adopt(request, pk: int):
    result = permissions.get_result_for_user(request.user, pk)
    if request.method != "POST":
        form = AdoptForm(result=result, user=request.user)
        return render(request, "results/adoption/adopt.html", {"result": result, "form": form})
    form = AdoptForm(request.POST, result=result, user=request.user)
    adoption = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            adoption = adoption_services.adopt_result(
                request.user,
                result,
                data["organisation"],
                start=data["start"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as refusal:
            form.add_error("organisation", str(refusal) or _("You may not do this."))
    if adoption is None:
        context = {"result": result, "form": form}
        return render(request, "results/adoption/adopt.html", context, status=422)
    messages.success(
        request,
        _("%(organisation)s adopted “%(title)s”.")
        % {"organisation": adoption.organisation.name, "title": result.title},
    )
    if adoption.pilot_id:
        return redirect(adoption.pilot.get_absolute_url())  # type: ignore[union-attr]
    if adoption.procurement_id:
        return redirect(adoption.procurement.get_absolute_url())  # type: ignore[union-attr]
    return redirect(_back_to(result))


@login_required
def adoption_outcome(request, pk: int, adoption_pk: int):
    adoption = adoption_queries.get_adoption_for_user(request.user, pk, adoption_pk)
    if not permissions.can_update_adoption(request.user, adoption):
        raise PermissionDenied
    page = "results/adoption/outcome.html"
    if request.method != "POST":
        return render(request, page, {"adoption": adoption, "form": OutcomeForm(adoption=adoption)})
    form = OutcomeForm(request.POST, adoption=adoption)
    if form.is_valid():
        try:
            adoption_services.update_outcome(
                request.user,
                adoption,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        saved = adoption_queries.get_adoption_for_user(request.user, pk, adoption_pk)
        return render(request, page, {"adoption": saved, "form": form}, status=422)
    messages.success(
        request,
        _("The outcome of the adoption by %(organisation)s was saved.")
        % {"organisation": adoption.organisation.name},
    )
    return redirect(_back_to(adoption.result))


# Open data ------------------------------------------------------------------------------------


@require_GET
def open_data(request):
    return render(request, "results/adoption/open_data.html", {})


def _csv_response(lines, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def results_csv(request):
    return _csv_response(exports.results_csv(), exports.RESULTS_FILE)


@require_GET
def adoptions_csv(request):
    return _csv_response(exports.adoptions_csv(), exports.ADOPTIONS_FILE)


@require_GET
def datapackage(request):
    package = exports.datapackage(
        request.build_absolute_uri(reverse("results:open-data-results")),
        request.build_absolute_uri(reverse("results:open-data-adoptions")),
        homepage=request.build_absolute_uri(reverse("results:open-data")),
    )
    response = JsonResponse(package, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response


feed = NewResultsFeed()
