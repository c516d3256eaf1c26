"""Investment proposals (the municipal business case) and prioritisation rounds.

A proposal follows a template (data: the Copenhagen *innovationsforslag* is the default for
Danish organisations, Prosjektveiviseren's business justification for Norwegian ones). Its
yearly economic table holds values in 1,000 of the owner's currency at the proposal's price
level; savings are negative. Totals, net present value and payback are computed, never
stored (``samspil.proposals.economics``). A round (an innovation pool) has a budget per year
and budget area, a weighted criteria set and a board who scores the proposals entered in it.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from samspil.core.models import Country, Organisation, OwnedRecord, User
from samspil.events.models import Event
from samspil.needs.models import Challenge
from samspil.pilots.models import Pilot

TITLE_MAX = 200
TEXT_MAX = 20000
# Years a table may span and the largest amount a cell may hold (1,000 units: 100 billion).
YEAR_MIN, YEAR_MAX = 1990, 2100
AMOUNT_LIMIT = 100_000_000


# Templates (data) ------------------------------------------------------------------------------


class SectionKind(models.TextChoices):
    """What the editor shows for a section: free text, or one of the structured tables."""

    TEXT = "text", _("Text")
    ECONOMY = "economy", _("Economic table")
    CRITERIA = "criteria", _("Prioritisation criteria table")
    FOLLOW_UP = "follow_up", _("Follow-up table")
    CONSULTATIONS = "consultations", _("Consultations")


class ProposalTemplate(models.Model):
    """A proposal layout: its numbered sections and the bodies to consult. Built-in templates
    have no organisation; ``default_for`` makes one the default for a country."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    source = models.CharField(_("source"), max_length=300, blank=True)
    default_for = models.CharField(
        _("default for country"), max_length=2, choices=Country.choices, blank=True
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("proposal template")
        verbose_name_plural = _("proposal templates")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class TemplateSection(models.Model):
    template = models.ForeignKey(
        ProposalTemplate, on_delete=models.CASCADE, related_name="sections"
    )
    code = models.SlugField(_("code"), max_length=60)
    number = models.CharField(_("number"), max_length=10, blank=True)  # "1.1"
    heading = models.CharField(_("heading"), max_length=200)
    guidance = models.TextField(_("guidance"), blank=True, max_length=TEXT_MAX)
    kind = models.CharField(
        _("kind"), max_length=20, choices=SectionKind.choices, default=SectionKind.TEXT
    )
    position = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("template section")
        verbose_name_plural = _("template sections")
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="template_section_code"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.heading}".strip()


class TemplateConsultationBody(models.Model):
    """A body the template says to consult, e.g. Copenhagen's Center for Økonomi."""

    template = models.ForeignKey(
        ProposalTemplate, on_delete=models.CASCADE, related_name="consultation_bodies"
    )
    name = models.CharField(_("body"), max_length=200)
    guidance = models.TextField(_("when to consult"), blank=True, max_length=TEXT_MAX)
    position = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("body to consult")
        verbose_name_plural = _("bodies to consult")
        ordering = ["template", "position"]

    def __str__(self) -> str:
        return self.name


