"""The innovation hub: bookable spaces and city assets, a pool of competences assigned to
pilots and events, and partner organisations running their own projects with co-financing.

Two active bookings of one resource never overlap: on PostgreSQL an exclusion constraint
(``btree_gist``, migration 0002) guarantees it; on SQLite writes are serialised
(``transaction_mode = IMMEDIATE``) and ``services.book`` checks inside the transaction.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from samspil.core.models import Currency, Organisation, OwnedRecord, User

TITLE_MAX = 200
TEXT_MAX = 10000


class Hub(OwnedRecord):
    """An organisation's innovation hub (Helsingborg's H22 arena, Innovationshuset)."""

    name = models.CharField(_("name"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hub")
        verbose_name_plural = _("hubs")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("hub:detail", args=[self.pk])


# Bookable resources ----------------------------------------------------------------------------


class ResourceKind(models.TextChoices):
    PROJECT_SPACE = "project_space", _("Project space")
    MEETING_ROOM = "meeting_room", _("Meeting room")
    CITY_PREMISES = "city_premises", _("City premises")
    EQUIPMENT = "equipment", _("Equipment")


class WhoMayBook(models.TextChoices):
    MEMBERS = "members", _("Members of the owning organisation")
    PUBLIC_SECTOR = "public_sector", _("All public organisations on the platform")
    EVERYONE = "everyone", _("Everyone with an account")


class BookingUnit(models.TextChoices):
    HOUR = "hour", _("By the hour")
    PERIOD = "period", _("By the period (days or weeks)")


class Resource(OwnedRecord):
    """Something bookable; ``owner`` owns it, ``visibility`` decides who sees it."""

    hub = models.ForeignKey(
        Hub,
        verbose_name=_("hub"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
    )
    name = models.CharField(_("name"), max_length=TITLE_MAX)
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    location = models.CharField(_("location"), max_length=300)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("People at once; empty for equipment.")
    )
    rules = models.TextField(_("rules"), blank=True, max_length=TEXT_MAX)
    who_may_book = models.CharField(
        _("who may book"), max_length=20, choices=WhoMayBook.choices, default=WhoMayBook.MEMBERS
    )
    booking_unit = models.CharField(
        _("booked"), max_length=10, choices=BookingUnit.choices, default=BookingUnit.HOUR
    )
    requires_approval = models.BooleanField(_("bookings need the owner's approval"), default=False)
    max_booking_days = models.PositiveIntegerField(
        _("longest booking in days"), null=True, blank=True
    )
    active = models.BooleanField(_("bookable"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("hub:resource", args=[self.pk])


class OpeningHours(models.Model):
    """When an hourly resource may be booked; a weekday without a row is closed."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), validators=[MaxValueValidator(6)], help_text=_("0 is Monday.")
    )
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["resource", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="opening_hours_order")
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens:%H:%M}–{self.closes:%H:%M}"


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", pgettext_lazy("booking", "Cancelled")


# Statuses that hold the slot; the exclusion constraint applies to these.
ACTIVE_BOOKING_STATUSES = (BookingStatus.REQUESTED, BookingStatus.CONFIRMED)


class Booking(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="bookings")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("booked for"), on_delete=models.PROTECT, related_name="+"
    )
    booked_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    purpose = models.CharField(_("purpose"), max_length=TITLE_MAX)
    people = models.PositiveIntegerField(_("number of people"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=BookingStatus.choices)
    decided_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bookings",
    )
    pilot = models.ForeignKey(
        "pilots.Pilot",
        verbose_name=_("pilot"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bookings",
    )
    created_at = models.DateTimeField(_("booked"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["resource", "start", "pk"]
        indexes = [models.Index(fields=["resource", "start", "end"])]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="booking_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.start:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("hub:booking", args=[self.pk])


# Competence pool -------------------------------------------------------------------------------


class Competence(models.TextChoices):
    INNOVATION_COACH = "innovation_coach", _("Innovation coach")
    SERVICE_DESIGNER = "service_designer", _("Service designer")
    REQUIREMENTS_SPECIALIST = "requirements_specialist", _("Requirements specialist")
    BUSINESS_DEVELOPER = "business_developer", _("Business developer")
    IT_ARCHITECT = "it_architect", _("IT architect")
    DEVELOPER = "developer", _("Developer")
    DATA_SCIENTIST = "data_scientist", _("Data scientist")
    LAWYER = "lawyer", _("Lawyer")


class PoolMember(models.Model):
    """A person in an organisation's competence pool with the share of time they can give."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    hub = models.ForeignKey(
        Hub, null=True, blank=True, on_delete=models.SET_NULL, related_name="pool_members"
    )
    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="pool_memberships"
    )
    competences = models.JSONField(_("competences"), default=list)  # Competence values
    available_percent = models.PositiveSmallIntegerField(
        _("share of time available (%)"),
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pool member")
        verbose_name_plural = _("pool members")
        ordering = ["organisation", "user__last_name", "user__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="pool_member_once")
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.email


class Assignment(models.Model):
    """A pool member on a pilot or an event for a period with a share of their time."""

    member = models.ForeignKey(PoolMember, on_delete=models.CASCADE, related_name="assignments")
    pilot = models.ForeignKey(
        "pilots.Pilot", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    competence = models.CharField(_("as"), max_length=30, choices=Competence.choices, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    percent = models.PositiveSmallIntegerField(
        _("share of time (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    assigned_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["member", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pilot__isnull=False, event__isnull=True)
                | Q(pilot__isnull=True, event__isnull=False),
                name="assignment_one_target",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="assignment_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.percent} %"


# Partners --------------------------------------------------------------------------------------


class Partner(models.Model):
    """An organisation partnering with a hub (Öresundskraft, Atea, Sogeti at Helsingborg)."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    since = models.DateField(_("partner since"), null=True, blank=True)
    contribution = models.TextField(_("what the partner brings"), blank=True, max_length=TEXT_MAX)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["hub", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "organisation"], name="hub_partner_once")
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class PartnerProject(models.Model):
    """A partner's own project (a pilot on the platform) in the hub, with its co-financing."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="projects")
    pilot = models.ForeignKey(
        "pilots.Pilot", verbose_name=_("pilot"), on_delete=models.CASCADE, related_name="+"
    )
    co_financing = models.DecimalField(
        _("co-financing"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner project")
        verbose_name_plural = _("partner projects")
        ordering = ["partner", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "pilot"], name="partner_project_once")
        ]

    def __str__(self) -> str:
        return f"{self.partner} – {self.pilot}"
