"""Pilot pages: list, detail, create/edit, status, maturity, partners, lessons, adoption."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from samspil.conftest import add_member, make_user
from samspil.core.models import Role, Visibility
from samspil.pilots import services
from samspil.pilots.models import Pilot, PilotStatus

from .conftest import make_pilot, make_programme
from .test_services import make_challenge


def today():
    return timezone.localdate()


def new_pilot_data(owner, **overrides) -> dict:
    data = {
        "owner": owner.pk,
        "title": "Speech recognition in home care notes",
        "kind": "sandbox",
        "hypothesis": "Dictated notes save ten minutes a visit.",
        "description": "",
        "starts_on": today().isoformat(),
        "planned_end_on": (today() + timedelta(days=90)).isoformat(),
        "visibility": "public",
    }
    data.update(overrides)
    return data


@pytest.fixture
def lead_b(org_b):
    user = make_user("berit")
    add_member(user, org_b, Role.Code.INNOVATION_LEAD)
    return user


# List -------------------------------------------------------------------------------------------


def test_it_lists_what_each_visitor_may_see(
    client, client_for, alice, charlie, pilot, internal_pilot
):
    response = client.get(reverse("pilots:list"))
    assert response.status_code == 200
    assert pilot.title in response.text and internal_pilot.title not in response.text
    assert reverse("pilots:create") not in response.text
    assert internal_pilot.title not in client_for(charlie).get(reverse("pilots:list")).text
    response = client_for(alice).get(reverse("pilots:list"))
    assert internal_pilot.title in response.text and reverse("pilots:create") in response.text


def test_it_filters_the_list(client, alice, org_a, programme):
    make_pilot(alice, org_a, "Chatbot for building permits", programme=programme)
    make_pilot(alice, org_a, "Drones for roof inspection", kind="sandbox")
    response = client.get(reverse("pilots:list"), {"kind": "sandbox"})
    assert "Drones" in response.text and "Chatbot" not in response.text
    response = client.get(reverse("pilots:list"), {"programme": programme.pk})
    assert "Chatbot" in response.text and "Drones" not in response.text
    response = client.get(reverse("pilots:list"), {"q": "roof drones"})
    assert "Drones" in response.text and "Chatbot" not in response.text
    response = client.get(reverse("pilots:list"), {"status": "running"})
    assert "Drones" not in response.text and "Chatbot" not in response.text


def test_it_answers_htmx_with_the_rows_only(client, pilot):
    response = client.get(reverse("pilots:list"), headers={"HX-Request": "true"})
    assert pilot.title in response.text and "<form" not in response.text


def test_it_ignores_bad_filter_values(client, pilot):
    response = client.get(reverse("pilots:list"), {"programme": "x", "kind": "<script>"})
    assert response.status_code == 200


def test_it_lists_with_a_constant_number_of_queries(
    client_for, alice, org_a, programme, django_assert_max_num_queries
):
    signed_in = client_for(alice)
    make_pilot(alice, org_a, "Pilot 0", programme=programme)
    signed_in.get(reverse("pilots:list"))  # warm caches (sessions, content types)
    with django_assert_max_num_queries(12) as captured:
        signed_in.get(reverse("pilots:list"))
    few = len(captured)
    for n in range(1, 15):
        make_pilot(alice, org_a, f"Pilot {n}", programme=programme)
    with django_assert_max_num_queries(few):
        assert "Pilot 14" in signed_in.get(reverse("pilots:list")).text


# Detail -----------------------------------------------------------------------------------------


def test_it_shows_a_public_pilot_to_everyone(client, client_for, bob, charlie, dave, pilot):
    url = pilot.get_absolute_url()
    for person in (None, bob, charlie, dave):
        response = client_for(person).get(url) if person else client.get(url)
        assert response.status_code == 200 and pilot.hypothesis in response.text
        assert reverse("pilots:edit", args=[pilot.pk]) not in response.text
        client.logout()


def test_it_hides_an_internal_pilot_from_others(client, client_for, charlie, dave, internal_pilot):
    url = internal_pilot.get_absolute_url()
    assert client.get(url).status_code == 404
    assert client_for(charlie).get(url).status_code == 404
    assert client_for(dave).get(url).status_code == 404
    assert client.get(reverse("pilots:detail", args=[999999])).status_code == 404


def test_it_shows_the_organiser_links_to_alice(client_for, alice, pilot):
    response = client_for(alice).get(pilot.get_absolute_url())
    for name in ("edit", "status", "maturity", "partner-add"):
        assert reverse(f"pilots:{name}", args=[pilot.pk]) in response.text
    assert reverse("pilots:adopt", args=[pilot.pk]) not in response.text
    for marker in ("{# panel", "panel: kpis"):
        assert marker not in response.text


def test_it_shows_the_length_warnings(client, alice, org_a, programme):
    start = today() - timedelta(days=250)
    pilot = make_pilot(
        alice, org_a, programme=programme, starts_on=start, planned_end_on=start + timedelta(400)
    )
    services.change_status(alice, pilot, PilotStatus.RUNNING)
    response = client.get(pilot.get_absolute_url())
    assert "longer than the programme&#x27;s maximum of 6 months" in response.text
    assert "has run longer than the programme&#x27;s maximum" in response.text


def test_it_hides_an_internal_programme_and_challenge_of_a_public_pilot(client, alice, org_a):
    programme = make_programme(alice, org_a, "Secret programme", visibility=Visibility.INTERNAL)
    challenge = make_challenge(org_a, Visibility.INTERNAL, title="Secret challenge")
    pilot = make_pilot(alice, org_a, programme=programme, challenge=challenge)
    response = client.get(pilot.get_absolute_url())
    assert response.status_code == 200
    assert "Secret programme" not in response.text and "Secret challenge" not in response.text


def test_it_shows_the_offers_of_the_outcome(client, alice, pilot):
    services.set_maturity(alice, pilot, "outcome", "procurement", "The market has it.")
    response = client.get(pilot.get_absolute_url())
    assert 'id="pilot-offer-procurement"' in response.text and "The market has it." in response.text
    assert "Start a procurement" not in response.text  # only for procurement officers and leads
    services.set_maturity(alice, pilot, "outcome", "scale", "Ready for every district.")
    page = client.get(pilot.get_absolute_url()).text
    assert 'id="pilot-offer-investment"' in page
    assert "Start an investment proposal" not in page  # only for those who edit the pilot


def test_it_offers_its_editors_an_investment_proposal_from_a_pilot_to_scale(
    client_for, alice, pilot
):
    services.set_maturity(alice, pilot, "outcome", "scale", "Ready for every district.")
    page = client_for(alice).get(pilot.get_absolute_url()).text
    assert f'href="{reverse("proposals:create")}?pilot={pilot.pk}"' in page


def test_it_shows_the_detail_with_a_constant_number_of_queries(
    client_for, alice, bob, org_a, org_b, org_c, programme, django_assert_max_num_queries
):
    # Two pilots with the same history, one with a single row of each kind, one with many.
    small = make_pilot(alice, org_a, "Small", programme=programme, lead=alice, team=[alice])
    large = make_pilot(alice, org_a, "Large", programme=programme, lead=alice, team=[alice, bob])
    services.add_partner(alice, small, org_b, "public_partner")
    services.add_lesson(alice, small, "Lesson 0")
    services.add_partner(alice, large, org_b, "public_partner")
    services.add_partner(alice, large, org_c, "supplier")
    for n in range(5):
        services.add_lesson(alice, large, f"Lesson {n}")
    signed_in = client_for(alice)
    signed_in.get(small.get_absolute_url())
    with django_assert_max_num_queries(60) as captured:
        signed_in.get(small.get_absolute_url())
    with django_assert_max_num_queries(len(captured)):
        assert "Lesson 4" in signed_in.get(large.get_absolute_url()).text


# Create and edit --------------------------------------------------------------------------------


def test_it_offers_a_new_pilot_only_the_programmes_it_may_join(
    client_for, alice, charlie, org_a, org_a_department, org_b, programme
):
    elsewhere = make_programme(charlie, org_b, "Bergen's public programme")
    co_owned = make_programme(charlie, org_b, "Shared with Arby")
    co_owned.co_owners.add(org_a)
    above = make_programme(alice, org_a, "Arby's own")
    lead = make_user("lena")
    add_member(lead, org_a_department, Role.Code.INNOVATION_LEAD)

    offered = client_for(alice).get(reverse("pilots:create")).context["form"]
    assert set(offered.fields["programme"].queryset) == {programme, co_owned, above}
    # A department's lead may join the municipality's programmes (they run above her).
    offered = client_for(lead).get(reverse("pilots:create")).context["form"]
    assert elsewhere not in set(offered.fields["programme"].queryset)
    assert {programme, above} <= set(offered.fields["programme"].queryset)


def test_it_lets_alice_create_a_pilot(client_for, alice, org_a):
    signed_in = client_for(alice)
    assert signed_in.get(reverse("pilots:create")).status_code == 200
    response = signed_in.post(reverse("pilots:create"), new_pilot_data(org_a, lead=alice.pk))
    pilot = Pilot.objects.get()
    assert response.status_code == 302 and response["Location"] == pilot.get_absolute_url()
    assert pilot.owner == org_a and pilot.lead == alice and pilot.kind == "sandbox"


def test_it_prefills_the_form_from_a_challenge(client_for, alice, org_a):
    challenge = make_challenge(org_a)
    response = client_for(alice).get(reverse("pilots:create"), {"challenge": challenge.pk})
    assert response.status_code == 200
    assert "Half the minutes per invoice." in response.text
    assert f'<option value="{challenge.pk}" selected>' in response.text


def test_it_answers_404_for_an_unseen_challenge(client_for, lead_b, org_a):
    challenge = make_challenge(org_a, Visibility.INTERNAL)
    response = client_for(lead_b).get(reverse("pilots:create"), {"challenge": challenge.pk})
    assert response.status_code == 404
    response = client_for(lead_b).get(reverse("pilots:create"), {"challenge": "abc"})
    assert response.status_code == 404


def test_it_shows_the_start_button_on_the_challenge_page(client, client_for, alice, bob, org_a):
    challenge = make_challenge(org_a)
    start = f"{reverse('pilots:create')}?challenge={challenge.pk}"
    assert start in client_for(alice).get(challenge.get_absolute_url()).text
    assert start not in client_for(bob).get(challenge.get_absolute_url()).text
    client.logout()
    assert start not in client.get(challenge.get_absolute_url()).text


def hackathon_submission(alice, org_a, visibility=Visibility.PUBLIC, challenge=None):
    """A hackathon of organisation A with a team's submission, written by its organiser."""
    from samspil.events import team_services
    from samspil.events.tests.test_teams_services import make_hackathon

    challenges = [challenge] if challenge else []
    event = make_hackathon(alice, org_a, visibility=visibility, challenges=challenges)
    team = team_services.create_team(alice, event, name="Complaint busters", challenge=challenge)
    return team_services.save_submission(
        alice,
        team,
        title="Complaint bot",
        summary="A bot answers the common complaints.",
        problem_solved="Complaints wait a week for an answer.",
    )


