"""Market-dialogue events (workshops, hackathons, conferences …) and their registrations.

Times are stored timezone-aware (UTC in the database). A registration keeps only a digest of
its cancellation secret; the secret itself is in the confirmation e-mail's link.
"""

import hashlib
import secrets
import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
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
    concept = models.ForeignKey(
        "EventConcept",
        verbose_name=_("concept"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    submission_deadline = models.DateTimeField(
        _("submission deadline"),
        null=True,
        blank=True,
        help_text=_("Teams can edit their submissions until then."),
    )
    winner_count = models.PositiveSmallIntegerField(
        _("number of winners"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("How many submissions are named winners."),
    )
    winners_published_at = models.DateTimeField(_("winners published"), null=True, blank=True)
    hourly_rate = models.DecimalField(
        _("cost of an hour of staff time"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Used to price the hours spent; leave empty to count hours only."),
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


# Event concepts and preparation tasks ----------------------------------------------------------


class TaskArea(models.TextChoices):
    TECHNICAL = "technical", _("Technical")
    PROFESSIONAL = "professional", _("Professional")
    LEGAL = "legal", _("Legal")


class TaskStatus(models.TextChoices):
    TODO = "todo", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_RELEVANT = "not_relevant", _("Not relevant")


OPEN_TASK_STATUSES = (TaskStatus.TODO, TaskStatus.IN_PROGRESS)


class EventConcept(OwnedRecord):
    """A reusable way of running an event (e.g. "hackathon as market dialogue"): a checklist
    template of preparation tasks that events are created from and that improves over time."""

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    kind = models.CharField(
        _("kind of event"), max_length=32, choices=EventKind.choices, blank=True
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("event concept")
        verbose_name_plural = _("event concepts")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:concept", args=[self.pk])


class ConceptTask(models.Model):
    """A task of a concept's checklist; its due date is relative to the event's start."""

    concept = models.ForeignKey(EventConcept, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=TITLE_MAX)
    area = models.CharField(_("area"), max_length=16, choices=TaskArea.choices)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    days_before_start = models.IntegerField(
        _("days before the event"),
        default=14,
        help_text=_("When the task is due, counted back from the day the event starts."),
    )
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("concept task")
        verbose_name_plural = _("concept tasks")
        ordering = ["-days_before_start", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class EventTask(models.Model):
    """A preparation task of one event, with owner, due date and status."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=TITLE_MAX)
    area = models.CharField(_("area"), max_length=16, choices=TaskArea.choices)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    responsible = models.ForeignKey(
        User,
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_tasks",
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.TODO
    )
    from_concept_task = models.ForeignKey(
        ConceptTask, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("preparation task")
        verbose_name_plural = _("preparation tasks")
        ordering = ["due_on", "position", "pk"]
        indexes = [models.Index(fields=["event", "status", "due_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TASK_STATUSES


# Datasets ---------------------------------------------------------------------------------------


class DataClassification(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    CONFIDENTIAL = "confidential", _("Confidential")
    PERSONAL = "personal", _("Personal data")


def dataset_path(instance: "Dataset", filename: str) -> str:
    # Generated names only; the file is served through a permission check, never directly.
    return f"events/{instance.event_id}/datasets/{instance.stored_name}"


class Dataset(models.Model):
    """Data an event offers its participants, on terms they accept before any access."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="datasets")
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    classification = models.CharField(
        _("classification"), max_length=16, choices=DataClassification.choices
    )
    legal_basis = models.TextField(_("legal basis"), blank=True, max_length=TEXT_MAX)
    terms = models.TextField(_("terms of use"), max_length=TEXT_MAX)
    file = models.FileField(upload_to=dataset_path, max_length=300, blank=True)
    stored_name = models.CharField(max_length=100, editable=False, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    link = models.URLField(
        _("link"), blank=True, help_text=_("Where the data lives when it is not uploaded here.")
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class DatasetAcceptance(models.Model):
    """A participant's acceptance of a dataset's terms (the terms as they read then)."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="acceptances")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    terms = models.TextField()
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "user"], name="dataset_accepted_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.dataset}"


class DatasetAccess(models.Model):
    """The access log: one row per download or opened link, never edited. It outlives the
    dataset (the title is kept), so removing a dataset does not erase who had the data."""

    class Action(models.TextChoices):
        DOWNLOAD = "download", _("Download")
        LINK = "link", _("Opened the link")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="dataset_accesses")
    dataset = models.ForeignKey(
        Dataset, null=True, on_delete=models.SET_NULL, related_name="accesses"
    )
    dataset_title = models.CharField(_("dataset"), max_length=TITLE_MAX)
    user = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    accessed_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("dataset access")
        verbose_name_plural = _("dataset accesses")
        ordering = ["-accessed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} – {self.dataset} ({self.action})"


# Teams, submissions and judging -------------------------------------------------------------------


class Team(models.Model):
    """Participants working together on a challenge at a hackathon."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=200)
    challenge = models.ForeignKey(
        Challenge,
        verbose_name=_("challenge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members = models.ManyToManyField(
        Registration, verbose_name=_("members"), blank=True, related_name="teams"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="team_name_unique_per_event")
        ]

    def __str__(self) -> str:
        return self.name


class Submission(models.Model):
    """A team's prototype; editable until the event's submission deadline."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="submission")
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    summary = models.TextField(_("summary"), max_length=TEXT_MAX)
    problem_solved = models.TextField(_("what problem it solves"), blank=True, max_length=TEXT_MAX)
    links = models.TextField(_("links"), blank=True, max_length=TEXT_MAX)  # one URL a line
    submitted_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["submitted_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


def submission_file_path(instance: "SubmissionFile", filename: str) -> str:
    return f"events/submissions/{instance.submission_id}/{instance.stored_name}"


class SubmissionFile(models.Model):
    class Kind(models.TextChoices):
        FILE = "file", _("File")
        SCREENSHOT = "screenshot", _("Screenshot")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    file = models.FileField(upload_to=submission_file_path, max_length=300)
    stored_name = models.CharField(max_length=100, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Criterion(models.Model):
    """A judging criterion of an event, with its weight in the ranking."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=1)
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive")
        ]

    def __str__(self) -> str:
        return self.name


class Juror(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="jurors")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="juries")

    class Meta:
        verbose_name = _("juror")
        verbose_name_plural = _("jury")
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="juror_once")]

    def __str__(self) -> str:
        return str(self.user)


SCORE_MIN = 1
SCORE_MAX = 5


class Score(models.Model):
    """One juror's score (1–5) of one submission on one criterion."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True, max_length=TEXT_MAX)
    scored_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "criterion", "juror"], name="score_once_per_juror"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=SCORE_MIN, value__lte=SCORE_MAX), name="score_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


# Feedback and cost -----------------------------------------------------------------------------


class SurveyResponse(models.Model):
    """A participant's answer to the event's satisfaction survey: one per registration."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="survey_responses")
    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="survey_response"
    )
    satisfaction = models.PositiveSmallIntegerField(_("overall satisfaction"))
    relevance = models.PositiveSmallIntegerField(_("relevance to your work"))
    organisation_rating = models.PositiveSmallIntegerField(_("organisation of the event"))
    went_well = models.TextField(_("what went well"), blank=True, max_length=TEXT_MAX)
    improve = models.TextField(_("what should be better"), blank=True, max_length=TEXT_MAX)
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["answered_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1, satisfaction__lte=5)
                & Q(relevance__gte=1, relevance__lte=5)
                & Q(organisation_rating__gte=1, organisation_rating__lte=5),
                name="survey_scores_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration} – {self.satisfaction}"


class StaffRole(models.TextChoices):
    PROJECT_LEAD = "project_lead", _("Project lead")
    DOMAIN_EXPERT = "domain_expert", _("Domain expert")
    IT_AND_DATA = "it_and_data", _("IT and data")
    LEGAL = "legal", _("Legal")
    COMMUNICATION = "communication", _("Communication")
    FACILITATOR = "facilitator", _("Facilitator")
    OTHER = "other", _("Other")


class TimeSpent(models.Model):
    """Hours spent on an event by one role (preparing, running, following up)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="time_spent")
    role = models.CharField(_("role"), max_length=32, choices=StaffRole.choices)
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=1)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("time spent")
        verbose_name_plural = _("time spent")
        ordering = ["role", "pk"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="hours_positive")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.hours}"


class ExternalCost(models.Model):
    """Money spent outside the organisation (venue, catering, consultants …), in the
    owning organisation's currency."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="external_costs")
    description = models.CharField(_("what"), max_length=300)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("external cost")
        verbose_name_plural = _("external costs")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="external_cost_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.description}: {self.amount}"


class LearnedRequirement(models.Model):
    """Something the event taught about the requirement specification: a line a later
    procurement can pick up as a functional requirement."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="learned_requirements")
    text = models.TextField(_("requirement"), max_length=2000)
    position = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("requirement learned")
        verbose_name_plural = _("requirements learned")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]
