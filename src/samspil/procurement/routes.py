"""A short decision aid: a few answers about the need and the market → the procurement
routes worth considering, each with its reason. Pure: no Django, no database.

The advice is a starting point for the procurement officer, never a legal assessment.
"""

from dataclasses import dataclass

YES, NO, UNSURE = "yes", "no", "unsure"


def _(text: str) -> str:
    """Marks text for makemessages; the page translates it when it shows it."""
    return text


@dataclass(frozen=True)
class Answers:
    """Each answer is "yes", "no" or "unsure" (unknown values count as unsure)."""

    market_has_solution: str = UNSURE  # Does the market already have a solution?
    needs_rnd: str = UNSURE  # Is research and development needed?
    buyer_buys_result: str = UNSURE  # Will the buyer purchase the developed solution?
    need_clear: str = UNSURE  # Is the need clear enough to write requirements?
    several_buyers: str = UNSURE  # Do several buyers want it?
    norway: str = UNSURE  # Is the buyer Norwegian?
    denmark_partnership: str = UNSURE  # (Denmark) joint development with a company, no purchase?


@dataclass(frozen=True)
class Advice:
    code: str
    reason: str


QUESTIONS = [
    ("market_has_solution", _("Does the market already have a solution?")),
    ("needs_rnd", _("Is research and development needed?")),
    ("buyer_buys_result", _("Will the buyer purchase the developed solution afterwards?")),
    ("need_clear", _("Is the need clear enough to write requirements?")),
    ("several_buyers", _("Do several buyers want the solution?")),
    ("norway", _("Is the buyer Norwegian?")),
    (
        "denmark_partnership",
        _("(Denmark) Do you want to develop together with companies without buying now?"),
    ),
]


def _norm(value: str) -> str:
    return value if value in (YES, NO) else UNSURE


def recommend(answers: Answers) -> list[Advice]:
    """Routes to consider, the best fitting first; never empty (market consultation fits
    whenever anything is unsure)."""
    a = {name: _norm(getattr(answers, name)) for name, _label in QUESTIONS}
    advice: list[Advice] = []

    def add(code: str, reason: str) -> None:
        if all(item.code != code for item in advice):
            advice.append(Advice(code, reason))

    if a["market_has_solution"] == YES and a["need_clear"] == YES:
        add("open-tender", _("A solution exists and the requirements can be written."))
    if a["needs_rnd"] == YES:
        if a["buyer_buys_result"] == YES:
            add(
                "innovation-partnership",
                _("Development and the later purchase in one procedure, in phases with go/no-go."),
            )
        elif a["buyer_buys_result"] == NO:
            add(
                "pcp",
                _(
                    "Research and development paid in competing phases; a purchase needs its own "
                    "tender."
                ),
            )
        else:
            add("innovation-partnership", _("Development with a purchase in the same procedure."))
            add("pcp", _("Development only, the purchase in a separate tender."))
    if a["denmark_partnership"] == YES:
        add(
            "opi-without-tender",
            _(
                "Joint development without a tender (udbudsloven § 22); conflicts of interest "
                "must be handled before any later tender."
            ),
        )
    if a["market_has_solution"] in (YES, UNSURE) and a["needs_rnd"] != YES:
        if a["need_clear"] == NO:
            add(
                "competitive-dialogue",
                _(
                    "The solution is developed in dialogue because the need cannot yet be "
                    "specified."
                ),
            )
        elif a["market_has_solution"] == UNSURE or a["need_clear"] == UNSURE:
            add(
                "negotiation",
                _("Existing solutions need adapting; negotiate before the final tenders."),
            )
    if a["norway"] == YES:
        add(
            "lup",
            _(
                "Norway's supplier development programme supports need definition, market "
                "dialogue and functional requirements."
            ),
        )
    if a["several_buyers"] == YES:
        add(
            "market-consultation",
            _(
                "Several buyers: agree on the need and volumes with the market before the "
                "procedure (consider a lead buyer with options)."
            ),
        )
    if UNSURE in a.values() or a["need_clear"] == NO or not advice:
        add(
            "market-consultation",
            _("Talk to the market first to learn what exists and what it costs."),
        )
    return advice
