"""The demo procurements behind ``manage.py load_demo``, from seed 003.

- Aarhus and Copenhagen (seed 003): the innovation partnership on biological light in care
  homes. Aarhus leads, Copenhagen buys with it (both confirmed, their values committed),
  and five more Danish municipalities hold a purchase option under the ceiling of DKK 160 m,
  to be exercised by summer 2023 (Middelfart exercised its option). The seed names eight
  more municipalities; the core demo has five Danish municipalities besides the two
  (Frederiksberg, Aalborg, Esbjerg, Middelfart, Holbæk), so those five hold the options.
  Its phases: development with intermediate targets and testing in care homes, both passed
  with a go, and the purchase, not decided. The route's steps are done up to the purchase;
  it links to the challenge of the needs demo and the light pilot of the pilots demo.
- Oslo (seed 003): the Norwegian joint purchase of electronic medicine support, which began
  with eight municipalities and has been bought by 29. Oslo is the only Norwegian
  municipality in the core demo, so it leads and its districts Bydel Alna and Bydel Stovner
  buy in; the other 28 municipalities are told in the text, not loaded. Competitive
  procedure with negotiation, its steps done up to the final tenders.
- Bispebjerg og Frederiksberg Hospital (seed 003): Behovsfabrikken's innovation partnership
  for better conditions during admission, with Region Hovedstaden (whose group procurement,
  Koncernindkøb, runs it) as procuring entity. In tender: the need and minimum requirements
  are done, the phases are planned.

No award or contract is loaded: the core demo has no company that makes lights or medicine
dispensers, and this loader adds no organisations. Since the services move a procurement to
award only with an award and to contract only with a contract, all three stand in tender
(the light partnership and the medicine support would be in implementation with their
supplier). Texts are our own, in each
organisation's language. The seed gives the years 2018 (the two municipalities start), the
option in summer 2023, the ceiling and the 8 → 29 municipalities; the other dates, the
buyers' volumes and values and the phases' maximum costs are invented and plausible.

Loading is idempotent: a procurement is found again by (owner, title), a step done by its
route step, a phase by its position, a buyer by its organisation; what exists is left alone
and dates are set only when a row is made, so a second run changes nothing. Like the other
demo loaders it writes with the ORM: the services check an acting person's permissions,
which does not fit a loader; the ocid is the services' own (``services.ocid_for``). Routes
are looked up by code (the data migration ``0002_routes`` loads them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import TypeVar

from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from samspil.core.demo import CHANGE_REASON
from samspil.core.models import Organisation, User, Visibility
from samspil.needs.models import Challenge
from samspil.pilots.demo import DAYLIGHT
from samspil.pilots.models import Pilot

from .models import (
    Buyer,
    BuyerRole,
    Phase,
    PhaseDecision,
    Procurement,
    ProcurementRoute,
    Stage,
    StepDone,
)
from .services import ocid_for

M = TypeVar("M", bound=models.Model)

LEAD, PARTICIPANT, OPTION_HOLDER = (
    BuyerRole.LEAD,
    BuyerRole.PARTICIPANT,
    BuyerRole.OPTION_HOLDER,
)
GO = PhaseDecision.GO
INNOVATION_PARTNERSHIP, NEGOTIATION = "innovation-partnership", "negotiation"


# The data --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepData:
    """The route's next step done (steps are done in the route's order)."""

    done_on: date
    output: str
    by: str = ""  # user name


@dataclass(frozen=True)
class PhaseData:
    name: str
    target: str
    max_cost: str | None = None
    result: str = ""
    decision: str = ""
    decided_on: date | None = None


@dataclass(frozen=True)
class BuyerData:
    organisation: str  # slug
    role: str
    invited_on: date
    volume: str | None = None
    volume_unit: str = ""
    estimated_value: str | None = None
    maximum_value: str | None = None
    exercised_on: date | None = None
    confirmed_by: str = ""  # user name of a person of the organisation
    confirmed_on: date | None = None


@dataclass(frozen=True)
class ProcurementData:
    owner: str
    title: str
    description: str
    route: str  # route code
    currency: str
    stage: str
    created_by: str
    created_on: date
    buyers: tuple[BuyerData, ...]  # the lead first
    procuring_entity: str = ""
    estimated_value: str | None = None
    ceiling: str | None = None
    cpv_codes: tuple[str, ...] = ()
    dialogue_starts_on: date | None = None
    tender_on: date | None = None
    award_on: date | None = None
    contract_starts_on: date | None = None
    contract_ends_on: date | None = None
    option_deadline: date | None = None
    challenge: tuple[str, str] | None = None  # (owner slug, title) of a needs-demo challenge
    pilot: tuple[str, str] | None = None  # (owner slug, title) of a pilots-demo pilot
    steps: tuple[StepData, ...] = ()
    phases: tuple[PhaseData, ...] = ()
    visibility: str = Visibility.PUBLIC


# Seed 003: biological light in care homes ---------------------------------------------------------

BIOLOGICAL_LIGHT = ProcurementData(
    "aarhus",
    "Innovationspartnerskab om biologisk lys på plejehjem",
    "Aarhus og København udvikler sammen med leverandører et kunstigt lys, der følger "
    "sollysets styrke og farve gennem døgnet, så ældre i plejeboliger får det rigtige lys på "
    "det rigtige tidspunkt og sover og trives bedre. Kommunerne begyndte at afdække behovet i "
    "2018. Partnerskabet går fra udvikling over afprøvning på plejehjem til køb, hvis lyset "
    "lever op til kravene og holder sig under maksimumprisen. Begge kommuner har option på at "
    "købe de færdige produkter, og flere kommuner er med i en købsoption; i alt kan der købes "
    "for op til 160 mio. kr. Optionerne skulle bruges inden sommeren 2023.",
    INNOVATION_PARTNERSHIP,
    "DKK",
    Stage.TENDER,
    "matilde.gammelgaard",
    date(2018, 9, 3),
    procuring_entity="aarhus",
    ceiling="160000000",
    cpv_codes=("31500000-1", "73000000-2"),
    dialogue_starts_on=date(2018, 9, 3),
    tender_on=date(2019, 5, 6),
    award_on=date(2019, 12, 2),
    contract_starts_on=date(2020, 1, 6),
    contract_ends_on=date(2027, 12, 31),
    option_deadline=date(2023, 6, 30),
    challenge=("aarhus", "Biologisk lys til ældre på plejehjem"),
    pilot=(DAYLIGHT.owner, DAYLIGHT.title),
    steps=(
        StepData(
            date(2019, 4, 26),
            "Behovsafdækningen fra 2018 på plejehjemmene i begge kommuner er skrevet sammen "
            "til en behovsbeskrivelse: lyset skal støtte beboernes døgnrytme, søvn og helbred. "
            "Mindstekravene omfatter lysets styrke og farvetemperatur hen over døgnet, styring "
            "pr. bolig og fællesareal og drift uden ekstra arbejde for personalet.",
            "matilde.gammelgaard",
        ),
        StepData(
            date(2019, 9, 16),
            "Ansøgerne er udvalgt efter deres evne til forskning og udvikling i lys og "
            "lysstyring; de udvalgte partnere er inviteret til at afgive tilbud.",
            "matilde.gammelgaard",
        ),
        StepData(
            date(2019, 12, 2),
            "Forhandlingerne om tilbuddene er afsluttet, og partnerskabsaftalen er indgået med "
            "delmål, maksimumpris og købsoption for de deltagende kommuner.",
            "matilde.gammelgaard",
        ),
        StepData(
            date(2022, 9, 26),
            "Udviklingsfasen nåede sine delmål, og afprøvningen på plejehjem i begge kommuner "
            "viste færre fald og bedre søvn. Styregruppen gav grønt lys til køb.",
            "lene.vad.jensen",
        ),
    ),
    phases=(
        PhaseData(
            "Udvikling",
            "En lysløsning, der kan installeres i en plejebolig og et fællesareal, følger "
            "døgnets lyskurve automatisk og kan betjenes af beboere og personale.",
            "6000000",
            "Prototyperne nåede delmålene og var klar til afprøvning på plejehjem.",
            GO,
            date(2022, 2, 14),
        ),
        PhaseData(
            "Afprøvning på plejehjem",
            "Seks måneders afprøvning på plejehjem i begge kommuner: færre fald pr. 1.000 "
            "sengedage og bedre søvn vurderet af personalet.",
            "3000000",
            "Faldene faldt fra 4,1 til 3,2 pr. 1.000 sengedage, og søvnkvaliteten steg.",
            GO,
            date(2022, 9, 26),
        ),
        PhaseData(
            "Køb",
            "Kommunerne køber lyset, hvis det lever op til ydelseskravene og holder sig under "
            "maksimumprisen; optionerne bruges inden den 30. juni 2023.",
            "160000000",
        ),
    ),
    buyers=(
        BuyerData(
            "aarhus",
            LEAD,
            date(2018, 9, 3),
            "10",
            "plejehjem",
            "22000000",
            "30000000",
            confirmed_by="matilde.gammelgaard",
            confirmed_on=date(2018, 9, 3),
        ),
        BuyerData(
            "kobenhavn",
            PARTICIPANT,
            date(2018, 9, 3),
            "12",
            "plejehjem",
            "28000000",
            "40000000",
            confirmed_by="lene.vad.jensen",
            confirmed_on=date(2018, 10, 1),
        ),
        BuyerData(
            "frederiksberg",
            OPTION_HOLDER,
            date(2019, 3, 4),
            "4",
            "plejehjem",
            maximum_value="12000000",
            confirmed_by="sofie.dam",
            confirmed_on=date(2019, 3, 25),
        ),
        BuyerData(
            "aalborg",
            OPTION_HOLDER,
            date(2019, 3, 4),
            "6",
            "plejehjem",
            maximum_value="20000000",
            confirmed_by="mette.lund",
            confirmed_on=date(2019, 4, 1),
        ),
        BuyerData(
            "esbjerg",
            OPTION_HOLDER,
            date(2019, 3, 4),
            "5",
            "plejehjem",
            maximum_value="14000000",
            confirmed_by="rasmus.krogh",
            confirmed_on=date(2019, 3, 28),
        ),
        BuyerData(
            "middelfart",
            OPTION_HOLDER,
            date(2019, 3, 4),
            "1",
            "plejehjem",
            "2000000",
            "8000000",
            exercised_on=date(2023, 6, 28),
            confirmed_by="camilla.bech",
            confirmed_on=date(2019, 3, 20),
        ),
        BuyerData(
            "holbaek",
            OPTION_HOLDER,
            date(2019, 3, 4),
            "3",
            "plejehjem",
            maximum_value="10000000",
            confirmed_by="henrik.juul",
            confirmed_on=date(2019, 4, 8),
        ),
    ),
)


# Seed 003: the Norwegian joint purchase of electronic medicine support ----------------------------

MEDICINE_SUPPORT = ProcurementData(
    "oslo",
    "Felles anskaffelse av elektronisk medisinstøtte",
    "Brukere som bor hjemme, får hjelp av en elektronisk medisinstøtte til å ta riktig "
    "medisin til riktig tid, og hjemmetjenesten slipper mange besøk som bare handler om "
    "medisiner. Anskaffelsen begynte som et samarbeid mellom åtte kommuner; nå har 29 "
    "kommuner tatt løsningen i bruk på samme avtale. Kommunene beskrev behovet sammen, "
    "snakket med markedet og kjøpte etter funksjonskrav i en konkurranse med forhandling. "
    "I demoen leder Oslo kommune, og bydelene Alna og Stovner kjøper inn; de andre "
    "kommunene er ikke lagt inn.",
    NEGOTIATION,
    "NOK",
    Stage.TENDER,
    "oslo",
    date(2018, 10, 1),
    procuring_entity="oslo-uke",
    estimated_value="40000000",
    cpv_codes=("33100000-1",),
    dialogue_starts_on=date(2018, 10, 1),
    tender_on=date(2019, 3, 11),
    award_on=date(2019, 9, 2),
    contract_starts_on=date(2019, 10, 1),
    contract_ends_on=date(2025, 9, 30),
    challenge=("oslo", "Elektronisk medisinstøtte i hjemmetjenesten"),
    steps=(
        StepData(
            date(2019, 3, 11),
            "Kunngjøring med funksjonskrav til elektronisk medisinstøtte, skrevet av de åtte "
            "kommunene sammen etter markedsdialogen.",
            "oslo",
        ),
        StepData(
            date(2019, 4, 15),
            "Fire leverandører er kvalifisert og invitert til å gi første tilbud.",
            "oslo",
        ),
        StepData(
            date(2019, 6, 14),
            "To forhandlingsrunder om funksjon, brukervennlighet, varsling til "
            "hjemmetjenesten og pris.",
            "oslo",
        ),
        StepData(
            date(2019, 8, 9),
            "Endelige tilbud mottatt fra tre leverandører.",
            "oslo",
        ),
    ),
    buyers=(
        BuyerData(
            "oslo",
            LEAD,
            date(2018, 10, 1),
            confirmed_by="board",
            confirmed_on=date(2018, 10, 1),
        ),
        BuyerData(
            "oslo-alna",
            PARTICIPANT,
            date(2018, 10, 15),
            "120",
            "medisinstøtter",
            "3000000",
            confirmed_by="tore.pran",
            confirmed_on=date(2018, 11, 5),
        ),
        BuyerData(
            "oslo-stovner",
            PARTICIPANT,
            date(2018, 10, 15),
            "90",
            "medisinstøtter",
            "2300000",
            confirmed_by="alv.sorland",
            confirmed_on=date(2018, 11, 12),
        ),
    ),
)


# Seed 003: Behovsfabrikken at Bispebjerg og Frederiksberg Hospital -----------------------------

BEHOVSFABRIKKEN = ProcurementData(
    "bispebjerg-frederiksberg-hospital",
    "Innovationspartnerskab: bedre vilkår under indlæggelsen",
    "I Behovsfabrikken bliver sygeplejerskernes og de andre medarbejderes behov til "
    "innovative indkøb. Partnerskabet skal udvikle løsninger, der gør indlæggelsen bedre for "
    "patienterne og arbejdsdagen bedre for personalet. Hospitalets innovationsenhed og "
    "Region Hovedstadens Koncernindkøb arbejder sammen fra behovet til købet.",
    INNOVATION_PARTNERSHIP,
    "DKK",
    Stage.TENDER,
    "brian.kristensen",
    date(2021, 9, 1),
    procuring_entity="region-hovedstaden",
    dialogue_starts_on=date(2021, 9, 1),
    tender_on=date(2022, 6, 13),
    steps=(
        StepData(
            date(2022, 5, 30),
            "Behov indsamlet fra sygeplejersker på afdelingerne er samlet i en "
            "behovsbeskrivelse med mindstekrav, som udbuddet bygger på.",
            "louise.thomsen",
        ),
    ),
    phases=(
        PhaseData(
            "Udvikling",
            "Løsninger, der kan prøves på en sengeafdeling uden at forstyrre behandlingen.",
        ),
        PhaseData(
            "Afprøvning på afdelingerne",
            "Patienter og personale på to afdelinger bruger løsningerne og vurderer dem.",
        ),
        PhaseData(
            "Køb",
            "Hospitalet køber, hvis løsningerne opfylder kravene inden for maksimumprisen.",
        ),
    ),
    buyers=(
        BuyerData(
            "bispebjerg-frederiksberg-hospital",
            LEAD,
            date(2021, 9, 1),
            confirmed_by="brian.kristensen",
            confirmed_on=date(2021, 9, 1),
        ),
    ),
    visibility=Visibility.SHARED,
)

PROCUREMENTS: tuple[ProcurementData, ...] = (BIOLOGICAL_LIGHT, MEDICINE_SUPPORT, BEHOVSFABRIKKEN)


# Loading ---------------------------------------------------------------------------------------


@dataclass
class ProcurementLoadCounts:
    """Rows of the procurement demo, and how many of them this run created."""

    procurements: int = 0
    steps: int = 0
    phases: int = 0
    buyers: int = 0
    created: int = 0


@dataclass
class _Context:
    organisations: dict[str, Organisation]
    users: dict[str, User]
    routes: dict[str, ProcurementRoute]
    counts: ProcurementLoadCounts
    procurements: dict[tuple[str, str], Procurement] = field(default_factory=dict)

    def user(self, username: str) -> User | None:
        return self.users.get(username) if username else None


def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _decimal(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def _create(context: _Context, model: type[M], **fields) -> M:
    """One row, its history marked as written by the loader."""
    instance = model(**fields)
    instance._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
    instance.save()
    context.counts.created += 1
    return instance


def _create_all(context: _Context, model: type[M], rows: list[M]) -> list[M]:
    if not rows:
        return []
    made = bulk_create_with_history(rows, model, default_change_reason=CHANGE_REASON)
    context.counts.created += len(made)
    return made


def _date_history(model: type[models.Model], pks: list[int], day: date) -> None:
    """Date the history rows the loader just wrote to the day they describe, so that the
    OCDS export (which reads the history) tells the demo's own timeline."""
    history = model.history.model  # type: ignore[attr-defined]
    history.objects.filter(id__in=pks).update(history_date=_noon(day))


