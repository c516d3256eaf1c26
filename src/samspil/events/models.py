"""Market-dialogue events (workshops, hackathons, conferences …) and their registrations.

Times are stored timezone-aware (UTC in the database). A registration keeps only a digest of
its cancellation secret; the secret itself is in the confirmation e-mail's link.
"""

import hashlib
import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samspil.core.models import OwnedRecord, User
from samspil.needs.models import Challenge

TITLE_MAX = 200
TEXT_MAX = 10000


class EventKind(models.TextChoices):
    CO_CREATION_WORKSHOP = "co_creation_workshop", _("Co-creation workshop")
    HACKATHON = "hackathon", _("Hackathon")
    SUPPLIER_CONFERENCE = "supplier_conference", _("Supplier conference")
    ONE_TO_ONE = "one_to_one", _("One-to-one meeting")
    MARKET_CONSULTATION = "market_consultation", _("Market consultation")
    MATCHMAKING = "matchmaking", _("Matchmaking")
    REFORM_GROUP = "reform_group", _("Reform group")
    SHOWCASE = "showcase", _("Showcase day")


class RegistrationMode(models.TextChoices):
    OPEN = "open", _("Open: anyone who sees the event may register")
    INVITE_ONLY = "invite_only", _("Invite only: registration through the invitation link")


class Background(models.TextChoices):
    STAFF = "staff", _("Staff member or user")
    SUPPLIER = "supplier", _("Supplier")
    ENTREPRENEUR = "entrepreneur", _("Entrepreneur or start-up")
    DECISION_MAKER = "decision_maker", _("Decision maker")
    RESEARCHER = "researcher", _("Researcher")
    CITIZEN = "citizen", _("Citizen")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


def _new_invitation_token() -> str:
    return secrets.token_urlsafe(24)


class Event(OwnedRecord):
    """One event; ``owner`` is the organising organisation."""

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    kind = models.CharField(_("kind"), max_length=32, choices=EventKind.choices)
    challenges = models.ManyToManyField(
        Challenge, verbose_name=_("challenges"), blank=True, related_name="events"
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(
        _("capacity"), help_text=_("How many participants can take part.")
    )
    registration_deadline = models.DateTimeField(
        _("registration deadline"),
        null=True,
        blank=True,
        help_text=_("Leave empty to accept registrations until the event starts."),
    )
    registration_mode = models.CharField(
        _("registration"),
        max_length=16,
        choices=RegistrationMode.choices,
        default=RegistrationMode.OPEN,
    )
    invitation_token = models.CharField(
        max_length=64, default=_new_invitation_token, editable=False
    )
    terms = models.TextField(_("terms participants must accept"), blank=True, max_length=TEXT_MAX)
    agenda = models.TextField(_("agenda"), blank=True, max_length=TEXT_MAX)
    organisers = models.ManyToManyField(
        User, verbose_name=_("organisers"), blank=True, related_name="organised_events"
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["invitation_token"], m2m_fields=[challenges, organisers]
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["visibility", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.pk])

    @property
    def is_invite_only(self) -> bool:
        return self.registration_mode == RegistrationMode.INVITE_ONLY

    @property
    def seats_left(self) -> int:
        """Free seats; uses the ``confirmed_count`` annotation of the list queries when there."""
        confirmed = getattr(self, "confirmed_count", None)
        if confirmed is None:
            confirmed = self.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
        return max(0, self.capacity - confirmed)

    @property
    def closes_at(self):
        return self.registration_deadline or self.starts_at


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Registration(models.Model):
    """A person's registration for an event: confirmed, waiting or cancelled."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    background = models.CharField(_("background"), max_length=32, choices=Background.choices)
    skills = models.CharField(_("skills"), max_length=500, blank=True)
    language = models.CharField(max_length=8, default="da")
    status = models.CharField(
        _("status"), max_length=16, choices=RegistrationStatus.choices, db_index=True
    )
    attended = models.BooleanField(_("attended"), default=False)
    accepted_terms_at = models.DateTimeField(_("terms accepted"), null=True, blank=True)
    cancel_token_digest = models.CharField(max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("moved from the waiting list"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["cancel_token_digest"])

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            # One live registration per e-mail address (stored lower-case) and event.
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled"),
                name="registration_email_unique_per_event",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.event}"

    @property
    def skill_list(self) -> list[str]:
        return [s.strip() for s in self.skills.split(",") if s.strip()]


class Grouping(models.Model):
    """An event's diverse groups: registration ids per group, with the settings that formed
    them and the mean objective of random splits (to score the groups against)."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="grouping")
    settings = models.JSONField(_("settings"), default=dict)
    groups = models.JSONField(_("groups"), default=list)  # [[registration id, …], …]
    random_objective = models.FloatField(default=0.0)
    formed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    formed_at = models.DateTimeField(_("formed"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grouping")
        verbose_name_plural = _("groupings")

    def __str__(self) -> str:
        return f"{self.event}: {len(self.groups)}"
