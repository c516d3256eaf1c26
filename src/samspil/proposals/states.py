"""Which moves between a proposal's states exist, and who makes each (no Django imports).

A move is made either by the presenting department (its innovation leads and the author) or
by the board (the department's board members and the boards of its rounds). Starting and
closing the follow-up may be done by either.
"""

DEPARTMENT = "department"
BOARD = "board"
EITHER = "either"

# from state -> {to state: who}
TRANSITIONS: dict[str, dict[str, str]] = {
    "draft": {"consultation": DEPARTMENT, "submitted": DEPARTMENT},
    "consultation": {"draft": DEPARTMENT, "submitted": DEPARTMENT},
    "submitted": {
        "prioritised": BOARD,
        "approved": BOARD,
        "rejected": BOARD,
        "deferred": BOARD,
    },
    "prioritised": {"approved": BOARD, "rejected": BOARD, "deferred": BOARD},
    "deferred": {"draft": DEPARTMENT},
    "approved": {"follow_up": EITHER},
    "follow_up": {"closed": EITHER},
    "rejected": {},
    "closed": {},
}

# Moves whose outcome the author hears about.
BOARD_DECISIONS = frozenset({"prioritised", "approved", "rejected", "deferred"})


def may_make(who: str, *, department: bool, board: bool) -> bool:
    if who == EITHER:
        return department or board
    return department if who == DEPARTMENT else board


def is_move(state: str, to_state: str) -> bool:
    return to_state in TRANSITIONS.get(state, {})


def allowed_moves(state: str, *, department: bool, board: bool) -> list[str]:
    """The states a proposal in ``state`` may move to, for someone who acts for the
    department and/or the board; in the order of ``TRANSITIONS``."""
    return [
        to_state
        for to_state, who in TRANSITIONS.get(state, {}).items()
        if may_make(who, department=department, board=board)
    ]
