from datetime import time

import pytest

from samspil.hub.models import Competence, PoolMember, ResourceKind, WhoMayBook

from .factories import COACH, make_resource, member


@pytest.fixture(autouse=True)
def _english(english):
    """Every test here reads pages and messages in English."""


@pytest.fixture
def room(alice, org_a):
    return make_resource(alice, org_a)


@pytest.fixture
def hall(alice, org_a):
    return make_resource(
        alice,
        org_a,
        "School hall",
        kind=ResourceKind.CITY_PREMISES,
        capacity=200,
        who_may_book=WhoMayBook.PUBLIC_SECTOR,
        requires_approval=True,
        opening_hours=[(day, time(17), time(22)) for day in range(5)],
    )


@pytest.fixture
def bobs(org_a, bob) -> PoolMember:
    return member(org_a, bob, available=50, competences=(COACH, Competence.DEVELOPER))
