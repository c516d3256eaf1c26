"""Similar needs across organisations: the Django side of :mod:`samspil.matching`.

- ``prepare_need(need)`` — services call it before saving a need; it stores the normalised
  text in ``match_text`` (what the lexical engine re-ranks) and drops a stored embedding whose text
  changed.
- ``index_need(need)`` / ``unindex_need(need_id)`` — services call them after a need is
  saved or deleted (``transaction.on_commit``) to keep this process's index in step; on
  PostgreSQL they do nothing, the full-text GIN index is kept by ``search``.
- ``compute_embedding(need_id)`` — the body of the background job services enqueue after a
  need's text changed; stores the passage vector if the embedding backend is installed.
- ``similar_needs(user, text, exclude_id=None, limit=10)`` — what the need page and the
  htmx suggestions while typing show: only needs ``user`` may see, merged needs left out.

On SQLite a process-local :class:`~samspil.matching.LexicalIndex` is built lazily and
rebuilt when the table changed behind this process's back (another worker, a script). On
PostgreSQL the full-text GIN index (``search.tsquery``: every language's stems and the
exact words) finds up to ``CANDIDATES`` candidates with bounded work, needs with all the
query's distinctive words first, and the lexical engine re-ranks them. In both cases stored
embeddings, if any, are fused in; the query's own embedding is the only one computed at
query time.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Count, Max, QuerySet

from samspil.core.permissions import AnyUser, needs_visible_to
from samspil.matching import (
    Document,
    LexicalIndex,
    Match,
    embeddings,
    normalise,
    rank,
    rank_few,
)

from . import search
from .models import Need, NeedStatus

CANDIDATES = 200
CANDIDATE_WORDS = 8  # distinctive words of the query looked up in the full-text index

_lock = threading.RLock()
_index: LexicalIndex | None = None
_fingerprint: tuple[Any, ...] | None = None


def need_text(title: str, description: str) -> str:
    return f"{title}\n{description}"


def prepare_need(need: Need) -> None:
    """Set ``need.match_text`` from its text; forget an embedding of an older text."""
    match_text = normalise(need_text(need.title, need.description))
    if match_text != need.match_text and need.embedding is not None:
        need.embedding = None
        need.query_embedding = None
        need.embedding_model = ""
    need.match_text = match_text


def compute_embedding(need_id: int) -> bool:
    """Store the need's text embedded as a passage (what other needs are compared with) and
    as a query (what its own page compares); False if the backend or the need is missing."""
    if not embeddings.available():
        return False
    row = Need.objects.filter(pk=need_id).values_list("title", "description").first()
    if row is None:
        return False
    text = need_text(*row)
    passage = embeddings.embed([text], kind="passage")[0]
    query = embeddings.embed([text], kind="query")[0]
    Need.objects.filter(pk=need_id).update(
        embedding=embeddings.to_bytes(passage),
        query_embedding=embeddings.to_bytes(query),
        embedding_model=embeddings.MODEL_NAME,
    )
    return True


def stored_query_vector(need: Need) -> np.ndarray | None:
    """The need's text embedded as a query by the current model, if the job has run."""
    if need.query_embedding is None or need.embedding_model != embeddings.MODEL_NAME:
        return None
    return embeddings.from_bytes(need.query_embedding)


# -- the process-local index (SQLite) ---------------------------------------------------------


def _uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def _indexed() -> QuerySet[Need]:
    return Need.objects.exclude(status=NeedStatus.MERGED)


def _current_fingerprint() -> tuple[Any, ...]:
    summary = _indexed().aggregate(count=Count("pk"), pk=Max("pk"), updated=Max("updated_at"))
    return (summary["count"], summary["pk"], summary["updated"])


def _documents(rows: Iterable[tuple[int, str, str, str]]) -> Iterable[Document]:
    for pk, title, description, language in rows:
        yield Document(pk, need_text(title, description), language)


def _local_index() -> LexicalIndex:
    """The index of this process, rebuilt if the table changed since it was last seen."""
    global _index, _fingerprint
    with _lock:
        fingerprint = _current_fingerprint()
        if _index is None or fingerprint != _fingerprint:
            rows = _indexed().values_list("pk", "title", "description", "language")
            _index = LexicalIndex.build(_documents(rows.iterator(chunk_size=2_000)))
            _fingerprint = fingerprint
        return _index


def index_need(need: Need) -> None:
    """Bring this process's index in step after ``need`` was saved."""
    global _fingerprint
    if _uses_postgres():
        return
    with _lock:
        if _index is None:
            return  # built on first use
        if need.status == NeedStatus.MERGED:
            _index.remove(need.pk)
        else:
            _index.add(Document(need.pk, need_text(need.title, need.description), need.language))
        _fingerprint = _current_fingerprint()


