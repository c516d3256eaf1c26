"""The scaling-process API, for those who may and may not; problem details on bad input:
422 for a letter from a non-participant, 409 for a second letter, 403 for a caller who may
not commit."""

from datetime import date

import pytest

from samspil.api.tests.test_api import assert_problem
from samspil.core.models import Visibility
from samspil.events.tests.test_api import get, send
from samspil.needs.models import CoOwnerStatus
from samspil.procurement import scaling_services as services
from samspil.procurement.models import Commitment, ScalingProcess

from .scaling_factories import make_challenge, make_officer, make_process

DAY = date(2022, 11, 11)
PATH = "/api/scaling-processes"


@pytest.fixture
def challenge(org_a, org_b):
    return make_challenge(org_a, co_owners=[(org_b, CoOwnerStatus.ACCEPTED)])


@pytest.fixture
def process(alice, org_a, challenge):
    return make_process(alice, org_a, challenge=challenge)


def letter(organisation, **extra) -> dict:
    body = {
        "organisation_id": organisation.pk,
        "volume": "12",
        "volume_unit": "machines",
        "value": "3000000",
        "signed_on": "2022-11-11",
        "signed_by": "Birgit, procurement officer",
    }
    body.update(extra)
    return body


def test_anyone_lists_the_public_processes(client, process, alice, org_a):
    hidden = make_process(alice, org_a, title="Internal", visibility=Visibility.INTERNAL)
    response = get(client, PATH)
    assert response.status_code == 200, response.content
    body = response.json()
    assert [item["id"] for item in body["items"]] == [process.pk]
    assert body["items"][0]["participant_count"] == 2
    assert body["items"][0]["facilitator"]["name"] == org_a.name
    mine = get(client, PATH, alice).json()
    assert {item["id"] for item in mine["items"]} == {process.pk, hidden.pk}


def test_the_list_queries_stay_constant(client, alice, org_a, django_assert_max_num_queries):
    for index in range(2):
        make_process(alice, org_a, title=f"Process {index}")
    with django_assert_max_num_queries(12) as few:
        assert get(client, PATH, alice).status_code == 200
    for index in range(2, 20):
        make_process(alice, org_a, title=f"Process {index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(get(client, PATH, alice).json()["items"]) == 20


def test_one_process_in_detail(client, alice, process, org_b):
    services.mark_step_done(alice, process, done_on=DAY)
    services.add_adoption_count(alice, process, counted_on=date(2019, 10, 1), organisations=8)
    services.add_adoption_count(alice, process, counted_on=DAY, organisations=29)
    services.record_commitment(alice, process, org_b, value=5, signed_on=DAY, signed_by="X")
    body = get(client, f"{PATH}/{process.pk}").json()
    assert [s["done"] for s in body["steps"]] == [True, False, False, False, False]
    assert body["steps"][1]["is_next"] is True
    assert body["adoption"]["growth"] == "8 → 29"
    assert body["committed"]["organisations"] == 1
    assert {p["organisation"]["id"] for p in body["participants"]} == {
        process.owner_id,
        org_b.pk,
    }
    assert body["can_edit"] is False


def test_charlie_gets_404_on_an_internal_process(client, alice, charlie, org_a):
    hidden = make_process(alice, org_a, title="Internal", visibility=Visibility.INTERNAL)
    assert_problem(get(client, f"{PATH}/{hidden.pk}", charlie), 404)


def test_alice_starts_one_from_a_challenge(client, alice, challenge):
    response = send(client, PATH, {"title": "Together", "challenge_id": challenge.pk}, alice)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["saves_time"] is True and body["anchored_in_management"] is False
    assert body["participant_count"] == 2 and body["can_edit"] is True
    assert body["visibility"] == "internal"


def test_who_may_not_start_one_and_bad_input(client, alice, bob, dave, org_b):
    assert_problem(send(client, PATH, {"title": "X"}), 401)
    assert_problem(send(client, PATH, {"title": "X"}, bob), 403)
    assert_problem(send(client, PATH, {"title": "X"}, dave), 403)
    assert_problem(send(client, PATH, {"title": "X", "organisation_id": org_b.pk}, alice), 403)
    body = assert_problem(send(client, PATH, {"title": " "}, alice), 422)
    assert "title" in body["errors"]
    hidden = make_challenge(org_b, visibility=Visibility.INTERNAL)
    body = assert_problem(send(client, PATH, {"title": "X", "challenge_id": hidden.pk}, alice), 422)
    assert "challenge_id" in body["errors"]
    assert_problem(send(client, PATH, {"title": "X", "visibility": "secret"}, alice), 422)
    assert not ScalingProcess.objects.exists()


def test_a_participants_officer_commits(client, process, org_b):
    officer = make_officer("birgit", org_b)
    response = send(client, f"{PATH}/{process.pk}/commitments", letter(org_b), officer)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organisation"]["id"] == org_b.pk and body["volume_unit"] == "machines"
    again = assert_problem(
        send(client, f"{PATH}/{process.pk}/commitments", letter(org_b), officer), 409
    )
    assert "already" in again["detail"]


def test_a_non_participant_is_refused_with_the_reason(client, alice, process, org_c):
    body = assert_problem(
        send(client, f"{PATH}/{process.pk}/commitments", letter(org_c), alice), 422
    )
    assert "does not take part" in body["errors"]["organisation_id"][0]
    assert not Commitment.objects.exists()


def test_who_may_not_commit(client, bob, charlie, dave, process, org_a, org_b):
    assert_problem(send(client, f"{PATH}/{process.pk}/commitments", letter(org_a)), 401)
    for user in (bob, charlie, dave):
        assert_problem(send(client, f"{PATH}/{process.pk}/commitments", letter(org_a), user), 403)
    officer = make_officer("birgit", org_b)
    assert_problem(send(client, f"{PATH}/{process.pk}/commitments", letter(org_a), officer), 403)


def test_bad_letters_are_problems(client, alice, process, org_b):
    cases = [
        letter(org_b, signed_by=""),
        letter(org_b, value="-4"),
        letter(org_b, value="1.5"),
        letter(org_b, volume_unit=""),
        letter(org_b, signed_on="yesterday"),
        letter(org_b, organisation_id=999999),
    ]
    for body in cases:
        assert_problem(send(client, f"{PATH}/{process.pk}/commitments", body, alice), 422)
    assert not Commitment.objects.exists()
