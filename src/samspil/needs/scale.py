"""A national-scale data set for benchmarks: ``manage.py load_scale`` writes it.

Everything is generated from one seeded :class:`random.Random`, so the same options give
the same organisations, people, needs, endorsements and comments (the database's own ids
aside). The generated organisations have slugs starting with ``scale-`` and the people user
names starting with ``scale-``; :func:`clear` removes exactly those and everything that
hangs on them, and nothing else.

Rows are written with ``bulk_create`` in batches; derived fields are computed set-wise
rather than per object through the services: ``match_text`` with
:func:`samspil.matching.normalise` while the rows are built, the full-text index with
:func:`samspil.needs.search.reindex_needs` at the end. No history rows are written and no
embeddings computed (the embedding job would take hours at this scale; similarity then runs
on the lexical engine alone). On PostgreSQL the two GIN indexes on needs are dropped during
a large load and built again afterwards, which is several times faster than keeping them up
to date row by row.
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction

from samspil.core.models import Membership, Organisation, OrganisationKind, Role, User, Visibility
from samspil.matching import normalise

from . import search, similarity
from .models import Attachment, Challenge, Comment, Endorsement, Frequency, Need, NeedStatus, Theme

PREFIX = "scale-"
EMAIL_DOMAIN = "scale.samspil.local"
# A fixed "now" keeps the generated dates reproducible; needs spread over five years before it.
EPOCH = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
SPAN_DAYS = 5 * 365
# Below this many needs the GIN indexes stay in place (dropping them costs more than it saves).
DROP_INDEXES_FROM = 20_000

COUNTRIES = ("DK", "NO", "SE")
COUNTRY_SHARE = {"DK": 0.14, "NO": 0.44, "SE": 0.42}  # about the Nordic municipal counts
LANGUAGE = {"DK": "da", "NO": "nb", "SE": "sv"}
CURRENCY = {"DK": "DKK", "NO": "NOK", "SE": "SEK"}

# Place names are made of two parts, in each country's manner.
NAME_PARTS = {
    "DK": (
        ("Aa", "Bjerg", "Holm", "Lund", "Skov", "Strand", "Vester", "Øster", "Nør", "Sønder",
         "Ring", "Fjord", "Hede", "Mølle", "Kirke", "Sø", "Bro", "Eg", "Hvid", "Lange"),
        ("by", "rup", "sted", "lev", "havn", "bjerg", "holm", "købing", "lund", "skov",
         "vig", "ager", "bæk", "løse"),
    ),
    "NO": (
        ("Berg", "Fjell", "Lange", "Nord", "Sol", "Vik", "Stein", "Elve", "Hauge", "Mo",
         "Sand", "Skog", "Ås", "Bjørke", "Fager", "Lille", "Stor", "Øy", "Rød", "Grøn"),
        ("vik", "dal", "nes", "øy", "fjord", "berg", "stad", "heim", "sund", "land",
         "haug", "vang", "mo", "ås"),
    ),
    "SE": (
        ("Björk", "Ek", "Sjö", "Berg", "Lin", "Norr", "Söder", "Väster", "Öster", "Hög",
         "Sand", "Strand", "Ny", "Gran", "Tall", "Lång", "Kull", "Å", "Mal", "Sol"),
        ("köping", "sala", "holm", "by", "vik", "berg", "hamn", "torp", "stad", "ås",
         "ryd", "näs", "hult", "löv"),
    ),
}  # fmt: skip

MUNICIPALITY_NAME = {"DK": "{} Kommune", "NO": "{} kommune", "SE": "{} kommun"}
REGION_NAME = {"DK": "Region {}", "NO": "{} fylkeskommune", "SE": "Region {}"}
DEPARTMENTS = {
    "DK": (
        ("Socialforvaltningen", OrganisationKind.DEPARTMENT),
        ("Sundheds- og Omsorgsforvaltningen", OrganisationKind.DEPARTMENT),
        ("Børne- og Ungdomsforvaltningen", OrganisationKind.DEPARTMENT),
        ("Teknik- og Miljøforvaltningen", OrganisationKind.DEPARTMENT),
        ("Økonomiforvaltningen", OrganisationKind.DEPARTMENT),
    ),
    "NO": (
        ("Bydel Sentrum", OrganisationKind.DISTRICT),
        ("Bydel Nord", OrganisationKind.DISTRICT),
        ("Bydel Sør", OrganisationKind.DISTRICT),
        ("Helseetaten", OrganisationKind.DEPARTMENT),
        ("Utdanningsetaten", OrganisationKind.DEPARTMENT),
    ),
    "SE": (
        ("Socialförvaltningen", OrganisationKind.DEPARTMENT),
        ("Vård- och omsorgsförvaltningen", OrganisationKind.DEPARTMENT),
        ("Skol- och fritidsförvaltningen", OrganisationKind.DEPARTMENT),
        ("Stadsbyggnadsförvaltningen", OrganisationKind.DEPARTMENT),
        ("Stadsledningsförvaltningen", OrganisationKind.DEPARTMENT),
    ),
}

FIRST_NAMES = {
    "DK": ("Anne", "Mette", "Lars", "Søren", "Camilla", "Jens", "Louise", "Mads", "Ida", "Peter"),
    "NO": ("Ingrid", "Ola", "Kari", "Håkon", "Silje", "Bjørn", "Marte", "Espen", "Nora", "Lars"),
    "SE": ("Anna", "Erik", "Karin", "Johan", "Elin", "Lars", "Maria", "Oskar", "Sara", "Per"),
}
LAST_NAMES = {
    "DK": ("Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Larsen", "Holm", "Dam"),
    "NO": ("Hansen", "Johansen", "Olsen", "Berg", "Haugen", "Solberg", "Lie", "Dahl"),
    "SE": ("Andersson", "Johansson", "Karlsson", "Nilsson", "Lindqvist", "Berg", "Ek", "Holm"),
}
JOB_TITLES = {
    "da": ("Sagsbehandler", "Sygeplejerske", "Pædagog", "Økonomikonsulent", "Projektleder"),
    "nb": ("Saksbehandler", "Sykepleier", "Barnehagelærer", "Økonomikonsulent", "Prosjektleder"),
    "sv": ("Handläggare", "Sjuksköterska", "Förskollärare", "Ekonom", "Projektledare"),
}


@dataclass(frozen=True)
class Topic:
    """One kind of need, told in each language: titles, sentences, places and themes."""

    themes: tuple[str, ...]
    titles: dict[str, tuple[str, ...]]
    sentences: dict[str, tuple[str, ...]]
    places: dict[str, tuple[str, ...]]


TOPICS: tuple[Topic, ...] = (
    Topic(
        ("administration", "digital"),
        {
            "da": ("Manuel kontering af fakturaer {place}", "Fakturaer godkendes i hånden {place}"),
            "nb": (
                "Manuell kontering av fakturaer {place}",
                "Fakturaer attesteres manuelt {place}",
            ),
            "sv": ("Manuell kontering av fakturor {place}", "Fakturor attesteras för hand {place}"),
        },
        {
            "da": (
                "Hver leverandørfaktura konteres i hånden med omkostningssted og art.",
                "Fakturaen skal tjekkes mod ordren, før den kan godkendes.",
                "Fejl i konteringen rettes først, når regnskabet afstemmes.",
                "En robot kunne foreslå konteringen ud fra tidligere fakturaer.",
            ),
            "nb": (
                "Hver leverandørfaktura konteres for hånd med ansvarssted og art.",
                "Fakturaen må sjekkes mot bestillingen før den kan attesteres.",
                "Feil i konteringen rettes først når regnskapet avstemmes.",
                "En robot kunne foreslå kontering ut fra tidligere fakturaer.",
            ),
            "sv": (
                "Varje leverantörsfaktura konteras för hand med ansvar och konto.",
                "Fakturan måste stämmas av mot beställningen innan attest.",
                "Fel i konteringen upptäcks först vid avstämningen.",
                "En robot skulle kunna föreslå kontering utifrån tidigare fakturor.",
            ),
        },
        {
            "da": ("i økonomifunktionen", "i regnskabsafdelingen", "i forvaltningen"),
            "nb": ("i økonomiavdelingen", "i bydelen", "i regnskapsseksjonen"),
            "sv": ("på ekonomienheten", "i förvaltningen", "på redovisningen"),
        },
    ),
    Topic(
        ("procurement", "children"),
        {
            "da": (
                "Webshoppen til indkøb er svær at bruge {place}",
                "Bestilling af varer tager for lang tid {place}",
            ),
            "nb": (
                "Nettbutikken for innkjøp er tungvint {place}",
                "Bestilling av varer tar for lang tid {place}",
            ),
            "sv": (
                "Webbutiken för inköp är krånglig {place}",
                "Beställning av varor tar för lång tid {place}",
            ),
        },
        {
            "da": (
                "Søgningen finder sjældent den vare, man leder efter.",
                "Det fremgår ikke, hvilke varer der er på indkøbsaftalen.",
                "Hver bestilling skal godkendes flere gange.",
                "Personalet bruger tid på indkøb i stedet for kerneopgaven.",
            ),
            "nb": (
                "Søket finner sjelden varen man leter etter.",
                "Det er uklart hvilke varer som er dekket av rammeavtalen.",
                "Hver bestilling må godkjennes flere ganger.",
                "De ansatte bruker tid på innkjøp i stedet for kjerneoppgaven.",
            ),
            "sv": (
                "Sökningen hittar sällan varan man letar efter.",
                "Det syns inte vilka varor som ingår i avtalet.",
                "Varje beställning måste attesteras i flera steg.",
                "Personalen lägger tid på inköp i stället för kärnuppdraget.",
            ),
        },
        {
            "da": ("i daginstitutionerne", "i køkkenerne", "på skolerne"),
            "nb": ("i barnehagene", "på kjøkkenene", "på skolene"),
            "sv": ("på förskolorna", "i köken", "på skolorna"),
        },
    ),
    Topic(
        ("care", "health"),
        {
            "da": ("Beboerne får for lidt dagslys {place}", "Døgnrytmelys {place}"),
            "nb": ("Beboerne får for lite dagslys {place}", "Lys som følger døgnrytmen {place}"),
            "sv": ("De boende får för lite dagsljus {place}", "Dygnsrytmsljus {place}"),
        },
        {
            "da": (
                "Mange beboere kommer sjældent udenfor.",
                "Lyset er det samme fra morgen til aften.",
                "Beboerne sover dårligt og er urolige om dagen.",
                "Vi ønsker lys, der ligner sollyset og skifter i løbet af døgnet.",
            ),
            "nb": (
                "Mange beboere kommer sjelden ut.",
                "Lyset er det samme fra morgen til kveld.",
                "Beboerne sover dårlig og er urolige på dagtid.",
                "Vi ønsker lys som ligner sollyset og endrer seg gjennom døgnet.",
            ),
            "sv": (
                "Många boende kommer sällan ut.",
                "Ljuset är detsamma från morgon till kväll.",
                "De boende sover dåligt och är oroliga på dagen.",
                "Vi vill ha ljus som liknar solljuset och skiftar under dygnet.",
            ),
        },
        {
            "da": ("på plejehjemmene", "i plejeboligerne", "på demensafsnittet"),
            "nb": ("på sykehjemmene", "i omsorgsboligene", "på demensavdelingen"),
            "sv": ("på äldreboendena", "i de särskilda boendena", "på demensboendet"),
        },
    ),
    Topic(
        ("care", "digital"),
        {
            "da": ("Elektronisk medicinstøtte {place}", "Borgere glemmer deres medicin {place}"),
            "nb": ("Elektronisk medisinstøtte {place}", "Brukere glemmer medisinene {place}"),
            "sv": ("Digitalt läkemedelsstöd {place}", "Brukare glömmer sina läkemedel {place}"),
        },
        {
            "da": (
                "Mange besøg handler kun om at give medicin til tiden.",
                "En medicinhusker kan minde borgeren om dosen.",
                "Personalet får besked, hvis en dosis ikke bliver taget.",
                "Borgerne bliver mere selvhjulpne.",
            ),
            "nb": (
                "Mange besøk handler bare om å gi medisiner til riktig tid.",
                "En medisindispenser kan minne brukeren på dosen.",
                "Personalet får varsel hvis en dose ikke blir tatt.",
                "Brukerne blir mer selvstendige.",
            ),
            "sv": (
                "Många besök handlar bara om att ge läkemedel i rätt tid.",
                "En läkemedelsautomat kan påminna brukaren om dosen.",
                "Personalen får larm om en dos inte tas.",
                "Brukarna blir mer självständiga.",
            ),
        },
        {
            "da": ("i hjemmeplejen", "i sygeplejen", "på bostederne"),
            "nb": ("i hjemmetjenesten", "i hjemmesykepleien", "i boligene"),
            "sv": ("i hemtjänsten", "i hemsjukvården", "på boendena"),
        },
    ),
    Topic(
        ("climate", "construction"),
        {
            "da": ("Emissionsfrie arbejdsmaskiner {place}", "Dieselmaskiner støjer {place}"),
            "nb": ("Utslippsfrie anleggsmaskiner {place}", "Dieselmaskiner støyer {place}"),
            "sv": ("Utsläppsfria arbetsmaskiner {place}", "Dieselmaskiner bullrar {place}"),
        },
        {
            "da": (
                "Maskinerne kører næsten alle på diesel.",
                "De udleder CO₂ og partikler tæt på boliger.",
                "Markedet tilbyder få emissionsfrie maskiner.",
                "Vi vil stille krav sammen med andre bygherrer.",
            ),
            "nb": (
                "Maskinene går nesten alle på diesel.",
                "De slipper ut CO₂ og partikler nær boliger.",
                "Markedet har få utslippsfrie maskiner.",
                "Vi vil stille krav sammen med andre byggherrer.",
            ),
            "sv": (
                "Maskinerna går nästan alla på diesel.",
                "De släpper ut CO₂ och partiklar nära bostäder.",
                "Marknaden har få utsläppsfria maskiner.",
                "Vi vill ställa krav tillsammans med andra byggherrar.",
            ),
        },
        {
            "da": ("på byggepladserne", "i anlægsprojekterne", "ved vejarbejdet"),
            "nb": ("på byggeplassene", "i anleggsprosjektene", "ved veiarbeidet"),
            "sv": ("på byggarbetsplatserna", "i anläggningsprojekten", "vid vägarbetet"),
        },
    ),
    Topic(
        ("premises", "culture"),
        {
            "da": ("Ledige lokaler kan ikke bookes {place}", "Overblik over tomme lokaler {place}"),
            "nb": ("Ledige lokaler kan ikke bookes {place}", "Oversikt over tomme lokaler {place}"),
            "sv": (
                "Lediga lokaler går inte att boka {place}",
                "Överblick över tomma lokaler {place}",
            ),
        },
        {
            "da": (
                "Lokalerne står tomme om aftenen og i weekenden.",
                "Foreninger ved ikke, hvad der er ledigt.",
                "Booking sker på mail og telefon.",
                "Vi ønsker ét sted, hvor lokalerne kan findes og bookes.",
            ),
            "nb": (
                "Lokalene står tomme på kveldstid og i helgene.",
                "Lag og foreninger vet ikke hva som er ledig.",
                "Booking skjer på e-post og telefon.",
                "Vi ønsker ett sted der lokalene kan finnes og bookes.",
            ),
            "sv": (
                "Lokalerna står tomma kvällar och helger.",
                "Föreningar vet inte vad som är ledigt.",
                "Bokning sker via mejl och telefon.",
                "Vi vill ha ett ställe där lokalerna kan hittas och bokas.",
            ),
        },
        {
            "da": ("på skolerne", "i kulturhusene", "i idrætshallerne"),
            "nb": ("på skolene", "i kulturhusene", "i idrettshallene"),
            "sv": ("på skolorna", "i kulturhusen", "i idrottshallarna"),
        },
    ),
    Topic(
        ("social", "digital"),
        {
            "da": (
                "Beslutningsstøtte til sagsbehandlere {place}",
                "For mange sager genoptages {place}",
            ),
            "nb": (
                "Beslutningsstøtte for saksbehandlere {place}",
                "For mange saker omgjøres {place}",
            ),
            "sv": ("Beslutsstöd för handläggare {place}", "För många ärenden görs om {place}"),
        },
        {
            "da": (
                "Sagsbehandlerne træffer afgørelser på mange oplysninger.",
                "For mange afgørelser kommer tilbage og skal behandles igen.",
                "Kunstig intelligens kunne fremhæve lignende afgørelser.",
                "Det faglige skøn skal bevares.",
            ),
            "nb": (
                "Saksbehandlerne fatter vedtak på grunnlag av mange opplysninger.",
                "For mange vedtak kommer tilbake og må behandles på nytt.",
                "Kunstig intelligens kunne vise lignende vedtak.",
                "Det faglige skjønnet skal bevares.",
            ),
            "sv": (
                "Handläggarna fattar beslut utifrån många uppgifter.",
                "För många beslut överklagas och måste göras om.",
                "Artificiell intelligens skulle kunna visa liknande beslut.",
                "Handläggarens bedömning ska finnas kvar.",
            ),
        },
        {
            "da": ("i jobcentret", "i socialforvaltningen", "i borgerservice"),
            "nb": ("i NAV-kontoret", "i sosialtjenesten", "i barneverntjenesten"),
            "sv": ("inom försörjningsstödet", "i socialtjänsten", "på kontaktcenter"),
        },
    ),
    Topic(
        ("administration",),
        {
            "da": ("Lønbehandlingen er manuel {place}", "Timesedler tastes ind igen {place}"),
            "nb": ("Lønnskjøringen er manuell {place}", "Timelister tastes inn på nytt {place}"),
            "sv": ("Lönehanteringen är manuell {place}", "Tidrapporter matas in igen {place}"),
        },
        {
            "da": (
                "Hver måned tastes vikarernes timer ind i lønsystemet.",
                "Processen hviler på få nøglepersoner.",
                "Fejl i lønnen giver mange henvendelser.",
                "Vi vil sammenligne os med andre og måle gevinsten.",
            ),
            "nb": (
                "Hver måned tastes vikarenes timer inn i lønnssystemet.",
                "Prosessen hviler på noen få nøkkelpersoner.",
                "Feil i lønnen gir mange henvendelser.",
                "Vi vil sammenligne oss med andre og måle gevinsten.",
            ),
            "sv": (
                "Varje månad matas vikariernas timmar in i lönesystemet.",
                "Processen vilar på ett fåtal nyckelpersoner.",
                "Fel i lönen ger många frågor.",
                "Vi vill jämföra oss med andra och mäta vinsten.",
            ),
        },
        {
            "da": ("i lønkontoret", "i HR-afdelingen", "i forvaltningen"),
            "nb": ("på lønnskontoret", "i HR-avdelingen", "i etaten"),
            "sv": ("på lönekontoret", "på HR-avdelningen", "i förvaltningen"),
        },
    ),
    Topic(
        ("health",),
        {
            "da": ("Sygeplejersker leder efter udstyr {place}", "Udstyr kan ikke findes {place}"),
            "nb": ("Sykepleiere leter etter utstyr {place}", "Utstyr blir borte {place}"),
            "sv": (
                "Sjuksköterskor letar efter utrustning {place}",
                "Utrustning kommer bort {place}",
            ),
        },
        {
            "da": (
                "Pumper og kørestole står ofte på en anden stue.",
                "Der går mange minutter på hver vagt med at lede.",
                "Tiden tages fra patienterne.",
                "Vi vil kunne se, hvor udstyret er.",
            ),
            "nb": (
                "Pumper og rullestoler står ofte på et annet rom.",
                "Det går mange minutter hver vakt med leting.",
                "Tiden tas fra pasientene.",
                "Vi vil kunne se hvor utstyret er.",
            ),
            "sv": (
                "Pumpar och rullstolar står ofta i ett annat rum.",
                "Det går många minuter varje pass till att leta.",
                "Tiden tas från patienterna.",
                "Vi vill kunna se var utrustningen finns.",
            ),
        },
        {
            "da": ("på sengeafsnittet", "på akutmodtagelsen", "på operationsgangen"),
            "nb": ("på sengeposten", "i akuttmottaket", "på operasjonsavdelingen"),
            "sv": ("på vårdavdelningen", "på akutmottagningen", "på operation"),
        },
    ),
    Topic(
        ("social", "digital"),
        {
            "da": (
                "Borgerne kan ikke selv opdatere deres plan {place}",
                "Klager bruges ikke til læring {place}",
            ),
            "nb": (
                "Innbyggerne kan ikke selv oppdatere planen sin {place}",
                "Klager brukes ikke til læring {place}",
            ),
            "sv": (
                "Invånarna kan inte själva uppdatera sin plan {place}",
                "Klagomål används inte för lärande {place}",
            ),
        },
        {
            "da": (
                "Sagsbehandleren skriver alt ind på borgerens vegne.",
                "Borgerne vil gerne bruge telefonen.",
                "Vi samler ikke op på, hvad klagerne fortæller.",
                "Et bedre overblik vil give borgeren mere ejerskab.",
            ),
            "nb": (
                "Saksbehandleren skriver alt på vegne av innbyggeren.",
                "Innbyggerne vil gjerne bruke telefonen.",
                "Vi samler ikke opp hva klagene forteller.",
                "Bedre oversikt gir innbyggeren mer eierskap.",
            ),
            "sv": (
                "Handläggaren skriver allt åt invånaren.",
                "Invånarna vill gärna använda mobilen.",
                "Vi tar inte vara på vad klagomålen säger.",
                "Bättre överblick ger invånaren mer ägarskap.",
            ),
        },
        {
            "da": ("på socialområdet", "i handicapcentret", "i familieafdelingen"),
            "nb": ("på sosialfeltet", "i tildelingskontoret", "i familietjenesten"),
            "sv": ("inom socialtjänsten", "inom LSS", "i familjeomsorgen"),
        },
    ),
)

GENERIC = {
    "da": ("Det tager omkring {hours} timer om ugen i dag.",
           "Problemet går igen i flere afdelinger.",
           "Ledelsen bakker op om at finde en løsning.",
           "Vi har talt med medarbejderne, og de kender problemet godt.",
           "Det berører omkring {count} personer."),
    "nb": ("Det tar omkring {hours} timer i uken i dag.",
           "Problemet går igjen i flere avdelinger.",
           "Ledelsen støtter at vi finner en løsning.",
           "Vi har snakket med de ansatte, og de kjenner problemet godt.",
           "Det berører omkring {count} personer."),
    "sv": ("Det tar ungefär {hours} timmar i veckan i dag.",
           "Problemet återkommer i flera enheter.",
           "Ledningen står bakom att hitta en lösning.",
           "Vi har pratat med medarbetarna och de känner väl till problemet.",
           "Det berör ungefär {count} personer."),
}  # fmt: skip
COMMENTS = {
    "da": ("Det kender vi også.", "Har I talt med indkøb om det?", "Vi har en lignende sag.",
           "Godt beskrevet – vi følger med.", "Kan I dele jeres tal?"),
    "nb": ("Dette kjenner vi også.", "Har dere snakket med innkjøp?", "Vi har en lignende sak.",
           "Godt beskrevet – vi følger med.", "Kan dere dele tallene?"),
    "sv": ("Det känner vi också igen.", "Har ni pratat med upphandling?",
           "Vi har ett liknande fall.", "Bra beskrivet – vi följer med.",
           "Kan ni dela era siffror?"),
}  # fmt: skip
REJECTION = {
    "da": "Dækkes af et andet behov.",
    "nb": "Dekkes av et annet behov.",
    "sv": "Täcks av ett annat behov.",
}
STATUSES = (
    (NeedStatus.NEW, 40),
    (NeedStatus.IN_TRIAGE, 15),
    (NeedStatus.ACCEPTED, 22),
    (NeedStatus.IN_CHALLENGE, 10),
    (NeedStatus.REJECTED, 13),
)
VISIBILITIES = ((Visibility.SHARED, 60), (Visibility.PUBLIC, 25), (Visibility.INTERNAL, 15))
FREQUENCIES = (*Frequency.values, "")


@dataclass(frozen=True)
class ScaleOptions:
    organisations: int = 800
    needs: int = 500_000
    seed: int = 1
    batch: int = 5_000
    users_per_organisation: int = 12


@dataclass
class ScaleCounts:
    organisations: int = 0
    users: int = 0
    needs: int = 0
    endorsements: int = 0
    comments: int = 0
    removed: dict[str, int] = field(default_factory=dict)


@dataclass
class _Org:
    pk: int
    slug: str
    country: str
    top: int  # pk of the top-level organisation of its tree
    is_department: bool = False
    is_municipality: bool = True
    departments: list[int] = field(default_factory=list)
    users: list[int] = field(default_factory=list)
    weight: float = 1.0


class _Weighted:
    """A weighted choice with the cumulative weights computed once (not per draw)."""

    def __init__(self, pairs):
        self.values = [value for value, _ in pairs]
        self.cumulative = list(itertools.accumulate(weight for _, weight in pairs))

    def __call__(self, rng: random.Random):
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


def _place_name(rng: random.Random, country: str, used: set[str]) -> str:
    first, second = NAME_PARTS[country]
    for _attempt in range(50):
        name = rng.choice(first) + rng.choice(second)
        if name not in used:
            used.add(name)
            return name
    name = f"{rng.choice(first)}{rng.choice(second)} {len(used)}"
    used.add(name)
    return name


# Organisations and people ---------------------------------------------------------------------


def _create_organisations(options: ScaleOptions, rng: random.Random) -> list[_Org]:
    """Municipalities and regions in the three countries; the largest get departments."""
    total = max(options.organisations, 1)
    top_count = max(1, round(total * 0.8))
    department_budget = total - top_count
    rows: list[Organisation] = []
    plan: list[tuple[str, float]] = []  # (country, weight) per top-level organisation
    used = {country: set() for country in COUNTRIES}  # type: dict[str, set[str]]
    for index in range(top_count):
        country = rng.choices(COUNTRIES, [COUNTRY_SHARE[c] for c in COUNTRIES])[0]
        is_region = rng.random() < 0.04
        name = _place_name(rng, country, used[country])
        template = REGION_NAME if is_region else MUNICIPALITY_NAME
        rows.append(
            Organisation(
                name=template[country].format(name),
                slug=f"{PREFIX}{country.lower()}-{index:04d}",
                kind=OrganisationKind.REGION if is_region else OrganisationKind.MUNICIPALITY,
                country=country,
                currency=CURRENCY[country],
                visibility=Visibility.PUBLIC,
                description="",
            )
        )
        # A few large municipalities and many small ones (a Pareto-like spread of needs).
        plan.append((country, rng.paretovariate(1.3)))
    Organisation.objects.bulk_create(rows, batch_size=options.batch)
    created = Organisation.objects.filter(slug__in=[row.slug for row in rows]).in_bulk(
        field_name="slug"
    )
    orgs = [
        _Org(
            created[row.slug].pk,
            row.slug,
            country,
            created[row.slug].pk,
            is_municipality=row.kind == OrganisationKind.MUNICIPALITY,
            weight=weight,
        )
        for row, (country, weight) in zip(rows, plan, strict=True)
    ]
    # Departments for the largest municipalities, up to five each.
    children: list[tuple[_Org, Organisation]] = []
    by_weight = sorted((o for o in orgs if o.is_municipality), key=lambda o: -o.weight)
    for parent in by_weight:
        if len(children) >= department_budget:
            break
        for number, (name, kind) in enumerate(DEPARTMENTS[parent.country]):
            if len(children) >= department_budget:
                break
            children.append(
                (
                    parent,
                    Organisation(
                        name=name,
                        slug=f"{parent.slug}-{number}",
                        kind=kind,
                        country=parent.country,
                        currency=CURRENCY[parent.country],
                        parent_id=parent.pk,
                        visibility=Visibility.SHARED,
                        description="",
                    ),
                )
            )
    Organisation.objects.bulk_create([row for _, row in children], batch_size=options.batch)
    child_pks = Organisation.objects.filter(slug__in=[row.slug for _, row in children]).in_bulk(
        field_name="slug"
    )
    for parent, row in children:
        pk = child_pks[row.slug].pk
        parent.departments.append(pk)
        orgs.append(_Org(pk, row.slug, parent.country, parent.pk, is_department=True, weight=0.0))
    return orgs


def _create_people(options: ScaleOptions, rng: random.Random, orgs: list[_Org]) -> int:
    """Users of every organisation; the first of a top-level one is its innovation lead."""
    password = make_password(None)  # unusable, and the same for all: no hashing per user
    users: list[User] = []
    owners: list[_Org] = []
    for org in orgs:
        count = max(2, round(rng.gauss(options.users_per_organisation, 4)))
        if org.is_department:  # fewer people of its own
            count = max(1, count // 3)
        language = LANGUAGE[org.country]
        for _n in range(count):
            number = len(users)
            users.append(
                User(
                    username=f"{PREFIX}{number:06d}",
                    email=f"{PREFIX}{number:06d}@{EMAIL_DOMAIN}",
                    first_name=rng.choice(FIRST_NAMES[org.country]),
                    last_name=rng.choice(LAST_NAMES[org.country]),
                    job_title=rng.choice(JOB_TITLES[language]),
                    language=language,
                    password=password,
                )
            )
            owners.append(org)
    User.objects.bulk_create(users, batch_size=options.batch)
    pks = dict(User.objects.filter(username__startswith=PREFIX).values_list("username", "pk"))
    memberships = []
    for user, org in zip(users, owners, strict=True):
        pk = pks[user.username]
        org.users.append(pk)
        memberships.append(Membership(user_id=pk, organisation_id=org.pk))
    Membership.objects.bulk_create(memberships, batch_size=options.batch)
    lead = Role.objects.get(code=Role.Code.INNOVATION_LEAD)
    leads = [org.users[0] for org in orgs if org.users and not org.is_department]
    lead_memberships = Membership.objects.filter(
        user_id__in=leads, organisation__slug__startswith=PREFIX
    ).values_list("pk", flat=True)
    Membership.roles.through.objects.bulk_create(
        [Membership.roles.through(membership_id=pk, role_id=lead.pk) for pk in lead_memberships],
        batch_size=options.batch,
    )
    return len(users)


# Needs --------------------------------------------------------------------------------------


def _text(rng: random.Random, language: str) -> tuple[str, str, int, tuple[str, ...], int, int]:
    """(title, description, topic index, themes, hours, count) of one generated need."""
    index = rng.randrange(len(TOPICS))
    topic = TOPICS[index]
    place = rng.choice(topic.places[language])
    title = rng.choice(topic.titles[language]).format(place=place)
    hours = rng.choice((2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40))
    count = rng.choice((5, 10, 20, 40, 80, 150, 300, 600, 1000, 2500))
    sentences = rng.sample(topic.sentences[language], k=rng.randint(2, 4))
    sentences += [
        s.format(hours=hours, count=count)
        for s in rng.sample(GENERIC[language], k=rng.randint(1, 2))
    ]
    rng.shuffle(sentences)
    return title, " ".join(sentences), index, topic.themes, hours, count


def _insert(model, rows: list, batch: int, *, need_ids: bool = False) -> None:
    """Insert ``rows``: COPY on PostgreSQL, ``bulk_create`` elsewhere; sets ``pk`` if asked.

    COPY skips Django's INSERT compilation and PostgreSQL's parsing of a statement with
    100,000 parameters, several times faster at this scale. Field values are plain Python
    values (str, int, Decimal, aware datetime, bool, None), which psycopg adapts itself.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(rows, batch_size=batch)
        return
    table = model._meta.db_table
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    with connection.cursor() as cursor:
        if need_ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                "FROM generate_series(1, %s) ORDER BY 1",
                [table, len(rows)],
            )
            for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
                row.pk = pk
            fields = list(model._meta.concrete_fields)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        names = [f.attname for f in fields]
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([getattr(row, name) for name in names])


