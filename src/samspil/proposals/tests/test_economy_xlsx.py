"""The economic table as XLSX: the export's layout, a clean import replacing the table, and
every problem of a bad file reported with its cell."""

import io
from decimal import Decimal as D

from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from samspil.proposals import economy_queries, economy_xlsx
from samspil.proposals import economy_services as services
from samspil.proposals.economy_services import Cell, LineInput
from samspil.proposals.models import EconomicLine, LineValue

YEARS = list(range(2020, 2026))


def workbook(rows, title="1,000 DKK, 2021 prices") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append([title])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HEADER = ["line", "group", "budget area", *YEARS]


def exported(alice, proposal) -> bytes:
    services.add_line(
        alice,
        proposal,
        LineInput("implementation", "service", "External assistance", {2021: Cell(D(475))}),
    )
    services.add_line(
        alice,
        proposal,
        LineInput(
            "permanent", "transfers", "Fewer complaints", {2023: Cell(None, D(-600), D(-300))}
        ),
    )
    cells = {(v.line_id, v.year): v for v in LineValue.objects.all()}
    return economy_xlsx.export(proposal, economy_queries.economics_of(proposal), cells)


def test_it_exports_a_title_a_header_and_a_row_per_line(alice, proposal):
    sheet = load_workbook(io.BytesIO(exported(alice, proposal))).active
    rows = list(sheet.iter_rows(values_only=True))

    assert rows[0][0] == "1,000 DKK, 2021 prices"
    assert list(rows[1]) == HEADER
    assert rows[2][:5] == ("External assistance", "Implementation costs", "Service", None, 475)
    assert rows[3][6] == "-600 – -300"


def test_it_shows_decimals_in_the_sheet_only_where_an_amount_has_them():
    assert economy_xlsx.amount_format(D("475.00")) == "#,##0"
    assert economy_xlsx.amount_format(D("1500.5")) == "#,##0.00"
    assert economy_xlsx.amount_format("-600 – -300") == "#,##0"


def test_it_reads_back_what_it_exported(alice, proposal):
    read = economy_xlsx.read_table(proposal, exported(alice, proposal))

    assert read.problems == []
    assert [(line.label, line.group, line.budget_area) for line in read.lines] == [
        ("External assistance", "implementation", "service"),
        ("Fewer complaints", "permanent", "transfers"),
    ]
    assert read.lines[1].cells[2023] == Cell(None, D(-600), D(-300))
    assert read.lines[0].cells[2022] is None


def test_it_understands_danish_names_and_numbers(proposal):
    rows = [
        ["linje", "gruppe", "styringsområde", *YEARS],
        ["Ekstern bistand", "Implementeringsomkostninger", "Service", None, "2.700"],
        ["Færre klager", "varige ændringer", "Overførsler", None, None, "-500"],
    ]

    with translation.override("da"):
        read = economy_xlsx.read_table(proposal, workbook(rows, "1.000 kr. 2021 p/l"))

    assert read.problems == []
    assert read.lines[0].cells[2021] == Cell(D(2700))
    assert read.lines[1].budget_area == "transfers"


def test_it_reports_every_problem_with_its_cell(proposal):
    rows = [
        [*HEADER[:8], "Notes", 2026],
        ["A", "implementation", "service", None, "lots", None, None, 10**12, "x", 5],
        ["B", "unknown", "parking", None, "3000-1500"],
        [None, "permanent", "service"],
    ]

    read = economy_xlsx.read_table(proposal, workbook(rows, "1,000 DKK, 2020 prices"))

    problems = "\n".join(read.problems)
    assert (
        "A1: the prices are of 2020, the proposal's of 2021 (mixed price-level years)." in problems
    )
    assert "I2: an extra column “Notes”." in problems
    assert "J2: 2026 is outside the table's years 2020–2025." in problems
    assert "the column for 2025 is missing" in problems
    assert "E3: Enter a number" in problems
    assert "H3: The amount is too large" in problems
    assert "B4: unknown group “unknown”." in problems
    assert "C4: unknown budget area “parking”." in problems
    assert "E4: The minimum must not be larger than the maximum." in problems
    assert "A5: name the line." in problems


