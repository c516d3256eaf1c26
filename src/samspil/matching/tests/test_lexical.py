import json
from pathlib import Path

import numpy as np
import pytest

from samspil.matching import Document, LexicalIndex, Match, normalise, rank_few

NEEDS = [
    Document(1, "Bedre natbelysning på plejecentret, så beboere med demens ikke falder", "da"),
    Document(2, "Nattlys som forebygger fall blant beboerne på sykehjemmet", "nb"),
    Document(3, "Belysning nattetid på äldreboendet så att de boende inte faller", "sv"),
    Document(4, "Forkerte tillæg for aften- og weekendvagter i lønnen", "da"),
    Document(5, "Feil i tillegg for kvelds- og helgevakter i lønnen", "nb"),
    Document(6, "Intelligent gadebelysning der dæmpes om natten", "da"),
]


def test_it_folds_scandinavian_spellings_together():
    assert normalise("Ærø Ålborg Ärende Öl Smørrebrød") == "aeroe aalborg aerende oel smoerrebroed"
    assert normalise("Aalborg") == normalise("Ålborg")
    assert normalise("  Café – «test»!  ") == "cafe test"
    assert normalise("ﬁne") == "fine"  # NFKC


def test_it_finds_the_same_need_in_the_other_languages_first():
    index = LexicalIndex.build(NEEDS)
    found = [m.id for m in index.query("Belysning om natten på plejehjem mod fald", limit=3)]
    assert found[0] == 1
    assert 3 in found


def test_it_ranks_best_first_with_scores_between_zero_and_one():
    index = LexicalIndex.build(NEEDS)
    matches = index.query("tillæg for aftenvagter og weekendvagter", limit=10)
    assert matches[0].id == 4 and matches[1].id == 5
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1.0001 for s in scores)


def test_it_respects_allowed_and_excluded_ids():
    index = LexicalIndex.build(NEEDS)
    found = index.query("nattlys fall sykehjem", allowed_ids={2, 3, 6}, exclude_ids=[2])
    assert 2 not in {m.id for m in found}
    assert {m.id for m in found} <= {3, 6}


def test_it_adds_replaces_and_removes_documents():
    index = LexicalIndex.build(NEEDS)
    index.add(Document(7, "Sensor der varsler når en beboer forlader sengen", "da"))
    assert index.query("sensor seng beboer", limit=1)[0].id == 7
    index.add(Document(7, "Lønsystem med digitale timesedler", "da"))
    assert index.query("sensor seng beboer forlader", limit=1)[0].id != 7
    index.remove(7)
    index.remove(12345)  # unknown ids are ignored
    assert 7 not in index and len(index) == len(NEEDS)
    assert all(m.id != 7 for m in index.query("timesedler lønsystem"))


def test_it_answers_the_same_after_flushes_merges_and_compaction():
    texts = [
        f"behov nummer {i} om {'plejehjem' if i % 2 else 'skole'} og emne{i}" for i in range(3000)
    ]
    incremental = LexicalIndex(buffer_size=64, segment_size=400)
    for i, text in enumerate(texts):
        incremental.add(Document(i, text))
    for i in range(0, 3000, 3):
        incremental.remove(i)
    built = LexicalIndex.build(
        [Document(i, t) for i, t in enumerate(texts) if i % 3], segment_size=400
    )
    for query in ["emne17 plejehjem", "skole emne2048", "behov nummer 1001"]:
        a = incremental.query(query, limit=5)
        b = built.query(query, limit=5)
        assert [m.id for m in a] == [m.id for m in b]
        assert np.allclose([m.score for m in a], [m.score for m in b], atol=1e-5)


def test_it_is_deterministic_and_handles_empty_input():
    first = LexicalIndex.build(NEEDS).query("belysning om natten")
    second = LexicalIndex.build(list(reversed(NEEDS))).query("belysning om natten")
    assert first == second
    assert LexicalIndex.build([]).query("noget") == []
    assert LexicalIndex.build(NEEDS).query("  !! ") == []


def test_it_scores_a_text_against_itself_as_one():
    index = LexicalIndex.build(NEEDS)
    assert index.query(NEEDS[3].text, limit=1) == [Match(4, pytest.approx(1.0, abs=1e-5))]


def test_it_segments_scored_one_by_one_find_the_same_candidates_as_one_segment():
    words = " ".join(n.text for n in NEEDS).split()
    rng = np.random.default_rng(7)
    documents = [
        Document(100 + i, " ".join(rng.choice(words, size=int(rng.integers(4, 12)))))
        for i in range(300)
    ]
    whole = LexicalIndex.build(documents, segment_size=1_000, candidates=5)
    split = LexicalIndex.build(documents, segment_size=17, candidates=5)
    assert len(split._segments) > 10
    for query in ["natbelysning plejecentret demens", "tillæg weekendvagter lønnen", "lys"]:
        a = whole.query(query, limit=5)
        b = split.query(query, limit=5)
        assert [m.id for m in a] == [m.id for m in b]
        assert np.allclose([m.score for m in a], [m.score for m in b])


def labelled_needs() -> list[Document]:
    path = Path(__file__).resolve().parents[4] / "benchmarks" / "data" / "labelled_needs.json"
    rows = json.loads(path.read_text())["needs"]
    return [Document(i, f"{row['title']}\n{row['description']}") for i, row in enumerate(rows)]


def test_ranking_a_few_gives_what_an_index_of_them_gives():
    needs = labelled_needs()
    for start in range(0, 300, 60):  # pages of candidates, as the need page re-ranks them
        page = needs[start : start + 120]
        for query in page[::15]:
            expected = LexicalIndex.build(page).query(query.text, limit=200)
            found = rank_few(page, query.text, limit=200)
            assert [m.id for m in found] == [m.id for m in expected]
            assert [m.score for m in found] == pytest.approx([m.score for m in expected])


def test_ranking_a_few_takes_the_last_text_of_an_id_and_handles_empty_input():
    assert rank_few([], "nattlys", limit=5) == []
    assert rank_few([Document(1, "ab")], "nattlys", limit=5) == []  # too short for n-grams
    replaced = [Document(4, "Nattlys på sykehjemmet"), *NEEDS[:4]]
    assert rank_few(replaced, "lønnen tillæg", limit=5) == rank_few(NEEDS[:4], "lønnen tillæg", 5)
