"""Reads of a proposal's criteria, follow-up and consultations, and of the follow-up tasks
a person is responsible for. Each read of a table is one or two queries, however many rows.
"""

from datetime import date

from django.db.models import F, QuerySet
from django.http import Http404

from samspil.core import permissions
from samspil.core.models import User

from . import followup_services
from .models import Consultation, CriteriaRow, FollowUpItem, Proposal


def criteria_rows(proposal: Proposal) -> list[CriteriaRow]:
    return list(proposal.criteria_rows.all())


def describe_follow_up(item: FollowUpItem, today: date) -> FollowUpItem:
    """Flags for the pages: ``overdue`` (open and past its due date) and ``needs_date`` (a
    task of a decided proposal without a due date)."""
    open_ = item.done_at is None
    item.overdue = open_ and item.due_on is not None and item.due_on < today  # type: ignore[attr-defined]
    item.needs_date = (  # type: ignore[attr-defined]
        open_ and item.due_on is None and item.proposal.state in followup_services.TASK_STATES
    )
    return item


def follow_ups(proposal: Proposal, today: date) -> list[FollowUpItem]:
    items = list(proposal.follow_ups.select_related("responsible_user"))
    for item in items:
        item.proposal = proposal
        describe_follow_up(item, today)
    return items


def consultations(proposal: Proposal) -> list[Consultation]:
    """The bodies with ``added`` telling those the proposal added itself (two queries)."""
    names = followup_services.template_body_names(proposal)
    rows = list(proposal.consultations.all())
    for row in rows:
        row.added = followup_services.is_added(row, names)  # type: ignore[attr-defined]
    return rows


def get_criteria_row(proposal: Proposal, pk) -> CriteriaRow:
    row = proposal.criteria_rows.filter(pk=pk).first()
    if row is None:
        raise Http404
    row.proposal = proposal
    return row


def get_follow_up(proposal: Proposal, pk) -> FollowUpItem:
    item = proposal.follow_ups.select_related("responsible_user").filter(pk=pk).first()
    if item is None:
        raise Http404
    item.proposal = proposal
    return item


def get_consultation(proposal: Proposal, pk) -> Consultation:
    row = proposal.consultations.filter(pk=pk).first()
    if row is None:
        raise Http404
    row.proposal = proposal
    return row


def my_follow_ups(user: User) -> QuerySet[FollowUpItem]:
    """The follow-ups ``user`` is responsible for, in proposals they may see: open ones
    first by due date (undated last), then those done, latest first."""
    if not user.is_authenticated:
        return FollowUpItem.objects.none()
    return (
        FollowUpItem.objects.filter(
            responsible_user=user.pk, proposal__in=permissions.proposals_visible_to(user)
        )
        .select_related("proposal")
        .order_by(
            F("done_at").desc(nulls_first=True),
            F("due_on").asc(nulls_last=True),
            "proposal__title",
            "position",
            "pk",
        )
    )
