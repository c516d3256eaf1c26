"""Who sees, edits, moves and decides a proposal: the rules of ``core.permissions`` for the
personas, as the pages and the API use them."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from samspil.conftest import add_member, make_user
from samspil.core import permissions
from samspil.core.models import Organisation, Role
from samspil.proposals import round_queries, services

from .conftest import make_proposal, open_round, submitted


@pytest.fixture
def board_member(org_a):
    user = make_user("frida")
    add_member(user, org_a, Role.Code.BOARD_MEMBER)
    return user


def sees(user, proposal) -> bool:
    return permissions.proposals_visible_to(user).filter(pk=proposal.pk).exists()


def test_it_shows_a_public_proposal_to_everyone(alice, bob, charlie, dave, proposal):
    for user in (alice, bob, charlie, dave, AnonymousUser()):
        assert sees(user, proposal)


def test_it_shows_an_internal_proposal_to_its_organisation_only(
    alice, bob, charlie, dave, board_member, internal_proposal
):
    assert all(sees(user, internal_proposal) for user in (alice, bob, board_member))
    assert not any(sees(user, internal_proposal) for user in (charlie, dave, AnonymousUser()))
    with pytest.raises(Http404):
        permissions.get_proposal_for_user(charlie, internal_proposal.pk)


def test_it_lets_the_innovation_lead_and_the_admin_write_and_move(alice, erin, proposal):
    for user in (alice, erin):
        assert permissions.can_edit_proposal(user, proposal)
        assert permissions.can_move_proposal(user, proposal)


def test_it_lets_members_and_others_only_read(bob, charlie, dave, proposal):
    for user in (bob, charlie, dave, AnonymousUser()):
        assert not permissions.can_edit_proposal(user, proposal)
        assert not permissions.can_move_proposal(user, proposal)
        assert not permissions.can_decide_proposal(user, proposal)


def test_it_lets_the_board_decide_but_not_write(board_member, alice, proposal):
    assert permissions.can_decide_proposal(board_member, proposal)
    assert not permissions.can_edit_proposal(board_member, proposal)
    assert not permissions.can_move_proposal(board_member, proposal)
    assert not permissions.can_decide_proposal(alice, proposal)


def test_it_stops_editing_at_submission_but_keeps_the_follow_up_open(alice, board_member, proposal):
    services.move_proposal(alice, proposal, "submitted")
    assert not permissions.can_edit_proposal(alice, proposal)
    services.move_proposal(board_member, proposal, "approved")
    assert permissions.can_edit_follow_up(alice, proposal)
    assert not permissions.can_edit_proposal(alice, proposal)


def test_it_lets_only_innovation_leads_create(alice, bob, charlie, org_a):
    assert permissions.can_create_proposal(alice, org_a)
    assert not permissions.can_create_proposal(bob, org_a)
    assert not permissions.can_create_proposal(charlie, org_a)


# Rounds: a municipality's internal round is meant for its departments ---------------------------


@pytest.fixture
def sara(org_a_department):
    """Innovation lead of a department below A."""
    user = make_user("sara")
    add_member(user, org_a_department, Role.Code.INNOVATION_LEAD)
    return user


@pytest.fixture
def sibling_department(org_a):
    return Organisation.objects.create(
        name="Arby Teknik", slug="arby-teknik", kind="department", parent=org_a
    )


def sees_round(user, round_) -> bool:
    return permissions.rounds_visible_to(user).filter(pk=round_.pk).exists()


def test_it_shows_an_internal_round_to_the_departments_below_its_owner(
    sara, bob, charlie, dave, pool
):
    assert sees_round(sara, pool) and sees_round(bob, pool)
    assert permissions.get_round_for_user(sara, pool.pk) == pool
    assert not any(sees_round(user, pool) for user in (charlie, dave, AnonymousUser()))


def test_it_keeps_a_departments_internal_round_from_its_sibling_and_shows_it_above(
    alice, sara, org_a_department, sibling_department
):
    round_ = open_round(sara, org_a_department)
    neighbour = make_user("tove")
    add_member(neighbour, sibling_department)
    assert sees_round(sara, round_) and sees_round(alice, round_)
    assert not sees_round(neighbour, round_)


def test_it_lets_a_department_enter_its_proposal_in_its_municipalitys_round(
    sara, charlie, org_a_department, pool
):
    proposal = submitted(make_proposal(sara, org_a_department))
    assert permissions.can_enter_round(sara, pool, proposal)
    assert round_queries.open_rounds_for(sara, proposal) == [pool]
    assert round_queries.open_rounds_for(charlie, proposal) == []


def test_it_reads_the_organisations_above_once_per_user(
    django_assert_num_queries, sara, org_a_department
):
    permissions.access_of(sara)  # memberships and roles are read before counting
    with django_assert_num_queries(1):
        assert permissions.member_of_and_above(sara) == {
            org_a_department.pk,
            org_a_department.parent_id,
        }
        permissions.member_of_and_above(sara)
