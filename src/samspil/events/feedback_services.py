"""The satisfaction survey and the cost of events: writes, and the reads behind the figures.

A participant answers through a signed link (``survey_link``): the link carries the
registration's id signed with the site's secret and a salt of its own, so it cannot be
guessed or turned into another registration's link, and it expires after
``SURVEY_LINK_MAX_AGE``. Signed-in participants reach the same form from the event page.
The figures themselves are computed by the pure ``feedback`` module.
"""

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samspil.core import permissions
from samspil.core.models import User
from samspil.core.tasks import queue_templated_email

from . import feedback
from .models import (
    TEXT_MAX,
    Event,
    EventConcept,
    ExternalCost,
    Registration,
    RegistrationStatus,
    StaffRole,
    SurveyResponse,
    TimeSpent,
)

SURVEY_SALT = "samspil.events.survey"
SURVEY_LINK_MAX_AGE = timedelta(days=90)
HOURS_MAX = Decimal(10_000)
AMOUNT_MAX = Decimal("999999999999.99")  # the column's 14 digits, 2 of them decimals
SHORT_MAX = 300

OPEN = "open"
NOT_STARTED = "not_started"
ANSWERED = "answered"
NOT_PARTICIPANT = "not_participant"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# The survey ------------------------------------------------------------------------------------


def survey_token(registration: Registration) -> str:
    return signing.dumps(registration.pk, salt=SURVEY_SALT)


def survey_link(registration: Registration) -> str:
    """The path of the registration's survey page (the e-mail puts the site's address first)."""
    return reverse("events:survey-answer", args=[survey_token(registration)])


def registration_for_survey_token(token: str) -> Registration | None:
    """The registration a survey link was made for; None for a forged, altered or old link."""
    try:
        pk = signing.loads(token, salt=SURVEY_SALT, max_age=SURVEY_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int) or isinstance(pk, bool):
        return None
    return Registration.objects.select_related("event__owner").filter(pk=pk).first()


def survey_open(event: Event, now: datetime | None = None) -> bool:
    """The survey opens when the event starts."""
    return (now or timezone.now()) >= event.starts_at


def has_answered(registration: Registration) -> bool:
    return SurveyResponse.objects.filter(registration=registration).exists()


def survey_state(registration: Registration, now: datetime | None = None) -> str:
    """What the survey page shows the holder of a registration: the form or why not."""
    if registration.status != RegistrationStatus.CONFIRMED:
        return NOT_PARTICIPANT
    if has_answered(registration):
        return ANSWERED
    if not survey_open(registration.event, now):
        return NOT_STARTED
    return OPEN


def _clean_score(value, name: str, errors: dict) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        errors[name] = _("Choose a value from 1 to 5.")
        return None
    return value


def _clean_text(value, name: str, errors: dict, limit: int = TEXT_MAX) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        errors[name] = _("Write at most %(count)d characters.") % {"count": limit}
    return text


def answer_survey(
    registration: Registration,
    *,
    satisfaction: int,
    relevance: int,
    organisation_rating: int,
    went_well: str = "",
    improve: str = "",
    now: datetime | None = None,
) -> SurveyResponse:
    """Store a confirmed participant's one answer, from the event's start on."""
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("Only confirmed participants can answer the survey."))
    if not survey_open(registration.event, now):
        raise ValidationError(_("The survey opens when the event starts."))
    errors: dict[str, str] = {}
    scores = {
        name: _clean_score(value, name, errors)
        for name, value in (
            ("satisfaction", satisfaction),
            ("relevance", relevance),
            ("organisation_rating", organisation_rating),
        )
    }
    texts = {
        name: _clean_text(value, name, errors)
        for name, value in (("went_well", went_well), ("improve", improve))
    }
    if errors:
        raise ValidationError(errors)
    already = ValidationError(_("You have already answered the survey. Thank you!"))
    if has_answered(registration):
        raise already
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(
                event_id=registration.event_id, registration=registration, **scores, **texts
            )
    except IntegrityError:
        # A second answer arrived a moment earlier (two tabs, a double click).
        raise already from None


