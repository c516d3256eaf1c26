"""The event report: what it gathers, the PDF and DOCX it makes, the requirements learned."""

import io
import re
import zlib
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from docx import Document

from samspil.core import pdf
from samspil.core.models import Visibility
from samspil.events import report, report_services, services
from samspil.events.models import (
    Criterion,
    EventKind,
    ExternalCost,
    Juror,
    LearnedRequirement,
    Registration,
    Score,
    Submission,
    SurveyResponse,
    Team,
    TimeSpent,
)
from samspil.needs.models import Challenge

from .conftest import make_event, register

PEOPLE = [
    ("ane@example.org", "supplier", "Rise Digital"),
    ("bo@example.org", "supplier", "rise  digital"),
    ("cem@example.org", "staff", "Arby Kommune"),
    ("dina@example.org", "citizen", ""),
]


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def challenge(owner, title: str, visibility=Visibility.PUBLIC) -> Challenge:
    return Challenge.objects.create(
        owner=owner, title=title, problem_statement=f"{title}.", visibility=visibility
    )


def populate(event, people=PEOPLE) -> list[Registration]:
    return [
        register(event, email, background=background, organisation=organisation).registration
        for email, background, organisation in people
    ]


def add_team(event, name: str, members, title: str | None = None, challenge=None) -> Team:
    team = Team.objects.create(event=event, name=name, challenge=challenge)
    team.members.set(members)
    if title:
        Submission.objects.create(team=team, title=title, summary=f"{title} in short.")
    return team


def judge(event, juror_user, values: dict[str, list[int]]) -> None:
    """Two criteria (weights 2 and 1); ``values``: team name → the two scores."""
    quality = Criterion.objects.create(event=event, name="Quality", weight=2, position=1)
    reuse = Criterion.objects.create(event=event, name="Reuse", weight=1, position=2)
    juror = Juror.objects.create(event=event, user=juror_user)
    for submission in Submission.objects.filter(team__event=event).select_related("team"):
        for criterion, value in zip((quality, reuse), values[submission.team.name], strict=True):
            Score.objects.create(
                submission=submission, criterion=criterion, juror=juror, value=value
            )


@pytest.fixture
def hackathon(alice, org_a):
    event = make_event(
        alice,
        org_a,
        "Hackathon on complaints",
        kind=EventKind.HACKATHON,
        capacity=4,
        hourly_rate=Decimal("500"),
        winner_count=1,
        challenges=[challenge(org_a, "Faster complaints")],
    )
    people = populate(event)
    register(event, "late@example.org")  # on the waiting list
    for person in people[:3]:
        person.attended = True
        person.save()
    services.form_groups(alice, event, services.GroupingSettings(group_count=2), seconds=0.1)
    add_team(event, "Team Blue", people[:2], "Complaint tracker", event.challenges.get())
    add_team(event, "Team Red", people[2:], "Chatbot")
    for person, score in zip(people[:2], (5, 3), strict=True):
        SurveyResponse.objects.create(
            event=event,
            registration=person,
            satisfaction=score,
            relevance=4,
            organisation_rating=4,
            went_well="Good data" if score == 5 else "",
        )
    TimeSpent.objects.create(event=event, role="project_lead", hours=Decimal("10"))
    TimeSpent.objects.create(event=event, role="legal", hours=Decimal("2"))
    ExternalCost.objects.create(event=event, description="Catering", amount=Decimal("3000"))
    report_services.add_requirement(alice, event, "Citizens can upload documents by phone.")
    report_services.add_requirement(alice, event, "Complaints are answered within 10 days.")
    return event


# Building the report --------------------------------------------------------------------


