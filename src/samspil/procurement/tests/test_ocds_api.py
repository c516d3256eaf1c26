"""The OCDS API: open data of public procurements, valid packages, who sees what."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samspil.core.models import Organisation
from samspil.procurement.models import Buyer, BuyerRole, Lot
from samspil.procurement.ocds_validation import record_package_errors, release_package_errors

from .conftest import make_procurement
from .test_ocds_export import make_rich_procurement

RELEASES = "/api/ocds/releases"


def record_url(procurement) -> str:
    return f"/api/ocds/records/{procurement.ocid}"


def ocids(response) -> list[str]:
    return [release["ocid"] for release in response.json()["releases"]]


def test_anonymous_sees_the_public_procurements(client, procurement, internal_procurement):
    response = client.get(RELEASES)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert release_package_errors(response.json()) == []
    assert ocids(response) == [procurement.ocid]


@pytest.mark.parametrize("persona", ["alice", "bob", "charlie", "dave"])
def test_internal_procurements_are_never_in_the_package(
    request, client_for, persona, procurement, internal_procurement
):
    client = client_for(request.getfixturevalue(persona))

    response = client.get(RELEASES)

    assert ocids(response) == [procurement.ocid]
    assert client.get(record_url(internal_procurement)).status_code == 404


def test_a_shared_procurement_is_not_open_data(client_for, alice, org_a):
    shared = make_procurement(alice, org_a, title="Shared", visibility="shared")

    assert client_for(alice).get(record_url(shared)).status_code == 404
    assert client_for(alice).get(f"{RELEASES}/{shared.ocid}").status_code == 404


def test_the_rich_procurement_makes_valid_packages(client, alice, org_a, org_b, org_c):
    rich = make_rich_procurement(alice, org_a, org_b, org_c)

    releases = client.get(RELEASES)
    latest = client.get(f"{RELEASES}/{rich.ocid}")
    record = client.get(record_url(rich))

    assert release_package_errors(releases.json()) == []
    assert release_package_errors(latest.json()) == []
    assert record_package_errors(record.json()) == []
    assert latest.json()["releases"][0]["tag"] == ["implementation"]
    assert record.json()["records"][0]["compiledRelease"]["tender"]["lots"]
    assert record.json()["uri"] == f"http://testserver{record_url(rich)}"


def test_an_unknown_ocid_is_404_problem(client, db):
    response = client.get("/api/ocds/records/ocds-samspil-999999")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_since_keeps_the_procurements_changed_after_it(client, alice, org_a):
    old = make_procurement(alice, org_a, title="Old")
    new = make_procurement(alice, org_a, title="New")
    later = timezone.now() + timedelta(seconds=1)

    assert set(ocids(client.get(RELEASES))) == {old.ocid, new.ocid}
    assert client.get(RELEASES, {"since": later.isoformat()}).status_code == 204


def test_a_change_to_a_lot_counts_as_a_change(client, alice, org_a):
    procurement = make_procurement(alice, org_a)
    cutoff = timezone.now()
    assert client.get(RELEASES, {"since": cutoff.isoformat()}).status_code == 204

    Lot.objects.create(procurement=procurement, title="Care homes")

    response = client.get(RELEASES, {"since": cutoff.isoformat()})
    assert ocids(response) == [procurement.ocid]
    assert release_package_errors(response.json()) == []


@pytest.mark.parametrize("since", ["yesterday", "2026-13-01T00:00:00Z", "31/01/2026"])
def test_a_bad_since_is_a_422_problem(client, procurement, since):
    response = client.get(f"{RELEASES}?since={quote(since)}")

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "since" in response.json()["errors"]


def test_an_unencoded_plus_in_since_is_read_as_the_offset(client, procurement):
    response = client.get(f"{RELEASES}?since=2000-01-01T00:00:00+01:00")

    assert ocids(response) == [procurement.ocid]


def test_pages_link_to_the_next_one(client, alice, org_a):
    made = [make_procurement(alice, org_a, title=f"P{n}") for n in range(3)]

    first = client.get(RELEASES, {"page_size": 2})
    assert ocids(first) == [p.ocid for p in made[:2]]
    next_url = first.json()["links"]["next"]
    assert "page=2" in next_url
    second = client.get(next_url)
    assert ocids(second) == [made[2].ocid]
    assert "links" not in second.json()
    assert release_package_errors(second.json()) == []
    assert client.get(RELEASES, {"page_size": 2, "page": 3}).status_code == 404


def test_no_public_procurement_is_204(client, internal_procurement):
    assert client.get(RELEASES).status_code == 204


def _add_rows(alice, org_a, start: int, n: int) -> None:
    for i in range(start, start + n):
        procurement = make_procurement(alice, org_a, title=f"Extra {i}")
        Lot.objects.create(procurement=procurement, title="Lot")
        organisation = Organisation.objects.create(
            name=f"Buyer {i}",
            slug=f"buyer-{i}",
            kind="municipality",
            country="DK",
            currency="DKK",
        )
        Buyer.objects.create(
            procurement=procurement,
            organisation=organisation,
            role=BuyerRole.PARTICIPANT,
            confirmed_at=timezone.now(),
        )


def test_the_package_costs_the_same_queries_as_procurements_grow(
    client, alice, org_a, org_b, org_c
):
    make_rich_procurement(alice, org_a, org_b, org_c)
    _add_rows(alice, org_a, 0, 1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(RELEASES).status_code == 200

    _add_rows(alice, org_a, 1, 6)
    with CaptureQueriesContext(connection) as many:
        response = client.get(RELEASES)

    assert len(ocids(response)) == 8
    assert len(many) == len(few)


def test_the_record_costs_the_same_queries_as_buyers_grow(client, alice, org_a, org_b, org_c):
    rich = make_rich_procurement(alice, org_a, org_b, org_c)
    with CaptureQueriesContext(connection) as few:
        client.get(record_url(rich))
    for i in range(5):
        organisation = Organisation.objects.create(
            name=f"Buyer {i}", slug=f"more-{i}", kind="municipality", country="DK", currency="DKK"
        )
        Buyer.objects.create(
            procurement=rich,
            organisation=organisation,
            role=BuyerRole.PARTICIPANT,
            confirmed_at=timezone.now(),
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(record_url(rich))

    assert record_package_errors(response.json()) == []
    assert len(many) == len(few)


def test_the_procurement_page_links_to_its_open_data(client, procurement):
    response = client.get(reverse("procurement:detail", args=[procurement.pk]))

    assert response.status_code == 200
    assert f'href="{record_url(procurement)}"' in response.content.decode()
    assert f'href="{RELEASES}/{procurement.ocid}"' in response.content.decode()


def test_an_internal_procurement_page_has_no_open_data_links(
    client_for, alice, internal_procurement
):
    response = client_for(alice).get(reverse("procurement:detail", args=[internal_procurement.pk]))

    assert response.status_code == 200
    assert "/api/ocds/" not in response.content.decode()


def test_the_page_level_link_leads_to_the_record(client, procurement):
    response = client.get(reverse("procurement:ocds-record", args=[procurement.pk]))

    assert response.status_code == 302
    assert response["Location"] == record_url(procurement)


@pytest.mark.parametrize("persona", ["alice", "charlie", "dave"])
def test_the_page_level_link_of_an_internal_procurement_is_404(
    request, client_for, persona, internal_procurement
):
    client = client_for(request.getfixturevalue(persona))

    response = client.get(reverse("procurement:ocds-record", args=[internal_procurement.pk]))

    assert response.status_code == 404
