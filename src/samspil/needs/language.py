"""Which of the platform's languages a text is written in (offline, no Django)."""

from functools import cache

from py3langid.langid import LanguageIdentifier, _load_identifier

# langid knows Norwegian as "no"; the platform speaks of Bokmål as "nb".
TO_PLATFORM = {"da": "da", "no": "nb", "sv": "sv", "en": "en"}


@cache
def _identifier() -> LanguageIdentifier:
    return _load_identifier(langs=list(TO_PLATFORM))


def detect_language(text: str, default: str = "da") -> str:
    """``da``, ``nb``, ``sv`` or ``en``; ``default`` for text too short to tell."""
    if len(text.split()) < 2:
        return default
    code, _score = _identifier().classify(text)
    return TO_PLATFORM.get(code, default)