def test_it_reports_a_missing_column(proposal):
    rows = [["line", None, "budget area", *YEARS], ["A", "implementation", "service"]]

    read = economy_xlsx.read_table(proposal, workbook(rows))

    assert read.problems == ["B2: the column “group” is missing."]


def test_it_reports_a_deleted_group_column_once_and_not_on_every_row(proposal):
    rows = [
        ["line", "budget area", *YEARS],
        ["A", "service", None, 1000],
        ["B", "parking", None, 950],
    ]

    read = economy_xlsx.read_table(proposal, workbook(rows))

    assert read.problems == [
        "B2: the column “group” is missing.",
        "B4: unknown budget area “parking”.",
    ]


def test_it_reports_a_deleted_year_column_with_its_header_cell(proposal):
    years = [year for year in YEARS if year != 2022]
    rows = [["line", "group", "budget area", *years], ["A", "implementation", "service", 5]]

    read = economy_xlsx.read_table(proposal, workbook(rows))

    assert read.problems == ["F2: the column for 2022 is missing."]


def test_it_reads_columns_in_another_order_and_refuses_one_twice(proposal):
    rows = [
        ["line", "budget area", "group", *YEARS, "group"],
        ["A", "service", "implementation", None, 1000],
    ]

    read = economy_xlsx.read_table(proposal, workbook(rows))

    assert read.problems == ["J2: the column “group” appears twice."]
    assert (read.lines[0].group, read.lines[0].budget_area) == ("implementation", "service")


def test_it_reports_a_missing_column_in_danish(proposal):
    rows = [["linje", "styringsområde", *YEARS], ["A", "Service", None, "2.700"]]

    with translation.override("da"):
        read = economy_xlsx.read_table(proposal, workbook(rows, "1.000 kr. 2021 p/l"))

    assert len(read.problems) == 1 and read.problems[0].startswith("B2: ")
    assert read.lines[0].cells[2021] == Cell(D(2700))


def test_it_refuses_a_file_that_is_not_a_workbook(proposal):
    try:
        economy_xlsx.read_table(proposal, b"not a zip")
    except economy_xlsx.FileRefused as refused:
        assert "not a readable XLSX" in str(refused)
    else:
        raise AssertionError("a text file was read as a workbook")


def test_it_replaces_the_table_from_a_clean_file(client_for, alice, proposal):
    services.add_line(alice, proposal, LineInput("implementation", "service", "Old", {}))
    rows = [HEADER, ["New", "implementation", "service", None, 1000]]
    upload = io.BytesIO(workbook(rows))
    upload.name = "table.xlsx"

    response = client_for(alice).post(
        reverse("proposals:economy-import", args=[proposal.pk]), {"import-file": upload}
    )

    assert response.status_code == 302
    assert list(EconomicLine.objects.values_list("label", flat=True)) == ["New"]


def test_it_shows_every_problem_and_changes_nothing(client_for, alice, proposal):
    services.add_line(alice, proposal, LineInput("implementation", "service", "Old", {}))
    rows = [HEADER, ["New", "implementation", "service", "abc", "-", 10**10]]
    upload = io.BytesIO(workbook(rows))
    upload.name = "table.xlsx"

    response = client_for(alice).post(
        reverse("proposals:economy-import", args=[proposal.pk]), {"import-file": upload}
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "D3: Enter a number" in page and "E3: Enter a number" in page
    assert "F3: The amount is too large" in page
    assert list(EconomicLine.objects.values_list("label", flat=True)) == ["Old"]


def test_it_downloads_the_table(client, alice, proposal):
    exported(alice, proposal)

    response = client.get(reverse("proposals:economy-xlsx", args=[proposal.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-economy.xlsx"')
    assert load_workbook(io.BytesIO(response.content)).active["A3"].value == "External assistance"
