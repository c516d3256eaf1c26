"""Writes of benefits plans: benefits, status, measurements and the reminders when a
measurement is due."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from samspil.conftest import add_member, make_user
from samspil.core.models import Notification, Organisation
from samspil.pilots import benefit_queries
from samspil.pilots import benefit_services as services
from samspil.pilots.models import (
    Benefit,
    BenefitStatus,
    BenefitType,
    Direction,
    PartnerRole,
    Pilot,
    PilotPartner,
)
from samspil.pilots.rules import add_months

from .conftest import make_pilot

D = Decimal


def benefit_fields(**overrides) -> dict:
    today = timezone.localdate()
    fields = {
        "benefit_type": BenefitType.FREED_CAPACITY,
        "indicator": "Hours of invoice coding a month",
        "unit": "hours",
        "direction": Direction.LOWER,
        "baseline_value": D(400),
        "baseline_on": today - timedelta(days=60),
        "target_value": D(250),
        "target_on": today + timedelta(days=300),
    }
    fields.update(overrides)
    return fields


def make_benefit(actor, pilot, *, owner=None, holders=(), **overrides) -> Benefit:
    return services.add_benefit(
        actor, pilot, owner=owner, holders=holders, **benefit_fields(**overrides)
    )


@pytest.fixture
def benefit(alice, bob, org_a, pilot):
    """Alice's benefit of her pilot, owned by bob and held by organisation A."""
    return make_benefit(alice, pilot, owner=bob, holders=[org_a])


def planned(alice, benefit) -> Benefit:
    return services.change_status(alice, benefit, BenefitStatus.PLANNED)


# Benefits ---------------------------------------------------------------------------------------


def test_it_adds_an_identified_benefit_due_to_be_measured_after_the_baseline(
    alice, bob, org_a, benefit
):
    benefit.refresh_from_db()
    assert benefit.status == BenefitStatus.IDENTIFIED
    assert benefit.owner == bob and list(benefit.holders.all()) == [org_a]
    assert benefit.next_measurement_on == add_months(benefit.baseline_on, 3)
    assert {h.history_user for h in benefit.history.all()} == {alice}


def test_it_lets_only_those_who_keep_the_pilot_add_benefits(bob, charlie, dave, pilot):
    for person in (bob, charlie, dave):
        with pytest.raises(PermissionDenied):
            make_benefit(person, pilot)
    assert not Benefit.objects.exists()


def test_it_lets_the_pilot_lead_add_benefits(alice, org_a):
    lead = make_user("lena")
    add_member(lead, org_a)
    pilot = make_pilot(alice, org_a, lead=lead)
    assert make_benefit(lead, pilot).pilot == pilot


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"indicator": "  "}, "indicator"),
        ({"unit": ""}, "unit"),
        ({"benefit_type": "happiness"}, "benefit_type"),
        ({"direction": "sideways"}, "direction"),
        ({"target_on": timezone.localdate() - timedelta(days=60)}, "target_on"),
        ({"target_on": timezone.localdate() - timedelta(days=61)}, "target_on"),
        ({"target_value": D(450)}, "target_value"),
        ({"direction": Direction.HIGHER}, "target_value"),
        ({"target_value": D(400)}, "target_value"),
        ({"measure_every_months": 0}, "measure_every_months"),
        ({"measure_every_months": 25}, "measure_every_months"),
    ],
)
def test_it_refuses_bad_benefits(alice, pilot, overrides, field):
    with pytest.raises(ValidationError) as refusal:
        make_benefit(alice, pilot, **overrides)
    assert field in refusal.value.message_dict
    assert not Benefit.objects.exists()


def test_it_refuses_fields_it_does_not_know(alice, pilot):
    with pytest.raises(ValueError):
        make_benefit(alice, pilot, status=BenefitStatus.REALISED)


def test_it_wants_an_owner_of_the_pilots_organisation_tree(
    alice, charlie, org_a, org_a_department, pilot
):
    with pytest.raises(ValidationError) as refusal:
        make_benefit(alice, pilot, owner=charlie)
    assert "owner" in refusal.value.message_dict
    social_worker = make_user("sofie")
    add_member(social_worker, org_a_department)
    assert make_benefit(alice, pilot, owner=social_worker).owner == social_worker


def test_it_wants_public_sector_holders_taking_part_in_the_pilot(
    alice, org_a, org_a_department, org_b, org_c, pilot
):
    for outsider in (org_b, org_c):
        with pytest.raises(ValidationError) as refusal:
            make_benefit(alice, pilot, holders=[outsider])
        assert "holders" in refusal.value.message_dict
    benefit = make_benefit(alice, pilot, holders=[org_a, org_a_department])
    assert set(benefit.holders.all()) == {org_a, org_a_department}


