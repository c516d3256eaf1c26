"""Permission-filtered reads of pilots."""

from django.db.models import QuerySet

from samspil.core import permissions

from .models import Pilot


def pilots_for_list(user) -> QuerySet[Pilot]:
    return (
        permissions.pilots_visible_to(user)
        .select_related("owner", "programme", "current_phase")
        .order_by("-starts_on", "pk")
    )
