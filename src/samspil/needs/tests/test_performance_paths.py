"""The paths that keep the needs pages fast at 500,000 needs (issue 3, Performance).

A capped count, a search that stops ranking when too many match, one tsquery over every
language, similar needs from the full-text index. Timing is the benchmarks' business
(docs/benchmarks.md); these tests pin the behaviour the speed relies on.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samspil.core import web
from samspil.core.models import Visibility
from samspil.needs import queries, search, similarity
from samspil.needs.models import Need

postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="stemming is PostgreSQL's"
)


def make_need(owner, title, description="", language="nb", visibility=Visibility.PUBLIC) -> Need:
    need = Need(
        owner=owner, title=title, description=description, language=language, visibility=visibility
    )
    similarity.prepare_need(need)
    need.save()
    search.index_need(need)
    return need


@pytest.fixture
def many(org_a):
    return [
        make_need(org_a, f"Faktura nummer {n}", "Fakturaer konteres for hånd.") for n in range(7)
    ]


def test_it_counts_through_a_limited_subquery(many):
    with CaptureQueriesContext(connection) as captured:
        assert web.capped_count(Need.objects.all(), 3) == 4
        assert web.capped_count(Need.objects.all(), 100) == 7
    assert all("LIMIT" in query["sql"].upper() for query in captured)
    assert web.capped_count([1, 2, 3], 2) == 3


def test_it_counts_ids_only_leaving_out_annotations_joins_and_order(many):
    rows = (
        Need.objects.select_related("owner")
        .annotate(shown=Exists(Need.objects.filter(pk=OuterRef("pk"))))
        .order_by("-created_at")
    )
    with CaptureQueriesContext(connection) as captured:
        assert web.capped_count(rows, 100) == 7
    (sql,) = (query["sql"].upper() for query in captured)
    assert "EXISTS" not in sql and "JOIN" not in sql and "ORDER BY" not in sql


def test_it_says_more_than_the_cap_and_links_pages_within_it(client, many, monkeypatch):
    client.cookies["samspil_language"] = "en"
    monkeypatch.setattr(web, "COUNT_CAP", 4)
    monkeypatch.setattr("django.conf.settings.PAGE_SIZE", 2)
    response = client.get(reverse("needs:list"))
    page = response.context["page"]
    assert page.paginator.capped and page.paginator.count == 4
    assert page.paginator.num_pages == 2
    content = response.content.decode()
    assert "More than 4 needs" in content and "Page 1 of more than 2" in content
    last = client.get(reverse("needs:list"), {"page": "99"}).context["page"]
    assert last.number == 2


def test_it_counts_exactly_below_the_cap(client, many):
    response = client.get(reverse("needs:list"))
    paginator = response.context["page"].paginator
    assert not paginator.capped and paginator.count == 7 and paginator.num_pages == 1


def test_it_ranks_a_search_with_few_matches(org_a, many):
    listed = queries.list_needs(AnonymousUser(), text="faktura")
    assert not listed.newest_first and listed.count == 7
    assert "rank" in str(listed.rows.query).lower()


def test_it_shows_the_newest_first_when_a_search_matches_too_many(client, many, monkeypatch):
    client.cookies["samspil_language"] = "en"
    monkeypatch.setattr(queries, "SEARCH_COUNT_CAP", 3)
    response = client.get(reverse("needs:list"), {"q": "faktura"})
    assert response.context["newest_first"]
    assert [n.pk for n in response.context["page"]][:3] == [n.pk for n in reversed(many)][:3]
    content = response.content.decode()
    assert "More than 3 needs" in content and "newest first" in content


def test_it_defers_the_derived_columns(client, many):
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("needs:list"))
    listing = [
        q["sql"] for q in captured if 'FROM "needs_need"' in q["sql"] and "LIMIT" in q["sql"]
    ]
    assert listing
    for sql in listing:
        assert "search_vector" not in sql and "match_text" not in sql and '"embedding"' not in sql


@postgresql_only
def test_it_meets_stems_of_every_language_in_one_tsquery(org_a):
    plural = make_need(org_a, "Fakturaer konteres manuelt", language="nb")
    singular = make_need(org_a, "Hver faktura føres for hånd", language="nb")
    for text in ("faktura", "fakturaer"):
        titles = set(search.search(Need.objects.all(), text).values_list("title", flat=True))
        assert titles == {plural.title, singular.title}, text


@postgresql_only
def test_it_searches_with_one_indexed_condition(org_a):
    sql = str(search.search(Need.objects.all(), "faktura").query)
    assert sql.count("@@") == 1 and "simple" in sql and "norwegian" in sql
    assert '"language" =' not in sql


def test_it_takes_candidate_words_longest_first():
    words = similarity._candidate_words("Manuel kontering af fakturaer\nBogholderne koder")
    assert words[:3] == ["fakturaer", "kontering", "manuel"]
    assert "af" not in words and len(words) <= similarity.CANDIDATE_WORDS


def test_it_keeps_visibility_and_leaves_out_merged_needs_in_similar_needs(alice, org_b, dave):
    shared = make_need(org_b, "Fakturaer konteres manuelt i bydelen", visibility=Visibility.SHARED)
    public = make_need(org_b, "Fakturaer konteres for hånd i bydelen")
    merged = make_need(org_b, "Fakturaer konteres manuelt i kommunen")
    Need.objects.filter(pk=merged.pk).update(status="merged")
    similarity.reset_index()
    text = "Fakturaer konteres manuelt"
    assert {n.pk for n, _ in similarity.similar_needs(alice, text)} == {shared.pk, public.pk}
    assert {n.pk for n, _ in similarity.similar_needs(dave, text)} == {public.pk}
