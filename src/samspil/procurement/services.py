"""Every write of a procurement's plan, route, steps, phases, lots, award and contract.
Pages, API and the demo loader call these. A procurement made here has its OCDS ``ocid``
(``settings.OCDS_OCID_PREFIX`` and its number) and the lead buyer among its buyers.

Services raise ``ValidationError({field: message})`` for bad input and ``PermissionDenied``
for a user who may not write.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samspil.core import permissions
from samspil.core.models import Organisation, OrganisationKind, User
from samspil.core.validation import clean_text

from .buyer_services import check_new_ceiling
from .models import (
    AMOUNT_LIMIT,
    TEXT_MAX,
    TITLE_MAX,
    Award,
    Buyer,
    BuyerRole,
    Contract,
    Lot,
    Phase,
    PhaseDecision,
    Procurement,
    RouteStep,
    Stage,
    StepDone,
)

# What a procurement's editors set, in the order the form shows it.
PROCUREMENT_FIELDS = (
    "title",
    "description",
    "route",
    "procuring_entity",
    "currency",
    "estimated_value",
    "ceiling",
    "cpv_codes",
    "dialogue_starts_on",
    "tender_on",
    "award_on",
    "contract_starts_on",
    "contract_ends_on",
    "option_deadline",
    "visibility",
    "challenge",
    "pilot",
    "proposal",
)

# The timeline in the order its dates must follow.
TIMELINE = ["dialogue_starts_on", "tender_on", "award_on", "contract_starts_on", "contract_ends_on"]

CPV_PATTERN = re.compile(r"^\d{8}-\d$")

# Stage moves and the fact each needs (checked in ``move_stage``).
STAGE_MOVES = {
    Stage.PLANNING: [Stage.TENDER, Stage.CANCELLED],
    Stage.TENDER: [Stage.AWARD, Stage.PLANNING, Stage.CANCELLED],
    Stage.AWARD: [Stage.CONTRACT, Stage.CANCELLED],
    Stage.CONTRACT: [Stage.IMPLEMENTATION, Stage.CANCELLED],
    Stage.IMPLEMENTATION: [],
    Stage.CANCELLED: [],
}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def ocid_for(procurement: Procurement) -> str:
    return f"{settings.OCDS_OCID_PREFIX}-{procurement.pk}"


def _amount(fields: dict, errors: dict, name: str) -> None:
    if fields.get(name) in (None, ""):
        if name in fields:
            fields[name] = None
        return
    try:
        value = Decimal(str(fields[name]))
    except (InvalidOperation, ValueError):
        errors[name] = _("Enter an amount in whole units of the currency.")
        return
    if not value.is_finite() or value < 0:
        errors[name] = _("Enter an amount of zero or more.")
    elif value >= AMOUNT_LIMIT:
        errors[name] = _("Enter an amount below %(limit)s.") % {"limit": f"{AMOUNT_LIMIT:,}"}
    else:
        fields[name] = value.quantize(Decimal("0.01"))


def clean_cpv_codes(value) -> list[str]:
    """CPV codes as a list from a list or a text of codes separated by commas, spaces or
    lines; raises ``ValidationError`` naming the first malformed one. Only the form
    "NNNNNNNN-N" is checked: the EU's check-digit formula does not match the published codes."""
    if value in (None, ""):
        return []
    items = value.replace(",", " ").split() if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise ValidationError(_("Enter CPV codes such as 45000000-7."))
    codes: list[str] = []
    for item in items:
        code = str(item).strip()
        if not CPV_PATTERN.match(code):
            raise ValidationError(
                _(
                    "%(code)s is not a CPV code: write 8 digits, a hyphen and the check digit, "
                    "such as 45000000-7."
                )
                % {"code": code[:40]}
            )
        if code not in codes:
            codes.append(code)
    return codes


