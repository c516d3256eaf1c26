"""Open data: the Atom feed of new results, the CSV files of public records and the
Frictionless data package that describes them (validated with frictionless-py)."""

import csv
import io
import json
from datetime import date, timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from samspil.results import adoption_services as services
from samspil.results.models import Adoption, ResultStatus

from .factories import insert_result

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def results(alice, org_a, org_b):
    """Two published results of Bergvik (one adopted by Arby), a draft of Arby."""
    older = insert_result(
        org_b,
        title="Payroll sourcing",
        published_at=timezone.now() - timedelta(days=3),
        stage="proof_of_concept",
    )
    newer = insert_result(org_b, title="Robotic invoice coding, “in use”", outcome="implemented")
    insert_result(org_a, status=ResultStatus.DRAFT, title="A secret draft")
    services.adopt_result(alice, newer, org_a, note='Line one,\nwith "quotes"')
    return newer, older


def read_csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_feed_lists_published_results_newest_first(client, results):
    newer, older = results
    response = client.get("/results/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [newer.title, older.title]
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link.endswith(f"/results/{newer.pk}/")
    assert entries[0].findtext(f"{ATOM}author/{ATOM}name") == "Bergvik kommune"
    assert b"A secret draft" not in response.content


def test_the_results_csv_holds_published_results_only(client, results, org_b):
    newer, older = results
    response = client.get("/results/open-data/results.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="results.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert [int(r["id"]) for r in rows] == sorted([newer.pk, older.pk])
    by_id = {int(r["id"]): r for r in rows}
    assert by_id[newer.pk]["title"] == newer.title
    assert by_id[newer.pk]["adoptions"] == "1" and by_id[older.pk]["adoptions"] == "0"
    assert by_id[newer.pk]["organisation_id"] == str(org_b.pk)
    assert by_id[newer.pk]["published_at"].endswith("Z")


def test_the_adoptions_csv_keeps_notes_whole(client, results, org_a):
    newer, _older = results
    rows = read_csv(client.get("/results/open-data/adoptions.csv"))
    assert len(rows) == 1
    assert rows[0]["result_id"] == str(newer.pk) and rows[0]["organisation"] == org_a.name
    assert rows[0]["note"] == 'Line one,\nwith "quotes"'
    assert rows[0]["outcome"] == "started" and rows[0]["started"] == ""


def test_adoptions_of_unpublished_results_stay_out(client, results, org_a):
    newer, _older = results
    newer.status = ResultStatus.WITHDRAWN
    newer.save()
    assert read_csv(client.get("/results/open-data/adoptions.csv")) == []


def test_the_exports_cost_the_same_queries_for_many_rows(
    client, org_a, org_b, django_assert_max_num_queries
):
    for number in range(30):
        made = insert_result(org_b, title=f"Result {number}")
        Adoption.objects.create(result=made, organisation=org_a, adopted_on=date(2024, 1, 1))
    with django_assert_max_num_queries(4):
        assert len(read_csv(client.get("/results/open-data/results.csv"))) == 30
    with django_assert_max_num_queries(3):
        assert len(read_csv(client.get("/results/open-data/adoptions.csv"))) == 30


def test_the_data_package_points_at_the_csv_addresses(client, results):
    response = client.get("/results/open-data/datapackage.json")
    assert response.status_code == 200
    package = response.json()
    paths = {r["name"]: r["path"] for r in package["resources"]}
    assert paths == {
        "results": "http://testserver/results/open-data/results.csv",
        "adoptions": "http://testserver/results/open-data/adoptions.csv",
    }


def test_the_data_package_validates_with_frictionless(client, results, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    package = client.get("/results/open-data/datapackage.json").json()
    for resource in package["resources"]:
        name = resource["path"].rsplit("/", 1)[1]
        content = b"".join(client.get(f"/results/open-data/{name}").streaming_content)
        (tmp_path / name).write_bytes(content)
        resource["path"] = name
    descriptor = tmp_path / "datapackage.json"
    descriptor.write_text(json.dumps(package), encoding="utf-8")
    report = frictionless.validate(str(descriptor))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.stats["tasks"] == 2


def test_the_open_data_page_links_everything(client, results):
    response = client.get("/results/open-data/")
    assert response.status_code == 200
    html = response.content.decode()
    for address in (
        "/results/open-data/results.csv",
        "/results/open-data/adoptions.csv",
        "/results/open-data/datapackage.json",
        "/results/feed.atom",
        "/api/public/results",
    ):
        assert f'href="{address}"' in html


def test_publiccode_yml_describes_the_project(settings):
    yaml = pytest.importorskip("yaml")
    path = settings.BASE_DIR / "publiccode.yml"
    code = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert code["publiccodeYmlVersion"] == "0.4" and code["name"] == "samspil"
    for key in ("url", "platforms", "categories", "developmentStatus", "softwareType", "legal"):
        assert code[key], key
    assert code["platforms"] == ["web"] and code["legal"]["license"]
    assert code["maintenance"]["type"] in {"internal", "contract", "community", "none"}
    assert set(code["description"]) == {"en", "da", "nb", "sv"}
    for description in code["description"].values():
        assert len(description["shortDescription"]) <= 150
        assert 150 <= len(description["longDescription"]) <= 10000
        assert all(len(feature) <= 100 for feature in description["features"])
    postgres = next(d for d in code["dependsOn"]["open"] if d["name"] == "PostgreSQL")
    assert postgres["optional"] is True
