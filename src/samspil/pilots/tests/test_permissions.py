"""Who may see, start, edit and decide pilots, persona by persona."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from samspil.conftest import add_member, make_user
from samspil.core import permissions
from samspil.core.models import Role, Visibility

from .conftest import make_pilot

ANON = AnonymousUser()


@pytest.fixture
def shared_pilot(alice, org_a):
    return make_pilot(alice, org_a, "Shared sandbox", visibility=Visibility.SHARED)


def visible_titles(user) -> set[str]:
    return set(permissions.pilots_visible_to(user).values_list("title", flat=True))


def test_it_shows_anonymous_visitors_and_suppliers_only_public_pilots(
    dave, pilot, internal_pilot, shared_pilot
):
    assert visible_titles(ANON) == {pilot.title}
    assert visible_titles(dave) == {pilot.title}


def test_it_shows_members_their_organisations_pilots(bob, pilot, internal_pilot, shared_pilot):
    assert visible_titles(bob) == {pilot.title, internal_pilot.title, shared_pilot.title}


def test_it_shows_other_public_sector_members_shared_and_public_pilots(
    charlie, pilot, internal_pilot, shared_pilot
):
    assert visible_titles(charlie) == {pilot.title, shared_pilot.title}


def test_it_answers_404_for_another_organisations_internal_pilot(charlie, dave, internal_pilot):
    for person in (charlie, dave, ANON):
        with pytest.raises(Http404):
            permissions.get_pilot_for_user(person, internal_pilot.pk)
    with pytest.raises(Http404):
        permissions.get_pilot_for_user(ANON, "not a number")


def test_it_lets_innovation_leads_of_the_organisation_start_pilots(
    alice, bob, charlie, dave, erin, org_a, org_a_department
):
    assert permissions.can_create_pilot(alice, org_a)
    assert permissions.can_create_pilot(alice, org_a_department)
    assert permissions.can_create_pilot(erin, org_a)
    for person in (bob, charlie, dave, ANON):
        assert not permissions.can_create_pilot(person, org_a)


def test_it_lets_leads_team_and_coordinator_edit(alice, bob, charlie, dave, org_a, programme):
    coordinator = make_user("cora")
    add_member(coordinator, org_a)
    programme.coordinator = coordinator
    programme.save()
    lead = make_user("leo")
    add_member(lead, org_a)
    pilot = make_pilot(alice, org_a, programme=programme, lead=lead, team=[bob])
    for person in (alice, bob, coordinator, lead):
        assert permissions.can_edit_pilot(person, pilot), person
    for person in (charlie, dave, ANON):
        assert not permissions.can_edit_pilot(person, pilot)


def test_it_lets_leads_board_members_and_the_programme_board_decide(
    alice, bob, charlie, org_a, programme
):
    board_member = make_user("bodil")
    add_member(board_member, org_a, Role.Code.BOARD_MEMBER)
    pilot = make_pilot(alice, org_a, programme=programme, team=[bob])
    programme.board.add(charlie)
    for person in (alice, board_member, charlie):
        assert permissions.can_decide_pilot(person, pilot), person
    # The team keeps the plan but does not decide on the outcome.
    assert not permissions.can_decide_pilot(bob, pilot)
    assert not permissions.can_decide_pilot(ANON, pilot)


def test_it_shows_the_team_an_internal_pilot_they_work_on(alice, bob, org_a, org_a_department):
    worker = make_user("wanda")
    add_member(worker, org_a_department)
    pilot = make_pilot(alice, org_a, "Team only", visibility=Visibility.INTERNAL, team=[worker])
    assert pilot.title in visible_titles(worker)


def test_it_lists_a_pilot_once_however_many_ways_the_user_may_see_it(alice, bob, org_a):
    """Team and lead are EXISTS conditions on the pilot row: a join would repeat it."""
    other = make_user("otto")
    add_member(other, org_a)
    pilot = make_pilot(alice, org_a, "Seen twice", team=[bob, other], lead=bob)
    titles = list(permissions.pilots_visible_to(bob).values_list("title", flat=True))
    assert titles.count(pilot.title) == 1


def test_it_flags_whether_a_linked_record_is_visible(alice, charlie, org_a):
    from samspil.pilots.models import Pilot

    internal = make_pilot(alice, org_a, "Internal original", visibility=Visibility.INTERNAL)
    public = make_pilot(alice, org_a, "Public original", visibility=Visibility.PUBLIC)
    for original, title in ((internal, "From internal"), (public, "From public")):
        adopted = make_pilot(alice, org_a, title)
        Pilot.objects.filter(pk=adopted.pk).update(adopted_from=original)
    flags = dict(
        Pilot.objects.filter(adopted_from__isnull=False)
        .annotate(
            flag=permissions.is_visible_link(
                permissions.pilots_visible_to(charlie), "adopted_from_id"
            )
        )
        .values_list("title", "flag")
    )
    assert flags == {"From internal": False, "From public": True}


def test_it_applies_pilot_visibility_through_a_related_row_as_on_the_pilot(
    alice, bob, charlie, dave, org_a, org_a_department
):
    """``pilot_visible_q(user, "pilot")`` on KPIs keeps exactly the KPIs of visible pilots."""
    from datetime import date

    from samspil.pilots.models import Kpi

    worker = make_user("wanda")  # sees the internal "Team" only as one of its team
    add_member(worker, org_a_department)
    pilots = [
        make_pilot(alice, org_a, "Public", visibility=Visibility.PUBLIC),
        make_pilot(alice, org_a, "Shared", visibility=Visibility.SHARED),
        make_pilot(alice, org_a, "Internal", visibility=Visibility.INTERNAL),
        make_pilot(alice, org_a, "Team", visibility=Visibility.INTERNAL, team=[worker]),
        make_pilot(alice, org_a, "Led", visibility=Visibility.INTERNAL, lead=bob),
    ]
    for pilot in pilots:
        Kpi.objects.create(
            pilot=pilot, name=pilot.title, unit="min", baseline_value=1, baseline_on=date.today()
        )
    for user in (ANON, alice, bob, charlie, dave, worker):
        through_kpis = set(
            Kpi.objects.filter(permissions.pilot_visible_q(user, path="pilot")).values_list(
                "name", flat=True
            )
        )
        assert through_kpis == visible_titles(user) & {p.title for p in pilots}, user
    assert {"Team", "Public", "Shared"} <= visible_titles(worker)
    assert "Internal" not in visible_titles(worker)
