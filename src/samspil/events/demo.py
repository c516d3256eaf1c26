"""The demo events behind ``manage.py load_demo``, from seeds 000 and 004.

- Copenhagen's Innovationshuset held its first co-creation workshop with companies on the
  municipality's digital purchasing experience (DKK 11.4 billion of purchases a year), with
  users, suppliers, entrepreneurs and decision makers in mixed groups (seed 000).
- Copenhagen's Socialforvaltningen planned three hackathons with Koncern IT on the data bank:
  learning from complaints, citizens documenting their own plan (Borgerens Plan, in the case
  system DOMUS), and decision support with artificial intelligence (seed 004).

Texts are our own. Loading is idempotent: an event is found again by (owner, title) and a
registration by (event, e-mail); times are set only when the event is first made, so a
second run changes nothing. Like the needs loader it writes with the ORM: the services check
an acting person's permissions and send e-mails, neither of which fits a loader.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from samspil.core.demo import EMAIL_DOMAIN
from samspil.core.models import Organisation, User, Visibility
from samspil.needs.models import Challenge

from .models import (
    Background,
    Event,
    EventKind,
    Registration,
    RegistrationMode,
    RegistrationStatus,
    hash_secret,
)


@dataclass(frozen=True)
class PersonData:
    name: str
    email: str
    organisation: str
    background: str
    skills: str = ""


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


def _demo(username: str) -> str:
    return f"{username}@{EMAIL_DOMAIN}"


STAFF, SUPPLIER, ENTREPRENEUR = Background.STAFF, Background.SUPPLIER, Background.ENTREPRENEUR
DECISION_MAKER, RESEARCHER, CITIZEN = (
    Background.DECISION_MAKER,
    Background.RESEARCHER,
    Background.CITIZEN,
)
DATA_TERMS = (
    "Data fra databanken bruges kun under hackathonet og på Koncern IT's maskiner. Intet "
    "forlader databanken, og personoplysninger er pseudonymiserede. Idéer og prototyper må "
    "kommunen bruge i sin kravspecifikation."
)

EVENTS: tuple[EventData, ...] = (
    EventData(
        "kobenhavn-innovationshuset",
        "Co-creation workshop: den digitale indkøbsoplevelse",
        EventKind.CO_CREATION_WORKSHOP,
        "Innovationshuset, Halmtorvet, Kødbyen",
        -40,
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
                "Indkøb til institutioner, Netbutikken",
            ),
            PersonData(
                "Jonas Grandal",
                _demo("jonas.grandal"),
                "Rise Digital",
                SUPPLIER,
                "Service design, Software development",
            ),
            PersonData(
                "Bjarne Winge",
                _demo("bjarne.winge"),
                "Økonomiforvaltningen",
                DECISION_MAKER,
                "Økonomistyring",
            ),
            PersonData(
                "Jesper Wille",
                "jesper.wille@example.org",
                "",
                CITIZEN,
                "Borgerinddragelse",
            ),
            PersonData(
                "Sara Iversen",
                "sara.iversen@example.org",
                "Kurv ApS (start-up)",
                ENTREPRENEUR,
                "E-handel, Business development",
            ),
            PersonData(
                "Lene Vad Jensen",
                _demo("lene.vad.jensen"),
                "Københavns Kommune",
                STAFF,
                "Procurement",
            ),
        ),
        terms="Der tages billeder i løbet af dagen.",
    ),
    EventData(
        "kobenhavn-sof",
        "Hackathon: lær af borgernes klager",
        EventKind.HACKATHON,
        "Koncern IT, databanken",
        21,
        8,
        30,
        "Problemet: hvad fortæller klagerne om vores praksis?\n"
        "Adgang til pseudonymiserede klagedata i databanken\n"
        "Teams arbejder på mønstre og hurtigere svar\n"
        "Prototype på bedre klagehåndtering og præsentation",
        ("demo",),
        (
            PersonData(
                "Mikkel Nørgaard",
                _demo("member"),
                "Socialforvaltningen",
                STAFF,
                "Sagsbehandling, Professional know-how of the field",
            ),
            PersonData(
                "Forsker fra IT-Universitetet",
                "forsker@itu.example.org",
                "IT-Universitetet i København",
                RESEARCHER,
                "Data analysis",
            ),
            PersonData(
                "Udvikler fra Rise Digital",
                "udvikler@rise.example.org",
                "Rise Digital",
                SUPPLIER,
                "Software development, Data analysis",
            ),
        ),
        terms=DATA_TERMS,
    ),
    EventData(
        "kobenhavn-sof",
        "Hackathon: borgeren dokumenterer selv i Borgerens Plan",
        EventKind.HACKATHON,
        "Koncern IT, databanken",
        56,
        8,
        30,
        "Sådan ser Borgerens Plan ud i dag, og hvad borgerne savner\n"
        "Data direkte ind i fagsystemet DOMUS: hvad skal der til?\n"
        "Teams designer en letforståelig app sammen med borgere\n"
        "Prototype og præsentation",
        ("demo",),
        (
            PersonData(
                "Borger med egen plan",
                "borger@example.org",
                "",
                CITIZEN,
                "Erfaring som bruger",
            ),
            PersonData(
                "App-iværksætter",
                "app@startup.example.org",
                "Lille start-up",
                ENTREPRENEUR,
                "Service design, Software development",
            ),
        ),
        terms=DATA_TERMS,
    ),
    EventData(
        "kobenhavn-sof",
        "Hackathon: beslutningsstøtte med kunstig intelligens",
        EventKind.HACKATHON,
        "Koncern IT, databanken",
        91,
        8,
        2,
        "Hvor giver beslutningsstøtte bedre afgørelser og færre tilbageløb?\n"
        "Jura og datakvalitet: hvad skal være på plads først?\n"
        "Teams bygger en prototype, der bevarer sagsbehandlerens skøn\n"
        "Præsentation for direktionen",
        ("demo",),
        (
            PersonData(
                "Mikkel Nørgaard",
                _demo("member"),
                "Socialforvaltningen",
                STAFF,
                "Sagsbehandling",
            ),
            PersonData(
                "Jurist",
                "jurist@example.org",
                "Socialforvaltningen",
                STAFF,
                "Law and data protection",
            ),
            PersonData(
                "AI-leverandør",
                "ai@supplier.example.org",
                "Et it-firma",
                SUPPLIER,
                "Data analysis, Software development",
            ),
        ),
        terms=DATA_TERMS,
        challenge_title="Beslutningsstøtte med kunstig intelligens til sagsbehandlere",
    ),
)


@dataclass
class EventsLoadCounts:
    events: int = 0
    registrations: int = 0
    created: int = 0


def _start(days_from_today: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days_from_today)
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


@transaction.atomic
def load_events_demo() -> EventsLoadCounts:
    """Create the demo events and registrations that are missing; leave existing ones alone."""
    counts = EventsLoadCounts()
    organisations = {
        o.slug: o for o in Organisation.objects.filter(slug__in={data.owner for data in EVENTS})
    }
    for data in EVENTS:
        owner = organisations.get(data.owner)
        if owner is None:
            continue  # the core demo has not been loaded
        event = Event.objects.filter(owner=owner, title=data.title).first()
        if event is None:
            start = _start(data.days_from_today)
            event = Event.objects.create(
                owner=owner,
                title=data.title,
                kind=data.kind,
                place=data.place,
                starts_at=start,
                ends_at=start + timedelta(hours=data.hours),
                capacity=data.capacity,
                registration_deadline=start - timedelta(days=2),
                registration_mode=data.mode,
                visibility=data.visibility,
                agenda=data.agenda,
                terms=data.terms,
            )
            event.organisers.set(User.objects.filter(username__in=data.organisers))
            if data.challenge_title:
                event.challenges.set(Challenge.objects.filter(title=data.challenge_title))
            counts.created += 1
        counts.events += 1
        confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
        for person in data.participants:
            if event.registrations.filter(email=person.email).exists():
                counts.registrations += 1
                continue
            status = (
                RegistrationStatus.CONFIRMED
                if confirmed < event.capacity
                else RegistrationStatus.WAITING
            )
            confirmed += status == RegistrationStatus.CONFIRMED
            Registration.objects.create(
                event=event,
                name=person.name,
                email=person.email,
                organisation=person.organisation,
                background=person.background,
                skills=person.skills,
                language="da",
                status=status,
                attended=data.days_from_today < 0,
                accepted_terms_at=timezone.now() if data.terms else None,
                cancel_token_digest=hash_secret(secrets.token_urlsafe(32)),
                user=User.objects.filter(email=person.email).first(),
            )
            counts.registrations += 1
            counts.created += 1
    return counts
