"""Helpers the result tests share (plain functions, not fixtures): pilots, results, event
concepts and events. Two ways to make a result: ``make_result`` goes through the service as a
person would (a draft), ``insert_result`` writes a published row directly."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from samspil.core.models import Visibility
from samspil.events.models import ConceptTask, Criterion, Event, EventConcept, EventKind, TaskArea
from samspil.pilots.models import (
    Benefit,
    BenefitMeasurement,
    Kpi,
    Lesson,
    MaturityStage,
    Measurement,
    Outcome,
    Pilot,
    PilotKind,
    PilotStatus,
)
from samspil.results import services
from samspil.results.models import Result, ResultStatus

CONTACT = {"contact_name": "Alice", "contact_email": "alice@example.org"}


def make_pilot(owner, title="Invoice robot", visibility=Visibility.PUBLIC) -> Pilot:
    pilot = Pilot.objects.create(
        owner=owner,
        title=title,
        hypothesis="A software robot codes invoices as well as a caseworker.",
        description="The robot coded invoices from regular suppliers for six months.",
        kind=PilotKind.SANDBOX,
        starts_on=date(2024, 1, 15),
        planned_end_on=date(2024, 7, 15),
        status=PilotStatus.COMPLETED,
        maturity=MaturityStage.OUTCOME,
        outcome=Outcome.SCALE,
        outcome_reason="It saved less time than hoped but is tried in another district.",
        visibility=visibility,
    )
    kpi = Kpi.objects.create(
        pilot=pilot,
        name="Minutes per invoice",
        unit="min",
        direction="lower",
        baseline_value=Decimal("20"),
        baseline_on=date(2024, 1, 1),
        target_value=Decimal("12"),
    )
    Measurement.objects.create(kpi=kpi, measured_on=date(2024, 3, 31), value=Decimal("16"))
    Measurement.objects.create(kpi=kpi, measured_on=date(2024, 6, 30), value=Decimal("14"))
    benefit = Benefit.objects.create(
        pilot=pilot,
        benefit_type="freed_capacity",
        indicator="Hours freed a month",
        unit="h",
        direction="higher",
        baseline_value=Decimal("0"),
        baseline_on=date(2024, 1, 1),
        target_value=Decimal("40"),
        target_on=date(2024, 12, 31),
    )
    BenefitMeasurement.objects.create(
        benefit=benefit, measured_on=date(2024, 6, 30), value=Decimal("25")
    )
    Lesson.objects.create(pilot=pilot, text="Start with the suppliers that send the most.")
    return pilot


def make_result(actor, owner, title="Invoice robot in Arby", **fields) -> Result:
    """A draft written by ``actor`` through ``services.create_result`` (checked, with history)."""
    values = {"summary": "A robot codes invoices.", **CONTACT, **fields}
    return services.create_result(actor, owner, title=title, **values)


def publish(result: Result, by=None) -> Result:
    """Published without the service (for reads that need a published row)."""
    Result.objects.filter(pk=result.pk).update(
        status=ResultStatus.PUBLISHED, published_at=timezone.now(), published_by=by
    )
    result.refresh_from_db()
    return result


def make_concept(owner, visibility=Visibility.PUBLIC) -> EventConcept:
    concept = EventConcept.objects.create(
        owner=owner,
        title="Hackathon as market dialogue",
        description="How to run a hackathon with suppliers and caseworkers.",
        kind=EventKind.HACKATHON,
        visibility=visibility,
    )
    ConceptTask.objects.create(
        concept=concept, title="Book the room", area=TaskArea.TECHNICAL, days_before_start=30
    )
    ConceptTask.objects.create(
        concept=concept, title="Data agreement", area=TaskArea.LEGAL, days_before_start=45
    )
    return concept


def insert_result(owner, *, status=ResultStatus.PUBLISHED, **fields) -> Result:
    """A result row written straight to the table (no actor, no checks, no history),
    published unless ``status`` says otherwise; its texts differ from ``make_result``'s."""
    values = {
        "title": "Robotic invoice coding",
        "summary": "A software robot codes incoming invoices; staff check the exceptions.",
        "tried": "Six months in the accounts team of one district.",
        "contact_name": "Kari Nordmann",
        "contact_email": "kari@example.org",
        "status": status,
        "published_at": timezone.now() if status == ResultStatus.PUBLISHED else None,
    }
    values.update(fields)
    return Result.objects.create(owner=owner, **values)


def make_event(owner, visibility=Visibility.PUBLIC, criteria=True) -> Event:
    start = timezone.now() - timezone.timedelta(days=30)
    event = Event.objects.create(
        owner=owner,
        title="Hackathon on complaints",
        kind=EventKind.HACKATHON,
        starts_at=start,
        ends_at=start + timezone.timedelta(hours=8),
        capacity=30,
        agenda="Day 1: the problem\nDay 2: prototypes",
        visibility=visibility,
    )
    if criteria:
        Criterion.objects.create(event=event, name="Value for citizens", weight=2, position=0)
        Criterion.objects.create(event=event, name="Feasibility", weight=1, position=1)
    return event
