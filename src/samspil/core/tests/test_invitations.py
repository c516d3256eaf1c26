"""Inviting the same person again replaces the open invitation; expired ones are not listed."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from samspil.core import services
from samspil.core.models import Invitation


def test_it_replaces_an_open_invitation_when_inviting_again(
    erin, org_a, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.invite_member(erin, org_a, "Nina@Example.org", ["innovation_lead"])
        second = services.invite_member(erin, org_a, "nina@example.org", [])
    first.refresh_from_db()
    assert not first.is_open
    assert second.is_open
    assert len(mailoutbox) == 2


def test_it_lists_only_open_invitations_on_the_members_page(client_for, erin, org_a):
    open_invitation = services.invite_member(erin, org_a, "open@example.org", [])
    expired = services.invite_member(erin, org_a, "late@example.org", [])
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    response = client_for(erin).get(reverse("organisation-members", args=[org_a.pk]))
    assert list(response.context["invitations"]) == [open_invitation]