def _validate(fields: dict, current: Procurement | None = None) -> None:
    errors: dict[str, str] = {}
    clean_text(fields, errors, "title", TITLE_MAX, required=True)
    clean_text(fields, errors, "description", TEXT_MAX)
    _amount(fields, errors, "estimated_value")
    _amount(fields, errors, "ceiling")
    if "cpv_codes" in fields:
        try:
            fields["cpv_codes"] = clean_cpv_codes(fields["cpv_codes"])
        except ValidationError as error:
            errors["cpv_codes"] = error.messages[0]

    def value(name):
        if name in fields:
            return fields[name]
        return getattr(current, name, None) if current else None

    estimated, ceiling = value("estimated_value"), value("ceiling")
    if (
        not errors.keys() & {"ceiling", "estimated_value"}
        and estimated is not None
        and ceiling is not None
        and Decimal(ceiling) < Decimal(estimated)
    ):
        errors["ceiling"] = _("The ceiling cannot be below the estimated value.")
    previous = None
    for name in TIMELINE:
        date = value(name)
        if date is None:
            continue
        if previous is not None and date < previous[1]:
            errors.setdefault(
                name,
                _("This date cannot be before %(earlier)s.")
                % {
                    "earlier": str(
                        getattr(
                            Procurement._meta.get_field(previous[0]), "verbose_name", previous[0]
                        )
                    )
                },
            )
        previous = (name, date)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_procurement(actor: User, owner: Organisation, **fields) -> Procurement:
    """A procurement in planning, its owner the lead buyer."""
    _require(permissions.can_create_procurement(actor, owner))
    unknown = set(fields) - set(PROCUREMENT_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    fields.setdefault("title", "")
    _validate(fields)
    fields.setdefault("currency", owner.currency)
    procurement = Procurement.objects.create(owner=owner, created_by=actor, **fields)
    procurement.ocid = ocid_for(procurement)
    procurement.save(update_fields=["ocid"])
    Buyer.objects.create(
        procurement=procurement, organisation=owner, role=BuyerRole.LEAD, invited_by=actor
    )
    return procurement


@transaction.atomic
def update_procurement(actor: User, procurement: Procurement, **fields) -> Procurement:
    _require(permissions.can_edit_procurement(actor, procurement))
    unknown = set(fields) - set(PROCUREMENT_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    _validate(fields, procurement)
    if (
        "route" in fields
        and fields["route"] != procurement.route
        and procurement.steps_done.exists()
    ):
        raise ValidationError(
            {"route": _("Steps of the route are done already; the route cannot change.")}
        )
    if procurement.stage != Stage.PLANNING and "route" in fields and not fields["route"]:
        raise ValidationError({"route": _("A procurement past planning needs a route.")})
    if "ceiling" in fields:
        check_new_ceiling(procurement, fields["ceiling"])
    for name, value in fields.items():
        setattr(procurement, name, value)
    procurement.save()
    return procurement


# Steps -----------------------------------------------------------------------------------------


def next_step(procurement: Procurement) -> RouteStep | None:
    if procurement.route_id is None:
        return None
    done = StepDone.objects.filter(procurement=procurement).values("step_id")
    return (
        RouteStep.objects.filter(route_id=procurement.route_id)
        .exclude(pk__in=done)
        .order_by("position")
        .first()
    )


@transaction.atomic
def mark_step_done(
    actor: User,
    procurement: Procurement,
    *,
    done_on: datetime.date,
    output: str = "",
    step: RouteStep | None = None,
) -> StepDone:
    """The route's next step done on ``done_on``; ``step`` (if given) must be that next step:
    steps are done strictly in order."""
    _require(permissions.can_edit_procurement(actor, procurement))
    Procurement.objects.select_for_update().filter(pk=procurement.pk).first()
    if procurement.route_id is None:
        raise ValidationError({"step": _("Choose a route before marking its steps done.")})
    following = next_step(procurement)
    if following is None:
        raise ValidationError({"step": _("Every step of the route is done.")})
    if step is not None and step.pk != following.pk:
        if step.route_id != procurement.route_id:
            raise ValidationError({"step": _("This step is not part of the route.")})
        if StepDone.objects.filter(procurement=procurement, step=step).exists():
            raise ValidationError({"step": _("This step is done already.")})
        raise ValidationError(
            {
                "step": _("Steps are done in order: “%(next)s” comes before “%(step)s”.")
                % {"next": following.name, "step": step.name}
            }
        )
    errors: dict[str, str] = {}
    values = {"output": output}
    clean_text(values, errors, "output", TEXT_MAX)
    if not isinstance(done_on, datetime.date):
        errors["done_on"] = _("Enter a valid date.")
    else:
        last = (
            StepDone.objects.filter(procurement=procurement)
            .order_by("-step__position")
            .values_list("done_on", flat=True)
            .first()
        )
        if last is not None and done_on < last:
            errors["done_on"] = _("A step cannot be done before the step before it (%(date)s).") % {
                "date": last.isoformat()
            }
    if errors:
        raise ValidationError(errors)
    return StepDone.objects.create(
        procurement=procurement,
        step=following,
        done_on=done_on,
        output=values["output"],
        done_by=actor,
    )


# Lots ------------------------------------------------------------------------------------------


def add_lot(actor: User, procurement: Procurement, **fields) -> Lot:
    _require(permissions.can_edit_procurement(actor, procurement))
    errors: dict[str, str] = {}
    fields.setdefault("title", "")
    clean_text(fields, errors, "title", TITLE_MAX, required=True)
    clean_text(fields, errors, "description", TEXT_MAX)
    _amount(fields, errors, "estimated_value")
    if errors:
        raise ValidationError(errors)
    position = procurement.lots.count() + 1
    return Lot.objects.create(procurement=procurement, position=position, **fields)


# Phases ----------------------------------------------------------------------------------------


def _check_suppliers(suppliers, errors: dict) -> None:
    if any(org.kind != OrganisationKind.COMPANY for org in suppliers):
        errors["suppliers"] = _("Suppliers in a phase are companies.")


@transaction.atomic
def add_phase(actor: User, procurement: Procurement, *, suppliers=(), **fields) -> Phase:
    _require(permissions.can_edit_procurement(actor, procurement))
    errors: dict[str, str] = {}
    if procurement.route is None or not procurement.route.has_phases:
        raise ValidationError(
            {"name": _("Only routes with phases (innovation partnership, PCP) have phases.")}
        )
    fields.setdefault("name", "")
    clean_text(fields, errors, "name", 200, required=True)
    clean_text(fields, errors, "target", TEXT_MAX)
    _amount(fields, errors, "max_cost")
    suppliers = list(suppliers)
    _check_suppliers(suppliers, errors)
    if errors:
        raise ValidationError(errors)
    position = procurement.phases.count() + 1
    phase = Phase.objects.create(procurement=procurement, position=position, **fields)
    phase.suppliers.set(suppliers)
    return phase


@transaction.atomic
def decide_phase(
    actor: User,
    phase: Phase,
    *,
    decision: str,
    decided_on: datetime.date,
    result: str = "",
    suppliers=None,
) -> Phase:
    """Go or no-go for a phase: decisions in order (the phase before decided first, on or
    before this date) and nothing may go after a no-go."""
    procurement = phase.procurement
    _require(permissions.can_edit_procurement(actor, procurement))
    errors: dict[str, str] = {}
    values = {"result": result}
    clean_text(values, errors, "result", TEXT_MAX)
    if decision not in PhaseDecision.values:
        errors["decision"] = _("Choose go or no go.")
    if not isinstance(decided_on, datetime.date):
        errors["decided_on"] = _("Enter a valid date.")
    if phase.decision:
        errors["decision"] = _("This phase is decided already.")
    earlier = list(
        Phase.objects.filter(procurement=procurement, position__lt=phase.position).order_by(
            "position"
        )
    )
    if not errors:
        if any(p.decision == PhaseDecision.NO_GO for p in earlier) and decision == PhaseDecision.GO:
            errors["decision"] = _("An earlier phase ended with no go; this phase cannot go.")
        elif any(not p.decision for p in earlier):
            errors["decision"] = _("Decide the earlier phases first.")
        elif earlier and earlier[-1].decided_on and decided_on < earlier[-1].decided_on:
            errors["decided_on"] = _(
                "The decision cannot be dated before the previous phase's (%(date)s)."
            ) % {"date": earlier[-1].decided_on.isoformat()}
    if suppliers is not None:
        suppliers = list(suppliers)
        _check_suppliers(suppliers, errors)
    if errors:
        raise ValidationError(errors)
    phase.decision = decision
    phase.decided_on = decided_on
    phase.result = values["result"]
    phase.save()
    if suppliers is not None:
        phase.suppliers.set(suppliers)
    return phase


# Award and contract ----------------------------------------------------------------------------


def add_award(
    actor: User,
    procurement: Procurement,
    *,
    supplier: Organisation,
    awarded_on: datetime.date,
    value=None,
    lot: Lot | None = None,
) -> Award:
    _require(permissions.can_edit_procurement(actor, procurement))
    errors: dict[str, str] = {}
    fields = {"value": value}
    _amount(fields, errors, "value")
    if supplier is None or supplier.kind != OrganisationKind.COMPANY:
        errors["supplier"] = _("The supplier is a company.")
    if lot is not None and lot.procurement_id != procurement.pk:
        errors["lot"] = _("This lot belongs to another procurement.")
    if not isinstance(awarded_on, datetime.date):
        errors["awarded_on"] = _("Enter a valid date.")
    if errors:
        raise ValidationError(errors)
    return Award.objects.create(
        procurement=procurement,
        supplier=supplier,
        awarded_on=awarded_on,
        value=fields["value"],
        lot=lot,
    )


def add_contract(
    actor: User,
    procurement: Procurement,
    *,
    award: Award,
    signed_on: datetime.date,
    value=None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> Contract:
    _require(permissions.can_edit_procurement(actor, procurement))
    errors: dict[str, str] = {}
    fields = {"value": value}
    _amount(fields, errors, "value")
    if award is None or award.procurement_id != procurement.pk:
        errors["award"] = _("Choose an award of this procurement.")
    elif isinstance(signed_on, datetime.date) and signed_on < award.awarded_on:
        errors["signed_on"] = _("A contract cannot be signed before its award (%(date)s).") % {
            "date": award.awarded_on.isoformat()
        }
    if not isinstance(signed_on, datetime.date):
        errors["signed_on"] = _("Enter a valid date.")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("The contract cannot end before it starts.")
    if errors:
        raise ValidationError(errors)
    return Contract.objects.create(
        procurement=procurement,
        award=award,
        signed_on=signed_on,
        value=fields["value"],
        starts_on=starts_on,
        ends_on=ends_on,
    )


# Stage -----------------------------------------------------------------------------------------


def allowed_stages(stage: str) -> list[str]:
    return [str(s) for s in STAGE_MOVES.get(Stage(stage), [])]


@transaction.atomic
def move_stage(actor: User, procurement: Procurement, to: str) -> Procurement:
    """planning → tender → award → contract → implementation, or cancelled; each stage
    needs its facts: a route for the tender, an award row, a contract row."""
    _require(permissions.can_edit_procurement(actor, procurement))
    if to not in allowed_stages(procurement.stage):
        raise ValidationError(
            {
                "to": _("A procurement in “%(stage)s” cannot move to “%(to)s”.")
                % {
                    "stage": procurement.get_stage_display(),
                    "to": dict(Stage.choices).get(to, to),
                }
            }
        )
    if to == Stage.TENDER and procurement.route_id is None:
        raise ValidationError({"to": _("Choose a route before the tender.")})
    if to == Stage.AWARD and not procurement.awards.exists():
        raise ValidationError({"to": _("Record the award before moving to award.")})
    if to in (Stage.CONTRACT, Stage.IMPLEMENTATION) and not procurement.contracts.exists():
        raise ValidationError({"to": _("Record the contract before moving on.")})
    procurement.stage = to
    procurement.save(update_fields=["stage", "updated_at"])
    return procurement
