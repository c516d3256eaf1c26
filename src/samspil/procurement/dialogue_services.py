"""Every write of a procurement's fair market dialogue: the dialogue log, suppliers'
questions and the answers published to all registered suppliers at once, and the functional
requirements (written by hand or pulled from requirements learned at events).

Equal treatment (EU directive 2014/24 art. 40–41): an answer is never given to one supplier.
``publish_answer`` delivers it, in one action, to every supplier registered for the
procurement's market dialogue at that moment (an ``AnswerDelivery`` per supplier and a
notification to its members) and dates it; a supplier that registers later gets every earlier
answer from ``deliver_published_answers``. A subset of suppliers, an empty answer and a second
publication are refused.

Who may: those who run the procurement (``permissions.can_log_dialogue``) log, answer and
keep the requirements; members of a registered supplier ask (``permissions.can_ask_question``).
"""

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from samspil.core import permissions
from samspil.core.models import Membership, Organisation, User
from samspil.core.services import notify

from .models import (
    TEXT_MAX,
    TITLE_MAX,
    AnswerDelivery,
    DialogueEntry,
    DialogueKind,
    FunctionalRequirement,
    InterestStatus,
    Procurement,
    Question,
    SupplierInterest,
)

ASKED_TEMPLATE = "procurement/dialogue/email/question_asked"
PUBLISHED_TEMPLATE = "procurement/dialogue/email/answer_published"
DELIVERED_TEMPLATE = "procurement/dialogue/email/answers_delivered"
REQUIREMENT_MAX = 2000
SOURCE_MAX = 300
EARLIEST = date(1900, 1, 1)


class DialogueConflict(ValidationError):
    """A refusal because of the record's state (an answer published already, a requirement
    pulled already): the API answers 409."""


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _text(value, errors: dict, name: str, limit: int, *, required: bool) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        errors[name] = _("Remove the null character from the text.")
    elif required and not text:
        errors[name] = _("This field is required.")
    elif len(text) > limit:
        errors[name] = _("Enter at most %(limit)d characters.") % {"limit": limit}
    return text


def _lock(procurement: Procurement) -> None:
    """Publishing and late registration take turns per procurement, so that a supplier who
    registers while an answer is published gets it exactly once."""
    Procurement.objects.select_for_update().filter(pk=procurement.pk).first()


def dialogue_path(procurement: Procurement) -> str:
    return f"{procurement.get_absolute_url()}#procurement-dialogue"


# Dialogue log ----------------------------------------------------------------------------------


def _clean_entry(actor: User, procurement: Procurement, fields: dict) -> dict:
    errors: dict[str, str] = {}
    kind = fields.get("kind") or ""
    if kind not in DialogueKind.values:
        errors["kind"] = _("Choose a kind of contact.")
    held_on = fields.get("held_on")
    if held_on is None:
        errors["held_on"] = _("Enter the date of the contact.")
    elif held_on < EARLIEST:
        errors["held_on"] = _("Enter a date from 1900 on.")
    elif held_on > timezone.localdate():
        errors["held_on"] = _("The log records contacts that took place: enter a date up to today.")
    subject = _text(fields.get("subject"), errors, "subject", TITLE_MAX, required=True)
    summary = _text(fields.get("summary"), errors, "summary", TEXT_MAX, required=False)
    participants = list(fields.get("participants") or ())
    event = fields.get("event")
    if event is not None and not permissions.events_visible_to(actor).filter(pk=event.pk).exists():
        errors["event"] = _("Choose an event you may see.")
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "held_on": held_on,
        "subject": subject,
        "summary": summary,
        "participants": participants,
        "event": event,
    }


@transaction.atomic
def add_entry(actor: User, procurement: Procurement, **fields) -> DialogueEntry:
    """Log a contact with the market: kind, date, subject, summary, the organisations that
    took part and the event it happened at."""
    _require(permissions.can_log_dialogue(actor, procurement))
    data = _clean_entry(actor, procurement, fields)
    participants = data.pop("participants")
    entry = DialogueEntry(procurement=procurement, recorded_by=actor, **data)
    entry._history_user = actor  # type: ignore[attr-defined]
    entry.save()
    entry.participants.set(participants)
    return entry


@transaction.atomic
def update_entry(actor: User, entry: DialogueEntry, **fields) -> DialogueEntry:
    _require(permissions.can_log_dialogue(actor, entry.procurement))
    data = _clean_entry(actor, entry.procurement, fields)
    participants = data.pop("participants")
    for name, value in data.items():
        setattr(entry, name, value)
    entry._history_user = actor  # type: ignore[attr-defined]
    entry.save()
    entry.participants.set(participants)
    return entry


@transaction.atomic
def remove_entry(actor: User, entry: DialogueEntry) -> None:
    _require(permissions.can_log_dialogue(actor, entry.procurement))
    entry._history_user = actor  # type: ignore[attr-defined]
    entry.delete()


