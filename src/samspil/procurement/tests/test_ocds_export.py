"""The OCDS export builds packages that validate against the vendored 1.1.5 schema."""

import copy
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from samspil.core.models import Organisation
from samspil.procurement import ocds, ocds_queries
from samspil.procurement.models import (
    Award,
    Buyer,
    BuyerRole,
    Contract,
    Lot,
    Phase,
    Procurement,
    ProcurementRoute,
)
from samspil.procurement.ocds_validation import (
    record_package_errors,
    release_errors,
    release_package_errors,
)

from .conftest import make_procurement

PUBLISHER = ocds.Publisher(
    name="samspil", uri="https://samspil.example", time_zone="Europe/Copenhagen"
)
WHEN = datetime(2026, 3, 1, 9, 30, tzinfo=ZoneInfo("UTC"))


def make_rich_procurement(alice, org_a, org_b, org_c) -> Procurement:
    """An innovation partnership with lots, CPV codes, buyers, an option, phases, an award
    and a contract: every block of the export filled in."""
    route, _ = ProcurementRoute.objects.get_or_create(
        code="test-innovation-partnership",
        defaults={
            "name": "Innovation partnership",
            "ocds_method": "selective",
            "has_phases": True,
            "translations": {"da": {"name": "Innovationspartnerskab"}},
        },
    )
    org_a.national_id = "12345678"
    org_a.website = "https://arby.example"
    org_a.save()
    org_d = Organisation.objects.create(
        name="Dalby Kommune", slug="dalby", kind="municipality", country="DK", currency="DKK"
    )
    org_e = Organisation.objects.create(
        name="Eskby Kommune", slug="eskby", kind="municipality", country="DK", currency="DKK"
    )
    procurement = make_procurement(
        alice,
        org_a,
        route=route,
        estimated_value=Decimal("40000000"),
        ceiling=Decimal("160000000"),
        cpv_codes=["31500000-1", "31520000-7"],
        dialogue_starts_on=date(2025, 9, 1),
        tender_on=date(2025, 11, 1),
        award_on=date(2026, 1, 15),
        contract_starts_on=date(2026, 2, 1),
        contract_ends_on=date(2030, 1, 31),
        option_deadline=date(2029, 12, 31),
    )
    lot = Lot.objects.create(
        procurement=procurement, title="Care homes", estimated_value=Decimal("25000000.50")
    )
    Lot.objects.create(procurement=procurement, title="Hospitals", position=1)
    now = timezone.now()
    Buyer.objects.create(
        procurement=procurement, organisation=org_b, role=BuyerRole.PARTICIPANT, confirmed_at=now
    )
    Buyer.objects.create(
        procurement=procurement,
        organisation=org_d,
        role=BuyerRole.OPTION_HOLDER,
        maximum_value=Decimal("20000000"),
        confirmed_at=now,
    )
    Buyer.objects.create(  # invited, not confirmed: not published
        procurement=procurement, organisation=org_e, role=BuyerRole.OPTION_HOLDER
    )
    phase = Phase.objects.create(
        procurement=procurement,
        position=1,
        name="Development",
        target="A prototype in one care home",
        decision="go",
        decided_on=date(2026, 6, 1),
    )
    phase.suppliers.add(org_c)
    Phase.objects.create(procurement=procurement, position=2, name="Delivery")
    award = Award.objects.create(
        procurement=procurement,
        lot=lot,
        supplier=org_c,
        value=Decimal("24000000"),
        awarded_on=date(2026, 1, 20),
    )
    Contract.objects.create(
        procurement=procurement,
        award=award,
        value=Decimal("24000000"),
        signed_on=date(2026, 1, 30),
        starts_on=date(2026, 2, 1),
        ends_on=date(2030, 1, 31),
    )
    procurement.stage = "implementation"
    procurement.save()
    return procurement


def data_of(procurement) -> ocds.ProcurementData:
    [data] = ocds_queries.procurement_data(
        ocds_queries.public_procurements(procurement.created_by).filter(pk=procurement.pk)
    )
    return data


@pytest.fixture
def rich(alice, org_a, org_b, org_c):
    return data_of(make_rich_procurement(alice, org_a, org_b, org_c))


def test_it_builds_a_valid_record_package_of_a_rich_procurement(rich):
    package = ocds.record_package(rich, PUBLISHER, uri="https://samspil.example/r")

    assert record_package_errors(package) == []
    record = package["records"][0]
    assert [r["tag"] for r in record["releases"]] == [
        ["planning"],
        ["tender"],
        ["award"],
        ["contract"],
        ["implementation"],
    ]
    assert record["compiledRelease"]["tag"] == ["compiled"]
    assert len({r["id"] for r in record["releases"]}) == 5


def test_it_builds_a_valid_release_package_with_every_block(rich):
    package = ocds.release_package(
        [rich], PUBLISHER, uri="https://samspil.example/p", published=WHEN
    )

    assert release_package_errors(package) == []
    assert package["version"] == "1.1"
    assert package["publisher"] == {"name": "samspil", "uri": "https://samspil.example"}
    assert ocds.LOTS_EXTENSION in package["extensions"]
    assert ocds.OPTIONS_EXTENSION in package["extensions"]
    [release] = package["releases"]
    assert release["initiationType"] == "tender"
    assert release["language"] == "da"
    tender = release["tender"]
    assert tender["procurementMethod"] == "selective"
    assert tender["procurementMethodDetails"] == "Innovationspartnerskab"
    assert tender["status"] == "complete"
    assert tender["value"] == {"amount": 40000000, "currency": "DKK"}
    assert tender["items"][0]["classification"] == {"scheme": "CPV", "id": "31500000-1"}
    assert [lot["title"] for lot in tender["lots"]] == ["Care homes", "Hospitals"]
    assert tender["lots"][0]["value"]["amount"] == 25000000.5
    assert tender["hasOptions"] is True
    assert "Dalby Kommune" in tender["options"]["description"]
    assert tender["tenderPeriod"]["startDate"] == "2025-11-01T00:00:00+01:00"
    assert [m["status"] for m in tender["milestones"]] == ["met", "scheduled"]
    assert release["planning"]["budget"]["amount"] == {"amount": 40000000, "currency": "DKK"}
    assert release["planning"]["rationale"].startswith("Light that follows")
    [award] = release["awards"]
    assert award["status"] == "active"
    assert award["suppliers"][0]["name"] == "Cobalt Software ApS"
    [contract] = release["contracts"]
    assert contract["awardID"] == award["id"]
    assert contract["dateSigned"] == "2026-01-30T00:00:00+01:00"
    assert contract["period"]["endDate"] == "2030-01-31T00:00:00+01:00"


