"""Every write of prioritisation rounds: the round with its board, budgets and criteria,
proposals entered in it, the board's scores, and marking the ranked proposals prioritised.
Pages, API and the demo loader call these.

Rules the functions below keep:

- Innovation leads of the owner (``can_edit_round``) edit the round. Its board are people of
  the owner's organisation tree (its parts and those above it).
- A round's criteria default to the prioritisation criteria of the Copenhagen proposal
  (section 1.4), each weighing 1 on a scale of 1–5. Once any score exists, criteria can no
  longer be added, removed, reweighted or rescaled (that would change what the board scored);
  names and descriptions can still be edited.
- A proposal's department enters a submitted proposal before the submission deadline; the
  round's editors may take an entry out.
- A round's amounts share one price level, that of its first entry: the optimiser counts
  them against the same budgets, so a proposal at another price-level year is refused.
- Board members score until the scoring deadline, each value within its criterion's scale.
  A blank value leaves the criterion unscored (and removes the member's earlier score).
"""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspil.core import permissions
from samspil.core.models import Organisation, User, Visibility
from samspil.core.validation import clean_text, too_long
from samspil.events.services import organiser_candidates

from . import round_queries
from .models import (
    AMOUNT_LIMIT,
    TEXT_MAX,
    TITLE_MAX,
    YEAR_MAX,
    YEAR_MIN,
    BudgetArea,
    Objective,
    Proposal,
    ProposalState,
    Round,
    RoundBudget,
    RoundCriterion,
    RoundEntry,
    Score,
)

ROUND_FIELDS = {
    "title",
    "description",
    "submission_deadline",
    "scoring_deadline",
    "objective",
    "visibility",
}
NAME_MAX = 200
DESCRIPTION_MAX = 2000
COMMENT_MAX = 2000
WEIGHT_MAX = Decimal(1000)
# Scores are stored as small integers: scales stay well inside their range.
SCALE_LIMIT = 1000

# Seed 004's prioritisation criteria (section 1.4 of the Copenhagen proposal).
DEFAULT_CRITERIA = [
    gettext_lazy("Expense"),
    gettext_lazy("Expected investment proposal and budget year"),
    gettext_lazy("Lasting efficiency potential (with budget area)"),
    gettext_lazy("Cross-cutting efficiency"),
    gettext_lazy("Large-scale potential"),
    gettext_lazy("Mature use of new technology"),
]


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def default_criteria() -> list[dict]:
    """The default criteria as rows, named in the active language."""
    return [
        {"name": str(name), "description": "", "weight": Decimal(1), "scale_min": 1, "scale_max": 5}
        for name in DEFAULT_CRITERIA
    ]


def board_candidates(owner: Organisation):
    """People of the owner's tree: who may sit on the round's board."""
    return organiser_candidates(owner).filter(is_active=True)


# Checks shared with the forms, so that a page marks the cell and the API names the row --------


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        return Decimal("NaN")
    return number


def budget_row_errors(rows: list[dict]) -> dict[int, dict[str, str]]:
    """Per row index, per field, what is wrong with the budgets: a negative or absurd amount,
    a year outside the tables' range, a second budget for one year and area."""
    errors: dict[int, dict[str, str]] = {}
    seen: set[tuple] = set()
    for index, row in enumerate(rows):
        problems: dict[str, str] = {}
        amount = _decimal(row.get("amount"))
        if amount is None:
            problems["amount"] = _("Give the amount.")
        elif not amount.is_finite():
            problems["amount"] = _("Enter a number.")
        elif amount < 0:
            problems["amount"] = _("A budget cannot be negative.")
        elif amount > AMOUNT_LIMIT:
            problems["amount"] = _("Enter at most %(limit)s (in 1,000).") % {
                "limit": number_format(AMOUNT_LIMIT, 0, use_l10n=True, force_grouping=True)
            }
        year = row.get("year")
        if year is not None and not (
            isinstance(year, int) and not isinstance(year, bool) and YEAR_MIN <= year <= YEAR_MAX
        ):
            problems["year"] = _("Enter a year from %(min)d to %(max)d.") % {
                "min": YEAR_MIN,
                "max": YEAR_MAX,
            }
        area = row.get("budget_area") or ""
        if area not in BudgetArea.values and area != "":
            problems["budget_area"] = _("Choose a budget area.")
        key = (year, area)
        if not problems and key in seen:
            problems["year"] = _("The round already has a budget for this year and budget area.")
        seen.add(key)
        if problems:
            errors[index] = problems
    return errors


