"""Every write of hackathon teams and their submissions. Pages and API call these.

Rules, in one place:

- Organisers (``can_organise_event``) create, rename and delete teams, choose each team's
  challenge (one of the event's) and its members (confirmed registrations of the event),
  and can make one team per group of the event's diverse groups.
- A confirmed participant (``participant_registration``) may create a team of their own
  (becoming its first member), join a team and leave their team — while the submission
  deadline has not passed (no deadline: always). They are in at most one team per event.
- A person is in at most one team of an event. Membership changes run under a row lock on
  the event, so two joins at the same moment cannot both put someone in two teams.
- A team that has submitted keeps at least one member and cannot be deleted; the groups
  cannot replace the teams once any of them has submitted.
- The submission (one per team) and its files are written by ``can_edit_submission``
  (organisers and the team's members) until ``event.submission_deadline``; after it,
  nobody changes them.
"""

import os
import uuid
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from samspil.core import permissions
from samspil.core.models import User
from samspil.core.uploads import safe_file_name
from samspil.needs.models import Challenge

from .models import (
    TEXT_MAX,
    TITLE_MAX,
    Event,
    Grouping,
    Registration,
    RegistrationStatus,
    Submission,
    SubmissionFile,
    Team,
)

TEAM_NAME_MAX = 200
LINKS_MAX = 10
FILES_PER_SUBMISSION = 20
MB = 1024 * 1024
SCREENSHOT_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
}
FILE_TYPES = {
    ".pdf": "application/pdf",
    ".zip": "application/zip",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
    ".md": "text/markdown",
    ".txt": "text/plain",
    ".mp4": "video/mp4",
}
ALLOWED_TYPES = {
    SubmissionFile.Kind.SCREENSHOT: SCREENSHOT_TYPES,
    SubmissionFile.Kind.FILE: FILE_TYPES,
}
MAX_BYTES = {SubmissionFile.Kind.SCREENSHOT: 10 * MB, SubmissionFile.Kind.FILE: 50 * MB}
IMAGE_TYPES = frozenset(SCREENSHOT_TYPES.values())


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# Deadline ---------------------------------------------------------------------------------------


def submissions_open(event: Event, now: datetime | None = None) -> bool:
    """Whether teams may still change: before the submission deadline, or without one."""
    deadline = event.submission_deadline
    return deadline is None or (now or timezone.now()) < deadline


def deadline_text(event: Event) -> dict[str, str]:
    """The deadline's date and time in the active language and time zone."""
    deadline = timezone.localtime(event.submission_deadline)
    return {
        "date": formats.date_format(deadline, "DATE_FORMAT"),
        "time": formats.time_format(deadline, "TIME_FORMAT"),
    }


def _check_open(event: Event, now: datetime | None) -> None:
    if not submissions_open(event, now):
        raise ValidationError(
            _(
                "The submission deadline passed on %(date)s at %(time)s: "
                "teams and submissions can no longer be changed."
            )
            % deadline_text(event),
            code="deadline",
        )


# Teams (organisers) -----------------------------------------------------------------------------


def _clean_name(event: Event, name: str, team: Team | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("This field is required.")})
    if len(name) > TEAM_NAME_MAX:
        raise ValidationError(
            {"name": _("Write at most %(count)d characters.") % {"count": TEAM_NAME_MAX}}
        )
    taken = event.teams.filter(name__iexact=name)
    if team is not None:
        taken = taken.exclude(pk=team.pk)
    if taken.exists():
        raise ValidationError(
            {"name": _("Another team of this event is called %(name)s.") % {"name": name}}
        )
    return name


def _check_challenge(event: Event, challenge: Challenge | None) -> Challenge | None:
    if challenge is not None and not event.challenges.filter(pk=challenge.pk).exists():
        raise ValidationError({"challenge": _("Choose one of the event's challenges.")})
    return challenge


