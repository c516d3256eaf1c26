"""Every write of a result: create (standalone or from a pilot, event, procurement, scaling
process, event concept or phase model), edit, documents, publish and withdraw. Pages, API
and the demo loader call these.

A result keeps snapshots: ``figures`` from the linked pilot's KPIs and benefits, ``content``
from the template's source (an event concept with its tasks, an event's judging criteria,
a phase model with its phases and checklists). Both are taken when the result is created
or its source changes, and again when it is published.

Publishing is refused while the result contains internal records: a linked pilot, event,
procurement, scaling process or event concept that is not public, or a figure that comes
from a record that is not public. The refusal names each record.

Services raise ``ValidationError({field: message})`` for bad input and ``PermissionDenied``
for a user who may not write.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from samspil.core import permissions
from samspil.core.models import Organisation, User, Visibility
from samspil.core.uploads import safe_file_name
from samspil.core.validation import clean_text, too_long
from samspil.events.models import Event, EventConcept
from samspil.needs.models import Theme
from samspil.pilots.models import MaturityStage, Outcome, PhaseModel, Pilot
from samspil.procurement.models import Procurement, ScalingProcess, Stage

from . import figures as figure_aid
from .models import (
    TEXT_MAX,
    TITLE_MAX,
    CodeLicence,
    Result,
    ResultDocument,
    ResultKind,
    ResultOutcome,
    ResultStatus,
    TextLicence,
)

SUMMARY_MAX = 2000
CONTACT_MAX = 200

# What a result's editors set, in the order the form shows it.
RESULT_FIELDS = (
    "kind",
    "title",
    "summary",
    "tried",
    "came_of_it",
    "outcome",
    "stage",
    "themes",
    "pilot",
    "event",
    "procurement",
    "scaling_process",
    "concept",
    "phase_model",
    "licence",
    "code_licence",
    "code_url",
    "contact_name",
    "contact_email",
)
SOURCE_FIELDS = ("pilot", "event", "procurement", "scaling_process", "concept")

MB = 1024 * 1024
DOCUMENT_MAX_BYTES = 20 * MB
DOCUMENTS_PER_RESULT = 20
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".zip": "application/zip",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}

OUTCOME_OF_PILOT: dict[str, str] = {
    Outcome.IN_HOUSE: ResultOutcome.IMPLEMENTED,
    Outcome.PARTNERSHIP: ResultOutcome.PARTNERSHIP,
    Outcome.PROCUREMENT: ResultOutcome.PROCURED,
    Outcome.SCALE: ResultOutcome.SCALED,
    Outcome.STOP: ResultOutcome.STOPPED,
}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _save(record: Model, actor: User | None, **options) -> None:
    record._history_user = actor  # type: ignore[attr-defined]
    record.save(**options)


def _text(value: str, limit: int) -> str:
    value = (value or "").strip()
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


# Snapshots from the sources ----------------------------------------------------------------------


def figure_rows_of(pilot: Pilot) -> list[figure_aid.FigureRow]:
    """The pilot's KPIs and benefits as rows for ``figures``, in two queries each."""
    kpis = pilot.kpis.prefetch_related("measurements").order_by("position", "pk")
    benefits = pilot.benefits.prefetch_related("measurements").order_by("pk")
    return [_figure_row(pilot, figure_aid.KPI, kpi.name, kpi) for kpi in kpis] + [
        _figure_row(pilot, figure_aid.BENEFIT, benefit.indicator, benefit) for benefit in benefits
    ]


def _figure_row(pilot: Pilot, kind: str, name: str, record) -> figure_aid.FigureRow:
    """A KPI or a benefit: both have a unit, a direction, a baseline, a target and
    measurements."""
    return figure_aid.FigureRow(
        kind=kind,
        name=name,
        unit=record.unit,
        direction=record.direction,
        baseline=record.baseline_value,
        baseline_on=record.baseline_on,
        target=record.target_value,
        target_on=record.target_on,
        points=[figure_aid.Measured(m.measured_on, m.value) for m in record.measurements.all()],
        source_kind="pilot",
        source_id=pilot.pk,
        source_title=pilot.title,
    )


