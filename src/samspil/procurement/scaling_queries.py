"""Permission-filtered reads of scaling processes: the list, one process with its
participants, steps, letters of intent and adoption, the organisations suggested as
participants (their needs match the shared challenge) and what a step or the tender may
link to. Each read is a fixed number of queries however many rows there are."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from samspil.core import permissions
from samspil.core.models import Organisation
from samspil.needs.models import Need

from . import scaling_adoption
from .models import (
    SCALING_STEP_ORDER,
    Commitment,
    Procurement,
    ScalingParticipant,
    ScalingProcess,
    ScalingRole,
    ScalingStep,
)

SUGGESTION_NEEDS = 30  # similar needs looked at for suggestions
SUGGESTIONS = 8  # organisations suggested at most
CHOICES_LIMIT = 200  # procurements or events offered in a select

ROLE_ORDER: dict[str, int] = {
    ScalingRole.FACILITATOR: 0,
    ScalingRole.NEED_OWNER: 1,
    ScalingRole.BUYER: 2,
    ScalingRole.OBSERVER: 3,
}


def processes_for_list(user, *, q: str = "", challenge: int | None = None) -> QuerySet:
    """Visible processes, newest change first, with their owner, challenge and counts."""
    rows = permissions.scaling_processes_visible_to(user)
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(description__icontains=q))
    if challenge is not None:
        rows = rows.filter(challenge_id=challenge)
    return (
        rows.select_related("owner", "challenge")
        .annotate(
            participant_count=Count("participants", distinct=True),
            steps_done_count=Count("steps_done", distinct=True),
        )
        .order_by("-updated_at", "pk")
    )


def process_with_details(user, pk) -> ScalingProcess:
    """One process the user may see (404 otherwise), its tender and challenge loaded."""
    process = permissions.get_scaling_process_for_user(user, pk)
    if process.procurement_id is not None:
        # The tender shows only to those who may see it.
        process.visible_procurement = (  # type: ignore[attr-defined]
            permissions.procurements_visible_to(user).filter(pk=process.procurement_id).first()
        )
    else:
        process.visible_procurement = None  # type: ignore[attr-defined]
    return process


def participants(process: ScalingProcess) -> list[ScalingParticipant]:
    rows = list(process.participants.select_related("organisation"))
    rows.sort(key=lambda p: (ROLE_ORDER.get(p.role, 9), p.organisation.name, p.pk))
    for row in rows:
        row.process = process
    return rows


def get_participant(process: ScalingProcess, pk) -> ScalingParticipant:
    try:
        row = process.participants.select_related("organisation").filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        row = None
    if row is None:
        raise Http404
    row.process = process
    return row


def step_rows(process: ScalingProcess) -> list[dict]:
    """Every CO-PI step in order, with its done row (and event) and whether it is next."""
    done = {row.step: row for row in process.steps_done.select_related("event", "done_by")}
    rows, next_found = [], False
    for step in SCALING_STEP_ORDER:
        row = done.get(step)
        is_next = row is None and not next_found
        next_found = next_found or is_next
        rows.append(
            {
                "step": step,
                "label": ScalingStep(step).label,
                "position": SCALING_STEP_ORDER.index(step) + 1,
                "done": row,
                "is_next": is_next,
            }
        )
    return rows


@dataclass
class CommitmentTotals:
    count: int = 0
    value: Decimal = Decimal(0)
    volumes: list[tuple[Decimal, str]] = field(default_factory=list)  # per unit


def commitments(process: ScalingProcess) -> list[Commitment]:
    return list(
        process.commitments.select_related("organisation", "recorded_by").order_by(
            "signed_on", "organisation__name", "pk"
        )
    )


def commitment_totals(rows: list[Commitment]) -> CommitmentTotals:
    """Committed value, and committed volume per unit (machines and tonnes do not add up)."""
    totals = CommitmentTotals(count=len(rows))
    by_unit: dict[str, Decimal] = {}
    for row in rows:
        if row.value is not None:
            totals.value += row.value
        if row.volume is not None:
            unit = row.volume_unit.strip()
            by_unit[unit] = by_unit.get(unit, Decimal(0)) + row.volume
    totals.volumes = sorted(((v, u) for u, v in by_unit.items()), key=lambda item: item[1])
    return totals


def adoption(process: ScalingProcess) -> scaling_adoption.Adoption:
    return scaling_adoption.adoption(
        process.adoption_counts.values_list("counted_on", "organisations")
    )


def adoption_rows(process: ScalingProcess) -> list:
    return list(process.adoption_counts.order_by("counted_on"))


@dataclass
class Suggestion:
    """An organisation whose needs match the process's challenge, with those needs."""

    organisation: Organisation
    needs: list[Need]
    score: float


