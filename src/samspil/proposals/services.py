"""Every write of a proposal's header, sections and state. Pages, API and the demo loader
call these. A proposal made here has one section row per template section and one
consultation row per body the template names, so that a draft is complete from the start.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspil.core import permissions
from samspil.core.models import Organisation, User
from samspil.core.services import notify
from samspil.core.validation import clean_text, too_long

from . import economy_services, queries, states
from .models import (
    TEXT_MAX,
    TITLE_MAX,
    YEAR_MAX,
    YEAR_MIN,
    Consultation,
    DiscountPreset,
    Proposal,
    ProposalSection,
    ProposalState,
    ProposalTemplate,
    RoundEntry,
    StateChange,
    TemplateSection,
)

# Fields of the header a caller may set.
PROPOSAL_FIELDS = {
    "title",
    "summary",
    "committee",
    "price_level_year",
    "first_year",
    "last_year",
    "discount_preset",
    "own_discount_rate",
    "visibility",
    "challenge",
    "pilot",
    "event",
    "template",
    "affected_departments",
}
# The template fixes the sections, so it is chosen once, when the proposal is made.
UPDATE_FIELDS = PROPOSAL_FIELDS - {"template"}
SUMMARY_MAX = 2000
COMMITTEE_MAX = 200
NOTE_MAX = 2000
YEAR_FIELDS = ("price_level_year", "first_year", "last_year")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def default_template(owner: Organisation) -> ProposalTemplate:
    """The built-in template for the owner's country (Copenhagen's for Denmark)."""
    built_in = ProposalTemplate.objects.filter(organisation__isnull=True)
    return (
        built_in.filter(default_for=owner.country).first()
        or built_in.filter(code="copenhagen").first()
        or built_in.earliest("pk")
    )


def default_discount_preset(owner: Organisation) -> DiscountPreset | None:
    return DiscountPreset.objects.filter(country=owner.country).order_by("-valid_from").first()


def _clean_fields(actor: User, owner: Organisation, fields: dict, allowed: set[str]) -> dict:
    """Trims texts and checks what the model cannot: linked records the actor may see,
    templates the owner may use, departments of the owner's municipality, years in range."""
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    errors: dict[str, str] = {}
    clean_text(fields, errors, "title", TITLE_MAX, required=True)
    clean_text(fields, errors, "summary", SUMMARY_MAX)
    clean_text(fields, errors, "committee", COMMITTEE_MAX)
    for name in YEAR_FIELDS:
        year = fields.get(name)
        if year is not None and not (YEAR_MIN <= year <= YEAR_MAX):
            errors[name] = _("Give a year from %(first)d to %(last)d.") % {
                "first": YEAR_MIN,
                "last": YEAR_MAX,
            }
    rate = fields.get("own_discount_rate")
    if rate is not None and not (0 <= rate <= 50):
        errors["own_discount_rate"] = _("Give a rate from 0 to 50 %.")
    links = (
        ("challenge", permissions.challenges_visible_to, _("Choose a challenge you may see.")),
        ("pilot", permissions.pilots_visible_to, _("Choose a pilot you may see.")),
        ("event", permissions.events_visible_to, _("Choose an event you may see.")),
    )
    for name, visible_to, message in links:
        record = fields.get(name)
        if record is not None and not visible_to(actor).filter(pk=record.pk).exists():
            errors[name] = message
    template = fields.get("template")
    if template is not None and template.organisation_id not in (None, owner.pk):
        errors["template"] = _("Choose a built-in template or one of your organisation.")
    if fields.get("affected_departments"):
        allowed_ids = {o.pk for o in queries.municipality_departments(owner)}
        if {o.pk for o in fields["affected_departments"]} - allowed_ids:
            errors["affected_departments"] = _(
                "Choose departments of the presenting department's municipality."
            )
    if errors:
        raise ValidationError(errors)
    return fields


def _check_years(first_year: int, last_year: int) -> None:
    if last_year < first_year:
        raise ValidationError({"last_year": _("The last year must not be before the first year.")})


def _save(actor: User, proposal: Proposal) -> None:
    proposal._history_user = actor  # type: ignore[attr-defined]
    # The years' order is checked above with a message on the field; the constraint's own
    # message would name the constraint.
    proposal.full_clean(validate_constraints=False)
    proposal.save()


@transaction.atomic
def create_proposal(actor: User, owner: Organisation, **fields) -> Proposal:
    """A draft with every section of its template and the template's bodies to consult."""
    _require(permissions.can_create_proposal(actor, owner))
    fields.setdefault("title", "")
    fields = _clean_fields(actor, owner, fields, PROPOSAL_FIELDS)
    departments = fields.pop("affected_departments", None) or []
    year = timezone.localdate().year
    values: dict[str, Any] = {
        "template": default_template(owner),
        "price_level_year": year,
        "first_year": year,
        "last_year": year + 4,
        "discount_preset": default_discount_preset(owner),
    }
    # Left empty, the template and the years take their defaults.
    values.update(
        (name, value)
        for name, value in fields.items()
        if value is not None or name not in ("template", *YEAR_FIELDS)
    )
    _check_years(values["first_year"], values["last_year"])
    proposal = Proposal(owner=owner, created_by=actor, **values)
    _save(actor, proposal)
    proposal.affected_departments.set(departments)
    template = proposal.template
    ProposalSection.objects.bulk_create(
        ProposalSection(proposal=proposal, section=section, updated_by=actor)
        for section in template.sections.all()
    )
    Consultation.objects.bulk_create(
        Consultation(proposal=proposal, body=body.name, guidance=body.guidance, position=i)
        for i, body in enumerate(template.consultation_bodies.all())
    )
    return proposal