def figures_snapshot(pilot: Pilot | None) -> list[dict]:
    if pilot is None:
        return []
    return [figure_aid.to_json(f) for f in figure_aid.figures_of(figure_rows_of(pilot))]


def concept_content(concept: EventConcept) -> dict:
    return {
        "concept": {
            "title": concept.title,
            "description": concept.description,
            "kind": concept.kind,
        },
        "tasks": [
            {
                "title": task.title,
                "area": task.area,
                "description": task.description,
                "days_before_start": task.days_before_start,
            }
            for task in concept.tasks.order_by("-days_before_start", "position", "pk")
        ],
    }


def criteria_content(event: Event) -> dict:
    return {
        "event_kind": event.kind,
        "criteria": [
            {"name": c.name, "description": c.description, "weight": str(c.weight)}
            for c in event.criteria.order_by("position", "pk")
        ],
    }


def checklist_content(model: PhaseModel) -> dict:
    phases = list(model.phases.prefetch_related("checklist").order_by("position"))
    index = {phase.pk: i for i, phase in enumerate(phases)}
    return {
        "phase_model": {
            "name": model.name,
            "description": model.description,
            "source": model.source,
        },
        "phases": [
            {
                "name": phase.name,
                "description": phase.description,
                "checklist": [item.text for item in phase.checklist.all()],
            }
            for phase in phases
        ],
        "decision_points": [
            {
                "code": point.code,
                "name": point.name,
                "description": point.description,
                "documents": point.documents,
                "closes": index.get(point.closes_id, 0),
            }
            for point in model.decision_points.order_by("position")
        ],
    }


def content_snapshot(kind: str, *, concept=None, event=None, phase_model=None) -> dict:
    """The template's content from its source; an empty dict for results and guides."""
    if kind == ResultKind.EVENT_CONCEPT and concept is not None:
        return concept_content(concept)
    if kind == ResultKind.CRITERIA_SET and event is not None:
        return criteria_content(event)
    if kind == ResultKind.CHECKLIST and phase_model is not None:
        return checklist_content(phase_model)
    return {}


# Drafts prefilled from a source ------------------------------------------------------------------


def draft_from_pilot(pilot: Pilot) -> dict[str, Any]:
    """Title, what was tried (the description), what came of it (the outcome and lessons),
    stage and outcome from the pilot; its figures follow it when the result is saved."""
    lessons = [lesson.text for lesson in pilot.lessons.order_by("created_at", "pk")]
    came_of_it = "\n\n".join(
        part for part in [pilot.outcome_reason, *(f"– {text}" for text in lessons)] if part
    )
    themes = []
    if pilot.challenge_id:
        themes = list(Theme.objects.filter(challenge__pk=pilot.challenge_id))
    return {
        "kind": ResultKind.RESULT,
        "pilot": pilot,
        "title": pilot.title,
        "summary": _text(pilot.hypothesis, SUMMARY_MAX),
        "tried": _text(pilot.description or pilot.hypothesis, TEXT_MAX),
        "came_of_it": _text(came_of_it, TEXT_MAX),
        "stage": pilot.maturity,
        "outcome": OUTCOME_OF_PILOT.get(pilot.outcome, ""),
        "themes": themes,
    }


def draft_from_event(event: Event, kind: str = ResultKind.RESULT) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "kind": kind,
        "event": event,
        "title": event.title,
        "summary": _text(event.agenda.splitlines()[0] if event.agenda else event.title, 2000),
        "tried": _text(event.agenda, TEXT_MAX),
    }
    if kind == ResultKind.CRITERIA_SET:
        fields["title"] = _("Judging criteria: %(title)s") % {"title": event.title}
        fields["title"] = _text(fields["title"], TITLE_MAX)
    return fields


def draft_from_procurement(procurement: Procurement) -> dict[str, Any]:
    done = procurement.stage in (Stage.CONTRACT, Stage.IMPLEMENTATION)
    return {
        "kind": ResultKind.RESULT,
        "procurement": procurement,
        "title": procurement.title,
        "summary": _text(procurement.description or procurement.title, SUMMARY_MAX),
        "tried": _text(procurement.description, TEXT_MAX),
        "outcome": ResultOutcome.PROCURED if done else "",
    }