def criteria_row_errors(rows: list[dict]) -> dict[int, dict[str, str]]:
    """Per row index, per field, what is wrong with the criteria."""
    errors: dict[int, dict[str, str]] = {}
    names: set[str] = set()
    for index, row in enumerate(rows):
        problems: dict[str, str] = {}
        name = " ".join(str(row.get("name") or "").split())
        if not name:
            problems["name"] = _("This field is required.")
        elif len(name) > NAME_MAX:
            problems["name"] = too_long(NAME_MAX)
        elif name.lower() in names:
            problems["name"] = _("The round already has a criterion with this name.")
        names.add(name.lower())
        if len(str(row.get("description") or "")) > DESCRIPTION_MAX:
            problems["description"] = too_long(DESCRIPTION_MAX)
        weight = _decimal(row.get("weight"))
        if weight is None or not weight.is_finite() or not (0 <= weight <= WEIGHT_MAX):
            problems["weight"] = _("Give a weight from 0 to %(max)d.") % {"max": WEIGHT_MAX}
        low, high = row.get("scale_min"), row.get("scale_max")
        scale_message = _("Enter a whole number from %(min)d to %(max)d.") % {
            "min": -SCALE_LIMIT,
            "max": SCALE_LIMIT,
        }
        for key, value in (("scale_min", low), ("scale_max", high)):
            if not isinstance(value, int) or isinstance(value, bool) or abs(value) > SCALE_LIMIT:
                problems[key] = scale_message
        if "scale_min" not in problems and "scale_max" not in problems and high <= low:  # type: ignore[operator]
            problems["scale_max"] = _("The highest score must be above the lowest.")
        if problems:
            errors[index] = problems
    return errors


def _row_errors(field: str, errors: dict[int, dict[str, str]]) -> ValidationError:
    messages = [
        _("Row %(row)d: %(error)s") % {"row": index + 1, "error": message}
        for index, problems in sorted(errors.items())
        for message in problems.values()
    ]
    return ValidationError({field: messages})


# Rounds --------------------------------------------------------------------------------------


def _clean_fields(fields: dict) -> dict:
    unknown = set(fields) - ROUND_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    errors: dict[str, str] = {}
    clean_text(fields, errors, "title", TITLE_MAX, required=True)
    clean_text(fields, errors, "description", TEXT_MAX)
    if "objective" in fields and fields["objective"] not in Objective.values:
        errors["objective"] = _("Choose what to maximise.")
    if "visibility" in fields and fields["visibility"] not in Visibility.values:
        errors["visibility"] = _("Choose a visibility.")
    for name in ("submission_deadline", "scoring_deadline"):
        if name in fields and not isinstance(fields[name], datetime):
            errors[name] = _("This field is required.")
    if errors:
        raise ValidationError(errors)
    return fields


def _check_deadlines(round_: Round) -> None:
    if round_.scoring_deadline < round_.submission_deadline:
        raise ValidationError(
            {"scoring_deadline": _("Scoring must not close before the submission deadline.")}
        )


def _check_board(owner: Organisation, board: list[User]) -> None:
    if not board:
        return
    allowed = set(
        board_candidates(owner).filter(pk__in=[u.pk for u in board]).values_list("pk", flat=True)
    )
    if any(u.pk not in allowed for u in board):
        raise ValidationError(
            {"board": _("Choose people of %(organisation)s.") % {"organisation": owner}}
        )


def _set_budgets(actor: User, round_: Round, rows: list[dict]) -> None:
    errors = budget_row_errors(rows)
    if errors:
        raise _row_errors("budgets", errors)
    round_.budgets.all().delete()
    for row in rows:
        budget = RoundBudget(
            round=round_,
            year=row.get("year"),
            budget_area=row.get("budget_area") or "",
            amount=Decimal(str(row["amount"]).strip()),
        )
        budget._history_user = actor  # type: ignore[attr-defined]
        budget.save()


def _scoring_started(round_: Round) -> bool:
    return Score.objects.filter(entry__round=round_).exists()


