"""Who changed which field, when: history_entries and the history panel."""

from itertools import pairwise

import pytest
from django.template import Context, Template
from django.utils import translation

from samspil.core import services
from samspil.core.history import history_entries
from samspil.core.models import Role


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_it_shows_who_changed_which_field_of_an_organisation(erin, org_a):
    services.update_organisation(erin, org_a, name="Arby Municipality", theme_colour="#000000")
    newest, created = history_entries(org_a)
    assert newest.who == "Erin"
    assert newest.kind == "Changed"
    changes = {c.field: (c.old, c.new) for c in newest.changes}
    assert changes == {
        "name": ("Arby Kommune", "Arby Municipality"),
        "theme colour": ("#1e6e8c", "#000000"),
    }
    assert created.kind == "Created"
    assert created.changes == []


def test_it_shows_the_parent_by_name_not_by_number(erin, org_a, org_a_department, org_b):
    services.create_part_of(
        erin, org_a, name="Arby Team", kind="department", country="DK", currency="DKK"
    )
    team = org_a.children.get(name="Arby Team")
    services.update_organisation(erin, team, parent=org_a_department)
    (change,) = history_entries(team)[0].changes
    assert (change.field, change.old, change.new) == (
        "belongs to",
        "Arby Kommune",
        "Arby Socialforvaltning",
    )


def test_it_shows_changed_roles_by_name(erin, bob):
    membership = bob.memberships.get()
    services.set_roles(erin, membership, [Role.Code.BOARD_MEMBER, Role.Code.INNOVATION_LEAD])
    newest = history_entries(membership)[0]
    assert newest.who == "Erin"
    (change,) = newest.changes
    assert change.field == "roles"
    assert change.old == ""
    assert set(change.new.split(", ")) == {"Board member", "Innovation lead"}


def test_it_reads_many_changes_of_roles_in_queries_that_do_not_grow_with_them(
    erin, bob, django_assert_max_num_queries
):
    membership = bob.memberships.get()
    for codes in ([Role.Code.BOARD_MEMBER], [Role.Code.INNOVATION_LEAD], []) * 4:
        services.set_roles(erin, membership, codes)
    with django_assert_max_num_queries(4):
        entries = history_entries(membership)
    rows = list(membership.history.order_by("-history_date", "-pk")[:21])
    expected = [  # what simple-history's own diff says, two queries per row
        bool(newer.diff_against(older).changes)
        for newer, older in pairwise(rows)
        if newer.history_type == "~"
    ]
    assert [bool(entry.changes) for entry in entries if entry.kind == "Changed"] == expected
    assert {c.field for entry in entries for c in entry.changes} == {"roles"}
    assert (entries[0].changes[0].old, entries[0].changes[0].new) == ("Innovation lead", "")


def test_it_shows_at_most_the_newest_changes_asked_for(erin, org_a):
    for n in range(5):
        services.update_organisation(erin, org_a, description=f"Version {n}")
    entries = history_entries(org_a, limit=3)
    assert len(entries) == 3
    assert [c.new for e in entries for c in e.changes] == ["Version 4", "Version 3", "Version 2"]
    # The oldest entry shown is still compared with the version before it.
    assert entries[-1].changes[0].old == "Version 1"


def test_it_shows_no_history_for_a_record_without_one(alice):
    token, _secret = services.create_access_token(alice, "script")
    assert history_entries(token) == []


def test_it_renders_the_history_panel_with_the_person_and_the_field(erin, org_a):
    services.update_organisation(erin, org_a, website="https://arby.example")
    html = Template("{% load samspil %}{% history_panel organisation %}").render(
        Context({"organisation": org_a})
    )
    assert "Erin" in html
    assert "website" in html
    assert "https://arby.example" in html


def test_it_renders_an_empty_history_panel(db):
    html = Template("{% load samspil %}{% history_panel record %}").render(
        Context({"record": object()})
    )
    assert "No changes recorded yet." in html


def test_it_shows_erin_her_change_on_the_organisation_page(client_for, erin, org_a):
    client = client_for(erin)
    data = {
        "name": "Arby Municipality",
        "kind": org_a.kind,
        "country": org_a.country,
        "national_id": "",
        "parent": "",
        "currency": org_a.currency,
        "theme_colour": org_a.theme_colour,
        "website": "",
        "description": "",
        "visibility": org_a.visibility,
    }
    client.post(f"/organisations/{org_a.pk}/edit/", data)
    client.cookies["samspil_language"] = "en"
    response = client.get(f"/organisations/{org_a.pk}/")
    entries = response.context["entries"]
    assert entries[0].who == "Erin"
    assert [c.field for c in entries[0].changes] == ["name"]


def test_it_shows_choices_by_label_and_dates_in_the_active_language(erin, org_a):
    from datetime import date

    from samspil.core.history import _text
    from samspil.core.models import Invitation, Organisation

    services.update_organisation(erin, org_a, kind="region")
    (change,) = history_entries(org_a)[0].changes
    assert (change.old, change.new) == ("Municipality", "Region")
    with translation.override("da"):
        assert _text(Invitation, "expires_at", date(2026, 3, 1), {}) == "01.03.2026"
    assert _text(Organisation, "description", None, {}) == ""
