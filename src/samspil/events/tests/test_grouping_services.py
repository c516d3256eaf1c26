"""Diverse groups: the service forms, stores, explains impossible rules and rescores moves."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samspil.events import services
from samspil.events.models import Grouping, Registration
from samspil.events.services import GroupingInfeasible, GroupingSettings
from samspil.optimisation.grouping import AttributeWeights

from .conftest import make_event, register

PEOPLE = [
    ("Ane", "staff", "Copenhagen", "design"),
    ("Bo", "supplier", "Rise Digital", "development"),
    ("Cem", "entrepreneur", "Startly", "data"),
    ("Dina", "decision_maker", "Copenhagen", "procurement"),
    ("Emil", "supplier", "Netcompany", "development"),
    ("Fie", "researcher", "DTU", "data,law"),
    ("Gry", "staff", "Aarhus", "domain"),
    ("Hans", "citizen", "", ""),
]


def populate(event, people=PEOPLE) -> list[Registration]:
    out = []
    for name, background, organisation, skills in people:
        result = register(
            event,
            f"{name.lower()}@example.org",
            name=name,
            background=background,
            organisation=organisation,
            skills=skills.split(",") if skills else [],
        )
        out.append(result.registration)
    return out


@pytest.fixture
def workshop(alice, org_a):
    return make_event(alice, org_a, "Co-creation with groups", capacity=100)


@pytest.fixture
def people(workshop):
    return populate(workshop)


def test_it_forms_and_stores_balanced_diverse_groups(alice, workshop, people):
    view = services.form_groups(alice, workshop, GroupingSettings(group_count=2), seconds=0.2)
    stored = Grouping.objects.get(event=workshop)
    assert sorted(len(g) for g in stored.groups) == [4, 4]
    assert sorted(pk for g in stored.groups for pk in g) == sorted(r.pk for r in people)
    assert view.score > 1.0
    assert stored.settings["group_count"] == 2
    # Both suppliers who write software are kept apart, as are both staff members.
    group_of = {pk: k for k, g in enumerate(stored.groups) for pk in g}
    assert group_of[people[1].pk] != group_of[people[4].pk]
    assert sum(view.groups[0].mix.backgrounds.values()) == 4


def test_it_groups_attending_participants_once_attendance_is_marked(alice, workshop, people):
    for r in people[:5]:
        services.set_attendance(alice, r, True)
    services.form_groups(alice, workshop, GroupingSettings(group_size=2), seconds=0.2)
    stored = Grouping.objects.get(event=workshop)
    assert len(stored.groups) == 3
    assert sorted(pk for g in stored.groups for pk in g) == sorted(r.pk for r in people[:5])


def test_it_respects_together_apart_and_pinned(alice, workshop, people):
    ane, bo, cem, dina = (r.pk for r in people[:4])
    settings = GroupingSettings(
        group_count=3, together=[(ane, dina)], apart=[(bo, cem)], pinned={ane: 3, bo: 1}
    )
    services.form_groups(alice, workshop, settings, seconds=0.2)
    groups = Grouping.objects.get(event=workshop).groups
    group_of = {pk: k for k, g in enumerate(groups) for pk in g}
    assert group_of[ane] == group_of[dina] == 2
    assert group_of[bo] == 0 != group_of[cem]


def test_it_explains_impossible_rules_and_saves_nothing(alice, workshop, people):
    ane, bo, cem = (r.pk for r in people[:3])
    settings = GroupingSettings(group_count=2, together=[(ane, bo), (bo, cem)], apart=[(ane, cem)])
    with pytest.raises(GroupingInfeasible) as caught:
        services.form_groups(alice, workshop, settings, seconds=0.2)
    assert [r["code"] for r in caught.value.reasons] == ["together_and_apart"]
    together = next(r for r in caught.value.reasons if r["code"] == "together_and_apart")
    assert "Ane" in together["message"] and "Bo" in together["message"]
    assert together["params"]["chain"] == [ane, bo, cem]
    assert not Grouping.objects.exists()


def test_it_explains_sizes_that_cannot_add_up(alice, workshop, people):
    with pytest.raises(GroupingInfeasible) as caught:
        services.form_groups(alice, workshop, GroupingSettings(group_count=2, max_size=3))
    (reason,) = caught.value.reasons
    assert reason["code"] == "too_few_places"
    assert reason["params"] == {"total_max": 6, "people": 8}
    assert "6" in reason["message"] and "8" in reason["message"]
    assert not Grouping.objects.exists()


def test_it_explains_pins_to_groups_that_do_not_exist(alice, workshop, people):
    with pytest.raises(GroupingInfeasible) as caught:
        services.form_groups(
            alice, workshop, GroupingSettings(group_count=2, pinned={people[0].pk: 5})
        )
    reason = caught.value.reasons[0]
    assert reason["code"] == "unknown_group" and reason["params"]["group"] == 5
    assert "Ane" in reason["message"] and "5" in reason["message"]


@pytest.mark.parametrize(
    "settings",
    [
        GroupingSettings(),
        GroupingSettings(group_count=2, group_size=3),
        GroupingSettings(group_count=0),
        GroupingSettings(group_count=2, together=[(1, 999_999)]),
        GroupingSettings(group_count=2, pinned={999_999: 1}),
        GroupingSettings(group_count=2, weights=AttributeWeights(background=-1)),
    ],
)
def test_it_refuses_bad_settings(alice, workshop, people, settings):
    with pytest.raises(ValidationError):
        services.form_groups(alice, workshop, settings)
    assert not Grouping.objects.exists()


def test_it_refuses_an_event_without_participants(alice, workshop):
    with pytest.raises(ValidationError):
        services.form_groups(alice, workshop, GroupingSettings(group_count=2))


def test_it_refuses_people_who_do_not_organise(bob, charlie, workshop, people):
    for user in (bob, charlie):
        with pytest.raises(PermissionDenied):
            services.form_groups(user, workshop, GroupingSettings(group_count=2))


def test_it_moves_a_person_and_rescores(alice, bob, workshop, people):
    view = services.form_groups(alice, workshop, GroupingSettings(group_count=2), seconds=0.2)
    stored = view.grouping
    person = view.groups[0].members[0]
    services.move_to_group(alice, stored, person.pk, 2)
    after = services.grouping_view(Grouping.objects.get(pk=stored.pk))
    assert [len(g.members) for g in after.groups] == [3, 5]
    assert person in after.groups[1].members
    assert after.score != view.score
    assert after.score == pytest.approx(after.objective / stored.random_objective)
    with pytest.raises(ValidationError):
        services.move_to_group(alice, stored, person.pk, 3)
    with pytest.raises(ValidationError):
        services.move_to_group(alice, stored, 999_999, 1)
    with pytest.raises(PermissionDenied):
        services.move_to_group(bob, stored, person.pk, 1)
