"""The demo events behind ``manage.py load_demo``, from seeds 000, 003 and 004.

- Copenhagen's Innovationshuset held its first co-creation workshop with companies on the
  municipality's digital purchasing experience (DKK 11.4 billion of purchases a year), with
  users, suppliers, entrepreneurs and decision makers in mixed groups (seed 000). It lies in
  the past: attendance, groups, a survey and its cost are loaded.
- Copenhagen's Socialforvaltningen runs hackathons with Koncern IT on the data bank (seed 004:
  complaints, AI decision support for caseworkers, citizens documenting their own plan in
  Borgerens Plan, in the case system DOMUS) and builds a concept for them, the "hackathon as
  market dialogue" with its checklist. The first two lie in the past with the whole story
  (tasks, datasets, groups, teams, submissions, jury scores, published winners, survey, cost,
  requirements learned); the second is cheaper per participant and better rated, which is
  what the concept's trend shows. The third is upcoming, registrations open, its preparation
  under way with overdue tasks.
- CO-PI's scaling process on emission-free construction machines holds an upcoming supplier
  conference with the public buyers and suppliers of seed 003.

Texts are our own (in Danish, the organisations' language). Loading is idempotent: an event is
found again by (owner, title), a registration by (event, e-mail), a concept by (owner, title)
and every other row by its event and name; what exists is left alone, and times are set only
when a row is first made, so a second run changes nothing. Like the needs loader it writes
with the ORM: the services check an acting person's permissions and send e-mails, neither of
which fits a loader. Timestamps the models set on creation (``auto_now_add``) are moved back
into the events' past with queryset updates, which write no history.
"""

from __future__ import annotations

import csv
import io
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TypeVar

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from samspil.core.demo import CHANGE_REASON, EMAIL_DOMAIN
from samspil.core.models import Organisation, User, Visibility
from samspil.needs.models import Challenge
from samspil.optimisation import grouping

from . import services
from .models import (
    Background,
    ConceptTask,
    Criterion,
    DataClassification,
    Dataset,
    DatasetAcceptance,
    DatasetAccess,
    Event,
    EventConcept,
    EventKind,
    EventTask,
    ExternalCost,
    Grouping,
    Juror,
    LearnedRequirement,
    Registration,
    RegistrationMode,
    RegistrationStatus,
    Score,
    StaffRole,
    Submission,
    SurveyResponse,
    TaskArea,
    TaskStatus,
    Team,
    TimeSpent,
    hash_secret,
)

M = TypeVar("M", bound=models.Model)


def _demo(username: str) -> str:
    return f"{username}@{EMAIL_DOMAIN}"


STAFF, SUPPLIER, ENTREPRENEUR = Background.STAFF, Background.SUPPLIER, Background.ENTREPRENEUR
DECISION_MAKER, RESEARCHER, CITIZEN = (
    Background.DECISION_MAKER,
    Background.RESEARCHER,
    Background.CITIZEN,
)
TECHNICAL, PROFESSIONAL, LEGAL = TaskArea.TECHNICAL, TaskArea.PROFESSIONAL, TaskArea.LEGAL
TODO, IN_PROGRESS, DONE = TaskStatus.TODO, TaskStatus.IN_PROGRESS, TaskStatus.DONE

# The grouping solver stops after this many steps rather than after some seconds, so the
# demo's groups are the same on every machine.
GROUPING_ITERATIONS = 1000
HOURLY_RATE = Decimal("450")  # DKK for an hour of a municipal employee, overhead included


# The data --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonData:
    name: str
    email: str
    organisation: str
    background: str
    skills: str = ""  # the registration form's codes (data, design …) and free words
    attended: bool = True  # for past events: False is a no-show


@dataclass(frozen=True)
class ConceptTaskData:
    title: str
    area: str
    days_before_start: int  # negative: after the start
    description: str
    responsible: str  # user name of who takes the task on in the demo's events


@dataclass(frozen=True)
class DatasetData:
    title: str
    description: str
    classification: str
    terms: str
    legal_basis: str = ""
    link: str = ""
    # A small public file made here: its name and rows (the first row is the header).
    file_name: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class SubmissionData:
    team: str
    title: str
    summary: str
    problem_solved: str
    links: tuple[str, ...]
    # The jury's view on each criterion (in CRITERIA's order); each juror deviates a little.
    level: tuple[int, int, int, int, int]


@dataclass(frozen=True)
class StoryData:
    """What happened at a past event."""

    group_count: int
    survey: tuple[tuple[int, int, int], ...]  # satisfaction, relevance, organisation per answer
    comments: tuple[tuple[str, str], ...]  # (went well, should be better) of the first answers
    time_spent: tuple[tuple[str, str, str], ...]  # role, hours, note
    costs: tuple[tuple[str, str], ...]  # description, amount
    requirements: tuple[str, ...] = ()
    submissions: tuple[SubmissionData, ...] = ()  # one team per group, in group order


@dataclass(frozen=True)
class EventData:
    owner: str
    title: str
    kind: str
    place: str
    days_from_today: int
    hours: int
    capacity: int
    agenda: str
    organisers: tuple[str, ...]
    participants: tuple[PersonData, ...]
    terms: str = ""
    challenge_title: str = ""
    visibility: str = Visibility.PUBLIC
    mode: str = RegistrationMode.OPEN
    concept: bool = False  # run on the hackathon concept, with its tasks
    copied_from: str = ""  # title of the event of the same owner it was copied from
    task_status: tuple[tuple[str, str], ...] = ()  # concept task title → status, if not default
    jurors: tuple[str, ...] = ()
    winner_count: int = 2
    datasets: tuple[DatasetData, ...] = ()
    story: StoryData | None = None


