"""Every write of a proposal's prioritisation criteria (1.4), follow-up table (1.7) and
consultations ("who has been heard"), and the follow-up tasks' notifications and reminders.
Pages, API, the state machine (``activate_follow_ups`` on approval) and the reminder command
call these.

Who may: criteria and consultations are content (``permissions.can_edit_proposal``); the
follow-up table stays editable after approval (``can_edit_follow_up``) and its responsible
people tick their own tasks (``can_complete_follow_up``).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from samspil.core import permissions
from samspil.core.models import Membership, User
from samspil.core.services import notify

from .models import (
    AMOUNT_LIMIT,
    YEAR_MAX,
    YEAR_MIN,
    Assessment,
    BudgetArea,
    Consultation,
    ConsultationAnswer,
    CriteriaRow,
    FollowUpItem,
    Proposal,
    ProposalState,
)

CRITERIA_FIELDS = {
    "label",
    "expense_low",
    "expense_high",
    "expense_note",
    "expected_proposal",
    "expected_budget_year",
    "saving_low",
    "saving_high",
    "saving_area",
    "saving_note",
    "cross_cutting",
    "large_scale",
    "mature_technology",
}
FOLLOW_UP_FIELDS = {
    "criterion",
    "how_measured",
    "responsible",
    "responsible_user",
    "responsible_user_id",
    "when",
    "due_on",
}
CONSULTATION_FIELDS = {"answer", "answered_on", "note"}
# Ranges of the criteria table: (low field, high field).
AMOUNT_PAIRS = (("expense_low", "expense_high"), ("saving_low", "saving_high"))
ASSESSMENT_FIELDS = ("cross_cutting", "large_scale", "mature_technology")
# Text fields store "" for nothing; an API's null means the same.
TEXT_FIELDS = {
    "label",
    "expense_note",
    "expected_proposal",
    "saving_area",
    "saving_note",
    *ASSESSMENT_FIELDS,
    "criterion",
    "how_measured",
    "responsible",
    "when",
    "answer",
    "note",
}
# A follow-up task reminds its responsible person only once the proposal is decided.
TASK_STATES = (ProposalState.APPROVED, ProposalState.FOLLOW_UP)
TASK_TEMPLATE = "proposals/followup/email/task"
REMINDER_TEMPLATE = "proposals/followup/email/due"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _save(actor: User | None, obj) -> None:
    obj._history_user = actor
    obj.full_clean()
    obj.save()


def _check_fields(fields: dict, allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")


def _assign(obj, fields: dict) -> None:
    for name, value in fields.items():
        setattr(obj, name, "" if value is None and name in TEXT_FIELDS else value)


def _strip(obj, names) -> None:
    for name in names:
        value = getattr(obj, name)
        if isinstance(value, str):
            setattr(obj, name, value.strip())


def _year_error() -> str:
    return _("Enter a year from %(first)d to %(last)d.") % {"first": YEAR_MIN, "last": YEAR_MAX}


def _move(actor: User, rows: list, row, *, up: bool) -> bool:
    """Swap ``row`` with its neighbour and number them all in order; whether it moved."""
    index = next(i for i, r in enumerate(rows) if r.pk == row.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(rows):
        return False
    rows[index], rows[other] = rows[other], rows[index]
    for position, each in enumerate(rows):
        if each.position != position:
            each.position = position
            each._history_user = actor
            each.save(update_fields=["position"])
    return True


def _next_position(rows: QuerySet) -> int:
    last = rows.order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


class TableErrors(ValidationError):
    """Problems of a whole table written at once, each with its row: ``rows`` holds one
    ``{"index", "id", "field", "message"}`` per problem (index from 0)."""

    def __init__(self, rows: list[dict]):
        super().__init__(
            [
                _("Row %(number)d: %(message)s")
                % {"number": r["index"] + 1, "message": r["message"]}
                for r in rows
            ]
        )
        self.rows = rows


def _replace(existing: dict, items: list[dict], write, drop) -> list:
    """Write ``items`` in order: one with an ``id`` changes that row of ``existing``, one
    without adds a row; ``drop`` gets the rows not mentioned. Nothing is kept when a row is
    refused (the caller's transaction rolls back)."""
    errors: list[dict] = []
    written = []
    mentioned = set()
    for index, item in enumerate(items):
        fields = dict(item)
        pk = fields.pop("id", None)
        if pk is not None and (pk not in existing or pk in mentioned):
            message = _("There is no such row in this table, or it is given twice.")
            errors.append({"index": index, "id": pk, "field": "id", "message": message})
            continue
        mentioned.add(pk)
        try:
            written.append(write(existing.get(pk), fields, index))
        except ValidationError as error:
            errors += [
                {"index": index, "id": pk, "field": field, "message": message}
                for field, messages in error.message_dict.items()
                for message in messages
            ]
    if errors:
        raise TableErrors(errors)
    drop([row for pk, row in existing.items() if pk not in mentioned])
    return written


# 1.4 prioritisation criteria ------------------------------------------------------------------


def _clean_criteria_row(row: CriteriaRow) -> None:
    """A single amount is a range whose ends are equal; amounts are positive (a saving too:
    the table says how much is saved) and at most ``AMOUNT_LIMIT`` thousand."""
    _strip(row, ("label", "expense_note", "expected_proposal", "saving_note"))
    errors: dict[str, str] = {}
    if not row.label:
        errors["label"] = _("This field is required.")
    for low_name, high_name in AMOUNT_PAIRS:
        low, high = getattr(row, low_name), getattr(row, high_name)
        # Each problem once, on the end that was typed.
        given = [(n, v) for n, v in ((low_name, low), (high_name, high)) if v is not None]
        if low is None and high is not None:
            low = high
        elif high is None and low is not None:
            high = low
        setattr(row, low_name, low)
        setattr(row, high_name, high)
        for name, value in given:
            if value < 0:
                errors[name] = _("Enter the amount without a sign.")
            elif value > AMOUNT_LIMIT:
                errors[name] = _("Enter at most %(limit)s (in 1,000).") % {
                    "limit": number_format(AMOUNT_LIMIT, use_l10n=True, force_grouping=True)
                }
        if low_name not in errors and high_name not in errors and low is not None and low > high:
            errors[low_name] = _("The minimum must not be above the maximum.")
    year = row.expected_budget_year
    if year is not None and not YEAR_MIN <= year <= YEAR_MAX:
        errors["expected_budget_year"] = _year_error()
    if row.saving_area and row.saving_area not in BudgetArea.values:
        errors["saving_area"] = _("Choose one of the budget areas.")
    for name in ASSESSMENT_FIELDS:
        if getattr(row, name) and getattr(row, name) not in Assessment.values:
            errors[name] = _("Choose yes, maybe or no.")
    if errors:
        raise ValidationError(errors)


def _write_criteria_row(actor: User, row: CriteriaRow, fields: dict) -> CriteriaRow:
    _check_fields(fields, CRITERIA_FIELDS)
    _assign(row, fields)
    _clean_criteria_row(row)
    _save(actor, row)
    return row


@transaction.atomic
def add_criteria_row(actor: User, proposal: Proposal, **fields) -> CriteriaRow:
    """A row at the end of the table."""
    _require(permissions.can_edit_proposal(actor, proposal))
    row = CriteriaRow(proposal=proposal, position=_next_position(proposal.criteria_rows.all()))
    return _write_criteria_row(actor, row, fields)


@transaction.atomic
def update_criteria_row(actor: User, row: CriteriaRow, **fields) -> CriteriaRow:
    _require(permissions.can_edit_proposal(actor, row.proposal))
    return _write_criteria_row(actor, row, fields)


@transaction.atomic
def delete_criteria_row(actor: User, row: CriteriaRow) -> None:
    _require(permissions.can_edit_proposal(actor, row.proposal))
    row._history_user = actor  # type: ignore[attr-defined]
    row.delete()


@transaction.atomic
def move_criteria_row(actor: User, row: CriteriaRow, *, up: bool) -> bool:
    _require(permissions.can_edit_proposal(actor, row.proposal))
    return _move(actor, list(row.proposal.criteria_rows.all()), row, up=up)


@transaction.atomic
def replace_criteria_rows(actor: User, proposal: Proposal, items: list[dict]) -> list[CriteriaRow]:
    """The whole table at once (the API's PUT), in the order given."""
    _require(permissions.can_edit_proposal(actor, proposal))

    def write(row, fields, position):
        if row is None:
            row = CriteriaRow(proposal=proposal)
        row.position = position
        return _write_criteria_row(actor, row, fields)

    def drop(rows):
        for row in rows:
            row._history_user = actor
            row.delete()

    existing = {row.pk: row for row in proposal.criteria_rows.all()}
    return _replace(existing, items, write, drop)


# 1.7 follow-up --------------------------------------------------------------------------------


def responsible_candidates(proposal: Proposal) -> QuerySet[User]:
    """Who may be responsible for a follow-up: the active members of the presenting
    department."""
    members = Membership.objects.filter(organisation_id=proposal.owner_id).values("user_id")
    return User.objects.filter(pk__in=members, is_active=True).order_by(
        "first_name", "last_name", "username"
    )


def _clean_follow_up(item: FollowUpItem) -> None:
    _strip(item, ("criterion", "how_measured", "responsible", "when"))
    errors: dict[str, str] = {}
    if not item.criterion:
        errors["criterion"] = _("This field is required.")
    user_id = item.responsible_user_id
    if user_id is not None and not responsible_candidates(item.proposal).filter(pk=user_id):
        errors["responsible_user"] = _("Choose a person of %(organisation)s.") % {
            "organisation": item.proposal.owner
        }
    if item.due_on is not None and not YEAR_MIN <= item.due_on.year <= YEAR_MAX:
        errors["due_on"] = _("Enter a date from %(first)d to %(last)d.") % {
            "first": YEAR_MIN,
            "last": YEAR_MAX,
        }
    if errors:
        raise ValidationError(errors)


def _write_follow_up(actor: User, item: FollowUpItem, fields: dict) -> FollowUpItem:
    _check_fields(fields, FOLLOW_UP_FIELDS)
    due_before = item.due_on
    _assign(item, fields)
    _clean_follow_up(item)
    if item.due_on != due_before:
        # A new due date brings a new reminder when it comes.
        item.reminded_at = None
    _save(actor, item)
    return item


@transaction.atomic
def add_follow_up(actor: User, proposal: Proposal, **fields) -> FollowUpItem:
    """A follow-up at the end of the table. After approval it is a task at once: its
    responsible person is told."""
    _require(permissions.can_edit_follow_up(actor, proposal))
    item = FollowUpItem(proposal=proposal, position=_next_position(proposal.follow_ups.all()))
    _write_follow_up(actor, item, fields)
    if proposal.state in TASK_STATES:
        _notify_task(item)
    return item


@transaction.atomic
def update_follow_up(actor: User, item: FollowUpItem, **fields) -> FollowUpItem:
    """Change a follow-up; after approval a newly responsible person is told."""
    proposal = item.proposal
    _require(permissions.can_edit_follow_up(actor, proposal))
    responsible_before = item.responsible_user_id
    _write_follow_up(actor, item, fields)
    if proposal.state in TASK_STATES and item.responsible_user_id != responsible_before:
        _notify_task(item)
    return item


@transaction.atomic
def delete_follow_up(actor: User, item: FollowUpItem) -> None:
    _require(permissions.can_edit_follow_up(actor, item.proposal))
    item._history_user = actor  # type: ignore[attr-defined]
    item.delete()


@transaction.atomic
def move_follow_up(actor: User, item: FollowUpItem, *, up: bool) -> bool:
    _require(permissions.can_edit_follow_up(actor, item.proposal))
    return _move(actor, list(item.proposal.follow_ups.all()), item, up=up)


@transaction.atomic
def replace_follow_ups(actor: User, proposal: Proposal, items: list[dict]) -> list[FollowUpItem]:
    """The whole table at once (the API's PUT), in the order given; done and reminded
    follow-ups that stay keep that."""
    _require(permissions.can_edit_follow_up(actor, proposal))

    def write(item, fields, position):
        if item is None:
            item = FollowUpItem(proposal=proposal, position=position)
            _write_follow_up(actor, item, fields)
            if proposal.state in TASK_STATES:
                _notify_task(item)
            return item
        item.position = position
        responsible_before = item.responsible_user_id
        _write_follow_up(actor, item, fields)
        if proposal.state in TASK_STATES and item.responsible_user_id != responsible_before:
            _notify_task(item)
        return item

    def drop(items):
        for item in items:
            item._history_user = actor
            item.delete()

    existing = {item.pk: item for item in proposal.follow_ups.select_related("responsible_user")}
    for item in existing.values():
        item.proposal = proposal
    return _replace(existing, items, write, drop)


@transaction.atomic
def complete_follow_up(actor: User, item: FollowUpItem) -> FollowUpItem:
    """Tick a follow-up as done (again ticking keeps the first time)."""
    _require(permissions.can_complete_follow_up(actor, item))
    if item.done_at is None:
        item.done_at = timezone.now()
        _save(actor, item)
    return item


@transaction.atomic
def reopen_follow_up(actor: User, item: FollowUpItem) -> FollowUpItem:
    _require(permissions.can_complete_follow_up(actor, item))
    if item.done_at is not None:
        item.done_at = None
        _save(actor, item)
    return item


def follow_up_path(item: FollowUpItem) -> str:
    return f"{item.proposal.get_absolute_url()}#follow-up-{item.pk}"


def _notify_task(item: FollowUpItem) -> bool:
    person = item.responsible_user
    if person is None or not person.is_active or item.done_at is not None:
        return False
    notify(
        person,
        TASK_TEMPLATE,
        {"criterion": item.criterion, "proposal": item.proposal.title, "due_on": item.due_on},
        follow_up_path(item),
    )
    return True


def activate_follow_ups(proposal: Proposal) -> int:
    """On approval the follow-up table becomes tasks: each responsible person of an open
    follow-up is told (in-app and by e-mail, in their language); how many were told. Items
    without a due date are shown on the proposal as needing one. ``move_proposal`` checks
    who may approve."""
    items = proposal.follow_ups.filter(done_at__isnull=True, responsible_user__isnull=False)
    told = 0
    for item in items.select_related("responsible_user"):
        item.proposal = proposal
        told += _notify_task(item)
    return told


def due_follow_ups(today: date) -> QuerySet[FollowUpItem]:
    """Open follow-ups of approved proposals or proposals in follow-up that are due by
    ``today`` and whose responsible person was not reminded of this due date."""
    return (
        FollowUpItem.objects.filter(
            proposal__state__in=TASK_STATES,
            done_at__isnull=True,
            due_on__lte=today,
            reminded_at__isnull=True,
            responsible_user__isnull=False,
            responsible_user__is_active=True,
        )
        .select_related("responsible_user", "proposal")
        .order_by("due_on", "pk")
    )


def remind_due_follow_ups(today: date | None = None) -> int:
    """Remind each responsible person of a follow-up that is due or overdue, once per due
    date: ``reminded_at`` records it, and a new due date clears it."""
    today = today or timezone.localdate()
    sent = 0
    for item in due_follow_ups(today):
        with transaction.atomic():
            # Claim the reminder first, so that two runs at once do not both send it. A
            # bookkeeping field: ``update`` leaves the item's history alone on purpose.
            claimed = FollowUpItem.objects.filter(
                pk=item.pk, due_on=item.due_on, reminded_at__isnull=True
            ).update(reminded_at=timezone.now())
            if not claimed:
                continue
            notify(
                item.responsible_user,  # type: ignore[arg-type]
                REMINDER_TEMPLATE,
                {
                    "criterion": item.criterion,
                    "proposal": item.proposal.title,
                    "due_on": item.due_on,
                },
                follow_up_path(item),
            )
        sent += 1
    return sent


# Consultations --------------------------------------------------------------------------------


def template_body_names(proposal: Proposal) -> set[str]:
    return set(proposal.template.consultation_bodies.values_list("name", flat=True))


def is_added(consultation: Consultation, template_names: set[str]) -> bool:
    """A body the proposal added itself, not one of its template's (names are unique within
    a proposal, see ``add_consultation``)."""
    return consultation.body not in template_names


def _clean_consultation(consultation: Consultation) -> None:
    """Yes and no are dated; "not relevant" needs no date. A date may be any day."""
    _strip(consultation, ("body", "note"))
    errors: dict[str, str] = {}
    if not consultation.body:
        errors["body"] = _("This field is required.")
    answer, answered_on = consultation.answer, consultation.answered_on
    if answer and answer not in ConsultationAnswer.values:
        errors["answer"] = _("Choose yes, no or not relevant.")
    elif answer in (ConsultationAnswer.YES, ConsultationAnswer.NO) and answered_on is None:
        errors["answered_on"] = _("Enter the date of the answer.")
    elif not answer and answered_on is not None:
        errors["answer"] = _("Choose the answer given on this date.")
    if answered_on is not None and not YEAR_MIN <= answered_on.year <= YEAR_MAX:
        errors["answered_on"] = _("Enter a date from %(first)d to %(last)d.") % {
            "first": YEAR_MIN,
            "last": YEAR_MAX,
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def answer_consultation(actor: User, consultation: Consultation, **fields) -> Consultation:
    """Record a body's answer: yes/no with its date, or not relevant; and a note."""
    _require(permissions.can_edit_proposal(actor, consultation.proposal))
    _check_fields(fields, CONSULTATION_FIELDS)
    _assign(consultation, fields)
    _clean_consultation(consultation)
    _save(actor, consultation)
    return consultation


@transaction.atomic
def add_consultation(
    actor: User, proposal: Proposal, body: str, guidance: str = "", **fields
) -> Consultation:
    """Another body to consult, listed after the others."""
    _require(permissions.can_edit_proposal(actor, proposal))
    _check_fields(fields, CONSULTATION_FIELDS)
    consultation = Consultation(
        proposal=proposal,
        body=(body or "").strip(),
        guidance=(guidance or "").strip(),
        position=_next_position(proposal.consultations.all()),
    )
    _assign(consultation, fields)
    _clean_consultation(consultation)
    if proposal.consultations.filter(body__iexact=consultation.body).exists():
        raise ValidationError({"body": _("This body is listed already.")})
    _save(actor, consultation)
    return consultation


@transaction.atomic
def replace_consultations(actor: User, proposal: Proposal, items: list[dict]) -> list[Consultation]:
    """All answers at once (the API's PUT), in the order given: an item with an ``id``
    answers that body, one without adds a body (``body``, ``guidance``). Added bodies left
    out are removed; the template's bodies stay, after those given."""
    _require(permissions.can_edit_proposal(actor, proposal))
    names = template_body_names(proposal)
    existing = {row.pk: row for row in proposal.consultations.all()}
    listed = {row.body.casefold() for row in existing.values()}

    def write(row, fields, position):
        if row is None:
            body = (fields.pop("body", "") or "").strip()
            guidance = (fields.pop("guidance", "") or "").strip()
            _check_fields(fields, CONSULTATION_FIELDS)
            row = Consultation(proposal=proposal, body=body, guidance=guidance)
            _assign(row, fields)
            _clean_consultation(row)
            if body.casefold() in listed:
                raise ValidationError({"body": _("This body is listed already.")})
            listed.add(body.casefold())
        else:
            fields.pop("body", None)
            fields.pop("guidance", None)
            _check_fields(fields, CONSULTATION_FIELDS)
            _assign(row, fields)
            _clean_consultation(row)
        row.proposal = proposal
        row.position = position
        _save(actor, row)
        return row

    kept: list[Consultation] = []

    def drop(rows):
        for row in rows:
            if is_added(row, names):
                row._history_user = actor
                row.delete()
            else:
                kept.append(row)

    written = _replace(existing, items, write, drop)
    for position, row in enumerate(kept, start=len(written)):
        if row.position != position:
            row.position = position
            row._history_user = actor  # type: ignore[attr-defined]
            row.save(update_fields=["position"])
    return written + kept


@transaction.atomic
def remove_consultation(actor: User, consultation: Consultation) -> None:
    """Remove a body the proposal added; the template's bodies stay (answer "not relevant")."""
    proposal = consultation.proposal
    _require(permissions.can_edit_proposal(actor, proposal))
    if not is_added(consultation, template_body_names(proposal)):
        raise ValidationError(
            {"body": _("A body of the template stays; answer “not relevant” instead.")}
        )
    consultation._history_user = actor  # type: ignore[attr-defined]
    consultation.delete()
