"""Pages of hackathon teams and submissions: the teams page, one team's submission, its
files, and the submissions overview. Thin: parse, call ``team_services``, render or redirect.

Every page first finds the event the way the event page does (404 when unseen), then asks
``can_see_submissions`` (403 otherwise); writes are checked again by the services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil.core import permissions
from samspil.core.web import add_service_errors, refusal_message

from . import team_queries, team_services
from .models import Event, Grouping, Submission, SubmissionFile, Team
from .team_forms import SubmissionFileForm, SubmissionForm, TeamForm
from .views import organised_event


def _event_with_submissions(request, pk: int) -> Event:
    event = permissions.get_event_for_user(request.user, pk)
    if not permissions.can_see_submissions(request.user, event):
        raise PermissionDenied
    return event


def _sees_names(user, event: Event, can_organise: bool) -> bool:
    """Members' names are for organisers and jurors; participants see their own team's."""
    return can_organise or permissions.is_juror(user, event)


def _is_member(team: Team, registration) -> bool:
    return registration is not None and any(m.pk == registration.pk for m in team.members.all())


def _teams_page(request, event: Event, form: TeamForm | None = None, status: int = 200):
    user = request.user
    can_organise = permissions.can_organise_event(user, event)
    registration = permissions.participant_registration(user, event)
    teams = team_queries.show_challenges(list(team_queries.teams_of(event)), user, event)
    my_team = next((t for t in teams if _is_member(t, registration)), None)
    is_open = team_services.submissions_open(event)
    may_form_own = not can_organise and registration is not None and my_team is None and is_open
    if form is None and (can_organise or may_form_own):
        form = TeamForm(event=event, user=user, with_members=can_organise)
    context = {
        "event": event,
        "teams": teams,
        "can_organise": can_organise,
        "registration": registration,
        "my_team": my_team,
        "is_open": is_open,
        "may_join": registration is not None and my_team is None and is_open,
        "sees_names": _sees_names(user, event, can_organise),
        "form": form,
        "has_groups": can_organise and Grouping.objects.filter(event=event).exists(),
    }
    return render(request, "events/teams/list.html", context, status=status)


@login_required
def team_list(request, pk: int):
    return _teams_page(request, _event_with_submissions(request, pk))


@login_required
@require_POST
def team_create(request, pk: int):
    """Organisers create any team; a participant creates one of their own and joins it."""
    event = permissions.get_event_for_user(request.user, pk)
    can_organise = permissions.can_organise_event(request.user, event)
    if not can_organise and permissions.participant_registration(request.user, event) is None:
        raise PermissionDenied
    form = TeamForm(request.POST, event=event, user=request.user, with_members=can_organise)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if can_organise:
                team = team_services.create_team(
                    request.user,
                    event,
                    name=data["name"],
                    challenge=data["challenge"],
                    members=data["members"],
                )
            else:
                team = team_services.create_own_team(
                    request.user, event, name=data["name"], challenge=data["challenge"]
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Team %(name)s was created.") % {"name": team.name})
            return redirect("events:teams", pk=event.pk)
    return _teams_page(request, event, form, status=422)


@login_required
def team_edit(request, pk: int, team_pk: int):
    event = organised_event(request, pk)
    team = team_queries.get_team(event, team_pk)
    initial = {"name": team.name, "challenge": team.challenge, "members": list(team.members.all())}
    form = TeamForm(request.POST or None, event=event, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            team_services.update_team(
                request.user,
                Team.objects.select_related("event").get(pk=team.pk),
                name=data["name"],
                challenge=data["challenge"],
                members=data["members"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The team was saved."))
            return redirect("events:teams", pk=event.pk)
    status = 422 if form.is_bound and form.errors else 200
    context = {"event": event, "team": team, "form": form}
    return render(request, "events/teams/edit.html", context, status=status)


@login_required
@require_POST
def team_delete(request, pk: int, team_pk: int):
    event = organised_event(request, pk)
    team = team_queries.get_team(event, team_pk)
    try:
        team_services.delete_team(request.user, team)
    except ValidationError as error:
        refusal_message(request, error)
    else:
        messages.success(request, _("Team %(name)s was deleted.") % {"name": team.name})
    return redirect("events:teams", pk=event.pk)


@login_required
@require_POST
def team_from_groups(request, pk: int):
    event = organised_event(request, pk)
    try:
        teams = team_services.teams_from_groups(request.user, event)
    except ValidationError as error:
        refusal_message(request, error)
    else:
        messages.success(
            request, _("%(count)d teams were made from the groups.") % {"count": len(teams)}
        )
    return redirect("events:teams", pk=event.pk)


@login_required
@require_POST
def team_join(request, pk: int, team_pk: int):
    event = permissions.get_event_for_user(request.user, pk)
    team = team_queries.get_team(event, team_pk)
    try:
        team_services.join_team(request.user, team)
    except ValidationError as error:
        refusal_message(request, error)
    else:
        messages.success(request, _("You joined team %(name)s.") % {"name": team.name})
    return redirect("events:teams", pk=event.pk)


@login_required
@require_POST
def team_leave(request, pk: int, team_pk: int):
    event = permissions.get_event_for_user(request.user, pk)
    team = team_queries.get_team(event, team_pk)
    try:
        team_services.leave_team(request.user, team)
    except ValidationError as error:
        refusal_message(request, error)
    else:
        messages.success(request, _("You left team %(name)s.") % {"name": team.name})
    return redirect("events:teams", pk=event.pk)


# Submissions ------------------------------------------------------------------------------------


def _submission_context(request, event: Event, team: Team) -> dict:
    user = request.user
    can_organise = permissions.can_organise_event(user, event)
    submission = team_queries.submission_of(team)
    can_edit = permissions.can_edit_submission(user, team)
    is_open = team_services.submissions_open(event)
    team_queries.show_challenges([team], user, event)
    registration = permissions.participant_registration(user, event)
    return {
        "event": event,
        "team": team,
        "submission": submission,
        "files": list(submission.files.all()) if submission else [],
        "can_edit": can_edit and is_open,
        "is_open": is_open,
        "sees_names": _sees_names(user, event, can_organise) or _is_member(team, registration),
        "file_form": SubmissionFileForm() if can_edit and is_open and submission else None,
    }


@login_required
def submission_page(request, pk: int, team_pk: int):
    event = _event_with_submissions(request, pk)
    team = team_queries.get_team(event, team_pk)
    return render(
        request, "events/teams/submission.html", _submission_context(request, event, team)
    )


def _editable_team(request, pk: int, team_pk: int) -> tuple[Event, Team]:
    event = permissions.get_event_for_user(request.user, pk)
    team = team_queries.get_team(event, team_pk)
    if not permissions.can_edit_submission(request.user, team):
        raise PermissionDenied
    return event, team


@login_required
def submission_edit(request, pk: int, team_pk: int):
    event, team = _editable_team(request, pk, team_pk)
    if request.method != "POST" and not team_services.submissions_open(event):
        return redirect("events:submission", pk=event.pk, team_pk=team.pk)
    submission = team_queries.submission_of(team)
    initial = (
        {
            "title": submission.title,
            "summary": submission.summary,
            "problem_solved": submission.problem_solved,
            "links": submission.links,
        }
        if submission
        else {}
    )
    form = SubmissionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            team_services.save_submission(request.user, team, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The submission was saved."))
            return redirect("events:submission", pk=event.pk, team_pk=team.pk)
    status = 422 if form.is_bound and form.errors else 200
    context = {
        "event": event,
        "team": team,
        "submission": submission,
        "form": form,
        "is_open": team_services.submissions_open(event),
    }
    return render(request, "events/teams/submission_form.html", context, status=status)


def _files_response(request, event: Event, team: Team, file_form=None, status: int = 200):
    context = _submission_context(request, event, team)
    if file_form is not None:
        context["file_form"] = file_form
    template = "events/teams/_files.html" if request.htmx else "events/teams/submission.html"
    return render(request, template, context, status=status)


@login_required
@require_POST
def submission_file_add(request, pk: int, team_pk: int):
    event, team = _editable_team(request, pk, team_pk)
    submission = Submission.objects.filter(team=team).select_related("team__event").first()
    if submission is None:
        # The page offers no upload before the submission exists; an old tab may still post.
        messages.error(request, _("Save the submission before adding files."))
        return redirect("events:submission", pk=event.pk, team_pk=team.pk)
    form = SubmissionFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            team_services.add_submission_file(
                request.user, submission, form.cleaned_data["file"], form.cleaned_data["kind"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.htmx:
                return _files_response(request, event, team)
            messages.success(request, _("The file was added."))
            return redirect("events:submission", pk=event.pk, team_pk=team.pk)
    return _files_response(request, event, team, form, status=422)


@login_required
@require_POST
def submission_file_remove(request, pk: int, team_pk: int, file_pk: int):
    event, team = _editable_team(request, pk, team_pk)
    record = get_object_or_404(
        SubmissionFile.objects.select_related("submission__team__event"),
        pk=file_pk,
        submission__team=team,
    )
    try:
        team_services.remove_submission_file(request.user, record)
    except ValidationError as error:
        refusal_message(request, error)
    else:
        messages.success(request, _("%(name)s was removed.") % {"name": record.original_name})
    if request.htmx:
        return _files_response(request, event, team)
    return redirect("events:submission", pk=event.pk, team_pk=team.pk)


@login_required
def submission_file(request, pk: int, team_pk: int, file_pk: int):
    """A submission's file for those who may see submissions. Images are shown in the page
    (inline); everything else is downloaded. Never sniffed, never run as a page."""
    event = _event_with_submissions(request, pk)
    record = SubmissionFile.objects.filter(
        pk=file_pk, submission__team_id=team_pk, submission__team__event=event
    ).first()
    if record is None:
        raise Http404
    try:
        handle = record.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=record.content_type not in team_services.IMAGE_TYPES,
        filename=record.original_name,
        content_type=record.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def submission_list(request, pk: int):
    event = _event_with_submissions(request, pk)
    can_organise = permissions.can_organise_event(request.user, event)
    submissions = list(team_queries.submissions_of(event))
    team_queries.show_challenges([s.team for s in submissions], request.user, event)
    registration = permissions.participant_registration(request.user, event)
    context = {
        "event": event,
        "submissions": submissions,
        "sees_names": _sees_names(request.user, event, can_organise),
        "own_team_id": next(
            (s.team_id for s in submissions if _is_member(s.team, registration)), None
        ),
        "team_count": event.teams.count(),
        "is_open": team_services.submissions_open(event),
    }
    return render(request, "events/teams/submissions.html", context)
