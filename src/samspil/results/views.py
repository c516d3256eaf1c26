"""Pages of results: the public catalogue, the page of one result, "my organisation's
drafts", create (standalone or from a pilot, event, procurement, scaling process, event
concept or phase model), edit, documents, publish, withdraw and copy a template.

Views stay thin: they parse, call a service and render or redirect. Pages for editors answer
404 to those who do not see the result and 403 to those who see it only. A refused button
press (publishing a result that holds internal records) comes back as an error message
naming each record on the result's page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil.core import permissions
from samspil.core.models import Visibility
from samspil.core.web import add_service_errors, paginate, refusal_message, render_list
from samspil.events.models import TaskArea

from . import copying, queries, services
from . import figures as figure_aid
from .forms import CatalogueFilterForm, CopyForm, DocumentForm, ResultForm, leading_organisations
from .models import TEMPLATE_KINDS, Result, ResultDocument, ResultKind, ResultStatus


def catalogue(request):
    form = CatalogueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = queries.catalogue(
        q=filters.get("q", ""),
        country=filters.get("country", ""),
        theme=filters.get("theme"),
        stage=filters.get("stage", ""),
        outcome=filters.get("outcome", ""),
        kind=filters.get("kind", ""),
    )
    page, query = paginate(request, rows)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "can_create": request.user.is_authenticated
        and leading_organisations(request.user).exists(),
    }
    return render_list(request, "results/catalogue.html", "results/_rows.html", context)


@login_required
def drafts(request):
    page, query = paginate(request, queries.drafts_for(request.user))
    context = {
        "page": page,
        "query": query,
        "can_create": leading_organisations(request.user).exists(),
    }
    return render(request, "results/drafts.html", context)


def _create_initial(request) -> dict:
    """The draft's fields from the record it starts from (404 if the user does not see it)."""
    user = request.user
    if pk := request.GET.get("pilot"):
        return services.draft_from_pilot(permissions.get_pilot_for_user(user, pk))
    if pk := request.GET.get("event"):
        event = permissions.get_event_for_user(user, pk)
        kind = request.GET.get("kind", ResultKind.RESULT)
        if kind not in (ResultKind.RESULT, ResultKind.CRITERIA_SET):
            kind = ResultKind.RESULT
        return services.draft_from_event(event, kind)
    if pk := request.GET.get("procurement"):
        return services.draft_from_procurement(permissions.get_procurement_for_user(user, pk))
    if pk := request.GET.get("scaling_process"):
        process = permissions.get_scaling_process_for_user(user, pk)
        return services.draft_from_scaling_process(process)
    if pk := request.GET.get("concept"):
        return services.draft_from_concept(permissions.get_concept_for_user(user, pk))
    if request.GET.get("kind") in ResultKind.values:
        return {"kind": request.GET["kind"]}
    return {}


def _contact_initial(user) -> dict:
    return {"contact_name": user.get_full_name() or user.username, "contact_email": user.email}


@login_required
def result_create(request):
    if not leading_organisations(request.user).exists():
        raise PermissionDenied
    initial = {}
    if request.method != "POST":
        initial = {**_contact_initial(request.user), **_create_initial(request)}
    form = ResultForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.create_result(
                request.user, form.cleaned_data["owner"], **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The draft was saved. Publish it when it is ready."))
            return redirect(result)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "results/form.html", {"form": form, "creating": True}, status=status)


def editable_result(request, pk) -> Result:
    """The result for its editors: 404 when unseen, 403 when seen but not editable."""
    result = queries.result_with_details(request.user, pk)
    if not permissions.can_edit_result(request.user, result):
        raise PermissionDenied
    return result


@login_required
def result_edit(request, pk: int):
    result = editable_result(request, pk)
    form = ResultForm(request.POST or None, instance=result, user=request.user)
    if request.method == "POST" and form.is_valid():
        fresh = Result.objects.get(pk=result.pk)
        try:
            services.update_result(request.user, fresh, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The result was saved."))
            return redirect(result)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "results/form.html", {"form": form, "result": result}, status=status)


def _content_for_display(result: Result) -> dict:
    """The template's snapshot with its task areas named in the reader's language."""
    content = result.content if isinstance(result.content, dict) else {}
    areas = {str(code): str(label) for code, label in TaskArea.choices}
    tasks = [
        {**task, "area_label": areas.get(str(task.get("area")), "")}
        for task in content.get("tasks") or []
        if isinstance(task, dict)
    ]
    return {**content, "tasks": tasks}