def test_parties_carry_their_roles(rich):
    release = ocds.release(rich, PUBLISHER)
    roles = {party["name"]: party["roles"] for party in release["parties"]}

    assert roles["Arby Kommune"] == ["buyer", "procuringEntity"]
    assert roles["Bergvik kommune"] == ["buyer"]
    assert roles["Dalby Kommune"] == ["interestedParty"]
    assert roles["Cobalt Software ApS"] == ["tenderer", "supplier"]
    assert "Eskby Kommune" not in roles  # invited, not confirmed
    lead = next(p for p in release["parties"] if p["name"] == "Arby Kommune")
    assert lead["id"] == "DK-CVR-12345678"
    assert lead["identifier"] == {
        "scheme": "DK-CVR",
        "id": "12345678",
        "legalName": "Arby Kommune",
    }
    assert release["buyer"] == {"id": "DK-CVR-12345678", "name": "Arby Kommune"}


def test_an_option_exercised_makes_a_buyer(alice, org_a, org_b, org_c):
    procurement = make_rich_procurement(alice, org_a, org_b, org_c)
    Buyer.objects.filter(procurement=procurement, organisation__slug="dalby").update(
        option_exercised=True, exercised_on=date(2027, 1, 1)
    )
    release = ocds.release(data_of(procurement), PUBLISHER)

    roles = {party["name"]: party["roles"] for party in release["parties"]}
    assert roles["Dalby Kommune"] == ["buyer"]
    assert "hasOptions" not in release["tender"]
    assert release_errors(release) == []


@pytest.mark.parametrize(
    ("stage", "tender_status", "tags"),
    [
        ("planning", "planning", [["planning"]]),
        ("tender", "active", [["planning"], ["tender"]]),
        ("cancelled", "cancelled", [["planning"], ["tenderCancellation"]]),
    ],
)
def test_each_stage_makes_valid_releases(alice, org_a, stage, tender_status, tags):
    procurement = make_procurement(alice, org_a)
    procurement.stage = stage
    procurement.save()
    data = data_of(procurement)

    package = ocds.record_package(data, PUBLISHER, uri="https://samspil.example/r")

    assert record_package_errors(package) == []
    assert [r["tag"] for r in package["records"][0]["releases"]] == tags
    assert package["records"][0]["compiledRelease"]["tender"]["status"] == tender_status
    assert "awards" not in package["records"][0]["releases"][0]


def test_a_bare_procurement_makes_a_valid_release(alice, org_a):
    """No route, no value, no dates: the blocks are left out, never null."""
    data = data_of(make_procurement(alice, org_a, description=""))
    release = ocds.release(data, PUBLISHER)

    assert release_errors(release) == []
    assert "procurementMethod" not in release["tender"]
    assert "planning" not in release or "budget" not in release["planning"]


def test_the_validator_reports_a_broken_release(rich):
    package = ocds.release_package(
        [rich], PUBLISHER, uri="https://samspil.example/p", published=WHEN
    )
    broken = copy.deepcopy(package)
    release = broken["releases"][0]
    del release["ocid"]
    release["tag"] = ["done"]
    release["date"] = "1 March 2026"
    release["tender"]["procurementMethod"] = "innovation"
    release["tender"]["value"]["amount"] = "forty million"

    errors = release_package_errors(broken)

    assert any("'ocid' is a required property" in e for e in errors)
    assert any(e.startswith("releases/0/tag/0") for e in errors)
    assert any(e.startswith("releases/0/date") for e in errors)
    assert any(e.startswith("releases/0/tender/procurementMethod") for e in errors)
    assert any(e.startswith("releases/0/tender/value/amount") for e in errors)
    assert release_package_errors(package) == []


def test_the_validator_wants_a_time_zone_and_at_least_one_release(rich):
    package = ocds.release_package(
        [rich], PUBLISHER, uri="https://samspil.example/p", published=WHEN
    )
    package["publishedDate"] = "2026-03-01T09:30:00"
    assert any(e.startswith("publishedDate") for e in release_package_errors(package))
    package["publishedDate"] = "2026-03-01T09:30:00Z"
    package["releases"] = []
    assert release_package_errors(package) != []


def test_a_package_without_releases_is_refused():
    with pytest.raises(ValueError):
        ocds.release_package([], PUBLISHER, uri="https://samspil.example/p", published=WHEN)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("160000000"), 160000000), (Decimal("12.50"), 12.5), (None, None)],
)
def test_amounts_are_numbers(value, expected):
    assert ocds.amount(value) == expected


def test_dates_carry_the_time_zone():
    assert ocds.rfc3339(date(2026, 7, 1), "Europe/Copenhagen") == "2026-07-01T00:00:00+02:00"
    assert ocds.rfc3339(WHEN) == "2026-03-01T09:30:00+00:00"
