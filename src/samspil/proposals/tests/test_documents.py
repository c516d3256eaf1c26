"""A proposal as DOCX and PDF, a round's overview as XLSX and PDF: what the files hold.

The helpers here (``add_line``, ``fill``, ``make_round``) are shared with
``test_documents_views.py``.
"""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook

from samspil.core.models import Organisation, Visibility
from samspil.proposals import documents
from samspil.proposals.models import (
    CriteriaRow,
    EconomicLine,
    FollowUpItem,
    LineValue,
    ProposalSection,
    Round,
    RoundCriterion,
    RoundEntry,
    Score,
)

from .conftest import make_proposal

SEED_COSTS = (
    ("Project management in the social department", 1000),
    ("Group IT resources and operation", 950),
    ("External assistance", 475),
    ("Skills in data analysis and running hackathons", 275),
)


def add_line(proposal, label, group="implementation", area="service", **cells):
    """A line with cells given as ``y2021=1000`` or ``y2022=(low, high)``."""
    line = EconomicLine.objects.create(
        proposal=proposal, group=group, budget_area=area, label=label, position=0
    )
    for key, cell in cells.items():
        low, value, high = (
            (cell[0], None, cell[1]) if isinstance(cell, tuple) else (None, cell, None)
        )
        LineValue.objects.create(line=line, year=int(key[1:]), value=value, low=low, high=high)
    return line


def fill(proposal, extra_rows: int = 0):
    """Seed 004's table (2,700 in 2021) and a saving, its text, criteria, follow-up and an
    answered consultation; ``extra_rows`` more lines, criteria and follow-ups."""
    for label, value in SEED_COSTS:
        add_line(proposal, label, y2021=value)
    add_line(proposal, "Fewer complaints", group="permanent", y2023=-500, y2024=-500, y2025=-500)
    for i in range(extra_rows):
        add_line(proposal, f"Extra {i}", y2022=10)
        CriteriaRow.objects.create(proposal=proposal, label=f"Extra {i}", position=10 + i)
        FollowUpItem.objects.create(proposal=proposal, criterion=f"Extra {i}", position=10 + i)
    ProposalSection.objects.filter(proposal=proposal, section__code="background").update(
        text="Citizens with special needs.\n\nTwo hackathons were held in February 2020."
    )
    CriteriaRow.objects.create(
        proposal=proposal,
        label="1. Complaints",
        expense_low=Decimal(1500),
        expense_high=Decimal(3000),
        expected_proposal="Investment proposal",
        expected_budget_year=2022,
        saving_low=Decimal(500),
        saving_high=Decimal(500),
        saving_area="service",
        cross_cutting="maybe",
        mature_technology="yes",
    )
    FollowUpItem.objects.create(
        proposal=proposal,
        criterion="The hackathons support later proposals",
        how_measured="A prototype was delivered",
        responsible="Digitalisation",
        when="After each hackathon",
    )
    first = proposal.consultations.order_by("position", "pk").first()
    first.answer, first.answered_on = "yes", date(2020, 6, 16)
    first.save()


def make_round(owner, proposals, visibility=Visibility.PUBLIC, closed=False, **fields):
    now = timezone.now()
    deadline = now - timedelta(days=1) if closed else now + timedelta(days=10)
    round_ = Round.objects.create(
        owner=owner,
        visibility=visibility,
        title=fields.pop("title", "Innovation pool 2021"),
        submission_deadline=deadline - timedelta(days=5),
        scoring_deadline=deadline,
        **fields,
    )
    for proposal in proposals:
        RoundEntry.objects.create(round=round_, proposal=proposal)
    return round_


def docx_of(content: bytes):
    return Document(io.BytesIO(content))


def table_with(doc, first_header: str):
    return next(t for t in doc.tables if t.rows[0].cells[0].text.startswith(first_header))


def row_named(table, name: str) -> list[str]:
    return next([c.text for c in row.cells] for row in table.rows if row.cells[0].text == name)


@pytest.fixture
def filled(proposal):
    fill(proposal)
    return proposal


# The proposal ------------------------------------------------------------------------------