@contextlib.contextmanager
def _keep_given_dates(*fields_of: tuple[type[models.Model], str]) -> Iterator[None]:
    """bulk_create would stamp auto_now(_add) fields with the load time; keep ours instead."""
    saved: list[tuple[Any, bool, bool]] = []
    for model, name in fields_of:
        model_field: Any = model._meta.get_field(name)
        saved.append((model_field, model_field.auto_now, model_field.auto_now_add))
        model_field.auto_now = model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field, auto_now, auto_now_add in saved:
            model_field.auto_now, model_field.auto_now_add = auto_now, auto_now_add


def _need_indexes() -> list[tuple[str, str]]:
    """(name, CREATE statement) of the GIN indexes on needs from migration 0003."""
    migration = importlib.import_module("samspil.needs.migrations.0003_search_indexes")
    found = []
    for statement in migration.POSTGRESQL:
        if " ON needs_need " in statement:
            name = statement.split("EXISTS ", 1)[1].split()[0]
            found.append((name, statement))
    return found


@contextlib.contextmanager
def _without_gin_indexes(drop: bool) -> Iterator[None]:
    if not (drop and connection.vendor == "postgresql"):
        yield
        return
    indexes = _need_indexes()
    with connection.cursor() as cursor:
        for name, _statement in indexes:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            # More memory than the default makes building a large GIN index much faster.
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _name, statement in indexes:
                cursor.execute(statement)
            cursor.execute("RESET maintenance_work_mem")


