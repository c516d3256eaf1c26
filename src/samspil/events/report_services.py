"""Writes of the event report: the "requirements learned" list organisers keep.

Each line is something the event taught about the requirement specification, written so that
a later procurement can take it over as a requirement. Lines are kept in the order organisers
give them (``position``, 1 to n).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samspil.core import permissions
from samspil.core.models import User

from .models import Event, LearnedRequirement

REQUIREMENT_MAX = 2000
UP = "up"
DOWN = "down"


def _require_organiser(actor: User, event: Event) -> None:
    if not permissions.can_organise_event(actor, event):
        raise PermissionDenied


def _clean_text(text: str) -> str:
    # Line breaks inside a requirement are kept; surrounding blanks are not.
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the requirement.")})
    if len(text) > REQUIREMENT_MAX:
        raise ValidationError(
            {"text": _("Write at most %(count)d characters.") % {"count": REQUIREMENT_MAX}}
        )
    return text


def _locked_lines(event: Event) -> list[LearnedRequirement]:
    """The event's lines in order, with the event row locked so positions stay consistent."""
    list(Event.objects.select_for_update().filter(pk=event.pk).values_list("pk", flat=True))
    return list(event.learned_requirements.order_by("position", "pk"))


def _renumber(actor: User, lines: list[LearnedRequirement]) -> None:
    for number, line in enumerate(lines, start=1):
        if line.position != number:
            line.position = number
            line._history_user = actor  # type: ignore[attr-defined]
            line.save(update_fields=["position"])


def add_requirement(actor: User, event: Event, text: str) -> LearnedRequirement:
    """Add a line at the end of the list."""
    _require_organiser(actor, event)
    text = _clean_text(text)
    with transaction.atomic():
        lines = _locked_lines(event)
        line = LearnedRequirement(
            event=event,
            text=text,
            position=max((r.position for r in lines), default=0) + 1,
            created_by=actor,
        )
        line._history_user = actor  # type: ignore[attr-defined]
        line.save()
    return line


def update_requirement(actor: User, line: LearnedRequirement, text: str) -> LearnedRequirement:
    _require_organiser(actor, line.event)
    line.text = _clean_text(text)
    with transaction.atomic():
        line._history_user = actor  # type: ignore[attr-defined]
        line.save(update_fields=["text"])
    return line


def delete_requirement(actor: User, line: LearnedRequirement) -> None:
    _require_organiser(actor, line.event)
    with transaction.atomic():
        line._history_user = actor  # type: ignore[attr-defined]
        line.delete()
        _renumber(actor, _locked_lines(line.event))


def move_requirement(actor: User, line: LearnedRequirement, direction: str) -> None:
    """Move a line one place up or down; at either end of the list nothing changes."""
    _require_organiser(actor, line.event)
    if direction not in (UP, DOWN):
        raise ValidationError({"direction": _("Move the requirement up or down.")})
    with transaction.atomic():
        lines = _locked_lines(line.event)
        index = next((i for i, r in enumerate(lines) if r.pk == line.pk), None)
        if index is None:
            raise ValidationError({"text": _("This requirement has been deleted.")})
        other = index - 1 if direction == UP else index + 1
        if 0 <= other < len(lines):
            lines[index], lines[other] = lines[other], lines[index]
        _renumber(actor, lines)
