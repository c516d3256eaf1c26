"""Quality and speed of samspil.matching, measured in one run.

    .venv/bin/python benchmarks/matching.py            # about 4–5 minutes
    .venv/bin/python benchmarks/matching.py --quick    # about a minute

Quality (recall@5, MRR, recall@1) of each engine alone and combined, against plain BM25 over
Snowball-stemmed words (PyStemmer, each text stemmed in its own language), on

(a) benchmarks/data/labelled_needs.json: needs in da/nb/sv; each need is a query, the other
    needs of its group (other organisations, mostly other languages) are the answers, the
    other groups of its domain are hard negatives;
(b) aligned sentences from Django's own da/nb/sv translation catalogues: each sentence in
    one language is a query over all sentences of another, its translation the answer.

Speed: lexical index build time and peak memory, and query latency, at 500,000 synthetic
needs recombined (seeded) from the labelled set's words, measured in a fresh process.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import re
import resource
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from samspil.matching import Document, LexicalIndex, Match, embeddings, rank

DATA = Path(__file__).parent / "data" / "labelled_needs.json"
STEMMERS = {"da": "danish", "nb": "norwegian", "sv": "swedish", "en": "english"}
WORD = re.compile(r"\w+")
SEED = 20251123

Ranker = Callable[[int, str, str], list[int]]  # (query index, text, language) -> doc indices


# -- metrics ------------------------------------------------------------------------------


def evaluate(rankings: Sequence[list[int]], relevant: Sequence[set[int]]) -> dict[str, float]:
    recall5, reciprocal, first = [], [], []
    for found, answers in zip(rankings, relevant, strict=True):
        recall5.append(len(set(found[:5]) & answers) / len(answers))
        rank_of = next((r for r, d in enumerate(found, 1) if d in answers), None)
        reciprocal.append(1.0 / rank_of if rank_of else 0.0)
        first.append(1.0 if rank_of == 1 else 0.0)
    return {
        "recall@5": float(np.mean(recall5)),
        "MRR": float(np.mean(reciprocal)),
        "recall@1": float(np.mean(first)),
    }


# -- the baseline: BM25 over Snowball stems -------------------------------------------------


class BM25:
    def __init__(self, texts: Sequence[str], languages: Sequence[str], k1=1.2, b=0.75):
        import Stemmer

        self.stemmers = {code: Stemmer.Stemmer(name) for code, name in STEMMERS.items()}
        self.vocabulary: dict[str, int] = {}
        rows, cols = [], []
        for row, (text, language) in enumerate(zip(texts, languages, strict=True)):
            for term in self.terms(text, language):
                rows.append(row)
                cols.append(self.vocabulary.setdefault(term, len(self.vocabulary)))
        tf = sp.csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(len(texts), len(self.vocabulary))
        )
        tf.sum_duplicates()
        lengths = np.asarray(tf.sum(axis=1)).ravel()
        df = np.bincount(tf.indices, minlength=len(self.vocabulary))
        n = len(texts)
        self.idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        norm = k1 * (1 - b + b * lengths / lengths.mean())
        weights = tf.copy()
        row_of = np.repeat(np.arange(n), np.diff(tf.indptr))
        weights.data = tf.data * (k1 + 1) / (tf.data + norm[row_of]) * self.idf[tf.indices]
        self.weights = weights.tocsc()

    def terms(self, text: str, language: str) -> list[str]:
        stemmer = self.stemmers.get(language, self.stemmers["da"])
        return stemmer.stemWords(WORD.findall(text.lower()))

    def scores(self, text: str, language: str) -> np.ndarray:
        columns = [
            self.vocabulary[t] for t in set(self.terms(text, language)) if t in self.vocabulary
        ]
        if not columns:
            return np.zeros(self.weights.shape[0])
        return np.asarray(self.weights[:, columns].sum(axis=1)).ravel()


def top(scores: np.ndarray, k: int, skip: int | None = None) -> list[int]:
    if skip is not None:
        scores = scores.copy()
        scores[skip] = -np.inf
    k = min(k, scores.size)
    part = np.argpartition(-scores, k - 1)[:k]
    order = part[np.lexsort((part, -scores[part]))]
    return [int(i) for i in order if np.isfinite(scores[i])]


# -- the engines on one corpus ----------------------------------------------------------------


def engines(
    corpus: Sequence[str],
    languages: Sequence[str],
    queries: Sequence[str],
    self_index: Sequence[int | None],
    use_embeddings: bool,
    depth: int = 100,
) -> dict[str, list[list[int]]]:
    """Rankings (doc indices, best first) of every engine for every query."""
    results: dict[str, list[list[int]]] = {}
    bm25 = BM25(corpus, languages)
    query_languages = [languages[i] if i is not None else None for i in self_index]
    results["BM25 + Snowball (baseline)"] = [
        top(bm25.scores(q, lang or "da"), depth, skip)
        for q, lang, skip in zip(queries, query_languages, self_index, strict=True)
    ]
    index = LexicalIndex.build(
        Document(i, t, lang) for i, (t, lang) in enumerate(zip(corpus, languages, strict=True))
    )
    lexical: list[list[Match]] = []
    for q, skip in zip(queries, self_index, strict=True):
        lexical.append(index.query(q, limit=200, exclude_ids=() if skip is None else (skip,)))
    results["lexical (char 3-5-grams)"] = [[m.id for m in ms[:depth]] for ms in lexical]
    if not use_embeddings:
        return results
    passages = embeddings.embed(list(corpus), kind="passage")
    query_vectors = embeddings.embed(list(queries), kind="query")
    cosines = query_vectors @ passages.T
    results["embedding (e5-small)"] = [
        top(cosines[i], depth, skip) for i, skip in enumerate(self_index)
    ]
    vectors = {i: passages[i] for i in range(len(corpus))}
    for label, method, weight in [
        ("combined: weighted 0.2", "weighted", 0.2),
        ("combined: weighted 0.4", "weighted", 0.4),
        ("combined: weighted 0.6", "weighted", 0.6),
        ("combined: reciprocal-rank fusion", "rrf", 0.0),
    ]:
        results[label] = [
            [
                m.id
                for m in rank(q, ms, query_vectors[i], vectors, depth, method=method, weight=weight)
            ]  # type: ignore[arg-type]
            for i, (q, ms) in enumerate(zip(queries, lexical, strict=True))
        ]
    return results


def print_table(title: str, scores: dict[str, dict[str, float]]) -> None:
    print(f"\n{title}")
    print(f"  {'engine':36} {'recall@5':>9} {'MRR':>7} {'recall@1':>9}")
    for name, row in scores.items():
        print(f"  {name:36} {row['recall@5']:9.3f} {row['MRR']:7.3f} {row['recall@1']:9.3f}")


# -- (a) the labelled needs ------------------------------------------------------------------


def labelled_needs() -> list[dict]:
    return json.loads(DATA.read_text(encoding="utf-8"))["needs"]


def set_a(use_embeddings: bool) -> dict[str, dict[str, float]]:
    needs = labelled_needs()
    texts = [f"{n['title']}\n{n['description']}" for n in needs]
    languages = [n["language"] for n in needs]
    members: dict[str, set[int]] = defaultdict(set)
    for i, n in enumerate(needs):
        members[n["group"]].add(i)
    relevant = [members[n["group"]] - {i} for i, n in enumerate(needs)]
    rankings = engines(texts, languages, texts, list(range(len(needs))), use_embeddings)
    groups = len(members)
    domains = len({n["domain"] for n in needs})
    print(f"\n(a) labelled needs: {len(needs)} needs, {groups} duplicate groups, {domains} domains")
    scores = {name: evaluate(r, relevant) for name, r in rankings.items()}
    print_table("(a) each need → the other organisations' versions of it", scores)
    return scores


# -- (b) Django's translation catalogues ------------------------------------------------------


def aligned_sentences(limit: int) -> list[dict[str, str]]:
    import django
    import polib

    root = Path(django.__file__).parent
    catalogues = sorted(
        {p.parent.parent.parent for p in root.rglob("locale/da/LC_MESSAGES/django.po")}
    )
    rows: dict[tuple[str, str | None, str], dict[str, str]] = {}
    for base in catalogues:
        entries = {}
        for code in ("da", "nb", "sv"):
            path = base / code / "LC_MESSAGES" / "django.po"
            if not path.exists():
                break
            entries[code] = {
                (e.msgctxt, e.msgid): e.msgstr
                for e in polib.pofile(str(path))
                if e.msgstr and not e.msgid_plural and "fuzzy" not in e.flags and not e.obsolete
            }
        if len(entries) < 3:
            continue
        for key, da in entries["da"].items():
            nb, sv = entries["nb"].get(key), entries["sv"].get(key)
            if nb and sv and len(key[1]) >= 20 and "%" not in key[1] and "{" not in key[1]:
                rows[(str(base), *key)] = {"da": da, "nb": nb, "sv": sv}
    unique: dict[str, dict[str, str]] = {}
    for _key, row in sorted(rows.items()):
        unique.setdefault(row["da"], row)
    chosen = list(unique.values())
    random.Random(SEED).shuffle(chosen)  # noqa: S311 - a seeded sample, not a secret
    return chosen[:limit]


def set_b(limit: int, use_embeddings: bool) -> dict[str, dict[str, float]]:
    sentences = aligned_sentences(limit)
    print(f"\n(b) Django catalogues: {len(sentences)} aligned da/nb/sv sentences, 6 directions")
    totals: dict[str, list[dict[str, float]]] = defaultdict(list)
    for source in ("da", "nb", "sv"):
        for target in ("da", "nb", "sv"):
            if source == target:
                continue
            corpus = [s[target] for s in sentences]
            queries = [s[source] for s in sentences]
            rankings = engines(
                corpus, [target] * len(corpus), queries, [None] * len(queries), use_embeddings
            )
            # BM25 stems the query in its own language, not the corpus's.
            bm25 = BM25(corpus, [target] * len(corpus))
            rankings["BM25 + Snowball (baseline)"] = [
                top(bm25.scores(q, source), 100) for q in queries
            ]
            relevant = [{i} for i in range(len(sentences))]
            for name, r in rankings.items():
                totals[name].append(evaluate(r, relevant))
    scores = {
        name: {k: float(np.mean([row[k] for row in rows])) for k in rows[0]}
        for name, rows in totals.items()
    }
    print_table("(b) each sentence → its translation among all (mean of 6 directions)", scores)
    return scores


# -- scale ------------------------------------------------------------------------------------


def synthetic_needs(n: int, seed: int = SEED) -> list[Document]:
    """Needs recombined from the labelled set's words, per language, deterministically."""
    words: dict[str, list[str]] = defaultdict(list)
    for need in labelled_needs():
        words[need["language"]].extend(WORD.findall(f"{need['title']} {need['description']}"))
    pools = {code: np.array(sorted(ws)) for code, ws in words.items()}
    codes = sorted(pools)
    rng = np.random.default_rng(seed)
    languages = rng.integers(0, len(codes), n)
    lengths = rng.integers(22, 42, n)
    documents = []
    for i in range(n):
        pool = pools[codes[languages[i]]]
        picked = pool[rng.integers(0, pool.size, lengths[i])]
        documents.append(Document(10_000_000 + i, " ".join(picked.tolist()), codes[languages[i]]))
    return documents