def test_it_gathers_everything_the_report_shows(hackathon, bob):
    judge(hackathon, bob, {"Team Blue": [4, 5], "Team Red": [5, 2]})
    built = report.build_report(hackathon)

    assert built.currency == "DKK" and built.organisers == ["Alice"]
    assert [c.title for c in built.challenges] == ["Faster complaints"]
    assert (built.confirmed, built.waiting, built.attended) == (4, 1, 3)
    assert [(str(r.label), r.confirmed, r.attended) for r in built.by_background] == [
        ("Supplier", 2, 2),
        ("Citizen", 1, 0),
        ("Staff member or user", 1, 1),
    ]
    # Spellings differing in case and spaces are one organisation; no organisation is named.
    assert [(str(r.label), r.confirmed) for r in built.by_organisation] == [
        ("Rise Digital", 2),
        ("Arby Kommune", 1),
        ("Not given", 1),
    ]
    # The three who attended are grouped.
    assert [g.size for g in built.groups] == [2, 1] and (built.diversity_score or 0) > 0
    assert [(t.name, t.challenge, t.members) for t in built.teams] == [
        ("Team Blue", "Faster complaints", 2),
        ("Team Red", "", 2),
    ]
    assert built.ranking is not None and built.ranking.final
    assert [(r.rank, r.team_name) for r in built.ranking.rows] == [
        (1, "Team Blue"),  # (2·4 + 5) / 3 = 4.33 against (2·5 + 2) / 3 = 4.0
        (2, "Team Red"),
    ]
    assert [r.team_name for r in built.ranking.winners] == ["Team Blue"]
    assert built.survey.responses == 2 and built.survey_rows[0].mean == 4.0
    assert built.response_percent == 67  # 2 of the 3 who attended
    assert built.cost.total_hours == 12 and built.cost.total_cost == Decimal("9000")
    assert [str(role) for role, _hours in built.hours_by_role] == ["Project lead", "Legal"]
    assert [r.text for r in built.requirements] == [
        "Citizens can upload documents by phone.",
        "Complaints are answered within 10 days.",
    ]


def test_it_says_judging_is_not_finished_until_every_juror_scored(hackathon, bob):
    Juror.objects.create(event=hackathon, user=bob)
    Criterion.objects.create(event=hackathon, name="Quality")
    built = report.build_report(hackathon)
    assert built.ranking is not None and not built.ranking.final and built.ranking.rows == []


def test_it_leaves_out_teams_for_events_without_them(alice, org_a):
    built = report.build_report(make_event(alice, org_a))
    assert not built.has_teams and built.ranking is None and built.groups == []
    assert built.survey.responses == 0 and built.cost.total_cost == 0


def test_it_shows_the_reader_only_the_challenges_they_may_see(alice, charlie, org_a, org_b):
    hidden = challenge(org_b, "Bergvik's own", Visibility.INTERNAL)
    event = make_event(alice, org_a, challenges=[challenge(org_a, "Shared one")])
    event.challenges.add(hidden)
    assert [c.title for c in report.build_report(event, alice).challenges] == ["Shared one"]
    assert len(report.build_report(event).challenges) == 2


def test_it_builds_in_a_constant_number_of_queries(alice, org_a, bob):
    def count(event) -> int:
        event = type(event).objects.select_related("owner").get(pk=event.pk)
        with CaptureQueriesContext(connection) as queries:
            report.build_report(event, alice)
        return len(queries)

    small = make_event(alice, org_a, "Small", kind=EventKind.HACKATHON, capacity=100)
    few = populate(small, PEOPLE[:1])
    add_team(small, "Only", few, "One")
    judge(small, bob, {"Only": [3, 3]})
    large = make_event(alice, org_a, "Large", kind=EventKind.HACKATHON, capacity=100)
    many = populate(large, [(f"p{i}@example.org", "supplier", f"Org {i}") for i in range(12)])
    for n in range(4):
        add_team(large, f"Team {n}", many[3 * n : 3 * n + 3], f"Idea {n}")
    judge(large, bob, {f"Team {n}": [n + 1, 2] for n in range(4)})
    for event in (small, large):
        services.form_groups(alice, event, services.GroupingSettings(group_count=1), seconds=0.1)
    assert count(large) == count(small)


# PDF and DOCX -----------------------------------------------------------------------------


def pdf_text(content: bytes) -> bytes:
    """The PDF's streams, inflated: enough to find its outline, metadata and pages."""
    parts = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_it_makes_a_pdf_in_the_language_asked_for(hackathon):
    content = report.report_pdf(report.build_report(hackathon), "en")
    assert content.startswith(b"%PDF")
    inside = pdf_text(content)
    assert b"/Title (Report on Hackathon on complaints)" in inside
    assert b"(Requirements learned)" in inside  # a bookmark per section heading
    assert re.search(rb"/Type\s*/Page\b", inside)
    assert b"/StructTreeRoot" in content + inside  # tagged for screen readers


