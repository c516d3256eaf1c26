"""Needs (behov) reported by staff, their endorsements, comments and attachments; challenges.

Fields follow DOMAIN.md. Search and matching data (``search_vector``, ``match_text``,
``embedding``) are derived from the text by services and never edited by hand.
"""

from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samspil.core.models import Organisation, OwnedRecord, User

TEXT_LANGUAGES = [("da", "Dansk"), ("nb", "Norsk bokmål"), ("sv", "Svenska"), ("en", "English")]
TITLE_MAX = 200
DESCRIPTION_MAX = 5000
# Derived columns no page shows, kilobytes a row with the vectors: lists of needs defer them.
LARGE_DERIVED_FIELDS = ["search_vector", "match_text", "embedding", "query_embedding"]
DERIVED_FIELDS = [*LARGE_DERIVED_FIELDS, "embedding_model"]


class Theme(models.Model):
    """A subject area used to group and filter needs and challenges (data, not code)."""

    slug = models.SlugField(unique=True)
    name_da = models.CharField(max_length=100)
    name_nb = models.CharField(max_length=100)
    name_sv = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["slug"]

    def __str__(self) -> str:
        language = (translation.get_language() or "da")[:2]
        return getattr(self, f"name_{language}", None) or self.name_en


class NeedStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_TRIAGE = "in_triage", _("In triage")
    ACCEPTED = "accepted", _("Accepted")
    IN_CHALLENGE = "in_challenge", _("In a challenge")
    MERGED = "merged", _("Merged")
    REJECTED = "rejected", _("Rejected")


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    YEARLY = "yearly", _("Yearly")
    OCCASIONALLY = "occasionally", _("Now and then")


class Need(OwnedRecord):
    """A staff member's need. ``owner`` is the public organisation; ``department`` a part of it."""

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX)
    language = models.CharField(
        _("language of the text"), max_length=2, choices=TEXT_LANGUAGES, default="da"
    )
    department = models.ForeignKey(
        Organisation,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        User,
        verbose_name=_("reported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="submitted_needs",
    )
    need_owner = models.ForeignKey(
        User,
        verbose_name=_("need owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_needs",
    )
    affected_who = models.CharField(_("who is affected"), max_length=200, blank=True)
    affected_count = models.PositiveIntegerField(_("how many are affected"), null=True, blank=True)
    frequency = models.CharField(
        _("how often"), max_length=16, choices=Frequency.choices, blank=True
    )
    hours_per_week = models.DecimalField(
        _("hours spent per week today"),
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100000)],
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=NeedStatus.choices, default=NeedStatus.NEW
    )
    status_reason = models.TextField(_("reason"), blank=True, max_length=2000)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="absorbed",
    )
    saves_time = models.BooleanField(_("saves time"), default=False)
    recognisable_elsewhere = models.BooleanField(_("recognisable elsewhere"), default=False)
    anchored_in_management = models.BooleanField(_("anchored in top management"), default=False)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    search_vector = SearchVectorField(null=True, editable=False)
    match_text = models.TextField(blank=True, editable=False)
    embedding = models.BinaryField(null=True, editable=False)
    # The same text embedded as a query: the need's page looks for needs like it without
    # running the model (about 0.2 s a text) on every view.
    query_embedding = models.BinaryField(null=True, editable=False)
    embedding_model = models.CharField(max_length=64, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=DERIVED_FIELDS, m2m_fields=[themes])

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["visibility", "status"]),
            # The list's order (-created_at, -pk), read backwards: no sort step. It carries
            # the columns visibility depends on, so the list's capped count reads the index
            # alone (PostgreSQL), not the wide rows: 0.4 ms instead of 6 for 1,000 needs.
            models.Index(
                fields=["created_at", "id"],
                include=["visibility", "owner", "department", "submitted_by"],
                name="needs_need_list_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("needs:detail", args=[self.pk])


class Endorsement(models.Model):
    """ "We have it too": another public organisation's own volume of the same need."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="endorsements")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    endorsed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    affected_count = models.PositiveIntegerField(_("people affected"), null=True, blank=True)
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100000)],
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("endorsed"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["need", "organisation"], name="endorsement_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.need}"


class Comment(models.Model):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name is generated; the person's file name is kept only as data.
    return f"needs/{instance.need_id}/{instance.stored_name}"


class Attachment(models.Model):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    stored_name = models.CharField(max_length=100, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class OpsiFacet(models.TextChoices):
    """OECD OPSI's innovation facets."""

    ENHANCEMENT = "enhancement", _("Enhancement-oriented")
    MISSION = "mission", _("Mission-oriented")
    ADAPTIVE = "adaptive", _("Adaptive")
    ANTICIPATORY = "anticipatory", _("Anticipatory")


class NestaStage(models.TextChoices):
    """Nesta's innovation spiral."""

    OPPORTUNITIES = "opportunities", _("Exploring opportunities and challenges")
    IDEAS = "ideas", _("Generating ideas")
    TESTING = "testing", _("Developing and testing")
    CASE = "case", _("Making the case")
    DELIVERING = "delivering", _("Delivering and implementing")
    SCALING = "scaling", _("Growing, scaling and spreading")
    SYSTEMS = "systems", _("Changing systems")


class ChallengeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Challenge(OwnedRecord):
    """A problem worth solving, made from one or more needs; ``owner`` is the lead organisation."""

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    problem_statement = models.TextField(_("problem statement"), max_length=DESCRIPTION_MAX)
    affected_users = models.TextField(_("affected users"), blank=True, max_length=2000)
    success_criteria = models.TextField(_("success criteria"), blank=True, max_length=2000)
    language = models.CharField(
        _("language of the text"), max_length=2, choices=TEXT_LANGUAGES, default="da"
    )
    needs = models.ManyToManyField(Need, verbose_name=_("needs"), related_name="challenges")
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ChallengeStatus.choices, default=ChallengeStatus.OPEN
    )
    opsi_facet = models.CharField(
        _("OPSI innovation facet"), max_length=16, choices=OpsiFacet.choices, blank=True
    )
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level (TRL)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )
    nesta_stage = models.CharField(
        _("Nesta stage"), max_length=16, choices=NestaStage.choices, blank=True
    )
    saves_time = models.BooleanField(_("saves time"), default=False)
    recognisable_elsewhere = models.BooleanField(_("recognisable elsewhere"), default=False)
    anchored_in_management = models.BooleanField(_("anchored in top management"), default=False)
    # Kept by services: two or more owner organisations and all three scaling criteria met.
    is_scaling_candidate = models.BooleanField(
        _("scaling candidate"), default=False, editable=False
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(excluded_fields=["search_vector"], m2m_fields=[needs, themes])

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["is_scaling_candidate", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("challenges:detail", args=[self.pk])

    @property
    def meets_scaling_criteria(self) -> bool:
        return self.saves_time and self.recognisable_elsewhere and self.anchored_in_management


class CoOwnerStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class ChallengeCoOwner(models.Model):
    """Another organisation invited to own a challenge with the lead organisation."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="co_owners")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CoOwnerStatus.choices, default=CoOwnerStatus.INVITED
    )
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("co-owner")
        verbose_name_plural = _("co-owners")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "organisation"], name="co_owner_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_status_display()})"
