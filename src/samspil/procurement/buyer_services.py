"""Every write of a joint procurement's buyers and options: the lead invites public-sector
organisations as participating buyers or option holders, a named person of the invited
organisation confirms (or declines), and an option is exercised on a date.

Who may: the lead's editors (``permissions.can_edit_procurement``) invite and remove; the
invited organisation's procurement officers, innovation leads and admins
(``permissions.can_confirm_buyer``) confirm or decline; an option is exercised by either.
Committed plus optional demand stays within the procurement's ceiling (``demand``).
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from samspil.core import permissions
from samspil.core.models import Membership, Organisation, Role, User
from samspil.core.services import notify

from . import demand
from .models import AMOUNT_LIMIT, Buyer, BuyerRole, Procurement

INVITED_TEMPLATE = "procurement/buyers/email/invited"
INVITE_ROLES = (BuyerRole.PARTICIPANT, BuyerRole.OPTION_HOLDER)
VOLUME_LIMIT = Decimal(10**12)
CONFIRMING_ROLES = (*permissions.PROCURING_ROLES, Role.Code.ADMIN)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def amount(value: Decimal | int) -> str:
    """An amount in whole units, grouped in the active language: "160.000.000" in Danish."""
    return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


def _money(value: Decimal, currency: str) -> str:
    return f"{currency} {amount(value)}"


def buyer_demand(buyer: Buyer, *, exercised: bool | None = None) -> demand.BuyerDemand:
    return demand.BuyerDemand(
        role=buyer.role,
        estimated_value=buyer.estimated_value,
        maximum_value=buyer.maximum_value,
        exercised=buyer.option_exercised if exercised is None else exercised,
    )


def _clean_values(buyer: Buyer) -> None:
    errors: dict[str, str] = {}
    for name in ("estimated_value", "maximum_value"):
        value = getattr(buyer, name)
        if value is None:
            continue
        if value < 0:
            errors[name] = _("Enter the amount without a sign.")
        elif value > AMOUNT_LIMIT:
            errors[name] = _("Enter at most %(limit)s.") % {"limit": amount(AMOUNT_LIMIT)}
        elif value != value.to_integral_value():
            errors[name] = _("Enter the amount in whole units of the currency.")
    if buyer.volume is not None:
        if buyer.volume < 0:
            errors["volume"] = _("Enter the volume without a sign.")
        elif buyer.volume >= VOLUME_LIMIT:
            errors["volume"] = _("Enter a smaller volume.")
    buyer.volume_unit = (buyer.volume_unit or "").strip()
    if len(buyer.volume_unit) > 60:
        errors["volume_unit"] = _("Enter at most 60 characters.")
    elif buyer.volume is not None and not buyer.volume_unit:
        errors["volume_unit"] = _("Enter the unit of the volume, such as “care homes”.")
    if buyer.role == BuyerRole.OPTION_HOLDER and buyer.maximum_value is None:
        errors.setdefault("maximum_value", _("Enter the most the option holder may buy for."))
    low, high = buyer.estimated_value, buyer.maximum_value
    if low is not None and high is not None and low > high and "estimated_value" not in errors:
        errors["estimated_value"] = _("The estimated value must not be above the maximum value.")
    if errors:
        raise ValidationError(errors)


def _check_ceiling(procurement: Procurement, buyers: list[demand.BuyerDemand], field: str) -> None:
    """Refuse, on ``field``, a change that takes committed plus optional demand above the
    ceiling, naming the amounts."""
    exceeded = demand.check_ceiling(buyers, procurement.ceiling)
    if exceeded is None:
        return
    currency = procurement.currency
    raise ValidationError(
        {
            field: _(
                "Committed and optional demand would be %(total)s, above the ceiling of "
                "%(ceiling)s by %(excess)s."
            )
            % {
                "total": _money(exceeded.total, currency),
                "ceiling": _money(exceeded.ceiling, currency),
                "excess": _money(exceeded.excess, currency),
            }
        }
    )


def _others(procurement: Procurement, exclude_pk: int | None = None) -> list[demand.BuyerDemand]:
    rows = Buyer.objects.filter(procurement=procurement)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return [
        buyer_demand(b)
        for b in rows.only("role", "estimated_value", "maximum_value", "option_exercised")
    ]


def confirmers(organisation: Organisation):
    """Who may confirm for the organisation: its active procurement officers, innovation
    leads and admins."""
    members = Membership.objects.filter(
        organisation=organisation, roles__code__in=CONFIRMING_ROLES
    ).values("user_id")
    return User.objects.filter(pk__in=members, is_active=True).order_by("pk")


def buyers_path(procurement: Procurement) -> str:
    return f"{procurement.get_absolute_url()}#procurement-buyers"


@transaction.atomic
def invite_buyer(
    actor: User,
    procurement: Procurement,
    organisation: Organisation | None,
    role: str,
    *,
    volume: Decimal | None = None,
    volume_unit: str = "",
    estimated_value: Decimal | None = None,
    maximum_value: Decimal | None = None,
) -> Buyer:
    """Invite a public-sector organisation to buy in; its confirmers are told."""
    _require(permissions.can_edit_procurement(actor, procurement))
    # One invitation at a time per procurement, so that two at once cannot both pass the
    # ceiling check.
    Procurement.objects.select_for_update().filter(pk=procurement.pk).first()
    errors: dict[str, str] = {}
    if role not in INVITE_ROLES:
        errors["role"] = _("Choose participating buyer or option holder.")
    if organisation is None:
        errors["organisation"] = _("This field is required.")
    elif not organisation.is_public_sector:
        errors["organisation"] = _("Only public-sector organisations buy in.")
    elif procurement.buyers.filter(organisation=organisation).exists():
        errors["organisation"] = _("%(organisation)s is a buyer already.") % {
            "organisation": organisation
        }
    buyer = Buyer(
        procurement=procurement,
        organisation=organisation,
        role=role,
        volume=volume,
        volume_unit=volume_unit or "",
        estimated_value=estimated_value,
        maximum_value=maximum_value,
        invited_by=actor,
    )
    try:
        _clean_values(buyer)
    except ValidationError as error:
        errors = {**{k: v[0] for k, v in error.message_dict.items()}, **errors}
    if errors:
        raise ValidationError(errors)
    field = "maximum_value" if role == BuyerRole.OPTION_HOLDER else "estimated_value"
    if getattr(buyer, field) is None:
        field = "estimated_value" if field == "maximum_value" else "maximum_value"
    _check_ceiling(procurement, [*_others(procurement), buyer_demand(buyer)], field)
    buyer._history_user = actor  # type: ignore[attr-defined]
    buyer.save()
    context = {
        "organisation": organisation.name,  # type: ignore[union-attr]
        "procurement": procurement.title,
        "lead": procurement.owner.name,
        "role": role,
    }
    for person in confirmers(organisation):  # type: ignore[arg-type]
        notify(person, INVITED_TEMPLATE, context, buyers_path(procurement))
    return buyer


VALUE_FIELDS = {"volume", "volume_unit", "estimated_value", "maximum_value"}


def can_edit_values(user, buyer: Buyer) -> bool:
    """Who runs the procurement changes a buyer's values until its option is exercised."""
    return permissions.can_edit_procurement(user, buyer.procurement) and not buyer.option_exercised


