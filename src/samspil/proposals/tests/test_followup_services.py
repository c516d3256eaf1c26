"""Writes of the criteria table (1.4), the follow-up table (1.7) and the consultations, and
the follow-up tasks' notifications and reminders."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from samspil.conftest import add_member, make_user
from samspil.core.models import Notification, Role
from samspil.proposals import followup_services as services
from samspil.proposals import services as proposal_services
from samspil.proposals.models import (
    AMOUNT_LIMIT,
    Consultation,
    ConsultationAnswer,
    CriteriaRow,
    FollowUpItem,
    Proposal,
    ProposalState,
)

D = Decimal


def set_state(proposal: Proposal, state: str) -> Proposal:
    Proposal.objects.filter(pk=proposal.pk).update(state=state)
    proposal.refresh_from_db()
    return proposal


def follow_up(actor, proposal, **fields) -> FollowUpItem:
    values = {"criterion": "Hackathons support coming investment proposals"}
    values.update(fields)
    return services.add_follow_up(actor, proposal, **values)


# 1.4 prioritisation criteria -------------------------------------------------------------------


def test_it_stores_a_single_amount_as_a_range_with_equal_ends(alice, proposal):
    row = services.add_criteria_row(
        alice, proposal, label="1. Complaints", expense_low=D(1500), saving_high=D(500)
    )
    row.refresh_from_db()
    assert (row.expense_low, row.expense_high) == (D(1500), D(1500))
    assert (row.saving_low, row.saving_high) == (D(500), D(500))


def test_it_stores_the_seed_rows_in_order_with_their_assessments(alice, proposal):
    services.add_criteria_row(
        alice,
        proposal,
        label="Concept for hackathons",
        expense_low=D(0),
        expected_proposal="A reusable concept",
        cross_cutting="yes",
        large_scale="yes",
        mature_technology="yes",
    )
    services.add_criteria_row(
        alice,
        proposal,
        label="1. Complaints",
        expense_low=D(1500),
        expense_high=D(3000),
        expected_budget_year=2022,
        saving_low=D(500),
        saving_area="service",
        cross_cutting="maybe",
        large_scale="maybe",
        mature_technology="yes",
    )
    rows = list(proposal.criteria_rows.all())
    assert [r.label for r in rows] == ["Concept for hackathons", "1. Complaints"]
    assert [r.position for r in rows] == [0, 1]
    assert (rows[1].expense_low, rows[1].expense_high) == (D(1500), D(3000))
    assert rows[1].cross_cutting == "maybe" and rows[0].mature_technology == "yes"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"expense_low": D(3000), "expense_high": D(1500)}, "expense_low", "minimum"),
        ({"saving_low": D(AMOUNT_LIMIT + 1)}, "saving_low", "at most"),
        ({"expense_high": D(-5)}, "expense_high", "without a sign"),
        ({"expected_budget_year": 1900}, "expected_budget_year", "1990"),
        ({"label": "  "}, "label", "required"),
    ],
)
def test_it_refuses_a_criteria_row_with_a_bad_cell(alice, proposal, fields, field, message):
    values = {"label": "1. Complaints", **fields}
    with pytest.raises(ValidationError) as refused:
        services.add_criteria_row(alice, proposal, **values)
    assert message in " ".join(refused.value.message_dict[field])
    assert not proposal.criteria_rows.exists()


def test_it_changes_moves_and_removes_criteria_rows(alice, proposal):
    first = services.add_criteria_row(alice, proposal, label="Concept")
    second = services.add_criteria_row(alice, proposal, label="Complaints")
    services.update_criteria_row(alice, second, label="1. Complaints", expense_low=D(1500))
    assert services.move_criteria_row(alice, second, up=True)
    assert not services.move_criteria_row(alice, second, up=True)
    assert [r.label for r in proposal.criteria_rows.all()] == ["1. Complaints", "Concept"]
    services.delete_criteria_row(alice, first)
    assert [r.label for r in proposal.criteria_rows.all()] == ["1. Complaints"]
    assert {h.history_user for h in second.history.all()} == {alice}


def test_it_lets_only_those_who_may_edit_the_proposal_write_criteria(
    alice, bob, charlie, dave, proposal
):
    row = services.add_criteria_row(alice, proposal, label="Concept")
    for person in (bob, charlie, dave):
        with pytest.raises(PermissionDenied):
            services.add_criteria_row(person, proposal, label="More")
        with pytest.raises(PermissionDenied):
            services.delete_criteria_row(person, row)
    set_state(proposal, ProposalState.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.update_criteria_row(alice, row, label="Changed after submitting")


def test_it_replaces_the_whole_table_or_nothing(alice, proposal):
    kept = services.add_criteria_row(alice, proposal, label="Concept")
    dropped = services.add_criteria_row(alice, proposal, label="Dropped")
    with pytest.raises(services.TableErrors) as refused:
        services.replace_criteria_rows(
            alice,
            proposal,
            [
                {"label": "New", "expense_low": D(2000), "expense_high": D(5000)},
                {"id": kept.pk, "label": "Concept", "expense_low": D(9), "expense_high": D(1)},
            ],
        )
    assert refused.value.rows == [
        {
            "index": 1,
            "id": kept.pk,
            "field": "expense_low",
            "message": "The minimum must not be above the maximum.",
        }
    ]
    assert [r.label for r in proposal.criteria_rows.all()] == ["Concept", "Dropped"]

    rows = services.replace_criteria_rows(
        alice, proposal, [{"label": "New"}, {"id": kept.pk, "label": "Concept, reusable"}]
    )
    assert [(r.label, r.position) for r in proposal.criteria_rows.all()] == [
        ("New", 0),
        ("Concept, reusable", 1),
    ]
    assert rows[1].pk == kept.pk
    assert not CriteriaRow.objects.filter(pk=dropped.pk).exists()


def test_it_refuses_a_row_of_another_table_in_a_replacement(alice, org_a, proposal):
    from .conftest import make_proposal

    other = services.add_criteria_row(alice, make_proposal(alice, org_a), label="Other")
    with pytest.raises(services.TableErrors) as refused:
        services.replace_criteria_rows(alice, proposal, [{"id": other.pk, "label": "Mine"}])
    assert refused.value.rows[0]["field"] == "id"
    assert CriteriaRow.objects.get(pk=other.pk).label == "Other"


# 1.7 follow-up --------------------------------------------------------------------------------


def test_it_lets_a_member_of_the_presenting_department_be_responsible(
    alice, bob, charlie, proposal
):
    item = follow_up(alice, proposal, responsible="Digitalisation", responsible_user=bob)
    assert item.responsible_user == bob
    with pytest.raises(ValidationError) as refused:
        follow_up(alice, proposal, responsible_user=charlie)
    assert "Arby Kommune" in refused.value.message_dict["responsible_user"][0]


def test_it_keeps_the_follow_up_editable_after_approval_until_closed(alice, proposal):
    item = follow_up(alice, proposal)
    set_state(proposal, ProposalState.APPROVED)
    services.update_follow_up(alice, item, due_on=date(2021, 12, 31))
    set_state(proposal, ProposalState.CLOSED)
    with pytest.raises(PermissionDenied):
        services.update_follow_up(alice, item, due_on=date(2022, 1, 31))


def test_it_tells_each_responsible_person_on_approval_that_the_follow_up_is_a_task(
    alice, bob, erin, proposal, django_capture_on_commit_callbacks
):
    follow_up(alice, proposal, responsible_user=bob, due_on=date(2021, 6, 30))
    follow_up(alice, proposal, criterion="Concept ready", responsible="Digitalisation")
    done = follow_up(alice, proposal, criterion="Done already", responsible_user=erin)
    services.complete_follow_up(alice, done)
    assert not Notification.objects.exists()

    set_state(proposal, ProposalState.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.activate_follow_ups(proposal) == 1
    notification = Notification.objects.get()
    assert notification.recipient == bob
    assert "Hackathons support coming investment proposals" in notification.message
    assert notification.url.endswith(f"#follow-up-{proposal.follow_ups.first().pk}")
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]
    assert "Hackathons as market dialogue" in mail.outbox[0].body


def test_it_activates_the_follow_ups_when_the_board_approves(alice, bob, org_a, proposal):
    board = make_user("board")
    add_member(board, org_a, Role.Code.BOARD_MEMBER)
    follow_up(alice, proposal, responsible_user=bob)
    set_state(proposal, ProposalState.SUBMITTED)
    proposal_services.move_proposal(board, proposal, ProposalState.APPROVED)
    assert Notification.objects.filter(recipient=bob, url__contains="#follow-up-").exists()


def test_it_tells_a_person_made_responsible_after_approval(alice, bob, proposal):
    item = follow_up(alice, proposal)
    set_state(proposal, ProposalState.APPROVED)
    services.update_follow_up(alice, item, responsible_user=bob)
    assert Notification.objects.filter(recipient=bob).count() == 1
    services.update_follow_up(alice, item, when="End of 2021")
    assert Notification.objects.filter(recipient=bob).count() == 1


def test_it_lets_the_responsible_person_tick_their_own_task(alice, bob, erin, proposal):
    mine = follow_up(alice, proposal, responsible_user=bob)
    theirs = follow_up(alice, proposal, criterion="Someone else's", responsible_user=erin)
    set_state(proposal, ProposalState.APPROVED)
    services.complete_follow_up(bob, mine)
    assert mine.done_at is not None
    services.reopen_follow_up(bob, mine)
    assert FollowUpItem.objects.get(pk=mine.pk).done_at is None
    with pytest.raises(PermissionDenied):
        services.complete_follow_up(bob, theirs)
    with pytest.raises(PermissionDenied):
        services.update_follow_up(bob, mine, criterion="Bob's own wording")


def test_it_refuses_ticking_to_people_outside_the_proposal(alice, charlie, dave, proposal):
    item = follow_up(alice, proposal)
    for person in (charlie, dave):
        with pytest.raises(PermissionDenied):
            services.complete_follow_up(person, item)


# Reminders ------------------------------------------------------------------------------------


def test_it_reminds_once_when_a_task_falls_due(alice, bob, proposal):
    today = date(2021, 12, 31)
    item = follow_up(alice, proposal, responsible_user=bob, due_on=today)
    set_state(proposal, ProposalState.FOLLOW_UP)
    assert services.remind_due_follow_ups(today - timedelta(days=1)) == 0
    assert services.remind_due_follow_ups(today) == 1
    assert services.remind_due_follow_ups(today + timedelta(days=7)) == 0
    notification = Notification.objects.get(recipient=bob)
    assert "Opfølgning forfalden" in notification.message  # in bob's own language (Danish)
    assert FollowUpItem.objects.get(pk=item.pk).reminded_at is not None


def test_it_reminds_again_when_the_due_date_moves(alice, bob, proposal):
    item = follow_up(alice, proposal, responsible_user=bob, due_on=date(2021, 6, 30))
    set_state(proposal, ProposalState.APPROVED)
    assert services.remind_due_follow_ups(date(2021, 7, 1)) == 1
    services.update_follow_up(alice, item, due_on=date(2021, 12, 31))
    assert services.remind_due_follow_ups(date(2021, 7, 2)) == 0
    assert services.remind_due_follow_ups(date(2022, 1, 1)) == 1


@pytest.mark.parametrize("state", [ProposalState.DRAFT, ProposalState.SUBMITTED, "closed"])
def test_it_does_not_remind_of_follow_ups_of_undecided_or_closed_proposals(
    alice, bob, proposal, state
):
    follow_up(alice, proposal, responsible_user=bob, due_on=date(2021, 6, 30))
    set_state(proposal, state)
    assert services.remind_due_follow_ups(date(2022, 1, 1)) == 0
    assert not Notification.objects.exists()


def test_it_does_not_remind_of_done_or_unassigned_follow_ups(alice, bob, proposal):
    done = follow_up(alice, proposal, responsible_user=bob, due_on=date(2021, 6, 30))
    follow_up(alice, proposal, criterion="Nobody's", due_on=date(2021, 6, 30))
    set_state(proposal, ProposalState.APPROVED)
    services.complete_follow_up(bob, done)
    assert services.remind_due_follow_ups(date(2022, 1, 1)) == 0


def test_it_sends_the_reminders_from_the_reminder_command(alice, bob, proposal):
    follow_up(alice, proposal, responsible_user=bob, due_on=timezone.localdate())
    set_state(proposal, ProposalState.APPROVED)
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "Proposal follow-up reminders queued: 1" in out.getvalue()
    call_command("send_reminders", stdout=out)
    assert Notification.objects.filter(recipient=bob).count() == 1


# Consultations --------------------------------------------------------------------------------


def test_it_copies_the_bodies_of_the_template_with_their_guidance(proposal):
    bodies = list(proposal.consultations.all())
    assert bodies[0].body == "Center for Økonomi, Økonomiforvaltningen"
    assert all(b.guidance for b in bodies)
    assert len(bodies) == 6


def test_it_records_an_answer_with_its_date(alice, proposal):
    centre = proposal.consultations.first()
    services.answer_consultation(alice, centre, answer="yes", answered_on=date(2020, 6, 16))
    centre.refresh_from_db()
    assert (centre.answer, centre.answered_on) == ("yes", date(2020, 6, 16))


def test_it_allows_a_date_in_the_future(alice, proposal):
    centre = proposal.consultations.first()
    later = timezone.localdate() + timedelta(days=30)
    services.answer_consultation(alice, centre, answer="no", answered_on=later)
    assert Consultation.objects.get(pk=centre.pk).answered_on == later


def test_it_needs_a_date_for_yes_and_no_but_not_for_not_relevant(alice, proposal):
    centre = proposal.consultations.first()
    for answer in (ConsultationAnswer.YES, ConsultationAnswer.NO):
        with pytest.raises(ValidationError) as refused:
            services.answer_consultation(alice, centre, answer=answer, answered_on=None)
        assert "answered_on" in refused.value.message_dict
    services.answer_consultation(alice, centre, answer="not_relevant", answered_on=None)
    assert Consultation.objects.get(pk=centre.pk).answer == "not_relevant"


def test_it_adds_and_removes_another_body_but_keeps_the_templates(alice, proposal):
    added = services.add_consultation(alice, proposal, "Data protection officer", "GDPR")
    assert added.position == 6
    with pytest.raises(ValidationError):
        services.add_consultation(alice, proposal, "data protection officer")
    services.remove_consultation(alice, added)
    with pytest.raises(ValidationError):
        services.remove_consultation(alice, proposal.consultations.first())
    assert proposal.consultations.count() == 6


def test_it_lets_only_those_who_may_edit_the_proposal_record_answers(bob, charlie, dave, proposal):
    centre = proposal.consultations.first()
    for person in (bob, charlie, dave):
        with pytest.raises(PermissionDenied):
            services.answer_consultation(person, centre, answer="not_relevant")
        with pytest.raises(PermissionDenied):
            services.add_consultation(person, proposal, "Another body")


def test_it_replaces_answers_adds_bodies_and_keeps_the_templates_bodies(alice, proposal):
    centre = proposal.consultations.first()
    old = services.add_consultation(alice, proposal, "Old body")
    rows = services.replace_consultations(
        alice,
        proposal,
        [
            {"id": centre.pk, "answer": "yes", "answered_on": date(2020, 6, 16)},
            {"body": "Data protection officer", "answer": "not_relevant"},
        ],
    )
    assert [r.body for r in rows[:2]] == [centre.body, "Data protection officer"]
    assert not Consultation.objects.filter(pk=old.pk).exists()
    assert proposal.consultations.count() == 7
    assert [c.position for c in proposal.consultations.all()] == list(range(7))
