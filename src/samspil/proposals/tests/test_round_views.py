"""Round pages: who may see, create, edit, score, enter and prioritise, what bad input
shows, and constant query counts as entries grow."""

import html
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samspil.conftest import add_member, make_user
from samspil.core.middleware import SESSION_KEY
from samspil.core.models import Organisation, Role, Visibility
from samspil.proposals import round_services
from samspil.proposals.models import Proposal, ProposalState, Round, RoundEntry, Score

from .conftest import full_scores, make_proposal, open_round, submitted

HOUR = timedelta(hours=1)


def close_scoring(round_):
    """Moves both deadlines into the past, as if time had passed."""
    now = timezone.now()
    Round.objects.filter(pk=round_.pk).update(
        submission_deadline=now - 2 * HOUR, scoring_deadline=now - HOUR
    )
    round_.refresh_from_db()
    return round_


def round_post(**extra):
    """A complete round form: one budget, one criterion."""
    data = {
        "owner": extra.pop("owner"),
        "title": "Innovation pool 2022",
        "description": "",
        "submission_deadline": "2030-03-01T12:00",
        "scoring_deadline": "2030-04-01T12:00",
        "objective": "score",
        "visibility": "internal",
        "budgets-TOTAL_FORMS": "1",
        "budgets-INITIAL_FORMS": "0",
        "budgets-0-amount": "2700",
        "budgets-0-year": "2022",
        "budgets-0-budget_area": "service",
        "criteria-TOTAL_FORMS": "1",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-name": "Expense",
        "criteria-0-description": "",
        "criteria-0-weight": "2",
        "criteria-0-scale_min": "1",
        "criteria-0-scale_max": "5",
    }
    data.update(extra)
    return data


# List --------------------------------------------------------------------------------------------


def test_it_lists_the_rounds_a_visitor_may_see(client, client_for, alice, org_a, charlie):
    open_round(alice, org_a, title="Internal pool")
    open_round(alice, org_a, title="Public pool", visibility=Visibility.PUBLIC)
    assert "Internal pool" in client_for(alice).get(reverse("proposals:rounds")).text
    page = client_for(charlie).get(reverse("proposals:rounds")).text
    assert "Public pool" in page and "Internal pool" not in page
    client.logout()
    anonymous = client.get(reverse("proposals:rounds"))
    assert "Public pool" in anonymous.text and "Internal pool" not in anonymous.text


def test_it_lists_rounds_in_constant_queries(client_for, alice, org_a):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client_for(alice).get(reverse("proposals:rounds")).status_code == 200
        return len(queries)

    for i in range(2):
        open_round(alice, org_a, title=f"Pool {i}")
    count()  # the first request fills per-process caches
    two = count()
    for i in range(8):
        open_round(alice, org_a, title=f"More {i}")
    assert count() == two


# Create and edit ---------------------------------------------------------------------------------


def test_it_offers_alice_the_default_criteria(client_for, alice):
    page = client_for(alice).get(reverse("proposals:round-create")).text
    assert "Lasting efficiency potential (with budget area)" in page
    assert "Mature use of new technology" in page


def test_it_creates_a_round_with_its_budgets_and_criteria(client_for, alice, org_a, greta):
    response = client_for(alice).post(
        reverse("proposals:round-create"), round_post(owner=org_a.pk, board=[greta.pk])
    )
    round_ = Round.objects.get()
    assert response.status_code == 302 and response.url == round_.get_absolute_url()
    assert list(round_.board.all()) == [greta]
    assert list(round_.budgets.values_list("year", "budget_area", "amount")) == [
        (2022, "service", 2700)
    ]
    assert list(round_.criteria.values_list("name", "weight")) == [("Expense", 2)]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("budgets-0-amount", "-10", "A budget cannot be negative."),
        ("budgets-0-amount", "100000001", "Enter at most 100,000,000 (in 1,000)."),
        ("budgets-0-amount", "lots", "Enter a number."),
        ("criteria-0-scale_max", "1", "The highest score must be above the lowest."),
    ],
)
def test_it_marks_a_bad_cell_and_keeps_what_was_typed(
    client_for, alice, org_a, field, value, message
):
    response = client_for(alice).post(
        reverse("proposals:round-create"), round_post(owner=org_a.pk, **{field: value})
    )
    assert response.status_code == 422
    assert message in response.text
    assert f'value="{value}"' in response.text
    assert not Round.objects.exists()


