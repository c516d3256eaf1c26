"""Every write of events and registrations. Pages, API and the demo loader call these.

Registration is open to anonymous visitors, so ``register`` checks what the visitor may do
(see the event, or hold the invitation link) rather than a role. The capacity check runs
under a row lock on the event (``select_for_update``), so two registrations arriving at the
same moment cannot both take the last seat.
"""

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspil.core import permissions
from samspil.core.models import Membership, Organisation, User, Visibility
from samspil.core.tasks import queue_templated_email
from samspil.optimisation import grouping

from . import calendar
from .models import (
    TEXT_MAX,
    TITLE_MAX,
    Background,
    Event,
    Grouping,
    Registration,
    RegistrationStatus,
    hash_secret,
)

EVENT_FIELDS = {
    "title",
    "kind",
    "place",
    "starts_at",
    "ends_at",
    "capacity",
    "registration_deadline",
    "registration_mode",
    "terms",
    "agenda",
    "visibility",
    "submission_deadline",
    "winner_count",
    "hourly_rate",
}
CAPACITY_MAX = 100_000


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _clean_event_fields(fields: dict) -> dict:
    unknown = set(fields) - EVENT_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    errors: dict[str, str] = {}
    if "title" in fields:
        title = (fields["title"] or "").strip()
        if not title:
            errors["title"] = _("This field is required.")
        elif len(title) > TITLE_MAX:
            errors["title"] = _("Write at most %(count)d characters.") % {"count": TITLE_MAX}
        fields["title"] = title
    for name in ("terms", "agenda"):
        if name in fields and len(fields[name] or "") > TEXT_MAX:
            errors[name] = _("Write at most %(count)d characters.") % {"count": TEXT_MAX}
    for name in ("starts_at", "ends_at", "registration_deadline", "submission_deadline"):
        value = fields.get(name)
        if isinstance(value, datetime) and timezone.is_naive(value):
            errors[name] = _("Give the time with its time zone.")
    capacity = fields.get("capacity")
    if capacity is not None and not (1 <= capacity <= CAPACITY_MAX):
        errors["capacity"] = _("Enter a capacity between 1 and %(maximum)d.") % {
            "maximum": CAPACITY_MAX
        }
    if errors:
        raise ValidationError(errors)
    return fields


def _check_times(event: Event) -> None:
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        raise ValidationError({"ends_at": _("The event must end after it starts.")})
    if event.registration_deadline and event.registration_deadline > event.ends_at:
        raise ValidationError(
            {"registration_deadline": _("The registration deadline must be before the event ends.")}
        )
    if event.submission_deadline and event.submission_deadline <= event.starts_at:
        raise ValidationError(
            {"submission_deadline": _("The submission deadline must be after the event starts.")}
        )


def _check_challenges(actor: User, challenges) -> list:
    challenges = list(challenges)
    visible = set(
        permissions.challenges_visible_to(actor)
        .filter(pk__in=[c.pk for c in challenges])
        .values_list("pk", flat=True)
    )
    if any(c.pk not in visible for c in challenges):
        raise ValidationError({"challenges": _("Choose challenges you may see.")})
    return challenges


def organiser_candidates(owner: Organisation):
    """Who may organise: people of the owner organisation, its parts and those above it."""
    organisations = permissions._with_descendants({owner.pk})
    parent_id = owner.parent_id
    while parent_id is not None and parent_id not in organisations:
        organisations.add(parent_id)
        parent_id = (
            Organisation.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
        )
    return User.objects.filter(
        pk__in=Membership.objects.filter(organisation_id__in=organisations).values("user_id")
    )


def _check_organisers(owner: Organisation, organisers) -> list[User]:
    organisers = list(organisers)
    allowed = set(
        organiser_candidates(owner)
        .filter(pk__in=[u.pk for u in organisers])
        .values_list("pk", flat=True)
    )
    if any(u.pk not in allowed for u in organisers):
        message = _("Organisers must be people of %(organisation)s.") % {"organisation": owner}
        raise ValidationError({"organisers": message})
    return organisers


