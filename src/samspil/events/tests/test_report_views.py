"""The report page, its downloads and the requirements-learned editor, for who may and may not."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from samspil.api.tests.test_api import assert_problem
from samspil.core.models import Visibility
from samspil.events import report_services
from samspil.events.models import EventKind, LearnedRequirement

from .conftest import make_event
from .test_api import get
from .test_report import add_team, populate
from .test_views import HTMX, text_of


@pytest.fixture
def workshop(alice, org_a):
    event = make_event(alice, org_a, "Co-creation: digital purchasing", capacity=50)
    report_services.add_requirement(alice, event, "Orders can be approved on a phone.")
    return event


def url(event, tail: str = "") -> str:
    return f"/events/{event.pk}/report{tail}"


def line_url(event, line, action: str) -> str:
    return f"/events/{event.pk}/report/requirements/{line.pk}/{action}/"


def texts(event) -> list[str]:
    return list(event.learned_requirements.order_by("position").values_list("text", flat=True))


# Who may -------------------------------------------------------------------------------------


def test_it_shows_the_report_to_organisers(client_for, alice, workshop):
    response = client_for(alice).get(url(workshop, "/"))
    assert response.status_code == 200
    text = text_of(response)
    for heading in ("Challenges", "Participants", "Groups", "Satisfaction", "Cost"):
        assert heading in text
    assert "Orders can be approved on a phone." in text
    assert f'href="/events/{workshop.pk}/report.pdf"' in response.content.decode()


def test_it_links_the_report_from_the_event_for_organisers_only(client_for, alice, bob, workshop):
    link = f'href="/events/{workshop.pk}/report/"'
    assert link in client_for(alice).get(f"/events/{workshop.pk}/").content.decode()
    assert link not in client_for(bob).get(f"/events/{workshop.pk}/").content.decode()


def test_it_lets_a_named_organiser_in(client_for, alice, bob, org_a):
    event = make_event(alice, org_a, organisers=[alice, bob])
    assert client_for(bob).get(url(event, "/")).status_code == 200


def test_it_downloads_the_pdf_as_an_attachment(client_for, alice, workshop):
    response = client_for(alice).get(url(workshop, ".pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    day = workshop.starts_at.astimezone().date().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="co-creation-digital-purchasing-{day}.pdf"'
    )
    assert response.content.startswith(b"%PDF")


def test_it_downloads_the_docx_in_the_language_asked_for(client_for, alice, workshop):
    response = client_for(alice).get(url(workshop, ".docx"), {"language": "sv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="co-creation-')
    assert response["Content-Disposition"].endswith('.docx"')
    document = Document(io.BytesIO(response.content))
    assert document.core_properties.language == "sv"
    # An unknown language falls back to the page's.
    response = client_for(alice).get(url(workshop, ".docx"), {"language": "xx"})
    assert Document(io.BytesIO(response.content)).core_properties.language == "en"


ROUTES = ["/", ".pdf", ".docx"]


def test_it_sends_anonymous_visitors_to_log_in(client, workshop):
    line = workshop.learned_requirements.get()
    for tail in ROUTES:
        assert client.get(url(workshop, tail)).status_code == 302
    assert client.post(url(workshop, "/requirements/"), {"text": "x"}).status_code == 302
    for action in ("edit", "delete", "move"):
        assert client.post(line_url(workshop, line, action), {"text": "x"}).status_code == 302
    assert texts(workshop) == ["Orders can be approved on a phone."]


@pytest.mark.parametrize("persona", ["bob", "charlie", "dave"])
def test_it_refuses_people_who_do_not_organise(client_for, workshop, persona, request):
    client = client_for(request.getfixturevalue(persona))
    line = workshop.learned_requirements.get()
    for tail in ROUTES:
        assert client.get(url(workshop, tail)).status_code == 403
    assert client.post(url(workshop, "/requirements/"), {"text": "Mine"}).status_code == 403
    assert client.get(line_url(workshop, line, "edit")).status_code == 403
    assert client.post(line_url(workshop, line, "edit"), {"edit-text": "x"}).status_code == 403
    assert client.post(line_url(workshop, line, "delete")).status_code == 403
    assert client.post(line_url(workshop, line, "move"), {"direction": "up"}).status_code == 403
    assert texts(workshop) == ["Orders can be approved on a phone."]


def test_it_answers_404_to_other_organisations_for_internal_events(
    client_for, alice, charlie, org_a
):
    event = make_event(alice, org_a, "Internal", visibility=Visibility.INTERNAL)
    line = report_services.add_requirement(alice, event, "Hidden")
    client = client_for(charlie)
    for tail in ROUTES:
        assert client.get(url(event, tail)).status_code == 404
    assert client.post(url(event, "/requirements/"), {"text": "x"}).status_code == 404
    for action in ("edit", "delete", "move"):
        assert client.post(line_url(event, line, action)).status_code == 404


def test_it_answers_404_for_a_line_of_another_event(client_for, alice, org_a, workshop):
    other = make_event(alice, org_a, "Other")
    line = report_services.add_requirement(alice, other, "Elsewhere")
    response = client_for(alice).post(line_url(workshop, line, "delete"))
    assert response.status_code == 404
    assert texts(other) == ["Elsewhere"]


# The editor ----------------------------------------------------------------------------------


def test_it_adds_a_requirement_without_javascript(client_for, alice, workshop):
    response = client_for(alice).post(url(workshop, "/requirements/"), {"text": " Pay by EAN "})
    assert response.status_code == 302
    assert response["Location"] == f"/events/{workshop.pk}/report/#report-requirements"
    assert texts(workshop)[-1] == "Pay by EAN"


def test_it_adds_a_requirement_with_htmx_and_answers_the_list(client_for, alice, workshop):
    response = client_for(alice).post(
        url(workshop, "/requirements/"), {"text": "Pay by EAN"}, headers=HTMX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<section id="report-requirements"') and "Pay by EAN" in body
    assert "<html" not in body


@pytest.mark.parametrize("text", ["", "   ", "y" * 2001])
def test_it_keeps_bad_input_with_a_422(client_for, alice, workshop, text):
    client = client_for(alice)
    response = client.post(url(workshop, "/requirements/"), {"text": text})
    assert response.status_code == 422
    assert "ds-error-summary" in response.content.decode()
    response = client.post(url(workshop, "/requirements/"), {"text": text}, headers=HTMX)
    assert response.status_code == 422 and "<html" not in response.content.decode()
    assert len(texts(workshop)) == 1


def test_it_edits_a_requirement_in_place(client_for, alice, workshop):
    client = client_for(alice)
    line = workshop.learned_requirements.get()
    page = client.get(line_url(workshop, line, "edit"))
    assert page.status_code == 200 and 'id="id_edit-text"' in page.content.decode()
    partial = client.get(line_url(workshop, line, "edit"), headers=HTMX)
    assert "<html" not in partial.content.decode() and "id_edit-text" in partial.content.decode()

    bad = client.post(line_url(workshop, line, "edit"), {"edit-text": ""})
    assert bad.status_code == 422 and 'id="id_edit-text"' in bad.content.decode()
    response = client.post(line_url(workshop, line, "edit"), {"edit-text": "On a phone or tablet"})
    assert response.status_code == 302
    assert texts(workshop) == ["On a phone or tablet"]


def test_it_moves_and_deletes_requirements(client_for, alice, workshop):
    client = client_for(alice)
    line = report_services.add_requirement(alice, workshop, "Second")
    response = client.post(line_url(workshop, line, "move"), {"direction": "up"}, headers=HTMX)
    assert response.status_code == 200
    assert texts(workshop) == ["Second", "Orders can be approved on a phone."]
    bad = client.post(line_url(workshop, line, "move"), {"direction": "left"}, headers=HTMX)
    assert bad.status_code == 422 and 'role="alert"' in bad.content.decode()
    assert client.post(line_url(workshop, line, "delete")).status_code == 302
    assert not LearnedRequirement.objects.filter(pk=line.pk).exists()
    assert client.get(line_url(workshop, line, "delete")).status_code == 405


def test_it_escapes_what_people_write(client_for, alice, workshop):
    report_services.add_requirement(alice, workshop, "<script>alert(1)</script>")
    body = client_for(alice).get(url(workshop, "/")).content.decode()
    assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)" in body


# Queries ---------------------------------------------------------------------------------


def test_it_keeps_the_query_count_of_the_page_constant(client_for, alice, org_a):
    client = client_for(alice)

    def count(event) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(event, "/")).status_code == 200
        return len(queries)

    small = make_event(alice, org_a, "Small", kind=EventKind.HACKATHON, capacity=100)
    add_team(small, "Only", populate(small, [("a@example.org", "supplier", "A")]), "One")
    report_services.add_requirement(alice, small, "One")
    large = make_event(alice, org_a, "Large", kind=EventKind.HACKATHON, capacity=100)
    people = populate(large, [(f"p{i}@example.org", "citizen", f"Org {i}") for i in range(15)])
    for n in range(5):
        add_team(large, f"Team {n}", people[3 * n : 3 * n + 3], f"Idea {n}")
    for n in range(8):
        report_services.add_requirement(alice, large, f"Line {n}")
    count(small)  # warm the caches that are filled once per process
    assert count(large) == count(small)


# API -------------------------------------------------------------------------------------


def api_path(event) -> str:
    return f"/api/events/{event.pk}/requirements-learned"


def test_it_lists_requirements_learned_to_everyone_who_sees_the_event(client, alice, workshop):
    report_services.add_requirement(alice, workshop, "Invoices in OIOUBL")
    response = get(client, api_path(workshop))
    assert response.status_code == 200
    assert [(r["position"], r["text"]) for r in response.json()] == [
        (1, "Orders can be approved on a phone."),
        (2, "Invoices in OIOUBL"),
    ]
    assert set(response.json()[0]) == {"id", "position", "text", "created_at"}


def test_it_keeps_an_internal_events_requirements_inside(client, alice, bob, charlie, dave, org_a):
    event = make_event(alice, org_a, "Internal", visibility=Visibility.INTERNAL)
    report_services.add_requirement(alice, event, "Internal lesson")
    assert [r["text"] for r in get(client, api_path(event), bob).json()] == ["Internal lesson"]
    for user in (None, charlie, dave):
        assert_problem(get(client, api_path(event), user), 404)
    assert_problem(get(client, "/api/events/999999/requirements-learned", alice), 404)
