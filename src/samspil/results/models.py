"""Open results: what was tried and what came of it, published for anyone to read under an
open licence, and templates and guides that another organisation copies with one action.
Adoptions record who took a result up, with a linked pilot or procurement and its outcome.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samspil.core.models import Organisation, User
from samspil.pilots.models import MaturityStage

TITLE_MAX = 200
TEXT_MAX = 20000


class ResultKind(models.TextChoices):
    RESULT = "result", _("Result of a case")
    EVENT_CONCEPT = "event_concept", _("Event concept (e.g. a hackathon concept)")
    CRITERIA_SET = "criteria_set", _("Criteria set")
    CHECKLIST = "checklist", _("Checklist or phase model")
    GUIDE = "guide", _("Guide")


TEMPLATE_KINDS = frozenset(
    {ResultKind.EVENT_CONCEPT, ResultKind.CRITERIA_SET, ResultKind.CHECKLIST, ResultKind.GUIDE}
)


class ResultOutcome(models.TextChoices):
    IMPLEMENTED = "implemented", _("Implemented in operation")
    PROCURED = "procured", _("Procured")
    SCALED = "scaled", _("Scaled to more organisations")
    PARTNERSHIP = "partnership", _("Continued in a partnership")
    LEARNING = "learning", _("Learning, not continued")
    STOPPED = "stopped", _("Stopped")


class TextLicence(models.TextChoices):
    CC_BY_4_0 = "CC-BY-4.0", "CC BY 4.0"
    CC_BY_SA_4_0 = "CC-BY-SA-4.0", "CC BY-SA 4.0"
    CC0_1_0 = "CC0-1.0", "CC0 1.0"


class CodeLicence(models.TextChoices):
    EUPL_1_2 = "EUPL-1.2", "EUPL 1.2"
    MIT = "MIT", "MIT"
    APACHE_2_0 = "Apache-2.0", "Apache 2.0"
    GPL_3_0 = "GPL-3.0-or-later", "GPL 3.0 or later"
    AGPL_3_0 = "AGPL-3.0-or-later", "AGPL 3.0 or later"


class ResultStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Result(models.Model):
    """A draft is seen by the owner's members; once published it is readable by anyone."""

    owner = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=ResultKind.choices, default=ResultKind.RESULT
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    summary = models.TextField(_("summary"), max_length=2000)
    tried = models.TextField(_("what was tried"), blank=True, max_length=TEXT_MAX)
    came_of_it = models.TextField(_("what came of it"), blank=True, max_length=TEXT_MAX)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=ResultOutcome.choices, blank=True
    )
    stage = models.CharField(_("stage"), max_length=20, choices=MaturityStage.choices, blank=True)
    themes = models.ManyToManyField("needs.Theme", verbose_name=_("themes"), blank=True)
    # Sources; every one must be public when the result is published.
    pilot = models.ForeignKey(
        "pilots.Pilot", null=True, blank=True, on_delete=models.SET_NULL, related_name="results"
    )
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="results"
    )
    procurement = models.ForeignKey(
        "procurement.Procurement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="results",
    )
    scaling_process = models.ForeignKey(
        "procurement.ScalingProcess",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="results",
    )
    # Templates: what is copied into another organisation.
    concept = models.ForeignKey(
        "events.EventConcept", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    phase_model = models.ForeignKey(
        "pilots.PhaseModel", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Snapshots taken when publishing: figures from KPIs and benefits, template content.
    figures = models.JSONField(_("figures"), default=list, blank=True)
    content = models.JSONField(default=dict, blank=True)
    licence = models.CharField(
        _("licence of the text"),
        max_length=20,
        choices=TextLicence.choices,
        default=TextLicence.CC_BY_4_0,
    )
    code_licence = models.CharField(
        _("licence of the code"), max_length=20, choices=CodeLicence.choices, blank=True
    )
    code_url = models.URLField(_("source code"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    status = models.CharField(
        _("status"), max_length=12, choices=ResultStatus.choices, default=ResultStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[themes])

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="result_published_dated",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("results:detail", args=[self.pk])


class ResultDocument(models.Model):
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    file = models.FileField(_("file"), upload_to="results/%Y/%m/", max_length=300)
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["result", "pk"]

    def __str__(self) -> str:
        return self.title


class AdoptionOutcome(models.TextChoices):
    STARTED = "started", _("Started")
    IN_USE = "in_use", _("In use")
    PROCURED = "procured", _("Procured")
    STOPPED = "stopped", _("Stopped")


class Adoption(models.Model):
    """ "We adopt this": another organisation takes a published result up."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="result_adoptions")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    adopted_on = models.DateField(_("adopted"))
    pilot = models.ForeignKey(
        "pilots.Pilot",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="result_adoptions",
    )
    procurement = models.ForeignKey(
        "procurement.Procurement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="result_adoptions",
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=12,
        choices=AdoptionOutcome.choices,
        default=AdoptionOutcome.STARTED,
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    adopted_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        ordering = ["result", "adopted_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["result", "organisation"], name="result_adopted_once")
        ]

    def __str__(self) -> str:
        return f"{self.result} – {self.organisation}"
