"""Who is asking: the person (or anonymous visitor) an API request authenticated as."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.errors import AuthenticationError

from samspil.core import permissions
from samspil.core.models import Membership, Organisation, Role, User


def requester(request: HttpRequest):
    """The user set by the API's authentication: a person or an anonymous visitor."""
    return request.auth  # type: ignore[attr-defined]


def signed_in(request: HttpRequest) -> User:
    """The person behind the request; anonymous callers get a 401 problem."""
    user = requester(request)
    if not user.is_authenticated:
        raise AuthenticationError
    return user


def organisation_with_role(user: User, organisation_id: int | None, *role_codes: str):
    """The organisation a new record belongs to: the one asked for (404 when unseen), else
    the first by name where the person holds one of the roles (403 when none)."""
    if organisation_id is not None:
        return permissions.get_organisation_for_user(user, organisation_id)
    held = permissions.organisations_with_role(user, *role_codes)
    owner = Organisation.objects.filter(pk__in=held).order_by("name", "pk").first()
    if owner is None:
        raise PermissionDenied
    return owner


def leading_organisation(user: User, organisation_id: int | None) -> Organisation:
    """The organisation a new record belongs to: the one asked for (404 when unseen), else
    the first where the person leads innovation (403 when none)."""
    if organisation_id is not None:
        return permissions.get_organisation_for_user(user, organisation_id)
    led = permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD)
    membership = (
        Membership.objects.filter(user=user, organisation_id__in=led)
        .select_related("organisation")
        .order_by("created_at", "pk")
        .first()
    )
    if membership is None:
        raise PermissionDenied
    return membership.organisation
