"""Who is asking: the person (or anonymous visitor) an API request authenticated as."""

from django.http import HttpRequest
from ninja.errors import AuthenticationError

from samspil.core.models import User


def requester(request: HttpRequest):
    """The user set by the API's authentication: a person or an anonymous visitor."""
    return request.auth  # type: ignore[attr-defined]


def signed_in(request: HttpRequest) -> User:
    """The person behind the request; anonymous callers get a 401 problem."""
    user = requester(request)
    if not user.is_authenticated:
        raise AuthenticationError
    return user
