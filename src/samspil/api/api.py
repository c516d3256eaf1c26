"""The JSON API under /api/: one NinjaAPI that mounts each app's router.

Errors are RFC 9457 problem details (application/problem+json); authentication is a
personal access token (``Authorization: Bearer <token>``) or the browser session (reads).
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from samspil.core import services
from samspil.core.api import router as core_router

from .problems import problem


class TokenOrSession(HttpBearer):
    """A valid token wins; no Authorization header falls back to the session or anonymous.

    A header with an unknown or revoked token is refused (401), never treated as anonymous.
    """

    def __call__(self, request: HttpRequest):
        header = request.headers.get(self.header)
        if header is None:
            user = getattr(request, "user", None)
            return user if user is not None and user.is_authenticated else AnonymousUser()
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str):
        user = services.user_for_access_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="samspil API",
    version="1",
    description="Public innovation from need to scaled solution. Errors are RFC 9457 problem "
    "details. Authenticate with a personal access token: `Authorization: Bearer <token>`.",
    auth=TokenOrSession(),
    urls_namespace="api",
)
api.add_router("/", core_router)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    return problem(request, 422, _("The request is not valid."), errors=exc.errors)


@api.exception_handler(ValidationError)
def on_django_validation_error(request, exc: ValidationError):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
    return problem(request, 422, _("The request is not valid."), errors=errors)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return problem(request, 401, _("Authentication is required: send a valid access token."))


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return problem(request, 403, _("You may not do this."))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return problem(request, 404, _("Not found."))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return problem(request, exc.status_code, str(exc))
