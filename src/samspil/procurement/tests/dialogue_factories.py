"""Helpers the market dialogue tests share (plain functions, not fixtures)."""

from django.utils import timezone

from samspil.core.models import Organisation
from samspil.procurement.models import InterestStatus, SupplierInterest


def register_supplier(organisation, procurement, status=InterestStatus.REGISTERED):
    return SupplierInterest.objects.create(
        supplier=organisation,
        procurement=procurement,
        status=status,
        registered_at=timezone.now() if status == InterestStatus.REGISTERED else None,
    )


def company(name: str, slug: str) -> Organisation:
    return Organisation.objects.create(
        name=name, slug=slug, kind="company", country="DK", currency="DKK"
    )
