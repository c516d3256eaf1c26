"""Pages of events: list, detail, create/edit, calendar files, registration, participants.

Views stay thin: they parse, call a service from ``services`` and render or redirect.
"""

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook

from samspil.core import permissions
from samspil.core.models import Role
from samspil.core.web import add_service_errors, paginate, render_list

from . import calendar, queries, services
from .forms import (
    RULE_KINDS,
    EventFilterForm,
    EventForm,
    GroupingForm,
    MoveForm,
    RegistrationForm,
)
from .models import Event, EventKind, Grouping, Registration


def event_list(request):
    form = EventFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = queries.search_events(
        request.user, when=filters.get("when") or queries.UPCOMING, kind=filters.get("kind", "")
    )
    page, query = paginate(request, events)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "can_create": bool(
            permissions.organisations_with_role(request.user, Role.Code.INNOVATION_LEAD)
        ),
    }
    return render_list(request, "events/list.html", "events/_table.html", context)


def event_detail(request, pk: int):
    event = queries.event_with_details(request.user, pk)
    can_organise = permissions.can_organise_event(request.user, event)
    context = {
        "event": event,
        "challenges": queries.visible_challenges_of(request.user, event),
        "organisers": list(event.organisers.all()),
        "seats_left": queries.seats_left(event),
        "registration_closed": services.registration_closed(event),
        "can_register": services.can_register(request.user, event),
        "can_organise": can_organise,
        "invitation_url": (
            request.build_absolute_uri(
                f"{event.get_absolute_url()}register/?invitation={event.invitation_token}"
            )
            if can_organise and event.is_invite_only
            else ""
        ),
    }
    return render(request, "events/detail.html", context)


@login_required
def event_create(request):
    if not permissions.organisations_with_role(request.user, Role.Code.INNOVATION_LEAD):
        raise PermissionDenied
    # Links such as the hub's "Plan a showcase day" name the kind of event.
    kind = request.GET.get("kind")
    initial = {"kind": kind} if kind in EventKind.values else {}
    form = EventForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.service_fields()
        owner = form.cleaned_data["owner"]
        try:
            event = services.create_event(request.user, owner, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event was created."))
            return redirect(event)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "events/form.html", {"form": form}, status=status)


