"""Pydantic's validation messages in the request's language.

Pydantic writes its messages in English only; a 422 keeps each error's ``type``, ``loc``
and ``ctx`` and gets its ``msg`` from here, filled in from the ``ctx``. A type not listed
keeps pydantic's text.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

REQUIRED = _("This field is required.")
TEXT = _("Enter a text.")
WHOLE_NUMBER = _("Enter a whole number.")
NUMBER = _("Enter a number.")
BOOLEAN = _("Enter true or false.")
CHOICE = _("Choose one of: %(expected)s.")
DATE = _("Enter a valid date.")
DATE_TIME = _("Enter a valid date/time.")
TIME = _("Enter a valid time.")
OBJECT = _("Enter a JSON object.")
LIST = _("Enter a list of values.")
URL = _("Enter a valid URL.")

MESSAGES: dict[str, Any] = {
    "missing": REQUIRED,
    "string_type": TEXT,
    "string_too_short": ngettext_lazy(
        "Enter at least %(min_length)s character.",
        "Enter at least %(min_length)s characters.",
        "min_length",
    ),
    "string_too_long": ngettext_lazy(
        "Enter at most %(max_length)s character.",
        "Enter at most %(max_length)s characters.",
        "max_length",
    ),
    "string_pattern_mismatch": _("Enter a valid value."),
    "too_short": ngettext_lazy(
        "Give at least %(min_length)s item.", "Give at least %(min_length)s items.", "min_length"
    ),
    "too_long": ngettext_lazy(
        "Give at most %(max_length)s item.", "Give at most %(max_length)s items.", "max_length"
    ),
    "int_type": WHOLE_NUMBER,
    "int_parsing": WHOLE_NUMBER,
    "int_parsing_size": WHOLE_NUMBER,
    "int_from_float": WHOLE_NUMBER,
    "float_type": NUMBER,
    "float_parsing": NUMBER,
    "decimal_type": NUMBER,
    "decimal_parsing": NUMBER,
    "finite_number": _("Enter a finite number."),
    "decimal_max_digits": ngettext_lazy(
        "Enter at most %(max_digits)s digit in total.",
        "Enter at most %(max_digits)s digits in total.",
        "max_digits",
    ),
    "decimal_max_places": ngettext_lazy(
        "Enter at most %(decimal_places)s decimal place.",
        "Enter at most %(decimal_places)s decimal places.",
        "decimal_places",
    ),
    "decimal_whole_digits": ngettext_lazy(
        "Enter at most %(whole_digits)s digit before the decimal point.",
        "Enter at most %(whole_digits)s digits before the decimal point.",
        "whole_digits",
    ),
    "bool_type": BOOLEAN,
    "bool_parsing": BOOLEAN,
    "literal_error": CHOICE,
    "enum": CHOICE,
    "greater_than": _("Enter a value greater than %(gt)s."),
    "greater_than_equal": _("Enter a value greater than or equal to %(ge)s."),
    "less_than": _("Enter a value less than %(lt)s."),
    "less_than_equal": _("Enter a value less than or equal to %(le)s."),
    "date_type": DATE,
    "date_parsing": DATE,
    "date_from_datetime_parsing": DATE,
    "date_from_datetime_inexact": DATE,
    "datetime_type": DATE_TIME,
    "datetime_parsing": DATE_TIME,
    "datetime_from_date_parsing": DATE_TIME,
    "datetime_object_invalid": DATE_TIME,
    "time_type": TIME,
    "time_parsing": TIME,
    "extra_forbidden": _("Unknown field: leave it out or check its name."),
    "json_invalid": _("Enter valid JSON."),
    "json_type": _("Enter valid JSON."),
    "model_type": OBJECT,
    "model_attributes_type": OBJECT,
    "dict_type": OBJECT,
    "list_type": LIST,
    "tuple_type": LIST,
    "url_type": URL,
    "url_parsing": URL,
    "url_scheme": URL,
    "union_tag_invalid": _("Choose one of: %(expected_tags)s."),
}

# Raised by our own validators with a message that is already translated.
OWN_MESSAGE_TYPES = frozenset({"value_error", "assertion_error"})


def _choices(expected: str) -> str:
    """Pydantic lists choices as "'a', 'b' or 'c'"; the English "or" becomes a comma."""
    head, separator, last = expected.rpartition(" or ")
    return f"{head}, {last}" if separator else expected


def translated(error: dict[str, Any]) -> str:
    """The message for one pydantic error, in the active language."""
    ctx = error.get("ctx") or {}
    if error["type"] in OWN_MESSAGE_TYPES and "error" in ctx:
        return str(ctx["error"])  # without pydantic's English "Value error, "
    message = MESSAGES.get(error["type"])
    if message is None:
        return error["msg"]
    params = dict(ctx)
    for key in ("expected", "expected_tags"):
        if key in params:
            params[key] = _choices(str(params[key]))
    return str(message % params)
