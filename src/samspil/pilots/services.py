"""Every write of pilots: the plan, status, maturity and outcome, partners, lessons and
adoption by another organisation. Pages, API and the demo loader call these.

Programmes, phases and decisions, KPIs and benefits have their own writes; a pilot made here
starts in the first phase of its phase model with that model's checklist copied.
"""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspil.core import permissions
from samspil.core.models import PUBLIC_SECTOR_KINDS, Country, Organisation, OrganisationKind, User
from samspil.core.validation import too_long
from samspil.events.services import organiser_candidates

from . import rules
from .models import (
    TEXT_MAX,
    TITLE_MAX,
    Benefit,
    ChecklistTemplateItem,
    Kpi,
    Lesson,
    MaturityStage,
    Outcome,
    Phase,
    PhaseModel,
    Pilot,
    PilotChecklistItem,
    PilotPartner,
    PilotStatus,
)

PILOT_FIELDS = {
    "title",
    "hypothesis",
    "description",
    "kind",
    "starts_on",
    "planned_end_on",
    "visibility",
    "programme",
    "challenge",
    "event",
}
# The phase model a pilot follows when its programme names none, by the owner's country.
PHASE_MODEL_BY_COUNTRY: dict[str, str] = {
    Country.NORWAY: "prosjektveiviseren",
    Country.DENMARK: "statens-it-projektmodel",
}
PARTNER_KINDS = PUBLIC_SECTOR_KINDS | {
    OrganisationKind.COMPANY,
    OrganisationKind.KNOWLEDGE_INSTITUTION,
}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _clean_pilot_fields(actor: User, owner: Organisation, fields: dict) -> dict:
    unknown = set(fields) - PILOT_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    errors: dict[str, str] = {}
    for name, limit in (("title", TITLE_MAX), ("hypothesis", TEXT_MAX)):
        if name in fields:
            value = (fields[name] or "").strip()
            if not value:
                errors[name] = _("This field is required.")
            elif len(value) > limit:
                errors[name] = too_long(limit)
            fields[name] = value
    if "description" in fields:
        fields["description"] = (fields["description"] or "").strip()
        if len(fields["description"]) > TEXT_MAX:
            errors["description"] = too_long(TEXT_MAX)
    programme = fields.get("programme")
    if programme is not None and not _programme_allowed(actor, owner, programme):
        errors["programme"] = _("Choose a programme of your organisation you may see.")
    challenge = fields.get("challenge")
    if (
        challenge is not None
        and not permissions.challenges_visible_to(actor).filter(pk=challenge.pk).exists()
    ):
        errors["challenge"] = _("Choose a challenge you may see.")
    event = fields.get("event")
    if event is not None and not permissions.events_visible_to(actor).filter(pk=event.pk).exists():
        errors["event"] = _("Choose an event you may see.")
    if errors:
        raise ValidationError(errors)
    return fields


def _programme_allowed(actor: User, owner: Organisation, programme) -> bool:
    """A programme the actor sees, which the owner's tree runs or co-owns, or which the actor
    may edit (a coordinator adding a partner municipality's pilot)."""
    if not permissions.programmes_visible_to(actor).filter(pk=programme.pk).exists():
        return False
    if permissions.same_tree(programme.owner, owner):
        return True
    if any(permissions.same_tree(o, owner) for o in programme.co_owners.all()):
        return True
    return permissions.can_edit_programme(actor, programme)


def date_errors(starts_on, planned_end_on, ended_on=None) -> dict[str, str]:
    """The messages for ends before the start (forms show them before the services run)."""
    errors = {}
    if starts_on and planned_end_on and planned_end_on < starts_on:
        errors["planned_end_on"] = _("The planned end must not be before the start.")
    if starts_on and ended_on and ended_on < starts_on:
        errors["ended_on"] = _("The end must not be before the start.")
    return errors


def _check_dates(pilot: Pilot) -> None:
    errors = date_errors(pilot.starts_on, pilot.planned_end_on, pilot.ended_on)
    if errors:
        raise ValidationError(errors)


def _check_people(owner: Organisation, lead, team) -> None:
    people = [u for u in [lead, *(team or [])] if u is not None]
    allowed = set(
        organiser_candidates(owner)
        .filter(pk__in=[u.pk for u in people])
        .values_list("pk", flat=True)
    )
    message = _("Choose people of %(organisation)s.") % {"organisation": owner}
    if lead is not None and lead.pk not in allowed:
        raise ValidationError({"lead": message})
    if any(u.pk not in allowed for u in team or []):
        raise ValidationError({"team": message})


