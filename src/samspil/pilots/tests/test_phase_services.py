"""Passing decision points: in order, once, back and stop, the checklist warning and the
dates; ticking the checklist; an organisation's own phase model and who may use it."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samspil.conftest import add_member, make_user
from samspil.core.models import Role
from samspil.pilots import phase_queries
from samspil.pilots import phase_services as services
from samspil.pilots.models import (
    Decision,
    DecisionOutcome,
    DecisionPoint,
    PhaseModel,
    PilotChecklistItem,
    PilotStatus,
)

from .conftest import make_pilot

GO, STOP, BACK = DecisionOutcome.GO, DecisionOutcome.STOP, DecisionOutcome.BACK


def today():
    return timezone.localdate()


def point(pilot, code: str) -> DecisionPoint:
    return DecisionPoint.objects.select_related("closes").get(
        model_id=pilot.phase_model_id, code=code
    )


def decide(actor, pilot, code: str, outcome=GO, **fields):
    values = {"decided_by": "Styregruppen", "decided_on": today(), "documents": []}
    values.update(fields)
    return services.decide(actor, pilot, point(pilot, code), outcome, **values)


def tick_all(actor, pilot, phase):
    for item in PilotChecklistItem.objects.filter(pilot=pilot, phase=phase):
        services.tick_item(actor, item, True)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


@pytest.fixture
def pilot(alice, org_a):
    """Alice's pilot in Arby (Denmark): Statens it-projektmodel, started 30 days ago."""
    return make_pilot(alice, org_a, starts_on=today() - timedelta(days=30))


@pytest.fixture
def pv_pilot(alice, org_a):
    model = PhaseModel.objects.get(code="prosjektveiviseren")
    return make_pilot(
        alice, org_a, "Lønn", phase_model=model, starts_on=today() - timedelta(days=30)
    )


# Decisions --------------------------------------------------------------------------------------


def test_it_passes_the_first_decision_point_with_go_into_the_next_phase(alice, pilot):
    assert pilot.current_phase.name == "Idéfase"
    result = decide(
        alice,
        pilot,
        "B1",
        documents=["Projektgrundlag", " ", "https://example.org/bc.xlsx"],
        notes="  Godkendt.  ",
    )
    pilot.refresh_from_db()
    assert pilot.current_phase.name == "Analysefase" and result.state == "active"
    decision = Decision.objects.get()
    assert decision.documents == "Projektgrundlag\nhttps://example.org/bc.xlsx"
    assert (decision.notes, decision.recorded_by, decision.decided_by) == (
        "Godkendt.",
        alice,
        "Styregruppen",
    )
    assert decision.history.get().history_user == alice
    assert pilot.history.first().history_user == alice


def test_it_refuses_a_decision_point_out_of_order_naming_the_next_one(alice, pilot):
    with pytest.raises(ValidationError) as excinfo:
        decide(alice, pilot, "B3")
    message = errors_of(excinfo)["decision_point"][0]
    assert "B1" in message and "B3" in message
    assert not Decision.objects.exists()


def test_it_refuses_a_decision_point_passed_with_go_a_second_time(alice, pilot):
    decide(alice, pilot, "B1")
    with pytest.raises(ValidationError) as excinfo:
        decide(alice, pilot, "B1")
    message = errors_of(excinfo)["decision_point"][0]
    assert "B1 Igangsættelse af analysefasen" in message and "already passed" in message
    assert Decision.objects.count() == 1


def test_it_goes_back_a_phase_and_then_passes_the_earlier_point_again(alice, pilot):
    decide(alice, pilot, "B1")
    result = decide(alice, pilot, "B2", BACK, notes="The business case lacks scenario 0.")
    pilot.refresh_from_db()
    assert pilot.current_phase.name == "Idéfase" and result.state == "active"
    decide(alice, pilot, "B1")
    pilot.refresh_from_db()
    assert pilot.current_phase.name == "Analysefase"
    assert list(Decision.objects.values_list("outcome", flat=True)) == [GO, BACK, GO]