@transaction.atomic
def create_event(
    actor: User, owner: Organisation, *, challenges=(), organisers=None, **fields
) -> Event:
    """An innovation lead of ``owner`` creates an event; they organise it unless others named."""
    _require(permissions.can_create_event(actor, owner))
    fields = _clean_event_fields(fields)
    fields.setdefault("visibility", Visibility.INTERNAL)
    challenges = _check_challenges(actor, challenges)
    organisers = _check_organisers(owner, organisers if organisers else [actor])
    event = Event(owner=owner, created_by=actor, **fields)
    _check_times(event)
    event._history_user = actor  # type: ignore[attr-defined]
    event.full_clean()
    event.save()
    event.challenges.set(challenges)
    event.organisers.set(organisers)
    return event


@transaction.atomic
def update_event(actor: User, event: Event, *, challenges=None, organisers=None, **fields) -> Event:
    _require(permissions.can_organise_event(actor, event))
    fields = _clean_event_fields(fields)
    for name, value in fields.items():
        setattr(event, name, value)
    _check_times(event)
    if challenges is not None:
        challenges = _check_challenges(actor, challenges)
    if organisers is not None:
        organisers = _check_organisers(event.owner, organisers)
        if not organisers:
            raise ValidationError({"organisers": _("An event needs at least one organiser.")})
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    event._history_user = actor  # type: ignore[attr-defined]
    event.full_clean()
    event.save()
    if challenges is not None:
        event.challenges.set(challenges)
    if organisers is not None:
        event.organisers.set(organisers)
    if "capacity" in fields and event.capacity > confirmed:
        _promote_waiting(event, event.capacity - confirmed)
    return event


# Registration -----------------------------------------------------------------------------------


def can_register(user, event: Event, invitation_token: str = "") -> bool:
    """Open events the visitor may see; invite-only events with the invitation link."""
    user = user or AnonymousUser()
    if event.is_invite_only:
        return bool(invitation_token) and secrets.compare_digest(
            invitation_token, event.invitation_token
        )
    return permissions.events_visible_to(user).filter(pk=event.pk).exists()


def registration_closed(event: Event, now: datetime | None = None) -> bool:
    return (now or timezone.now()) >= event.closes_at


@dataclass
class RegistrationResult:
    registration: Registration
    cancel_token: str

    @property
    def waiting(self) -> bool:
        return self.registration.status == RegistrationStatus.WAITING


def normalise_skills(skills) -> str:
    """Comma-separated skills, stripped, without repeats, in the order given."""
    if isinstance(skills, str):
        skills = skills.split(",")
    seen: dict[str, None] = {}
    for skill in skills:
        cleaned = " ".join(str(skill).split())[:80]
        if cleaned and cleaned.lower() not in {s.lower() for s in seen}:
            seen[cleaned] = None
    return ", ".join(seen)[:500]


def register(
    user,
    event: Event,
    *,
    name: str,
    email: str,
    background: str,
    accepted_terms: bool,
    organisation: str = "",
    skills="",
    invitation_token: str = "",
    language: str | None = None,
    now: datetime | None = None,
) -> RegistrationResult:
    """Register a person; over capacity they go on the waiting list (and are told so)."""
    _require(can_register(user, event, invitation_token))
    email = (email or "").strip().lower()
    name = " ".join((name or "").split())
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("This field is required.")
    elif len(name) > 200:
        errors["name"] = _("Write at most %(count)d characters.") % {"count": 200}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Enter a valid e-mail address.")
    if background not in Background.values:
        errors["background"] = _("Choose a background.")
    if event.terms and not accepted_terms:
        errors["accepted_terms"] = _("You must accept the event's terms to register.")
    if len(organisation or "") > 200:
        errors["organisation"] = _("Write at most %(count)d characters.") % {"count": 200}
    if errors:
        raise ValidationError(errors)
    language = (language or translation.get_language() or "da")[:2]
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            # The lock serialises registrations for one event: the count below stays true.
            locked = Event.objects.select_for_update().get(pk=event.pk)
            if registration_closed(locked, now):
                raise ValidationError(_("Registration for this event has closed."))
            live = locked.registrations.exclude(status=RegistrationStatus.CANCELLED)
            if live.filter(email=email).exists():
                raise ValidationError(
                    {"email": _("This e-mail address is already registered for the event.")}
                )
            confirmed = live.filter(status=RegistrationStatus.CONFIRMED).count()
            status = (
                RegistrationStatus.CONFIRMED
                if confirmed < locked.capacity
                else RegistrationStatus.WAITING
            )
            registration = Registration(
                event=locked,
                name=name,
                email=email,
                organisation=(organisation or "").strip(),
                background=background,
                skills=normalise_skills(skills),
                language=language,
                status=status,
                accepted_terms_at=timezone.now() if accepted_terms else None,
                cancel_token_digest=hash_secret(token),
                user=user if getattr(user, "is_authenticated", False) else None,
            )
            registration.save()
            _send_confirmation(registration, token)
    except IntegrityError:
        # Another request registered the same address a moment earlier.
        raise ValidationError(
            {"email": _("This e-mail address is already registered for the event.")}
        ) from None
    return RegistrationResult(registration, token)