def _create_needs(
    options: ScaleOptions,
    rng: random.Random,
    orgs: list[_Org],
    progress: Callable[[int], None],
    counts: ScaleCounts,
) -> None:
    tops = [o for o in orgs if not o.is_department and o.users]
    pick_owner = _Weighted([(o, o.weight) for o in tops])
    pick_status = _Weighted(STATUSES)
    pick_visibility = _Weighted(VISIBILITIES)
    public_tops = tops  # every generated top-level organisation is public sector
    all_users = [u for o in orgs for u in o.users]
    themes = dict(Theme.objects.values_list("slug", "pk"))
    by_pk = {o.pk: o for o in orgs}
    ThemeLink = Need.themes.through
    done = 0
    while done < options.needs:
        size = min(options.batch, options.needs - done)
        needs: list[Need] = []
        extras: list[tuple[tuple[str, ...], str]] = []
        for _n in range(size):
            org = pick_owner(rng)
            language = LANGUAGE[org.country]
            title, description, _topic, topic_themes, hours, count = _text(rng, language)
            status = pick_status(rng)
            department = (
                rng.choice(org.departments) if org.departments and rng.random() < 0.6 else None
            )
            submitter = (
                rng.choice(by_pk[department].users or org.users)
                if department
                else (rng.choice(org.users))
            )
            reported = EPOCH - timedelta(seconds=rng.randrange(SPAN_DAYS * 86_400))
            needs.append(
                Need(
                    owner_id=org.pk,
                    department_id=department,
                    title=title,
                    description=description,
                    language=language,
                    submitted_by_id=submitter,
                    need_owner_id=org.users[0] if status != NeedStatus.NEW else None,
                    affected_count=count,
                    hours_per_week=Decimal(hours),
                    frequency=rng.choice(FREQUENCIES),
                    status=status,
                    status_reason=REJECTION[language] if status == NeedStatus.REJECTED else "",
                    visibility=pick_visibility(rng),
                    saves_time=rng.random() < 0.5,
                    recognisable_elsewhere=rng.random() < 0.4,
                    anchored_in_management=rng.random() < 0.2,
                    created_at=reported,
                    updated_at=reported,
                    match_text=normalise(similarity.need_text(title, description)),
                )
            )
            extras.append((topic_themes, language))
        with transaction.atomic(), _keep_given_dates(
            (Need, "created_at"), (Need, "updated_at"), (Endorsement, "created_at"),
            (Comment, "created_at"),
        ):  # fmt: skip
            _insert(Need, needs, options.batch, need_ids=True)
            links: list[Any] = []
            endorsements: list[Endorsement] = []
            comments: list[Comment] = []
            for need, (topic_themes, language) in zip(needs, extras, strict=True):
                picked = topic_themes[: rng.randint(1, len(topic_themes))]
                links.extend(ThemeLink(need_id=need.pk, theme_id=themes[s]) for s in picked)
                if need.visibility != Visibility.INTERNAL and rng.random() < 0.3:
                    owner_top = by_pk[need.owner_id].top
                    taken: set[int] = set()
                    for _e in range(rng.randint(1, 3)):
                        other = rng.choice(public_tops)
                        if other.top == owner_top or other.pk in taken:
                            continue
                        taken.add(other.pk)
                        endorsements.append(
                            Endorsement(
                                need_id=need.pk,
                                organisation_id=other.pk,
                                endorsed_by_id=rng.choice(other.users),
                                affected_count=rng.choice((10, 50, 200, 800)),
                                hours_per_week=Decimal(rng.choice((2, 5, 10, 20))),
                                created_at=need.created_at + timedelta(days=rng.randint(1, 90)),
                            )
                        )
                for _c in range(rng.choice((0, 0, 1, 1, 1, 2, 3))):
                    comments.append(
                        Comment(
                            need_id=need.pk,
                            author_id=rng.choice(all_users),
                            body=rng.choice(COMMENTS[language]),
                            created_at=need.created_at + timedelta(days=rng.randint(0, 60)),
                        )
                    )
            _insert(ThemeLink, links, options.batch)
            _insert(Endorsement, endorsements, options.batch)
            _insert(Comment, comments, options.batch)
        counts.needs += len(needs)
        counts.endorsements += len(endorsements)
        counts.comments += len(comments)
        done += size
        progress(size)


