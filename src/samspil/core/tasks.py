"""E-mail through the job queue: rendered in the recipient's language, sent by the worker."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

# An attachment as the queue can carry it: (file name, text content, MIME type).
Attachment = tuple[str, str, str]


@task()
def send_email(
    to: str, subject: str, body: str, attachments: list[list[str]] | None = None
) -> None:
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    message.send()


def queue_templated_email(
    to: str,
    template: str,
    context: dict,
    language: str,
    attachments: list[Attachment] | None = None,
) -> None:
    """Render ``<template>_subject.txt`` and ``_body.txt`` in ``language``; send after commit.

    ``attachments`` are text files (such as an event's .ics) sent along with the message.
    """
    with translation.override(language):
        context = {**context, "site_url": settings.SITE_URL.rstrip("/")}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    if attachments:
        files = [list(a) for a in attachments]
        transaction.on_commit(lambda: send_email.enqueue(to, subject, body, files))
    else:
        transaction.on_commit(lambda: send_email.enqueue(to, subject, body))