def cancel_url(token: str) -> str:
    return reverse("events:cancel", args=[token])


def _send_confirmation(registration: Registration, token: str) -> None:
    template = (
        "events/email/registered"
        if registration.status == RegistrationStatus.CONFIRMED
        else "events/email/waiting"
    )
    _send_registration_email(registration, template, token)


def _send_registration_email(registration: Registration, template: str, token: str) -> None:
    """An e-mail about a registration, with the calendar file and the link to cancel."""
    event = registration.event
    queue_templated_email(
        registration.email,
        template,
        {
            "name": registration.name,
            "title": event.title,
            "starts_at": event.starts_at,
            "place": event.place,
            "path": event.get_absolute_url(),
            "cancel_path": cancel_url(token),
        },
        registration.language,
        attachments=[("event.ics", calendar.event_ics(event).decode(), calendar.MIME_TYPE)],
    )


def registration_for_token(token: str) -> Registration | None:
    if not token:
        return None
    return (
        Registration.objects.select_related("event")
        .filter(cancel_token_digest=hash_secret(token))
        .first()
    )


@transaction.atomic
def cancel_registration(token: str) -> Registration:
    """Cancel through the e-mail's secret link; the first on the waiting list moves up."""
    found = registration_for_token(token)
    if found is None:
        raise ValidationError(_("This cancellation link is not valid."))
    event = Event.objects.select_for_update().get(pk=found.event_id)
    registration = Registration.objects.get(pk=found.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        return registration
    was_confirmed = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save()
    if was_confirmed:
        _promote_waiting(event, 1)
    return registration


def _promote_waiting(event: Event, seats: int) -> list[Registration]:
    """Move the first ``seats`` people on the waiting list up, and tell them by e-mail."""
    waiting = list(
        event.registrations.filter(status=RegistrationStatus.WAITING).order_by("created_at", "pk")[
            :seats
        ]
    )
    for registration in waiting:
        # A fresh cancellation secret: the first one went out with the waiting-list e-mail.
        token = secrets.token_urlsafe(32)
        registration.status = RegistrationStatus.CONFIRMED
        registration.promoted_at = timezone.now()
        registration.cancel_token_digest = hash_secret(token)
        registration.save()
        _send_registration_email(registration, "events/email/promoted", token)
    return waiting


@transaction.atomic
def set_attendance(actor: User, registration: Registration, attended: bool) -> Registration:
    _require(permissions.can_organise_event(actor, registration.event))
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("Only confirmed participants can be marked as attending."))
    registration.attended = attended
    registration._history_user = actor  # type: ignore[attr-defined]
    registration.save(update_fields=["attended"])
    return registration


# Diverse groups -------------------------------------------------------------------------------

GROUPING_SECONDS = 2.0
GROUPING_SEED = 0
GROUP_COUNT_MAX = 500
WEIGHT_MAX = 10.0
RULES_MAX = 200


