"""The checks every service makes of typed text, with the same translated messages."""

from django.utils.translation import gettext as _


def too_long(count: int) -> str:
    return _("Write at most %(count)d characters.") % {"count": count}


def clean_text(fields: dict, errors: dict[str, str], name: str, limit: int, required=False) -> None:
    """Strip ``fields[name]`` in place if present; record a missing or too long value in
    ``errors`` under the field's name."""
    if name not in fields:
        return
    value = (fields[name] or "").strip()
    if required and not value:
        errors[name] = _("This field is required.")
    elif len(value) > limit:
        errors[name] = too_long(limit)
    fields[name] = value