def _check_members(
    event: Event, members: Iterable[Registration], team: Team | None = None
) -> list[Registration]:
    """Confirmed registrations of the event, each in no other team of it."""
    members = list(members)
    confirmed = set(
        event.registrations.filter(
            pk__in=[r.pk for r in members], status=RegistrationStatus.CONFIRMED
        ).values_list("pk", flat=True)
    )
    strangers = [r.name for r in members if r.pk not in confirmed]
    if strangers:
        raise ValidationError(
            {
                "members": _("%(names)s: not a confirmed participant of this event.")
                % {"names": ", ".join(strangers)}
            }
        )
    elsewhere = Team.members.through.objects.filter(
        registration_id__in=confirmed, team__event=event
    ).select_related("team", "registration")
    if team is not None:
        elsewhere = elsewhere.exclude(team=team)
    clashes = [
        _("%(name)s is already in team %(team)s.")
        % {"name": row.registration.name, "team": row.team.name}
        for row in elsewhere
    ]
    if clashes:
        raise ValidationError({"members": clashes})
    return members


def _lock(event: Event) -> Event:
    # Serialises membership changes of one event: "one team per person" stays true.
    return Event.objects.select_for_update().get(pk=event.pk)


def _save_team(actor: User, team: Team) -> None:
    team._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError:
        # Another request took the name a moment earlier.
        raise ValidationError(
            {"name": _("Another team of this event is called %(name)s.") % {"name": team.name}}
        ) from None


def _collect(errors: dict, check, *args):
    """``check(*args)``, its refusal added to ``errors`` so that all fields are told at once."""
    try:
        return check(*args)
    except ValidationError as error:
        errors.update(error.message_dict)
        return None


@transaction.atomic
def create_team(
    actor: User,
    event: Event,
    *,
    name: str,
    challenge: Challenge | None = None,
    members: Iterable[Registration] = (),
) -> Team:
    _require(permissions.can_organise_event(actor, event))
    _lock(event)
    errors: dict[str, list] = {}
    name = _collect(errors, _clean_name, event, name)
    _collect(errors, _check_challenge, event, challenge)
    members = _collect(errors, _check_members, event, members)
    if errors:
        raise ValidationError(errors)
    team = Team(event=event, name=name, challenge=challenge)
    _save_team(actor, team)
    team.members.set(members)
    return team


TEAM_FIELDS = {"name", "challenge", "members"}


@transaction.atomic
def update_team(actor: User, team: Team, **fields) -> Team:
    """Rename a team, set its challenge or its members (organisers); only the given fields."""
    unknown = set(fields) - TEAM_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    event = team.event
    _require(permissions.can_organise_event(actor, event))
    _lock(event)
    errors: dict[str, list] = {}
    if "name" in fields:
        fields["name"] = _collect(errors, _clean_name, event, fields["name"], team)
    if "challenge" in fields:
        _collect(errors, _check_challenge, event, fields["challenge"])
    if "members" in fields:
        fields["members"] = _collect(errors, _check_members, event, fields["members"], team)
        if not errors and not fields["members"] and _has_submission(team):
            errors["members"] = [_("A team that has submitted keeps at least one member.")]
    if errors:
        raise ValidationError(errors)
    for name in ("name", "challenge"):
        if name in fields:
            setattr(team, name, fields[name])
    _save_team(actor, team)
    if "members" in fields:
        team.members.set(fields["members"])
    return team


def _has_submission(team: Team) -> bool:
    return Submission.objects.filter(team=team).exists()


@transaction.atomic
def delete_team(actor: User, team: Team) -> None:
    _require(permissions.can_organise_event(actor, team.event))
    if _has_submission(team):
        raise ValidationError(_("The team has a submission, so it cannot be deleted."))
    team._history_user = actor  # type: ignore[attr-defined]
    team.delete()