def _rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _scale_worker(n: int) -> dict[str, float]:
    documents = synthetic_needs(n)
    labelled = [
        Document(i, f"{x['title']}\n{x['description']}", x["language"])
        for i, x in enumerate(labelled_needs())
    ]
    baseline = _rss_mib()
    started = time.perf_counter()
    index = LexicalIndex.build(documents + labelled)
    build_seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    after = _rss_mib()
    typed = [x["title"] for x in labelled_needs()]
    whole = [d.text for d in labelled]
    latencies: dict[str, list[float]] = {"typed title": [], "whole need": []}
    hits = 0
    for label, queries in (("typed title", typed), ("whole need", whole)):
        for i, q in enumerate(queries):
            started = time.perf_counter()
            found = index.query(q, limit=10, exclude_ids=(i,))
            latencies[label].append((time.perf_counter() - started) * 1000)
            hits += label == "whole need" and any(m.id < 10_000_000 for m in found[:5])
    started = time.perf_counter()
    for document in synthetic_needs(1_000, seed=SEED + 1):
        index.add(Document(document.id + 5_000_000, document.text, document.language))
    add_ms = time.perf_counter() - started
    return {
        "n": float(len(index)),
        "build_seconds": build_seconds,
        "rss_before_mib": baseline,
        "peak_rss_mib": peak,
        "rss_after_mib": after,
        "typed_p50": float(np.percentile(latencies["typed title"], 50)),
        "typed_p95": float(np.percentile(latencies["typed title"], 95)),
        "whole_p50": float(np.percentile(latencies["whole need"], 50)),
        "whole_p95": float(np.percentile(latencies["whole need"], 95)),
        "labelled_in_top5": hits / len(whole),
        "add_ms": add_ms,
    }


