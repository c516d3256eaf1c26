"""RFC 9457 problem details."""

from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, JsonResponse


def problem(request: HttpRequest, status: int, detail: str, **extra: Any) -> JsonResponse:
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.get_full_path(),
        **extra,
    }
    return JsonResponse(body, status=status, content_type="application/problem+json")