def test_it_offers_programme_co_owners_partners_and_adopters_as_holders(
    alice, org_a, org_b, org_c, programme, pilot
):
    assert set(services.holder_candidates(alice, pilot)) == {org_a}
    programme.co_owners.add(org_b)
    pilot.programme = programme
    pilot.save()
    assert set(services.holder_candidates(alice, pilot)) == {org_a, org_b}

    region = Organisation.objects.create(
        name="Region Midt", slug="midt", kind="region", country="DK"
    )
    PilotPartner.objects.create(pilot=pilot, organisation=region, role=PartnerRole.PUBLIC_PARTNER)
    PilotPartner.objects.create(pilot=pilot, organisation=org_c, role=PartnerRole.SUPPLIER)
    town = Organisation.objects.create(name="Tårnby", slug="taarnby", kind="municipality")
    Pilot.objects.create(
        owner=town,
        title="Invoice coding in Tårnby",
        hypothesis="The same.",
        kind=pilot.kind,
        starts_on=pilot.starts_on,
        planned_end_on=pilot.planned_end_on,
        adopted_from=pilot,
    )
    assert set(services.holder_candidates(alice, pilot)) == {org_a, org_b, region, town}


def test_it_updates_a_benefit_and_reschedules_when_the_interval_changes(alice, benefit):
    services.update_benefit(alice, benefit, indicator="Coding hours a month")
    benefit.refresh_from_db()
    assert benefit.indicator == "Coding hours a month" and benefit.owner is not None
    services.update_benefit(alice, benefit, measure_every_months=6)
    assert benefit.next_measurement_on == add_months(benefit.baseline_on, 6)
    chosen = timezone.localdate() + timedelta(days=10)
    services.update_benefit(alice, benefit, next_measurement_on=chosen, owner=None, holders=[])
    benefit.refresh_from_db()
    assert benefit.next_measurement_on == chosen
    assert benefit.owner is None and not benefit.holders.exists()


def test_it_refuses_bad_updates_and_keeps_the_benefit(alice, bob, benefit):
    with pytest.raises(ValidationError):
        services.update_benefit(alice, benefit, target_on=benefit.baseline_on)
    with pytest.raises(PermissionDenied):
        services.update_benefit(bob, benefit, indicator="Mine now")
    benefit.refresh_from_db()
    assert benefit.indicator == "Hours of invoice coding a month"


def test_it_deletes_a_benefit_with_its_measurements(alice, bob, benefit):
    services.add_measurement(alice, benefit, timezone.localdate(), D(380))
    with pytest.raises(PermissionDenied):
        services.delete_benefit(bob, benefit)
    services.delete_benefit(alice, benefit)
    assert not Benefit.objects.exists()


# Status -----------------------------------------------------------------------------------------


def test_it_moves_the_status_one_step_at_a_time(alice, benefit):
    planned(alice, benefit)
    services.change_status(alice, benefit, BenefitStatus.REALISING)
    services.change_status(alice, benefit, BenefitStatus.PARTLY)
    services.change_status(alice, benefit, BenefitStatus.REALISED)
    services.change_status(alice, benefit, BenefitStatus.REALISING)
    benefit.refresh_from_db()
    assert benefit.status == BenefitStatus.REALISING


@pytest.mark.parametrize("status", [BenefitStatus.REALISED, BenefitStatus.REALISING, "done"])
def test_it_refuses_jumps_with_a_clear_message(alice, benefit, status):
    with pytest.raises(ValidationError) as refusal:
        services.change_status(alice, benefit, status)
    assert "identified" in refusal.value.message_dict["status"][0]
    benefit.refresh_from_db()
    assert benefit.status == BenefitStatus.IDENTIFIED


def test_it_lets_only_those_who_keep_the_pilot_change_the_status(bob, benefit):
    with pytest.raises(PermissionDenied):
        services.change_status(bob, benefit, BenefitStatus.PLANNED)


# Measurements -----------------------------------------------------------------------------------


def test_it_records_a_measurement_moves_a_planned_benefit_on_and_schedules_the_next(alice, benefit):
    planned(alice, benefit)
    day = timezone.localdate() - timedelta(days=5)
    measurement = services.add_measurement(alice, benefit, day, D("380.5"), "  After go-live ")
    assert measurement.note == "After go-live" and measurement.recorded_by == alice
    benefit.refresh_from_db()
    assert benefit.status == BenefitStatus.REALISING
    assert benefit.next_measurement_on == add_months(day, 3)


def test_it_schedules_from_the_latest_measurement_when_an_earlier_one_is_added(alice, benefit):
    today = timezone.localdate()
    services.add_measurement(alice, benefit, today, D(360))
    services.add_measurement(alice, benefit, today - timedelta(days=20), D(390))
    benefit.refresh_from_db()
    assert benefit.next_measurement_on == add_months(today, 3)
    # An identified benefit is not moved on by a measurement: it was never planned.
    assert benefit.status == BenefitStatus.IDENTIFIED


