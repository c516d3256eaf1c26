"""Writing proposals: the draft with its sections, the header, section texts and the moves
between states."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samspil.conftest import add_member, make_user
from samspil.core.models import Notification, Organisation, Role, Visibility
from samspil.pilots.tests.test_services import make_challenge
from samspil.proposals import services
from samspil.proposals.models import (
    TEXT_MAX,
    EconomicLine,
    FollowUpItem,
    LineValue,
    ProposalTemplate,
    StateChange,
)

from .conftest import make_proposal


@pytest.fixture
def board_member(org_a):
    user = make_user("frida")
    add_member(user, org_a, Role.Code.BOARD_MEMBER)
    return user


@pytest.fixture
def department_of_b(org_b):
    return Organisation.objects.create(
        name="Bergvik helse",
        slug="bergvik-helse",
        kind="department",
        country="NO",
        currency="NOK",
        parent=org_b,
    )


def internal_challenge(owner, title="Fewer complaints"):
    return make_challenge(owner, Visibility.INTERNAL, title=title)


def fill_cell(proposal, year, value=100, label="Hackathon 1"):
    line = EconomicLine.objects.create(
        proposal=proposal, group="implementation", budget_area="service", label=label
    )
    return LineValue.objects.create(line=line, year=year, value=value)


def submitted(proposal, alice):
    services.move_proposal(alice, proposal, "submitted")
    proposal.refresh_from_db()
    return proposal


# Creating ---------------------------------------------------------------------------------------


def test_it_makes_a_draft_with_every_section_and_body_of_the_template(alice, org_a):
    proposal = make_proposal(alice, org_a)
    assert proposal.state == "draft"
    assert proposal.template.code == "copenhagen"
    codes = list(proposal.sections.values_list("section__code", flat=True))
    assert codes[:3] == ["economy", "background", "content"]
    assert len(codes) == proposal.template.sections.count()
    assert proposal.consultations.first().body.startswith("Center for Økonomi")


def test_it_gives_a_norwegian_organisation_the_norwegian_template(org_b):
    lead = make_user("nora")
    add_member(lead, org_b, Role.Code.INNOVATION_LEAD)
    proposal = make_proposal(lead, org_b)
    assert proposal.template.code == "prosjektveiviseren"


def test_it_refuses_a_proposal_from_someone_who_does_not_lead_innovation(bob, org_a):
    with pytest.raises(PermissionDenied):
        make_proposal(bob, org_a)


def test_it_requires_a_title_and_years_in_order(alice, org_a):
    with pytest.raises(ValidationError) as error:
        make_proposal(alice, org_a, title="  ")
    assert "title" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_proposal(alice, org_a, first_year=2025, last_year=2020)
    assert error.value.message_dict["last_year"] == [
        "The last year must not be before the first year."
    ]


def test_it_refuses_a_link_to_a_challenge_the_author_may_not_see(alice, org_a, org_b):
    with pytest.raises(ValidationError) as error:
        make_proposal(alice, org_a, challenge=internal_challenge(org_b))
    assert error.value.message_dict["challenge"] == ["Choose a challenge you may see."]


def test_it_refuses_another_organisations_template(alice, org_a, org_b):
    template = ProposalTemplate.objects.create(code="bergvik", name="Bergvik", organisation=org_b)
    with pytest.raises(ValidationError) as error:
        make_proposal(alice, org_a, template=template)
    assert "template" in error.value.message_dict


# The header -------------------------------------------------------------------------------------


def test_it_saves_the_header_with_departments_of_the_municipality(
    alice, proposal, org_a_department
):
    services.update_proposal(
        alice, proposal, committee="Socialudvalget", affected_departments=[org_a_department]
    )
    proposal.refresh_from_db()
    assert proposal.committee == "Socialudvalget"
    assert list(proposal.affected_departments.all()) == [org_a_department]


def test_it_refuses_a_department_of_another_municipality(alice, proposal, department_of_b):
    with pytest.raises(ValidationError) as error:
        services.update_proposal(alice, proposal, affected_departments=[department_of_b])
    assert "affected_departments" in error.value.message_dict


def test_it_refuses_shorter_years_that_would_leave_cells_behind(alice, proposal):
    fill_cell(proposal, 2025, label="Drift af platform")
    with pytest.raises(ValidationError) as error:
        services.update_proposal(alice, proposal, last_year=2023)
    assert "Drift af platform (2025)" in error.value.message_dict["last_year"][0]
    proposal.refresh_from_db()
    assert proposal.last_year == 2025


def test_it_shortens_the_years_when_no_cell_is_left_behind(alice, proposal):
    fill_cell(proposal, 2021)
    services.update_proposal(alice, proposal, first_year=2021, last_year=2023)
    proposal.refresh_from_db()
    assert (proposal.first_year, proposal.last_year) == (2021, 2023)


def test_it_refuses_years_out_of_range_or_out_of_order(alice, proposal):
    with pytest.raises(ValidationError) as error:
        services.update_proposal(alice, proposal, first_year=2024, last_year=2022)
    assert "last_year" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.update_proposal(alice, proposal, price_level_year=1200)
    assert "price_level_year" in error.value.message_dict


def test_it_lets_neither_members_nor_the_board_edit_the_header(bob, board_member, proposal):
    for user in (bob, board_member):
        with pytest.raises(PermissionDenied):
            services.update_proposal(user, proposal, title="Changed")


def test_it_freezes_the_content_once_submitted(alice, proposal):
    submitted(proposal, alice)
    with pytest.raises(PermissionDenied):
        services.update_proposal(alice, proposal, title="Changed")
    with pytest.raises(PermissionDenied):
        services.save_section(alice, proposal, "background", "Later text")


# Sections ---------------------------------------------------------------------------------------


def test_it_saves_a_section_on_its_own(alice, proposal):
    services.save_section(alice, proposal, "background", "Three hackathons.\r\nWith partners.")
    services.save_section(alice, proposal, "risk", "Few participants.")
    texts = dict(proposal.sections.values_list("section__code", "text"))
    assert texts["background"] == "Three hackathons.\nWith partners."
    assert texts["risk"] == "Few participants."
    assert proposal.sections.get(section__code="risk").updated_by == alice


def test_it_refuses_a_text_that_is_too_long_and_keeps_the_saved_one(alice, proposal):
    services.save_section(alice, proposal, "background", "Kept")
    with pytest.raises(ValidationError) as error:
        services.save_section(alice, proposal, "background", "x" * (TEXT_MAX + 1))
    assert error.value.message_dict["text"] == [f"Write at most {TEXT_MAX} characters."]
    assert proposal.sections.get(section__code="background").text == "Kept"


def test_it_refuses_a_section_the_template_does_not_have(alice, proposal):
    with pytest.raises(ValidationError) as error:
        services.save_section(alice, proposal, "objectives", "Text")
    assert "section" in error.value.message_dict


def test_it_lets_only_the_department_write_sections(bob, board_member, proposal):
    for user in (bob, board_member):
        with pytest.raises(PermissionDenied):
            services.save_section(user, proposal, "background", "Text")


# Moving -----------------------------------------------------------------------------------------


def test_it_records_every_move_with_its_note(alice, proposal):
    services.move_proposal(alice, proposal, "consultation", "Center for Økonomi asked")
    services.move_proposal(alice, proposal, "submitted")
    proposal.refresh_from_db()
    assert proposal.state == "submitted"
    moves = list(StateChange.objects.filter(proposal=proposal).order_by("pk"))
    assert [(m.from_state, m.to_state) for m in moves] == [
        ("draft", "consultation"),
        ("consultation", "submitted"),
    ]
    assert moves[0].note == "Center for Økonomi asked"
    assert moves[0].changed_by == alice


def test_it_refuses_a_jump_and_an_unknown_state(alice, proposal):
    for state in ("approved", "finished"):
        with pytest.raises(ValidationError) as error:
            services.move_proposal(alice, proposal, state)
        assert "state" in error.value.message_dict
    assert not StateChange.objects.filter(proposal=proposal).exists()


def test_it_refuses_to_submit_a_table_with_cells_outside_its_years(alice, proposal):
    fill_cell(proposal, 2019)  # as an import could leave it, before the years changed
    with pytest.raises(ValidationError) as error:
        services.move_proposal(alice, proposal, "submitted")
    assert "(2019)" in error.value.message_dict["state"][0]


def test_it_lets_the_board_decide_but_not_the_department(alice, board_member, proposal):
    submitted(proposal, alice)
    with pytest.raises(PermissionDenied):
        services.move_proposal(alice, proposal, "approved")
    services.move_proposal(board_member, proposal, "approved", "Funded from the pool")
    proposal.refresh_from_db()
    assert proposal.state == "approved"


def test_it_keeps_the_board_from_submitting_a_draft(board_member, proposal):
    with pytest.raises(PermissionDenied):
        services.move_proposal(board_member, proposal, "submitted")


def test_it_refuses_moves_to_members_and_other_municipalities(bob, charlie, proposal):
    for user in (bob, charlie):
        with pytest.raises(PermissionDenied):
            services.move_proposal(user, proposal, "consultation")


def test_it_tells_the_author_of_the_boards_decision(alice, board_member, proposal):
    submitted(proposal, alice)
    services.move_proposal(board_member, proposal, "deferred", "Wait for the budget")
    notification = Notification.objects.get(recipient=alice)
    assert "Udskudt" in notification.message  # deferred, in alice's own language (Danish)
    assert notification.url == proposal.get_absolute_url()


def test_it_turns_follow_ups_into_tasks_on_approval(alice, board_member, proposal):
    erik = make_user("erik")
    add_member(erik, proposal.owner)
    FollowUpItem.objects.create(
        proposal=proposal, criterion="Fewer complaints", responsible_user=erik
    )
    submitted(proposal, alice)
    services.move_proposal(board_member, proposal, "approved")
    assert Notification.objects.filter(recipient=erik, url__contains=str(proposal.pk)).exists()


def test_it_lets_a_deferred_proposal_be_written_again(alice, board_member, proposal):
    submitted(proposal, alice)
    services.move_proposal(board_member, proposal, "deferred")
    services.move_proposal(alice, proposal, "draft")
    services.save_section(alice, proposal, "background", "Rewritten")
    assert proposal.sections.get(section__code="background").text == "Rewritten"
