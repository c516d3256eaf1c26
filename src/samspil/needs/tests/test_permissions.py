"""Who sees, triages, edits, comments on and endorses needs; who sees and edits challenges."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from samspil.conftest import add_member, make_user
from samspil.core import permissions
from samspil.core.models import Organisation, Role, Visibility
from samspil.needs.models import Challenge, ChallengeCoOwner, Need, NeedStatus


def make_need(owner, title, visibility=Visibility.INTERNAL, **extra) -> Need:
    return Need.objects.create(
        owner=owner, title=title, description=f"{title}.", visibility=visibility, **extra
    )


def make_challenge(owner, title, visibility=Visibility.INTERNAL, **extra) -> Challenge:
    return Challenge.objects.create(
        owner=owner, title=title, problem_statement=f"{title}.", visibility=visibility, **extra
    )


@pytest.fixture
def needs(org_a, org_a_department) -> dict[str, Need]:
    """Internal, shared and public needs of organisation A and of its department."""
    found = {}
    for owner_key, owner in [("a", org_a), ("department", org_a_department)]:
        for visibility in Visibility.values:
            found[f"{owner_key}_{visibility}"] = make_need(
                owner, f"{owner_key} {visibility}", visibility
            )
    found["a_internal_for_department"] = make_need(
        org_a, "a internal for the department", department=org_a_department
    )
    return found


@pytest.fixture
def frida(org_a_department):
    """A member of A's department only."""
    user = make_user("frida")
    add_member(user, org_a_department)
    return user


@pytest.fixture
def org_s(db) -> Organisation:
    return Organisation.objects.create(
        name="Sjöstad kommun", slug="sjostad", kind="municipality", country="SE", currency="SEK"
    )


@pytest.fixture
def hanne(org_b):
    """An innovation lead of organisation B."""
    user = make_user("hanne", language="nb")
    add_member(user, org_b, Role.Code.INNOVATION_LEAD)
    return user


def visible_titles(user) -> set[str]:
    return set(permissions.needs_visible_to(user).values_list("title", flat=True))


ALL_NEEDS = {
    "a internal",
    "a shared",
    "a public",
    "department internal",
    "department shared",
    "department public",
    "a internal for the department",
}
SHARED_AND_PUBLIC = {"a shared", "a public", "department shared", "department public"}
PUBLIC = {"a public", "department public"}


# needs_visible_to --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "bob", "erin"])
def test_it_shows_organisation_a_every_need_of_its_own_and_of_its_department(
    persona, request, needs
):
    assert visible_titles(request.getfixturevalue(persona)) == ALL_NEEDS


def test_it_shows_charlie_of_another_municipality_only_shared_and_public_needs(charlie, needs):
    assert visible_titles(charlie) == SHARED_AND_PUBLIC


def test_it_shows_dave_the_supplier_only_public_needs(dave, needs):
    assert visible_titles(dave) == PUBLIC


def test_it_shows_an_anonymous_visitor_only_public_needs(needs):
    assert visible_titles(AnonymousUser()) == PUBLIC


def test_it_shows_a_department_member_the_departments_needs_but_not_a_internal_ones(frida, needs):
    assert visible_titles(frida) == SHARED_AND_PUBLIC | {
        "department internal",
        "a internal for the department",
    }


def test_it_shows_a_superuser_every_need(needs):
    root = make_user("root", is_superuser=True)
    assert visible_titles(root) == ALL_NEEDS


def test_it_always_shows_the_reporter_their_own_need(org_a, needs):
    # Gus reported an internal need and has since left organisation A.
    gus = make_user("gus")
    make_need(org_a, "gus's own", submitted_by=gus)
    assert visible_titles(gus) == PUBLIC | {"gus's own"}


def test_it_lists_each_need_once(alice, org_a, org_a_department):
    make_need(org_a_department, "both ways", submitted_by=alice, department=org_a_department)
    assert permissions.needs_visible_to(alice).count() == 1


# get_need_for_user -------------------------------------------------------------------------------


