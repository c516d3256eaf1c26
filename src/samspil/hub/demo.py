"""The demo hub behind ``manage.py load_demo``, from seed 002: Helsingborg's innovation hub
(Innovationshubben) with its first partners Öresundskraft, Atea and Sogeti, each running a
project of its own in the hub with co-financing, the showcase days where the projects show
their results, and the hub's competence pool (coaches, service designers, requirements
specialists, architects, developers) assigned to the city's pilots.

Texts are our own, in Swedish. The partners' projects, their amounts and the pool's people
are invented and say so ("demodata"); the seed names only the partners and the competences.
Loading is idempotent: the hub is found again by (owner, name), a partner by (hub,
organisation), a pilot by (owner, title), an event by (owner, title), a pool member by
(organisation, user), an assignment by (member, pilot or event); what exists is left
alone. Like the other demo loaders it writes with the ORM. It runs after the core, needs,
events and pilots demos and loads nothing without the core demo's organisations.

``helsingborg_hub()`` finds or creates the hub alone, for the resource demo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import models, transaction
from django.utils import timezone

from samspil.core.demo import CHANGE_REASON, EMAIL_DOMAIN
from samspil.core.models import Membership, Organisation, User, Visibility
from samspil.events.models import Event, EventKind
from samspil.pilots.models import MaturityStage, Pilot, PilotKind, PilotStatus

from .models import Assignment, Competence, Hub, Partner, PartnerProject, PoolMember

HUB_OWNER = "helsingborg-innovationshubben"
HUB_NAME = "Innovationshubben"
CITY = "helsingborg"
PARTNER_SLUGS = ("oresundskraft", "atea", "sogeti")


@dataclass
class HubLoadCounts:
    """Rows of the hub demo, and how many of them this run created."""

    hubs: int = 0
    partners: int = 0
    projects: int = 0
    showcase_days: int = 0
    pool_members: int = 0
    assignments: int = 0
    created: int = 0


def _save(instance: models.Model, counts: HubLoadCounts | None = None) -> None:
    instance._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
    instance.save()
    if counts is not None:
        counts.created += 1


def helsingborg_hub() -> Hub:
    """Helsingborg's innovation hub, made if missing (the core demo must have run)."""
    owner = Organisation.objects.get(slug=HUB_OWNER)
    hub = Hub.objects.filter(owner=owner, name=HUB_NAME).first()
    if hub is None:
        hub = Hub(
            owner=owner,
            name=HUB_NAME,
            description=(
                "Stadens accelerator för innovation och digitalisering. Här arbetar "
                "innovationscoacher, tjänstedesigner, kravspecialister, verksamhetsutvecklare, "
                "it-arkitekter och utvecklare tillsammans med förvaltningarna och våra partner "
                "från näringslivet. Vi pretotypar, prototypar och gör proof of concept, och "
                "projekten visar sina resultat för varandra. Förvaltningarnas projekt kan "
                "låna en fast projektyta under en period."
            ),
            address="Helsingborg",
            website="https://hubben.helsingborg.se",
            visibility=Visibility.PUBLIC,
        )
        _save(hub)
    return hub


# Partners and their own projects -----------------------------------------------------------


@dataclass(frozen=True)
class ProjectData:
    title: str
    hypothesis: str
    description: str
    maturity: str
    starts: int  # days from today
    ends: int
    co_financing: Decimal
    lead: str = ""


@dataclass(frozen=True)
class PartnerData:
    organisation: str
    since: date
    contribution: str
    project: ProjectData


