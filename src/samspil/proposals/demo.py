"""The demo investment proposals and prioritisation round behind ``manage.py load_demo``.

- Copenhagen (seed 004): Socialforvaltningen's proposal to the innovation pool for three
  hackathons in 2021 and a concept for holding them, complete: the 2,700 of its four cost
  lines, every section, the criteria table with the three planned hackathons, the follow-up
  table, the consultations (Center for Økonomi said yes on 16 June 2020) and its way from
  draft to follow-up. It links to the complaints hackathon of the events demo.
- Copenhagen's innovation pool for 2022, owned by Københavns Kommune and run by
  Økonomiforvaltningen: seven proposals from five departments (the three that followed from
  the hackathons, with the seed's ranges, and four of our own), seed 004's six criteria with
  weights, three board members whose scores are in and a scoring deadline passed, so the
  ranking shows. The service budget for 2022 is
  half of what the proposals ask, so the pool has to choose: the ranking's best, the app for
  Borgerens Plan, would take more than half of it, and four smaller proposals together score
  more than the three a greedy walk down the ranking funds. The optimiser's service solves the
  pool once, so its best portfolio and reasons show.
- Oslo (seeds 001, 004's template): UKE's business justification for scaling the robotic
  invoice coding of the pilots demo to every district, on Prosjektveiviseren's template with
  the Norwegian 4 % discount rate, submitted.

Texts are our own, in each organisation's language; the figures of the pool's own proposals
are invented and plausible. Proposals keep their real years. Two people are added for the
pool (a digitalisation manager in Socialforvaltningen and a board member in Sundheds- og
Omsorgsforvaltningen), invented; the core demo has no one in those roles.

Loading is idempotent: a proposal and a round are found again by (owner, title); a
proposal's lines by label, its criteria rows by label, follow-ups by criterion; a round's
budgets by (year, area), criteria by name, entries by proposal and scores by (entry,
criterion, member); a round is optimised only when it has no run yet. What exists is left
alone; state changes and timestamps are written only when a proposal is made, so a second run
changes nothing. Like the other demo loaders it writes with the ORM: the services check an
acting person's permissions, which does not fit a loader. The optimisation run is the
exception: it is computed, so the optimiser's service makes it, acting as the round's creator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from samspil.core.demo import (
    BOARD_MEMBER,
    CHANGE_REASON,
    INNOVATION_LEAD,
    MembershipData,
    PersonData,
    _upsert_membership,
    _upsert_user,
)
from samspil.core.models import Organisation, Role, User, Visibility
from samspil.events.demo import CITIZEN_PLAN, COMPLAINTS, DECISION_SUPPORT
from samspil.events.models import Event
from samspil.pilots.demo import INVOICE_ROBOT
from samspil.pilots.models import Pilot

from . import optimise_services
from .models import (
    Assessment,
    BudgetArea,
    Consultation,
    ConsultationAnswer,
    CriteriaRow,
    DiscountPreset,
    EconomicLine,
    FollowUpItem,
    LineGroup,
    LineValue,
    OptimisationRun,
    Proposal,
    ProposalSection,
    ProposalState,
    ProposalTemplate,
    Round,
    RoundBudget,
    RoundCriterion,
    RoundEntry,
    Score,
    StateChange,
)

M = TypeVar("M", bound=models.Model)

COPENHAGEN, PROSJEKTVEIVISEREN = "copenhagen", "prosjektveiviseren"
DK_RATE, NO_RATE = "dk-finance-ministry-2021", "no-finance-ministry-4"
SERVICE, CONSTRUCTION, TRANSFERS = BudgetArea.SERVICE, BudgetArea.CONSTRUCTION, BudgetArea.TRANSFERS
IMPLEMENTATION, PERMANENT = LineGroup.IMPLEMENTATION, LineGroup.PERMANENT
YES, MAYBE = Assessment.YES, Assessment.MAYBE
DRAFT, CONSULTATION, SUBMITTED = (
    ProposalState.DRAFT,
    ProposalState.CONSULTATION,
    ProposalState.SUBMITTED,
)
PRIORITISED, APPROVED, FOLLOW_UP = (
    ProposalState.PRIORITISED,
    ProposalState.APPROVED,
    ProposalState.FOLLOW_UP,
)
COPENHAGEN_DEPARTMENTS = (
    "kobenhavn-okf",
    "kobenhavn-buf",
    "kobenhavn-kff",
    "kobenhavn-suf",
    "kobenhavn-sof",
    "kobenhavn-tmf",
    "kobenhavn-bif",
)

# A cell: a value ("1000"), a range ("1500", "3000") or a three-point estimate
# ("-2000", "-1600", "-1000": low, most likely, high).
Cell = str | tuple[str, str] | tuple[str, str, str]


# The data --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineData:
    group: str
    area: str
    label: str
    values: tuple[tuple[int, Cell], ...]


@dataclass(frozen=True)
class CriteriaRowData:
    label: str
    expense: tuple[str, str] | None = None  # low, high in 1,000
    expense_note: str = ""
    expected_proposal: str = ""
    expected_budget_year: int | None = None
    saving: tuple[str, str] | None = None  # lasting yearly saving, low, high in 1,000
    saving_area: str = ""
    saving_note: str = ""
    cross_cutting: str = ""
    large_scale: str = ""
    mature_technology: str = ""


@dataclass(frozen=True)
class FollowUpData:
    criterion: str
    how_measured: str
    responsible: str
    when: str
    due_on: date | None = None  # set once the proposal is approved and the row is a task
    responsible_user: str = ""
    done_on: date | None = None


@dataclass(frozen=True)
class MoveData:
    to_state: str
    on: date
    by: str
    note: str = ""


@dataclass(frozen=True)
class ProposalData:
    owner: str
    title: str
    summary: str
    template: str
    created_by: str
    created_on: date
    price_level_year: int
    first_year: int
    last_year: int
    preset: str
    lines: tuple[LineData, ...]
    sections: tuple[tuple[str, str], ...] = ()  # template section code → text
    affected: tuple[str, ...] = ()
    committee: str = ""
    criteria: tuple[CriteriaRowData, ...] = ()
    follow_ups: tuple[FollowUpData, ...] = ()
    consultations: tuple[tuple[str, str, date | None], ...] = ()  # body, answer, date
    moves: tuple[MoveData, ...] = ()
    event: str = ""  # title of an event of the events demo with the same owner
    pilot: str = ""  # title of a pilot of the pilots demo with the same owner
    visibility: str = Visibility.PUBLIC

    @property
    def state(self) -> str:
        return self.moves[-1].to_state if self.moves else DRAFT


@dataclass(frozen=True)
class EntryData:
    proposal: ProposalData
    # The board's view on each criterion (in the round's order); each member deviates a little.
    level: tuple[int, int, int, int, int, int]


@dataclass(frozen=True)
class RoundData:
    owner: str
    title: str
    description: str
    opened_on: date
    submission_deadline: datetime
    scoring_deadline: datetime
    created_by: str
    board: tuple[str, ...]
    budgets: tuple[tuple[int | None, str, str], ...]  # year, budget area, amount in 1,000
    criteria: tuple[tuple[str, str, str], ...]  # name, description, weight (scale 1–5)
    entries: tuple[EntryData, ...]
    visibility: str = Visibility.PUBLIC


# People the pool needs and the core demo lacks (invented) ---------------------------------------

PEOPLE: tuple[PersonData, ...] = (
    PersonData(
        "sara.lund",
        "Sara",
        "Lund",
        "Digitaliseringschef",
        "da",
        (MembershipData("kobenhavn-sof", INNOVATION_LEAD),),
    ),
    PersonData(
        "karen.ostergaard",
        "Karen",
        "Østergaard",
        "Vicedirektør",
        "da",
        (MembershipData("kobenhavn-suf", BOARD_MEMBER),),
    ),
)


# Seed 004: the hackathon proposal -----------------------------------------------------------------

HACKATHONS = ProposalData(
    "kobenhavn-sof",
    "Hackathons – ny tilgang til markedsdialog og forretningsudvikling",
    "Socialforvaltningen holder i 2021 tre hackathons med eksterne parter, hvor komplekse data "
    "fra kernedriften bliver til idéer, prototyper og skarpere krav, og udvikler samtidig et "
    "koncept, så kommunen kan gentage formen hurtigere og billigere.",
    COPENHAGEN,
    "sara.lund",
    date(2020, 5, 25),
    2021,
    2020,
    2025,
    DK_RATE,
    lines=(
        LineData(
            IMPLEMENTATION,
            SERVICE,
            "Projektledelse og øvrige interne ressourcer i Socialforvaltningen",
            ((2021, "1000"),),
        ),
        LineData(IMPLEMENTATION, SERVICE, "Koncern IT: ressourcer og drift", ((2021, "950"),)),
        LineData(IMPLEMENTATION, SERVICE, "Ekstern bistand", ((2021, "475"),)),
        LineData(
            IMPLEMENTATION,
            SERVICE,
            "Kompetenceudvikling i dataanalyse, styring og afvikling af hackathons",
            ((2021, "275"),),
        ),
    ),
    sections=(
        (
            "economy",
            "Beløbene er i 1.000 kr. i 2021-priser. Hele investeringen falder i 2021 og på "
            "serviceområdet. Forslaget regner ikke selv med besparelser: de skal komme fra de "
            "investeringsforslag, som de tre hackathons fører til.",
        ),
        (
            "background",
            "Socialforvaltningen skal hjælpe københavnere med særlige behov til et værdigt og "
            "selvstændigt liv med indsatser, der bygger på viden og virker. Samtidig skal "
            "forvaltningen finde penge til omprioriteringer hvert år. Derfor leder vi efter nye "
            "måder at drive og forbedre kerneopgaven på.\n\n"
            "I februar 2020 holdt forvaltningen to hackathons om nye måder at bruge data på, "
            "sammen med private virksomheder, Koncern IT og IT-Universitetet. Begge gik rigtig "
            "godt. De viste, at formen giver noget, vi mangler i vores markedsdialog i dag: "
            "konkrete bud og en kreativ tilgang tidligt i forløbet.\n\n"
            "Vi tror, at en mere professionel dialog med private aktører rummer et potentiale "
            "for innovation, som vi ikke udnytter i dag, på socialområdet og måske i hele "
            "kommunen. Det vil vi afprøve med støtte fra innovationspuljen.\n\n"
            "Et hackathon er et kort, intensivt forløb, hvor deltagerne sammen bygger "
            "løsninger eller prototyper, ofte digitale, på et afgrænset problem. Ordet er sat "
            "sammen af »hacke« og »maraton«.",
        ),
        (
            "content",
            "Forvaltningen søger midler til i 2021 at holde tre hackathons mere i tæt "
            "samarbejde med Koncern IT. Hvert hackathon tager fat i et konkret fagligt og "
            "datamæssigt problem på socialområdet sammen med eksterne parter, og data "
            "håndteres i kommunens databank.\n\n"
            "Erfaringen fra de to første hackathons er, at vi på kort tid lærer mere og "
            "dybere om, hvordan et område kan understøttes digitalt eller med bedre brug af "
            "data, end en almindelig markedsafprøvning giver. Det gør det efterfølgende indkøb "
            "mere præcist, fordi kravspecifikationen bliver mere målrettet, og det afslører "
            "effektiviseringsmuligheder, vi ikke kendte i forvejen. Vi forventer, at "
            "hackathons giver forskellige konkrete løsningsforslag med tydelige styrker og "
            "svagheder, indsigt i ny teknologi, der kan skaleres, og leverandører, der "
            "forstår, hvad kommunen har brug for.\n\n"
            "Til gengæld har de to første hackathons krævet mange tekniske, faglige og "
            "juridiske ressourcer. Derfor skal investeringen også bruges til et koncept for "
            "at planlægge og holde hackathons som en fast del af markedsdialogen med et "
            "begrænset ressourceforbrug, og til at opbygge de kompetencer og relationer, det "
            "kræver.\n\n"
            "Leverancer:\n"
            "- tre hackathons, der hver giver en prototype på et område, hvor der kan komme "
            "et effektiviseringsforslag bagefter;\n"
            "- et koncept, så hackathons kan holdes hurtigere og billigere i alle "
            "forvaltninger.\n\n"
            "De tre temaer (rækkefølgen kan ændre sig, og et tema kan skiftes ud, hvis vi "
            "bliver klogere på, hvor formen giver mest):\n"
            "1. Klager: mønstre i klagedata, som kan give hurtigere og bedre svar og færre "
            "klager. En efterfølgende løsning anslås til 1,5–3 mio. kr. og kan spare omkring "
            "0,5 mio. kr. om året.\n"
            "2. Borgerdokumentation i Borgerens Plan: en app, hvor borgeren selv opdaterer sin "
            "handleplan direkte i fagsystemet DOMUS og får et letforståeligt overblik. Anslået "
            "2–5 mio. kr. med effektiviseringer på 1,5–3 mio. kr. om året, fordi "
            "sagsbehandlerne bruger mindre tid på at dokumentere for borgeren.\n"
            "3. Beslutningsstøtte til sagsbehandlere med kunstig intelligens: bedre afgørelser "
            "og færre tilbageløb, mens sagsbehandlerens skøn bevares. Bør indføres i bølger, "
            "når jura, erfaring og datakvalitet er på plads. Anslået 3,5–5 mio. kr. med "
            "effektiviseringer på 1,5–3 mio. kr. om året.\n\n"
            "Tallene er usikre; netop derfor søges innovationspuljen.\n\n"
            "Organisering: Projektledelsen ligger i Socialforvaltningens Digitaliseringsenhed, "
            "så arbejdet hænger sammen med forvaltningens øvrige datadrevne løsninger. Koncern "
            "IT er med til at udvikle konceptet til hele kommunen og bidrager med viden om "
            "data, datasikkerhed og teknik.",
        ),
        (
            "economy_narrative",
            "Ud fra de to første hackathons regner vi med et fuldtidsårsværk i "
            "Socialforvaltningen og cirka et kvart årsværk frikøbt fra driften til "
            "nøglepersoner. Koncern IT bruger omkring et årsværk fordelt på flere personer og "
            "har driftsudgifter i perioden. Dertil kommer cirka 475.000 kr. til konsulenter og "
            "275.000 kr. til kompetenceudvikling i dataanalyse, styring og afvikling af "
            "hackathons. Alle udgifter er serviceudgifter i 2021.",
        ),
        (
            "criteria",
            "Konceptet skal gøre indhold og økonomi i kommende it-projekter mere præcise: "
            "hackathons giver input til kravene i kommende udbud, så løsningerne rammer bedre, "
            "gevinsterne bliver større, og kravskrivning og implementering kan gå hurtigere, "
            "fordi leverandørerne allerede kender problemet. Hvert hackathon kan også føre til "
            "et konkret effektiviseringsforslag.\n\n"
            "Virksomhederne får adgang til en dialog med kommunen og fagfolk om sociale "
            "problemer, som styrker deres innovationskraft på området. Konceptet kan genbruges "
            "af Koncern IT og de andre forvaltninger, og hackathons på databanken udvider, "
            "hvad databanken bruges til. Forslaget indgår i Økonomiforvaltningens pipeline for "
            "kommende teknologiske tiltag.",
        ),
        (
            "implementation",
            "Digitaliseringsenheden i Socialforvaltningen står for de tre hackathons sammen med "
            "Koncern IT og afrapporterer til direktionen og borgmesteren.\n\n"
            "Partnerne skifter med temaet: IT-Universitetet, små start-ups og etablerede "
            "it-virksomheder på socialområdet. Vores erfaring er, at private aktører gerne vil "
            "være med. Hvor det passer, inddrager vi også brugerråd, borgere, der får støtte "
            "af forvaltningen, og medarbejdere, der kender udfordringen fra hverdagen.",
        ),
        (
            "effect",
            "De konkrete gevinster står under de tre temaer i afsnit 1.2. Derudover venter vi, "
            "at hackathons giver flere og bedre underbyggede investeringsforslag, at flere "
            "gevinster bliver realiseret fra de it-løsninger, kommunen køber, og at "
            "anskaffelserne går hurtigere og implementeres mere holdbart.\n\n"
            "Den langsigtede effekt er svær at sætte tal på, fordi pointen er at få input, vi "
            "ikke havde forudset. Den viser sig som billigere anskaffelser eller større "
            "gevinster af bedre løsninger.",
        ),
        (
            "follow_up",
            "Digitaliseringsenheden følger op efter hvert hackathon; den sidste opfølgning er "
            "ved udgangen af 2021.",
        ),
        (
            "risk",
            "Vi vurderer risikoen som lav, fordi forvaltningen allerede har holdt to "
            "hackathons. Resultatet af et hackathon kan ikke forudsiges helt, men erfaringen "
            "er, at det giver noget, der er svært at nå med almindelige metoder. Konceptet "
            "skal netop forhindre, at vi bruger unødige ressourcer eller holder hackathons om "
            "emner, der ikke egner sig. De tre temaer har forvaltningen stort fokus på og "
            "gode data om.",
        ),
    ),
    affected=("kobenhavn-sof",),
    committee="Socialudvalget",
    criteria=(
        CriteriaRowData(
            "Koncept for hackathons",
            expense=("0", "0"),
            expected_proposal="Et koncept, der kan genbruges",
            saving_note="Et koncept, der kan genbruges",
            cross_cutting=YES,
            large_scale=YES,
            mature_technology=YES,
        ),
        CriteriaRowData(
            "1. Klager",
            expense=("1500", "3000"),
            expected_proposal="Budget 2022 eller 2023",
            expected_budget_year=2022,
            saving=("500", "500"),
            saving_area=SERVICE,
            cross_cutting=MAYBE,
            large_scale=MAYBE,
            mature_technology=YES,
        ),
        CriteriaRowData(
            "2. Borgerdokumentation",
            expense=("2000", "5000"),
            expected_proposal="Budget 2022",
            expected_budget_year=2022,
            saving=("1500", "3000"),
            saving_area=SERVICE,
            mature_technology=YES,
        ),
        CriteriaRowData(
            "3. Beslutningsstøtte",
            expense=("3500", "5000"),
            expected_proposal="Budget 2022 eller 2023",
            expected_budget_year=2022,
            saving=("1500", "3000"),
            saving_area=SERVICE,
            large_scale=YES,
            mature_technology=YES,
        ),
    ),
    follow_ups=(
        FollowUpData(
            "Hackathons understøtter kommende investeringsforslag",
            "Har hvert hackathon givet en prototype eller et produkt, der bærer den "
            "efterfølgende investeringscase?",
            "Digitalisering",
            "Efter hvert hackathon; sidste opfølgning ultimo 2021",
            date(2021, 12, 31),
            responsible_user="sara.lund",
        ),
        FollowUpData(
            "Hackathons bliver holdt med succes",
            "Deltagernes tilfredshed med hvert hackathon, og om hackathons bliver holdt med "
            "mindre tid og færre ressourcer end før",
            "Digitalisering",
            "Under og efter hvert hackathon; sidste opfølgning ultimo 2021",
            date(2021, 12, 31),
            responsible_user="sara.lund",
        ),
        FollowUpData(
            "Konceptet for hackathons er klar til brug",
            "Konceptet er udviklet i første halvår 2021 og testet færdigt ved årets udgang",
            "Digitalisering",
            "Ved udgangen af første halvår 2021 og ultimo 2021",
            date(2021, 6, 30),
            responsible_user="sara.lund",
            done_on=date(2021, 6, 28),
        ),
    ),
    consultations=(
        ("Center for Økonomi, Økonomiforvaltningen", ConsultationAnswer.YES, date(2020, 6, 16)),
        ("Ejendomsfaglig høring", ConsultationAnswer.NO, None),
        ("IT-kredsen", ConsultationAnswer.NO, None),
        ("Koncern IT", ConsultationAnswer.NO, None),
        ("HR-kredsen", ConsultationAnswer.NO, None),
        ("Velfærdsanalytisk vurdering", ConsultationAnswer.NO, None),
    ),
    moves=(
        MoveData(CONSULTATION, date(2020, 6, 2), "sara.lund", "Sendt til Center for Økonomi."),
        MoveData(SUBMITTED, date(2020, 6, 19), "sara.lund", "Godkendt af Center for Økonomi."),
        MoveData(
            PRIORITISED,
            date(2020, 9, 24),
            "bjarne.winge",
            "Prioriteret i innovationspuljen for 2021.",
        ),
        MoveData(APPROVED, date(2020, 10, 8), "bjarne.winge"),
        MoveData(
            FOLLOW_UP,
            date(2021, 1, 11),
            "sara.lund",
            "Første hackathon er planlagt; opfølgningen er i gang.",
        ),
    ),
    event=COMPLAINTS.title,
)


# Innovationspuljen 2022: the proposals ----------------------------------------------------------


def _pool_proposal(
    owner: str, title: str, summary: str, created_by: str, created_on: date, **fields: Any
) -> ProposalData:
    """The pool's proposals share the template, the 2022 price level and the table 2022–2026."""
    return ProposalData(
        owner,
        title,
        summary,
        COPENHAGEN,
        created_by,
        created_on,
        price_level_year=2022,
        first_year=2022,
        last_year=2026,
        preset=DK_RATE,
        **fields,
    )


