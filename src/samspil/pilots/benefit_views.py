"""Pages of a pilot's benefits plan: the plan, one benefit with its measurements and chart,
the forms to add and edit benefits, record measurements and change the status.

Thin: parse, call ``benefit_services`` and render or redirect. Measurements and status
changes answer htmx requests with the benefit page's body; without JavaScript the forms post
and come back (or show the page again with the errors, status 422).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil.core import permissions
from samspil.core.web import add_service_errors

from . import benefit_charts, benefit_queries, benefit_services, benefits
from .benefit_forms import BenefitForm, MeasurementForm, StatusForm
from .gain import Point
from .models import Benefit, BenefitStatus, Pilot


def _status(form) -> int:
    return 422 if form.is_bound and form.errors else 200


def _editable_pilot(request, pk: int) -> Pilot:
    """404 for a pilot the person may not see, 403 for one they see but may not keep."""
    pilot = permissions.get_pilot_for_user(request.user, pk)
    if not permissions.can_edit_pilot(request.user, pilot):
        raise PermissionDenied
    return pilot


def benefits_plan(request, pk: int):
    pilot = permissions.get_pilot_for_user(request.user, pk)
    today = timezone.localdate()
    context = {
        "pilot": pilot,
        "benefits": benefit_queries.benefits_of(pilot, today),
        "can_edit": permissions.can_edit_pilot(request.user, pilot),
    }
    return render(request, "pilots/benefits/plan.html", context)


@login_required
def benefit_add(request, pk: int):
    pilot = _editable_pilot(request, pk)
    form = BenefitForm(request.POST or None, pilot=pilot, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            benefit = benefit_services.add_benefit(
                request.user,
                pilot,
                owner=form.cleaned_data["owner"],
                holders=form.cleaned_data["holders"],
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The benefit was added to the plan."))
            return redirect("pilots:benefit-detail", pilot.pk, benefit.pk)
    context = {"form": form, "pilot": pilot}
    return render(request, "pilots/benefits/form.html", context, status=_status(form))


@login_required
def benefit_edit(request, pk: int, benefit_pk: int):
    pilot = _editable_pilot(request, pk)
    benefit = benefit_queries.get_benefit(pilot, benefit_pk)
    # The form edits a copy, so the heading keeps the saved indicator while errors are shown.
    form = BenefitForm(
        request.POST or None,
        instance=Benefit.objects.get(pk=benefit.pk),
        pilot=pilot,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            benefit_services.update_benefit(
                request.user,
                benefit_queries.get_benefit(pilot, benefit.pk),
                owner=form.cleaned_data["owner"],
                holders=form.cleaned_data["holders"],
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The benefit was saved."))
            return redirect("pilots:benefit-detail", pilot.pk, benefit.pk)
    context = {"form": form, "pilot": pilot, "benefit": benefit}
    return render(request, "pilots/benefits/form.html", context, status=_status(form))


@login_required
@require_POST
def benefit_delete(request, pk: int, benefit_pk: int):
    pilot = _editable_pilot(request, pk)
    benefit = benefit_queries.get_benefit(pilot, benefit_pk)
    benefit_services.delete_benefit(request.user, benefit)
    messages.success(
        request,
        _("“%(indicator)s” was removed from the benefits plan.") % {"indicator": benefit.indicator},
    )
    return redirect("pilots:benefits", pilot.pk)


# One benefit ------------------------------------------------------------------------------------


def _benefit_context(request, pilot: Pilot, benefit: Benefit, **extra) -> dict:
    measurements = benefit_queries.measurements_of(benefit)
    points = [Point(m.measured_on, m.value) for m in measurements]
    benefit_queries.describe(benefit, timezone.localdate(), points)
    can_edit = extra.pop("can_edit", None)
    if can_edit is None:
        can_edit = permissions.can_edit_pilot(request.user, pilot)
    context = {
        "pilot": pilot,
        "benefit": benefit,
        "holders": list(benefit.holders.order_by("name")),
        "measurements": measurements,
        "can_edit": can_edit,
        "next_statuses": [
            (status, BenefitStatus(status).label)
            for status in benefits.next_statuses(benefit.status)
        ],
        "measurement_form": MeasurementForm(),
        "chart": benefit_charts.measurement_chart(benefit, measurements) if measurements else None,
    }
    context.update(extra)
    return context


def benefit_detail(request, pk: int, benefit_pk: int):
    pilot = permissions.get_pilot_for_user(request.user, pk)
    benefit = benefit_queries.get_benefit(pilot, benefit_pk)
    return render(request, "pilots/benefits/detail.html", _benefit_context(request, pilot, benefit))


def _body_response(request, pilot: Pilot, benefit: Benefit, status: int = 200, **extra):
    """The benefit page's body for htmx, or the whole page (with errors, status 422)."""
    context = _benefit_context(request, pilot, benefit, can_edit=True, **extra)
    template = "pilots/benefits/_body.html" if request.htmx else "pilots/benefits/detail.html"
    return render(request, template, context, status=status)


@login_required
@require_POST
def benefit_status(request, pk: int, benefit_pk: int):
    pilot = _editable_pilot(request, pk)
    benefit = benefit_queries.get_benefit(pilot, benefit_pk)
    form = StatusForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            benefit_services.change_status(request.user, benefit, form.cleaned_data["status"])
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
    else:
        error = _("Choose one of the statuses.")
    if error:
        return _body_response(request, pilot, benefit, 422, status_error=error)
    if request.htmx:
        return _body_response(request, pilot, benefit)
    messages.success(request, _("The status was changed."))
    return redirect("pilots:benefit-detail", pilot.pk, benefit.pk)


@login_required
@require_POST
def benefit_measurement_add(request, pk: int, benefit_pk: int):
    pilot = _editable_pilot(request, pk)
    benefit = benefit_queries.get_benefit(pilot, benefit_pk)
    form = MeasurementForm(request.POST)
    if form.is_valid():
        try:
            benefit_services.add_measurement(request.user, benefit, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return _body_response(request, pilot, benefit, 422, measurement_form=form)
    if request.htmx:
        return _body_response(request, pilot, benefit, measurement_saved=True)
    messages.success(request, _("The measurement was recorded."))
    return redirect("pilots:benefit-detail", pilot.pk, benefit.pk)


@login_required
@require_POST
def benefit_measurement_delete(request, pk: int, benefit_pk: int, measurement_pk: int):
    pilot = _editable_pilot(request, pk)
    benefit = benefit_queries.get_benefit(pilot, benefit_pk)
    measurement = get_object_or_404(benefit.measurements, pk=measurement_pk)
    measurement.benefit = benefit
    benefit_services.delete_measurement(request.user, measurement)
    if request.htmx:
        return _body_response(request, pilot, benefit)
    messages.success(request, _("The measurement was deleted."))
    return redirect("pilots:benefit-detail", pilot.pk, benefit.pk)
