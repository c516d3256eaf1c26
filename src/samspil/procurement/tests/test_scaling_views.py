"""The pages of scaling processes, for those who may and may not: list, start from a
challenge, the process's page with its criteria, participants (and suggestions), steps,
letters of intent and adoption; bad input comes back with status 422 and what was typed."""

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from samspil.core.models import Visibility
from samspil.needs import search, similarity
from samspil.needs.models import CoOwnerStatus, Need
from samspil.procurement import scaling_services as services
from samspil.procurement.models import (
    AdoptionCount,
    Commitment,
    ScalingParticipant,
    ScalingProcess,
    ScalingRole,
    ScalingStep,
)

from .scaling_factories import make_challenge, make_officer, make_process

DAY = date(2022, 11, 11)


@pytest.fixture
def challenge(org_a, org_b):
    return make_challenge(org_a, co_owners=[(org_b, CoOwnerStatus.ACCEPTED)])


@pytest.fixture
def process(alice, org_a, challenge):
    return make_process(alice, org_a, challenge=challenge)


@pytest.fixture
def internal(alice, org_a):
    return make_process(alice, org_a, title="Internal scaling", visibility=Visibility.INTERNAL)


def url(name, *args) -> str:
    return reverse(f"scaling:{name}", args=args)


def test_the_list_shows_the_visible_processes(client, client_for, process, internal, charlie):
    response = client.get(url("list"))
    assert response.status_code == 200
    assert process.title.encode() in response.content
    assert internal.title.encode() not in response.content
    client_for(charlie)
    assert internal.title.encode() not in client.get(url("list")).content


def test_the_list_queries_stay_constant(
    client, client_for, alice, org_a, django_assert_max_num_queries
):
    client_for(alice)
    for index in range(3):
        make_process(alice, org_a, title=f"Process {index}")
    with django_assert_max_num_queries(12) as few:
        assert client.get(url("list")).status_code == 200
    for index in range(3, 25):
        make_process(alice, org_a, title=f"Process {index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url("list")).status_code == 200


def test_starting_one_from_a_challenge_prefills_it(client, client_for, alice, challenge):
    client_for(alice)
    response = client.get(url("create"), {"challenge": challenge.pk})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["title"] == challenge.title
    assert form.initial["criteria"] == ["saves_time", "recognisable_elsewhere"]
    assert [o.slug for o in response.context["need_owners"]] == ["arby", "bergvik"]


def test_alice_starts_one_and_its_need_owners_take_part(
    client, client_for, alice, org_a, challenge
):
    client_for(alice)
    response = client.post(
        url("create"),
        {
            "owner": org_a.pk,
            "title": "Together for emission-free machines",
            "criteria": ["saves_time"],
            "visibility": "public",
            "challenge": challenge.pk,
        },
    )
    process = ScalingProcess.objects.get()
    assert response.status_code == 302 and response["Location"] == process.get_absolute_url()
    assert process.challenge == challenge and process.saves_time
    assert not process.recognisable_elsewhere
    assert process.participants.count() == 2


def test_a_start_without_a_title_is_refused_with_the_input_kept(client, client_for, alice, org_a):
    client_for(alice)
    response = client.post(
        url("create"),
        {"owner": org_a.pk, "title": "", "description": "Kept text", "visibility": "public"},
    )
    assert response.status_code == 422
    assert b"Kept text" in response.content
    assert not ScalingProcess.objects.exists()


def test_who_may_not_start_one(client, client_for, bob, dave, challenge):
    assert client.get(url("create")).status_code == 302  # to sign in
    for user in (bob, dave):
        client_for(user)
        assert client.get(url("create")).status_code == 403


def test_charlie_gets_404_on_an_internal_process(client, client_for, charlie, internal):
    client_for(charlie)
    assert client.get(url("detail", internal.pk)).status_code == 404
    assert client.get(url("edit", internal.pk)).status_code == 404


def test_the_page_warns_of_an_unmet_criterion(client, process):
    response = client.get(url("detail", process.pk))
    assert response.status_code == 200
    assert b'id="scaling-criteria-warning"' in response.content
    assert b'id="scaling-edit-link"' not in response.content
    ScalingProcess.objects.filter(pk=process.pk).update(anchored_in_management=True)
    assert b'id="scaling-criteria-warning"' not in client.get(url("detail", process.pk)).content


def test_the_detail_queries_stay_constant(
    client, client_for, alice, process, org_c, django_assert_max_num_queries
):
    client_for(alice)
    with django_assert_max_num_queries(40) as few:
        client.get(url("detail", process.pk))
    services.add_participant(alice, process, org_c, ScalingRole.BUYER)
    services.add_adoption_count(alice, process, counted_on=DAY, organisations=3)
    services.mark_step_done(alice, process, done_on=DAY)
    services.record_commitment(alice, process, org_c, value=1, signed_on=DAY, signed_by="X")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("detail", process.pk))


