"""Writes of programmes: who may, what is checked, and pilots joining and leaving."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samspil.conftest import add_member, make_user
from samspil.core.models import Organisation, Role, Visibility
from samspil.pilots import programme_services as services
from samspil.pilots.models import Method, PhaseModel, Pilot, Programme

from .conftest import make_pilot

START = date(2025, 1, 1)


def fields(**overrides) -> dict:
    values = {
        "title": "Digital welfare 2025–2027",
        "description": "Oslo's programme with the districts.",
        "starts_on": START,
        "ends_on": START + timedelta(days=730),
        "method": Method.PROSJEKTVEIVISEREN,
        "gain_target_percent": Decimal("30"),
        "max_pilot_months": 6,
        "visibility": Visibility.INTERNAL,
    }
    values.update(overrides)
    return values


@pytest.fixture
def org_a_district(org_a) -> Organisation:
    return Organisation.objects.create(
        name="Arby Nord",
        slug="arby-nord",
        kind="district",
        country="DK",
        currency="DKK",
        parent=org_a,
    )


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# Create and edit -----------------------------------------------------------------------------


def test_it_lets_an_innovation_lead_create_a_programme_with_co_owners_and_people(
    alice, bob, charlie, org_a, org_b
):
    programme = services.create_programme(
        alice, org_a, co_owners=[org_b], board=[bob, charlie], coordinator=alice, **fields()
    )
    programme.refresh_from_db()
    assert programme.owner == org_a
    assert programme.created_by == alice
    assert list(programme.co_owners.all()) == [org_b]
    assert set(programme.board.all()) == {bob, charlie}
    assert programme.coordinator == alice
    assert programme.gain_target_percent == Decimal("30")
    assert programme.max_pilot_months == 6
    assert programme.history.first().history_user == alice


@pytest.mark.parametrize("persona", ["bob", "charlie", "dave", "erin"])
def test_it_refuses_a_programme_to_those_who_do_not_lead_innovation_in_the_organisation(
    request, persona, org_a
):
    user = request.getfixturevalue(persona)
    if persona == "erin":
        # An admin holds every role: erin may.
        assert services.create_programme(user, org_a, **fields()).pk
        return
    with pytest.raises(PermissionDenied):
        services.create_programme(user, org_a, **fields())


def test_it_refuses_an_end_before_the_start_with_a_clear_error(alice, org_a):
    with pytest.raises(ValidationError) as excinfo:
        services.create_programme(
            alice, org_a, **fields(starts_on=START, ends_on=START - timedelta(days=1))
        )
    assert "ends_on" in errors_of(excinfo)
    assert not Programme.objects.exists()


def test_it_accepts_a_programme_of_one_day(alice, org_a):
    programme = services.create_programme(alice, org_a, **fields(ends_on=START))
    assert programme.ends_on == programme.starts_on


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"description": "x" * 10001}, "description"),
        ({"method": "waterfall"}, "method"),
        ({"gain_target_percent": Decimal("1000.01")}, "gain_target_percent"),
        ({"max_pilot_months": 0}, "max_pilot_months"),
        ({"max_pilot_months": 121}, "max_pilot_months"),
        ({"visibility": "secret"}, "visibility"),
    ],
)
def test_it_refuses_bad_input(alice, org_a, overrides, field):
    with pytest.raises(ValidationError) as excinfo:
        services.create_programme(alice, org_a, **fields(**overrides))
    assert field in errors_of(excinfo)


def test_it_refuses_an_unknown_field(alice, org_a):
    with pytest.raises(ValueError, match="created_by"):
        services.create_programme(alice, org_a, **fields(created_by=alice))


def test_it_accepts_a_negative_target_and_no_target(alice, org_a):
    assert services.create_programme(
        alice, org_a, **fields(gain_target_percent=Decimal("-5"))
    ).gain_target_percent == Decimal("-5")
    assert (
        services.create_programme(
            alice, org_a, **fields(gain_target_percent=None, max_pilot_months=None)
        ).gain_target_percent
        is None
    )


def test_co_owners_are_public_sector_organisations_other_than_the_owner(alice, org_a, org_b, org_c):
    with pytest.raises(ValidationError) as excinfo:
        services.create_programme(alice, org_a, co_owners=[org_c], **fields())
    assert "co_owners" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.create_programme(alice, org_a, co_owners=[org_a], **fields())
    assert "co_owners" in errors_of(excinfo)


def test_a_co_owner_must_be_visible_to_the_actor(alice, org_a):
    hidden = Organisation.objects.create(
        name="Hidden",
        slug="hidden",
        kind="municipality",
        country="SE",
        currency="SEK",
        visibility=Visibility.INTERNAL,
    )
    with pytest.raises(ValidationError) as excinfo:
        services.create_programme(alice, org_a, co_owners=[hidden], **fields())
    assert "co_owners" in errors_of(excinfo)


def test_board_and_coordinator_come_from_the_owners_and_co_owners_trees(
    alice, charlie, dave, org_a, org_b, org_a_district
):
    district_person = make_user("dina")
    add_member(district_person, org_a_district)
    programme = services.create_programme(
        alice, org_a, board=[district_person], coordinator=district_person, **fields()
    )
    assert list(programme.board.all()) == [district_person]

    with pytest.raises(ValidationError) as excinfo:
        services.create_programme(alice, org_a, board=[charlie], **fields())
    assert "board" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.create_programme(alice, org_a, coordinator=dave, **fields())
    assert "coordinator" in errors_of(excinfo)


def test_the_phase_model_is_built_in_or_the_owners_own(alice, org_a, org_b):
    built_in = PhaseModel.objects.create(code="lean-test", name="Lean")
    own = PhaseModel.objects.create(code="arby-model", name="Arby's model", organisation=org_a)
    other = PhaseModel.objects.create(code="bergvik-model", name="Bergvik", organisation=org_b)
    assert services.create_programme(alice, org_a, **fields(phase_model=built_in)).phase_model
    assert services.create_programme(alice, org_a, **fields(phase_model=own)).phase_model == own
    with pytest.raises(ValidationError) as excinfo:
        services.create_programme(alice, org_a, **fields(phase_model=other))
    assert "phase_model" in errors_of(excinfo)


def test_the_coordinator_and_a_co_owners_innovation_lead_may_edit(
    alice, bob, charlie, org_a, org_b
):
    programme = services.create_programme(
        alice, org_a, co_owners=[org_b], coordinator=bob, **fields()
    )
    services.update_programme(bob, programme, title="Renamed by the coordinator")
    lead_b = make_user("lena")
    add_member(lead_b, org_b, Role.Code.INNOVATION_LEAD)
    services.update_programme(lead_b, programme, max_pilot_months=9)
    programme.refresh_from_db()
    assert (programme.title, programme.max_pilot_months) == ("Renamed by the coordinator", 9)
    with pytest.raises(PermissionDenied):
        services.update_programme(charlie, programme, title="Not mine")


def test_editing_keeps_the_people_left_out_and_clears_the_coordinator_on_none(alice, bob, org_a):
    programme = services.create_programme(alice, org_a, board=[bob], coordinator=bob, **fields())
    services.update_programme(alice, programme, description="New text")
    assert list(programme.board.all()) == [bob]
    services.update_programme(alice, programme, coordinator=None, board=[])
    programme.refresh_from_db()
    assert programme.coordinator is None
    assert not programme.board.exists()


def test_editing_refuses_an_end_before_the_start(alice, org_a):
    programme = services.create_programme(alice, org_a, **fields())
    with pytest.raises(ValidationError) as excinfo:
        services.update_programme(alice, programme, ends_on=START - timedelta(days=1))
    assert "ends_on" in errors_of(excinfo)


def test_removing_a_co_owner_rechecks_its_people_on_the_board(alice, charlie, org_a, org_b):
    programme = services.create_programme(
        alice, org_a, co_owners=[org_b], board=[charlie], **fields()
    )
    with pytest.raises(ValidationError) as excinfo:
        services.update_programme(alice, programme, co_owners=[])
    assert "board" in errors_of(excinfo)
    services.update_programme(alice, programme, co_owners=[], board=[])
    assert not programme.co_owners.exists()


# Pilots of the programme ---------------------------------------------------------------------


@pytest.fixture
def programme(alice, org_a, org_b):
    return services.create_programme(alice, org_a, co_owners=[org_b], **fields())


def test_it_attaches_a_pilot_of_the_owner_and_detaches_it(alice, org_a, programme):
    pilot = make_pilot(alice, org_a)
    services.attach_pilot(alice, programme, pilot)
    pilot.refresh_from_db()
    assert pilot.programme == programme
    assert pilot.history.first().history_user == alice

    services.detach_pilot(alice, programme, pilot)
    pilot.refresh_from_db()
    assert pilot.programme is None


def test_it_attaches_a_pilot_of_a_co_owner_and_of_a_part_of_the_owner(
    alice, org_a, org_b, org_a_district, programme
):
    lead_b = make_user("lena")
    add_member(lead_b, org_b, Role.Code.INNOVATION_LEAD)
    pilot_b = make_pilot(lead_b, org_b, "Bergvik's pilot")
    pilot_district = make_pilot(alice, org_a_district, "District pilot")
    services.attach_pilot(alice, programme, pilot_b)
    services.attach_pilot(alice, programme, pilot_district)
    assert set(programme.pilots.all()) == {pilot_b, pilot_district}


def test_it_refuses_a_pilot_of_another_organisation_with_a_clear_error(alice, programme):
    org_d = Organisation.objects.create(
        name="Dalby", slug="dalby", kind="municipality", country="SE", currency="SEK"
    )
    lead_d = make_user("dora")
    add_member(lead_d, org_d, Role.Code.INNOVATION_LEAD)
    pilot = make_pilot(lead_d, org_d, "Dalby's pilot")
    with pytest.raises(ValidationError) as excinfo:
        services.attach_pilot(alice, programme, pilot)
    assert "pilot" in errors_of(excinfo)
    assert Pilot.objects.get(pk=pilot.pk).programme is None


def test_it_refuses_a_pilot_the_actor_cannot_see(alice, org_b, programme):
    lead_b = make_user("lena")
    add_member(lead_b, org_b, Role.Code.INNOVATION_LEAD)
    hidden = make_pilot(lead_b, org_b, "Internal to Bergvik", visibility=Visibility.INTERNAL)
    with pytest.raises(ValidationError) as excinfo:
        services.attach_pilot(alice, programme, hidden)
    assert "pilot" in errors_of(excinfo)


def test_it_refuses_a_pilot_already_in_this_or_another_programme(alice, org_a, programme):
    other = services.create_programme(alice, org_a, **fields(title="Other programme"))
    pilot = make_pilot(alice, org_a)
    services.attach_pilot(alice, other, pilot)
    with pytest.raises(ValidationError) as excinfo:
        services.attach_pilot(alice, programme, pilot)
    assert "Other programme" in errors_of(excinfo)["pilot"][0]
    with pytest.raises(ValidationError):
        services.attach_pilot(alice, other, pilot)


def test_only_the_programmes_editors_attach_and_detach(alice, bob, org_a, programme):
    pilot = make_pilot(alice, org_a)
    with pytest.raises(PermissionDenied):
        services.attach_pilot(bob, programme, pilot)
    services.attach_pilot(alice, programme, pilot)
    with pytest.raises(PermissionDenied):
        services.detach_pilot(bob, programme, pilot)


def test_it_refuses_to_detach_a_pilot_of_another_programme(alice, org_a, programme):
    pilot = make_pilot(alice, org_a)
    with pytest.raises(ValidationError) as excinfo:
        services.detach_pilot(alice, programme, pilot)
    assert "pilot" in errors_of(excinfo)
