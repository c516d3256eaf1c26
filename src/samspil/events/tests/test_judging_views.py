"""Judging pages: setup, scoring, ranking, the winners panel; who may; constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samspil.core.models import Visibility
from samspil.events import judging_services as judging
from samspil.events.models import Criterion, Juror, Score

from .conftest import register
from .test_judging_services import make_hackathon, make_submission, score_all
from .test_views import text_of


@pytest.fixture
def hackathon(alice, org_a):
    return make_hackathon(alice, org_a)


@pytest.fixture
def criteria(alice, hackathon):
    return [
        judging.add_criterion(alice, hackathon, name="Value", weight=2),
        judging.add_criterion(alice, hackathon, name="Feasibility"),
    ]


@pytest.fixture
def jury(alice, bob, dave, hackathon):
    return [
        judging.add_juror(alice, hackathon, user=bob),
        judging.add_juror(alice, hackathon, email="dave@example.org"),
    ]


@pytest.fixture
def entries(hackathon):
    return [
        make_submission(hackathon, "Alfa", "Complaint tracker", minutes=0),
        make_submission(hackathon, "Beta", "Plain-language letters", minutes=1),
    ]


@pytest.fixture
def all_scored(bob, dave, criteria, jury, entries):
    score_all(bob, entries[0], Value=5, Feasibility=4)
    score_all(bob, entries[1], Value=2, Feasibility=2)
    score_all(dave, entries[0], Value=4, Feasibility=4)
    score_all(dave, entries[1], Value=3, Feasibility=1)


def url(event, tail: str = "") -> str:
    return f"/events/{event.pk}/judging/{tail}"


def score_data(criteria, *values, revise: bool = False, **extra) -> dict:
    data = {f"criterion_{c.pk}": str(v) for c, v in zip(criteria, values, strict=True)}
    if revise:
        data["revise"] = "True"
    data.update(extra)
    return data


# Setup (organisers) ---------------------------------------------------------------------------


def test_it_lets_organisers_set_up_the_criteria(client_for, alice, hackathon):
    client = client_for(alice)
    assert client.get(url(hackathon)).status_code == 200
    response = client.post(url(hackathon, "criteria/defaults/"))
    assert response.status_code == 302
    assert hackathon.criteria.count() == 5
    data = {"name": "Fun", "description": "Did they enjoy it", "weight": "0.5"}
    assert client.post(url(hackathon, "criteria/add/"), data).status_code == 302
    fun = Criterion.objects.get(name="Fun")
    assert fun.weight == 0.5 and fun.position == 5
    text = text_of(client.get(url(hackathon)))
    assert "Value to users" in text and "Fun" in text and "Did they enjoy it" in text


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "weight": "1"},
        {"name": "Typed name", "weight": "0"},
        {"name": "Typed name", "weight": "-3"},
        {"name": "Typed name", "weight": "lots"},
        {"name": "Typed name", "weight": "1000"},
        {"name": "Value", "weight": "1"},  # taken
    ],
)
def test_it_answers_bad_criteria_with_the_form(client_for, alice, hackathon, criteria, data):
    response = client_for(alice).post(url(hackathon, "criteria/add/"), data)
    assert response.status_code == 422
    assert "ds-error-summary" in response.content.decode()
    assert f'value="{data["name"]}"' in response.content.decode() or not data["name"]
    assert hackathon.criteria.count() == 2


def test_it_edits_moves_and_removes_criteria(client_for, alice, hackathon, criteria):
    value, feasibility = criteria
    client = client_for(alice)
    edit = url(hackathon, f"criteria/{value.pk}/")
    assert client.get(edit).status_code == 200
    data = {"name": "Worth", "description": "For whom", "weight": "3"}
    assert client.post(edit, data).status_code == 302
    value.refresh_from_db()
    assert (value.name, value.weight) == ("Worth", 3)
    assert client.post(edit, {"name": "", "weight": "x"}).status_code == 422
    move = url(hackathon, f"criteria/{feasibility.pk}/move/")
    assert client.post(move, {"direction": "up"}).status_code == 302
    assert list(hackathon.criteria.all()) == [feasibility, value]
    assert client.post(url(hackathon, f"criteria/{value.pk}/delete/")).status_code == 302
    assert list(hackathon.criteria.all()) == [feasibility]
    assert client.post(url(hackathon, "criteria/999999/delete/")).status_code == 404


def test_it_locks_names_and_weights_once_scored(
    client_for, alice, bob, hackathon, criteria, jury, entries
):
    score_all(bob, entries[0])
    value = criteria[0]
    client = client_for(alice)
    text = text_of(client.get(url(hackathon)))
    assert "Scoring has begun" in text and "Use the default set" not in text
    data = {"name": "Changed", "description": "Now with a description", "weight": "9"}
    assert client.post(url(hackathon, f"criteria/{value.pk}/"), data).status_code == 302
    value.refresh_from_db()
    assert (value.name, value.weight) == ("Value", 2)
    assert value.description == "Now with a description"
    response = client.post(url(hackathon, f"criteria/{value.pk}/delete/"), follow=True)
    assert "Scoring has begun" in text_of(response)
    assert Criterion.objects.filter(pk=value.pk).exists()
    response = client.post(url(hackathon, "criteria/defaults/"), follow=True)
    assert "Scoring has begun" in text_of(response) and hackathon.criteria.count() == 2


def test_it_adds_and_removes_jurors(client_for, alice, bob, charlie, hackathon):
    client = client_for(alice)
    assert client.post(url(hackathon, "jurors/add/"), {"user": bob.pk}).status_code == 302
    response = client.post(url(hackathon, "jurors/add/"), {"email": "Charlie@example.org"})
    assert response.status_code == 302
    assert {j.user for j in hackathon.jurors.all()} == {bob, charlie}
    text = text_of(client.get(url(hackathon)))
    assert "Bob" in text and "charlie@example.org" in text
    juror = Juror.objects.get(user=charlie)
    assert client.post(url(hackathon, f"jurors/{juror.pk}/remove/")).status_code == 302
    assert not Juror.objects.filter(user=charlie).exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"email": "nobody@example.org"},
        {"email": "not an address"},
        {"user": "999999"},
        {"user": "abc"},
        {"user": "BOB", "email": "dave@example.org"},
    ],
)
def test_it_answers_bad_jurors_with_the_form(client_for, alice, bob, hackathon, data):
    if data.get("user") == "BOB":
        data["user"] = str(bob.pk)
    response = client_for(alice).post(url(hackathon, "jurors/add/"), data)
    assert response.status_code == 422
    if "email" in data:
        assert f'value="{data["email"]}"' in response.content.decode()
    assert not hackathon.jurors.exists()


def test_it_shows_progress_but_no_values_before_all_have_scored(
    client_for, alice, bob, hackathon, criteria, jury, entries
):
    score_all(bob, entries[0], 5)
    response = client_for(alice).get(url(hackathon))
    html = response.content.decode()
    assert html.count('data-state="scored"') == 1 and html.count('data-state="pending"') == 3
    assert "Publish the winners" not in text_of(response)
    assert 'id="judging-ranking-link"' not in html


def test_it_marks_jurors_who_are_members_of_a_team(
    client_for, alice, bob, hackathon, criteria, jury, entries
):
    registration = register(hackathon, "bob@example.org").registration
    entries[1].team.members.set([registration])
    html = client_for(alice).get(url(hackathon)).content.decode()
    assert html.count('data-state="conflict"') == 1


def test_it_refuses_the_setup_to_others(client, client_for, bob, charlie, dave, hackathon, jury):
    juror = jury[0]
    posts = [
        ("criteria/add/", {"name": "Mine", "weight": "1"}),
        ("criteria/defaults/", {}),
        ("jurors/add/", {"email": "bob@example.org"}),
        (f"jurors/{juror.pk}/remove/", {}),
        ("publish/", {}),
        ("unpublish/", {}),
    ]
    assert client.get(url(hackathon)).status_code == 302  # to the login page
    for user in (bob, charlie, dave):
        signed_in = client_for(user)
        assert signed_in.get(url(hackathon)).status_code == 403
        for tail, data in posts:
            assert signed_in.post(url(hackathon, tail), data).status_code == 403
    assert not hackathon.criteria.exists() and hackathon.jurors.count() == 2


def test_it_answers_404_to_other_organisations_for_internal_events(
    client_for, alice, charlie, org_a
):
    event = make_hackathon(alice, org_a, visibility=Visibility.INTERNAL)
    client = client_for(charlie)
    for tail in ("", "score/"):
        assert client.get(url(event, tail)).status_code == 404
    assert client.get(f"/events/{event.pk}/ranking/").status_code == 404
    assert client.post(url(event, "criteria/defaults/")).status_code == 404


def test_it_publishes_the_winners_when_all_have_scored(
    client, client_for, alice, bob, dave, hackathon, criteria, jury, entries
):
    signed_in = client_for(alice)
    response = signed_in.post(url(hackathon, "publish/"), follow=True)
    assert "Every juror must score" in text_of(response)
    hackathon.refresh_from_db()
    assert hackathon.winners_published_at is None
    for juror in (bob, dave):
        for submission in entries:
            score_all(juror, submission, 4)
    text = text_of(signed_in.get(url(hackathon)))
    assert "Publish the winners" in text and "Complaint tracker" in text
    assert signed_in.post(url(hackathon, "publish/")).status_code == 302
    hackathon.refresh_from_db()
    assert hackathon.winners_published_at is not None
    assert signed_in.post(url(hackathon, "unpublish/")).status_code == 302
    hackathon.refresh_from_db()
    assert hackathon.winners_published_at is None


# Scoring (jurors) -----------------------------------------------------------------------------


def test_it_lists_a_jurors_submissions_with_their_state(
    client_for, bob, hackathon, criteria, jury, entries
):
    score_all(bob, entries[0])
    response = client_for(bob).get(url(hackathon, "score/"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-submission="{entries[0].pk}" data-state="scored"' in html
    assert f'data-submission="{entries[1].pk}" data-state="pending"' in html
    assert "You have scored 1 of 2 submissions" in text_of(response)


def test_it_lets_a_juror_score_a_submission(client_for, bob, hackathon, criteria, jury, entries):
    client = client_for(bob)
    page = url(hackathon, f"score/{entries[0].pk}/")
    response = client.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<fieldset" in html and "<legend" in html and "Complaint tracker" in html
    data = score_data(criteria, 5, 3, **{f"comment_{criteria[0].pk}": "Clear value"})
    assert client.post(page, data).status_code == 302
    stored = {s.criterion.name: (s.value, s.comment) for s in Score.objects.all()}
    assert stored == {"Value": (5, "Clear value"), "Feasibility": (3, "")}


@pytest.mark.parametrize("bad", ["0", "6", "x", "", "3.5"])
def test_it_keeps_the_typed_scores_when_one_is_out_of_range(
    client_for, bob, hackathon, criteria, jury, entries, bad
):
    value, feasibility = criteria
    data = score_data(criteria, bad, 4, **{f"comment_{value.pk}": "Typed comment"})
    response = client_for(bob).post(url(hackathon, f"score/{entries[0].pk}/"), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "ds-error-summary" in html and "Typed comment" in html
    assert f'name="criterion_{feasibility.pk}" value="4"' in html
    checked = html.split(f'name="criterion_{feasibility.pk}" value="4"')[1].split(">")[0]
    assert "checked" in checked
    assert not Score.objects.exists()


def test_it_refuses_a_second_score_set_from_a_stale_form(
    client_for, bob, hackathon, criteria, jury, entries
):
    client = client_for(bob)
    page = url(hackathon, f"score/{entries[0].pk}/")
    assert client.post(page, score_data(criteria, 2, 2)).status_code == 302
    response = client.post(page, score_data(criteria, 5, 5))  # the same form, sent again
    assert response.status_code == 422
    assert "already scored" in text_of(response)
    assert set(Score.objects.values_list("value", flat=True)) == {2}
    # Opened again, the page shows the scores and revises them.
    html = client.get(page).content.decode()
    assert 'name="revise" value="True"' in html
    assert client.post(page, score_data(criteria, 5, 5, revise=True)).status_code == 302
    assert set(Score.objects.values_list("value", flat=True)) == {5}


def test_it_refuses_scoring_to_others_and_on_the_own_team(
    client, client_for, alice, bob, charlie, hackathon, criteria, jury, entries, org_a
):
    page = url(hackathon, f"score/{entries[0].pk}/")
    assert client.get(page).status_code == 302
    assert client.get(url(hackathon, "score/")).status_code == 302
    for user in (alice, charlie):
        assert client_for(user).get(url(hackathon, "score/")).status_code == 403
        assert client_for(user).get(page).status_code == 403
        assert client_for(user).post(page, score_data(criteria, 3, 3)).status_code == 403
    registration = register(hackathon, "bob@example.org").registration
    entries[1].team.members.set([registration])
    own = url(hackathon, f"score/{entries[1].pk}/")
    assert client_for(bob).get(own).status_code == 403
    assert client_for(bob).post(own, score_data(criteria, 5, 5)).status_code == 403
    other = make_hackathon(alice, org_a, "Another hackathon")
    stranger = make_submission(other, "Gamma")
    assert client_for(bob).get(url(hackathon, f"score/{stranger.pk}/")).status_code == 404
    assert not Score.objects.exists()


def test_it_lets_a_juror_of_another_organisation_score_an_internal_event(
    client_for, alice, charlie, org_a
):
    event = make_hackathon(alice, org_a, visibility=Visibility.INTERNAL)
    criterion = judging.add_criterion(alice, event, name="Value")
    judging.add_juror(alice, event, email="charlie@example.org")
    entry = make_submission(event, "Alfa")
    client = client_for(charlie)
    assert client.get(url(event, "score/")).status_code == 200
    page = url(event, f"score/{entry.pk}/")
    assert client.post(page, {f"criterion_{criterion.pk}": "4"}).status_code == 302
    assert Score.objects.get().value == 4


def test_it_shows_scores_read_only_once_published(
    client_for, alice, bob, hackathon, criteria, jury, entries, all_scored
):
    judging.publish_winners(alice, hackathon)
    page = url(hackathon, f"score/{entries[0].pk}/")
    response = client_for(bob).get(page)
    assert response.status_code == 200 and '<form class="form event-score-form"' not in (
        response.content.decode()
    )
    response = client_for(bob).post(page, score_data(criteria, 1, 1, revise=True))
    assert response.status_code == 422 and "published" in text_of(response)


# Ranking --------------------------------------------------------------------------------------


def ranking(event) -> str:
    return f"/events/{event.pk}/ranking/"


def test_it_shows_the_ranking_to_organisers_and_jurors_once_all_scored(
    client, client_for, alice, bob, charlie, dave, hackathon, criteria, jury, entries
):
    score_all(bob, entries[0])
    for user in (alice, bob):
        assert client_for(user).get(ranking(hackathon)).status_code == 403
    for juror, submission in ((bob, entries[1]), (dave, entries[0]), (dave, entries[1])):
        score_all(juror, submission)
    for user in (alice, bob, dave):
        response = client_for(user).get(ranking(hackathon))
        assert response.status_code == 200
        assert "Every juror's scores" in text_of(response)
    assert client_for(charlie).get(ranking(hackathon)).status_code == 403
    assert client.get(ranking(hackathon)).status_code == 403


def test_it_shows_the_published_ranking_to_everyone_who_sees_the_event(
    client, client_for, alice, charlie, hackathon, entries, all_scored
):
    judging.publish_winners(alice, hackathon)
    for signed_in in (client, client_for(charlie)):
        response = signed_in.get(ranking(hackathon))
        assert response.status_code == 200
        text = text_of(response)
        assert "Complaint tracker" in text and "Every juror's scores" not in text
    html = client.get(ranking(hackathon)).content.decode()
    # Alfa: (2·4.5 + 4) / 3 = 4.33; Beta: (2·2.5 + 1.5) / 3 = 2.17
    assert html.index(f'data-submission="{entries[0].pk}" data-rank="1"') < html.index(
        f'data-submission="{entries[1].pk}" data-rank="2"'
    )
    assert "4.33" in html and "2.17" in html


# The event page's panel --------------------------------------------------------------------


def test_it_shows_published_winners_on_the_event_page(
    client, client_for, alice, hackathon, entries, all_scored
):
    hackathon.winner_count = 1
    hackathon.save()
    page = f"/events/{hackathon.pk}/"
    assert 'id="event-winners"' not in client.get(page).content.decode()
    judging.publish_winners(alice, hackathon)
    html = client.get(page).content.decode()
    assert 'id="event-winners"' in html and "Complaint tracker" in html
    assert "Plain-language letters" not in html  # not a winner
    assert 'id="event-score-link"' not in html and 'id="event-judging-link"' not in html


def test_it_links_jurors_and_organisers_from_the_event_page(
    client_for, alice, bob, hackathon, criteria, jury, entries
):
    page = f"/events/{hackathon.pk}/"
    score_all(bob, entries[0])
    response = client_for(bob).get(page)
    assert 'id="event-score-link"' in response.content.decode()
    assert "you have scored 1 of 2 submissions" in text_of(response)
    assert 'id="event-judging-link"' in client_for(alice).get(page).content.decode()


def test_it_hides_the_panel_from_workshops_without_judging(client_for, alice, public_event):
    html = client_for(alice).get(f"/events/{public_event.pk}/").content.decode()
    assert 'id="event-winners"' not in html


# Constant queries ----------------------------------------------------------------------------


def _scored_hackathon(alice, jurors, org_a, size: int):
    event = make_hackathon(alice, org_a, f"Hackathon {size}")
    judging.add_default_criteria(alice, event)
    for juror in jurors:
        Juror.objects.create(event=event, user=juror)
    for i in range(size):
        submission = make_submission(event, f"Team {i}", minutes=i)
        for juror in jurors:
            score_all(juror, submission, 1 + i % 5)
    return event


def _count(client, path: str) -> int:
    client.get(path)  # warm caches of the session and the site
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_it_shows_the_judging_pages_with_a_constant_number_of_queries(
    client_for, alice, bob, dave, org_a
):
    small = _scored_hackathon(alice, [bob], org_a, 1)
    large = _scored_hackathon(alice, [bob, dave], org_a, 8)
    client = client_for(alice)
    for tail in ("judging/", "ranking/"):
        assert _count(client, f"/events/{small.pk}/{tail}") == _count(
            client, f"/events/{large.pk}/{tail}"
        )
    client = client_for(bob)
    assert _count(client, f"/events/{small.pk}/judging/score/") == _count(
        client, f"/events/{large.pk}/judging/score/"
    )


def test_it_shows_the_winners_panel_with_a_constant_number_of_queries(client, alice, bob, org_a):
    small = _scored_hackathon(alice, [bob], org_a, 1)
    large = _scored_hackathon(alice, [bob], org_a, 8)
    for event in (small, large):
        judging.publish_winners(alice, event)
    assert _count(client, f"/events/{small.pk}/") == _count(client, f"/events/{large.pk}/")
