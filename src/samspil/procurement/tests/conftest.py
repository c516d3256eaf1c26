"""Procurements shared by the procurement tests: alice's organisation A (Danish) buys.

``make_procurement(actor, owner, **fields)`` goes through ``services.create_procurement``,
so a procurement made here has its ocid and its lead buyer like one made on a page.

Below them, the fixtures the supplier and market dialogue tests share. Plain helpers live in
``supplier_factories``, ``dialogue_factories`` and ``scaling_factories``.
"""

import pytest
from django.utils import timezone

from samspil.conftest import add_member, make_user
from samspil.core.models import Organisation, Role, Visibility
from samspil.events.models import LearnedRequirement
from samspil.events.tests.conftest import make_event
from samspil.needs.models import Challenge
from samspil.procurement import dialogue_services, services
from samspil.procurement.models import DialogueKind, InterestStatus, SupplierProfile

from .dialogue_factories import company, register_supplier
from .supplier_factories import LIGHT_OFFER, make_challenge


@pytest.fixture(autouse=True)
def _english(english):
    """Every test here reads pages and messages in English (the root conftest's fixture)."""


def make_procurement(actor, owner, title="Biological light in care homes", **fields):
    values = {
        "description": "Light that follows the day's rhythm for residents of care homes.",
        "visibility": Visibility.PUBLIC,
    }
    values.update(fields)
    return services.create_procurement(actor, owner, title=title, **values)


@pytest.fixture
def procurement(alice, org_a):
    return make_procurement(alice, org_a)


@pytest.fixture
def internal_procurement(alice, org_a):
    return make_procurement(alice, org_a, title="Internal purchase", visibility="internal")


# The supplier tests (test_supplier_*): Cobalt (company C) and Dalby Bygg (a Swedish company)
# in the directory, a challenge and a procurement open to suppliers.


@pytest.fixture
def dana(org_c):
    """An admin of the company C (dave is a plain member)."""
    user = make_user("dana")
    add_member(user, org_c, Role.Code.ADMIN)
    return user


@pytest.fixture
def profile(org_c) -> SupplierProfile:
    return SupplierProfile.objects.create(
        organisation=org_c,
        offer=LIGHT_OFFER,
        competences=["Circadian lighting", "IoT", "Welfare technology"],
        references="Arby care homes, 2022",
        size="small",
        countries_served=["DK", "SE"],
        contact_email="sales@cobalt.example",
    )


@pytest.fixture
def org_d(db) -> Organisation:
    return Organisation.objects.create(
        name="Dalby Bygg AB", slug="dalby", kind="company", country="SE", currency="SEK"
    )


@pytest.fixture
def other_profile(org_d) -> SupplierProfile:
    return SupplierProfile.objects.create(
        organisation=org_d,
        offer="Electric excavators and wheel loaders for building sites without emissions.",
        competences=["Construction machines"],
        size="medium",
        countries_served=["SE", "NO"],
    )


@pytest.fixture
def challenge(org_a) -> Challenge:
    return make_challenge(org_a)


@pytest.fixture
def circadian_procurement(alice, org_a):
    """The supplier tests' procurement: its title meets the suppliers' offers."""
    return make_procurement(alice, org_a, title="Circadian lighting in care homes")


# The market dialogue tests (test_dialogue_*): the light procurement with its registered and
# invited suppliers, a question, a published answer, a logged meeting and a workshop.


@pytest.fixture
def light(alice, org_a):
    return make_procurement(alice, org_a)


@pytest.fixture
def dave_registered(org_c, light):
    return register_supplier(org_c, light)


@pytest.fixture
def lumen(light):
    """A second registered supplier, Lumen Lys A/S, with its member frida."""
    organisation = company("Lumen Lys A/S", "lumen")
    add_member(make_user("frida"), organisation)
    register_supplier(organisation, light)
    return organisation


@pytest.fixture
def gustav(light):
    """A member of Glød ApS, only invited to the dialogue (not registered)."""
    organisation = company("Glød ApS", "glod")
    user = make_user("gustav")
    add_member(user, organisation)
    register_supplier(organisation, light, InterestStatus.INVITED)
    return user


@pytest.fixture
def question(dave, dave_registered, light):
    return dialogue_services.ask_question(dave, light, "May the light be leased?")


@pytest.fixture
def workshop(alice, org_a, light):
    """A workshop with two learned requirements, linked to the light procurement's log."""
    event = make_event(alice, org_a, title="Supplier conference on light")
    for position, text in enumerate(
        ["Residents can dim the light themselves.", "Staff need no extra work."], start=1
    ):
        LearnedRequirement.objects.create(event=event, text=text, position=position)
    dialogue_services.add_entry(
        alice,
        light,
        kind=DialogueKind.EVENT,
        held_on=timezone.localdate(),
        subject="Supplier conference",
        event=event,
    )
    return event


@pytest.fixture
def logged(alice, org_c, light):
    return dialogue_services.add_entry(
        alice,
        light,
        kind=DialogueKind.MEETING,
        held_on=timezone.localdate(),
        subject="Meeting with Cobalt",
        participants=[org_c],
    )


@pytest.fixture
def published(alice, question):
    dialogue_services.publish_answer(alice, question, "Yes, leasing is allowed.")
    return question
