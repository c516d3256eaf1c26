"""Reading the economic table: ORM rows into the pure economics, in a fixed number of
queries, valued with the proposal's discount schedule."""

from decimal import Decimal as D

from django.db import connection
from django.test.utils import CaptureQueriesContext

from samspil.core import permissions
from samspil.proposals import economy_queries
from samspil.proposals import economy_services as services
from samspil.proposals.economics import DiscountSchedule
from samspil.proposals.economy_services import Cell, LineInput

from .conftest import make_proposal


def fill(alice, proposal, lines=3):
    for n in range(lines):
        services.add_line(
            alice,
            proposal,
            LineInput(
                "permanent" if n % 2 else "implementation",
                "service",
                f"L{n}",
                {
                    2021: Cell(D(100)),
                    2022: Cell(None, D(-50), D(-10)),
                },
            ),
        )


def test_it_reads_a_table_in_two_queries(alice, proposal):
    fill(alice, proposal, 4)
    proposal = permissions.get_proposal_for_user(alice, proposal.pk)  # with its preset

    with CaptureQueriesContext(connection) as queries:
        data = economy_queries.economics_of(proposal)

    assert len(queries) == 2
    assert data.tables["likely"].totals[2021] == D(400)
    assert data.tables["low"].totals[2022] == D(-200)  # four lines at their minimum, −50
    assert data.has_uncertainty


def test_it_orders_lines_by_group_then_by_the_users_order(alice, proposal):
    fill(alice, proposal, 4)

    labels = [line.label for line in economy_queries.economics_of(proposal).lines]

    assert labels == ["L0", "L2", "L1", "L3"]


def test_it_reads_many_proposals_in_the_same_number_of_queries(alice, org_a):
    def count(proposals: int) -> int:
        ids = []
        for n in range(proposals):
            proposal = make_proposal(alice, org_a, title=f"P{n}")
            fill(alice, proposal, 2)
            ids.append(proposal.pk)
        with CaptureQueriesContext(connection) as queries:
            result = economy_queries.economics_by_proposal(ids)
        assert set(result) == set(ids)
        return len(queries)

    assert count(2) == count(10) == 3


def test_it_values_with_the_preset_else_the_own_rate_else_nothing(alice, org_a):
    danish = make_proposal(alice, org_a)
    own = make_proposal(alice, org_a, discount_preset=None, own_discount_rate=D("4.5"))
    none = make_proposal(alice, org_a, discount_preset=None)

    assert economy_queries.schedule_of(danish).rate(36) == D("2.5")
    assert economy_queries.schedule_of(own) == DiscountSchedule.flat(D("4.5"))
    assert economy_queries.schedule_of(none) == DiscountSchedule.flat(0)