POOL_MOVES = (
    MoveData(SUBMITTED, date(2021, 8, 13), "sara.lund", "Indsendt til innovationspuljen."),
)


def _every_year(first: int, last: int, cell: Cell) -> tuple[tuple[int, Cell], ...]:
    return tuple((year, cell) for year in range(first, last + 1))


COMPLAINT_HANDLING = _pool_proposal(
    "kobenhavn-sof",
    "Bedre klagehåndtering med data",
    "Prototypen fra klagehackathonet bliver til en løsning, der viser mønstre i klagerne, så "
    "forvaltningen svarer hurtigere, lærer af sagerne og får færre klager.",
    "sara.lund",
    date(2021, 6, 14),
    lines=(
        LineData(
            IMPLEMENTATION,
            SERVICE,
            "Udvikling og indførelse af klageoverblik",
            ((2022, ("1500", "3000")),),
        ),
        LineData(
            PERMANENT,
            SERVICE,
            "Færre klager og kortere behandling",
            _every_year(2023, 2026, "-500"),
        ),
    ),
    sections=(
        (
            "background",
            "Klagerne fortæller, hvor vores praksis halter, men i dag bruger vi dem mest sag "
            "for sag. Hackathonet om klager viste, at data kan pege på de mønstre, der giver "
            "flest klager.",
        ),
        (
            "content",
            "Vi bygger prototypen fra hackathonet om til et overblik, som klageenheden og "
            "lederne bruger hver uge. Prisen afhænger af, hvor meget der kan genbruges fra "
            "databanken: 1,5–3 mio. kr.",
        ),
    ),
    affected=("kobenhavn-sof",),
    committee="Socialudvalget",
    moves=POOL_MOVES,
    event=COMPLAINTS.title,
)

