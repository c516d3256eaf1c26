"""The demo needs: the seeds' cases in their own languages, near-duplicates, safe to run twice."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from samspil.core.demo import load_demo
from samspil.core.models import User
from samspil.needs import similarity
from samspil.needs.demo import CHALLENGES, NEEDS, MissingDemoData, load_needs_demo
from samspil.needs.models import (
    Challenge,
    ChallengeCoOwner,
    Comment,
    Endorsement,
    Need,
    NeedStatus,
)


@pytest.fixture
def loaded(db):
    load_demo()
    similarity.reset_index()
    yield load_needs_demo()
    similarity.reset_index()


def need(key: str) -> Need:
    data = next(d for d in NEEDS if d.key == key)
    return Need.objects.get(owner__slug=data.owner, title=data.title)


def row_counts() -> tuple[int, ...]:
    return (
        Need.objects.count(),
        Endorsement.objects.count(),
        Comment.objects.count(),
        Challenge.objects.count(),
        ChallengeCoOwner.objects.count(),
        User.objects.count(),
        Need.history.count(),
        Challenge.history.count(),
    )


def test_it_loads_every_need_and_challenge(loaded):
    assert loaded.needs == len(NEEDS) == Need.objects.count()
    assert loaded.challenges == len(CHALLENGES) == Challenge.objects.count()
    assert loaded.endorsements == Endorsement.objects.count()
    assert loaded.comments == Comment.objects.count()
    assert set(Need.objects.values_list("language", flat=True)) == {"da", "nb", "sv"}


def test_it_needs_the_core_demo_first(db):
    with pytest.raises(MissingDemoData):
        load_needs_demo()


def test_it_is_idempotent_and_writes_no_history_twice(loaded):
    before = row_counts()
    again = load_needs_demo()
    assert row_counts() == before
    assert (again.created, again.updated, again.derived) == (0, 0, 0)
    duplicates = Need.objects.values("owner", "title").annotate(n=Count("id")).filter(n__gt=1)
    assert not duplicates.exists()


def test_it_puts_back_what_someone_changed(loaded):
    changed = need("alna-faktura")
    Need.objects.filter(pk=changed.pk).update(status=NeedStatus.NEW, description="x")
    again = load_needs_demo()
    changed.refresh_from_db()
    assert changed.status == NeedStatus.ACCEPTED
    assert changed.description.startswith("Økonomimedarbeiderne")
    assert again.updated == 1 and again.derived == 1


def test_it_every_need_has_its_derived_fields(loaded):
    assert not Need.objects.filter(match_text="").exists()


def test_it_has_every_status_and_a_merge_with_its_survivor(loaded):
    assert set(Need.objects.values_list("status", flat=True)) == set(NeedStatus.values)
    merged = need("stovner-faktura")
    assert merged.status == NeedStatus.MERGED
    assert merged.merged_into == need("alna-faktura")
    assert merged.status_reason == ""  # "Merged into …" is rendered in the reader's language
    rejected = Need.objects.get(status=NeedStatus.REJECTED)
    assert rejected.status_reason


def test_it_endorsements_come_from_other_public_organisations(loaded):
    for endorsement in Endorsement.objects.select_related("need", "organisation"):
        assert endorsement.organisation_id != endorsement.need.owner_id
        assert endorsement.organisation.is_public_sector
    counted = need("alna-faktura").endorsements.values_list("organisation__country", flat=True)
    assert {"DK", "SE"} <= set(counted)


def test_it_scaling_candidates_have_several_owners(loaded):
    candidates = Challenge.objects.filter(is_scaling_candidate=True)
    assert set(candidates.values_list("title", flat=True)) == {
        "Biologisk lys til ældre på plejehjem",
        "Emissionsfrie arbejdsmaskiner på offentlige byggepladser",
        "Mindre råstofforbrug i anlægsprojekter",
    }
    light = candidates.get(title__startswith="Biologisk lys")
    assert light.owner.slug == "aarhus"
    assert list(light.co_owners.values_list("organisation__slug", "status")) == [
        ("kobenhavn", "accepted")
    ]
    machines = candidates.get(title__startswith="Emissionsfrie")
    assert machines.co_owners.filter(status="accepted").count() >= 4
    ai = Challenge.objects.get(title__startswith="Beslutningsstøtte")
    assert not ai.is_scaling_candidate and not ai.co_owners.exists()


@pytest.mark.parametrize(
    ("key", "neighbours"),
    [
        # Same need told in Danish, Norwegian and Swedish by different organisations.
        ("frb-fakturakontering", {"alna-faktura", "hbg-fakturor"}),
        ("aarhus-lys", {"kbh-lys", "stovner-lys", "hbg-ljus"}),
        ("hbg-lakemedel", {"oslo-medisin", "kbh-medicin"}),
        ("hbg-lokaler", {"kbh-lokaler", "alna-lokaler"}),
    ],
)
def test_it_near_duplicates_are_found_across_languages(loaded, key, neighbours):
    user = User.objects.get(username="demo")
    source = need(key)
    found = similarity.similar_needs(
        user, similarity.need_text(source.title, source.description), exclude_id=source.pk, limit=5
    )
    found_ids = {match.pk for match, _score in found}
    expected = {need(other).pk for other in neighbours}
    # At least two of the translations are among the five most similar needs.
    assert len(found_ids & expected) >= min(2, len(expected)), [m.title for m, _ in found]
    languages = {match.language for match, _ in found if match.pk in expected}
    assert languages - {source.language}


def test_it_command_loads_the_needs_after_the_organisations(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Demo needs: " in out.getvalue()
    assert Need.objects.count() == len(NEEDS)
