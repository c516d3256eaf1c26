"""The demo programmes and pilots behind ``manage.py load_demo``, from seeds 001, 002 and 003.

- Oslo (seed 001): UKE's innovation programme 2017–2020 with the districts Alna and Stovner,
  pilots of at most six months and a target of 30 % gain on average. Its two first pilots are
  the sourcing of payroll services (a gain pilot measured against best practice) and robotic
  invoice coding (a learning sandbox). They gain about 35 % and 20 %, so the portfolio mean
  (about 27.6 %) falls short of the target: the story the programme page tells. The districts'
  own pilots measure the same KPI definitions and are their benchmark peers; Stovner adopts the
  invoice robot after the sandbox, and Alna stops a pilot at a decision point.
- Helsingborg (seed 002): the innovation hub's projects at every maturity stage, from an idea
  to the city intranet built in-house and the city guide made in a partnership.
- Copenhagen and Aarhus (seed 003): the joint pilot of daylight-like light in care homes, which
  ends in the purchase option, and Middelfart adopting it.

Texts are our own, in each organisation's language. The Oslo and light pilots keep their real
years; pilots still running are dated around the day of the first load. Suppliers, figures and
the reference values' sources are invented and say so.

Loading is idempotent: a programme and a pilot are found again by (owner, title), a KPI
definition by (owner, name), every other row by its parent and a natural key (a KPI by name, a
measurement by date, a decision by decision point and date, a benefit by indicator, a lesson by
its text, a partner by organisation); what exists is left alone and dates are set only when a
row is made, so a second run changes nothing. Like the other demo loaders it writes with the
ORM: the services check an acting person's permissions, which does not fit a loader. Phase
models are looked up by code (the data migration loads them); a pilot whose model is missing
is loaded without phases, decisions and checklist.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TypeVar

from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from samspil.core.demo import CHANGE_REASON
from samspil.core.models import Organisation, User, Visibility
from samspil.needs.models import Challenge

from .kpi_services import refresh_latest
from .models import (
    Benefit,
    BenefitMeasurement,
    BenefitStatus,
    BenefitType,
    ChecklistTemplateItem,
    Decision,
    DecisionOutcome,
    DecisionPoint,
    Direction,
    Kpi,
    KpiDefinition,
    Lesson,
    MaturityStage,
    Measurement,
    Method,
    Outcome,
    PartnerRole,
    Phase,
    PhaseModel,
    Pilot,
    PilotChecklistItem,
    PilotKind,
    PilotPartner,
    PilotStatus,
    Programme,
    ReferenceValue,
)

M = TypeVar("M", bound=models.Model)

# A day is a date, or a number of days from the day of loading (negative: in the past).
Day = date | int

LOWER, HIGHER = Direction.LOWER, Direction.HIGHER
GO, STOP, BACK = DecisionOutcome.GO, DecisionOutcome.STOP, DecisionOutcome.BACK
PUBLIC, SHARED, INTERNAL = Visibility.PUBLIC, Visibility.SHARED, Visibility.INTERNAL
PROSJEKTVEIVISEREN = "prosjektveiviseren"
STATENS_IT_PROJEKTMODEL = "statens-it-projektmodel"


def _month_ends(year: int, month: int, values: tuple[str, ...]) -> tuple[tuple[Day, str], ...]:
    """Monthly measurements on the last day of each month from ``year``-``month``."""
    points: list[tuple[Day, str]] = []
    for offset, value in enumerate(values):
        y, m = divmod(year * 12 + month - 1 + offset, 12)
        points.append((date(y, m + 1, calendar.monthrange(y, m + 1)[1]), value))
    return tuple(points)


# The data --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferenceData:
    label: str
    value: str
    measured_on: date
    source: str
    added_by: str  # slug


@dataclass(frozen=True)
class DefinitionData:
    owner: str
    name: str
    unit: str
    direction: str
    description: str
    created_by: str
    defined_on: date
    visibility: str = SHARED
    references: tuple[ReferenceData, ...] = ()


@dataclass(frozen=True)
class ProgrammeData:
    owner: str
    title: str
    description: str
    starts_on: date
    ends_on: date
    method: str
    coordinator: str
    board: tuple[str, ...]
    co_owners: tuple[str, ...] = ()
    phase_model: str = ""
    gain_target_percent: str | None = None
    max_pilot_months: int | None = None
    visibility: str = PUBLIC


@dataclass(frozen=True)
class KpiData:
    name: str  # a definition's name (see ``definition``) or the pilot's own KPI
    unit: str
    direction: str
    baseline: str
    baseline_on: Day
    measurements: tuple[tuple[Day, str], ...]
    target: str | None = None
    target_on: Day | None = None
    definition: DefinitionData | None = None


@dataclass(frozen=True)
class DecisionData:
    gate: int  # the phase model's n-th decision point (BP1 = 1)
    outcome: str
    decided_on: Day
    decided_by: str
    notes: str = ""


@dataclass(frozen=True)
class BenefitData:
    benefit_type: str
    indicator: str
    unit: str
    direction: str
    baseline: str
    baseline_on: Day
    target: str
    target_on: Day
    owner: str
    holders: tuple[str, ...]
    status: str
    measurements: tuple[tuple[Day, str], ...] = ()
    measure_every_months: int = 3
    next_measurement_on: Day | None = None


@dataclass(frozen=True)
class PartnerData:
    organisation: str
    role: str
    contribution: str


@dataclass(frozen=True)
class PilotData:
    key: str  # only inside the data, for ``adopted_from``
    owner: str
    title: str
    hypothesis: str
    description: str
    kind: str
    starts_on: Day
    planned_end_on: Day
    status: str
    lead: str
    team: tuple[str, ...] = ()
    ended_on: Day | None = None
    programme: ProgrammeData | None = None
    challenge: str = ""  # title of a challenge of the needs demo
    phase_model: str = ""
    decisions: tuple[DecisionData, ...] = ()
    maturity: str = MaturityStage.IDEA
    outcome: str = ""
    outcome_reason: str = ""
    adopted_from: str = ""  # key of a pilot listed earlier
    visibility: str = SHARED
    partners: tuple[PartnerData, ...] = ()
    kpis: tuple[KpiData, ...] = ()
    benefits: tuple[BenefitData, ...] = ()
    lessons: tuple[str, ...] = ()


# KPI definitions in the catalogue ----------------------------------------------------------------

COST_PER_PAYSLIP = DefinitionData(
    "oslo-uke",
    "Kostnad per lønnsslipp",
    "NOK",
    LOWER,
    "Alle kostnader ved lønnsproduksjonen i en måned (lønn til lønnsmedarbeidere, systemer, "
    "kjøpte tjenester og retting av feil) delt på antall lønnsslipper samme måned. Gjør det "
    "mulig å sammenligne lønnstjenester i og utenfor kommunen.",
    "oslo",
    date(2017, 8, 21),
    references=(
        ReferenceData(
            "Beste praksis: ekstern lønnsleverandør",
            "85",
            date(2017, 6, 30),
            "Demodata: anslag fra UKEs markedsdialog med leverandører av lønnstjenester, 2017.",
            "oslo-uke",
        ),
    ),
)
MINUTES_PER_INVOICE = DefinitionData(
    "oslo-uke",
    "Minutter per kontert faktura",
    "minutter",
    LOWER,
    "Arbeidstid fra en inngående faktura er mottatt til den er kontert og sendt til "
    "attestasjon, delt på antall fakturaer. Tiden til å rette feilkonteringer regnes med.",
    "oslo",
    date(2018, 1, 8),
    references=(
        ReferenceData(
            "Beste praksis: helautomatisk kontering av faste leverandører",
            "1.5",
            date(2018, 3, 31),
            "Demodata: anslag fra leverandører av programvareroboter, 2018.",
            "oslo-uke",
        ),
    ),
)
FALLS_PER_BED_DAYS = DefinitionData(
    "kobenhavn",
    "Faldulykker pr. 1.000 sengedage",
    "fald pr. 1.000 sengedage",
    LOWER,
    "Antal registrerede fald blandt beboerne i en måned, delt med antallet af sengedage samme "
    "måned og ganget med 1.000. Kan sammenlignes på tværs af plejecentre af forskellig "
    "størrelse.",
    "demo",
    date(2022, 2, 14),
)
DEFINITIONS: tuple[DefinitionData, ...] = (
    COST_PER_PAYSLIP,
    MINUTES_PER_INVOICE,
    FALLS_PER_BED_DAYS,
)


# Programmes -------------------------------------------------------------------------------------

OSLO_PROGRAMME = ProgrammeData(
    "oslo-uke",
    "Innovasjonsprogram for gevinstrealisering 2017–2020",
    "UKE, Bydel Alna og Bydel Stovner prøver sammen ut nye måter å drive bydelenes service- "
    "og støttetjenester på. Målet er helautomatiserte administrative tjenester som er lite "
    "sårbare. Hver pilot varer i høyst seks måneder og sammenlignes med virksomheter det er "
    "naturlig å måle seg mot, i og utenfor kommunen. Til sammen skal pilotene i snitt "
    "sannsynliggjøre 30 prosent effektiviseringsgevinst i full drift.\n"
    "Programmet følger Prosjektveiviseren og Lean. Programstyret har med direktørene for de tre "
    "virksomhetene; UKEs prosjektkontor er programkoordinator. Resultatene deles åpent, og "
    "andre bydeler kan komme med underveis.",
    date(2017, 6, 1),
    date(2020, 12, 31),
    Method.PROSJEKTVEIVISEREN,
    "oslo",
    ("board", "marit.forseth", "tore.pran", "alv.sorland"),
    co_owners=("oslo-alna", "oslo-stovner"),
    phase_model=PROSJEKTVEIVISEREN,
    gain_target_percent="30",
    max_pilot_months=6,
)
HUB_PROGRAMME = ProgrammeData(
    "helsingborg",
    "Innovationshubben: från idé till verklighet",
    "I innovationshubben tar stadens förvaltningar sina idéer vidare tillsammans med "
    "innovationscoacher, tjänstedesigner, utvecklare och partner från näringslivet. Varje "
    "projekt mognar steg för steg: idé, pretotyp, prototyp och proof of concept. Sedan "
    "bestämmer vi om staden bygger själv, går in i ett partnerskap, upphandlar eller avslutar.",
    date(2018, 9, 1),
    date(2022, 12, 31),
    Method.OWN,
    "helsingborg",
    ("helsingborg",),
)
PROGRAMMES: tuple[ProgrammeData, ...] = (OSLO_PROGRAMME, HUB_PROGRAMME)


# Pilots -----------------------------------------------------------------------------------------

PROGRAMME_BOARD = "Programstyret"

PAYROLL = PilotData(
    "lonn",
    "oslo-uke",
    "Kjøp av lønnstjenester",
    "Hvis UKE kjøper lønnskjøring og kontroller fra en ekstern leverandør og samtidig fjerner "
    "doble kontroller, faller kostnaden per lønnsslipp med minst 30 prosent uten at det blir "
    "flere feil i utbetalingene.",
    "Gevinstpilot i programmet. Vi fant først ut hva en lønnsslipp faktisk koster hos oss, "
    "kjøpte deretter lønnsproduksjonen fra en leverandør i seks måneder og målte kostnaden hver "
    "måned mot beste praksis i og utenfor kommunen.",
    PilotKind.GAIN,
    date(2017, 9, 1),
    date(2018, 2, 28),
    PilotStatus.COMPLETED,
    "oslo",
    team=("oslo", "marit.forseth"),
    ended_on=date(2018, 2, 28),
    programme=OSLO_PROGRAMME,
    phase_model=PROSJEKTVEIVISEREN,
    decisions=(
        DecisionData(1, GO, date(2017, 6, 19), PROGRAMME_BOARD, "Mandat for piloten gitt."),
        DecisionData(2, GO, date(2017, 8, 14), PROGRAMME_BOARD),
        DecisionData(
            3,
            GO,
            date(2017, 8, 28),
            PROGRAMME_BOARD,
            "Gevinstrealiseringsplanen godkjent med kostnad per lønnsslipp som hovedmål.",
        ),
        DecisionData(4, GO, date(2018, 2, 19), PROGRAMME_BOARD),
        DecisionData(
            5,
            GO,
            date(2018, 3, 12),
            PROGRAMME_BOARD,
            "Sluttrapporten viser 35 prosent lavere kostnad per lønnsslipp.",
        ),
        DecisionData(
            6,
            GO,
            date(2019, 3, 11),
            PROGRAMME_BOARD,
            "Gevinstene er tatt ut i budsjettet for 2019.",
        ),
    ),
    maturity=MaturityStage.OUTCOME,
    outcome=Outcome.PROCUREMENT,
    outcome_reason="Gevinsten holdt seg etter piloten. Programstyret vedtok å konkurranseutsette "
    "lønnsproduksjonen for hele UKE og tilby tjenesten til bydelene.",
    visibility=PUBLIC,
    kpis=(
        KpiData(
            COST_PER_PAYSLIP.name,
            COST_PER_PAYSLIP.unit,
            LOWER,
            "142",
            date(2017, 8, 31),
            _month_ends(2017, 9, ("139", "127", "114", "103", "96", "92")),
            target="99",
            target_on=date(2018, 2, 28),
            definition=COST_PER_PAYSLIP,
        ),
        KpiData(
            "Lønnsslipper med feil",
            "%",
            LOWER,
            "1.8",
            date(2017, 8, 31),
            _month_ends(2017, 9, ("1.9", "1.6", "1.4", "1.2", "1.1", "1.0")),
            target="1.0",
            target_on=date(2018, 2, 28),
        ),
    ),
    benefits=(
        BenefitData(
            BenefitType.BUDGET,
            "Lavere årlig kostnad for lønnsproduksjonen",
            "NOK",
            HIGHER,
            "0",
            date(2018, 2, 28),
            "3000000",
            date(2019, 2, 28),
            "marit.forseth",
            ("oslo-uke",),
            BenefitStatus.REALISED,
            ((date(2018, 8, 31), "2100000"), (date(2019, 2, 28), "3150000")),
            measure_every_months=6,
        ),
        BenefitData(
            BenefitType.FREED_CAPACITY,
            "Frigjorte timer i lønnsseksjonen",
            "timer per måned",
            HIGHER,
            "0",
            date(2018, 2, 28),
            "500",
            date(2018, 11, 30),
            "marit.forseth",
            ("oslo-uke",),
            BenefitStatus.REALISED,
            ((date(2018, 5, 31), "310"), (date(2018, 8, 31), "460"), (date(2018, 11, 30), "520")),
        ),
    ),
    lessons=(
        "Vi måtte først bli enige om hva en lønnsslipp koster hos oss. Uten en felles "
        "definisjon ga sammenligningen med andre lite mening.",
        "Gevinsten kom først da vi fjernet doble kontroller. Å flytte det samme arbeidet til en "
        "leverandør ga nesten ingenting alene.",
        "Tallet for beste praksis gjorde målet konkret for programstyret, men det må alltid "
        "oppgis med kilde og år.",
    ),
)

INVOICE_ROBOT = PilotData(
    "faktura",
    "oslo-uke",
    "Robotisert fakturakontering",
    "En programvarerobot kan kontere de vanligste inngående fakturaene i Bydel Alna like "
    "riktig som en saksbehandler. Vi lærer hva som skal til før roboten kan tas i bruk i "
    "flere bydeler.",
    "Sandkassepilot: læring går foran gevinst. Roboten konterer fakturaer fra de faste "
    "leverandørene, og en saksbehandler kontrollerer resultatet. Vi måler likevel minutter "
    "per faktura for å se hvor mye av gevinsten som holder når roboten møter hverdagen.",
    PilotKind.SANDBOX,
    date(2018, 1, 15),
    date(2018, 7, 13),
    PilotStatus.COMPLETED,
    "oslo",
    team=("oslo", "ingrid.solberg"),
    ended_on=date(2018, 7, 13),
    programme=OSLO_PROGRAMME,
    phase_model=PROSJEKTVEIVISEREN,
    decisions=(
        DecisionData(1, GO, date(2017, 11, 20), PROGRAMME_BOARD),
        DecisionData(
            2,
            BACK,
            date(2017, 12, 11),
            PROGRAMME_BOARD,
            "Læringsmålene må stå i prosjektbegrunnelsen før vi sier ja.",
        ),
        DecisionData(2, GO, date(2018, 1, 8), PROGRAMME_BOARD),
        DecisionData(3, GO, date(2018, 1, 12), PROGRAMME_BOARD),
        DecisionData(4, GO, date(2018, 6, 25), PROGRAMME_BOARD),
        DecisionData(
            5,
            GO,
            date(2018, 8, 20),
            PROGRAMME_BOARD,
            "20 prosent mindre tid per faktura: under programmets mål, men nok til å prøve "
            "roboten i en bydel til.",
        ),
    ),
    maturity=MaturityStage.OUTCOME,
    outcome=Outcome.SCALE,
    outcome_reason="Roboten sparte mindre tid enn vi håpet, men vi lærte hvilke fakturaer den "
    "klarer alene. Den prøves videre i Bydel Stovner med bedre regler før den tilbys alle "
    "bydelene.",
    visibility=PUBLIC,
    partners=(
        PartnerData(
            "oslo-alna",
            PartnerRole.PUBLIC_PARTNER,
            "Fakturaene og saksbehandlerne i piloten",
        ),
    ),
    kpis=(
        KpiData(
            MINUTES_PER_INVOICE.name,
            MINUTES_PER_INVOICE.unit,
            LOWER,
            "6.0",
            date(2018, 1, 12),
            (
                *_month_ends(2018, 2, ("6.3", "5.7", "5.3", "5.0", "4.9")),
                (date(2018, 7, 13), "4.8"),
            ),
            target="4.2",
            target_on=date(2018, 7, 13),
            definition=MINUTES_PER_INVOICE,
        ),
        KpiData(
            "Fakturaer roboten konterte alene",
            "%",
            HIGHER,
            "0",
            date(2018, 1, 12),
            (*_month_ends(2018, 2, ("12", "28", "41", "48", "52")), (date(2018, 7, 13), "55")),
        ),
    ),
    benefits=(
        BenefitData(
            BenefitType.FREED_CAPACITY,
            "Frigjort tid til fakturakontering i Bydel Alna",
            "timer per måned",
            HIGHER,
            "0",
            date(2018, 7, 13),
            "120",
            date(2019, 1, 31),
            "tore.pran",
            ("oslo-alna",),
            BenefitStatus.PARTLY,
            ((date(2018, 10, 31), "48"), (date(2019, 1, 31), "72")),
        ),
        BenefitData(
            BenefitType.QUALITY,
            "Feilkonterte fakturaer",
            "%",
            LOWER,
            "7.5",
            date(2018, 1, 12),
            "3",
            date(2019, 1, 31),
            "tore.pran",
            ("oslo-alna", "oslo-uke"),
            BenefitStatus.PARTLY,
            ((date(2018, 10, 31), "5.8"), (date(2019, 1, 31), "5.1")),
        ),
    ),
    lessons=(
        "Roboten er aldri bedre enn reglene den får. Faste leverandører med ryddige fakturaer "
        "ga nesten hele gevinsten.",
        "Saksbehandlerne må skrive reglene sammen med utviklerne. Da stoler de på roboten og "
        "kontrollerer mindre.",
        "Sandkassen gjorde det lov å feile: vi stoppet to ganger for å endre reglene uten at "
        "piloten ble sett på som mislykket.",
    ),
)

ALNA_SELF_SERVICE = PilotData(
    "alna-lonn",
    "oslo-alna",
    "Selvbetjente lønnsendringer i Bydel Alna",
    "Når ledere melder lønnsendringer selv i et digitalt skjema, faller kostnaden per "
    "lønnsslipp fordi færre endringer må tastes inn og rettes av lønnsmedarbeiderne.",
    "Bydelens egen pilot, målt med samme KPI som UKEs lønnspilot slik at resultatene kan "
    "sammenlignes.",
    PilotKind.GAIN,
    date(2019, 2, 1),
    date(2019, 7, 31),
    PilotStatus.STOPPED,
    "ingrid.solberg",
    team=("ingrid.solberg",),
    ended_on=date(2019, 6, 17),
    phase_model=PROSJEKTVEIVISEREN,
    decisions=(
        DecisionData(1, GO, date(2018, 12, 3), "Bydelsdirektøren"),
        DecisionData(2, GO, date(2019, 1, 14), "Bydelsdirektøren"),
        DecisionData(3, GO, date(2019, 1, 28), "Bydelsdirektøren"),
        DecisionData(
            4,
            STOP,
            date(2019, 6, 17),
            "Bydelsdirektøren",
            "Gevinsten er under 10 prosent. Bydelen kjøper heller lønnstjenesten fra UKE.",
        ),
    ),
    maturity=MaturityStage.OUTCOME,
    outcome=Outcome.STOP,
    outcome_reason="Skjemaet sparte litt, men langt mindre enn UKEs kjøpte lønnstjeneste. "
    "Bydelen stopper egen utvikling og går over til tjenesten fra UKE.",
    kpis=(
        KpiData(
            COST_PER_PAYSLIP.name,
            COST_PER_PAYSLIP.unit,
            LOWER,
            "165",
            date(2019, 1, 31),
            _month_ends(2019, 2, ("163", "158", "154", "152")),
            target="130",
            target_on=date(2019, 7, 31),
            definition=COST_PER_PAYSLIP,
        ),
    ),
    lessons=(
        "Det var nyttig å måle med samme definisjon som UKE: vi så raskt at vår egen løsning "
        "ikke ville nå like langt.",
    ),
)

STOVNER_ROBOT = PilotData(
    "stovner-faktura",
    "oslo-stovner",
    "Robotisert fakturakontering i Bydel Stovner",
    "Med reglene fra sandkassepiloten og en liste over leverandører som passer for roboten, "
    "kan Bydel Stovner kutte tiden per kontert faktura med minst 30 prosent.",
    "Overtatt fra UKEs sandkassepilot. Bydelen bruker samme robot og samme KPI, slik at "
    "resultatene kan sammenlignes med Alna.",
    PilotKind.GAIN,
    date(2018, 10, 1),
    date(2019, 3, 29),
    PilotStatus.COMPLETED,
    "nils.haugland",
    team=("nils.haugland", "alv.sorland"),
    ended_on=date(2019, 3, 29),
    phase_model=PROSJEKTVEIVISEREN,
    decisions=(
        DecisionData(1, GO, date(2018, 8, 27), "Bydelsdirektøren"),
        DecisionData(2, GO, date(2018, 9, 10), "Bydelsdirektøren"),
        DecisionData(3, GO, date(2018, 9, 24), "Bydelsdirektøren"),
        DecisionData(4, GO, date(2019, 3, 18), "Bydelsdirektøren"),
        DecisionData(5, GO, date(2019, 4, 8), "Bydelsdirektøren"),
    ),
    maturity=MaturityStage.OUTCOME,
    outcome=Outcome.SCALE,
    outcome_reason="Tiden per faktura falt med nesten en tredjedel. Roboten anbefales for alle "
    "bydelene fra 2020.",
    adopted_from="faktura",
    partners=(
        PartnerData(
            "oslo-uke", PartnerRole.PUBLIC_PARTNER, "Roboten og reglene fra sandkassepiloten"
        ),
    ),
    kpis=(
        KpiData(
            MINUTES_PER_INVOICE.name,
            MINUTES_PER_INVOICE.unit,
            LOWER,
            "6.6",
            date(2018, 9, 30),
            _month_ends(2018, 10, ("6.2", "5.5", "5.0", "4.7", "4.6", "4.5")),
            target="4.6",
            target_on=date(2019, 3, 29),
            definition=MINUTES_PER_INVOICE,
        ),
    ),
    benefits=(
        BenefitData(
            BenefitType.FREED_CAPACITY,
            "Frigjort tid til fakturakontering i Bydel Stovner",
            "timer per måned",
            HIGHER,
            "0",
            date(2019, 3, 29),
            "80",
            date(2019, 9, 30),
            "alv.sorland",
            ("oslo-stovner",),
            BenefitStatus.REALISED,
            ((date(2019, 6, 30), "64"), (date(2019, 9, 30), "83")),
        ),
    ),
    lessons=(
        "Vi startet med reglene fra Alna og sparte to måneder. Det nyttigste vi arvet var "
        "listen over leverandører som ikke passer for roboten.",
    ),
)

HUB_INTRANET = PilotData(
    "intranat",
    "helsingborg",
    "Stadens intranät",
    "Ett intranät som medarbetarna själva hittar svar i sparar tid i alla förvaltningar och "
    "kan utvecklas i takt med verksamheten.",
    "Ett av hubbens första projekt. Vi testade sökning och navigering med medarbetare från "
    "flera förvaltningar, byggde en prototyp och prövade den i en förvaltning innan beslutet.",
    PilotKind.GAIN,
    date(2018, 9, 3),
    date(2019, 2, 28),
    PilotStatus.COMPLETED,
    "helsingborg",
    team=("helsingborg",),
    ended_on=date(2019, 2, 28),
    programme=HUB_PROGRAMME,
    maturity=MaturityStage.OUTCOME,
    outcome=Outcome.IN_HOUSE,
    outcome_reason="Hubben har kompetensen, och intranätet behöver ändras varje vecka. En färdig "
    "produkt skulle låsa oss, så staden bygger och förvaltar intranätet med egna utvecklare.",
    visibility=PUBLIC,
    kpis=(
        KpiData(
            "Medarbetare som hittar svaret själva",
            "%",
            HIGHER,
            "54",
            date(2018, 8, 31),
            ((date(2018, 11, 30), "61"), (date(2019, 2, 28), "71")),
            target="70",
            target_on=date(2019, 2, 28),
        ),
    ),
    lessons=(
        "Medarbetarna letade efter blanketter, inte nyheter. Startsidan byggdes om kring de "
        "tjugo vanligaste ärendena.",
    ),
)

HUB_GUIDE = PilotData(
    "guide",
    "helsingborg",
    "Guide Helsingborg – digital stadsguide",
    "En digital guide till stadens platser, konst och historia får fler besökare och "
    "helsingborgare att upptäcka staden, om den utvecklas tillsammans med dem som använder den.",
    "Proof of concept i hubben med en partner från näringslivet; användartester på plats i "
    "staden varannan vecka.",
    PilotKind.SANDBOX,
    date(2018, 10, 1),
    date(2019, 3, 29),
    PilotStatus.COMPLETED,
    "helsingborg",
    team=("helsingborg",),
    ended_on=date(2019, 3, 29),
    programme=HUB_PROGRAMME,
    maturity=MaturityStage.OUTCOME,
    outcome=Outcome.PARTNERSHIP,
    outcome_reason="Vi och partnern har samma mål: en guide som faktiskt används. Vi delar "
    "arbetet och utvecklar vidare i ett partnerskap i stället för att köpa en färdig app.",
    visibility=PUBLIC,
    partners=(
        PartnerData(
            "sogeti",
            PartnerRole.SUPPLIER,
            "Utvecklare och testare i ett gemensamt team (demodata)",
        ),
    ),
    lessons=("Besökarna ville ha promenader på en halvtimme, inte långa texter om varje plats.",),
)

HUB_BOOKING = PilotData(
    "resurssajt",
    "helsingborg",
    "Resurssajt för bokningsbara lokaler",
    "Om föreningar och invånare kan se och boka stadens lokaler när de står tomma, används "
    "skolor, samlingssalar och mötesrum mer utan att staden behöver bygga nytt.",
    "En idé från reformgruppen för digitalisering. Prototypen visar lediga tider i tre skolor "
    "och två samlingssalar och testas med föreningar.",
    PilotKind.SANDBOX,
    -75,
    105,
    PilotStatus.RUNNING,
    "helsingborg",
    team=("helsingborg", "anna.berglund"),
    programme=HUB_PROGRAMME,
    maturity=MaturityStage.PROTOTYPE,
    visibility=PUBLIC,
    partners=(
        PartnerData(
            "atea", PartnerRole.SUPPLIER, "Inloggning och bokningsmotor till prototypen (demodata)"
        ),
    ),
    kpis=(
        KpiData(
            "Lokaler som kan bokas digitalt",
            "%",
            HIGHER,
            "5",
            -80,
            ((-45, "12"), (-15, "21")),
            target="40",
            target_on=105,
        ),
    ),
    lessons=(
        "Föreningarna bokar helst kvällar och helger, när skolorna står tomma men ingen har "
        "nyckeln. Prototypen behöver lösa nycklarna, inte bara kalendern.",
    ),
)

HUB_STUDY_VISITS = PilotData(
    "syv",
    "helsingborg",
    "Virtuella studiebesök för studie- och yrkesvägledningen",
    "Elever som kan göra virtuella studiebesök på stadens arbetsplatser väljer utbildning med "
    "bättre kunskap om vad yrkena innebär.",
    "Proof of concept: filmade arbetsplatsbesök som studie- och yrkesvägledarna använder i "
    "sina samtal med elever i årskurs 9.",
    PilotKind.SANDBOX,
    -150,
    30,
    PilotStatus.RUNNING,
    "helsingborg",
    team=("helsingborg",),
    programme=HUB_PROGRAMME,
    maturity=MaturityStage.PROOF_OF_CONCEPT,
    visibility=PUBLIC,
    partners=(
        PartnerData(
            "oresundskraft",
            PartnerRole.OTHER,
            "Första arbetsplatsen som filmas för studiebesöken (demodata)",
        ),
    ),
)

HUB_INVOICE_ROBOT = PilotData(
    "hbg-faktura",
    "helsingborg",
    "Robotkontering av leverantörsfakturor",
    "Oslos erfarenheter visar att en robot kan kontera fakturor från fasta leverantörer. Vi "
    "testar först om våra fakturor liknar deras innan vi bygger något.",
    "Pretotyp: en ekonomiadministratör konterar efter robotens regler för hand under en månad, "
    "och vi mäter tiden med samma definition som Oslo.",
    PilotKind.SANDBOX,
    -20,
    70,
    PilotStatus.RUNNING,
    "helsingborg",
    team=("helsingborg", "anna.berglund"),
    programme=HUB_PROGRAMME,
    maturity=MaturityStage.PRETOTYPE,
    adopted_from="faktura",
    kpis=(
        KpiData(
            MINUTES_PER_INVOICE.name,
            MINUTES_PER_INVOICE.unit,
            LOWER,
            "7.5",
            -25,
            ((-5, "7.1"),),
            definition=MINUTES_PER_INVOICE,
        ),
    ),
)

HUB_SKILLS_EXCHANGE = PilotData(
    "kompetensvaxel",
    "helsingborg",
    "Kompetensväxeln",
    "Om medarbetare kan byta tjänster och kunskap med varandra över förvaltningsgränserna "
    "löser vi fler uppgifter själva och lär oss av varandra.",
    "En idé från reformgruppen som ännu inte har testats.",
    PilotKind.SANDBOX,
    30,
    210,
    PilotStatus.PLANNED,
    "helsingborg",
    programme=HUB_PROGRAMME,
    maturity=MaturityStage.IDEA,
    visibility=INTERNAL,
)

DAYLIGHT = PilotData(
    "lys",
    "kobenhavn",
    "Dagslyslignende lys på plejecentre",
    "Lys, der genskaber sollysets styrke og farve gennem døgnet, styrker beboernes døgnrytme: "
    "de sover bedre, er mindre urolige og falder sjældnere.",
    "Fælles afprøvning i Københavns og Aarhus Kommunes plejeboliger som led i "
    "innovationspartnerskabet om biologisk lys. Lyset er installeret i fællesarealer og på "
    "udvalgte boliger, og personalet registrerer søvn og fald hver måned.",
    PilotKind.GAIN,
    date(2022, 3, 1),
    date(2022, 8, 31),
    PilotStatus.COMPLETED,
    "lene.vad.jensen",
    team=("lene.vad.jensen", "demo", "matilde.gammelgaard", "jakob.moller"),
    ended_on=date(2022, 8, 31),
    challenge="Biologisk lys til ældre på plejehjem",
    phase_model=STATENS_IT_PROJEKTMODEL,
    decisions=(
        DecisionData(1, GO, date(2021, 10, 4), "Styregruppen for innovationspartnerskabet"),
        DecisionData(2, GO, date(2022, 2, 14), "Styregruppen for innovationspartnerskabet"),
        DecisionData(
            3,
            GO,
            date(2022, 9, 26),
            "Styregruppen for innovationspartnerskabet",
            "Lyset opfylder kravene; kommunerne kan bruge købsoptionen i 2023.",
        ),
    ),
    maturity=MaturityStage.OUTCOME,
    outcome=Outcome.PROCUREMENT,
    outcome_reason="Lyset lever op til udbuddets krav. Begge kommuner bruger købsoptionen, og "
    "otte kommuner mere kan købe på samme vilkår inden for en ramme på 160 mio. kr.",
    partners=(
        PartnerData(
            "aarhus",
            PartnerRole.PUBLIC_PARTNER,
            "Fælles projektledelse og afprøvning på Aarhus' plejehjem",
        ),
    ),
    kpis=(
        KpiData(
            FALLS_PER_BED_DAYS.name,
            FALLS_PER_BED_DAYS.unit,
            LOWER,
            "4.1",
            date(2022, 2, 28),
            _month_ends(2022, 3, ("4.0", "3.8", "3.6", "3.5", "3.3", "3.2")),
            target="3.3",
            target_on=date(2022, 8, 31),
            definition=FALLS_PER_BED_DAYS,
        ),
        KpiData(
            "Søvnkvalitet vurderet af personalet",
            "point (1–5)",
            HIGHER,
            "2.9",
            date(2022, 2, 28),
            _month_ends(2022, 3, ("3.0", "3.1", "3.3", "3.4", "3.5", "3.6")),
            target="3.5",
            target_on=date(2022, 8, 31),
        ),
    ),
    benefits=(
        BenefitData(
            BenefitType.QUALITY,
            "Færre faldulykker blandt beboerne",
            "fald pr. 1.000 sengedage",
            LOWER,
            "4.1",
            date(2022, 2, 28),
            "3.3",
            date(2023, 12, 31),
            "lene.vad.jensen",
            ("kobenhavn-suf", "aarhus"),
            BenefitStatus.REALISED,
            ((date(2023, 3, 31), "3.4"), (date(2023, 9, 30), "3.3")),
            measure_every_months=6,
        ),
        BenefitData(
            BenefitType.FREED_CAPACITY,
            "Mindre nattevagtstid til uro og fald",
            "timer pr. måned pr. plejecenter",
            HIGHER,
            "0",
            date(2022, 8, 31),
            "40",
            date(2024, 6, 30),
            "lene.vad.jensen",
            ("kobenhavn-suf", "aarhus"),
            BenefitStatus.REALISING,
            ((date(2023, 3, 31), "18"), (date(2023, 9, 30), "27")),
            measure_every_months=6,
            next_measurement_on=30,
        ),
    ),
    lessons=(
        "Lyset skal forklares for beboere, pårørende og personale. Flere slukkede lamperne om "
        "aftenen, fordi det blev mørkere, end de var vant til.",
        "At være to kommuner gav leverandørerne et større marked at udvikle til, og de tog "
        "kravene mere alvorligt.",
    ),
)

MIDDELFART_LIGHT = PilotData(
    "middelfart-lys",
    "middelfart",
    "Døgnrytmelys på Middelfarts plejecentre",
    "Det lys, København og Aarhus har udviklet, giver også færre fald og bedre søvn på vores "
    "plejecentre.",
    "Middelfart er med i købsoptionen og afprøver lyset på ét plejecenter, før resten af "
    "kommunen køber. Vi måler med samme definition som København.",
    PilotKind.GAIN,
    -40,
    140,
    PilotStatus.RUNNING,
    "camilla.bech",
    team=("camilla.bech",),
    phase_model=STATENS_IT_PROJEKTMODEL,
    decisions=(DecisionData(1, GO, -50, "Direktionen"),),
    maturity=MaturityStage.PROOF_OF_CONCEPT,
    adopted_from="lys",
    partners=(
        PartnerData(
            "kobenhavn", PartnerRole.PUBLIC_PARTNER, "Kravspecifikation og erfaringer fra piloten"
        ),
    ),
    kpis=(
        KpiData(
            FALLS_PER_BED_DAYS.name,
            FALLS_PER_BED_DAYS.unit,
            LOWER,
            "3.8",
            -45,
            ((-10, "3.6"),),
            target="3.1",
            target_on=140,
            definition=FALLS_PER_BED_DAYS,
        ),
    ),
)

# Sources before the pilots that adopt them.
PILOTS: tuple[PilotData, ...] = (
    PAYROLL,
    INVOICE_ROBOT,
    ALNA_SELF_SERVICE,
    STOVNER_ROBOT,
    HUB_INTRANET,
    HUB_GUIDE,
    HUB_BOOKING,
    HUB_STUDY_VISITS,
    HUB_INVOICE_ROBOT,
    HUB_SKILLS_EXCHANGE,
    DAYLIGHT,
    MIDDELFART_LIGHT,
)


# Loading ---------------------------------------------------------------------------------------


@dataclass
class PilotsLoadCounts:
    """Rows of the pilots demo, and how many of them this run created."""

    programmes: int = 0
    pilots: int = 0
    definitions: int = 0
    kpis: int = 0
    measurements: int = 0
    decisions: int = 0
    benefits: int = 0
    lessons: int = 0
    created: int = 0


@dataclass
class _Context:
    today: date
    organisations: dict[str, Organisation]
    users: dict[str, User]
    counts: PilotsLoadCounts
    phase_models: dict[str, PhaseModel] = field(default_factory=dict)
    definitions: dict[tuple[str, str], KpiDefinition] = field(default_factory=dict)
    programmes: dict[str, Programme] = field(default_factory=dict)
    pilots: dict[str, Pilot] = field(default_factory=dict)

    def day(self, value: Day) -> date:
        return value if isinstance(value, date) else self.today + timedelta(days=value)

    def at(self, value: Day) -> datetime:
        """Noon of a day, for timestamps the models set to now when a row is made."""
        return timezone.make_aware(datetime.combine(self.day(value), time(12, 0)))

    def user(self, username: str) -> User | None:
        return self.users.get(username)


def _create(context: _Context, model: type[M], **fields) -> M:
    """One row, its history marked as written by the loader."""
    instance = model(**fields)
    instance._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
    instance.save()
    context.counts.created += 1
    return instance


def _create_all(context: _Context, model: type[M], rows: list[M], history: bool = True) -> list[M]:
    if not rows:
        return []
    if history:
        made = bulk_create_with_history(rows, model, default_change_reason=CHANGE_REASON)
    else:
        made = model._default_manager.bulk_create(rows)
    context.counts.created += len(made)
    return made


def _load_definitions(context: _Context) -> None:
    for data in DEFINITIONS:
        owner = context.organisations[data.owner]
        definition = KpiDefinition.objects.filter(owner=owner, name=data.name).first()
        if definition is None:
            definition = _create(
                context,
                KpiDefinition,
                owner=owner,
                name=data.name,
                unit=data.unit,
                direction=data.direction,
                description=data.description,
                visibility=data.visibility,
                created_by=context.user(data.created_by),
            )
            KpiDefinition.objects.filter(pk=definition.pk).update(
                created_at=context.at(data.defined_on)
            )
        context.definitions[(data.owner, data.name)] = definition
        labels = set(definition.reference_values.values_list("label", flat=True))
        _create_all(
            context,
            ReferenceValue,
            [
                ReferenceValue(
                    definition=definition,
                    label=ref.label,
                    value=Decimal(ref.value),
                    measured_on=ref.measured_on,
                    source=ref.source,
                    added_by_organisation=context.organisations[ref.added_by],
                    created_by=context.user(data.created_by),
                )
                for ref in data.references
                if ref.label not in labels
            ],
        )


def _load_programme(context: _Context, data: ProgrammeData) -> Programme:
    owner = context.organisations[data.owner]
    programme = Programme.objects.filter(owner=owner, title=data.title).first()
    if programme is None:
        programme = _create(
            context,
            Programme,
            owner=owner,
            title=data.title,
            description=data.description,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            method=data.method,
            phase_model=context.phase_models.get(data.phase_model),
            gain_target_percent=(
                Decimal(data.gain_target_percent) if data.gain_target_percent else None
            ),
            max_pilot_months=data.max_pilot_months,
            coordinator=context.user(data.coordinator),
            visibility=data.visibility,
            created_by=context.user(data.coordinator),
        )
        programme.co_owners.set([context.organisations[slug] for slug in data.co_owners])
        programme.board.set([u for name in data.board if (u := context.user(name)) is not None])
        Programme.objects.filter(pk=programme.pk).update(
            created_at=context.at(data.starts_on - timedelta(days=14))
        )
    return programme


def _load_pilot(context: _Context, data: PilotData) -> Pilot:
    owner = context.organisations[data.owner]
    pilot = Pilot.objects.filter(owner=owner, title=data.title).first()
    if pilot is not None:
        return pilot
    phase_model = context.phase_models.get(data.phase_model)
    starts_on = context.day(data.starts_on)
    pilot = _create(
        context,
        Pilot,
        owner=owner,
        title=data.title,
        programme=context.programmes[data.programme.title] if data.programme else None,
        challenge=(
            Challenge.objects.filter(title=data.challenge).first() if data.challenge else None
        ),
        hypothesis=data.hypothesis,
        description=data.description,
        kind=data.kind,
        lead=context.user(data.lead),
        starts_on=starts_on,
        planned_end_on=context.day(data.planned_end_on),
        ended_on=context.day(data.ended_on) if data.ended_on is not None else None,
        status=data.status,
        phase_model=phase_model,
        maturity=data.maturity,
        outcome=data.outcome,
        outcome_reason=data.outcome_reason,
        adopted_from=context.pilots.get(data.adopted_from),
        visibility=data.visibility,
        created_by=context.user(data.lead),
    )
    pilot.team.set([u for name in data.team if (u := context.user(name)) is not None])
    Pilot.objects.filter(pk=pilot.pk).update(created_at=context.at(starts_on - timedelta(days=21)))
    return pilot


def _load_partners(context: _Context, data: PilotData, pilot: Pilot) -> None:
    existing = set(pilot.partners.values_list("organisation__slug", flat=True))
    _create_all(
        context,
        PilotPartner,
        [
            PilotPartner(
                pilot=pilot,
                organisation=context.organisations[partner.organisation],
                role=partner.role,
                contribution=partner.contribution,
            )
            for partner in data.partners
            if partner.organisation not in existing
        ],
    )


def _load_phases(context: _Context, data: PilotData, pilot: Pilot) -> None:
    """Decisions at the gates, the phase they lead to, and the checklist: everything of the
    phases passed is ticked off, half of the current phase's items."""
    if pilot.phase_model_id is None:
        return
    phases = list(Phase.objects.filter(model_id=pilot.phase_model_id).order_by("position"))
    gates = list(DecisionPoint.objects.filter(model_id=pilot.phase_model_id).order_by("position"))
    if not phases:
        return
    recorded = set(pilot.decisions.values_list("decision_point_id", "decided_on"))
    index = 0  # of the current phase
    passed: dict[int, date] = {}  # phase pk → when its gate was passed
    rows = []
    for item in data.decisions:
        gate = gates[item.gate - 1]
        closes = next(i for i, phase in enumerate(phases) if phase.pk == gate.closes_id)
        decided_on = context.day(item.decided_on)
        if item.outcome == GO:
            passed[phases[closes].pk] = decided_on
            index = min(closes + 1, len(phases) - 1)
        elif item.outcome == BACK:
            index = max(closes - 1, 0)
        else:
            index = closes
        if (gate.pk, decided_on) not in recorded:
            rows.append(
                Decision(
                    pilot=pilot,
                    decision_point=gate,
                    outcome=item.outcome,
                    decided_by=item.decided_by,
                    decided_on=decided_on,
                    documents=gate.documents,
                    notes=item.notes,
                    recorded_by=context.user(data.lead),
                )
            )
    made = _create_all(context, Decision, rows)
    for decision in made:
        decision.recorded_at = context.at(decision.decided_on)
    Decision.objects.bulk_update(made, ["recorded_at"])
    if pilot.current_phase_id is None:
        pilot.current_phase = phases[index]
        pilot._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
        pilot.save(update_fields=["current_phase", "updated_at"])
    if not pilot.checklist.exists():
        _load_checklist(context, data, pilot, phases[index], passed)