def test_it_prefills_the_form_from_an_idea_of_an_event(client_for, alice, org_a):
    challenge = make_challenge(org_a)
    submission = hackathon_submission(alice, org_a, challenge=challenge)
    response = client_for(alice).get(reverse("pilots:create"), {"submission": submission.pk})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["event"] == submission.team.event
    assert form.initial["challenge"] == challenge and form.initial["owner"] == org_a
    assert form.initial["title"] == "Complaint bot"
    assert form.initial["hypothesis"] == "Complaints wait a week for an answer."
    assert form.initial["description"] == "A bot answers the common complaints."
    assert f'<option value="{submission.team.event.pk}" selected>' in response.text


def test_it_answers_404_for_an_idea_the_person_may_not_see(client_for, alice, lead_b, org_a):
    public = hackathon_submission(alice, org_a)
    internal = hackathon_submission(alice, org_a, visibility=Visibility.INTERNAL)
    # lead_b sees the public hackathon but neither takes part, organises nor judges it.
    for pk in (public.pk, internal.pk, "abc", 10**30):
        response = client_for(lead_b).get(reverse("pilots:create"), {"submission": pk})
        assert response.status_code == 404, pk


def test_it_keeps_typed_values_when_the_end_is_before_the_start(client_for, alice, org_a):
    data = new_pilot_data(org_a, planned_end_on=(today() - timedelta(days=2)).isoformat())
    response = client_for(alice).post(reverse("pilots:create"), data)
    assert response.status_code == 422
    assert "Speech recognition in home care notes" in response.text
    assert "The planned end must not be before the start." in response.text
    assert not Pilot.objects.exists()