class DiscountPreset(models.Model):
    """A dated discount-rate schedule with its source. ``bands`` is a list of
    ``[first_year_index, last_year_index, rate_percent]`` counted from the table's first
    year (index 0), e.g. Denmark 2021: ``[[0, 35, 3.5], [36, 70, 2.5]]``."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, blank=True)
    bands = models.JSONField(_("rates by year"))
    source = models.CharField(_("source"), max_length=300)
    valid_from = models.DateField(_("valid from"))

    class Meta:
        verbose_name = _("discount-rate preset")
        verbose_name_plural = _("discount-rate presets")
        ordering = ["country", "-valid_from", "name"]

    def __str__(self) -> str:
        return self.name


# Proposals -------------------------------------------------------------------------------------


class ProposalState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONSULTATION = "consultation", _("In consultation")
    SUBMITTED = "submitted", _("Submitted")
    PRIORITISED = "prioritised", _("Prioritised")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    DEFERRED = "deferred", _("Deferred")
    FOLLOW_UP = "follow_up", _("In follow-up")
    CLOSED = "closed", _("Closed")


class Proposal(OwnedRecord):
    """``owner`` is the presenting department (*fremstillende forvaltning*)."""

    template = models.ForeignKey(
        ProposalTemplate,
        verbose_name=_("template"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    summary = models.TextField(_("short summary"), blank=True, max_length=2000)
    committee = models.CharField(
        _("committee"), max_length=200, blank=True, help_text=_("The political committee.")
    )
    affected_departments = models.ManyToManyField(
        Organisation,
        verbose_name=_("affected departments"),
        blank=True,
        related_name="affecting_proposals",
    )
    price_level_year = models.PositiveSmallIntegerField(
        _("price-level year"), validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]
    )
    first_year = models.PositiveSmallIntegerField(
        _("first year of the table"),
        validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)],
    )
    last_year = models.PositiveSmallIntegerField(
        _("last year of the table"),
        validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)],
    )
    discount_preset = models.ForeignKey(
        DiscountPreset,
        verbose_name=_("discount rate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    own_discount_rate = models.DecimalField(
        _("own discount rate (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(50)],
        help_text=_("Used instead of a preset when no preset is chosen."),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=ProposalState.choices, default=ProposalState.DRAFT
    )
    challenge = models.ForeignKey(
        Challenge,
        verbose_name=_("challenge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    pilot = models.ForeignKey(
        Pilot,
        verbose_name=_("pilot"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[affected_departments])

    class Meta:
        verbose_name = _("investment proposal")
        verbose_name_plural = _("investment proposals")
        ordering = ["-updated_at", "pk"]
        indexes = [models.Index(fields=["owner", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")),
                name="proposal_table_years_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:detail", args=[self.pk])

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)


class ProposalSection(models.Model):
    """The text of one template section of one proposal; each saves on its own."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="sections")
    section = models.ForeignKey(TemplateSection, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"), blank=True, max_length=TEXT_MAX)
    updated_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposal section")
        verbose_name_plural = _("proposal sections")
        ordering = ["proposal", "section__position"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "section"], name="proposal_section_once")
        ]

    def __str__(self) -> str:
        return f"{self.proposal} – {self.section}"