@transaction.atomic
def teams_from_groups(actor: User, event: Event) -> list[Team]:
    """One team per group of the event's diverse groups ("Group 1" …), replacing the teams
    the event has; refused once any team has submitted. People who cancelled are left out,
    and a group with no one left makes no team. With one challenge, every team takes it."""
    _require(permissions.can_organise_event(actor, event))
    _lock(event)
    stored = Grouping.objects.filter(event=event).first()
    if stored is None or not stored.groups:
        raise ValidationError(_("Form the groups first: there are no groups to make teams of."))
    if Submission.objects.filter(team__event=event).exists():
        raise ValidationError(
            _("Some teams have submitted, so the groups can no longer replace the teams.")
        )
    confirmed = {
        r.pk: r
        for r in event.registrations.filter(
            pk__in=[pk for group in stored.groups for pk in group],
            status=RegistrationStatus.CONFIRMED,
        )
    }
    challenges = list(event.challenges.all()[:2])
    challenge = challenges[0] if len(challenges) == 1 else None
    for old in event.teams.all():
        old._history_user = actor  # type: ignore[attr-defined]
        old.delete()
    teams = []
    for number, group in enumerate(stored.groups, start=1):
        members = [confirmed[pk] for pk in group if pk in confirmed]
        if not members:
            continue
        team = Team(
            event=event, name=_("Group %(number)d") % {"number": number}, challenge=challenge
        )
        _save_team(actor, team)
        team.members.set(members)
        teams.append(team)
    return teams


# Teams (participants) ---------------------------------------------------------------------------


def _own_registration(actor: User, event: Event) -> Registration:
    registration = permissions.participant_registration(actor, event)
    _require(registration is not None)
    return registration


def _team_of(event: Event, registration: Registration) -> Team | None:
    return event.teams.filter(members=registration).first()


@transaction.atomic
def create_own_team(
    actor: User,
    event: Event,
    *,
    name: str,
    challenge: Challenge | None = None,
    now: datetime | None = None,
) -> Team:
    """A participant starts a team and is its first member."""
    registration = _own_registration(actor, event)
    _check_open(event, now)
    _lock(event)
    current = _team_of(event, registration)
    if current is not None:
        raise ValidationError(
            _("You are already in team %(team)s; leave it first.") % {"team": current}
        )
    team = Team(event=event, name=_clean_name(event, name))
    team.challenge = _check_challenge(event, challenge)
    _save_team(actor, team)
    team.members.add(registration)
    return team


@transaction.atomic
def join_team(actor: User, team: Team, now: datetime | None = None) -> Team:
    event = team.event
    registration = _own_registration(actor, event)
    _check_open(event, now)
    _lock(event)
    current = _team_of(event, registration)
    if current is not None and current.pk != team.pk:
        raise ValidationError(
            _("You are already in team %(team)s; leave it first.") % {"team": current}
        )
    team._history_user = actor  # type: ignore[attr-defined]
    team.members.add(registration)
    return team


@transaction.atomic
def leave_team(actor: User, team: Team, now: datetime | None = None) -> Team:
    event = team.event
    registration = _own_registration(actor, event)
    _check_open(event, now)
    _lock(event)
    _require(team.members.filter(pk=registration.pk).exists())
    if team.members.count() == 1 and _has_submission(team):
        raise ValidationError(
            _("You are the last member of a team that has submitted, so you cannot leave it.")
        )
    team._history_user = actor  # type: ignore[attr-defined]
    team.members.remove(registration)
    return team


# Submissions ------------------------------------------------------------------------------------


def _clean_links(links: str | Iterable[str]) -> list[str]:
    lines = links.splitlines() if isinstance(links, str) else list(links)
    cleaned = [str(line).strip() for line in lines if str(line).strip()]
    if len(cleaned) > LINKS_MAX:
        raise ValidationError({"links": _("Give at most %(count)d links.") % {"count": LINKS_MAX}})
    check = URLValidator(schemes=["http", "https"])
    bad = []
    for link in cleaned:
        try:
            check(link)
        except ValidationError:
            bad.append(link)
    if bad:
        raise ValidationError(
            {
                "links": _("Not a web address starting with http:// or https://: %(links)s")
                % {"links": ", ".join(bad)}
            }
        )
    return cleaned


