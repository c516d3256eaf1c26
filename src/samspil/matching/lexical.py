"""Character n-gram TF-IDF matching that works across Danish, Norwegian and Swedish.

Texts are normalised (NFKC, lower case, æ/ä → ae, ø/ö → oe, å → aa, accents and punctuation
removed) so that the three languages' spellings of the same word meet: "sygeplejerske",
"sykepleier" and "sjuksköterska" share little as words but much as 3–5 character n-grams
taken inside word boundaries (" syk", "syke", "pleje"/"pleie" …).

N-grams are hashed into a fixed number of buckets (``2**bits``, the hashing trick) with a
deterministic multiplicative hash of their packed bytes, so memory is bounded and no
vocabulary is kept. Scores are cosine similarities of sublinear-tf × smoothed-idf vectors.

The index answers a query in two steps:

1. candidates: a sparse product over the inverted index (one posting list of slots per
   bucket, held in segments) restricted to the query's *rarest* n-grams, within a budget
   of postings, so that a query costs about the same at 500,000 documents as at 5,000;
2. exact rescoring of those candidates (and of recently added documents, kept in a small
   buffer until they fill a segment) with the full cosine.

Documents are added and removed one by one (tombstones; segments are merged and the index
compacted as they accumulate), so the index can be kept in step with a database.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

__all__ = ["Document", "LexicalIndex", "Match", "normalise", "rank_few"]


@dataclass(frozen=True)
class Document:
    id: int
    text: str
    language: str | None = None


@dataclass(frozen=True)
class Match:
    id: int
    score: float


_FOLD = str.maketrans(
    {
        "æ": "ae",
        "ä": "ae",
        "ø": "oe",
        "ö": "oe",
        "å": "aa",
        "ß": "ss",
        "þ": "th",
        "ð": "d",
        "œ": "oe",
    }
)
_COMBINING = re.compile(r"[\u0300-\u036f]+")
_NON_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Lower-cased, folded words separated by single spaces (stored for pg_trgm, too)."""
    folded = unicodedata.normalize("NFKC", text).lower().translate(_FOLD)
    if not folded.isascii():
        folded = _COMBINING.sub("", unicodedata.normalize("NFKD", folded))
    return _NON_WORD.sub(" ", folded).strip()


_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


def _grams(
    texts: Sequence[str], ngram_range: tuple[int, int], bits: int
) -> tuple[np.ndarray, np.ndarray]:
    """(row, bucket) of every n-gram occurrence in normalised ``texts``, vectorised.

    Each word is padded with spaces; an n-gram may start or end on a space but not hold one
    inside, so n-grams never cross words. Rows are separated by NUL bytes.
    """
    if not texts:
        empty = np.zeros(0, dtype=np.int32)
        return empty, empty
    joined = "\x00".join(f" {t} " for t in texts) + "\x00"
    raw = np.frombuffer(joined.encode("utf-8"), dtype=np.uint8)
    length = raw.size
    is_sep = raw == 0
    sep_before = np.zeros(length + 1, dtype=np.int32)
    np.cumsum(is_sep, out=sep_before[1:])
    space_before = np.zeros(length + 1, dtype=np.int32)
    np.cumsum(raw == 32, out=space_before[1:])
    values = raw.astype(np.uint64)
    rows_out: list[np.ndarray] = []
    buckets_out: list[np.ndarray] = []
    shift = np.uint64(64 - bits)
    low, high = ngram_range
    for n in range(low, high + 1):
        m = length - n + 1
        if m <= 0:
            continue
        ok = (sep_before[n : n + m] == sep_before[:m]) & (
            space_before[n - 1 : n - 1 + m] == space_before[1 : 1 + m]
        )
        start = np.flatnonzero(ok)
        if start.size == 0:
            continue
        packed = np.full(start.size, n, dtype=np.uint64)
        for k in range(n):
            packed = (packed << np.uint64(8)) | values[start + k]
        buckets_out.append(((packed * _MULTIPLIER) >> shift).astype(np.int32))
        rows_out.append(sep_before[start])
    if not rows_out:
        empty = np.zeros(0, dtype=np.int32)
        return empty, empty
    return np.concatenate(rows_out), np.concatenate(buckets_out)


