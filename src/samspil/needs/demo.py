"""The demo needs and challenges behind ``manage.py load_demo``, from the seeds' cases.

The data are plain frozen dataclasses, kept apart from :func:`load_needs_demo` which writes
them after ``samspil.core.demo`` has loaded the organisations and people. Every text is our
own, written in the owning organisation's language from the facts in ``seeds/`` (amounts,
programmes, participants); no sentence is copied. Several needs are deliberately the same
need told by different organisations in Danish, Norwegian and Swedish (invoice coding, the
preschool webshop, daylight-like light in care homes, medicine support, bookable premises,
decision support), so that the similarity feature has real neighbours to show.

Each need has a ``key`` used only inside the data (to point at it from merges and
challenges); in the database a need is found again by (owner, title) and a challenge by
(owner, title). Loading is idempotent: a row is saved only when it differs from the data,
derived search and match fields are refreshed only when the text changed (or was never
derived), so a second run writes no history.

The loader writes with the ORM, like the core demo loader, rather than through
``needs.services``: the services check an acting user's permissions and notify people by
e-mail, neither of which fits a loader. It uses the services' own helpers for everything
derived (``refresh_derived_fields``, ``refresh_scaling_candidate``, the search index).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import TextIO

from django.db import models, transaction
from django.utils import timezone
from tqdm import tqdm

from samspil.core.demo import EMAIL_DOMAIN, MembershipData, PersonData
from samspil.core.models import Membership, Organisation, User, Visibility

from . import search, services
from .models import (
    Challenge,
    ChallengeCoOwner,
    ChallengeStatus,
    Comment,
    CoOwnerStatus,
    Endorsement,
    Frequency,
    Need,
    NeedStatus,
    NestaStage,
    OpsiFacet,
    Theme,
)

CHANGE_REASON = "load_demo"

SHARED = Visibility.SHARED
PUBLIC = Visibility.PUBLIC
INTERNAL = Visibility.INTERNAL

NEW = NeedStatus.NEW
IN_TRIAGE = NeedStatus.IN_TRIAGE
ACCEPTED = NeedStatus.ACCEPTED
IN_CHALLENGE = NeedStatus.IN_CHALLENGE
MERGED = NeedStatus.MERGED
REJECTED = NeedStatus.REJECTED

DAILY = Frequency.DAILY
WEEKLY = Frequency.WEEKLY
MONTHLY = Frequency.MONTHLY


@dataclass(frozen=True)
class EndorsementData:
    organisation: str  # slug
    person: str | None  # user name
    affected_count: int | None = None
    hours_per_week: str | None = None  # a decimal as text, e.g. "12.5"
    comment: str = ""


@dataclass(frozen=True)
class CommentData:
    author: str  # user name
    body: str


@dataclass(frozen=True)
class NeedData:
    key: str
    owner: str  # slug of the public organisation
    language: str
    title: str
    description: str
    submitted_by: str  # user name
    department: str | None = None  # slug of a part of the owner
    need_owner: str | None = None
    affected_who: str = ""
    affected_count: int | None = None
    frequency: str = ""
    hours_per_week: str | None = None
    themes: tuple[str, ...] = ()
    status: str = NEW
    status_reason: str = ""
    merged_into: str | None = None  # key of a need listed earlier
    visibility: str = SHARED
    saves_time: bool = False
    recognisable_elsewhere: bool = False
    anchored_in_management: bool = False
    days_ago: int = 0  # when it was reported, counted back from the first load
    endorsements: tuple[EndorsementData, ...] = ()
    comments: tuple[CommentData, ...] = ()


@dataclass(frozen=True)
class ChallengeData:
    key: str
    owner: str
    language: str
    title: str
    problem_statement: str
    created_by: str
    needs: tuple[str, ...]  # need keys
    affected_users: str = ""
    success_criteria: str = ""
    co_owners: tuple[tuple[str, str], ...] = ()  # (slug, co-owner status)
    themes: tuple[str, ...] = ()
    opsi_facet: str = ""
    trl: int | None = None
    nesta_stage: str = ""
    saves_time: bool = False
    recognisable_elsewhere: bool = False
    anchored_in_management: bool = False
    visibility: str = PUBLIC
    status: str = ChallengeStatus.OPEN
    days_ago: int = 0


def _at(organisation: str) -> tuple[MembershipData, ...]:
    return (MembershipData(organisation),)


# Staff who report and endorse needs in organisations where the seeds name nobody. They are
# invented (names and titles are ours) and cannot sign in.
NEEDS_PEOPLE: tuple[PersonData, ...] = (
    PersonData("sofie.dam", "Sofie", "Dam", "Økonomikonsulent", "da", _at("frederiksberg")),
    PersonData("thomas.hvid", "Thomas", "Hvid", "Projektleder, anlæg", "da", _at("kobenhavn-tmf")),
    PersonData("jakob.moller", "Jakob", "Møller", "Plejehjemsleder", "da", _at("aarhus")),
    PersonData(
        "line.kjeldsen",
        "Line",
        "Kjeldsen",
        "Sygeplejerske",
        "da",
        _at("bispebjerg-frederiksberg-hospital"),
    ),
    PersonData("mette.lund", "Mette", "Lund", "Klimakoordinator", "da", _at("aalborg")),
    PersonData("rasmus.krogh", "Rasmus", "Krogh", "Projektleder, anlæg", "da", _at("esbjerg")),
    PersonData("camilla.bech", "Camilla", "Bech", "Indkøbschef", "da", _at("middelfart")),
    PersonData("henrik.juul", "Henrik", "Juul", "Miljøplanlægger", "da", _at("holbaek")),
    PersonData(
        "karen.bisgaard", "Karen", "Bisgaard", "Udbudskonsulent", "da", _at("vejdirektoratet")
    ),
    PersonData("jens.riis", "Jens", "Riis", "Projektleder, anlæg", "da", _at("region-sjaelland")),
    PersonData("peter.krag", "Peter", "Krag", "Miljøspecialist", "da", _at("banedanmark")),
    PersonData("ingrid.solberg", "Ingrid", "Solberg", "Økonomikonsulent", "nb", _at("oslo-alna")),
    PersonData("nils.haugland", "Nils", "Haugland", "Økonomirådgiver", "nb", _at("oslo-stovner")),
    PersonData("kari.berntsen", "Kari", "Berntsen", "Sykepleier", "nb", _at("oslo-stovner")),
    PersonData("anna.berglund", "Anna", "Berglund", "Ekonomihandläggare", "sv", _at("helsingborg")),
    PersonData(
        "sara.nystrom", "Sara", "Nyström", "Enhetschef, äldreboende", "sv", _at("helsingborg")
    ),
)


# Needs -------------------------------------------------------------------------------------
# Listed so that a need another one is merged into comes first.

NEEDS: tuple[NeedData, ...] = (
    # Copenhagen: purchasing (seed 000) ------------------------------------------------------
    NeedData(
        "kbh-netbutik",
        "kobenhavn",
        "da",
        "Netbutikken er for svær at bruge, når vi køber ind til 1.000 børn",
        "I Klynge Ø10 på Østerbro køber vi hver dag ind til omkring 1.000 børn i vores "
        "institutioner: mad, legetøj, bleer og materialer. Netbutikken er svær at finde rundt "
        "i, varerne ligger under uventede kategorier, og man kan ikke se, hvilke varer der er "
        "omfattet af kommunens indkøbsaftaler. Vi vil gerne handle rigtigt, men systemet gør "
        "det besværligt, og tiden går fra børnene til administration.",
        "janne.schirmer",
        department="kobenhavn-buf",
        need_owner="miriam.lerkenfeld",
        affected_who="Børn, pædagoger og ledere i klyngens daginstitutioner",
        affected_count=1000,
        frequency=DAILY,
        hours_per_week="6",
        themes=("procurement", "children", "digital"),
        status=ACCEPTED,
        saves_time=True,
        recognisable_elsewhere=True,
        anchored_in_management=True,
        days_ago=120,
        endorsements=(
            EndorsementData(
                "frederiksberg",
                "sofie.dam",
                600,
                "4",
                "Vores daginstitutioner bestiller i en lignende webshop med samme problemer.",
            ),
            EndorsementData("aarhus", "jakob.moller", 2400, "10"),
        ),
        comments=(
            CommentData(
                "miriam.lerkenfeld",
                "Netbutikken kommer med på Innovationshusets workshop om den digitale "
                "indkøbsoplevelse, hvor brugere, leverandører og iværksættere arbejder sammen "
                "i blandede grupper.",
            ),
            CommentData(
                "diana.arsovic",
                "Økonomidirektøren ønsker en løsning, der dækker hele forløbet fra bestilling "
                "til betaling. Jeg har koblet behovet til Økonomiforvaltningens behov om de "
                "manuelle trin.",
            ),
        ),
    ),
    NeedData(
        "kbh-indkob-manuelt",
        "kobenhavn",
        "da",
        "Et indkøb går gennem for mange manuelle trin fra bestilling til betaling",
        "Kommunen køber ind for omkring 11,4 mia. kr. om året, og de fleste transaktioner "
        "håndteres stadig i hånden et eller flere steder undervejs: fra beslutningen om, hvad "
        "der skal købes, over godkendelsen af ordren til betalingen til leverandøren. Hvert "
        "manuelt trin koster tid og giver risiko for fejl. Vi har brug for et sammenhængende "
        "digitalt forløb, som er let for medarbejderne i institutionerne og tænker "
        "leverandørerne med.",
        "bjarne.winge",
        department="kobenhavn-okf",
        need_owner="diana.arsovic",
        affected_who="Alle medarbejdere, der bestiller eller godkender indkøb, og leverandørerne",
        frequency=DAILY,
        themes=("procurement", "administration", "digital"),
        status=ACCEPTED,
        visibility=PUBLIC,
        saves_time=True,
        recognisable_elsewhere=True,
        anchored_in_management=True,
        days_ago=118,
    ),
    NeedData(
        "frb-webshop",
        "frederiksberg",
        "da",
        "Institutionernes webshop gør det svært at bestille de rigtige varer",
        "Pædagoger og køkkenpersonale i vores daginstitutioner bestiller fødevarer og "
        "forbrugsvarer i en webshop, hvor søgningen sjældent finder varen, og hvor det ikke "
        "fremgår, om varen er på en indkøbsaftale. Mange ringer til indkøb eller handler uden "
        "for aftalerne, fordi det er nemmere.",
        "sofie.dam",
        affected_who="Personale i daginstitutionerne",
        affected_count=350,
        frequency=WEEKLY,
        hours_per_week="5",
        themes=("procurement", "children"),
        days_ago=40,
    ),
    NeedData(
        "hbg-webbutik",
        "helsingborg",
        "sv",
        "Webbutiken för förskolornas inköp är krånglig att använda",
        "Förskolorna beställer mat, leksaker och förbrukningsmaterial i stadens webbutik. Det "
        "är svårt att hitta rätt vara, det syns inte vilka varor som ingår i stadens avtal och "
        "varje beställning ska attesteras i flera steg. Personalen lägger tid på inköp som "
        "borde gå till barnen.",
        "helsingborg",
        affected_who="Förskolechefer och pedagoger",
        affected_count=900,
        frequency=WEEKLY,
        hours_per_week="8",
        themes=("procurement", "children", "digital"),
        days_ago=25,
    ),
    NeedData(
        "alna-nettbutikk",
        "oslo",
        "nb",
        "Nettbutikken for innkjøp til barnehagene er tungvint",
        "Barnehagene i bydelen bestiller mat og forbruksmateriell i en nettbutikk der det er "
        "vanskelig å finne varene og uklart hva som er dekket av kommunens rammeavtaler. "
        "Styrerne bruker mye tid på bestillinger og på å rette feil etterpå.",
        "ingrid.solberg",
        department="oslo-alna",
        affected_who="Styrere og ansatte i barnehagene",
        affected_count=400,
        frequency=WEEKLY,
        hours_per_week="6",
        themes=("procurement", "children"),
        days_ago=18,
    ),
    # Oslo: invoice coding and payroll (seed 001) -------------------------------------------
    NeedData(
        "alna-faktura",
        "oslo",
        "nb",
        "Manuell kontering av inngående fakturaer tar for mye tid",
        "Økonomimedarbeiderne i bydelen konterer hver inngående faktura for hånd: de finner "
        "riktig ansvarssted, art og prosjekt, sjekker mot bestillingen og sender fakturaen "
        "videre til attestasjon. Arbeidet er rutinepreget med mange gjentakelser, og feil må "
        "rettes i etterkant. Vi vil prøve ut om robotteknologi kan gjøre konteringen, og lære "
        "hva som skal til før det tas i bruk i flere bydeler.",
        "ingrid.solberg",
        department="oslo-alna",
        need_owner="oslo",
        affected_who="Økonomimedarbeidere i bydelen",
        affected_count=12,
        frequency=DAILY,
        hours_per_week="30",
        themes=("administration", "digital"),
        status=ACCEPTED,
        visibility=PUBLIC,
        saves_time=True,
        recognisable_elsewhere=True,
        anchored_in_management=True,
        days_ago=300,
        endorsements=(
            EndorsementData(
                "frederiksberg",
                "sofie.dam",
                8,
                "25",
                "Hos os konteres leverandørfakturaer også manuelt.",
            ),
            EndorsementData("helsingborg", "anna.berglund", 15, "40"),
            EndorsementData("aalborg", "mette.lund", 10, "20"),
        ),
        comments=(
            CommentData(
                "marit.forseth",
                "Dette blir sandkassepiloten i innovasjonsprogrammet. Målet er først og fremst "
                "læring, men vi definerer og måler gevinstene også.",
            ),
            CommentData(
                "tore.pran",
                "Stovner har meldt det samme behovet; det er slått sammen med dette.",
            ),
        ),
    ),
    NeedData(
        "stovner-faktura",
        "oslo",
        "nb",
        "Fakturaer konteres manuelt i Bydel Stovner",
        "Hos oss legger saksbehandlerne inn kontostreng på hver faktura fra leverandørene og "
        "kontrollerer den mot innkjøpet før attestasjon. Det er mye klipp og lim og mange "
        "rettinger. Vi ønsker automatisk kontering.",
        "nils.haugland",
        department="oslo-stovner",
        affected_who="Økonomimedarbeidere",
        affected_count=9,
        frequency=DAILY,
        hours_per_week="20",
        themes=("administration",),
        status=MERGED,
        merged_into="alna-faktura",
        visibility=PUBLIC,
        days_ago=290,
    ),
    NeedData(
        "frb-fakturakontering",
        "frederiksberg",
        "da",
        "Manuel kontering af leverandørfakturaer i økonomifunktionen",
        "Hver faktura fra en leverandør skal konteres i hånden med omkostningssted og art og "
        "tjekkes mod ordren, før den kan godkendes. Det er gentaget rutinearbejde, som giver "
        "fejl og forsinkede betalinger. Vi vil gerne automatisere konteringen.",
        "sofie.dam",
        affected_who="Medarbejdere i økonomifunktionen",
        affected_count=8,
        frequency=DAILY,
        hours_per_week="25",
        themes=("administration", "digital"),
        days_ago=60,
    ),
    NeedData(
        "hbg-fakturor",
        "helsingborg",
        "sv",
        "Leverantörsfakturor konteras för hand",
        "Ekonomiadministratörerna konterar varje leverantörsfaktura manuellt med ansvar, konto "
        "och projekt och stämmer av mot beställningen innan attest. Det är upprepande arbete "
        "som ger fel och sena betalningar. Vi vill pröva automatisk kontering med robot.",
        "anna.berglund",
        affected_who="Ekonomiadministratörer",
        affected_count=15,
        frequency=DAILY,
        hours_per_week="40",
        themes=("administration", "digital"),
        status=IN_TRIAGE,
        days_ago=35,
    ),
    NeedData(
        "uke-lonn",
        "oslo",
        "nb",
        "Lønnstjenestene er dyre og avhengige av få personer",
        "UKE leverer lønnstjenester til kommunens virksomheter, men vi vet for lite om hva en "
        "lønnskjøring koster hos oss sammenlignet med andre. Prosessen har mange manuelle "
        "kontroller og hviler på noen få nøkkelpersoner. Vi vil vurdere om deler av "
        "lønnstjenestene kan kjøpes inn, og måle gevinsten mot beste praksis i og utenfor "
        "kommunen.",
        "oslo",
        department="oslo-uke",
        need_owner="marit.forseth",
        affected_who="Lønnsmedarbeidere og alle ansatte som får lønn",
        frequency=MONTHLY,
        hours_per_week="60",
        themes=("administration",),
        status=ACCEPTED,
        visibility=INTERNAL,
        saves_time=True,
        anchored_in_management=True,
        days_ago=310,
        comments=(
            CommentData(
                "marit.forseth",
                "Gevinstpilot i programmet: vi sammenligner oss med beste praksis og skal "
                "vise en effektiviseringsgevinst innen seks måneder.",
            ),
        ),
    ),
    NeedData(
        "stovner-timelister",
        "oslo",
        "nb",
        "Egen robot for timelister i bydelen",
        "Timelister for vikarer tastes inn på nytt i lønnssystemet hver måned. En robot kunne "
        "flytte tallene automatisk.",
        "nils.haugland",
        department="oslo-stovner",
        frequency=MONTHLY,
        hours_per_week="3",
        themes=("administration",),
        status=REJECTED,
        status_reason="Lønnspiloten i UKE dekker også timelister. Vi venter på resultatene "
        "derfra før bydelen starter noe eget.",
        visibility=INTERNAL,
        days_ago=200,
    ),
    # Copenhagen social services (seed 004) --------------------------------------------------
    NeedData(
        "sof-klager",
        "kobenhavn",
        "da",
        "Vi lærer for lidt af borgernes klager",
        "Klager over afgørelser og indsatser behandles én ad gangen, og vi samler ikke op på, "
        "hvad de siger om vores praksis. Kunne vi se mønstre i klagedata, kunne vi reagere "
        "hurtigere, give borgerne en bedre oplevelse og få færre klager. Vi regner med, at "
        "færre klager kan spare omkring en halv million kroner om året.",
        "member",
        department="kobenhavn-sof",
        need_owner="member",
        affected_who="Borgere, der klager, og sagsbehandlerne, der behandler klagerne",
        frequency=WEEKLY,
        hours_per_week="15",
        themes=("social", "digital"),
        status=ACCEPTED,
        visibility=INTERNAL,
        saves_time=True,
        days_ago=400,
    ),
    NeedData(
        "sof-borgerens-plan",
        "kobenhavn",
        "da",
        "Borgerne kan ikke selv skrive i Borgerens Plan",
        "Borgerens Plan er borgerens samlede handleplan på socialområdet, men i dag skriver "
        "sagsbehandleren alt ind på borgerens vegne. Borgerne vil gerne selv kunne opdatere "
        "deres plan fra telefonen og få et overblik, de kan forstå. Det vil frigive tid hos "
        "sagsbehandlerne og give borgeren mere ejerskab. Oplysningerne skal gå direkte ind i "
        "fagsystemet DOMUS.",
        "member",
        department="kobenhavn-sof",
        need_owner="member",
        affected_who="Borgere med en handleplan og deres sagsbehandlere",
        frequency=DAILY,
        hours_per_week="40",
        themes=("social", "digital"),
        status=ACCEPTED,
        saves_time=True,
        recognisable_elsewhere=True,
        days_ago=390,
        comments=(
            CommentData(
                "member",
                "Anslået pris 2–5 mio. kr. og effektiviseringer på 1½–3 mio. kr. om året, alt "
                "efter hvor bredt løsningen kan bruges.",
            ),
        ),
    ),
    NeedData(
        "sof-beslutningsstotte",
        "kobenhavn",
        "da",
        "Sagsbehandlerne mangler beslutningsstøtte i komplekse sager",
        "Sagsbehandlerne træffer hver dag afgørelser på grundlag af mange oplysninger, og for "
        "mange sager kommer tilbage og skal behandles igen. Vi vil undersøge, om kunstig "
        "intelligens kan fremhæve de relevante oplysninger og lignende afgørelser, så "
        "kvaliteten stiger og der bliver færre tilbageløb, uden at sagsbehandlerens faglige "
        "skøn forsvinder.",
        "member",
        department="kobenhavn-sof",
        need_owner="demo",
        affected_who="Sagsbehandlere i Socialforvaltningen",
        affected_count=300,
        frequency=DAILY,
        hours_per_week="50",
        themes=("social", "digital"),
        status=IN_CHALLENGE,
        saves_time=True,
        recognisable_elsewhere=True,
        days_ago=380,
        comments=(
            CommentData(
                "demo",
                "Koncern IT stiller databanken til rådighed for et hackathon om beslutningsstøtte.",
            ),
        ),
    ),
    NeedData(
        "hbg-beslutsstod",
        "helsingborg",
        "sv",
        "Handläggare behöver stöd för att fatta likvärdiga beslut",
        "Handläggarna inom socialtjänsten fattar beslut utifrån stora mängder uppgifter, och "
        "många ärenden överklagas eller måste göras om. Vi vill se om artificiell intelligens "
        "kan lyfta fram relevanta uppgifter och liknande beslut, utan att ersätta "
        "handläggarens bedömning.",
        "helsingborg",
        affected_who="Handläggare inom socialtjänsten",
        affected_count=120,
        frequency=DAILY,
        themes=("social", "digital"),
        days_ago=12,
    ),
    # Region Hovedstaden: Behovsfabrikken (seed 003) -----------------------------------------
    NeedData(
        "bfh-udstyr",
        "region-hovedstaden",
        "da",
        "Sygeplejersker bruger for meget tid på at lede efter udstyr",
        "På sengeafsnittene går mange minutter på hver vagt med at finde pumper, scannere og "
        "kørestole, der står på en anden stue eller et andet afsnit. Den tid tages fra "
        "patienterne. Behovet er samlet op i Behovsfabrikken, hvor personalets egne behov "
        "skal føre til innovative indkøb sammen med Koncernindkøb.",
        "line.kjeldsen",
        department="bispebjerg-frederiksberg-hospital",
        need_owner="brian.kristensen",
        affected_who="Sygeplejersker og portører på sengeafsnittene",
        affected_count=800,
        frequency=DAILY,
        hours_per_week="120",
        themes=("health",),
        status=ACCEPTED,
        saves_time=True,
        recognisable_elsewhere=True,
        days_ago=150,
        comments=(
            CommentData(
                "louise.thomsen",
                "Koncernindkøb er med fra start, så behovet kan indgå i innovationspartnerskabet.",
            ),
        ),
    ),
    NeedData(
        "bfh-indlaeggelse",
        "region-hovedstaden",
        "da",
        "Patienter og personale savner ro under indlæggelsen",
        "På flersengsstuerne er der larm fra apparater og samtaler døgnet rundt, og det er "
        "svært at skabe ro og privatliv til samtaler og søvn. Sygeplejerskerne oplever, at "
        "patienterne sover dårligt og bliver længere. Vi vil forbedre rammerne under "
        "indlæggelsen for både patienter og personale.",
        "line.kjeldsen",
        department="bispebjerg-frederiksberg-hospital",
        affected_who="Indlagte patienter og plejepersonale",
        frequency=DAILY,
        themes=("health",),
        status=IN_TRIAGE,
        days_ago=90,
    ),
    # Biological light in care homes (seed 003) ---------------------------------------------
    NeedData(
        "aarhus-lys",
        "aarhus",
        "da",
        "Beboere på plejehjem får for lidt dagslys og sover dårligt",
        "Mange beboere på vores plejehjem kommer sjældent udenfor og opholder sig det meste af "
        "døgnet i kunstigt lys, der er det samme fra morgen til aften. Det forstyrrer "
        "døgnrytmen: de sover uroligt om natten, er trætte om dagen og bliver mere urolige. Vi "
        "har brug for lys, der ligner sollyset og skifter styrke og farve i løbet af døgnet, "
        "så beboerne får den rette mængde lys på det rette tidspunkt.",
        "jakob.moller",
        need_owner="matilde.gammelgaard",
        affected_who="Beboere og personale på plejehjem",
        affected_count=2500,
        frequency=DAILY,
        themes=("care", "health"),
        status=IN_CHALLENGE,
        visibility=PUBLIC,
        saves_time=True,
        recognisable_elsewhere=True,
        anchored_in_management=True,
        days_ago=700,
        endorsements=(
            EndorsementData("middelfart", "camilla.bech", 150, None, "Vi har option på lyset."),
        ),
        comments=(
            CommentData(
                "matilde.gammelgaard",
                "Vi går sammen med København om et innovationspartnerskab. Otte kommuner mere "
                "kan købe med på optionen.",
            ),
        ),
    ),
    NeedData(
        "kbh-lys",
        "kobenhavn",
        "da",
        "Døgnrytmelys til beboere i plejeboliger",
        "Beboerne i vores plejeboliger mangler lys, der følger dagens gang. Det almindelige "
        "loftslys giver ikke nok lys om formiddagen og for meget om aftenen, så søvn og "
        "døgnrytme bliver forstyrret. Vi vil sammen med andre kommuner finde et biologisk lys, "
        "der genskaber sollysets variation.",
        "lene.vad.jensen",
        department="kobenhavn-suf",
        need_owner="lene.vad.jensen",
        affected_who="Beboere i plejeboliger",
        affected_count=3500,
        frequency=DAILY,
        themes=("care", "health"),
        status=IN_CHALLENGE,
        visibility=PUBLIC,
        saves_time=True,
        recognisable_elsewhere=True,
        anchored_in_management=True,
        days_ago=690,
    ),
    NeedData(
        "stovner-lys",
        "oslo",
        "nb",
        "Beboere på sykehjem trenger lys som følger døgnrytmen",
        "Mange beboere på sykehjemmet er lite ute og får for lite dagslys. Belysningen er lik "
        "hele døgnet, og vi ser uro, dårlig søvn og trøtthet på dagtid. Vi ønsker lys som "
        "etterligner sollyset og endrer seg gjennom dagen.",
        "kari.berntsen",
        department="oslo-stovner",
        affected_who="Beboere og ansatte på sykehjem",
        affected_count=180,
        frequency=DAILY,
        themes=("care", "health"),
        days_ago=20,
    ),
    NeedData(
        "hbg-ljus",
        "helsingborg",
        "sv",
        "Ljus som liknar dagsljus för boende på äldreboenden",
        "De boende på våra äldreboenden kommer sällan ut och får för lite dagsljus. "
        "Belysningen är densamma dygnet runt, och många sover dåligt och är oroliga. Vi "
        "behöver dygnsrytmsljus som efterliknar solljuset och skiftar under dagen.",
        "sara.nystrom",
        affected_who="Boende och personal på äldreboenden",
        affected_count=1100,
        frequency=DAILY,
        themes=("care", "health"),
        days_ago=8,
    ),
    # CO-PI's scaling processes (seed 003) ---------------------------------------------------
    NeedData(
        "kbh-maskiner",
        "kobenhavn",
        "da",
        "Arbejdsmaskiner på byggepladser udleder CO₂, partikler og støj",
        "Gravemaskiner, læssere og kraner på kommunens byggepladser kører næsten alle på "
        "diesel. De udleder CO₂ og partikler og støjer tæt på boliger og skoler. Markedet "
        "tilbyder få emissionsfrie maskiner, fordi den enkelte bygherre efterspørger for få. "
        "Sammen med andre offentlige bygherrer vil vi efterspørge emissionsfrie "
        "arbejdsmaskiner i et omfang, der gør det attraktivt at udvikle dem.",
        "thomas.hvid",
        department="kobenhavn-tmf",
        need_owner="thomas.hvid",
        affected_who="Naboer til byggepladser og de ansatte på pladsen",
        frequency=DAILY,
        themes=("climate", "construction"),
        status=IN_CHALLENGE,
        visibility=PUBLIC,
        saves_time=True,
        recognisable_elsewhere=True,
        anchored_in_management=True,
        days_ago=500,
        endorsements=(
            EndorsementData("frederiksberg", "sofie.dam", None, None),
            EndorsementData("aalborg", "mette.lund", None, None),
            EndorsementData("esbjerg", "rasmus.krogh", None, None),
            EndorsementData("middelfart", "camilla.bech", None, None),
            EndorsementData(
                "vejdirektoratet",
                "karen.bisgaard",
                None,
                None,
                "Vi stiller krav om emissionsfrie maskiner i vores næste anlægsudbud.",
            ),
        ),
        comments=(
            CommentData(
                "annemarie.berg",
                "Skaleringsprocessen samler også Metroselskabet, Aarhus Havn, Gate 21 og WE "
                "BUILD DENMARK om behovet.",
            ),
        ),
    ),
    NeedData(
        "oslo-maskiner",
        "oslo",
        "nb",
        "Utslippsfrie anleggsmaskiner på kommunens byggeplasser",
        "Anleggsmaskinene på kommunens byggeplasser går nesten alle på diesel, med utslipp og "
        "støy nær boliger. Vi vil stille krav om utslippsfrie maskiner, men leverandørene har "
        "få å tilby. Vi ser etter andre byggherrer å gå sammen med.",
        "oslo",
        department="oslo-uke",
        themes=("climate", "construction"),
        days_ago=30,
    ),
    NeedData(
        "rsj-raastoffer",
        "region-sjaelland",
        "da",
        "Anlægsprojekter bruger for mange nye råstoffer",
        "Vores anlægsprojekter bruger store mængder nyt sand, grus og sten, mens opgravet "
        "materiale køres væk. Råstofferne bliver sværere at skaffe, og transporten udleder "
        "CO₂. Vi vil have løsninger, der genbruger materialerne og mindsker forbruget af nye "
        "råstoffer på tværs af bygherrer.",
        "jens.riis",
        need_owner="jens.riis",
        affected_who="Offentlige bygherrer og deres entreprenører",
        frequency=MONTHLY,
        themes=("climate", "construction"),
        status=IN_CHALLENGE,
        visibility=PUBLIC,
        saves_time=True,
        recognisable_elsewhere=True,
        anchored_in_management=True,
        days_ago=480,
        endorsements=(
            EndorsementData("holbaek", "henrik.juul", None, None),
            EndorsementData("vejdirektoratet", "karen.bisgaard", None, None),
            EndorsementData("banedanmark", "peter.krag", None, None),
        ),
    ),
    # Electronic medicine support (seed 003: 8 municipalities, now 29) ------------------------
    NeedData(
        "oslo-medisin",
        "oslo",
        "nb",
        "Hjemmeboende trenger elektronisk medisinstøtte",
        "Hjemmesykepleien kjører hver dag til mange brukere bare for å dele ut medisiner til "
        "riktig tid. En elektronisk medisindispenser som varsler brukeren og gir beskjed når "
        "en dose ikke tas, kan frigjøre besøk og gjøre brukerne mer selvstendige. Et "
        "felles innkjøp startet med åtte kommuner, og 29 kommuner har nå anskaffet løsningen; "
        "vi vil bygge på de erfaringene.",
        "kari.berntsen",
        department="oslo-stovner",
        need_owner="oslo",
        affected_who="Hjemmeboende brukere og hjemmesykepleien",
        affected_count=600,
        frequency=DAILY,
        hours_per_week="90",
        themes=("care", "health", "digital"),
        status=IN_CHALLENGE,
        visibility=PUBLIC,
        saves_time=True,
        recognisable_elsewhere=True,
        days_ago=260,
        endorsements=(EndorsementData("helsingborg", "sara.nystrom", 300, "45"),),
        comments=(
            CommentData(
                "riche.vestby",
                "LUP kan dele erfaringene fra fellesanskaffelsen og markedsdialogen der.",
            ),
        ),
    ),
    NeedData(
        "kbh-medicin",
        "kobenhavn",
        "da",
        "Borgere i hjemmeplejen glemmer at tage deres medicin",
        "Hjemmeplejen kører mange gange om dagen ud for at give borgere deres medicin på det "
        "rette tidspunkt. En elektronisk medicinhusker, der minder borgeren om dosen og "
        "giver besked, hvis den ikke bliver taget, kunne spare besøg og gøre borgerne mere "
        "selvhjulpne.",
        "demo",
        department="kobenhavn-suf",
        affected_who="Borgere i hjemmeplejen",
        affected_count=900,
        frequency=DAILY,
        themes=("care", "health", "digital"),
        days_ago=15,
    ),
    NeedData(
        "hbg-lakemedel",
        "helsingborg",
        "sv",
        "Digitalt läkemedelsstöd för brukare i hemtjänsten",
        "Hemtjänsten gör många besök enbart för att ge brukare deras läkemedel i rätt tid. En "
        "elektronisk läkemedelsautomat som påminner och larmar när en dos inte tas skulle "
        "frigöra besök och ge brukarna mer självständighet.",
        "sara.nystrom",
        affected_who="Brukare i hemtjänsten och personalen",
        affected_count=300,
        frequency=DAILY,
        hours_per_week="45",
        themes=("care", "digital"),
        status=IN_TRIAGE,
        days_ago=22,
    ),
    # Bookable city premises (seed 002) -----------------------------------------------------
    NeedData(
        "hbg-lokaler",
        "helsingborg",
        "sv",
        "En resurssajt där stadens lokaler kan bokas när de står tomma",
        "Stadens lokaler, till exempel skolor, samlingssalar och mötesrum, står tomma många "
        "kvällar och helger. Föreningar och invånare vet inte vad som finns eller hur man "
        "bokar. Reformgruppen för digitalisering föreslog en resurssajt där stadens tillgångar "
        "kan bokas när de inte används.",
        "helsingborg",
        department="helsingborg-innovationshubben",
        need_owner="helsingborg",
        affected_who="Föreningar, invånare och stadens förvaltningar",
        frequency=WEEKLY,
        themes=("premises", "digital", "culture"),
        status=ACCEPTED,
        visibility=PUBLIC,
        recognisable_elsewhere=True,
        days_ago=330,
        comments=(
            CommentData(
                "helsingborg",
                "Vi tar idén vidare i innovationshubben: först en pretotyp med några skolor.",
            ),
        ),
    ),
    NeedData(
        "kbh-lokaler",
        "kobenhavn",
        "da",
        "Foreninger kan ikke se, hvornår kommunens lokaler står tomme",
        "Skoler, kulturhuse og mødelokaler står ofte ubrugte om aftenen og i weekenden, men "
        "foreninger og borgere kan ikke se, hvad der er ledigt, og booking sker på mail og "
        "telefon. Vi ønsker ét sted, hvor kommunens lokaler kan findes og bookes, når de ikke "
        "bruges.",
        "demo",
        department="kobenhavn-kff",
        affected_who="Foreninger og borgere",
        frequency=WEEKLY,
        themes=("premises", "culture"),
        days_ago=10,
    ),
    NeedData(
        "alna-lokaler",
        "oslo",
        "nb",
        "Lag og innbyggere finner ikke ledige kommunale lokaler",
        "Skoler og møterom i bydelen står tomme på kveldstid, men lag og foreninger vet ikke "
        "hva som er ledig og må ringe rundt for å booke. Vi vil ha en enkel oversikt der "
        "lokalene kan bookes når de ikke er i bruk.",
        "ingrid.solberg",
        department="oslo-alna",
        themes=("premises", "culture"),
        days_ago=5,
    ),
)


# Challenges --------------------------------------------------------------------------------

CHALLENGES: tuple[ChallengeData, ...] = (
    ChallengeData(
        "biologisk-lys",
        "aarhus",
        "da",
        "Biologisk lys til ældre på plejehjem",
        "Ældre i plejeboliger får ikke den rette mængde og type lys på rette tidspunkt, og det "
        "svækker døgnrytme, søvn og det fysiske og psykiske helbred. Aarhus og København "
        "udvikler i et innovationspartnerskab et kunstigt lys, der genskaber sollysets "
        "variation. De to kommuner har option på at købe de færdige produkter, og otte "
        "kommuner mere er med i en indkøbsoption på op til 160 mio. kr.",
        "matilde.gammelgaard",
        ("aarhus-lys", "kbh-lys"),
        affected_users="Beboere og personale på plejehjem",
        success_criteria="Beboerne sover bedre og er mindre urolige; lyset lever op til "
        "udbuddets krav, så optionen kan udnyttes.",
        co_owners=(("kobenhavn", CoOwnerStatus.ACCEPTED),),
        themes=("care", "health"),
        opsi_facet=OpsiFacet.ENHANCEMENT,
        trl=7,
        nesta_stage=NestaStage.SCALING,
        saves_time=True,
        recognisable_elsewhere=True,
        anchored_in_management=True,
        days_ago=650,
    ),
    ChallengeData(
        "emissionsfrie-maskiner",
        "kobenhavn",
        "da",
        "Emissionsfrie arbejdsmaskiner på offentlige byggepladser",
        "Offentlige bygherrer vil have byggepladser uden udledning fra arbejdsmaskiner, men "
        "hver for sig efterspørger de for få maskiner til, at markedet udvikler dem. I en "
        "skaleringsproces samler CO-PI kommuner, statslige bygherrer og selskaber om én fælles "
        "efterspørgsel.",
        "thomas.hvid",
        ("kbh-maskiner",),
        affected_users="Offentlige bygherrer, entreprenører og naboer til byggepladser",
        success_criteria="En fælles kravspecifikation og hensigtserklæring, som flere "
        "bygherrer bruger i deres udbud.",
        co_owners=(
            ("frederiksberg", CoOwnerStatus.ACCEPTED),
            ("aalborg", CoOwnerStatus.ACCEPTED),
            ("esbjerg", CoOwnerStatus.ACCEPTED),
            ("middelfart", CoOwnerStatus.ACCEPTED),
            ("vejdirektoratet", CoOwnerStatus.ACCEPTED),
            ("oslo", CoOwnerStatus.INVITED),
        ),
        themes=("climate", "construction"),
        opsi_facet=OpsiFacet.MISSION,
        trl=6,
        nesta_stage=NestaStage.SCALING,
        saves_time=True,
        recognisable_elsewhere=True,
        anchored_in_management=True,
        days_ago=460,
    ),
    ChallengeData(
        "mindre-raastoffer",
        "region-sjaelland",
        "da",
        "Mindre råstofforbrug i anlægsprojekter",
        "Anlægsprojekter bruger store mængder nye råstoffer, og de bliver sværere at skaffe. "
        "Skaleringsprocessen samler bygherrer om at efterspørge løsninger, der genbruger "
        "materialer og mindsker forbruget.",
        "jens.riis",
        ("rsj-raastoffer",),
        affected_users="Offentlige bygherrer og deres entreprenører",
        success_criteria="Mindre forbrug af nye råstoffer i de deltagende bygherrers projekter.",
        co_owners=(
            ("holbaek", CoOwnerStatus.ACCEPTED),
            ("vejdirektoratet", CoOwnerStatus.ACCEPTED),
            ("banedanmark", CoOwnerStatus.ACCEPTED),
        ),
        themes=("climate", "construction"),
        opsi_facet=OpsiFacet.MISSION,
        trl=5,
        nesta_stage=NestaStage.SCALING,
        saves_time=True,
        recognisable_elsewhere=True,
        anchored_in_management=True,
        days_ago=450,
    ),
    ChallengeData(
        "ai-beslutningsstotte",
        "kobenhavn",
        "da",
        "Beslutningsstøtte med kunstig intelligens til sagsbehandlere",
        "Socialforvaltningen vil finde den bedste måde at støtte sagsbehandlerne med kunstig "
        "intelligens, så afgørelserne bliver bedre og tilbageløbene færre, mens det faglige "
        "skøn bevares. Et hackathon med virksomheder, Koncern IT og IT-Universitetet skal "
        "give en prototype; løsningen anslås at koste 3½–5 mio. kr. og spare 1½–3 mio. kr. om "
        "året i sagsbehandlingstid.",
        "demo",
        ("sof-beslutningsstotte",),
        affected_users="Sagsbehandlere og borgere, der får en afgørelse",
        success_criteria="Færre sager skal behandles igen; sagsbehandlerne finder "
        "prototypen nyttig.",
        themes=("social", "digital"),
        opsi_facet=OpsiFacet.ANTICIPATORY,
        trl=3,
        nesta_stage=NestaStage.TESTING,
        saves_time=True,
        recognisable_elsewhere=True,
        visibility=SHARED,
        days_ago=360,
    ),
    ChallengeData(
        "elektronisk-medisinstotte",
        "oslo",
        "nb",
        "Elektronisk medisinstøtte i hjemmetjenesten",
        "Brukere som bor hjemme trenger hjelp til å ta riktig medisin til riktig tid, og "
        "mange besøk fra hjemmesykepleien handler bare om det. En felles anskaffelse av "
        "elektronisk medisinstøtte begynte med åtte kommuner; nå har 29 kommuner tatt den i "
        "bruk. Oslo vil bygge videre på erfaringene.",
        "oslo",
        ("oslo-medisin",),
        affected_users="Hjemmeboende brukere og hjemmesykepleien",
        success_criteria="Færre besøk som bare gjelder medisiner, og ingen flere glemte doser.",
        co_owners=(("helsingborg", CoOwnerStatus.INVITED),),
        themes=("care", "health", "digital"),
        opsi_facet=OpsiFacet.ENHANCEMENT,
        trl=8,
        nesta_stage=NestaStage.DELIVERING,
        saves_time=True,
        recognisable_elsewhere=True,
        days_ago=240,
    ),
)


# Loading ----------------------------------------------------------------------------------


@dataclass
class NeedsLoadCounts:
    """Rows in the needs demo data, and how many of them this run created or changed."""

    people: int = 0
    needs: int = 0
    endorsements: int = 0
    comments: int = 0
    challenges: int = 0
    created: int = 0
    updated: int = 0
    derived: int = 0  # needs whose search and match fields were (re)computed

    def count(self, created: bool, updated: bool) -> None:
        self.created += created
        self.updated += updated


class MissingDemoData(RuntimeError):
    """The organisations or people of ``samspil.core.demo`` are not loaded."""


def _apply(instance: models.Model, values: Mapping[str, object]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _save(instance: models.Model) -> None:
    instance._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
    instance.save()


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _upsert_person(data: PersonData, by_slug: dict[str, Organisation]) -> tuple[User, bool, bool]:
    user = User.objects.filter(username=data.username).first()
    values = {
        "email": f"{data.username}@{EMAIL_DOMAIN}",
        "first_name": data.first_name,
        "last_name": data.last_name,
        "job_title": data.job_title,
        "language": data.language,
    }
    created = user is None
    if user is None:
        user = User(username=data.username)
        user.set_unusable_password()
    changed = _apply(user, values)
    if created or changed:
        _save(user)
    for membership in data.memberships:
        Membership.objects.get_or_create(user=user, organisation=by_slug[membership.organisation])
    return user, created, changed and not created


def _upsert_need(
    data: NeedData,
    by_slug: dict[str, Organisation],
    users: dict[str, User],
    by_key: dict[str, Need],
    themes: dict[str, Theme],
) -> tuple[Need, bool, bool, bool]:
    """Returns the need, whether it was created, updated, and whether its text changed."""
    owner = by_slug[data.owner]
    values = {
        "description": data.description,
        "language": data.language,
        "department_id": by_slug[data.department].pk if data.department else None,
        "submitted_by_id": users[data.submitted_by].pk,
        "need_owner_id": users[data.need_owner].pk if data.need_owner else None,
        "affected_who": data.affected_who,
        "affected_count": data.affected_count,
        "frequency": data.frequency,
        "hours_per_week": _decimal(data.hours_per_week),
        "status": data.status,
        "status_reason": data.status_reason,
        "merged_into_id": by_key[data.merged_into].pk if data.merged_into else None,
        "visibility": data.visibility,
        "saves_time": data.saves_time,
        "recognisable_elsewhere": data.recognisable_elsewhere,
        "anchored_in_management": data.anchored_in_management,
    }
    need = Need.objects.filter(owner=owner, title=data.title).first()
    created = need is None
    if need is None:
        need = Need(owner=owner, title=data.title)
    old_text = (need.description, need.language)
    changed = _apply(need, values)
    if created or changed:
        need.full_clean(exclude=["embedding"], validate_unique=False)
        _save(need)
    if created:
        # auto_now_add stamps the load time; a demo reads better with a history behind it.
        reported = timezone.now() - timedelta(days=data.days_ago)
        Need.objects.filter(pk=need.pk).update(created_at=reported, updated_at=reported)
        need.created_at = need.updated_at = reported
    wanted_themes = {themes[slug].pk for slug in data.themes}
    if set(need.themes.values_list("pk", flat=True)) != wanted_themes:
        need.themes.set(wanted_themes)
        changed = True
    text_changed = created or old_text != (need.description, need.language)
    return need, created, changed and not created, text_changed


def _upsert_endorsement(
    need: Need, data: EndorsementData, by_slug: dict[str, Organisation], users: dict[str, User]
) -> tuple[bool, bool]:
    organisation = by_slug[data.organisation]
    if not organisation.is_public_sector or organisation.pk == need.owner_id:
        raise ValueError(f"{data.organisation} cannot endorse {need.title!r}")
    values = {
        "endorsed_by_id": users[data.person].pk if data.person else None,
        "affected_count": data.affected_count,
        "hours_per_week": _decimal(data.hours_per_week),
        "comment": data.comment,
    }
    endorsement = Endorsement.objects.filter(need=need, organisation=organisation).first()
    created = endorsement is None
    if endorsement is None:
        endorsement = Endorsement(need=need, organisation=organisation)
    changed = _apply(endorsement, values)
    if created or changed:
        _save(endorsement)
    return created, changed and not created


def _upsert_comment(need: Need, data: CommentData, users: dict[str, User]) -> bool:
    author = users[data.author]
    if Comment.objects.filter(need=need, author=author, body=data.body).exists():
        return False
    _save(Comment(need=need, author=author, body=data.body))
    return True


def _upsert_challenge(
    data: ChallengeData,
    by_slug: dict[str, Organisation],
    users: dict[str, User],
    by_key: dict[str, Need],
    themes: dict[str, Theme],
) -> tuple[Challenge, bool, bool]:
    owner = by_slug[data.owner]
    values = {
        "problem_statement": data.problem_statement,
        "affected_users": data.affected_users,
        "success_criteria": data.success_criteria,
        "language": data.language,
        "status": data.status,
        "visibility": data.visibility,
        "opsi_facet": data.opsi_facet,
        "trl": data.trl,
        "nesta_stage": data.nesta_stage,
        "saves_time": data.saves_time,
        "recognisable_elsewhere": data.recognisable_elsewhere,
        "anchored_in_management": data.anchored_in_management,
        "created_by_id": users[data.created_by].pk,
    }
    challenge = Challenge.objects.filter(owner=owner, title=data.title).first()
    created = challenge is None
    if challenge is None:
        challenge = Challenge(owner=owner, title=data.title)
    old_text = (challenge.problem_statement, challenge.language)
    changed = _apply(challenge, values)
    if created or changed:
        challenge.full_clean(validate_unique=False)
        _save(challenge)
    if created:
        made = timezone.now() - timedelta(days=data.days_ago)
        Challenge.objects.filter(pk=challenge.pk).update(created_at=made, updated_at=made)
    wanted_needs = {by_key[key].pk for key in data.needs}
    if set(challenge.needs.values_list("pk", flat=True)) != wanted_needs:
        challenge.needs.set(wanted_needs)
        changed = True
    wanted_themes = {themes[slug].pk for slug in data.themes}
    if set(challenge.themes.values_list("pk", flat=True)) != wanted_themes:
        challenge.themes.set(wanted_themes)
        changed = True
    for slug, status in data.co_owners:
        organisation = by_slug[slug]
        co_owner = ChallengeCoOwner.objects.filter(
            challenge=challenge, organisation=organisation
        ).first()
        if co_owner is None:
            co_owner = ChallengeCoOwner(
                challenge=challenge, organisation=organisation, invited_by=users[data.created_by]
            )
        if co_owner.pk is None or co_owner.status != status:
            co_owner.status = status
            co_owner.answered_at = None if status == CoOwnerStatus.INVITED else timezone.now()
            _save(co_owner)
            changed = True
    if created or old_text != (challenge.problem_statement, challenge.language):
        search.index_challenge(challenge)
    services.refresh_scaling_candidate(challenge)
    return challenge, created, changed and not created


def _check_prerequisites() -> tuple[dict[str, Organisation], dict[str, User]]:
    slugs = {d.owner for d in NEEDS} | {d.department for d in NEEDS if d.department}
    slugs |= {e.organisation for d in NEEDS for e in d.endorsements}
    slugs |= {d.owner for d in CHALLENGES} | {s for d in CHALLENGES for s, _ in d.co_owners}
    slugs |= {m.organisation for p in NEEDS_PEOPLE for m in p.memberships}
    by_slug = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    missing = slugs - set(by_slug)
    if missing:
        raise MissingDemoData(
            f"Load samspil.core.demo first; missing organisations: {sorted(missing)}"
        )
    own = {p.username for p in NEEDS_PEOPLE}
    names = {d.submitted_by for d in NEEDS} | {d.need_owner for d in NEEDS if d.need_owner}
    names |= {e.person for d in NEEDS for e in d.endorsements if e.person}
    names |= {c.author for d in NEEDS for c in d.comments} | {d.created_by for d in CHALLENGES}
    users = {u.username: u for u in User.objects.filter(username__in=names - own)}
    missing = names - own - set(users)
    if missing:
        raise MissingDemoData(f"Load samspil.core.demo first; missing people: {sorted(missing)}")
    return by_slug, users


@transaction.atomic
def load_needs_demo(stdout: TextIO | None = None) -> NeedsLoadCounts:
    """Create or update the demo needs, endorsements, comments and challenges.

    Needs ``samspil.core.demo.load_demo()`` to have run. ``stdout`` receives a progress
    bar; without it the load is silent.
    """
    by_slug, users = _check_prerequisites()
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    counts = NeedsLoadCounts()
    total = len(NEEDS_PEOPLE) + len(NEEDS) + len(CHALLENGES)
    with tqdm(
        total=total, file=stdout, disable=stdout is None, unit="row", desc="needs: people"
    ) as progress:
        for person in NEEDS_PEOPLE:
            user, created, updated = _upsert_person(person, by_slug)
            users[person.username] = user
            counts.count(created, updated)
            counts.people += 1
            progress.update()

        progress.set_description("needs")
        by_key: dict[str, Need] = {}
        for data in NEEDS:
            if data.key in by_key:
                raise ValueError(f"Two demo needs share the key {data.key!r}")
            if data.merged_into and data.merged_into not in by_key:
                raise ValueError(f"{data.key}: merged into a need not listed before it")
            need, created, updated, text_changed = _upsert_need(
                data, by_slug, users, by_key, themes
            )
            by_key[data.key] = need
            counts.count(created, updated)
            if text_changed or not need.match_text:
                services.refresh_derived_fields(need)
                counts.derived += 1
            if need.status == NeedStatus.MERGED:
                services.similarity.unindex_need(need.pk)
            for endorsement in data.endorsements:
                counts.count(*_upsert_endorsement(need, endorsement, by_slug, users))
                counts.endorsements += 1
            for comment in data.comments:
                counts.count(_upsert_comment(need, comment, users), False)
                counts.comments += 1
            counts.needs += 1
            progress.update()

        progress.set_description("challenges")
        for challenge_data in CHALLENGES:
            _challenge, created, updated = _upsert_challenge(
                challenge_data, by_slug, users, by_key, themes
            )
            counts.count(created, updated)
            counts.challenges += 1
            progress.update()
    return counts
