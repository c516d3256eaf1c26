"""The groups pages: who may form and move, the htmx move, explanations, constant queries."""

import re

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


RULE_FIELDS = {"together": ("a", "b"), "apart": ("a", "b"), "pin": ("person", "group")}


def form_data(together=(), apart=(), pins=(), **overrides) -> dict:
    """What the page posts: sizes, weights and the three rule formsets (rows as tuples)."""
    data = {
        "group_count": "2",
        "weight_background": "1",
        "weight_organisation": "1",
        "weight_skills": "1",
    }
    for kind, rows in (("together", together), ("apart", apart), ("pin", pins)):
        data[f"{kind}-TOTAL_FORMS"] = str(len(rows))
        data[f"{kind}-INITIAL_FORMS"] = "0"
        for i, row in enumerate(rows):
            for name, value in zip(RULE_FIELDS[kind], row, strict=True):
                data[f"{kind}-{i}-{name}"] = str(value)
    data.update(overrides)
    return data


def row_html(response, prefix: str) -> str:
    """The markup of one rule row (``together-0``), up to the next row or the button."""
    html = response.content.decode()
    start = html.index(f'id="{prefix}-row"')
    end = min(
        i for i in (html.find("event-group-rule", start), html.find("<button", start)) if i > 0
    )
    return html[start:end]


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
    data = form_data(together=[(ane, bo)], pins=[(ane, 2)])
    assert client_for(alice).post(url(workshop), data).status_code == 302
    groups = Grouping.objects.get(event=workshop).groups
    assert ane in groups[1] and bo in groups[1]


def test_it_saves_and_applies_five_rules_of_each_kind(client_for, alice, workshop, people):
    ane, bo, cem, dina, emil, fie, gry, hans = (p.pk for p in people)
    together = [(ane, bo), (cem, dina), (emil, fie), (gry, hans), (ane, cem)]
    apart = [(ane, emil), (bo, fie), (cem, gry), (dina, hans), (ane, hans)]
    pins = [(ane, 2), (bo, 2), (emil, 1), (fie, 1), (gry, 1)]
    client = client_for(alice)
    response = client.post(url(workshop), form_data(together, apart, pins))
    assert response.status_code == 302
    stored = Grouping.objects.get(event=workshop)
    assert [sorted(g) for g in stored.groups] == [[emil, fie, gry, hans], [ane, bo, cem, dina]]
    settings_ = GroupingSettings.from_json(stored.settings)
    assert (settings_.together, settings_.apart) == (together, apart)
    assert settings_.pinned == dict(pins)

    # The stored rules come back as rows, with one empty row after them.
    form = client.get(url(workshop)).context["form"]
    for kind, rows in (("together", together), ("apart", apart), ("pin", pins)):
        formset = form.rules[kind]
        assert formset.total_form_count() == 6
        names = RULE_FIELDS[kind]
        shown = [tuple(row[n].value() for n in names) for row in formset.forms]
        assert shown == [*rows, (None, None)]


def test_it_explains_impossible_rules_and_saves_nothing(client_for, alice, workshop, people):
    ane, bo = people[0].pk, people[1].pk
    response = client_for(alice).post(
        url(workshop), form_data(together=[(ane, bo)], apart=[(ane, bo)])
    )
    assert response.status_code == 422
    text = text_of(response)
    assert "Nothing was saved" in text and "Ane and Bo must be kept apart" in text
    assert not Grouping.objects.exists()


def test_it_explains_pins_that_split_a_together_pair(client_for, alice, workshop, people):
    ane, bo, cem = people[0].pk, people[1].pk, people[2].pk
    data = form_data(together=[(ane, bo), (bo, cem)], pins=[(ane, 1), (cem, 2)])
    response = client_for(alice).post(url(workshop), data)
    assert response.status_code == 422
    assert 'data-code="pinned_split"' in response.content.decode()
    assert "are pinned to groups 1 and 2" in text_of(response)
    assert not Grouping.objects.exists()


def test_it_shows_an_error_next_to_the_row_it_concerns(client_for, alice, workshop, people):
    ane, bo, cem = people[0].pk, people[1].pk, people[2].pk
    data = form_data(together=[(ane, bo), (cem, "")], pins=[(ane, 1), (ane, 2)])
    response = client_for(alice).post(url(workshop), data)
    assert response.status_code == 422
    assert "Some rules need correcting" in text_of(response)
    assert "Choose both people or neither" not in row_html(response, "together-0")
    wrong = row_html(response, "together-1")
    assert "Choose both people or neither" in wrong and f'value="{cem}" selected' in wrong
    assert "ds-validation-message" not in row_html(response, "pin-0")
    assert "already pinned to another group" in row_html(response, "pin-1")
    assert not Grouping.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        form_data(group_count=""),
        form_data(group_size="3"),
        form_data(group_count="-1"),
        form_data(group_count="abc", weight_skills="x"),
        form_data(together=[(999999, 1)]),
        form_data(pins=[(1, "")]),
        form_data(pins=[(1, "x")]),
        form_data(group_count="100"),
        form_data(**{"together-TOTAL_FORMS": "201"}),
        {"group_count": "2", "weight_background": "1"},  # no management forms
    ],
)
def test_it_answers_bad_input_with_the_form_not_a_500(client_for, alice, workshop, people, data):
    response = client_for(alice).post(url(workshop), data)
    assert response.status_code == 422
    assert not Grouping.objects.exists()


