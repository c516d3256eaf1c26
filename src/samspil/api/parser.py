"""How the API reads request bodies and query strings: JSON, and no NUL characters.

PostgreSQL cannot store a NUL character in text, so a string holding one is refused
(422) before any endpoint sees it, as Django's forms refuse it.
"""

import json
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from pydantic_core import InitErrorDetails, PydanticCustomError
from pydantic_core import ValidationError as PydanticValidationError

NUL = "\x00"
NULL_CHARACTER = "null_character"


class BodyNotJson(ValueError):
    """The request body could not be read as JSON."""


def _nul_locations(data: Any) -> Iterator[tuple[str | int, ...]]:
    """Where strings (values or keys) hold a NUL, as paths into ``data``; walked without
    recursion, since the JSON decoder allows nesting deep enough to exhaust the stack."""
    pending: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, str):
            if NUL in value:
                yield path
        elif isinstance(value, dict):
            for key, item in value.items():
                if NUL in key:
                    yield (*path, key)
                else:
                    pending.append(((*path, key), item))
        elif isinstance(value, list):
            pending.extend(((*path, index), item) for index, item in enumerate(value))


def _null_character_message() -> str:
    return _("Null characters are not allowed.")  # Django's own, already translated


class ApiParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        """The body as JSON (an object, or an array for a list body). Ninja answers 400 for
        any error raised here, keeping it as the cause; the API's handler turns these two
        into their own problems (400 and 422)."""
        try:
            data = json.loads(request.body)
        except (ValueError, RecursionError) as error:  # not JSON, not UTF-8, too deep
            raise BodyNotJson from error
        errors = [
            {"type": NULL_CHARACTER, "loc": ("body", *path), "msg": _null_character_message()}
            for path in sorted(_nul_locations(data), key=str)
        ]
        if errors:
            raise NinjaValidationError(errors)
        return data

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        """Query parameters (and form fields); a NUL is a validation error, which ninja
        places under "query" (or "form") with the other errors of the request."""
        nul_keys = [
            key
            for key, values in data.lists()
            if NUL in key or any(isinstance(value, str) and NUL in value for value in values)
        ]
        if nul_keys:
            message = _null_character_message()
            details = [
                InitErrorDetails(
                    type=PydanticCustomError(NULL_CHARACTER, message), loc=(key,), input=""
                )
                for key in nul_keys
            ]
            raise PydanticValidationError.from_exception_data("query", details)
        return super().parse_querydict(data, list_fields, request)