def test_it_refuses_measurements_before_the_baseline_in_the_future_or_twice_a_day(alice, benefit):
    today = timezone.localdate()
    for day, field in (
        (benefit.baseline_on - timedelta(days=1), "measured_on"),
        (today + timedelta(days=1), "measured_on"),
        (None, "measured_on"),
    ):
        with pytest.raises(ValidationError) as refusal:
            services.add_measurement(alice, benefit, day, D(380))
        assert field in refusal.value.message_dict
    services.add_measurement(alice, benefit, today, D(380))
    with pytest.raises(ValidationError) as refusal:
        services.add_measurement(alice, benefit, today, D(370))
    assert "measured_on" in refusal.value.message_dict
    with pytest.raises(ValidationError) as refusal:
        services.add_measurement(alice, benefit, today - timedelta(days=1), None, "x" * 301)
    assert set(refusal.value.message_dict) == {"value", "note"}
    assert benefit.measurements.count() == 1


def test_it_accepts_a_measurement_on_the_baseline_date(alice, benefit):
    services.add_measurement(alice, benefit, benefit.baseline_on, D(400))
    assert benefit.measurements.count() == 1


def test_it_lets_only_those_who_keep_the_pilot_measure(bob, charlie, benefit):
    for person in (bob, charlie):
        with pytest.raises(PermissionDenied):
            services.add_measurement(person, benefit, timezone.localdate(), D(380))


def test_it_deletes_a_measurement_and_reschedules_from_the_one_before(alice, bob, benefit):
    today = timezone.localdate()
    earlier = services.add_measurement(alice, benefit, today - timedelta(days=30), D(390))
    latest = services.add_measurement(alice, benefit, today, D(370))
    with pytest.raises(PermissionDenied):
        services.delete_measurement(bob, latest)
    services.delete_measurement(alice, latest)
    benefit.refresh_from_db()
    assert list(benefit.measurements.all()) == [earlier]
    assert benefit.next_measurement_on == add_months(earlier.measured_on, 3)


def test_it_describes_progress_and_the_suggested_status(alice, benefit):
    services.add_measurement(alice, benefit, timezone.localdate(), D(325))
    (row,) = benefit_queries.benefits_of(benefit.pilot, timezone.localdate())
    assert row.progress == D("0.5")
    assert row.suggested_status == BenefitStatus.REALISING
    after_target = benefit.target_on + timedelta(days=1)
    (row,) = benefit_queries.benefits_of(benefit.pilot, after_target)
    assert row.suggested_status == BenefitStatus.PARTLY


# Reminders --------------------------------------------------------------------------------------


@pytest.fixture
def due(alice, bob, benefit):
    """Bob's planned benefit whose measurement was due yesterday."""
    planned(alice, benefit)
    yesterday = timezone.localdate() - timedelta(days=1)
    services.update_benefit(alice, benefit, next_measurement_on=yesterday)
    return benefit


def test_it_reminds_the_owner_once_per_due_date_in_their_language(
    bob, due, django_capture_on_commit_callbacks
):
    bob.language = "en"
    bob.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_due_measurements() == 1
        assert services.remind_due_measurements() == 0
    notification = Notification.objects.get(recipient=bob)
    assert due.indicator in notification.message
    assert notification.url == f"/pilots/{due.pilot_id}/benefits/{due.pk}/"
    assert [m.to for m in mail.outbox] == [[bob.email]]
    assert due.pilot.title in mail.outbox[0].body
    due.refresh_from_db()
    assert due.reminded_for == due.next_measurement_on


def test_it_reminds_again_when_the_next_measurement_falls_due(alice, due):
    assert services.remind_due_measurements() == 1
    today = timezone.localdate()
    services.add_measurement(alice, due, today, D(380))
    due.refresh_from_db()
    assert due.status == BenefitStatus.REALISING
    assert services.remind_due_measurements(today) == 0
    next_due = due.next_measurement_on
    assert services.remind_due_measurements(next_due - timedelta(days=1)) == 0
    assert services.remind_due_measurements(next_due) == 1
    assert services.remind_due_measurements(next_due + timedelta(days=40)) == 0


def test_it_does_not_remind_of_unplanned_finished_or_ownerless_benefits(alice, due):
    services.change_status(alice, due, BenefitStatus.IDENTIFIED)
    assert services.remind_due_measurements() == 0
    planned(alice, due)
    services.update_benefit(alice, due, owner=None)
    assert services.remind_due_measurements() == 0
    services.update_benefit(alice, due, owner=alice)
    services.change_status(alice, due, BenefitStatus.REALISING)
    services.change_status(alice, due, BenefitStatus.REALISED)
    assert services.remind_due_measurements() == 0
    assert not Notification.objects.exists()


def test_it_queues_benefit_reminders_from_the_reminder_command(due):
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "Benefit measurement reminders queued: 1" in out.getvalue()


def test_it_lists_the_benefits_due_until_their_owner_is_reminded(due):
    today = timezone.localdate()
    assert list(services.due_reminders(today)) == [due]
    assert list(services.due_reminders(today - timedelta(days=2))) == []
    services.remind_due_measurements(today)
    assert list(services.due_reminders(today)) == []
