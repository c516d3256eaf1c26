"""OCDS 1.1.5 releases, release packages and record packages, built from plain data.

``ocds_queries`` reads the procurements into the dataclasses below; the functions here make
the JSON (dicts of str, numbers, lists). They are valid by construction: the tests build a
rich procurement and validate every package against the vendored schema
(``ocds_validation``), so the API never needs to refuse one.

Choices (a judgement, see DOMAIN.md):

- A procurement's releases are one per stage reached (planning, tender, award, contract,
  implementation; a cancelled one ends in ``tenderCancellation``). Each release carries
  everything known at publication (full releases, not deltas); the latest release is the
  current state, and so is the record's ``compiledRelease``.
- Parties: the lead buyer always; participating buyers and option holders only once a
  person of their own has confirmed (an open invitation is no fact to publish). An option
  holder that exercised its option is a buyer, one that has not is an interestedParty.
  Suppliers registered for the market dialogue are interestedParty too (their registration
  is public: every registered supplier receives the same published answers).
- Lots and options use the fields of the OCDS lots and options extensions; their schemas are
  not vendored, and the fields validate against the core schema (additional properties).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

OCDS_VERSION = "1.1"
LOTS_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/"
    "v1.1.5/extension.json"
)
OPTIONS_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_options_extension/"
    "master/extension.json"
)
# org-id.guide lists of national company registers, by country.
IDENTIFIER_SCHEMES = {"DK": "DK-CVR", "NO": "NO-BRC", "SE": "SE-BLV"}
STAGE_ORDER = ["planning", "tender", "award", "contract", "implementation"]
TENDER_STATUS = {
    "planning": "planning",
    "tender": "active",
    "award": "complete",
    "contract": "complete",
    "implementation": "complete",
    "cancelled": "cancelled",
}


@dataclass(frozen=True)
class Org:
    id: int
    name: str
    country: str = ""
    national_id: str = ""
    website: str = ""


@dataclass(frozen=True)
class LotData:
    id: int
    title: str
    description: str = ""
    value: Decimal | None = None


@dataclass(frozen=True)
class BuyerData:
    organisation: Org
    role: str  # lead, participant, option_holder
    confirmed: bool = False
    option_exercised: bool = False
    maximum_value: Decimal | None = None


@dataclass(frozen=True)
class AwardData:
    id: int
    supplier: Org
    awarded_on: date
    value: Decimal | None = None
    lot_id: int | None = None


@dataclass(frozen=True)
class ContractData:
    id: int
    award_id: int
    signed_on: date
    value: Decimal | None = None
    starts_on: date | None = None
    ends_on: date | None = None


@dataclass(frozen=True)
class PhaseData:
    position: int
    name: str
    target: str = ""
    max_cost: Decimal | None = None
    decision: str = ""  # "", go, no_go
    decided_on: date | None = None
    suppliers: tuple[Org, ...] = ()


@dataclass(frozen=True)
class ProcurementData:
    ocid: str
    title: str
    owner: Org
    currency: str
    stage: str
    language: str
    created_at: datetime
    last_changed: datetime
    description: str = ""
    procuring_entity: Org | None = None
    ocds_method: str = ""
    method_details: str = ""
    estimated_value: Decimal | None = None
    ceiling: Decimal | None = None
    cpv_codes: tuple[str, ...] = ()
    dialogue_starts_on: date | None = None
    tender_on: date | None = None
    award_on: date | None = None
    contract_starts_on: date | None = None
    contract_ends_on: date | None = None
    option_deadline: date | None = None
    options_description: str = ""
    dialogue_title: str = "Market dialogue"
    lots: tuple[LotData, ...] = ()
    buyers: tuple[BuyerData, ...] = ()
    awards: tuple[AwardData, ...] = ()
    contracts: tuple[ContractData, ...] = ()
    phases: tuple[PhaseData, ...] = ()
    # Suppliers registered for the market dialogue, in the order they registered.
    interested: tuple[Org, ...] = ()
    # The first time the procurement stood at each stage (from its history).
    stage_reached_at: dict[str, datetime] = field(default_factory=dict)


@dataclass(frozen=True)
class Publisher:
    name: str
    uri: str
    time_zone: str = "UTC"


# Values -----------------------------------------------------------------------------------------


def amount(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def rfc3339(value: datetime | date, time_zone: str = "UTC") -> str:
    """A date becomes midnight in the publisher's time zone; datetimes keep theirs."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min)
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(time_zone))
    return value.replace(microsecond=0).isoformat()


def _when(value: date | None, time_zone: str) -> str | None:
    return rfc3339(value, time_zone) if value else None