def generated_needs():
    return Need.objects.filter(owner__slug__startswith=PREFIX)


def load_scale(
    options: ScaleOptions,
    progress: Callable[[int], None] = lambda n: None,
    stage: Callable[[str], None] = lambda name: None,
) -> ScaleCounts:
    """Generate the data set; refuses to run twice over (clear first)."""
    if Organisation.objects.filter(slug__startswith=PREFIX).exists():
        raise RuntimeError("Generated data exist already; run load_scale --clear first.")
    rng = random.Random(options.seed)  # noqa: S311 - reproducible test data, not secrets
    counts = ScaleCounts()
    stage("organisations")
    with transaction.atomic():
        orgs = _create_organisations(options, rng)
        counts.organisations = len(orgs)
        stage("people")
        counts.users = _create_people(options, rng, orgs)
    stage("needs")
    with _without_gin_indexes(options.needs >= DROP_INDEXES_FROM):
        _create_needs(options, rng, orgs, progress, counts)
        stage("search index")
        search.reindex_needs(generated_needs())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Organisations and users too: with autovacuum off or behind, a planner that still
            # believes in an empty organisation table picks nested loops over every country.
            for model in (
                Organisation,
                User,
                Membership,
                Need,
                Endorsement,
                Comment,
                Need.themes.through,
            ):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    similarity.reset_index()
    return counts