@transaction.atomic
def send_survey(actor: User, event: Event, now: datetime | None = None) -> int:
    """E-mail the survey link to every confirmed participant who has not answered yet, each
    in their registration's language; returns how many were sent."""
    _require(permissions.can_organise_event(actor, event))
    if not survey_open(event, now):
        raise ValidationError(_("The survey can be sent once the event has started."))
    recipients = list(
        event.registrations.filter(
            status=RegistrationStatus.CONFIRMED, survey_response__isnull=True
        ).order_by("pk")
    )
    for registration in recipients:
        queue_templated_email(
            registration.email,
            "events/feedback/email/survey",
            {
                "name": registration.name,
                "title": event.title,
                "starts_at": event.starts_at,
                "survey_path": survey_link(registration),
            },
            registration.language,
        )
    return len(recipients)


# Time spent and external costs -----------------------------------------------------------------


def _decimal(value) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _clean_time(role, hours, note) -> dict:
    errors: dict[str, str] = {}
    if role not in StaffRole.values:
        errors["role"] = _("Choose a role.")
    number = _decimal(hours)
    if number is None or not (0 < number <= HOURS_MAX):
        errors["hours"] = _("Enter hours above 0 and at most %(maximum)d.") % {"maximum": HOURS_MAX}
    elif number != number.quantize(Decimal("0.1")):
        errors["hours"] = _("Give the hours with at most one decimal.")
    note = _clean_text(note, "note", errors, SHORT_MAX)
    if errors:
        raise ValidationError(errors)
    return {"role": role, "hours": number, "note": note}


def _clean_cost(description, amount) -> dict:
    errors: dict[str, str] = {}
    description = " ".join((description or "").split())
    if not description:
        errors["description"] = _("This field is required.")
    elif len(description) > SHORT_MAX:
        errors["description"] = _("Write at most %(count)d characters.") % {"count": SHORT_MAX}
    number = _decimal(amount)
    if number is None or not (0 <= number <= AMOUNT_MAX):
        errors["amount"] = _("Enter an amount of 0 or more.")
    elif number != number.quantize(Decimal("0.01")):
        errors["amount"] = _("Give the amount with at most two decimals.")
    if errors:
        raise ValidationError(errors)
    return {"description": description, "amount": number}


@transaction.atomic
def add_time_spent(actor: User, event: Event, *, role: str, hours, note: str = "") -> TimeSpent:
    _require(permissions.can_organise_event(actor, event))
    entry = TimeSpent(event=event, **_clean_time(role, hours, note))
    entry._history_user = actor  # type: ignore[attr-defined]
    entry.save()
    return entry


@transaction.atomic
def update_time_spent(
    actor: User, entry: TimeSpent, *, role: str, hours, note: str = ""
) -> TimeSpent:
    _require(permissions.can_organise_event(actor, entry.event))
    for name, value in _clean_time(role, hours, note).items():
        setattr(entry, name, value)
    entry._history_user = actor  # type: ignore[attr-defined]
    entry.save()
    return entry


@transaction.atomic
def delete_time_spent(actor: User, entry: TimeSpent) -> None:
    _require(permissions.can_organise_event(actor, entry.event))
    entry._history_user = actor  # type: ignore[attr-defined]
    entry.delete()


@transaction.atomic
def add_external_cost(actor: User, event: Event, *, description: str, amount) -> ExternalCost:
    _require(permissions.can_organise_event(actor, event))
    cost = ExternalCost(event=event, **_clean_cost(description, amount))
    cost._history_user = actor  # type: ignore[attr-defined]
    cost.save()
    return cost


@transaction.atomic
def update_external_cost(
    actor: User, cost: ExternalCost, *, description: str, amount
) -> ExternalCost:
    _require(permissions.can_organise_event(actor, cost.event))
    for name, value in _clean_cost(description, amount).items():
        setattr(cost, name, value)
    cost._history_user = actor  # type: ignore[attr-defined]
    cost.save()
    return cost


@transaction.atomic
def delete_external_cost(actor: User, cost: ExternalCost) -> None:
    _require(permissions.can_organise_event(actor, cost.event))
    cost._history_user = actor  # type: ignore[attr-defined]
    cost.delete()


