"""load_scale: reproducible generated data in three languages, and --clear removes only it."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from samspil.core.models import Membership, Organisation, User
from samspil.matching import normalise
from samspil.needs import search
from samspil.needs.models import Comment, Endorsement, Need
from samspil.needs.scale import PREFIX, ScaleOptions, clear, load_scale

SMALL = ScaleOptions(organisations=5, needs=200, seed=1, batch=64)


def snapshot() -> list[tuple]:
    return list(
        Need.objects.order_by("created_at", "title").values_list(
            "owner__slug", "title", "language", "status", "visibility", "created_at"
        )
    )


def test_it_generates_organisations_people_and_needs(db):
    counts = load_scale(SMALL)
    assert counts.organisations == Organisation.objects.filter(slug__startswith=PREFIX).count()
    assert counts.organisations == 5
    assert counts.needs == Need.objects.count() == 200
    assert counts.users == User.objects.filter(username__startswith=PREFIX).count() > 5
    assert Membership.objects.filter(user__username__startswith=PREFIX).count() == counts.users
    assert counts.endorsements == Endorsement.objects.count() > 0
    assert counts.comments == Comment.objects.count() > 0
    assert set(Need.objects.values_list("language", flat=True)) <= {"da", "nb", "sv"}
    sample = Need.objects.order_by("pk").first()
    assert sample.match_text == normalise(f"{sample.title}\n{sample.description}")
    assert sample.themes.exists()
    # Endorsements never come from the need's own organisation tree.
    for endorsement in Endorsement.objects.select_related("need__owner", "organisation")[:50]:
        assert endorsement.organisation.pk != endorsement.need.owner.pk
        assert endorsement.organisation.parent_id is None


def test_it_search_index_covers_the_generated_needs(db):
    load_scale(ScaleOptions(organisations=5, needs=300, seed=3, batch=100))
    invoices = Need.objects.filter(title__icontains="faktur")
    assert invoices.exists()
    assert search.search(Need.objects.all(), "faktura").exists()


def test_it_same_seed_gives_the_same_data(db):
    load_scale(SMALL)
    first = snapshot()
    clear()
    load_scale(SMALL)
    assert snapshot() == first
    clear()
    load_scale(ScaleOptions(organisations=5, needs=200, seed=2, batch=64))
    assert snapshot() != first


def test_it_clear_removes_only_generated_data(db, org_a, alice):
    own = Need.objects.create(owner=org_a, title="Vores eget behov", description="Tekst")
    load_scale(SMALL)
    removed = clear()
    assert removed["needs"] == 200 and removed["organisations"] == 5
    assert list(Need.objects.all()) == [own]
    assert not Organisation.objects.filter(slug__startswith=PREFIX).exists()
    assert not User.objects.filter(username__startswith=PREFIX).exists()
    assert Organisation.objects.filter(pk=org_a.pk).exists()
    assert User.objects.filter(pk=alice.pk).exists()


def test_it_refuses_to_generate_twice(db):
    load_scale(SMALL)
    with pytest.raises(RuntimeError):
        load_scale(SMALL)


def test_it_command(db):
    out = StringIO()
    call_command("load_scale", "--organisations", "5", "--needs", "50", "--batch", "20", stdout=out)
    assert "Generated 5 organisations" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("load_scale", "--organisations", "5", "--needs", "50", stdout=StringIO())
    call_command("load_scale", "--clear", stdout=out)
    assert "50 needs" in out.getvalue()
    assert not Need.objects.exists()
