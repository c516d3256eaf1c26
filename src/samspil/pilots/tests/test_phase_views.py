"""The phase pages for everyone who may and may not use them (Django's test client): the
pilot's phases, checklists and decisions, the panel on the pilot page, and phase models."""

import re
from datetime import timedelta

from django.template import Context, Template
from django.utils import timezone

from samspil.pilots import phase_services
from samspil.pilots.models import Decision, DecisionPoint, PhaseModel, PilotChecklistItem

from .conftest import make_pilot

HTMX = {"HX-Request": "true"}


def today():
    return timezone.localdate()


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def b1(pilot) -> DecisionPoint:
    return DecisionPoint.objects.get(model_id=pilot.phase_model_id, code="B1")


def decision_form(pilot, **overrides) -> dict:
    data = {
        "point": b1(pilot).pk,
        "outcome": "go",
        "decided_by": "Styregruppen",
        "decided_on": today().isoformat(),
        "documents": "Projektgrundlag\nForeløbig business case",
        "notes": "",
    }
    data.update(overrides)
    return data


def items_of(pilot, phase=None):
    return PilotChecklistItem.objects.filter(pilot=pilot, phase=phase or pilot.current_phase)


def pass_b1(alice, pilot):
    return phase_services.decide(alice, pilot, b1(pilot), "go", "Direktionen", today())


# The phase page ---------------------------------------------------------------------------------


def test_it_shows_the_phases_with_the_current_one_marked_to_anyone_who_sees_the_pilot(
    client, pilot
):
    response = client.get(f"/pilots/{pilot.pk}/phases/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-phase="{pilot.current_phase_id}" data-state="current" aria-current="step"' in (
        html
    )
    assert 'id="next-decision"' in html and 'data-point="B1"' in html
    assert 'id="decision-form"' not in html and 'name="done"' not in html
    assert "Business case med scenarie 0 og 1" in html


def test_it_hides_an_internal_pilots_phases_from_outsiders(
    client, client_for, bob, charlie, dave, internal_pilot
):
    url = f"/pilots/{internal_pilot.pk}/phases/"
    assert client.get(url).status_code == 404
    for person in (charlie, dave):
        assert client_for(person).get(url).status_code == 404
    response = client_for(bob).get(url)
    assert response.status_code == 200 and 'id="decision-form"' not in response.content.decode()


def test_it_shows_alice_the_decision_form_with_the_documents_and_the_checklist_warning(
    client_for, alice, pilot
):
    html = client_for(alice).get(f"/pilots/{pilot.pk}/phases/").content.decode()
    assert 'id="decision-form"' in html and 'id="checklist-warning"' in html
    assert 'id="next-documents"' in html and "Projektgrundlag inkl. plan for analysefasen" in html
    assert f'name="point" value="{b1(pilot).pk}"' in html
    assert 'name="done"' in html  # she keeps the checklist too


def test_it_records_a_go_and_shows_it_in_the_timeline(client_for, alice, pilot):
    client = client_for(alice)
    response = client.post(f"/pilots/{pilot.pk}/phases/decide/", decision_form(pilot))
    assert response.status_code == 302
    assert response.url == f"/pilots/{pilot.pk}/phases/#decisions"
    decision = Decision.objects.get()
    assert decision.documents == "Projektgrundlag\nForeløbig business case"
    pilot.refresh_from_db()
    assert pilot.current_phase.name == "Analysefase"
    page = client.get(response.url)
    html = page.content.decode()
    assert f'id="decision-{decision.pk}" data-outcome="go" data-point="B1"' in html
    assert "Styregruppen" in html and 'data-point="B2"' in html
    assert "not ticked off" in text_of(page)  # the warning of the go, shown once


