"""Reads of a procurement's market dialogue for its page and the API, each in a constant
number of queries however many rows there are.

Who sees what (rules in ``core.permissions``): the log and the questions waiting for an
answer (which name suppliers) go to ``can_see_dialogue_log``; a supplier sees its own
waiting questions; the published questions and answers (without who asked) and the
functional requirements go to everyone who sees the procurement.
"""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from samspil.core import permissions
from samspil.core.models import Organisation
from samspil.events.models import Event, LearnedRequirement

from .models import (
    DialogueEntry,
    FunctionalRequirement,
    InterestStatus,
    Procurement,
    Question,
    SupplierInterest,
)


def entries(procurement: Procurement) -> list[DialogueEntry]:
    rows = list(
        DialogueEntry.objects.filter(procurement=procurement)
        .select_related("event", "recorded_by")
        .prefetch_related(
            Prefetch("participants", queryset=Organisation.objects.order_by("name", "pk"))
        )
        .order_by("-held_on", "-pk")
    )
    for row in rows:
        row.procurement = procurement
    return rows


def published_questions(procurement: Procurement) -> QuerySet[Question]:
    """The published Q&A, oldest first, without who asked."""
    return (
        Question.objects.filter(procurement=procurement, published_at__isnull=False)
        .only("pk", "procurement_id", "text", "answer", "published_at", "asked_at")
        .order_by("published_at", "pk")
    )


def waiting_questions(procurement: Procurement) -> QuerySet[Question]:
    """Questions whose answer is not published yet, with who asked (the procurement side)."""
    return (
        Question.objects.filter(procurement=procurement, published_at__isnull=True)
        .select_related("asked_by_organisation", "asked_by")
        .order_by("asked_at", "pk")
    )


def own_waiting_questions(user, procurement: Procurement) -> QuerySet[Question]:
    """The user's companies' questions still waiting for a published answer."""
    companies = permissions.company_memberships(user)
    if not companies:
        return Question.objects.none()
    return (
        Question.objects.filter(
            procurement=procurement,
            published_at__isnull=True,
            asked_by_organisation__in=companies,
        )
        .only("pk", "procurement_id", "text", "asked_at")
        .order_by("asked_at", "pk")
    )


def requirements(procurement: Procurement) -> QuerySet[FunctionalRequirement]:
    return FunctionalRequirement.objects.filter(procurement=procurement).order_by("position", "pk")


def registered_suppliers(procurement: Procurement) -> QuerySet[Organisation]:
    registered = SupplierInterest.objects.filter(
        procurement=procurement, status=InterestStatus.REGISTERED
    ).values("supplier_id")
    return Organisation.objects.filter(pk__in=registered).order_by("name", "pk")


def _one(queryset, pk):
    try:
        found = queryset.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise Http404
    return found


def get_entry(procurement: Procurement, pk) -> DialogueEntry:
    entry = _one(
        DialogueEntry.objects.filter(procurement=procurement).prefetch_related("participants"), pk
    )
    entry.procurement = procurement
    return entry


def get_question(procurement: Procurement, pk) -> Question:
    question = _one(
        Question.objects.filter(procurement=procurement).select_related("asked_by_organisation"), pk
    )
    question.procurement = procurement
    return question


def get_requirement(procurement: Procurement, pk) -> FunctionalRequirement:
    requirement = _one(FunctionalRequirement.objects.filter(procurement=procurement), pk)
    requirement.procurement = procurement
    return requirement


def linked_events(user, procurement: Procurement) -> QuerySet[Event]:
    """Events the user sees that are linked to the procurement's challenge or to one of its
    dialogue entries."""
    return permissions.events_visible_to(user).filter(pk__in=linked_event_ids(procurement))


def linked_event_ids(procurement: Procurement) -> QuerySet:
    """Every event linked to the procurement's challenge or to one of its dialogue entries,
    seen or not (the demo loader's view)."""
    linked = Q(dialogue_entries__procurement=procurement)
    if procurement.challenge_id is not None:
        linked |= Q(challenges=procurement.challenge_id)
    return Event.objects.filter(linked).values("pk")


def learned_candidates(user, procurement: Procurement) -> list[LearnedRequirement]:
    """Requirements learned at the linked events, by event then position, each with
    ``pulled`` (whether the list has it already)."""
    pulled = FunctionalRequirement.objects.filter(
        procurement=procurement, learned_requirement=OuterRef("pk")
    )
    return list(
        LearnedRequirement.objects.filter(event__in=linked_events(user, procurement).values("pk"))
        .select_related("event")
        .annotate(pulled=Exists(pulled))
        .order_by("event__starts_at", "event_id", "position", "pk")
    )


def event_choices(user, procurement: Procurement, current=None) -> QuerySet[Event]:
    """Events a dialogue entry may link to: those the user sees that are linked to the
    procurement's challenge, organised by one of its buyers, or already linked."""
    buyers = procurement.buyers.values("organisation_id")
    condition = Q(owner__in=buyers) | Q(dialogue_entries__procurement=procurement)
    if procurement.challenge_id is not None:
        condition |= Q(challenges=procurement.challenge_id)
    if current is not None:
        condition |= Q(pk=current)
    ids = Event.objects.filter(condition).values("pk")
    return permissions.events_visible_to(user).filter(pk__in=ids).order_by("-starts_at", "pk")
