"""Writes of procurements: validation, steps in order, phases, award, contract, stage."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samspil.procurement import services
from samspil.procurement.models import ProcurementRoute, Stage

from .conftest import make_procurement

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 1)


def route(code="innovation-partnership"):
    return ProcurementRoute.objects.get(code=code)


def test_the_routes_are_loaded_with_their_methods_and_names():
    assert ProcurementRoute.objects.count() == 8
    assert route("open-tender").ocds_method == "open"
    assert route("pcp").ocds_method == "" and route("pcp").has_phases
    assert route("lup").translations["nb"]["name"] == "Leverandørutviklingsprogrammet (LUP)"
    assert route("negotiation").translations["sv"]["name"] == "Förhandlat förfarande"


def test_the_route_migration_is_idempotent():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("samspil.procurement.migrations.0002_routes")
    migration.create_routes(apps, None)
    assert ProcurementRoute.objects.count() == 8
    assert route().steps.count() == 5


def test_create_checks_permission_and_input(alice, bob, org_a):
    with pytest.raises(PermissionDenied):
        make_procurement(bob, org_a)
    with pytest.raises(ValidationError) as error:
        make_procurement(alice, org_a, cpv_codes=["45000000-77"], estimated_value=-1)
    assert set(error.value.message_dict) == {"cpv_codes", "estimated_value"}
    with pytest.raises(ValidationError) as error:
        make_procurement(alice, org_a, tender_on=DAY, dialogue_starts_on=DAY.replace(month=4))
    assert "tender_on" in error.value.message_dict
    procurement = make_procurement(alice, org_a, cpv_codes="45000000-7 31500000-1")
    assert procurement.cpv_codes == ["45000000-7", "31500000-1"]
    assert procurement.buyers.get().role == "lead"


def test_steps_are_done_strictly_in_order(alice, org_a):
    procurement = make_procurement(alice, org_a)
    with pytest.raises(ValidationError, match="Choose a route"):
        services.mark_step_done(alice, procurement, done_on=DAY)
    services.update_procurement(alice, procurement, route=route("market-consultation"))
    steps = list(route("market-consultation").steps.order_by("position"))
    with pytest.raises(ValidationError, match="in order"):
        services.mark_step_done(alice, procurement, done_on=DAY, step=steps[2])
    with pytest.raises(ValidationError, match="not part of the route"):
        services.mark_step_done(alice, procurement, done_on=DAY, step=route().steps.first())
    for step in steps:
        services.mark_step_done(alice, procurement, done_on=DAY, step=step)
    with pytest.raises(ValidationError, match="Every step"):
        services.mark_step_done(alice, procurement, done_on=DAY)
    with pytest.raises(ValidationError, match="cannot change"):
        services.update_procurement(alice, procurement, route=route())


def test_no_phase_goes_after_a_no_go(alice, org_a, org_b, org_c):
    procurement = make_procurement(alice, org_a, route=route("pcp"))
    with pytest.raises(ValidationError, match="companies"):
        services.add_phase(alice, procurement, name="Design", suppliers=[org_b])
    first = services.add_phase(alice, procurement, name="Design", suppliers=[org_c])
    second = services.add_phase(alice, procurement, name="Prototype")
    services.decide_phase(alice, first, decision="no_go", decided_on=DAY)
    with pytest.raises(ValidationError, match="cannot go"):
        services.decide_phase(alice, second, decision="go", decided_on=DAY)
    with pytest.raises(ValidationError, match="before the previous"):
        services.decide_phase(
            alice, second, decision="no_go", decided_on=DAY.replace(day=1, month=1)
        )
    plain = make_procurement(alice, org_a, route=route("open-tender"))
    with pytest.raises(ValidationError):
        services.add_phase(alice, plain, name="Phase")


def test_stage_moves_need_their_facts(alice, bob, org_a, org_b, org_c):
    procurement = make_procurement(alice, org_a)
    with pytest.raises(ValidationError, match="route"):
        services.move_stage(alice, procurement, Stage.TENDER)
    with pytest.raises(ValidationError):
        services.move_stage(alice, procurement, Stage.CONTRACT)
    services.update_procurement(alice, procurement, route=route("open-tender"))
    services.move_stage(alice, procurement, Stage.TENDER)
    with pytest.raises(ValidationError, match="award"):
        services.move_stage(alice, procurement, Stage.AWARD)
    with pytest.raises(ValidationError, match="company"):
        services.add_award(alice, procurement, supplier=org_b, awarded_on=DAY)
    award = services.add_award(alice, procurement, supplier=org_c, awarded_on=DAY, value=100)
    services.move_stage(alice, procurement, Stage.AWARD)
    with pytest.raises(ValidationError, match="contract"):
        services.move_stage(alice, procurement, Stage.CONTRACT)
    with pytest.raises(ValidationError, match="end before"):
        services.add_contract(
            alice,
            procurement,
            award=award,
            signed_on=DAY,
            starts_on=DAY,
            ends_on=DAY.replace(month=1),
        )
    services.add_contract(alice, procurement, award=award, signed_on=DAY)
    services.move_stage(alice, procurement, Stage.CONTRACT)
    services.move_stage(alice, procurement, Stage.IMPLEMENTATION)
    with pytest.raises(ValidationError):
        services.move_stage(alice, procurement, Stage.CANCELLED)
    with pytest.raises(PermissionDenied):
        services.move_stage(bob, procurement, Stage.CANCELLED)


def test_the_route_migration_reverses():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("samspil.procurement.migrations.0002_routes")
    migration.remove_routes(apps, None)
    assert not ProcurementRoute.objects.exists()
    migration.create_routes(apps, None)
    assert ProcurementRoute.objects.count() == 8


def test_it_refuses_a_ceiling_below_what_the_buyers_hold(alice, org_a, org_b):
    from decimal import Decimal

    from samspil.procurement import buyer_services

    procurement = make_procurement(alice, org_a, ceiling=Decimal(1000))
    buyer_services.invite_buyer(
        alice, procurement, org_b, role="option_holder", maximum_value=Decimal(800)
    )
    with pytest.raises(ValidationError) as error:
        services.update_procurement(alice, procurement, ceiling=Decimal(500))
    assert "ceiling" in error.value.message_dict