def unindex_need(need_id: int) -> None:
    """Bring this process's index in step after a need was deleted."""
    global _fingerprint
    if _uses_postgres():
        return
    with _lock:
        if _index is None:
            return
        _index.remove(need_id)
        _fingerprint = _current_fingerprint()


def reset_index() -> None:
    """Forget the process-local index (tests, or after bulk imports)."""
    global _index, _fingerprint
    with _lock:
        _index = None
        _fingerprint = None


# -- queries ----------------------------------------------------------------------------------


def _lexical_candidates_sqlite(
    visible: QuerySet[Need], text: str, exclude: set[int]
) -> list[Match]:
    index = _local_index()
    allowed = set(visible.values_list("pk", flat=True))
    return index.query(text, limit=CANDIDATES, allowed_ids=allowed, exclude_ids=exclude)


def _candidate_words(text: str) -> list[str]:
    """The query's distinctive words: the title's (first line's) and then the text's, the
    longest first (long words are the rare ones), at most ``CANDIDATE_WORDS``."""
    title, _, rest = text.strip().partition("\n")
    words: list[str] = []
    for part in (title, rest):
        for word in sorted(set(search.WORD.findall(part.lower())), key=lambda w: (-len(w), w)):
            if len(word) >= 3 and not word.isdigit() and word not in words:
                words.append(word)
        if len(words) >= CANDIDATE_WORDS:
            break
    return words[:CANDIDATE_WORDS]


def _lexical_candidates_postgres(
    visible: QuerySet[Need], text: str, exclude: set[int]
) -> list[Match]:
    """Up to ``CANDIDATES`` candidates from the full-text GIN index, re-ranked lexically.

    First the needs with every distinctive word (in any language's stem or exactly), then,
    if too few, those with any of them. Each step is one GIN lookup with a LIMIT and no
    ORDER BY, so its cost does not grow with the table (pg_trgm over 500,000 texts took
    seconds: every query trigram's posting list is long).
    """
    words = _candidate_words(text)
    if not words:
        return []
    pool = visible.exclude(pk__in=exclude).order_by()
    rows: dict[int, tuple[str, str]] = {}
    for query in (
        search.tsquery(" ".join(words), search_type="plain"),
        search.tsquery(" or ".join(words)),
    ):
        found = (
            pool.exclude(pk__in=list(rows))
            .filter(search_vector=query)
            .values_list("pk", "match_text", "language")[: CANDIDATES - len(rows)]
        )
        rows.update((pk, (match, language)) for pk, match, language in found)
        if len(rows) >= CANDIDATES:
            break
    if not rows:
        return []
    # Re-rank the candidates with the character n-gram engine's idf over them.
    documents = (Document(pk, match, language) for pk, (match, language) in rows.items())
    return rank_few(documents, text, limit=CANDIDATES)


def _stored_vectors(ids: list[int]) -> dict[int, np.ndarray]:
    rows = Need.objects.filter(
        pk__in=ids, embedding__isnull=False, embedding_model=embeddings.MODEL_NAME
    ).values_list("pk", "embedding")
    return {pk: embeddings.from_bytes(data) for pk, data in rows if data is not None}


def similar_needs(
    user: AnyUser,
    text: str,
    *,
    exclude_id: int | None = None,
    limit: int = 10,
    query_vector: np.ndarray | None = None,
) -> list[tuple[Need, float]]:
    """The needs most similar to ``text`` that ``user`` may see, best first, with scores.

    ``query_vector`` is ``text`` already embedded as a query (``stored_query_vector``);
    without it the text is embedded here when candidates have vectors.
    """
    if not text.strip():
        return []
    visible = needs_visible_to(user).exclude(status=NeedStatus.MERGED)
    exclude = {exclude_id} if exclude_id is not None else set()
    if _uses_postgres():
        lexical = _lexical_candidates_postgres(visible, text, exclude)
    else:
        lexical = _lexical_candidates_sqlite(visible, text, exclude)
    if not lexical:
        return []
    vectors: dict[int, np.ndarray] = {}
    if embeddings.available():
        vectors = _stored_vectors([m.id for m in lexical])
        if vectors and query_vector is None:
            query_vector = embeddings.embed([text], kind="query")[0]
    if not vectors:
        query_vector = None
    ranked = rank(text, lexical, query_vector, vectors, limit)
    needs = visible.select_related("owner").in_bulk([m.id for m in ranked])
    return [(needs[m.id], m.score) for m in ranked if m.id in needs]