def _last_day(data: ProcurementData) -> date:
    """The last dated thing that happened, for the procurement's ``updated_at``."""
    days = [data.created_on, *(s.done_on for s in data.steps)]
    days += [p.decided_on for p in data.phases if p.decided_on]
    days += [b.exercised_on for b in data.buyers if b.exercised_on]
    return max(days)


def _load_procurement(context: _Context, data: ProcurementData) -> Procurement:
    owner = context.organisations[data.owner]
    procurement = Procurement.objects.filter(owner=owner, title=data.title).first()
    if procurement is not None:
        return procurement
    challenge = pilot = None
    if data.challenge:
        challenge = Challenge.objects.filter(
            owner__slug=data.challenge[0], title=data.challenge[1]
        ).first()
    if data.pilot:
        pilot = Pilot.objects.filter(owner__slug=data.pilot[0], title=data.pilot[1]).first()
    procurement = _create(
        context,
        Procurement,
        owner=owner,
        title=data.title,
        description=data.description,
        route=context.routes[data.route],
        procuring_entity=(
            context.organisations[data.procuring_entity] if data.procuring_entity else None
        ),
        currency=data.currency,
        estimated_value=_decimal(data.estimated_value),
        ceiling=_decimal(data.ceiling),
        cpv_codes=list(data.cpv_codes),
        stage=data.stage,
        dialogue_starts_on=data.dialogue_starts_on,
        tender_on=data.tender_on,
        award_on=data.award_on,
        contract_starts_on=data.contract_starts_on,
        contract_ends_on=data.contract_ends_on,
        option_deadline=data.option_deadline,
        challenge=challenge,
        pilot=pilot,
        visibility=data.visibility,
        created_by=context.user(data.created_by),
    )
    # The ocid is the services' own; ``update`` writes it (and the dates) without history.
    procurement.ocid = ocid_for(procurement)
    Procurement.objects.filter(pk=procurement.pk).update(
        ocid=procurement.ocid,
        created_at=_noon(data.created_on),
        updated_at=_noon(_last_day(data)),
    )
    _date_history(Procurement, [procurement.pk], data.created_on)
    return procurement