def test_it_gives_alice_her_organisations_internal_need(alice, needs):
    need = needs["a_internal"]
    assert permissions.get_need_for_user(alice, need.pk) == need


@pytest.mark.parametrize("persona", ["charlie", "dave"])
def test_it_gives_404_for_an_internal_need_of_another_organisation(persona, request, needs):
    with pytest.raises(Http404):
        permissions.get_need_for_user(request.getfixturevalue(persona), needs["a_internal"].pk)


def test_it_gives_an_anonymous_visitor_404_for_a_shared_need(needs):
    with pytest.raises(Http404):
        permissions.get_need_for_user(AnonymousUser(), needs["a_shared"].pk)


@pytest.mark.parametrize("pk", [0, 999999, "abc", None, "1; DROP TABLE needs_need"])
def test_it_gives_404_for_a_need_that_does_not_exist(alice, needs, pk):
    with pytest.raises(Http404):
        permissions.get_need_for_user(alice, pk)


# can_triage_need ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("alice", True), ("erin", True), ("bob", False), ("charlie", False), ("dave", False)],
)
def test_it_lets_only_innovation_leads_and_admins_of_a_triage(persona, expected, request, needs):
    user = request.getfixturevalue(persona)
    assert permissions.can_triage_need(user, needs["a_shared"]) is expected


def test_it_lets_an_anonymous_visitor_triage_nothing(needs):
    assert not permissions.can_triage_need(AnonymousUser(), needs["a_public"])


def test_it_lets_alice_triage_the_needs_of_the_department_below_a(alice, needs):
    assert permissions.can_triage_need(alice, needs["department_internal"])


def test_it_does_not_let_a_department_lead_triage_the_needs_of_the_organisation_above(
    org_a_department, needs
):
    lead = make_user("lead")
    add_member(lead, org_a_department, Role.Code.INNOVATION_LEAD)
    assert permissions.can_triage_need(lead, needs["department_internal"])
    assert not permissions.can_triage_need(lead, needs["a_internal"])


@pytest.fixture
def org_a_sibling(org_a) -> Organisation:
    return Organisation.objects.create(
        name="Arby Teknik",
        slug="arby-teknik",
        kind="department",
        country="DK",
        currency="DKK",
        parent=org_a,
    )


def lead_of(organisation, username="lead"):
    user = make_user(username)
    add_member(user, organisation, Role.Code.INNOVATION_LEAD)
    return user


def test_it_lets_a_department_lead_triage_a_need_a_owns_for_the_department(org_a_department, needs):
    lead = lead_of(org_a_department)
    need = needs["a_internal_for_department"]
    assert permissions.can_triage_need(lead, need)
    assert set(permissions.needs_triaged_by(lead)) == {
        need,
        *[needs[f"department_{v}"] for v in Visibility.values],
    }


def test_it_lets_a_department_admin_triage_a_need_a_owns_for_the_department(
    org_a_department, needs
):
    admin = make_user("admin")
    add_member(admin, org_a_department, Role.Code.ADMIN)
    assert permissions.can_triage_need(admin, needs["a_internal_for_department"])


def test_it_lets_the_lead_of_an_organisation_above_the_department_triage(org_a_department, needs):
    team = Organisation.objects.create(
        name="Arby Social Team",
        slug="arby-social-team",
        kind="department",
        country="DK",
        currency="DKK",
        parent=org_a_department,
    )
    need = make_need(needs["a_internal"].owner, "for the team", department=team)
    lead = lead_of(org_a_department)
    assert permissions.can_triage_need(lead, need)
    assert need in permissions.needs_triaged_by(lead)


def test_it_does_not_let_a_sibling_departments_lead_triage_the_department_s_needs(
    org_a_sibling, needs
):
    lead = lead_of(org_a_sibling)
    for need in needs.values():
        assert not permissions.can_triage_need(lead, need)
    assert not permissions.needs_triaged_by(lead).exists()


def test_it_does_not_let_a_department_member_triage_its_needs(frida, needs):
    assert not permissions.can_triage_need(frida, needs["a_internal_for_department"])
    assert not permissions.needs_triaged_by(frida).exists()