# Questions and published answers ---------------------------------------------------------------


@transaction.atomic
def ask_question(
    actor: User, procurement: Procurement, text: str, organisation: Organisation | None = None
) -> Question:
    """A registered supplier's question; it stays with the procurement side until its answer
    is published to all. ``organisation`` picks among the actor's registered companies."""
    registered = permissions.registered_supplier_organisations(actor, procurement)
    _require(bool(registered))
    errors: dict[str, str] = {}
    if organisation is None:
        organisation = registered[0]
    elif organisation.pk not in {o.pk for o in registered}:
        errors["organisation"] = _("Choose a company registered for this market dialogue.")
    cleaned = _text(text, errors, "text", TEXT_MAX, required=True)
    if errors:
        raise ValidationError(errors)
    question = Question(
        procurement=procurement, asked_by_organisation=organisation, asked_by=actor, text=cleaned
    )
    question._history_user = actor  # type: ignore[attr-defined]
    question.save()
    context = {"procurement": procurement.title, "supplier": organisation.name}  # type: ignore[union-attr]
    for person in answerers(procurement):
        notify(person, ASKED_TEMPLATE, context, dialogue_path(procurement))
    return question


def answerers(procurement: Procurement) -> list[User]:
    """Who is told of a new question: the procurement officers, innovation leads and admins
    of the lead buyer and of the procuring entity."""
    from .buyer_services import confirmers

    people: dict[int, User] = {}
    for organisation in filter(None, [procurement.owner, procurement.procuring_entity]):
        for person in confirmers(organisation):
            people.setdefault(person.pk, person)
    return list(people.values())


def _refuse_published(question: Question) -> None:
    if question.published_at is not None:
        raise DialogueConflict(
            {
                "answer": _("The answer was published to all registered suppliers on %(date)s.")
                % {
                    "date": date_format(
                        timezone.localtime(question.published_at), "SHORT_DATE_FORMAT"
                    )
                }
            }
        )


@transaction.atomic
def save_answer(actor: User, question: Question, answer: str) -> Question:
    """Keep a draft answer; nobody outside the procurement side sees it until published."""
    _require(permissions.can_log_dialogue(actor, question.procurement))
    question = Question.objects.select_for_update().get(pk=question.pk)
    _refuse_published(question)
    errors: dict[str, str] = {}
    question.answer = _text(answer, errors, "answer", TEXT_MAX, required=False)
    if errors:
        raise ValidationError(errors)
    question.answered_by = actor
    question._history_user = actor  # type: ignore[attr-defined]
    question.save(update_fields=["answer", "answered_by"])
    return question


def registered_interests(procurement: Procurement):
    return SupplierInterest.objects.filter(
        procurement=procurement, status=InterestStatus.REGISTERED
    ).select_related("supplier")


def _members(organisation_ids: Iterable[int]) -> dict[int, list[User]]:
    """Active members of each organisation, in one query."""
    found: dict[int, list[User]] = {}
    rows = (
        Membership.objects.filter(organisation_id__in=list(organisation_ids), user__is_active=True)
        .select_related("user")
        .order_by("organisation_id", "user_id")
    )
    for membership in rows:
        found.setdefault(membership.organisation_id, []).append(membership.user)
    return found