def _load_steps(context: _Context, data: ProcurementData, procurement: Procurement) -> None:
    """The route's first ``len(data.steps)`` steps, in order."""
    route_steps = list(context.routes[data.route].steps.order_by("position"))
    done = set(procurement.steps_done.values_list("step_id", flat=True))
    made = _create_all(
        context,
        StepDone,
        [
            StepDone(
                procurement=procurement,
                step=step,
                done_on=item.done_on,
                output=item.output,
                done_by=context.user(item.by),
            )
            for step, item in zip(route_steps, data.steps, strict=False)
            if step.pk not in done
        ],
    )
    for row in made:
        _date_history(StepDone, [row.pk], row.done_on)
    context.counts.steps += min(len(route_steps), len(data.steps))


def _load_phases(context: _Context, data: ProcurementData, procurement: Procurement) -> None:
    known = set(procurement.phases.values_list("position", flat=True))
    made = _create_all(
        context,
        Phase,
        [
            Phase(
                procurement=procurement,
                position=position,
                name=item.name,
                target=item.target,
                max_cost=_decimal(item.max_cost),
                result=item.result,
                decision=item.decision,
                decided_on=item.decided_on,
            )
            for position, item in enumerate(data.phases, start=1)
            if position not in known
        ],
    )
    for row in made:
        _date_history(Phase, [row.pk], row.decided_on or data.created_on)
    context.counts.phases += len(data.phases)


