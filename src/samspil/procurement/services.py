"""Every write of a procurement's plan, route, steps, phases, lots, award and contract.
Pages, API and the demo loader call these. A procurement made here has its OCDS ``ocid``
(``settings.OCDS_OCID_PREFIX`` and its number) and the lead buyer among its buyers.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samspil.core import permissions
from samspil.core.models import Organisation, User

from .models import Buyer, BuyerRole, Procurement

PROCUREMENT_FIELDS = {
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
}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def ocid_for(procurement: Procurement) -> str:
    return f"{settings.OCDS_OCID_PREFIX}-{procurement.pk}"


@transaction.atomic
def create_procurement(actor: User, owner: Organisation, **fields) -> Procurement:
    """A procurement in planning, its owner the lead buyer."""
    _require(permissions.can_create_procurement(actor, owner))
    unknown = set(fields) - PROCUREMENT_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    title = (fields.pop("title", "") or "").strip()
    if not title:
        raise ValidationError({"title": _("This field is required.")})
    fields.setdefault("currency", owner.currency)
    procurement = Procurement.objects.create(owner=owner, created_by=actor, title=title, **fields)
    procurement.ocid = ocid_for(procurement)
    procurement.save(update_fields=["ocid"])
    Buyer.objects.create(
        procurement=procurement, organisation=owner, role=BuyerRole.LEAD, invited_by=actor
    )
    return procurement