class StateChange(models.Model):
    """One move of a proposal between states: who, when, why."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="state_changes")
    from_state = models.CharField(_("from"), max_length=20, choices=ProposalState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=ProposalState.choices)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    changed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")
        ordering = ["proposal", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


# The yearly economic table ---------------------------------------------------------------------


class LineGroup(models.TextChoices):
    IMPLEMENTATION = "implementation", _("Implementation costs")
    PERMANENT = "permanent", _("Permanent changes")
    INVESTMENT = "investment", _("Investment")


class BudgetArea(models.TextChoices):
    """The Copenhagen *styringsområder*."""

    SERVICE = "service", _("Service")
    CONSTRUCTION = "construction", pgettext_lazy("budget area", "Construction")
    TRANSFERS = "transfers", _("Transfers")


class EconomicLine(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="lines")
    group = models.CharField(_("group"), max_length=20, choices=LineGroup.choices)
    budget_area = models.CharField(_("budget area"), max_length=20, choices=BudgetArea.choices)
    label = models.CharField(_("line"), max_length=300)
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("economic line")
        verbose_name_plural = _("economic lines")
        ordering = ["proposal", "position", "pk"]

    def __str__(self) -> str:
        return self.label


class LineValue(models.Model):
    """One cell: a value, a range (low/high) or a three-point estimate (low/value/high).
    A plain value has neither low nor high; a range has both and no value."""

    line = models.ForeignKey(EconomicLine, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), null=True, blank=True, max_digits=14, decimal_places=2)
    low = models.DecimalField(_("minimum"), null=True, blank=True, max_digits=14, decimal_places=2)
    high = models.DecimalField(_("maximum"), null=True, blank=True, max_digits=14, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("value")
        verbose_name_plural = _("values")
        ordering = ["line", "year"]
        constraints = [
            models.UniqueConstraint(fields=["line", "year"], name="line_value_once_a_year"),
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(high__isnull=True) | Q(low__lte=models.F("high")),
                name="line_value_low_not_above_high",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.year}"


# 1.4 prioritisation criteria, 1.7 follow-up, consultations -------------------------------------


class Assessment(models.TextChoices):
    YES = "yes", _("Yes")
    MAYBE = "maybe", _("Maybe")
    NO = "no", _("No")


class CriteriaRow(models.Model):
    """One row of section 1.4's table (seed 004: the concept and each planned hackathon).
    Amounts are in 1,000; ranges such as "1½–3 mio. kr." are stored as low/high."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="criteria_rows")
    label = models.CharField(_("item"), max_length=300)
    expense_low = models.DecimalField(
        _("expense, minimum"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    expense_high = models.DecimalField(
        _("expense, maximum"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    expense_note = models.CharField(_("expense, note"), max_length=300, blank=True)
    expected_proposal = models.CharField(
        _("expected investment proposal"), max_length=300, blank=True
    )
    expected_budget_year = models.PositiveSmallIntegerField(
        _("budget year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)],
    )
    saving_low = models.DecimalField(
        _("lasting yearly saving, minimum"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    saving_high = models.DecimalField(
        _("lasting yearly saving, maximum"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    saving_area = models.CharField(
        _("budget area of the saving"), max_length=20, choices=BudgetArea.choices, blank=True
    )
    saving_note = models.CharField(_("saving, note"), max_length=300, blank=True)
    cross_cutting = models.CharField(
        _("cross-cutting"), max_length=8, choices=Assessment.choices, blank=True
    )
    large_scale = models.CharField(
        _("large-scale potential"), max_length=8, choices=Assessment.choices, blank=True
    )
    mature_technology = models.CharField(
        _("mature use of new technology"), max_length=8, choices=Assessment.choices, blank=True
    )
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("prioritisation criteria row")
        verbose_name_plural = _("prioritisation criteria rows")
        ordering = ["proposal", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expense_low__isnull=True)
                | Q(expense_high__isnull=True)
                | Q(expense_low__lte=models.F("expense_high")),
                name="criteria_row_expense_in_order",
            ),
            models.CheckConstraint(
                condition=Q(saving_low__isnull=True)
                | Q(saving_high__isnull=True)
                | Q(saving_low__lte=models.F("saving_high")),
                name="criteria_row_saving_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class FollowUpItem(models.Model):
    """A row of section 1.7; after approval it is a task with a due date and reminders."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="follow_ups")
    criterion = models.CharField(_("success criterion"), max_length=500)
    how_measured = models.TextField(_("how it is measured"), blank=True, max_length=2000)
    responsible = models.CharField(_("who is responsible"), max_length=200, blank=True)
    responsible_user = models.ForeignKey(
        User,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposal_follow_ups",
    )
    when = models.CharField(_("when"), max_length=300, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["proposal", "position", "pk"]
        indexes = [models.Index(fields=["due_on", "done_at"])]

    def __str__(self) -> str:
        return self.criterion


class ConsultationAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_RELEVANT = "not_relevant", _("Not relevant")


class Consultation(models.Model):
    """Who has been heard (*Hvem er hørt?*): a body, its answer and the date."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="consultations")
    body = models.CharField(_("body"), max_length=200)
    guidance = models.TextField(_("when to consult"), blank=True, max_length=TEXT_MAX)
    answer = models.CharField(
        _("answer"), max_length=20, choices=ConsultationAnswer.choices, blank=True
    )
    answered_on = models.DateField(_("date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["proposal", "position", "pk"]

    def __str__(self) -> str:
        return self.body


# Prioritisation rounds -------------------------------------------------------------------------


class Objective(models.TextChoices):
    SCORE = "score", _("Weighted score")
    NPV = "npv", _("Net present value")


class Round(OwnedRecord):
    """An innovation pool's round: proposals entered by their departments, scored by the
    board, funded within the budgets."""

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    submission_deadline = models.DateTimeField(_("submission deadline"))
    scoring_deadline = models.DateTimeField(_("scoring closes"))
    board = models.ManyToManyField(
        User, verbose_name=_("board"), blank=True, related_name="proposal_rounds"
    )
    objective = models.CharField(
        _("maximise"), max_length=10, choices=Objective.choices, default=Objective.SCORE
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[board])

    class Meta:
        verbose_name = _("prioritisation round")
        verbose_name_plural = _("prioritisation rounds")
        ordering = ["-submission_deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scoring_deadline__gte=models.F("submission_deadline")),
                name="round_scoring_after_submission",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:round", args=[self.pk])


class RoundBudget(models.Model):
    """The money the round may spend: for one year or all years (``year`` empty), for one
    budget area or all (``budget_area`` blank). Amount in 1,000."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)],
    )
    budget_area = models.CharField(
        _("budget area"), max_length=20, choices=BudgetArea.choices, blank=True
    )
    amount = models.DecimalField(
        _("budget"),
        validators=[MinValueValidator(0), MaxValueValidator(AMOUNT_LIMIT)],
        max_digits=14,
        decimal_places=2,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["round", "year", "budget_area"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "year", "budget_area"],
                condition=Q(year__isnull=False),
                name="round_budget_once_a_year",
            ),
            models.UniqueConstraint(
                fields=["round", "budget_area"],
                condition=Q(year__isnull=True),
                name="round_budget_once_for_all_years",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.year or ''} {self.budget_area}".strip()


class RoundCriterion(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
    )
    scale_min = models.SmallIntegerField(_("lowest score"), default=1)
    scale_max = models.SmallIntegerField(_("highest score"), default=5)
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["round", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")), name="round_criterion_scale"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Choice(models.TextChoices):
    """A board's fixed choice for the optimiser."""

    FREE = "", _("Let the optimiser choose")
    INCLUDE = "include", _("Must be funded")
    EXCLUDE = "exclude", _("Must not be funded")


class RoundEntry(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="entries")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="round_entries")
    choice = models.CharField(
        _("optimiser choice"), max_length=10, choices=Choice.choices, blank=True
    )
    entered_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(_("entered"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposal in a round")
        verbose_name_plural = _("proposals in a round")
        ordering = ["round", "entered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "proposal"], name="round_entry_once")
        ]

    def __str__(self) -> str:
        return f"{self.round} – {self.proposal}"


class Score(models.Model):
    entry = models.ForeignKey(RoundEntry, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RoundCriterion, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="proposal_scores")
    value = models.SmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "criterion", "member"], name="proposal_score_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry} {self.criterion}: {self.value}"


class OptimisationStatus(models.TextChoices):
    OPTIMAL = "optimal", _("Proven optimal")
    TIME_LIMIT = "time_limit", _("Best found within the time limit")
    INFEASIBLE = "infeasible", _("No portfolio fits the budgets")


class OptimisationRun(models.Model):
    """The last solved portfolio of a round, kept so the page and API show it and why."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="optimisation_runs")
    objective = models.CharField(_("maximise"), max_length=10, choices=Objective.choices)
    status = models.CharField(_("status"), max_length=20, choices=OptimisationStatus.choices)
    value = models.FloatField(_("value"), null=True)
    greedy_value = models.FloatField(_("value of the greedy ranking"), null=True)
    # {"selected": [proposal ids], "greedy": [ids], "reasons": {id: {"code": .., "params": {..}}}};
    # reasons are codes, translated when shown
    result = models.JSONField(default=dict)
    seconds = models.FloatField(_("seconds"))
    run_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    run_at = models.DateTimeField(_("run"), auto_now_add=True)

    class Meta:
        verbose_name = _("optimisation run")
        verbose_name_plural = _("optimisation runs")
        ordering = ["round", "-run_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.round} {self.run_at:%Y-%m-%d %H:%M}"