def _load_buyers(context: _Context, data: ProcurementData, procurement: Procurement) -> None:
    known = set(procurement.buyers.values_list("organisation__slug", flat=True))
    new = [item for item in data.buyers if item.organisation not in known]
    made = _create_all(
        context,
        Buyer,
        [
            Buyer(
                procurement=procurement,
                organisation=context.organisations[item.organisation],
                role=item.role,
                volume=_decimal(item.volume),
                volume_unit=item.volume_unit,
                estimated_value=_decimal(item.estimated_value),
                maximum_value=_decimal(item.maximum_value),
                option_exercised=item.exercised_on is not None,
                exercised_on=item.exercised_on,
                invited_by=context.user(data.created_by),
                confirmed_by=(confirmer := context.user(item.confirmed_by)),
                confirmed_at=(
                    _noon(item.confirmed_on) if confirmer and item.confirmed_on else None
                ),
            )
            for item in new
        ],
    )
    for buyer, item in zip(made, new, strict=True):
        buyer.invited_at = _noon(item.invited_on)
        _date_history(Buyer, [buyer.pk], item.exercised_on or item.confirmed_on or item.invited_on)
    Buyer.objects.bulk_update(made, ["invited_at"])
    context.counts.buyers += len(data.buyers)


@transaction.atomic
def load_procurement_demo() -> ProcurementLoadCounts:
    """Create the demo procurements with their steps, phases and buyers where missing; leave
    existing rows alone. Loads nothing without the core demo's organisations or the routes
    (the data migration loads them); the needs and pilots demos, loaded before, give the
    challenge and pilot links."""
    counts = ProcurementLoadCounts()
    slugs = {d.owner for d in PROCUREMENTS}
    slugs |= {b.organisation for d in PROCUREMENTS for b in d.buyers}
    slugs |= {d.procuring_entity for d in PROCUREMENTS if d.procuring_entity}
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    codes = {d.route for d in PROCUREMENTS}
    routes = {r.code: r for r in ProcurementRoute.objects.filter(code__in=codes)}
    if set(organisations) != slugs or set(routes) != codes:
        return counts  # the core demo has not been loaded, or the routes are missing
    usernames = {d.created_by for d in PROCUREMENTS} | {
        s.by for d in PROCUREMENTS for s in d.steps if s.by
    }
    usernames |= {b.confirmed_by for d in PROCUREMENTS for b in d.buyers if b.confirmed_by}
    context = _Context(
        organisations=organisations,
        users={u.username: u for u in User.objects.filter(username__in=usernames)},
        routes=routes,
        counts=counts,
    )
    for data in PROCUREMENTS:
        procurement = _load_procurement(context, data)
        context.procurements[(data.owner, data.title)] = procurement
        _load_steps(context, data, procurement)
        _load_phases(context, data, procurement)
        _load_buyers(context, data, procurement)
    counts.procurements = len(PROCUREMENTS)
    return counts
