"""E-mail goes through the job queue after commit, in the recipient's language."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from samspil.conftest import make_invitation
from samspil.core import services, tasks
from samspil.core.models import Invitation


@pytest.fixture
def languages_rendered(monkeypatch) -> list[tuple[str, str]]:
    """(template, active language) for every template the e-mail helper renders."""
    seen: list[tuple[str, str]] = []

    def spy(template_name, context=None, *args, **kwargs):
        seen.append((template_name, translation.get_language()))
        return render_to_string(template_name, context, *args, **kwargs)

    monkeypatch.setattr(tasks, "render_to_string", spy)
    return seen


@pytest.fixture
def enqueued(monkeypatch) -> list[tuple]:
    """The arguments of every send_email job, which still runs (immediate backend)."""
    calls: list[tuple] = []
    task = tasks.send_email

    class Spy:
        def enqueue(self, *args):
            calls.append(args)
            return task.enqueue(*args)

    monkeypatch.setattr(tasks, "send_email", Spy())
    return calls


def subject_in(language: str, template: str, **context) -> str:
    with translation.override(language):
        return " ".join(render_to_string(f"{template}_subject.txt", context).split())


def link_path(body: str) -> str:
    line = next(line for line in body.splitlines() if "/invitations/" in line)
    assert line.startswith(settings.SITE_URL.rstrip("/"))
    return line[len(settings.SITE_URL.rstrip("/")) :]


def test_it_sends_the_invitation_only_after_the_transaction_commits(
    erin, org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.invite_member(erin, org_a, "new@example.org", [])
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1


def test_it_sends_an_invitation_with_a_working_link(
    erin, org_a, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_member(erin, org_a, "new@example.org", [])
    (message,) = mail.outbox
    assert message.to == ["new@example.org"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert "Arby Kommune" in message.subject
    assert "Erin" in message.body
    path = link_path(message.body)
    assert path.startswith("/invitations/")
    token = path.strip("/").rsplit("/", 1)[-1]
    assert Invitation.digest(token) == invitation.token_digest
    assert client.get(path).status_code == 200


def test_it_writes_the_invitation_in_the_language_of_an_existing_person(
    erin, charlie, org_a, languages_rendered, django_capture_on_commit_callbacks
):
    assert charlie.language == "nb"
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_member(erin, org_a, "charlie@example.org", [])
    assert languages_rendered == [
        ("core/email/invitation_subject.txt", "nb"),
        ("core/email/invitation_body.txt", "nb"),
    ]
    (message,) = mail.outbox
    assert message.to == ["charlie@example.org"]
    assert "/invitations/" in message.body
    assert message.subject == subject_in("nb", "core/email/invitation", organisation=org_a.name)


def test_it_writes_the_invitation_to_a_newcomer_in_the_inviters_language(
    erin, org_a, languages_rendered, django_capture_on_commit_callbacks
):
    erin.language = "sv"
    erin.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_member(erin, org_a, "newcomer@example.org", [])
    assert {language for _template, language in languages_rendered} == {"sv"}
    assert mail.outbox[0].subject == subject_in(
        "sv", "core/email/invitation", organisation=org_a.name
    )


def test_it_leaves_the_active_language_alone_after_an_e_mail(
    erin, charlie, org_a, django_capture_on_commit_callbacks
):
    with translation.override("en"):
        with django_capture_on_commit_callbacks(execute=True):
            services.invite_member(erin, org_a, "charlie@example.org", [])
        assert translation.get_language() == "en"


def test_it_sends_the_password_reset_through_the_job_in_the_persons_language(
    client, bob, enqueued, languages_rendered, django_capture_on_commit_callbacks
):
    bob.language = "sv"
    bob.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/password-reset/", {"email": "BOB@example.org"})
    (call,) = enqueued
    to, subject, body = call
    assert to == "bob@example.org"
    assert subject == subject_in("sv", "registration/password_reset")
    assert "/password-reset/" in body
    assert {language for _template, language in languages_rendered} == {"sv"}
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]


def test_it_writes_a_reminder_in_the_invitees_language_whatever_the_case_of_the_address(
    erin, charlie, org_a, languages_rendered, django_capture_on_commit_callbacks
):
    charlie.email = "Charlie@Example.org"
    charlie.save()
    make_invitation(
        org_a, "charlie@example.org", invited_by=erin, expires_at=timezone.now() + timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_open_invitations() == 1
    assert {language for _template, language in languages_rendered} == {"nb"}
    (message,) = mail.outbox
    assert message.subject == subject_in(
        "nb", "core/email/invitation_reminder", organisation=org_a.name
    )
    assert "/invitations/" in message.body


def test_it_writes_a_reminder_to_a_newcomer_in_the_inviters_language(
    erin, org_a, languages_rendered, django_capture_on_commit_callbacks
):
    erin.language = "en"
    erin.save()
    make_invitation(
        org_a,
        "newcomer@example.org",
        invited_by=erin,
        expires_at=timezone.now() + timedelta(days=2),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.remind_open_invitations()
    assert {language for _template, language in languages_rendered} == {"en"}
