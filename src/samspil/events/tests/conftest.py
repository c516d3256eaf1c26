"""Events shared by the events tests: alice's organisation A runs them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from samspil.core.models import Visibility
from samspil.events import services
from samspil.events.models import EventKind


@pytest.fixture(autouse=True)
def _english(english):
    """Every test here reads pages and messages in English (the root conftest's fixture)."""


def make_event(actor, owner, title="Co-creation on purchasing", **fields):
    start = timezone.now() + timedelta(days=14)
    values = {
        "title": title,
        "kind": EventKind.CO_CREATION_WORKSHOP,
        "place": "Innovationshuset, Halmtorvet",
        "starts_at": start,
        "ends_at": start + timedelta(hours=4),
        "capacity": 2,
        "visibility": Visibility.PUBLIC,
        "agenda": "Welcome\nGroup work\nPresentations",
        "terms": "",
    }
    values.update(fields)
    return services.create_event(actor, owner, **values)


def register(event, email, user=None, **fields):
    values = {
        "name": email.split("@")[0].capitalize(),
        "email": email,
        "background": "supplier",
        "accepted_terms": True,
    }
    values.update(fields)
    return services.register(user, event, **values)


@pytest.fixture
def public_event(alice, org_a):
    return make_event(alice, org_a)


@pytest.fixture
def internal_event(alice, org_a):
    return make_event(alice, org_a, "Internal reform group", visibility=Visibility.INTERNAL)