def _load_checklist(
    context: _Context, data: PilotData, pilot: Pilot, current: Phase, passed: dict[int, date]
) -> None:
    # Copied from the phase model's template like ``services.create_pilot`` does.
    templates = list(ChecklistTemplateItem.objects.filter(phase__model_id=pilot.phase_model_id))
    in_current = [t for t in templates if t.phase_id == current.pk]
    ticked_in_current = {t.pk for t in in_current[: len(in_current) // 2]}
    since = max(passed.values(), default=context.day(data.starts_on))
    rows = []
    for template in templates:
        done_on = passed.get(template.phase_id)
        if done_on is None and template.pk in ticked_in_current:
            done_on = min(since + timedelta(days=7), context.today)
        rows.append(
            PilotChecklistItem(
                pilot=pilot,
                phase_id=template.phase_id,
                text=template.text,
                position=template.position,
                done_at=context.at(done_on) if done_on else None,
                done_by=context.user(data.lead) if done_on else None,
            )
        )
    _create_all(context, PilotChecklistItem, rows)


def _load_kpis(context: _Context, data: PilotData, pilot: Pilot) -> None:
    existing = {kpi.name: kpi for kpi in pilot.kpis.all()}
    for position, item in enumerate(data.kpis):
        kpi = existing.get(item.name)
        if kpi is None:
            definition = item.definition
            kpi = _create(
                context,
                Kpi,
                pilot=pilot,
                definition=(
                    context.definitions[(definition.owner, definition.name)] if definition else None
                ),
                name=item.name,
                unit=item.unit,
                direction=item.direction,
                baseline_value=Decimal(item.baseline),
                baseline_on=context.day(item.baseline_on),
                target_value=Decimal(item.target) if item.target is not None else None,
                target_on=context.day(item.target_on) if item.target_on is not None else None,
                position=position,
            )
        context.counts.kpis += 1
        context.counts.measurements += len(item.measurements)
        measured = set(kpi.measurements.values_list("measured_on", flat=True))
        rows = [
            Measurement(
                kpi=kpi,
                measured_on=context.day(day),
                value=Decimal(value),
                recorded_by=context.user(data.lead),
            )
            for day, value in item.measurements
            if context.day(day) not in measured
        ]
        made = _create_all(context, Measurement, rows, history=False)
        for measurement in made:
            measurement.recorded_at = context.at(measurement.measured_on)
        Measurement.objects.bulk_update(made, ["recorded_at"])
        refresh_latest([kpi.pk])


def _load_benefits(context: _Context, data: PilotData, pilot: Pilot) -> None:
    existing = {benefit.indicator: benefit for benefit in pilot.benefits.all()}
    for item in data.benefits:
        context.counts.benefits += 1
        benefit = existing.get(item.indicator)
        if benefit is None:
            benefit = _create(
                context,
                Benefit,
                pilot=pilot,
                benefit_type=item.benefit_type,
                indicator=item.indicator,
                unit=item.unit,
                direction=item.direction,
                baseline_value=Decimal(item.baseline),
                baseline_on=context.day(item.baseline_on),
                target_value=Decimal(item.target),
                target_on=context.day(item.target_on),
                owner=context.user(item.owner),
                status=item.status,
                measure_every_months=item.measure_every_months,
                next_measurement_on=(
                    context.day(item.next_measurement_on)
                    if item.next_measurement_on is not None
                    else None
                ),
            )
            benefit.holders.set([context.organisations[slug] for slug in item.holders])
        measured = set(benefit.measurements.values_list("measured_on", flat=True))
        rows = [
            BenefitMeasurement(
                benefit=benefit,
                measured_on=context.day(day),
                value=Decimal(value),
                recorded_by=context.user(item.owner),
            )
            for day, value in item.measurements
            if context.day(day) not in measured
        ]
        made = _create_all(context, BenefitMeasurement, rows, history=False)
        for measurement in made:
            measurement.recorded_at = context.at(measurement.measured_on)
        BenefitMeasurement.objects.bulk_update(made, ["recorded_at"])


def _load_lessons(context: _Context, data: PilotData, pilot: Pilot) -> None:
    context.counts.lessons += len(data.lessons)
    written = set(pilot.lessons.values_list("text", flat=True))
    end = context.day(data.ended_on) if data.ended_on is not None else context.today
    made = _create_all(
        context,
        Lesson,
        [
            Lesson(pilot=pilot, text=text, created_by=context.user(data.lead))
            for text in data.lessons
            if text not in written
        ],
    )
    for number, lesson in enumerate(made):
        lesson.created_at = context.at(min(end, context.today) - timedelta(days=len(made) - number))
    Lesson.objects.bulk_update(made, ["created_at"])


@transaction.atomic
def load_pilots_demo() -> PilotsLoadCounts:
    """Create the demo KPI definitions, programmes and pilots with what happened in them where
    missing; leave existing rows alone. Loads nothing without the core demo's organisations;
    the needs demo, loaded before, gives the challenge link and some team members."""
    counts = PilotsLoadCounts()
    slugs = {d.owner for d in PILOTS} | {d.owner for d in PROGRAMMES}
    slugs |= {d.owner for d in DEFINITIONS} | {
        r.added_by for d in DEFINITIONS for r in d.references
    }
    slugs |= {p.organisation for d in PILOTS for p in d.partners}
    slugs |= {s for d in PROGRAMMES for s in d.co_owners}
    slugs |= {s for d in PILOTS for b in d.benefits for s in b.holders}
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    if set(organisations) != slugs:
        return counts  # the core demo has not been loaded
    usernames = {d.lead for d in PILOTS} | {n for d in PILOTS for n in d.team}
    usernames |= {d.coordinator for d in PROGRAMMES} | {n for d in PROGRAMMES for n in d.board}
    usernames |= {b.owner for d in PILOTS for b in d.benefits} | {d.created_by for d in DEFINITIONS}
    context = _Context(
        today=timezone.localdate(),
        organisations=organisations,
        users={u.username: u for u in User.objects.filter(username__in=usernames)},
        counts=counts,
        phase_models={
            m.code: m
            for m in PhaseModel.objects.filter(
                code__in=[PROSJEKTVEIVISEREN, STATENS_IT_PROJEKTMODEL]
            )
        },
    )
    _load_definitions(context)
    counts.definitions = len(DEFINITIONS)
    for programme_data in PROGRAMMES:
        context.programmes[programme_data.title] = _load_programme(context, programme_data)
    counts.programmes = len(PROGRAMMES)
    for data in PILOTS:
        pilot = _load_pilot(context, data)
        context.pilots[data.key] = pilot
        _load_partners(context, data, pilot)
        _load_phases(context, data, pilot)
        _load_kpis(context, data, pilot)
        _load_benefits(context, data, pilot)
        _load_lessons(context, data, pilot)
        counts.decisions += len(data.decisions)
    counts.pilots = len(PILOTS)
    return counts