def test_it_refuses_the_create_page_to_others(client, client_for, bob, dave):
    assert client.get(reverse("pilots:create")).status_code == 302  # to the log-in
    assert client_for(bob).get(reverse("pilots:create")).status_code == 403
    assert client_for(dave).get(reverse("pilots:create")).status_code == 403


def test_it_refuses_a_tampered_owner(client_for, alice, org_b):
    response = client_for(alice).post(reverse("pilots:create"), new_pilot_data(org_b))
    assert response.status_code == 422 and not Pilot.objects.exists()


def test_it_lets_alice_edit_and_warns_about_the_length(client_for, alice, org_a, programme, pilot):
    url = reverse("pilots:edit", args=[pilot.pk])
    signed_in = client_for(alice)
    assert signed_in.get(url).status_code == 200
    data = new_pilot_data(
        org_a,
        title="Longer pilot",
        programme=programme.pk,
        planned_end_on=(today() + timedelta(days=400)).isoformat(),
    )
    response = signed_in.post(url, data, follow=True)
    assert response.status_code == 200 and "Longer pilot" in response.text
    assert "longer than the programme&#x27;s maximum" in response.text


def test_it_keeps_edits_on_errors(client_for, alice, org_a, pilot):
    data = new_pilot_data(org_a, title="", hypothesis="Kept hypothesis")
    response = client_for(alice).post(reverse("pilots:edit", args=[pilot.pk]), data)
    assert response.status_code == 422 and "Kept hypothesis" in response.text
    assert Pilot.objects.get(pk=pilot.pk).title == pilot.title


