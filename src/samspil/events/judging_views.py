"""Judging pages: the organisers' setup, the jurors' scoring, the ranking.

Thin views over ``judging_services``: parse, call, render or redirect. Refusals of the
services (scoring begun, winners published …) come back as messages or form errors.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil.core import permissions
from samspil.core.web import add_service_errors, refusal_message

from . import judging_services as judging
from .judging_forms import CriterionForm, JurorForm, ScoreForm
from .models import Criterion, Event, Juror, Submission
from .views import organised_event


def _juror_event(request, pk: int) -> tuple[Event, Juror]:
    event = permissions.get_event_for_user(request.user, pk)
    juror = judging.juror_of(request.user, event)
    if juror is None:
        raise PermissionDenied
    return event, juror


# Setup (organisers) ---------------------------------------------------------------------------


def _setup_page(request, event: Event, *, criterion_form=None, juror_form=None, status=200):
    state = judging.judging_state(event)
    context = {
        "event": event,
        "state": state,
        "criterion_form": criterion_form or CriterionForm(),
        "juror_form": juror_form
        or JurorForm(candidates=judging.juror_candidates(event), owner=event.owner),
        "ranking": judging.ranking_for(event, state) if state.all_scored else [],
    }
    return render(request, "events/judging/setup.html", context, status=status)


@login_required
def judging_page(request, pk: int):
    return _setup_page(request, organised_event(request, pk))


@login_required
@require_POST
def criterion_add(request, pk: int):
    event = organised_event(request, pk)
    form = CriterionForm(request.POST)
    if form.is_valid():
        try:
            judging.add_criterion(request.user, event, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The criterion was added."))
            return redirect("events:judging", pk=event.pk)
    return _setup_page(request, event, criterion_form=form, status=422)


@login_required
@require_POST
def criterion_defaults(request, pk: int):
    event = organised_event(request, pk)
    try:
        added = judging.add_default_criteria(request.user, event)
    except ValidationError as error:
        refusal_message(request, error)
    else:
        if added:
            messages.success(request, _("The default criteria were added."))
        else:
            messages.info(request, _("The event already has the default criteria."))
    return redirect("events:judging", pk=event.pk)


def _criterion(event: Event, criterion_pk: int) -> Criterion:
    return get_object_or_404(event.criteria.select_related("event"), pk=criterion_pk)


@login_required
def criterion_edit(request, pk: int, criterion_pk: int):
    event = organised_event(request, pk)
    criterion = _criterion(event, criterion_pk)
    locked = judging.scoring_started(event)
    initial = {
        "name": criterion.name,
        "description": criterion.description,
        "weight": criterion.weight,
    }
    form = CriterionForm(request.POST or None, initial=initial, locked=locked)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            judging.update_criterion(
                request.user,
                criterion,
                name=None if locked else data["name"],
                weight=None if locked else data["weight"],
                description=data["description"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The criterion was saved."))
            return redirect("events:judging", pk=event.pk)
    status = 422 if form.is_bound and form.errors else 200
    context = {"event": event, "criterion": criterion, "form": form, "locked": locked}
    return render(request, "events/judging/criterion_form.html", context, status=status)


@login_required
@require_POST
def criterion_delete(request, pk: int, criterion_pk: int):
    event = organised_event(request, pk)
    try:
        judging.delete_criterion(request.user, _criterion(event, criterion_pk))
    except ValidationError as error:
        refusal_message(request, error)
    else:
        messages.success(request, _("The criterion was removed."))
    return redirect("events:judging", pk=event.pk)


@login_required
@require_POST
def criterion_move(request, pk: int, criterion_pk: int):
    event = organised_event(request, pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    try:
        judging.move_criterion(request.user, _criterion(event, criterion_pk), offset)
    except ValidationError as error:
        refusal_message(request, error)
    return redirect("events:judging", pk=event.pk)


@login_required
@require_POST
def juror_add(request, pk: int):
    event = organised_event(request, pk)
    form = JurorForm(request.POST, candidates=judging.juror_candidates(event), owner=event.owner)
    if form.is_valid():
        try:
            judging.add_juror(
                request.user,
                event,
                user=form.cleaned_data["user"],
                email=form.cleaned_data["email"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The juror was added."))
            return redirect("events:judging", pk=event.pk)
    return _setup_page(request, event, juror_form=form, status=422)


@login_required
@require_POST
def juror_remove(request, pk: int, juror_pk: int):
    event = organised_event(request, pk)
    juror = get_object_or_404(event.jurors.select_related("event", "user"), pk=juror_pk)
    try:
        judging.remove_juror(request.user, juror)
    except ValidationError as error:
        refusal_message(request, error)
    else:
        messages.success(request, _("%(person)s is no longer a juror.") % {"person": juror.user})
    return redirect("events:judging", pk=event.pk)


@login_required
@require_POST
def publish_winners(request, pk: int):
    event = organised_event(request, pk)
    try:
        judging.publish_winners(request.user, event)
    except ValidationError as error:
        refusal_message(request, error)
        return redirect("events:judging", pk=event.pk)
    messages.success(request, _("The winners are published on the event page."))
    return redirect(event)


@login_required
@require_POST
def unpublish_winners(request, pk: int):
    event = organised_event(request, pk)
    judging.unpublish_winners(request.user, event)
    messages.success(request, _("The winners are no longer published."))
    return redirect("events:judging", pk=event.pk)


# Scoring (jurors) -----------------------------------------------------------------------------


@login_required
def score_list(request, pk: int):
    event, juror = _juror_event(request, pk)
    state = judging.judging_state(event)
    row = next(r for r in state.rows if r.juror.pk == juror.pk)
    context = {"event": event, "state": state, "row": row}
    return render(request, "events/judging/score_list.html", context)


@login_required
def score(request, pk: int, submission_pk: int):
    event, juror = _juror_event(request, pk)
    submission = get_object_or_404(
        Submission.objects.select_related("team__event"), pk=submission_pk, team__event=event
    )
    if judging.is_team_member(request.user, submission.team):
        raise PermissionDenied
    criteria = list(event.criteria.all())
    own = list(submission.scores.filter(juror=juror).select_related("criterion"))
    form = ScoreForm(request.POST or None, criteria=criteria, initial=ScoreForm.initial_from(own))
    if request.method == "POST" and form.is_valid():
        try:
            judging.score(
                request.user,
                submission,
                form.values(),
                form.comments(),
                revise=form.cleaned_data["revise"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your scores were saved."))
            return redirect("events:score-list", pk=event.pk)
    context = {
        "event": event,
        "submission": submission,
        "form": form,
        "own": own,
        "published": event.winners_published_at is not None,
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "events/judging/score.html", context, status=status)


# Ranking --------------------------------------------------------------------------------------


def ranking_page(request, pk: int):
    event = permissions.get_event_for_user(request.user, pk)
    state = judging.judging_state(event)
    if not judging.can_see_ranking(request.user, event, state):
        raise PermissionDenied
    context = {
        "event": event,
        "state": state,
        "ranking": judging.ranking_for(event, state),
        "scores": judging.visible_scores(request.user, event, state) if state.all_scored else [],
    }
    return render(request, "events/judging/ranking.html", context)