def test_it_writes_the_economic_table_in_english_number_style(filled):
    doc = docx_of(documents.proposal_docx(documents.proposal_document(filled, "en")))
    table = table_with(doc, "1,000 DKK 2021 prices")
    header = [c.text for c in table.rows[0].cells]
    assert header[1:] == ["Budget area", "2020", "2021", "2022", "2023", "2024", "2025"]
    assert row_named(table, "External assistance")[1:4] == ["Service", "", "475"]
    assert row_named(table, "Total: Implementation costs")[3] == "2,700"
    assert row_named(table, "Total: Permanent changes")[5:] == ["-500", "-500", "-500"]
    assert row_named(table, "Total")[2:] == ["", "2,700", "", "-500", "-500", "-500"]
    texts = [p.text for p in doc.paragraphs]
    assert "Note to all tables: all savings are shown with a negative (-) sign." in texts


def test_it_writes_numbers_in_danish_style_for_danish(filled):
    doc = docx_of(documents.proposal_docx(documents.proposal_document(filled, "da")))
    totals = [row.cells[3].text for row in doc.tables[0].rows]
    assert "2.700" in totals
    assert "1.000" in totals


def test_it_gives_the_template_headings_with_their_numbers_in_order(filled):
    doc = docx_of(documents.proposal_docx(documents.proposal_document(filled, "en")))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "1.0 Forslagets samlede økonomiske konsekvenser",
        "1.1 Baggrund og formål",
        "1.2 Forslagets indhold og organisering",
        "1.3 Økonomi",
        "1.4 Kriterier til prioritering af innovationspuljen",
        "1.5 Implementering og eksterne samarbejdspartnere",
        "1.6 Forslagets effekt",
        "1.7 Opfølgning",
        "1.8 Risikovurdering",
        "Hvem er hørt?",
    ]
    texts = [p.text for p in doc.paragraphs]
    assert doc.paragraphs[0].text == filled.title
    assert "Two hackathons were held in February 2020." in texts
    assert texts.count("This section has not been filled in.") == 4  # 1.2, 1.5, 1.6, 1.8


def test_it_writes_the_criteria_follow_up_and_consultation_tables(filled):
    doc = docx_of(documents.proposal_docx(documents.proposal_document(filled, "en")))
    criteria = table_with(doc, "Item")
    assert row_named(criteria, "1. Complaints") == [
        "1. Complaints",
        "1,500–3,000",
        "Investment proposal, budget 2022",
        "500 a year (Service)",
        "Maybe",
        "",
        "Yes",
    ]
    follow_up = table_with(doc, "Success criterion")
    assert [c.text for c in follow_up.rows[0].cells] == [
        "Success criterion",
        "How it is measured",
        "Who is responsible",
        "When",
    ]
    assert row_named(follow_up, "The hackathons support later proposals")[1:] == [
        "A prototype was delivered",
        "Digitalisation",
        "After each hackathon",
    ]
    consultations = table_with(doc, "Body")
    assert [c.text for c in consultations.rows[0].cells] == [
        "Body",
        "When to consult",
        "Answer",
        "Date",
    ]
    assert row_named(consultations, "Center for Økonomi, Økonomiforvaltningen")[1:] == [
        "Godkender forslaget, før det kan indgå i puljen.",
        "Yes",
        "16/06/2020",
    ]
    assert row_named(consultations, "IT-kredsen")[1:] == [
        "Digitaliseringsprojekter, forud for budgetforhandlingerne.",
        "Not answered",
        "",
    ]


def _after_heading(doc, heading: str) -> list:
    """The paragraphs and tables between ``heading`` and the next heading, in order."""
    content = list(doc.iter_inner_content())
    start = next(i for i, block in enumerate(content) if getattr(block, "text", "") == heading)
    found = []
    for block in content[start + 1 :]:
        if isinstance(block, Paragraph) and block.style.name == "Heading 1":
            break
        found.append(block)
    return found


