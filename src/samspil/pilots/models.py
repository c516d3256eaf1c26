"""Programmes and pilots: phases and decision points, maturity, KPIs and measurements,
shared KPI definitions with reference values, benefits plans, lessons.

Phase models (Prosjektveiviseren, Statens it-projektmodel …) are data: rows loaded by a
migration, and organisations may add their own. Gain is computed, never stored
(``samspil.pilots.gain``).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samspil.core.models import Organisation, OwnedRecord, User
from samspil.events.models import Event
from samspil.needs.models import Challenge

TITLE_MAX = 200
TEXT_MAX = 10000


# Phase models (data) ---------------------------------------------------------------------------


class PhaseModel(models.Model):
    """A project model: ordered phases with checklists and the decision points between them.
    Built-in models have no organisation; an organisation's own are visible to its people."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    source = models.CharField(_("source"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("phase model")
        verbose_name_plural = _("phase models")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Phase(models.Model):
    model = models.ForeignKey(PhaseModel, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    position = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["model", "position"]
        constraints = [
            models.UniqueConstraint(fields=["model", "position"], name="phase_position_unique")
        ]

    def __str__(self) -> str:
        return self.name


class DecisionPoint(models.Model):
    """A gate such as BP2: passed with "go" it leads from ``closes`` to the next phase."""

    model = models.ForeignKey(PhaseModel, on_delete=models.CASCADE, related_name="decision_points")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    documents = models.TextField(
        _("documents decided on"), blank=True, max_length=TEXT_MAX
    )  # one document type a line, e.g. "prosjektbegrunnelse"
    closes = models.ForeignKey(
        Phase,
        verbose_name=_("closes the phase"),
        on_delete=models.CASCADE,
        related_name="decision_points",
    )
    position = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("decision point")
        verbose_name_plural = _("decision points")
        ordering = ["model", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "position"], name="decision_point_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ChecklistTemplateItem(models.Model):
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="checklist")
    text = models.CharField(_("item"), max_length=300)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["phase", "position", "pk"]

    def __str__(self) -> str:
        return self.text


# Programmes -----------------------------------------------------------------------------------


class Method(models.TextChoices):
    LEAN = "lean", _("Lean")
    PROSJEKTVEIVISEREN = "prosjektveiviseren", _("Prosjektveiviseren")
    STATENS_IT_PROJEKTMODEL = "statens_it_projektmodel", _("Statens it-projektmodel")
    OWN = "own", _("Own method")