def test_it_lets_alice_triage_every_need_of_a_and_its_departments(alice, needs):
    assert set(permissions.needs_triaged_by(alice)) == set(needs.values())


def test_it_does_not_let_another_organisations_lead_triage_a_shared_need(hanne, needs):
    assert not permissions.can_triage_need(hanne, needs["a_shared"])


# can_edit_need -----------------------------------------------------------------------------------


def test_it_lets_the_reporter_edit_a_new_need(bob, org_a):
    need = make_need(org_a, "Bob's need", submitted_by=bob)
    assert permissions.can_edit_need(bob, need)


@pytest.mark.parametrize("status", [s for s in NeedStatus.values if s != NeedStatus.NEW], ids=str)
def test_it_stops_the_reporter_editing_once_the_need_was_triaged(bob, org_a, status):
    need = make_need(org_a, "Bob's need", submitted_by=bob, status=status)
    assert not permissions.can_edit_need(bob, need)


def test_it_lets_alice_edit_any_need_of_a_whatever_its_status(alice, bob, org_a):
    need = make_need(org_a, "Bob's need", submitted_by=bob, status=NeedStatus.ACCEPTED)
    assert permissions.can_edit_need(alice, need)


@pytest.mark.parametrize("persona", ["bob", "charlie", "dave"])
def test_it_does_not_let_others_edit_a_need_they_did_not_report(persona, request, needs):
    assert not permissions.can_edit_need(request.getfixturevalue(persona), needs["a_public"])


def test_it_does_not_let_an_anonymous_visitor_edit_a_need(needs):
    assert not permissions.can_edit_need(AnonymousUser(), needs["a_public"])


# can_comment_need --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "bob", "erin"])
def test_it_lets_organisation_a_comment_on_its_internal_needs(persona, request, needs):
    assert permissions.can_comment_need(request.getfixturevalue(persona), needs["a_internal"])


def test_it_lets_charlie_comment_on_a_shared_need_of_a(charlie, needs):
    assert permissions.can_comment_need(charlie, needs["a_shared"])


def test_it_does_not_let_charlie_comment_on_an_internal_need_he_cannot_see(charlie, needs):
    assert not permissions.can_comment_need(charlie, needs["a_internal"])


def test_it_lets_a_department_member_comment_on_as_need_for_the_department(frida, needs):
    assert permissions.can_comment_need(frida, needs["a_internal_for_department"])
    assert not permissions.can_comment_need(frida, needs["a_internal"])


def test_it_does_not_let_a_supplier_comment_even_on_a_public_need(dave, needs):
    assert not permissions.can_comment_need(dave, needs["a_public"])


def test_it_does_not_let_an_anonymous_visitor_comment(needs):
    assert not permissions.can_comment_need(AnonymousUser(), needs["a_public"])


# endorsing_organisations -------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["a_shared", "a_public", "department_shared"])
def test_it_lets_charlie_endorse_a_shared_or_public_need_for_organisation_b(
    charlie, org_b, needs, key
):
    assert permissions.endorsing_organisations(charlie, needs[key]) == [org_b]


def test_it_offers_no_endorsement_of_an_internal_need(charlie, needs):
    assert permissions.endorsing_organisations(charlie, needs["a_internal"]) == []


@pytest.mark.parametrize("key", ["a_shared", "department_shared"])
def test_it_offers_bob_no_endorsement_of_his_own_organisations_need(bob, needs, key):
    assert permissions.endorsing_organisations(bob, needs[key]) == []


def test_it_offers_dave_no_endorsement_since_a_company_does_not_endorse(dave, needs):
    assert permissions.endorsing_organisations(dave, needs["a_public"]) == []


def test_it_offers_an_anonymous_visitor_no_endorsement(needs):
    assert permissions.endorsing_organisations(AnonymousUser(), needs["a_public"]) == []


def test_it_offers_only_the_other_organisations_of_someone_in_several(
    charlie, org_a, org_b, org_s, needs
):
    add_member(charlie, org_a)
    add_member(charlie, org_s)
    organisations = permissions.endorsing_organisations(charlie, needs["a_shared"])
    assert sorted(o.slug for o in organisations) == ["bergvik", "sjostad"]