@login_required
def event_edit(request, pk: int):
    event = permissions.get_event_for_user(request.user, pk)
    if not permissions.can_organise_event(request.user, event):
        raise PermissionDenied
    # The form edits a copy, so the heading keeps the saved title while errors are shown.
    editable = Event.objects.get(pk=event.pk)
    form = EventForm(request.POST or None, instance=editable, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_event(
                request.user, Event.objects.get(pk=event.pk), **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event was saved."))
            return redirect(event)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "events/form.html", {"form": form, "event": event}, status=status)


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=f"{calendar.MIME_TYPE}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def event_ics(request, pk: int):
    event = permissions.get_event_for_user(request.user, pk)
    return _ics_response(calendar.event_ics(event), f"{slugify(event.title) or 'event'}.ics")


def events_feed(request):
    content = calendar.feed_ics(queries.public_upcoming_events(), _("samspil events"))
    response = HttpResponse(content, content_type=f"{calendar.MIME_TYPE}; charset=utf-8")
    return response


# Registration -----------------------------------------------------------------------------------


def register(request, pk: int):
    token = request.GET.get("invitation") or request.POST.get("invitation") or ""
    event = Event.objects.select_related("owner").filter(pk=pk).first()
    # Without the right to register the event does not exist for the visitor.
    if event is None or not services.can_register(request.user, event, token):
        raise Http404
    closed = services.registration_closed(event)
    form = RegistrationForm(request.POST or None, event=event)
    if request.method == "POST" and not closed and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.register(
                request.user,
                event,
                name=data["name"],
                email=data["email"],
                organisation=data["organisation"],
                background=data["background"],
                skills=form.skills(),
                accepted_terms=data.get("accepted_terms", False),
                invitation_token=token,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            closed = services.registration_closed(event)
        else:
            return render(
                request,
                "events/registered.html",
                {"event": event, "registration": result.registration, "waiting": result.waiting},
            )
    context = {
        "event": event,
        "form": form,
        "invitation": token,
        "closed": closed,
        "seats_left": queries.seats_left(event),
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "events/register.html", context, status=status)


def cancel(request, token: str):
    registration = services.registration_for_token(token)
    if registration is None:
        raise Http404
    if request.method == "POST":
        try:
            registration = services.cancel_registration(token)
        except ValidationError:
            raise Http404 from None
        messages.success(request, _("Your registration was cancelled."))
    return render(
        request,
        "events/cancel.html",
        {"registration": registration, "event": registration.event, "token": token},
    )


# Participants (organisers) ----------------------------------------------------------------------


def organised_event(request, pk: int) -> Event:
    """The event for its organisers: 404 when unseen, 403 when seen but not organised."""
    event = permissions.get_event_for_user(request.user, pk)
    if not permissions.can_organise_event(request.user, event):
        raise PermissionDenied
    return event


@login_required
def participant_list(request, pk: int):
    event = organised_event(request, pk)
    event = queries.with_counts(Event.objects.filter(pk=event.pk)).get()
    context = {
        "event": event,
        "participants": list(queries.participants(event)),
        "seats_left": queries.seats_left(event),
    }
    return render(request, "events/participants.html", context)


EXPORT_COLUMNS = ["name", "email", "organisation", "background", "skills", "status", "attended"]


def _export_rows(event: Event):
    header = [
        str(getattr(Registration._meta.get_field(name), "verbose_name", name))
        for name in EXPORT_COLUMNS
    ]
    rows = [
        [
            r.name,
            r.email,
            r.organisation,
            r.get_background_display(),
            r.skills,
            r.get_status_display(),
            _("Yes") if r.attended else _("No"),
        ]
        for r in queries.participants(event)
    ]
    return header, rows


@login_required
def participant_export(request, pk: int, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    event = organised_event(request, pk)
    header, rows = _export_rows(event)
    stem = f"{slugify(event.title) or 'event'}-participants-{timezone.localdate():%Y%m%d}"
    if fmt == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = str(_("Participants"))[:31]  # type: ignore[union-attr]
        sheet.append(header)  # type: ignore[union-attr]
        for row in rows:
            sheet.append(row)  # type: ignore[union-attr]
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return response
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    for row in rows:
        # Cells that a spreadsheet would run as a formula are written as text.
        writer.writerow(["'" + c if c[:1] in ("=", "+", "-", "@") else c for c in row])
    response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    return response


@login_required
@require_POST
def attendance(request, pk: int, registration_pk: int):
    event = organised_event(request, pk)
    registration = get_object_or_404(
        event.registrations.select_related("event"), pk=registration_pk
    )
    attended = request.POST.get("attended") == "1"
    try:
        services.set_attendance(request.user, registration, attended)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if request.htmx:
        return render(request, "events/_participant_row.html", {"r": registration, "event": event})
    return redirect("events:participants", pk=event.pk)


# Diverse groups (organisers) --------------------------------------------------------------------


def _grouping_context(event: Event, participants: list[Registration]) -> dict:
    stored = Grouping.objects.filter(event=event).first()
    view = services.grouping_view(stored, eligible=participants) if stored else None
    return {"event": event, "view": view, "participants": participants}


@login_required
def grouping_page(request, pk: int):
    event = organised_event(request, pk)
    participants = services.grouping_participants(event)
    context = _grouping_context(event, participants)
    stored = context["view"].grouping if context["view"] else None
    initial = (
        GroupingForm.initial_from(services.GroupingSettings.from_json(stored.settings))
        if stored
        else {"group_size": 4}
    )
    form = GroupingForm(request.POST or None, participants=participants, initial=initial)
    reasons: list[dict] = []
    if request.method == "POST" and "add_rule" in request.POST:
        # "Add a rule" without JavaScript: the same form, one row longer, not yet checked.
        form = form.with_rule_added(request.POST["add_rule"])
    elif request.method == "POST" and form.is_valid():
        try:
            services.form_groups(request.user, event, form.settings())
        except services.GroupingInfeasible as error:
            reasons = error.reasons
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The groups were formed."))
            return redirect("events:groups", pk=event.pk)
    context.update(
        form=form,
        reasons=reasons,
        attendance_marked=any(r.attended for r in participants),
        rules_max=services.RULES_MAX,
    )
    status = 422 if form.is_bound and (form.errors or reasons) else 200
    return render(request, "events/groups.html", context, status=status)


@login_required
@require_GET
def grouping_rule(request, pk: int):
    """One more empty rule row for htmx ("Add a rule"), numbered after the rows on the page;
    the page's TOTAL_FORMS count is updated out of band."""
    event = organised_event(request, pk)
    kind = request.GET.get("kind", "")
    if kind not in RULE_KINDS:
        raise Http404
    try:
        index = int(request.GET.get(f"{kind}-TOTAL_FORMS", ""))
    except ValueError:
        return HttpResponseBadRequest()
    if not 0 <= index < services.RULES_MAX:
        return HttpResponseBadRequest()
    row = GroupingForm.blank_rule(kind, index, services.grouping_participants(event))
    context = {
        "event": event,
        "kind": kind,
        "row": row,
        "count": index + 1,
        "rules_max": services.RULES_MAX,
    }
    return render(request, "events/_group_rule_added.html", context)


@login_required
@require_POST
def grouping_move(request, pk: int):
    event = organised_event(request, pk)
    stored = get_object_or_404(Grouping, event=event)
    form = MoveForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.move_to_group(
                request.user, stored, form.cleaned_data["registration"], form.cleaned_data["group"]
            )
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
    else:
        error = _("Choose one of the groups.")
    if request.htmx:
        context = _grouping_context(event, services.grouping_participants(event))
        context["move_error"] = error
        return render(request, "events/_groups.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The person was moved."))
    return redirect("events:groups", pk=event.pk)


@login_required
def grouping_print(request, pk: int):
    event = organised_event(request, pk)
    context = _grouping_context(event, services.grouping_participants(event))
    return render(request, "events/groups_print.html", context)