def editor_pages(pilot) -> list[str]:
    return [
        reverse("pilots:edit", args=[pilot.pk]),
        reverse("pilots:status", args=[pilot.pk]),
        reverse("pilots:maturity", args=[pilot.pk]),
        reverse("pilots:partner-add", args=[pilot.pk]),
    ]


def test_it_refuses_editor_pages_to_those_who_see_the_pilot(client_for, bob, charlie, dave, pilot):
    for person in (bob, charlie, dave):
        signed_in = client_for(person)
        for url in editor_pages(pilot):
            assert signed_in.get(url).status_code == 403, (person, url)


def test_it_hides_editor_pages_of_an_internal_pilot(client, client_for, charlie, internal_pilot):
    for url in editor_pages(internal_pilot):
        assert client_for(charlie).get(url).status_code == 404
    client.logout()
    for url in editor_pages(internal_pilot):
        assert client.get(url).status_code == 302


def test_it_lets_the_team_edit_but_not_decide(client_for, alice, bob, org_a):
    pilot = make_pilot(alice, org_a, team=[bob])
    signed_in = client_for(bob)
    assert signed_in.get(reverse("pilots:edit", args=[pilot.pk])).status_code == 200
    assert signed_in.get(reverse("pilots:maturity", args=[pilot.pk])).status_code == 403


# Status and maturity ----------------------------------------------------------------------------


def test_it_changes_the_status(client_for, alice, pilot):
    url = reverse("pilots:status", args=[pilot.pk])
    signed_in = client_for(alice)
    assert signed_in.post(url, {"status": "running"}).status_code == 302
    assert Pilot.objects.get(pk=pilot.pk).status == "running"
    response = signed_in.post(url, {"status": "planned"})
    assert response.status_code == 422
    day = pilot.starts_on - timedelta(days=1)
    response = signed_in.post(url, {"status": "stopped", "ended_on": day.isoformat()})
    assert response.status_code == 422 and Pilot.objects.get(pk=pilot.pk).status == "running"


