"""Pages of the satisfaction survey, the cost of an event and a concept's trend.

The cost page's forms post with htmx and get the cost section back (figures included); without
JavaScript they post normally and the page is shown again (redirect, or 422 with the errors).
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from samspil.core import permissions
from samspil.core.web import add_service_errors

from . import feedback
from . import feedback_services as services
from .feedback_forms import ExternalCostForm, SurveyForm, TimeSpentForm
from .models import Event, ExternalCost, Registration, StaffRole, SurveyResponse, TimeSpent
from .views import organised_event

# The survey ------------------------------------------------------------------------------------


def _survey_page(request, registration: Registration):
    state = services.survey_state(registration)
    event = registration.event
    if state == services.ANSWERED:
        return render(request, "events/feedback/thanks.html", {"event": event})
    form = SurveyForm(request.POST or None) if state == services.OPEN else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.answer_survey(registration, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # The page asked again shows the thanks, so reloading cannot post a second time.
            return redirect(request.path)
    status = 422 if form is not None and form.is_bound and form.errors else 200
    context = {"event": event, "form": form, "state": state}
    return render(request, "events/feedback/survey.html", context, status=status)


def survey_answer(request, token: str):
    """The survey through the e-mail's signed link: no account needed."""
    registration = services.registration_for_survey_token(token)
    if registration is None:
        raise Http404
    return _survey_page(request, registration)


@login_required
def survey_for_participant(request, pk: int):
    """The survey for a signed-in participant, from the event page."""
    event = permissions.get_event_for_user(request.user, pk)
    registration = permissions.participant_registration(request.user, event)
    if registration is None:
        raise PermissionDenied
    registration.event = event
    return _survey_page(request, registration)


SCORE_LABELS = {
    name: capfirst(getattr(SurveyResponse._meta.get_field(name), "verbose_name", name))
    for name in feedback.SCORES
}


@login_required
def survey_results(request, pk: int):
    event = organised_event(request, pk)
    summary = services.survey_summary(event)
    context = {
        "event": event,
        "summary": summary,
        "scores": [(SCORE_LABELS[s.name], s) for s in summary.score_list],
        "survey_open": services.survey_open(event),
    }
    return render(request, "events/feedback/results.html", context)