PARTNERS = (
    PartnerData(
        "oresundskraft",
        date(2018, 5, 1),
        "Medfinansierar hubben och har två medarbetare på plats varje vecka. Bidrar med "
        "kunskap om energi, fjärrvärme och data från stadens fastigheter.",
        ProjectData(
            "Energidata som stadens förvaltningar förstår",
            "Om förvaltningarna ser sin energianvändning timme för timme i ett enkelt verktyg "
            "hittar de själva åtgärder som sänker förbrukningen.",
            "Öresundskrafts eget projekt i hubben: en prototyp som visar fastigheternas "
            "energidata för verksamheterna (demodata).",
            MaturityStage.PROTOTYPE,
            -60,
            120,
            Decimal(400_000),
        ),
    ),
    PartnerData(
        "atea",
        date(2018, 5, 1),
        "Medfinansierar hubben och bidrar med utvecklare, it-arkitektur och digitala "
        "verktyg. Håller i tematiska kompetensdagar om AI.",
        ProjectData(
            "AI-stöd för stadens kontaktcenter",
            "Om handläggarna i kontaktcentret får förslag på svar från tidigare ärenden "
            "svarar de invånarna snabbare utan att kvaliteten sjunker.",
            "Ateas eget projekt i hubben: en pretotyp där svarsförslagen först tas fram för "
            "hand, för att se om handläggarna vill använda dem (demodata).",
            MaturityStage.PRETOTYPE,
            -30,
            150,
            Decimal(300_000),
            lead="supplier",
        ),
    ),
    PartnerData(
        "sogeti",
        date(2018, 5, 1),
        "Medfinansierar hubben och bidrar med testare och metoder för agil utveckling "
        "och kvalitetssäkring.",
        ProjectData(
            "Automatiserade tester av stadens e-tjänster",
            "Om stadens e-tjänster testas automatiskt vid varje ändring hittas felen innan "
            "invånarna gör det, och förvaltningarna vågar ändra oftare.",
            "Sogetis eget projekt i hubben: ett proof of concept på tre e-tjänster (demodata).",
            MaturityStage.PROOF_OF_CONCEPT,
            -120,
            60,
            Decimal(250_000),
        ),
    ),
)


def _partner_pilot(owner: Organisation, data: ProjectData, counts: HubLoadCounts) -> Pilot:
    pilot = Pilot.objects.filter(owner=owner, title=data.title).first()
    if pilot is None:
        today = timezone.localdate()
        pilot = Pilot(
            owner=owner,
            title=data.title,
            hypothesis=data.hypothesis,
            description=data.description,
            kind=PilotKind.SANDBOX,
            starts_on=today + timedelta(days=data.starts),
            planned_end_on=today + timedelta(days=data.ends),
            status=PilotStatus.RUNNING,
            maturity=data.maturity,
            visibility=Visibility.PUBLIC,
            lead=User.objects.filter(username=data.lead).first() if data.lead else None,
        )
        _save(pilot, counts)
    return pilot


def _load_partners(hub: Hub, by_slug: dict[str, Organisation], counts: HubLoadCounts) -> None:
    for data in PARTNERS:
        organisation = by_slug[data.organisation]
        partner = Partner.objects.filter(hub=hub, organisation=organisation).first()
        if partner is None:
            partner = Partner(
                hub=hub,
                organisation=organisation,
                since=data.since,
                contribution=data.contribution,
            )
            _save(partner, counts)
        pilot = _partner_pilot(organisation, data.project, counts)
        if not PartnerProject.objects.filter(partner=partner, pilot=pilot).exists():
            _save(
                PartnerProject(
                    partner=partner,
                    pilot=pilot,
                    co_financing=data.project.co_financing,
                    currency="SEK",
                ),
                counts,
            )
        counts.partners += 1
        counts.projects += 1


# Showcase days ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ShowcaseData:
    title: str
    place: str
    agenda: str
    day: date | int  # a date, or days from today
    starts: time
    hours: int
    capacity: int


SHOWCASE_DAYS = (
    ShowcaseData(
        "Innovationshubbens vision på Skåne Innovation Week",
        "Varvshallen, Malmö",
        "Visionen från den första workshoppen\nPartnerna berättar om sina projekt\n"
        "Intresseanmälan för fler partner",
        date(2018, 5, 30),
        time(10),
        6,
        150,
    ),
    ShowcaseData(
        "Visningsdag i innovationshubben",
        "Innovationshubben, Helsingborg",
        "Projekten visar hel- och delresultat\nÖresundskraft: energidata\n"
        "Atea: AI-stöd i kontaktcentret\nSogeti: automatiserade tester\nFika och frågor",
        21,
        time(13),
        3,
        60,
    ),
)