CONCEPT_OWNER = "kobenhavn-sof"
CONCEPT_TITLE = "Hackathon som markedsdialog"
CONCEPT_DESCRIPTION = (
    "Socialforvaltningens og Koncern IT's opskrift på et hackathon, hvor leverandører, "
    "start-ups, forskere, medarbejdere og borgere bygger prototyper på forvaltningens egne "
    "data i databanken. Formålet er en hurtigere og mere konkret markedsdialog: prototyperne "
    "og det, vi lærer undervejs, bliver til krav, når løsningen senere skal købes.\n"
    "Tjeklisten dækker det tekniske, det faglige og det juridiske forarbejde. Den bliver "
    "kortere for hvert hackathon, fordi aftaler, skabeloner og adgange kan genbruges."
)
CONCEPT_TASKS: tuple[ConceptTaskData, ...] = (
    ConceptTaskData(
        "Afgræns udfordringen sammen med udfordringsejerne",
        PROFESSIONAL,
        56,
        "Hvilket problem skal løses, hvilke data kan belyse det, og hvad skal en prototype "
        "kunne vise for at være nyttig?",
        "demo",
    ),
    ConceptTaskData(
        "Konsekvensanalyse for databeskyttelse",
        LEGAL,
        49,
        "Vurdér risikoen for de borgere, der optræder i data, og få "
        "databeskyttelsesrådgiverens bemærkninger, før data stilles til rådighed.",
        "procurement",
    ),
    ConceptTaskData(
        "Bestil projektområde og adgange i databanken",
        TECHNICAL,
        42,
        "Koncern IT opretter et projektområde i databanken og personlige adgange til "
        "deltagerne for hackathonets dage.",
        "admin",
    ),
    ConceptTaskData(
        "Pseudonymisér og udtræk data",
        TECHNICAL,
        35,
        "Navne, cpr-numre og fritekst, der kan pege på en person, fjernes eller erstattes, før "
        "data lægges i projektområdet.",
        "admin",
    ),
    ConceptTaskData(
        "Inviter leverandører, start-ups, ITU og Koncern IT",
        PROFESSIONAL,
        35,
        "Både etablerede it-leverandører og små virksomheder på socialområdet, forskere fra "
        "IT-Universitetet og medarbejdere og borgere, der kender problemet.",
        "demo",
    ),
    ConceptTaskData(
        "Vilkår for deltagerne",
        LEGAL,
        28,
        "Fortrolighed, rettigheder til idéer og prototyper, og at kommunen må bruge "
        "resultaterne i en senere kravspecifikation. Deltagerne accepterer dem ved "
        "tilmeldingen.",
        "procurement",
    ),
    ConceptTaskData(
        "Vilkår for brug af data",
        LEGAL,
        28,
        "Hvad data må bruges til, at intet kopieres ud af databanken, og hvornår adgangen lukkes.",
        "procurement",
    ),
    ConceptTaskData(
        "Book lokale og bestil forplejning",
        PROFESSIONAL,
        21,
        "Plads til hvert hold, til præsentationerne og til juryen; antal og særlige hensyn "
        "fra tilmeldingerne.",
        "demo",
    ),
    ConceptTaskData(
        "Sammensæt jury og bedømmelseskriterier",
        PROFESSIONAL,
        14,
        "En jury med både faglig, økonomisk og indkøbsmæssig indsigt, og kriterier, der er "
        "kendt af holdene fra start.",
        "demo",
    ),
    ConceptTaskData(
        "Test log-in, værktøjer og dataudtræk",
        TECHNICAL,
        5,
        "En prøvebruger går hele vejen fra log-in til analyse, så første time af hackathonet "
        "ikke går med adgangsproblemer.",
        "admin",
    ),
    ConceptTaskData(
        "Brief udfordringsejere og mentorer",
        PROFESSIONAL,
        2,
        "Hvad holdene må spørge dem om undervejs, og hvad der sker med prototyperne bagefter.",
        "demo",
    ),
    ConceptTaskData(
        "Luk adgange og slet arbejdskopier",
        TECHNICAL,
        -3,
        "Projektområdet lukkes, og alle kopier af data slettes; Koncern IT bekræfter det "
        "skriftligt.",
        "admin",
    ),
    ConceptTaskData(
        "Del spørgsmål og svar med alle leverandører",
        LEGAL,
        -7,
        "Det, én leverandør har fået at vide, offentliggøres for alle, så ingen får et "
        "forspring i et senere udbud.",
        "procurement",
    ),
    ConceptTaskData(
        "Overdrag prototyper og læring til kravspecifikationen",
        PROFESSIONAL,
        -14,
        "Prototyperne og de krav, hackathonet har lært os, går videre til "
        "investeringsforslaget eller kravspecifikationen til det kommende indkøb.",
        "procurement",
    ),
)

# The jury's five criteria, equal weights (the default set, in Danish).
CRITERIA: tuple[tuple[str, str], ...] = (
    ("Værdi for brugerne", "Hvor meget løsningen hjælper dem, der har problemet."),
    ("Gennemførlighed", "Hvor realistisk det er at bygge løsningen og drive den i hverdagen."),
    ("Brug af data", "Hvor godt løsningen udnytter hackathonets data."),
    ("Potentiale for skalering", "Om andre forvaltninger eller kommuner kan bruge løsningen."),
    ("Kvalitet af prototypen", "Hvor langt prototypen virker, og hvor godt den er lavet."),
)
# How each juror deviates from a submission's level, by (team + criterion) modulo 5.
JUROR_BIAS: tuple[tuple[int, ...], ...] = (
    (0, 1, 0, -1, 0),
    (-1, 0, 0, 1, -1),
    (1, 0, -1, 0, 0),
)
HACKATHON_JURY = ("procurement", "bjarne.winge", "lene.vad.jensen")

DATA_TERMS = (
    "Data fra databanken bruges kun under hackathonet og på Koncern IT's maskiner. Intet "
    "forlader databanken, og personoplysninger er pseudonymiserede. Idéer og prototyper må "
    "kommunen bruge i sin kravspecifikation."
)
DATABANK_TERMS = (
    "Må kun bruges i databankens projektområde under hackathonet. Intet må kopieres ud, og "
    "det er forbudt at forsøge at genkende personer. Adgangen lukkes dagen efter."
)
DATABANK_LEGAL_BASIS = (
    "Forvaltningens egen udvikling og kvalitetssikring af sine opgaver "
    "(databeskyttelsesforordningens artikel 6, stk. 1, litra e). Data er pseudonymiserede, "
    "og konsekvensanalysen er gennemgået af databeskyttelsesrådgiveren."
)
OPEN_TERMS = "Må bruges frit med kildeangivelse: Københavns Kommune, Socialforvaltningen."


def _complaint_rows() -> tuple[tuple[str, ...], ...]:
    # Invented but plausible monthly counts: a summer dip and a rise after new rules.
    header = ("maaned", "sagstype", "klager")
    kinds = (("Handicap", 38), ("Udsatte voksne", 24), ("Børn og familier", 31))
    rows = [
        (f"2020-{month:02d}", kind, str(base + (month * 7) % 11 - (6 if month in (7, 8) else 0)))
        for month in range(1, 13)
        for kind, base in kinds
    ]
    return (header, *rows)


