"""RFC 9457 problem details."""

from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, JsonResponse


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
    return JsonResponse(body, status=status, content_type="application/problem+json")