@login_required
@require_POST
def survey_send(request, pk: int):
    event = organised_event(request, pk)
    try:
        count = services.send_survey(request.user, event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if count:
            message = ngettext(
                "The survey was sent to %(count)d participant.",
                "The survey was sent to %(count)d participants.",
                count,
            ) % {"count": count}
            messages.success(request, message)
        else:
            messages.info(request, _("Every participant has answered; no e-mail was sent."))
    return redirect("events:survey-results", pk=event.pk)


# Cost ------------------------------------------------------------------------------------------


def _cost_context(event: Event, **extra) -> dict:
    currency = event.owner.currency
    summary = services.cost_summary(event)
    context = {
        "event": event,
        "currency": currency,
        "summary": summary,
        "roles": [
            (role, StaffRole(role).label, hours) for role, hours in summary.hours_by_role.items()
        ],
        "time_entries": list(event.time_spent.all()),
        "external_costs": list(event.external_costs.all()),
        "time_form": TimeSpentForm(prefix="time"),
        "cost_form": ExternalCostForm(prefix="cost", currency=currency),
        "status_message": "",
    }
    context.update(extra)
    return context


def _cost_response(request, event: Event, status: int = 200, **extra):
    """The whole page, or only the cost section for htmx."""
    template = "events/feedback/_cost.html" if request.htmx else "events/feedback/cost.html"
    return render(request, template, _cost_context(event, **extra), status=status)


def _done(request, event: Event, message: str):
    if request.htmx:
        return _cost_response(request, event, status_message=message)
    messages.success(request, message)
    return redirect("events:cost", pk=event.pk)


@login_required
def cost_page(request, pk: int):
    return _cost_response(request, organised_event(request, pk))


@dataclass(frozen=True)
class _Line:
    """What differs between hours and external costs on the cost page."""

    kind: str  # "time" or "cost": form prefixes and row ids
    model: Any
    form_class: Any
    context_name: str
    add: Any
    update: Any
    delete: Any
    added: str | Promise
    saved: str | Promise
    deleted: str | Promise
    edit_url: str
    delete_url: str


TIME = _Line(
    kind="time",
    model=TimeSpent,
    form_class=TimeSpentForm,
    context_name="time_form",
    add=services.add_time_spent,
    update=services.update_time_spent,
    delete=services.delete_time_spent,
    added=gettext_lazy("The hours were added."),
    saved=gettext_lazy("The hours were saved."),
    deleted=gettext_lazy("The hours were removed."),
    edit_url="events:time-edit",
    delete_url="events:time-delete",
)
EXTERNAL = _Line(
    kind="cost",
    model=ExternalCost,
    form_class=ExternalCostForm,
    context_name="cost_form",
    add=services.add_external_cost,
    update=services.update_external_cost,
    delete=services.delete_external_cost,
    added=gettext_lazy("The cost was added."),
    saved=gettext_lazy("The cost was saved."),
    deleted=gettext_lazy("The cost was removed."),
    edit_url="events:external-cost-edit",
    delete_url="events:external-cost-delete",
)


def _form(line: _Line, event: Event, data=None, **kwargs):
    if line is EXTERNAL:
        kwargs["currency"] = event.owner.currency
    return line.form_class(data, **kwargs)


def _add(request, pk: int, line: _Line):
    event = organised_event(request, pk)
    form = _form(line, event, request.POST, prefix=line.kind)
    if form.is_valid():
        try:
            line.add(request.user, event, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, event, str(line.added))
    return _cost_response(request, event, status=422, **{line.context_name: form})


def _edit(request, pk: int, item_pk: int, line: _Line):
    event = organised_event(request, pk)
    item = get_object_or_404(line.model, event=event, pk=item_pk)
    item.event = event
    form = _form(
        line,
        event,
        request.POST or None,
        prefix=f"{line.kind}-{item.pk}",
        initial=line.form_class.initial_of(item),
    )
    # htmx puts the focus here after swapping the row into a form.
    next(iter(form.fields.values())).widget.attrs["autofocus"] = True
    if request.method == "POST" and form.is_valid():
        try:
            line.update(request.user, item, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, event, str(line.saved))
    status = 422 if form.is_bound and form.errors else 200
    context = {
        "event": event,
        "item": item,
        "form": form,
        "kind": line.kind,
        "action": request.path,
        "row_id": f"{line.kind}-row-{item.pk}",
    }
    if request.htmx:
        response = render(request, "events/feedback/_edit_row.html", context, status=status)
        if status == 422:
            # The edit form targets the cost section; its errors belong in its own row.
            retarget(response, f"#{context['row_id']}")
            reswap(response, "outerHTML")
        return response
    return render(request, "events/feedback/cost_edit.html", context, status=status)


def _delete(request, pk: int, item_pk: int, line: _Line):
    event = organised_event(request, pk)
    item = get_object_or_404(line.model, event=event, pk=item_pk)
    item.event = event
    line.delete(request.user, item)
    return _done(request, event, str(line.deleted))


@login_required
@require_POST
def time_add(request, pk: int):
    return _add(request, pk, TIME)


@login_required
def time_edit(request, pk: int, entry_pk: int):
    return _edit(request, pk, entry_pk, TIME)


@login_required
@require_POST
def time_delete(request, pk: int, entry_pk: int):
    return _delete(request, pk, entry_pk, TIME)


@login_required
@require_POST
def external_cost_add(request, pk: int):
    return _add(request, pk, EXTERNAL)


@login_required
def external_cost_edit(request, pk: int, cost_pk: int):
    return _edit(request, pk, cost_pk, EXTERNAL)


@login_required
@require_POST
def external_cost_delete(request, pk: int, cost_pk: int):
    return _delete(request, pk, cost_pk, EXTERNAL)


# A concept's trend -----------------------------------------------------------------------------


def concept_trend(request, concept_pk: int):
    concept = permissions.get_concept_for_user(request.user, concept_pk)
    trend = services.concept_trend(concept, request.user)
    context = {
        "concept": concept,
        "trend": trend,
        "chart": feedback.trend_chart(
            trend,
            cost_label=_("Cost per participant (%(currency)s)")
            % {"currency": concept.owner.currency},
            satisfaction_label=_("Mean satisfaction (1 to 5)"),
        )
        if trend.events
        else None,
        "currency": concept.owner.currency,
    }
    return render(request, "events/feedback/trend.html", context)