def test_it_keeps_what_was_typed_when_the_decision_is_refused(client_for, alice, pilot):
    future = (today() + timedelta(days=3)).isoformat()
    response = client_for(alice).post(
        f"/pilots/{pilot.pk}/phases/decide/",
        decision_form(pilot, decided_on=future, notes="Tænk over det"),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert f'value="{future}"' in html and "Tænk over det" in html and "future" in html
    assert not Decision.objects.exists()


def test_it_refuses_a_decision_point_out_of_order_or_twice_with_a_422(client_for, alice, pilot):
    client = client_for(alice)
    b3 = DecisionPoint.objects.get(model_id=pilot.phase_model_id, code="B3")
    response = client.post(f"/pilots/{pilot.pk}/phases/decide/", decision_form(pilot, point=b3.pk))
    assert response.status_code == 422 and "The next decision point is B1" in text_of(response)
    pass_b1(alice, pilot)
    response = client.post(f"/pilots/{pilot.pk}/phases/decide/", decision_form(pilot))
    assert response.status_code == 422 and "already passed" in text_of(response)
    foreign = DecisionPoint.objects.get(model__code="prosjektveiviseren", code="BP1")
    response = client.post(
        f"/pilots/{pilot.pk}/phases/decide/", decision_form(pilot, point=foreign.pk)
    )
    assert response.status_code == 422
    for bad in (10**30, "B1", ""):
        response = client.post(
            f"/pilots/{pilot.pk}/phases/decide/", decision_form(pilot, point=bad)
        )
        assert response.status_code == 422
    assert Decision.objects.count() == 1


def test_it_names_a_missing_decision_point_in_the_readers_language(client_for, alice, pilot):
    response = client_for(alice).post(
        f"/pilots/{pilot.pk}/phases/decide/", decision_form(pilot, point="")
    )
    assert response.status_code == 422
    assert "Decision point: This field is required." in text_of(response)
    assert "Point:" not in text_of(response)


def test_it_lets_only_those_who_decide_post_a_decision(
    client, client_for, bob, charlie, dave, pilot, internal_pilot
):
    url = f"/pilots/{pilot.pk}/phases/decide/"
    response = client.post(url, decision_form(pilot))
    assert response.status_code == 302 and "/login" in response.url
    for person in (bob, charlie, dave):
        assert client_for(person).post(url, decision_form(pilot)).status_code == 403
    internal = f"/pilots/{internal_pilot.pk}/phases/decide/"
    assert client_for(charlie).post(internal, decision_form(internal_pilot)).status_code == 404
    assert client_for(bob).get(url).status_code == 405
    assert not Decision.objects.exists()


def test_it_shows_the_phase_page_in_a_constant_number_of_queries(
    client_for, alice, org_a, pilot, django_assert_max_num_queries
):
    client = client_for(alice)
    with django_assert_max_num_queries(40) as small:
        assert client.get(f"/pilots/{pilot.pk}/phases/").status_code == 200
    busy = make_pilot(alice, org_a, "Busy", starts_on=today() - timedelta(days=40))
    for number in range(8):
        phase_services.add_checklist_item(alice, busy, busy.current_phase, f"Own item {number}")
    point = b1(busy)
    phase_services.decide(alice, busy, point, "go", "Direktionen", today())
    b2 = DecisionPoint.objects.get(model_id=busy.phase_model_id, code="B2")
    phase_services.decide(alice, busy, b2, "back", "Direktionen", today())
    phase_services.decide(alice, busy, point, "go", "Direktionen", today())
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(f"/pilots/{busy.pk}/phases/").status_code == 200


# Checklist --------------------------------------------------------------------------------------


def test_it_ticks_the_checklist_as_posted_without_javascript(client_for, alice, pilot):
    first, second, *_rest = items_of(pilot)
    url = f"/pilots/{pilot.pk}/phases/{pilot.current_phase_id}/checklist/"
    response = client_for(alice).post(url, {"done": [first.pk, second.pk]})
    assert response.status_code == 302
    assert response.url.endswith(f"#phase-{pilot.current_phase_id}")
    assert set(items_of(pilot).filter(done_at__isnull=False)) == {first, second}
    client_for(alice).post(url, {"done": [second.pk]})
    assert set(items_of(pilot).filter(done_at__isnull=False)) == {second}


def test_it_answers_htmx_with_the_phases_checklist_only(client_for, alice, pilot):
    item = items_of(pilot).first()
    url = f"/pilots/{pilot.pk}/phases/{pilot.current_phase_id}/checklist/"
    response = client_for(alice).post(url, {"done": [item.pk]}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<section") and "<html" not in html
    assert f'id="checklist-item-{item.pk}" data-done="true"' in html


def test_it_adds_and_removes_an_own_item(client_for, alice, pilot):
    client = client_for(alice)
    phase = pilot.current_phase
    add = f"/pilots/{pilot.pk}/phases/{phase.pk}/checklist/add/"
    response = client.post(add, {f"p{phase.pk}-text": "Borgerpanel spurgt"})
    assert response.status_code == 302
    item = items_of(pilot).get(text="Borgerpanel spurgt")
    response = client.post(add, {f"p{phase.pk}-text": ""}, headers=HTMX)
    assert response.status_code == 422 and "<section" in response.content.decode()
    assert client.post(add, {f"p{phase.pk}-text": ""}).status_code == 422
    response = client.post(f"/pilots/{pilot.pk}/checklist/{item.pk}/remove/", headers=HTMX)
    assert response.status_code == 200
    assert not items_of(pilot).filter(pk=item.pk).exists()


def test_it_lets_only_the_pilots_editors_change_the_checklist(
    client, client_for, bob, charlie, dave, pilot, internal_pilot
):
    item = items_of(pilot).first()
    phase = pilot.current_phase_id
    urls = [
        (f"/pilots/{pilot.pk}/phases/{phase}/checklist/", {"done": [item.pk]}),
        (f"/pilots/{pilot.pk}/phases/{phase}/checklist/add/", {f"p{phase}-text": "x"}),
        (f"/pilots/{pilot.pk}/checklist/{item.pk}/remove/", {}),
    ]
    for url, data in urls:  # anonymous first: client_for signs the same client in
        assert "/login" in client.post(url, data).url
    for url, data in urls:
        for person in (bob, charlie, dave):
            assert client_for(person).post(url, data).status_code == 403
    internal_item = items_of(internal_pilot).first()
    internal = f"/pilots/{internal_pilot.pk}/checklist/{internal_item.pk}/remove/"
    assert client_for(charlie).post(internal).status_code == 404
    assert items_of(pilot).filter(done_at__isnull=True).count() == items_of(pilot).count()


def test_it_refuses_a_phase_or_item_of_another_pilot(client_for, alice, org_a, pilot):
    other = make_pilot(alice, org_a, "Other")
    foreign_phase = PhaseModel.objects.get(code="prosjektveiviseren").phases.first()
    client = client_for(alice)
    url = f"/pilots/{pilot.pk}/phases/{foreign_phase.pk}/checklist/"
    assert client.post(url, {}).status_code == 404
    other_item = items_of(other).first()
    assert client.post(f"/pilots/{pilot.pk}/checklist/{other_item.pk}/remove/").status_code == 404


# The panel on the pilot page --------------------------------------------------------------------


def test_it_shows_the_phase_panel_on_the_pilot_page(client_for, alice, pilot):
    pass_b1(alice, pilot)
    html = client_for(alice).get(f"/pilots/{pilot.pk}/").content.decode()
    assert 'id="phases"' in html and 'aria-current="step"' in html
    assert f'data-phase="{pilot.current_phase_id}" data-state="current"' in html
    assert 'id="phase-next-point" data-point="B2"' in html
    assert 'data-outcome="go">B1' in html and "Direktionen" in html
    assert f'href="/pilots/{pilot.pk}/phases/"' in html


def test_it_draws_the_panel_in_four_queries(alice, org_a, pilot, django_assert_num_queries):
    template = Template("{% load pilot_phases %}{% phase_panel pilot %}")
    busy = make_pilot(alice, org_a, "Busy", starts_on=today() - timedelta(days=10))
    pass_b1(alice, busy)
    for number in range(5):
        phase_services.add_checklist_item(alice, busy, busy.current_phase, f"Item {number}")
    for subject in (pilot, busy):
        with django_assert_num_queries(4):
            template.render(Context({"pilot": subject}))


# Phase models -----------------------------------------------------------------------------------


def test_it_lists_the_built_in_models_to_anyone_in_a_constant_number_of_queries(
    client, client_for, alice, org_a, django_assert_max_num_queries
):
    response = client.get("/pilots/phase-models/")
    html = response.content.decode()
    assert response.status_code == 200 and 'data-code="prosjektveiviseren"' in html
    assert "Idé → Konsept → Planlegge" in html and 'id="phase-model-create"' not in html
    client = client_for(alice)
    with django_assert_max_num_queries(30) as few:
        client.get("/pilots/phase-models/")
    for number in range(6):
        phase_services.create_phase_model(alice, org_a, f"Own {number}", ["A", "B", "C"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/pilots/phase-models/")
    assert response.content.decode().count('data-code="arby-own-') == 6
    assert 'id="phase-model-create"' in response.content.decode()


def test_it_shows_a_model_with_its_checklists_and_decision_points(db, client):
    model = PhaseModel.objects.get(code="prosjektveiviseren")
    response = client.get(f"/pilots/phase-models/{model.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="decision-point-BP2"' in html and "Prosjektbegrunnelse" in html
    assert "Prosjektbegrunnelse utarbeidet" in html
    assert client.get("/pilots/phase-models/99999/").status_code == 404


def test_it_hides_an_organisations_model_outside_its_tree(
    client, client_for, alice, charlie, org_a
):
    model = phase_services.create_phase_model(alice, org_a, "Arby's own", ["A", "B"])
    url = f"/pilots/phase-models/{model.pk}/"
    assert client.get(url).status_code == 404
    assert client_for(charlie).get(url).status_code == 404
    assert client_for(alice).get(url).status_code == 200


def test_it_defines_a_model_in_two_steps(client_for, alice, org_a):
    client = client_for(alice)
    assert client.get("/pilots/phase-models/new/").status_code == 200
    first = {
        "organisation": org_a.pk,
        "name": "Arby light",
        "description": "",
        "phases": "Idé\nAfprøvning\n\nBeslutning",
    }
    response = client.post("/pilots/phase-models/new/", first)
    html = response.content.decode()
    assert response.status_code == 200 and not PhaseModel.objects.filter(organisation=org_a)
    assert 'id="gate-G1"' in html and 'id="gate-G2"' in html and 'name="shown"' in html
    assert 'value="From Idé to Afprøvning"' in html

    second = {
        **first,
        "shown": "3",
        "point_1": "Må vi prøve?",
        "point_2": "",
        "documents_1": "Forsøgsplan",
        "checklist_1": "Idé beskrevet\nLeder spurgt",
    }
    response = client.post("/pilots/phase-models/new/", second)
    model = PhaseModel.objects.get(organisation=org_a)
    assert response.status_code == 302 and response.url == f"/pilots/phase-models/{model.pk}/"
    assert list(model.decision_points.values_list("code", "name")) == [
        ("G1", "Må vi prøve?"),
        ("G2", "From Afprøvning to Beslutning"),
    ]
    assert model.phases.get(position=1).checklist.count() == 2


def test_it_shows_the_decision_points_again_when_the_phases_changed(client_for, alice, org_a):
    data = {
        "organisation": org_a.pk,
        "name": "Arby light",
        "phases": "A\nB\nC",
        "shown": "2",
        "point_1": "Kept",
    }
    response = client_for(alice).post("/pilots/phase-models/new/", data)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="gate-G2"' in html and 'value="Kept"' in html
    assert not PhaseModel.objects.filter(organisation=org_a).exists()


def test_it_refuses_a_bad_model_with_a_422_keeping_the_values(client_for, alice, org_a):
    client = client_for(alice)
    data = {"organisation": org_a.pk, "name": "Lonely", "phases": "Only one"}
    response = client.post("/pilots/phase-models/new/", data)
    assert response.status_code == 422 and "Only one" in response.content.decode()
    phase_services.create_phase_model(alice, org_a, "Taken", ["A", "B"])
    data = {"organisation": org_a.pk, "name": "Taken", "phases": "A\nB", "shown": "2"}
    response = client.post("/pilots/phase-models/new/", data)
    assert response.status_code == 422 and "already has a phase model" in text_of(response)


def test_it_lets_only_innovation_leads_define_a_model(client, client_for, bob, charlie, dave):
    assert "/login" in client.get("/pilots/phase-models/new/").url
    for person in (bob, charlie, dave):
        assert client_for(person).get("/pilots/phase-models/new/").status_code == 403


def test_it_refuses_a_model_for_an_organisation_alice_does_not_lead(
    client_for, alice, org_a, org_b
):
    data = {"organisation": org_b.pk, "name": "Not ours", "phases": "A\nB", "shown": "2"}
    assert client_for(alice).post("/pilots/phase-models/new/", data).status_code == 422
    assert not PhaseModel.objects.filter(organisation=org_b).exists()
