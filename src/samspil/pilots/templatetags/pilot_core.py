"""Template tags of the pilot pages that other apps' pages use too."""

from django import template

from samspil.core import permissions
from samspil.core.models import Role

register = template.Library()


@register.simple_tag(takes_context=True)
def may_start_pilot(context) -> bool:
    """Whether the signed-in person may start a pilot (an innovation lead somewhere)."""
    user = context["request"].user
    return bool(permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD))