def _delete_rows(cursor, model, ids_sql: str, pattern: str) -> int:
    """DELETE the rows ``ids_sql`` selects, after what points at them (by each FK's rule).

    Rows that cascade further than one level, or a PROTECTed reference, make the
    transaction fail rather than leave anything half deleted.
    """
    table = model._meta.db_table
    for m2m in model._meta.many_to_many:
        through = m2m.remote_field.through._meta
        column = next(f.column for f in through.fields if f.related_model is model)
        cursor.execute(f"DELETE FROM {through.db_table} WHERE {column} IN ({ids_sql})", [pattern])  # noqa: S608
    for relation in model._meta.related_objects:
        if relation.many_to_many:
            through = relation.through._meta
            column = next(f.column for f in through.fields if f.related_model is model)
            cursor.execute(
                f"DELETE FROM {through.db_table} WHERE {column} IN ({ids_sql})",  # noqa: S608
                [pattern],
            )
            continue
        fk = relation.field
        if not fk.db_constraint or relation.on_delete is models.DO_NOTHING:
            continue  # history rows keep the old id on purpose
        other = relation.related_model._meta.db_table
        if relation.on_delete is models.SET_NULL:
            sql = f"UPDATE {other} SET {fk.column} = NULL WHERE {fk.column} IN ({ids_sql})"  # noqa: S608
        elif relation.on_delete is models.CASCADE:
            sql = f"DELETE FROM {other} WHERE {fk.column} IN ({ids_sql})"  # noqa: S608
        else:  # PROTECT, RESTRICT: only a problem if a row still points here
            cursor.execute(
                f"SELECT 1 FROM {other} WHERE {fk.column} IN ({ids_sql}) LIMIT 1",  # noqa: S608
                [pattern],
            )
            if cursor.fetchone() and other != table:
                raise RuntimeError(f"{other}.{fk.column} still points at generated rows")
            if other == table:
                sql = f"UPDATE {other} SET {fk.column} = NULL WHERE {fk.column} IN ({ids_sql})"  # noqa: S608
            else:
                continue
        cursor.execute(sql, [pattern])
    cursor.execute(f"DELETE FROM {table} WHERE id IN ({ids_sql})", [pattern])  # noqa: S608
    return cursor.rowcount


