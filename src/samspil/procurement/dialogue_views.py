"""The market dialogue panel of a procurement: the dialogue log, questions and answers
published to all registered suppliers, and the functional requirements.

Thin: parse, call ``dialogue_services`` and render or redirect. An htmx request gets the
panel back (with a form's errors, status 422); without JavaScript a form posts and comes back
to the procurement at the panel, or shows its own page with the errors and what was typed.
Pages answer 404 to those who do not see the procurement and 403 to those who may not act.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from samspil.core import permissions
from samspil.core.web import add_service_errors, refusal_message

from . import dialogue_queries, dialogue_services
from .dialogue_forms import AnswerForm, DialogueEntryForm, PullForm, QuestionForm, RequirementForm

PANEL = "procurement/dialogue/_panel.html"
PAGE = "procurement/dialogue/page.html"
ANCHOR = "procurement-dialogue"


def _respond(request, procurement, form=None, page_context: dict | None = None):
    """The panel for htmx; the form's page when it has errors or on GET; else back to the
    procurement at the panel."""
    failed = bool(form is not None and form.errors)
    status = 422 if failed else 200
    if request.htmx:
        context = {"procurement": procurement}
        if failed and page_context:
            context[page_context["form_name"]] = form
        return render(request, PANEL, context, status=status)
    if page_context and (failed or request.method == "GET"):
        context = {"procurement": procurement, "form": form, **page_context}
        return render(request, PAGE, context, status=status)
    return redirect(f"{procurement.get_absolute_url()}#{ANCHOR}")


def _data(request):
    """The posted data (even when empty, so that the form names what is missing)."""
    return request.POST if request.method == "POST" else None


def _logging_procurement(request, pk: int):
    procurement = permissions.get_procurement_for_user(request.user, pk)
    if not permissions.can_log_dialogue(request.user, procurement):
        raise PermissionDenied
    return procurement


def _entry_page(entry=None) -> dict:
    return {
        "form_name": "entry_form",
        "form_template": "procurement/dialogue/_entry_form.html",
        "heading": _("Edit the dialogue entry") if entry else _("Log a contact with the market"),
        "entry": entry,
    }


# Dialogue log ----------------------------------------------------------------------------------


@login_required
def entry_create(request, pk: int):
    procurement = _logging_procurement(request, pk)
    page = _entry_page()
    form = DialogueEntryForm(_data(request), user=request.user, procurement=procurement)
    if request.method == "POST" and form.is_valid():
        try:
            dialogue_services.add_entry(request.user, procurement, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The contact was logged."))
    return _respond(request, procurement, form, page)


@login_required
def entry_edit(request, pk: int, entry_pk: int):
    procurement = _logging_procurement(request, pk)
    entry = dialogue_queries.get_entry(procurement, entry_pk)
    page = _entry_page(entry)
    initial = {
        "kind": entry.kind,
        "held_on": entry.held_on,
        "subject": entry.subject,
        "summary": entry.summary,
        "participants": [o.pk for o in entry.participants.all()],
        "event": entry.event_id,
    }
    form = DialogueEntryForm(
        _data(request),
        user=request.user,
        procurement=procurement,
        current_event=entry.event_id,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            dialogue_services.update_entry(request.user, entry, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The dialogue entry was saved."))
    return _respond(request, procurement, form, page)


@login_required
@require_POST
def entry_remove(request, pk: int, entry_pk: int):
    procurement = _logging_procurement(request, pk)
    entry = dialogue_queries.get_entry(procurement, entry_pk)
    dialogue_services.remove_entry(request.user, entry)
    if not request.htmx:
        messages.success(request, _("The dialogue entry was removed."))
    return _respond(request, procurement)


# Questions and answers -------------------------------------------------------------------------


@login_required
def question_ask(request, pk: int):
    procurement = permissions.get_procurement_for_user(request.user, pk)
    organisations = permissions.registered_supplier_organisations(request.user, procurement)
    if not organisations:
        raise PermissionDenied
    page = {
        "form_name": "question_form",
        "form_template": "procurement/dialogue/_question_form.html",
        "heading": _("Ask a question"),
    }
    form = QuestionForm(_data(request), organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            dialogue_services.ask_question(
                request.user,
                procurement,
                form.cleaned_data["text"],
                form.cleaned_data.get("organisation"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not request.htmx:
                messages.success(
                    request,
                    _(
                        "Your question was sent. Its answer will be published to all registered "
                        "suppliers."
                    ),
                )
    return _respond(request, procurement, form, page)


@login_required
def question_answer(request, pk: int, question_pk: int):
    """Save a draft answer, or publish it to every registered supplier (``publish``)."""
    procurement = _logging_procurement(request, pk)
    question = dialogue_queries.get_question(procurement, question_pk)
    page = {
        "form_name": "answer_form",
        "form_template": "procurement/dialogue/_answer_form.html",
        "heading": _("Answer the question"),
        "question": question,
        "registered": dialogue_queries.registered_suppliers(procurement),
    }
    form = AnswerForm(_data(request), question_pk=question.pk, initial={"answer": question.answer})
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["answer"]
        try:
            if "publish" in request.POST:
                count = dialogue_services.publish_answer(request.user, question, text)
                messages.success(
                    request,
                    ngettext(
                        "The answer was published to %(count)d registered supplier.",
                        "The answer was published to %(count)d registered suppliers.",
                        count,
                    )
                    % {"count": count},
                )
            else:
                dialogue_services.save_answer(request.user, question, text)
                messages.success(request, _("The draft answer was saved; it is not published."))
        except ValidationError as error:
            add_service_errors(form, error)
    return _respond(request, procurement, form, page)


# Functional requirements -----------------------------------------------------------------------


@login_required
def requirement_add(request, pk: int):
    procurement = _logging_procurement(request, pk)
    page = {
        "form_name": "requirement_form",
        "form_template": "procurement/dialogue/_requirement_form.html",
        "heading": _("Add a functional requirement"),
    }
    form = RequirementForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            dialogue_services.add_requirement(request.user, procurement, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("The requirement was added."))
    return _respond(request, procurement, form, page)


@login_required
def requirement_pull(request, pk: int):
    procurement = _logging_procurement(request, pk)
    candidates = dialogue_queries.learned_candidates(request.user, procurement)
    page = {
        "form_name": "pull_form",
        "form_template": "procurement/dialogue/_pull_form.html",
        "heading": _("Pull requirements learned at events"),
    }
    form = PullForm(_data(request), candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            made = dialogue_services.pull_requirements(
                request.user, procurement, form.chosen(), candidates=candidates
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d requirement was pulled into the list.",
                    "%(count)d requirements were pulled into the list.",
                    len(made),
                )
                % {"count": len(made)},
            )
    return _respond(request, procurement, form, {**page, "candidates": candidates})


@login_required
@require_POST
def requirement_remove(request, pk: int, requirement_pk: int):
    procurement = _logging_procurement(request, pk)
    requirement = dialogue_queries.get_requirement(procurement, requirement_pk)
    try:
        dialogue_services.remove_requirement(request.user, requirement)
    except ValidationError as error:
        refusal_message(request, error)
    else:
        if not request.htmx:
            messages.success(request, _("The requirement was removed."))
    return _respond(request, procurement)