def _set_criteria(actor: User, round_: Round, rows: list[dict]) -> None:
    """Rows with an ``id`` update that criterion; rows without one are new; criteria not
    named are removed."""
    errors = criteria_row_errors(rows)
    if errors:
        raise _row_errors("criteria", errors)
    existing = {c.pk: c for c in round_.criteria.all()}
    if any(row.get("id") is not None and row["id"] not in existing for row in rows):
        raise ValidationError({"criteria": _("Edit only the criteria of this round.")})
    if _scoring_started(round_):
        kept = [row for row in rows if row.get("id") is not None]
        changed = len(kept) != len(rows) or {row["id"] for row in kept} != set(existing)
        for row in kept:
            old = existing[row["id"]]
            changed = changed or (
                _decimal(row["weight"]) != old.weight
                or row["scale_min"] != old.scale_min
                or row["scale_max"] != old.scale_max
            )
        if changed:
            raise ValidationError(
                {
                    "criteria": _(
                        "Scoring has begun: criteria can no longer be added, removed, "
                        "reweighted or rescaled. Names and descriptions can still be edited."
                    )
                }
            )
    named = {row["id"] for row in rows if row.get("id") is not None}
    for pk, criterion in existing.items():
        if pk not in named:
            criterion._history_user = actor  # type: ignore[attr-defined]
            criterion.delete()
    for position, row in enumerate(rows):
        criterion = existing.get(row.get("id")) or RoundCriterion(round=round_)  # type: ignore[arg-type]
        criterion.name = " ".join(str(row["name"]).split())
        criterion.description = str(row.get("description") or "").strip()
        criterion.weight = _decimal(row["weight"])  # type: ignore[assignment]
        criterion.scale_min = row["scale_min"]
        criterion.scale_max = row["scale_max"]
        criterion.position = position
        criterion._history_user = actor  # type: ignore[attr-defined]
        criterion.save()


@transaction.atomic
def create_round(
    actor: User,
    owner: Organisation,
    *,
    board=(),
    budgets=(),
    criteria=None,
    **fields,
) -> Round:
    """An innovation lead of ``owner`` opens a round; ``criteria`` None gives the default
    set (``DEFAULT_CRITERIA``)."""
    _require(permissions.can_create_round(actor, owner))
    fields = _clean_fields(fields)
    for name in ("title", "submission_deadline", "scoring_deadline"):
        if name not in fields:
            raise ValidationError({name: _("This field is required.")})
    fields.setdefault("visibility", Visibility.INTERNAL)
    board = list(dict.fromkeys(board))
    _check_board(owner, board)
    round_ = Round(owner=owner, created_by=actor, **fields)
    _check_deadlines(round_)
    round_._history_user = actor  # type: ignore[attr-defined]
    round_.save()
    round_.board.set(board)
    _set_budgets(actor, round_, list(budgets))
    _set_criteria(actor, round_, default_criteria() if criteria is None else list(criteria))
    return round_


@transaction.atomic
def update_round(
    actor: User, round_: Round, *, board=None, budgets=None, criteria=None, **fields
) -> Round:
    """Change the round; leave ``board``, ``budgets`` or ``criteria`` out to keep them."""
    _require(permissions.can_edit_round(actor, round_))
    round_ = Round.objects.select_for_update().select_related("owner").get(pk=round_.pk)
    fields = _clean_fields(fields)
    for name, value in fields.items():
        setattr(round_, name, value)
    _check_deadlines(round_)
    if board is not None:
        board = list(dict.fromkeys(board))
        _check_board(round_.owner, board)
    round_._history_user = actor  # type: ignore[attr-defined]
    round_.save()
    if board is not None:
        round_.board.set(board)
    if budgets is not None:
        _set_budgets(actor, round_, list(budgets))
    if criteria is not None:
        _set_criteria(actor, round_, list(criteria))
    return round_


# Entries -------------------------------------------------------------------------------------


@transaction.atomic
def enter_proposal(
    actor: User, round_: Round, proposal: Proposal, now: datetime | None = None
) -> RoundEntry:
    """The proposal's department enters its submitted proposal before the deadline."""
    _require(permissions.can_enter_round(actor, round_, proposal))
    if proposal.state != ProposalState.SUBMITTED:
        raise ValidationError({"proposal": _("Only a submitted proposal can enter a round.")})
    if not round_queries.submission_open(round_, now):
        raise ValidationError(
            {"round": _("The round's submission deadline has passed: it takes no more proposals.")}
        )
    # Locked so that two first entries at different price levels cannot both get in.
    Round.objects.select_for_update().only("pk").get(pk=round_.pk)
    if round_.entries.filter(proposal=proposal).exists():
        raise ValidationError({"proposal": _("The proposal is already in this round.")})
    year = round_queries.price_level_year(round_)
    if year is not None and year != proposal.price_level_year:
        raise ValidationError(
            {
                "proposal": _(
                    "The round's proposals are at %(round)s prices and this proposal is at "
                    "%(proposal)s prices: restate its amounts at %(round)s prices to enter it."
                )
                % {"round": year, "proposal": proposal.price_level_year}
            }
        )
    entry = RoundEntry(round=round_, proposal=proposal, entered_by=actor)
    entry._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        raise ValidationError({"proposal": _("The proposal is already in this round.")}) from None
    return entry