@pytest.mark.parametrize(
    ("language", "caption", "total"),
    [
        ("en", "Table 1. Service investments in the proposal", "2,700"),
        ("da", None, "2.700"),
    ],
)
def test_it_writes_the_service_investments_as_table_1_under_section_1_3(
    filled, language, caption, total
):
    add_line(filled, "Parking", area="construction", y2021=300)
    doc = docx_of(documents.proposal_docx(documents.proposal_document(filled, language)))
    section = _after_heading(doc, "1.3 Økonomi")
    assert [type(block) for block in section] == [Paragraph, Table]
    captions, table = section
    assert captions.style.name == "Caption"
    if caption:
        assert captions.text == caption
    header = [c.text for c in table.rows[0].cells]
    assert header[1:] == ["2020", "2021", "2022", "2023", "2024", "2025"]
    labels = [row.cells[0].text for row in table.rows[1:-1]]
    assert labels == [label for label, _value in SEED_COSTS]  # no saving, no construction
    assert [c.text for c in table.rows[3].cells][2] == "475"
    assert [c.text for c in table.rows[-1].cells][2] == total


def test_it_prints_table_1_in_the_pdf_in_danish_number_style(filled):
    html = documents.proposal_html(documents.proposal_document(filled, "da"))
    section = html.split("1.3 Økonomi", 1)[1].split("<h2", 1)[0]
    assert "<caption>" in section and '<td class="number">2.700</td>' in section
    assert '<th scope="row">Ekstern bistand</th>' not in section  # the labels are the lines'
    assert '<th scope="row">External assistance</th>' in section


def test_it_says_so_when_the_tables_are_empty(proposal):
    doc = docx_of(documents.proposal_docx(documents.proposal_document(proposal, "en")))
    texts = [p.text for p in doc.paragraphs]
    assert "The economic table has no lines yet." in texts
    assert "No prioritisation criteria have been filled in." in texts
    assert "No follow-up has been planned." in texts


def test_it_shows_a_range_with_its_likely_value_and_figures_for_each_scenario(proposal):
    add_line(proposal, "Decision support", y2021=(3500, 5000))
    document = documents.proposal_document(proposal, "en")
    doc = docx_of(documents.proposal_docx(document))
    table = table_with(doc, "1,000 DKK 2021 prices")
    assert row_named(table, "Decision support")[3] == "4,250 (3,500–5,000)"
    figures = table_with(doc, "Key figure")
    assert [c.text for c in figures.rows[0].cells] == ["Key figure", "Low", "Likely", "High"]
    assert row_named(figures, "Total investment")[1:] == ["3,500", "4,250", "5,000"]


def test_it_ticks_the_affected_departments_of_the_municipality(proposal, org_a, org_a_department):
    Organisation.objects.create(
        name="Arby Teknik- og Miljøforvaltning",
        slug="arby-tmf",
        kind="department",
        country="DK",
        currency="DKK",
        parent=org_a,
    )
    proposal.affected_departments.add(org_a_department)
    doc = docx_of(documents.proposal_docx(documents.proposal_document(proposal, "en")))
    texts = [p.text for p in doc.paragraphs]
    assert "☒ Arby Socialforvaltning" in texts
    assert "☐ Arby Teknik- og Miljøforvaltning" in texts


def test_it_leaves_out_departments_the_reader_cannot_see_unless_affected(
    proposal, org_a, org_a_department, charlie
):
    document = documents.proposal_document(proposal, "en", charlie)
    assert document.departments == ()
    proposal.affected_departments.add(org_a_department)
    document = documents.proposal_document(proposal, "en", charlie)
    assert document.departments == (("Arby Socialforvaltning", True),)


def test_it_prints_the_same_content_as_html_and_pdf(filled):
    document = documents.proposal_document(filled, "da")
    html = documents.proposal_html(document)
    assert '<html lang="da">' in html
    assert '<th scope="col" class="number">2021</th>' in html
    assert '<th scope="row">External assistance</th>' in html
    assert '<td class="number">2.700</td>' in html
    assert "1.7 Opfølgning" in html
    assert documents.proposal_pdf(document).startswith(b"%PDF")


def test_it_reads_a_proposal_in_the_same_number_of_queries_however_long(alice, org_a):
    small = make_proposal(alice, org_a)
    fill(small, extra_rows=2)
    large = make_proposal(alice, org_a, title="Larger")
    fill(large, extra_rows=10)
    with CaptureQueriesContext(connection) as few:
        documents.proposal_document(small, "en", alice)
    with CaptureQueriesContext(connection) as many:
        documents.proposal_document(large, "en", alice)
    assert len(many) == len(few)


# The round overview ------------------------------------------------------------------------


