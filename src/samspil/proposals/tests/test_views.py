"""The proposal pages: list, create and the editor, for those who may and who may not."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from samspil.conftest import add_member, make_user
from samspil.core.models import Role
from samspil.pilots.tests.conftest import make_pilot
from samspil.proposals import services
from samspil.proposals.models import TEXT_MAX, Proposal, StateChange

from .conftest import make_proposal
from .test_services import internal_challenge


@pytest.fixture
def board_member(org_a):
    user = make_user("frida")
    add_member(user, org_a, Role.Code.BOARD_MEMBER)
    return user


def section_url(proposal, code="background"):
    return reverse("proposals:section", args=[proposal.pk, code])


def header_data(proposal, **changes) -> dict:
    data = {
        "title": proposal.title,
        "summary": proposal.summary,
        "committee": "",
        "price_level_year": proposal.price_level_year,
        "first_year": proposal.first_year,
        "last_year": proposal.last_year,
        "discount_preset": proposal.discount_preset_id or "",
        "own_discount_rate": "",
        "visibility": proposal.visibility,
    }
    data.update(changes)
    return data


# List -------------------------------------------------------------------------------------------


def test_it_lists_only_public_proposals_to_anonymous_visitors(client, proposal, internal_proposal):
    response = client.get(reverse("proposals:list"))
    assert response.status_code == 200
    assert proposal.title in response.text
    assert internal_proposal.title not in response.text
    assert reverse("proposals:create") not in response.text


def test_it_lists_internal_proposals_to_their_organisation_only(
    client_for, bob, charlie, internal_proposal
):
    assert internal_proposal.title in client_for(bob).get(reverse("proposals:list")).text
    assert internal_proposal.title not in client_for(charlie).get(reverse("proposals:list")).text


def test_it_filters_by_state_organisation_and_title(client_for, alice, org_a, proposal):
    make_proposal(alice, org_a, "Robot coding of invoices")
    services.move_proposal(alice, proposal, "consultation")
    page = client_for(alice)

    def titles(**query) -> str:
        return page.get(reverse("proposals:list"), query).text

    assert "Robot coding" not in titles(state="consultation")
    assert proposal.title in titles(state="consultation")
    assert proposal.title not in titles(q="robot invoices")
    assert "Robot coding" in titles(organisation=org_a.pk, q="robot")


def test_it_answers_htmx_with_the_rows_only(client, proposal):
    response = client.get(reverse("proposals:list"), headers={"HX-Request": "true"})
    assert proposal.title in response.text
    assert "<html" not in response.text


def test_it_lists_with_a_constant_number_of_queries(
    client_for, alice, org_a, django_assert_max_num_queries
):
    page = client_for(alice)
    for n in range(2):
        make_proposal(alice, org_a, f"Proposal {n}")
    page.get(reverse("proposals:list"))  # warm caches (sessions, content types)
    with django_assert_max_num_queries(30) as captured:
        page.get(reverse("proposals:list"))
    few = len(captured)
    for n in range(2, 10):
        make_proposal(alice, org_a, f"Proposal {n}")
    with django_assert_max_num_queries(few):
        assert "Proposal 9" in page.get(reverse("proposals:list")).text


# Create -----------------------------------------------------------------------------------------


def test_it_offers_the_create_page_to_innovation_leads_only(client, client_for, alice, bob, dave):
    assert client.get(reverse("proposals:create")).status_code == 302  # to the sign-in page
    for person in (bob, dave):
        assert client_for(person).get(reverse("proposals:create")).status_code == 403
    response = client_for(alice).get(reverse("proposals:create"))
    assert response.status_code == 200
    assert "Create proposal" in response.text


def test_it_creates_a_draft_with_the_countrys_template(client_for, alice, org_a):
    response = client_for(alice).post(
        reverse("proposals:create"),
        {"owner": org_a.pk, "title": "Hackathons", "visibility": "internal"},
    )
    proposal = Proposal.objects.get(title="Hackathons")
    assert response.status_code == 302 and response.url == proposal.get_absolute_url()
    assert proposal.template.code == "copenhagen"


def test_it_keeps_what_was_typed_when_the_years_are_wrong(client_for, alice, org_a):
    response = client_for(alice).post(
        reverse("proposals:create"),
        {
            "owner": org_a.pk,
            "title": "Typed title",
            "summary": "Typed summary",
            "first_year": 2025,
            "last_year": 2020,
            "visibility": "internal",
        },
    )
    assert response.status_code == 422
    assert "The last year must not be before the first year." in response.text
    assert 'value="Typed title"' in response.text and "Typed summary" in response.text
    assert not Proposal.objects.exists()


def test_it_starts_from_a_pilot(client_for, alice, org_a):
    pilot = make_pilot(alice, org_a, "Robotic invoice coding")
    response = client_for(alice).get(reverse("proposals:create"), {"pilot": pilot.pk})
    assert 'value="Robotic invoice coding"' in response.text
    assert f'<option value="{pilot.pk}" selected>' in response.text


def test_it_answers_404_for_a_challenge_the_author_may_not_see(client_for, alice, org_b):
    challenge = internal_challenge(org_b)
    response = client_for(alice).get(reverse("proposals:create"), {"challenge": challenge.pk})
    assert response.status_code == 404


# Detail and editor ------------------------------------------------------------------------------


def test_it_shows_every_section_in_template_order_with_an_editor(client_for, alice, proposal):
    response = client_for(alice).get(proposal.get_absolute_url())
    assert response.status_code == 200
    headings = [s.heading for s in proposal.template.sections.all()]
    positions = [response.text.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert f'hx-post="{section_url(proposal)}"' in response.text
    assert reverse("proposals:header", args=[proposal.pk]) in response.text
    assert 'value="consultation"' in response.text  # a move button


def test_it_shows_the_proposal_read_only_to_members(client_for, bob, proposal):
    services.save_section(proposal.created_by, proposal, "background", "Why hackathons")
    response = client_for(bob).get(proposal.get_absolute_url())
    assert response.status_code == 200
    assert "Why hackathons" in response.text
    assert section_url(proposal) not in response.text
    assert reverse("proposals:move", args=[proposal.pk]) not in response.text


def test_it_shows_a_public_proposal_to_anyone_and_hides_an_internal_one(
    client, client_for, charlie, dave, proposal, internal_proposal
):
    assert client.get(proposal.get_absolute_url()).status_code == 200
    assert client.get(internal_proposal.get_absolute_url()).status_code == 404
    for person in (charlie, dave):
        page = client_for(person)
        assert page.get(proposal.get_absolute_url()).status_code == 200
        assert page.get(internal_proposal.get_absolute_url()).status_code == 404


def test_it_offers_the_board_its_decisions_but_no_editor(client_for, alice, board_member, proposal):
    services.move_proposal(alice, proposal, "submitted")
    response = client_for(board_member).get(proposal.get_absolute_url())
    assert 'value="approved"' in response.text and 'value="deferred"' in response.text
    assert section_url(proposal) not in response.text


# Saving sections --------------------------------------------------------------------------------


def test_it_saves_a_section_by_htmx_and_answers_with_its_status(client_for, alice, proposal):
    response = client_for(alice).post(
        section_url(proposal),
        {"background-text": "Three hackathons"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Saved at" in response.text and 'id="section-background-status"' in response.text
    assert proposal.sections.get(section__code="background").text == "Three hackathons"


def test_it_saves_a_section_without_javascript_and_returns_to_it(client_for, alice, proposal):
    response = client_for(alice).post(section_url(proposal, "risk"), {"risk-text": "Low"})
    assert response.status_code == 302
    assert response.url == f"{proposal.get_absolute_url()}#section-risk"


def test_it_keeps_a_text_that_is_too_long_and_says_why(client_for, alice, proposal):
    page = client_for(alice)
    typed = "Typed words " + "x" * TEXT_MAX
    response = page.post(section_url(proposal), {"background-text": typed})
    assert response.status_code == 422
    assert f"Write at most {TEXT_MAX} characters." in response.text
    assert typed in response.text
    htmx = page.post(
        section_url(proposal), {"background-text": typed}, headers={"HX-Request": "true"}
    )
    assert htmx.status_code == 422 and "Not saved" in htmx.text
    assert proposal.sections.get(section__code="background").text == ""


def test_it_refuses_section_saves_to_those_who_may_not_edit(
    client, client_for, bob, board_member, charlie, proposal, internal_proposal
):
    assert client.post(section_url(proposal), {"background-text": "x"}).status_code == 302
    for person in (bob, board_member):
        assert (
            client_for(person).post(section_url(proposal), {"background-text": "x"}).status_code
            == 403
        )
    response = client_for(charlie).post(section_url(internal_proposal), {"background-text": "x"})
    assert response.status_code == 404
    assert client_for(proposal.created_by).post(section_url(proposal, "nothing")).status_code == 404


# Header -----------------------------------------------------------------------------------------


def test_it_saves_the_header(client_for, alice, proposal, org_a_department):
    data = header_data(
        proposal, committee="Socialudvalget", affected_departments=[org_a_department.pk]
    )
    response = client_for(alice).post(reverse("proposals:header", args=[proposal.pk]), data)
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.committee == "Socialudvalget"
    assert list(proposal.affected_departments.all()) == [org_a_department]


def test_it_keeps_a_header_that_does_not_hold_and_names_the_cells(client_for, alice, proposal):
    from .test_services import fill_cell

    fill_cell(proposal, 2025, label="Drift af platform")
    data = header_data(proposal, title="Typed new title", last_year=2023)
    response = client_for(alice).post(reverse("proposals:header", args=[proposal.pk]), data)
    assert response.status_code == 422
    assert "Drift af platform (2025)" in response.text
    assert 'value="Typed new title"' in response.text
    proposal.refresh_from_db()
    assert proposal.title != "Typed new title"


def test_it_reads_and_shows_a_danish_own_discount_rate(client_for, alice, proposal):
    client = client_for(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    data = header_data(proposal, discount_preset="", own_discount_rate="3,5")
    response = client.post(reverse("proposals:header", args=[proposal.pk]), data)
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.own_discount_rate == Decimal("3.5")
    page = client.get(proposal.get_absolute_url()).text
    assert 'name="own_discount_rate" value="3,5"' in page


def test_it_refuses_the_header_to_members(client_for, bob, proposal):
    url = reverse("proposals:header", args=[proposal.pk])
    assert client_for(bob).post(url, header_data(proposal)).status_code == 403


# Moves ------------------------------------------------------------------------------------------


def test_it_moves_a_proposal_and_shows_the_history(client_for, alice, board_member, proposal):
    url = reverse("proposals:move", args=[proposal.pk])
    response = client_for(alice).post(url, {"to": "submitted", "note": "Ready for the pool"})
    assert response.status_code == 302
    response = client_for(board_member).post(url, {"to": "approved"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == "approved"
    page = client_for(alice).get(proposal.get_absolute_url()).text
    assert "Ready for the pool" in page and 'id="state-history"' in page


def test_it_refuses_a_jump_with_a_message_and_keeps_the_note(client_for, alice, proposal):
    url = reverse("proposals:move", args=[proposal.pk])
    response = client_for(alice).post(url, {"to": "approved", "note": "Typed note"})
    assert response.status_code == 422
    assert "cannot become" in response.text and "Typed note" in response.text
    assert not StateChange.objects.exists()


def test_it_refuses_moves_to_those_who_may_not(
    client_for, bob, charlie, proposal, internal_proposal
):
    assert (
        client_for(bob)
        .post(reverse("proposals:move", args=[proposal.pk]), {"to": "consultation"})
        .status_code
        == 403
    )
    assert (
        client_for(charlie)
        .post(reverse("proposals:move", args=[internal_proposal.pk]), {"to": "consultation"})
        .status_code
        == 404
    )


def test_it_shows_the_editor_with_a_constant_number_of_queries(
    client_for, alice, org_a, django_assert_max_num_queries
):
    # The same number of moves (each is a row of the header's history, whose panel compares
    # rows pairwise); the texts and notes differ.
    empty = make_proposal(alice, org_a, "Empty")
    full = make_proposal(alice, org_a, "Full")
    for proposal, note in ((empty, ""), (full, "Why")):
        for state in ("consultation", "draft", "consultation"):
            services.move_proposal(alice, proposal, state, note)
    for section in full.template.sections.all():
        services.save_section(alice, full, section.code, f"Text of {section.code}")
    page = client_for(alice)
    page.get(empty.get_absolute_url())  # warm caches (sessions, content types)
    with django_assert_max_num_queries(80) as captured:
        page.get(empty.get_absolute_url())
    with django_assert_max_num_queries(len(captured)):
        assert "Text of risk" in page.get(full.get_absolute_url()).text