def default_phase_model(owner: Organisation, programme=None) -> PhaseModel | None:
    """The programme's phase model, else the usual one in the owner's country, else none."""
    if programme is not None and programme.phase_model_id:
        return programme.phase_model
    code = PHASE_MODEL_BY_COUNTRY.get(owner.country)
    if code is None:
        return None
    return PhaseModel.objects.filter(code=code).first()


def _first_phase(phase_model: PhaseModel | None) -> Phase | None:
    if phase_model is None:
        return None
    return phase_model.phases.order_by("position").first()


def _copy_template_checklist(pilot: Pilot) -> None:
    if pilot.phase_model_id is None:
        return
    items = ChecklistTemplateItem.objects.filter(phase__model_id=pilot.phase_model_id)
    PilotChecklistItem.objects.bulk_create(
        PilotChecklistItem(pilot=pilot, phase_id=i.phase_id, text=i.text, position=i.position)
        for i in items
    )


def _save(actor: User, obj) -> None:
    obj._history_user = actor
    obj.full_clean()
    obj.save()


@transaction.atomic
def create_pilot(
    actor: User,
    owner: Organisation,
    *,
    lead: User | None = None,
    team=(),
    phase_model: PhaseModel | None = None,
    **fields,
) -> Pilot:
    """An innovation lead of ``owner`` starts a pilot. It follows ``phase_model`` (default:
    the programme's, else the one used in the owner's country) from its first phase."""
    return _create(actor, owner, lead=lead, team=team, phase_model=phase_model, fields=fields)


def _create(actor, owner, *, lead, team, phase_model, fields, checklist_from=None) -> Pilot:
    _require(permissions.can_create_pilot(actor, owner))
    fields = _clean_pilot_fields(actor, owner, fields)
    team = list(team or [])
    _check_people(owner, lead, team)
    if phase_model is None:
        phase_model = default_phase_model(owner, fields.get("programme"))
    elif phase_model.organisation_id not in (None, owner.pk):
        raise ValidationError({"phase_model": _("Choose a phase model you may use.")})
    pilot = Pilot(
        owner=owner,
        created_by=actor,
        lead=lead,
        phase_model=phase_model,
        current_phase=_first_phase(phase_model),
        **fields,
    )
    _check_dates(pilot)
    _save(actor, pilot)
    pilot.team.set(team)
    if checklist_from is None:
        _copy_template_checklist(pilot)
    else:
        PilotChecklistItem.objects.bulk_create(
            PilotChecklistItem(pilot=pilot, phase_id=i.phase_id, text=i.text, position=i.position)
            for i in checklist_from.checklist.all()
        )
    return pilot


_UNSET = object()


@transaction.atomic
def update_pilot(actor: User, pilot: Pilot, *, lead=_UNSET, team=None, **fields) -> Pilot:
    """Change the plan. Leave ``lead`` out to keep it; pass None to clear it."""
    _require(permissions.can_edit_pilot(actor, pilot))
    fields = _clean_pilot_fields(actor, pilot.owner, fields)
    for name, value in fields.items():
        setattr(pilot, name, value)
    if lead is not _UNSET:
        pilot.lead = lead  # type: ignore[assignment]
    _check_people(pilot.owner, pilot.lead if lead is not _UNSET else None, team)
    _check_dates(pilot)
    _save(actor, pilot)
    if team is not None:
        pilot.team.set(team)
    return pilot


def _started(actor: User, owner: Organisation, **values) -> dict:
    """``values`` with a six-month plan from today, the actor as lead and ``owner`` when the
    actor may start a pilot there."""
    start = timezone.localdate()
    initial = {
        **values,
        "starts_on": start,
        "planned_end_on": rules.add_months(start, 6),
        "lead": actor,
    }
    if permissions.can_create_pilot(actor, owner):
        initial["owner"] = owner
    return initial


def _sees_challenge(actor: User, challenge) -> bool:
    return permissions.challenges_visible_to(actor).filter(pk=challenge.pk).exists()


