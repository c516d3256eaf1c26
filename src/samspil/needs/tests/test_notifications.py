"""In-app notifications: written in the recipient's language, listed and opened on a page."""

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from samspil.core.models import Notification
from samspil.core.services import mark_notifications_read, notify

INVITATION = "core/email/invitation"


def invitation_context(organisation="Arby Kommune") -> dict:
    return {"organisation": organisation, "inviter": "Alice", "path": "/invitations/x/"}


def notification_for(user, message="Din behov blev accepteret", url="/", **extra):
    return Notification.objects.create(recipient=user, message=message, url=url, **extra)


# notify ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("da", "Du er inviteret til Arby Kommune på samspil"),
        ("nb", "Du er invitert til Arby Kommune på samspil"),
        ("sv", "Du är inbjuden till Arby Kommune på samspil"),
        ("en", "You are invited to Arby Kommune on samspil"),
    ],
)
def test_it_writes_the_notification_in_the_recipients_language(
    bob, language, expected, django_capture_on_commit_callbacks
):
    bob.language = language
    bob.save()
    with translation.override("da"), django_capture_on_commit_callbacks(execute=True):
        notification = notify(bob, INVITATION, invitation_context(), "/organisations/")
    assert notification.message == expected
    assert notification.url == "/organisations/"
    assert notification.read_at is None
    [email] = mail.outbox
    assert email.to == ["bob@example.org"]
    assert email.subject == expected


def test_it_leaves_the_active_language_alone(charlie):
    with translation.override("sv"):
        notify(charlie, INVITATION, invitation_context())
        assert translation.get_language() == "sv"


def test_it_sends_the_e_mail_only_after_the_transaction_commits(
    bob, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(bob, INVITATION, invitation_context())
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_it_notifies_in_app_only_someone_without_an_e_mail_address(
    bob, django_capture_on_commit_callbacks
):
    bob.email = ""
    bob.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(bob, INVITATION, invitation_context())
    assert Notification.objects.filter(recipient=bob).count() == 1
    assert mail.outbox == []


def test_it_cuts_an_over_long_message_to_fit(bob):
    notification = notify(bob, INVITATION, invitation_context("Arby " * 200))
    assert len(notification.message) == 500


def test_it_marks_only_the_notifications_asked_for_as_read(bob, alice):
    first, second = notification_for(bob), notification_for(bob)
    alices = notification_for(alice)
    assert mark_notifications_read(bob, [first.pk, alices.pk]) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    alices.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None
    assert alices.read_at is None


# The notifications page --------------------------------------------------------------------------


def test_it_asks_an_anonymous_visitor_to_sign_in(client, db):
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_it_lists_only_bobs_own_notifications(client_for, bob, alice):
    notification_for(bob, "Til Bob")
    notification_for(alice, "Til Alice")
    response = client_for(bob).get("/notifications/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Til Bob" in content
    assert "Til Alice" not in content


def test_it_escapes_the_message(client_for, bob):
    notification_for(bob, "<script>alert(1)</script>")
    content = client_for(bob).get("/notifications/").content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_it_says_so_when_there_are_no_notifications(client_for, bob, alice):
    notification_for(alice)
    client = client_for(bob)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "No notifications yet." in client.get("/notifications/").content.decode()


def test_it_marks_all_of_bobs_notifications_read(client_for, bob, alice):
    for _ in range(3):
        notification_for(bob)
    alices = notification_for(alice)
    response = client_for(bob).post("/notifications/")
    assert response.status_code == 302
    assert response["Location"] == "/notifications/"
    assert not bob.notifications.filter(read_at__isnull=True).exists()
    alices.refresh_from_db()
    assert alices.read_at is None


def test_it_pages_the_notifications(client_for, bob):
    for n in range(settings.PAGE_SIZE + 5):
        notification_for(bob, f"Besked {n}")
    response = client_for(bob).get("/notifications/", {"page": 2})
    assert len(response.context["page"].object_list) == 5
    assert client_for(bob).get("/notifications/", {"page": "x"}).status_code == 200


def test_it_shows_the_number_of_unread_notifications_in_the_header(client_for, bob):
    notification_for(bob)
    notification_for(bob)
    notification_for(bob, read_at=timezone.now())
    client = client_for(bob)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/")
    assert response.context["unread_notifications"] == 2
    assert "2 new notifications" in response.content.decode()
    client.post("/notifications/")
    response = client.get("/")
    assert response.context["unread_notifications"] == 0
    assert "new notification" not in response.content.decode()


def test_it_costs_the_same_queries_for_3_or_30_notifications(client_for, bob):
    client = client_for(bob)

    def queries_for(count: int) -> int:
        Notification.objects.all().delete()
        for n in range(count):
            notification_for(bob, f"Besked {n}", read_at=timezone.now() if n % 2 else None)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/notifications/").status_code == 200
        return len(queries)

    assert queries_for(3) == queries_for(30)


# Opening a notification --------------------------------------------------------------------------


def test_it_marks_a_notification_read_and_goes_to_its_page(client_for, bob):
    notification = notification_for(bob, url="/organisations/?page=2")
    other = notification_for(bob)
    response = client_for(bob).post(f"/notifications/{notification.pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == "/organisations/?page=2"
    notification.refresh_from_db()
    other.refresh_from_db()
    assert notification.read_at is not None
    assert other.read_at is None


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/",
        "//evil.example/",
        "http:evil.example",
        "javascript:alert(1)",
        "\\\\evil.example",
        "/\\evil.example",
        "",
    ],
)
def test_it_goes_only_to_pages_of_this_site(client_for, bob, url):
    notification = notification_for(bob, url=url)
    response = client_for(bob).post(f"/notifications/{notification.pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == "/notifications/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_it_gives_404_for_someone_elses_notification(client_for, bob, alice):
    alices = notification_for(alice, url="/organisations/")
    response = client_for(bob).post(f"/notifications/{alices.pk}/open/")
    assert response.status_code == 404
    alices.refresh_from_db()
    assert alices.read_at is None


def test_it_gives_404_for_a_notification_that_does_not_exist(client_for, bob):
    assert client_for(bob).post("/notifications/999999/open/").status_code == 404


def test_it_opens_a_notification_only_by_post(client_for, bob):
    notification = notification_for(bob, url="/organisations/")
    assert client_for(bob).get(f"/notifications/{notification.pk}/open/").status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_it_asks_an_anonymous_visitor_to_sign_in_before_opening(client, bob):
    notification = notification_for(bob, url="/organisations/")
    response = client.post(f"/notifications/{notification.pk}/open/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    notification.refresh_from_db()
    assert notification.read_at is None