def _clean_submission(title, summary, problem_solved, links) -> dict:
    errors: dict[str, list] = {}
    values = {
        "title": (title or "").strip(),
        "summary": (summary or "").strip(),
        "problem_solved": (problem_solved or "").strip(),
    }
    for name, maximum, required in (
        ("title", TITLE_MAX, True),
        ("summary", TEXT_MAX, True),
        ("problem_solved", TEXT_MAX, False),
    ):
        if required and not values[name]:
            errors[name] = [_("This field is required.")]
        elif len(values[name]) > maximum:
            errors[name] = [_("Write at most %(count)d characters.") % {"count": maximum}]
    try:
        values["links"] = "\n".join(_clean_links(links or ""))
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def save_submission(
    actor: User,
    team: Team,
    *,
    title: str,
    summary: str,
    problem_solved: str = "",
    links: str | Iterable[str] = "",
    now: datetime | None = None,
) -> Submission:
    """Create the team's submission, or update it; until the event's submission deadline."""
    _require(permissions.can_edit_submission(actor, team))
    _check_open(team.event, now)
    values = _clean_submission(title, summary, problem_solved, links)
    # The team's row lock makes "one submission per team" hold for two first saves at once.
    Team.objects.select_for_update().filter(pk=team.pk).first()
    submission = Submission.objects.filter(team=team).first()
    if submission is None:
        submission = Submission(team=team, submitted_by=actor)
    for name, value in values.items():
        setattr(submission, name, value)
    submission._history_user = actor  # type: ignore[attr-defined]
    submission.save()
    return submission


IMAGE_SIGNATURES = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
}


def _looks_like(upload: UploadedFile, content_type: str) -> bool:
    """Whether an image's first bytes match its type (a page renamed .png is refused)."""
    upload.seek(0)
    head = upload.read(12)
    upload.seek(0)
    if content_type == "image/webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    return head.startswith(IMAGE_SIGNATURES.get(content_type, (b"",)))


def add_submission_file(
    actor: User,
    submission: Submission,
    upload: UploadedFile,
    kind: str,
    now: datetime | None = None,
) -> SubmissionFile:
    """Store a file or screenshot under a generated name after checking kind, type and size."""
    team = submission.team
    _require(permissions.can_edit_submission(actor, team))
    _check_open(team.event, now)
    if kind not in SubmissionFile.Kind.values:
        raise ValidationError({"kind": _("Choose whether it is a file or a screenshot.")})
    allowed = ALLOWED_TYPES[SubmissionFile.Kind(kind)]
    original = safe_file_name(upload.name or "")
    extension = os.path.splitext(original)[1].lower()
    if extension not in allowed:
        raise ValidationError(
            {
                "file": _("%(name)s: files of this type are not accepted (%(types)s).")
                % {"name": original, "types": ", ".join(sorted(allowed))}
            }
        )
    limit = MAX_BYTES[SubmissionFile.Kind(kind)]
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            {
                "file": _("%(name)s is larger than %(size)d MB.")
                % {"name": original, "size": limit // MB}
            }
        )
    content_type = allowed[extension]
    if content_type in IMAGE_TYPES and not _looks_like(upload, content_type):
        raise ValidationError(
            {"file": _("%(name)s is not the image its name says.") % {"name": original}}
        )
    with transaction.atomic():
        Submission.objects.select_for_update().filter(pk=submission.pk).first()
        if submission.files.count() >= FILES_PER_SUBMISSION:
            raise ValidationError(
                {
                    "file": _("A submission has at most %(count)d files.")
                    % {"count": FILES_PER_SUBMISSION}
                }
            )
        record = SubmissionFile(
            submission=submission,
            kind=kind,
            stored_name=f"{uuid.uuid4().hex}{extension}",
            original_name=original,
            content_type=content_type,
            size=upload.size,
            uploaded_by=actor,
        )
        record.file.save(record.stored_name, upload, save=False)
        try:
            record.save()
        except Exception:
            record.file.delete(save=False)  # a failed insert leaves no file behind
            raise
    return record


def remove_submission_file(
    actor: User, record: SubmissionFile, now: datetime | None = None
) -> None:
    team = record.submission.team
    _require(permissions.can_edit_submission(actor, team))
    _check_open(team.event, now)
    storage, name = record.file.storage, record.file.name
    with transaction.atomic():
        record.delete()
        # The stored file goes only once the row is surely gone.
        transaction.on_commit(lambda: storage.delete(name))