CITIZENS_PLAN = _pool_proposal(
    "kobenhavn-sof",
    "Borgerens Plan som app: borgeren dokumenterer selv",
    "En app, hvor borgeren selv opdaterer sin handleplan i Borgerens Plan og ser den i et "
    "letforståeligt overblik; data går direkte ind i fagsystemet DOMUS.",
    "sara.lund",
    date(2021, 6, 21),
    lines=(
        LineData(
            IMPLEMENTATION,
            SERVICE,
            "Anskaffelse og udvikling af app til Borgerens Plan",
            ((2022, ("2000", "5000")),),
        ),
        LineData(
            PERMANENT,
            SERVICE,
            "Mindre tid til dokumentation på borgerens vegne",
            _every_year(2023, 2026, ("-3000", "-1500")),
        ),
    ),
    sections=(
        (
            "background",
            "Sagsbehandlerne bruger meget tid på at skrive det ind, borgeren fortæller. Når "
            "borgeren selv kan dokumentere, får vi bedre data og en plan, borgeren ejer.",
        ),
        (
            "content",
            "Vi køber og tilpasser en app efter det design, hackathonet om Borgerens Plan gav. "
            "Gevinsten afhænger af, hvor bredt løsningen kan bruges: 1,5–3 mio. kr. om året.",
        ),
    ),
    affected=("kobenhavn-sof",),
    committee="Socialudvalget",
    moves=POOL_MOVES,
    event=CITIZEN_PLAN.title,
)