def test_it_fetches_only_static_files_for_the_pdf():
    fetcher = pdf.StaticOnlyFetcher()
    css = (pdf.STATIC_DIR / "css" / "events-report-pdf.css").as_uri()
    assert fetcher.fetch(css).read().startswith(b"/*")
    for url in (
        "https://example.org/style.css",
        "http://127.0.0.1:8000/static/css/samspil.css",
        "file:///etc/passwd",
        (pdf.STATIC_DIR / ".." / "manage.py").as_uri(),
        "data:text/css,body{}",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_it_makes_a_docx_with_headings_tables_and_properties(hackathon, bob):
    judge(hackathon, bob, {"Team Blue": [4, 5], "Team Red": [5, 2]})
    document = Document(io.BytesIO(report.report_docx(report.build_report(hackathon), "en")))

    properties = document.core_properties
    assert properties.title == "Report on Hackathon on complaints"
    assert (properties.author, properties.language) == ("Arby Kommune", "en")
    headings = [
        p.text
        for p in document.paragraphs
        if p.style is not None and p.style.name.startswith("Heading")
    ]
    for heading in ("Challenges", "Participants", "Groups", "Teams and submissions"):
        assert heading in headings
    assert {"Ranking and winners", "Satisfaction", "Cost", "Requirements learned"} <= set(headings)
    tables = {t.rows[0].cells[0].text: t for t in document.tables}
    ranking = tables["Rank"]
    assert [c.text for c in ranking.rows[0].cells] == [
        "Rank",
        "Team",
        "Submission",
        "Quality",
        "Reuse",
        "Weighted score",
    ]
    assert ranking.rows[1].cells[1].text == "Team Blue (Winner)"
    assert "w:tblHeader" in ranking.rows[0]._tr.xml  # repeated on every page
    lines = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name == "List Number"
    ]
    assert lines == [
        "Citizens can upload documents by phone.",
        "Complaints are answered within 10 days.",
    ]


def test_it_writes_the_docx_in_another_language(hackathon):
    document = Document(io.BytesIO(report.report_docx(report.build_report(hackathon), "da")))
    assert document.core_properties.language == "da"
    assert 'w:val="da-DK"' in document.styles["Normal"].element.xml


# Requirements learned -----------------------------------------------------------------------


def lines_of(event) -> list[str]:
    return list(event.learned_requirements.order_by("position").values_list("text", flat=True))


def test_it_adds_edits_moves_and_deletes_requirements(alice, public_event):
    first = report_services.add_requirement(alice, public_event, "  One  ")
    second = report_services.add_requirement(alice, public_event, "Two")
    third = report_services.add_requirement(alice, public_event, "Three")
    assert lines_of(public_event) == ["One", "Two", "Three"]
    assert first.created_by == alice and first.history.first().history_user == alice

    report_services.update_requirement(alice, second, "Two, better")
    report_services.move_requirement(alice, third, report_services.UP)
    assert lines_of(public_event) == ["One", "Three", "Two, better"]
    report_services.move_requirement(alice, first, report_services.UP)  # already first
    report_services.move_requirement(alice, first, report_services.DOWN)
    assert lines_of(public_event) == ["Three", "One", "Two, better"]

    report_services.delete_requirement(alice, first)
    assert lines_of(public_event) == ["Three", "Two, better"]
    assert list(public_event.learned_requirements.values_list("position", flat=True)) == [1, 2]


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001])
def test_it_refuses_empty_or_too_long_requirements(alice, public_event, text):
    with pytest.raises(ValidationError) as error:
        report_services.add_requirement(alice, public_event, text)
    assert "text" in error.value.error_dict
    line = report_services.add_requirement(alice, public_event, "Kept")
    with pytest.raises(ValidationError):
        report_services.update_requirement(alice, line, text)
    assert LearnedRequirement.objects.get().text == "Kept"


def test_it_accepts_exactly_2000_characters(alice, public_event):
    assert len(report_services.add_requirement(alice, public_event, "x" * 2000).text) == 2000


def test_it_refuses_an_unknown_direction(alice, public_event):
    line = report_services.add_requirement(alice, public_event, "One")
    with pytest.raises(ValidationError):
        report_services.move_requirement(alice, line, "sideways")


def test_it_lets_only_organisers_write_requirements(alice, bob, charlie, dave, public_event):
    line = report_services.add_requirement(alice, public_event, "One")
    for user in (bob, charlie, dave):
        with pytest.raises(PermissionDenied):
            report_services.add_requirement(user, public_event, "Mine")
        with pytest.raises(PermissionDenied):
            report_services.update_requirement(user, line, "Changed")
        with pytest.raises(PermissionDenied):
            report_services.move_requirement(user, line, report_services.DOWN)
        with pytest.raises(PermissionDenied):
            report_services.delete_requirement(user, line)
    assert lines_of(public_event) == ["One"]


def test_it_lets_named_organisers_of_other_roles_write(alice, bob, org_a):
    event = make_event(alice, org_a, organisers=[alice, bob])
    assert report_services.add_requirement(bob, event, "From Bob").created_by == bob
