"""The needs list as CSV and XLSX: the list's filters, only what the person may see."""

import csv
import io

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from samspil.core.models import Visibility
from samspil.needs import services, similarity
from samspil.needs.models import Need


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture(autouse=True)
def fresh_similarity_index():
    similarity.reset_index()
    yield
    similarity.reset_index()


def make_need(owner, by, title: str, visibility=Visibility.INTERNAL, **fields) -> Need:
    fields.setdefault("description", "En beskrivelse af behovet.")
    need = Need.objects.create(
        owner=owner, submitted_by=by, title=title, visibility=visibility, **fields
    )
    services.refresh_derived_fields(need)
    return need


@pytest.fixture
def needs(org_a, org_b, bob, charlie):
    return {
        "internal": make_need(org_a, bob, "Intern vagtplan"),
        "shared": make_need(org_a, bob, "Fakturaer konteres manuelt", Visibility.SHARED),
        "public": make_need(org_a, bob, "Dagslys på plejehjem", Visibility.PUBLIC),
        "b_internal": make_need(org_b, charlie, "Lønkjøring i Bergvik"),
    }


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(workbook.worksheets[0].iter_rows(values_only=True))


def test_it_exports_csv_with_a_header_row_and_only_rows_charlie_may_see(client_for, charlie, needs):
    rows = csv_rows(client_for(charlie).get(reverse("needs:export-csv")))
    assert rows[0][:2] == ["Number", "Title"]
    assert {row[1] for row in rows[1:]} == {
        "Fakturaer konteres manuelt",
        "Dagslys på plejehjem",
        "Lønkjøring i Bergvik",
    }


def test_it_exports_only_public_needs_to_an_anonymous_visitor(client, needs):
    rows = csv_rows(client.get(reverse("needs:export-csv")))
    assert [row[1] for row in rows[1:]] == ["Dagslys på plejehjem"]
    sheet = xlsx_rows(client.get(reverse("needs:export-xlsx")))
    assert [row[1] for row in sheet[1:]] == ["Dagslys på plejehjem"]


def test_it_exports_xlsx_with_the_list_s_filters(client_for, alice, needs, org_b):
    client = client_for(alice)
    sheet = xlsx_rows(client.get(reverse("needs:export-xlsx")))
    assert sheet[0][:2] == ("Number", "Title")
    assert {row[1] for row in sheet[1:]} == {
        "Intern vagtplan",
        "Fakturaer konteres manuelt",
        "Dagslys på plejehjem",
    }
    searched = xlsx_rows(client.get(reverse("needs:export-xlsx"), {"q": "fakturaer"}))
    assert [row[1] for row in searched[1:]] == ["Fakturaer konteres manuelt"]
    by_org = csv_rows(client.get(reverse("needs:export-csv"), {"organisation": org_b.pk}))
    assert by_org[1:] == []


def test_it_keeps_formula_like_text_as_text(client_for, bob, org_a):
    make_need(org_a, bob, '=HYPERLINK("http://evil")', Visibility.PUBLIC)
    client = client_for(bob)
    rows = csv_rows(client.get(reverse("needs:export-csv")))
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'
    workbook = load_workbook(
        io.BytesIO(b"".join(client.get(reverse("needs:export-xlsx")).streaming_content))
    )
    cell = workbook.worksheets[0]["B2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://evil")', "s")


def test_it_answers_search_syntax_in_exports_safely(client_for, alice, needs):
    client = client_for(alice)
    for text in ['"*-(', "<script>", "' OR 1=1 --"]:
        assert client.get(reverse("needs:export-csv"), {"q": text}).status_code == 200
        assert client.get(reverse("needs:export-xlsx"), {"q": text}).status_code == 200


def export_queries(client, name: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name))
        b"".join(response.streaming_content)
    return len(captured)


@pytest.mark.parametrize("name", ["needs:export-csv", "needs:export-xlsx"])
def test_it_exports_in_the_same_number_of_queries_for_3_and_30_rows(client_for, alice, org_a, name):
    client = client_for(alice)
    for n in range(3):
        make_need(org_a, alice, f"Behov {n}")
    export_queries(client, name)  # warm up
    few = export_queries(client, name)
    for n in range(3, 30):
        make_need(org_a, alice, f"Behov {n}")
    assert export_queries(client, name) == few