DECISION_SUPPORT_PROPOSAL = _pool_proposal(
    "kobenhavn-sof",
    "Beslutningsstøtte med kunstig intelligens, første bølge",
    "Sagsbehandlerne får forslag fra en model, der bygger på tidligere afgørelser, så "
    "afgørelserne bliver bedre og tilbageløbene færre; skønnet forbliver sagsbehandlerens.",
    "sara.lund",
    date(2021, 6, 28),
    lines=(
        LineData(
            IMPLEMENTATION,
            SERVICE,
            "Jura, datakvalitet og model i første bølge",
            ((2022, ("1500", "2000")), (2023, ("2000", "3000"))),
        ),
        LineData(
            PERMANENT,
            SERVICE,
            "Kortere sagsbehandlingstid",
            _every_year(2024, 2026, ("-3000", "-1500")),
        ),
    ),
    sections=(
        (
            "background",
            "Hackathonet om beslutningsstøtte viste, at potentialet er stort, men at jura, "
            "erfaring og datakvalitet skal være på plads, før løsningen kan bruges bredt.",
        ),
        (
            "content",
            "Første bølge dækker ét sagsområde i 2022 og 2023. Vi indfører i bølger og måler "
            "tilbageløb og sagsbehandlingstid efter hver.",
        ),
    ),
    affected=("kobenhavn-sof",),
    committee="Socialudvalget",
    moves=POOL_MOVES,
    event=DECISION_SUPPORT.title,
)

