"""An investment proposal in a real browser: alice writes one (a section saved by htmx, a line
of the economic table with its total) and submits it to a round; bob, on the round's board,
scores it; after scoring closes the ranking shows and alice finds the best portfolio. axe
checks the proposal page and the round page. In Danish, alice types Danish numbers (2.700 in
the table, 1,5 as a weight) and axe checks the round form, the XLSX import page and the
criteria, follow-up and consultation forms.

Texts of the interface are not asserted (translations may be missing): the test looks at
URLs, ids, names, numbers and the data it created.
"""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from samspil.browser_testing import assert_accessible
from samspil.conftest import add_member, make_user
from samspil.core.models import Role
from samspil.events.tests.test_browser import log_in
from samspil.proposals import followup_services, round_services
from samspil.proposals.models import Proposal, ProposalSection, ProposalState, Round, RoundEntry

from .conftest import make_proposal

pytestmark = pytest.mark.browser


def test_it_walks_from_a_new_proposal_to_the_best_portfolio(browser_page: Page, live_server, org_a):
    page = browser_page
    alice = make_user("alice", language="en")
    add_member(alice, org_a, Role.Code.INNOVATION_LEAD)
    bob = make_user("bob", language="en")
    add_member(bob, org_a)
    now = timezone.now()
    pool = round_services.create_round(
        alice,
        org_a,
        title="Innovation pool",
        submission_deadline=now + timedelta(days=7),
        scoring_deadline=now + timedelta(days=14),
        board=[bob],
        budgets=[{"year": 2021, "budget_area": "service", "amount": "3000"}],
    )

    # Alice creates a proposal: a draft with the Copenhagen template's sections.
    log_in(page, live_server, alice)
    page.goto("/proposals/new/")
    assert_accessible(page)
    page.locator("#id_title").fill("Hackathons as market dialogue")
    page.locator("#id_price_level_year").fill("2021")
    page.locator("#id_first_year").fill("2020")
    page.locator("#id_last_year").fill("2025")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    proposal = Proposal.objects.get()
    assert proposal.template.code == "copenhagen" and proposal.state == ProposalState.DRAFT
    expect(page).to_have_url(re.compile(rf"/proposals/{proposal.pk}/$"))

    # She writes the background; htmx saves the section while she types.
    page.locator("#section-background textarea").fill("Two hackathons went well in 2020.")
    expect(page.locator("#section-background-status p")).to_be_visible()
    section = ProposalSection.objects.get(proposal=proposal, section__code="background")
    assert section.text == "Two hackathons went well in 2020."

    # She adds a line of the economic table with a value in 2021 and sees the total.
    add = page.locator("#economy-add")
    add.locator("[name=add-label]").fill("Project management")
    add.locator("[name=add-group]").select_option("implementation")
    add.locator("[name=add-budget_area]").select_option("service")
    add.locator("[name=add-y2021]").fill("2700")
    add.locator("button[type=submit]").click()
    expect(page.locator("#economy-group-implementation")).to_contain_text("Project management")
    expect(page.locator("#economy-foot .economy-net")).to_contain_text("2,700")
    assert proposal.lines.get().values.get(year=2021).value == Decimal("2700")
    assert_accessible(page)

    # A second line in the group: only the moves that go somewhere are offered.
    add.locator("[name=add-label]").fill("Travel")
    add.locator("[name=add-y2022]").fill("100")
    add.locator("button[type=submit]").click()
    group = page.locator("#economy-group-implementation")
    expect(group).to_contain_text("Travel")
    first, second = (group.locator(f"#line-{line.pk}") for line in proposal.lines.order_by("pk"))
    expect(first.locator("button[value=up]")).to_be_hidden()
    expect(first.locator("button[value=down]")).to_be_visible()
    expect(second.locator("button[value=up]")).to_be_visible()
    expect(second.locator("button[value=down]")).to_be_hidden()

    # She submits it and enters it in the round.
    with page.expect_navigation():
        page.locator("#state button[value=submitted]").click()
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SUBMITTED
    page.locator("#id_enter_round").select_option(str(pool.pk))
    with page.expect_navigation():
        page.locator("#proposal-rounds form button[type=submit]").click()
    entry = RoundEntry.objects.get(round=pool, proposal=proposal)
    assert_accessible(page)

    # Bob, on the board, scores it on every criterion.
    log_in(page, live_server, bob)
    page.goto(pool.get_absolute_url())
    assert_accessible(page)
    page.locator(f"a[href='/proposals/rounds/{pool.pk}/entries/{entry.pk}/score/']").click()
    expect(page).to_have_url(re.compile(rf"/entries/{entry.pk}/score/$"))
    assert_accessible(page)
    for criterion in pool.criteria.all():
        page.locator(f"[name=criterion_{criterion.pk}]").fill("4")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert entry.scores.filter(member=bob).count() == pool.criteria.count()

    # Scoring closes: the ranking shows, and alice finds the best portfolio.
    Round.objects.filter(pk=pool.pk).update(
        submission_deadline=now - timedelta(days=2), scoring_deadline=now - timedelta(days=1)
    )
    log_in(page, live_server, alice)
    page.goto(pool.get_absolute_url())
    expect(page.locator("#round-ranking")).to_contain_text(proposal.title)
    page.locator("#optimise-form button[type=submit]").click()
    expect(page.locator("#optimise-status")).to_have_attribute("data-status", "optimal")
    expect(page.locator("#optimise-funded")).to_contain_text(proposal.title)
    assert pool.optimisation_runs.get().result["selected"] == [proposal.pk]
    assert_accessible(page)