def _money(value: Decimal | None, currency: str) -> dict[str, Any] | None:
    number = amount(value)
    return None if number is None else {"amount": number, "currency": currency}


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out empty values: OCDS prefers a missing field to a null or an empty one."""
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


# Parties ----------------------------------------------------------------------------------------


def party_id(org: Org) -> str:
    scheme = IDENTIFIER_SCHEMES.get(org.country)
    if scheme and org.national_id:
        return f"{scheme}-{org.national_id}"
    return f"samspil-org-{org.id}"


def reference(org: Org) -> dict[str, str]:
    return {"id": party_id(org), "name": org.name}


def _party(org: Org, roles: list[str]) -> dict[str, Any]:
    scheme = IDENTIFIER_SCHEMES.get(org.country)
    identifier = (
        {"scheme": scheme, "id": org.national_id, "legalName": org.name}
        if scheme and org.national_id
        else None
    )
    return _compact(
        {
            "id": party_id(org),
            "name": org.name,
            "identifier": identifier,
            "address": _compact({"countryName": org.country}),
            "contactPoint": _compact({"url": org.website}),
            "roles": roles,
        }
    )


def _published_buyers(p: ProcurementData) -> list[BuyerData]:
    return [b for b in p.buyers if b.role == "lead" or b.confirmed]


def parties(p: ProcurementData, stage: str) -> list[dict[str, Any]]:
    roles: dict[str, list[str]] = {}
    orgs: dict[str, Org] = {}

    def add(org: Org, role: str) -> None:
        key = party_id(org)
        orgs.setdefault(key, org)
        if role not in roles.setdefault(key, []):
            roles[key].append(role)

    add(p.owner, "buyer")
    for buyer in _published_buyers(p):
        if buyer.role == "option_holder" and not buyer.option_exercised:
            add(buyer.organisation, "interestedParty")
        else:
            add(buyer.organisation, "buyer")
    add(p.procuring_entity or p.owner, "procuringEntity")
    for supplier in p.interested:
        add(supplier, "interestedParty")
    if _reached(stage, "tender"):
        for phase in p.phases:
            for supplier in phase.suppliers:
                add(supplier, "tenderer")
    if _reached(stage, "award"):
        for award in p.awards:
            add(award.supplier, "supplier")
    return [_party(orgs[key], roles[key]) for key in orgs]


# Blocks -----------------------------------------------------------------------------------------


def _reached(stage: str, wanted: str) -> bool:
    """Whether a release at ``stage`` covers ``wanted`` (a cancelled one covers everything)."""
    if stage == "cancelled":
        return True
    return STAGE_ORDER.index(stage) >= STAGE_ORDER.index(wanted)


def _planning(p: ProcurementData, tz: str) -> dict[str, Any]:
    milestones = []
    if p.dialogue_starts_on:
        milestones.append(
            {
                "id": "market-dialogue",
                "title": p.dialogue_title,
                "type": "engagement",
                "dueDate": rfc3339(p.dialogue_starts_on, tz),
            }
        )
    return _compact(
        {
            "rationale": p.description,
            "budget": _compact({"amount": _money(p.estimated_value, p.currency)}),
            "milestones": milestones,
        }
    )


def _phase_milestone(phase: PhaseData, tz: str) -> dict[str, Any]:
    status = {"go": "met", "no_go": "notMet"}.get(phase.decision, "scheduled")
    return _compact(
        {
            "id": f"phase-{phase.position}",
            "title": phase.name,
            "description": phase.target,
            "type": "assessment",
            "status": status,
            "dateMet": rfc3339(phase.decided_on, tz) if phase.decided_on else None,
        }
    )


def _tender(p: ProcurementData, stage: str, tz: str) -> dict[str, Any]:
    items = [
        {
            "id": str(number),
            "classification": {"scheme": "CPV", "id": code},
        }
        for number, code in enumerate(p.cpv_codes, start=1)
    ]
    lots = [
        _compact(
            {
                "id": str(lot.id),
                "title": lot.title,
                "description": lot.description,
                "value": _money(lot.value, p.currency),
            }
        )
        for lot in p.lots
    ]
    tenderers: list[dict[str, str]] = []
    if _reached(stage, "tender"):
        seen: set[str] = set()
        for phase in p.phases:
            for supplier in phase.suppliers:
                if party_id(supplier) not in seen:
                    seen.add(party_id(supplier))
                    tenderers.append(reference(supplier))
    option_holders = [
        b for b in _published_buyers(p) if b.role == "option_holder" and not b.option_exercised
    ]
    tender: dict[str, Any] = {
        "id": f"{p.ocid}-tender",
        "title": p.title,
        "description": p.description,
        "status": TENDER_STATUS[stage],
        "procuringEntity": reference(p.procuring_entity or p.owner),
        "value": _money(p.estimated_value, p.currency),
        "procurementMethod": p.ocds_method,
        "procurementMethodDetails": p.method_details,
        "items": items,
        "lots": lots,
        "milestones": [_phase_milestone(phase, tz) for phase in p.phases],
        "tenderPeriod": _compact({"startDate": rfc3339(p.tender_on, tz) if p.tender_on else None}),
        "awardPeriod": _compact({"startDate": rfc3339(p.award_on, tz) if p.award_on else None}),
        "contractPeriod": _compact(
            {
                "startDate": rfc3339(p.contract_starts_on, tz) if p.contract_starts_on else None,
                "endDate": rfc3339(p.contract_ends_on, tz) if p.contract_ends_on else None,
            }
        ),
        "tenderers": tenderers,
        "numberOfTenderers": len(tenderers) or None,
    }
    if option_holders:
        tender["hasOptions"] = True
        tender["options"] = _compact(
            {
                "description": p.options_description,
                "period": _compact(
                    {"endDate": rfc3339(p.option_deadline, tz) if p.option_deadline else None}
                ),
            }
        )
    return _compact(tender)


def _awards(p: ProcurementData, stage: str, tz: str) -> list[dict[str, Any]]:
    status = "cancelled" if stage == "cancelled" else "active"
    return [
        _compact(
            {
                "id": str(award.id),
                "status": status,
                "date": rfc3339(award.awarded_on, tz),
                "value": _money(award.value, p.currency),
                "suppliers": [reference(award.supplier)],
                "relatedLots": [str(award.lot_id)] if award.lot_id else [],
            }
        )
        for award in p.awards
    ]


def _contracts(p: ProcurementData, stage: str, tz: str) -> list[dict[str, Any]]:
    status = "cancelled" if stage == "cancelled" else "active"
    return [
        _compact(
            {
                "id": str(contract.id),
                "awardID": str(contract.award_id),
                "status": status,
                "value": _money(contract.value, p.currency),
                "period": _compact(
                    {
                        "startDate": rfc3339(contract.starts_on, tz)
                        if contract.starts_on
                        else None,
                        "endDate": rfc3339(contract.ends_on, tz) if contract.ends_on else None,
                    }
                ),
                "dateSigned": rfc3339(contract.signed_on, tz),
            }
        )
        for contract in p.contracts
    ]


# Releases ---------------------------------------------------------------------------------------


def stages_released(p: ProcurementData) -> list[str]:
    """The stages a release was published for, oldest first."""
    if p.stage == "cancelled":
        return ["planning", "cancelled"]
    return STAGE_ORDER[: STAGE_ORDER.index(p.stage) + 1]


def _tag(stage: str) -> str:
    return "tenderCancellation" if stage == "cancelled" else stage


def _release_date(p: ProcurementData, stage: str) -> datetime:
    if stage == p.stage:
        return p.last_changed
    reached = p.stage_reached_at.get(stage, p.created_at)
    return min(max(reached, p.created_at), p.last_changed)


def release(p: ProcurementData, publisher: Publisher, stage: str | None = None) -> dict[str, Any]:
    """The release published when the procurement reached ``stage`` (the current one if
    left out), with everything known then."""
    stage = stage or p.stage
    tz = publisher.time_zone
    published = _release_date(p, stage)
    stamp = published.astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")
    owner = p.owner
    data: dict[str, Any] = {
        "ocid": p.ocid,
        "id": f"{p.ocid}-{_tag(stage)}-{stamp}",
        "date": rfc3339(published, tz),
        "tag": [_tag(stage)],
        "initiationType": "tender",
        "language": p.language,
        "parties": parties(p, stage),
        "buyer": reference(owner),
        "planning": _planning(p, tz),
        "tender": _tender(p, stage, tz),
    }
    if _reached(stage, "award"):
        data["awards"] = _awards(p, stage, tz)
    if _reached(stage, "contract"):
        data["contracts"] = _contracts(p, stage, tz)
    return _compact(data)


def releases(p: ProcurementData, publisher: Publisher) -> list[dict[str, Any]]:
    return [release(p, publisher, stage) for stage in stages_released(p)]


def compiled_release(p: ProcurementData, publisher: Publisher) -> dict[str, Any]:
    """The current state: the latest (full) release, tagged ``compiled``."""
    data = release(p, publisher)
    data["id"] = f"{data['id']}-compiled"
    data["tag"] = ["compiled"]
    return data


def _extensions(release_list: list[dict[str, Any]]) -> list[str]:
    tenders = [r.get("tender", {}) for r in release_list]
    used = []
    if any("lots" in t for t in tenders):
        used.append(LOTS_EXTENSION)
    if any("hasOptions" in t for t in tenders):
        used.append(OPTIONS_EXTENSION)
    return used


def _package(
    uri: str, publisher: Publisher, published: datetime, contents: dict[str, Any], used: list
) -> dict[str, Any]:
    package: dict[str, Any] = {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": rfc3339(published, publisher.time_zone),
        "publisher": {"name": publisher.name, "uri": publisher.uri},
    }
    if used:
        package["extensions"] = used
    package.update(contents)
    return package


def release_package(
    procurements: list[ProcurementData],
    publisher: Publisher,
    uri: str,
    published: datetime,
    links: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The latest release of each procurement. An empty list makes no package: OCDS requires
    at least one release."""
    if not procurements:
        raise ValueError("A release package needs at least one release.")
    latest = [release(p, publisher) for p in procurements]
    contents: dict[str, Any] = {"releases": latest}
    if links:
        contents["links"] = links
    return _package(uri, publisher, published, contents, _extensions(latest))


def record_package(p: ProcurementData, publisher: Publisher, uri: str) -> dict[str, Any]:
    all_releases = releases(p, publisher)
    record = {
        "ocid": p.ocid,
        "releases": all_releases,
        "compiledRelease": compiled_release(p, publisher),
    }
    return _package(
        uri, publisher, p.last_changed, {"records": [record]}, _extensions(all_releases)
    )