BIN_SENSORS = _pool_proposal(
    "kobenhavn-tmf",
    "Sensorer i affaldskurvene i byens parker",
    "Fyldningssensorer i 1.200 affaldskurve, så renholdelsen kører efter behov i stedet for "
    "faste ruter.",
    "demo",
    date(2021, 7, 2),
    lines=(
        LineData(IMPLEMENTATION, CONSTRUCTION, "Sensorer og montering", ((2022, "1200"),)),
        LineData(IMPLEMENTATION, SERVICE, "Ruteplanlægning og oplæring", ((2022, "400"),)),
        LineData(PERMANENT, SERVICE, "Drift af sensorer og data", _every_year(2023, 2026, "150")),
        LineData(
            PERMANENT,
            SERVICE,
            "Færre tømninger af halvtomme kurve",
            _every_year(2023, 2026, ("-900", "-600", "-400")),
        ),
    ),
    sections=(
        (
            "background",
            "Renholdelsen tømmer kurvene efter faste ruter, også når de er halvtomme, og når "
            "ikke frem i tide på varme dage.",
        ),
    ),
    affected=("kobenhavn-tmf",),
    committee="Teknik- og Miljøudvalget",
    moves=(MoveData(SUBMITTED, date(2021, 8, 12), "demo"),),
)

VIDEO_VISITS = _pool_proposal(
    "kobenhavn-suf",
    "Skærmbesøg i hjemmeplejen",
    "Borgere, der kan og vil, får en del af deres besøg fra hjemmeplejen over skærm, fx "
    "påmindelse om medicin og en snak om dagen.",
    "demo",
    date(2021, 6, 30),
    lines=(
        LineData(
            IMPLEMENTATION,
            SERVICE,
            "Skærme, opsætning og oplæring",
            ((2022, "1800"), (2023, "600")),
        ),
        LineData(
            PERMANENT,
            SERVICE,
            "Mindre køretid i hjemmeplejen",
            ((2023, "-900"), *_every_year(2024, 2026, ("-2000", "-1600", "-1000"))),
        ),
    ),
    sections=(
        (
            "background",
            "En stor del af tiden i hjemmeplejen går med at køre mellem korte besøg, som "
            "nogle borgere lige så gerne vil have over skærm.",
        ),
    ),
    affected=("kobenhavn-suf",),
    committee="Sundheds- og Omsorgsudvalget",
    moves=(MoveData(SUBMITTED, date(2021, 8, 10), "demo"),),
)

JOB_MATCH = _pool_proposal(
    "kobenhavn-bif",
    "Digitalt jobmatch for ledige",
    "Ledige og virksomheder matches på kompetencer frem for stillingsbetegnelser, så flere "
    "kommer hurtigere i job.",
    "demo",
    date(2021, 7, 5),
    lines=(
        LineData(IMPLEMENTATION, SERVICE, "Matchingløsning og integration", ((2022, "1400"),)),
        LineData(PERMANENT, SERVICE, "Licens og drift", _every_year(2023, 2026, "200")),
        LineData(
            PERMANENT,
            TRANSFERS,
            "Kortere tid på offentlig forsørgelse",
            _every_year(2023, 2026, ("-1200", "-400")),
        ),
    ),
    sections=(
        (
            "background",
            "Mange ledige har kompetencer, som virksomhederne efterspørger under andre "
            "stillingsbetegnelser end dem, de søger efter.",
        ),
    ),
    affected=("kobenhavn-bif",),
    committee="Beskæftigelses- og Integrationsudvalget",
    moves=(MoveData(SUBMITTED, date(2021, 8, 11), "demo"),),
)

HALL_BOOKING = _pool_proposal(
    "kobenhavn-kff",
    "Selvbetjent booking af idrætshaller",
    "Foreninger og borgere booker og låser ledige haltider op med telefonen, så hallerne "
    "bruges mere, og administrationen bliver mindre.",
    "demo",
    date(2021, 7, 8),
    lines=(
        LineData(IMPLEMENTATION, SERVICE, "Bookingsystem og elektroniske låse", ((2022, "900"),)),
        LineData(
            PERMANENT,
            SERVICE,
            "Mindre administration af bookinger",
            _every_year(2023, 2026, "-300"),
        ),
    ),
    sections=(
        (
            "background",
            "Haltider bookes i dag via e-mail og telefon, og aflyste tider står tomme, fordi "
            "ingen når at få dem.",
        ),
    ),
    affected=("kobenhavn-kff",),
    committee="Kultur- og Fritidsudvalget",
    moves=(MoveData(SUBMITTED, date(2021, 8, 9), "demo"),),
)

