"""The pilots demo: Oslo's programme short of its 30 % target, Helsingborg's hub projects at
every maturity stage, the Copenhagen–Aarhus light pilot, loaded idempotently and quickly."""

import time
from dataclasses import dataclass
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from samspil.core import permissions
from samspil.core.demo import load_demo
from samspil.core.models import User
from samspil.needs import similarity
from samspil.needs.demo import load_needs_demo
from samspil.pilots import gain
from samspil.pilots.demo import (
    ALNA_SELF_SERVICE,
    DAYLIGHT,
    HUB_PROGRAMME,
    HUB_SKILLS_EXCHANGE,
    INVOICE_ROBOT,
    MIDDELFART_LIGHT,
    OSLO_PROGRAMME,
    PAYROLL,
    PILOTS,
    STOVNER_ROBOT,
    PilotsLoadCounts,
    load_pilots_demo,
)
from samspil.pilots.models import (
    Benefit,
    BenefitStatus,
    ChecklistTemplateItem,
    KpiDefinition,
    MaturityStage,
    Outcome,
    PartnerRole,
    Pilot,
    Programme,
)

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Loaded:
    counts: PilotsLoadCounts
    seconds: float  # the pilots loader's first run


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The core and needs demo with the pilots on top, loaded once for this module and rolled
    back after it; each test's own changes are rolled back as usual."""
    similarity.reset_index()
    with (
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        load_demo()
        load_needs_demo()  # the light challenge and the districts' staff
        started = time.perf_counter()
        counts = load_pilots_demo()
        yield Loaded(counts, time.perf_counter() - started)
        transaction.set_rollback(True)
    similarity.reset_index()


@pytest.fixture
def loaded(db, demo_data) -> Loaded:
    return demo_data


def pilot(data) -> Pilot:
    return Pilot.objects.get(owner__slug=data.owner, title=data.title)


def row_counts() -> dict[str, int]:
    """Every table of the pilots app, history tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_app_config("pilots").get_models()
    }


def pilot_gain(item: Pilot) -> Decimal | None:
    series = [
        gain.KpiSeries(
            kpi.baseline_value,
            kpi.direction,
            [gain.Point(m.measured_on, m.value) for m in kpi.measurements.all()],
        )
        for kpi in item.kpis.order_by("position", "pk")
    ]
    return gain.pilot_gain(series)


def test_it_changes_nothing_when_run_again(loaded):
    first = loaded.counts
    assert (first.programmes, first.pilots, first.definitions) == (2, len(PILOTS), 3)
    assert first.created > 100
    before = row_counts()

    again = load_pilots_demo()

    assert again.created == 0
    assert row_counts() == before
    counted = (again.kpis, again.measurements, again.decisions, again.benefits, again.lessons)
    assert counted == (
        first.kpis,
        first.measurements,
        first.decisions,
        first.benefits,
        first.lessons,
    )
    assert first.lessons == sum(len(data.lessons) for data in PILOTS)


def test_it_falls_short_of_the_oslo_target_on_average(loaded):
    programme = Programme.objects.get(owner__slug=OSLO_PROGRAMME.owner, title=OSLO_PROGRAMME.title)
    assert programme.gain_target_percent == 30 and programme.max_pilot_months == 6
    assert set(programme.co_owners.values_list("slug", flat=True)) == {"oslo-alna", "oslo-stovner"}
    assert programme.coordinator.username == "oslo"
    assert programme.board.filter(username="board").exists()
    gains = {item.title: pilot_gain(item) for item in programme.pilots.all()}
    assert set(gains) == {PAYROLL.title, INVOICE_ROBOT.title}
    assert gains[PAYROLL.title] > Decimal("0.35") > Decimal("0.20") == gains[INVOICE_ROBOT.title]
    average = gain.portfolio_average(gains.values())
    assert average is not None and Decimal("0.27") < average < Decimal("0.28")
    assert average * 100 < programme.gain_target_percent


def test_it_compares_the_pilots_with_best_practice_and_other_districts(loaded):
    for name, districts in (
        ("Kostnad per lønnsslipp", {"oslo-uke", "oslo-alna"}),
        ("Minutter per kontert faktura", {"oslo-uke", "oslo-stovner", "helsingborg"}),
    ):
        definition = KpiDefinition.objects.get(owner__slug="oslo-uke", name=name)
        assert definition.visibility == "shared" and definition.direction == "lower"
        reference = definition.reference_values.get()
        assert reference.source.startswith("Demodata") and reference.value > 0
        owners = set(definition.kpis.values_list("pilot__owner__slug", flat=True))
        assert owners == districts
    stovner = pilot(STOVNER_ROBOT)
    assert pilot_gain(stovner) > Decimal("0.30")  # the district beats the sandbox it adopted


def test_it_represents_every_maturity_stage_and_outcome(loaded):
    stages = set(Pilot.objects.values_list("maturity", flat=True))
    assert stages == set(MaturityStage.values)
    hub = Pilot.objects.filter(programme__title=HUB_PROGRAMME.title)
    assert set(hub.values_list("maturity", flat=True)) == set(MaturityStage.values)
    outcomes = set(Pilot.objects.exclude(outcome="").values_list("outcome", flat=True))
    assert outcomes == set(Outcome.values)
    assert not Pilot.objects.filter(maturity=MaturityStage.OUTCOME, outcome_reason="").exists()
    guide = hub.get(outcome=Outcome.PARTNERSHIP)
    assert guide.partners.get().organisation.slug == "sogeti"
    assert hub.get(outcome=Outcome.IN_HOUSE).title == "Stadens intranät"


def test_it_records_decisions_and_partly_ticked_checklists(loaded):
    for data in PILOTS:
        item = pilot(data)
        if not data.phase_model:
            assert item.phase_model is None and not item.checklist.exists()
            continue
        assert item.phase_model.code == data.phase_model
        assert item.current_phase.model_id == item.phase_model_id
        assert item.decisions.count() == len(data.decisions)
        templates = ChecklistTemplateItem.objects.filter(phase__model=item.phase_model)
        assert item.checklist.count() == templates.count() > 0
        assert set(item.checklist.values_list("text", flat=True)) == set(
            templates.values_list("text", flat=True)
        )
    robot = pilot(INVOICE_ROBOT)
    assert list(robot.decisions.values_list("outcome", flat=True)) == ["go", "back"] + ["go"] * 4
    stopped = pilot(ALNA_SELF_SERVICE)
    assert stopped.decisions.last().outcome == "stop" and stopped.status == "stopped"
    running = pilot(MIDDELFART_LIGHT)
    assert running.current_phase.position > running.phase_model.phases.first().position
    ticked = running.checklist.filter(done_at__isnull=False).count()
    assert 0 < ticked < running.checklist.count()
    assert running.checklist.filter(done_at__isnull=False, done_by__isnull=True).count() == 0


def test_it_follows_benefits_after_the_pilots_ended(loaded):
    for data in (PAYROLL, INVOICE_ROBOT):
        item = pilot(data)
        for benefit in item.benefits.all():
            assert benefit.measurements.count() >= 2
            assert benefit.measurements.first().measured_on >= item.ended_on
    statuses = set(Benefit.objects.values_list("status", flat=True))
    assert {BenefitStatus.REALISED, BenefitStatus.PARTLY, BenefitStatus.REALISING} <= statuses
    budget = pilot(PAYROLL).benefits.get(benefit_type="budget")
    assert budget.unit == "NOK" and budget.holders.get().slug == "oslo-uke"
    assert pilot(PAYROLL).benefits.filter(benefit_type="freed_capacity").exists()
    assert pilot(PAYROLL).lessons.count() == 3


def test_it_runs_the_light_pilot_with_aarhus_and_passes_it_on(loaded):
    light = pilot(DAYLIGHT)
    assert light.challenge.title == "Biologisk lys til ældre på plejehjem"
    partner = light.partners.get()
    assert (partner.organisation.slug, partner.role) == ("aarhus", PartnerRole.PUBLIC_PARTNER)
    assert light.phase_model.code == "statens-it-projektmodel"
    falls, sleep = light.kpis.order_by("position")
    assert (falls.direction, sleep.direction) == ("lower", "higher")
    assert falls.definition.name == "Faldulykker pr. 1.000 sengedage"
    assert pilot_gain(light) > Decimal("0.2")
    assert pilot(MIDDELFART_LIGHT).adopted_from == light
    assert set(pilot(INVOICE_ROBOT).adoptions.values_list("owner__slug", flat=True)) == {
        "oslo-stovner",
        "helsingborg",
    }


def test_it_shows_each_demo_sign_in_its_own_part(loaded):
    def visible(username: str) -> set[str]:
        user = User.objects.get(username=username)
        return set(permissions.pilots_visible_to(user).values_list("title", flat=True))

    internal = HUB_SKILLS_EXCHANGE.title
    assert internal in visible("helsingborg") and internal not in visible("oslo")
    assert {PAYROLL.title, ALNA_SELF_SERVICE.title, DAYLIGHT.title} <= visible("oslo")
    assert DAYLIGHT.title in visible("demo") and PAYROLL.title in visible("demo")
    board = User.objects.get(username="board")
    assert permissions.programmes_visible_to(board).filter(title=OSLO_PROGRAMME.title).exists()
    assert permissions.can_decide_pilot(board, pilot(PAYROLL))
    assert permissions.can_edit_pilot(User.objects.get(username="oslo"), pilot(INVOICE_ROBOT))
    assert permissions.can_edit_pilot(User.objects.get(username="demo"), pilot(DAYLIGHT))


def test_it_writes_only_valid_rows(loaded):
    for model in apps.get_app_config("pilots").get_models():
        if model._meta.label.split(".")[1].startswith("Historical"):
            continue
        # Who recorded a row is not a form field: it may be empty though it is not "blank".
        recorders = [f.name for f in model._meta.fields if f.null and not f.blank]
        for row in model._default_manager.all():
            row.full_clean(exclude=recorders, validate_unique=False, validate_constraints=False)


def test_it_reports_the_rows_and_creates_nothing_the_second_time(loaded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the events demo, loaded by the command, stores files
    out = StringIO()
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        call_command("load_demo", stdout=out)
    line = next(line for line in out.getvalue().splitlines() if line.startswith("Demo pilots:"))
    assert f"{len(PILOTS)} pilots" in line and "(0 rows created)" in line
