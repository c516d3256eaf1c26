"""E-mail through the job queue: rendered in the recipient's language, sent by the worker."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def send_email(to: str, subject: str, body: str) -> None:
    EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [to]).send()


def queue_templated_email(to: str, template: str, context: dict, language: str) -> None:
    """Render ``<template>_subject.txt`` and ``_body.txt`` in ``language``; send after commit."""
    with translation.override(language):
        context = {**context, "site_url": settings.SITE_URL.rstrip("/")}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    transaction.on_commit(lambda: send_email.enqueue(to, subject, body))