def _at(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _load_showcase_days(owner: Organisation, counts: HubLoadCounts) -> list[Event]:
    events = []
    organiser = User.objects.filter(username=CITY).first()
    for data in SHOWCASE_DAYS:
        event = Event.objects.filter(owner=owner, title=data.title).first()
        if event is None:
            day = (
                data.day
                if isinstance(data.day, date)
                else timezone.localdate() + timedelta(days=data.day)
            )
            starts_at = _at(day, data.starts)
            event = Event(
                owner=owner,
                title=data.title,
                kind=EventKind.SHOWCASE,
                place=data.place,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=data.hours),
                capacity=data.capacity,
                agenda=data.agenda,
                visibility=Visibility.PUBLIC,
                created_by=organiser,
            )
            _save(event, counts)
            if organiser is not None:
                event.organisers.add(organiser)
        events.append(event)
        counts.showcase_days += 1
    return events


# The competence pool -------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolPersonData:
    username: str
    first_name: str
    last_name: str
    job_title: str
    competences: tuple[str, ...]
    available: int
    note: str = ""


# Elin Lindqvist (the Helsingborg sign-in) coaches; the others are invented hub staff.
POOL = (
    PoolPersonData(
        CITY, "Elin", "Lindqvist", "Innovationsledare", (Competence.INNOVATION_COACH,), 40
    ),
    PoolPersonData(
        "maja.holm",
        "Maja",
        "Holm",
        "Tjänstedesigner",
        (Competence.SERVICE_DESIGNER, Competence.INNOVATION_COACH),
        80,
    ),
    PoolPersonData(
        "henrik.sjoberg",
        "Henrik",
        "Sjöberg",
        "Kravspecialist",
        (Competence.REQUIREMENTS_SPECIALIST, Competence.BUSINESS_DEVELOPER),
        30,
        "Går ner från 60 till 30 % i hubben när upphandlingen av e-arkivet startar "
        "(demodata); uppdragen behöver fördelas om.",
    ),
    PoolPersonData(
        "oskar.lund",
        "Oskar",
        "Lund",
        "It-arkitekt",
        (Competence.IT_ARCHITECT, Competence.DEVELOPER),
        60,
    ),
    PoolPersonData(
        "fatima.said",
        "Fatima",
        "Said",
        "Utvecklare",
        (Competence.DEVELOPER, Competence.DATA_SCIENTIST),
        100,
    ),
)


@dataclass(frozen=True)
class AssignmentData:
    person: str
    pilot: str  # a Helsingborg pilot's title, or "" for the upcoming showcase day
    competence: str
    starts: int  # days from today
    ends: int
    percent: int


BOOKING_SITE = "Resurssajt för bokningsbara lokaler"
STUDY_VISITS = "Virtuella studiebesök för studie- och yrkesvägledningen"
INVOICE_ROBOT = "Robotkontering av leverantörsfakturor"
SKILLS_EXCHANGE = "Kompetensväxeln"