@transaction.atomic
def publish_answer(actor: User, question: Question, answer: str | None = None) -> int:
    """Publish the answer (``answer`` replaces the draft when given) to every supplier
    registered for the procurement now, in one action; returns how many got it."""
    procurement = question.procurement
    _require(permissions.can_log_dialogue(actor, procurement))
    _lock(procurement)
    question = Question.objects.select_for_update().get(pk=question.pk)
    _refuse_published(question)
    errors: dict[str, str] = {}
    text = _text(
        question.answer if answer is None else answer, errors, "answer", TEXT_MAX, required=False
    )
    if not text and not errors:
        errors["answer"] = _("Write the answer before publishing it.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    question.answer = text
    question.answered_by = actor
    question.published_at = now
    question._history_user = actor  # type: ignore[attr-defined]
    question.save(update_fields=["answer", "answered_by", "published_at"])
    interests = list(registered_interests(procurement))
    AnswerDelivery.objects.bulk_create(
        [
            AnswerDelivery(question=question, supplier=i.supplier, delivered_at=now)
            for i in interests
        ],
        ignore_conflicts=True,
    )
    members = _members(i.supplier_id for i in interests)
    for interest in interests:
        context = {
            "procurement": procurement.title,
            "supplier": interest.supplier.name,
            "question": question.text,
            "answer": text,
        }
        for person in members.get(interest.supplier_id, []):
            notify(person, PUBLISHED_TEMPLATE, context, dialogue_path(procurement))
    return len(interests)


@transaction.atomic
def deliver_published_answers(interest: SupplierInterest) -> int:
    """Give a supplier that registered for a procurement every answer published before:
    a delivery per answer it lacks and one notification to its members. Returns how many
    answers were delivered now (0 for an interest that is not a registration for a
    procurement, or when it has them all)."""
    if interest.procurement_id is None or interest.status != InterestStatus.REGISTERED:
        return 0
    procurement = interest.procurement
    assert procurement is not None
    _lock(procurement)
    got = AnswerDelivery.objects.filter(supplier=interest.supplier_id).values("question_id")
    missing = list(
        Question.objects.filter(procurement=procurement, published_at__isnull=False)
        .exclude(pk__in=got)
        .order_by("published_at", "pk")
    )
    if not missing:
        return 0
    now = timezone.now()
    AnswerDelivery.objects.bulk_create(
        [
            AnswerDelivery(question=q, supplier_id=interest.supplier_id, delivered_at=now)
            for q in missing
        ],
        ignore_conflicts=True,
    )
    context = {
        "procurement": procurement.title,
        "supplier": interest.supplier.name,
        "count": len(missing),
    }
    for person in _members([interest.supplier_id]).get(interest.supplier_id, []):
        notify(person, DELIVERED_TEMPLATE, context, dialogue_path(procurement))
    return len(missing)


# Functional requirements -----------------------------------------------------------------------


def _next_position(procurement: Procurement) -> int:
    last = procurement.requirements.aggregate(last=Max("position"))["last"]
    return (last or 0) + 1


@transaction.atomic
def add_requirement(
    actor: User, procurement: Procurement, *, text: str, outcome: str = "", source: str = ""
) -> FunctionalRequirement:
    """A need-based, outcome-oriented requirement written by hand, with where it came from."""
    _require(permissions.can_log_dialogue(actor, procurement))
    errors: dict[str, str] = {}
    cleaned = _text(text, errors, "text", REQUIREMENT_MAX, required=True)
    outcome = _text(outcome, errors, "outcome", REQUIREMENT_MAX, required=False)
    source = _text(source, errors, "source", SOURCE_MAX, required=False)
    if errors:
        raise ValidationError(errors)
    requirement = FunctionalRequirement(
        procurement=procurement,
        position=_next_position(procurement),
        text=cleaned,
        outcome=outcome,
        source=source,
    )
    requirement._history_user = actor  # type: ignore[attr-defined]
    requirement.save()
    return requirement


def learned_source(learned) -> str:
    """ "Event title, date" of a learned requirement's event (the date in the active
    language)."""
    event = learned.event
    day = date_format(timezone.localtime(event.starts_at).date(), "SHORT_DATE_FORMAT")
    return f"{event.title}, {day}"[:SOURCE_MAX]


@transaction.atomic
def pull_requirements(
    actor: User, procurement: Procurement, learned: Sequence, *, candidates=None
) -> list[FunctionalRequirement]:
    """Pull requirements learned at events into the list, each with its source; one pulled
    already is refused (naming it). ``candidates`` are the learned requirements the actor may
    pull (``dialogue_queries.learned_candidates``)."""
    from . import dialogue_queries

    _require(permissions.can_log_dialogue(actor, procurement))
    if not learned:
        raise ValidationError({"learned": _("Tick at least one requirement to pull.")})
    allowed = {
        row.pk: row
        for row in (
            candidates
            if candidates is not None
            else dialogue_queries.learned_candidates(actor, procurement)
        )
    }
    unknown = [row for row in learned if row.pk not in allowed]
    if unknown:
        raise ValidationError(
            {"learned": _("Choose requirements learned at events linked to this procurement.")}
        )
    _lock(procurement)
    pulled = set(
        procurement.requirements.filter(
            learned_requirement__in=[row.pk for row in learned]
        ).values_list("learned_requirement_id", flat=True)
    )
    if pulled:
        texts = "; ".join(allowed[pk].text[:60] for pk in sorted(pulled))
        raise DialogueConflict(
            {"learned": _("Pulled already: %(requirements)s.") % {"requirements": texts}}
        )
    position = _next_position(procurement)
    made = []
    for offset, row in enumerate(allowed[r.pk] for r in learned):
        requirement = FunctionalRequirement(
            procurement=procurement,
            position=position + offset,
            text=row.text,
            source=learned_source(row),
            learned_requirement=row,
        )
        requirement._history_user = actor  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                requirement.save()
        except IntegrityError:
            raise DialogueConflict(
                {
                    "learned": _("Pulled already: %(requirements)s.")
                    % {"requirements": row.text[:60]}
                }
            ) from None
        made.append(requirement)
    return made


@transaction.atomic
def remove_requirement(actor: User, requirement: FunctionalRequirement) -> None:
    _require(permissions.can_log_dialogue(actor, requirement.procurement))
    requirement._history_user = actor  # type: ignore[attr-defined]
    requirement.delete()
