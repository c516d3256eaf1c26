"""The JSON API under /api/: one NinjaAPI that mounts each app's router.

Errors are RFC 9457 problem details (application/problem+json); authentication is a
personal access token (``Authorization: Bearer <token>``) or the browser session (reads).
"""

import json
import logging
from functools import wraps
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest
from django.urls import include, path, re_path
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from samspil.core import services
from samspil.core.api import router as core_router
from samspil.events.api import router as events_router
from samspil.hub.pool_api import router as pool_router
from samspil.hub.resource_api import router as resource_router
from samspil.needs.api import router as needs_router
from samspil.pilots.api import router as pilots_router
from samspil.procurement.api import router as procurement_router
from samspil.procurement.buyer_api import router as buyer_router
from samspil.procurement.dialogue_api import router as dialogue_router
from samspil.procurement.ocds_api import router as ocds_router
from samspil.procurement.scaling_api import router as scaling_router
from samspil.procurement.supplier_api import router as supplier_router
from samspil.proposals.api import router as proposals_router
from samspil.results.api import router as results_router
from samspil.results.public_api import router as public_results_router

from .messages import translated
from .parser import ApiParser, BodyNotJson
from .problems import PROBLEM_CONTENT_TYPE, ProblemDetails, problem, problem_responses

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class TokenOrSession(HttpBearer):
    """A valid token wins; no Authorization header falls back to the session or anonymous.

    A header with an unknown or revoked token is refused (401), never treated as anonymous.
    Ninja's views are CSRF-exempt, so a write that rides on the session cookie must pass
    Django's CSRF check here (403 otherwise); a token needs no CSRF check.
    """

    def __call__(self, request: HttpRequest):
        header = request.headers.get(self.header)
        if header is None:
            user = getattr(request, "user", None)
            if user is None or not user.is_authenticated:
                return AnonymousUser()
            if (
                request.method not in SAFE_METHODS
                and not getattr(request, "_ninja_csrf_exempt", False)
                and check_csrf(request) is not None
            ):
                raise PermissionDenied
            return user
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str):
        user = services.user_for_access_token(token)
        if user is not None:
            request.user = user
        return user


class SamspilApi(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any):
        """Ninja's document with the problem details described once (operations refer to
        them), and every operation that reads a body also listing the parser's answers: 400
        for a body that is not JSON, 413 for one over the size limit."""
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["ProblemDetails"] = (
            ProblemDetails.model_json_schema()
        )
        unreadable = problem_responses(400, 413)["responses"]
        for operations in schema["paths"].values():
            for operation in operations.values():
                if "requestBody" in operation:
                    for status, response in unreadable.items():
                        operation["responses"].setdefault(status, response)
        return schema


api = SamspilApi(
    title="samspil API",
    version="1",
    description="Public innovation from need to scaled solution. Errors are RFC 9457 problem "
    "details. Authenticate with a personal access token: `Authorization: Bearer <token>`.",
    auth=TokenOrSession(),
    parser=ApiParser(),
    urls_namespace="api",
)
api.add_router("/", core_router)
api.add_router("/", needs_router)
api.add_router("/", events_router)
api.add_router("/", pilots_router)
api.add_router("/", proposals_router)
api.add_router("/", procurement_router)
api.add_router("/", buyer_router)
api.add_router("/", ocds_router)
api.add_router("/", dialogue_router)
api.add_router("/", scaling_router)
api.add_router("/", supplier_router)
api.add_router("/", resource_router)
api.add_router("/", pool_router)
api.add_router("/", results_router)
api.add_router("/", public_results_router)


def _jsonable(value: Any) -> Any:
    """Pydantic error contexts may hold objects (exceptions, decimals, …): keep them as text."""
    return json.loads(json.dumps(value, default=str))


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    errors = [{**error, "msg": translated(error)} for error in exc.errors]
    return problem(request, 422, _("The request is not valid."), errors=_jsonable(errors))


@api.exception_handler(ValidationError)
def on_django_validation_error(request, exc: ValidationError):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
    return problem(request, 422, _("The request is not valid."), errors=_jsonable(errors))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    response = problem(request, 401, _("Authentication is required: send a valid access token."))
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return problem(request, 403, _("You may not do this."))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return problem(request, 404, _("Not found."))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    # Ninja answers 400 for whatever the parser raised, which it keeps as the cause.
    if isinstance(exc.__cause__, NinjaValidationError):
        return on_validation_error(request, exc.__cause__)
    if isinstance(exc.__cause__, BodyNotJson):
        return problem(request, 400, _("The request body is not valid JSON."))
    return problem(request, exc.status_code, str(exc))


@api.exception_handler(RequestDataTooBig)
def on_body_too_large(request, exc):
    """Raised by Django when ninja reads a body over DATA_UPLOAD_MAX_MEMORY_SIZE."""
    return problem(request, 413, _("The request body is too large."))


@api.exception_handler(Exception)
def on_server_error(request, exc: Exception):
    """A bug is still answered in the API's format; the traceback goes to the log."""
    logger.exception("API error on %s", request.get_full_path(), exc_info=exc)
    return problem(request, 500, _("An error on our side stopped the request."))


def _problems_for_wrong_addresses(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        # No address holds a NUL, and PostgreSQL refuses one in a text parameter (a 500 where
        # a path part such as an OCDS id reaches a query): such an address is not found.
        if "\x00" in request.path:
            return not_found(request)
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type") != PROBLEM_CONTENT_TYPE:
            allowed = response["Allow"]
            response = problem(request, 405, _("This method is not allowed here."))
            response["Allow"] = allowed
        return response

    return wrapped


def not_found(request, path: str = ""):
    return problem(request, 404, _("Not found."))


def urls() -> list:
    """The API's URL patterns: ninja's, with problem details for wrong methods and paths."""
    patterns, _app_name, _namespace = api.urls
    for pattern in patterns:
        pattern.callback = _problems_for_wrong_addresses(pattern.callback)
    return [
        path("", include((patterns, "api"), namespace="api")),
        re_path(r"^(?P<path>.*)$", not_found),
    ]
