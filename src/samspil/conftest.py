"""The personas every test speaks of (STYLE.md).

- alice: innovation lead in organisation A (a municipality)
- bob: member of A
- charlie: member of organisation B (another municipality)
- dave: supplier, member of company C
- erin: organisation admin of A
- an anonymous visitor: Django's test client without a login
"""

import pytest

from samspil.browser_testing import browser, browser_page  # noqa: F401  (fixtures)
from samspil.core.models import Invitation, Membership, Organisation, Role, User, Visibility


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
