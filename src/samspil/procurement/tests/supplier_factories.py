"""Helpers the supplier tests share (plain functions, not fixtures): a challenge open to
suppliers, a market event and a registration for it."""

import uuid
from datetime import timedelta

from django.utils import timezone

from samspil.core.models import Visibility
from samspil.events.models import Event, EventKind, Registration
from samspil.needs.models import Challenge, ChallengeStatus

LIGHT_OFFER = (
    "Lighting that follows the rhythm of the day for care homes and hospitals, with sensors "
    "and software that adjust it for each resident."
)


def make_challenge(owner, title="Light for residents of care homes", **fields) -> Challenge:
    values = {
        "problem_statement": "Residents of care homes sleep badly: the lighting does not "
        "follow the rhythm of the day.",
        "success_criteria": "Residents sleep better.",
        "visibility": Visibility.PUBLIC,
        "status": ChallengeStatus.OPEN,
    }
    values.update(fields)
    return Challenge.objects.create(owner=owner, title=title, **values)


def make_event(owner, title="Market day: light in care homes", **fields) -> Event:
    start = timezone.now() + timedelta(days=fields.pop("in_days", 20))
    values = {
        "kind": EventKind.MARKET_CONSULTATION,
        "capacity": 50,
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "visibility": Visibility.PUBLIC,
    }
    values.update(fields)
    return Event.objects.create(owner=owner, title=title, **values)


def register(event, user=None, *, email="", organisation="") -> Registration:
    return Registration.objects.create(
        event=event,
        name=str(user or email),
        email=email or (user.email if user else "someone@example.org"),
        organisation=organisation,
        background="supplier",
        user=user,
        cancel_token_digest=uuid.uuid4().hex,
    )
