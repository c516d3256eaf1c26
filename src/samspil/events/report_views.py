"""The event report page, its PDF and DOCX downloads, and the "requirements learned" editor.

Everything here is for the event's organisers (``can_organise_event``): others who see the
event get 403, those who do not see it 404. The editor works with htmx (the answer is the
``_requirements.html`` partial) and without JavaScript (a redirect back to the page).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil.core.web import add_service_errors

from . import report, report_services
from .models import Event, LearnedRequirement
from .report_forms import RequirementForm
from .views import organised_event

EDIT_PREFIX = "edit"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _line(event: Event, line_pk: int) -> LearnedRequirement:
    line = get_object_or_404(event.learned_requirements, pk=line_pk)
    line.event = event  # the services check the permission on it
    return line


def _render(
    request,
    event: Event,
    *,
    form: RequirementForm | None = None,
    editing: LearnedRequirement | None = None,
    edit_form: RequirementForm | None = None,
    error: str = "",
    status: int = 200,
):
    """The whole page, or only the requirements editor for htmx (same URL, so ``Vary``)."""
    context = {
        "event": event,
        "form": form or RequirementForm(),
        "editing": editing,
        "edit_form": edit_form,
        "requirement_error": error,
    }
    if request.htmx:
        context["requirements"] = list(event.learned_requirements.order_by("position", "pk"))
        response = render(request, "events/report/_requirements.html", context, status=status)
    else:
        context["report"] = built = report.build_report(event, request.user)
        context["requirements"] = built.requirements
        response = render(request, "events/report/report.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _back(event: Event):
    return redirect(reverse("events:report", args=[event.pk]) + "#report-requirements")


@login_required
def report_page(request, pk: int):
    return _render(request, organised_event(request, pk))


def _language(request) -> str:
    """The page's language, or another one asked for with ``?language=``."""
    wanted = request.GET.get("language", "")
    return wanted if wanted in dict(settings.LANGUAGES) else translation.get_language()


def _download(event: Event, content: bytes, content_type: str, extension: str) -> HttpResponse:
    day = timezone.localdate(event.starts_at).isoformat()
    response = HttpResponse(content, content_type=content_type)
    filename = f"{slugify(event.title) or 'event'}-{day}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def report_pdf(request, pk: int):
    event = organised_event(request, pk)
    content = report.report_pdf(report.build_report(event, request.user), _language(request))
    return _download(event, content, "application/pdf", "pdf")


@login_required
def report_docx(request, pk: int):
    event = organised_event(request, pk)
    content = report.report_docx(report.build_report(event, request.user), _language(request))
    return _download(event, content, DOCX_TYPE, "docx")


# Requirements learned ---------------------------------------------------------------------


@login_required
@require_POST
def requirement_add(request, pk: int):
    event = organised_event(request, pk)
    form = RequirementForm(request.POST)
    if form.is_valid():
        try:
            report_services.add_requirement(request.user, event, form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.htmx:
                return _render(request, event)
            messages.success(request, _("The requirement was added."))
            return _back(event)
    return _render(request, event, form=form, status=422)


@login_required
def requirement_edit(request, pk: int, line_pk: int):
    event = organised_event(request, pk)
    line = _line(event, line_pk)
    form = RequirementForm(request.POST or None, prefix=EDIT_PREFIX, initial={"text": line.text})
    # htmx focuses it after the swap, so keyboard users land in the line they edit.
    form.fields["text"].widget.attrs["autofocus"] = True
    if request.method == "POST" and form.is_valid():
        try:
            report_services.update_requirement(request.user, line, form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.htmx:
                return _render(request, event)
            messages.success(request, _("The requirement was saved."))
            return _back(event)
    status = 422 if form.is_bound else 200
    return _render(request, event, editing=line, edit_form=form, status=status)


@login_required
@require_POST
def requirement_delete(request, pk: int, line_pk: int):
    event = organised_event(request, pk)
    report_services.delete_requirement(request.user, _line(event, line_pk))
    if request.htmx:
        return _render(request, event)
    messages.success(request, _("The requirement was deleted."))
    return _back(event)


@login_required
@require_POST
def requirement_move(request, pk: int, line_pk: int):
    event = organised_event(request, pk)
    error = ""
    try:
        report_services.move_requirement(
            request.user, _line(event, line_pk), request.POST.get("direction", "")
        )
    except ValidationError as refusal:
        error = " ".join(refusal.messages)
    if request.htmx:
        return _render(request, event, error=error, status=422 if error else 200)
    if error:
        messages.error(request, error)
    return _back(event)