# Figures ---------------------------------------------------------------------------------------


def participant_counts(event_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(confirmed, attended) per event, in one query."""
    rows = (
        Registration.objects.filter(event_id__in=event_ids, status=RegistrationStatus.CONFIRMED)
        .values("event_id")
        .annotate(confirmed=Count("pk"), attended=Count("pk", filter=Q(attended=True)))
    )
    return {row["event_id"]: (row["confirmed"], row["attended"]) for row in rows}


def survey_summary(event: Event) -> feedback.SurveySummary:
    """Response count and rate, means and distributions of the scores, the free texts."""
    rows = SurveyResponse.objects.filter(event=event).values_list(
        "satisfaction",
        "relevance",
        "organisation_rating",
        "went_well",
        "improve",
        "registration__attended",
    )
    answers = [feedback.Answer(*row) for row in rows]
    confirmed, attended = participant_counts([event.pk]).get(event.pk, (0, 0))
    return feedback.summarise_survey(answers, confirmed, attended)


def cost_summary(event: Event) -> feedback.CostSummary:
    """Hours by role, staff cost at the event's hourly rate, external costs, per participant."""
    hours = TimeSpent.objects.filter(event=event).values_list("role", "hours")
    external = ExternalCost.objects.filter(event=event).values_list("amount", flat=True)
    confirmed, attended = participant_counts([event.pk]).get(event.pk, (0, 0))
    return feedback.summarise_cost(
        list(hours), list(external), event.hourly_rate, confirmed, attended, StaffRole.values
    )


def concept_events(concept: EventConcept, user=None, now: datetime | None = None):
    """The events run on a concept that have started; only those ``user`` may see if given.
    Costs are compared in one currency: events of organisations that count in another
    currency than the concept's organisation are left out."""
    events = Event.objects.filter(
        concept=concept,
        starts_at__lte=now or timezone.now(),
        owner__currency=concept.owner.currency,
    )
    if user is not None:
        events = events.filter(pk__in=permissions.events_visible_to(user).values("pk"))
    return events.order_by("starts_at", "pk")


def concept_trend(concept: EventConcept, user=None, now: datetime | None = None) -> feedback.Trend:
    """Cost per participant, hours per participant and satisfaction of the concept's events
    over time (five queries whatever the number of events)."""
    events = list(
        concept_events(concept, user, now).only("pk", "title", "starts_at", "hourly_rate")
    )
    ids = [e.pk for e in events]
    counts = participant_counts(ids)
    hours = dict(
        TimeSpent.objects.filter(event_id__in=ids)
        .values("event_id")
        .annotate(total=Sum("hours"))
        .values_list("event_id", "total")
    )
    external = dict(
        ExternalCost.objects.filter(event_id__in=ids)
        .values("event_id")
        .annotate(total=Sum("amount"))
        .values_list("event_id", "total")
    )
    surveys = {
        row["event_id"]: row
        for row in SurveyResponse.objects.filter(event_id__in=ids)
        .values("event_id")
        .annotate(responses=Count("pk"), mean=Avg("satisfaction"))
    }
    figures = []
    for event in events:
        confirmed, attended = counts.get(event.pk, (0, 0))
        spent = hours.get(event.pk)
        cost = feedback.summarise_cost(
            [("", spent)] if spent is not None else [],
            [external[event.pk]] if event.pk in external else [],
            event.hourly_rate,
            confirmed,
            attended,
        )
        # An event with nothing recorded has an unknown cost, not a cost of nothing.
        recorded = spent is not None or event.pk in external
        survey = surveys.get(event.pk, {})
        figures.append(
            feedback.EventFigures(
                key=event.pk,
                date=timezone.localdate(event.starts_at),
                title=event.title,
                participants=cost.participants,
                cost_per_participant=cost.cost_per_participant if recorded else None,
                hours_per_participant=cost.hours_per_participant if spent is not None else None,
                mean_satisfaction=survey.get("mean"),
                responses=survey.get("responses", 0),
            )
        )
    return feedback.concept_trend(figures)
