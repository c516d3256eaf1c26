"""Procurements shared by the procurement tests: alice's organisation A (Danish) buys.

``make_procurement(actor, owner, **fields)`` goes through ``services.create_procurement``,
so a procurement made here has its ocid and its lead buyer like one made on a page.
"""

import pytest
from django.conf import settings
from django.utils import translation

from samspil.core.models import Visibility
from samspil.procurement import services


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english(client):
    """Pages and messages in English, whatever an earlier test left active."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def make_procurement(actor, owner, title="Biological light in care homes", **fields):
    values = {
        "description": "Light that follows the day's rhythm for residents of care homes.",
        "visibility": Visibility.PUBLIC,
    }
    values.update(fields)
    return services.create_procurement(actor, owner, title=title, **values)


@pytest.fixture
def procurement(alice, org_a):
    return make_procurement(alice, org_a)


@pytest.fixture
def internal_procurement(alice, org_a):
    return make_procurement(alice, org_a, title="Internal purchase", visibility="internal")