def _links(result: Result, can_edit: bool) -> list[dict]:
    """The records the result comes from that the reader may open: public ones, and all of
    them for its editors."""
    labels = {
        "pilot": _("Pilot"),
        "event": _("Event"),
        "procurement": _("Procurement"),
        "scaling_process": _("Scaling process"),
        "concept": _("Event concept"),
    }
    links = []
    for name, label in labels.items():
        record = getattr(result, name)
        if record is not None and (can_edit or record.visibility == Visibility.PUBLIC):
            links.append({"label": label, "title": record.title, "url": record.get_absolute_url()})
    return links


def _detail_context(request, result: Result, **extra) -> dict:
    user = request.user
    can_edit = permissions.can_edit_result(user, result)
    copy_organisations = []
    if result.kind in TEMPLATE_KINDS and result.status == ResultStatus.PUBLISHED:
        copy_organisations = copying.copying_organisations(user)
    context = {
        "result": result,
        "can_edit": can_edit,
        "figures": figure_aid.for_display(result.figures),
        "documents": list(result.documents.all()),
        "themes": list(result.themes.all()),
        "problems": (
            services.publication_problems(result)
            if can_edit and result.status != ResultStatus.PUBLISHED
            else []
        ),
        "copy_form": CopyForm(user=user) if copy_organisations else None,
        "copy_organisations": copy_organisations,
        "document_form": DocumentForm() if can_edit else None,
        "is_template": result.kind in TEMPLATE_KINDS,
        "content": _content_for_display(result),
        "links": _links(result, can_edit),
    }
    context.update(extra)
    return context


def result_detail(request, pk: int):
    result = queries.result_with_details(request.user, pk)
    return render(request, "results/detail.html", _detail_context(request, result))


@login_required
@require_POST
def result_publish(request, pk: int):
    result = editable_result(request, pk)
    try:
        services.publish_result(request.user, result)
    except ValidationError as error:
        refusal_message(request, error)
    else:
        messages.success(request, _("The result is published: anyone can read it."))
    return redirect(result)


@login_required
@require_POST
def result_withdraw(request, pk: int):
    result = editable_result(request, pk)
    try:
        services.withdraw_result(request.user, result)
    except ValidationError as error:
        refusal_message(request, error)
    else:
        messages.success(request, _("The result was withdrawn from the catalogue."))
    return redirect(result)


@login_required
@require_POST
def document_add(request, pk: int):
    result = editable_result(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_document(
                request.user, result, form.cleaned_data["file"], form.cleaned_data["title"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The document was added."))
            return redirect(f"{result.get_absolute_url()}#documents")
    context = _detail_context(request, result, document_form=form)
    return render(request, "results/detail.html", context, status=422)


@login_required
@require_POST
def document_remove(request, pk: int, document_pk: int):
    result = editable_result(request, pk)
    document = ResultDocument.objects.filter(pk=document_pk, result=result).first()
    if document is None:
        raise Http404
    services.remove_document(request.user, document)
    messages.success(request, _("The document was removed."))
    return redirect(f"{result.get_absolute_url()}#documents")


def document_download(request, pk: int, document_pk: int):
    """A document of a result the user sees; always downloaded, never run as a page."""
    result = permissions.get_result_for_user(request.user, pk)
    document = ResultDocument.objects.filter(pk=document_pk, result=result).first()
    if document is None:
        raise Http404
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=services.original_name(document),
        content_type=services.content_type_of(document),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def result_copy(request, pk: int):
    """One action: copy the published template into the chosen organisation."""
    result = queries.result_with_details(request.user, pk)
    form = CopyForm(request.POST, user=request.user)
    if not form.is_valid():
        if not leading_organisations(request.user).exists():
            raise PermissionDenied
        messages.error(request, _("Choose an organisation where you are innovation lead."))
        return redirect(result)
    try:
        made = copying.copy_template(request.user, result, form.cleaned_data["organisation"])
    except ValidationError as error:
        refusal_message(request, error)
        return redirect(result)
    messages.success(
        request,
        _("Copied to %(organisation)s.") % {"organisation": form.cleaned_data["organisation"]},
    )
    return redirect(made.url)
