"""The demo results behind ``manage.py load_demo``, from seeds 001, 003 and 004, loaded after
the needs, events, pilots, proposals and procurement demos.

- Oslo (seed 001): the programme's two pilots shared openly, as the programme promised —
  the bought payroll service (a gain pilot, cost per payslip) and the invoice robot (a
  sandbox); both pilots are public, so their KPIs and benefits are the results' figures.
- Copenhagen's Socialforvaltningen (seed 004): what the hackathons on the data bank taught,
  the "hackathon as market dialogue" concept as a template with its tasks, and the jury's
  criteria of the complaints hackathon as a criteria set.
- Aarhus and Copenhagen (seed 003): the innovation partnership on biological light. The
  procurement is public and linked; the light pilot in Copenhagen's care homes is shared,
  not public, so the result is published without it (and without its figures): the rule
  that a published result holds no internal record holds in the demo too.
- Oslo (seed 003): the joint purchase of electronic medicine support, begun by eight
  municipalities and bought by 29.

Texts are our own, in each organisation's language. Loading is idempotent: a result is found
again by (owner, title) and left alone. Like the other loaders it writes with the ORM (the
services check an acting person's permissions); the snapshots are the services' own.
``demo_results()`` gives the results by short name for the adoption demo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from samspil.core.models import Organisation, User, Visibility
from samspil.events.models import Event, EventConcept
from samspil.needs.models import Theme
from samspil.pilots.models import Pilot
from samspil.procurement.models import Procurement

from . import services
from .models import Result, ResultKind, ResultOutcome, ResultStatus

CHANGE_REASON = "demo"


@dataclass(frozen=True)
class ResultData:
    key: str
    owner: str  # slug
    title: str
    summary: str
    tried: str
    came_of_it: str
    contact: str  # username
    published_days_ago: int
    kind: str = ResultKind.RESULT
    outcome: str = ""
    stage: str = ""
    themes: tuple[str, ...] = ()
    pilot: tuple[str, str] | None = None  # (owner slug, title)
    event: tuple[str, str] | None = None
    procurement: tuple[str, str] | None = None
    concept: tuple[str, str] | None = None


@dataclass
class ResultsLoadCounts:
    results: int = 0
    published: int = 0
    left_out_links: list[str] = field(default_factory=list)
    created: int = 0


OSLO_PAYROLL = ResultData(
    "oslo-pilot",
    "oslo-uke",
    "Kjøpte lønnstjenester: lavere kostnad per lønnsslipp",
    "UKE kjøpte lønnsproduksjonen fra en leverandør i et halvt år og fjernet doble kontroller. "
    "Kostnaden per lønnsslipp falt tydelig, uten flere feil i utbetalingene.",
    "Vi regnet først ut hva én lønnsslipp kostet oss, med folk, systemer og kontroller. Så "
    "overtok en leverandør lønnskjøringen i seks måneder, og vi sammenlignet kostnaden hver "
    "måned med beste praksis i og utenfor kommunen.",
    "Gevinsten holdt seg etter piloten. Programstyret besluttet å konkurranseutsette "
    "lønnsproduksjonen for hele UKE og tilby tjenesten til bydelene. Tallene under viser "
    "utgangspunkt, siste måling og mål.",
    "oslo",
    400,
    outcome=ResultOutcome.PROCURED,
    stage="outcome",
    themes=("administration", "procurement"),
    pilot=("oslo-uke", "Kjøp av lønnstjenester"),
)

OSLO_INVOICE_ROBOT = ResultData(
    "oslo-invoice-robot",
    "oslo-uke",
    "Robot som konterer fakturaer: det vi lærte i sandkassen",
    "En programvarerobot konterte de vanligste fakturaene i Bydel Alna. Den sparte mindre tid "
    "enn håpet, men vi vet nå hvilke fakturaer den klarer alene.",
    "Sandkassepilot der læring gikk foran gevinst: roboten konterte fakturaer fra faste "
    "leverandører, og en saksbehandler kontrollerte hver kontering. Vi målte minutter per "
    "faktura hele veien.",
    "Roboten prøves videre i Bydel Stovner med bedre regler før den tilbys alle bydelene. "
    "Begynn med leverandørene som sender flest fakturaer.",
    "oslo",
    300,
    outcome=ResultOutcome.SCALED,
    stage="proof_of_concept",
    themes=("administration", "digital"),
    pilot=("oslo-uke", "Robotisert fakturakontering"),
)

HACKATHONS = ResultData(
    "hackathons",
    "kobenhavn-sof",
    "Hackathons på databanken: markedsdialog med data",
    "Socialforvaltningen og Koncern IT holdt hackathons, hvor leverandører, iværksættere og "
    "sagsbehandlere arbejdede med pseudonymiserede data fra databanken.",
    "To hackathons om klagesager og om beslutningsstøtte med kunstig intelligens, med "
    "dataaftaler, blandede hold, jury og offentliggjorte vindere. Erfaringerne fra det første "
    "blev skrevet ind i konceptet, før det andet blev holdt.",
    "Det andet hackathon kostede mindre per deltager og fik bedre vurderinger. Vi lærte, hvilke "
    "krav en kommende løsning skal leve op til, før et udbud. Konceptet deles som skabelon.",
    "demo",
    60,
    outcome=ResultOutcome.LEARNING,
    stage="prototype",
    themes=("social", "digital"),
    event=("kobenhavn-sof", "Hackathon: lær af borgernes klager"),
)

HACKATHON_CONCEPT = ResultData(
    "hackathon-concept",
    "kobenhavn-sof",
    "Skabelon: hackathon som markedsdialog",
    "Socialforvaltningens opskrift på et hackathon med leverandører og sagsbehandlere: den "
    "tekniske, faglige og juridiske forberedelse som tjekliste med frister.",
    "Kopiér konceptet til jeres organisation, og opret hvert hackathon fra det: opgaverne får "
    "frister regnet tilbage fra startdagen. Ret tjeklisten til efter hvert hackathon.",
    "",
    "demo",
    45,
    kind=ResultKind.EVENT_CONCEPT,
    themes=("digital",),
    concept=("kobenhavn-sof", "Hackathon som markedsdialog"),
)

HACKATHON_CRITERIA = ResultData(
    "hackathon-criteria",
    "kobenhavn-sof",
    "Kriteriesæt: juryens kriterier til et hackathon",
    "De fem kriterier, juryen bedømte holdenes løsninger efter ved hackathonet om klagesager, "
    "med lige vægt.",
    "Brug kriterierne som udgangspunkt for jeres jury, og tilpas vægtene til udfordringen.",
    "",
    "demo",
    44,
    kind=ResultKind.CRITERIA_SET,
    themes=("digital",),
    event=("kobenhavn-sof", "Hackathon: lær af borgernes klager"),
)

BIOLOGICAL_LIGHT = ResultData(
    "biological-light",
    "aarhus",
    "Biologisk lys på plejehjem: innovationspartnerskab",
    "Aarhus og København udviklede sammen med leverandører et lys, der følger dagslysets "
    "styrke og farve, så ældre i plejeboliger sover og trives bedre.",
    "Kommunerne afdækkede behovet fra 2018 og gik i et innovationspartnerskab: udvikling, "
    "afprøvning på plejehjem og til sidst køb, hvis lyset lever op til kravene. Yderligere "
    "kommuner har en købsoption under et loft på 160 mio. kr.",
    "Lyset er afprøvet i plejeboliger med færre fald og bedre søvn. Kommunerne har option på "
    "at købe de færdige produkter; flere kommuner kan købe på samme aftale.",
    "matilde.gammelgaard",
    120,
    outcome=ResultOutcome.PROCURED,
    stage="outcome",
    themes=("care", "procurement"),
    procurement=("aarhus", "Innovationspartnerskab om biologisk lys på plejehjem"),
    # Shared, not public: left out when the result is published (see the module's text).
    pilot=("kobenhavn", "Dagslyslignende lys på plejecentre"),
)

MEDICINE_SUPPORT = ResultData(
    "medicine-support",
    "oslo",
    "Elektronisk medisinstøtte kjøpt i fellesskap",
    "En felles anskaffelse av elektronisk medisinstøtte til hjemmeboende begynte med åtte "
    "kommuner; 29 kommuner har nå tatt løsningen i bruk på samme avtale.",
    "Kommunene beskrev behovet sammen, snakket med markedet og kjøpte etter funksjonskrav i en "
    "konkurranse med forhandling. Én kommune ledet, de andre kunne slutte seg til avtalen.",
    "Brukerne tar riktig medisin til riktig tid, og hjemmetjenesten slipper mange besøk som "
    "bare handler om medisiner. Avtalen har gjort det enkelt for nye kommuner å bli med.",
    "oslo",
    200,
    outcome=ResultOutcome.SCALED,
    stage="outcome",
    themes=("health", "care", "procurement"),
    procurement=("oslo", "Felles anskaffelse av elektronisk medisinstøtte"),
)

RESULTS: tuple[ResultData, ...] = (
    OSLO_PAYROLL,
    OSLO_INVOICE_ROBOT,
    HACKATHONS,
    HACKATHON_CONCEPT,
    HACKATHON_CRITERIA,
    BIOLOGICAL_LIGHT,
    MEDICINE_SUPPORT,
)


def _public(model, reference: tuple[str, str] | None, counts: ResultsLoadCounts, key: str):
    """The linked record when it exists and is public; else None (and noted)."""
    if reference is None:
        return None
    record = model.objects.filter(owner__slug=reference[0], title=reference[1]).first()
    if record is None:
        return None
    if record.visibility != Visibility.PUBLIC:
        counts.left_out_links.append(f"{key}: {reference[1]}")
        return None
    return record


def _load(data: ResultData, owner: Organisation, counts: ResultsLoadCounts) -> Result:
    existing = Result.objects.filter(owner=owner, title=data.title).first()
    if existing is not None:
        return existing
    contact = User.objects.filter(username=data.contact).first()
    pilot = _public(Pilot, data.pilot, counts, data.key)
    event = _public(Event, data.event, counts, data.key)
    procurement = _public(Procurement, data.procurement, counts, data.key)
    concept = _public(EventConcept, data.concept, counts, data.key)
    result = Result(
        owner=owner,
        kind=data.kind,
        title=data.title,
        summary=data.summary,
        tried=data.tried,
        came_of_it=data.came_of_it,
        outcome=data.outcome,
        stage=data.stage,
        pilot=pilot,
        event=event,
        procurement=procurement,
        concept=concept,
        contact_name=(contact.get_full_name() or contact.username) if contact else owner.name,
        contact_email=contact.email if contact else f"innovation@{owner.slug}.example.org",
        created_by=contact,
    )
    result.figures = services.figures_snapshot(pilot)
    result.content = services.content_snapshot(data.kind, concept=concept, event=event)
    template_without_content = data.kind != ResultKind.RESULT and not result.content
    if not services.publication_problems(result) and not template_without_content:
        result.status = ResultStatus.PUBLISHED
        result.published_at = timezone.now() - timedelta(days=data.published_days_ago)
        result.published_by = contact
    result._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
    result.save()
    counts.created += 1
    themes = list(Theme.objects.filter(slug__in=data.themes))
    if themes:
        result.themes.set(themes)
    return result


@transaction.atomic
def load_results_demo() -> ResultsLoadCounts:
    """Create the demo results where missing; leave existing ones alone. Loads nothing for
    an organisation the core demo has not loaded."""
    counts = ResultsLoadCounts()
    organisations = {
        o.slug: o for o in Organisation.objects.filter(slug__in={d.owner for d in RESULTS})
    }
    for data in RESULTS:
        owner = organisations.get(data.owner)
        if owner is None:
            continue
        result = _load(data, owner, counts)
        counts.results += 1
        counts.published += result.status == ResultStatus.PUBLISHED
    return counts


def demo_results() -> dict[str, Result]:
    """The demo results by short name ("oslo-pilot", "hackathon-concept",
    "biological-light", "medicine-support", …) for the demos that build on them."""
    found: dict[str, Result] = {}
    for data in RESULTS:
        result = Result.objects.filter(owner__slug=data.owner, title=data.title).first()
        if result is not None:
            found[data.key] = result
    return found
