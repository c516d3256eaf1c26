"""Writing the economic table: cells typed in the user's language, lines, whole-table saves
that store all or nothing, and who may."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from samspil.proposals import economy_services as services
from samspil.proposals.economy_queries import ordered_lines
from samspil.proposals.economy_services import Cell, LineInput, parse_cell
from samspil.proposals.models import EconomicLine, LineValue


def line_input(label="External assistance", cells=None, group="implementation", area="service"):
    return LineInput(group, area, label, cells or {})


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("da", "2.700", Cell(D(2700))),
        ("da", "1000,5", Cell(D("1000.5"))),
        ("da", "-500", Cell(D(-500))),
        ("da", "−1.234.567,25", Cell(D("-1234567.25"))),
        ("nb", "2 700", Cell(D(2700))),
        ("nb", "2.700", Cell(D(2700))),
        ("en", "2,700", Cell(D(2700))),
        ("en", "1000.5", Cell(D("1000.5"))),
        ("en", "1000", Cell(D(1000))),
        ("da", "1500-3000", Cell(None, D(1500), D(3000))),
        ("da", "1.500 – 3.000", Cell(None, D(1500), D(3000))),
        ("da", "-3000 – -1500", Cell(None, D(-3000), D(-1500))),
        ("en", "1000/1500/3000", Cell(D(1500), D(1000), D(3000))),
        ("da", "  ", None),
    ],
)
def test_it_reads_a_cell_as_the_language_writes_it(language, text, expected):
    with translation.override(language):
        assert parse_cell(text) == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [("da", "abc"), ("da", "1.5"), ("en", "1,5"), ("en", "12-"), ("da", "1½-3"), ("en", "1/2")],
)
def test_it_refuses_what_is_not_a_number(language, text):
    with translation.override(language), pytest.raises(ValidationError) as caught:
        parse_cell(text)

    assert caught.value.code == services.NOT_A_NUMBER


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (Cell(D(100_000_001)), "too large"),
        (Cell(None, D(3000), D(1500)), "minimum must not be larger"),
        (Cell(D(500), D(1000), D(3000)), "in order"),
        (Cell(D("1.005")), "two decimals"),
        (Cell(None, D(5), None), "Enter a number"),
    ],
)
def test_it_names_what_is_wrong_with_an_amount(cell, message):
    assert message in services.cell_problem(cell)


def test_it_writes_amounts_back_as_the_language_writes_them():
    with translation.override("da"):
        assert services.format_cell(Cell(D(2700))) == "2.700"
        assert services.format_cell(Cell(None, D(1500), D(3000))) == "1.500–3.000"
        assert services.format_cell(Cell(D("1000.5"))) == "1.000,50"
    with translation.override("en"):
        assert services.format_cell(Cell(D(1500), D(1000), D(3000))) == "1,000/1,500/3,000"


def test_it_adds_a_line_with_its_cells(alice, proposal):
    line = services.add_line(
        alice,
        proposal,
        line_input(cells={2021: Cell(D(475)), 2022: Cell(None, D(1500), D(3000))}),
    )

    stored = {v.year: (v.value, v.low, v.high) for v in line.values.all()}
    assert stored == {2021: (D(475), None, None), 2022: (None, D(1500), D(3000))}
    assert line.history.count() == 1


def test_it_reports_each_bad_cell_by_its_year(alice, proposal):
    data = line_input(cells={2021: Cell(None, D(3), D(1)), 2030: Cell(D(1))})

    with pytest.raises(ValidationError) as caught:
        services.add_line(alice, proposal, data)

    assert set(caught.value.message_dict) == {"y2021", "y2030"}
    assert "outside the table's years 2020–2025" in caught.value.message_dict["y2030"][0]
    assert not EconomicLine.objects.exists()


def test_it_saves_nothing_of_a_table_with_one_bad_cell(alice, proposal):
    first = services.add_line(alice, proposal, line_input("A", {2021: Cell(D(1))}))
    updates = [
        (first, line_input("A changed", {2021: Cell(D(2))})),
        (None, line_input("B", {2022: Cell(D(10**9))})),
    ]

    with pytest.raises(services.TableInvalid) as caught:
        services.save_lines(alice, proposal, updates)

    assert [(p.line, p.field, p.year) for p in caught.value.problems] == [(1, "cell", 2022)]
    first.refresh_from_db()
    assert first.label == "A"
    assert LineValue.objects.get().value == D(1)
    assert EconomicLine.objects.count() == 1


def test_it_leaves_cells_the_submission_does_not_name(alice, proposal):
    line = services.add_line(
        alice, proposal, line_input(cells={2021: Cell(D(1)), 2022: Cell(D(2))})
    )

    services.update_line(alice, line, line_input(cells={2021: None}))

    assert list(line.values.values_list("year", flat=True)) == [2022]


def test_it_replaces_the_whole_table(alice, proposal):
    services.add_line(alice, proposal, line_input("Old", {2021: Cell(D(1))}))

    services.replace_table(alice, proposal, [line_input("New", {2023: Cell(D(-200))})])

    assert list(proposal.lines.values_list("label", flat=True)) == ["New"]
    assert LineValue.objects.get().year == 2023


def test_it_moves_a_line_within_its_group(alice, proposal):
    _a, b = (services.add_line(alice, proposal, line_input(label)) for label in "AB")

    services.move_line(alice, b, -1)

    assert list(proposal.lines.order_by("position").values_list("label", flat=True)) == ["B", "A"]


def test_it_refuses_moving_a_line_past_the_ends_of_its_group(alice, proposal):
    a, b = (services.add_line(alice, proposal, line_input(label)) for label in "AB")
    other = services.add_line(alice, proposal, line_input("C", group="permanent"))

    for line, offset, message in (
        (a, -1, "The line is already the first of its group."),
        (b, 1, "The line is already the last of its group."),
        (other, -1, "The line is already the first of its group."),
    ):
        with pytest.raises(ValidationError) as refused:
            services.move_line(alice, line, offset)
        assert refused.value.messages == [message]
    assert [line.label for line in ordered_lines(proposal.lines.all())] == ["A", "B", "C"]


def test_it_removes_a_line_with_its_cells(alice, proposal):
    line = services.add_line(alice, proposal, line_input(cells={2021: Cell(D(1))}))

    services.remove_line(alice, line)

    assert not LineValue.objects.exists()


def test_it_reports_cells_outside_new_table_years(alice, proposal):
    services.add_line(alice, proposal, line_input("Early", {2020: Cell(D(5)), 2021: Cell(D(1))}))

    outside = services.cells_outside(proposal, 2021, 2025)

    assert [(cell.line.label, cell.year) for cell in outside] == [("Early", 2020)]
    assert services.cells_outside(proposal, 2020, 2025) == []
    proposal.first_year = 2021
    assert "Early (2020)" in services.table_problems(proposal)[0]


@pytest.mark.parametrize("persona", ["bob", "charlie", "dave"])
def test_it_lets_only_the_proposals_writers_change_the_table(request, persona, proposal):
    user = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        services.add_line(user, proposal, line_input())


def test_it_refuses_changes_once_the_proposal_is_submitted(alice, proposal):
    proposal.state = "submitted"

    with pytest.raises(PermissionDenied):
        services.add_line(alice, proposal, line_input())
