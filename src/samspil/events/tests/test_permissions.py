"""Who may see, create and organise events, persona by persona."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from samspil.core import permissions
from samspil.core.models import Visibility

from .conftest import make_event

ANON = AnonymousUser()


@pytest.fixture
def shared_event(alice, org_a):
    return make_event(alice, org_a, "Shared showcase", visibility=Visibility.SHARED)


def visible_titles(user) -> set[str]:
    return set(permissions.events_visible_to(user).values_list("title", flat=True))


def test_it_shows_anonymous_visitors_only_public_events(public_event, internal_event, shared_event):
    assert visible_titles(ANON) == {public_event.title}


def test_it_shows_members_their_organisations_internal_events(
    bob, public_event, internal_event, shared_event
):
    assert visible_titles(bob) == {public_event.title, internal_event.title, shared_event.title}


def test_it_shows_other_public_sector_members_shared_and_public_events(
    charlie, public_event, internal_event, shared_event
):
    assert visible_titles(charlie) == {public_event.title, shared_event.title}


def test_it_shows_suppliers_public_events(dave, public_event, internal_event, shared_event):
    assert visible_titles(dave) == {public_event.title}


def test_it_answers_404_for_another_organisations_internal_event(charlie, dave, internal_event):
    for person in (charlie, dave, ANON):
        with pytest.raises(Http404):
            permissions.get_event_for_user(person, internal_event.pk)


def test_it_shows_organisers_the_events_they_organise(alice, bob, org_a, org_a_department):
    event = make_event(alice, org_a, "Internal", visibility=Visibility.INTERNAL, organisers=[bob])
    assert permissions.get_event_for_user(bob, event.pk) == event


def test_it_lets_innovation_leads_and_admins_create_events(alice, bob, charlie, dave, erin, org_a):
    assert permissions.can_create_event(alice, org_a)
    assert permissions.can_create_event(erin, org_a)
    for person in (bob, charlie, dave, ANON):
        assert not permissions.can_create_event(person, org_a)


def test_it_lets_leads_and_organisers_organise(alice, bob, charlie, erin, org_a):
    event = make_event(alice, org_a)
    assert permissions.can_organise_event(alice, event)
    assert permissions.can_organise_event(erin, event)
    assert not permissions.can_organise_event(bob, event)
    assert not permissions.can_organise_event(charlie, event)
    assert not permissions.can_organise_event(ANON, event)
    event.organisers.add(bob)
    assert permissions.can_organise_event(bob, event)