def test_it_refuses_completing_a_pilot_with_an_end_after_today(client_for, alice, pilot):
    services.change_status(alice, pilot, PilotStatus.RUNNING)
    url = reverse("pilots:status", args=[pilot.pk])
    day = today() + timedelta(days=1)
    response = client_for(alice).post(url, {"status": "completed", "ended_on": day.isoformat()})
    assert response.status_code == 422
    assert "A pilot cannot end after today." in response.context["form"].errors["ended_on"]
    pilot.refresh_from_db()
    assert pilot.status == "running" and pilot.ended_on is None


def test_it_sets_the_outcome_with_a_reason(client_for, alice, pilot):
    url = reverse("pilots:maturity", args=[pilot.pk])
    signed_in = client_for(alice)
    response = signed_in.post(url, {"maturity": "outcome", "outcome": "procurement"})
    assert response.status_code == 422 and Pilot.objects.get(pk=pilot.pk).maturity == "idea"
    data = {"maturity": "outcome", "outcome": "procurement", "outcome_reason": "Buy it."}
    assert signed_in.post(url, data).status_code == 302
    assert Pilot.objects.get(pk=pilot.pk).outcome == "procurement"
    response = signed_in.post(url, {"maturity": "idea", "outcome_reason": "Typed"})
    assert response.status_code == 422 and "Typed" in response.text


# Partners ---------------------------------------------------------------------------------------


def test_it_adds_and_removes_a_partner(client_for, alice, pilot, org_c):
    signed_in = client_for(alice)
    url = reverse("pilots:partner-add", args=[pilot.pk])
    response = signed_in.post(url, {"organisation": org_c.pk, "role": "supplier"})
    assert response.status_code == 302
    partner = pilot.partners.get()
    assert org_c.name in signed_in.get(url).text
    remove = reverse("pilots:partner-remove", args=[pilot.pk, partner.pk])
    assert signed_in.get(remove).status_code == 405
    assert signed_in.post(remove).status_code == 302 and not pilot.partners.exists()


def test_it_refuses_a_bad_partner(client_for, alice, pilot, org_a):
    url = reverse("pilots:partner-add", args=[pilot.pk])
    response = client_for(alice).post(url, {"organisation": org_a.pk, "role": "supplier"})
    assert response.status_code == 422 and not pilot.partners.exists()


def test_it_refuses_partner_removal_to_others(client_for, alice, bob, charlie, pilot, org_c):
    partner = services.add_partner(alice, pilot, org_c, "supplier")
    remove = reverse("pilots:partner-remove", args=[pilot.pk, partner.pk])
    assert client_for(bob).post(remove).status_code == 403
    assert client_for(charlie).post(remove).status_code == 403
    assert pilot.partners.exists()


# Lessons ----------------------------------------------------------------------------------------


