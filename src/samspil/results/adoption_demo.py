"""The demo adoptions behind ``manage.py load_demo``: other organisations taking up the demo
results (``samspil.results.demo.demo_results()``), true to the seeds.

- The Norwegian joint purchase of electronic medicine support (seed 003) began with eight
  municipalities and has been bought by 29. The core demo has Oslo as its only Norwegian
  municipality, so this loader adds seven more (Bærum, Drammen, Lillestrøm, Trondheim, Bergen,
  Stavanger, Kristiansand) as public demo organisations; they adopt the result from 2019 to
  2023, most of them having bought it. The remaining municipalities are told, not loaded.
- Oslo's pilot results (seed 001): the payroll sourcing is taken up by Bærum, Trondheim and
  Kristiansand; the invoice robot by Bydel Stovner and Helsingborg (the pilots demo has them
  adopt the robot pilot: their pilots are linked).
- The Socialforvaltningen hackathon concept (seeds 000, 004) is copied by Beskæftigelses- og
  Integrationsforvaltningen, Aarhus, Frederiksberg and Helsingborg.
- The biological light partnership (seed 003): the municipalities holding a purchase option
  adopt it; Middelfart, whose option is exercised, has procured it (its pilot is linked).

Dates are spread over the years so that the result pages' charts show adoption growing; they
and the notes are invented and plausible, the notes written in each organisation's language.
An adoption linked to a pilot of the pilots demo is dated the day that pilot started.

Loading is idempotent: an adoption is found again by (result, organisation), an added
organisation by its slug; what exists is left alone. Like the other demo loaders it writes
with the ORM (the services check an acting person's rights, which does not fit a loader). A
result the results demo did not load or did not publish, or an organisation missing, is
skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from samspil.core.demo import CHANGE_REASON
from samspil.core.models import Organisation, OrganisationKind, Visibility
from samspil.pilots.models import Pilot

from .models import Adoption, AdoptionOutcome, Result, ResultStatus

STARTED, IN_USE, PROCURED, STOPPED = (
    AdoptionOutcome.STARTED,
    AdoptionOutcome.IN_USE,
    AdoptionOutcome.PROCURED,
    AdoptionOutcome.STOPPED,
)


@dataclass(frozen=True)
class NorwegianMunicipality:
    slug: str
    name: str
    website: str


# Norwegian municipalities that adopt the medicine support (and one of Oslo's results).
MUNICIPALITIES: tuple[NorwegianMunicipality, ...] = (
    NorwegianMunicipality("baerum", "Bærum kommune", "https://www.baerum.kommune.no"),
    NorwegianMunicipality("drammen", "Drammen kommune", "https://www.drammen.kommune.no"),
    NorwegianMunicipality("lillestrom", "Lillestrøm kommune", "https://www.lillestrom.kommune.no"),
    NorwegianMunicipality("trondheim", "Trondheim kommune", "https://www.trondheim.kommune.no"),
    NorwegianMunicipality("bergen", "Bergen kommune", "https://www.bergen.kommune.no"),
    NorwegianMunicipality("stavanger", "Stavanger kommune", "https://www.stavanger.kommune.no"),
    NorwegianMunicipality(
        "kristiansand", "Kristiansand kommune", "https://www.kristiansand.kommune.no"
    ),
)


@dataclass(frozen=True)
class AdoptionData:
    result: str  # key of demo_results()
    organisation: str  # slug
    adopted_on: date
    outcome: str
    note: str = ""


ADOPTIONS: tuple[AdoptionData, ...] = (
    # Electronic medicine support: from the first municipalities to many.
    AdoptionData(
        "medicine-support",
        "baerum",
        date(2019, 3, 12),
        PROCURED,
        "Kjøpt på fellesavtalen; medisindispensere i hjemmetjenesten.",
    ),
    AdoptionData(
        "medicine-support",
        "drammen",
        date(2019, 9, 2),
        PROCURED,
        "Tatt i bruk i alle hjemmetjenestesoner.",
    ),
    AdoptionData(
        "medicine-support",
        "lillestrom",
        date(2020, 5, 18),
        IN_USE,
        "I drift etter sammenslåingen av kommunene.",
    ),
    AdoptionData(
        "medicine-support",
        "trondheim",
        date(2021, 2, 8),
        PROCURED,
        "Avrop på avtalen; opplæring av hjemmesykepleien.",
    ),
    AdoptionData(
        "medicine-support",
        "bergen",
        date(2021, 11, 22),
        IN_USE,
        "Brukes for hjemmeboende med faste medisiner.",
    ),
    AdoptionData(
        "medicine-support",
        "stavanger",
        date(2022, 6, 13),
        PROCURED,
        "Kjøpt; færre besøk kun for medisinutdeling.",
    ),
    AdoptionData(
        "medicine-support",
        "kristiansand",
        date(2023, 1, 16),
        STARTED,
        "Utprøving i to soner før avrop.",
    ),
    # Oslo's pilot results: the payroll sourcing taken up by other Norwegian municipalities,
    # the invoice robot by Bydel Stovner and Helsingborg (their pilots of the pilots demo).
    AdoptionData(
        "oslo-pilot",
        "baerum",
        date(2019, 5, 6),
        IN_USE,
        "Lønnskjøringen er satt ut etter samme modell; kostnad per lønnsslipp følges.",
    ),
    AdoptionData(
        "oslo-pilot",
        "trondheim",
        date(2020, 9, 14),
        STARTED,
        "Egen pilot i lønnsseksjonen, målt med samme KPI som Oslo.",
    ),
    AdoptionData(
        "oslo-pilot",
        "kristiansand",
        date(2022, 2, 1),
        STOPPED,
        "Stoppet: lønn inngår i en ny felles tjenesteavtale i regionen.",
    ),
    AdoptionData(
        "oslo-invoice-robot",
        "oslo-stovner",
        date(2019, 10, 1),
        IN_USE,
        "Roboten og reglene fra sandkassa brukes på bydelens fakturaer.",
    ),
    AdoptionData(
        "oslo-invoice-robot",
        "helsingborg",
        date(2021, 9, 6),
        STARTED,
        "Innovationshubben prövar roboten på stadens leverantörsfakturor.",
    ),
    # The hackathon concept, copied for new hackathons.
    AdoptionData(
        "hackathon-concept",
        "kobenhavn-bif",
        date(2021, 10, 4),
        IN_USE,
        "Brugt til et hackathon om jobcentrets data.",
    ),
    AdoptionData(
        "hackathon-concept",
        "aarhus",
        date(2022, 3, 21),
        IN_USE,
        "Konceptet og tjeklisten genbrugt til et hackathon om ældreområdet.",
    ),
    AdoptionData(
        "hackathon-concept",
        "frederiksberg",
        date(2022, 11, 7),
        STARTED,
        "Planlægger et hackathon om klimadata.",
    ),
    AdoptionData(
        "hackathon-concept",
        "helsingborg",
        date(2023, 5, 15),
        STOPPED,
        "Vi valde ett eget format för reformgruppen i stället.",
    ),
    # Biological light: the municipalities with a purchase option.
    AdoptionData(
        "biological-light",
        "middelfart",
        date(2020, 8, 24),
        PROCURED,
        "Købsoptionen er udnyttet; lyset afprøves først på ét plejecenter.",
    ),
    AdoptionData(
        "biological-light",
        "frederiksberg",
        date(2021, 4, 12),
        STARTED,
        "Deltager i indkøbsoptionen.",
    ),
    AdoptionData(
        "biological-light",
        "aalborg",
        date(2021, 9, 27),
        STARTED,
        "Deltager i indkøbsoptionen.",
    ),
    AdoptionData(
        "biological-light",
        "esbjerg",
        date(2022, 2, 14),
        IN_USE,
        "Afprøvet på ét plejecenter; option overvejes.",
    ),
    AdoptionData(
        "biological-light",
        "holbaek",
        date(2022, 10, 3),
        STARTED,
        "Deltager i indkøbsoptionen.",
    ),
)


@dataclass
class AdoptionLoadCounts:
    adoptions: int = 0
    organisations: int = 0
    created: int = 0


def _municipality(data: NorwegianMunicipality) -> tuple[Organisation, bool]:
    organisation = Organisation.objects.filter(slug=data.slug).first()
    if organisation is not None:
        return organisation, False
    organisation = Organisation(
        slug=data.slug,
        name=data.name,
        kind=OrganisationKind.MUNICIPALITY,
        country="NO",
        currency="NOK",
        website=data.website,
        description="Norsk kommune i demodataene.",
        visibility=Visibility.PUBLIC,
    )
    organisation._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
    organisation.save()
    return organisation, True


def _linked_pilot(result: Result, organisation: Organisation) -> Pilot | None:
    """The organisation's pilot adopted from the result's pilot, if the pilots demo has one."""
    if result.pilot_id is None:
        return None
    return Pilot.objects.filter(owner=organisation, adopted_from_id=result.pilot_id).first()


@transaction.atomic
def load_adoptions_demo() -> AdoptionLoadCounts:
    """Create the demo adoptions (and the Norwegian municipalities) where missing."""
    from .demo import demo_results  # here, so that a stand-in may replace it in tests

    counts = AdoptionLoadCounts()
    results = demo_results()
    if not results:
        return counts
    for municipality in MUNICIPALITIES:
        _organisation, created = _municipality(municipality)
        counts.organisations += 1
        counts.created += created
    slugs = {data.organisation for data in ADOPTIONS}
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    for data in ADOPTIONS:
        result = results.get(data.result)
        organisation = organisations.get(data.organisation)
        if (
            result is None
            or organisation is None
            or organisation.pk == result.owner_id
            or result.status != ResultStatus.PUBLISHED
        ):
            continue
        adoption = Adoption.objects.filter(result=result, organisation=organisation).first()
        if adoption is None:
            pilot = _linked_pilot(result, organisation)
            adopted_on = data.adopted_on
            if pilot is not None and pilot.starts_on <= timezone.localdate():
                adopted_on = pilot.starts_on  # the day its own pilot started
            adoption = Adoption(
                result=result,
                organisation=organisation,
                adopted_on=adopted_on,
                outcome=data.outcome,
                note=data.note,
                pilot=pilot,
            )
            adoption._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
            adoption.save()
            counts.created += 1
        counts.adoptions += 1
    return counts