def test_alice_edits_the_criteria_bob_may_not(client, client_for, alice, bob, process):
    client_for(bob)
    assert client.get(url("edit", process.pk)).status_code == 403
    client_for(alice)
    response = client.post(
        url("edit", process.pk),
        {
            "title": process.title,
            "criteria": ["saves_time", "recognisable_elsewhere", "anchored_in_management"],
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.meets_criteria


def test_a_participant_added_twice_is_refused(client, client_for, alice, process, org_b, org_c):
    client_for(alice)
    response = client.post(
        url("participant-add", process.pk), {"organisation": org_c.pk, "role": "buyer"}
    )
    assert response.status_code == 302
    response = client.post(
        url("participant-add", process.pk), {"organisation": org_b.pk, "role": "buyer"}
    )
    assert response.status_code == 422
    assert response.context["participant_form"].errors["organisation"]
    assert ScalingParticipant.objects.filter(process=process).count() == 3


def test_alice_changes_a_role_and_removes_a_participant(client, client_for, alice, process, org_b):
    client_for(alice)
    participant = process.participants.get(organisation=org_b)
    client.post(url("participant-role", process.pk, participant.pk), {"role": "facilitator"})
    participant.refresh_from_db()
    assert participant.role == ScalingRole.FACILITATOR
    client.post(url("participant-remove", process.pk, participant.pk))
    assert not ScalingParticipant.objects.filter(pk=participant.pk).exists()


def test_who_may_not_change_participants(client, client_for, bob, charlie, process, org_c):
    for user in (bob, charlie):
        client_for(user)
        response = client.post(
            url("participant-add", process.pk), {"organisation": org_c.pk, "role": "buyer"}
        )
        assert response.status_code == 403


def test_skipping_a_step_is_refused_with_the_reason(client, client_for, alice, process):
    client_for(alice)
    response = client.post(
        url("step-done", process.pk),
        {"step": ScalingStep.TENDER, "done_on": "2022-11-11"},
        follow=True,
    )
    assert not process.steps_done.exists()
    assert any("in order" in str(m) for m in response.context["messages"])
    response = client.post(
        url("step-done", process.pk),
        {"step": ScalingStep.NEED_EXPLORATION, "done_on": "", "note": "Kept note"},
    )
    assert response.status_code == 422 and b"Kept note" in response.content
    response = client.post(
        url("step-done", process.pk),
        {"step": ScalingStep.NEED_EXPLORATION, "done_on": "2022-11-11"},
    )
    assert response.status_code == 302
    assert process.steps_done.get().step == ScalingStep.NEED_EXPLORATION


def test_the_tender_step_offers_to_start_the_procurement(client, client_for, alice, process):
    client_for(alice)
    for _step in range(4):
        services.mark_step_done(alice, process, done_on=DAY)
    content = client.get(url("detail", process.pk)).content
    expected = f"{reverse('procurement:create')}?challenge={process.challenge_id}"
    assert expected.encode() in content


def test_a_letter_of_intent_from_a_non_participant_is_refused(
    client, client_for, alice, process, org_c
):
    client_for(alice)
    response = client.post(
        url("commitment-add", process.pk),
        {
            "organisation": org_c.pk,
            "value": "5000",
            "signed_on": "2022-11-11",
            "signed_by": "Kept name",
        },
    )
    assert response.status_code == 422
    assert "does not take part" in str(response.context["commitment_form"].errors["organisation"])
    assert b"Kept name" in response.content
    assert not Commitment.objects.exists()


def test_an_officer_of_a_participant_records_its_letter(
    client, client_for, process, org_b, org_a, bob
):
    officer = make_officer("birgit", org_b)
    client_for(officer)
    page = client.get(url("detail", process.pk))
    assert [c for c, _ in page.context["commitment_form"].fields["organisation"].widget.choices][
        1:
    ] == [org_b.pk]
    response = client.post(
        url("commitment-add", process.pk),
        {
            "organisation": org_b.pk,
            "volume": "12",
            "volume_unit": "machines",
            "value": "3000000",
            "signed_on": "2022-11-11",
            "signed_by": "Birgit",
        },
    )
    assert response.status_code == 302
    assert Commitment.objects.get().organisation == org_b
    response = client.post(
        url("commitment-add", process.pk),
        {"organisation": org_a.pk, "value": "1", "signed_on": "2022-11-11", "signed_by": "B"},
    )
    assert response.status_code == 403
    client_for(bob)
    assert client.post(url("commitment-add", process.pk), {}).status_code == 403


def test_adoption_counts_and_the_growth(client, client_for, alice, process):
    client_for(alice)
    client.post(url("adoption-add", process.pk), {"counted_on": "2019-10-01", "organisations": "8"})
    client.post(
        url("adoption-add", process.pk), {"counted_on": "2022-11-11", "organisations": "29"}
    )
    assert AdoptionCount.objects.filter(process=process).count() == 2
    response = client.get(url("detail", process.pk))
    assert "8 → 29" in response.content.decode()
    assert b'id="scaling-adoption-chart"' in response.content
    response = client.post(
        url("adoption-add", process.pk), {"counted_on": "2023-01-01", "organisations": "abc"}
    )
    assert response.status_code == 422 and b'value="abc"' in response.content
    response = client.post(
        url("adoption-add", process.pk), {"counted_on": "2023-01-01", "organisations": "20"}
    )
    assert response.status_code == 422


def test_organisations_with_matching_needs_are_suggested(client, client_for, alice, process, org_c):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    similarity.reset_index()
    need = Need(
        owner=org_c,
        title="Emission-free construction machines on building sites",
        description="Our building sites need construction machines without emissions.",
        visibility=Visibility.PUBLIC,
        language="en",
    )
    similarity.prepare_need(need)
    need.save()
    search.index_need(need)
    similarity.index_need(need)
    client_for(alice)
    response = client.get(url("detail", process.pk))
    suggestions = response.context["suggestions"]
    assert [s.organisation for s in suggestions] == [org_c]
    assert suggestions[0].needs == [need]
    response = client.post(
        url("participant-add", process.pk), {"organisation": org_c.pk, "role": "observer"}
    )
    assert response.status_code == 302
    assert process.participants.get(organisation=org_c).role == ScalingRole.OBSERVER
    assert client.get(url("detail", process.pk)).context["suggestions"] == []
    similarity.reset_index()


def test_the_challenge_page_offers_to_start_a_scaling_process(
    client, client_for, alice, bob, process, challenge
):
    client_for(alice)
    content = client.get(challenge.get_absolute_url()).content.decode()
    assert f"{url('create')}?challenge={challenge.pk}" in content
    assert process.get_absolute_url() in content
    client_for(bob)
    content = client.get(challenge.get_absolute_url()).content.decode()
    assert 'id="challenge-start-scaling"' not in content
    assert process.get_absolute_url() in content


def test_alice_names_the_tender_one_she_may_see(client, client_for, alice, charlie, org_b, process):
    from .conftest import make_procurement

    tender = make_procurement(alice, process.owner, challenge=process.challenge)
    foreign = make_procurement(
        make_officer("birgit", org_b), org_b, title="Bergvik's own", visibility="internal"
    )
    client_for(alice)
    page = client.get(url("edit", process.pk))
    offered = [pk for pk, _label in page.context["form"].fields["procurement"].widget.choices]
    assert tender.pk in offered and foreign.pk not in offered
    body = {"title": process.title, "visibility": "public", "procurement": foreign.pk}
    response = client.post(url("edit", process.pk), body)
    assert response.status_code == 422
    response = client.post(url("edit", process.pk), {**body, "procurement": tender.pk})
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.procurement == tender
    assert tender.get_absolute_url().encode() in client.get(url("detail", process.pk)).content
    # Charlie may see the process but not the tender: it is not linked for him.
    client_for(charlie)
    tender.visibility = "internal"
    tender.save()
    assert tender.get_absolute_url().encode() not in client.get(url("detail", process.pk)).content


def test_alice_ticks_the_criteria_on_the_page_bob_may_not(client, client_for, alice, bob, process):
    client_for(bob)
    assert client.post(url("criteria", process.pk), {"criteria": ["saves_time"]}).status_code == 403
    client_for(alice)
    everything = ["saves_time", "recognisable_elsewhere", "anchored_in_management"]
    response = client.post(url("criteria", process.pk), {"criteria": everything})
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.meets_criteria
    response = client.post(url("criteria", process.pk), {"criteria": ["made_up"]})
    assert response.status_code == 422
    client.post(url("criteria", process.pk), {})
    process.refresh_from_db()
    assert not (process.saves_time or process.recognisable_elsewhere)
