"""Pages of the KPI catalogue and benchmarks: the catalogue, a definition's benchmark with its
reference values, and the forms that write them.

Thin: parse, call ``benchmark_services`` and render or redirect. The catalogue's search and
the benchmark's scope filter answer htmx requests with their results only.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil import charts
from samspil.core import permissions
from samspil.core.models import Role
from samspil.core.web import add_service_errors, paginate, render_list

from . import benchmark_queries, benchmark_services
from .benchmark_forms import (
    BenchmarkFilterForm,
    CatalogueSearchForm,
    KpiDefinitionForm,
    ReferenceValueForm,
)
from .models import KpiDefinition, ReferenceValue


def _status(form) -> int:
    return 422 if form.is_bound and form.errors else 200


def _leads_somewhere(user) -> bool:
    return bool(permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD))


def _reference_form(request, data=None, **kwargs) -> ReferenceValueForm:
    """The reference form, adding in the name of the organisation the person works as."""
    current = getattr(request, "organisation", None)
    initial = {"organisation": current.pk} if current else {}
    return ReferenceValueForm(data, user=request.user, initial=initial, **kwargs)


def _references_anchor(definition: KpiDefinition):
    return redirect(f"{definition.get_absolute_url()}#reference-values")


# Catalogue and definitions ------------------------------------------------------------------------


def kpi_definition_list(request):
    form = CatalogueSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    page, query = paginate(request, benchmark_queries.definitions_for_catalogue(request.user, q))
    page.object_list = benchmark_queries.with_measuring_counts(request.user, page.object_list)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "can_create": _leads_somewhere(request.user),
    }
    return render_list(
        request, "pilots/benchmarks/list.html", "pilots/benchmarks/_catalogue.html", context
    )


@login_required
def kpi_definition_create(request):
    if not _leads_somewhere(request.user):
        raise PermissionDenied
    form = KpiDefinitionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            definition = benchmark_services.create_kpi_definition(
                request.user, form.cleaned_data["owner"], **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The KPI definition was created."))
            return redirect(definition)
    return render(request, "pilots/benchmarks/form.html", {"form": form}, status=_status(form))


@login_required
def kpi_definition_edit(request, pk: int):
    definition = permissions.get_kpi_definition_for_user(request.user, pk)
    if not permissions.can_edit_kpi_definition(request.user, definition):
        raise PermissionDenied
    # The form edits a copy, so the heading keeps the saved name while errors are shown.
    editable = KpiDefinition.objects.get(pk=definition.pk)
    form = KpiDefinitionForm(request.POST or None, instance=editable, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            benchmark_services.update_kpi_definition(
                request.user, definition, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The KPI definition was saved."))
            return redirect(definition)
    context = {"form": form, "definition": definition}
    return render(request, "pilots/benchmarks/form.html", context, status=_status(form))


# The benchmark ------------------------------------------------------------------------------------


def _chart(result: benchmark_services.Benchmark, rows: list[benchmark_services.BenchmarkRow]):
    """A bar per row of the page with its latest value, the viewer's own highlighted, and
    lines at the median of every row and at each reference value."""
    bars = [
        charts.Bar(
            f"{row.pilot_title} ({row.place.organisation})", row.latest, highlight=row.is_own
        )
        for row in rows
    ]
    references = [charts.Reference(_("Median"), result.summary.median)]
    references += [charts.Reference(r.label, r.value) for r in result.reference_values]
    return charts.bar_chart(bars, references=references)


def benchmark(request, pk: int):
    definition = permissions.get_kpi_definition_for_user(request.user, pk)
    form = BenchmarkFilterForm(request.GET or None)
    scope = form.cleaned_data["scope"] if form.is_valid() else ""
    result = benchmark_services.benchmark(request.user, definition)
    rows = result.rows_in(scope)
    page, query = paginate(request, rows, count=len(rows))
    can_add = permissions.can_add_reference_value(request.user)
    own_page = result.own_page(settings.PAGE_SIZE) if not scope else None
    context = {
        "definition": definition,
        "benchmark": result,
        "summary": result.summary,
        "form": form,
        "scope": scope,
        "page": page,
        "query": query,
        "own_page": own_page,
        "chart": _chart(result, list(page.object_list)),
        "references": [
            (reference, benchmark_services.can_change_reference_value(request.user, reference))
            for reference in result.reference_values
        ],
        "can_edit": permissions.can_edit_kpi_definition(request.user, definition),
        "reference_form": _reference_form(request) if can_add else None,
    }
    return render_list(
        request, "pilots/benchmarks/detail.html", "pilots/benchmarks/_results.html", context
    )


# Reference values ---------------------------------------------------------------------------------


def _changeable_reference(request, pk: int, reference_pk: int):
    definition = permissions.get_kpi_definition_for_user(request.user, pk)
    reference = get_object_or_404(
        definition.reference_values.select_related("added_by_organisation"), pk=reference_pk
    )
    if not benchmark_services.can_change_reference_value(request.user, reference):
        raise PermissionDenied
    return definition, reference


@login_required
def reference_add(request, pk: int):
    definition = permissions.get_kpi_definition_for_user(request.user, pk)
    if not permissions.can_add_reference_value(request.user):
        raise PermissionDenied
    form = _reference_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            benchmark_services.add_reference_value(
                request.user, definition, form.chosen_organisation(), **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The reference value was added."))
            return _references_anchor(definition)
    context = {"form": form, "definition": definition}
    return render(request, "pilots/benchmarks/reference_form.html", context, status=_status(form))


@login_required
def reference_edit(request, pk: int, reference_pk: int):
    definition, reference = _changeable_reference(request, pk, reference_pk)
    editable = ReferenceValue.objects.get(pk=reference.pk)
    form = ReferenceValueForm(request.POST or None, instance=editable, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            benchmark_services.update_reference_value(
                request.user, reference, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The reference value was saved."))
            return _references_anchor(definition)
    context = {"form": form, "definition": definition, "reference": reference}
    return render(request, "pilots/benchmarks/reference_form.html", context, status=_status(form))


@login_required
@require_POST
def reference_delete(request, pk: int, reference_pk: int):
    definition, reference = _changeable_reference(request, pk, reference_pk)
    benchmark_services.delete_reference_value(request.user, reference)
    messages.success(request, _("“%(label)s” was deleted.") % {"label": reference.label})
    return _references_anchor(definition)
