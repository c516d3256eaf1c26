"""Fair market dialogue: the log, questions, answers published to all registered suppliers
at once (and to those that register later), functional requirements pulled from events, who
may read the log, and the registered suppliers in the OCDS release."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from samspil.conftest import add_member, make_user
from samspil.core import permissions
from samspil.core.models import Notification, Role
from samspil.events.models import LearnedRequirement
from samspil.events.tests.conftest import make_event
from samspil.needs.models import Challenge
from samspil.procurement import buyer_services, dialogue_services, ocds, ocds_queries
from samspil.procurement.dialogue_services import DialogueConflict
from samspil.procurement.models import (
    AnswerDelivery,
    BuyerRole,
    DialogueKind,
    FunctionalRequirement,
    InterestStatus,
    Question,
    SupplierInterest,
)
from samspil.procurement.ocds_validation import release_errors

from .dialogue_factories import company, register_supplier

PUBLISHER = ocds.Publisher(name="samspil", uri="https://samspil.example", time_zone="UTC")


# Questions and answers -------------------------------------------------------------------------


def test_it_publishes_an_answer_to_every_registered_supplier_at_once(
    alice, dave, gustav, lumen, question
):
    # The question reached those who run the procurement.
    asked = Notification.objects.get()
    assert asked.recipient == alice and "Cobalt Software ApS" in asked.message
    Notification.objects.all().delete()

    delivered = dialogue_services.publish_answer(alice, question, "Yes, leasing is allowed.")

    assert delivered == 2
    question.refresh_from_db()
    assert question.published_at is not None and question.answered_by == alice
    suppliers = set(question.deliveries.values_list("supplier__slug", flat=True))
    assert suppliers == {"cobalt", "lumen"}  # the invited Glød gets nothing
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"dave", "frida"}
    assert all(n.url.endswith("#procurement-dialogue") for n in Notification.objects.all())


def test_a_draft_answer_is_kept_then_published(alice, question):
    dialogue_services.save_answer(alice, question, "Draft: probably yes.")
    question.refresh_from_db()
    assert question.answer == "Draft: probably yes." and question.published_at is None
    assert not AnswerDelivery.objects.exists()

    assert dialogue_services.publish_answer(alice, question) == 1
    question.refresh_from_db()
    assert question.answer == "Draft: probably yes." and question.published_at


def test_an_empty_answer_is_not_published(alice, question):
    with pytest.raises(ValidationError) as refused:
        dialogue_services.publish_answer(alice, question, "   ")
    assert "answer" in refused.value.message_dict
    question.refresh_from_db()
    assert question.published_at is None and not AnswerDelivery.objects.exists()


def test_an_answer_is_published_once(alice, question):
    dialogue_services.publish_answer(alice, question, "Yes.")
    with pytest.raises(DialogueConflict):
        dialogue_services.publish_answer(alice, question, "Yes, again.")
    with pytest.raises(DialogueConflict):
        dialogue_services.save_answer(alice, question, "Changed afterwards.")
    question.refresh_from_db()
    assert question.answer == "Yes." and question.deliveries.count() == 1


def test_only_those_who_run_the_procurement_publish(bob, dave, question):
    for person in (bob, dave):
        with pytest.raises(PermissionDenied):
            dialogue_services.publish_answer(person, question, "Yes.")


def test_a_supplier_that_is_not_registered_may_not_ask(dave, gustav, alice, light):
    for person in (dave, gustav, alice):  # dave's company has no interest, gustav's is invited
        with pytest.raises(PermissionDenied):
            dialogue_services.ask_question(person, light, "May we bid alone?")
    assert not Question.objects.exists()


def test_a_question_needs_a_text(dave, dave_registered, light):
    with pytest.raises(ValidationError) as refused:
        dialogue_services.ask_question(dave, light, "  ")
    assert "text" in refused.value.message_dict


def test_a_supplier_that_registers_later_gets_every_earlier_answer(alice, dave, question, light):
    dialogue_services.publish_answer(alice, question, "Yes.")
    second = dialogue_services.ask_question(dave, light, "Who owns the results?")
    dialogue_services.publish_answer(alice, second, "The supplier; the buyers get a licence.")
    late = company("Lumen Lys A/S", "lumen")
    add_member(make_user("frida"), late)
    interest = register_supplier(late, light)
    Notification.objects.all().delete()

    assert dialogue_services.deliver_published_answers(interest) == 2
    assert set(AnswerDelivery.objects.filter(supplier=late).values_list("question", flat=True)) == {
        question.pk,
        second.pk,
    }
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["frida"]
    assert dialogue_services.deliver_published_answers(interest) == 0  # it has them all


def test_an_invited_or_challenge_interest_gets_no_answers(alice, org_c, question, light):
    dialogue_services.publish_answer(alice, question, "Yes.")
    invited = register_supplier(company("Glød ApS", "glod"), light, InterestStatus.INVITED)
    challenge = Challenge.objects.create(
        owner=light.owner, title="Light", problem_statement="Light.", visibility="public"
    )
    on_challenge = SupplierInterest.objects.create(
        supplier=org_c, challenge=challenge, status=InterestStatus.REGISTERED
    )
    assert dialogue_services.deliver_published_answers(invited) == 0
    assert dialogue_services.deliver_published_answers(on_challenge) == 0


# Dialogue log ----------------------------------------------------------------------------------


def test_alice_logs_a_meeting_with_its_participants(alice, org_c, light):
    entry = dialogue_services.add_entry(
        alice,
        light,
        kind=DialogueKind.MEETING,
        held_on=timezone.localdate(),
        subject="  One-to-one meeting  ",
        summary="The supplier showed its light curve.",
        participants=[org_c, light.owner],
    )
    assert entry.subject == "One-to-one meeting" and entry.recorded_by == alice
    assert set(entry.participants.values_list("slug", flat=True)) == {"cobalt", "arby"}

    dialogue_services.update_entry(
        alice, entry, kind=DialogueKind.CALL, held_on=entry.held_on, subject="Call"
    )
    entry.refresh_from_db()
    assert entry.kind == DialogueKind.CALL and not entry.participants.exists()
    dialogue_services.remove_entry(alice, entry)
    assert not light.dialogue_entries.exists()


def test_a_future_date_an_empty_subject_and_an_unknown_kind_are_refused(alice, light):
    with pytest.raises(ValidationError) as refused:
        dialogue_services.add_entry(
            alice,
            light,
            kind="gossip",
            held_on=timezone.localdate() + timedelta(days=1),
            subject=" ",
        )
    assert set(refused.value.message_dict) == {"kind", "held_on", "subject"}


def test_only_those_who_run_the_procurement_log(bob, charlie, dave, light):
    for person in (bob, charlie, dave):
        with pytest.raises(PermissionDenied):
            dialogue_services.add_entry(
                person,
                light,
                kind=DialogueKind.MEETING,
                held_on=timezone.localdate(),
                subject="Meeting",
            )


def test_who_reads_the_log(alice, bob, charlie, dave, erin, org_b, light):
    assert all(permissions.can_see_dialogue_log(p, light) for p in (alice, bob, erin))
    assert not any(
        permissions.can_see_dialogue_log(p, light) for p in (charlie, dave, AnonymousUser())
    )
    buyer = buyer_services.invite_buyer(
        alice, light, org_b, BuyerRole.PARTICIPANT, estimated_value=None
    )
    assert not permissions.can_see_dialogue_log(charlie, light)  # invited, not confirmed yet
    officer = make_user("birgit")
    add_member(officer, org_b, Role.Code.PROCUREMENT_OFFICER)
    buyer_services.confirm_buyer(officer, buyer)
    charlie = type(charlie).objects.get(pk=charlie.pk)  # a fresh access cache
    assert permissions.can_see_dialogue_log(charlie, light)


# Functional requirements -----------------------------------------------------------------------


def test_alice_adds_a_requirement_by_hand(alice, light):
    first = dialogue_services.add_requirement(
        alice, light, text="Residents sleep better.", outcome="Fewer falls", source="Need 12"
    )
    second = dialogue_services.add_requirement(alice, light, text="The light follows the day.")
    assert (first.position, second.position) == (1, 2)
    with pytest.raises(ValidationError) as refused:
        dialogue_services.add_requirement(alice, light, text=" ")
    assert "text" in refused.value.message_dict


def test_it_pulls_learned_requirements_with_their_source_once(alice, light, workshop):
    learned = list(workshop.learned_requirements.order_by("position"))
    made = dialogue_services.pull_requirements(alice, light, learned)

    assert [r.text for r in made] == [r.text for r in learned]
    day = timezone.localtime(workshop.starts_at).date()
    assert (
        made[0].source == f"Supplier conference on light, {date_format(day, 'SHORT_DATE_FORMAT')}"
    )
    with pytest.raises(DialogueConflict) as refused:
        dialogue_services.pull_requirements(alice, light, learned[:1])
    assert "Residents can dim" in refused.value.messages[0]
    assert FunctionalRequirement.objects.filter(procurement=light).count() == 2


def test_it_pulls_from_events_linked_to_the_challenge_only(alice, org_a, light):
    challenge = Challenge.objects.create(
        owner=org_a, title="Light", problem_statement="Light.", visibility="public"
    )
    light.challenge = challenge
    light.save()
    linked = make_event(alice, org_a, title="Co-creation on light")
    linked.challenges.add(challenge)
    unrelated = make_event(alice, org_a, title="Hackathon on complaints")
    mine = LearnedRequirement.objects.create(event=linked, text="Light without glare.")
    other = LearnedRequirement.objects.create(event=unrelated, text="Complaints by month.")

    from samspil.procurement import dialogue_queries

    assert [r.pk for r in dialogue_queries.learned_candidates(alice, light)] == [mine.pk]
    with pytest.raises(ValidationError):
        dialogue_services.pull_requirements(alice, light, [other])
    with pytest.raises(ValidationError):
        dialogue_services.pull_requirements(alice, light, [])
    assert len(dialogue_services.pull_requirements(alice, light, [mine])) == 1


# OCDS ------------------------------------------------------------------------------------------


def test_registered_suppliers_are_interested_parties_in_a_valid_release(
    gustav, lumen, dave_registered, light
):
    [data] = ocds_queries.procurement_data(
        ocds_queries.public_procurements(AnonymousUser()).filter(pk=light.pk)
    )
    release = ocds.release(data, PUBLISHER)
    roles = {party["name"]: party["roles"] for party in release["parties"]}
    assert roles["Cobalt Software ApS"] == ["interestedParty"]
    assert roles["Lumen Lys A/S"] == ["interestedParty"]
    assert "Glød ApS" not in roles  # invited only
    assert release_errors(release) == []
