"""The supplier demo: directory entries for the demo companies, a procurement in market
dialogue and interests in public targets, loaded idempotently and sensible to match."""

import pytest
from django.contrib.auth.models import AnonymousUser

from samspil.conftest import demo_loaded
from samspil.core import permissions
from samspil.core.demo import load_demo
from samspil.core.models import User
from samspil.needs.demo import load_needs_demo
from samspil.needs.models import Challenge
from samspil.procurement import supplier_queries
from samspil.procurement.models import (
    InterestStatus,
    Procurement,
    Stage,
    SupplierInterest,
    SupplierProfile,
)
from samspil.procurement.supplier_demo import (
    INTERESTS,
    PROFILES,
    PURCHASING_TITLE,
    load_suppliers_demo,
)


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    with demo_loaded(django_db_blocker, load_demo, load_needs_demo, load_suppliers_demo) as counts:
        yield counts


@pytest.fixture
def loaded(db, demo_data):
    return demo_data


def test_it_loads_the_profiles_procurement_and_interests(loaded):
    assert loaded.profiles == len(PROFILES) == SupplierProfile.objects.count()
    assert loaded.interests == len(INTERESTS) == SupplierInterest.objects.count()
    procurement = Procurement.objects.get(title=PURCHASING_TITLE)
    assert procurement.stage == Stage.PLANNING and procurement.ocid
    assert permissions.is_open_for_interest(procurement)
    assert procurement.buyers.get().organisation == procurement.owner


def test_a_second_run_creates_nothing(loaded):
    before = (SupplierProfile.objects.count(), SupplierInterest.objects.count())
    again = load_suppliers_demo()
    assert again.created == 0
    assert (SupplierProfile.objects.count(), SupplierInterest.objects.count()) == before
    assert Procurement.objects.filter(title=PURCHASING_TITLE).count() == 1


def test_the_interests_are_in_targets_open_for_interest(loaded):
    for interest in SupplierInterest.objects.select_related("procurement", "challenge"):
        target = interest.procurement or interest.challenge
        assert permissions.is_open_for_interest(target)
        if interest.status == InterestStatus.REGISTERED:
            assert interest.registered_at is not None


def test_the_demo_supplier_is_atea_and_sees_its_interest(loaded):
    supplier = User.objects.get(username="supplier")
    interests = SupplierInterest.objects.filter(
        supplier__in=permissions.company_memberships(supplier)
    )
    assert interests.filter(status=InterestStatus.REGISTERED).exists()


def test_the_matches_are_true_to_the_offers(loaded):
    officer = User.objects.get(username="procurement")
    medicine = Challenge.objects.get(title="Elektronisk medisinstøtte i hjemmetjenesten")
    names = [m.organisation.slug for m in supplier_queries.supplier_matches(officer, medicine)]
    assert names[0] == "atea"
    purchasing = Procurement.objects.get(title=PURCHASING_TITLE)
    rows = supplier_queries.supplier_matches(officer, purchasing)
    assert rows[0].organisation.slug == "rise-digital"
    assert rows[0].interest.status == InterestStatus.REGISTERED


def test_the_directory_is_public(loaded):
    rows = supplier_queries.search_profiles(AnonymousUser())
    assert {p.organisation.slug for p in rows} == {p.organisation for p in PROFILES}