# The pool is the municipality's (Økonomiforvaltningen runs it): its board may then come from
# any department, as a round's board are people of the owner's organisation tree.
INNOVATION_POOL = RoundData(
    "kobenhavn",
    "Innovationspuljen 2022",
    "Puljen støtter forslag, der afprøver nye løsninger og kan føre til varige "
    "effektiviseringer. Forvaltningerne indsender forslag på Københavns skabelon; "
    "bestyrelsen vurderer dem på seks kriterier, og puljen finansierer de bedste inden for "
    "budgettet pr. år og styringsområde.",
    date(2021, 5, 3),
    timezone.make_aware(datetime.combine(date(2021, 8, 16), time(12, 0))),
    timezone.make_aware(datetime.combine(date(2021, 9, 13), time(12, 0))),
    "demo",
    ("bjarne.winge", "karen.ostergaard", "demo"),
    budgets=(
        (2022, SERVICE, "6000"),
        (2023, SERVICE, "3000"),
        (2022, CONSTRUCTION, "1500"),
    ),
    criteria=(
        ("Udgift", "Jo lavere udgift for puljen, jo højere score.", "1"),
        (
            "Forventet investeringsforslag og budgetår",
            "Fører forslaget til et investeringsforslag, og hvor snart?",
            "1.5",
        ),
        (
            "Potentiale for varig effektivisering",
            "Størrelsen af den varige besparelse, med styringsområde.",
            "3",
        ),
        ("Tværgående effektivisering", "Kan andre forvaltninger bruge løsningen?", "1.5"),
        ("Potentiale for storskala", "Kan løsningen udbredes bredt i kommunen?", "1.5"),
        ("Moden anvendelse af ny teknologi", "Bruger forslaget ny teknologi, der er moden?", "1"),
    ),
    entries=(
        EntryData(COMPLAINT_HANDLING, (4, 4, 2, 3, 3, 3)),
        EntryData(CITIZENS_PLAN, (2, 5, 4, 3, 4, 4)),
        EntryData(DECISION_SUPPORT_PROPOSAL, (2, 4, 5, 2, 4, 3)),
        EntryData(BIN_SENSORS, (3, 3, 3, 4, 4, 5)),
        EntryData(VIDEO_VISITS, (3, 4, 4, 3, 4, 4)),
        EntryData(JOB_MATCH, (4, 3, 4, 2, 3, 3)),
        EntryData(HALL_BOOKING, (5, 3, 2, 4, 3, 4)),
    ),
)
# Each board member's deviation from the shared view, per criterion (scale 1–5).
MEMBER_DEVIATIONS = ((0, 0, 0, 0, 0, 0), (1, 0, -1, 0, 1, 0), (0, -1, 0, 1, 0, -1))


# Oslo: scaling the invoice robot ------------------------------------------------------------------

INVOICE_ROBOT_SCALING = ProposalData(
    "oslo-uke",
    "Robotisert fakturakontering i alle bydeler",
    "Roboten fra sandkassepiloten i Bydel Alna tas i bruk for de faste leverandørene i alle "
    "bydeler, med felles drift i UKE.",
    PROSJEKTVEIVISEREN,
    "oslo",
    date(2018, 9, 3),
    2019,
    2019,
    2023,
    NO_RATE,
    lines=(
        LineData(
            IMPLEMENTATION,
            SERVICE,
            "Tilpasning av roboten og innføring i bydelene",
            ((2019, "1800"), (2020, "900")),
        ),
        LineData(PERMANENT, SERVICE, "Lisenser og drift i UKE", _every_year(2020, 2023, "450")),
        LineData(
            PERMANENT,
            SERVICE,
            "Mindre tid til kontering",
            ((2020, ("-1600", "-1200", "-800")), *_every_year(2021, 2023, ("-3000", "-1800"))),
        ),
    ),
    sections=(
        (
            "background",
            "Bydelene konterer de samme fakturaene fra de samme leverandørene for hånd hver "
            "måned. Sandkassepiloten i Bydel Alna viste at en programvarerobot klarer de "
            "vanligste fakturaene, og Bydel Stovner har tatt den i bruk.",
        ),
        (
            "objectives",
            "Samfunnsmål: mer av bydelenes tid går til tjenester for innbyggerne.\n"
            "Effektmål: minst 20 prosent færre minutter per kontert faktura i alle bydeler "
            "innen utgangen av 2020, uten flere feilkonteringer.",
        ),
        (
            "scope",
            "Med: inngående fakturaer fra faste leverandører i alle bydeler. Ikke med: "
            "etatenes fakturaer og endringer i økonomisystemet.",
        ),
        (
            "alternatives",
            "Nullalternativet er manuell kontering som i dag. Alternativ 1 er roboten i hver "
            "bydel for seg; alternativ 2, som anbefales, er én robot med felles drift i UKE.",
        ),
        (
            "benefits",
            "Spart tid i bydelenes økonomienheter, målt som minutter per kontert faktura med "
            "samme definisjon som i piloten. Gevinsteier er bydelsdirektørene.",
        ),
        (
            "economy",
            "Beløp i 1 000 kr. i 2019-priser. Gevinsten i 2020 er et trepunktsanslag; fra "
            "2021 et spenn, fordi det er usikkert hvor mange fakturaer roboten klarer.",
        ),
        (
            "risk",
            "Roboten kan feilkontere når leverandørene endrer fakturaene sine. Tiltak: en "
            "saksbehandler kontrollerer et utvalg hver uke det første året.",
        ),
        (
            "implementation",
            "Prosjekteier er etatsdirektøren i UKE; bydelene innføres i tre puljer i 2019 og "
            "2020. Programstyret er styringsgruppe.",
        ),
    ),
    follow_ups=(
        FollowUpData(
            "Færre minutter per kontert faktura",
            "Minutter per kontert faktura, månedlig, mot tallet før innføring i hver bydel",
            "UKE, prosjektkontoret",
            "Hver måned fra innføring; sluttmåling desember 2020",
            responsible_user="oslo",
        ),
    ),
    consultations=(
        ("Økonomiavdelingen", ConsultationAnswer.YES, date(2018, 9, 20)),
        ("IT-avdelingen", ConsultationAnswer.YES, date(2018, 9, 24)),
        ("Personvernombudet", ConsultationAnswer.NOT_RELEVANT, None),
        ("Tillitsvalgte", ConsultationAnswer.YES, date(2018, 9, 27)),
    ),
    moves=(MoveData(SUBMITTED, date(2018, 10, 1), "oslo", "Lagt fram for programstyret."),),
    pilot=INVOICE_ROBOT.title,
)

PROPOSALS: tuple[ProposalData, ...] = (
    HACKATHONS,
    *(entry.proposal for entry in INNOVATION_POOL.entries),
    INVOICE_ROBOT_SCALING,
)
ROUNDS: tuple[RoundData, ...] = (INNOVATION_POOL,)


# Loading ---------------------------------------------------------------------------------------


@dataclass
class ProposalsLoadCounts:
    """Rows of the proposals demo, and how many of them this run created."""

    proposals: int = 0
    lines: int = 0
    rounds: int = 0
    entries: int = 0
    scores: int = 0
    created: int = 0