class Programme(OwnedRecord):
    """An innovation programme; ``owner`` leads it, ``co_owners`` share it (Oslo's UKE with
    the districts Alna and Stovner)."""

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    co_owners = models.ManyToManyField(
        Organisation, verbose_name=_("co-owners"), blank=True, related_name="co_programmes"
    )
    board = models.ManyToManyField(
        User, verbose_name=_("board"), blank=True, related_name="programme_boards"
    )
    coordinator = models.ForeignKey(
        User,
        verbose_name=_("coordinator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_programmes",
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    method = models.CharField(_("method"), max_length=32, choices=Method.choices)
    phase_model = models.ForeignKey(
        PhaseModel,
        verbose_name=_("phase model of its pilots"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    gain_target_percent = models.DecimalField(
        _("portfolio gain target (%)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(-1000), MaxValueValidator(1000)],
        help_text=_("The average gain of its pilots in full operation, e.g. 30."),
    )
    max_pilot_months = models.PositiveSmallIntegerField(
        _("maximum pilot length (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[co_owners, board])

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="programme_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pilots:programme", args=[self.pk])


# Pilots ----------------------------------------------------------------------------------------


class PilotKind(models.TextChoices):
    GAIN = "gain", _("Gain pilot")
    SANDBOX = "sandbox", _("Learning sandbox")


class PilotStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped")


class MaturityStage(models.TextChoices):
    """Helsingborg's stages; ``outcome`` carries the decision."""

    IDEA = "idea", _("Idea")
    PRETOTYPE = "pretotype", _("Pretotype")
    PROTOTYPE = "prototype", _("Prototype")
    PROOF_OF_CONCEPT = "proof_of_concept", _("Proof of concept")
    OUTCOME = "outcome", _("Outcome")


class Outcome(models.TextChoices):
    IN_HOUSE = "in_house", _("Build in-house")
    PARTNERSHIP = "partnership", _("Partnership")
    PROCUREMENT = "procurement", _("Procurement")
    SCALE = "scale", _("Scale")
    STOP = "stop", _("Stop")


class Pilot(OwnedRecord):
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pilots",
    )
    challenge = models.ForeignKey(
        Challenge,
        verbose_name=_("challenge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pilots",
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("event the idea came from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pilots",
    )
    hypothesis = models.TextField(_("hypothesis"), max_length=TEXT_MAX)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    kind = models.CharField(_("kind"), max_length=16, choices=PilotKind.choices)
    team = models.ManyToManyField(
        User, verbose_name=_("team"), blank=True, related_name="pilot_teams"
    )
    lead = models.ForeignKey(
        User,
        verbose_name=_("pilot lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_pilots",
    )
    starts_on = models.DateField(_("start"))
    planned_end_on = models.DateField(_("planned end"))
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PilotStatus.choices, default=PilotStatus.PLANNED
    )
    phase_model = models.ForeignKey(
        PhaseModel,
        verbose_name=_("phase model"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    current_phase = models.ForeignKey(
        Phase,
        verbose_name=_("phase"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    maturity = models.CharField(
        _("maturity stage"),
        max_length=20,
        choices=MaturityStage.choices,
        default=MaturityStage.IDEA,
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("reason for the outcome"), blank=True, max_length=TEXT_MAX)
    adopted_from = models.ForeignKey(
        "self",
        verbose_name=_("adopted from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adoptions",
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[team])

    class Meta:
        verbose_name = _("pilot")
        verbose_name_plural = _("pilots")
        ordering = ["-starts_on", "pk"]
        indexes = [
            # The pilots list in its order: read from the top until a page is full.
            models.Index(fields=["-starts_on", "id"], name="pilots_pilot_newest_first"),
            models.Index(fields=["visibility", "starts_on"]),
            models.Index(fields=["programme", "starts_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end_on__gte=models.F("starts_on")),
                name="pilot_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("starts_on")),
                name="pilot_ended_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pilots:detail", args=[self.pk])


class PartnerRole(models.TextChoices):
    SUPPLIER = "supplier", _("Supplier")
    KNOWLEDGE_INSTITUTION = "knowledge_institution", _("Knowledge institution")
    PUBLIC_PARTNER = "public_partner", _("Public partner")
    OTHER = "other", _("Other")


class PilotPartner(models.Model):
    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(_("role"), max_length=32, choices=PartnerRole.choices)
    contribution = models.CharField(_("contribution"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["pilot", "organisation"], name="partner_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class PilotChecklistItem(models.Model):
    """A pilot's own copy of its phase model's checklist, ticked off as the work goes."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="checklist")
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("item"), max_length=300)
    position = models.PositiveIntegerField(default=0)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["phase__position", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class DecisionOutcome(models.TextChoices):
    GO = "go", _("Go")
    STOP = "stop", _("Stop")
    BACK = "back", _("Back to the previous phase")


class Decision(models.Model):
    """A decision point passed (or not): who decided, when, with which documents."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="decisions")
    decision_point = models.ForeignKey(
        DecisionPoint, verbose_name=_("decision point"), on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=8, choices=DecisionOutcome.choices)
    decided_by = models.CharField(
        _("decided by"), max_length=200, help_text=_("The person or body, e.g. the board.")
    )
    decided_on = models.DateField(_("decided on"))
    documents = models.TextField(
        _("documents decided on"), blank=True, max_length=TEXT_MAX
    )  # one title or link a line
    notes = models.TextField(_("notes"), blank=True, max_length=TEXT_MAX)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["decided_on", "pk"]

    def __str__(self) -> str:
        return f"{self.decision_point}: {self.get_outcome_display()}"


class Lesson(models.Model):
    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="lessons")
    text = models.TextField(_("lesson"), max_length=TEXT_MAX)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lesson learned")
        verbose_name_plural = _("lessons learned")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


# KPIs, measurements and benchmarks -------------------------------------------------------------


class Direction(models.TextChoices):
    LOWER = "lower", _("Lower is better")
    HIGHER = "higher", _("Higher is better")


class KpiDefinition(OwnedRecord):
    """A KPI others can measure too ("minutes per invoice coded"): the benchmark groups the
    pilots' KPIs of one definition. Shared or public definitions form the catalogue."""

    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=60)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("KPI definition")
        verbose_name_plural = _("KPI definitions")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"

    def get_absolute_url(self) -> str:
        return reverse("pilots:benchmark", args=[self.pk])


class Kpi(models.Model):
    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="kpis")
    definition = models.ForeignKey(
        KpiDefinition,
        verbose_name=_("KPI definition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="kpis",
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=60)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    baseline_value = models.DecimalField(_("baseline"), max_digits=18, decimal_places=4)
    baseline_on = models.DateField(_("baseline date"))
    target_value = models.DecimalField(
        _("target"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    target_on = models.DateField(_("target date"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    # The latest measurement, kept by ``kpi_services.refresh_latest`` whenever measurements
    # change: a benchmark ranks thousands of KPIs by it, which one index probe per KPI made
    # the slowest part of the page. Derived, so not in the history.
    latest_value = models.DecimalField(
        _("latest value"), max_digits=18, decimal_places=4, null=True, editable=False
    )
    latest_on = models.DateField(_("latest measurement date"), null=True, editable=False)

    history = HistoricalRecords(excluded_fields=["latest_value", "latest_on"])

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class Measurement(models.Model):
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["measured_on", "pk"]
        indexes = [models.Index(fields=["kpi", "measured_on"])]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "measured_on"], name="measurement_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.kpi}: {self.value} ({self.measured_on})"


class ReferenceValue(models.Model):
    """An external value for a benchmark (best practice, another country's figure), with its
    source."""

    definition = models.ForeignKey(
        KpiDefinition, on_delete=models.CASCADE, related_name="reference_values"
    )
    label = models.CharField(_("label"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    measured_on = models.DateField(_("date"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=500)
    source_url = models.URLField(_("link to the source"), blank=True)
    added_by_organisation = models.ForeignKey(
        Organisation, verbose_name=_("added by"), on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reference value")
        verbose_name_plural = _("reference values")
        ordering = ["label", "pk"]

    def __str__(self) -> str:
        return f"{self.label}: {self.value}"


# Benefits realisation ---------------------------------------------------------------------------


class BenefitType(models.TextChoices):
    BUDGET = "budget", _("Budget effect in own organisation")
    FREED_CAPACITY = "freed_capacity", _("Freed capacity for other use")
    PRICED_ELSEWHERE = "priced_elsewhere", _("Priced benefit elsewhere in the public sector")
    NON_PRICED = "non_priced", _("Non-priced benefit")
    QUALITY = "quality", _("Quality")
    OTHER_ACTORS = "other_actors", _("Benefit for other actors")


class BenefitStatus(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    PLANNED = "planned", _("Planned")
    REALISING = "realising", _("Being realised")
    REALISED = "realised", _("Realised")
    PARTLY = "partly", _("Partly realised")
    NOT_REALISED = "not_realised", _("Not realised")


class Benefit(models.Model):
    """A line of the benefits plan (gevinstrealiseringsplan) of a pilot."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="benefits")
    benefit_type = models.CharField(_("type"), max_length=32, choices=BenefitType.choices)
    indicator = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=60)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    baseline_value = models.DecimalField(_("baseline"), max_digits=18, decimal_places=4)
    baseline_on = models.DateField(_("baseline date"))
    target_value = models.DecimalField(_("target"), max_digits=18, decimal_places=4)
    target_on = models.DateField(_("target date"))
    owner = models.ForeignKey(
        User,
        verbose_name=_("benefit owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_benefits",
    )
    holders = models.ManyToManyField(
        Organisation, verbose_name=_("benefit holders"), blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=BenefitStatus.choices, default=BenefitStatus.IDENTIFIED
    )
    measure_every_months = models.PositiveSmallIntegerField(
        _("measure every (months)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    next_measurement_on = models.DateField(_("next measurement due"), null=True, blank=True)
    reminded_for = models.DateField(null=True, blank=True, editable=False)

    history = HistoricalRecords(m2m_fields=[holders])

    class Meta:
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.indicator


class BenefitMeasurement(models.Model):
    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("benefit measurement")
        verbose_name_plural = _("benefit measurements")
        ordering = ["measured_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["benefit", "measured_on"], name="benefit_measurement_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.benefit}: {self.value} ({self.measured_on})"