def test_it_adds_a_lesson_with_htmx(client_for, alice, pilot):
    url = reverse("pilots:lesson-add", args=[pilot.pk])
    response = client_for(alice).post(
        url, {"text": "Start with one department."}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "Start with one department." in response.text
    assert "<html" not in response.text
    response = client_for(alice).post(url, {"text": ""}, headers={"HX-Request": "true"})
    assert response.status_code == 422 and 'id="lessons"' in response.text


def test_it_adds_a_lesson_without_javascript(client_for, alice, pilot):
    url = reverse("pilots:lesson-add", args=[pilot.pk])
    response = client_for(alice).post(url, {"text": "Measure the baseline first."})
    assert response.status_code == 302 and response["Location"].endswith("#lessons")
    assert pilot.lessons.get().text == "Measure the baseline first."
    response = client_for(alice).post(url, {"text": "  "})
    assert response.status_code == 422 and pilot.title in response.text


def test_it_edits_and_deletes_a_lesson(client_for, alice, pilot):
    lesson = services.add_lesson(alice, pilot, "First draft")
    signed_in = client_for(alice)
    edit = reverse("pilots:lesson-edit", args=[pilot.pk, lesson.pk])
    assert signed_in.get(edit).status_code == 200
    assert signed_in.post(edit, {"text": ""}).status_code == 422
    assert signed_in.post(edit, {"text": "Second draft"}).status_code == 302
    assert pilot.lessons.get().text == "Second draft"
    delete = reverse("pilots:lesson-delete", args=[pilot.pk, lesson.pk])
    response = signed_in.post(delete, headers={"HX-Request": "true"})
    assert response.status_code == 200 and not pilot.lessons.exists()


def test_it_refuses_lessons_to_others(
    client, client_for, alice, bob, charlie, pilot, internal_pilot
):
    lesson = services.add_lesson(alice, pilot, "Alice's lesson")
    hidden = services.add_lesson(alice, internal_pilot, "Internal lesson")
    for person, target, code in (
        (bob, lesson, 403),
        (charlie, lesson, 403),
        (charlie, hidden, 404),
    ):
        signed_in = client_for(person)
        pk = target.pilot_id
        assert (
            signed_in.post(reverse("pilots:lesson-add", args=[pk]), {"text": "x"}).status_code
            == code
        )
        assert (
            signed_in.get(reverse("pilots:lesson-edit", args=[pk, target.pk])).status_code == code
        )
        assert (
            signed_in.post(reverse("pilots:lesson-delete", args=[pk, target.pk])).status_code
            == code
        )
    client.logout()
    assert (
        client.post(reverse("pilots:lesson-add", args=[pilot.pk]), {"text": "x"}).status_code == 302
    )
    assert pilot.lessons.count() == 1 and internal_pilot.lessons.count() == 1


def test_it_answers_404_for_a_lesson_of_another_pilot(client_for, alice, pilot, internal_pilot):
    other = services.add_lesson(alice, internal_pilot, "Elsewhere")
    url = reverse("pilots:lesson-edit", args=[pilot.pk, other.pk])
    assert client_for(alice).get(url).status_code == 404


# Adoption ---------------------------------------------------------------------------------------


def test_it_lets_another_organisation_adopt(client_for, alice, lead_b, pilot, org_b):
    url = reverse("pilots:adopt", args=[pilot.pk])
    signed_in = client_for(lead_b)
    assert url in signed_in.get(pilot.get_absolute_url()).text
    assert signed_in.get(url).status_code == 200
    data = {
        "owner": org_b.pk,
        "title": "Fakturakoding",
        "starts_on": today().isoformat(),
        "planned_end_on": (today() + timedelta(days=60)).isoformat(),
        "visibility": "internal",
    }
    response = signed_in.post(url, data)
    adopted = Pilot.objects.get(owner=org_b)
    assert response.status_code == 302 and response["Location"] == adopted.get_absolute_url()
    assert adopted.adopted_from == pilot
    # The original names the adopting organisation; alice may not open the internal copy.
    page = client_for(alice).get(pilot.get_absolute_url()).text
    assert org_b.name in page and adopted.get_absolute_url() not in page
    assert pilot.get_absolute_url() in client_for(lead_b).get(adopted.get_absolute_url()).text


def test_it_keeps_adoption_input_on_errors(client_for, lead_b, pilot, org_b):
    data = {
        "owner": org_b.pk,
        "title": "Typed title",
        "starts_on": today().isoformat(),
        "planned_end_on": (today() - timedelta(days=5)).isoformat(),
        "visibility": "internal",
    }
    response = client_for(lead_b).post(reverse("pilots:adopt", args=[pilot.pk]), data)
    assert response.status_code == 422 and "Typed title" in response.text


def test_it_refuses_adoption_to_others(
    client, client_for, alice, charlie, dave, lead_b, internal_pilot, pilot
):
    assert client_for(alice).get(reverse("pilots:adopt", args=[pilot.pk])).status_code == 403
    assert client_for(charlie).get(reverse("pilots:adopt", args=[pilot.pk])).status_code == 403
    assert client_for(dave).get(reverse("pilots:adopt", args=[pilot.pk])).status_code == 403
    assert (
        client_for(lead_b).get(reverse("pilots:adopt", args=[internal_pilot.pk])).status_code == 404
    )
    client.logout()
    assert client.get(reverse("pilots:adopt", args=[pilot.pk])).status_code == 302
