"""Full-text search over needs and challenges in Danish, Norwegian and Swedish.

PostgreSQL: a stored ``search_vector`` built with the text's own configuration (``danish``,
``norwegian``, ``swedish``, ``english``; weights A and B) plus the ``simple`` one (exact
words, weights C and D), and a GIN index. A query is ONE tsquery, the OR of its parses with
every configuration and ``simple``, so that a word meets its stem in any of the languages
(Norwegian "fakturaer" and "faktura") and exact words meet across languages; the single
``search_vector @@ query`` condition uses the GIN index. SQLite: FTS5 tables
(``needs_need_fts``, ``needs_challenge_fts``) whose rowid is the record's id.

User input never reaches a query parser unfiltered: on PostgreSQL ``websearch_to_tsquery``
accepts any text; on SQLite the words are extracted and each quoted.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, FloatField, QuerySet, Value, When

from .models import Challenge, Need

TS_CONFIG = {"da": "danish", "nb": "norwegian", "sv": "swedish", "en": "english"}
WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 12


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _words(text: str) -> list[str]:
    return WORD.findall(text.lower())[:MAX_WORDS]


# Keeping the index in step ------------------------------------------------------------------


def _vector(language: str, title_field: str, body_field: str):
    """The text's own-language vector (A title, B body) plus the exact words (C, D)."""
    config = TS_CONFIG.get(language, "simple")
    return (
        SearchVector(title_field, weight="A", config=config)
        + SearchVector(body_field, weight="B", config=config)
        + SearchVector(title_field, weight="C", config="simple")
        + SearchVector(body_field, weight="D", config="simple")
    )


def index_need(need: Need) -> None:
    if is_postgresql():
        Need.objects.filter(pk=need.pk).update(
            search_vector=_vector(need.language, "title", "description")
        )
    else:
        _fts_replace("needs_need_fts", need.pk, need.title, need.description)


def index_challenge(challenge: Challenge) -> None:
    if is_postgresql():
        Challenge.objects.filter(pk=challenge.pk).update(
            search_vector=_vector(challenge.language, "title", "problem_statement")
        )
    else:
        _fts_replace(
            "needs_challenge_fts", challenge.pk, challenge.title, challenge.problem_statement
        )


def unindex_need(need_id: int) -> None:
    if not is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM needs_need_fts WHERE rowid = %s", [need_id])


def _fts_replace(table: str, pk: int, title: str, body: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE rowid = %s", [pk])  # noqa: S608 - fixed names
        cursor.execute(
            f"INSERT INTO {table} (rowid, title, body) VALUES (%s, %s, %s)",  # noqa: S608
            [pk, title, body],
        )


def reindex_needs(queryset: QuerySet[Need] | None = None) -> None:
    """Rebuild the index of many needs in set-based statements (used by bulk loaders)."""
    queryset = Need.objects.all() if queryset is None else queryset
    if is_postgresql():
        for language in TS_CONFIG:
            queryset.filter(language=language).update(
                search_vector=_vector(language, "title", "description")
            )
        return
    ids = list(queryset.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM needs_need_fts WHERE rowid IN ({marks})", chunk)  # noqa: S608
            cursor.execute(
                "INSERT INTO needs_need_fts (rowid, title, body) "  # noqa: S608
                f"SELECT id, title, description FROM needs_need WHERE id IN ({marks})",
                chunk,
            )


# Querying ----------------------------------------------------------------------------------


def search(queryset: QuerySet, text: str) -> QuerySet:
    """Rows of ``queryset`` (needs or challenges) matching ``text``, annotated with ``rank``."""
    words = _words(text)
    if not words:
        return _nothing(queryset)
    if is_postgresql():
        return _search_postgresql(queryset, " ".join(words))
    return _search_sqlite(queryset, words)


def _nothing(queryset: QuerySet) -> QuerySet:
    """No rows, but still with ``rank``: callers order by it."""
    return queryset.none().annotate(rank=Value(0.0, output_field=FloatField()))


def tsquery(text: str, *, search_type: str = "websearch"):
    """One tsquery: the OR of ``text`` parsed with every configuration and ``simple``."""
    query = SearchQuery(text, config="simple", search_type=search_type)
    for config in TS_CONFIG.values():
        query = SearchQuery(text, config=config, search_type=search_type) | query
    return query


def _search_postgresql(queryset: QuerySet, text: str) -> QuerySet:
    query = tsquery(text)
    return queryset.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))


def _search_sqlite(queryset: QuerySet, words: list[str]) -> QuerySet:
    table = "needs_need_fts" if queryset.model is Need else "needs_challenge_fts"
    # Each word quoted and prefix-matched: FTS5 syntax in the input has no effect.
    match = " ".join(f'"{word}"*' for word in words)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, bm25({table}, 4.0, 1.0) FROM {table} "  # noqa: S608
            f"WHERE {table} MATCH %s ORDER BY 2 LIMIT 5000",
            [match],
        )
        scores = dict(cursor.fetchall())
    if not scores:
        return _nothing(queryset)
    # bm25() is lower-is-better; the rank annotation is higher-is-better like PostgreSQL's.
    return queryset.filter(pk__in=list(scores)).annotate(
        rank=Case(
            *[When(pk=pk, then=Value(-score)) for pk, score in scores.items()],
            default=Value(0.0),
            output_field=FloatField(),
        )
    )
