"""Validates OCDS packages against the vendored 1.1.5 schema, offline.

The package schemas refer to the release schema by its public URL; a ``referencing`` registry
maps every schema's ``id`` to the local file, so nothing is fetched. ``date-time`` and ``uri``
formats are checked here too (jsonschema checks them only with optional packages).
"""

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SCHEMA_DIR = Path(__file__).resolve().parent / "ocds_schema" / "1.1.5"
SCHEMA_FILES = ("release-schema.json", "release-package-schema.json", "record-package-schema.json")

format_checker = FormatChecker(formats=())


@format_checker.checks("date-time", raises=ValueError)
def _is_datetime(value: object) -> bool:
    """RFC 3339: a date, a time and an offset (``Z`` or ``±hh:mm``)."""
    if not isinstance(value, str):
        return True
    if "T" not in value.upper():
        return False
    parsed = datetime.fromisoformat(value.replace("z", "Z"))
    return parsed.tzinfo is not None


@format_checker.checks("uri")
def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme) and " " not in value


@cache
def _schemas() -> dict[str, dict[str, Any]]:
    return {name: json.loads((SCHEMA_DIR / name).read_text("utf-8")) for name in SCHEMA_FILES}


@cache
def _registry() -> Registry:
    resources = [
        (schema["id"], Resource.from_contents(schema, default_specification=DRAFT4))
        for schema in _schemas().values()
    ]
    return Registry().with_resources(resources)


@cache
def _validator(name: str) -> Draft4Validator:
    return Draft4Validator(_schemas()[name], registry=_registry(), format_checker=format_checker)


def _errors(name: str, data: Any) -> list[str]:
    found = sorted(_validator(name).iter_errors(data), key=lambda e: list(e.absolute_path))
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in found
    ]


def release_errors(release: Any) -> list[str]:
    return _errors("release-schema.json", release)


def release_package_errors(package: Any) -> list[str]:
    return _errors("release-package-schema.json", package)


def record_package_errors(package: Any) -> list[str]:
    return _errors("record-package-schema.json", package)
