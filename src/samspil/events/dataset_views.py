"""Pages of an event's datasets.

Organisers add, change and remove datasets and read the access log; participants read a
dataset's terms, accept them and then download the file or follow the link. Files are
served only here, after the service checked the permission and logged the access.
"""

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil.core import permissions
from samspil.core.web import add_service_errors, paginate

from . import dataset_services as services
from .dataset_forms import AcceptTermsForm, DatasetForm
from .models import Dataset, DatasetAcceptance, DatasetAccess, Event
from .views import organised_event


def _dataset_event(request, pk: int) -> tuple[Event, bool]:
    """The event (404 when unseen, 403 for those who may not use its datasets) and whether
    the user organises it."""
    event = permissions.get_event_for_user(request.user, pk)
    can_organise = permissions.can_organise_event(request.user, event)
    if not can_organise and permissions.participant_registration(request.user, event) is None:
        raise PermissionDenied
    return event, can_organise


def _dataset_of(event: Event, dataset_pk: int) -> Dataset:
    dataset = get_object_or_404(Dataset, event=event, pk=dataset_pk)
    dataset.event = event  # spares a query in the permission checks
    return dataset


# Organisers ---------------------------------------------------------------------------------------


@login_required
def dataset_list(request, pk: int):
    event = organised_event(request, pk)
    form = DatasetForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_dataset(
                request.user, event, upload=form.cleaned_data["file"], **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The dataset was added."))
            return redirect("events:datasets", pk=event.pk)
    context = {
        "event": event,
        "datasets": list(services.datasets_with_counts(event)),
        "form": form,
        "files_lost": bool(request.FILES) and bool(form.errors),
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "events/datasets/list.html", context, status=status)


@login_required
def dataset_edit(request, pk: int, dataset_pk: int):
    event = organised_event(request, pk)
    dataset = _dataset_of(event, dataset_pk)
    form = DatasetForm(
        request.POST or None,
        request.FILES or None,
        dataset=dataset,
        initial=DatasetForm.initial_from(dataset),
    )
    if request.method == "POST" and form.is_valid():
        # The service changes a copy, so the heading keeps the saved title while errors show.
        editable = _dataset_of(event, dataset.pk)
        try:
            services.update_dataset(
                request.user,
                editable,
                upload=form.cleaned_data["file"],
                remove_file=form.cleaned_data.get("remove_file", False),
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The dataset was saved."))
            return redirect("events:datasets", pk=event.pk)
    context = {
        "event": event,
        "dataset": dataset,
        "form": form,
        "files_lost": bool(request.FILES) and bool(form.errors),
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "events/datasets/edit.html", context, status=status)


@login_required
def dataset_delete(request, pk: int, dataset_pk: int):
    event = organised_event(request, pk)
    dataset = _dataset_of(event, dataset_pk)
    if request.method == "POST":
        services.remove_dataset(request.user, dataset)
        messages.success(request, _("The dataset was removed."))
        return redirect("events:datasets", pk=event.pk)
    return render(request, "events/datasets/delete.html", {"event": event, "dataset": dataset})


def _log_rows(rows) -> list[dict]:
    return [
        {
            **row,
            "person": services.person_label(row),
            "action_label": services.log_action_label(row["kind"]),
        }
        for row in rows
    ]


@login_required
def dataset_log(request, pk: int):
    event = organised_event(request, pk)
    page, query = paginate(request, services.access_log(request.user, event))
    context = {"event": event, "page": page, "query": query, "rows": _log_rows(page)}
    return render(request, "events/datasets/log.html", context)


@login_required
def dataset_log_export(request, pk: int):
    event = organised_event(request, pk)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([_("When"), _("Person"), _("E-mail address"), _("Dataset"), _("Action")])
    for row in _log_rows(services.access_log(request.user, event).iterator()):
        cells = [
            timezone.localtime(row["when"]).isoformat(timespec="seconds"),
            row["person"],
            row["email"] or "",
            row["dataset_title"],
            row["action_label"],
        ]
        # Cells that a spreadsheet would run as a formula are written as text.
        writer.writerow(["'" + c if c[:1] in ("=", "+", "-", "@") else c for c in cells])
    stem = f"{slugify(event.title) or 'event'}-dataset-log-{timezone.localdate():%Y%m%d}"
    response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    return response


# Participants (and organisers) --------------------------------------------------------------------


def _access_context(request, event: Event, dataset: Dataset, can_organise: bool, form=None):
    accepted = (
        DatasetAcceptance.objects.filter(dataset=dataset, user=request.user)
        .values_list("terms", "accepted_at")
        .first()
    )
    state = services.acceptance_state(accepted[0] if accepted else None, dataset)
    return {
        "event": event,
        "dataset": dataset,
        "can_organise": can_organise,
        "state": state,
        "accepted_at": accepted[1] if accepted and state == services.ACCEPTED else None,
        "form": form or AcceptTermsForm(),
        # The page shows these terms; accepting sends their digest back (see accept_terms).
        "terms_digest": services.terms_digest(dataset.terms),
    }


@login_required
def dataset_detail(request, pk: int, dataset_pk: int):
    event, can_organise = _dataset_event(request, pk)
    dataset = _dataset_of(event, dataset_pk)
    context = _access_context(request, event, dataset, can_organise)
    return render(request, "events/datasets/detail.html", context)


@login_required
@require_POST
def dataset_accept(request, pk: int, dataset_pk: int):
    event, can_organise = _dataset_event(request, pk)
    dataset = _dataset_of(event, dataset_pk)
    form = AcceptTermsForm(request.POST)
    if form.is_valid():
        try:
            services.accept_terms(
                request.user, dataset, shown_digest=request.POST.get("terms_digest") or None
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.htmx:
                context = _access_context(request, event, dataset, can_organise)
                return render(request, "events/datasets/_access.html", context)
            messages.success(request, _("You accepted the terms. The data are yours to use."))
            return redirect("events:dataset", pk=event.pk, dataset_pk=dataset.pk)
    context = _access_context(request, event, dataset, can_organise, form=form)
    template = "events/datasets/_access.html" if request.htmx else "events/datasets/detail.html"
    return render(request, template, context, status=422)


def _open(request, pk: int, dataset_pk: int, action: str):
    """The dataset and its open file or address; None when the terms must be accepted first."""
    event, _can_organise = _dataset_event(request, pk)
    dataset = _dataset_of(event, dataset_pk)
    try:
        return dataset, services.open_dataset(request.user, dataset, action)
    except services.TermsNotAccepted:
        messages.info(request, _("Accept the terms of the dataset to get the data."))
        return dataset, None
    except ValidationError:  # no file or link (any longer)
        raise Http404 from None


@login_required
def dataset_download(request, pk: int, dataset_pk: int):
    dataset, handle = _open(request, pk, dataset_pk, DatasetAccess.Action.DOWNLOAD)
    if not isinstance(handle, File):
        return redirect("events:dataset", pk=pk, dataset_pk=dataset.pk)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=dataset.original_name,
        content_type=dataset.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def dataset_link(request, pk: int, dataset_pk: int):
    dataset, url = _open(request, pk, dataset_pk, DatasetAccess.Action.LINK)
    if not isinstance(url, str):
        return redirect("events:dataset", pk=pk, dataset_pk=dataset.pk)
    response = HttpResponseRedirect(url)
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response
