"""The market dialogue demo behind ``manage.py load_demo``, on the biological light
partnership of the procurement demo (seed 003: Aarhus and Copenhagen).

Before the tender of 2019 the two municipalities held a supplier conference and one-to-one
meetings with suppliers (the seed tells of the dialogue with the market, not of its
participants). The core demo has no lighting company, so the registered suppliers are three
of its companies that could deliver the light control and its data: Atea Sverige, Sogeti
Sverige and Rise Digital; the demo sign-in ``supplier`` (Atea) sees the published answers and
``jonas.grandal`` (Rise Digital) too. Two questions were answered and published to all three,
with a delivery per supplier; the functional requirements are need-based, and any requirement
learned at an event linked to the light challenge or to a logged contact is pulled in with its
source (the events demo has none about light today, so the list is written by hand).

Texts are our own, in Danish; the dates are invented and fall in the dialogue period of the
procurement demo (September 2018 to the tender in May 2019). Loading is idempotent: an entry
is found again by its subject, an interest by its supplier, a question by its text, a
requirement by its text; what exists is left alone. It writes with the ORM and dates the
history rows to the day they describe (the OCDS export reads them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from samspil.core.demo import CHANGE_REASON
from samspil.core.models import Organisation, User
from samspil.events.models import LearnedRequirement

from . import dialogue_queries
from .demo import BIOLOGICAL_LIGHT
from .models import (
    AnswerDelivery,
    DialogueEntry,
    DialogueKind,
    FunctionalRequirement,
    InterestStatus,
    Procurement,
    Question,
    SupplierInterest,
)

LEAD_USER = "matilde.gammelgaard"
SUPPLIERS = (  # slug, who registered, when
    ("atea", "supplier", date(2018, 10, 15)),
    ("sogeti", "", date(2018, 10, 22)),
    ("rise-digital", "jonas.grandal", date(2018, 11, 5)),
)


@dataclass(frozen=True)
class EntryData:
    kind: str
    held_on: date
    subject: str
    summary: str
    participants: tuple[str, ...]


ENTRIES = (
    EntryData(
        DialogueKind.EVENT,
        date(2018, 11, 20),
        "Leverandørkonference om biologisk lys på plejehjem",
        "Aarhus og København fortalte om behovet: lys, der følger døgnets rytme, så beboerne "
        "sover bedre og falder sjældnere. Leverandørerne hørte om tidsplanen for "
        "innovationspartnerskabet og fik samme materiale bagefter.",
        ("aarhus", "kobenhavn", "atea", "sogeti", "rise-digital"),
    ),
    EntryData(
        DialogueKind.MEETING,
        date(2018, 12, 4),
        "Én-til-én-møde med Atea",
        "Atea viste, hvordan lysstyring kan kobles til bygningernes net. Der blev ikke givet "
        "oplysninger ud over dem fra konferencen.",
        ("aarhus", "atea"),
    ),
    EntryData(
        DialogueKind.MEETING,
        date(2018, 12, 6),
        "Én-til-én-møde med Rise Digital",
        "Rise Digital spurgte til brugergrænsefladen for personalet; svaret er offentliggjort "
        "til alle registrerede leverandører.",
        ("aarhus", "kobenhavn", "rise-digital"),
    ),
    EntryData(
        DialogueKind.WRITTEN,
        date(2019, 1, 14),
        "Skriftlig høring om udkast til funktionskrav",
        "Udkastet til funktionskrav blev sendt til alle registrerede leverandører med frist "
        "for bemærkninger.",
        ("atea", "sogeti", "rise-digital"),
    ),
)


@dataclass(frozen=True)
class QuestionData:
    supplier: str
    asked_by: str
    asked_on: date
    text: str
    answer: str
    published_on: date


QUESTIONS = (
    QuestionData(
        "atea",
        "supplier",
        date(2018, 11, 26),
        "Skal lysstyringen kunne bruge kommunernes eksisterende net, eller må løsningen have "
        "sit eget?",
        "Løsningen må gerne have sit eget net, men den skal kunne sende driftsdata til "
        "kommunernes systemer i et åbent format.",
        date(2018, 12, 10),
    ),
    QuestionData(
        "rise-digital",
        "jonas.grandal",
        date(2018, 12, 6),
        "Hvem skal kunne ændre lyset i en bolig: beboeren, personalet eller begge?",
        "Begge. Beboeren skal kunne skrue op og ned, og personalet skal kunne sætte "
        "døgnkurven for boligen; løsningen vender selv tilbage til kurven.",
        date(2018, 12, 17),
    ),
)

REQUIREMENTS = (  # text, outcome, source
    (
        "Lyset følger døgnets naturlige forløb i styrke og farve uden at nogen skal betjene det.",
        "Beboerne får en stabil døgnrytme og sover bedre.",
        "Behovsafdækning på plejehjem, 2018",
    ),
    (
        "Beboeren kan selv skrue op og ned for lyset i sin bolig.",
        "Beboerne bevarer kontrollen over deres eget hjem.",
        "Spørgsmål og svar i markedsdialogen, 17.12.2018",
    ),
    (
        "Løsningen giver personalet mindre at gøre, ikke mere.",
        "Tiden bruges på beboerne frem for på teknikken.",
        "Én-til-én-møde med Rise Digital, 06.12.2018",
    ),
)


@dataclass
class DialogueLoadCounts:
    """Rows of the market dialogue demo, and how many of them this run created."""

    entries: int = 0
    suppliers: int = 0
    questions: int = 0
    deliveries: int = 0
    requirements: int = 0
    created: int = 0


def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _history_on(model, pk: int, day: date) -> None:
    model.history.model.objects.filter(id=pk).update(history_date=_noon(day))


def _save(instance, counts: DialogueLoadCounts, day: date):
    instance._change_reason = CHANGE_REASON
    instance.save()
    _history_on(type(instance), instance.pk, day)
    counts.created += 1
    return instance


def _load_suppliers(procurement, organisations, users, counts) -> dict[str, Organisation]:
    registered: dict[str, Organisation] = {}
    known = set(procurement.supplier_interests.values_list("supplier__slug", flat=True))
    for slug, username, day in SUPPLIERS:
        supplier = organisations[slug]
        registered[slug] = supplier
        if slug in known:
            continue
        interest = SupplierInterest(
            supplier=supplier,
            procurement=procurement,
            status=InterestStatus.REGISTERED,
            registered_by=users.get(username),
            registered_at=_noon(day),
        )
        _save(interest, counts, day)
        SupplierInterest.objects.filter(pk=interest.pk).update(created_at=_noon(day))
    return registered


def _load_entries(procurement, organisations, users, counts) -> None:
    known = set(procurement.dialogue_entries.values_list("subject", flat=True))
    for data in ENTRIES:
        if data.subject in known:
            continue
        entry = DialogueEntry(
            procurement=procurement,
            kind=data.kind,
            held_on=data.held_on,
            subject=data.subject,
            summary=data.summary,
            recorded_by=users.get(LEAD_USER),
        )
        _save(entry, counts, data.held_on)
        entry.participants.set([organisations[slug] for slug in data.participants])
        DialogueEntry.history.model.objects.filter(id=entry.pk).update(  # type: ignore[attr-defined]
            history_date=_noon(data.held_on)
        )
        DialogueEntry.objects.filter(pk=entry.pk).update(recorded_at=_noon(data.held_on))


def _load_questions(procurement, organisations, users, counts) -> None:
    known = set(procurement.questions.values_list("text", flat=True))
    registered = list(
        SupplierInterest.objects.filter(
            procurement=procurement, status=InterestStatus.REGISTERED
        ).select_related("supplier")
    )
    for data in QUESTIONS:
        if data.text in known:
            continue
        question = Question(
            procurement=procurement,
            asked_by_organisation=organisations[data.supplier],
            asked_by=users.get(data.asked_by),
            text=data.text,
            answer=data.answer,
            answered_by=users.get(LEAD_USER),
            published_at=_noon(data.published_on),
        )
        _save(question, counts, data.published_on)
        Question.objects.filter(pk=question.pk).update(asked_at=_noon(data.asked_on))
        # Equal treatment: the answer reached every supplier registered by then.
        got = [
            i.supplier
            for i in registered
            if i.registered_at is not None and i.registered_at <= _noon(data.published_on)
        ]
        made = AnswerDelivery.objects.bulk_create(
            [
                AnswerDelivery(
                    question=question, supplier=supplier, delivered_at=_noon(data.published_on)
                )
                for supplier in got
            ],
            ignore_conflicts=True,
        )
        counts.created += len(made)
    # A supplier registered after an answer was published got it on registering.
    for interest in registered:
        missing = (
            procurement.questions.filter(published_at__isnull=False)
            .exclude(deliveries__supplier=interest.supplier)
            .order_by("published_at", "pk")
        )
        made = AnswerDelivery.objects.bulk_create(
            [
                AnswerDelivery(
                    question=q,
                    supplier=interest.supplier,
                    delivered_at=max(interest.registered_at or q.published_at, q.published_at),
                )
                for q in missing
            ],
            ignore_conflicts=True,
        )
        counts.created += len(made)


def _learned_source(learned: LearnedRequirement) -> str:
    with override("da"):
        day = date_format(timezone.localtime(learned.event.starts_at).date(), "SHORT_DATE_FORMAT")
    return f"{learned.event.title}, {day}"[:300]


def _load_requirements(procurement, counts) -> None:
    texts = set(procurement.requirements.values_list("text", flat=True))
    position = procurement.requirements.count()
    day = date(2019, 2, 4)
    for text, outcome, source in REQUIREMENTS:
        if text in texts:
            continue
        position += 1
        _save(
            FunctionalRequirement(
                procurement=procurement,
                position=position,
                text=text,
                outcome=outcome,
                source=source,
            ),
            counts,
            day,
        )
    # Requirements learned at events linked to the light challenge or to a logged contact.
    pulled = set(
        procurement.requirements.exclude(learned_requirement=None).values_list(
            "learned_requirement_id", flat=True
        )
    )
    learned = LearnedRequirement.objects.filter(
        event__in=dialogue_queries.linked_event_ids(procurement)
    ).select_related("event")
    for row in learned.order_by("event__starts_at", "position", "pk"):
        if row.pk in pulled:
            continue
        position += 1
        _save(
            FunctionalRequirement(
                procurement=procurement,
                position=position,
                text=row.text,
                source=_learned_source(row),
                learned_requirement=row,
            ),
            counts,
            day,
        )


@transaction.atomic
def load_dialogue_demo() -> DialogueLoadCounts:
    """Create the light partnership's market dialogue where missing; leave existing rows
    alone. Loads nothing without the procurement demo or the core demo's companies."""
    counts = DialogueLoadCounts()
    procurement = Procurement.objects.filter(
        owner__slug=BIOLOGICAL_LIGHT.owner, title=BIOLOGICAL_LIGHT.title
    ).first()
    slugs = {slug for slug, _, _ in SUPPLIERS} | {s for e in ENTRIES for s in e.participants}
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    if procurement is None or set(organisations) != slugs:
        return counts
    usernames = {LEAD_USER} | {u for _, u, _ in SUPPLIERS if u} | {q.asked_by for q in QUESTIONS}
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    _load_suppliers(procurement, organisations, users, counts)
    _load_entries(procurement, organisations, users, counts)
    _load_questions(procurement, organisations, users, counts)
    _load_requirements(procurement, counts)
    counts.entries = procurement.dialogue_entries.count()
    counts.suppliers = procurement.supplier_interests.filter(
        status=InterestStatus.REGISTERED
    ).count()
    counts.questions = procurement.questions.filter(published_at__isnull=False).count()
    counts.deliveries = AnswerDelivery.objects.filter(question__procurement=procurement).count()
    counts.requirements = procurement.requirements.count()
    return counts
