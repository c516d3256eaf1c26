"""SQLite's LIKE folds the case of ASCII letters only: "øko" does not find "Økonomi", nor
"århus" "ÅRHUS". Django's contains, icontains, iexact, startswith and endswith are LIKE on
SQLite, so every filter on Danish, Norwegian and Swedish text would miss. Each SQLite
connection gets a LIKE that folds case as Python does; PostgreSQL is left alone (its ILIKE
and UPPER know every alphabet).
"""

import re
from functools import lru_cache


@lru_cache(maxsize=1024)
def _compiled(pattern: str, escape: str | None) -> re.Pattern[str]:
    parts = []
    characters = iter(pattern)
    for character in characters:
        if escape and character == escape:
            parts.append(re.escape(next(characters, "")))
        elif character == "%":
            parts.append(".*")
        elif character == "_":
            parts.append(".")
        else:
            parts.append(re.escape(character))
    return re.compile("".join(parts), re.DOTALL | re.IGNORECASE)


def like(pattern: str | None, value: object, escape: str | None = None) -> int | None:
    """SQL's ``value LIKE pattern [ESCAPE escape]``, case folded for every alphabet (SQLite
    calls ``like(pattern, value[, escape])``); NULL when either side is NULL."""
    if pattern is None or value is None:
        return None
    return int(_compiled(pattern, escape).fullmatch(str(value)) is not None)


def register_unicode_like(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("like", 2, like, deterministic=True)
        connection.connection.create_function("like", 3, like, deterministic=True)
