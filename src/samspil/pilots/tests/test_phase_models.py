"""The built-in phase models: made by the data migration, kept up to date by
``manage.py load_phase_models``; both may run again without changing anything."""

import importlib
from dataclasses import replace
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from samspil.pilots import phase_models, phase_services
from samspil.pilots.models import ChecklistTemplateItem, DecisionPoint, Phase, PhaseModel

pytestmark = pytest.mark.django_db

migration = importlib.import_module("samspil.pilots.migrations.0002_phase_models")


def phases_of(code: str) -> list[str]:
    return list(Phase.objects.filter(model__code=code).values_list("name", flat=True))


def gates_of(code: str) -> list[tuple[str, str]]:
    return list(
        DecisionPoint.objects.filter(model__code=code)
        .order_by("position")
        .values_list("code", "closes__name")
    )


def counts() -> tuple[int, int, int, int]:
    return (
        PhaseModel.objects.count(),
        Phase.objects.count(),
        DecisionPoint.objects.count(),
        ChecklistTemplateItem.objects.count(),
    )


def test_it_made_prosjektveiviseren_with_bp1_to_bp6_in_order():
    model = PhaseModel.objects.get(code="prosjektveiviseren")
    assert model.organisation is None and "Digdir" in model.source
    phases = ["Idé", "Konsept", "Planlegge", "Gjennomføre", "Avslutte", "Realisere"]
    assert phases_of("prosjektveiviseren") == phases
    assert gates_of("prosjektveiviseren") == [
        (f"BP{number}", phase) for number, phase in enumerate(phases, start=1)
    ]
    bp2 = DecisionPoint.objects.get(model=model, code="BP2")
    assert bp2.documents.splitlines() == ["Prosjektforslag", "Prosjektbegrunnelse"]
    bp3 = DecisionPoint.objects.get(model=model, code="BP3")
    assert bp3.documents.splitlines() == ["Styringsdokument", "Gevinstrealiseringsplan"]
    konsept = ChecklistTemplateItem.objects.filter(phase__model=model, phase__name="Konsept")
    assert {"Prosjektbegrunnelse utarbeidet", "Gevinster identifisert"} <= set(
        konsept.values_list("text", flat=True)
    )


def test_it_made_statens_it_projektmodel_with_its_four_phases():
    model = PhaseModel.objects.get(code="statens-it-projektmodel")
    assert "Digitaliseringsstyrelsen" in model.source
    assert phases_of(model.code) == [
        "Idéfase",
        "Analysefase",
        "Gennemførelsesfase",
        "Realiseringsfase",
    ]
    assert [code for code, _phase in gates_of(model.code)] == ["B1", "B2", "B3", "B4"]
    analysis = ChecklistTemplateItem.objects.filter(phase__model=model, phase__name="Analysefase")
    assert {
        "Business case med scenarie 0 og 1",
        "Trepunktsestimater",
        "Risikopulje fastsat",
        "Gevinstrealiseringsplan som bilag",
    } <= set(analysis.values_list("text", flat=True))


def test_it_gives_every_phase_of_the_built_in_models_a_checklist_of_three_to_six_items():
    for data in phase_models.BUILTIN_MODELS:
        for phase in Phase.objects.filter(model__code=data.code):
            assert 3 <= phase.checklist.count() <= 6, (data.code, phase.name)


def test_it_made_the_generic_model_with_gates_between_its_phases_only():
    assert phases_of("samspil-pilot") == ["Idea", "Test", "Evaluate", "Decide"]
    assert gates_of("samspil-pilot") == [("G1", "Idea"), ("G2", "Test"), ("G3", "Evaluate")]


def test_it_runs_the_migration_again_without_adding_rows_and_reverses_to_built_ins_only(
    alice, org_a
):
    own = phase_services.create_phase_model(alice, org_a, "Arby's way", ["Try", "Keep"])
    before = counts()
    migration.create_models(apps, None)
    assert counts() == before
    migration.delete_models(apps, None)
    assert list(PhaseModel.objects.values_list("code", flat=True)) == [own.code]
    migration.create_models(apps, None)
    assert counts() == before


def test_it_loads_the_models_with_the_command_again_and_again_with_a_progress_line():
    before = counts()
    out = StringIO()
    call_command("load_phase_models", stdout=out)
    call_command("load_phase_models", stdout=out)
    assert counts() == before
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("[1/3] prosjektveiviseren: updated, 6 phases, 6 decision points")
    assert len(lines) == 6


def test_it_brings_changed_rows_back_to_the_data_and_drops_surplus_template_items():
    konsept = Phase.objects.get(model__code="prosjektveiviseren", name="Konsept")
    konsept.name = "Renamed"
    konsept.save()
    ChecklistTemplateItem.objects.create(phase=konsept, text="Left over", position=99)
    DecisionPoint.objects.filter(code="BP6").update(name="Changed")

    call_command("load_phase_models", stdout=StringIO())

    assert "Konsept" in phases_of("prosjektveiviseren")
    assert not ChecklistTemplateItem.objects.filter(text="Left over").exists()
    assert DecisionPoint.objects.get(code="BP6").name == "Gevinster realisert"


def test_it_creates_a_model_missing_from_the_database_and_keeps_phases_no_longer_in_the_data():
    PhaseModel.objects.filter(code="samspil-pilot").delete()
    shorter = replace(
        phase_models.PROSJEKTVEIVISEREN,
        phases=phase_models.PROSJEKTVEIVISEREN.phases[:5],
        decision_points=phase_models.PROSJEKTVEIVISEREN.decision_points[:5],
    )
    reports = phase_services.load_builtin_models([shorter, phase_models.SAMSPIL_PILOT])
    assert [(r.code, r.created) for r in reports] == [
        ("prosjektveiviseren", False),
        ("samspil-pilot", True),
    ]
    assert reports[0].kept == ["Realisere", "BP6"]
    assert len(phases_of("prosjektveiviseren")) == 6
