"""The KPI page of a pilot: its KPIs with baseline, target, latest value, gain and a chart,
the measurements, and the forms that add them one by one or from a file.

Anyone who sees the pilot reads the page; those who may edit the pilot
(``permissions.can_edit_pilot``) add and change KPIs and measurements. A measurement posted
with htmx gets its KPI's section back; without JavaScript the page is posted and redrawn.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from samspil import charts
from samspil.core import permissions
from samspil.core.web import add_service_errors

from . import kpi_import, kpi_queries
from . import kpi_services as services
from .kpi_forms import ImportForm, KpiForm, MeasurementForm
from .models import Kpi, Measurement, Pilot


def _pilot(request, pk: int, *, edit: bool = False) -> tuple[Pilot, bool]:
    """The pilot (404 when unseen; 403 when ``edit`` and the user may not edit it) and
    whether the user may edit it."""
    pilot = permissions.get_pilot_for_user(request.user, pk)
    can_edit = permissions.can_edit_pilot(request.user, pilot)
    if edit and not can_edit:
        raise PermissionDenied
    return pilot, can_edit


def _kpi_of(pilot: Pilot, kpi_pk: int) -> Kpi:
    kpi = get_object_or_404(Kpi.objects.select_related("definition"), pilot=pilot, pk=kpi_pk)
    kpi.pilot = pilot  # spares a query in the permission checks
    return kpi


def _measurement_of(kpi: Kpi, measurement_pk: int) -> Measurement:
    measurement = get_object_or_404(Measurement, kpi=kpi, pk=measurement_pk)
    measurement.kpi = kpi
    return measurement


def _kpis_url(pilot: Pilot, kpi: Kpi | None = None) -> str:
    url = reverse("pilots:kpis", args=[pilot.pk])
    return f"{url}#kpi-{kpi.pk}" if kpi is not None else url


def _chart(row: kpi_queries.KpiSummary) -> charts.TimeChart:
    """The measurements as a line with the baseline and target as horizontal lines. The axis
    follows the data (and the lines) rather than starting at 0, so that a 5 % gain shows."""
    kpi = row.kpi
    references = [charts.Reference(_("Baseline"), kpi.baseline_value)]
    if kpi.target_value is not None:
        references.append(charts.Reference(_("Target"), kpi.target_value))
    series = charts.Series(kpi.name, [(m.measured_on, m.value) for m in row.measurements])
    return charts.time_chart([series], references=references, y_from_zero=False, unit_chars=0)


def _section(row: kpi_queries.KpiSummary, can_edit: bool, form=None) -> dict:
    """What the template of one KPI needs: its figures, chart and measurement form."""
    if can_edit and form is None:
        form = MeasurementForm(kpi=row.kpi, prefix=f"m{row.kpi.pk}")
    return {
        "row": row,
        "chart": _chart(row),
        "chart_id": f"kpi-{row.kpi.pk}-chart",
        "form": form,
    }


def _page(request, pilot: Pilot, can_edit: bool, *, forms=None, import_form=None, status=200):
    forms = forms or {}
    rows = kpi_queries.summaries_with_measurements(pilot)
    sections = [_section(row, can_edit, forms.get(row.kpi.pk)) for row in rows]
    if can_edit and import_form is None and rows:
        import_form = ImportForm(kpis=[r.kpi for r in rows], prefix="import")
    context = {
        "pilot": pilot,
        "can_edit": can_edit,
        "sections": sections,
        "import_form": import_form,
    }
    return render(request, "pilots/kpis/page.html", context, status=status)


def kpi_page(request, pk: int):
    pilot, can_edit = _pilot(request, pk)
    return _page(request, pilot, can_edit)


def _kpi_form_page(request, pilot: Pilot, kpi: Kpi | None):
    form = KpiForm(
        request.POST or None,
        user=request.user,
        kpi=kpi,
        initial=KpiForm.initial_of(kpi) if kpi is not None else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if kpi is None:
                kpi = services.add_kpi(request.user, pilot, **form.service_kwargs())
                messages.success(request, _("The KPI was added."))
            else:
                # The service changes a copy, so the heading keeps the saved name on errors.
                services.update_kpi(request.user, _kpi_of(pilot, kpi.pk), **form.service_kwargs())
                messages.success(request, _("The KPI was saved."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(_kpis_url(pilot, kpi))
    status = 422 if form.is_bound and form.errors else 200
    context = {"pilot": pilot, "kpi": kpi, "form": form}
    return render(request, "pilots/kpis/form.html", context, status=status)


@login_required
def kpi_add(request, pk: int):
    pilot, _can_edit = _pilot(request, pk, edit=True)
    return _kpi_form_page(request, pilot, None)


@login_required
def kpi_edit(request, pk: int, kpi_pk: int):
    pilot, _can_edit = _pilot(request, pk, edit=True)
    return _kpi_form_page(request, pilot, _kpi_of(pilot, kpi_pk))


@login_required
def kpi_delete(request, pk: int, kpi_pk: int):
    pilot, _can_edit = _pilot(request, pk, edit=True)
    kpi = _kpi_of(pilot, kpi_pk)
    if request.method == "POST":
        services.delete_kpi(request.user, kpi)
        messages.success(request, _("The KPI was removed with its measurements."))
        return redirect("pilots:kpis", pk=pilot.pk)
    count = kpi.measurements.count()
    return render(request, "pilots/kpis/delete.html", {"pilot": pilot, "kpi": kpi, "count": count})


# Measurements ------------------------------------------------------------------------------


def _kpi_section(request, pilot: Pilot, kpi: Kpi, *, form=None, status=200, message=""):
    """Only this KPI's section (htmx), figures and chart included."""
    row = next(r for r in kpi_queries.summaries_with_measurements(pilot) if r.kpi.pk == kpi.pk)
    context = {"pilot": pilot, "can_edit": True, "status_message": message}
    context.update(_section(row, True, form))
    return render(request, "pilots/kpis/_kpi.html", context, status=status)


