"""Every write of events and registrations. Pages, API and the demo loader call these.

Registration is open to anonymous visitors, so ``register`` checks what the visitor may do
(see the event, or hold the invitation link) rather than a role. The capacity check runs
under a row lock on the event (``select_for_update``), so two registrations arriving at the
same moment cannot both take the last seat.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samspil.core import permissions
from samspil.core.models import Membership, Organisation, User, Visibility
from samspil.core.tasks import queue_templated_email

from . import calendar
from .models import (
    TEXT_MAX,
    TITLE_MAX,
    Background,
    Event,
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
    for name in ("starts_at", "ends_at", "registration_deadline"):
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
    event = registration.event
    template = (
        "events/email/registered"
        if registration.status == RegistrationStatus.CONFIRMED
        else "events/email/waiting"
    )
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
        queue_templated_email(
            registration.email,
            "events/email/promoted",
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
