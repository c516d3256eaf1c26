"""The demo supplier directory and suppliers' interest behind ``manage.py load_demo``.

- Directory entries for the companies of the core demo that sell to the public sector:
  Atea, Sogeti and Öresundskraft, the first partners of Helsingborg's innovation hub
  (seed 002), and the digital agency Rise Digital, which took part in the Copenhagen
  Innovationshus workshop on the municipality's digital purchasing (seed 000). The
  publicly owned utilities and the news site of the core demo get no entry. Texts are our
  own, in each company's language.
- One procurement in market dialogue, so that suppliers have one to register for: the
  workshop's subject, Copenhagen's purchasing of DKK 11.4 bn a year through a system that
  staff find hard to use (seed 000), as a market consultation led by the demo procurement
  officer. Rise Digital is registered for it (its development manager Jonas Grandal),
  Sogeti is invited.
- Registered interest in open public challenges of the needs demo: Atea (the demo supplier
  Johan Ek) in Oslo's electronic medicine support, Öresundskraft in emission-free
  construction machines (charging for electric machines).

Loading is idempotent: a profile is found by its organisation, the procurement by (owner,
title), an interest by (supplier, target); what exists is left alone. Like the other demo
loaders it writes with the ORM (the services check an acting person's permissions).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from samspil.core.demo import CHANGE_REASON
from samspil.core.models import Organisation, User, Visibility
from samspil.needs.models import Challenge

from .models import (
    Buyer,
    BuyerRole,
    CompanySize,
    InterestStatus,
    Procurement,
    ProcurementRoute,
    Stage,
    SupplierInterest,
    SupplierProfile,
)
from .services import ocid_for


@dataclass(frozen=True)
class ProfileData:
    organisation: str  # slug
    offer: str
    competences: tuple[str, ...]
    references: str
    size: str
    countries: tuple[str, ...]


@dataclass(frozen=True)
class InterestData:
    supplier: str  # slug
    target: tuple[str, str, str]  # ("challenge" or "procurement", owner slug, title)
    status: str
    note: str = ""
    by: str = ""  # username: registered_by, or invited_by for an invitation
    on: date | None = None


PROFILES: tuple[ProfileData, ...] = (
    ProfileData(
        "atea",
        "Vi bygger och driver it-infrastruktur för kommuner och regioner: nätverk, molntjänster "
        "och den digitala arbetsplatsen. Inom välfärdsteknik levererar vi sensorer, IoT-"
        "plattformar och digitala lösningar för hemtjänst och äldreomsorg, till exempel "
        "elektroniskt medicinstöd och trygghetslarm.",
        ("IT-infrastruktur", "IoT", "Välfärdsteknik", "Molntjänster", "Digital arbetsplats"),
        "Partner i Helsingborgs innovationshubb, där vi driver egna innovationsprojekt "
        "tillsammans med staden.",
        CompanySize.LARGE,
        ("SE", "NO", "DK"),
    ),
    ProfileData(
        "sogeti",
        "Konsulter inom it, test och kvalitetssäkring. Vi hjälper offentlig sektor att utveckla "
        "och pröva digitala tjänster agilt, med automatiserade tester, data och analys och "
        "artificiell intelligens (AI) som stöd för handläggare.",
        ("Test och kvalitetssäkring", "AI", "Agil utveckling", "Data och analys"),
        "Partner i Helsingborgs innovationshubb med kompetensdagar om AI och agil utveckling.",
        CompanySize.LARGE,
        ("SE",),
    ),
    ProfileData(
        "oresundskraft",
        "Energibolag som levererar el, fjärrvärme och fjärrkyla och bygger laddinfrastruktur "
        "för elfordon och eldrivna arbetsmaskiner. Vi hjälper byggherrar och kommuner med "
        "energieffektivisering och fossilfri energi på byggarbetsplatser.",
        ("Laddinfrastruktur", "Fjärrvärme", "Energieffektivisering", "Fossilfri energi"),
        "En av de första partnerna i Helsingborgs innovationshubb.",
        CompanySize.LARGE,
        ("SE",),
    ),
    ProfileData(
        "rise-digital",
        "Digitalt bureau, der udvikler brugervenlige platforme og selvbetjening. Vi "
        "designer sammen med brugerne, så pædagoger, sygeplejersker og andre medarbejdere "
        "bruger mindre tid på systemer og mere på deres kerneopgave, fx ved indkøb og "
        "bestilling.",
        ("Brugeroplevelse (UX)", "Webudvikling", "Digitale platforme", "Co-creation"),
        "Deltog i Innovationshusets co-creation workshop om Københavns Kommunes digitale "
        "indkøbsoplevelse.",
        CompanySize.SMALL,
        ("DK",),
    ),
)

PURCHASING_OWNER = "kobenhavn"
PURCHASING_TITLE = "Markedsdialog om en ny digital indkøbsoplevelse"
PURCHASING_DESCRIPTION = (
    "Københavns Kommune køber ind for omkring 11,4 mia. kr. om året, og medarbejderne i "
    "institutionerne oplever, at indkøbssystemet er svært at bruge. Kommunen vil i dialog "
    "med markedet, også med iværksættere fra andre brancher, om et brugervenligt system, der "
    "tænker hele indkøbet med, fra beslutningen om hvad der skal købes, til ordren er "
    "godkendt og leverandøren betalt. Markedsdialogen bygger videre på Innovationshusets "
    "co-creation workshop."
)
PURCHASING_CREATED_BY = "procurement"
PURCHASING_STARTS = date(2025, 9, 1)

INTERESTS: tuple[InterestData, ...] = (
    InterestData(
        "rise-digital",
        ("procurement", PURCHASING_OWNER, PURCHASING_TITLE),
        InterestStatus.REGISTERED,
        "Vi var med på workshoppen og kan bidrage med brugerrejser og prototyper af en enkel "
        "bestillingsflade for institutionerne.",
        "jonas.grandal",
        date(2025, 9, 15),
    ),
    InterestData(
        "sogeti",
        ("procurement", PURCHASING_OWNER, PURCHASING_TITLE),
        InterestStatus.INVITED,
        by=PURCHASING_CREATED_BY,
        on=date(2025, 9, 20),
    ),
    InterestData(
        "atea",
        ("challenge", "oslo", "Elektronisk medisinstøtte i hjemmetjenesten"),
        InterestStatus.REGISTERED,
        "Vi levererar elektroniskt medicinstöd och IoT-plattformar för hemtjänsten och kan "
        "visa erfarenheter från svenska kommuner.",
        "supplier",
        date(2025, 10, 6),
    ),
    InterestData(
        "oresundskraft",
        ("challenge", "kobenhavn", "Emissionsfrie arbejdsmaskiner på offentlige byggepladser"),
        InterestStatus.REGISTERED,
        "Vi bygger laddinfrastruktur för eldrivna arbetsmaskiner på byggarbetsplatser och "
        "delar gärna erfarenheter från Helsingborg.",
        on=date(2025, 10, 13),
    ),
)


@dataclass
class SupplierLoadCounts:
    profiles: int = 0
    procurements: int = 0
    interests: int = 0
    created: int = 0


def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def _purchasing_procurement(counts: SupplierLoadCounts, users: dict) -> Procurement | None:
    owner = Organisation.objects.filter(slug=PURCHASING_OWNER).first()
    route = ProcurementRoute.objects.filter(code="market-consultation").first()
    if owner is None or route is None:
        return None
    procurement = Procurement.objects.filter(owner=owner, title=PURCHASING_TITLE).first()
    if procurement is None:
        procurement = Procurement(
            owner=owner,
            title=PURCHASING_TITLE,
            description=PURCHASING_DESCRIPTION,
            route=route,
            currency=owner.currency or "DKK",
            stage=Stage.PLANNING,
            dialogue_starts_on=PURCHASING_STARTS,
            visibility=Visibility.PUBLIC,
            created_by=users.get(PURCHASING_CREATED_BY),
        )
        procurement._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
        procurement.save()
        procurement.ocid = ocid_for(procurement)
        Procurement.objects.filter(pk=procurement.pk).update(ocid=procurement.ocid)
        counts.created += 1
    if not procurement.buyers.filter(role=BuyerRole.LEAD).exists():
        buyer = Buyer(
            procurement=procurement,
            organisation=owner,
            role=BuyerRole.LEAD,
            invited_by=users.get(PURCHASING_CREATED_BY),
            confirmed_by=users.get(PURCHASING_CREATED_BY),
            confirmed_at=_noon(PURCHASING_STARTS),
        )
        buyer._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
        buyer.save()
        counts.created += 1
    counts.procurements = 1
    return procurement


def _target(kind: str, owner: str, title: str, procurement: Procurement | None):
    if kind == "procurement":
        if procurement is not None and procurement.owner.slug == owner:
            return procurement
        return Procurement.objects.filter(owner__slug=owner, title=title).first()
    return Challenge.objects.filter(owner__slug=owner, title=title).first()


@transaction.atomic
def load_suppliers_demo() -> SupplierLoadCounts:
    """Create the directory entries, the procurement in market dialogue and the interests
    where missing; loads nothing for a company, user or target that is not there."""
    counts = SupplierLoadCounts()
    organisations = {
        o.slug: o
        for o in Organisation.objects.filter(
            slug__in={p.organisation for p in PROFILES} | {i.supplier for i in INTERESTS}
        )
    }
    usernames = {i.by for i in INTERESTS if i.by} | {PURCHASING_CREATED_BY}
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    for data in PROFILES:
        organisation = organisations.get(data.organisation)
        if organisation is None:
            continue
        if not SupplierProfile.objects.filter(organisation=organisation).exists():
            profile = SupplierProfile(
                organisation=organisation,
                offer=data.offer,
                competences=list(data.competences),
                references=data.references,
                size=data.size,
                countries_served=list(data.countries),
            )
            profile._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
            profile.save()
            counts.created += 1
        counts.profiles += 1
    procurement = _purchasing_procurement(counts, users)
    for item in INTERESTS:
        supplier = organisations.get(item.supplier)
        kind, owner, title = item.target
        target = _target(kind, owner, title, procurement)
        if supplier is None or target is None:
            continue
        where = {kind: target}
        counts.interests += 1
        if SupplierInterest.objects.filter(supplier=supplier, **where).exists():
            continue
        person = users.get(item.by)
        registered = item.status == InterestStatus.REGISTERED
        interest = SupplierInterest(
            supplier=supplier,
            status=item.status,
            note=item.note,
            invited_by=None if registered else person,
            registered_by=person if registered else None,
            registered_at=_noon(item.on) if registered and item.on else None,
            **where,
        )
        interest._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
        interest.save()
        if item.on:
            SupplierInterest.objects.filter(pk=interest.pk).update(created_at=_noon(item.on))
        counts.created += 1
    return counts
