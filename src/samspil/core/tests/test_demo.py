"""The demo loader: the seeds' organisations, one sign-in per role, and safe to run twice."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Count

from samspil.core.demo import ORGANISATIONS, PEOPLE, load_demo
from samspil.core.models import (
    CURRENCY_OF_COUNTRY,
    Membership,
    Organisation,
    Role,
    User,
    Visibility,
)

COPENHAGEN_DEPARTMENTS = {
    "Økonomiforvaltningen",
    "Børne- og Ungdomsforvaltningen",
    "Kultur- og Fritidsforvaltningen",
    "Sundheds- og Omsorgsforvaltningen",
    "Socialforvaltningen",
    "Teknik- og Miljøforvaltningen",
    "Beskæftigelses- og Integrationsforvaltningen",
}


@pytest.fixture
def loaded(db):
    return load_demo()


def row_counts() -> tuple[int, int, int, int]:
    return (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Membership.roles.through.objects.count(),
    )


def roles_of(username: str, slug: str) -> set[str]:
    membership = Membership.objects.get(user__username=username, organisation__slug=slug)
    return set(membership.roles.values_list("code", flat=True))


def test_it_loads_every_organisation_and_person(loaded):
    assert loaded.organisations == len(ORGANISATIONS) == Organisation.objects.count()
    assert loaded.users == len(PEOPLE) == User.objects.count()
    assert loaded.memberships == Membership.objects.count()
    assert loaded.created == loaded.organisations + loaded.users + loaded.memberships


def test_it_is_idempotent(loaded):
    before = row_counts()
    again = load_demo()
    assert row_counts() == before
    assert (again.created, again.updated) == (0, 0)
    duplicates = Membership.objects.values("user", "organisation").annotate(n=Count("id"))
    assert not duplicates.filter(n__gt=1).exists()


def test_it_writes_no_history_on_a_second_run(loaded):
    before = (Organisation.history.count(), User.history.count(), Membership.history.count())
    load_demo()
    after = (Organisation.history.count(), User.history.count(), Membership.history.count())
    assert after == before


def test_it_puts_back_what_someone_changed(loaded):
    Organisation.objects.filter(slug="kobenhavn").update(name="Renamed")
    Membership.objects.get(user__username="demo", organisation__slug="kobenhavn").roles.clear()
    again = load_demo()
    assert Organisation.objects.get(slug="kobenhavn").name == "Københavns Kommune"
    assert roles_of("demo", "kobenhavn") == {Role.Code.INNOVATION_LEAD}
    assert again.updated == 2


def test_it_puts_seven_departments_and_innovationshuset_under_copenhagen(loaded):
    copenhagen = Organisation.objects.get(name="Københavns Kommune")
    departments = set(copenhagen.children.filter(kind="department").values_list("name", flat=True))
    assert departments == COPENHAGEN_DEPARTMENTS | {"Innovationshuset"}


def test_it_puts_alna_stovner_and_uke_under_oslo(loaded):
    oslo = Organisation.objects.get(name="Oslo kommune")
    children = dict(oslo.children.values_list("name", "kind"))
    assert children == {
        "Bydel Alna": "district",
        "Bydel Stovner": "district",
        "Utviklings- og kompetanseetaten (UKE)": "department",
    }


def test_it_makes_every_organisation_public_in_its_own_currency(loaded):
    for organisation in Organisation.objects.all():
        assert organisation.visibility == Visibility.PUBLIC
        assert organisation.currency == CURRENCY_OF_COUNTRY[organisation.country]
        assert organisation.description


def test_it_loads_the_helsingborg_hub_partners_as_companies(loaded):
    companies = set(
        Organisation.objects.filter(country="SE", kind="company").values_list("slug", flat=True)
    )
    assert {"oresundskraft", "atea", "sogeti"} <= companies


def test_it_lets_demo_sign_in_as_innovation_lead_in_copenhagen(loaded, rf):
    # django-axes needs the request to count failed attempts.
    user = authenticate(rf.post("/accounts/login/"), username="demo", password="demo")
    assert user is not None
    assert user.email == "demo@demo.samspil.local"
    assert roles_of("demo", "kobenhavn") == {Role.Code.INNOVATION_LEAD}
    assert Membership.objects.filter(user=user).count() == 2


def test_it_restores_a_changed_demo_password(loaded, rf):
    user = User.objects.get(username="demo")
    user.set_password("something else")
    user.save()
    load_demo()
    assert authenticate(rf.post("/accounts/login/"), username="demo", password="demo") == user


# (user name, organisation slug, role, language) of the sign-ins besides demo.
SIGN_INS_BY_ROLE = [
    ("member", "kobenhavn-sof", Role.Code.MEMBER, "da"),
    ("procurement", "kobenhavn", Role.Code.PROCUREMENT_OFFICER, "da"),
    ("board", "oslo", Role.Code.BOARD_MEMBER, "nb"),
    ("admin", "kobenhavn", Role.Code.ADMIN, "da"),
    ("oslo", "oslo-uke", Role.Code.INNOVATION_LEAD, "nb"),
    ("helsingborg", "helsingborg", Role.Code.INNOVATION_LEAD, "sv"),
    ("supplier", "atea", Role.Code.MEMBER, "sv"),
]


def test_it_has_a_demo_sign_in_for_each_role(loaded, rf):
    # One load for all the sign-ins: a load per case would make this the slowest test.
    for username, slug, role, language in SIGN_INS_BY_ROLE:
        user = authenticate(rf.post("/accounts/login/"), username=username, password=username)
        assert user is not None, username
        assert user.language == language, username
        # A membership is the member role; only the roles above it are stored.
        expected = set() if role == Role.Code.MEMBER else {role}
        assert roles_of(username, slug) == expected, username
    assert {role for _, _, role, _ in SIGN_INS_BY_ROLE} == set(Role.Code)


def test_it_gives_the_people_from_the_seeds_no_password(loaded):
    person = User.objects.get(username="diana.arsovic")
    assert not person.has_usable_password()
    assert roles_of("diana.arsovic", "kobenhavn-innovationshuset") == {Role.Code.INNOVATION_LEAD}


def test_it_prints_the_sign_ins(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    lines = out.getvalue().splitlines()
    assert any(line.split()[:2] == ["demo", "demo"] for line in lines if line.strip())
    assert any("Københavns Kommune › Socialforvaltningen" in line for line in lines)
