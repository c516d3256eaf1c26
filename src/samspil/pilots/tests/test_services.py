"""Writes of pilots: plan, status, maturity and outcome, partners, lessons, adoption."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samspil.conftest import add_member, make_user
from samspil.core.models import Organisation, Role, Visibility
from samspil.events.tests.conftest import make_event
from samspil.needs.models import Challenge
from samspil.pilots import services
from samspil.pilots.models import (
    Benefit,
    BenefitMeasurement,
    ChecklistTemplateItem,
    Kpi,
    Measurement,
    Phase,
    PhaseModel,
    Pilot,
    PilotKind,
    PilotStatus,
)

from .conftest import make_pilot, make_programme


def phase_model(code: str) -> PhaseModel:
    """The built-in model of ``code`` (from the data migration if present), with phases."""
    model, _created = PhaseModel.objects.get_or_create(code=code, defaults={"name": code})
    if not model.phases.exists():
        for position, name in enumerate(["Concept", "Planning", "Execution"], start=1):
            phase = Phase.objects.create(model=model, name=name, position=position)
            ChecklistTemplateItem.objects.create(phase=phase, text=f"{name} approved")
    return model


def make_challenge(owner, visibility=Visibility.PUBLIC, **fields) -> Challenge:
    values = {
        "title": "Invoices take too long to code",
        "problem_statement": "Every invoice is coded by hand.",
        "success_criteria": "Half the minutes per invoice.",
        "visibility": visibility,
    }
    values.update(fields)
    return Challenge.objects.create(owner=owner, **values)


def today():
    return timezone.localdate()


# Creating -------------------------------------------------------------------------------------


def test_it_creates_a_pilot_in_the_first_phase_of_the_countrys_model(alice, org_a):
    model = phase_model("statens-it-projektmodel")
    pilot = make_pilot(alice, org_a, lead=alice, team=[alice])
    first = model.phases.order_by("position").first()
    assert pilot.phase_model == model and pilot.current_phase == first
    templates = ChecklistTemplateItem.objects.filter(phase__model=model)
    assert pilot.checklist.count() == templates.count() > 0
    assert set(pilot.checklist.values_list("text", flat=True)) == set(
        templates.values_list("text", flat=True)
    )
    assert pilot.status == PilotStatus.PLANNED and pilot.maturity == "idea"
    assert pilot.created_by == alice and list(pilot.team.all()) == [alice]
    assert pilot.history.first().history_user == alice


def test_it_uses_prosjektveiviseren_in_norway(org_b):
    model = phase_model("prosjektveiviseren")
    lead = make_user("lise")
    add_member(lead, org_b, Role.Code.INNOVATION_LEAD)
    assert make_pilot(lead, org_b).phase_model == model


def test_it_uses_no_phase_model_when_none_is_known(org_a):
    sweden = Organisation.objects.create(
        name="Solby kommun", slug="solby", kind="municipality", country="SE", currency="SEK"
    )
    lead = make_user("sven")
    add_member(lead, sweden, Role.Code.INNOVATION_LEAD)
    pilot = make_pilot(lead, sweden)
    assert pilot.phase_model is None and pilot.current_phase is None
    assert not pilot.checklist.exists()


def test_it_prefers_the_programmes_phase_model(alice, org_a):
    own = PhaseModel.objects.create(code="lean-arby", name="Lean in Arby", organisation=org_a)
    phase = Phase.objects.create(model=own, name="Try", position=1)
    programme = make_programme(alice, org_a, phase_model=own)
    pilot = make_pilot(alice, org_a, programme=programme)
    assert pilot.phase_model == own and pilot.current_phase == phase


def test_it_refuses_an_end_before_the_start(alice, org_a):
    with pytest.raises(ValidationError) as error:
        make_pilot(alice, org_a, starts_on=today(), planned_end_on=today() - timedelta(days=1))
    assert "planned_end_on" in error.value.message_dict
    assert not Pilot.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"hypothesis": ""}, "hypothesis"),
        ({"hypothesis": "x" * 10001}, "hypothesis"),
        ({"description": "x" * 10001}, "description"),
        ({"kind": "experiment"}, "kind"),
        ({"visibility": "secret"}, "visibility"),
    ],
)
def test_it_refuses_bad_fields(alice, org_a, fields, field):
    with pytest.raises(ValidationError) as error:
        make_pilot(alice, org_a, **fields)
    assert field in error.value.message_dict


def test_it_refuses_unknown_fields(alice, org_a):
    with pytest.raises(ValueError, match="Not editable"):
        make_pilot(alice, org_a, status="running")


def test_it_refuses_creation_to_members_suppliers_and_other_organisations(
    bob, charlie, dave, org_a
):
    for person in (bob, charlie, dave):
        with pytest.raises(PermissionDenied):
            make_pilot(person, org_a)


def test_it_refuses_people_of_other_organisations_in_the_team(alice, charlie, org_a):
    with pytest.raises(ValidationError) as error:
        make_pilot(alice, org_a, team=[charlie])
    assert "team" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_pilot(alice, org_a, lead=charlie)
    assert "lead" in error.value.message_dict


def test_it_refuses_unseen_challenges_events_and_programmes(alice, charlie, org_a, org_b):
    lead_b = make_user("berit")
    add_member(lead_b, org_b, Role.Code.INNOVATION_LEAD)
    hidden_challenge = make_challenge(org_b, Visibility.INTERNAL)
    hidden_event = make_event(lead_b, org_b, visibility=Visibility.INTERNAL)
    hidden_programme = make_programme(lead_b, org_b, visibility=Visibility.INTERNAL)
    for fields, field in (
        ({"challenge": hidden_challenge}, "challenge"),
        ({"event": hidden_event}, "event"),
        ({"programme": hidden_programme}, "programme"),
    ):
        with pytest.raises(ValidationError) as error:
            make_pilot(alice, org_a, **fields)
        assert field in error.value.message_dict


def test_it_refuses_another_organisations_programme_it_may_not_edit(alice, org_a, org_b):
    lead_b = make_user("berit")
    add_member(lead_b, org_b, Role.Code.INNOVATION_LEAD)
    public_elsewhere = make_programme(lead_b, org_b)
    with pytest.raises(ValidationError) as error:
        make_pilot(alice, org_a, programme=public_elsewhere)
    assert "programme" in error.value.message_dict
    public_elsewhere.co_owners.add(org_a)
    assert make_pilot(alice, org_a, programme=public_elsewhere).programme == public_elsewhere


def test_it_prefills_a_pilot_from_a_challenge(alice, org_a):
    challenge = make_challenge(org_a)
    initial = services.start_from_challenge(alice, challenge)
    assert initial["challenge"] == challenge and initial["owner"] == org_a
    assert initial["title"] == challenge.title
    assert initial["hypothesis"] == "Half the minutes per invoice."
    assert initial["planned_end_on"] > initial["starts_on"]


def test_it_refuses_to_prefill_from_an_unseen_challenge(charlie, org_a):
    with pytest.raises(PermissionDenied):
        services.start_from_challenge(charlie, make_challenge(org_a, Visibility.INTERNAL))


# Changing ---------------------------------------------------------------------------------------


def test_it_updates_the_plan(alice, bob, pilot):
    services.update_pilot(alice, pilot, title="Invoice coding, phase 2", lead=bob, team=[bob])
    pilot.refresh_from_db()
    assert pilot.title == "Invoice coding, phase 2" and pilot.lead == bob
    assert list(pilot.team.all()) == [bob]


def test_it_keeps_the_lead_unless_given(alice, bob, org_a):
    pilot = make_pilot(alice, org_a, lead=bob)
    services.update_pilot(alice, pilot, title="Renamed")
    assert Pilot.objects.get(pk=pilot.pk).lead == bob
    services.update_pilot(alice, pilot, lead=None)
    assert Pilot.objects.get(pk=pilot.pk).lead is None


def test_it_lets_the_team_edit_but_not_others(alice, bob, charlie, dave, org_a):
    pilot = make_pilot(alice, org_a, team=[bob])
    services.update_pilot(bob, pilot, description="Bob's notes")
    outsider = make_pilot(alice, org_a, "Another pilot")
    for person in (bob, charlie, dave):
        with pytest.raises(PermissionDenied):
            services.update_pilot(person, outsider, title="Taken over")


def test_it_refuses_an_update_ending_before_the_start(alice, pilot):
    with pytest.raises(ValidationError):
        services.update_pilot(alice, pilot, planned_end_on=pilot.starts_on - timedelta(days=1))
    assert Pilot.objects.get(pk=pilot.pk).planned_end_on > pilot.starts_on


def test_it_moves_the_status_forward_and_sets_the_end(alice, pilot):
    services.change_status(alice, pilot, PilotStatus.RUNNING)
    assert pilot.ended_on is None
    services.change_status(alice, pilot, PilotStatus.COMPLETED)
    pilot.refresh_from_db()
    assert pilot.status == PilotStatus.COMPLETED and pilot.ended_on == today()


def test_it_stops_a_planned_pilot_on_a_given_day(alice, org_a):
    pilot = make_pilot(alice, org_a, starts_on=today() - timedelta(days=10))
    day = pilot.starts_on + timedelta(days=3)
    services.change_status(alice, pilot, PilotStatus.STOPPED, ended_on=day)
    assert Pilot.objects.get(pk=pilot.pk).ended_on == day


@pytest.mark.parametrize("status", [PilotStatus.COMPLETED, PilotStatus.STOPPED])
def test_it_refuses_an_end_after_today(alice, pilot, status):
    services.change_status(alice, pilot, PilotStatus.RUNNING)
    with pytest.raises(ValidationError) as error:
        services.change_status(alice, pilot, status, ended_on=today() + timedelta(days=1))
    assert error.value.message_dict == {"ended_on": ["A pilot cannot end after today."]}
    pilot.refresh_from_db()
    assert pilot.status == PilotStatus.RUNNING and pilot.ended_on is None


@pytest.mark.parametrize("status", ["completed", "planned", "unknown"])
def test_it_refuses_status_jumps(alice, pilot, status):
    with pytest.raises(ValidationError) as error:
        services.change_status(alice, pilot, status)
    assert "status" in error.value.message_dict


def test_it_refuses_an_end_before_the_start_when_stopping(alice, pilot):
    with pytest.raises(ValidationError) as error:
        services.change_status(
            alice, pilot, PilotStatus.STOPPED, ended_on=pilot.starts_on - timedelta(days=1)
        )
    assert "ended_on" in error.value.message_dict


def test_it_refuses_status_changes_to_outsiders(bob, charlie, pilot):
    for person in (bob, charlie):
        with pytest.raises(PermissionDenied):
            services.change_status(person, pilot, PilotStatus.RUNNING)


# Maturity and outcome ---------------------------------------------------------------------------


def test_it_moves_the_maturity_forward_and_one_step_back(alice, pilot):
    services.set_maturity(alice, pilot, "prototype")
    services.set_maturity(alice, pilot, "pretotype")
    assert Pilot.objects.get(pk=pilot.pk).maturity == "pretotype"
    services.set_maturity(alice, pilot, "proof_of_concept")
    with pytest.raises(ValidationError) as error:
        services.set_maturity(alice, pilot, "pretotype")
    assert "maturity" in error.value.message_dict
    assert Pilot.objects.get(pk=pilot.pk).maturity == "proof_of_concept"


def test_it_requires_an_outcome_and_a_reason_at_the_last_stage(alice, pilot):
    with pytest.raises(ValidationError) as error:
        services.set_maturity(alice, pilot, "outcome")
    assert set(error.value.message_dict) == {"outcome", "outcome_reason"}
    with pytest.raises(ValidationError) as error:
        services.set_maturity(alice, pilot, "outcome", "procurement", "   ")
    assert set(error.value.message_dict) == {"outcome_reason"}
    services.set_maturity(alice, pilot, "outcome", "procurement", "No one builds it in-house.")
    pilot.refresh_from_db()
    assert (pilot.maturity, pilot.outcome) == ("outcome", "procurement")
    assert pilot.outcome_reason == "No one builds it in-house."


def test_it_clears_the_outcome_when_going_back(alice, pilot):
    services.set_maturity(alice, pilot, "outcome", "stop", "The gain was too small.")
    services.set_maturity(alice, pilot, "proof_of_concept")
    pilot.refresh_from_db()
    assert (pilot.outcome, pilot.outcome_reason) == ("", "")


@pytest.mark.parametrize(
    ("stage", "outcome"), [("prototype", "scale"), ("outcome", "buy"), ("later", "")]
)
def test_it_refuses_bad_stages_and_outcomes(alice, pilot, stage, outcome):
    with pytest.raises(ValidationError):
        services.set_maturity(alice, pilot, stage, outcome, "Because.")


def test_it_lets_only_deciders_set_the_maturity(alice, bob, charlie, org_a):
    pilot = make_pilot(alice, org_a, lead=bob)
    for person in (bob, charlie):
        with pytest.raises(PermissionDenied):
            services.set_maturity(person, pilot, "pretotype")


def test_it_lets_the_programme_board_decide(alice, charlie, org_a, programme):
    pilot = make_pilot(alice, org_a, programme=programme)
    programme.board.add(charlie)
    services.set_maturity(charlie, pilot, "outcome", "scale", "Works in three districts.")
    assert Pilot.objects.get(pk=pilot.pk).outcome == "scale"


# Partners ---------------------------------------------------------------------------------------


def test_it_adds_and_removes_partners(alice, pilot, org_b, org_c):
    supplier = services.add_partner(alice, pilot, org_c, "supplier", " Software ")
    services.add_partner(alice, pilot, org_b, "public_partner")
    assert supplier.contribution == "Software"
    assert pilot.partners.count() == 2
    services.remove_partner(alice, supplier)
    assert list(pilot.partners.values_list("organisation__slug", flat=True)) == ["bergvik"]


def test_it_refuses_bad_partners(alice, pilot, org_a, org_b, org_c):
    cluster = Organisation.objects.create(
        name="Welfare Tech", slug="welfare-tech", kind="cluster", country="DK", currency="DKK"
    )
    hidden = Organisation.objects.create(
        name="Hidden ApS",
        slug="hidden",
        kind="company",
        country="DK",
        currency="DKK",
        visibility=Visibility.INTERNAL,
    )
    services.add_partner(alice, pilot, org_c, "supplier")
    for organisation in (cluster, hidden, org_a, org_c):
        with pytest.raises(ValidationError) as error:
            services.add_partner(alice, pilot, organisation, "other")
        assert "organisation" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.add_partner(alice, pilot, org_b, "boss")
    assert "role" in error.value.message_dict


def test_it_refuses_partner_changes_to_outsiders(alice, bob, dave, pilot, org_c):
    with pytest.raises(PermissionDenied):
        services.add_partner(bob, pilot, org_c, "supplier")
    partner = services.add_partner(alice, pilot, org_c, "supplier")
    with pytest.raises(PermissionDenied):
        services.remove_partner(dave, partner)


# Lessons ----------------------------------------------------------------------------------------


def test_it_adds_edits_and_deletes_lessons(alice, pilot):
    lesson = services.add_lesson(alice, pilot, "  Involve the accountants early.  ")
    assert lesson.text == "Involve the accountants early." and lesson.created_by == alice
    services.edit_lesson(alice, lesson, "Involve the accountants in week one.")
    assert pilot.lessons.get().text == "Involve the accountants in week one."
    services.delete_lesson(alice, lesson)
    assert not pilot.lessons.exists()


@pytest.mark.parametrize("text", ["", "   ", "x" * 10001])
def test_it_refuses_empty_and_long_lessons(alice, pilot, text):
    with pytest.raises(ValidationError) as error:
        services.add_lesson(alice, pilot, text)
    assert "text" in error.value.message_dict


def test_it_refuses_lessons_to_outsiders(alice, bob, charlie, pilot):
    lesson = services.add_lesson(alice, pilot, "Keep the scope small.")
    for person in (bob, charlie):
        with pytest.raises(PermissionDenied):
            services.add_lesson(person, pilot, "Mine")
        with pytest.raises(PermissionDenied):
            services.edit_lesson(person, lesson, "Changed")
        with pytest.raises(PermissionDenied):
            services.delete_lesson(person, lesson)


# Adoption ---------------------------------------------------------------------------------------


@pytest.fixture
def lead_b(org_b):
    user = make_user("berit")
    add_member(user, org_b, Role.Code.INNOVATION_LEAD)
    return user


def _with_plan(alice, pilot, org_c):
    """KPIs and benefits with measurements, a ticked checklist, a partner, a later stage."""
    day = pilot.starts_on
    kpi = Kpi.objects.create(
        pilot=pilot,
        name="Minutes per invoice",
        unit="min",
        direction="lower",
        baseline_value=Decimal(12),
        baseline_on=day,
        target_value=Decimal(6),
        position=1,
    )
    Measurement.objects.create(kpi=kpi, measured_on=day, value=Decimal(10))
    benefit = Benefit.objects.create(
        pilot=pilot,
        benefit_type="freed_capacity",
        indicator="Hours freed",
        unit="h",
        baseline_value=Decimal(0),
        baseline_on=day,
        target_value=Decimal(500),
        target_on=day + timedelta(days=365),
        owner=alice,
        status="realising",
    )
    BenefitMeasurement.objects.create(benefit=benefit, measured_on=day, value=Decimal(50))
    pilot.checklist.update(done_at=timezone.now(), done_by=alice)
    services.add_partner(alice, pilot, org_c, "supplier")
    services.set_maturity(alice, pilot, "proof_of_concept")


def test_it_adopts_a_pilot_with_its_plan_but_without_measurements(
    alice, lead_b, org_a, org_b, org_c
):
    phase_model("statens-it-projektmodel")
    pilot = make_pilot(alice, org_a)
    _with_plan(alice, pilot, org_c)
    assert pilot.checklist.exists()
    adopted = services.adopt_pilot(lead_b, pilot, org_b)
    assert adopted.owner == org_b and adopted.adopted_from == pilot
    assert adopted.title == pilot.title and adopted.hypothesis == pilot.hypothesis
    assert adopted.kind == pilot.kind and adopted.visibility == Visibility.INTERNAL
    assert adopted.maturity == "idea" and adopted.status == PilotStatus.PLANNED
    assert adopted.lead == lead_b and adopted.starts_on == today()
    assert (adopted.planned_end_on - adopted.starts_on) == (pilot.planned_end_on - pilot.starts_on)
    assert adopted.phase_model == pilot.phase_model
    assert adopted.current_phase == pilot.phase_model.phases.first()
    kpi = adopted.kpis.get()
    assert (kpi.name, kpi.baseline_value, kpi.target_value) == ("Minutes per invoice", 12, 6)
    assert not kpi.measurements.exists()
    benefit = adopted.benefits.get()
    assert benefit.indicator == "Hours freed" and benefit.target_value == 500
    assert benefit.owner is None and benefit.status == "identified"
    assert not benefit.measurements.exists()
    copied = list(adopted.checklist.values_list("phase_id", "text", "done_at", "done_by"))
    original = list(pilot.checklist.values_list("phase_id", "text"))
    assert [(phase, text) for phase, text, *_rest in copied] == original
    assert all(done_at is None and by is None for *_rest, done_at, by in copied)
    assert not adopted.partners.exists()
    assert list(pilot.adoptions.all()) == [adopted]
    # The original keeps its own rows.
    assert pilot.kpis.get().measurements.count() == 1
    assert not pilot.checklist.filter(done_at=None).exists()


def test_it_adopts_with_overrides(lead_b, pilot, org_b):
    start = today() + timedelta(days=30)
    adopted = services.adopt_pilot(
        lead_b,
        pilot,
        org_b,
        title="Fakturakoding i Bergvik",
        starts_on=start,
        planned_end_on=start + timedelta(days=60),
        visibility=Visibility.PUBLIC,
    )
    assert adopted.title == "Fakturakoding i Bergvik" and adopted.starts_on == start
    assert adopted.visibility == Visibility.PUBLIC


def test_it_refuses_adoption_into_the_same_organisation(alice, pilot, org_a):
    with pytest.raises(ValidationError) as error:
        services.adopt_pilot(alice, pilot, org_a)
    assert "owner" in error.value.message_dict


def test_it_refuses_adoption_of_unseen_pilots_and_by_non_leads(
    charlie, lead_b, internal_pilot, pilot, org_b
):
    with pytest.raises(PermissionDenied):
        services.adopt_pilot(lead_b, internal_pilot, org_b)
    with pytest.raises(PermissionDenied):
        services.adopt_pilot(charlie, pilot, org_b)


def test_it_refuses_adoption_with_an_end_before_the_start(lead_b, pilot, org_b):
    with pytest.raises(ValidationError):
        services.adopt_pilot(
            lead_b, pilot, org_b, starts_on=today(), planned_end_on=today() - timedelta(days=1)
        )
    assert not Pilot.objects.filter(owner=org_b).exists()


def test_it_makes_the_fixture_pilots(pilot, internal_pilot, programme):
    assert pilot.kind == PilotKind.GAIN and pilot.visibility == Visibility.PUBLIC
    assert internal_pilot.visibility == Visibility.INTERNAL
    assert (programme.max_pilot_months, programme.gain_target_percent) == (6, 30)