def clear() -> dict[str, int]:
    """Delete the generated organisations, people and what hangs on them; nothing else.

    Set-based DELETEs (the ORM's cascade would load every row to send signals, which at
    500,000 needs takes far too long). The history of generated rows is left alone: none is
    written when they are generated.
    """
    need = Need._meta.db_table
    org = Organisation._meta.db_table
    user = User._meta.db_table
    owned_needs = (
        f"SELECT n.id FROM {need} n JOIN {org} o ON o.id = n.owner_id "  # noqa: S608
        f"WHERE o.slug LIKE %s"
    )
    scale_orgs = f"SELECT id FROM {org} WHERE slug LIKE %s"  # noqa: S608
    scale_users = f"SELECT id FROM {user} WHERE username LIKE %s"  # noqa: S608
    pattern = PREFIX.replace("_", r"\_") + "%"
    challenge_needs = Challenge.needs.through._meta.db_table
    statements = [
        ("theme links", f"DELETE FROM {Need.themes.through._meta.db_table} "  # noqa: S608
         f"WHERE need_id IN ({owned_needs})"),
        ("challenge links", f"DELETE FROM {challenge_needs} WHERE need_id IN ({owned_needs})"),  # noqa: S608
        ("endorsements", f"DELETE FROM {Endorsement._meta.db_table} "  # noqa: S608
         f"WHERE need_id IN ({owned_needs}) OR organisation_id IN ({scale_orgs})"),
        ("comments", f"DELETE FROM {Comment._meta.db_table} WHERE need_id IN ({owned_needs})"),  # noqa: S608
        ("attachments", f"DELETE FROM {Attachment._meta.db_table} "  # noqa: S608
         f"WHERE need_id IN ({owned_needs})"),
        ("merge links", f"UPDATE {need} SET merged_into_id = NULL "  # noqa: S608
         f"WHERE merged_into_id IN ({owned_needs})"),
        ("needs", f"DELETE FROM {need} WHERE id IN ({owned_needs})"),  # noqa: S608
        ("roles", f"DELETE FROM {Membership.roles.through._meta.db_table} WHERE membership_id IN "  # noqa: S608
         f"(SELECT id FROM {Membership._meta.db_table} WHERE user_id IN ({scale_users}) "
         f"OR organisation_id IN ({scale_orgs}))"),
        ("memberships", f"DELETE FROM {Membership._meta.db_table} "  # noqa: S608
         f"WHERE user_id IN ({scale_users}) OR organisation_id IN ({scale_orgs})"),
    ]  # fmt: skip
    removed: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM needs_need_fts WHERE rowid IN ({owned_needs})", [pattern])  # noqa: S608
        for label, statement in statements:
            cursor.execute(statement, [pattern] * statement.count("%s"))
            removed[label] = cursor.rowcount
        # Challenges are few and carry history and links: the ORM deletes them.
        Challenge.objects.filter(owner__slug__startswith=PREFIX).delete()
        removed["users"] = _delete_rows(cursor, User, scale_users, pattern)
        removed["organisations"] = _delete_rows(cursor, Organisation, scale_orgs, pattern)
    similarity.reset_index()
    return removed