def scale(n: int) -> dict[str, float]:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        result = pool.apply(_scale_worker, (n,))
    print(f"\nscale: lexical index of {int(result['n']):,} needs (synthetic + the labelled set)")
    print(f"  build time                    {result['build_seconds']:8.1f} s")
    grown = result["peak_rss_mib"] - result["rss_before_mib"]
    print(
        f"  memory (resident, MiB)        before {result['rss_before_mib']:.0f}, "
        f"peak {result['peak_rss_mib']:.0f} (+{grown:.0f} while building), "
        f"after {result['rss_after_mib']:.0f}"
    )
    print(
        f"  query, typed title (ms)       p50 {result['typed_p50']:6.1f}"
        f"   p95 {result['typed_p95']:6.1f}"
    )
    print(
        f"  query, whole need (ms)        p50 {result['whole_p50']:6.1f}"
        f"   p95 {result['whole_p95']:6.1f}"
    )
    print(
        f"  labelled duplicate in top 5 among {int(result['n']):,} "
        f"(distractors: word salads of the same vocabulary): {result['labelled_in_top5']:.3f}"
    )
    print(f"  1,000 adds after the build    {result['add_ms']:8.2f} s in total")
    return result


def embedding_speed() -> None:
    texts = [f"{x['title']}\n{x['description']}" for x in labelled_needs()][:120]
    started = time.perf_counter()
    embeddings.embed(texts, kind="passage")
    passages = len(texts) / (time.perf_counter() - started)
    timings = []
    for text in texts[:30]:
        started = time.perf_counter()
        embeddings.embed([text[:60]], kind="query")
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"\nembedding backend ({embeddings.MODEL_NAME}): {passages:.0f} passages/s, "
        f"query p50 {statistics.median(timings):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="smaller set (b) and 100,000 needs")
    parser.add_argument("--needs", type=int, help="needs in the scale test (default 500,000)")
    parser.add_argument("--sentences", type=int, help="aligned sentences in set (b)")
    parser.add_argument("--no-embeddings", action="store_true", help="lexical engines only")
    args = parser.parse_args()
    use_embeddings = embeddings.available() and not args.no_embeddings
    print(f"embedding backend available: {embeddings.available()}; used: {use_embeddings}")
    started = time.perf_counter()
    set_a(use_embeddings)
    set_b(args.sentences or (150 if args.quick else 400), use_embeddings)
    if use_embeddings:
        embedding_speed()
    scale(args.needs or (100_000 if args.quick else 500_000))
    print(f"\nwhole run: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