@dataclass
class GroupingSettings:
    """What organisers ask for; people are registration ids, groups are numbered from 1."""

    group_count: int | None = None
    group_size: int | None = None
    min_size: int | None = None
    max_size: int | None = None
    weights: grouping.AttributeWeights = field(default_factory=grouping.AttributeWeights)
    together: list[tuple[int, int]] = field(default_factory=list)
    apart: list[tuple[int, int]] = field(default_factory=list)
    pinned: dict[int, int] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "group_count": self.group_count,
            "group_size": self.group_size,
            "min_size": self.min_size,
            "max_size": self.max_size,
            "weights": {
                "background": self.weights.background,
                "organisation": self.weights.organisation,
                "skills": self.weights.skills,
            },
            "together": [list(p) for p in self.together],
            "apart": [list(p) for p in self.apart],
            "pinned": {str(k): v for k, v in self.pinned.items()},
        }

    @classmethod
    def from_json(cls, data: dict) -> "GroupingSettings":
        weights = data.get("weights") or {}
        return cls(
            group_count=data.get("group_count"),
            group_size=data.get("group_size"),
            min_size=data.get("min_size"),
            max_size=data.get("max_size"),
            weights=grouping.AttributeWeights(
                background=float(weights.get("background", 1.0)),
                organisation=float(weights.get("organisation", 1.0)),
                skills=float(weights.get("skills", 1.0)),
            ),
            together=[(int(a), int(b)) for a, b in data.get("together", [])],
            apart=[(int(a), int(b)) for a, b in data.get("apart", [])],
            pinned={int(k): int(v) for k, v in (data.get("pinned") or {}).items()},
        )


class GroupingInfeasible(ValidationError):
    """The rules cannot all be kept. ``reasons``: code, translated message, params (people
    as registration ids, groups numbered from 1), one per Infeasibility of the solver."""

    def __init__(self, reasons: list[dict]) -> None:
        self.reasons = reasons
        super().__init__([r["message"] for r in reasons])


def grouping_participants(event: Event) -> list[Registration]:
    """Who is grouped: those marked as attending, or every confirmed one before attendance."""
    confirmed = list(
        event.registrations.filter(status=RegistrationStatus.CONFIRMED).order_by("name", "pk")
    )
    attending = [r for r in confirmed if r.attended]
    return attending or confirmed


def _skill_label(skill: str) -> str:
    from .forms import SKILL_CHOICES

    return str(dict(SKILL_CHOICES).get(skill, skill))


def _participants(registrations: list[Registration]) -> tuple[list, list]:
    """The solver's view (normalised values) and the display view (labels) of the people."""
    solver, shown = [], []
    for r in registrations:
        organisation = r.organisation.strip()
        skills = r.skill_list
        solver.append(
            grouping.Participant(
                id=r.pk,
                background=r.background,
                # Unknown organisations are taken as different from everyone's.
                organisation=organisation.casefold() or f"\x00{r.pk}",
                skills=frozenset(s.casefold() for s in skills),
            )
        )
        shown.append(
            grouping.Participant(
                id=r.pk,
                background=str(r.get_background_display()),
                organisation=organisation or "–",
                skills=frozenset(_skill_label(s) for s in skills),
            )
        )
    return solver, shown


