"""Reads of teams and submissions for pages, the event panel and the API; constant queries.

Who may read is decided by the caller with ``permissions.can_see_submissions``; these
functions give one event's rows with what the pages show prefetched.
"""

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from samspil.core import permissions

from .models import Event, Registration, Submission, SubmissionFile, Team


def _members() -> Prefetch:
    return Prefetch("members", queryset=Registration.objects.order_by("name", "pk"))


def teams_of(event: Event) -> QuerySet[Team]:
    """The event's teams with challenge, submission and members (two queries)."""
    return (
        event.teams.select_related("challenge", "submission")
        .prefetch_related(_members())
        .order_by("name", "pk")
    )


def submissions_of(event: Event) -> QuerySet[Submission]:
    """The event's submissions by team name, with team, challenge, members and files."""
    return (
        Submission.objects.filter(team__event=event)
        .select_related("team", "team__challenge")
        .prefetch_related(
            Prefetch("team__members", queryset=Registration.objects.order_by("name", "pk")),
            Prefetch("files", queryset=SubmissionFile.objects.order_by("created_at", "pk")),
        )
        .order_by("team__name", "team_id")
    )


def get_team(event: Event, pk) -> Team:
    """One team of the event (404 otherwise), with its challenge and members."""
    return get_object_or_404(
        event.teams.select_related("event", "event__owner", "challenge").prefetch_related(
            _members()
        ),
        pk=pk,
    )


def get_submission_for_user(user, pk) -> Submission:
    """A submission whose event the user sees and whose submissions they may see (404
    otherwise), with its team, event and challenge."""
    try:
        submission = Submission.objects.select_related("team__challenge").get(pk=pk)
    except (Submission.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    event = permissions.get_event_for_user(user, submission.team.event_id)
    if not permissions.can_see_submissions(user, event):
        raise Http404
    submission.team.event = event
    return submission


def submission_of(team: Team) -> Submission | None:
    return (
        Submission.objects.filter(team=team)
        .select_related("submitted_by")
        .prefetch_related(
            Prefetch("files", queryset=SubmissionFile.objects.order_by("created_at", "pk"))
        )
        .first()
    )


def team_of(event: Event, registration: Registration | None) -> Team | None:
    """The team a registration is in (one per event), or None."""
    if registration is None:
        return None
    return event.teams.filter(members=registration).select_related("submission").first()


def visible_challenge_ids(user, event: Event) -> set[int]:
    """The event's challenges the user may see: teams show only those by title."""
    return set(
        permissions.challenges_visible_to(user)
        .filter(pk__in=event.challenges.values("pk"))
        .values_list("pk", flat=True)
    )


def show_challenges(teams: list[Team], user, event: Event) -> list[Team]:
    """Sets ``shown_challenge`` on each team: its challenge when the user may see it."""
    visible = visible_challenge_ids(user, event)
    for team in teams:
        team.shown_challenge = team.challenge if team.challenge_id in visible else None  # type: ignore[attr-defined]
    return teams