@login_required
@require_POST
def measurement_add(request, pk: int, kpi_pk: int):
    pilot, can_edit = _pilot(request, pk, edit=True)
    kpi = _kpi_of(pilot, kpi_pk)
    form = MeasurementForm(request.POST, kpi=kpi, prefix=f"m{kpi.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_measurement(
                request.user,
                kpi,
                data["measured_on"],
                data["value"],
                note=data["note"],
                replace=data.get("replace", False),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message = _("The measurement was saved.")
            if request.htmx:
                return _kpi_section(request, pilot, kpi, message=message)
            messages.success(request, message)
            return redirect(_kpis_url(pilot, kpi))
    if request.htmx:
        return _kpi_section(request, pilot, kpi, form=form, status=422)
    return _page(request, pilot, can_edit, forms={kpi.pk: form}, status=422)


@login_required
def measurement_edit(request, pk: int, kpi_pk: int, measurement_pk: int):
    pilot, _can_edit = _pilot(request, pk, edit=True)
    kpi = _kpi_of(pilot, kpi_pk)
    measurement = _measurement_of(kpi, measurement_pk)
    form = MeasurementForm(
        request.POST or None,
        kpi=kpi,
        replace_choice=False,
        initial=MeasurementForm.initial_of(measurement),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_measurement(
                request.user, _measurement_of(kpi, measurement.pk), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The measurement was saved."))
            return redirect(_kpis_url(pilot, kpi))
    status = 422 if form.is_bound and form.errors else 200
    context = {"pilot": pilot, "kpi": kpi, "measurement": measurement, "form": form}
    return render(request, "pilots/kpis/measurement_edit.html", context, status=status)


@login_required
@require_POST
def measurement_delete(request, pk: int, kpi_pk: int, measurement_pk: int):
    pilot, _can_edit = _pilot(request, pk, edit=True)
    kpi = _kpi_of(pilot, kpi_pk)
    services.delete_measurement(request.user, _measurement_of(kpi, measurement_pk))
    message = _("The measurement was removed.")
    if request.htmx:
        return _kpi_section(request, pilot, kpi, message=message)
    messages.success(request, message)
    return redirect(_kpis_url(pilot, kpi))


@login_required
def measurement_import(request, pk: int):
    pilot, can_edit = _pilot(request, pk, edit=True)
    if request.method != "POST":
        return redirect(_kpis_url(pilot) + "#kpi-import")
    kpis = list(pilot.kpis.order_by("position", "pk"))
    form = ImportForm(request.POST, request.FILES, kpis=kpis, prefix="import")
    if form.is_valid():
        kpi = _kpi_of(pilot, form.cleaned_data["kpi"])
        upload = form.cleaned_data["file"]
        try:
            result = services.import_measurements(
                request.user,
                kpi,
                upload.name,
                upload.read(),
                replace=form.cleaned_data["replace"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(added)d measurement was added and %(replaced)d replaced.",
                    "%(added)d measurements were added and %(replaced)d replaced.",
                    result.added,
                )
                % {"added": result.added, "replaced": result.replaced},
            )
            return redirect(_kpis_url(pilot, kpi))
    return _page(request, pilot, can_edit, import_form=form, status=422)


def measurement_template(request, pk: int, kpi_pk: int):
    pilot, _can_edit = _pilot(request, pk)
    kpi = _kpi_of(pilot, kpi_pk)
    text = kpi_import.template_csv(translation.get_language() or "en")
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    stem = slugify(kpi.name) or "kpi"
    response["Content-Disposition"] = f'attachment; filename="{stem}-measurements.csv"'
    return response
