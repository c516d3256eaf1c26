"""load_scale --pilots: reproducible pilots, KPIs and measurements for the benchmarks, and
--clear removes only them."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from samspil.core.models import Visibility
from samspil.needs.scale import PREFIX, ScaleOptions, load_scale
from samspil.pilots import benchmark_services
from samspil.pilots.models import Kpi, KpiDefinition, Measurement, Pilot, Programme
from samspil.pilots.scale import INVOICES, PilotScaleOptions, clear, load_pilots

from .conftest import make_pilot

ORGANISATIONS = ScaleOptions(organisations=6, needs=0, seed=1, batch=50)
SMALL = PilotScaleOptions(pilots=150, measurements=700, seed=1, batch=40)


def snapshot() -> list[tuple]:
    return list(
        Measurement.objects.order_by("kpi__pilot__title", "kpi__name", "measured_on").values_list(
            "kpi__pilot__owner__slug", "kpi__pilot__title", "kpi__name", "measured_on", "value"
        )
    )


def test_it_generates_pilots_kpis_and_exactly_the_measurements_asked_for(db):
    load_scale(ORGANISATIONS)
    counts = load_pilots(SMALL)
    assert counts.pilots == Pilot.objects.count() == 150
    assert counts.measurements == Measurement.objects.count() == 700
    assert counts.kpis == Kpi.objects.count() >= 150
    assert counts.programmes == Programme.objects.count() == 1
    assert counts.definitions_made == KpiDefinition.objects.count() == 6
    assert Pilot.objects.filter(programme__isnull=False).exists()
    assert set(Pilot.objects.values_list("visibility", flat=True)) <= set(Visibility.values)
    # No measurement for a planned pilot, none before its KPI's baseline.
    assert not Measurement.objects.filter(kpi__pilot__status="planned").exists()
    for measurement in Measurement.objects.select_related("kpi")[:100]:
        assert measurement.measured_on > measurement.kpi.baseline_on


def test_it_measures_the_shared_definitions_and_a_benchmark_ranks_them(db, alice):
    load_scale(ORGANISATIONS)
    load_pilots(SMALL)
    definition = KpiDefinition.objects.get(name=INVOICES.name)
    result = benchmark_services.benchmark(alice, definition)
    assert result.summary.count > 0 and result.summary.measured > 0
    positions = [row.position for row in result.rows if row.position is not None]
    assert positions == sorted(positions) and positions[0] == 1


def test_it_reuses_a_shared_definition_of_the_same_name_and_unit(db, alice, org_a):
    demo = KpiDefinition.objects.create(
        owner=org_a,
        name=INVOICES.name,
        unit=INVOICES.unit,
        direction="lower",
        visibility=Visibility.SHARED,
    )
    load_scale(ORGANISATIONS)
    counts = load_pilots(SMALL)
    assert counts.definitions_made == 5
    assert Kpi.objects.filter(definition=demo, pilot__owner__slug__startswith=PREFIX).exists()


def test_it_same_seed_gives_the_same_pilots(db):
    load_scale(ORGANISATIONS)
    load_pilots(SMALL)
    first = snapshot()
    clear()
    load_pilots(SMALL)
    assert snapshot() == first


def test_it_clear_removes_only_generated_pilots(db, alice, org_a):
    own = make_pilot(alice, org_a, "Our own pilot")
    load_scale(ORGANISATIONS)
    load_pilots(SMALL)
    generated = KpiDefinition.objects.get(name=INVOICES.name)
    kpi = Kpi.objects.create(
        pilot=own,
        definition=generated,
        name="Minutes",
        unit=generated.unit,
        direction="lower",
        baseline_value=20,
        baseline_on=own.starts_on,
    )
    removed = clear()
    assert removed["pilots"] == 150 and removed["measurements"] == 700
    assert list(Pilot.objects.all()) == [own]
    assert not KpiDefinition.objects.exists() and not Programme.objects.exists()
    kpi.refresh_from_db()
    assert kpi.definition is None


def test_it_refuses_without_organisations_or_twice(db):
    with pytest.raises(RuntimeError):
        load_pilots(SMALL)
    load_scale(ORGANISATIONS)
    load_pilots(SMALL)
    with pytest.raises(RuntimeError):
        load_pilots(SMALL)


def test_it_command_adds_pilots_to_the_organisations_and_clears_them(db):
    out = StringIO()
    call_command("load_scale", "--organisations", "6", "--needs", "0", stdout=out)
    call_command(
        "load_scale", "--pilots", "60", "--measurements", "300", "--batch", "25", stdout=out
    )
    assert "60 pilots" in out.getvalue() and "300 measurements" in out.getvalue()
    assert Measurement.objects.count() == 300
    with pytest.raises(CommandError):
        call_command("load_scale", "--pilots", "60", stdout=StringIO())
    call_command("load_scale", "--clear", stdout=out)
    assert "60 pilots" in out.getvalue().split("Removed")[1]
    assert not Pilot.objects.exists()
