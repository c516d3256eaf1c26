"""Writes of hubs and partners: who may, and partner projects refused unless the pilot is
one the actor may see, owned by the partner."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samspil.core.models import Visibility
from samspil.hub import queries, services
from samspil.hub.models import PartnerProject

from .factories import pilot


@pytest.fixture
def hub(alice, org_a):
    return services.create_hub(alice, org_a, name="Arby hub", visibility=Visibility.PUBLIC)


@pytest.fixture
def partner(alice, hub, org_c):
    return services.add_partner(alice, hub, org_c, contribution="Developers")


def test_an_innovation_lead_creates_a_hub_with_history(hub, alice):
    assert hub.history.first().history_user == alice


def test_members_and_other_organisations_may_not_create_or_change_hubs(
    bob, charlie, dave, org_a, hub
):
    for actor in (bob, charlie, dave):
        with pytest.raises(PermissionDenied):
            services.create_hub(actor, org_a, name="Mine")
        with pytest.raises(PermissionDenied):
            services.update_hub(actor, hub, name="Mine")


def test_a_hub_needs_a_name(alice, org_a):
    with pytest.raises(ValidationError) as error:
        services.create_hub(alice, org_a, name="  ")
    assert "name" in error.value.message_dict


def test_a_partner_project_is_the_partners_own_visible_pilot(alice, partner, org_a, org_c):
    with pytest.raises(ValidationError) as error:
        services.add_project(alice, partner, pilot(org_a))
    assert "Cobalt Software ApS" in error.value.message_dict["pilot"][0]
    hidden = pilot(org_c, visibility=Visibility.INTERNAL)
    with pytest.raises(ValidationError) as error:
        services.add_project(alice, partner, hidden)
    assert "may see" in error.value.message_dict["pilot"][0]
    own = pilot(org_c)
    made = services.add_project(alice, partner, own, co_financing=Decimal(100))
    assert made.currency == "DKK"  # the partner's currency by default
    with pytest.raises(ValidationError):
        services.add_project(alice, partner, own)
    assert PartnerProject.objects.count() == 1


def test_negative_co_financing_and_unknown_currencies_are_refused(alice, partner, org_c):
    with pytest.raises(ValidationError) as error:
        services.add_project(alice, partner, pilot(org_c), co_financing=Decimal(-1), currency="XYZ")
    assert set(error.value.message_dict) == {"co_financing", "currency"}


def test_bob_may_not_add_partners_or_projects(bob, hub, partner, org_b, org_c):
    with pytest.raises(PermissionDenied):
        services.add_partner(bob, hub, org_b)
    with pytest.raises(PermissionDenied):
        services.add_project(bob, partner, pilot(org_c))


def test_co_financing_is_summed_per_currency(alice, hub, partner, org_c):
    services.add_project(alice, partner, pilot(org_c, title="One"), co_financing=Decimal(100))
    services.add_project(
        alice, partner, pilot(org_c, title="Two"), co_financing=Decimal(50), currency="SEK"
    )
    services.add_project(alice, partner, pilot(org_c, title="Three"), co_financing=Decimal(25))
    rows = queries.partners(alice, hub)
    assert queries.co_financing_totals(rows) == [("DKK", Decimal(125)), ("SEK", Decimal(50))]