@dataclass
class _Context:
    today: date
    organisations: dict[str, Organisation]
    users: dict[str, User]
    counts: ProposalsLoadCounts
    templates: dict[str, ProposalTemplate]
    presets: dict[str, DiscountPreset]
    proposals: dict[tuple[str, str], Proposal] = field(default_factory=dict)

    def user(self, username: str) -> User | None:
        return self.users.get(username)


def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _decimal(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def _cell(cell: Cell) -> dict[str, Decimal | None]:
    if isinstance(cell, str):
        return {"value": Decimal(cell), "low": None, "high": None}
    if len(cell) == 2:
        return {"value": None, "low": Decimal(cell[0]), "high": Decimal(cell[1])}
    return {"value": Decimal(cell[1]), "low": Decimal(cell[0]), "high": Decimal(cell[2])}


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


def _load_people(counts: ProposalsLoadCounts) -> None:
    roles = {role.code: role for role in Role.objects.all()}
    organisations = {
        o.slug: o
        for o in Organisation.objects.filter(
            slug__in={m.organisation for person in PEOPLE for m in person.memberships}
        )
    }
    for person in PEOPLE:
        user, created, _updated = _upsert_user(person)
        counts.created += created
        for membership in person.memberships:
            counts.created += _upsert_membership(user, membership, organisations, roles)[0]


def _load_proposal(context: _Context, data: ProposalData) -> Proposal:
    owner = context.organisations[data.owner]
    proposal = Proposal.objects.filter(owner=owner, title=data.title).first()
    if proposal is not None:
        return proposal
    template = context.templates[data.template]
    author = context.user(data.created_by)
    proposal = _create(
        context,
        Proposal,
        owner=owner,
        template=template,
        title=data.title,
        summary=data.summary,
        committee=data.committee,
        price_level_year=data.price_level_year,
        first_year=data.first_year,
        last_year=data.last_year,
        discount_preset=context.presets.get(data.preset),
        state=data.state,
        visibility=data.visibility,
        event=Event.objects.filter(owner=owner, title=data.event).first() if data.event else None,
        pilot=Pilot.objects.filter(owner=owner, title=data.pilot).first() if data.pilot else None,
        created_by=author,
    )
    proposal.affected_departments.set([context.organisations[slug] for slug in data.affected])
    # Like ``services.create_proposal``: a row for every section and body of the template.
    texts = dict(data.sections)
    _create_all(
        context,
        ProposalSection,
        [
            ProposalSection(
                proposal=proposal,
                section=section,
                text=texts.get(section.code, ""),
                updated_by=author,
            )
            for section in template.sections.all()
        ],
    )
    answers = {body: (answer, on) for body, answer, on in data.consultations}
    consultations = []
    for position, body in enumerate(template.consultation_bodies.all()):
        answer, answered_on = answers.get(body.name, ("", None))
        consultations.append(
            Consultation(
                proposal=proposal,
                body=body.name,
                guidance=body.guidance,
                answer=answer,
                answered_on=answered_on,
                position=position,
            )
        )
    _create_all(context, Consultation, consultations)
    _load_moves(context, data, proposal)
    # Timestamps the models set on creation move back to the proposal's own time; queryset
    # updates write no history.
    last = data.moves[-1].on if data.moves else data.created_on
    Proposal.objects.filter(pk=proposal.pk).update(
        created_at=_noon(data.created_on), updated_at=_noon(last)
    )
    ProposalSection.objects.filter(proposal=proposal).update(updated_at=_noon(data.created_on))
    return proposal


def _load_moves(context: _Context, data: ProposalData, proposal: Proposal) -> None:
    state: str = DRAFT
    rows = []
    for move in data.moves:
        rows.append(
            StateChange(
                proposal=proposal,
                from_state=state,
                to_state=move.to_state,
                note=move.note,
                changed_by=context.user(move.by),
            )
        )
        state = move.to_state
    made = _create_all(context, StateChange, rows, history=False)
    for change, move in zip(made, data.moves, strict=True):
        change.changed_at = _noon(move.on)
    StateChange.objects.bulk_update(made, ["changed_at"])


def _load_lines(context: _Context, data: ProposalData, proposal: Proposal) -> None:
    context.counts.lines += len(data.lines)
    existing = {line.label: line for line in proposal.lines.all()}
    made = _create_all(
        context,
        EconomicLine,
        [
            EconomicLine(
                proposal=proposal,
                group=line.group,
                budget_area=line.area,
                label=line.label,
                position=position,
            )
            for position, line in enumerate(data.lines)
            if line.label not in existing
        ],
    )
    existing.update({line.label: line for line in made})
    filled = set(LineValue.objects.filter(line__proposal=proposal).values_list("line_id", "year"))
    _create_all(
        context,
        LineValue,
        [
            LineValue(line=existing[line.label], year=year, **_cell(cell))
            for line in data.lines
            for year, cell in line.values
            if (existing[line.label].pk, year) not in filled
        ],
    )


def _load_criteria(context: _Context, data: ProposalData, proposal: Proposal) -> None:
    existing = set(proposal.criteria_rows.values_list("label", flat=True))
    _create_all(
        context,
        CriteriaRow,
        [
            CriteriaRow(
                proposal=proposal,
                label=row.label,
                expense_low=_decimal(row.expense[0]) if row.expense else None,
                expense_high=_decimal(row.expense[1]) if row.expense else None,
                expense_note=row.expense_note,
                expected_proposal=row.expected_proposal,
                expected_budget_year=row.expected_budget_year,
                saving_low=_decimal(row.saving[0]) if row.saving else None,
                saving_high=_decimal(row.saving[1]) if row.saving else None,
                saving_area=row.saving_area,
                saving_note=row.saving_note,
                cross_cutting=row.cross_cutting,
                large_scale=row.large_scale,
                mature_technology=row.mature_technology,
                position=position,
            )
            for position, row in enumerate(data.criteria)
            if row.label not in existing
        ],
    )


def _load_follow_ups(context: _Context, data: ProposalData, proposal: Proposal) -> None:
    existing = set(proposal.follow_ups.values_list("criterion", flat=True))
    _create_all(
        context,
        FollowUpItem,
        [
            FollowUpItem(
                proposal=proposal,
                criterion=item.criterion,
                how_measured=item.how_measured,
                responsible=item.responsible,
                responsible_user=context.user(item.responsible_user),
                when=item.when,
                due_on=item.due_on,
                done_at=_noon(item.done_on) if item.done_on else None,
                # An open task past its due date was reminded then; the reminder job would
                # otherwise send years-old reminders on the first run after loading.
                reminded_at=(
                    _noon(item.due_on)
                    if item.due_on and not item.done_on and item.due_on < context.today
                    else None
                ),
                position=position,
            )
            for position, item in enumerate(data.follow_ups)
            if item.criterion not in existing
        ],
    )


def _load_round(context: _Context, data: RoundData) -> Round:
    owner = context.organisations[data.owner]
    round_ = Round.objects.filter(owner=owner, title=data.title).first()
    if round_ is None:
        round_ = _create(
            context,
            Round,
            owner=owner,
            title=data.title,
            description=data.description,
            submission_deadline=data.submission_deadline,
            scoring_deadline=data.scoring_deadline,
            visibility=data.visibility,
            created_by=context.user(data.created_by),
        )
        round_.board.set([u for name in data.board if (u := context.user(name)) is not None])
        Round.objects.filter(pk=round_.pk).update(created_at=_noon(data.opened_on))
    known = set(round_.budgets.values_list("year", "budget_area"))
    _create_all(
        context,
        RoundBudget,
        [
            RoundBudget(round=round_, year=year, budget_area=area, amount=Decimal(amount))
            for year, area, amount in data.budgets
            if (year, area) not in known
        ],
    )
    named = set(round_.criteria.values_list("name", flat=True))
    _create_all(
        context,
        RoundCriterion,
        [
            RoundCriterion(
                round=round_,
                name=name,
                description=description,
                weight=Decimal(weight),
                scale_min=1,
                scale_max=5,
                position=position,
            )
            for position, (name, description, weight) in enumerate(data.criteria)
            if name not in named
        ],
    )
    return round_


def _load_entries(context: _Context, data: RoundData, round_: Round) -> None:
    entered = {entry.proposal_id: entry for entry in round_.entries.all()}
    new = []
    for item in data.entries:
        proposal = context.proposals[(item.proposal.owner, item.proposal.title)]
        if proposal.pk not in entered:
            new.append(
                RoundEntry(
                    round=round_,
                    proposal=proposal,
                    entered_by=context.user(item.proposal.created_by),
                )
            )
    made = _create_all(context, RoundEntry, new)
    submitted_on = {
        context.proposals[(item.proposal.owner, item.proposal.title)].pk: item.proposal.moves[-1].on
        for item in data.entries
    }
    for entry in made:
        entry.entered_at = _noon(submitted_on[entry.proposal_id])
    RoundEntry.objects.bulk_update(made, ["entered_at"])
    entered.update({entry.proposal_id: entry for entry in made})
    context.counts.entries += len(data.entries)

    criteria = list(round_.criteria.order_by("position", "pk"))
    members = [u for name in data.board if (u := context.user(name)) is not None]
    scored = set(
        Score.objects.filter(entry__round=round_).values_list(
            "entry_id", "criterion_id", "member_id"
        )
    )
    scores: list[Score] = []
    for item in data.entries:
        entry = entered[context.proposals[(item.proposal.owner, item.proposal.title)].pk]
        for member, deviation in zip(members, MEMBER_DEVIATIONS, strict=False):
            for criterion, level, delta in zip(criteria, item.level, deviation, strict=False):
                context.counts.scores += 1
                if (entry.pk, criterion.pk, member.pk) in scored:
                    continue
                scores.append(
                    Score(
                        entry=entry,
                        criterion=criterion,
                        member=member,
                        value=min(max(level + delta, criterion.scale_min), criterion.scale_max),
                    )
                )
    made_scores = _create_all(context, Score, scores)
    Score.objects.filter(pk__in=[score.pk for score in made_scores]).update(
        updated_at=data.scoring_deadline - timedelta(days=7)
    )


def _load_optimisation(context: _Context, data: RoundData, round_: Round) -> None:
    """The pool's best portfolio, solved by the optimiser's service as the round's creator
    (an editor of the round) after scoring closed; once."""
    actor = context.user(data.created_by)
    if actor is None or round_.optimisation_runs.exists():
        return
    run = optimise_services.optimise_round(actor, round_)
    context.counts.created += 1
    OptimisationRun.objects.filter(pk=run.pk).update(
        run_at=data.scoring_deadline + timedelta(days=2)
    )


@transaction.atomic
def load_proposals_demo() -> ProposalsLoadCounts:
    """Create the demo proposals, the innovation pool round and its scores where missing;
    leave existing rows alone. Loads nothing without the core demo's organisations or the
    proposal templates (a data migration loads them)."""
    counts = ProposalsLoadCounts()
    slugs = {d.owner for d in PROPOSALS} | {s for d in PROPOSALS for s in d.affected}
    slugs |= {d.owner for d in ROUNDS} | set(COPENHAGEN_DEPARTMENTS)
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    templates = {
        t.code: t
        for t in ProposalTemplate.objects.filter(
            code__in={d.template for d in PROPOSALS}, organisation__isnull=True
        )
    }
    if set(organisations) != slugs or len(templates) != len({d.template for d in PROPOSALS}):
        return counts
    _load_people(counts)
    usernames = {d.created_by for d in PROPOSALS} | {m.by for d in PROPOSALS for m in d.moves}
    usernames |= {f.responsible_user for d in PROPOSALS for f in d.follow_ups}
    usernames |= {d.created_by for d in ROUNDS} | {n for d in ROUNDS for n in d.board}
    context = _Context(
        today=timezone.localdate(),
        organisations=organisations,
        users={u.username: u for u in User.objects.filter(username__in=usernames)},
        counts=counts,
        templates=templates,
        presets={p.code: p for p in DiscountPreset.objects.filter(code__in=[DK_RATE, NO_RATE])},
    )
    for data in PROPOSALS:
        proposal = _load_proposal(context, data)
        context.proposals[(data.owner, data.title)] = proposal
        _load_lines(context, data, proposal)
        _load_criteria(context, data, proposal)
        _load_follow_ups(context, data, proposal)
    counts.proposals = len(PROPOSALS)
    for round_data in ROUNDS:
        round_ = _load_round(context, round_data)
        _load_entries(context, round_data, round_)
        _load_optimisation(context, round_data, round_)
    counts.rounds = len(ROUNDS)
    return counts
