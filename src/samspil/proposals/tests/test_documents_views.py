"""Who may download a proposal's document or a round's overview, on the pages and the API."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from samspil.core.models import Visibility
from samspil.proposals import documents

from .conftest import make_proposal
from .test_documents import add_line, fill, make_round


def document_url(proposal, file_format):
    return reverse("proposals:document", args=[proposal.pk, file_format])


def overview_url(round_, file_format):
    return reverse("proposals:round-overview", args=[round_.pk, file_format])


@pytest.fixture
def internal_round(org_a, internal_proposal):
    return make_round(org_a, [internal_proposal], visibility=Visibility.INTERNAL)


# Proposal documents ------------------------------------------------------------------------


def test_it_gives_anyone_a_public_proposal_as_docx(client, proposal):
    fill(proposal)
    response = client.get(document_url(proposal, "docx"))
    assert response.status_code == 200
    assert response["Content-Type"] == documents.DOCX_TYPE
    assert response["Content-Disposition"] == (
        'attachment; filename="Hackathons_as_market_dialogue.docx"'
    )
    doc = Document(io.BytesIO(response.content))
    assert any(row.cells[3].text == "2,700" for row in doc.tables[0].rows)


def test_it_gives_the_document_in_the_language_of_the_page(client, proposal, settings):
    fill(proposal)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    doc = Document(io.BytesIO(client.get(document_url(proposal, "docx")).content))
    assert any(row.cells[3].text == "2.700" for row in doc.tables[0].rows)


def test_it_gives_a_pdf(client, proposal):
    response = client.get(document_url(proposal, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_it_makes_a_safe_file_name_of_any_title(client, alice, org_a):
    odd = make_proposal(alice, org_a, title='../"Økonomi"\r\n; 50/50.docx')
    response = client.get(document_url(odd, "docx"))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert disposition.endswith("..-%C3%98konomi_50-50.docx.docx")  # no folder, no quotes
    assert "\r" not in disposition and "\n" not in disposition


def test_it_gives_anonymous_visitors_404_on_an_internal_proposal(client, internal_proposal):
    assert client.get(document_url(internal_proposal, "docx")).status_code == 404


@pytest.mark.parametrize("persona", ["charlie", "dave"])
def test_it_gives_others_404_on_an_internal_proposal(
    client_for, internal_proposal, persona, request
):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(document_url(internal_proposal, "pdf")).status_code == 404


def test_it_gives_members_of_the_organisation_an_internal_proposal(
    client_for, bob, internal_proposal
):
    assert client_for(bob).get(document_url(internal_proposal, "docx")).status_code == 200


def test_it_answers_404_for_another_format(client, proposal):
    assert client.get(document_url(proposal, "odt")).status_code == 404


def test_it_offers_the_downloads_on_the_proposal_page(client, proposal):
    content = client.get(proposal.get_absolute_url()).content.decode()
    assert document_url(proposal, "docx") in content
    assert document_url(proposal, "pdf") in content


def test_it_answers_in_the_same_number_of_queries_however_long_the_proposal(
    client_for, alice, org_a
):
    client = client_for(alice)
    small = make_proposal(alice, org_a)
    fill(small, extra_rows=2)
    large = make_proposal(alice, org_a, title="Larger")
    fill(large, extra_rows=10)
    client.get(document_url(small, "docx"))  # the session and the access are cached
    with CaptureQueriesContext(connection) as few:
        client.get(document_url(small, "docx"))
    with CaptureQueriesContext(connection) as many:
        client.get(document_url(large, "docx"))
    assert len(many) == len(few)


# Round overviews ---------------------------------------------------------------------------


def test_it_gives_anyone_a_public_round_as_xlsx(client, org_a, proposal):
    add_line(proposal, "Cost", y2021=2700)
    round_ = make_round(org_a, [proposal])
    response = client.get(overview_url(round_, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == documents.XLSX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="Innovation_pool_2021.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["B4"].value == proposal.title
    assert sheet["C4"].value == 2700


def test_it_gives_a_round_overview_as_pdf(client, org_a, proposal):
    response = client.get(overview_url(make_round(org_a, [proposal]), "pdf"))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("persona", [None, "charlie", "dave"])
def test_it_gives_others_404_on_an_internal_round(
    client, client_for, internal_round, persona, request
):
    if persona:
        client = client_for(request.getfixturevalue(persona))
    assert client.get(overview_url(internal_round, "xlsx")).status_code == 404


def test_it_gives_members_an_internal_round(client_for, bob, internal_round):
    assert client_for(bob).get(overview_url(internal_round, "pdf")).status_code == 200


def test_it_answers_404_for_another_overview_format(client, org_a, proposal):
    assert client.get(overview_url(make_round(org_a, [proposal]), "csv")).status_code == 404


def test_it_offers_the_overview_on_the_round_page(client, org_a, proposal):
    round_ = make_round(org_a, [proposal])
    content = client.get(round_.get_absolute_url()).content.decode()
    assert overview_url(round_, "xlsx") in content
    assert overview_url(round_, "pdf") in content


def test_it_answers_an_overview_in_the_same_number_of_queries_however_many_entries(
    client_for, alice, org_a
):
    def round_of(count: int):
        proposals = [make_proposal(alice, org_a, title=f"P{i}") for i in range(count)]
        for p in proposals:
            add_line(p, "Cost", y2021=100)
        return make_round(org_a, proposals, title=f"Round {count}")

    client = client_for(alice)
    small, large = round_of(2), round_of(10)
    client.get(overview_url(small, "xlsx"))
    with CaptureQueriesContext(connection) as few:
        client.get(overview_url(small, "xlsx"))
    with CaptureQueriesContext(connection) as many:
        client.get(overview_url(large, "xlsx"))
    assert len(many) == len(few)


# API ---------------------------------------------------------------------------------------


def test_it_gives_the_document_through_the_api(client, proposal):
    response = client.get(f"/api/proposals/{proposal.pk}/document?format=docx")
    assert response.status_code == 200
    assert response["Content-Type"] == documents.DOCX_TYPE
    Document(io.BytesIO(response.content))  # a document python-docx can open
    response = client.get(f"/api/proposals/{proposal.pk}/document?format=pdf")
    assert response.content.startswith(b"%PDF")


def test_it_answers_422_problem_details_for_another_format(client, proposal):
    response = client.get(f"/api/proposals/{proposal.pk}/document?format=odt")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    response = client.get(f"/api/proposals/{proposal.pk}/document")
    assert response.status_code == 422


def test_it_answers_404_through_the_api_on_an_unseen_proposal(
    client_for, charlie, internal_proposal
):
    response = client_for(charlie).get(f"/api/proposals/{internal_proposal.pk}/document?format=pdf")
    assert response.status_code == 404
    assert response.json()["status"] == 404


def test_it_gives_a_round_overview_through_the_api(client, org_a, proposal):
    round_ = make_round(org_a, [proposal])
    response = client.get(f"/api/rounds/{round_.pk}/overview?format=xlsx")
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).active["B4"].value == proposal.title
    assert client.get(f"/api/rounds/{round_.pk}/overview?format=docx").status_code == 422


def test_it_answers_404_through_the_api_on_an_unseen_round(client, internal_round):
    response = client.get(f"/api/rounds/{internal_round.pk}/overview?format=pdf")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
