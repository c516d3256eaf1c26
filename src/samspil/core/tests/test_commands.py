"""manage.py token and send_reminders."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from samspil.conftest import make_invitation
from samspil.core import services
from samspil.core.models import AccessToken


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_it_prints_a_token_that_signs_alice_in(alice):
    secret = run("token", "create", "alice").strip()
    assert secret.startswith(AccessToken.PREFIX)
    assert services.user_for_access_token(secret) == alice
    token = AccessToken.objects.get(user=alice)
    assert token.name == "command line"
    assert token.digest == AccessToken.digest_of(secret)


def test_it_names_a_token_as_asked(alice):
    run("token", "create", "alice", "--name", "nightly report")
    assert AccessToken.objects.get(user=alice).name == "nightly report"


def test_it_refuses_a_token_for_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        run("token", "create", "nobody")
    assert not AccessToken.objects.exists()


def test_it_revokes_a_token(alice):
    token, secret = services.create_access_token(alice, "script")
    assert run("token", "revoke", str(token.pk)).strip() == f"Revoked token {token.pk}."
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert services.user_for_access_token(secret) is None


def test_it_refuses_to_revoke_an_unknown_token(db):
    with pytest.raises(CommandError, match="No token with id 999"):
        run("token", "revoke", "999")


def test_it_needs_an_action(db):
    with pytest.raises(CommandError):
        run("token")


def test_it_reports_how_many_reminders_it_queued(erin, org_a, django_capture_on_commit_callbacks):
    make_invitation(
        org_a, "due@example.org", invited_by=erin, expires_at=timezone.now() + timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert run("send_reminders").strip() == "Invitation reminders queued: 1"
    assert [m.to for m in mail.outbox] == [["due@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        assert run("send_reminders").strip() == "Invitation reminders queued: 0"
    assert len(mail.outbox) == 1