@transaction.atomic
def update_buyer(actor: User, buyer: Buyer, **fields) -> Buyer:
    """Change a buyer's volume and values (the lead's own too), within the ceiling; an
    exercised option keeps its values."""
    _require(permissions.can_edit_procurement(actor, buyer.procurement))
    unknown = set(fields) - VALUE_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    if buyer.option_exercised:
        raise ValidationError({"maximum_value": _("An exercised option keeps its values.")})
    procurement = buyer.procurement
    Procurement.objects.select_for_update().filter(pk=procurement.pk).first()
    for name, value in fields.items():
        setattr(buyer, name, "" if value is None and name == "volume_unit" else value)
    _clean_values(buyer)
    field = "maximum_value" if buyer.role == BuyerRole.OPTION_HOLDER else "estimated_value"
    _check_ceiling(procurement, [*_others(procurement, buyer.pk), buyer_demand(buyer)], field)
    buyer._history_user = actor  # type: ignore[attr-defined]
    buyer.save(update_fields=sorted(VALUE_FIELDS))
    return buyer


@transaction.atomic
def confirm_buyer(actor: User, buyer: Buyer) -> Buyer:
    """The actor confirms, by name, that their organisation buys in (again keeps the first)."""
    _require(permissions.can_confirm_buyer(actor, buyer))
    if buyer.confirmed_at is None:
        buyer.confirmed_by = actor
        buyer.confirmed_at = timezone.now()
        buyer._history_user = actor  # type: ignore[attr-defined]
        buyer.save(update_fields=["confirmed_by", "confirmed_at"])
    return buyer