def test_it_cannot_go_back_from_the_first_phase(alice, pilot):
    with pytest.raises(ValidationError) as excinfo:
        decide(alice, pilot, "B1", BACK)
    assert "Idéfase" in errors_of(excinfo)["outcome"][0]


def test_it_stops_the_pilot_on_the_decision_date_and_takes_no_decision_after(alice, pilot):
    decided_on = today() - timedelta(days=2)
    result = decide(alice, pilot, "B1", STOP, decided_on=decided_on)
    pilot.refresh_from_db()
    assert (pilot.status, pilot.ended_on, result.state) == (
        PilotStatus.STOPPED,
        decided_on,
        "stopped",
    )
    assert pilot.current_phase.name == "Idéfase"
    with pytest.raises(ValidationError) as excinfo:
        decide(alice, pilot, "B1")
    assert "stopped" in errors_of(excinfo)["decision_point"][0]


def test_it_completes_the_model_with_the_last_go(alice, pilot):
    for code in ("B1", "B2", "B3"):
        decide(alice, pilot, code)
    result = decide(alice, pilot, "B4")
    pilot.refresh_from_db()
    assert result.state == "completed" and pilot.current_phase.name == "Realiseringsfase"
    assert pilot.status == PilotStatus.PLANNED  # the pilot's own status is its own
    progress = phase_queries.progress_of(pilot)
    assert progress.state == "completed" and progress.next_point is None
    assert {s.state for s in progress.steps} == {"done"}
    with pytest.raises(ValidationError) as excinfo:
        decide(alice, pilot, "B4")
    assert "B4" in errors_of(excinfo)["decision_point"][0]


def test_it_keeps_a_completed_pilots_end_when_a_later_point_stops(alice, pv_pilot):
    for code in ("BP1", "BP2", "BP3", "BP4", "BP5"):
        decide(alice, pv_pilot, code)
    pv_pilot.status, pv_pilot.ended_on = PilotStatus.COMPLETED, today() - timedelta(days=1)
    pv_pilot.save()
    result = decide(alice, pv_pilot, "BP6", STOP, notes="Gevinstene ble ikke tatt ut.")
    pv_pilot.refresh_from_db()
    assert result.state == "stopped"
    assert (pv_pilot.status, pv_pilot.ended_on) == (
        PilotStatus.COMPLETED,
        today() - timedelta(days=1),
    )


def test_it_warns_about_unticked_checklist_items_at_a_go_but_records_it(alice, pilot):
    idea = pilot.current_phase
    open_items = PilotChecklistItem.objects.filter(pilot=pilot, phase=idea).count()
    result = decide(alice, pilot, "B1")
    assert len(result.warnings) == 1
    assert str(open_items) in result.warnings[0] and "Idéfase" in result.warnings[0]
    assert Decision.objects.count() == 1

    analysis = pilot.current_phase
    tick_all(alice, pilot, analysis)
    assert decide(alice, pilot, "B2").warnings == []


def test_it_does_not_warn_about_the_checklist_when_going_back_or_stopping(alice, pilot):
    decide(alice, pilot, "B1")
    assert decide(alice, pilot, "B2", BACK).warnings == []


@pytest.mark.parametrize(
    ("days", "fragment"),
    [(1, "future"), (-31, "start"), (None, "previous")],
)
def test_it_refuses_bad_dates(alice, pilot, days, fragment):
    if days is None:
        decide(alice, pilot, "B1", decided_on=today() - timedelta(days=5))
        decided_on = today() - timedelta(days=6)
        code = "B2"
    else:
        decided_on, code = today() + timedelta(days=days), "B1"
    with pytest.raises(ValidationError) as excinfo:
        decide(alice, pilot, code, decided_on=decided_on)
    assert fragment in errors_of(excinfo)["decided_on"][0]