def suggestion_text(process: ScalingProcess) -> str:
    challenge = process.challenge
    if challenge is not None:
        return f"{challenge.title}\n{challenge.problem_statement}"
    return f"{process.title}\n{process.description}"


def suggested_participants(user, process: ScalingProcess, limit: int = SUGGESTIONS) -> list:
    """Organisations (not taking part, not the owner) whose needs the user may see and that
    match the shared challenge's title and problem statement, best first, grouped by the
    need's owner organisation with the matching needs as the reason."""
    from samspil.needs.similarity import similar_needs

    found = similar_needs(user, suggestion_text(process), limit=SUGGESTION_NEEDS)
    taken = set(process.participants.values_list("organisation_id", flat=True))
    taken.add(process.owner_id)
    by_organisation: dict[int, Suggestion] = {}
    for need, score in found:
        if need.owner_id in taken:
            continue
        suggestion = by_organisation.get(need.owner_id)
        if suggestion is None:
            if len(by_organisation) >= limit:
                continue
            suggestion = Suggestion(need.owner, [], score)
            by_organisation[need.owner_id] = suggestion
        if len(suggestion.needs) < 3:
            suggestion.needs.append(need)
        suggestion.score = max(suggestion.score, score)
    return sorted(by_organisation.values(), key=lambda s: -s.score)


def addable_organisations(process: ScalingProcess):
    """Organisations that do not take part yet, by name (a select's choices)."""
    taken = ScalingParticipant.objects.filter(process=process).values("organisation_id")
    return Organisation.objects.exclude(pk__in=taken).order_by("name", "pk")


def linkable_procurements(user, process: ScalingProcess):
    """Procurements the user may see that the process may name as its tender: those of its
    challenge, its owner or a participant (and the current one), at most ``CHOICES_LIMIT``."""
    organisations = list(process.participants.values_list("organisation_id", flat=True))
    organisations.append(process.owner_id)
    condition = Q(owner_id__in=organisations)
    if process.challenge_id:
        condition |= Q(challenge_id=process.challenge_id)
    if process.procurement_id:
        condition |= Q(pk=process.procurement_id)
    rows = permissions.procurements_visible_to(user).filter(condition).order_by("title", "pk")
    return Procurement.objects.filter(pk__in=rows.values("pk")[:CHOICES_LIMIT]).order_by(
        "title", "pk"
    )


def linkable_events(user, process: ScalingProcess):
    """Events the user may see held by the owner or a participant or about the challenge,
    newest first."""
    from samspil.events.models import Event

    organisations = list(process.participants.values_list("organisation_id", flat=True))
    organisations.append(process.owner_id)
    condition = Q(owner_id__in=organisations)
    if process.challenge_id:
        condition |= Q(challenges=process.challenge_id)
    visible = permissions.events_visible_to(user).filter(condition)
    return Event.objects.filter(pk__in=visible.values("pk")).order_by("-starts_at", "-pk")[
        :CHOICES_LIMIT
    ]


def processes_of_challenge(user, challenge) -> list[ScalingProcess]:
    return list(processes_for_list(user, challenge=challenge.pk)[:20])