@pytest.fixture
def two_proposals(alice, org_a):
    first = make_proposal(alice, org_a, title="Hackathons", committee="Socialudvalget")
    fill(first)
    second = make_proposal(alice, org_a, title="Robot vacuum cleaners")
    add_line(second, "Robots", group="investment", area="construction", y2021=800)
    add_line(
        second,
        "Cleaning hours",
        group="permanent",
        area="transfers",
        y2022=-300,
        y2023=-300,
        y2025=-400,
    )
    return first, second


def test_it_writes_the_overview_with_numbers_as_numbers(org_a, two_proposals):
    round_ = make_round(org_a, two_proposals)
    book = load_workbook(io.BytesIO(documents.round_xlsx(documents.round_overview(round_, "en"))))
    sheet = book.active
    assert sheet["A1"].value == "Innovation pool 2021"
    assert [c.value for c in sheet[3]] == [
        "No.",
        "Proposal",
        "Investment, service",
        "Investment, construction",
        "Saving in full operation, service",
        "Saving in full operation, transfers",
        "Payback (years)",
        "Committee",
    ]
    assert [c.value for c in sheet[4]] == [
        1,
        "Hackathons",
        2700,
        0,
        -500,
        0,
        None,
        "Socialudvalget",
    ]
    assert [c.value for c in sheet[5]] == [2, "Robot vacuum cleaners", 0, 800, 0, -400, 4, None]
    assert sheet["C4"].number_format == "#,##0"


def test_it_keeps_the_decimals_of_an_amount_in_the_overview(org_a, two_proposals):
    _first, second = two_proposals
    add_line(second, "Training", y2021=Decimal("0.5"))
    overview = documents.round_overview(make_round(org_a, two_proposals), "da")
    sheet = load_workbook(io.BytesIO(documents.round_xlsx(overview))).active
    assert sheet["C5"].value == 0.5 and sheet["C5"].number_format == "#,##0.00"
    assert sheet["C4"].number_format == "#,##0"  # 2,700 whole
    assert '<td class="number">0,50</td>' in documents.round_html(overview)


def test_it_numbers_by_rank_once_scoring_has_closed(org_a, alice, two_proposals):
    first, second = two_proposals
    round_ = make_round(org_a, two_proposals, closed=True)
    round_.board.add(alice)
    criterion = RoundCriterion.objects.create(round=round_, name="Effect")
    for proposal, value in ((first, 2), (second, 5)):
        entry = RoundEntry.objects.get(round=round_, proposal=proposal)
        Score.objects.create(entry=entry, criterion=criterion, member=alice, value=value)
    overview = documents.round_overview(round_, "en")
    assert overview.ranked
    assert [(r.number, r.proposal) for r in overview.rows] == [
        (1, "Robot vacuum cleaners"),
        (2, "Hackathons"),
    ]


def test_it_lists_only_the_proposals_the_reader_may_see(org_a, alice, charlie, two_proposals):
    hidden = make_proposal(alice, org_a, title="Internal case", visibility="internal")
    round_ = make_round(org_a, [*two_proposals, hidden])
    titles = [r.proposal for r in documents.round_overview(round_, "en", charlie).rows]
    assert titles == ["Hackathons", "Robot vacuum cleaners"]
    titles = [r.proposal for r in documents.round_overview(round_, "en", alice).rows]
    assert titles == ["Hackathons", "Robot vacuum cleaners", "Internal case"]


def test_it_prints_the_overview_in_the_language_asked_for(org_a, two_proposals):
    overview = documents.round_overview(make_round(org_a, two_proposals), "da")
    html = documents.round_html(overview)
    assert '<th scope="row">Hackathons</th>' in html
    assert '<td class="number">2.700</td>' in html
    assert documents.round_pdf(overview).startswith(b"%PDF")


def test_it_reads_a_round_in_the_same_number_of_queries_however_many_entries(alice, org_a):
    def round_of(count: int):
        proposals = [make_proposal(alice, org_a, title=f"P{i}") for i in range(count)]
        for p in proposals:
            add_line(p, "Cost", y2021=100)
        return make_round(org_a, proposals, title=f"Round {count}")

    small, large = round_of(2), round_of(10)
    with CaptureQueriesContext(connection) as few:
        documents.round_overview(small, "en", alice)
    with CaptureQueriesContext(connection) as many:
        documents.round_overview(large, "en", alice)
    assert len(many) == len(few)