def _sizes(settings: GroupingSettings, people: int) -> tuple[list[int], list[int]]:
    errors: dict[str, str] = {}
    if (settings.group_count is None) == (settings.group_size is None):
        errors["group_count"] = _("Give either the number of groups or the group size.")
    for name in ("group_count", "group_size", "min_size", "max_size"):
        value = getattr(settings, name)
        if value is not None and not (0 <= value <= GROUP_COUNT_MAX):
            errors[name] = _("Enter a number between 0 and %(maximum)d.") % {
                "maximum": GROUP_COUNT_MAX
            }
    if settings.group_count is not None and settings.group_count < 1:
        errors["group_count"] = _("Form at least one group.")
    elif settings.group_count is not None and settings.group_count > people:
        errors["group_count"] = _(
            "Form at most as many groups as there are participants (%(count)d)."
        ) % {"count": people}
    if settings.group_size is not None and settings.group_size < 1:
        errors["group_size"] = _("A group holds at least one person.")
    if errors:
        raise ValidationError(errors)
    if settings.group_count is not None:
        count = settings.group_count
    else:
        count = max(1, -(-people // (settings.group_size or 1)))
    low, high = grouping.balanced_sizes(people, count)
    if settings.min_size is not None:
        low = [settings.min_size] * count
        if settings.max_size is None:
            high = [max(h, settings.min_size) for h in high]
    if settings.max_size is not None:
        high = [settings.max_size] * count
        if settings.min_size is None:
            low = [min(lo, settings.max_size) for lo in low]
    return low, high


def _check_rules(settings: GroupingSettings, known: set[int]) -> None:
    errors: dict[str, str] = {}
    for name in ("together", "apart"):
        pairs = getattr(settings, name)
        if len(pairs) > RULES_MAX or any(a not in known or b not in known for a, b in pairs):
            errors[name] = _("Choose two people among the participants to be grouped.")
    if len(settings.pinned) > RULES_MAX or any(p not in known for p in settings.pinned):
        errors["pinned"] = _("Pin only people among the participants to be grouped.")
    weights = settings.weights
    values = (weights.background, weights.organisation, weights.skills)
    if any(not (0 <= w <= WEIGHT_MAX) for w in values):
        errors["weights"] = _("Give weights between 0 and %(maximum)d.") % {
            "maximum": int(WEIGHT_MAX)
        }
    if errors:
        raise ValidationError(errors)


REASONS = {
    "no_groups": gettext_lazy("There are no groups to fill."),
    "bad_bounds": gettext_lazy(
        "Group %(group)s has a minimum size %(min)s above its maximum size %(max)s."
    ),
    "too_few_places": gettext_lazy(
        "The groups hold at most %(total_max)s people, but there are %(people)s."
    ),
    "too_many_places": gettext_lazy(
        "The groups need at least %(total_min)s people, but there are only %(people)s."
    ),
    "unknown_person": gettext_lazy(
        "Person %(person)s is not among the participants to be grouped."
    ),
    "unknown_group": gettext_lazy("%(person)s is pinned to group %(group)s, which does not exist."),
    "apart_from_self": gettext_lazy("%(person)s cannot be kept apart from themselves."),
    "together_and_apart": gettext_lazy(
        "%(a)s and %(b)s must be kept apart, but must-together rules join them (through %(chain)s)."
    ),
    "pinned_apart": gettext_lazy(
        "%(a)s and %(b)s must be kept apart, but both are pinned to group %(group)s."
    ),
    "pinned_split": gettext_lazy(
        "%(a)s and %(b)s must be together (through %(chain)s), but are pinned to groups "
        "%(group_a)s and %(group_b)s."
    ),
    "unit_too_large": gettext_lazy(
        "%(people)s must be together (%(size)s people), but no group takes more than %(largest)s."
    ),
    "pinned_unit_too_large": gettext_lazy(
        "%(people)s must be together in group %(group)s (%(size)s people), which takes at "
        "most %(max)s."
    ),
    "pinned_overfull": gettext_lazy(
        "Group %(group)s has %(pinned)s pinned people but takes at most %(max)s."
    ),
    "no_assignment": gettext_lazy(
        "No split keeps the sizes and the together, apart and pinned rules at the same time."
    ),
}
PERSON_PARAMS = {"person", "a", "b"}
GROUP_PARAMS = {"group", "group_a", "group_b"}


def explain(reason: grouping.Infeasibility, registrations: list[Registration]) -> dict:
    """One translated message for one solver code: people by name, groups numbered from 1."""

    def name(index) -> str:
        if isinstance(index, int) and 0 <= index < len(registrations):
            return registrations[index].name
        return str(index)

    def pk(index):
        if isinstance(index, int) and 0 <= index < len(registrations):
            return registrations[index].pk
        return index

    shown: dict = {}
    params: dict = {}
    for key, value in reason.params.items():
        if key in PERSON_PARAMS:
            shown[key], params[key] = name(value), pk(value)
        elif key in GROUP_PARAMS:
            shown[key], params[key] = value + 1, value + 1
        elif key == "people" and isinstance(value, list):
            shown[key] = ", ".join(name(i) for i in value)
            params[key] = [pk(i) for i in value]
        elif key == "chain":
            path = [int(x) for x in str(value).split(" – ") if x.strip().isdigit()]
            shown[key] = " – ".join(name(i) for i in path)
            params[key] = [pk(i) for i in path]
        else:
            shown[key] = params[key] = value
    template = REASONS.get(reason.code)
    try:
        message = str(template) % shown if template else reason.message
    except (KeyError, TypeError, ValueError):
        message = reason.message
    return {"code": reason.code, "message": message, "params": params}


@dataclass
class GroupView:
    number: int
    members: list[Registration]
    mix: grouping.GroupMix


@dataclass
class GroupingView:
    """A stored grouping ready to show: groups with members and mixes, and the score."""

    grouping: Grouping
    groups: list[GroupView]
    score: float
    objective: float
    unplaced: list[Registration]

    @property
    def members(self) -> list[tuple[int, Registration]]:
        return [(g.number, r) for g in self.groups for r in g.members]


def grouping_view(
    stored: Grouping, *, members: list[Registration] | None = None, eligible=()
) -> GroupingView:
    """The stored groups with today's registrations (people who cancelled are left out);
    ``eligible`` people who are in no group are listed as unplaced."""
    if members is None:
        ids = [pk for group in stored.groups for pk in group]
        members = list(
            Registration.objects.filter(
                pk__in=ids, event_id=stored.event_id, status=RegistrationStatus.CONFIRMED
            )
        )
    by_pk = {r.pk: r for r in members}
    people = [by_pk[pk] for group in stored.groups for pk in group if pk in by_pk]
    index = {r.pk: i for i, r in enumerate(people)}
    groups = [[index[pk] for pk in group if pk in by_pk] for group in stored.groups]
    settings = GroupingSettings.from_json(stored.settings)
    solver, shown = _participants(people)
    distances = grouping.distance_matrix(solver, settings.weights)
    mixes = grouping.group_mix(shown, groups, distances)
    views = [
        GroupView(number=k + 1, members=[people[i] for i in group], mix=mixes[k])
        for k, group in enumerate(groups)
    ]
    return GroupingView(
        grouping=stored,
        groups=views,
        score=grouping.diversity_score(distances, groups, stored.random_objective),
        objective=grouping.objective(distances, groups),
        unplaced=[r for r in eligible if r.pk not in index],
    )


def form_groups(
    actor: User,
    event: Event,
    settings: GroupingSettings,
    *,
    seconds: float = GROUPING_SECONDS,
    seed: int = GROUPING_SEED,
) -> GroupingView:
    """Split the participants into maximally diverse groups and store them (replacing the
    event's earlier groups). Impossible rules raise ``GroupingInfeasible``; nothing is saved."""
    _require(permissions.can_organise_event(actor, event))
    registrations = grouping_participants(event)
    if not registrations:
        raise ValidationError(_("There is no one to group: no participant is confirmed yet."))
    low, high = _sizes(settings, len(registrations))
    index = {r.pk: i for i, r in enumerate(registrations)}
    _check_rules(settings, set(index))
    solver, _shown = _participants(registrations)
    problem = grouping.GroupingProblem(
        distances=grouping.distance_matrix(solver, settings.weights),
        min_sizes=low,
        max_sizes=high,
        together=[(index[a], index[b]) for a, b in settings.together],
        apart=[(index[a], index[b]) for a, b in settings.apart],
        pinned={index[p]: g - 1 for p, g in settings.pinned.items()},
    )
    try:
        result = grouping.solve(problem, seconds=seconds, seed=seed)
    except grouping.InfeasibleGrouping as error:
        raise GroupingInfeasible([explain(r, registrations) for r in error.reasons]) from None
    groups = [[registrations[i].pk for i in members] for members in result.groups]
    with transaction.atomic():
        stored, _created = Grouping.objects.select_for_update().get_or_create(event=event)
        stored.settings = settings.as_json()
        stored.groups = groups
        stored.random_objective = result.random_objective
        stored.formed_by = actor
        stored._history_user = actor  # type: ignore[attr-defined]
        stored.save()
    return grouping_view(stored, members=registrations, eligible=registrations)


def move_to_group(actor: User, stored: Grouping, registration_id: int, number: int) -> Grouping:
    """Move one person to group ``number`` (from 1); organisers may break the size rules."""
    _require(permissions.can_organise_event(actor, stored.event))
    if not 1 <= number <= len(stored.groups):
        raise ValidationError({"group": _("Choose one of the groups.")})
    with transaction.atomic():
        stored = Grouping.objects.select_for_update().get(pk=stored.pk)
        placed = any(registration_id in members for members in stored.groups)
        if (
            not placed
            and not stored.event.registrations.filter(
                pk=registration_id, status=RegistrationStatus.CONFIRMED
            ).exists()
        ):
            raise ValidationError({"registration": _("Choose a confirmed participant.")})
        stored.groups = [
            [pk for pk in members if pk != registration_id] for members in stored.groups
        ]
        stored.groups[number - 1].append(registration_id)
        stored._history_user = actor  # type: ignore[attr-defined]
        stored.save(update_fields=["groups", "updated_at"])
    return stored
