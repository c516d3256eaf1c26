"""Pilots shared by the pilots tests: alice's organisation A runs them.

``make_pilot(actor, owner, **fields)`` goes through ``services.create_pilot``, so a pilot made
here has its phase model, first phase and checklist like one made on the pages.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from samspil.core.models import Visibility
from samspil.pilots import services
from samspil.pilots.models import Method, PilotKind, Programme


@pytest.fixture(autouse=True)
def _english(english):
    """Every test here reads pages and messages in English (the root conftest's fixture)."""


def make_pilot(actor, owner, title="Automatic invoice coding", **fields):
    start = timezone.localdate()
    values = {
        "title": title,
        "hypothesis": "Coding invoices automatically halves the minutes per invoice.",
        "kind": PilotKind.GAIN,
        "starts_on": start,
        "planned_end_on": start + timedelta(days=120),
        "visibility": Visibility.PUBLIC,
    }
    values.update(fields)
    return services.create_pilot(actor, owner, **values)


def make_programme(actor, owner, title="Digital welfare 2025", **fields):
    """A programme row made directly (the programmes helper owns its services)."""
    start = timezone.localdate() - timedelta(days=30)
    values = {
        "title": title,
        "starts_on": start,
        "ends_on": start + timedelta(days=730),
        "method": Method.LEAN,
        "max_pilot_months": 6,
        "gain_target_percent": 30,
        "visibility": Visibility.PUBLIC,
    }
    values.update(fields)
    return Programme.objects.create(owner=owner, created_by=actor, **values)


@pytest.fixture
def programme(alice, org_a):
    """Alice's public programme in organisation A: pilots at most 6 months, target 30 %."""
    return make_programme(alice, org_a)


@pytest.fixture
def pilot(alice, org_a):
    """Alice's public gain pilot in organisation A, planned for 120 days from today."""
    return make_pilot(alice, org_a)


@pytest.fixture
def internal_pilot(alice, org_a):
    """An internal pilot of organisation A: only A's people (and its team) see it."""
    return make_pilot(
        alice,
        org_a,
        "Robot process automation in payroll",
        kind=PilotKind.SANDBOX,
        visibility=Visibility.INTERNAL,
    )