def test_it_adds_a_rule_row_for_htmx(client_for, alice, workshop, people):
    response = client_for(alice).get(
        url(workshop, "rule/"),
        {"kind": "apart", "apart-TOTAL_FORMS": "3"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and 'id="apart-3-row"' in html
    assert 'name="apart-3-a"' in html and 'name="apart-3-b"' in html and "autofocus" in html
    assert "Apart 4: first person" in text_of(response)
    assert f'<option value="{people[0].pk}">Ane</option>' in html
    assert re.search(r'<input[^>]*name="apart-TOTAL_FORMS" value="4"[^>]*hx-swap-oob', html)
    assert 'id="apart-add-rule"' not in html  # the button stays while there is room


def test_it_replaces_the_button_at_the_last_rule_row(client_for, alice, workshop, people):
    last = str(services.RULES_MAX - 1)
    response = client_for(alice).get(
        url(workshop, "rule/"), {"kind": "pin", "pin-TOTAL_FORMS": last}
    )
    html = response.content.decode()
    assert f'name="pin-{last}-person"' in html
    assert re.search(r'<p[^>]*id="pin-add-rule"[^>]*hx-swap-oob', html) and "<button" not in html


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"kind": "other", "other-TOTAL_FORMS": "1"}, 404),
        ({"together-TOTAL_FORMS": "1"}, 404),
        ({"kind": "together", "together-TOTAL_FORMS": "x"}, 400),
        ({"kind": "together"}, 400),
        ({"kind": "together", "together-TOTAL_FORMS": "-1"}, 400),
        ({"kind": "together", "together-TOTAL_FORMS": "200"}, 400),
    ],
)
def test_it_refuses_bad_requests_for_a_rule_row(client_for, alice, workshop, query, status):
    assert client_for(alice).get(url(workshop, "rule/"), query).status_code == status


def test_it_adds_a_rule_row_without_javascript_keeping_what_was_typed(
    client_for, alice, workshop, people
):
    ane, bo = people[0].pk, people[1].pk
    data = form_data(together=[(ane, bo)], apart=[(ane, "")], weight_skills="x", add_rule="apart")
    response = client_for(alice).post(url(workshop), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "ds-validation-message" not in html and "ds-error-summary" not in html
    assert 'name="weight_skills" value="x"' in html
    assert f'value="{bo}" selected' in row_html(response, "together-0")
    assert f'value="{ane}" selected' in row_html(response, "apart-0")
    added = row_html(response, "apart-1")
    assert 'name="apart-1-a"' in added and "autofocus" in added and " selected" in added
    form = response.context["form"]
    assert [form.rules[k].total_form_count() for k in ("together", "apart", "pin")] == [1, 2, 0]
    assert not Grouping.objects.exists()

    # The longer form is sent as it is: both rows count.
    cem, dina = people[2].pk, people[3].pk
    data = form_data(together=[(ane, bo)], apart=[(ane, cem), (bo, dina)])
    assert client_for(alice).post(url(workshop), data).status_code == 302
    assert GroupingSettings.from_json(Grouping.objects.get().settings).apart == [
        (ane, cem),
        (bo, dina),
    ]


def test_it_refuses_the_pages_to_others(client, client_for, bob, charlie, dave, workshop, people):
    services.form_groups(workshop.created_by, workshop, GroupingSettings(group_count=2))
    tails = ("", "print/", "rule/?kind=together&together-TOTAL_FORMS=1")
    for tail in tails:
        assert client.get(url(workshop, tail)).status_code == 302  # to the login page
    for tail in tails:
        for user in (bob, charlie, dave):
            assert client_for(user).get(url(workshop, tail)).status_code == 403
    assert client_for(bob).post(url(workshop), form_data()).status_code == 403
    move = {"registration": people[0].pk, "group": 2}
    assert client_for(charlie).post(url(workshop, "move/"), move).status_code == 403


def test_it_answers_404_to_other_organisations_for_internal_events(
    client_for, alice, charlie, org_a
):
    event = make_event(alice, org_a, "Internal", visibility="internal")
    for tail in ("", "print/", "rule/?kind=together&together-TOTAL_FORMS=1"):
        assert client_for(charlie).get(url(event, tail)).status_code == 404


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
    data = form_data(apart=[(ane, bo)], pins=[(ane, 1), (bo, 1)])
    response = client.post(url(workshop), data)
    assert "Ane og Bo skal holdes adskilt" in text_of(response)
