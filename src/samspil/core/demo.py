"""The demo data behind ``manage.py load_demo``: the seeds' organisations and people.

The data are plain dataclasses, kept apart from ``load_demo()`` which writes them. Names,
kinds and relations come from the texts in ``seeds/``; every description is our own
sentence. National ids are filled in only where they were checked against public lists
(Danish municipal CVR numbers, Oslo's organisasjonsnummer); the rest stay blank because a
wrong id would block the real organisation later (the id is unique per country).

Loading is idempotent: organisations are matched by slug, people by user name, and a row
is saved only when it differs from the data, so a second run writes no history.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TextIO

from django.db import models, transaction
from tqdm import tqdm

from .models import (
    CURRENCY_OF_COUNTRY,
    Country,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
    Visibility,
)

EMAIL_DOMAIN = "demo.samspil.local"
CHANGE_REASON = "load_demo"

MUNICIPALITY = OrganisationKind.MUNICIPALITY
REGION = OrganisationKind.REGION
STATE_AGENCY = OrganisationKind.STATE_AGENCY
DISTRICT = OrganisationKind.DISTRICT
DEPARTMENT = OrganisationKind.DEPARTMENT
COMPANY = OrganisationKind.COMPANY
KNOWLEDGE_INSTITUTION = OrganisationKind.KNOWLEDGE_INSTITUTION
CLUSTER = OrganisationKind.CLUSTER

MEMBER = Role.Code.MEMBER
INNOVATION_LEAD = Role.Code.INNOVATION_LEAD
PROCUREMENT_OFFICER = Role.Code.PROCUREMENT_OFFICER
BOARD_MEMBER = Role.Code.BOARD_MEMBER
ADMIN = Role.Code.ADMIN


@dataclass(frozen=True)
class OrganisationData:
    slug: str
    name: str
    kind: str
    country: str
    theme_colour: str
    description: str
    parent: str | None = None  # slug of an organisation listed earlier
    national_id: str = ""
    website: str = ""


@dataclass(frozen=True)
class MembershipData:
    organisation: str  # slug
    role: str = MEMBER  # member is implied by the membership itself and stored as no role


@dataclass(frozen=True)
class PersonData:
    username: str
    first_name: str
    last_name: str
    job_title: str
    language: str
    memberships: tuple[MembershipData, ...]
    # Only the demo sign-ins have a password; people from the seeds cannot sign in.
    password: str = ""

    @property
    def email(self) -> str:
        return f"{self.username}@{EMAIL_DOMAIN}"


# Organisations, parents before their children ---------------------------------------------

ORGANISATIONS: tuple[OrganisationData, ...] = (
    # Denmark: Copenhagen, its seven departments (forvaltninger) and Innovationshuset.
    OrganisationData(
        "kobenhavn",
        "Københavns Kommune",
        MUNICIPALITY,
        "DK",
        "#00558c",
        "Hovedstadens kommune, hvor syv forvaltninger under Borgerrepræsentationen "
        "driver byens velfærd, skoler, veje og kultur.",
        national_id="64942212",
        website="https://www.kk.dk",
    ),
    OrganisationData(
        "kobenhavn-okf",
        "Økonomiforvaltningen",
        DEPARTMENT,
        "DK",
        "#1f4e79",
        "Styrer kommunens samlede budget og koordinerer de opgaver, der går på tværs af "
        "forvaltningerne.",
        parent="kobenhavn",
    ),
    OrganisationData(
        "kobenhavn-buf",
        "Børne- og Ungdomsforvaltningen",
        DEPARTMENT,
        "DK",
        "#e07b00",
        "Driver byens dagtilbud, skoler og fritidstilbud for børn og unge.",
        parent="kobenhavn",
    ),
    OrganisationData(
        "kobenhavn-kff",
        "Kultur- og Fritidsforvaltningen",
        DEPARTMENT,
        "DK",
        "#7a3e9d",
        "Har ansvaret for byens biblioteker, kulturhuse og idrætsanlæg.",
        parent="kobenhavn",
    ),
    OrganisationData(
        "kobenhavn-suf",
        "Sundheds- og Omsorgsforvaltningen",
        DEPARTMENT,
        "DK",
        "#2e7d32",
        "Tager sig af ældrepleje, plejehjem og forebyggende sundhedstilbud til københavnerne.",
        parent="kobenhavn",
    ),
    OrganisationData(
        "kobenhavn-sof",
        "Socialforvaltningen",
        DEPARTMENT,
        "DK",
        "#ad1457",
        "Støtter børn, unge og voksne med særlige behov, fra udsatte familier til borgere "
        "med handicap.",
        parent="kobenhavn",
    ),
    OrganisationData(
        "kobenhavn-tmf",
        "Teknik- og Miljøforvaltningen",
        DEPARTMENT,
        "DK",
        "#00796b",
        "Planlægger og vedligeholder byens gader, parker og byggeri og passer på miljøet.",
        parent="kobenhavn",
    ),
    OrganisationData(
        "kobenhavn-bif",
        "Beskæftigelses- og Integrationsforvaltningen",
        DEPARTMENT,
        "DK",
        "#5d4037",
        "Hjælper ledige københavnere i arbejde eller uddannelse og nye borgere godt i gang.",
        parent="kobenhavn",
    ),
    OrganisationData(
        "kobenhavn-innovationshuset",
        "Innovationshuset",
        DEPARTMENT,
        "DK",
        "#c62828",
        "Kommunens fælles værksted på Halmtorvet i Kødbyen, hvor forvaltningerne afprøver "
        "nye idéer med brugere, leverandører og iværksættere.",
        parent="kobenhavn",
    ),
    OrganisationData(
        "kobenhavn-koncern-it",
        "Koncern IT",
        DEPARTMENT,
        "DK",
        "#37474f",
        "Kommunens fælles it-enhed, som stiller databanken til rådighed og hjælper "
        "forvaltningerne med data, sikkerhed og teknik.",
        parent="kobenhavn-okf",
    ),
    # Denmark: the other municipalities, from the light partnership and the scaling processes.
    OrganisationData(
        "aarhus",
        "Aarhus Kommune",
        MUNICIPALITY,
        "DK",
        "#005e9e",
        "Danmarks næststørste kommune, som sammen med København har udviklet biologisk lys "
        "til plejehjem.",
        national_id="55133018",
        website="https://www.aarhus.dk",
    ),
    OrganisationData(
        "frederiksberg",
        "Frederiksberg Kommune",
        MUNICIPALITY,
        "DK",
        "#2b5f3a",
        "Kommunen midt i København, som deltager i arbejdet for emissionsfrie byggepladser.",
        national_id="11259979",
        website="https://www.frederiksberg.dk",
    ),
    OrganisationData(
        "aalborg",
        "Aalborg Kommune",
        MUNICIPALITY,
        "DK",
        "#0b6e99",
        "Nordjysk storkommune med i den fælles indsats for emissionsfrie arbejdsmaskiner.",
        national_id="29189420",
        website="https://www.aalborg.dk",
    ),
    OrganisationData(
        "esbjerg",
        "Esbjerg Kommune",
        MUNICIPALITY,
        "DK",
        "#1565c0",
        "Vestjysk havneby, der er med til at efterspørge arbejdsmaskiner uden udledning.",
        national_id="29189803",
        website="https://www.esbjerg.dk",
    ),
    OrganisationData(
        "middelfart",
        "Middelfart Kommune",
        MUNICIPALITY,
        "DK",
        "#00838f",
        "Fynsk kommune ved Lillebælt, som deltager i skaleringen af emissionsfrie byggepladser.",
        national_id="29189684",
        website="https://www.middelfart.dk",
    ),
    OrganisationData(
        "holbaek",
        "Holbæk Kommune",
        MUNICIPALITY,
        "DK",
        "#6a8e23",
        "Sjællandsk kommune, som arbejder med andre bygherrer for at bruge færre råstoffer.",
        national_id="29189447",
        website="https://www.holbaek.dk",
    ),
    # Denmark: regions and the hospital behind Behovsfabrikken.
    OrganisationData(
        "region-hovedstaden",
        "Region Hovedstaden",
        REGION,
        "DK",
        "#003d73",
        "Regionen, der driver hospitalerne i hovedstadsområdet og køber ind til dem i fællesskab.",
        website="https://www.regionh.dk",
    ),
    OrganisationData(
        "bispebjerg-frederiksberg-hospital",
        "Bispebjerg og Frederiksberg Hospital",
        DEPARTMENT,
        "DK",
        "#0277bd",
        "Hospital i Region Hovedstaden, hvor Behovsfabrikken gør personalets behov til "
        "innovative indkøb.",
        parent="region-hovedstaden",
    ),
    OrganisationData(
        "region-sjaelland",
        "Region Sjælland",
        REGION,
        "DK",
        "#00695c",
        "Regionen syd og vest for hovedstaden, som er med i processen om mindre råstofforbrug.",
        website="https://www.regionsjaelland.dk",
    ),
    # Denmark: state agencies and the national centre.
    OrganisationData(
        "vejdirektoratet",
        "Vejdirektoratet",
        STATE_AGENCY,
        "DK",
        "#f9a825",
        "Statens myndighed for statsvejene, som deltager i begge CO-PI's skaleringsprocesser.",
        website="https://www.vejdirektoratet.dk",
    ),
    OrganisationData(
        "banedanmark",
        "Banedanmark",
        STATE_AGENCY,
        "DK",
        "#b71c1c",
        "Statens virksomhed for jernbanenettet, med i arbejdet for at spare på råstofferne.",
        website="https://www.bane.dk",
    ),
    # CO-PI runs national scaling processes for public buyers; it is loaded as a public
    # body (not a cluster) so that its staff see the records shared among the public sector.
    OrganisationData(
        "co-pi",
        "CO-PI",
        STATE_AGENCY,
        "DK",
        "#4a148c",
        "Nationalt center, der samler offentlige indkøbere om fælles udfordringer og "
        "fremmer innovative indkøb gennem skaleringsprocesser.",
    ),
    # Denmark: publicly owned companies, clusters, universities and private companies.
    OrganisationData(
        "metroselskabet",
        "Metroselskabet",
        COMPANY,
        "DK",
        "#d32f2f",
        "Bygger og ejer metroen i København og er med i indsatsen for emissionsfrie byggepladser.",
        website="https://www.m.dk",
    ),
    OrganisationData(
        "hofor",
        "HOFOR",
        COMPANY,
        "DK",
        "#0288d1",
        "Hovedstadsområdets forsyningsselskab for vand, fjernvarme og spildevand.",
        website="https://www.hofor.dk",
    ),
    OrganisationData(
        "klar-forsyning",
        "KLAR Forsyning",
        COMPANY,
        "DK",
        "#26a69a",
        "Sjællandsk forsyningsselskab, som deltager i processen om mindre råstofforbrug.",
    ),
    OrganisationData(
        "aarhus-havn",
        "Aarhus Havn",
        COMPANY,
        "DK",
        "#1a237e",
        "Østjysk erhvervshavn, der deltager i indsatsen for emissionsfrie arbejdsmaskiner.",
    ),
    OrganisationData(
        "gate-21",
        "Gate 21",
        CLUSTER,
        "DK",
        "#43a047",
        "Partnerskab af kommuner, regioner, virksomheder og forskere om den grønne omstilling.",
        website="https://www.gate21.dk",
    ),
    OrganisationData(
        "we-build-denmark",
        "WE BUILD DENMARK",
        CLUSTER,
        "DK",
        "#ef6c00",
        "Dansk klynge for byggeri og anlæg, som bringer virksomheder ind i skaleringsprocesserne.",
    ),
    OrganisationData(
        "danish-life-science-cluster",
        "Danish Life Science Cluster",
        CLUSTER,
        "DK",
        "#00897b",
        "Dansk klynge for life science og sundhedsinnovation.",
    ),
    OrganisationData(
        "roskilde-universitet",
        "Roskilde Universitet",
        KNOWLEDGE_INSTITUTION,
        "DK",
        "#005a4b",
        "Universitet, hvor Institut for Samfundsvidenskab og Erhverv forsker i offentlig "
        "innovation og indkøb.",
        website="https://ruc.dk",
    ),
    OrganisationData(
        "it-universitetet",
        "IT-Universitetet i København",
        KNOWLEDGE_INSTITUTION,
        "DK",
        "#3949ab",
        "Universitet for it, som har været med til Socialforvaltningens hackathons.",
        website="https://www.itu.dk",
    ),
    OrganisationData(
        "rise-digital",
        "Rise Digital",
        COMPANY,
        "DK",
        "#ff7043",
        "Digitalt bureau, der udvikler brugervenlige platforme og deltog i workshoppen om "
        "kommunens indkøb.",
    ),
    OrganisationData(
        "trendsonline",
        "Trendsonline",
        COMPANY,
        "DK",
        "#8d6e63",
        "Dansk netmedie, der dækkede Innovationshusets første workshop med virksomheder.",
    ),
    # Norway: Oslo with UKE and the two districts of the innovation programme.
    OrganisationData(
        "oslo",
        "Oslo kommune",
        MUNICIPALITY,
        "NO",
        "#2a2859",
        "Norges hovedstad, der bydeler og etater samarbeider om bedre tjenester til innbyggerne.",
        national_id="958935420",
        website="https://www.oslo.kommune.no",
    ),
    # UKE is a municipal agency (etat), not a state one: a department of Oslo.
    OrganisationData(
        "oslo-uke",
        "Utviklings- og kompetanseetaten (UKE)",
        DEPARTMENT,
        "NO",
        "#1f42aa",
        "Oslo kommunes etat for digitalisering og kompetanse, med et nytt prosjektkontor som "
        "koordinerer innovasjonsprogrammet.",
        parent="oslo",
    ),
    OrganisationData(
        "oslo-alna",
        "Bydel Alna",
        DISTRICT,
        "NO",
        "#034b45",
        "Bydel i Groruddalen som tester nye løsninger for bydelenes service- og støttetjenester.",
        parent="oslo",
    ),
    OrganisationData(
        "oslo-stovner",
        "Bydel Stovner",
        DISTRICT,
        "NO",
        "#6fe9ff",
        "Bydel i Groruddalen som vil gjøre lokale erfaringer nyttige for resten av kommunen.",
        parent="oslo",
    ),
    OrganisationData(
        "digdir",
        "Digitaliseringsdirektoratet (Digdir)",
        STATE_AGENCY,
        "NO",
        "#0062ba",
        "Statens fagorgan for digitalisering, som forvalter Prosjektveiviseren etter Difi.",
        website="https://www.digdir.no",
    ),
    OrganisationData(
        "lup",
        "Leverandørutviklingsprogrammet (LUP)",
        CLUSTER,
        "NO",
        "#e65100",
        "Nasjonalt program som hjelper offentlige innkjøpere å bruke markedsdialog og "
        "innovative anskaffelser.",
    ),
    # Sweden: Helsingborg, its innovation hub and the hub's partners.
    OrganisationData(
        "helsingborg",
        "Helsingborgs stad",
        MUNICIPALITY,
        "SE",
        "#0072b9",
        "Skånsk stad som driver sin digitalisering tillsammans med näringsliv och invånare.",
        website="https://helsingborg.se",
    ),
    OrganisationData(
        "helsingborg-innovationshubben",
        "Innovationshubben",
        DEPARTMENT,
        "SE",
        "#e2007a",
        "Stadens accelerator där coacher, tjänstedesigner och utvecklare tar idéer vidare "
        "tillsammans med partner.",
        parent="helsingborg",
        website="https://hubben.helsingborg.se",
    ),
    OrganisationData(
        "oresundskraft",
        "Öresundskraft",
        COMPANY,
        "SE",
        "#00a19a",
        "Energibolag i Helsingborg och en av de första partnerna i innovationshubben.",
        website="https://www.oresundskraft.se",
    ),
    OrganisationData(
        "atea",
        "Atea Sverige",
        COMPANY,
        "SE",
        "#1e3a5f",
        "It-leverantör som driver egna innovationsprojekt i Helsingborgs innovationshubb.",
        website="https://www.atea.se",
    ),
    OrganisationData(
        "sogeti",
        "Sogeti Sverige",
        COMPANY,
        "SE",
        "#0070ad",
        "Konsultbolag inom it och testning, partner i Helsingborgs innovationshubb.",
        website="https://www.sogeti.se",
    ),
    OrganisationData(
        "ideon-open",
        "Ideon Open",
        CLUSTER,
        "SE",
        "#7cb342",
        "Arena för öppen innovation i Lund som ledde hubbens första visionsworkshop.",
    ),
)


# People -------------------------------------------------------------------------------------


def _at(organisation: str, role: str = MEMBER) -> tuple[MembershipData, ...]:
    return (MembershipData(organisation, role),)


# The demo sign-ins, one per role; each password equals the user name.
SIGN_INS: tuple[PersonData, ...] = (
    PersonData(
        "demo",
        "Ditte",
        "Holm",
        "Innovationsleder",
        "da",
        (
            MembershipData("kobenhavn", INNOVATION_LEAD),
            # A second organisation, so that the organisation switcher shows.
            MembershipData("kobenhavn-innovationshuset"),
        ),
        password="demo",
    ),
    PersonData(
        "member",
        "Mikkel",
        "Nørgaard",
        "Sagsbehandler",
        "da",
        _at("kobenhavn-sof"),
        password="member",
    ),
    PersonData(
        "procurement",
        "Pernille",
        "Friis",
        "Indkøbskonsulent",
        "da",
        _at("kobenhavn", PROCUREMENT_OFFICER),
        password="procurement",
    ),
    PersonData(
        "admin",
        "Anders",
        "Kjær",
        "Systemansvarlig",
        "da",
        _at("kobenhavn", ADMIN),
        password="admin",
    ),
    PersonData(
        "board",
        "Kristin",
        "Haugen",
        "Medlem av programstyret",
        "nb",
        _at("oslo", BOARD_MEMBER),
        password="board",
    ),
    PersonData(
        "oslo",
        "Eirik",
        "Lie",
        "Innovasjonsleder",
        "nb",
        _at("oslo-uke", INNOVATION_LEAD),
        password="oslo",
    ),
    PersonData(
        "helsingborg",
        "Elin",
        "Lindqvist",
        "Innovationsledare",
        "sv",
        _at("helsingborg", INNOVATION_LEAD),
        password="helsingborg",
    ),
    PersonData(
        "supplier",
        "Johan",
        "Ek",
        "Lösningsarkitekt",
        "sv",
        _at("atea"),
        password="supplier",
    ),
)

# People named in the seeds, with the titles given there; they cannot sign in.
SEED_PEOPLE: tuple[PersonData, ...] = (
    PersonData(
        "diana.arsovic",
        "Diana",
        "Arsovic",
        "Innovationschef",
        "da",
        _at("kobenhavn-innovationshuset", INNOVATION_LEAD),
    ),
    PersonData(
        "miriam.lerkenfeld",
        "Miriam",
        "Lerkenfeld",
        "Innovationskonsulent",
        "da",
        _at("kobenhavn-innovationshuset"),
    ),
    PersonData(
        "bjarne.winge",
        "Bjarne",
        "Winge",
        "Økonomidirektør",
        "da",
        _at("kobenhavn-okf", BOARD_MEMBER),
    ),
    PersonData(
        "janne.schirmer",
        "Janne",
        "Schirmer",
        "Klyngeleder, Klynge Ø10",
        "da",
        _at("kobenhavn-buf"),
    ),
    PersonData(
        "lene.vad.jensen",
        "Lene",
        "Vad Jensen",
        "Chefkonsulent",
        "da",
        _at("kobenhavn"),
    ),
    PersonData(
        "jonas.grandal",
        "Jonas",
        "Grandal",
        "Udviklingschef",
        "da",
        _at("rise-digital"),
    ),
    PersonData(
        "matilde.gammelgaard",
        "Matilde",
        "Rodriguez Gammelgaard",
        "Projektleder",
        "da",
        _at("aarhus", INNOVATION_LEAD),
    ),
    PersonData(
        "louise.thomsen",
        "Louise",
        "Brink Thomsen",
        "Projektleder, Koncernindkøb",
        "da",
        _at("region-hovedstaden", PROCUREMENT_OFFICER),
    ),
    PersonData(
        "brian.kristensen",
        "Brian",
        "Holck Kristensen",
        "Innovationschef",
        "da",
        _at("bispebjerg-frederiksberg-hospital", INNOVATION_LEAD),
    ),
    PersonData(
        "rikke.haahr",
        "Rikke",
        "Thorlund Haahr",
        "Chefkonsulent",
        "da",
        _at("co-pi"),
    ),
    PersonData(
        "lene.jeppesen",
        "Lene",
        "Krogh Jeppesen",
        "Chefkonsulent",
        "da",
        _at("co-pi"),
    ),
    PersonData(
        "annemarie.berg",
        "Anne Marie",
        "Berg",
        "Seniorprojektleder, skaleringsprocesser",
        "da",
        _at("co-pi", INNOVATION_LEAD),
    ),
    PersonData(
        "lena.brogaard",
        "Lena",
        "Brogaard",
        "Lektor, Institut for Samfundsvidenskab og Erhverv",
        "da",
        _at("roskilde-universitet"),
    ),
    PersonData(
        "marit.forseth",
        "Marit",
        "Forseth",
        "Etatsdirektør",
        "nb",
        _at("oslo-uke", BOARD_MEMBER),
    ),
    PersonData(
        "tore.pran",
        "Tore",
        "Olsen Pran",
        "Bydelsdirektør",
        "nb",
        _at("oslo-alna", BOARD_MEMBER),
    ),
    PersonData(
        "alv.sorland",
        "Alv",
        "Humborstad Sørland",
        "Bydelsdirektør",
        "nb",
        _at("oslo-stovner", BOARD_MEMBER),
    ),
    PersonData(
        "riche.vestby",
        "Riche",
        "Vestby",
        "Innovasjonspådriver",
        "nb",
        _at("lup"),
    ),
)

PEOPLE: tuple[PersonData, ...] = SIGN_INS + SEED_PEOPLE


# Loading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadCounts:
    """Rows in the demo data, and how many of them this run created or changed."""

    organisations: int
    users: int
    memberships: int
    created: int
    updated: int


def _apply(instance: models.Model, values: Mapping[str, object]) -> bool:
    """Copy ``values`` onto ``instance``; report whether anything differed."""
    changed = False
    for field, value in values.items():
        if getattr(instance, field) != value:
            setattr(instance, field, value)
            changed = True
    return changed


def _upsert_organisation(
    data: OrganisationData, by_slug: dict[str, Organisation]
) -> tuple[Organisation, bool, bool]:
    values = {
        "name": data.name,
        "kind": data.kind,
        "country": data.country,
        "national_id": data.national_id,
        "parent_id": by_slug[data.parent].pk if data.parent else None,
        "currency": CURRENCY_OF_COUNTRY[Country(data.country)],
        "theme_colour": data.theme_colour,
        "website": data.website,
        "description": data.description,
        "visibility": Visibility.PUBLIC,
    }
    organisation = Organisation.objects.filter(slug=data.slug).first()
    created = organisation is None
    if organisation is None:
        organisation = Organisation(slug=data.slug)
    changed = _apply(organisation, values)
    if created or changed:
        # Catches malformed data (a colour, a URL); uniqueness is the database's job, and
        # asking for it here would cost a query per constraint and row.
        organisation.full_clean(validate_unique=False, validate_constraints=False)
        organisation._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
        organisation.save()
    return organisation, created, changed and not created


def _upsert_user(data: PersonData) -> tuple[User, bool, bool]:
    values = {
        "email": data.email,
        "first_name": data.first_name,
        "last_name": data.last_name,
        "job_title": data.job_title,
        "language": data.language,
        "is_active": True,
    }
    user = User.objects.filter(username=data.username).first()
    created = user is None
    if user is None:
        user = User(username=data.username)
        if not data.password:
            user.set_unusable_password()
    changed = _apply(user, values)
    if created or changed:
        if data.password:
            user.set_password(data.password)
        user.full_clean(exclude=["password"], validate_unique=False)
        user._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
        user.save()
    elif data.password:
        # Reset every run so the demo sign-ins work even after someone changed a password.
        # The history leaves passwords out, so this save need not add a history row.
        user.set_password(data.password)
        user.save_without_historical_record(update_fields=["password"])  # type: ignore[attr-defined]
    return user, created, changed and not created


def _upsert_membership(
    user: User, data: MembershipData, by_slug: dict[str, Organisation], roles: dict[str, Role]
) -> tuple[bool, bool]:
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=by_slug[data.organisation]
    )
    # As in services: membership is the member role, so only the roles above it are stored.
    wanted = set() if data.role == MEMBER else {data.role}
    current = set(membership.roles.values_list("code", flat=True))
    if wanted != current:
        membership.roles.set([roles[code] for code in wanted])
    return created, wanted != current and not created


@transaction.atomic
def load_demo(stdout: TextIO | None = None) -> LoadCounts:
    """Create or update the demo organisations, people and memberships.

    ``stdout`` receives a progress bar; without it the load is silent.
    """
    memberships = [(person, m) for person in PEOPLE for m in person.memberships]
    total = len(ORGANISATIONS) + len(PEOPLE) + len(memberships)
    created = updated = 0
    with tqdm(
        total=total, file=stdout, disable=stdout is None, unit="row", desc="organisations"
    ) as progress:
        by_slug: dict[str, Organisation] = {}
        for organisation_data in ORGANISATIONS:
            organisation, was_created, was_updated = _upsert_organisation(
                organisation_data, by_slug
            )
            by_slug[organisation.slug] = organisation
            created += was_created
            updated += was_updated
            progress.update()

        progress.set_description("people")
        users: dict[str, User] = {}
        for person in PEOPLE:
            user, was_created, was_updated = _upsert_user(person)
            users[person.username] = user
            created += was_created
            updated += was_updated
            progress.update()

        progress.set_description("memberships")
        roles = {role.code: role for role in Role.objects.all()}
        for person, membership_data in memberships:
            was_created, was_updated = _upsert_membership(
                users[person.username], membership_data, by_slug, roles
            )
            created += was_created
            updated += was_updated
            progress.update()

    return LoadCounts(
        organisations=len(ORGANISATIONS),
        users=len(PEOPLE),
        memberships=len(memberships),
        created=created,
        updated=updated,
    )


def sign_in_rows() -> list[tuple[str, str, str, str]]:
    """(user name, password, organisations, roles) of each demo sign-in, for the table."""
    plain = {data.slug: data.name for data in ORGANISATIONS}
    # "Københavns Kommune › Socialforvaltningen": a department's name alone is ambiguous.
    names = {
        data.slug: f"{plain[data.parent]} › {data.name}" if data.parent else data.name
        for data in ORGANISATIONS
    }
    rows = []
    for person in SIGN_INS:
        organisations = "; ".join(names[m.organisation] for m in person.memberships)
        roles = "; ".join(str(Role.Code(m.role).label) for m in person.memberships)
        rows.append((person.username, person.password, organisations, roles))
    return rows
