"""Pages of programmes: list, create/edit, the programme page with its portfolio, attaching and
detaching pilots, and an organisation's portfolio overview.

Views stay thin: they parse, call a service from ``programme_services`` and render or
redirect. Pages for editors answer 404 to those who do not see the programme and 403 to
those who see it only.
"""

import re
from datetime import date
from decimal import Decimal

from babel import Locale
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil import charts
from samspil.core import permissions
from samspil.core.models import Organisation, Role
from samspil.core.templatetags.samspil import babel_locale
from samspil.core.web import add_service_errors, paginate, render_list

from . import portfolio, programme_queries, programme_services
from .models import Pilot, PilotStatus, Programme
from .programme_forms import AttachPilotForm, OrganisationChoiceForm, ProgrammeForm

# The programme page draws at most this many pilots' bars: a chart of hundreds of bars helps
# nobody, and the tables beside the charts list them all.
CHART_PILOTS_MAX = 15
TIMELINE_MAX = 40


def _may_create(user) -> bool:
    return bool(permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD))


def warning_texts(codes, months: int | None) -> list[str]:
    """The length warnings of a portfolio line, worded like the pilot page's."""
    values = {"months": months or 0}
    texts = {
        portfolio.PLAN_TOO_LONG: _(
            "The plan is longer than the programme's maximum of %(months)d months."
        ),
        portfolio.RUNNING_TOO_LONG: _(
            "The pilot has run longer than the programme's maximum of %(months)d months."
        ),
    }
    return [texts[code] % values for code in codes]


def programme_list(request):
    programmes = programme_queries.programmes_for_list(request.user)
    page, query = paginate(request, programmes)
    figures = programme_queries.summaries(request.user, page.object_list)
    rows = [(programme, figures[programme.pk]) for programme in page.object_list]
    context = {
        "page": page,
        "rows": rows,
        "query": query,
        "can_create": _may_create(request.user),
    }
    return render_list(
        request, "pilots/programmes/list.html", "pilots/programmes/_table.html", context
    )


@login_required
def programme_create(request):
    if not _may_create(request.user):
        raise PermissionDenied
    form = ProgrammeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            programme = programme_services.create_programme(
                request.user, form.cleaned_data["owner"], **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The programme was created."))
            return redirect(programme)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "pilots/programmes/form.html", {"form": form}, status=status)


def editable_programme(request, pk: int) -> Programme:
    """The programme for its editors: 404 when unseen, 403 when seen but not editable."""
    programme = permissions.get_programme_for_user(request.user, pk)
    if not permissions.can_edit_programme(request.user, programme):
        raise PermissionDenied
    return programme


