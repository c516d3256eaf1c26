"""The groups pages: who may form and move, the htmx move, explanations, constant queries."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samspil.events import services
from samspil.events.models import Grouping
from samspil.events.services import GroupingSettings

from .conftest import make_event
from .test_grouping_services import PEOPLE, populate
from .test_views import text_of


@pytest.fixture
def workshop(alice, org_a):
    return make_event(alice, org_a, "Co-creation with groups", capacity=100)


@pytest.fixture
def people(workshop):
    return populate(workshop)


def url(event, tail: str = "") -> str:
    return f"/events/{event.pk}/groups/{tail}"


def form_data(**overrides) -> dict:
    data = {
        "group_count": "2",
        "weight_background": "1",
        "weight_organisation": "1",
        "weight_skills": "1",
    }
    data.update(overrides)
    return data


def test_it_lets_organisers_form_groups(client_for, alice, workshop, people):
    client = client_for(alice)
    assert client.get(url(workshop)).status_code == 200
    response = client.post(url(workshop), form_data())
    assert response.status_code == 302
    stored = Grouping.objects.get(event=workshop)
    assert len(stored.groups) == 2
    text = text_of(client.get(url(workshop)))
    assert "Group 1 (4 people)" in text and "Diversity score" in text
    assert all(name in text for name, *_ in PEOPLE)


def test_it_keeps_must_together_pairs_from_the_form(client_for, alice, workshop, people):
    ane, bo = people[0].pk, people[1].pk
    data = form_data(together_1_a=str(ane), together_1_b=str(bo), pin_1_person=str(ane))
    data["pin_1_group"] = "2"
    assert client_for(alice).post(url(workshop), data).status_code == 302
    groups = Grouping.objects.get(event=workshop).groups
    assert ane in groups[1] and bo in groups[1]


def test_it_explains_impossible_rules_and_saves_nothing(client_for, alice, workshop, people):
    ane, bo = people[0].pk, people[1].pk
    data = form_data(
        together_1_a=str(ane), together_1_b=str(bo), apart_1_a=str(ane), apart_1_b=str(bo)
    )
    response = client_for(alice).post(url(workshop), data)
    assert response.status_code == 422
    text = text_of(response)
    assert "Nothing was saved" in text and "Ane and Bo must be kept apart" in text
    assert not Grouping.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        form_data(group_count=""),
        form_data(group_size="3"),
        form_data(group_count="-1"),
        form_data(group_count="abc", weight_skills="x"),
        form_data(together_1_a="999999", together_1_b="1"),
        form_data(pin_1_person="1"),
        form_data(group_count="100"),
    ],
)
def test_it_answers_bad_input_with_the_form_not_a_500(client_for, alice, workshop, people, data):
    response = client_for(alice).post(url(workshop), data)
    assert response.status_code == 422
    assert not Grouping.objects.exists()


def test_it_refuses_the_pages_to_others(client, client_for, bob, charlie, dave, workshop, people):
    services.form_groups(workshop.created_by, workshop, GroupingSettings(group_count=2))
    for tail in ("", "print/"):
        assert client.get(url(workshop, tail)).status_code == 302  # to the login page
    for tail in ("", "print/"):
        for user in (bob, charlie, dave):
            assert client_for(user).get(url(workshop, tail)).status_code == 403
    assert client_for(bob).post(url(workshop), form_data()).status_code == 403
    move = {"registration": people[0].pk, "group": 2}
    assert client_for(charlie).post(url(workshop, "move/"), move).status_code == 403


def test_it_answers_404_to_other_organisations_for_internal_events(
    client_for, alice, charlie, org_a
):
    event = make_event(alice, org_a, "Internal", visibility="internal")
    assert client_for(charlie).get(url(event)).status_code == 404


def test_it_moves_a_person_with_htmx_and_rescores(client_for, alice, workshop, people):
    view = services.form_groups(alice, workshop, GroupingSettings(group_count=2), seconds=0.2)
    person = view.groups[0].members[0]
    response = client_for(alice).post(
        url(workshop, "move/"),
        {"registration": person.pk, "group": 2},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<section id="event-groups"') and "<html" not in html
    assert "Group 1 (3 people)" in text_of(response) and "Group 2 (5 people)" in text_of(response)
    after = services.grouping_view(Grouping.objects.get(event=workshop))
    assert f"{after.score:.2f}" in text_of(response)
    assert person.pk in Grouping.objects.get(event=workshop).groups[1]


def test_it_moves_without_javascript_and_refuses_bad_moves(client_for, alice, workshop, people):
    services.form_groups(alice, workshop, GroupingSettings(group_count=2), seconds=0.2)
    client = client_for(alice)
    response = client.post(url(workshop, "move/"), {"registration": people[0].pk, "group": 1})
    assert response.status_code == 302
    for bad in ({"registration": people[0].pk, "group": 9}, {"registration": "x"}, {}):
        response = client.post(url(workshop, "move/"), bad, headers={"HX-Request": "true"})
        assert response.status_code == 200 and "ds-validation-message" in response.content.decode()


def test_it_prints_the_group_list(client_for, alice, workshop, people):
    client = client_for(alice)
    assert "No groups have been formed yet" in text_of(client.get(url(workshop, "print/")))
    services.form_groups(alice, workshop, GroupingSettings(group_count=2), seconds=0.2)
    text = text_of(client.get(url(workshop, "print/")))
    assert "Group 2" in text and "Ane" in text


def test_it_shows_the_groups_with_a_constant_number_of_queries(client_for, alice, org_a):
    client = client_for(alice)

    def count(size: int) -> int:
        event = make_event(alice, org_a, f"Workshop {size}", capacity=100)
        people = [PEOPLE[i % len(PEOPLE)] for i in range(size)]
        people = [(f"{n}{i}", b, o, s) for i, (n, b, o, s) in enumerate(people)]
        populate(event, people)
        services.form_groups(alice, event, GroupingSettings(group_size=3), seconds=0.1)
        client.get(url(event))  # warm caches of the session and the site
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(event)).status_code == 200
        return len(queries)

    assert count(6) == count(30)


def test_it_speaks_danish(client_for, alice, workshop, people):
    services.form_groups(alice, workshop, GroupingSettings(group_count=2), seconds=0.2)
    client = client_for(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    text = text_of(client.get(url(workshop)))
    assert "Dan grupper" in text and "Mangfoldighedsscore" in text and "Fastlåst 1" in text
    ane, bo = people[0].pk, people[1].pk
    data = form_data(apart_1_a=str(ane), apart_1_b=str(bo), pin_1_person=str(ane))
    data.update(pin_1_group="1", pin_2_person=str(bo), pin_2_group="1")
    response = client.post(url(workshop), data)
    assert "Ane og Bo skal holdes adskilt" in text_of(response)