# Challenges --------------------------------------------------------------------------------------


@pytest.fixture
def challenges(org_a, org_b):
    return {
        "a_internal": make_challenge(org_a, "a internal"),
        "a_shared": make_challenge(org_a, "a shared", Visibility.SHARED),
        "a_public": make_challenge(org_a, "a public", Visibility.PUBLIC),
        "b_internal": make_challenge(org_b, "b internal"),
    }


def visible_challenges(user) -> set[str]:
    return set(permissions.challenges_visible_to(user).values_list("title", flat=True))


def test_it_shows_each_persona_the_challenges_it_may_see(alice, bob, charlie, dave, challenges):
    assert visible_challenges(alice) == {"a internal", "a shared", "a public"}
    assert visible_challenges(bob) == {"a internal", "a shared", "a public"}
    assert visible_challenges(charlie) == {"a shared", "a public", "b internal"}
    assert visible_challenges(dave) == {"a public"}
    assert visible_challenges(AnonymousUser()) == {"a public"}


@pytest.mark.parametrize("status", ["invited", "accepted", "declined"])
def test_it_shows_an_internal_challenge_to_an_organisation_asked_to_co_own_it(
    charlie, org_b, challenges, status
):
    ChallengeCoOwner.objects.create(
        challenge=challenges["a_internal"], organisation=org_b, status=status
    )
    assert "a internal" in visible_challenges(charlie)


def test_it_lists_a_challenge_with_several_co_owners_once(charlie, org_b, org_s, challenges):
    for organisation in (org_b, org_s):
        ChallengeCoOwner.objects.create(challenge=challenges["a_shared"], organisation=organisation)
    assert permissions.challenges_visible_to(charlie).filter(title="a shared").count() == 1


def test_it_gives_404_for_another_organisations_internal_challenge(charlie, challenges):
    with pytest.raises(Http404):
        permissions.get_challenge_for_user(charlie, challenges["a_internal"].pk)
    with pytest.raises(Http404):
        permissions.get_challenge_for_user(charlie, "not a number")
    assert permissions.get_challenge_for_user(charlie, challenges["b_internal"].pk)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("alice", True), ("erin", True), ("bob", False), ("charlie", False), ("dave", False)],
)
def test_it_lets_only_leads_and_admins_create_a_challenge_for_a(persona, expected, request, org_a):
    assert permissions.can_create_challenge(request.getfixturevalue(persona), org_a) is expected


def test_it_lets_alice_create_a_challenge_for_the_department_below_a(alice, org_a_department):
    assert permissions.can_create_challenge(alice, org_a_department)


def test_it_does_not_let_alice_create_a_challenge_for_another_organisation(alice, org_b):
    assert not permissions.can_create_challenge(alice, org_b)


def test_it_does_not_let_an_anonymous_visitor_create_a_challenge(org_a):
    assert not permissions.can_create_challenge(AnonymousUser(), org_a)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("alice", True), ("erin", True), ("bob", False), ("charlie", False), ("dave", False)],
)
def test_it_lets_the_lead_organisations_leads_edit_a_challenge(
    persona, expected, request, challenges
):
    user = request.getfixturevalue(persona)
    assert permissions.can_edit_challenge(user, challenges["a_shared"]) is expected


@pytest.mark.parametrize(
    ("status", "expected"), [("invited", False), ("accepted", True), ("declined", False)]
)
def test_it_lets_a_co_owners_lead_edit_only_once_the_co_ownership_is_accepted(
    hanne, charlie, org_b, challenges, status, expected
):
    challenge = challenges["a_shared"]
    ChallengeCoOwner.objects.create(challenge=challenge, organisation=org_b, status=status)
    assert permissions.can_edit_challenge(hanne, challenge) is expected
    assert not permissions.can_edit_challenge(charlie, challenge)


def test_it_shows_a_superuser_every_challenge(challenges):
    root = make_user("root", is_superuser=True)
    assert visible_challenges(root) == {"a internal", "a shared", "a public", "b internal"}