def _count_matrix(texts: Sequence[str], ngram_range: tuple[int, int], bits: int) -> sp.csr_matrix:
    """Rows × buckets n-gram counts in canonical CSR form (sorted, no duplicates)."""
    rows, buckets = _grams(texts, ngram_range, bits)
    keys = (rows.astype(np.int64) << bits) | buckets
    keys.sort()  # one flat sort is several times faster than scipy's per-row duplicate summing
    starts = np.flatnonzero(np.diff(keys)) + 1 if keys.size else np.zeros(0, dtype=np.int64)
    starts = np.concatenate([np.zeros(min(keys.size, 1), dtype=np.int64), starts])
    counts = np.diff(np.append(starts, keys.size)).astype(np.float32)
    unique = keys[starts]
    indptr = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.bincount(unique >> bits, minlength=len(texts)), out=indptr[1:])
    columns = (unique & ((1 << bits) - 1)).astype(np.int32)
    matrix = sp.csr_matrix((counts, columns, indptr), shape=(len(texts), 1 << bits))
    matrix.has_canonical_format = True
    return matrix


def _query_vector(
    text: str, ngram_range: tuple[int, int], bits: int, idf: Callable[[np.ndarray], np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """The query's n-gram buckets (sorted) and their unit-length TF-IDF weights."""
    features, counts = np.unique(
        _grams([normalise(text)], ngram_range, bits)[1], return_counts=True
    )
    weights = (1.0 + np.log(counts)).astype(np.float32) * idf(features)
    norm = float(np.linalg.norm(weights))
    return features, (weights / norm if norm else weights)


def _cosines(
    counts: sp.csr_matrix,
    features: np.ndarray,
    weights: np.ndarray,
    idf: Callable[[np.ndarray], np.ndarray],
) -> np.ndarray:
    """Cosine of each row of ``counts`` with the query (sorted ``features``, unit weights).

    The query is matched by binary search rather than as a dense 2**bits vector, so that
    no index-sized array is allocated per query.
    """
    rows = counts.shape[0]
    if rows == 0 or features.size == 0:
        return np.zeros(rows)
    data = (1.0 + np.log(counts.data)) * idf(counts.indices)
    row_of = np.repeat(np.arange(rows), np.diff(counts.indptr))
    norms = np.sqrt(np.bincount(row_of, weights=data * data, minlength=rows))
    position = np.minimum(np.searchsorted(features, counts.indices), features.size - 1)
    matched = features[position] == counts.indices
    dots = np.bincount(
        row_of[matched], weights=data[matched] * weights[position[matched]], minlength=rows
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(norms > 0, dots / norms, 0.0)


def rank_few(
    documents: Iterable[Document],
    text: str,
    limit: int = 10,
    *,
    ngram_range: tuple[int, int] = (3, 5),
    bits: int = 20,
) -> list[Match]:
    """The ``limit`` of a few hundred documents most similar to ``text``, best first (ties by
    id), with the idf of these documents: the exact cosine of every one.

    For re-ranking a page of full-text candidates. Building a ``LexicalIndex`` for them
    costs about 20 ms of tables sized by the hash space (2**bits buckets); this reads only
    the n-grams the documents have. Later documents replace earlier ones with the same id.
    """
    unique = {document.id: normalise(document.text) for document in documents}
    if not unique:
        return []
    ids = list(unique)
    counts = _count_matrix(list(unique.values()), ngram_range, bits)
    buckets, frequency = np.unique(counts.indices, return_counts=True)
    if buckets.size == 0:  # texts too short for an n-gram
        return []
    total = len(ids)

    def idf(features: np.ndarray) -> np.ndarray:
        position = np.minimum(np.searchsorted(buckets, features), buckets.size - 1)
        df = np.where(buckets[position] == features, frequency[position], 0)
        return (np.log((1.0 + total) / (1.0 + df)) + 1.0).astype(np.float32)

    features, weights = _query_vector(text, ngram_range, bits, idf)
    if features.size == 0:
        return []
    scores = _cosines(counts, features, weights, idf)
    order = sorted(range(total), key=lambda i: (-scores[i], ids[i]))
    return [Match(ids[i], float(scores[i])) for i in order[:limit] if scores[i] > 0]


@dataclass
class _Segment:
    """Posting lists (slots per bucket) for slots ``start`` to ``stop``."""

    start: int
    stop: int
    indptr: np.ndarray
    slots: np.ndarray

    @property
    def size(self) -> int:
        return self.stop - self.start


class LexicalIndex:
    """A character n-gram TF-IDF index with incremental add/remove and fast top-k queries."""

    def __init__(
        self,
        *,
        ngram_range: tuple[int, int] = (3, 5),
        bits: int = 20,
        candidates: int = 100,
        posting_budget: int = 300_000,
        buffer_size: int = 512,
        segment_size: int = 25_000,
        max_df: float = 0.05,
        min_pruned_df: int = 5_000,
    ) -> None:
        self.ngram_range = ngram_range
        self.bits = bits
        self.candidates = candidates
        self.posting_budget = posting_budget
        self.buffer_size = buffer_size
        self.segment_size = segment_size
        self.max_df = max_df
        self.min_pruned_df = min_pruned_df
        self._df = np.zeros(1 << bits, dtype=np.int32)
        self._ids: list[int] = []
        self._texts: list[str | None] = []
        self._alive = np.zeros(0, dtype=bool)
        self._inverse_norm = np.zeros(0, dtype=np.float32)
        self._slot_of: dict[int, int] = {}
        self._segments: list[_Segment] = []
        self._indexed_until = 0  # slots below this are in segments; the rest is the buffer

    # -- building -------------------------------------------------------------------------

    @classmethod
    def build(cls, documents: Iterable[Document], **params) -> LexicalIndex:
        index = cls(**params)
        batch: list[Document] = []
        for document in documents:
            batch.append(document)
            if len(batch) >= index.segment_size:
                index._append_segment(batch)
                batch = []
        if batch:
            index._append_segment(batch)
        return index

    def _append_segment(self, documents: list[Document]) -> None:
        unique: dict[int, Document] = {}
        for document in documents:
            if document.id in self._slot_of:
                self.remove(document.id)
            unique[document.id] = document
        start = len(self._ids)
        for document in unique.values():
            self._slot_of[document.id] = len(self._ids)
            self._ids.append(document.id)
            self._texts.append(normalise(document.text))
        self._grow(len(self._ids))
        self._alive[start:] = True
        self._index_slots(start, len(self._ids), count_df=True)

    def _grow(self, size: int) -> None:
        if size > self._alive.size:
            capacity = max(size, int(self._alive.size * 1.5) + 16)
            self._alive = np.concatenate(
                [self._alive, np.zeros(capacity - self._alive.size, dtype=bool)]
            )
            self._inverse_norm = np.concatenate(
                [self._inverse_norm, np.zeros(capacity - self._inverse_norm.size, np.float32)]
            )

    def _index_slots(self, start: int, stop: int, *, count_df: bool) -> None:
        texts = [t or "" for t in self._texts[start:stop]]
        counts = _count_matrix(texts, self.ngram_range, self.bits)
        per_row = np.diff(counts.indptr)
        if count_df:
            self._df += np.bincount(counts.indices, minlength=self._df.size).astype(np.int32)
            with np.errstate(divide="ignore"):
                self._inverse_norm[start:stop] = np.where(
                    per_row > 0, 1.0 / np.sqrt(per_row), 0.0
                ).astype(np.float32)
        postings = counts.tocsc()
        slots = postings.indices.astype(np.int32)
        indptr = postings.indptr.astype(np.int64)
        limit = max(int(self.max_df * (stop - start)), self.min_pruned_df)
        frequent = np.diff(indptr) > limit
        if frequent.any():  # drop posting lists that would only be skipped by queries
            keep = np.repeat(~frequent, np.diff(indptr))
            slots = slots[keep]
            lengths = np.where(frequent, 0, np.diff(indptr))
            indptr = np.zeros_like(indptr)
            np.cumsum(lengths, out=indptr[1:])
        self._segments.append(_Segment(start, stop, indptr, slots + start))
        self._indexed_until = stop

    # -- keeping in step ------------------------------------------------------------------

    def add(self, document: Document) -> None:
        """Add a document, or replace the one with the same id."""
        if document.id in self._slot_of:
            self.remove(document.id)
        slot = len(self._ids)
        text = normalise(document.text)
        self._slot_of[document.id] = slot
        self._ids.append(document.id)
        self._texts.append(text)
        self._grow(slot + 1)
        self._alive[slot] = True
        features = np.unique(_grams([text], self.ngram_range, self.bits)[1])
        self._df[features] += 1
        self._inverse_norm[slot] = 1.0 / math.sqrt(features.size) if features.size else 0.0
        if len(self._ids) - self._indexed_until >= self.buffer_size:
            self._flush()

    def remove(self, id: int) -> None:
        """Forget a document; unknown ids are ignored."""
        slot = self._slot_of.pop(id, None)
        if slot is None:
            return
        text = self._texts[slot]
        if text:
            self._df[np.unique(_grams([text], self.ngram_range, self.bits)[1])] -= 1
        self._texts[slot] = None
        self._alive[slot] = False
        dead = len(self._ids) - len(self._slot_of)
        if dead > 1_000 and dead > 0.25 * len(self._ids):
            self.compact()

    def _flush(self) -> None:
        self._index_slots(self._indexed_until, len(self._ids), count_df=False)
        small = [s for s in self._segments if s.size < self.segment_size // 4]
        if len(small) > 8 and small == self._segments[-len(small) :]:
            start = small[0].start
            del self._segments[-len(small) :]
            self._index_slots(start, self._indexed_until, count_df=False)

    def compact(self) -> None:
        """Rebuild without the removed documents."""
        live = [
            Document(self._ids[slot], self._texts[slot] or "")
            for slot in sorted(self._slot_of.values())
        ]
        fresh = LexicalIndex.build(
            live,
            ngram_range=self.ngram_range,
            bits=self.bits,
            candidates=self.candidates,
            posting_budget=self.posting_budget,
            buffer_size=self.buffer_size,
            segment_size=self.segment_size,
            max_df=self.max_df,
            min_pruned_df=self.min_pruned_df,
        )
        self.__dict__.update(fresh.__dict__)

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, id: object) -> bool:
        return id in self._slot_of

    def ids(self) -> set[int]:
        return set(self._slot_of)

    # -- querying -------------------------------------------------------------------------

    def _idf(self, features: np.ndarray) -> np.ndarray:
        n = len(self._slot_of)
        return (np.log((1.0 + n) / (1.0 + self._df[features])) + 1.0).astype(np.float32)

    def _query_vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        return _query_vector(text, self.ngram_range, self.bits, self._idf)

    def _candidate_slots(
        self, features: np.ndarray, weights: np.ndarray, wanted: int
    ) -> np.ndarray:
        """Up to ``wanted`` slots by approximate score over the rarest n-grams, best first.

        Scored one segment at a time, so every array is segment-sized (cache-resident, no
        index-sized allocation per query), keeping a running top ``wanted`` whose lowest
        score filters the following segments.
        """
        df = self._df[features]
        order = np.argsort(df, kind="stable")
        order = order[df[order] > 0]
        if order.size == 0 or not self._segments:
            return np.zeros(0, dtype=np.int64)
        spent = np.cumsum(df[order])
        take = max(int(np.searchsorted(spent, self.posting_budget, side="right")), 8)
        chosen = features[order[:take]]
        feature_weight = weights[order[:take]] * self._idf(chosen)
        best_slots = np.zeros(0, dtype=np.int64)
        best_scores = np.zeros(0, dtype=np.float64)
        threshold = 0.0
        for segment in self._segments:
            starts = segment.indptr[chosen]
            lengths = segment.indptr[chosen + 1] - starts
            total = int(lengths.sum())
            if total == 0:
                continue
            offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
            local = segment.slots[offsets + np.arange(total)] - segment.start
            scores: np.ndarray = np.bincount(
                local, weights=np.repeat(feature_weight, lengths), minlength=segment.size
            )
            scores *= self._inverse_norm[segment.start : segment.stop]
            scores *= self._alive[segment.start : segment.stop]
            hits = np.flatnonzero(scores > threshold)
            if hits.size == 0:
                continue
            best_slots = np.concatenate([best_slots, hits + segment.start])
            best_scores = np.concatenate([best_scores, scores[hits]])
            if best_slots.size > wanted:
                keep = np.argpartition(-best_scores, wanted - 1)[:wanted]
                best_slots, best_scores = best_slots[keep], best_scores[keep]
                threshold = float(best_scores.min())
        return best_slots[np.lexsort((best_slots, -best_scores))]

    def query(
        self,
        text: str,
        limit: int = 10,
        allowed_ids: Collection[int] | None = None,
        exclude_ids: Collection[int] = (),
    ) -> list[Match]:
        """The ``limit`` documents most similar to ``text``, best first (ties by id)."""
        features, weights = self._query_vector(text)
        if features.size == 0 or not self._slot_of:
            return []
        excluded = set(exclude_ids)

        def admissible(slot: int) -> bool:
            identifier = self._ids[slot]
            if identifier in excluded or not self._alive[slot]:
                return False
            return allowed_ids is None or identifier in allowed_ids

        pool = max(self.candidates, limit)
        wanted = pool * 4 + len(excluded)
        while True:
            ranked = self._candidate_slots(features, weights, wanted)
            chosen = [slot for slot in ranked.tolist() if admissible(slot)][:pool]
            if len(chosen) >= pool or ranked.size < wanted:
                break
            wanted *= 8  # many candidates were not allowed: look further down

        buffered = range(self._indexed_until, len(self._ids))
        chosen.extend(slot for slot in buffered if admissible(slot))
        if not chosen:
            return []
        scores = self._exact_scores(chosen, features, weights)
        order = sorted(range(len(chosen)), key=lambda i: (-scores[i], self._ids[chosen[i]]))
        return [
            Match(self._ids[chosen[i]], float(scores[i])) for i in order[:limit] if scores[i] > 0
        ]

    def _exact_scores(
        self, slots: Sequence[int], features: np.ndarray, weights: np.ndarray
    ) -> np.ndarray:
        counts = _count_matrix(
            [self._texts[slot] or "" for slot in slots], self.ngram_range, self.bits
        )
        return self._cosines(counts, features, weights)

    def _cosines(
        self, counts: sp.csr_matrix, features: np.ndarray, weights: np.ndarray
    ) -> np.ndarray:
        return _cosines(counts, features, weights, self._idf)

    def similarity(self, text: str, other: str) -> float:
        """Cosine of two texts with this index's idf (a building block for re-ranking)."""
        features, weights = self._query_vector(text)
        counts = _count_matrix([normalise(other)], self.ngram_range, self.bits)
        return float(self._cosines(counts, features, weights)[0])
