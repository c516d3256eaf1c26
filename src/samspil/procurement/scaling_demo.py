"""The demo scaling processes behind ``manage.py load_demo``, from seed 003.

- CO-PI's two scaling processes, each with exactly the participants the seed names and
  CO-PI as the facilitating owner (not a participant row):
  emission-free construction machines on public building sites (Københavns Kommune,
  Frederiksberg, Metroselskabet, Vejdirektoratet, Aalborg, Esbjerg, Middelfart, Aarhus Havn,
  Gate 21 and WE BUILD DENMARK) and less raw-material use (Region Sjælland, Vejdirektoratet,
  HOFOR, Banedanmark, Holbæk, KLAR Forsyning, Metroselskabet, Gate 21 and WE BUILD DENMARK).
- The Norwegian joint purchase of electronic medicine support, told by LUP: it began with
  eight municipalities and 29 have bought the solution since. Oslo (the only Norwegian
  municipality in the core demo) owns it with its districts Alna and Stovner buying and LUP
  facilitating; it links to the procurement of the procurement demo.

The seed gives the participants, that both CO-PI processes were under way on Friday
11 November 2022 (the WHINN conference), and the 8 → 29 municipalities. The roles (the
challenges' owners as need owners, the builders and utilities as buyers, Gate 21 as
co-facilitator, WE BUILD DENMARK as observer), the steps done and their dates, the
Norwegian letters of intent (the districts' volumes and values of the procurement demo) and
the date of the first count (the contract's start in the procurement demo) are invented and
plausible; 29 is dated 11 November 2022, when the seed's talk said "now".

Idempotent: a process is found again by (owner, title), a participant by its organisation,
a step by its code, a letter by its organisation and a count by its date; what exists is
left alone. Loads nothing without the core demo's organisations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from samspil.core.demo import CHANGE_REASON
from samspil.core.models import Organisation, User, Visibility
from samspil.needs.models import Challenge

from .models import (
    AdoptionCount,
    Commitment,
    Procurement,
    ScalingParticipant,
    ScalingProcess,
    ScalingRole,
    ScalingStep,
    ScalingStepDone,
)

NEED_OWNER, BUYER, OBSERVER, FACILITATOR = (
    ScalingRole.NEED_OWNER,
    ScalingRole.BUYER,
    ScalingRole.OBSERVER,
    ScalingRole.FACILITATOR,
)


@dataclass(frozen=True)
class StepData:
    step: str
    done_on: date
    note: str


@dataclass(frozen=True)
class CommitmentData:
    organisation: str
    volume: str | None
    volume_unit: str
    value: str | None
    signed_on: date
    signed_by: str


@dataclass(frozen=True)
class ProcessData:
    owner: str
    title: str
    description: str
    currency: str
    started_on: date
    created_by: str
    participants: tuple[tuple[str, str], ...]  # (slug, role)
    challenge: tuple[str, str] | None = None  # (owner slug, title)
    procurement: tuple[str, str] | None = None  # (owner slug, title)
    steps: tuple[StepData, ...] = ()
    commitments: tuple[CommitmentData, ...] = ()
    adoption: tuple[tuple[date, int], ...] = ()
    visibility: str = Visibility.PUBLIC


EMISSION_FREE = ProcessData(
    "co-pi",
    "Sammen om emissionsfrie arbejdsmaskiner",
    "Offentlige bygherrer samler deres efterspørgsel efter arbejdsmaskiner uden udledning, "
    "så det bliver attraktivt for producenter og entreprenører at udvikle og tilbyde dem. "
    "Kommuner, statslige bygherrer og selskaber beskriver behovet sammen, før de stiller "
    "krav i deres egne udbud.",
    "DKK",
    date(2021, 9, 1),
    "annemarie.berg",
    (
        ("kobenhavn", NEED_OWNER),
        ("frederiksberg", NEED_OWNER),
        ("metroselskabet", BUYER),
        ("vejdirektoratet", NEED_OWNER),
        ("aalborg", NEED_OWNER),
        ("esbjerg", NEED_OWNER),
        ("middelfart", NEED_OWNER),
        ("aarhus-havn", BUYER),
        ("gate-21", FACILITATOR),
        ("we-build-denmark", OBSERVER),
    ),
    challenge=("kobenhavn", "Emissionsfrie arbejdsmaskiner på offentlige byggepladser"),
    steps=(
        StepData(
            ScalingStep.NEED_EXPLORATION,
            date(2021, 11, 24),
            "Bygherrerne kortlagde, hvilke maskiner de bruger mest, og hvor udledningen "
            "og støjen generer mest.",
        ),
        StepData(
            ScalingStep.BUYER_MATCHMAKING,
            date(2022, 3, 9),
            "Bygherrer med anlægsprojekter i de samme år blev parret, så deres krav kan "
            "stilles samtidig.",
        ),
        StepData(
            ScalingStep.SUPPLIER_CONFERENCES,
            date(2022, 9, 21),
            "Leverandørkonference med maskinproducenter og entreprenører om, hvad markedet "
            "kan levere i 2025.",
        ),
    ),
)

RAW_MATERIALS = ProcessData(
    "co-pi",
    "Sammen om mindre råstofforbrug",
    "Bygherrer af veje, baner og forsyningsanlæg efterspørger sammen løsninger, der genbruger "
    "materialer og mindsker forbruget af nye råstoffer i anlægsprojekterne.",
    "DKK",
    date(2022, 1, 10),
    "annemarie.berg",
    (
        ("region-sjaelland", NEED_OWNER),
        ("vejdirektoratet", NEED_OWNER),
        ("hofor", BUYER),
        ("banedanmark", NEED_OWNER),
        ("holbaek", NEED_OWNER),
        ("klar-forsyning", BUYER),
        ("metroselskabet", BUYER),
        ("gate-21", FACILITATOR),
        ("we-build-denmark", OBSERVER),
    ),
    challenge=("region-sjaelland", "Mindre råstofforbrug i anlægsprojekter"),
    steps=(
        StepData(
            ScalingStep.NEED_EXPLORATION,
            date(2022, 3, 30),
            "Fælles workshop om, hvor i anlægsprojekterne de fleste nye råstoffer bruges.",
        ),
        StepData(
            ScalingStep.BUYER_MATCHMAKING,
            date(2022, 8, 17),
            "Bygherrerne fandt tre projekter, hvor genbrug af jord og grus kan prøves samtidig.",
        ),
    ),
)

MEDICINE_SUPPORT = ProcessData(
    "oslo",
    "Skalering av elektronisk medisinstøtte",
    "Åtte kommuner beskrev sammen behovet for elektronisk medisinstøtte til hjemmeboende "
    "brukere og kjøpte etter funksjonskrav; avtalen er åpen for flere, og 29 kommuner har nå "
    "tatt løsningen i bruk. I demoen er Oslo og bydelene Alna og Stovner med, og LUP "
    "fasiliterer.",
    "NOK",
    date(2018, 6, 1),
    "oslo",
    (
        ("oslo", NEED_OWNER),
        ("oslo-alna", BUYER),
        ("oslo-stovner", BUYER),
        ("lup", FACILITATOR),
    ),
    challenge=("oslo", "Elektronisk medisinstøtte i hjemmetjenesten"),
    procurement=("oslo", "Felles anskaffelse av elektronisk medisinstøtte"),
    steps=(
        StepData(
            ScalingStep.NEED_EXPLORATION,
            date(2018, 6, 20),
            "Felles kartlegging av besøkene i hjemmetjenesten som bare handler om medisiner.",
        ),
        StepData(
            ScalingStep.BUYER_MATCHMAKING,
            date(2018, 9, 12),
            "Åtte kommuner ble enige om å kjøpe sammen med Oslo som ledende kjøper.",
        ),
        StepData(
            ScalingStep.SUPPLIER_CONFERENCES,
            date(2018, 11, 7),
            "Leverandørkonferanse om funksjonskravene og varsling til hjemmetjenesten.",
        ),
        StepData(
            ScalingStep.LETTER_OF_INTENT,
            date(2019, 1, 31),
            "Kommunene signerte intensjonserklæringer med antall medisinstøtter.",
        ),
        StepData(
            ScalingStep.TENDER,
            date(2019, 3, 11),
            "Konkurranse med forhandling kunngjort med funksjonskrav.",
        ),
    ),
    commitments=(
        CommitmentData(
            "oslo-alna", "120", "medisinstøtter", "3000000", date(2019, 1, 15), "Tore Pran"
        ),
        CommitmentData(
            "oslo-stovner", "90", "medisinstøtter", "2300000", date(2019, 1, 22), "Alv Sørland"
        ),
    ),
    adoption=((date(2019, 10, 1), 8), (date(2022, 11, 11), 29)),
)

PROCESSES = (EMISSION_FREE, RAW_MATERIALS, MEDICINE_SUPPORT)


@dataclass
class ScalingLoadCounts:
    """Rows of the scaling demo, and how many of them this run created."""

    processes: int = 0
    participants: int = 0
    steps: int = 0
    commitments: int = 0
    adoption_counts: int = 0
    created: int = 0


@dataclass
class _Context:
    organisations: dict[str, Organisation]
    users: dict[str, User]
    counts: ScalingLoadCounts = field(default_factory=ScalingLoadCounts)


def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _decimal(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def _save(context: _Context, row) -> None:
    row._change_reason = CHANGE_REASON
    row.save()
    context.counts.created += 1


def _load_process(context: _Context, data: ProcessData) -> ScalingProcess:
    owner = context.organisations[data.owner]
    process = ScalingProcess.objects.filter(owner=owner, title=data.title).first()
    if process is not None:
        return process
    challenge = procurement = None
    if data.challenge:
        challenge = Challenge.objects.filter(
            owner__slug=data.challenge[0], title=data.challenge[1]
        ).first()
    if data.procurement:
        procurement = Procurement.objects.filter(
            owner__slug=data.procurement[0], title=data.procurement[1]
        ).first()
    criteria = {
        name: bool(challenge is not None and getattr(challenge, name))
        for name in ("saves_time", "recognisable_elsewhere", "anchored_in_management")
    }
    process = ScalingProcess(
        owner=owner,
        title=data.title,
        description=data.description,
        challenge=challenge,
        currency=data.currency,
        procurement=procurement,
        started_on=data.started_on,
        visibility=data.visibility,
        created_by=context.users.get(data.created_by),
        **criteria,
    )
    _save(context, process)
    last = max([data.started_on, *(s.done_on for s in data.steps), *(d for d, _ in data.adoption)])
    ScalingProcess.objects.filter(pk=process.pk).update(
        created_at=_noon(data.started_on), updated_at=_noon(last)
    )
    return process


def _load_rows(context: _Context, data: ProcessData, process: ScalingProcess) -> None:
    by = context.users.get(data.created_by)
    known = set(process.participants.values_list("organisation__slug", flat=True))
    for slug, role in data.participants:
        if slug not in known:
            _save(
                context,
                ScalingParticipant(
                    process=process,
                    organisation=context.organisations[slug],
                    role=role,
                    joined_on=data.started_on,
                    added_by=by,
                ),
            )
    done = set(process.steps_done.values_list("step", flat=True))
    for item in data.steps:
        if item.step not in done:
            _save(
                context,
                ScalingStepDone(
                    process=process,
                    step=item.step,
                    done_on=item.done_on,
                    note=item.note,
                    done_by=by,
                ),
            )
    signed = set(process.commitments.values_list("organisation__slug", flat=True))
    for letter in data.commitments:
        if letter.organisation not in signed:
            _save(
                context,
                Commitment(
                    process=process,
                    organisation=context.organisations[letter.organisation],
                    volume=_decimal(letter.volume),
                    volume_unit=letter.volume_unit,
                    value=_decimal(letter.value),
                    signed_on=letter.signed_on,
                    signed_by=letter.signed_by,
                    recorded_by=by,
                ),
            )
    counted = set(process.adoption_counts.values_list("counted_on", flat=True))
    for counted_on, organisations in data.adoption:
        if counted_on not in counted:
            _save(
                context,
                AdoptionCount(process=process, counted_on=counted_on, organisations=organisations),
            )
    counts = context.counts
    counts.participants += len(data.participants)
    counts.steps += len(data.steps)
    counts.commitments += len(data.commitments)
    counts.adoption_counts += len(data.adoption)


@transaction.atomic
def load_scaling_demo() -> ScalingLoadCounts:
    """Create the demo scaling processes and their rows where missing; leave existing rows
    alone. The needs and procurement demos, loaded before, give the challenge and tender
    links."""
    slugs = {d.owner for d in PROCESSES} | {s for d in PROCESSES for s, _ in d.participants}
    slugs |= {c.organisation for d in PROCESSES for c in d.commitments}
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    if set(organisations) != slugs:
        return ScalingLoadCounts()  # the core demo has not been loaded
    usernames = {d.created_by for d in PROCESSES}
    context = _Context(
        organisations=organisations,
        users={u.username: u for u in User.objects.filter(username__in=usernames)},
    )
    for data in PROCESSES:
        process = _load_process(context, data)
        _load_rows(context, data, process)
    context.counts.processes = len(PROCESSES)
    return context.counts