def start_from_challenge(actor: User, challenge) -> dict:
    """Initial values of a new pilot for a challenge the actor sees (nothing is saved)."""
    if not _sees_challenge(actor, challenge):
        raise PermissionDenied
    return _started(
        actor,
        challenge.owner,
        challenge=challenge,
        title=challenge.title,
        hypothesis=challenge.success_criteria or challenge.problem_statement,
        description=challenge.problem_statement,
    )


def start_from_submission(actor: User, submission) -> dict:
    """Initial values of a new pilot for an idea from an event — a team's submission the
    actor may see — with the event and, when the actor sees it, the team's challenge
    (nothing is saved)."""
    event = submission.team.event
    if not (
        permissions.events_visible_to(actor).filter(pk=event.pk).exists()
        and permissions.can_see_submissions(actor, event)
    ):
        raise PermissionDenied
    challenge = submission.team.challenge
    return _started(
        actor,
        event.owner,
        event=event,
        challenge=challenge if challenge and _sees_challenge(actor, challenge) else None,
        title=submission.title,
        hypothesis=submission.problem_solved or submission.summary,
        description=submission.summary,
    )


@transaction.atomic
def change_status(actor: User, pilot: Pilot, status: str, ended_on: date | None = None) -> Pilot:
    """planned → running → completed or stopped (a planned pilot may be stopped too); an
    ended pilot gets its end date, today unless given, never a day after today."""
    _require(permissions.can_edit_pilot(actor, pilot))
    if status not in PilotStatus.values or not rules.can_change_status(pilot.status, status):
        raise ValidationError(
            {
                "status": _("A pilot that is %(current)s cannot become %(new)s.")
                % {
                    "current": pilot.get_status_display().lower(),
                    "new": str(dict(PilotStatus.choices).get(status, status)).lower(),
                }
            }
        )
    ended = status in rules.ENDED_STATUSES
    if ended and ended_on is not None and ended_on > timezone.localdate():
        raise ValidationError({"ended_on": _("A pilot cannot end after today.")})
    pilot.status = status
    if ended:
        pilot.ended_on = ended_on or timezone.localdate()
    _check_dates(pilot)
    _save(actor, pilot)
    return pilot


@transaction.atomic
def set_maturity(
    actor: User, pilot: Pilot, stage: str, outcome: str = "", reason: str = ""
) -> Pilot:
    """Move the maturity stage by ``rules.can_move_stage``. At "outcome" the decision (build
    in-house, partnership, procurement, scale, stop) and its reason are required; leaving the
    stage clears them."""
    _require(permissions.can_decide_pilot(actor, pilot))
    reason = (reason or "").strip()
    if stage not in MaturityStage.values:
        raise ValidationError({"maturity": _("Choose a maturity stage.")})
    if not rules.can_move_stage(pilot.maturity, stage):
        raise ValidationError(
            {"maturity": _("A stage can move forward, or back one step at a time.")}
        )
    errors = {}
    if stage == MaturityStage.OUTCOME:
        if outcome not in Outcome.values:
            errors["outcome"] = _("Choose the outcome.")
        if not reason:
            errors["outcome_reason"] = _("Give the reason for the outcome.")
        elif len(reason) > TEXT_MAX:
            errors["outcome_reason"] = too_long(TEXT_MAX)
    elif outcome:
        errors["outcome"] = _("An outcome is decided at the stage “Outcome”.")
    if errors:
        raise ValidationError(errors)
    pilot.maturity = stage
    pilot.outcome = outcome if stage == MaturityStage.OUTCOME else ""
    pilot.outcome_reason = reason if stage == MaturityStage.OUTCOME else ""
    _save(actor, pilot)
    return pilot


# Partners ---------------------------------------------------------------------------------------


@transaction.atomic
def add_partner(
    actor: User, pilot: Pilot, organisation: Organisation, role: str, contribution: str = ""
) -> PilotPartner:
    """A supplier, knowledge institution or public partner the actor can see joins the pilot."""
    _require(permissions.can_edit_pilot(actor, pilot))
    errors = {}
    visible = permissions.organisations_visible_to(actor).filter(pk=organisation.pk).exists()
    if not visible or organisation.kind not in PARTNER_KINDS:
        errors["organisation"] = _(
            "Choose a company, knowledge institution or public organisation."
        )
    elif organisation.pk == pilot.owner_id:
        errors["organisation"] = _("The pilot's own organisation is not a partner.")
    elif pilot.partners.filter(organisation=organisation).exists():
        errors["organisation"] = _("This organisation is already a partner.")
    if errors:
        raise ValidationError(errors)
    partner = PilotPartner(
        pilot=pilot, organisation=organisation, role=role, contribution=(contribution or "").strip()
    )
    _save(actor, partner)
    return partner


