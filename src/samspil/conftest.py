"""The personas every test speaks of (STYLE.md).

- alice: innovation lead in organisation A (a municipality)
- bob: member of A
- charlie: member of organisation B (another municipality)
- dave: supplier, member of company C
- erin: organisation admin of A
- an anonymous visitor: Django's test client without a login
"""

import threading
from contextlib import contextmanager

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.test import override_settings
from django.utils import translation

from samspil.browser_testing import (  # noqa: F401  (fixtures)
    browser,
    browser_page,
    restore_migration_rows,
)
from samspil.core.models import Invitation, Membership, Organisation, Role, User, Visibility


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def english(client):
    """Pages and messages in English, whatever an earlier test left active; an app's
    conftest makes it autouse with ``@pytest.fixture(autouse=True) def _english(english)``."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def make_user(username: str, **extra) -> User:
    user = User.objects.create_user(
        username=username,
        email=f"{username}@example.org",
        password="correct horse battery staple",
        first_name=username.capitalize(),
        **extra,
    )
    return user


def add_member(user: User, organisation: Organisation, *role_codes: str) -> Membership:
    membership = Membership.objects.create(user=user, organisation=organisation)
    membership.roles.set(Role.objects.filter(code__in=role_codes))
    return membership


def make_invitation(organisation: Organisation, email: str, **extra) -> tuple[Invitation, str]:
    """An invitation row and the secret of its link (the row keeps only a digest)."""
    token, digest = Invitation.new_token()
    invitation = Invitation.objects.create(
        organisation=organisation, email=email, token_digest=digest, **extra
    )
    return invitation, token


@pytest.fixture
def org_a(db) -> Organisation:
    return Organisation.objects.create(
        name="Arby Kommune", slug="arby", kind="municipality", country="DK", currency="DKK"
    )


@pytest.fixture
def org_a_department(org_a) -> Organisation:
    return Organisation.objects.create(
        name="Arby Socialforvaltning",
        slug="arby-social",
        kind="department",
        country="DK",
        currency="DKK",
        parent=org_a,
        visibility=Visibility.INTERNAL,
    )


@pytest.fixture
def org_b(db) -> Organisation:
    return Organisation.objects.create(
        name="Bergvik kommune", slug="bergvik", kind="municipality", country="NO", currency="NOK"
    )


@pytest.fixture
def org_c(db) -> Organisation:
    return Organisation.objects.create(
        name="Cobalt Software ApS", slug="cobalt", kind="company", country="DK", currency="DKK"
    )


@pytest.fixture
def alice(org_a) -> User:
    user = make_user("alice")
    add_member(user, org_a, Role.Code.INNOVATION_LEAD)
    return user


@pytest.fixture
def bob(org_a) -> User:
    user = make_user("bob")
    add_member(user, org_a)
    return user


@pytest.fixture
def charlie(org_b) -> User:
    user = make_user("charlie", language="nb")
    add_member(user, org_b)
    return user


@pytest.fixture
def dave(org_c) -> User:
    user = make_user("dave")
    add_member(user, org_c)
    return user


@pytest.fixture
def erin(org_a) -> User:
    user = make_user("erin")
    add_member(user, org_a, Role.Code.ADMIN)
    return user


@pytest.fixture
def client_for(client):
    """``client_for(alice)`` returns a test client signed in as alice."""

    def sign_in(user: User):
        client.force_login(user, backend="samspil.core.auth.EmailOrUsernameBackend")
        return client

    return sign_in


def at_once(calls) -> list:
    """Run each call in its own thread, all released together; their results or errors.
    The threads need their own connections and real commits (``transaction=True``)."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[i] = calls[i]()
        except Exception as error:  # the test inspects every outcome
            outcomes[i] = error
        finally:
            connection.close()  # each thread has its own connection; the test database is dropped

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


@pytest.fixture
def migration_rows(transactional_db):
    """An earlier transactional test's flush also removed the roles the personas need."""
    restore_migration_rows()


@contextmanager
def demo_loaded(django_db_blocker, *loaders, **settings):
    """For a module-scoped fixture: run the demo ``loaders`` in order once, inside a
    transaction rolled back after the module, with cheap password hashing and any other
    ``settings``; yields what the last loader returned. The needs' similarity index (kept
    in the process on SQLite) is reset before and after."""
    from samspil.needs import similarity

    similarity.reset_index()
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        override_settings(PASSWORD_HASHERS=hashers, **settings),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        *first, last = loaders
        for load in first:
            load()
        yield last()
        transaction.set_rollback(True)
    similarity.reset_index()
