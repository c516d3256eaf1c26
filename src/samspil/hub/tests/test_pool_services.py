"""Writes of the competence pool: who may add people and assign them, and assignments above
a person's available share refused with the peak and its dates."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.formats import date_format

from samspil.hub import pool_services as services
from samspil.hub.models import Assignment, Competence

from .factories import COACH, event, member, pilot

DESIGNER = Competence.SERVICE_DESIGNER


def d(month: int, day: int) -> date:
    return date(2030, month, day)


def short(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def test_an_innovation_lead_adds_a_member_of_the_organisation(alice, bob, org_a):
    added = services.add_member(
        alice, org_a, bob, competences=[DESIGNER, COACH, COACH], available_percent=40
    )
    assert added.competences == [COACH, DESIGNER]  # in the list's order, once each
    assert added.history.first().history_user == alice


def test_a_member_of_the_organisation_above_may_join_a_departments_pool(
    alice, bob, org_a_department
):
    added = services.add_member(
        alice, org_a_department, bob, competences=[COACH], available_percent=20
    )
    assert added.organisation == org_a_department


def test_someone_from_another_organisation_is_refused(alice, charlie, org_a):
    with pytest.raises(ValidationError) as error:
        services.add_member(alice, org_a, charlie, competences=[COACH], available_percent=40)
    assert "not a member of Arby Kommune" in error.value.message_dict["user"][0]


def test_bad_member_input_is_refused_field_by_field(alice, bob, org_a):
    with pytest.raises(ValidationError) as error:
        services.add_member(alice, org_a, bob, competences=["wizard"], available_percent=120)
    assert set(error.value.message_dict) == {"competences", "available_percent"}
    with pytest.raises(ValidationError) as error:
        services.add_member(alice, org_a, bob, competences=[], available_percent=None)
    assert set(error.value.message_dict) == {"competences", "available_percent"}


def test_a_person_joins_a_pool_once(alice, bob, org_a):
    member(org_a, bob)
    with pytest.raises(ValidationError) as error:
        services.add_member(alice, org_a, bob, competences=[COACH], available_percent=40)
    assert "in the pool already" in error.value.message_dict["user"][0]


def test_members_and_other_organisations_may_not_manage_the_pool(bob, charlie, alice, org_a):
    for actor in (bob, charlie):
        with pytest.raises(PermissionDenied):
            services.add_member(actor, org_a, alice, competences=[COACH], available_percent=40)


def test_an_admin_manages_the_pool(erin, bob, org_a):
    assert services.add_member(erin, org_a, bob, competences=[COACH], available_percent=40)


def test_an_assignment_within_the_available_share_is_made(alice, bob, org_a):
    person = member(org_a, bob, available=50)
    target = pilot(org_a)
    services.assign(
        alice,
        person,
        pilot=target,
        competence=COACH,
        starts_on=d(1, 1),
        ends_on=d(3, 31),
        percent=30,
    )
    made = services.assign(
        alice, person, pilot=target, starts_on=d(2, 1), ends_on=d(2, 28), percent=20
    )
    assert made.assigned_by == alice and made.pilot == target
    assert Assignment.objects.filter(member=person).count() == 2


def test_an_assignment_above_the_available_share_names_the_peak_and_its_dates(alice, bob, org_a):
    person = member(org_a, bob, available=50)
    services.assign(
        alice, person, pilot=pilot(org_a), starts_on=d(1, 1), ends_on=d(1, 31), percent=30
    )
    with pytest.raises(ValidationError) as error:
        services.assign(
            alice, person, event=event(org_a), starts_on=d(1, 20), ends_on=d(2, 10), percent=30
        )
    message = error.value.message_dict["percent"][0]
    assert "60 %" in message and "50 %" in message
    assert short(d(1, 20)) in message and short(d(1, 31)) in message
    assert Assignment.objects.filter(member=person).count() == 1


def test_an_assignment_needs_exactly_one_target_and_an_ordered_period(alice, bob, org_a):
    person = member(org_a, bob)
    with pytest.raises(ValidationError) as error:
        services.assign(alice, person, starts_on=d(2, 1), ends_on=d(1, 1), percent=0)
    assert set(error.value.message_dict) == {"pilot", "ends_on", "percent"}
    with pytest.raises(ValidationError) as error:
        services.assign(
            alice,
            person,
            pilot=pilot(org_a),
            event=event(org_a),
            starts_on=d(1, 1),
            ends_on=d(1, 2),
            percent=10,
        )
    assert set(error.value.message_dict) == {"pilot"}


def test_bob_may_not_assign(bob, org_a):
    person = member(org_a, bob)
    with pytest.raises(PermissionDenied):
        services.assign(
            bob, person, pilot=pilot(org_a), starts_on=d(1, 1), ends_on=d(1, 2), percent=10
        )


def test_lowering_the_available_share_is_allowed_and_shows_as_over_booked(alice, bob, org_a):
    person = member(org_a, bob, available=80)
    services.assign(
        alice, person, pilot=pilot(org_a), starts_on=d(1, 1), ends_on=d(1, 31), percent=60
    )
    services.update_member(alice, person, available_percent=40)
    person.refresh_from_db()
    assert person.available_percent == 40


def test_removing_a_member_removes_their_assignments(alice, bob, org_a):
    person = member(org_a, bob)
    services.assign(
        alice, person, pilot=pilot(org_a), starts_on=d(1, 1), ends_on=d(1, 2), percent=10
    )
    services.remove_member(alice, person)
    assert not Assignment.objects.exists()


def test_an_assignment_is_removed_by_a_manager_only(alice, bob, org_a):
    person = member(org_a, bob)
    made = services.assign(
        alice, person, pilot=pilot(org_a), starts_on=d(1, 1), ends_on=d(1, 2), percent=10
    )
    with pytest.raises(PermissionDenied):
        services.remove_assignment(bob, made)
    services.remove_assignment(alice, made)
    assert not Assignment.objects.exists()