def _decision_rows() -> tuple[tuple[str, ...], ...]:
    header = ("kvartal", "afgoerelser", "paaklaget", "omgjort_eller_hjemvist")
    rows = []
    for number, (year, quarter) in enumerate(
        (y, q) for y in (2018, 2019, 2020) for q in (1, 2, 3, 4)
    ):
        decisions = 1450 + (number * 37) % 120
        appealed = 96 + (number * 13) % 25
        rows.append((f"{year}-K{quarter}", str(decisions), str(appealed), str(appealed * 3 // 10)))
    return (header, *rows)


WORKSHOP = EventData(
    "kobenhavn-innovationshuset",
    "Co-creation workshop: den digitale indkøbsoplevelse",
    EventKind.CO_CREATION_WORKSHOP,
    "Innovationshuset, Halmtorvet, Kødbyen",
    -160,
    5,
    40,
    "Velkomst og baggrund: kommunen køber ind for omkring 11,4 mia. kr. om året\n"
    "Grupper på tværs af baggrund: hvor går indkøbet i stå i dag?\n"
    "Idéer til en løsning fra bestilling til betaling (end-to-end)\n"
    "Prototyper og præsentation for økonomidirektionen",
    ("diana.arsovic", "miriam.lerkenfeld"),
    (
        PersonData(
            "Janne Schirmer",
            _demo("janne.schirmer"),
            "Børne- og Ungdomsforvaltningen",
            STAFF,
            "domain, Indkøb til institutioner",
        ),
        PersonData(
            "Jonas Grandal", _demo("jonas.grandal"), "Rise Digital", SUPPLIER, "design, development"
        ),
        PersonData(
            "Bjarne Winge",
            _demo("bjarne.winge"),
            "Økonomiforvaltningen",
            DECISION_MAKER,
            "business",
        ),
        PersonData("Jesper Wille", "jesper.wille@example.org", "", CITIZEN, "Borgerinddragelse"),
        PersonData(
            "Sara Iversen",
            "sara.iversen@example.org",
            "Kurv ApS (start-up)",
            ENTREPRENEUR,
            "business, E-handel",
        ),
        PersonData(
            "Lene Vad Jensen", _demo("lene.vad.jensen"), "Københavns Kommune", STAFF, "procurement"
        ),
        PersonData(
            "Rikke Dalsgaard",
            "rikke.dalsgaard@kk.example.org",
            "Børne- og Ungdomsforvaltningen",
            STAFF,
            "domain",
        ),
        PersonData(
            "Tanja Olsen",
            "tanja.olsen@kk.example.org",
            "Sundheds- og Omsorgsforvaltningen",
            STAFF,
            "procurement, domain",
        ),
        PersonData(
            "Pernille Friis", _demo("procurement"), "Københavns Kommune", STAFF, "procurement, law"
        ),
        PersonData(
            "Michael Thorsen",
            "michael.thorsen@kontorland.example.org",
            "Kontorland A/S",
            SUPPLIER,
            "business",
        ),
        PersonData(
            "Aisha Rahman",
            "aisha.rahman@fakturaflow.example.org",
            "Fakturaflow ApS (start-up)",
            ENTREPRENEUR,
            "development, business",
        ),
        PersonData(
            "Kristian Bro",
            "kristian.bro@kk.example.org",
            "Økonomiforvaltningen",
            DECISION_MAKER,
            "procurement, business",
        ),
    ),
    terms="Der tages billeder i løbet af dagen.",
    story=StoryData(
        group_count=3,
        survey=(
            (5, 5, 4),
            (4, 5, 4),
            (4, 4, 3),
            (5, 4, 4),
            (3, 4, 3),
            (4, 3, 4),
            (5, 5, 5),
            (4, 4, 4),
            (4, 5, 3),
            (3, 3, 4),
        ),
        comments=(
            (
                "At sidde sammen med dem, der bestiller til institutionerne hver dag.",
                "Mere tid til prototyperne; tidsplanen var stram.",
            ),
            ("Grupperne var godt blandet.", ""),
            ("", "Vi vil gerne høre, hvad der sker med idéerne bagefter."),
        ),
        time_spent=(
            (StaffRole.PROJECT_LEAD, "40", "Program, invitationer og opfølgning"),
            (StaffRole.FACILITATOR, "24", "To facilitatorer hele dagen og forberedelse"),
            (StaffRole.DOMAIN_EXPERT, "12", "Oplæg om indkøbet i dag"),
            (StaffRole.COMMUNICATION, "8", "Invitation og billeder"),
        ),
        costs=(
            ("Forplejning", "6500"),
            ("Materialer til prototyper", "1800"),
        ),
        requirements=(
            "Bestilling, godkendelse og betaling skal hænge sammen i ét forløb, fra beslutningen "
            "om et køb til leverandøren har fået sine penge.",
            "Netbutikken skal ved søgningen vise, hvilke varer kommunens aftaler dækker.",
            "En institution skal kunne bestille til mange børn ad gangen uden at gentage de "
            "samme oplysninger.",
        ),
    ),
)

COMPLAINTS = EventData(
    "kobenhavn-sof",
    "Hackathon: lær af borgernes klager",
    EventKind.HACKATHON,
    "Koncern IT, databanken",
    -130,
    32,
    30,
    "Dag 1: Problemet: hvad fortæller klagerne om vores praksis?\n"
    "Dag 1: Adgang til pseudonymiserede klagedata i databanken\n"
    "Dag 1–2: Holdene arbejder med mønstre og hurtigere svar\n"
    "Dag 2: Prototyper på bedre klagehåndtering, præsentation og juryens bedømmelse",
    ("demo",),
    (
        PersonData(
            "Mikkel Nørgaard", _demo("member"), "Socialforvaltningen", STAFF, "domain, Klagesager"
        ),
        PersonData(
            "Amira Haddad",
            "amira.haddad@itu.example.org",
            "IT-Universitetet i København",
            RESEARCHER,
            "data, Maskinlæring",
        ),
        PersonData(
            "Jonas Grandal", _demo("jonas.grandal"), "Rise Digital", SUPPLIER, "design, development"
        ),
        PersonData(
            "Freja Lindholm",
            "freja.lindholm@rise.example.org",
            "Rise Digital",
            SUPPLIER,
            "development, data",
        ),
        PersonData(
            "Karim Benali",
            "karim.benali@klagelab.example.org",
            "Klagelab ApS (start-up)",
            ENTREPRENEUR,
            "business, design",
        ),
        PersonData(
            "Sofie Winther",
            "sofie.winther@kk.example.org",
            "Koncern IT",
            STAFF,
            "data, development",
        ),
        PersonData(
            "Henrik Lund", "henrik.lund@kk.example.org", "Socialforvaltningen", STAFF, "domain, law"
        ),
        PersonData(
            "Nanna Holt",
            "nanna.holt@itu.example.org",
            "IT-Universitetet i København",
            RESEARCHER,
            "data, design",
        ),
        PersonData(
            "Ole Dahl",
            "ole.dahl@dataindsigt.example.org",
            "Dataindsigt A/S",
            SUPPLIER,
            "data, development",
        ),
        PersonData(
            "Birgitte Sand",
            "birgitte.sand@example.org",
            "Brugerrådet",
            CITIZEN,
            "Erfaring med klager som pårørende",
        ),
        PersonData(
            "Mads Krogh",
            "mads.krogh@kk.example.org",
            "Socialforvaltningen",
            DECISION_MAKER,
            "domain, business",
        ),
        PersonData(
            "Yasmin Ali",
            "yasmin.ali@svarfri.example.org",
            "Svarfri ApS (start-up)",
            ENTREPRENEUR,
            "development, design",
        ),
        PersonData(
            "Lars Mortensen",
            "lars.mortensen@kk.example.org",
            "Koncern IT",
            STAFF,
            "law",
            attended=False,
        ),
        PersonData(
            "Tobias Berg",
            "tobias.berg@dataindsigt.example.org",
            "Dataindsigt A/S",
            SUPPLIER,
            "development",
            attended=False,
        ),
    ),
    terms=DATA_TERMS,
    concept=True,
    jurors=HACKATHON_JURY,
    datasets=(
        DatasetData(
            "Klagesager 2017–2020 (pseudonymiseret)",
            "Alle klager over Socialforvaltningens afgørelser fra 2017 til 2020 med sagstype, "
            "datoer, klagegrund og udfald. Navne og cpr-numre er erstattet af løbenumre.",
            DataClassification.PERSONAL,
            DATABANK_TERMS,
            legal_basis=DATABANK_LEGAL_BASIS,
            link="https://databank.kk.example.org/projekter/klagesager-2017-2020",
        ),
        DatasetData(
            "Klager pr. måned og sagstype 2020",
            "Optællinger uden personoplysninger, som alle må bruge, også efter hackathonet.",
            DataClassification.PUBLIC,
            OPEN_TERMS,
            file_name="klager-pr-maaned-2020.csv",
            rows=_complaint_rows(),
        ),
    ),
    story=StoryData(
        group_count=4,
        survey=(
            (4, 4, 3),
            (3, 4, 2),
            (4, 5, 3),
            (3, 3, 3),
            (5, 4, 4),
            (4, 4, 3),
            (3, 4, 2),
            (4, 3, 4),
            (2, 3, 2),
            (4, 4, 3),
        ),
        comments=(
            (
                "Spændende at arbejde med rigtige klagedata.",
                "Det tog det meste af første formiddag at få adgang til databanken.",
            ),
            (
                "Sagsbehandlerne var med hele vejen.",
                "Udfordringen var for bred; vi brugte en halv dag på at afgrænse den.",
            ),
            ("", "Vilkårene for data kom sent, så vores jurist måtte læse dem på dagen."),
        ),
        time_spent=(
            (StaffRole.PROJECT_LEAD, "180", "Planlægning, invitationer og opfølgning"),
            (StaffRole.DOMAIN_EXPERT, "64", "Sagsbehandlere og klageenheden som udfordringsejere"),
            (StaffRole.IT_AND_DATA, "150", "Databank, pseudonymisering og adgange fra bunden"),
            (StaffRole.LEGAL, "56", "Konsekvensanalyse og vilkår skrevet fra bunden"),
            (StaffRole.COMMUNICATION, "20", "Invitationer og formidling"),
            (StaffRole.FACILITATOR, "32", "Facilitering begge dage"),
        ),
        costs=(
            ("Konsulentstøtte til koncept og facilitering", "185000"),
            ("Kursus i dataanalyse og afvikling af hackathons", "95000"),
            ("Forplejning, to dage", "21500"),
            ("Leje af lokale og udstyr", "14000"),
        ),
        requirements=(
            "Klagedata skal kunne trækkes ud pr. sagstype og måned, så mønstre kan følges over "
            "tid.",
            "Løsningen skal markere klager, der nærmer sig svarfristen, så sagsbehandleren kan "
            "nå at reagere.",
            "Begrundelsen for en afgørelse skal gemmes struktureret og ikke kun som fritekst, så "
            "gentagne klagegrunde kan findes.",
            "Borgeren skal kunne se, hvor langt klagen er, uden at ringe til forvaltningen.",
        ),
        submissions=(
            SubmissionData(
                "Klagekompasset",
                "Klagekompasset: mønstre i klagerne",
                "Et overblik over klager pr. sagstype og måned, som slår alarm, når en type "
                "klage stiger mere end normalt, og viser de hyppigste klagegrunde bag.",
                "Forvaltningen opdager i dag først et mønster i klagerne, når det har stået på "
                "længe. Overblikket gør det muligt at rette praksis, før klagerne hober sig op.",
                (
                    "https://prototyper.example.org/klagekompasset",
                    "https://kode.example.org/klagekompasset",
                ),
                (5, 4, 5, 4, 4),
            ),
            SubmissionData(
                "Fristvagten",
                "Fristvagten",
                "En liste til sagsbehandlerne over klager, hvis svarfrist nærmer sig, sorteret "
                "efter hvor meget der haster, med et udkast til kvitteringsbrev.",
                "Klager, der venter for længe på svar, bliver til nye klager over "
                "sagsbehandlingstiden.",
                ("https://prototyper.example.org/fristvagten",),
                (4, 5, 3, 3, 4),
            ),
            SubmissionData(
                "Klar besked",
                "Klar besked: afgørelser i et sprog, man forstår",
                "Et værktøj, der peger på svære ord og lange sætninger i et afgørelsesbrev og "
                "foreslår en enklere formulering.",
                "Mange klager skyldes, at borgeren ikke forstår begrundelsen for afgørelsen.",
                ("https://prototyper.example.org/klar-besked",),
                (5, 3, 2, 4, 3),
            ),
            SubmissionData(
                "Status til borgeren",
                "Hvor er min klage?",
                "En enkel side, hvor borgeren kan følge sin klage fra modtagelse til svar, med "
                "de næste skridt forklaret.",
                "Borgere ringer for at høre, hvor deres klage er, og det tager tid fra "
                "sagsbehandlingen.",
                ("https://prototyper.example.org/hvor-er-min-klage",),
                (3, 4, 3, 5, 3),
            ),
        ),
    ),
)

DECISION_SUPPORT = EventData(
    "kobenhavn-sof",
    "Hackathon: beslutningsstøtte med kunstig intelligens",
    EventKind.HACKATHON,
    "Koncern IT, databanken",
    -45,
    32,
    30,
    "Dag 1: Hvor giver beslutningsstøtte bedre afgørelser og færre tilbageløb?\n"
    "Dag 1: Jura og datakvalitet: hvad skal være på plads først?\n"
    "Dag 1–2: Holdene bygger prototyper, der bevarer sagsbehandlerens skøn\n"
    "Dag 2: Præsentation for direktionen og juryens bedømmelse",
    ("demo",),
    (
        PersonData("Mikkel Nørgaard", _demo("member"), "Socialforvaltningen", STAFF, "domain"),
        PersonData("Johan Ek", _demo("supplier"), "Atea", SUPPLIER, "development, data"),
        PersonData(
            "Maja Kjærgaard", "maja.kjaergaard@kk.example.org", "Socialforvaltningen", STAFF, "law"
        ),
        PersonData(
            "Amira Haddad",
            "amira.haddad@itu.example.org",
            "IT-Universitetet i København",
            RESEARCHER,
            "data",
        ),
        PersonData(
            "Rune Falk",
            "rune.falk@beslutningsdata.example.org",
            "Beslutningsdata ApS (start-up)",
            ENTREPRENEUR,
            "data, business",
        ),
        PersonData(
            "Emma Nyborg", "emma.nyborg@kk.example.org", "Koncern IT", STAFF, "data, development"
        ),
        PersonData(
            "Peter Vang", "peter.vang@kk.example.org", "Socialforvaltningen", STAFF, "domain"
        ),
        PersonData(
            "Camilla Storm",
            "camilla.storm@nordlysdata.example.org",
            "Nordlys Data A/S",
            SUPPLIER,
            "development, design",
        ),
        PersonData(
            "Ahmed Yilmaz",
            "ahmed.yilmaz@itu.example.org",
            "IT-Universitetet i København",
            RESEARCHER,
            "data, law",
        ),
        PersonData(
            "Louise Bak",
            "louise.bak@kk.example.org",
            "Socialforvaltningen",
            DECISION_MAKER,
            "domain, business",
        ),
        PersonData("Jonas Grandal", _demo("jonas.grandal"), "Rise Digital", SUPPLIER, "design"),
        PersonData(
            "Ida Kruse",
            "ida.kruse@skoensom.example.org",
            "Skønsom ApS (start-up)",
            ENTREPRENEUR,
            "design, development",
        ),
        PersonData(
            "Sara Lykke",
            "sara.lykke@example.org",
            "Brugerrådet",
            CITIZEN,
            "Erfaring som borger med en sag i forvaltningen",
        ),
        PersonData("Kasper Ravn", "kasper.ravn@kk.example.org", "Koncern IT", STAFF, "law, data"),
        PersonData(
            "Martin Holm",
            "martin.holm@nordlysdata.example.org",
            "Nordlys Data A/S",
            SUPPLIER,
            "development",
            attended=False,
        ),
    ),
    terms=DATA_TERMS,
    challenge_title="Beslutningsstøtte med kunstig intelligens til sagsbehandlere",
    concept=True,
    copied_from=COMPLAINTS.title,
    # The follow-up after the event is still under way, past its due date.
    task_status=(("Overdrag prototyper og læring til kravspecifikationen", IN_PROGRESS),),
    jurors=HACKATHON_JURY,
    datasets=(
        DatasetData(
            "Afgørelser og tilbageløb 2018–2020 (pseudonymiseret)",
            "Afgørelser på handicap- og voksenområdet med de oplysninger, sagsbehandleren havde, "
            "og om afgørelsen blev ændret eller hjemvist efter en klage.",
            DataClassification.PERSONAL,
            DATABANK_TERMS,
            legal_basis=DATABANK_LEGAL_BASIS,
            link="https://databank.kk.example.org/projekter/afgoerelser-2018-2020",
        ),
        DatasetData(
            "Afgørelser og omgørelser pr. kvartal 2018–2020",
            "Antal afgørelser, påklagede afgørelser og afgørelser, der blev ændret eller "
            "hjemvist, pr. kvartal. Ingen personoplysninger.",
            DataClassification.PUBLIC,
            OPEN_TERMS,
            file_name="afgoerelser-pr-kvartal.csv",
            rows=_decision_rows(),
        ),
    ),
    story=StoryData(
        group_count=4,
        survey=(
            (5, 5, 4),
            (4, 5, 5),
            (5, 4, 5),
            (4, 4, 4),
            (5, 5, 5),
            (5, 4, 4),
            (4, 5, 4),
            (4, 4, 5),
            (5, 5, 4),
            (3, 4, 4),
            (5, 5, 5),
            (4, 4, 4),
            (5, 4, 5),
        ),
        comments=(
            (
                "Adgangen til data virkede fra første time.",
                "Mere tid til at teste prototyperne med sagsbehandlere.",
            ),
            ("Juryens tilbagemeldinger var konkrete og brugbare.", ""),
            (
                "Godt, at juristen var med på holdet fra start.",
                "Datasættet manglede oplysninger om sagernes varighed.",
            ),
        ),
        time_spent=(
            (StaffRole.PROJECT_LEAD, "96", "Konceptets tjekliste genbrugt"),
            (StaffRole.DOMAIN_EXPERT, "48", "Sagsbehandlere som udfordringsejere"),
            (StaffRole.IT_AND_DATA, "72", "Projektområdet i databanken genbrugt"),
            (StaffRole.LEGAL, "18", "Konsekvensanalysen og vilkårene tilpasset"),
            (StaffRole.COMMUNICATION, "10", "Invitationer"),
            (StaffRole.FACILITATOR, "24", "Facilitering begge dage"),
        ),
        costs=(
            ("Konsulentstøtte til facilitering", "110000"),
            ("Kursus i bedømmelse og kravspecifikation", "45000"),
            ("Forplejning, to dage", "19000"),
        ),
        requirements=(
            "Beslutningsstøtten skal vise, hvilke oplysninger et forslag bygger på, så "
            "sagsbehandleren kan efterprøve det.",
            "Sagsbehandleren træffer altid afgørelsen; et forslag må aldrig udfylde afgørelsen "
            "automatisk.",
            "Modellen skal kunne testes for skævheder på køn, alder og bydel, før den tages i "
            "brug og derefter hvert år.",
            "Det skal registreres pr. afgørelse, om den blev ændret eller hjemvist efter en "
            "klage, så løsningens effekt kan måles.",
            "Løsningen skal kunne hente sagens oplysninger fra fagsystemet uden "
            "dobbeltindtastning.",
        ),
        submissions=(
            SubmissionData(
                "Anden mening",
                "Anden mening: lignende sager før din",
                "Viser sagsbehandleren de mest lignende tidligere afgørelser, og hvordan det gik "
                "dem ved en klage, med de oplysninger sammenligningen bygger på.",
                "Sagsbehandlere træffer afgørelser uden let adgang til, hvordan lignende sager "
                "blev afgjort, og om afgørelsen holdt.",
                (
                    "https://prototyper.example.org/anden-mening",
                    "https://kode.example.org/anden-mening",
                ),
                (5, 4, 5, 4, 5),
            ),
            SubmissionData(
                "Tjek før afgørelse",
                "Tjek før afgørelse",
                "Finder oplysninger, der mangler i sagen, før afgørelsen træffes, ud fra hvad der "
                "oftest fik Ankestyrelsen til at hjemvise tidligere sager.",
                "Hjemviste sager skyldes ofte, at sagen ikke var tilstrækkeligt oplyst.",
                ("https://prototyper.example.org/tjek-foer-afgoerelse",),
                (4, 5, 4, 4, 4),
            ),
            SubmissionData(
                "Forklar forslaget",
                "Forklar forslaget",
                "Et panel, der i almindeligt sprog forklarer, hvorfor modellen foreslår det, den "
                "gør, og hvor sikker den er.",
                "Sagsbehandlere stoler ikke på forslag, de ikke kan forklare over for borgeren.",
                ("https://prototyper.example.org/forklar-forslaget",),
                (4, 3, 4, 5, 3),
            ),
            SubmissionData(
                "Skævhedstesten",
                "Skævhedstesten",
                "Et testværktøj, der måler, om modellens forslag falder forskelligt ud for køn, "
                "aldersgrupper og bydele.",
                "En model kan gentage skævheder fra tidligere afgørelser uden at nogen opdager "
                "det.",
                ("https://prototyper.example.org/skaevhedstesten",),
                (3, 4, 4, 4, 3),
            ),
        ),
    ),
)

CITIZEN_PLAN = EventData(
    "kobenhavn-sof",
    "Hackathon: borgeren dokumenterer selv i Borgerens Plan",
    EventKind.HACKATHON,
    "Koncern IT, databanken",
    21,
    32,
    8,
    "Dag 1: Sådan ser Borgerens Plan ud i dag, og hvad borgerne savner\n"
    "Dag 1: Data direkte ind i fagsystemet DOMUS: hvad skal der til?\n"
    "Dag 1–2: Holdene designer en letforståelig app sammen med borgere\n"
    "Dag 2: Prototyper, præsentation og juryens bedømmelse",
    ("demo",),
    (
        PersonData("Mikkel Nørgaard", _demo("member"), "Socialforvaltningen", STAFF, "domain"),
        PersonData("Johan Ek", _demo("supplier"), "Atea", SUPPLIER, "development"),
        PersonData(
            "Henriette Skov", "borger@example.org", "", CITIZEN, "Erfaring med egen handleplan"
        ),
        PersonData(
            "Nikolaj Brandt",
            "app@startup.example.org",
            "Planappen ApS (start-up)",
            ENTREPRENEUR,
            "design, development",
        ),
        PersonData(
            "Amira Haddad",
            "amira.haddad@itu.example.org",
            "IT-Universitetet i København",
            RESEARCHER,
            "data, design",
        ),
        PersonData("Emma Nyborg", "emma.nyborg@kk.example.org", "Koncern IT", STAFF, "data"),
        PersonData("Jonas Grandal", _demo("jonas.grandal"), "Rise Digital", SUPPLIER, "design"),
        PersonData(
            "Anja Winkel", "anja.winkel@example.org", "Brugerrådet", CITIZEN, "Brugerinddragelse"
        ),
        # The ninth person waits: the hackathon is small on purpose.
        PersonData(
            "Camilla Storm",
            "camilla.storm@nordlysdata.example.org",
            "Nordlys Data A/S",
            SUPPLIER,
            "development, design",
        ),
    ),
    terms=DATA_TERMS,
    concept=True,
    copied_from=DECISION_SUPPORT.title,
    task_status=(
        # Overdue: the impact assessment waits for the data-protection officer, and the
        # extract cannot start before it.
        ("Konsekvensanalyse for databeskyttelse", IN_PROGRESS),
        ("Pseudonymisér og udtræk data", TODO),
        ("Sammensæt jury og bedømmelseskriterier", IN_PROGRESS),
    ),
    jurors=HACKATHON_JURY,
    datasets=(
        DatasetData(
            "Borgerens Plan: eksempler på handleplaner (syntetiske data)",
            "Opdigtede handleplaner med de felter, DOMUS bruger, så holdene kan bygge uden "
            "rigtige borgeres oplysninger.",
            DataClassification.INTERNAL,
            "Må kun bruges under hackathonet.",
            link="https://databank.kk.example.org/projekter/borgerens-plan-eksempler",
        ),
    ),
)

SUPPLIER_CONFERENCE = EventData(
    "co-pi",
    "Leverandørkonference: emissionsfrie arbejdsmaskiner på offentlige byggepladser",
    EventKind.SUPPLIER_CONFERENCE,
    "Gate 21, Albertslund",
    35,
    5,
    80,
    "Velkomst: hvorfor ti offentlige bygherrer efterspørger sammen\n"
    "Bygherrernes behov: maskintyper, mængder og tidsplan for de kommende år\n"
    "Leverandørerne fortæller: hvad kan leveres i dag, og hvad om tre år?\n"
    "WE BUILD DENMARK og Gate 21: sådan kommer entreprenørerne med\n"
    "Korte møder mellem bygherrer og leverandører\n"
    "Næste skridt i skaleringsprocessen: fælles krav og udbud",
    ("annemarie.berg", "rikke.haahr"),
    (
        PersonData(
            "Pernille Friis", _demo("procurement"), "Københavns Kommune", STAFF, "procurement"
        ),
        PersonData(
            "Thomas Hvid",
            _demo("thomas.hvid"),
            "Københavns Kommune, Teknik- og Miljøforvaltningen",
            STAFF,
            "domain",
        ),
        PersonData("Sofie Dam", _demo("sofie.dam"), "Frederiksberg Kommune", STAFF, "procurement"),
        PersonData(
            "Kasper Lindgaard",
            "kasper.lindgaard@metro.example.org",
            "Metroselskabet",
            STAFF,
            "domain",
        ),
        PersonData(
            "Karen Bisgaard", _demo("karen.bisgaard"), "Vejdirektoratet", STAFF, "procurement"
        ),
        PersonData("Mette Lund", _demo("mette.lund"), "Aalborg Kommune", STAFF, "domain"),
        PersonData("Rasmus Krogh", _demo("rasmus.krogh"), "Esbjerg Kommune", STAFF, "domain"),
        PersonData(
            "Camilla Bech",
            _demo("camilla.bech"),
            "Middelfart Kommune",
            DECISION_MAKER,
            "procurement",
        ),
        PersonData(
            "Søren Mikkelsen", "soeren.mikkelsen@havn.example.org", "Aarhus Havn", STAFF, "domain"
        ),
        PersonData(
            "Jakob Sønderby",
            "jakob.soenderby@elmaskine.example.org",
            "Nordisk Elmaskine A/S",
            SUPPLIER,
            "business",
        ),
        PersonData(
            "Maria Kofoed",
            "maria.kofoed@ladepunkt.example.org",
            "Ladepunkt Byg ApS (start-up)",
            ENTREPRENEUR,
            "development, business",
        ),
        PersonData(
            "Bo Villadsen",
            "bo.villadsen@groenudlejning.example.org",
            "Grøn Maskinudlejning A/S",
            SUPPLIER,
            "business",
        ),
        PersonData(
            "Sanne Holgersen",
            "sanne.holgersen@anlaegoest.example.org",
            "Anlæg Øst A/S",
            SUPPLIER,
            "domain",
        ),
        PersonData(
            "Omar Aziz",
            "omar.aziz@h2maskiner.example.org",
            "H2 Arbejdsmaskiner ApS (start-up)",
            ENTREPRENEUR,
            "development",
        ),
        PersonData(
            "Lena Brogaard",
            _demo("lena.brogaard"),
            "Roskilde Universitet",
            RESEARCHER,
            "procurement",
        ),
    ),
    terms=(
        "Oplæg og spørgsmål og svar fra dagen offentliggøres for alle interesserede "
        "leverandører, så ingen får et forspring i et senere udbud."
    ),
    challenge_title="Emissionsfrie arbejdsmaskiner på offentlige byggepladser",
)

EVENTS: tuple[EventData, ...] = (
    WORKSHOP,
    COMPLAINTS,
    DECISION_SUPPORT,
    CITIZEN_PLAN,
    SUPPLIER_CONFERENCE,
)


# Loading ---------------------------------------------------------------------------------------


@dataclass
class EventsLoadCounts:
    """Rows of the events demo, and how many of them this run created."""

    events: int = 0
    registrations: int = 0
    concepts: int = 0
    tasks: int = 0
    teams: int = 0
    submissions: int = 0
    scores: int = 0
    survey_responses: int = 0
    datasets: int = 0
    created: int = 0


@dataclass
class _Context:
    now: datetime
    users: dict[str, User]
    counts: EventsLoadCounts
    events: list[Event] = field(default_factory=list)

    def user(self, username: str) -> User | None:
        return self.users.get(username)


def _start(days_from_today: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days_from_today)
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _create(context: _Context, model: type[M], **fields) -> M:
    """One row, its history marked as written by the loader."""
    instance = model(**fields)
    instance._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
    instance.save()
    context.counts.created += 1
    return instance


def _create_all(context: _Context, model: type[M], rows: list[M]) -> list[M]:
    """Many rows and their history in a few queries (the scores alone are over a hundred)."""
    if not rows:
        return []
    made = bulk_create_with_history(rows, model, default_change_reason=CHANGE_REASON)
    context.counts.created += len(made)
    return made


def _load_concept(context: _Context, owner: Organisation) -> EventConcept:
    concept = EventConcept.objects.filter(owner=owner, title=CONCEPT_TITLE).first()
    if concept is None:
        concept = _create(
            context,
            EventConcept,
            owner=owner,
            title=CONCEPT_TITLE,
            description=CONCEPT_DESCRIPTION,
            kind=EventKind.HACKATHON,
            visibility=Visibility.PUBLIC,
            created_by=context.user("demo"),
        )
    existing = set(concept.tasks.values_list("title", flat=True))
    _create_all(
        context,
        ConceptTask,
        [
            ConceptTask(
                concept=concept,
                title=data.title,
                area=data.area,
                description=data.description,
                days_before_start=data.days_before_start,
                position=position,
            )
            for position, data in enumerate(CONCEPT_TASKS)
            if data.title not in existing
        ],
    )
    return concept


def _load_event(context: _Context, data: EventData, owner: Organisation, concept) -> Event:
    event = Event.objects.filter(owner=owner, title=data.title).first()
    if event is None:
        start = _start(data.days_from_today)
        ends = start + timedelta(hours=data.hours)
        is_hackathon = data.kind == EventKind.HACKATHON
        event = _create(
            context,
            Event,
            owner=owner,
            title=data.title,
            kind=data.kind,
            place=data.place,
            starts_at=start,
            ends_at=ends,
            capacity=data.capacity,
            registration_deadline=start - timedelta(days=2),
            registration_mode=data.mode,
            visibility=data.visibility,
            agenda=data.agenda,
            terms=data.terms,
            concept=concept if data.concept else None,
            copied_from=(
                Event.objects.filter(owner=owner, title=data.copied_from).first()
                if data.copied_from
                else None
            ),
            submission_deadline=ends if is_hackathon else None,
            winner_count=data.winner_count,
            hourly_rate=HOURLY_RATE if is_hackathon or data.story else None,
            created_by=context.user(data.organisers[0]),
        )
        event.organisers.set(User.objects.filter(username__in=data.organisers))
        if data.challenge_title:
            event.challenges.set(Challenge.objects.filter(title=data.challenge_title))
    elif data.concept and event.concept_id is None:
        # An event from an earlier version of the demo joins the concept, once.
        event.concept = concept
        event._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
        event.save(update_fields=["concept", "updated_at"])
    return event


def _registered_at(context: _Context, event: Event, index: int) -> datetime:
    """Spread over the weeks before the event, never in the future."""
    planned = event.starts_at - timedelta(days=30 - index, hours=index % 5)
    return min(planned, context.now - timedelta(hours=index + 1))


def _load_registrations(context: _Context, data: EventData, event: Event) -> None:
    context.counts.registrations += len(data.participants)
    past = event.ends_at < context.now
    existing = set(event.registrations.values_list("email", flat=True))
    missing = [(i, p) for i, p in enumerate(data.participants) if p.email not in existing]
    if not missing:
        return
    accounts = {u.email: u for u in User.objects.filter(email__in=[p.email for _i, p in missing])}
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    rows, times = [], []
    for index, person in missing:
        status = (
            RegistrationStatus.CONFIRMED
            if confirmed < event.capacity
            else RegistrationStatus.WAITING
        )
        confirmed += status == RegistrationStatus.CONFIRMED
        at = _registered_at(context, event, index)
        times.append(at)
        rows.append(
            Registration(
                event=event,
                name=person.name,
                email=person.email,
                organisation=person.organisation,
                background=person.background,
                skills=person.skills,
                language="da",
                status=status,
                attended=past and person.attended and status == RegistrationStatus.CONFIRMED,
                accepted_terms_at=at if data.terms else None,
                cancel_token_digest=hash_secret(secrets.token_urlsafe(32)),
                user=accounts.get(person.email),
            )
        )
    made = _create_all(context, Registration, rows)
    for registration, at in zip(made, times, strict=True):
        registration.created_at = at
    Registration.objects.bulk_update(made, ["created_at"])


def _load_tasks(context: _Context, data: EventData, event: Event, concept: EventConcept) -> None:
    if event.tasks.exists():
        return
    today = timezone.localdate(context.now)
    start = timezone.localdate(event.starts_at)
    overrides = dict(data.task_status)
    by_title = {task.title: task for task in concept.tasks.all()}
    rows = []
    for position, task in enumerate(CONCEPT_TASKS):
        due_on = start - timedelta(days=task.days_before_start)
        status = overrides.get(task.title, DONE if due_on < today else TODO)
        rows.append(
            EventTask(
                event=event,
                title=task.title,
                area=task.area,
                description=task.description,
                responsible=context.user(task.responsible),
                due_on=due_on,
                status=status,
                from_concept_task=by_title.get(task.title),
                position=position,
                completed_at=_at(due_on, 15) if status == DONE else None,
            )
        )
    _create_all(context, EventTask, rows)


def _csv_bytes(rows: tuple[tuple[str, ...], ...]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _load_datasets(context: _Context, data: EventData, event: Event) -> None:
    existing = set(event.datasets.values_list("title", flat=True))
    for item in data.datasets:
        if item.title in existing:
            continue
        dataset = Dataset(
            event=event,
            title=item.title,
            description=item.description,
            classification=item.classification,
            legal_basis=item.legal_basis,
            terms=item.terms,
            link=item.link,
            created_by=context.user(data.organisers[0]),
        )
        if item.file_name:
            content = _csv_bytes(item.rows)
            # A generated stored name, as for uploads: the file is served only after a check.
            dataset.stored_name = f"{uuid.uuid4().hex}.csv"
            dataset.original_name = item.file_name
            dataset.content_type = "text/csv"
            dataset.size = len(content)
            dataset.file.save(dataset.stored_name, ContentFile(content), save=False)
        dataset._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
        dataset.save()
        context.counts.created += 1
        Dataset.objects.filter(pk=dataset.pk).update(
            created_at=event.starts_at - timedelta(days=10)
        )
        if event.ends_at < context.now:
            _load_dataset_use(context, event, dataset)


def _load_dataset_use(context: _Context, event: Event, dataset: Dataset) -> None:
    """Attending demo users accepted the terms and opened the data during the event."""
    users = list(
        User.objects.filter(
            pk__in=event.registrations.filter(attended=True).values("user_id")
        ).order_by("pk")
    )
    action = DatasetAccess.Action.DOWNLOAD if dataset.file else DatasetAccess.Action.LINK
    DatasetAcceptance.objects.bulk_create(
        DatasetAcceptance(dataset=dataset, user=user, terms=dataset.terms) for user in users
    )
    DatasetAccess.objects.bulk_create(
        DatasetAccess(
            event=event, dataset=dataset, dataset_title=dataset.title, user=user, action=action
        )
        for user in users
    )
    dataset.acceptances.update(accepted_at=event.starts_at)
    dataset.accesses.update(accessed_at=event.starts_at + timedelta(hours=2))
    context.counts.created += 2 * len(users)


def _load_jury(context: _Context, data: EventData, event: Event) -> list[Juror]:
    existing = set(event.criteria.values_list("name", flat=True))
    _create_all(
        context,
        Criterion,
        [
            Criterion(event=event, name=name, description=description, weight=1, position=position)
            for position, (name, description) in enumerate(CRITERIA)
            if name not in existing
        ],
    )
    jurors = []
    for username in data.jurors:
        user = context.user(username)
        if user is not None:
            juror, created = Juror.objects.get_or_create(event=event, user=user)
            context.counts.created += created
            jurors.append(juror)
    return jurors


def _load_grouping(context: _Context, data: EventData, event: Event, story: StoryData) -> Grouping:
    """Diverse groups of the attendees, formed as the organisers would (default weights)."""
    stored = Grouping.objects.filter(event=event).first()
    if stored is not None:
        return stored
    people = services.grouping_participants(event)
    settings = services.GroupingSettings(group_count=story.group_count)
    solver_people, _shown = services._participants(people)
    low, high = grouping.balanced_sizes(len(people), story.group_count)
    problem = grouping.GroupingProblem(
        distances=grouping.distance_matrix(solver_people, settings.weights),
        min_sizes=low,
        max_sizes=high,
    )
    result = grouping.solve(problem, seconds=10.0, seed=0, max_iterations=GROUPING_ITERATIONS)
    stored = _create(
        context,
        Grouping,
        event=event,
        settings=settings.as_json(),
        groups=[[people[i].pk for i in members] for members in result.groups],
        random_objective=result.random_objective,
        formed_by=context.user(data.organisers[0]),
    )
    Grouping.objects.filter(pk=stored.pk).update(formed_at=event.starts_at + timedelta(hours=1))
    return stored


def _score(level: int, juror: int, team: int, criterion: int) -> int:
    bias = JUROR_BIAS[juror % len(JUROR_BIAS)]
    return min(5, max(1, level + bias[(team + criterion) % len(bias)]))


def _load_teams(
    context: _Context, event: Event, story: StoryData, stored: Grouping, jurors: list[Juror]
) -> None:
    challenge = event.challenges.first()
    existing = {team.name: team for team in event.teams.all()}
    grouped = [pk for group in stored.groups for pk in group]
    members_of = {r.pk: r for r in event.registrations.filter(pk__in=grouped)}
    criteria = list(event.criteria.order_by("position", "pk"))
    scored = set(
        Score.objects.filter(submission__team__event=event).values_list(
            "submission_id", "criterion_id", "juror_id"
        )
    )
    scores = []
    for number, (item, group) in enumerate(zip(story.submissions, stored.groups, strict=False)):
        team = existing.get(item.team)
        if team is None:
            team = _create(context, Team, event=event, name=item.team, challenge=challenge)
            team.members.set([members_of[pk] for pk in group if pk in members_of])
            Team.objects.filter(pk=team.pk).update(created_at=event.starts_at + timedelta(hours=1))
        submission = Submission.objects.filter(team=team).first()
        if submission is None:
            author = next(
                (r.user for r in team.members.select_related("user") if r.user is not None), None
            )
            submission = _create(
                context,
                Submission,
                team=team,
                title=item.title,
                summary=item.summary,
                problem_solved=item.problem_solved,
                links="\n".join(item.links),
                submitted_by=author,
            )
            submitted = event.ends_at - timedelta(hours=3, minutes=17 * number)
            Submission.objects.filter(pk=submission.pk).update(
                submitted_at=submitted, updated_at=submitted
            )
        scores += [
            Score(
                submission=submission,
                criterion=criterion,
                juror=juror,
                value=_score(item.level[c], j, number, c),
            )
            for j, juror in enumerate(jurors)
            for c, criterion in enumerate(criteria[: len(item.level)])
            if (submission.pk, criterion.pk, juror.pk) not in scored
        ]
    made = _create_all(context, Score, scores)
    Score.objects.filter(pk__in=[s.pk for s in made]).update(
        scored_at=event.ends_at + timedelta(days=1)
    )
    if event.winners_published_at is None:
        event.winners_published_at = event.ends_at + timedelta(days=3)
        event._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
        event.save(update_fields=["winners_published_at", "updated_at"])


def _load_feedback(context: _Context, event: Event, story: StoryData) -> None:
    attendees = list(event.registrations.filter(attended=True).order_by("pk"))
    answered = set(
        SurveyResponse.objects.filter(event=event).values_list("registration_id", flat=True)
    )
    answers = []
    for index, (registration, values) in enumerate(zip(attendees, story.survey, strict=False)):
        if registration.pk in answered:
            continue
        went_well, improve = story.comments[index] if index < len(story.comments) else ("", "")
        satisfaction, relevance, organisation = values
        answers.append(
            SurveyResponse(
                event=event,
                registration=registration,
                satisfaction=satisfaction,
                relevance=relevance,
                organisation_rating=organisation,
                went_well=went_well,
                improve=improve,
            )
        )
    if answers:
        made = SurveyResponse.objects.bulk_create(answers)
        context.counts.created += len(made)
        for index, answer in enumerate(made):
            answer.answered_at = event.ends_at + timedelta(hours=20 + index)
        SurveyResponse.objects.bulk_update(made, ["answered_at"])
    spent = set(event.time_spent.values_list("role", flat=True))
    _create_all(
        context,
        TimeSpent,
        [
            TimeSpent(event=event, role=role, hours=Decimal(hours), note=note)
            for role, hours, note in story.time_spent
            if role not in spent
        ],
    )
    paid = set(event.external_costs.values_list("description", flat=True))
    _create_all(
        context,
        ExternalCost,
        [
            ExternalCost(event=event, description=description, amount=Decimal(amount))
            for description, amount in story.costs
            if description not in paid
        ],
    )
    learned = set(event.learned_requirements.values_list("text", flat=True))
    author = event.organisers.order_by("pk").first()
    _create_all(
        context,
        LearnedRequirement,
        [
            LearnedRequirement(event=event, text=text, position=position, created_by=author)
            for position, text in enumerate(story.requirements, start=1)
            if text not in learned
        ],
    )


def _count_rows(counts: EventsLoadCounts, events: list[Event]) -> None:
    counts.events = len(events)
    counts.tasks = EventTask.objects.filter(event__in=events).count()
    counts.teams = Team.objects.filter(event__in=events).count()
    counts.submissions = Submission.objects.filter(team__event__in=events).count()
    counts.scores = Score.objects.filter(submission__team__event__in=events).count()
    counts.survey_responses = SurveyResponse.objects.filter(event__in=events).count()
    counts.datasets = Dataset.objects.filter(event__in=events).count()


@transaction.atomic
def load_events_demo() -> EventsLoadCounts:
    """Create the demo concept, the events and what happened at them where missing; leave
    existing rows alone."""
    counts = EventsLoadCounts()
    slugs = {data.owner for data in EVENTS} | {CONCEPT_OWNER}
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    usernames = {
        *(name for data in EVENTS for name in (*data.organisers, *data.jurors)),
        *(task.responsible for task in CONCEPT_TASKS),
        "demo",
    }
    context = _Context(
        now=timezone.now(),
        users={u.username: u for u in User.objects.filter(username__in=usernames)},
        counts=counts,
    )
    concept_owner = organisations.get(CONCEPT_OWNER)
    concept = _load_concept(context, concept_owner) if concept_owner else None
    counts.concepts = int(concept is not None)
    for data in EVENTS:
        owner = organisations.get(data.owner)
        if owner is None:
            continue  # the core demo has not been loaded
        event = _load_event(context, data, owner, concept)
        context.events.append(event)
        _load_registrations(context, data, event)
        if data.concept and concept is not None:
            _load_tasks(context, data, event, concept)
        _load_datasets(context, data, event)
        jurors = _load_jury(context, data, event) if data.jurors else []
        story = data.story
        # What happened is loaded only for events that are over (an event made by an
        # earlier version of the demo may still lie ahead).
        if story is None or event.ends_at >= context.now:
            continue
        stored = _load_grouping(context, data, event, story)
        if story.submissions:
            _load_teams(context, event, story, stored, jurors)
        _load_feedback(context, event, story)
    _count_rows(counts, context.events)
    return counts