@login_required
def programme_edit(request, pk: int):
    programme = editable_programme(request, pk)
    # The form edits a copy, so the heading keeps the saved title while errors are shown.
    editable = Programme.objects.select_related("owner").get(pk=programme.pk)
    form = ProgrammeForm(request.POST or None, instance=editable, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            programme_services.update_programme(
                request.user,
                Programme.objects.select_related("owner").get(pk=programme.pk),
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The programme was saved."))
            return redirect(programme)
    status = 422 if form.is_bound and form.errors else 200
    context = {"form": form, "programme": programme}
    return render(request, "pilots/programmes/form.html", context, status=status)


def _portfolio_table(request, programme: Programme, figures: portfolio.Portfolio):
    """The requested page of the pilots table, each pilot with its portfolio line."""
    lines = {line.facts.pk: line for line in figures.lines}
    page, query = paginate(
        request,
        programme_queries.portfolio_rows(request.user, programme),
        count=len(figures.lines),
    )
    rows = []
    for pilot in page.object_list:
        # A pilot that joined between the two queries has no line yet: shown without figures.
        line = lines.get(pilot.pk)
        codes = line.warnings if line else ()
        rows.append(
            {
                "pilot": pilot,
                "line": line,
                "warnings": warning_texts(codes, programme.max_pilot_months),
            }
        )
    return page, query, rows


def percent_unit() -> str:
    """What follows a number in percent in the reader's language: "%" in English, " %"
    (a non-breaking space) in Danish, Norwegian and Swedish."""
    pattern = Locale.parse(babel_locale()).percent_formats[None].pattern
    return "\u00a0%" if re.search(r"\s%|\u00a0%", pattern) else "%"


def _percent(fraction):
    """A gain fraction as percent with one decimal, as the tables show it."""
    return None if fraction is None else round(Decimal(fraction) * 100, 1)


def _target_chart(figures: portfolio.Portfolio):
    """The average gain (highlighted) and, for a small portfolio, each measured pilot's gain,
    against a line at the target; in percent. Returns the chart and the pilots drawn."""
    check = figures.target
    bars = [charts.Bar(_("Average gain"), _percent(check.average), highlight=True)]
    measured = [line for line in figures.lines if line.gain is not None]
    if len(measured) > CHART_PILOTS_MAX:
        measured = []
    bars += [
        charts.Bar(line.facts.title, _percent(line.gain), group=_("Pilots")) for line in measured
    ]
    references = []
    if check.target is not None:
        references.append(charts.Reference(_("Target"), _percent(check.target)))
    return charts.bar_chart(bars, references=references), measured


def _timeline(lines, total: int, today: date) -> dict:
    """The timeline chart and its table (``_timeline.html``) of the first ``TIMELINE_MAX`` of
    ``lines`` (pilots by start), ``total`` pilots in all."""
    lines = list(lines[:TIMELINE_MAX])
    rows = [
        charts.TimelineRow(
            label=line.facts.title,
            start=line.facts.starts_on,
            end=line.facts.planned_end_on,
            actual_end=line.facts.ended_on,
            status=line.facts.status,
            warning=bool(line.warnings),
        )
        for line in lines
    ]
    statuses = dict(PilotStatus.choices)
    return {
        "timeline_chart": charts.timeline_chart(rows, today=today),
        "timeline_rows": [(line, statuses.get(line.facts.status, "")) for line in lines],
        "timeline_total": total,
    }


def programme_detail(request, pk: int):
    programme = programme_queries.programme_with_details(request.user, pk)
    figures = programme_queries.portfolio_of(request.user, programme)
    page, query, rows = _portfolio_table(request, programme, figures)
    statuses = dict(PilotStatus.choices)
    today = timezone.localdate()
    target_chart, charted_pilots = _target_chart(figures)
    context = {
        "programme": programme,
        "co_owners": list(programme.co_owners.all()),
        "board": list(programme.board.all()),
        "figures": figures,
        "page": page,
        "query": query,
        "rows": rows,
        "per_status": [(statuses.get(str(c.key), c.key), c.count) for c in figures.per_status],
        "percent_unit": percent_unit(),
        "target_chart": target_chart,
        "charted_pilots": charted_pilots,
        "can_edit": permissions.can_edit_programme(request.user, programme),
        **_timeline(figures.lines, len(figures.lines), today),
    }
    if request.htmx and not request.htmx.history_restore_request:  # type: ignore[attr-defined]
        return render(request, "pilots/programmes/_portfolio_table.html", context)
    return render(request, "pilots/programmes/detail.html", context)


# Pilots of a programme --------------------------------------------------------------------------


@login_required
def programme_pilots(request, pk: int):
    """Attach a pilot of the owner or a co-owner to the programme."""
    programme = editable_programme(request, pk)
    organisations = programme_services.member_organisations(programme)
    form = AttachPilotForm(
        request.POST or None, user=request.user, programme=programme, organisations=organisations
    )
    if request.method == "POST" and form.is_valid():
        try:
            pilot = programme_services.attach_pilot(
                request.user, programme, form.cleaned_data["pilot"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The pilot joined the programme."))
            codes = portfolio.length_warnings(
                pilot.starts_on,
                pilot.planned_end_on,
                pilot.status,
                programme.max_pilot_months,
                timezone.localdate(),
            )
            for warning in warning_texts(codes, programme.max_pilot_months):
                messages.warning(request, warning)
            return redirect(programme)
    status = 422 if form.is_bound and form.errors else 200
    context = {
        "form": form,
        "programme": programme,
        "pilots": list(
            programme_queries.programme_pilots(request.user, programme)
            .select_related("owner")
            .order_by("title", "pk")
        ),
    }
    return render(request, "pilots/programmes/pilots.html", context, status=status)


@login_required
@require_POST
def programme_detach(request, pk: int, pilot_pk: int):
    programme = editable_programme(request, pk)
    pilot = get_object_or_404(Pilot, pk=pilot_pk, programme=programme)
    programme_services.detach_pilot(request.user, programme, pilot)
    messages.success(request, _("The pilot was taken out of the programme."))
    return redirect("pilots:programme-pilots", pk=programme.pk)


# An organisation's portfolio --------------------------------------------------------------------


def _funnel_chart(funnel):
    labels = {
        "needs": _("Needs"),
        "challenges": _("Challenges"),
        "pilots": _("Pilots"),
        "outcomes": _("Outcomes"),
    }
    return charts.bar_chart([charts.Bar(labels[stage.key], stage.count) for stage in funnel])


def _programmes_chart(programmes, figures):
    """Per programme its average gain (highlighted) and its target, in percent."""
    bars = []
    for programme in programmes:
        check = figures[programme.pk].target
        bars += [
            charts.Bar(
                _("Average gain"), _percent(check.average), highlight=True, group=programme.title
            ),
            charts.Bar(_("Target"), _percent(check.target), group=programme.title),
        ]
    return charts.bar_chart(bars)


@login_required
def portfolio_overview(request):
    """The funnel and the programmes' gain against their targets for one organisation: the
    user's current one unless another is chosen."""
    chosen = request.GET.get("organisation")
    organisation: Organisation | None
    if chosen:
        organisation = permissions.get_organisation_for_user(request.user, chosen)
    else:
        organisation = request.organisation or None  # type: ignore[attr-defined]
    form = OrganisationChoiceForm(
        initial={"organisation": organisation.pk if organisation else None},
        user=request.user,
        chosen=organisation,
    )
    context: dict = {"form": form, "organisation": organisation}
    if organisation is not None:
        programmes = programme_queries.organisation_programmes(request.user, organisation)
        more = len(programmes) > programme_queries.OVERVIEW_PROGRAMMES_MAX
        programmes = programmes[: programme_queries.OVERVIEW_PROGRAMMES_MAX]
        figures = programme_queries.summaries(request.user, programmes)
        funnel = programme_queries.funnel_of(request.user, organisation)
        today = timezone.localdate()
        lines, total = programme_queries.organisation_timeline(
            request.user, organisation, TIMELINE_MAX, today
        )
        context.update(_timeline(lines, total, today))
        context.update(
            {
                "funnel": funnel,
                "funnel_chart": _funnel_chart(funnel),
                "percent_unit": percent_unit(),
                "programmes_chart": _programmes_chart(programmes, figures),
                "programmes": [(p, figures[p.pk]) for p in programmes],
                "more_programmes": more,
            }
        )
    return render(request, "pilots/programmes/portfolio.html", context)