def can_remove(user, buyer: Buyer) -> bool:
    """The lead's editors withdraw an invitation or a buyer; the invited organisation's
    confirmers decline while it is unconfirmed. The lead and exercised options stay."""
    if buyer.role == BuyerRole.LEAD or buyer.option_exercised:
        return False
    if permissions.can_edit_procurement(user, buyer.procurement):
        return True
    return buyer.confirmed_at is None and permissions.can_confirm_buyer(user, buyer)


@transaction.atomic
def remove_buyer(actor: User, buyer: Buyer) -> None:
    """Decline an invitation, or withdraw it (removes the row)."""
    _require(
        permissions.can_edit_procurement(actor, buyer.procurement)
        or permissions.can_confirm_buyer(actor, buyer)
    )
    if buyer.role == BuyerRole.LEAD:
        raise ValidationError({"role": _("The lead buyer stays.")})
    if buyer.option_exercised and buyer.exercised_on is not None:
        raise ValidationError({"exercised_on": _("An exercised option stays.")})
    _require(can_remove(actor, buyer))
    buyer._history_user = actor  # type: ignore[attr-defined]
    buyer.delete()


def can_exercise(user, buyer: Buyer) -> bool:
    """The lead's editors, or the option holder's own confirmers."""
    return buyer.role == BuyerRole.OPTION_HOLDER and (
        permissions.can_edit_procurement(user, buyer.procurement)
        or permissions.can_confirm_buyer(user, buyer)
    )


@transaction.atomic
def exercise_option(actor: User, buyer: Buyer, exercised_on: date | None) -> Buyer:
    """Exercise an option on a date: its value moves from optional to committed demand."""
    if buyer.role != BuyerRole.OPTION_HOLDER:
        raise ValidationError({"role": _("Only an option holder has an option to exercise.")})
    _require(can_exercise(actor, buyer))
    procurement = buyer.procurement
    if buyer.option_exercised and buyer.exercised_on is not None:
        raise ValidationError(
            {
                "exercised_on": _("The option was exercised on %(date)s.")
                % {"date": date_format(buyer.exercised_on, "SHORT_DATE_FORMAT")}
            }
        )
    if buyer.confirmed_at is None:
        raise ValidationError(
            {
                "exercised_on": _("%(organisation)s has not confirmed that it buys in yet.")
                % {"organisation": buyer.organisation}
            }
        )
    if exercised_on is None:
        raise ValidationError({"exercised_on": _("Enter the date the option was exercised.")})
    deadline = procurement.option_deadline
    if deadline is not None and exercised_on > deadline:
        raise ValidationError(
            {
                "exercised_on": _("Options may be exercised until %(date)s.")
                % {"date": date_format(deadline, "SHORT_DATE_FORMAT")}
            }
        )
    if exercised_on.year < 1900 or exercised_on.year > 2200:
        raise ValidationError({"exercised_on": _("Enter a date from 1900 to 2200.")})
    buyer.option_exercised = True
    buyer.exercised_on = exercised_on
    buyer._history_user = actor  # type: ignore[attr-defined]
    buyer.save(update_fields=["option_exercised", "exercised_on"])
    return buyer


def check_new_ceiling(procurement: Procurement, ceiling: Decimal | None) -> None:
    """For the procurement's edit: a ceiling below the buyers' committed and optional demand
    is refused on ``ceiling``, naming the amounts."""
    if ceiling is None or procurement.pk is None:
        return
    rows = Buyer.objects.filter(procurement=procurement)
    total = demand.demand((buyer_demand(b) for b in rows), ceiling).total
    if total > ceiling:
        raise ValidationError(
            {
                "ceiling": _(
                    "The buyers' committed and optional demand is %(total)s, above a ceiling "
                    "of %(ceiling)s."
                )
                % {
                    "total": _money(total, procurement.currency),
                    "ceiling": _money(ceiling, procurement.currency),
                }
            }
        )
