"""RFC 9457 problem details."""

from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, JsonResponse
from ninja import Schema

PROBLEM_CONTENT_TYPE = "application/problem+json"


class ProblemDetails(Schema):
    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[dict[str, Any]] | dict[str, list[str]] | None = None


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:  # a status Python does not name, such as 499
        return "Client Error" if status < 500 else "Server Error"


def problem(request: HttpRequest, status: int, detail: str, **extra: Any) -> JsonResponse:
    body = {
        "type": "about:blank",
        "title": _title(status),
        "status": status,
        "detail": detail,
        "instance": request.get_full_path(),
        **extra,
    }
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


# The OpenAPI document describes the body once, under components (``SamspilApi``).
PROBLEM_SCHEMA_REF = {"$ref": "#/components/schemas/ProblemDetails"}


def problem_responses(*statuses: int) -> dict[str, Any]:
    """``openapi_extra`` that documents the problem details an operation may answer with."""
    return {
        "responses": {
            status: {
                "description": _title(status),
                "content": {PROBLEM_CONTENT_TYPE: {"schema": PROBLEM_SCHEMA_REF}},
            }
            for status in statuses
        }
    }
