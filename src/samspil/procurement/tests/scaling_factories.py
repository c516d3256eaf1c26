"""Helpers the scaling tests share (plain functions, not fixtures): a challenge with its
co-owners, a scaling process and a procurement officer."""

from samspil.conftest import add_member, make_user
from samspil.core.models import Organisation, Role, Visibility
from samspil.needs.models import Challenge, ChallengeCoOwner
from samspil.procurement import scaling_services


def make_challenge(owner, *, co_owners=(), visibility=Visibility.PUBLIC, **fields):
    values = {
        "title": "Emission-free construction machines",
        "problem_statement": "Public builders want building sites without emissions from "
        "construction machines, but each asks for too few machines.",
        "saves_time": True,
        "recognisable_elsewhere": True,
        "anchored_in_management": False,
    }
    values.update(fields)
    challenge = Challenge.objects.create(owner=owner, visibility=visibility, **values)
    for organisation, status in co_owners:
        ChallengeCoOwner.objects.create(
            challenge=challenge, organisation=organisation, status=status
        )
    return challenge


def make_process(actor, owner, **fields):
    values = {"title": "Together for emission-free machines", "visibility": Visibility.PUBLIC}
    values.update(fields)
    return scaling_services.create_scaling_process(actor, owner, **values)


def make_officer(username: str, organisation: Organisation):
    user = make_user(username)
    add_member(user, organisation, Role.Code.PROCUREMENT_OFFICER)
    return user
