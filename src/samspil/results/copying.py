"""Copy a published template or guide into another organisation with one action.

What the copy becomes (made from the published snapshot in ``Result.content``, not from the
live source, which may have changed or be internal):

- an event concept → a new ``EventConcept`` of the organisation with all its tasks;
- a checklist → a new ``PhaseModel`` of the organisation (a unique code) with its phases,
  checklist items and decision points;
- a criteria set → a new ``EventConcept`` (kind hackathon) whose description lists the
  criteria, with one task "Add the judging criteria" that lists them again with their
  weights (events keep criteria per event; concepts have no place for default criteria);
- a guide → the guide's text and documents.

Every copy also makes a draft ``Result`` in the organisation with ``copied_from`` set to the
published one (and ``concept`` or ``phase_model`` set to the new record): the concept and
phase model have no field for their origin, so the draft records it, and the organisation
may later publish its improved version.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from samspil.core import permissions
from samspil.core.models import Organisation, Role, User, Visibility
from samspil.events.models import TEXT_MAX as EVENT_TEXT_MAX
from samspil.events.models import ConceptTask, EventConcept, EventKind, TaskArea
from samspil.pilots.models import ChecklistTemplateItem, DecisionPoint, Phase, PhaseModel

from . import services
from .models import TEMPLATE_KINDS, Result, ResultDocument, ResultKind, ResultStatus

COPYABLE_KINDS = TEMPLATE_KINDS


@dataclass(frozen=True)
class Copy:
    """What one copy made: the draft result in the organisation and the record it points to
    (the new concept or phase model; the draft itself for a guide)."""

    result: Result
    target: Model

    @property
    def url(self) -> str:
        target = self.target
        if isinstance(target, PhaseModel):
            return reverse("pilots:phase-model", args=[target.pk])
        return target.get_absolute_url()  # type: ignore[attr-defined]


def copying_organisations(user) -> list[Organisation]:
    """Where ``user`` may copy templates to: the organisations they lead innovation in."""
    led = permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD)
    if not led:
        return []
    return list(Organisation.objects.filter(pk__in=led).order_by("name"))


def _clip(text: str, limit: int) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _unique_code(base: str) -> str:
    stem = (slugify(base) or "phase-model")[:50].strip("-") or "phase-model"
    taken = set(PhaseModel.objects.filter(code__startswith=stem).values_list("code", flat=True))
    if stem not in taken:
        return stem
    number = 2
    while f"{stem}-{number}" in taken:
        number += 1
    return f"{stem}-{number}"


def _origin_line(source: Result) -> str:
    return _("Copied from “%(title)s” by %(owner)s.") % {
        "title": source.title,
        "owner": source.owner.name,
    }


def _copy_concept(actor: User, source: Result, organisation: Organisation) -> EventConcept:
    data = source.content.get("concept") or {}
    description = "\n\n".join(p for p in [data.get("description", ""), _origin_line(source)] if p)
    kind = data.get("kind", "")
    concept = EventConcept(
        owner=organisation,
        title=_clip(data.get("title") or source.title, 200),
        description=_clip(description, EVENT_TEXT_MAX),
        kind=kind if kind in EventKind.values else "",
        visibility=Visibility.INTERNAL,
        created_by=actor,
    )
    services._save(concept, actor)
    tasks = []
    for position, task in enumerate(source.content.get("tasks") or []):
        if not isinstance(task, dict) or not task.get("title"):
            continue
        area = task.get("area")
        days = task.get("days_before_start", 14)
        tasks.append(
            ConceptTask(
                concept=concept,
                title=_clip(str(task["title"]), 200),
                area=area if area in TaskArea.values else TaskArea.PROFESSIONAL,
                description=_clip(str(task.get("description", "")), EVENT_TEXT_MAX),
                days_before_start=days if isinstance(days, int) and abs(days) <= 365 else 14,
                position=position,
            )
        )
    if tasks:
        bulk_create_with_history(tasks, ConceptTask, default_user=actor)
    return concept


def _criteria_lines(criteria: list) -> list[str]:
    lines = []
    for item in criteria:
        if not isinstance(item, dict) or not item.get("name"):
            continue
        line = str(item["name"])
        if item.get("description"):
            line += f": {item['description']}"
        lines.append(f"– {line} ({_('weight')} {item.get('weight', '1')})")
    return lines


def _copy_criteria(actor: User, source: Result, organisation: Organisation) -> EventConcept:
    lines = _criteria_lines(source.content.get("criteria") or [])
    listing = "\n".join(lines)
    description = "\n\n".join(
        [
            source.summary,
            _("Judging criteria:"),
            listing,
            _origin_line(source),
        ]
    )
    concept = EventConcept(
        owner=organisation,
        title=_clip(source.title, 200),
        description=_clip(description, EVENT_TEXT_MAX),
        kind=EventKind.HACKATHON,
        visibility=Visibility.INTERNAL,
        created_by=actor,
    )
    services._save(concept, actor)
    task = ConceptTask(
        concept=concept,
        title=_("Add the judging criteria"),
        area=TaskArea.PROFESSIONAL,
        description=_clip(listing, EVENT_TEXT_MAX),
        days_before_start=14,
        position=0,
    )
    services._save(task, actor)
    return concept


def _copy_checklist(actor: User, source: Result, organisation: Organisation) -> PhaseModel:
    data = source.content.get("phase_model") or {}
    name = _clip(data.get("name") or source.title, 200)
    model = PhaseModel.objects.create(
        code=_unique_code(f"{organisation.slug}-{name}"),
        name=name,
        description=_clip(data.get("description", ""), EVENT_TEXT_MAX),
        source=_clip(_origin_line(source), 300),
        organisation=organisation,
    )
    phases = []
    items = []
    for position, phase_data in enumerate(source.content.get("phases") or []):
        if not isinstance(phase_data, dict):
            continue
        phase = Phase(
            model=model,
            name=_clip(str(phase_data.get("name") or position + 1), 200),
            description=_clip(str(phase_data.get("description", "")), EVENT_TEXT_MAX),
            position=position + 1,
        )
        phases.append(phase)
        items.append(phase_data.get("checklist") or [])
    Phase.objects.bulk_create(phases)
    ChecklistTemplateItem.objects.bulk_create(
        ChecklistTemplateItem(phase=phase, text=_clip(str(text), 300), position=i)
        for phase, texts in zip(phases, items, strict=True)
        for i, text in enumerate(texts)
        if text
    )
    points = []
    for position, point in enumerate(source.content.get("decision_points") or []):
        if not isinstance(point, dict) or not phases:
            continue
        closes = point.get("closes", 0)
        closes = closes if isinstance(closes, int) and 0 <= closes < len(phases) else 0
        points.append(
            DecisionPoint(
                model=model,
                code=_clip(str(point.get("code", "")), 20),
                name=_clip(str(point.get("name", "")), 200),
                description=_clip(str(point.get("description", "")), EVENT_TEXT_MAX),
                documents=_clip(str(point.get("documents", "")), EVENT_TEXT_MAX),
                closes=phases[closes],
                position=position + 1,
            )
        )
    DecisionPoint.objects.bulk_create(points)
    return model


def _copy_documents(actor: User, source: Result, copy: Result) -> None:
    for document in source.documents.all():
        try:
            with document.file.open("rb") as handle:
                content = handle.read()
        except (FileNotFoundError, OSError):
            continue
        new = ResultDocument(result=copy, title=document.title, uploaded_by=actor)
        new.file.save(
            f"{services.uuid.uuid4().hex}_{services.original_name(document)}",
            ContentFile(content),
            save=False,
        )
        services._save(new, actor)


@transaction.atomic
def copy_template(actor: User, source: Result, organisation: Organisation) -> Copy:
    """Copy a published template or guide into ``organisation`` (its innovation leads)."""
    if not permissions.can_publish_results_for(actor, organisation):
        raise PermissionDenied
    if source.status != ResultStatus.PUBLISHED:
        raise ValidationError({"status": _("Only a published template can be copied.")})
    if source.kind not in COPYABLE_KINDS:
        raise ValidationError({"kind": _("Only templates and guides can be copied.")})
    draft = Result(
        owner=organisation,
        kind=source.kind,
        title=source.title,
        summary=source.summary,
        tried=source.tried,
        came_of_it=source.came_of_it,
        stage=source.stage,
        outcome=source.outcome,
        content=source.content,
        licence=source.licence,
        code_licence=source.code_licence,
        code_url=source.code_url,
        contact_name=_clip(actor.get_full_name() or actor.username, 200),
        contact_email=actor.email,
        status=ResultStatus.DRAFT,
        copied_from=source,
        created_by=actor,
    )
    target: Model = draft
    if source.kind == ResultKind.EVENT_CONCEPT:
        target = draft.concept = _copy_concept(actor, source, organisation)
    elif source.kind == ResultKind.CRITERIA_SET:
        target = draft.concept = _copy_criteria(actor, source, organisation)
    elif source.kind == ResultKind.CHECKLIST:
        target = draft.phase_model = _copy_checklist(actor, source, organisation)
    services._save(draft, actor)
    draft.themes.set(source.themes.all())
    if source.kind == ResultKind.GUIDE:
        _copy_documents(actor, source, draft)
    return Copy(result=draft, target=target)
