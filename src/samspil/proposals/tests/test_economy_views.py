"""The economic table's pages: the section on the proposal page, the htmx editor, the
whole-table form, and who may read and change them."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samspil.proposals import economy_services as services
from samspil.proposals.economy_services import Cell, LineInput
from samspil.proposals.models import EconomicLine, LineValue

SEED_LINES = [
    ("Project management and internal resources", 1000),
    ("Group IT resources and operation", 950),
    ("External assistance", 475),
    ("Skills in data analysis and running hackathons", 275),
]


def add_seed_lines(actor, proposal):
    for label, amount in SEED_LINES:
        services.add_line(
            actor, proposal, LineInput("implementation", "service", label, {2021: Cell(D(amount))})
        )


def detail(proposal):
    return reverse("proposals:detail", args=[proposal.pk])


def test_it_shows_the_table_with_totals_and_key_figures(client, alice, proposal):
    add_seed_lines(alice, proposal)

    page = client.get(detail(proposal)).content.decode()

    assert "1,000 DKK, 2021 prices" in page
    assert "External assistance" in page
    assert "2,700" in page
    assert "Savings are negative" in page
    assert "Does not pay back within the table" in page
    assert 'id="economy-npv"' in page


def test_it_formats_the_table_in_danish(client, alice, proposal, settings):
    add_seed_lines(alice, proposal)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"

    page = client.get(detail(proposal)).content.decode()

    assert ">2.700<" in page


def test_it_shows_the_editor_only_to_those_who_may_edit(client_for, alice, bob, proposal):
    assert 'id="economy-add"' in client_for(alice).get(detail(proposal)).content.decode()
    page = client_for(bob).get(detail(proposal)).content.decode()
    assert 'id="economy-table"' in page
    assert 'id="economy-add"' not in page


def test_it_adds_a_line_with_htmx_and_refreshes_the_totals(client_for, alice, proposal):
    add_seed_lines(alice, proposal)
    url = reverse("proposals:economy-line-add", args=[proposal.pk])
    data = {
        "add-label": "Fewer complaints",
        "add-group": "permanent",
        "add-budget_area": "service",
        "add-y2022": "-500",
    }

    response = client_for(alice).post(url, data, headers={"HX-Request": "true"})

    assert response.status_code == 200
    body = response.content.decode()
    assert 'hx-swap-oob="beforebegin:#economy-total-permanent"' in body
    assert 'id="economy-foot" hx-swap-oob="true"' in body
    assert ">2,200<" in body  # cumulative 2022: 2,700 − 500
    assert LineValue.objects.filter(year=2022, value=-500).exists()


def test_it_keeps_what_was_typed_when_a_cell_is_wrong(client_for, alice, proposal):
    url = reverse("proposals:economy-line-add", args=[proposal.pk])
    data = {
        "add-label": "External assistance",
        "add-group": "implementation",
        "add-budget_area": "service",
        "add-y2021": "475",
        "add-y2022": "lots",
        "add-y2023": "3000-1500",
    }

    response = client_for(alice).post(url, data)

    assert response.status_code == 422
    body = response.content.decode()
    assert 'value="lots"' in body and 'value="3000-1500"' in body and 'value="475"' in body
    assert "New line, 2022: Enter a number" in body
    assert "The minimum must not be larger than the maximum." in body
    assert not EconomicLine.objects.exists()


def test_it_edits_a_line_in_one_row_and_redirects_without_javascript(
    client_for, alice, proposal, settings
):
    line = services.add_line(
        alice, proposal, LineInput("implementation", "service", "IT", {2021: Cell(D(950))})
    )
    url = reverse("proposals:economy-line", args=[proposal.pk, line.pk])
    client = client_for(alice)
    assert 'value="950"' in client.get(url, headers={"HX-Request": "true"}).content.decode()
    data = {
        f"l{line.pk}-label": "Group IT",
        f"l{line.pk}-group": "implementation",
        f"l{line.pk}-budget_area": "service",
        f"l{line.pk}-y2021": "1.000",
    }

    response = client.post(url, data)

    assert response.status_code == 422  # "1.000" is one in English, with three decimals
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/proposals/{proposal.pk}/#economy")
    assert LineValue.objects.get(line=line).value == 1000


def test_it_saves_a_row_with_htmx_and_returns_the_row(client_for, alice, proposal):
    line = services.add_line(alice, proposal, LineInput("implementation", "service", "IT", {}))
    url = reverse("proposals:economy-line", args=[proposal.pk, line.pk])
    data = {
        f"l{line.pk}-label": "IT",
        f"l{line.pk}-group": "implementation",
        f"l{line.pk}-budget_area": "service",
        f"l{line.pk}-y2021": "1500–3000",
    }

    response = client_for(alice).post(url, data, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert body.lstrip().startswith(f'<tr id="line-{line.pk}"')
    assert "1,500–3,000" in body
    assert "At minimum" in body  # the figures of an uncertain table


def test_it_saves_the_whole_table_or_nothing(client_for, alice, proposal):
    add_seed_lines(alice, proposal)
    lines = list(EconomicLine.objects.order_by("position"))
    data = {}
    for line in lines:
        data |= {
            f"l{line.pk}-label": line.label,
            f"l{line.pk}-group": "implementation",
            f"l{line.pk}-budget_area": "service",
            f"l{line.pk}-y2022": "100",
        }
    data[f"l{lines[2].pk}-y2023"] = "200000000"
    data |= {"new-label": "", "new-group": "implementation", "new-budget_area": "service"}
    client = client_for(alice)

    response = client.post(reverse("proposals:economy", args=[proposal.pk]), data)

    assert response.status_code == 422
    assert "External assistance, 2023: The amount is too large" in response.content.decode()
    assert 'value="200000000"' in response.content.decode()
    assert not LineValue.objects.filter(year=2022).exists()
    data[f"l{lines[2].pk}-y2023"] = ""
    data |= {"new-label": "Fewer complaints", "new-group": "permanent", "new-y2025": "-50"}
    response = client.post(reverse("proposals:economy", args=[proposal.pk]), data)
    assert response.status_code == 302
    assert LineValue.objects.filter(year=2022).count() == 4
    assert EconomicLine.objects.get(label="Fewer complaints").group == "permanent"


def test_it_removes_and_moves_lines(client_for, alice, proposal):
    add_seed_lines(alice, proposal)
    first, second = EconomicLine.objects.order_by("position")[:2]
    client = client_for(alice)

    client.post(
        reverse("proposals:economy-line-move", args=[proposal.pk, second.pk]), {"direction": "up"}
    )
    response = client.post(
        reverse("proposals:economy-line-delete", args=[proposal.pk, first.pk]),
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert ">1,700<" in response.content.decode()  # 2,700 without the 1,000 line
    assert EconomicLine.objects.order_by("position").first() == second


def test_it_says_why_a_line_at_the_end_of_its_group_does_not_move(client_for, alice, proposal):
    add_seed_lines(alice, proposal)
    first = EconomicLine.objects.order_by("position").first()
    url = reverse("proposals:economy-line-move", args=[proposal.pk, first.pk])

    response = client_for(alice).post(url, {"direction": "up"}, follow=True)

    assert "The line is already the first of its group." in response.text
    assert EconomicLine.objects.order_by("position").first() == first


def economy_urls(proposal, line):
    return [
        ("post", reverse("proposals:economy", args=[proposal.pk])),
        ("post", reverse("proposals:economy-line-add", args=[proposal.pk])),
        ("post", reverse("proposals:economy-line", args=[proposal.pk, line.pk])),
        ("post", reverse("proposals:economy-line-delete", args=[proposal.pk, line.pk])),
        ("post", reverse("proposals:economy-line-move", args=[proposal.pk, line.pk])),
        ("post", reverse("proposals:economy-import", args=[proposal.pk])),
        ("get", reverse("proposals:economy", args=[proposal.pk])),
    ]


@pytest.mark.parametrize("persona", ["bob", "charlie", "dave"])
def test_it_forbids_others_to_change_the_table(client_for, request, persona, alice, proposal):
    line = services.add_line(alice, proposal, LineInput("implementation", "service", "IT", {}))
    client = client_for(request.getfixturevalue(persona))

    for method, url in economy_urls(proposal, line):
        assert getattr(client, method)(url).status_code == 403, url
    assert EconomicLine.objects.filter(pk=line.pk).exists()


def test_it_sends_an_anonymous_visitor_to_sign_in(client, alice, proposal):
    line = services.add_line(alice, proposal, LineInput("implementation", "service", "IT", {}))

    for method, url in economy_urls(proposal, line):
        assert getattr(client, method)(url).status_code == 302, url
    assert client.get(reverse("proposals:economy-xlsx", args=[proposal.pk])).status_code == 200


def test_it_hides_an_internal_table_from_charlie(client_for, alice, charlie, internal_proposal):
    line = services.add_line(
        alice, internal_proposal, LineInput("implementation", "service", "IT", {})
    )
    client = client_for(charlie)

    for method, url in economy_urls(internal_proposal, line):
        assert getattr(client, method)(url).status_code == 404, url
    xlsx = reverse("proposals:economy-xlsx", args=[internal_proposal.pk])
    assert client.get(xlsx).status_code == 404


def test_it_reads_the_table_in_the_same_number_of_queries_however_many_lines(
    client, alice, proposal
):
    def count(lines: int) -> int:
        EconomicLine.objects.all().delete()
        for n in range(lines):
            services.add_line(
                alice,
                proposal,
                LineInput(
                    "implementation", "service", f"L{n}", {2021: Cell(D(n)), 2022: Cell(D(1))}
                ),
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(detail(proposal)).status_code == 200
        return len(queries)

    assert count(2) == count(10)


def test_it_shows_the_payback_year_and_the_npv_in_whole_thousands(client, alice, proposal):
    services.add_line(
        alice, proposal, LineInput("implementation", "service", "App", {2021: Cell(D(1000))})
    )
    services.add_line(
        alice,
        proposal,
        LineInput("permanent", "service", "Saving", {y: Cell(D(-600)) for y in (2022, 2023)}),
    )

    page = client.get(detail(proposal)).content.decode()

    assert "2023 (after 2 years)" in page
    # NPV = −1000/1.035 + 600/1.035² + 600/1.035³ ≈ −966.18 + 560.11 + 541.16
    assert 'data-value="135.09"' in page and ">135 <" in page


def test_it_warns_of_cells_outside_the_table_years(client, alice, proposal):
    services.add_line(
        alice, proposal, LineInput("implementation", "service", "Early", {2020: Cell(D(5))})
    )
    proposal.first_year = 2021
    proposal.save()

    page = client.get(detail(proposal)).content.decode()

    assert 'id="economy-outside"' in page and "Early (2020)" in page