@transaction.atomic
def remove_entry(actor: User, entry: RoundEntry) -> None:
    """Take a proposal out of the round, with the board's scores of it."""
    _require(permissions.can_edit_round(actor, entry.round))
    entry._history_user = actor  # type: ignore[attr-defined]
    entry.delete()


# Scores --------------------------------------------------------------------------------------


def _score_value(raw) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    try:
        number = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError, TypeError):
        return None
    return int(number) if number.is_finite() and number == number.to_integral_value() else None


def score_entry(
    actor: User, entry: RoundEntry, scores: list[dict], now: datetime | None = None
) -> list[Score]:
    """A board member's scores of one entry: rows of ``criterion`` (id), ``value`` (None or
    "" leaves the criterion unscored) and ``comment``. Errors are keyed ``criterion_<id>``
    and ``comment_<id>``, as the score form names its fields."""
    round_ = entry.round
    _require(permissions.is_round_board_member(actor, round_))
    if round_queries.scoring_closed(round_, now):
        raise ValidationError({"round": _("Scoring has closed: scores can no longer change.")})
    criteria = {c.pk: c for c in round_.criteria.all()}
    errors: dict[str, str] = {}
    cleaned: dict[int, tuple[int | None, str]] = {}
    for row in scores:
        try:
            criterion = criteria.get(int(row.get("criterion")))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            criterion = None
        if criterion is None:
            raise ValidationError({"criterion": _("Score only the criteria of this round.")})
        raw = row.get("value")
        comment = str(row.get("comment") or "").strip()
        value = None
        if raw is not None and raw != "":
            value = _score_value(raw)
            if value is None or not (criterion.scale_min <= value <= criterion.scale_max):
                errors[f"criterion_{criterion.pk}"] = _(
                    "Give %(criterion)s a whole number from %(min)d to %(max)d."
                ) % {
                    "criterion": criterion.name,
                    "min": criterion.scale_min,
                    "max": criterion.scale_max,
                }
        if len(comment) > COMMENT_MAX:
            errors[f"comment_{criterion.pk}"] = too_long(COMMENT_MAX)
        cleaned[criterion.pk] = (value, comment)
    if errors:
        raise ValidationError(errors)
    saved = []
    with transaction.atomic():
        existing = {s.criterion_id: s for s in Score.objects.filter(entry=entry, member=actor.pk)}
        for criterion_id, (value, comment) in cleaned.items():
            item = existing.get(criterion_id)
            if value is None:
                if item is not None:
                    item._history_user = actor  # type: ignore[attr-defined]
                    item.delete()
                continue
            item = item or Score(entry=entry, criterion_id=criterion_id, member=actor)
            item.value = value
            item.comment = comment
            item._history_user = actor  # type: ignore[attr-defined]
            item.save()
            saved.append(item)
    return saved


# Prioritising ---------------------------------------------------------------------------------


@transaction.atomic
def prioritise_ranked(actor: User, round_: Round, now: datetime | None = None) -> list[Proposal]:
    """Mark the round's ranked (scored) proposals that are still submitted as prioritised;
    the proposals' own state rules decide (``services.move_proposal``)."""
    from . import services

    _require(permissions.can_prioritise_round(actor, round_))
    if not round_queries.scoring_closed(round_, now):
        raise ValidationError({"round": _("Scoring is still open: prioritise when it has closed.")})
    moved = []
    for line in round_queries.ranking(round_, now=now):
        if line.rank is None or line.proposal.state != ProposalState.SUBMITTED:
            continue
        services.move_proposal(actor, line.proposal, ProposalState.PRIORITISED)  # type: ignore[attr-defined]
        moved.append(line.proposal)
    if not moved:
        raise ValidationError(
            {"round": _("No scored proposal of the round is waiting to be prioritised.")}
        )
    return moved
