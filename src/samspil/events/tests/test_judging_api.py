"""GET /api/events/{id}/ranking: for the jury once all scored, for everyone once published."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samspil.api.tests.test_api import assert_problem
from samspil.core.models import Visibility
from samspil.events import judging_services as judging
from samspil.events.models import Juror

from .test_api import get
from .test_judging_services import make_hackathon, make_submission, score_all


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


def score_everything(bob, dave, entries) -> None:
    score_all(bob, entries[0], Value=5, Feasibility=4)
    score_all(bob, entries[1], Value=2, Feasibility=2)
    score_all(dave, entries[0], Value=4, Feasibility=4)
    score_all(dave, entries[1], Value=3, Feasibility=1)


def path(event) -> str:
    return f"/api/events/{event.pk}/ranking"


def test_it_returns_the_ranking_to_the_jury_once_all_scored(
    client, alice, bob, dave, hackathon, criteria, jury, entries
):
    hackathon.winner_count = 1
    hackathon.save()
    score_everything(bob, dave, entries)
    response = get(client, path(hackathon), alice)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["event_id"] == hackathon.pk
    assert data["all_scored"] is True and data["published"] is False
    assert data["published_at"] is None and data["winner_count"] == 1
    assert [(c["name"], c["weight"], c["position"]) for c in data["criteria"]] == [
        ("Value", 2.0, 1),
        ("Feasibility", 1.0, 2),
    ]
    first, second = data["ranking"]
    assert first == {
        "rank": 1,
        "submission_id": entries[0].pk,
        "team": {"id": entries[0].team_id, "name": "Alfa"},
        "title": "Complaint tracker",
        "weighted_score": pytest.approx((2 * 4.5 + 4) / 3),
        "means": [
            {"criterion_id": criteria[0].pk, "mean": 4.5},
            {"criterion_id": criteria[1].pk, "mean": 4.0},
        ],
        "winner": True,
        "complete": True,
    }
    assert second["rank"] == 2 and second["winner"] is False
    for juror in (bob, dave):
        assert get(client, path(hackathon), juror).status_code == 200


def test_it_answers_403_until_the_ranking_is_available(
    client, alice, bob, charlie, dave, hackathon, criteria, jury, entries
):
    score_all(bob, entries[0])
    for user in (alice, bob, dave, charlie, None):
        problem = assert_problem(get(client, path(hackathon), user), 403)
        assert problem["detail"] == "The ranking is not available yet."
    score_all(bob, entries[1])
    score_all(dave, entries[0])
    score_all(dave, entries[1])
    assert_problem(get(client, path(hackathon), charlie), 403)
    assert_problem(get(client, path(hackathon)), 403)


def test_it_returns_the_published_ranking_to_everyone_who_sees_the_event(
    client, alice, bob, charlie, dave, hackathon, criteria, jury, entries
):
    score_everything(bob, dave, entries)
    judging.publish_winners(alice, hackathon)
    for user in (None, charlie, dave):
        response = get(client, path(hackathon), user)
        assert response.status_code == 200, response.content
        data = response.json()
        assert data["published"] is True and data["published_at"]
        assert [r["team"]["name"] for r in data["ranking"]] == ["Alfa", "Beta"]


def test_it_answers_404_for_events_the_caller_does_not_see(client, alice, bob, charlie, org_a):
    event = make_hackathon(alice, org_a, visibility=Visibility.INTERNAL)
    judging.add_criterion(alice, event, name="Value")
    Juror.objects.create(event=event, user=bob)
    score_all(bob, make_submission(event, "Alfa"))
    judging.publish_winners(alice, event)
    assert_problem(get(client, path(event), charlie), 404)
    assert_problem(get(client, path(event)), 404)
    assert_problem(get(client, "/api/events/999999/ranking", alice), 404)
    assert_problem(get(client, "/api/events/abc/ranking", alice), 422)
    assert get(client, path(event), bob).status_code == 200


def test_it_lets_a_juror_of_another_organisation_read_an_internal_ranking(
    client, alice, charlie, org_a
):
    event = make_hackathon(alice, org_a, visibility=Visibility.INTERNAL)
    judging.add_criterion(alice, event, name="Value")
    judging.add_juror(alice, event, email="charlie@example.org")
    score_all(charlie, make_submission(event, "Alfa"), 4)
    data = get(client, path(event), charlie).json()
    assert data["ranking"][0]["weighted_score"] == 4.0


def test_it_answers_with_a_constant_number_of_queries(client, alice, bob, org_a):
    def count(size: int) -> int:
        event = make_hackathon(alice, org_a, f"Hackathon {size}")
        judging.add_default_criteria(alice, event)
        Juror.objects.create(event=event, user=bob)
        for i in range(size):
            score_all(bob, make_submission(event, f"Team {i}", minutes=i), 1 + i % 5)
        get(client, path(event), alice)  # the token's first use writes last_used_at
        with CaptureQueriesContext(connection) as queries:
            assert get(client, path(event), alice).status_code == 200
        return len(queries)

    assert count(1) == count(10)
