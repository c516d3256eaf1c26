"""Inviting buyers, confirming and declining, and exercising options under the ceiling:
who may and may not, and the bad input of a joint procurement."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from samspil.conftest import add_member, make_user
from samspil.core.models import Notification, Organisation, Role
from samspil.procurement import buyer_services as services
from samspil.procurement.models import Buyer, BuyerRole

from .conftest import make_procurement

M = Decimal(1_000_000)


def municipality(name: str, slug: str) -> Organisation:
    return Organisation.objects.create(
        name=name, slug=slug, kind="municipality", country="DK", currency="DKK"
    )


@pytest.fixture
def officer_b(org_b):
    """A procurement officer of organisation B, who may confirm for it."""
    user = make_user("birgit", language="nb")
    add_member(user, org_b, Role.Code.PROCUREMENT_OFFICER)
    return user


@pytest.fixture
def light(alice, org_a):
    """The joint procurement of biological light, DKK 160 m with options."""
    return make_procurement(alice, org_a, ceiling=160 * M, estimated_value=40 * M)


def option(alice, procurement, org, maximum=15 * M, **fields) -> Buyer:
    return services.invite_buyer(
        alice, procurement, org, BuyerRole.OPTION_HOLDER, maximum_value=maximum, **fields
    )


def messages(error: ValidationError, field: str) -> str:
    return " ".join(error.value.message_dict[field])  # type: ignore[attr-defined]


def test_it_invites_a_participating_buyer_and_tells_its_confirmers(
    alice, org_b, officer_b, charlie, light, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        buyer = services.invite_buyer(
            alice,
            light,
            org_b,
            BuyerRole.PARTICIPANT,
            volume=Decimal(40),
            volume_unit="care homes",
            estimated_value=20 * M,
        )
    assert buyer.invited_by == alice and buyer.confirmed_at is None
    notification = Notification.objects.get()
    assert notification.recipient == officer_b  # charlie is a plain member
    assert notification.url.endswith("#procurement-buyers")
    assert [m.to for m in mail.outbox] == [["birgit@example.org"]]


def test_a_buyer_added_twice_is_refused(alice, org_b, light):
    services.invite_buyer(alice, light, org_b, BuyerRole.PARTICIPANT)
    with pytest.raises(ValidationError) as error:
        services.invite_buyer(alice, light, org_b, BuyerRole.OPTION_HOLDER, maximum_value=M)
    assert "Bergvik kommune is a buyer already." in messages(error, "organisation")
    with pytest.raises(ValidationError):
        services.invite_buyer(alice, light, light.owner, BuyerRole.PARTICIPANT)
    assert light.buyers.count() == 2


def test_only_public_sector_organisations_buy_in(alice, org_c, light):
    with pytest.raises(ValidationError) as error:
        services.invite_buyer(alice, light, org_c, BuyerRole.PARTICIPANT)
    assert "public-sector" in messages(error, "organisation")


def test_it_refuses_a_lead_role_and_bad_values(alice, org_b, light):
    with pytest.raises(ValidationError) as error:
        services.invite_buyer(alice, light, org_b, BuyerRole.LEAD)
    assert "role" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.invite_buyer(
            alice,
            light,
            org_b,
            BuyerRole.OPTION_HOLDER,
            estimated_value=5 * M,
            volume=Decimal(3),
        )
    assert set(error.value.message_dict) == {"maximum_value", "volume_unit"}
    with pytest.raises(ValidationError) as error:
        option(alice, light, org_b, maximum=M, estimated_value=2 * M)
    assert "above the maximum" in messages(error, "estimated_value")
    with pytest.raises(ValidationError) as error:
        option(alice, light, org_b, maximum=Decimal(-1))
    assert "maximum_value" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        option(alice, light, org_b, maximum=Decimal(10**13))
    assert "maximum_value" in error.value.message_dict


def test_option_values_above_the_ceiling_are_refused_with_the_amounts(alice, org_b, light):
    services.invite_buyer(alice, light, org_b, BuyerRole.PARTICIPANT, estimated_value=20 * M)
    Buyer.objects.filter(role=BuyerRole.LEAD).update(estimated_value=20 * M)
    for index in range(7):
        option(alice, light, municipality(f"Kommune {index}", f"k{index}"))
    with pytest.raises(ValidationError) as error:
        option(alice, light, municipality("Odense Kommune", "odense"), maximum=16 * M)
    text = messages(error, "maximum_value")
    assert "DKK 161,000,000" in text
    assert "DKK 160,000,000" in text
    assert "DKK 1,000,000" in text
    # Exactly at the ceiling fits.
    option(alice, light, municipality("Vejle Kommune", "vejle"))
    assert light.buyers.count() == 10


def test_without_a_ceiling_any_value_fits(alice, org_a, org_b):
    procurement = make_procurement(alice, org_a)
    option(alice, procurement, org_b, maximum=Decimal(10**11))


def test_who_may_invite(alice, bob, charlie, dave, erin, org_b, light):
    for person in (bob, charlie, dave):
        with pytest.raises(PermissionDenied):
            services.invite_buyer(person, light, org_b, BuyerRole.PARTICIPANT)
    services.invite_buyer(erin, light, org_b, BuyerRole.PARTICIPANT)


def test_a_person_of_the_invited_organisation_confirms_by_name(
    alice, bob, charlie, officer_b, org_b, light
):
    buyer = services.invite_buyer(alice, light, org_b, BuyerRole.PARTICIPANT)
    for person in (alice, bob, charlie):
        with pytest.raises(PermissionDenied):
            services.confirm_buyer(person, buyer)
    services.confirm_buyer(officer_b, buyer)
    buyer.refresh_from_db()
    assert buyer.confirmed_by == officer_b and buyer.confirmed_at is not None
    first = buyer.confirmed_at
    services.confirm_buyer(officer_b, buyer)
    assert buyer.confirmed_at == first


def test_an_admin_of_the_invited_organisation_confirms(alice, org_b, light):
    admin = make_user("bjorn")
    add_member(admin, org_b, Role.Code.ADMIN)
    buyer = services.invite_buyer(alice, light, org_b, BuyerRole.PARTICIPANT)
    assert services.confirmers(org_b).get() == admin
    services.confirm_buyer(admin, buyer)


def test_declining_removes_the_invitation(alice, charlie, officer_b, org_b, light):
    buyer = services.invite_buyer(alice, light, org_b, BuyerRole.PARTICIPANT)
    with pytest.raises(PermissionDenied):
        services.remove_buyer(charlie, buyer)
    services.remove_buyer(officer_b, buyer)
    assert not light.buyers.filter(organisation=org_b).exists()


def test_a_confirmed_buyer_is_removed_only_by_the_lead(alice, officer_b, org_b, light):
    buyer = services.invite_buyer(alice, light, org_b, BuyerRole.PARTICIPANT)
    services.confirm_buyer(officer_b, buyer)
    with pytest.raises(PermissionDenied):
        services.remove_buyer(officer_b, buyer)
    services.remove_buyer(alice, buyer)


def test_the_lead_buyer_stays(alice, light):
    lead = light.buyers.get()
    with pytest.raises(ValidationError):
        services.remove_buyer(alice, lead)


@pytest.fixture
def held(alice, officer_b, org_b, light) -> Buyer:
    buyer = option(alice, light, org_b)
    return services.confirm_buyer(officer_b, buyer)


def test_an_option_is_exercised_with_a_date(alice, held, light):
    services.exercise_option(alice, held, date(2023, 6, 1))
    held.refresh_from_db()
    assert held.option_exercised and held.exercised_on == date(2023, 6, 1)
    from samspil.procurement import buyer_queries

    result = buyer_queries.demand_of(light, buyer_queries.buyers(light))
    assert (result.committed, result.optional) == (15 * M, 0)


def test_an_exercised_option_without_a_date_is_refused(alice, held):
    with pytest.raises(ValidationError) as error:
        services.exercise_option(alice, held, None)
    assert "Enter the date" in messages(error, "exercised_on")
    held.refresh_from_db()
    assert not held.option_exercised


def test_an_option_is_not_exercised_after_the_deadline(alice, held, light):
    light.option_deadline = date(2023, 6, 30)
    light.save()
    held.procurement = light
    with pytest.raises(ValidationError) as error:
        services.exercise_option(alice, held, date(2023, 7, 1))
    assert "until" in messages(error, "exercised_on")
    services.exercise_option(alice, held, date(2023, 6, 30))


def test_an_option_is_exercised_once(alice, held):
    services.exercise_option(alice, held, date(2023, 6, 1))
    with pytest.raises(ValidationError):
        services.exercise_option(alice, held, date(2023, 6, 2))
    with pytest.raises(ValidationError):
        services.remove_buyer(alice, held)


def test_an_unconfirmed_option_is_not_exercised(alice, org_b, light):
    buyer = option(alice, light, org_b)
    with pytest.raises(ValidationError) as error:
        services.exercise_option(alice, buyer, date(2023, 6, 1))
    assert "not confirmed" in messages(error, "exercised_on")


def test_a_participant_has_no_option(alice, officer_b, org_b, light):
    buyer = services.invite_buyer(alice, light, org_b, BuyerRole.PARTICIPANT)
    with pytest.raises(ValidationError):
        services.exercise_option(alice, buyer, date(2023, 6, 1))


def test_who_may_exercise(bob, charlie, dave, officer_b, held):
    for person in (bob, charlie, dave):
        with pytest.raises(PermissionDenied):
            services.exercise_option(person, held, date(2023, 6, 1))
    services.exercise_option(officer_b, held, date(2023, 6, 1))


def test_a_new_ceiling_below_the_demand_is_refused(alice, org_b, light):
    option(alice, light, org_b, maximum=100 * M)
    services.check_new_ceiling(light, 100 * M)
    services.check_new_ceiling(light, None)
    with pytest.raises(ValidationError) as error:
        services.check_new_ceiling(light, 99 * M)
    assert "DKK 100,000,000" in messages(error, "ceiling")


def test_the_lead_sets_its_own_values_within_the_ceiling(alice, bob, officer_b, org_b, light):
    lead = light.buyers.get()
    services.update_buyer(
        alice, lead, estimated_value=20 * M, volume=Decimal(30), volume_unit="homes"
    )
    lead.refresh_from_db()
    assert lead.estimated_value == 20 * M and lead.volume_unit == "homes"
    with pytest.raises(ValidationError) as error:
        services.update_buyer(alice, lead, estimated_value=161 * M)
    assert "DKK 161,000,000" in messages(error, "estimated_value")
    for person in (bob, officer_b):
        with pytest.raises(PermissionDenied):
            services.update_buyer(person, lead, estimated_value=M)