def _without_group_column() -> bytes:
    """A Danish sheet whose group column was deleted."""
    book = Workbook()
    sheet = book.active
    sheet.append(["1.000 kr. 2021 p/l"])
    sheet.append(["linje", "styringsområde", *range(2020, 2026)])
    sheet.append(["Ekstern bistand", "Service", None, "475"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_it_takes_danish_numbers_and_keeps_the_danish_forms_accessible(
    browser_page: Page, live_server, org_a
):
    page = browser_page
    alice = make_user("alice", language="da")
    add_member(alice, org_a, Role.Code.INNOVATION_LEAD)
    proposal = make_proposal(alice, org_a)
    log_in(page, live_server, alice)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "da", "url": live_server.url}]
    )

    # A cell typed the Danish way: "2.700" is two thousand seven hundred.
    page.goto(proposal.get_absolute_url())
    expect(page.locator("html")).to_have_attribute("lang", "da")
    add = page.locator("#economy-add")
    add.locator("[name=add-label]").fill("Projektledelse")
    add.locator("[name=add-group]").select_option("implementation")
    add.locator("[name=add-budget_area]").select_option("service")
    add.locator("[name=add-y2021]").fill("2.700")
    add.locator("button[type=submit]").click()
    expect(page.locator("#economy-foot .economy-net")).to_contain_text("2.700")
    assert proposal.lines.get().values.get(year=2021).value == Decimal("2700")

    # An XLSX without its group column: one problem, named by its header cell.
    page.locator("details.economy-import summary").click()
    page.locator("[name=import-file]").set_input_files(
        {
            "name": "tabel.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": _without_group_column(),
        }
    )
    with page.expect_navigation():
        page.locator("details.economy-import button[type=submit]").click()
    expect(page.locator("#economy-import-problems li")).to_have_count(1)
    expect(page.locator("#economy-import-problems li")).to_contain_text("B2:")
    assert_accessible(page)

    # A round whose budget and weight are typed the Danish way.
    page.goto(reverse("proposals:round-create"))
    assert_accessible(page)
    page.locator("#id_title").fill("Innovationspuljen 2030")
    page.locator("#id_submission_deadline").fill("2030-03-01T12:00")
    page.locator("#id_scoring_deadline").fill("2030-04-01T12:00")
    page.locator("[name=budgets-0-amount]").fill("6.000")
    page.locator("[name=budgets-0-year]").fill("2022")
    page.locator("[name=budgets-0-budget_area]").select_option("service")
    page.locator("[name=criteria-0-weight]").fill("1,5")
    with page.expect_navigation():
        page.locator("main form .actions button[data-variant=primary]").click()
    pool = Round.objects.get()
    assert list(pool.budgets.values_list("amount", flat=True)) == [Decimal(6000)]
    assert pool.criteria.order_by("position").first().weight == Decimal("1.5")
    page.goto(reverse("proposals:round-edit", args=[pool.pk]))
    expect(page.locator("[name=budgets-0-amount]")).to_have_value("6.000")
    expect(page.locator("[name=criteria-0-weight]")).to_have_value("1,5")
    assert_accessible(page)

    # The criteria, follow-up and consultation forms, each on its own page.
    row = followup_services.add_criteria_row(alice, proposal, label="1. Klager")
    item = followup_services.add_follow_up(alice, proposal, criterion="Prototype leveret")
    consultation = proposal.consultations.order_by("position", "pk").first()
    for name, pk in (
        ("criteria-edit", row.pk),
        ("follow-up-edit", item.pk),
        ("consultation-edit", consultation.pk),
    ):
        page.goto(reverse(f"proposals:{name}", args=[proposal.pk, pk]))
        expect(page.locator("main form")).to_be_visible()
        assert_accessible(page)
