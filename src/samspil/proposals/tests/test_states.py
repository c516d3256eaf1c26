"""The proposal's states and who moves between them, as plain data."""

from samspil.proposals import states
from samspil.proposals.models import ProposalState


def test_it_knows_every_state_of_the_model():
    assert set(states.TRANSITIONS) == set(ProposalState.values)
    for moves in states.TRANSITIONS.values():
        assert set(moves) <= set(ProposalState.values)


def test_it_lets_the_department_consult_submit_and_take_back_a_draft():
    assert states.allowed_moves("draft", department=True, board=False) == [
        "consultation",
        "submitted",
    ]
    assert states.allowed_moves("consultation", department=True, board=False) == [
        "draft",
        "submitted",
    ]
    assert states.allowed_moves("deferred", department=True, board=False) == ["draft"]


def test_it_leaves_the_decisions_to_the_board():
    assert states.allowed_moves("submitted", department=True, board=False) == []
    assert states.allowed_moves("submitted", department=False, board=True) == [
        "prioritised",
        "approved",
        "rejected",
        "deferred",
    ]
    assert states.allowed_moves("prioritised", department=False, board=True) == [
        "approved",
        "rejected",
        "deferred",
    ]


def test_it_keeps_the_board_out_of_drafts():
    assert states.allowed_moves("draft", department=False, board=True) == []
    assert states.allowed_moves("deferred", department=False, board=True) == []


def test_it_lets_either_start_and_close_the_follow_up():
    for who in ({"department": True, "board": False}, {"department": False, "board": True}):
        assert states.allowed_moves("approved", **who) == ["follow_up"]
        assert states.allowed_moves("follow_up", **who) == ["closed"]


def test_it_ends_at_rejected_and_closed():
    for state in ("rejected", "closed"):
        assert states.allowed_moves(state, department=True, board=True) == []


def test_it_offers_nothing_to_someone_who_is_neither():
    for state in ProposalState.values:
        assert states.allowed_moves(state, department=False, board=False) == []


def test_it_tells_a_move_from_a_jump():
    assert states.is_move("draft", "submitted")
    assert not states.is_move("draft", "approved")
    assert not states.is_move("closed", "draft")
    assert not states.is_move("unknown", "draft")