def test_it_accepts_a_decision_on_the_pilots_first_day_and_today(alice, pilot):
    decide(alice, pilot, "B1", decided_on=pilot.starts_on)
    decide(alice, pilot, "B2", decided_on=today())
    assert Decision.objects.count() == 2


def test_it_requires_who_decided_and_keeps_texts_within_limits(alice, pilot):
    with pytest.raises(ValidationError) as excinfo:
        decide(alice, pilot, "B1", decided_by="  ", notes="x" * 10001, documents="y" * 10001)
    assert set(errors_of(excinfo)) == {"decided_by", "notes", "documents"}
    with pytest.raises(ValidationError) as excinfo:
        decide(alice, pilot, "B1", decided_by="x" * 201)
    assert "decided_by" in errors_of(excinfo)


def test_it_refuses_an_unknown_outcome(alice, pilot):
    with pytest.raises(ValidationError) as excinfo:
        decide(alice, pilot, "B1", "maybe")
    assert "outcome" in errors_of(excinfo)


def test_it_refuses_a_decision_point_of_another_model(alice, pilot):
    other = DecisionPoint.objects.get(model__code="prosjektveiviseren", code="BP1")
    with pytest.raises(ValidationError) as excinfo:
        services.decide(alice, pilot, other, GO, "Styret", today())
    assert "decision_point" in errors_of(excinfo)


def test_it_refuses_decisions_for_a_pilot_without_a_phase_model(alice, org_b):
    berit = make_user("berit")
    add_member(berit, org_b, Role.Code.INNOVATION_LEAD)
    PhaseModel.objects.filter(code="prosjektveiviseren").update(code="renamed")
    pilot = make_pilot(berit, org_b, "Bergvik robot")
    assert pilot.phase_model is None
    any_point = DecisionPoint.objects.get(model__code="renamed", code="BP1")
    with pytest.raises(ValidationError) as excinfo:
        services.decide(berit, pilot, any_point, GO, "Styret", today())
    assert "no phase model" in errors_of(excinfo)["decision_point"][0]


def test_it_lets_only_those_who_decide_record_a_decision(alice, bob, charlie, dave, pilot, org_a):
    for person in (bob, charlie, dave):
        with pytest.raises(PermissionDenied):
            decide(person, pilot, "B1")
    board_member = make_user("birgitte")
    add_member(board_member, org_a, Role.Code.BOARD_MEMBER)
    decide(board_member, pilot, "B1")
    assert Decision.objects.get().recorded_by == board_member


# Checklist --------------------------------------------------------------------------------------


def test_it_ticks_an_item_off_and_opens_it_again(alice, pilot):
    item = PilotChecklistItem.objects.filter(pilot=pilot).first()
    services.tick_item(alice, item, True)
    item.refresh_from_db()
    assert item.done_at is not None and item.done_by == alice
    first_done = item.done_at
    services.tick_item(alice, item, True)
    item.refresh_from_db()
    assert item.done_at == first_done
    services.tick_item(alice, item, False)
    item.refresh_from_db()
    assert item.done_at is None and item.done_by is None


def test_it_lets_only_the_pilots_editors_tick(bob, charlie, pilot):
    item = PilotChecklistItem.objects.filter(pilot=pilot).first()
    for person in (bob, charlie):
        with pytest.raises(PermissionDenied):
            services.tick_item(person, item, True)
    pilot.team.add(bob)
    services.tick_item(bob, item, True)


def test_it_adds_the_pilots_own_item_last_in_a_phase_and_removes_it(alice, bob, pilot):
    phase = pilot.current_phase
    item = services.add_checklist_item(alice, pilot, phase, "  Borgerpanel spurgt  ")
    last = PilotChecklistItem.objects.filter(pilot=pilot, phase=phase).last()
    assert last == item and item.text == "Borgerpanel spurgt"
    with pytest.raises(PermissionDenied):
        services.remove_checklist_item(bob, item)
    services.remove_checklist_item(alice, item)
    assert not PilotChecklistItem.objects.filter(pk=item.pk).exists()


