"""A proposal starts where its case was made: from a challenge, a pilot or an event."""

from django.urls import reverse

from samspil.events.tests.conftest import make_event
from samspil.pilots.tests.test_services import make_challenge


def test_it_offers_innovation_leads_a_proposal_from_a_challenge(client_for, alice, bob, org_a):
    challenge = make_challenge(org_a)
    link = f'href="{reverse("proposals:create")}?challenge={challenge.pk}"'
    assert link in client_for(alice).get(challenge.get_absolute_url()).text
    assert link not in client_for(bob).get(challenge.get_absolute_url()).text


def test_it_offers_organisers_a_proposal_from_an_event(client_for, alice, bob, org_a):
    event = make_event(alice, org_a)
    link = f'href="{reverse("proposals:create")}?event={event.pk}"'
    assert link in client_for(alice).get(event.get_absolute_url()).text
    assert link not in client_for(bob).get(event.get_absolute_url()).text


def test_it_links_the_new_proposal_to_the_challenge_it_starts_from(client_for, alice, org_a):
    challenge = make_challenge(org_a, title="Complaints teach us too little")
    page = client_for(alice).get(f"{reverse('proposals:create')}?challenge={challenge.pk}").text
    assert "Complaints teach us too little" in page


def test_it_leads_from_the_list_to_the_rounds_and_to_my_follow_up_tasks(client, client_for, bob):
    rounds = f'href="{reverse("proposals:rounds")}"'
    tasks = f'href="{reverse("proposals:follow-ups")}"'
    anonymous = client.get(reverse("proposals:list")).text
    assert rounds in anonymous and tasks not in anonymous
    assert tasks in client_for(bob).get(reverse("proposals:list")).text


def test_it_offers_a_procurement_from_an_approved_proposal(client_for, alice, bob, proposal):
    from samspil.proposals.models import Proposal

    link = f'href="{reverse("procurement:create")}?proposal={proposal.pk}"'
    assert link not in client_for(alice).get(proposal.get_absolute_url()).text  # a draft
    Proposal.objects.filter(pk=proposal.pk).update(state="approved")
    assert link in client_for(alice).get(proposal.get_absolute_url()).text
    assert link not in client_for(bob).get(proposal.get_absolute_url()).text


def test_it_offers_a_procurement_from_a_challenge_and_a_pilot(client_for, alice, org_a):
    from samspil.pilots import services as pilot_services
    from samspil.pilots.tests.conftest import make_pilot

    challenge = make_challenge(org_a)
    page = client_for(alice).get(challenge.get_absolute_url()).text
    assert f'href="{reverse("procurement:create")}?challenge={challenge.pk}"' in page
    pilot = make_pilot(alice, org_a)
    pilot_services.set_maturity(alice, pilot, "outcome", "procurement", "The market has it.")
    page = client_for(alice).get(pilot.get_absolute_url()).text
    assert f'href="{reverse("procurement:create")}?pilot={pilot.pk}"' in page
