"""The team and submission pages: who may see and change what, forms that keep what was
typed, files shown and downloaded safely, the event page's panel, constant query counts."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samspil.events import services, team_services
from samspil.events.models import Event, Juror, Submission, SubmissionFile, Team
from samspil.events.services import GroupingSettings

from .conftest import make_event, register
from .test_grouping_services import populate
from .test_teams_services import make_challenge, make_hackathon, screenshot, tiny_png
from .test_views import text_of

HTMX = {"HX-Request": "true"}


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
def people(hackathon):
    return populate(hackathon)


@pytest.fixture
def bob_registered(hackathon, bob):
    return register(hackathon, "bob@example.org", user=bob, name="Bob Builder").registration


@pytest.fixture
def team(alice, hackathon, challenge, people, bob_registered) -> Team:
    return team_services.create_team(
        alice, hackathon, name="Complaint busters", challenge=challenge, members=[bob_registered]
    )


@pytest.fixture
def submission(bob, team) -> Submission:
    return team_services.save_submission(
        bob, team, title="Complaint bot", summary="Answers complaints.", links="https://e.org"
    )


def url(event, tail: str = "") -> str:
    return f"/events/{event.pk}/{tail}"


def team_url(event, team, tail: str = "") -> str:
    return f"/events/{event.pk}/teams/{team.pk}/{tail}"


def close_submissions(event) -> None:
    Event.objects.filter(pk=event.pk).update(
        submission_deadline=timezone.now() - timedelta(minutes=5)
    )


# Who may see ------------------------------------------------------------------------------------


def test_it_shows_the_teams_page_to_organisers_participants_and_jurors(
    client, client_for, alice, bob, charlie, dave, hackathon, team, submission
):
    pages = [
        url(hackathon, "teams/"),
        url(hackathon, "submissions/"),
        team_url(hackathon, team, "submission/"),
    ]
    for page in pages:
        assert client.get(page).status_code == 302  # to the login page
    for outsider in (charlie, dave):
        for page in pages:
            assert client_for(outsider).get(page).status_code == 403
    Juror.objects.create(event=hackathon, user=dave)
    for user in (alice, bob, dave):
        for page in pages:
            response = client_for(user).get(page)
            assert response.status_code == 200, (user, page)
            assert "Complaint bot" in text_of(response) or "Complaint busters" in text_of(response)


def test_it_offers_only_innovation_leads_to_start_a_pilot_from_a_submission(
    client_for, alice, bob, dave, hackathon, team, submission
):
    start = f"/pilots/new/?submission={submission.pk}"
    Juror.objects.create(event=hackathon, user=dave)
    for page in (team_url(hackathon, team, "submission/"), url(hackathon, "submissions/")):
        assert start in client_for(alice).get(page).content.decode(), page
        for person in (bob, dave):
            assert start not in client_for(person).get(page).content.decode(), (person, page)


def test_it_refuses_the_pages_to_a_participant_who_cancelled(
    client_for, bob, hackathon, team, bob_registered
):
    bob_registered.status = "cancelled"
    bob_registered.save()
    for page in (url(hackathon, "teams/"), url(hackathon, "submissions/")):
        assert client_for(bob).get(page).status_code == 403


def test_it_answers_404_to_other_organisations_for_internal_events(
    client_for, alice, charlie, org_a
):
    event = make_hackathon(alice, org_a, "Internal hackathon", visibility="internal")
    team = team_services.create_team(alice, event, name="Team Blue")
    for page in (
        url(event, "teams/"),
        url(event, "submissions/"),
        team_url(event, team, "submission/"),
        team_url(event, team, "submission/edit/"),
    ):
        assert client_for(charlie).get(page).status_code == 404
    assert client_for(charlie).post(team_url(event, team, "join/")).status_code == 404
    assert client_for(charlie).post(url(event, "teams/new/"), {"name": "x"}).status_code == 404


def test_it_refuses_team_management_to_participants_and_outsiders(
    client_for, bob, charlie, dave, hackathon, team, people
):
    services.form_groups(hackathon.created_by, hackathon, GroupingSettings(group_count=2))
    for user in (bob, charlie, dave):
        client = client_for(user)
        assert client.get(team_url(hackathon, team, "edit/")).status_code == 403
        assert client.post(team_url(hackathon, team, "delete/")).status_code == 403
        assert client.post(url(hackathon, "teams/from-groups/")).status_code == 403
    assert Team.objects.get() == team


# Organisers manage teams ------------------------------------------------------------------------


def test_it_lets_organisers_create_edit_and_delete_teams(
    client_for, alice, hackathon, challenge, people
):
    client = client_for(alice)
    data = {"name": "Team Blue", "challenge": challenge.pk, "members": [people[0].pk, people[1].pk]}
    assert client.post(url(hackathon, "teams/new/"), data).status_code == 302
    blue = Team.objects.get(name="Team Blue")
    assert sorted(m.name for m in blue.members.all()) == ["Ane", "Bo"]
    text = text_of(client.get(url(hackathon, "teams/")))
    assert "Team Blue" in text and "Ane, Bo" in text and challenge.title in text

    edit = team_url(hackathon, blue, "edit/")
    assert 'value="Team Blue"' in client.get(edit).content.decode()
    response = client.post(edit, {"name": "Team Teal", "members": [people[2].pk]})
    assert response.status_code == 302
    blue.refresh_from_db()
    assert blue.name == "Team Teal" and blue.challenge is None
    assert [m.name for m in blue.members.all()] == ["Cem"]

    assert client.post(team_url(hackathon, blue, "delete/")).status_code == 302
    assert not Team.objects.exists()


def test_it_keeps_the_typed_values_when_a_person_is_in_two_teams(
    client_for, alice, hackathon, people
):
    client = client_for(alice)
    team_services.create_team(alice, hackathon, name="Team Blue", members=people[:1])
    data = {"name": "Team Red", "members": [people[0].pk, people[1].pk]}
    response = client.post(url(hackathon, "teams/new/"), data)
    assert response.status_code == 422
    text = text_of(response)
    assert "Ane is already in team Team Blue." in text
    assert 'value="Team Red"' in response.content.decode()
    assert not Team.objects.filter(name="Team Red").exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"name": ""},
        {"name": "x" * 201},
        {"name": "Ok", "members": ["999999"]},
        {"name": "Ok", "challenge": "abc"},
    ],
)
def test_it_answers_bad_team_input_with_the_form(client_for, alice, hackathon, people, data):
    assert client_for(alice).post(url(hackathon, "teams/new/"), data).status_code == 422
    assert not Team.objects.exists()


def test_it_refuses_a_member_who_is_not_registered(client_for, alice, org_a, hackathon, people):
    other = make_event(alice, org_a, "Other event", capacity=10)
    stranger = register(other, "stranger@example.org", name="Stranger").registration
    response = client_for(alice).post(
        url(hackathon, "teams/new/"), {"name": "Team Blue", "members": [stranger.pk]}
    )
    assert response.status_code == 422  # not among the form's choices either
    assert not Team.objects.exists()


def test_it_makes_teams_from_the_groups(client_for, alice, hackathon, people):
    client = client_for(alice)
    response = client.post(url(hackathon, "teams/from-groups/"), follow=True)
    assert "Form the groups first" in text_of(response)
    services.form_groups(alice, hackathon, GroupingSettings(group_count=2), seconds=0.1)
    response = client.post(url(hackathon, "teams/from-groups/"), follow=True)
    assert "2 teams were made from the groups." in text_of(response)
    assert sorted(Team.objects.values_list("name", flat=True)) == ["Group 1", "Group 2"]


def test_it_refuses_to_delete_a_team_that_has_submitted(
    client_for, alice, hackathon, team, submission
):
    response = client_for(alice).post(team_url(hackathon, team, "delete/"), follow=True)
    assert "cannot be deleted" in text_of(response)
    assert Team.objects.filter(pk=team.pk).exists()


# Participants' own teams ------------------------------------------------------------------------


def test_it_lets_a_participant_start_a_team_then_leave_and_join_another(
    client_for, alice, bob, hackathon, challenge, bob_registered, people
):
    client = client_for(bob)
    page = text_of(client.get(url(hackathon, "teams/")))
    assert "Start a team" in page
    response = client.post(
        url(hackathon, "teams/new/"), {"name": "Bobs", "challenge": challenge.pk}
    )
    assert response.status_code == 302
    own = Team.objects.get(name="Bobs")
    assert list(own.members.all()) == [bob_registered]
    blue = team_services.create_team(alice, hackathon, name="Team Blue", members=people[:2])
    response = client.post(team_url(hackathon, blue, "join/"), follow=True)
    assert "already in team Bobs" in text_of(response)
    assert client.post(team_url(hackathon, own, "leave/")).status_code == 302
    assert client.post(team_url(hackathon, blue, "join/")).status_code == 302
    assert bob_registered in blue.members.all()
    text = text_of(client.get(url(hackathon, "teams/")))
    # Names in your own team; a count for the others.
    assert "Your team: Team Blue" in text and "Ane, Bo, Bob Builder" in text
    assert "0 people" in text


def test_it_refuses_a_participant_team_after_the_deadline(
    client_for, bob, hackathon, bob_registered
):
    close_submissions(hackathon)
    client = client_for(bob)
    text = text_of(client.get(url(hackathon, "teams/")))
    assert "Start a team" not in text and "deadline passed" in text
    response = client.post(url(hackathon, "teams/new/"), {"name": "Too late"})
    assert response.status_code == 422 and "deadline passed" in text_of(response)
    assert not Team.objects.exists()


def test_it_refuses_join_and_leave_to_outsiders(client_for, charlie, dave, hackathon, team):
    for user in (charlie, dave):
        assert client_for(user).post(team_url(hackathon, team, "join/")).status_code == 403
        assert client_for(user).post(team_url(hackathon, team, "leave/")).status_code == 403
        assert client_for(user).post(url(hackathon, "teams/new/"), {"name": "x"}).status_code == 403


# Submissions ------------------------------------------------------------------------------------


def test_it_lets_a_member_write_and_edit_the_submission_until_the_deadline(
    client_for, bob, hackathon, team
):
    client = client_for(bob)
    page = text_of(client.get(team_url(hackathon, team, "submission/")))
    assert "You can edit until" in page and "not submitted yet" in page
    data = {
        "title": "Complaint bot",
        "summary": "Answers complaints at night.",
        "problem_solved": "Slow answers.",
        "links": "https://example.org/demo\nhttp://example.org/code",
    }
    response = client.post(team_url(hackathon, team, "submission/edit/"), data)
    assert response.status_code == 302
    submission = Submission.objects.get(team=team)
    assert submission.link_list == ["https://example.org/demo", "http://example.org/code"]
    edit = client.get(team_url(hackathon, team, "submission/edit/")).content.decode()
    assert "Answers complaints at night." in edit
    html = client.get(team_url(hackathon, team, "submission/")).content.decode()
    assert 'href="https://example.org/demo"' in html and "Slow answers." in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "summary": "x"}, "This field is required."),
        ({"title": "Bot", "summary": "x", "links": "javascript:alert(1)"}, "http:// or https://"),
        (
            {
                "title": "Bot",
                "summary": "x",
                "links": "\n".join(f"https://e.org/{i}" for i in range(11)),
            },
            "at most 10 links",
        ),
    ],
)
def test_it_keeps_what_was_typed_when_the_submission_is_refused(
    client_for, bob, hackathon, team, data, message
):
    response = client_for(bob).post(team_url(hackathon, team, "submission/edit/"), data)
    assert response.status_code == 422
    assert message in text_of(response)
    assert data["summary"] in response.content.decode()
    assert not Submission.objects.exists()


def test_it_refuses_a_late_submission_and_shows_it_read_only(
    client_for, bob, alice, hackathon, team, submission
):
    close_submissions(hackathon)
    client = client_for(bob)
    response = client.post(
        team_url(hackathon, team, "submission/edit/"), {"title": "Late", "summary": "Too late."}
    )
    assert response.status_code == 422 and "deadline passed" in text_of(response)
    assert Submission.objects.get().title == "Complaint bot"
    assert client.get(team_url(hackathon, team, "submission/edit/")).status_code == 302
    for user in (bob, alice):
        html = client_for(user).get(team_url(hackathon, team, "submission/")).content.decode()
        assert "can no longer be changed" in html and "submission/edit/" not in html
        assert 'type="file"' not in html


def test_it_lets_others_read_but_not_edit_a_submission(
    client_for, alice, dave, hackathon, submission, people
):
    other = register(hackathon, "dave@example.org", user=dave, name="Dave").registration
    team_services.create_team(alice, hackathon, name="Dave's team", members=[other])
    client = client_for(dave)
    team = submission.team
    html = client.get(team_url(hackathon, team, "submission/")).content.decode()
    assert "Complaint bot" in html and "submission/edit/" not in html
    assert "1 person" in text_of(client.get(team_url(hackathon, team, "submission/")))
    assert client.get(team_url(hackathon, team, "submission/edit/")).status_code == 403
    assert (
        client.post(
            team_url(hackathon, team, "submission/edit/"), {"title": "x", "summary": "y"}
        ).status_code
        == 403
    )


# Files ------------------------------------------------------------------------------------------


def test_it_uploads_shows_downloads_and_removes_files(client_for, bob, hackathon, team, submission):
    client = client_for(bob)
    files = team_url(hackathon, team, "submission/files/")
    response = client.post(files, {"kind": "screenshot", "file": screenshot("front page.png")})
    assert response.status_code == 302
    pdf = SimpleUploadedFile("pitch.pdf", b"%PDF-1.4 pitch", "application/pdf")
    assert client.post(files, {"kind": "file", "file": pdf}).status_code == 302
    shot, deck = SubmissionFile.objects.order_by("pk")
    html = client.get(team_url(hackathon, team, "submission/")).content.decode()
    assert f'<img class="submission-screenshot" src="{files}{shot.pk}/"' in html

    image = client.get(f"{files}{shot.pk}/")
    assert image.status_code == 200 and b"".join(image.streaming_content) == tiny_png()
    assert image["Content-Type"] == "image/png"
    assert image["Content-Disposition"].startswith("inline")
    assert image["X-Content-Type-Options"] == "nosniff"
    download = client.get(f"{files}{deck.pk}/")
    assert download["Content-Disposition"].startswith("attachment")
    assert 'filename="pitch.pdf"' in download["Content-Disposition"]
    assert "sandbox" in download["Content-Security-Policy"]

    response = client.post(f"{files}{shot.pk}/remove/", headers=HTMX)
    assert response.status_code == 200
    assert response.content.decode().startswith('<section id="submission-files"')
    assert list(SubmissionFile.objects.all()) == [deck]


@pytest.mark.parametrize(
    ("kind", "name", "content", "message"),
    [
        ("screenshot", "page.svg", b"<svg/>", "files of this type are not accepted"),
        ("file", "virus.exe", b"MZ", "files of this type are not accepted"),
        ("screenshot", "fake.png", b"<html>", "is not the image its name says"),
        ("screenshot", "big.png", tiny_png() + b"0" * (10 * 1024 * 1024), "larger than 10 MB"),
        ("sound", "shot.png", tiny_png(), "Select a valid choice"),
    ],
    ids=["svg", "exe", "fake-png", "too-large", "bad-kind"],
)
def test_it_refuses_wrong_files_with_the_form(
    client_for, bob, hackathon, team, submission, kind, name, content, message
):
    upload = SimpleUploadedFile(name, content)
    files = team_url(hackathon, team, "submission/files/")
    response = client_for(bob).post(files, {"kind": kind, "file": upload})
    assert response.status_code == 422 and message in text_of(response)
    response = client_for(bob).post(
        files, {"kind": kind, "file": SimpleUploadedFile(name, content)}, headers=HTMX
    )
    assert response.status_code == 422 and "<html" not in response.content.decode()
    assert not SubmissionFile.objects.exists()


def test_it_asks_for_the_submission_before_files(client_for, bob, hackathon, team):
    files = team_url(hackathon, team, "submission/files/")
    upload = {"kind": "screenshot", "file": screenshot()}
    response = client_for(bob).post(files, upload, follow=True)
    assert "Save the submission before adding files." in text_of(response)
    assert not SubmissionFile.objects.exists()


def test_it_guards_files_like_the_submission(
    client, client_for, alice, charlie, dave, org_a, hackathon, team, submission, bob
):
    record = team_services.add_submission_file(bob, submission, screenshot(), "screenshot")
    address = team_url(hackathon, team, f"submission/files/{record.pk}/")
    assert client.get(address).status_code == 302
    for user in (charlie, dave):
        assert client_for(user).get(address).status_code == 403
        assert client_for(user).post(f"{address}remove/").status_code == 403
        upload = {"kind": "screenshot", "file": screenshot()}
        assert (
            client_for(user)
            .post(team_url(hackathon, team, "submission/files/"), upload)
            .status_code
            == 403
        )
    assert client_for(alice).get(address).status_code == 200
    # The file is only reachable under its own team and event.
    other = team_services.create_team(alice, hackathon, name="Team Blue")
    assert (
        client_for(alice)
        .get(team_url(hackathon, other, f"submission/files/{record.pk}/"))
        .status_code
        == 404
    )
    event = make_hackathon(alice, org_a, "Another")
    assert (
        client_for(alice)
        .get(f"/events/{event.pk}/teams/{team.pk}/submission/files/{record.pk}/")
        .status_code
        == 404
    )
    assert SubmissionFile.objects.count() == 1


# Overview, panel and query counts ---------------------------------------------------------------


def test_it_lists_submissions_with_names_for_organisers_and_counts_for_participants(
    client_for, alice, bob, dave, hackathon, submission, people
):
    blue = team_services.create_team(alice, hackathon, name="Team Blue", members=people[:2])
    team_services.save_submission(alice, blue, title="Plan helper", summary="Helps.")
    text = text_of(client_for(alice).get(url(hackathon, "submissions/")))
    assert "2 of 2 teams have submitted." in text
    assert "Ane, Bo" in text and "Bob Builder" in text
    text = text_of(client_for(bob).get(url(hackathon, "submissions/")))
    assert "Bob Builder" in text and "Ane" not in text and "2 people" in text
    Juror.objects.create(event=hackathon, user=dave)
    assert "Ane, Bo" in text_of(client_for(dave).get(url(hackathon, "submissions/")))


def test_it_shows_the_panel_on_the_event_page(
    client, client_for, alice, bob, charlie, hackathon, team
):
    text = text_of(client_for(bob).get(url(hackathon)))
    assert "Teams and submissions" in text and "You are in team Complaint busters." in text
    assert "Edit your team's submission" in text
    html = client_for(alice).get(url(hackathon)).content.decode()
    assert (
        f'href="/events/{hackathon.pk}/teams/"' in html
        and "0 of 1 teams have submitted." in text_of(client_for(alice).get(url(hackathon)))
    )
    for outsider in (client, client_for(charlie)):
        assert "Teams and submissions" not in text_of(outsider.get(url(hackathon)))


def test_it_leaves_the_panel_out_of_events_without_teams(client_for, alice, org_a):
    event = make_event(alice, org_a, "Workshop")
    html = client_for(alice).get(url(event)).content.decode()
    assert "teams-panel" not in html and f"/events/{event.pk}/teams/" not in html


def _count(client, address: str) -> int:
    client.get(address)  # warm the session and the site's caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def _fill(alice, event, teams: int) -> None:
    people = populate(event, [(f"P{i}", "staff", f"Org {i}", "data") for i in range(teams * 2)])
    for n in range(teams):
        team = team_services.create_team(
            alice, event, name=f"Team {n}", members=people[2 * n : 2 * n + 2]
        )
        submission = team_services.save_submission(
            alice, team, title=f"Prototype {n}", summary="Works.", links="https://e.org"
        )
        team_services.add_submission_file(alice, submission, screenshot(), "screenshot")


@pytest.mark.parametrize("page", ["teams/", "submissions/", ""])
def test_it_shows_the_pages_with_a_constant_number_of_queries(
    client_for, alice, org_a, challenge, page
):
    client = client_for(alice)
    counts = []
    for size in (1, 6):
        event = make_hackathon(alice, org_a, f"Hackathon {size}", challenges=[challenge])
        _fill(alice, event, size)
        counts.append(_count(client, url(event, page)))
    assert counts[0] == counts[1]
