"""GET /api/events/{id}/submissions: for organisers, jurors and participants; problems else."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samspil.api.tests.test_api import assert_problem
from samspil.events import team_services
from samspil.events.models import Juror

from .conftest import register
from .test_api import get
from .test_grouping_services import populate
from .test_teams_services import make_challenge, make_hackathon, screenshot


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def challenge(org_a):
    return make_challenge(org_a, "Complaints handled faster")


@pytest.fixture
def hackathon(alice, org_a, challenge):
    return make_hackathon(alice, org_a, challenges=[challenge])


@pytest.fixture
def submission(alice, bob, hackathon, challenge):
    people = populate(hackathon)
    bob_registered = register(hackathon, "bob@example.org", user=bob, name="Bob B").registration
    team = team_services.create_team(
        alice,
        hackathon,
        name="Complaint busters",
        challenge=challenge,
        members=[people[0], bob_registered],
    )
    submission = team_services.save_submission(
        bob,
        team,
        title="Complaint bot",
        summary="Answers complaints.",
        problem_solved="Slow answers.",
        links="https://example.org/demo\nhttps://example.org/code",
    )
    team_services.add_submission_file(bob, submission, screenshot("front.png"), "screenshot")
    return submission


def path(event) -> str:
    return f"/api/events/{event.pk}/submissions"


def test_it_lists_submissions_with_names_for_organisers(client, alice, hackathon, submission):
    response = get(client, path(hackathon), alice)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 1 and body["pages"] == 1
    item = body["items"][0]
    team = submission.team
    assert item["id"] == submission.pk
    assert item["team"] == {"id": team.pk, "name": "Complaint busters"}
    assert item["members"] == ["Ane", "Bob B"] and item["member_count"] == 2
    assert item["challenge_id"] == team.challenge_id
    assert item["title"] == "Complaint bot" and item["problem_solved"] == "Slow answers."
    assert item["links"] == ["https://example.org/demo", "https://example.org/code"]
    assert item["submitted_at"] and item["updated_at"]
    (file,) = item["files"]
    record = submission.files.get()
    assert file == {
        "id": record.pk,
        "name": "front.png",
        "kind": "screenshot",
        "content_type": "image/png",
        "size": record.size,
        "url": f"/events/{hackathon.pk}/teams/{team.pk}/submission/files/{record.pk}/",
    }
    client.force_login(alice, backend="samspil.core.auth.EmailOrUsernameBackend")
    assert client.get(file["url"]).status_code == 200


def test_it_gives_jurors_names_and_participants_counts(client, bob, dave, hackathon, submission):
    Juror.objects.create(event=hackathon, user=dave)
    assert get(client, path(hackathon), dave).json()["items"][0]["members"] == ["Ane", "Bob B"]
    item = get(client, path(hackathon), bob).json()["items"][0]
    assert item["members"] is None and item["member_count"] == 2


def test_it_refuses_those_who_may_not_see_submissions(client, charlie, dave, hackathon, submission):
    assert_problem(get(client, path(hackathon)), 403)
    assert_problem(get(client, path(hackathon), charlie), 403)
    assert_problem(get(client, path(hackathon), dave), 403)


def test_it_answers_404_for_unseen_or_unknown_events(client, alice, charlie, org_a):
    event = make_hackathon(alice, org_a, "Internal hackathon", visibility="internal")
    assert_problem(get(client, path(event), charlie), 404)
    assert_problem(get(client, path(event)), 404)
    assert_problem(get(client, "/api/events/999999/submissions", alice), 404)


@pytest.mark.parametrize("query", [{"page": 0}, {"page_size": 1000}, {"page": "x"}])
def test_it_answers_bad_paging_with_422(client, alice, hackathon, query):
    assert_problem(get(client, path(hackathon), alice, **query), 422)


def test_it_pages_and_counts_queries_that_do_not_grow(client, alice, hackathon):
    people = populate(hackathon, [(f"P{i}", "staff", f"Org {i}", "") for i in range(12)])

    def add(n: int) -> None:
        team = team_services.create_team(
            alice, hackathon, name=f"Team {n:02}", members=people[2 * n : 2 * n + 2]
        )
        submission = team_services.save_submission(alice, team, title=f"P{n}", summary="Ok.")
        team_services.add_submission_file(alice, submission, screenshot(), "screenshot")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert get(client, path(hackathon), alice).status_code == 200
        return len(queries)

    add(0)
    few = count()
    for n in range(1, 6):
        add(n)
    assert count() == few
    body = get(client, path(hackathon), alice, page=2, page_size=4).json()
    assert body["count"] == 6 and body["pages"] == 2
    assert [item["team"]["name"] for item in body["items"]] == ["Team 04", "Team 05"]
