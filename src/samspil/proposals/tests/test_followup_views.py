"""The criteria, follow-up and consultation sections of the proposal page, their forms with
and without htmx, and the page of one's follow-up tasks."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from samspil.proposals import followup_services as services
from samspil.proposals.models import CriteriaRow, FollowUpItem, Proposal, ProposalState

from .conftest import make_proposal

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, *args) -> str:
    return reverse(f"proposals:{name}", args=args)


def set_state(proposal: Proposal, state: str) -> None:
    Proposal.objects.filter(pk=proposal.pk).update(state=state)
    proposal.refresh_from_db()


@pytest.fixture
def row(alice, proposal) -> CriteriaRow:
    return services.add_criteria_row(
        alice,
        proposal,
        label="1. Complaints",
        expense_low=Decimal(1500),
        expense_high=Decimal(3000),
        expected_proposal="Budget 2022 or 2023",
        saving_low=Decimal(500),
        saving_area="service",
        cross_cutting="maybe",
        mature_technology="yes",
    )


@pytest.fixture
def item(alice, bob, proposal) -> FollowUpItem:
    return services.add_follow_up(
        alice,
        proposal,
        criterion="Hackathons support coming investment proposals",
        responsible="Digitalisation",
        responsible_user=bob,
        when="After each hackathon",
    )


# The sections on the proposal page -------------------------------------------------------------


def test_it_shows_the_criteria_table_as_the_seed_does(client, row, proposal):
    response = client.get(proposal.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="proposal-criteria"' in html
    assert "1,500–3,000" in html and "500 a year (service)" in html
    assert '<span aria-hidden="true">X</span><span class="visually-hidden">Yes</span>' in html
    assert "maybe" in html
    assert url("criteria-edit", proposal.pk, row.pk) not in html


def test_it_writes_the_amounts_in_danish_for_a_danish_reader(client, row, proposal):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    with translation.override("da"):
        html = client.get(proposal.get_absolute_url()).content.decode()
    assert "1.500–3.000" in html


def test_it_shows_the_sections_forms_to_alice_only(client_for, alice, bob, row, proposal):
    html = client_for(alice).get(proposal.get_absolute_url()).content.decode()
    assert url("criteria-add", proposal.pk) in html
    assert url("follow-up-add", proposal.pk) in html
    assert url("consultation-add", proposal.pk) in html
    html = client_for(bob).get(proposal.get_absolute_url()).content.decode()
    assert "1. Complaints" in html
    assert url("criteria-add", proposal.pk) not in html
    assert url("follow-up-add", proposal.pk) not in html


def test_it_shows_the_consultations_with_the_bodys_guidance(client, proposal):
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "Center for Økonomi, Økonomiforvaltningen" in html
    assert "Godkender forslaget" in html


def test_it_lists_the_tasks_that_need_a_date_after_approval(client, item, proposal):
    assert "need a due date" not in client.get(proposal.get_absolute_url()).content.decode()
    set_state(proposal, ProposalState.APPROVED)
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert 'id="proposal-follow-up-undated"' in html and "Needs a date" in html


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def _add_rows(alice, proposal, count: int) -> None:
    for n in range(count):
        services.add_criteria_row(alice, proposal, label=f"Row {n}", expense_low=Decimal(n))
        services.add_follow_up(alice, proposal, criterion=f"Criterion {n}", due_on=date(2021, 1, 1))
        services.add_consultation(alice, proposal, f"Body {n}")


def test_it_loads_the_sections_with_the_same_queries_for_2_or_10_rows(
    client_for, alice, bob, org_a
):
    few, many = make_proposal(alice, org_a), make_proposal(alice, org_a, title="Many")
    _add_rows(alice, few, 2)
    _add_rows(alice, many, 10)
    for person in (alice, bob):
        client = client_for(person)
        _queries(client, few.get_absolute_url())  # warm the session and caches
        assert _queries(client, few.get_absolute_url()) == _queries(client, many.get_absolute_url())


# Criteria ------------------------------------------------------------------------------------


def test_it_adds_a_criteria_row_with_htmx(client_for, alice, proposal):
    response = client_for(alice).post(
        url("criteria-add", proposal.pk),
        {"label": "2. Citizen documentation", "expense": "2000–5000", "saving": "1½-3 mio."},
        **HTMX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="1½-3 mio."' in html and 'value="2000–5000"' in html
    assert not proposal.criteria_rows.exists()

    response = client_for(alice).post(
        url("criteria-add", proposal.pk),
        {"label": "2. Citizen documentation", "expense": "2000–5000", "saving": "1,500-3,000"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "2,000–5,000" in response.content.decode()
    row = proposal.criteria_rows.get()
    assert (row.saving_low, row.saving_high) == (1500, 3000)


def test_it_shows_the_services_refusal_on_the_field(client_for, alice, proposal):
    response = client_for(alice).post(
        url("criteria-add", proposal.pk),
        {"label": "Too much", "expense": "3000-1500", "expected_budget_year": "2500"},
        **HTMX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "The minimum must not be above the maximum." in html
    assert "Enter a year from 1990 to 2100." in html
    assert 'value="3000-1500"' in html


def test_it_adds_a_row_without_javascript_and_comes_back_to_the_section(
    client_for, alice, proposal
):
    response = client_for(alice).post(url("criteria-add", proposal.pk), {"label": "Concept"})
    assert response.status_code == 302
    assert response["Location"] == f"{proposal.get_absolute_url()}#proposal-criteria"


def test_it_shows_a_refused_row_on_its_own_page_without_javascript(client_for, alice, proposal):
    response = client_for(alice).post(url("criteria-add", proposal.pk), {"expense": "x"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" in html and 'value="x"' in html and "This field is required." in html


def test_it_edits_moves_and_removes_a_row(client_for, alice, row, proposal):
    client = client_for(alice)
    edit = url("criteria-edit", proposal.pk, row.pk)
    response = client.get(edit, **HTMX)
    assert 'value="1,500–3,000"' in response.content.decode()
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"label": "1. Complaints", "expense": "1500"}, **HTMX)
    assert response.status_code == 200
    row.refresh_from_db()
    assert (row.expense_low, row.expense_high, row.cross_cutting) == (1500, 1500, "")
    other = services.add_criteria_row(alice, proposal, label="Concept")
    client.post(url("criteria-move", proposal.pk, other.pk), {"direction": "up"}, **HTMX)
    assert [r.label for r in proposal.criteria_rows.all()] == ["Concept", "1. Complaints"]
    assert (
        client.post(url("criteria-move", proposal.pk, other.pk), {"direction": "x"}).status_code
        == 404
    )
    client.post(url("criteria-delete", proposal.pk, row.pk))
    assert [r.label for r in proposal.criteria_rows.all()] == ["Concept"]


def test_it_refuses_criteria_changes_to_others(
    client, client_for, bob, charlie, dave, row, proposal, internal_proposal
):
    add = url("criteria-add", proposal.pk)
    assert client.post(add, {"label": "x"}).status_code == 302  # to sign in
    assert "login" in client.post(add, {"label": "x"})["Location"]
    assert client_for(bob).post(add, {"label": "x"}).status_code == 403
    assert client_for(dave).post(add, {"label": "x"}).status_code == 403
    assert client_for(charlie).get(url("criteria-edit", proposal.pk, row.pk)).status_code == 403
    internal = url("criteria-add", internal_proposal.pk)
    assert client_for(charlie).post(internal, {"label": "x"}).status_code == 404
    assert client_for(dave).post(internal, {"label": "x"}).status_code == 404
    assert proposal.criteria_rows.count() == 1


def _two_rows(alice, proposal) -> CriteriaRow:
    services.add_criteria_row(alice, proposal, label="First")
    return services.add_criteria_row(alice, proposal, label="Second")


def _two_follow_ups(alice, proposal) -> FollowUpItem:
    services.add_follow_up(alice, proposal, criterion="First")
    return services.add_follow_up(alice, proposal, criterion="Second")


def _added_body(alice, proposal):
    return services.add_consultation(alice, proposal, body="Data protection officer")


def _labels(rows) -> list[str]:
    return list(rows.values_list("label", flat=True))


def _criteria(items) -> list[str]:
    return list(items.values_list("criterion", flat=True))


# Per route: what to make first (its pk goes in the URL), what to post, and what alice's
# post leaves behind (nobody else's may).
GUARDED_ROUTES = {
    "criteria-delete": (_two_rows, {}, lambda p: _labels(p.criteria_rows) == ["First"]),
    "criteria-move": (
        _two_rows,
        {"direction": "up"},
        lambda p: _labels(p.criteria_rows) == ["Second", "First"],
    ),
    "follow-up-add": (
        None,
        {"criterion": "Prototype delivered"},
        lambda p: _criteria(p.follow_ups) == ["Prototype delivered"],
    ),
    "follow-up-delete": (_two_follow_ups, {}, lambda p: _criteria(p.follow_ups) == ["First"]),
    "follow-up-move": (
        _two_follow_ups,
        {"direction": "up"},
        lambda p: _criteria(p.follow_ups) == ["Second", "First"],
    ),
    "consultation-add": (
        None,
        {"body": "Data protection officer"},
        lambda p: p.consultations.filter(body="Data protection officer").exists(),
    ),
    "consultation-delete": (
        _added_body,
        {},
        lambda p: not p.consultations.filter(body="Data protection officer").exists(),
    ),
}


@pytest.mark.parametrize("name", GUARDED_ROUTES)
def test_it_lets_alice_use_the_route_and_refuses_everyone_else(
    client, client_for, alice, bob, charlie, dave, internal_proposal, name
):
    make, data, done = GUARDED_ROUTES[name]
    target = make(alice, internal_proposal) if make else None
    path = url(name, internal_proposal.pk, *([target.pk] if target else []))

    response = client.post(path, data, **HTMX)
    assert response.status_code == 302 and "login" in response["Location"]
    assert client_for(bob).post(path, data, **HTMX).status_code == 403  # a member of A
    for outsider in (charlie, dave):
        assert client_for(outsider).post(path, data, **HTMX).status_code == 404
    assert not done(internal_proposal)

    assert client_for(alice).post(path, data, **HTMX).status_code == 200
    assert done(internal_proposal)


def test_it_answers_404_for_a_row_of_another_proposal(client_for, alice, org_a, row):
    other = make_proposal(alice, org_a, title="Other")
    response = client_for(alice).get(url("criteria-edit", other.pk, row.pk))
    assert response.status_code == 404


# Follow-up -----------------------------------------------------------------------------------


def test_it_adds_a_follow_up_with_a_responsible_person(client_for, alice, bob, proposal):
    response = client_for(alice).post(
        url("follow-up-add", proposal.pk),
        {"criterion": "The concept is ready", "responsible_user": bob.pk, "due_on": "2021-06-30"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "The concept is ready" in response.content.decode()
    assert proposal.follow_ups.get().responsible_user == bob


def test_it_keeps_the_typed_follow_up_when_it_is_refused(client_for, alice, proposal):
    response = client_for(alice).post(
        url("follow-up-add", proposal.pk), {"criterion": "", "when": "End of 2021"}, **HTMX
    )
    assert response.status_code == 422
    assert "End of 2021" in response.content.decode()


def test_it_edits_a_follow_up_after_approval(client_for, alice, item, proposal):
    set_state(proposal, ProposalState.APPROVED)
    response = client_for(alice).post(
        url("follow-up-edit", proposal.pk, item.pk),
        {"criterion": item.criterion, "due_on": "2021-12-31"},
    )
    assert response.status_code == 302
    assert FollowUpItem.objects.get(pk=item.pk).due_on == date(2021, 12, 31)


def test_it_lets_the_responsible_person_tick_their_task_but_not_edit_it(
    client_for, bob, item, proposal
):
    set_state(proposal, ProposalState.APPROVED)
    client = client_for(bob)
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert url("follow-up-done", proposal.pk, item.pk) in html
    assert url("follow-up-edit", proposal.pk, item.pk) not in html
    response = client.post(url("follow-up-done", proposal.pk, item.pk), {"done": "1"}, **HTMX)
    assert response.status_code == 200 and "Reopen" in response.content.decode()
    assert FollowUpItem.objects.get(pk=item.pk).done_at is not None
    client.post(url("follow-up-done", proposal.pk, item.pk), {"done": "0"})
    assert FollowUpItem.objects.get(pk=item.pk).done_at is None
    edit = url("follow-up-edit", proposal.pk, item.pk)
    assert client.post(edit, {"criterion": "Mine"}).status_code == 403


def test_it_refuses_ticking_to_others(client, client_for, charlie, dave, item, proposal):
    done = url("follow-up-done", proposal.pk, item.pk)
    assert client_for(charlie).post(done).status_code == 403
    assert client_for(dave).post(done).status_code == 403
    client.logout()
    assert client.post(done).status_code == 302
    assert FollowUpItem.objects.get(pk=item.pk).done_at is None


def test_it_hides_the_follow_up_of_an_internal_proposal_from_charlie(
    client_for, alice, charlie, internal_proposal
):
    hidden = services.add_follow_up(alice, internal_proposal, criterion="Internal")
    response = client_for(charlie).post(url("follow-up-done", internal_proposal.pk, hidden.pk))
    assert response.status_code == 404


# My follow-up tasks --------------------------------------------------------------------------


def test_it_lists_my_tasks_open_first_with_the_overdue_highlighted(
    client_for, alice, bob, org_a, proposal
):
    today = timezone.localdate()
    overdue = services.add_follow_up(
        alice, proposal, criterion="Overdue", responsible_user=bob, due_on=today - timedelta(1)
    )
    later = services.add_follow_up(
        alice, proposal, criterion="Later", responsible_user=bob, due_on=today + timedelta(9)
    )
    done = services.add_follow_up(alice, proposal, criterion="Done", responsible_user=bob)
    services.add_follow_up(alice, proposal, criterion="Alice's own", responsible_user=alice)
    services.complete_follow_up(alice, done)
    response = client_for(bob).get(url("follow-ups"))
    html = response.content.decode()
    rows = [html.index(f'id="my-follow-up-{each.pk}"') for each in (overdue, later, done)]
    assert rows == sorted(rows)
    assert "Alice&#x27;s own" not in html and "Alice's own" not in html
    assert f'id="my-follow-up-{overdue.pk}" data-overdue' in html
    assert f'id="my-follow-up-{later.pk}" data-overdue' not in html
    assert f"{proposal.get_absolute_url()}#follow-up-{later.pk}" in html


def test_it_ticks_a_task_from_my_list_and_comes_back(client_for, bob, item, proposal):
    response = client_for(bob).post(
        url("follow-up-done", proposal.pk, item.pk), {"done": "1", "next": "mine"}
    )
    assert response.status_code == 302 and response["Location"] == url("follow-ups")


def test_it_asks_a_visitor_to_sign_in_for_their_tasks(client):
    response = client.get(url("follow-ups"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_it_lists_my_tasks_with_the_same_queries_for_2_or_10(client_for, alice, bob, org_a):
    client = client_for(bob)
    for count in (2, 10):
        proposal = make_proposal(alice, org_a, title=f"Proposal {count}")
        for n in range(count):
            services.add_follow_up(alice, proposal, criterion=f"Task {n}", responsible_user=bob)
        if count == 2:
            _queries(client, url("follow-ups"))
            few = _queries(client, url("follow-ups"))
    assert _queries(client, url("follow-ups")) == few


# Consultations -------------------------------------------------------------------------------


def test_it_records_an_answer_and_asks_for_its_date(client_for, alice, proposal):
    centre = proposal.consultations.first()
    edit = url("consultation-edit", proposal.pk, centre.pk)
    client = client_for(alice)
    assert "Godkender forslaget" in client.get(edit, **HTMX).content.decode()
    response = client.post(edit, {"answer": "yes", "note": "By e-mail"}, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter the date of the answer." in html and "By e-mail" in html
    response = client.post(edit, {"answer": "yes", "answered_on": "2020-06-16"})
    assert response["Location"] == f"{proposal.get_absolute_url()}#proposal-consultations"
    centre.refresh_from_db()
    assert (centre.answer, centre.answered_on) == ("yes", date(2020, 6, 16))


def test_it_adds_and_removes_another_body(client_for, alice, proposal):
    client = client_for(alice)
    response = client.post(
        url("consultation-add", proposal.pk), {"body": "Data protection officer"}, **HTMX
    )
    assert response.status_code == 200
    added = proposal.consultations.get(body="Data protection officer")
    assert url("consultation-delete", proposal.pk, added.pk) in response.content.decode()
    centre = proposal.consultations.first()
    assert url("consultation-delete", proposal.pk, centre.pk) not in response.content.decode()
    response = client.post(url("consultation-add", proposal.pk), {"body": "HR-kredsen"}, **HTMX)
    assert response.status_code == 422 and "listed already" in response.content.decode()
    client.post(url("consultation-delete", proposal.pk, added.pk), **HTMX)
    client.post(url("consultation-delete", proposal.pk, centre.pk))
    assert proposal.consultations.count() == 6


def test_it_refuses_consultation_changes_to_others(
    client_for, bob, charlie, proposal, internal_proposal
):
    centre = proposal.consultations.first()
    edit = url("consultation-edit", proposal.pk, centre.pk)
    assert client_for(bob).post(edit, {"answer": "not_relevant"}).status_code == 403
    hidden = internal_proposal.consultations.first()
    edit = url("consultation-edit", internal_proposal.pk, hidden.pk)
    assert client_for(charlie).get(edit).status_code == 404
