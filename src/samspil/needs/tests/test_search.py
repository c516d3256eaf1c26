"""Full-text search over needs and challenges in Danish, Norwegian and Swedish.

Runs on SQLite (FTS5, prefix matching) and on PostgreSQL (stemming per language); the tests
that depend on one of the two say so.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from samspil.core import permissions
from samspil.core.models import Visibility
from samspil.needs import search
from samspil.needs.models import Challenge, Need

postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="stemming is PostgreSQL's"
)
sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="FTS5 is SQLite's")


def make_need(owner, title, description, language, visibility=Visibility.SHARED) -> Need:
    need = Need.objects.create(
        owner=owner,
        title=title,
        description=description,
        language=language,
        visibility=visibility,
    )
    search.index_need(need)
    return need


def found(text: str, queryset=None) -> list[str]:
    queryset = Need.objects.all() if queryset is None else queryset
    return sorted(search.search(queryset, text).values_list("title", flat=True))


@pytest.fixture
def needs(org_a, org_b):
    return {
        "da": make_need(
            org_a,
            "Manuel kontering af fakturaer",
            "Bogholderne koder hver faktura i hånden, og det tager otte timer om ugen.",
            "da",
        ),
        "nb": make_need(
            org_b,
            "Barnehagene bestiller i en tungvint nettbutikk",
            "Styrerne i barnehagene bruker mange timer på innkjøp til tusen barn.",
            "nb",
        ),
        "sv": make_need(
            org_b,
            "Fakturorna konteras för hand",
            "Ekonomiavdelningen lägger mycket tid på fakturorna varje månad.",
            "sv",
        ),
        "internal": make_need(
            org_a,
            "Sygeplejerskerne mangler overblik over fakturaer",
            "Afdelingen har ingen oversigt.",
            "da",
            Visibility.INTERNAL,
        ),
    }


def kontering() -> list[str]:
    """What "kontering" finds: on PostgreSQL the query is parsed with every language, and
    the Swedish stemmer meets "konteras" of the Swedish need ("konter") too."""
    if connection.vendor == "postgresql":
        return ["Fakturorna konteras för hand", "Manuel kontering af fakturaer"]
    return ["Manuel kontering af fakturaer"]


# Each language -----------------------------------------------------------------------------------


def test_it_finds_a_danish_need_by_a_word_of_its_title(needs):
    assert found("kontering") == kontering()


def test_it_finds_a_danish_need_by_a_word_of_its_description(needs):
    assert found("bogholderne") == ["Manuel kontering af fakturaer"]


def test_it_finds_a_norwegian_need_by_another_form_of_the_word(needs):
    assert found("barnehage") == ["Barnehagene bestiller i en tungvint nettbutikk"]


def test_it_finds_a_swedish_need_by_another_form_of_the_word(needs):
    assert found("fakturor") == ["Fakturorna konteras för hand"]


def test_it_ignores_the_case_of_the_query(needs):
    assert found("NETTBUTIKK") == ["Barnehagene bestiller i en tungvint nettbutikk"]


def test_it_matches_letters_of_danish_norwegian_and_swedish(needs):
    assert found("hånden") == ["Manuel kontering af fakturaer"]
    assert found("månad") == ["Fakturorna konteras för hand"]


def test_it_requires_every_word_of_the_query(needs):
    assert found("barnehagene innkjøp") == ["Barnehagene bestiller i en tungvint nettbutikk"]
    assert found("barnehagene fakturorna") == []


@postgresql_only
def test_it_finds_faktura_when_asked_for_fakturaer_by_stemming(org_a):
    make_need(org_a, "Faktura", "Hver faktura koder vi selv.", "da")
    assert found("fakturaer") == ["Faktura"]


@sqlite_only
def test_it_finds_fakturaer_when_asked_for_the_beginning_of_the_word(needs):
    assert found("faktur") == [
        "Fakturorna konteras för hand",
        "Manuel kontering af fakturaer",
        "Sygeplejerskerne mangler overblik over fakturaer",
    ]


def test_it_finds_challenges_too(org_a):
    challenge = Challenge.objects.create(
        owner=org_a,
        title="Robotter i lønkontoret",
        problem_statement="Lønnen udbetales for sent.",
        language="da",
    )
    search.index_challenge(challenge)
    assert list(search.search(Challenge.objects.all(), "robotter")) == [challenge]
    assert not search.search(Challenge.objects.all(), "fakturaer").exists()


# Only what the user may see ----------------------------------------------------------------------


def test_it_searches_only_the_needs_charlie_may_see(charlie, needs):
    assert "Sygeplejerskerne mangler overblik over fakturaer" not in found(
        "fakturaer", permissions.needs_visible_to(charlie)
    )
    assert found("sygeplejerskerne", permissions.needs_visible_to(charlie)) == []


def test_it_searches_the_internal_needs_of_alices_own_organisation(alice, needs):
    assert found("sygeplejerskerne", permissions.needs_visible_to(alice)) == [
        "Sygeplejerskerne mangler overblik over fakturaer"
    ]


def test_it_finds_nothing_shared_for_an_anonymous_visitor(needs):
    assert found("fakturaer", permissions.needs_visible_to(AnonymousUser())) == []


def test_it_keeps_the_filters_of_the_queryset(org_a, needs):
    assert found("fakturaer", Need.objects.filter(owner=org_a, visibility="shared")) == [
        "Manuel kontering af fakturaer"
    ]


# Ranking -----------------------------------------------------------------------------------------


def test_it_ranks_a_need_with_the_word_in_its_title_above_one_with_it_in_the_text(org_a):
    make_need(org_a, "Vikarer", "Vi mangler et system til lønudbetaling af vikarer.", "da")
    make_need(org_a, "Lønudbetaling til vikarer", "Det tager lang tid hver måned.", "da")
    ranked = search.search(Need.objects.all(), "lønudbetaling").order_by("-rank")
    assert [n.title for n in ranked] == ["Lønudbetaling til vikarer", "Vikarer"]
    assert ranked[0].rank > ranked[1].rank > 0


def test_it_ranks_a_need_that_says_it_more_often_higher(org_a):
    make_need(org_a, "Rengøring", "Rengøring af plejehjem.", "da")
    make_need(org_a, "Plejehjem", "Plejehjem, plejehjem og atter plejehjem.", "da")
    ranked = search.search(Need.objects.all(), "plejehjem").order_by("-rank")
    assert [n.title for n in ranked] == ["Plejehjem", "Rengøring"]


# Bad input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '"fakturaer',
        "*",
        "faktur*",
        "-",
        "-fakturaer",
        "(",
        ")",
        "(fakturaer)",
        "OR",
        "fakturaer OR",
        "OR fakturaer",
        "NEAR",
        "NEAR(fakturaer kontering)",
        "fakturaer AND NOT kontering",
        "title:fakturaer",
        "^fakturaer",
        "fakturaer:*",
        "fakturaer & | ! <->",
        "'; DROP TABLE needs_need; --",
        "fakturaer' OR '1'='1",
        "1) OR 1=1 --",
        "<script>alert('fakturaer')</script>",
        "%_\\",
        "\x00",
        "🙂",
        "ord " * 200,
    ],
)
def test_it_never_fails_on_search_syntax_sql_or_html(needs, text):
    results = list(search.search(Need.objects.all(), text))
    assert {n.pk for n in results} <= {n.pk for n in Need.objects.all()}
    assert Need.objects.count() == 4


@pytest.mark.parametrize(
    "text",
    ['"fakturaer"', "(fakturaer)", "fakturaer*", "-fakturaer-", "fakturaer!", "fakturaer;"],
)
def test_it_reads_syntax_characters_as_plain_text(needs, text):
    assert "Manuel kontering af fakturaer" in found(text)


def test_it_finds_a_need_that_contains_syntax_characters_itself(org_a):
    make_need(org_a, 'Skema "NEAR" (bilag) - OR *', "Tekst med <b>html</b> og 'citater'.", "da")
    assert found("bilag") == ['Skema "NEAR" (bilag) - OR *']
    assert found("citater") == ['Skema "NEAR" (bilag) - OR *']


@pytest.mark.parametrize("text", ["", "   ", "!!!", '"" () * -'])
def test_it_finds_nothing_for_an_empty_query(needs, text):
    assert found(text) == []


@pytest.mark.parametrize("text", ["", "nothingmatcheshere"])
def test_it_lets_the_caller_order_by_rank_when_nothing_is_found(needs, text):
    assert list(search.search(Need.objects.all(), text).order_by("-rank")) == []


# Keeping the index in step -----------------------------------------------------------------------


def test_it_follows_a_bulk_update_after_reindexing(needs):
    Need.objects.filter(pk=needs["da"].pk).update(title="Lønudbetaling", description="Løn.")
    search.reindex_needs()
    assert found("lønudbetaling") == ["Lønudbetaling"]
    assert found("bogholderne") == []


def test_it_reindexes_only_the_needs_asked_for(needs):
    Need.objects.update(description="Ny tekst om vinduespudsning.")
    search.reindex_needs(Need.objects.filter(pk=needs["nb"].pk))
    assert found("vinduespudsning") == ["Barnehagene bestiller i en tungvint nettbutikk"]


def test_it_reindexes_needs_that_were_never_indexed(org_a):
    Need.objects.bulk_create(
        [
            Need(owner=org_a, title=f"Behov {n}", description="Snerydning.", language="da")
            for n in range(3)
        ]
    )
    assert found("snerydning") == []
    search.reindex_needs()
    assert found("snerydning") == ["Behov 0", "Behov 1", "Behov 2"]


def test_it_reindexes_a_need_in_each_language(needs):
    search.reindex_needs()
    assert found("kontering") == kontering()
    assert found("barnehage") == ["Barnehagene bestiller i en tungvint nettbutikk"]
    assert found("fakturor") == ["Fakturorna konteras för hand"]


def test_it_indexes_a_need_again_without_keeping_its_old_words(needs):
    need = needs["da"]
    need.title = "Vinduespudsning"
    need.description = "Vinduerne bliver ikke pudset."
    need.save()
    search.index_need(need)
    assert found("vinduespudsning") == ["Vinduespudsning"]
    assert found("bogholderne") == []


@sqlite_only
def test_it_forgets_an_unindexed_need_on_sqlite(needs):
    search.unindex_need(needs["da"].pk)
    assert found("kontering") == []
    assert found("barnehage") == ["Barnehagene bestiller i en tungvint nettbutikk"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM needs_need_fts WHERE rowid = %s", [needs["da"].pk])
        assert cursor.fetchone() == (0,)


def test_it_does_not_find_a_deleted_need(needs):
    needs["da"].delete()
    assert "Manuel kontering af fakturaer" not in found("kontering")
