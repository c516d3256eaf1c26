"""Scaling processes: starting one from a challenge, participants once each, the steps in
CO-PI's order, letters of intent only from participants, adoption that never falls."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samspil.core.models import Organisation, Visibility
from samspil.needs.models import CoOwnerStatus
from samspil.procurement import scaling_services as services
from samspil.procurement.models import (
    Commitment,
    ScalingParticipant,
    ScalingRole,
    ScalingStep,
)

from .scaling_factories import make_challenge, make_officer, make_process

DAY = date(2022, 11, 11)


@pytest.fixture
def officer_b(org_b):
    return make_officer("birgit", org_b)


@pytest.fixture
def org_d(db):
    return Organisation.objects.create(
        name="Dalby Kommune", slug="dalby", kind="municipality", country="DK", currency="DKK"
    )


@pytest.fixture
def challenge(org_a, org_b, org_d):
    return make_challenge(
        org_a,
        co_owners=[(org_b, CoOwnerStatus.ACCEPTED), (org_d, CoOwnerStatus.INVITED)],
    )


@pytest.fixture
def process(alice, org_a, challenge):
    return make_process(alice, org_a, challenge=challenge)


def roles(process) -> dict[str, str]:
    return dict(process.participants.values_list("organisation__slug", "role"))


def test_it_starts_from_a_challenge_with_its_accepted_owners_as_need_owners(process, org_a):
    assert process.owner == org_a and process.currency == "DKK"
    # The invited (not accepted) co-owner is not a need owner.
    assert roles(process) == {"arby": ScalingRole.NEED_OWNER, "bergvik": ScalingRole.NEED_OWNER}


def test_who_may_start_one(bob, charlie, dave, org_a, org_c):
    for user, organisation in ((bob, org_a), (charlie, org_a), (dave, org_c)):
        with pytest.raises(PermissionDenied):
            make_process(user, organisation)


def test_it_refuses_a_title_missing_and_an_unseen_challenge(alice, org_a, org_b):
    with pytest.raises(ValidationError) as error:
        make_process(alice, org_a, title="  ")
    assert set(error.value.message_dict) == {"title"}
    hidden = make_challenge(org_b, visibility=Visibility.INTERNAL)
    with pytest.raises(ValidationError) as error:
        make_process(alice, org_a, challenge=hidden)
    assert set(error.value.message_dict) == {"challenge"}


def test_the_criteria_are_kept_and_the_missing_ones_named(alice, process):
    assert services.missing_criteria(process) == ["anchored in top management"]
    services.update_scaling_process(alice, process, anchored_in_management=True)
    assert services.missing_criteria(process) == []
    assert process.meets_criteria


def test_an_organisation_takes_part_once(alice, process, org_c, org_b):
    services.add_participant(alice, process, org_c, ScalingRole.OBSERVER)
    with pytest.raises(ValidationError) as error:
        services.add_participant(alice, process, org_b, ScalingRole.BUYER)
    assert "takes part already" in error.value.message_dict["organisation"][0]
    with pytest.raises(ValidationError):
        services.add_participant(alice, process, None)
    with pytest.raises(ValidationError):
        services.add_participant(alice, process, org_c, "boss")


def test_who_may_change_participants(bob, charlie, dave, process, org_c):
    for user in (bob, charlie, dave):
        with pytest.raises(PermissionDenied):
            services.add_participant(user, process, org_c)


def test_a_facilitator_participant_edits_too(alice, officer_b, process, org_b, org_c):
    assert not services.permissions.can_edit_scaling_process(officer_b, process)
    participant = process.participants.get(organisation=org_b)
    services.change_participant_role(alice, participant, ScalingRole.FACILITATOR)
    services.add_participant(officer_b, process, org_c, ScalingRole.BUYER)
    assert roles(process)["cobalt"] == ScalingRole.BUYER


def test_the_steps_go_in_order_and_skipping_is_refused(alice, process):
    with pytest.raises(ValidationError) as error:
        services.mark_step_done(alice, process, step=ScalingStep.SUPPLIER_CONFERENCES, done_on=DAY)
    assert "in order" in error.value.message_dict["step"][0]
    first = services.mark_step_done(alice, process, step=ScalingStep.NEED_EXPLORATION, done_on=DAY)
    assert first.step == ScalingStep.NEED_EXPLORATION
    with pytest.raises(ValidationError) as error:
        services.mark_step_done(alice, process, step=ScalingStep.NEED_EXPLORATION, done_on=DAY)
    assert "done already" in error.value.message_dict["step"][0]
    with pytest.raises(ValidationError) as error:
        services.mark_step_done(alice, process, done_on=DAY - timedelta(days=1))
    assert set(error.value.message_dict) == {"done_on"}
    with pytest.raises(ValidationError) as error:
        services.mark_step_done(alice, process, done_on=timezone.localdate() + timedelta(days=2))
    assert set(error.value.message_dict) == {"done_on"}
    for _step in range(4):
        services.mark_step_done(alice, process, done_on=DAY)
    assert services.next_step(process) is None
    with pytest.raises(ValidationError):
        services.mark_step_done(alice, process, done_on=DAY)


def test_a_letter_of_intent_only_from_a_participant(alice, officer_b, process, org_b, org_c):
    with pytest.raises(ValidationError) as error:
        services.record_commitment(
            alice, process, org_c, value=Decimal(5), signed_on=DAY, signed_by="X"
        )
    assert "does not take part" in error.value.message_dict["organisation"][0]

    letter = services.record_commitment(
        officer_b,
        process,
        org_b,
        volume=Decimal(12),
        volume_unit="machines",
        value=Decimal(3_000_000),
        signed_on=DAY,
        signed_by="Birgit, procurement officer",
    )
    assert letter.recorded_by == officer_b
    with pytest.raises(services.AlreadyCommitted):
        services.record_commitment(
            alice, process, org_b, value=Decimal(1), signed_on=DAY, signed_by="X"
        )


def test_the_facilitator_records_on_a_participants_behalf_others_may_not(
    alice, bob, charlie, officer_b, process, org_a, org_b
):
    letter = services.record_commitment(
        alice, process, org_b, value=Decimal(100), signed_on=DAY, signed_by="Mayor of Bergvik"
    )
    assert letter.organisation == org_b
    # bob (member of A) and charlie (member of B, no procuring role) may not.
    for user in (bob, charlie):
        with pytest.raises(PermissionDenied):
            services.record_commitment(
                user, process, org_a, value=Decimal(1), signed_on=DAY, signed_by="X"
            )
    # birgit may commit for B only, not for A.
    with pytest.raises(PermissionDenied):
        services.record_commitment(
            officer_b, process, org_a, value=Decimal(1), signed_on=DAY, signed_by="X"
        )


def test_a_letter_of_intent_with_bad_values_is_refused(alice, process, org_b):
    cases = [
        ({"signed_on": DAY, "signed_by": "X"}, "volume"),  # neither volume nor value
        ({"volume": Decimal(3), "signed_on": DAY, "signed_by": "X"}, "volume_unit"),
        ({"value": Decimal("1.5"), "signed_on": DAY, "signed_by": "X"}, "value"),
        ({"value": Decimal(1), "signed_by": "X"}, "signed_on"),
        ({"value": Decimal(1), "signed_on": DAY, "signed_by": " "}, "signed_by"),
        ({"value": Decimal(10**13), "signed_on": DAY, "signed_by": "X"}, "value"),
    ]
    for fields, name in cases:
        with pytest.raises(ValidationError) as error:
            services.record_commitment(alice, process, org_b, **fields)
        assert name in error.value.message_dict, fields
    assert not Commitment.objects.exists()


def test_a_participant_with_a_letter_stays(alice, process, org_b):
    services.record_commitment(
        alice, process, org_b, value=Decimal(1), signed_on=DAY, signed_by="X"
    )
    participant = process.participants.get(organisation=org_b)
    with pytest.raises(ValidationError):
        services.remove_participant(alice, participant)
    other = process.participants.get(organisation__slug="arby")
    services.remove_participant(alice, other)
    assert not ScalingParticipant.objects.filter(pk=other.pk).exists()


def test_adoption_counts_never_fall(alice, bob, process):
    services.add_adoption_count(alice, process, counted_on=date(2019, 10, 1), organisations=8)
    services.add_adoption_count(alice, process, counted_on=DAY, organisations=29, note="WHINN")
    with pytest.raises(ValidationError) as error:
        services.add_adoption_count(alice, process, counted_on=date(2023, 1, 1), organisations=20)
    assert "29" in error.value.message_dict["organisations"][0]
    with pytest.raises(ValidationError) as error:
        services.add_adoption_count(alice, process, counted_on=date(2019, 1, 1), organisations=9)
    assert "8" in error.value.message_dict["organisations"][0]
    with pytest.raises(ValidationError) as error:
        services.add_adoption_count(alice, process, counted_on=DAY, organisations=30)
    assert set(error.value.message_dict) == {"counted_on"}
    with pytest.raises(ValidationError) as error:
        services.add_adoption_count(alice, process, counted_on=None, organisations=None)
    assert set(error.value.message_dict) == {"counted_on", "organisations"}
    with pytest.raises(PermissionDenied):
        services.add_adoption_count(bob, process, counted_on=DAY, organisations=30)
    assert services.adoption_of(process).growth_text == "8 → 29"


def test_a_step_links_only_an_event_the_editor_may_see(alice, process, org_b):
    from samspil.events.models import Event

    start = timezone.now() - timedelta(days=30)
    hidden = Event.objects.create(
        owner=org_b,
        title="Bergvik's internal workshop",
        kind="co_creation_workshop",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        capacity=30,
        visibility=Visibility.INTERNAL,
    )
    with pytest.raises(ValidationError) as error:
        services.mark_step_done(alice, process, done_on=DAY, event=hidden)
    assert set(error.value.message_dict) == {"event"}
    hidden.visibility = Visibility.PUBLIC
    hidden.save()
    row = services.mark_step_done(alice, process, done_on=DAY, event=hidden)
    assert row.event == hidden