def draft_from_scaling_process(process: ScalingProcess) -> dict[str, Any]:
    return {
        "kind": ResultKind.RESULT,
        "scaling_process": process,
        "title": process.title,
        "summary": _text(process.description or process.title, SUMMARY_MAX),
        "tried": _text(process.description, TEXT_MAX),
        "outcome": ResultOutcome.SCALED,
    }


def draft_from_concept(concept: EventConcept) -> dict[str, Any]:
    return {
        "kind": ResultKind.EVENT_CONCEPT,
        "concept": concept,
        "title": concept.title,
        "summary": _text(concept.description or concept.title, SUMMARY_MAX),
    }


def draft_from_phase_model(model: PhaseModel) -> dict[str, Any]:
    return {
        "kind": ResultKind.CHECKLIST,
        "phase_model": model,
        "title": model.name,
        "summary": _text(model.description or model.name, SUMMARY_MAX),
    }


# Checks ------------------------------------------------------------------------------------------


def _visible_source(actor: User, name: str, record) -> bool:
    """Whether ``actor`` sees the source record linked under ``name``."""
    if record is None:
        return True
    if name == "phase_model":
        return record.organisation_id is None or (
            record.organisation_id in permissions.access_of(actor).sees_internal_of
        )
    querysets = {
        "pilot": permissions.pilots_visible_to,
        "event": permissions.events_visible_to,
        "procurement": permissions.procurements_visible_to,
        "scaling_process": permissions.scaling_processes_visible_to,
        "concept": permissions.concepts_visible_to,
    }
    return querysets[name](actor).filter(pk=record.pk).exists()


def _choice(fields: dict, errors: dict, name: str, choices, message: str, blank=True) -> None:
    if name not in fields:
        return
    value = fields[name] or ""
    if (value or not blank) and value not in choices:
        errors[name] = message
    fields[name] = value


