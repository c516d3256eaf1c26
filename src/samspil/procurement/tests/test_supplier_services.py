"""The writes of the supplier directory and of suppliers' interest: who may, what is
refused with which reason, and what the company's people are told."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samspil.core.models import Notification, Visibility
from samspil.events.models import Submission, Team
from samspil.needs.models import ChallengeStatus
from samspil.procurement import supplier_services as services
from samspil.procurement.models import (
    AnswerDelivery,
    InterestStatus,
    Question,
    Stage,
    SupplierInterest,
    SupplierProfile,
)

from .conftest import make_procurement
from .supplier_factories import make_challenge, make_event, register

# The directory ---------------------------------------------------------------------------------


def test_a_company_admin_creates_then_changes_the_profile(dana, org_c):
    profile = services.save_profile(
        dana,
        org_c,
        offer="  Light for care homes ",
        competences="IoT, light,  iot , Welfare   technology",
        size="small",
        countries_served=["DK", "NO"],
        contact_email="sales@cobalt.example",
    )
    assert profile.offer == "Light for care homes"
    assert profile.competences == ["IoT", "light", "Welfare technology"]
    services.save_profile(dana, org_c, offer="Light and sound", size="")
    profile.refresh_from_db()
    assert profile.offer == "Light and sound" and profile.size == ""
    assert profile.competences == ["IoT", "light", "Welfare technology"]
    assert profile.history.count() == 2


@pytest.mark.parametrize("who", ["dave", "alice", "erin"])
def test_only_the_companys_admins_keep_its_profile(request, who, org_c):
    with pytest.raises(PermissionDenied):
        services.save_profile(request.getfixturevalue(who), org_c, offer="Light")


def test_a_public_sector_organisation_has_no_profile(erin, org_a):
    with pytest.raises(PermissionDenied):
        services.save_profile(erin, org_a, offer="We buy light")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"offer": "  "}, "offer"),
        ({"offer": "x" * 10001}, "offer"),
        ({"offer": "Light", "competences": ", ".join(f"c{i}" for i in range(31))}, "competences"),
        ({"offer": "Light", "competences": ["x" * 81]}, "competences"),
        ({"offer": "Light", "size": "huge"}, "size"),
        ({"offer": "Light", "countries_served": ["DE"]}, "countries_served"),
        ({"offer": "Light", "contact_email": "not an address"}, "contact_email"),
    ],
)
def test_it_refuses_a_bad_profile_naming_the_field(dana, org_c, fields, field):
    with pytest.raises(ValidationError) as error:
        services.save_profile(dana, org_c, **fields)
    assert field in error.value.message_dict
    assert not SupplierProfile.objects.exists()


# Registering interest -----------------------------------------------------------------------


def test_a_supplier_registers_interest_in_an_open_public_challenge(dave, org_c, challenge):
    interest = services.register_interest(dave, challenge, note="Lighting with sensors")
    assert interest.supplier == org_c and interest.status == InterestStatus.REGISTERED
    assert interest.registered_by == dave and interest.registered_at is not None
    assert interest.note == "Lighting with sensors"


def test_registering_twice_is_refused_with_a_reason(dave, challenge):
    services.register_interest(dave, challenge)
    with pytest.raises(services.AlreadyRegistered) as error:
        services.register_interest(dave, challenge, note="Again")
    assert "registered its interest already" in error.value.message_dict["note"][0]
    assert SupplierInterest.objects.count() == 1


def test_an_invitation_becomes_a_registration(alice, dave, org_c, circadian_procurement):
    invited = services.invite_to_dialogue(alice, circadian_procurement, org_c)
    assert invited.status == InterestStatus.INVITED
    interest = services.register_interest(dave, circadian_procurement, note="We can test in May")
    assert interest.pk == invited.pk and interest.status == InterestStatus.REGISTERED
    assert interest.invited_by == alice and interest.registered_by == dave


def test_a_registration_for_a_procurement_receives_the_published_answers(
    alice, dave, org_a, org_c, circadian_procurement
):
    question = Question.objects.create(
        procurement=circadian_procurement,
        text="May the light be leased?",
        answer="Yes.",
        published_at=timezone.now(),
    )
    services.register_interest(dave, circadian_procurement)
    assert AnswerDelivery.objects.filter(question=question, supplier=org_c).exists()


@pytest.mark.parametrize("who", ["alice", "bob", "charlie"])
def test_only_suppliers_register_interest(request, who, challenge, circadian_procurement):
    user = request.getfixturevalue(who)
    for target in (challenge, circadian_procurement):
        with pytest.raises(PermissionDenied):
            services.register_interest(user, target)


def test_it_refuses_targets_that_are_not_open_for_interest(
    dave, alice, org_a, circadian_procurement
):
    closed = make_challenge(org_a, "Closed", status=ChallengeStatus.CLOSED)
    shared = make_challenge(org_a, "Shared", visibility=Visibility.SHARED)
    in_tender = make_procurement(alice, org_a, title="In tender")
    in_tender.stage = Stage.TENDER
    in_tender.save()
    for target in (closed, shared, in_tender):
        with pytest.raises(PermissionDenied):
            services.register_interest(dave, target)


def test_a_supplier_speaks_only_for_its_own_company(dave, org_d, challenge):
    with pytest.raises(PermissionDenied):
        services.register_interest(dave, challenge, supplier=org_d)


def test_it_refuses_a_note_that_is_too_long(dave, challenge):
    with pytest.raises(ValidationError) as error:
        services.register_interest(dave, challenge, note="x" * 10001)
    assert "note" in error.value.message_dict


# Inviting ------------------------------------------------------------------------------------


def test_an_officer_invites_a_supplier_to_the_dialogue_and_its_people_are_told(
    alice, dave, dana, org_c, circadian_procurement
):
    interest = services.invite_to_dialogue(alice, circadian_procurement, org_c)
    assert interest.status == InterestStatus.INVITED and interest.invited_by == alice
    told = Notification.objects.filter(recipient__in=[dave, dana])
    assert told.count() == 2
    assert all(n.url == f"{circadian_procurement.get_absolute_url()}#suppliers" for n in told)
    assert "Circadian lighting in care homes" in told.first().message


def test_inviting_twice_is_refused(alice, org_c, circadian_procurement, dave):
    services.invite_to_dialogue(alice, circadian_procurement, org_c)
    with pytest.raises(services.AlreadyRegistered):
        services.invite_to_dialogue(alice, circadian_procurement, org_c)
    services.register_interest(dave, circadian_procurement)
    with pytest.raises(services.AlreadyRegistered) as error:
        services.invite_to_dialogue(alice, circadian_procurement, org_c)
    assert "registered" in error.value.messages[0]


@pytest.mark.parametrize("who", ["bob", "charlie", "dave"])
def test_only_those_who_run_it_invite(request, who, org_c, circadian_procurement, challenge):
    user = request.getfixturevalue(who)
    for target in (circadian_procurement, challenge):
        with pytest.raises(PermissionDenied):
            services.invite_to_dialogue(user, target, org_c)


def test_it_refuses_to_invite_a_public_sector_organisation_or_to_a_closed_target(
    alice, org_b, org_c, circadian_procurement
):
    with pytest.raises(ValidationError) as error:
        services.invite_to_dialogue(alice, circadian_procurement, org_b)
    assert "supplier" in error.value.message_dict
    circadian_procurement.stage = Stage.TENDER
    circadian_procurement.save()
    with pytest.raises(ValidationError) as error:
        services.invite_to_dialogue(alice, circadian_procurement, org_c)
    assert "market-dialogue stage" in error.value.message_dict["supplier"][0]


def test_an_officer_invites_a_supplier_to_an_invite_only_event_with_its_link(
    alice, dave, org_a, org_c, challenge
):
    event = make_event(org_a, registration_mode="invite_only", visibility=Visibility.INTERNAL)
    assert services.invite_to_event(alice, challenge, org_c, event) == 1
    notification = Notification.objects.get(recipient=dave)
    assert notification.url == f"/events/{event.pk}/register/?invitation={event.invitation_token}"


def test_an_open_public_event_is_linked_without_a_token(alice, dave, org_a, org_c, challenge):
    event = make_event(org_a)
    services.invite_to_event(alice, challenge, org_c, event)
    assert Notification.objects.get(recipient=dave).url == f"/events/{event.pk}/register/"


def test_it_refuses_events_suppliers_cannot_reach_or_of_another_organisation(
    alice, dave, org_a, org_b, org_c, challenge
):
    past = make_event(org_a, "Past", in_days=-3)
    internal = make_event(org_a, "Internal", visibility=Visibility.INTERNAL)
    elsewhere = make_event(org_b, "Elsewhere")
    for event in (past, internal, elsewhere, None):
        with pytest.raises(ValidationError) as error:
            services.invite_to_event(alice, challenge, org_c, event)
        assert "event" in error.value.message_dict
    assert not Notification.objects.filter(recipient=dave).exists()


def test_it_refuses_an_event_the_suppliers_people_registered_for_already(
    alice, dave, org_a, org_c, challenge
):
    event = make_event(org_a)
    register(event, dave)
    with pytest.raises(ValidationError) as error:
        services.invite_to_event(alice, challenge, org_c, event)
    assert "registered" in error.value.message_dict["event"][0]


def test_team_and_submission_helpers_make_rows(org_a, dave):
    """The helpers the matching tests use make valid rows."""
    event = make_event(org_a)
    registration = register(event, dave)
    team = Team.objects.create(event=event, name="Cobalt")
    team.members.add(registration)
    Submission.objects.create(team=team, title="Light app", summary="An app")
    assert team.submission.title == "Light app"