def _refuse_cells_outside(proposal: Proposal, first_year: int, last_year: int) -> None:
    """Shorter table years may not leave filled cells behind; the error names them."""
    cells = economy_services.cells_outside(proposal, first_year, last_year)
    if cells:
        field = "first_year" if any(cell.year < first_year for cell in cells) else "last_year"
        raise ValidationError({field: economy_services.outside_message(cells)})


@transaction.atomic
def update_proposal(actor: User, proposal: Proposal, **fields) -> Proposal:
    """Change the header. The table years may shrink only when no filled cell falls outside."""
    _require(permissions.can_edit_proposal(actor, proposal))
    fields = _clean_fields(actor, proposal.owner, fields, UPDATE_FIELDS)
    departments = fields.pop("affected_departments", None)
    for name in YEAR_FIELDS:
        if name in fields and fields[name] is None:
            del fields[name]
    first_year = fields.get("first_year", proposal.first_year)
    last_year = fields.get("last_year", proposal.last_year)
    _check_years(first_year, last_year)
    if first_year > proposal.first_year or last_year < proposal.last_year:
        _refuse_cells_outside(proposal, first_year, last_year)
    if fields.get("price_level_year", proposal.price_level_year) != proposal.price_level_year:
        _refuse_price_level_apart_from_rounds(proposal, fields["price_level_year"])
    for name, value in fields.items():
        setattr(proposal, name, value)
    _save(actor, proposal)
    if departments is not None:
        proposal.affected_departments.set(departments)
    return proposal


def _refuse_price_level_apart_from_rounds(proposal: Proposal, year: int) -> None:
    """A round's amounts share one price level (``round_services.enter_proposal``): a proposal
    in a round with other proposals keeps theirs."""
    other = (
        RoundEntry.objects.filter(round__entries__proposal=proposal)
        .exclude(proposal=proposal)
        .exclude(proposal__price_level_year=year)
        .select_related("round", "proposal")
        .first()
    )
    if other is not None:
        raise ValidationError(
            {
                "price_level_year": _(
                    "The proposal is in the round “%(round)s”, whose amounts are at %(year)s "
                    "prices: take it out of the round to change its price level."
                )
                % {"round": other.round.title, "year": other.proposal.price_level_year}
            }
        )


def _clean_text(text: str) -> str:
    # Browsers send line breaks as CRLF; count and keep them as one character.
    return (text or "").replace("\r\n", "\n").strip()


@transaction.atomic
def save_section(actor: User, proposal: Proposal, section_code: str, text: str) -> ProposalSection:
    """The text of one template section; each section saves on its own."""
    _require(permissions.can_edit_proposal(actor, proposal))
    template_section = TemplateSection.objects.filter(
        template_id=proposal.template_id, code=section_code
    ).first()
    if template_section is None:
        raise ValidationError({"section": _("The proposal's template has no such section.")})
    text = _clean_text(text)
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": too_long(TEXT_MAX)})
    section, _created = ProposalSection.objects.select_for_update().get_or_create(
        proposal=proposal, section=template_section, defaults={"updated_by": actor}
    )
    if section.text != text:
        section.text = text
        section.updated_by = actor
        section._history_user = actor  # type: ignore[attr-defined]
        section.save()
    return section


def _state_label(state: str) -> str:
    return str(dict(ProposalState.choices).get(state, state)).lower()


def _check_submission(proposal: Proposal) -> None:
    """A proposal goes to the board with a title and a table without problems."""
    if not proposal.title.strip():
        raise ValidationError({"state": _("Give the proposal a title before submitting it.")})
    problems = economy_services.table_problems(proposal)
    if problems:
        raise ValidationError({"state": problems})


@transaction.atomic
def move_proposal(actor: User, proposal: Proposal, to_state: str, note: str = "") -> StateChange:
    """One move by ``states.TRANSITIONS``: the department drafts, consults and submits; the
    board prioritises and decides. Every move is a ``StateChange``; the author hears of the
    board's decisions."""
    department = permissions.can_move_proposal(actor, proposal)
    board = permissions.can_decide_proposal(actor, proposal)
    _require(department or board)
    # Another tab may have moved it meanwhile; the move starts from the stored state.
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    proposal.state = locked.state
    note = (note or "").strip()
    if to_state not in ProposalState.values or not states.is_move(proposal.state, to_state):
        raise ValidationError(
            {
                "state": _("A proposal that is “%(current)s” cannot become “%(new)s”.")
                % {"current": _state_label(proposal.state), "new": _state_label(to_state)}
            }
        )
    who = states.TRANSITIONS[proposal.state][to_state]
    _require(states.may_make(who, department=department, board=board))
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": too_long(NOTE_MAX)})
    if to_state == ProposalState.SUBMITTED:
        _check_submission(proposal)
    change = StateChange.objects.create(
        proposal=proposal,
        from_state=proposal.state,
        to_state=to_state,
        note=note,
        changed_by=actor,
    )
    proposal.state = to_state
    proposal._history_user = actor  # type: ignore[attr-defined]
    proposal.save(update_fields=["state", "updated_at"])
    if to_state == ProposalState.APPROVED:
        # Imported here as the brief asks: the follow-up module may come to import this one.
        from . import followup_services

        followup_services.activate_follow_ups(proposal)
    if to_state in states.BOARD_DECISIONS:
        _notify_author(actor, proposal, note)
    return change


def _notify_author(actor: User, proposal: Proposal, note: str) -> None:
    author = proposal.created_by
    if author is None or author.pk == actor.pk:
        return
    notify(
        author,
        "proposals/email/decided",
        {
            "title": proposal.title,
            "actor": str(actor),
            # Lazy, so that the message is in the author's language.
            "state": dict(ProposalState.choices)[proposal.state],
            "note": note,
        },
        proposal.get_absolute_url(),
    )