@transaction.atomic
def remove_partner(actor: User, partner: PilotPartner) -> None:
    _require(permissions.can_edit_pilot(actor, partner.pilot))
    partner._history_user = actor  # type: ignore[attr-defined]
    partner.delete()


# Lessons ----------------------------------------------------------------------------------------


def _clean_lesson(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("This field is required.")})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": too_long(TEXT_MAX)})
    return text


@transaction.atomic
def add_lesson(actor: User, pilot: Pilot, text: str) -> Lesson:
    _require(permissions.can_edit_pilot(actor, pilot))
    lesson = Lesson(pilot=pilot, text=_clean_lesson(text), created_by=actor)
    _save(actor, lesson)
    return lesson


@transaction.atomic
def edit_lesson(actor: User, lesson: Lesson, text: str) -> Lesson:
    _require(permissions.can_edit_pilot(actor, lesson.pilot))
    lesson.text = _clean_lesson(text)
    _save(actor, lesson)
    return lesson


@transaction.atomic
def delete_lesson(actor: User, lesson: Lesson) -> None:
    _require(permissions.can_edit_pilot(actor, lesson.pilot))
    lesson._history_user = actor  # type: ignore[attr-defined]
    lesson.delete()


# Adoption ---------------------------------------------------------------------------------------

ADOPTED_FIELDS = ("title", "hypothesis", "description", "kind")


@transaction.atomic
def adopt_pilot(actor: User, source: Pilot, owner: Organisation, **overrides) -> Pilot:
    """Another organisation takes up a pilot it sees: a new internal pilot in ``owner`` with
    the plan, KPIs (without measurements), benefits plan (without measurements, owner or
    holders) and checklist (unticked) copied, in the first phase of the same phase model and
    at stage "idea". Partners, programme, challenge and event stay with the original. The new
    pilot keeps the original's planned length from today unless dates are given."""
    _require(permissions.can_create_pilot(actor, owner))
    if not permissions.pilots_visible_to(actor).filter(pk=source.pk).exists():
        raise PermissionDenied
    if owner.pk == source.owner_id:
        raise ValidationError(
            {"owner": _("Choose another organisation than the one running the pilot.")}
        )
    lead = overrides.pop("lead", actor if _is_candidate(owner, actor) else None)
    team = overrides.pop("team", ())
    start = overrides.get("starts_on") or timezone.localdate()
    fields = {name: getattr(source, name) for name in ADOPTED_FIELDS}
    fields["starts_on"] = start
    fields["planned_end_on"] = start + timedelta(
        days=(source.planned_end_on - source.starts_on).days
    )
    fields.update(overrides)
    adopted = _create(
        actor,
        owner,
        lead=lead,
        team=team,
        phase_model=source.phase_model,
        fields=fields,
        checklist_from=source,
    )
    adopted.adopted_from = source
    adopted._history_user = actor  # type: ignore[attr-defined]
    adopted.save(update_fields=["adopted_from", "updated_at"])
    _copy_kpis(source, adopted)
    _copy_benefits(source, adopted)
    return adopted


def _is_candidate(owner: Organisation, user: User) -> bool:
    return organiser_candidates(owner).filter(pk=user.pk).exists()


def _copy_kpis(source: Pilot, adopted: Pilot) -> None:
    Kpi.objects.bulk_create(
        Kpi(
            pilot=adopted,
            definition_id=k.definition_id,
            name=k.name,
            unit=k.unit,
            direction=k.direction,
            baseline_value=k.baseline_value,
            baseline_on=k.baseline_on,
            target_value=k.target_value,
            target_on=k.target_on,
            position=k.position,
        )
        for k in source.kpis.all()
    )


def _copy_benefits(source: Pilot, adopted: Pilot) -> None:
    Benefit.objects.bulk_create(
        Benefit(
            pilot=adopted,
            benefit_type=b.benefit_type,
            indicator=b.indicator,
            unit=b.unit,
            direction=b.direction,
            baseline_value=b.baseline_value,
            baseline_on=b.baseline_on,
            target_value=b.target_value,
            target_on=b.target_on,
            measure_every_months=b.measure_every_months,
        )
        for b in source.benefits.all()
    )