def _validate(actor: User, fields: dict, current: Result | None = None) -> None:
    unknown = set(fields) - set(RESULT_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    errors: dict[str, str] = {}
    clean_text(fields, errors, "title", TITLE_MAX, required=True)
    clean_text(fields, errors, "summary", SUMMARY_MAX, required=True)
    clean_text(fields, errors, "tried", TEXT_MAX)
    clean_text(fields, errors, "came_of_it", TEXT_MAX)
    clean_text(fields, errors, "contact_name", CONTACT_MAX, required=True)
    clean_text(fields, errors, "contact_email", 254, required=True)
    clean_text(fields, errors, "code_url", 200)
    _choice(fields, errors, "kind", ResultKind.values, _("Choose one of the kinds."), blank=False)
    _choice(fields, errors, "outcome", ResultOutcome.values, _("Choose one of the outcomes."))
    _choice(fields, errors, "stage", MaturityStage.values, _("Choose one of the stages."))
    _choice(
        fields,
        errors,
        "licence",
        TextLicence.values,
        _("Choose one of the licences for text."),
        blank=False,
    )
    _choice(
        fields,
        errors,
        "code_licence",
        CodeLicence.values,
        _("Choose one of the open-source licences."),
    )
    if fields.get("contact_email") and "contact_email" not in errors:
        try:
            EmailValidator()(fields["contact_email"])
        except ValidationError:
            errors["contact_email"] = _("Enter a valid e-mail address.")
    if fields.get("code_url") and "code_url" not in errors:
        try:
            URLValidator(schemes=["https", "http"])(fields["code_url"])
        except ValidationError:
            errors["code_url"] = _("Enter the web address of the repository, https://…")

    def value(name):
        if name in fields:
            return fields[name]
        return getattr(current, name, None) if current else None

    if value("code_url") and not value("code_licence") and "code_url" not in errors:
        errors["code_licence"] = _("Choose the open-source licence of the code.")
    if value("code_licence") and not value("code_url") and "code_licence" not in errors:
        errors["code_url"] = _("Enter the repository of the code, or leave its licence empty.")
    for name in (*SOURCE_FIELDS, "phase_model"):
        if name in fields and not _visible_source(actor, name, fields[name]):
            errors[name] = _("Choose a record you may see.")
    kind = value("kind") or ResultKind.RESULT
    if "kind" not in errors:
        needs = {
            ResultKind.EVENT_CONCEPT: ("concept", _("Choose the event concept to publish.")),
            ResultKind.CHECKLIST: ("phase_model", _("Choose the phase model to publish.")),
            ResultKind.CRITERIA_SET: ("event", _("Choose the event whose criteria to publish.")),
        }
        if kind in needs:
            name, message = needs[kind]
            has_content = bool(current and current.content and current.kind == kind)
            if value(name) is None and not has_content and name not in errors:
                errors[name] = message
        event = value("event")
        if (
            kind == ResultKind.CRITERIA_SET
            and event is not None
            and "event" not in errors
            and not event.criteria.exists()
        ):
            errors["event"] = _("This event has no judging criteria yet.")
    if "themes" in fields:
        fields["themes"] = list(fields["themes"] or [])
    if errors:
        raise ValidationError(errors)


def publication_problems(result: Result) -> list[str]:
    """Why ``result`` may not be published yet: each linked record that is not public, and
    each figure from a record that is not public. Empty when it may be published."""
    problems: list[str] = []
    labels = {
        "pilot": _("The pilot “%(title)s” is not public (%(visibility)s)."),
        "event": _("The event “%(title)s” is not public (%(visibility)s)."),
        "procurement": _("The procurement “%(title)s” is not public (%(visibility)s)."),
        "scaling_process": _("The scaling process “%(title)s” is not public (%(visibility)s)."),
        "concept": _("The event concept “%(title)s” is not public (%(visibility)s)."),
    }
    shown = dict(Visibility.choices)
    for name in SOURCE_FIELDS:
        record = getattr(result, name)
        if record is not None and record.visibility != Visibility.PUBLIC:
            problems.append(
                labels[name] % {"title": record.title, "visibility": shown[record.visibility]}
            )
    pilot_ids = figure_aid.sources_of(result.figures).get("pilot", set())
    if pilot_ids:
        pilots = {p.pk: p for p in Pilot.objects.filter(pk__in=pilot_ids)}
        for item in result.figures:
            source = item.get("source") or {}
            pk = source.get("id")
            pilot = pilots.get(pk) if source.get("kind") == "pilot" and pk else None
            if pilot is not None and pilot.visibility != Visibility.PUBLIC:
                problems.append(
                    _(
                        "The figure “%(name)s” comes from the pilot “%(title)s”, which is not "
                        "public."
                    )
                    % {"name": item.get("name", ""), "title": pilot.title}
                )
    return problems


# Writes ------------------------------------------------------------------------------------------


def _refresh_snapshots(result: Result, changed: set[str]) -> None:
    """Figures follow the linked pilot; a template's content follows its source."""
    if "pilot" in changed:
        result.figures = figures_snapshot(result.pilot)
    if changed & {"kind", "concept", "event", "phase_model"}:
        content = content_snapshot(
            result.kind, concept=result.concept, event=result.event, phase_model=result.phase_model
        )
        if content or result.kind in (ResultKind.RESULT, ResultKind.GUIDE):
            result.content = content


@transaction.atomic
def create_result(actor: User, owner: Organisation, **fields) -> Result:
    """A draft result of ``owner`` (innovation leads); its snapshots from its sources."""
    _require(permissions.can_publish_results_for(actor, owner))
    for name in ("title", "summary", "contact_name", "contact_email"):
        fields.setdefault(name, "")
    fields.setdefault("kind", ResultKind.RESULT)
    _validate(actor, fields)
    themes = fields.pop("themes", [])
    result = Result(owner=owner, created_by=actor, status=ResultStatus.DRAFT, **fields)
    _refresh_snapshots(result, {"pilot", "kind"})
    _save(result, actor)
    if themes:
        result.themes.set(themes)
    return result


@transaction.atomic
def update_result(actor: User, result: Result, **fields) -> Result:
    """Change a result; a published one stays published only while it holds no internal
    record (else the change is refused with the reasons)."""
    _require(permissions.can_edit_result(actor, result))
    _validate(actor, fields, result)
    themes = fields.pop("themes", None)
    links = (*SOURCE_FIELDS, "phase_model")
    changed = set()
    for name, value in fields.items():
        if name in links:
            moved = getattr(result, f"{name}_id") != (value.pk if value else None)
        else:
            moved = name == "kind" and value != result.kind
        if moved:
            changed.add(name)
    for name, value in fields.items():
        setattr(result, name, value)
    _refresh_snapshots(result, changed)
    if result.status == ResultStatus.PUBLISHED:
        problems = publication_problems(result)
        if problems:
            raise ValidationError({"status": problems})
    _save(result, actor)
    if themes is not None:
        result.themes.set(themes)
    return result


@transaction.atomic
def publish_result(actor: User, result: Result) -> Result:
    """Publish with fresh snapshots; refused, naming each record, while it holds internal
    records."""
    _require(permissions.can_edit_result(actor, result))
    result = Result.objects.select_for_update().get(pk=result.pk)
    if result.status == ResultStatus.PUBLISHED:
        raise ValidationError({"status": _("The result is published already.")})
    _refresh_snapshots(result, {"pilot", "kind"})
    problems = publication_problems(result)
    if problems:
        raise ValidationError({"status": problems})
    if result.kind != ResultKind.RESULT and result.kind != ResultKind.GUIDE and not result.content:
        raise ValidationError({"status": _("The template has no content to publish.")})
    result.status = ResultStatus.PUBLISHED
    result.published_at = timezone.now()
    result.published_by = actor
    _save(result, actor)
    return result


@transaction.atomic
def withdraw_result(actor: User, result: Result) -> Result:
    """Take a published result out of the catalogue; its page is then for its owner's
    people only. It may be published again."""
    _require(permissions.can_edit_result(actor, result))
    result = Result.objects.select_for_update().get(pk=result.pk)
    if result.status != ResultStatus.PUBLISHED:
        raise ValidationError({"status": _("Only a published result can be withdrawn.")})
    result.status = ResultStatus.WITHDRAWN
    _save(result, actor)
    return result


# Documents ---------------------------------------------------------------------------------------


def original_name(document: ResultDocument) -> str:
    """The uploaded file's safe name (the stored name is "<hex>_<name>")."""
    base = os.path.basename(document.file.name)
    return base.split("_", 1)[1] if "_" in base else base


def content_type_of(document: ResultDocument) -> str:
    extension = os.path.splitext(document.file.name)[1].lower()
    return DOCUMENT_TYPES.get(extension, "application/octet-stream")


def add_document(
    actor: User, result: Result, upload: UploadedFile, title: str = ""
) -> ResultDocument:
    """Store a document under a generated name after checking its type and size."""
    _require(permissions.can_edit_result(actor, result))
    original = safe_file_name(upload.name or "")
    extension = os.path.splitext(original)[1].lower()
    if extension not in DOCUMENT_TYPES:
        raise ValidationError(
            {
                "file": _("%(name)s: files of this type are not accepted (%(types)s).")
                % {"name": original, "types": ", ".join(sorted(DOCUMENT_TYPES))}
            }
        )
    if upload.size is None or upload.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("%(name)s is larger than %(size)d MB.")
                % {"name": original, "size": DOCUMENT_MAX_BYTES // MB}
            }
        )
    title = (title or "").strip() or os.path.splitext(original)[0]
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": too_long(TITLE_MAX)})
    with transaction.atomic():
        Result.objects.select_for_update().filter(pk=result.pk).first()
        if result.documents.count() >= DOCUMENTS_PER_RESULT:
            raise ValidationError(
                {
                    "file": _("A result has at most %(count)d documents.")
                    % {"count": DOCUMENTS_PER_RESULT}
                }
            )
        document = ResultDocument(result=result, title=title, uploaded_by=actor)
        document.file.save(f"{uuid.uuid4().hex}_{original}", upload, save=False)
        try:
            _save(document, actor)
        except Exception:
            document.file.delete(save=False)
            raise
    return document


def remove_document(actor: User, document: ResultDocument) -> None:
    _require(permissions.can_edit_result(actor, document.result))
    document._history_user = actor  # type: ignore[attr-defined]
    stored = document.file
    document.delete()
    transaction.on_commit(lambda: stored.delete(save=False))