def test_it_reads_and_shows_danish_numbers_in_the_round_form(client_for, alice, org_a):
    client = client_for(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    data = round_post(
        owner=org_a.pk,
        **{
            "budgets-TOTAL_FORMS": "2",
            "budgets-0-amount": "6.000",
            "budgets-1-amount": "6000,5",
            "budgets-1-year": "2023",
            "budgets-1-budget_area": "service",
            "criteria-0-weight": "1,5",
        },
    )
    response = client.post(reverse("proposals:round-create"), data)
    assert response.status_code == 302, response.context["form"].errors
    round_ = Round.objects.get()
    assert list(round_.budgets.values_list("amount", flat=True)) == [
        Decimal("6000"),
        Decimal("6000.5"),
    ]
    assert list(round_.criteria.values_list("weight", flat=True)) == [Decimal("1.5")]
    page = client.get(reverse("proposals:round-edit", args=[round_.pk])).text
    for value in ("6.000", "6.000,5", "1,5"):
        assert f'value="{value}"' in page
    assert 'value="6000.00"' not in page and 'value="1.50"' not in page


@pytest.mark.parametrize("value", ["1.5", "seks"])
def test_it_refuses_a_weight_that_is_not_a_danish_number(client_for, alice, org_a, value):
    client = client_for(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    data = round_post(owner=org_a.pk, **{"criteria-0-weight": value})
    response = client.post(reverse("proposals:round-create"), data)
    assert response.status_code == 422
    assert response.context["form"].rows["criteria"].forms[0].errors["weight"]
    assert f'value="{value}"' in response.text
    assert not Round.objects.exists()


def test_it_refuses_a_second_budget_for_the_same_year_and_area(client_for, alice, org_a):
    data = round_post(
        owner=org_a.pk,
        **{
            "budgets-TOTAL_FORMS": "2",
            "budgets-1-amount": "100",
            "budgets-1-year": "2022",
            "budgets-1-budget_area": "service",
        },
    )
    response = client_for(alice).post(reverse("proposals:round-create"), data)
    assert response.status_code == 422
    assert "The round already has a budget for this year and budget area." in response.text


def test_it_refuses_scoring_closing_before_submissions(client_for, alice, org_a):
    data = round_post(owner=org_a.pk, scoring_deadline="2030-02-01T12:00")
    response = client_for(alice).post(reverse("proposals:round-create"), data)
    assert response.status_code == 422
    assert "Scoring must not close before the submission deadline." in response.text


def test_it_adds_a_criterion_row_keeping_what_was_typed(client_for, alice, org_a):
    data = round_post(owner=org_a.pk, add_row="criteria", title="Typed title")
    response = client_for(alice).post(reverse("proposals:round-create"), data)
    assert response.status_code == 200
    assert 'name="criteria-1-name"' in response.text
    assert 'name="budgets-1-amount"' not in response.text
    assert 'value="Typed title"' in response.text
    assert not Round.objects.exists()


def test_it_puts_the_new_budget_row_in_focus_after_adding_it(client_for, alice, org_a):
    data = round_post(owner=org_a.pk, add_row="budgets")
    form = client_for(alice).post(reverse("proposals:round-create"), data).context["form"]
    rows = form.rows["budgets"].forms
    assert len(rows) == 2 and "autofocus" in str(rows[1]["amount"])
    assert "autofocus" not in str(rows[0]["amount"])
    assert "autofocus" not in client_for(alice).get(reverse("proposals:round-create")).text


def test_it_offers_the_current_organisation_as_the_rounds_owner(client_for, alice, org_a):
    # Alphabetically first, but not the organisation alice works for now.
    other = Organisation.objects.create(name="Aaby Kommune", slug="aaby", kind="municipality")
    add_member(alice, other, Role.Code.INNOVATION_LEAD)
    client = client_for(alice)
    url = reverse("proposals:round-create")
    assert client.get(url).context["form"]["owner"].value() == org_a.pk
    session = client.session
    session[SESSION_KEY] = other.pk
    session.save()
    assert client.get(url).context["form"]["owner"].value() == other.pk


def test_it_offers_the_first_allowed_owner_where_the_user_may_not_run_rounds(
    client_for, alice, org_a, org_b
):
    add_member(alice, org_b)
    client = client_for(alice)
    session = client.session
    session[SESSION_KEY] = org_b.pk
    session.save()
    form = client.get(reverse("proposals:round-create")).context["form"]
    assert form["owner"].value() is None
    assert list(form.fields["owner"].queryset) == [org_a]


def test_it_refuses_the_round_form_to_bob_and_sends_anonymous_to_sign_in(client, bob):
    url = reverse("proposals:round-create")
    assert client.get(url).status_code == 302
    assert client.force_login(bob) or client.get(url).status_code == 403


def test_it_lets_alice_edit_and_refuses_bob_and_hides_from_charlie(
    client, client_for, alice, bob, charlie, pool
):
    url = reverse("proposals:round-edit", args=[pool.pk])
    page = client_for(alice).get(url)
    assert page.status_code == 200 and "Expected investment proposal and budget year" in page.text
    client.force_login(bob)
    assert client.get(url).status_code == 403
    client.force_login(charlie)
    assert client.get(url).status_code == 404


def test_it_saves_an_edited_round_keeping_its_criteria(client_for, alice, pool):
    client = client_for(alice)
    form = client.get(reverse("proposals:round-edit", args=[pool.pk])).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["submission_deadline"] = pool.submission_deadline.strftime("%Y-%m-%dT%H:%M")
    data["scoring_deadline"] = pool.scoring_deadline.strftime("%Y-%m-%dT%H:%M")
    data["title"] = "Renamed pool"
    for kind, formset in form.rows.items():
        data[f"{kind}-TOTAL_FORMS"] = str(len(formset.forms))
        data[f"{kind}-INITIAL_FORMS"] = str(formset.initial_form_count())
        for row in formset.forms:
            for name in row.fields:
                value = row[name].value()
                data[f"{row.prefix}-{name}"] = "" if value is None else value
    criteria = list(pool.criteria.values_list("pk", flat=True))
    response = client.post(reverse("proposals:round-edit", args=[pool.pk]), data)
    assert response.status_code == 302
    pool.refresh_from_db()
    assert pool.title == "Renamed pool"
    assert list(pool.criteria.values_list("pk", flat=True)) == criteria


# The round page ------------------------------------------------------------------------------


def test_it_shows_the_round_to_its_organisation_and_hides_it_from_others(
    client, client_for, bob, charlie, dave, pool
):
    url = pool.get_absolute_url()
    assert client_for(bob).get(url).status_code == 200
    for person in (charlie, dave):
        client.force_login(person)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


def test_it_shows_alice_the_editing_links_and_the_history(client_for, alice, pool):
    page = client_for(alice).get(pool.get_absolute_url()).text
    assert 'id="round-edit-link"' in page and 'id="history-heading"' in page


def test_it_shows_a_budgets_decimals_in_the_readers_language(client_for, alice, org_a):
    round_ = open_round(
        alice, org_a, budgets=[{"amount": Decimal("1500.5")}, {"amount": 2700, "year": 2022}]
    )
    client = client_for(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    page = client.get(round_.get_absolute_url()).text
    assert ">1.500,50<" in page and ">2.700<" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert ">1,500.50<" in client.get(round_.get_absolute_url()).text


def test_it_shows_a_public_round_to_dave_without_editing(client_for, alice, org_a, dave):
    round_ = open_round(alice, org_a, visibility=Visibility.PUBLIC, title="Open pool")
    page = client_for(dave).get(round_.get_absolute_url()).text
    assert "Open pool" in page and "round-edit-link" not in page


def test_it_shows_progress_but_no_values_while_scoring_is_open(client_for, bob, greta, pool, entry):
    round_services.score_entry(greta, entry, full_scores(pool, 5))
    page = client_for(bob).get(pool.get_absolute_url())
    assert page.context["ranking"] == []
    assert [(p.member, p.scored) for p in page.context["progress"]] == [(greta, 1)]
    assert 'id="round-ranking"' not in page.text


def test_it_shows_the_ranking_with_every_members_scores_after_closing(
    client_for, bob, greta, pool, entry
):
    round_services.score_entry(greta, entry, full_scores(pool, 4))
    close_scoring(pool)
    page = client_for(bob).get(pool.get_absolute_url())
    assert [(line.rank, line.score) for line in page.context["ranking"]] == [(1, 75.0)]
    assert 'id="round-ranking"' in page.text and "75.0" in page.text


def test_it_draws_the_round_page_in_constant_queries(client_for, alice, greta, pool, org_a):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client_for(greta).get(pool.get_absolute_url()).status_code == 200
        return len(queries)

    def add_entries(n):
        for i in range(n):
            proposal = submitted(make_proposal(alice, org_a, title=f"Proposal {i}"))
            entry_ = round_services.enter_proposal(alice, pool, proposal)
            round_services.score_entry(greta, entry_, full_scores(pool, 3))

    add_entries(2)
    count()  # the first request fills per-process caches
    two = count()
    add_entries(8)
    assert count() == two
    close_scoring(pool)
    closed_ten = count()
    Score.objects.filter(entry__proposal__title__in=["Proposal 5", "Proposal 6"]).delete()
    assert count() == closed_ten


# Scoring ----------------------------------------------------------------------------------------


def score_url(entry_):
    return reverse("proposals:round-score", args=[entry_.round_id, entry_.pk])


def test_it_saves_a_board_members_scores(client_for, greta, pool, entry):
    data = {f"criterion_{c.pk}": "4" for c in pool.criteria.all()}
    response = client_for(greta).post(score_url(entry), data)
    assert response.status_code == 302
    assert set(Score.objects.filter(member=greta).values_list("value", flat=True)) == {4}


def test_it_refuses_a_score_out_of_scale_and_keeps_the_typed_scores(client_for, greta, pool, entry):
    first, second, *_ = pool.criteria.all()
    data = {
        f"criterion_{first.pk}": "9",
        f"criterion_{second.pk}": "3",
        f"comment_{second.pk}": "Good",
    }
    response = client_for(greta).post(score_url(entry), data)
    assert response.status_code == 422
    assert "Give Expense a whole number from 1 to 5." in response.text
    assert 'value="9"' in response.text and 'value="3"' in response.text and "Good" in response.text
    assert not Score.objects.exists()


def test_it_refuses_scores_after_the_deadline_and_keeps_them(client_for, greta, pool, entry):
    close_scoring(pool)
    first = pool.criteria.first()
    response = client_for(greta).post(score_url(entry), {f"criterion_{first.pk}": "4"})
    assert response.status_code == 422
    assert "Scoring has closed: scores can no longer change." in response.text
    assert 'value="4"' in response.text
    assert not Score.objects.exists()


def test_it_refuses_the_score_page_to_bob_and_hides_it_from_charlie(client, bob, charlie, entry):
    url = score_url(entry)
    assert client.get(url).status_code == 302
    client.force_login(bob)
    assert client.get(url).status_code == 403
    client.force_login(charlie)
    assert client.get(url).status_code == 404


# Entering, taking out, prioritising ----------------------------------------------------------


def test_it_shows_the_open_rounds_on_a_submitted_proposal_and_enters_it(
    client_for, alice, pool, proposal
):
    submitted(proposal)
    client = client_for(alice)
    page = client.get(proposal.get_absolute_url()).text
    assert "Enter the proposal in a round" in page and pool.title in page
    response = client.post(reverse("proposals:enter-round", args=[proposal.pk]), {"round": pool.pk})
    assert response.status_code == 302
    assert RoundEntry.objects.filter(round=pool, proposal=proposal).exists()
    page = client.get(proposal.get_absolute_url()).text
    assert pool.get_absolute_url() in page and "Enter the proposal in a round" not in page


def test_it_lets_a_department_enter_its_proposal_in_its_municipalitys_internal_round(
    client_for, org_a_department, pool
):
    sara = make_user("sara")
    add_member(sara, org_a_department, Role.Code.INNOVATION_LEAD)
    proposal = submitted(make_proposal(sara, org_a_department))
    client = client_for(sara)
    assert client.get(pool.get_absolute_url()).status_code == 200
    page = client.get(proposal.get_absolute_url()).text
    assert "Enter the proposal in a round" in page and pool.title in page
    response = client.post(reverse("proposals:enter-round", args=[proposal.pk]), {"round": pool.pk})
    assert response.status_code == 302
    assert RoundEntry.objects.filter(round=pool, proposal=proposal).exists()


def test_it_keeps_a_municipalitys_internal_round_from_another_municipality(client, org_b, pool):
    ola = make_user("ola")
    add_member(ola, org_b, Role.Code.INNOVATION_LEAD)
    proposal = submitted(make_proposal(ola, org_b))
    client.force_login(ola)
    assert client.get(pool.get_absolute_url()).status_code == 404
    assert pool.title not in client.get(proposal.get_absolute_url()).text
    client.post(reverse("proposals:enter-round", args=[proposal.pk]), {"round": pool.pk})
    assert not RoundEntry.objects.exists()


def test_it_refuses_a_proposal_at_another_price_level_naming_both_years(
    client_for, alice, org_a, pool, entry
):
    older = submitted(make_proposal(alice, org_a, title="Robots", price_level_year=2015))
    url = reverse("proposals:enter-round", args=[older.pk])
    response = client_for(alice).post(url, {"round": pool.pk}, follow=True)
    assert (
        "The round's proposals are at 2021 prices and this proposal is at 2015 prices: "
        "restate its amounts at 2021 prices to enter it."
    ) in html.unescape(response.text)
    assert not RoundEntry.objects.filter(proposal=older).exists()


def test_it_offers_no_round_to_bob(client_for, bob, pool, proposal):
    submitted(proposal)
    client = client_for(bob)
    assert "Enter the proposal in a round" not in client.get(proposal.get_absolute_url()).text
    response = client.post(reverse("proposals:enter-round", args=[proposal.pk]), {"round": pool.pk})
    assert response.status_code == 403
    assert not RoundEntry.objects.exists()


def test_it_refuses_charlie_entering_in_a_round_he_cannot_see(client_for, charlie, pool, proposal):
    submitted(proposal)
    response = client_for(charlie).post(
        reverse("proposals:enter-round", args=[proposal.pk]), {"round": pool.pk}
    )
    assert response.status_code == 302
    assert not RoundEntry.objects.exists()


def test_it_sends_anonymous_to_sign_in_before_entering(client, pool, proposal):
    response = client.post(reverse("proposals:enter-round", args=[proposal.pk]), {"round": pool.pk})
    assert response.status_code == 302 and "login" in response.url


def test_it_lets_alice_take_an_entry_out_and_refuses_bob(client, client_for, alice, bob, entry):
    url = reverse("proposals:round-remove-entry", args=[entry.round_id, entry.pk])
    client.force_login(bob)
    assert client.post(url).status_code == 403
    assert client_for(alice).post(url).status_code == 302
    assert not RoundEntry.objects.exists()


def test_it_marks_the_ranked_proposals_prioritised_after_closing(client_for, greta, pool, entry):
    round_services.score_entry(greta, entry, full_scores(pool, 4))
    close_scoring(pool)
    client = client_for(greta)
    assert 'id="round-prioritise"' in client.get(pool.get_absolute_url()).text
    response = client.post(reverse("proposals:round-prioritise", args=[pool.pk]))
    assert response.status_code == 302
    assert Proposal.objects.get(pk=entry.proposal_id).state == ProposalState.PRIORITISED


def test_it_refuses_bob_prioritising(client_for, bob, greta, pool, entry):
    round_services.score_entry(greta, entry, full_scores(pool, 4))
    close_scoring(pool)
    response = client_for(bob).post(reverse("proposals:round-prioritise", args=[pool.pk]))
    assert response.status_code == 403
    assert Proposal.objects.get(pk=entry.proposal_id).state == ProposalState.SUBMITTED
