"""Teams and submissions: who may form teams and submit, the rules on members, links, files
and the deadline; every refusal is a translated ValidationError or a PermissionDenied."""

import struct
import zlib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import formats, timezone

from samspil.core.models import Visibility
from samspil.events import services, team_services
from samspil.events.models import (
    EventKind,
    Grouping,
    Registration,
    Submission,
    SubmissionFile,
    Team,
)
from samspil.events.services import GroupingSettings
from samspil.needs.models import Challenge

from .conftest import make_event, register
from .test_grouping_services import populate


def tiny_png() -> bytes:
    """A valid one-pixel PNG, so that browsers can show it too."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x80\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def screenshot(name: str = "prototype.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_png(), "image/png")


def make_challenge(owner, title: str, visibility=Visibility.PUBLIC) -> Challenge:
    return Challenge.objects.create(
        owner=owner, title=title, problem_statement=f"{title}.", visibility=visibility
    )


def make_hackathon(alice, org_a, title: str = "Hackathon: complaints", **fields):
    start = timezone.now() + timedelta(days=14)
    values = {
        "kind": EventKind.HACKATHON,
        "capacity": 100,
        "starts_at": start,
        "ends_at": start + timedelta(hours=8),
        "submission_deadline": start + timedelta(hours=7),
    }
    values.update(fields)
    return make_event(alice, org_a, title, **values)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def challenges(org_a) -> list[Challenge]:
    return [
        make_challenge(org_a, "Complaints handled faster"),
        make_challenge(org_a, "Citizens document their own plan"),
    ]


@pytest.fixture
def hackathon(alice, org_a, challenges):
    return make_hackathon(alice, org_a, challenges=challenges)


@pytest.fixture
def people(hackathon) -> list[Registration]:
    return populate(hackathon)


@pytest.fixture
def bob_registered(hackathon, bob) -> Registration:
    return register(hackathon, "bob@example.org", user=bob, name="Bob").registration


@pytest.fixture
def bobs_team(alice, hackathon, challenges, people, bob_registered) -> Team:
    return team_services.create_team(
        alice,
        hackathon,
        name="Complaint busters",
        challenge=challenges[0],
        members=[bob_registered, people[0]],
    )


def after(event, minutes: int = 1):
    return event.submission_deadline + timedelta(minutes=minutes)


def messages_of(error: ValidationError, field: str) -> str:
    return " ".join(error.value.message_dict[field])  # type: ignore[attr-defined]


# Teams made by organisers ------------------------------------------------------------------------


def test_it_lets_organisers_create_a_team_with_challenge_and_members(
    alice, hackathon, challenges, people
):
    team = team_services.create_team(
        alice, hackathon, name="  Team   Blue ", challenge=challenges[1], members=people[:3]
    )
    assert team.name == "Team Blue"
    assert team.challenge == challenges[1]
    assert sorted(m.pk for m in team.members.all()) == sorted(r.pk for r in people[:3])
    assert team.history.first().history_user == alice


@pytest.mark.parametrize("name", ["", "   ", "x" * 201, "team blue"])
def test_it_refuses_a_missing_long_or_taken_name(alice, hackathon, name):
    team_services.create_team(alice, hackathon, name="Team Blue")
    with pytest.raises(ValidationError) as error:
        team_services.create_team(alice, hackathon, name=name)
    assert "name" in error.value.message_dict
    assert Team.objects.count() == 1


def test_it_refuses_a_challenge_that_is_not_the_events(alice, org_a, hackathon):
    other = make_challenge(org_a, "Parking permits")
    with pytest.raises(ValidationError) as error:
        team_services.create_team(alice, hackathon, name="Team Blue", challenge=other)
    assert "one of the event's challenges" in messages_of(error, "challenge")


def test_it_refuses_members_who_are_not_confirmed_participants(alice, org_a, hackathon, people):
    elsewhere = make_hackathon(alice, org_a, "Another hackathon")
    stranger = register(elsewhere, "stranger@example.org", name="Stranger").registration
    hackathon.capacity = len(people)
    hackathon.save()
    waiting = register(hackathon, "late@example.org", name="Late Comer").registration
    assert waiting.status == "waiting"
    with pytest.raises(ValidationError) as error:
        team_services.create_team(
            alice, hackathon, name="Team Blue", members=[people[0], stranger, waiting]
        )
    message = messages_of(error, "members")
    assert "Stranger" in message and "Late Comer" in message and "Ane" not in message
    assert not Team.objects.exists()


def test_it_refuses_a_person_in_two_teams_and_names_them(alice, hackathon, people):
    team_services.create_team(alice, hackathon, name="Team Blue", members=people[:2])
    with pytest.raises(ValidationError) as error:
        team_services.create_team(alice, hackathon, name="Team Red", members=people[1:3])
    assert messages_of(error, "members") == "Bo is already in team Team Blue."
    red = team_services.create_team(alice, hackathon, name="Team Red", members=people[2:3])
    with pytest.raises(ValidationError):
        team_services.update_team(alice, red, members=[people[0], people[2]])


def test_it_reports_every_bad_field_at_once(alice, org_a, hackathon, people):
    team_services.create_team(alice, hackathon, name="Team Blue", members=people[:1])
    with pytest.raises(ValidationError) as error:
        team_services.create_team(
            alice,
            hackathon,
            name="",
            challenge=make_challenge(org_a, "Elsewhere"),
            members=people[:1],
        )
    assert set(error.value.message_dict) == {"name", "challenge", "members"}


def test_it_updates_only_the_given_fields(alice, hackathon, challenges, people):
    team = team_services.create_team(
        alice, hackathon, name="Team Blue", challenge=challenges[0], members=people[:2]
    )
    team_services.update_team(alice, team, name="Team Teal", members=[people[1], people[2]])
    team.refresh_from_db()
    assert team.name == "Team Teal" and team.challenge == challenges[0]
    assert sorted(m.name for m in team.members.all()) == ["Bo", "Cem"]
    team_services.update_team(alice, team, challenge=None)
    team.refresh_from_db()
    assert team.challenge is None and team.name == "Team Teal"
    with pytest.raises(ValueError):
        team_services.update_team(alice, team, event=None)


def test_it_deletes_teams_but_not_one_that_has_submitted(alice, bobs_team, hackathon, people):
    empty = team_services.create_team(alice, hackathon, name="Team Empty")
    team_services.delete_team(alice, empty)
    assert not Team.objects.filter(pk=empty.pk).exists()
    team_services.save_submission(alice, bobs_team, title="Complaint bot", summary="A bot.")
    with pytest.raises(ValidationError):
        team_services.delete_team(alice, bobs_team)
    with pytest.raises(ValidationError):
        team_services.update_team(alice, bobs_team, members=[])
    assert Team.objects.filter(pk=bobs_team.pk).exists()


def test_it_refuses_team_management_to_everyone_but_organisers(
    bob, charlie, dave, hackathon, people, bob_registered
):
    team = Team.objects.create(event=hackathon, name="Made in the admin")
    for user in (bob, charlie, dave):
        with pytest.raises(PermissionDenied):
            team_services.create_team(user, hackathon, name="Mine")
        with pytest.raises(PermissionDenied):
            team_services.update_team(user, team, name="Mine")
        with pytest.raises(PermissionDenied):
            team_services.delete_team(user, team)
        with pytest.raises(PermissionDenied):
            team_services.teams_from_groups(user, hackathon)


# Teams from the diverse groups ------------------------------------------------------------------


def test_it_makes_one_team_per_group_and_replaces_the_teams(alice, org_a, challenges):
    event = make_hackathon(alice, org_a, challenges=challenges[:1])
    people = populate(event)
    old = team_services.create_team(alice, event, name="Hand-made", members=people[:1])
    services.form_groups(alice, event, GroupingSettings(group_count=3), seconds=0.1)
    groups = Grouping.objects.get(event=event).groups
    # Someone of group 3 cancels before the teams are made: they are left out.
    Registration.objects.filter(pk=groups[2][0]).update(status="cancelled")
    teams = team_services.teams_from_groups(alice, event)
    assert [t.name for t in teams] == ["Group 1", "Group 2", "Group 3"]
    assert not Team.objects.filter(pk=old.pk).exists()
    expected = [groups[0], groups[1], groups[2][1:]]
    for team, group in zip(teams, expected, strict=True):
        assert sorted(m.pk for m in team.members.all()) == sorted(group)
        assert team.challenge == challenges[0]  # the event's only challenge


def test_it_leaves_the_challenge_open_when_the_event_has_several(alice, hackathon, people):
    services.form_groups(alice, hackathon, GroupingSettings(group_count=2), seconds=0.1)
    teams = team_services.teams_from_groups(alice, hackathon)
    assert len(teams) == 2 and all(t.challenge is None for t in teams)


def test_it_refuses_teams_from_groups_without_groups_or_after_a_submission(
    alice, hackathon, people, bobs_team
):
    with pytest.raises(ValidationError, match="Form the groups first"):
        team_services.teams_from_groups(alice, hackathon)
    services.form_groups(alice, hackathon, GroupingSettings(group_count=2), seconds=0.1)
    team_services.save_submission(alice, bobs_team, title="Complaint bot", summary="A bot.")
    with pytest.raises(ValidationError, match="have submitted"):
        team_services.teams_from_groups(alice, hackathon)
    assert list(Team.objects.all()) == [bobs_team]


# Teams of participants ---------------------------------------------------------------------------


def test_it_lets_a_participant_start_join_and_leave_teams(
    bob, alice, hackathon, challenges, people, bob_registered
):
    own = team_services.create_own_team(bob, hackathon, name="Bob's team", challenge=challenges[0])
    assert list(own.members.all()) == [bob_registered]
    with pytest.raises(ValidationError, match="already in team"):
        team_services.create_own_team(bob, hackathon, name="Second team")
    other = team_services.create_team(alice, hackathon, name="Team Blue", members=people[:1])
    with pytest.raises(ValidationError, match="already in team Bob's team"):
        team_services.join_team(bob, other)
    team_services.leave_team(bob, own)
    team_services.join_team(bob, other)
    team_services.join_team(bob, other)  # joining twice changes nothing
    assert sorted(m.name for m in other.members.all()) == ["Ane", "Bob"]
    assert not own.members.exists()


def test_it_refuses_participant_changes_after_the_deadline(bob, hackathon, people, bob_registered):
    late = after(hackathon)
    with pytest.raises(ValidationError) as error:
        team_services.create_own_team(bob, hackathon, name="Too late", now=late)
    assert "deadline passed" in " ".join(error.value.messages)
    team = Team.objects.create(event=hackathon, name="Team Blue")
    with pytest.raises(ValidationError):
        team_services.join_team(bob, team, now=late)
    team.members.add(bob_registered)
    with pytest.raises(ValidationError):
        team_services.leave_team(bob, team, now=late)
    assert team.members.count() == 1


def test_it_refuses_participant_changes_to_people_who_are_not_participants(
    charlie, dave, bob, hackathon, people
):
    team = Team.objects.create(event=hackathon, name="Team Blue")
    for user in (charlie, dave, bob):  # bob has not registered here
        with pytest.raises(PermissionDenied):
            team_services.create_own_team(user, hackathon, name="Mine")
        with pytest.raises(PermissionDenied):
            team_services.join_team(user, team)
        with pytest.raises(PermissionDenied):
            team_services.leave_team(user, team)


def test_it_keeps_the_last_member_of_a_team_that_has_submitted(
    bob, alice, hackathon, bob_registered
):
    team = team_services.create_own_team(bob, hackathon, name="Solo")
    team_services.save_submission(bob, team, title="Solo bot", summary="Alone.")
    with pytest.raises(ValidationError, match="last member"):
        team_services.leave_team(bob, team)


# Submissions -------------------------------------------------------------------------------------


def test_it_creates_then_updates_the_one_submission_of_a_team(bob, alice, bobs_team):
    first = team_services.save_submission(
        bob,
        bobs_team,
        title=" Complaint bot ",
        summary="Answers complaints.",
        problem_solved="Slow answers.",
        links="https://example.org/demo\n\n  http://example.org/code  \n",
    )
    assert first.title == "Complaint bot" and first.submitted_by == bob
    assert first.link_list == ["https://example.org/demo", "http://example.org/code"]
    second = team_services.save_submission(
        alice, bobs_team, title="Complaint bot 2", summary="Better.", links=["https://a.example"]
    )
    assert second.pk == first.pk and Submission.objects.count() == 1
    second.refresh_from_db()
    assert second.title == "Complaint bot 2" and second.submitted_by == bob
    assert second.history.first().history_user == alice


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "", "summary": "A bot."}, "title"),
        ({"title": "Bot", "summary": "  "}, "summary"),
        ({"title": "x" * 201, "summary": "A bot."}, "title"),
        ({"title": "Bot", "summary": "A bot.", "problem_solved": "x" * 10001}, "problem_solved"),
        ({"title": "Bot", "summary": "A bot.", "links": "javascript:alert(1)"}, "links"),
        ({"title": "Bot", "summary": "A bot.", "links": "ftp://example.org/x"}, "links"),
        ({"title": "Bot", "summary": "A bot.", "links": "example.org"}, "links"),
        (
            {
                "title": "Bot",
                "summary": "A bot.",
                "links": [f"https://e.org/{i}" for i in range(11)],
            },
            "links",
        ),
    ],
)
def test_it_refuses_bad_submissions(bob, bobs_team, fields, field):
    with pytest.raises(ValidationError) as error:
        team_services.save_submission(bob, bobs_team, **fields)
    assert field in error.value.message_dict
    assert not Submission.objects.exists()


def test_it_refuses_a_late_submission_and_says_when_the_deadline_was(bob, bobs_team, hackathon):
    with pytest.raises(ValidationError) as error:
        team_services.save_submission(
            bob, bobs_team, title="Bot", summary="Late.", now=after(hackathon)
        )
    deadline = timezone.localtime(hackathon.submission_deadline)
    message = " ".join(error.value.messages)
    assert formats.date_format(deadline, "DATE_FORMAT") in message
    assert formats.time_format(deadline, "TIME_FORMAT") in message
    assert not Submission.objects.exists()
    # Right before the deadline it is still accepted.
    just_before = hackathon.submission_deadline - timedelta(seconds=1)
    team_services.save_submission(bob, bobs_team, title="Bot", summary="Just.", now=just_before)


def test_it_accepts_submissions_without_a_deadline(alice, org_a, bob):
    event = make_hackathon(alice, org_a, submission_deadline=None)
    register(event, "bob@example.org", user=bob)
    team = team_services.create_own_team(bob, event, name="Open end")
    later = timezone.now() + timedelta(days=365)
    assert team_services.save_submission(bob, team, title="Bot", summary="Any time.", now=later)


def test_it_refuses_submissions_to_people_outside_the_team(
    charlie, dave, bob, alice, hackathon, people, bobs_team
):
    outsider = register(hackathon, "dave@example.org", user=dave).registration
    team_services.create_team(alice, hackathon, name="Dave's", members=[outsider])
    for user in (charlie, dave):
        with pytest.raises(PermissionDenied):
            team_services.save_submission(user, bobs_team, title="Bot", summary="Not mine.")
    submission = team_services.save_submission(bob, bobs_team, title="Bot", summary="Mine.")
    with pytest.raises(PermissionDenied):
        team_services.add_submission_file(dave, submission, screenshot(), "screenshot")


# Files -------------------------------------------------------------------------------------------


@pytest.fixture
def submission(bob, bobs_team) -> Submission:
    return team_services.save_submission(bob, bobs_team, title="Complaint bot", summary="A bot.")


def test_it_stores_files_under_generated_names(bob, submission, media):
    shot = team_services.add_submission_file(
        bob, submission, screenshot("../../etc/Forside.PNG"), "screenshot"
    )
    deck = team_services.add_submission_file(
        bob, submission, SimpleUploadedFile("pitch deck.pdf", b"%PDF-1.4 x"), "file"
    )
    assert shot.original_name == "Forside.PNG" and shot.content_type == "image/png"
    assert shot.stored_name.endswith(".png") and "Forside" not in shot.stored_name
    assert shot.file.name == f"events/submissions/{submission.pk}/{shot.stored_name}"
    assert (media / shot.file.name).read_bytes() == tiny_png()
    assert deck.original_name == "pitch_deck.pdf" and deck.kind == "file"
    assert deck.uploaded_by == bob and deck.size == len(b"%PDF-1.4 x")


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("virus.exe", b"MZ", "file"),
        ("drawing.svg", b"<svg onload=alert(1)>", "screenshot"),
        ("slides.pdf", b"%PDF-1.4", "screenshot"),
        ("page.html", b"<html>", "file"),
        ("no-extension", b"x", "file"),
        ("fake.png", b"<script>alert(1)</script>", "screenshot"),
        ("fake.webp", b"RIFF0000WAVE", "screenshot"),
        ("shot.png", tiny_png(), "video"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_it_refuses_files_of_the_wrong_type(bob, submission, media, name, content, kind):
    with pytest.raises(ValidationError) as error:
        team_services.add_submission_file(bob, submission, SimpleUploadedFile(name, content), kind)
    assert set(error.value.message_dict) <= {"file", "kind"}
    assert not SubmissionFile.objects.exists()
    assert not (media / "events").exists()


@pytest.mark.parametrize(
    ("name", "content", "kind", "megabytes"),
    [("shot.png", tiny_png(), "screenshot", 10), ("demo.mp4", b"....ftyp", "file", 50)],
    ids=["screenshot", "file"],
)
def test_it_refuses_files_that_are_too_large(bob, submission, name, content, kind, megabytes):
    upload = SimpleUploadedFile(name, content)
    upload.size = megabytes * 1024 * 1024 + 1  # the size Django measured while receiving it
    with pytest.raises(ValidationError) as error:
        team_services.add_submission_file(bob, submission, upload, kind)
    assert f"larger than {megabytes} MB" in messages_of(error, "file")
    upload.size = megabytes * 1024 * 1024
    assert team_services.add_submission_file(bob, submission, upload, kind)


def test_it_keeps_at_most_twenty_files(bob, submission):
    for n in range(team_services.FILES_PER_SUBMISSION):
        team_services.add_submission_file(
            bob, submission, SimpleUploadedFile(f"note{n}.txt", b"x"), "file"
        )
    with pytest.raises(ValidationError, match="at most 20 files"):
        team_services.add_submission_file(bob, submission, screenshot(), "screenshot")


def test_it_removes_a_file_and_its_stored_copy(
    bob, submission, media, django_capture_on_commit_callbacks
):
    record = team_services.add_submission_file(bob, submission, screenshot(), "screenshot")
    stored = media / record.file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        team_services.remove_submission_file(bob, record)
    assert not SubmissionFile.objects.exists() and not stored.exists()


def test_it_refuses_file_changes_after_the_deadline(bob, charlie, submission, hackathon):
    record = team_services.add_submission_file(bob, submission, screenshot(), "screenshot")
    with pytest.raises(ValidationError, match="deadline passed"):
        team_services.add_submission_file(
            bob, submission, screenshot(), "screenshot", now=after(hackathon)
        )
    with pytest.raises(ValidationError, match="deadline passed"):
        team_services.remove_submission_file(bob, record, now=after(hackathon))
    with pytest.raises(PermissionDenied):
        team_services.remove_submission_file(charlie, record)
    assert SubmissionFile.objects.count() == 1
