"""Proposals shared by the proposals tests: alice's organisation A (Danish) writes them.

``make_proposal(actor, owner, **fields)`` goes through ``services.create_proposal``, so a
proposal made here has its template's sections and consultations like one made on a page.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from samspil.conftest import add_member, make_user
from samspil.core.models import Visibility
from samspil.proposals import round_services, services
from samspil.proposals.models import Proposal, ProposalState


@pytest.fixture(autouse=True)
def _english(english):
    """Every test here reads pages and messages in English (the root conftest's fixture)."""


def make_proposal(actor, owner, title="Hackathons as market dialogue", **fields):
    values = {
        "summary": "Three hackathons with external partners in 2021.",
        "price_level_year": 2021,
        "first_year": 2020,
        "last_year": 2025,
        "visibility": Visibility.PUBLIC,
    }
    values.update(fields)
    return services.create_proposal(actor, owner, title=title, **values)


@pytest.fixture
def proposal(alice, org_a):
    return make_proposal(alice, org_a)


@pytest.fixture
def internal_proposal(alice, org_a):
    return make_proposal(alice, org_a, title="Internal business case", visibility="internal")


# Rounds: an internal round of A whose board is greta, with the default criteria ------------

HOUR = timedelta(hours=1)


def board_person(organisation, username="greta"):
    user = make_user(username)
    add_member(user, organisation)
    return user


def open_round(actor, owner, board=(), **fields):
    now = timezone.now()
    values = {
        "title": "Innovation pool 2022",
        "submission_deadline": now + 24 * HOUR,
        "scoring_deadline": now + 48 * HOUR,
        "visibility": Visibility.INTERNAL,
    }
    values.update(fields)
    return round_services.create_round(actor, owner, board=board, **values)


def make_pool(alice, org_a, greta):
    """An internal round of A whose board is greta, with the default criteria."""
    return open_round(alice, org_a, board=[greta], budgets=[{"amount": 2700}])


def submitted(proposal: Proposal) -> Proposal:
    # The state machine is the editor's; a round needs only a submitted proposal.
    Proposal.objects.filter(pk=proposal.pk).update(state=ProposalState.SUBMITTED)
    proposal.state = ProposalState.SUBMITTED
    return proposal


@pytest.fixture
def greta(org_a):
    """A member of A on the board of ``pool``."""
    return board_person(org_a)


@pytest.fixture
def pool(alice, org_a, greta):
    return make_pool(alice, org_a, greta)


@pytest.fixture
def entry(alice, pool, proposal):
    return round_services.enter_proposal(alice, pool, submitted(proposal))


def full_scores(round_, value):
    return [{"criterion": c.pk, "value": value, "comment": ""} for c in round_.criteria.all()]
