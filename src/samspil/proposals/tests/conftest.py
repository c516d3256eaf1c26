"""Proposals shared by the proposals tests: alice's organisation A (Danish) writes them.

``make_proposal(actor, owner, **fields)`` goes through ``services.create_proposal``, so a
proposal made here has its template's sections and consultations like one made on a page.
"""

import pytest
from django.conf import settings
from django.utils import translation

from samspil.core.models import Visibility
from samspil.proposals import services


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english(client):
    """Pages and messages in English, so that text assertions hold in any language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def make_proposal(actor, owner, title="Hackathons as market dialogue", **fields):
    values = {
        "summary": "Three hackathons with external partners in 2021.",
        "price_level_year": 2021,
        "first_year": 2020,
        "last_year": 2025,
        "visibility": Visibility.PUBLIC,
    }
    values.update(fields)
    return services.create_proposal(actor, owner, title=title, **values)


@pytest.fixture
def proposal(alice, org_a):
    return make_proposal(alice, org_a)


@pytest.fixture
def internal_proposal(alice, org_a):
    return make_proposal(alice, org_a, title="Internal business case", visibility="internal")