def test_it_refuses_an_empty_item_or_a_phase_of_another_model(alice, pilot):
    with pytest.raises(ValidationError):
        services.add_checklist_item(alice, pilot, pilot.current_phase, " ")
    with pytest.raises(ValidationError):
        services.add_checklist_item(alice, pilot, pilot.current_phase, "x" * 301)
    foreign = PhaseModel.objects.get(code="prosjektveiviseren").phases.first()
    with pytest.raises(ValidationError) as excinfo:
        services.add_checklist_item(alice, pilot, foreign, "Item")
    assert "phase" in errors_of(excinfo)


# Own phase models -------------------------------------------------------------------------------


def test_it_creates_an_organisations_model_with_gates_between_the_phases(alice, org_a):
    model = services.create_phase_model(
        alice,
        org_a,
        "Arby light",
        ["Idé", "Afprøvning", "Beslutning"],
        ["", "Skal det skaleres?"],
        description="Til små forsøg.",
        checklists=[["Idé beskrevet"], [], ["Anbefaling skrevet", "Gevinst målt"]],
        documents=[["Forsøgsplan"], []],
    )
    assert model.organisation == org_a and model.code == "arby-arby-light"
    assert list(model.phases.values_list("name", flat=True)) == [
        "Idé",
        "Afprøvning",
        "Beslutning",
    ]
    points = list(model.decision_points.values_list("code", "name", "closes__name", "documents"))
    assert points == [
        ("G1", "From Idé to Afprøvning", "Idé", "Forsøgsplan"),
        ("G2", "Skal det skaleres?", "Afprøvning", ""),
    ]
    assert model.phases.get(name="Beslutning").checklist.count() == 2
    again = services.create_phase_model(alice, org_a, "Arby light 2", ["A", "B"])
    assert again.code != model.code


def test_it_refuses_a_model_with_too_few_phases_a_duplicate_or_a_taken_name(alice, org_a):
    with pytest.raises(ValidationError) as excinfo:
        services.create_phase_model(alice, org_a, "One", ["Only"])
    assert "phases" in errors_of(excinfo)
    with pytest.raises(ValidationError):
        services.create_phase_model(alice, org_a, "Twice", ["A", "a"])
    with pytest.raises(ValidationError):
        services.create_phase_model(alice, org_a, "Many", [str(n) for n in range(13)])
    with pytest.raises(ValidationError) as excinfo:
        services.create_phase_model(alice, org_a, "Pair", ["A", "B"], ["G1", "G2"])
    assert "decision_points" in errors_of(excinfo)
    services.create_phase_model(alice, org_a, "Ours", ["A", "B"])
    with pytest.raises(ValidationError) as excinfo:
        services.create_phase_model(alice, org_a, "ours", ["A", "B"])
    assert "name" in errors_of(excinfo)


def test_it_lets_only_innovation_leads_of_the_organisation_define_a_model(
    bob, charlie, erin, org_a
):
    for person in (bob, charlie):
        with pytest.raises(PermissionDenied):
            services.create_phase_model(person, org_a, "Ours", ["A", "B"])
    assert services.create_phase_model(erin, org_a, "Admin's", ["A", "B"]).organisation == org_a


def test_it_shows_an_organisations_model_to_its_tree_only(alice, charlie, org_a, org_a_department):
    model = services.create_phase_model(alice, org_a, "Ours", ["A", "B"])
    social = make_user("sofie")
    add_member(social, org_a_department)

    def visible(user) -> set[str]:
        return set(phase_queries.phase_models_visible_to(user).values_list("code", flat=True))

    built_in = {"prosjektveiviseren", "statens-it-projektmodel", "samspil-pilot"}
    assert visible(alice) == visible(social) == built_in | {model.code}
    assert visible(charlie) == visible(AnonymousUser()) == built_in
    department_model = services.create_phase_model(alice, org_a_department, "Social", ["A", "B"])
    assert department_model.code in visible(alice)
