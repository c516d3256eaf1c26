"""What every request body schema shares: unknown fields and booleans for ids are refused."""

from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict
from pydantic_core import PydanticKnownError


class InputSchema(Schema):
    """A request body or a part of one. A misspelt field (``discount_preset`` for
    ``discount_preset_id``) is a 422, not a request that silently changes nothing."""

    model_config = ConfigDict(extra="forbid")


def _not_a_boolean(value: Any) -> Any:
    # Pydantic reads JSON true as the integer 1; an id never is a boolean.
    if isinstance(value, bool):
        raise PydanticKnownError("int_type")
    return value


NotBoolean = BeforeValidator(_not_a_boolean)

Id = Annotated[int, NotBoolean]
"""An id in a request body: a number (or a numeric string), never ``true``."""
