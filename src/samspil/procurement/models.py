"""Innovative and joint procurement: a route (a step model, data), the steps done with what
each produced, phases with intermediate targets and go/no-go (innovation partnership, PCP),
lots, buyers with options under a ceiling, awards and contracts. Every procurement has an
OCDS ``ocid`` and is published as OCDS 1.1.5 releases (``samspil.procurement.ocds``).
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from samspil.core.models import Currency, Organisation, OwnedRecord, User
from samspil.needs.models import Challenge
from samspil.pilots.models import Pilot
from samspil.proposals.models import Proposal

TITLE_MAX = 200
TEXT_MAX = 10000
AMOUNT_LIMIT = 10**12  # in whole units of the currency (DKK 160 m is 1.6e8)


def _amount(label):
    return models.DecimalField(
        label,
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )


# Routes (data) ---------------------------------------------------------------------------------


class OcdsMethod(models.TextChoices):
    """OCDS ``procurementMethod`` (a closed codelist)."""

    OPEN = "open", _("Open")
    SELECTIVE = "selective", _("Selective")
    LIMITED = "limited", _("Limited")
    DIRECT = "direct", _("Direct")


class ProcurementRoute(models.Model):
    """A procurement route such as the innovation partnership, with its ordered steps."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    law = models.CharField(_("legal basis"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    produces = models.TextField(_("produces"), blank=True, max_length=TEXT_MAX)
    ocds_method = models.CharField(
        _("OCDS procurement method"), max_length=10, choices=OcdsMethod.choices, blank=True
    )
    has_phases = models.BooleanField(_("has phases with go/no-go"), default=False)
    position = models.PositiveIntegerField(default=0)
    # {"da": {"name": .., "description": .., "produces": ..}, "nb": .., "sv": ..}; English above.
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("procurement route")
        verbose_name_plural = _("procurement routes")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class RouteStep(models.Model):
    route = models.ForeignKey(ProcurementRoute, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField()
    name = models.CharField(_("step"), max_length=200)
    produces = models.TextField(_("produces"), blank=True, max_length=TEXT_MAX)
    guidance = models.TextField(_("guidance"), blank=True, max_length=TEXT_MAX)
    translations = models.JSONField(default=dict, blank=True)  # as ProcurementRoute's

    class Meta:
        verbose_name = _("route step")
        verbose_name_plural = _("route steps")
        ordering = ["route", "position"]
        constraints = [
            models.UniqueConstraint(fields=["route", "position"], name="route_step_position")
        ]

    def __str__(self) -> str:
        return self.name


# Procurements ----------------------------------------------------------------------------------


class Stage(models.TextChoices):
    """Where the procurement stands, as OCDS release tags name it."""

    PLANNING = "planning", _("Planning and market dialogue")
    TENDER = "tender", _("Tender")
    AWARD = "award", _("Award")
    CONTRACT = "contract", _("Contract")
    IMPLEMENTATION = "implementation", _("Implementation")
    CANCELLED = "cancelled", pgettext_lazy("procurement stage", "Cancelled")


class Procurement(OwnedRecord):
    """``owner`` is the lead buyer; ``procuring_entity`` runs the procedure (often the same)."""

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    route = models.ForeignKey(
        ProcurementRoute,
        verbose_name=_("route"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="procurements",
    )
    procuring_entity = models.ForeignKey(
        Organisation,
        verbose_name=_("procuring entity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="procuring",
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    estimated_value = _amount(_("estimated value"))
    ceiling = _amount(_("ceiling incl. options"))
    cpv_codes = models.JSONField(_("CPV codes"), default=list, blank=True)
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.PLANNING
    )
    dialogue_starts_on = models.DateField(_("market dialogue starts"), null=True, blank=True)
    tender_on = models.DateField(_("tender published"), null=True, blank=True)
    award_on = models.DateField(_("award planned"), null=True, blank=True)
    contract_starts_on = models.DateField(_("contract starts"), null=True, blank=True)
    contract_ends_on = models.DateField(_("contract ends"), null=True, blank=True)
    option_deadline = models.DateField(_("options may be exercised until"), null=True, blank=True)
    ocid = models.CharField(_("OCDS id"), max_length=100, unique=True, null=True, blank=True)
    challenge = models.ForeignKey(
        Challenge,
        verbose_name=_("challenge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="procurements",
    )
    pilot = models.ForeignKey(
        Pilot,
        verbose_name=_("pilot"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="procurements",
    )
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("investment proposal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="procurements",
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("procurement")
        verbose_name_plural = _("procurements")
        ordering = ["-updated_at", "pk"]
        indexes = [models.Index(fields=["updated_at", "id"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("procurement:detail", args=[self.pk])


class Lot(models.Model):
    procurement = models.ForeignKey(Procurement, on_delete=models.CASCADE, related_name="lots")
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    estimated_value = _amount(_("estimated value"))
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["procurement", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class StepDone(models.Model):
    """A route step done, with what it produced; steps are done in order."""

    procurement = models.ForeignKey(
        Procurement, on_delete=models.CASCADE, related_name="steps_done"
    )
    step = models.ForeignKey(RouteStep, on_delete=models.PROTECT, related_name="+")
    done_on = models.DateField(_("done"))
    output = models.TextField(_("what it produced"), blank=True, max_length=TEXT_MAX)
    done_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("step done")
        verbose_name_plural = _("steps done")
        ordering = ["procurement", "step__position"]
        constraints = [
            models.UniqueConstraint(fields=["procurement", "step"], name="procurement_step_once")
        ]

    def __str__(self) -> str:
        return f"{self.procurement} – {self.step}"


class PhaseDecision(models.TextChoices):
    GO = "go", _("Go")
    NO_GO = "no_go", _("No go")


class Phase(models.Model):
    """A phase of an innovation partnership or PCP with its intermediate target."""

    procurement = models.ForeignKey(Procurement, on_delete=models.CASCADE, related_name="phases")
    position = models.PositiveIntegerField()
    name = models.CharField(_("phase"), max_length=200)
    target = models.TextField(_("intermediate target"), blank=True, max_length=TEXT_MAX)
    max_cost = _amount(_("maximum cost"))
    suppliers = models.ManyToManyField(
        Organisation, verbose_name=_("suppliers in the phase"), blank=True, related_name="+"
    )
    result = models.TextField(_("result"), blank=True, max_length=TEXT_MAX)
    decision = models.CharField(
        _("decision"), max_length=10, choices=PhaseDecision.choices, blank=True
    )
    decided_on = models.DateField(_("decided"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[suppliers])

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["procurement", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "position"], name="procurement_phase_position"
            ),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decided_on__isnull=False),
                name="procurement_phase_decision_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.name


# Joint procurement -----------------------------------------------------------------------------


class BuyerRole(models.TextChoices):
    LEAD = "lead", _("Lead buyer")
    PARTICIPANT = "participant", _("Participating buyer")
    OPTION_HOLDER = "option_holder", _("Option holder")


class Buyer(models.Model):
    """An organisation buying in: invited by the lead, confirmed by a named person of its own."""

    procurement = models.ForeignKey(Procurement, on_delete=models.CASCADE, related_name="buyers")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=20, choices=BuyerRole.choices)
    volume = models.DecimalField(
        _("estimated volume"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    volume_unit = models.CharField(_("unit of volume"), max_length=60, blank=True)
    estimated_value = _amount(_("estimated value"))
    maximum_value = _amount(_("maximum value"))
    option_exercised = models.BooleanField(_("option exercised"), default=False)
    exercised_on = models.DateField(_("exercised"), null=True, blank=True)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    invited_at = models.DateTimeField(_("invited"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        User,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("buyer")
        verbose_name_plural = _("buyers")
        ordering = ["procurement", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "organisation"], name="procurement_buyer_once"
            ),
            models.CheckConstraint(
                condition=Q(option_exercised=False) | Q(exercised_on__isnull=False),
                name="procurement_option_exercised_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


# Award and contract ----------------------------------------------------------------------------


class Award(models.Model):
    procurement = models.ForeignKey(Procurement, on_delete=models.CASCADE, related_name="awards")
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    supplier = models.ForeignKey(
        Organisation, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    value = _amount(_("value"))
    awarded_on = models.DateField(_("awarded"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["procurement", "awarded_on", "pk"]

    def __str__(self) -> str:
        return f"{self.procurement} – {self.supplier}"


class Contract(models.Model):
    procurement = models.ForeignKey(Procurement, on_delete=models.CASCADE, related_name="contracts")
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="contracts")
    value = _amount(_("value"))
    signed_on = models.DateField(_("signed"))
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["procurement", "signed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.procurement} – {self.award.supplier}"


# Fair market dialogue --------------------------------------------------------------------------


class DialogueKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    EVENT = "event", _("Event")
    CALL = "call", _("Phone or video call")
    SITE_VISIT = "site_visit", _("Site visit")
    WRITTEN = "written", _("Written exchange")


class DialogueEntry(models.Model):
    """One contact with the market, logged so that every supplier can be treated alike."""

    procurement = models.ForeignKey(
        Procurement, on_delete=models.CASCADE, related_name="dialogue_entries"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DialogueKind.choices)
    held_on = models.DateField(_("date"))
    subject = models.CharField(_("subject"), max_length=TITLE_MAX)
    summary = models.TextField(_("summary"), blank=True, max_length=TEXT_MAX)
    participants = models.ManyToManyField(
        Organisation, verbose_name=_("participating organisations"), blank=True, related_name="+"
    )
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dialogue_entries",
    )
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[participants])

    class Meta:
        verbose_name = _("dialogue entry")
        verbose_name_plural = _("dialogue entries")
        ordering = ["procurement", "-held_on", "-pk"]

    def __str__(self) -> str:
        return self.subject


class InterestStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    REGISTERED = "registered", _("Registered")


class SupplierInterest(models.Model):
    """A supplier registered for (or invited to) the market dialogue of a procurement or a
    public challenge. Registered suppliers of a procurement receive every published answer."""

    supplier = models.ForeignKey(
        Organisation, verbose_name=_("supplier"), on_delete=models.CASCADE, related_name="interests"
    )
    procurement = models.ForeignKey(
        Procurement,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="supplier_interests",
    )
    challenge = models.ForeignKey(
        Challenge,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="supplier_interests",
    )
    status = models.CharField(_("status"), max_length=12, choices=InterestStatus.choices)
    note = models.TextField(_("what we can offer"), blank=True, max_length=TEXT_MAX)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    registered_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supplier interest")
        verbose_name_plural = _("supplier interests")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(procurement__isnull=False, challenge__isnull=True)
                | Q(procurement__isnull=True, challenge__isnull=False),
                name="supplier_interest_one_target",
            ),
            models.UniqueConstraint(
                fields=["supplier", "procurement"],
                condition=Q(procurement__isnull=False),
                name="supplier_interest_procurement_once",
            ),
            models.UniqueConstraint(
                fields=["supplier", "challenge"],
                condition=Q(challenge__isnull=False),
                name="supplier_interest_challenge_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} – {self.procurement or self.challenge}"


class Question(models.Model):
    """A supplier's question; its answer is published to all registered suppliers at once."""

    procurement = models.ForeignKey(Procurement, on_delete=models.CASCADE, related_name="questions")
    asked_by_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("asked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    asked_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    asked_at = models.DateTimeField(_("asked"), auto_now_add=True)
    text = models.TextField(_("question"), max_length=TEXT_MAX)
    answer = models.TextField(_("answer"), blank=True, max_length=TEXT_MAX)
    answered_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("answer published"), null=True, blank=True)
    dialogue_entry = models.ForeignKey(
        DialogueEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["procurement", "asked_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | ~Q(answer=""),
                name="procurement_question_published_answered",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class AnswerDelivery(models.Model):
    """Proof of equal treatment: which registered supplier got a published answer, and when."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="deliveries")
    supplier = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    delivered_at = models.DateTimeField(_("delivered"))

    class Meta:
        verbose_name = _("answer delivery")
        verbose_name_plural = _("answer deliveries")
        constraints = [
            models.UniqueConstraint(fields=["question", "supplier"], name="answer_delivered_once")
        ]

    def __str__(self) -> str:
        return f"{self.question} – {self.supplier}"


class FunctionalRequirement(models.Model):
    """A need-based, outcome-oriented requirement with where it came from."""

    procurement = models.ForeignKey(
        Procurement, on_delete=models.CASCADE, related_name="requirements"
    )
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(_("requirement"), max_length=2000)
    outcome = models.TextField(_("outcome it serves"), blank=True, max_length=2000)
    source = models.CharField(_("source"), max_length=300, blank=True)
    learned_requirement = models.ForeignKey(
        "events.LearnedRequirement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="functional_requirements",
    )
    dialogue_entry = models.ForeignKey(
        DialogueEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("functional requirement")
        verbose_name_plural = _("functional requirements")
        ordering = ["procurement", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "learned_requirement"],
                condition=Q(learned_requirement__isnull=False),
                name="functional_requirement_learned_once",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


# Suppliers -------------------------------------------------------------------------------------


class CompanySize(models.TextChoices):
    """The EU SME size classes."""

    MICRO = "micro", _("Micro (fewer than 10 employees)")
    SMALL = "small", _("Small (fewer than 50 employees)")
    MEDIUM = "medium", _("Medium (fewer than 250 employees)")
    LARGE = "large", _("Large (250 employees or more)")


class SupplierProfile(models.Model):
    """A company's entry in the supplier directory; always public."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="supplier_profile"
    )
    offer = models.TextField(_("what we offer"), max_length=TEXT_MAX)
    competences = models.JSONField(_("competences"), default=list, blank=True)
    references = models.TextField(_("references"), blank=True, max_length=TEXT_MAX)
    size = models.CharField(_("size"), max_length=10, choices=CompanySize.choices, blank=True)
    countries_served = models.JSONField(_("countries served"), default=list, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supplier profile")
        verbose_name_plural = _("supplier profiles")
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return str(self.organisation)


# Scaling processes -----------------------------------------------------------------------------


class ScalingStep(models.TextChoices):
    """CO-PI's steps, in order."""

    NEED_EXPLORATION = "need_exploration", _("Joint need exploration")
    BUYER_MATCHMAKING = "buyer_matchmaking", _("Matchmaking of buyers")
    SUPPLIER_CONFERENCES = "supplier_conferences", _("Supplier conferences")
    LETTER_OF_INTENT = "letter_of_intent", _("Joint letter of intent")
    TENDER = "tender", _("Tender")


SCALING_STEP_ORDER = [step.value for step in ScalingStep]


class ScalingProcess(OwnedRecord):
    """Many buyers gathered around one shared challenge; ``owner`` facilitates."""

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    challenge = models.ForeignKey(
        Challenge,
        verbose_name=_("shared challenge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="scaling_processes",
    )
    saves_time = models.BooleanField(_("saves time"), default=False)
    recognisable_elsewhere = models.BooleanField(_("recognisable elsewhere"), default=False)
    anchored_in_management = models.BooleanField(_("anchored in top management"), default=False)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    procurement = models.ForeignKey(
        Procurement,
        verbose_name=_("tender"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="scaling_processes",
    )
    started_on = models.DateField(_("started"), null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scaling process")
        verbose_name_plural = _("scaling processes")
        ordering = ["-updated_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("scaling:detail", args=[self.pk])

    @property
    def meets_criteria(self) -> bool:
        return self.saves_time and self.recognisable_elsewhere and self.anchored_in_management


class ScalingRole(models.TextChoices):
    NEED_OWNER = "need_owner", _("Need owner")
    BUYER = "buyer", _("Buyer")
    OBSERVER = "observer", _("Observer")
    FACILITATOR = "facilitator", _("Facilitator")


class ScalingParticipant(models.Model):
    process = models.ForeignKey(
        ScalingProcess, on_delete=models.CASCADE, related_name="participants"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=20, choices=ScalingRole.choices)
    joined_on = models.DateField(_("joined"), null=True, blank=True)
    added_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["process", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "organisation"], name="scaling_participant_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class ScalingStepDone(models.Model):
    process = models.ForeignKey(ScalingProcess, on_delete=models.CASCADE, related_name="steps_done")
    step = models.CharField(_("step"), max_length=24, choices=ScalingStep.choices)
    done_on = models.DateField(_("done"))
    note = models.TextField(_("what came of it"), blank=True, max_length=TEXT_MAX)
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scaling step done")
        verbose_name_plural = _("scaling steps done")
        ordering = ["process", "done_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["process", "step"], name="scaling_step_once")
        ]

    def __str__(self) -> str:
        return self.get_step_display()


class Commitment(models.Model):
    """A participant's letter of intent: the volume and value it means to buy."""

    process = models.ForeignKey(
        ScalingProcess, on_delete=models.CASCADE, related_name="commitments"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    volume = models.DecimalField(
        _("volume"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    volume_unit = models.CharField(_("unit of volume"), max_length=60, blank=True)
    value = _amount(_("value"))
    signed_on = models.DateField(_("signed"))
    signed_by = models.CharField(_("signed by"), max_length=200)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("letter of intent")
        verbose_name_plural = _("letters of intent")
        ordering = ["process", "signed_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["process", "organisation"], name="commitment_once")
        ]

    def __str__(self) -> str:
        return f"{self.process} – {self.organisation}"


class AdoptionCount(models.Model):
    """How many organisations had bought the solution on a date (8 → 29)."""

    process = models.ForeignKey(
        ScalingProcess, on_delete=models.CASCADE, related_name="adoption_counts"
    )
    counted_on = models.DateField(_("date"))
    organisations = models.PositiveIntegerField(_("organisations that have bought it"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("adoption count")
        verbose_name_plural = _("adoption counts")
        ordering = ["process", "counted_on"]
        constraints = [
            models.UniqueConstraint(fields=["process", "counted_on"], name="adoption_count_once")
        ]

    def __str__(self) -> str:
        return f"{self.counted_on}: {self.organisations}"
