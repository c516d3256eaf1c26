"""Every write of a hub and its partners: create and change a hub, add and remove a partner
organisation, add and remove a partner's project (a pilot of the partner) with its
co-financing.

Who may: the hub organisation's innovation leads and admins (``permissions.can_manage_hub``).
A partner project's pilot must be one the actor may see, owned by the partner organisation.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samspil.core import permissions
from samspil.core.models import Currency, Organisation, User

from .models import TEXT_MAX, TITLE_MAX, Hub, Partner, PartnerProject

HUB_FIELDS = ("name", "description", "address", "website", "visibility")
AMOUNT_LIMIT = Decimal(10**12)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def can_create_hub(user, organisation: Organisation) -> bool:
    return permissions.can_manage_hub(user, Hub(owner=organisation))


def _clean_hub(hub: Hub) -> None:
    errors: dict[str, str] = {}
    hub.name = (hub.name or "").strip()
    if not hub.name:
        errors["name"] = _("Enter the hub's name.")
    elif len(hub.name) > TITLE_MAX:
        errors["name"] = _("Enter at most %(limit)s characters.") % {"limit": TITLE_MAX}
    if len(hub.description or "") > TEXT_MAX:
        errors["description"] = _("Enter at most %(limit)s characters.") % {"limit": TEXT_MAX}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_hub(actor: User, owner: Organisation, **fields) -> Hub:
    _require(can_create_hub(actor, owner))
    unknown = set(fields) - set(HUB_FIELDS)
    if unknown:
        raise ValueError(f"Not settable: {sorted(unknown)}")
    hub = Hub(owner=owner, **fields)
    _clean_hub(hub)
    hub._history_user = actor  # type: ignore[attr-defined]
    hub.save()
    return hub


@transaction.atomic
def update_hub(actor: User, hub: Hub, **fields) -> Hub:
    _require(permissions.can_manage_hub(actor, hub))
    unknown = set(fields) - set(HUB_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(hub, name, value)
    _clean_hub(hub)
    hub._history_user = actor  # type: ignore[attr-defined]
    hub.save()
    return hub


@transaction.atomic
def add_partner(
    actor: User,
    hub: Hub,
    organisation: Organisation | None,
    *,
    since=None,
    contribution: str = "",
) -> Partner:
    """An organisation joins the hub as a partner, with what it brings and since when."""
    _require(permissions.can_manage_hub(actor, hub))
    errors: dict[str, str] = {}
    contribution = (contribution or "").strip()
    if organisation is None:
        errors["organisation"] = _("Choose an organisation.")
    elif organisation.pk == hub.owner_id:
        errors["organisation"] = _("The hub's own organisation is not its partner.")
    elif Partner.objects.filter(hub=hub, organisation=organisation).exists():
        errors["organisation"] = _("%(organisation)s is a partner already.") % {
            "organisation": organisation
        }
    if len(contribution) > TEXT_MAX:
        errors["contribution"] = _("Enter at most %(limit)s characters.") % {"limit": TEXT_MAX}
    if since is not None and not 1900 <= since.year <= 2200:
        errors["since"] = _("Enter a date from 1900 to 2200.")
    if errors:
        raise ValidationError(errors)
    partner = Partner(hub=hub, organisation=organisation, since=since, contribution=contribution)
    partner._history_user = actor  # type: ignore[attr-defined]
    partner.save()
    return partner


@transaction.atomic
def remove_partner(actor: User, partner: Partner) -> None:
    """The partner leaves the hub with its projects (the pilots themselves stay)."""
    _require(permissions.can_manage_hub(actor, partner.hub))
    partner._history_user = actor  # type: ignore[attr-defined]
    partner.delete()


@transaction.atomic
def add_project(
    actor: User,
    partner: Partner,
    pilot,
    *,
    co_financing: Decimal | None = None,
    currency: str = "",
) -> PartnerProject:
    """A partner's own pilot becomes one of its projects in the hub, with the amount the
    partner co-finances."""
    _require(permissions.can_manage_hub(actor, partner.hub))
    errors: dict[str, str] = {}
    if pilot is None:
        errors["pilot"] = _("Choose a pilot.")
    elif not permissions.pilots_visible_to(actor).filter(pk=pilot.pk).exists():
        errors["pilot"] = _("Choose a pilot you may see.")
    elif pilot.owner_id != partner.organisation_id:
        errors["pilot"] = _("Choose a pilot of %(organisation)s.") % {
            "organisation": partner.organisation
        }
    elif PartnerProject.objects.filter(partner=partner, pilot=pilot).exists():
        errors["pilot"] = _("This pilot is one of the partner's projects already.")
    if co_financing is not None:
        if co_financing < 0:
            errors["co_financing"] = _("Enter the amount without a sign.")
        elif co_financing >= AMOUNT_LIMIT:
            errors["co_financing"] = _("Enter a smaller amount.")
    currency = currency or partner.organisation.currency or partner.hub.owner.currency
    if currency not in Currency.values:
        errors["currency"] = _("Choose a currency from the list.")
    if errors:
        raise ValidationError(errors)
    project = PartnerProject(
        partner=partner, pilot=pilot, co_financing=co_financing, currency=currency
    )
    project._history_user = actor  # type: ignore[attr-defined]
    project.save()
    return project


@transaction.atomic
def remove_project(actor: User, project: PartnerProject) -> None:
    _require(permissions.can_manage_hub(actor, project.partner.hub))
    project._history_user = actor  # type: ignore[attr-defined]
    project.delete()