ASSIGNMENTS = (
    AssignmentData(CITY, BOOKING_SITE, Competence.INNOVATION_COACH, -75, 105, 20),
    AssignmentData(CITY, INVOICE_ROBOT, Competence.INNOVATION_COACH, -20, 70, 10),
    AssignmentData("maja.holm", BOOKING_SITE, Competence.SERVICE_DESIGNER, -75, 60, 50),
    AssignmentData("maja.holm", STUDY_VISITS, Competence.SERVICE_DESIGNER, -150, 30, 20),
    AssignmentData("maja.holm", "", Competence.INNOVATION_COACH, 21, 21, 10),
    # Booked while Henrik had 60 % for the hub; now that he has 30 % he is over-booked.
    AssignmentData("henrik.sjoberg", BOOKING_SITE, Competence.REQUIREMENTS_SPECIALIST, -60, 45, 30),
    AssignmentData("henrik.sjoberg", INVOICE_ROBOT, Competence.BUSINESS_DEVELOPER, -20, 70, 20),
    AssignmentData("oskar.lund", BOOKING_SITE, Competence.IT_ARCHITECT, -45, 105, 30),
    AssignmentData("oskar.lund", SKILLS_EXCHANGE, Competence.IT_ARCHITECT, 30, 120, 20),
    AssignmentData("fatima.said", BOOKING_SITE, Competence.DEVELOPER, -45, 105, 60),
    AssignmentData("fatima.said", INVOICE_ROBOT, Competence.DATA_SCIENTIST, -20, 70, 40),
)


def _person(data: PoolPersonData, department: Organisation, counts: HubLoadCounts) -> User:
    user = User.objects.filter(username=data.username).first()
    if user is None:
        user = User(
            username=data.username,
            email=f"{data.username}@{EMAIL_DOMAIN}",
            first_name=data.first_name,
            last_name=data.last_name,
            job_title=data.job_title,
            language="sv",
        )
        user.set_unusable_password()
        _save(user, counts)
    if data.username != CITY:  # Elin is a member of the city, above the hub
        _, created = Membership.objects.get_or_create(user=user, organisation=department)
        counts.created += created
    return user


def _load_pool(hub: Hub, department: Organisation, showcase: Event, counts: HubLoadCounts) -> None:
    members: dict[str, PoolMember] = {}
    for data in POOL:
        user = _person(data, department, counts)
        member = PoolMember.objects.filter(organisation=department, user=user).first()
        if member is None:
            member = PoolMember(
                organisation=department,
                hub=hub,
                user=user,
                competences=list(data.competences),
                available_percent=data.available,
                note=data.note,
            )
            _save(member, counts)
        members[data.username] = member
        counts.pool_members += 1
    titles = {a.pilot for a in ASSIGNMENTS if a.pilot}
    city = Organisation.objects.get(slug=CITY)
    pilots = {p.title: p for p in Pilot.objects.filter(owner=city, title__in=titles)}
    today = timezone.localdate()
    for row in ASSIGNMENTS:
        pilot = pilots.get(row.pilot) if row.pilot else None
        if row.pilot and pilot is None:
            continue  # the pilots demo has not been loaded
        member = members[row.person]
        target = {"pilot": pilot} if pilot else {"event": showcase}
        starts_on = (
            max(today + timedelta(days=row.starts), pilot.starts_on)
            if pilot
            else timezone.localtime(showcase.starts_at).date()
        )
        ends_on = max(starts_on, today + timedelta(days=row.ends)) if pilot else starts_on
        if not Assignment.objects.filter(member=member, **target).exists():
            _save(
                Assignment(
                    member=member,
                    competence=row.competence,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    percent=row.percent,
                    **target,
                ),
                counts,
            )
        counts.assignments += 1


@transaction.atomic
def load_hub_demo() -> HubLoadCounts:
    """Create the demo hub, its partners with their projects, showcase days and competence
    pool where missing; leave existing rows alone."""
    counts = HubLoadCounts()
    slugs = {HUB_OWNER, CITY, *PARTNER_SLUGS}
    by_slug = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    if set(by_slug) != slugs:
        return counts  # the core demo has not been loaded
    existed = Hub.objects.filter(owner=by_slug[HUB_OWNER], name=HUB_NAME).exists()
    hub = helsingborg_hub()
    counts.created += not existed
    counts.hubs = 1
    _load_partners(hub, by_slug, counts)
    events = _load_showcase_days(by_slug[HUB_OWNER], counts)
    _load_pool(hub, by_slug[HUB_OWNER], events[-1], counts)
    return counts
