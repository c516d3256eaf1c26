"""The challenge pages, for the people who may and may not use them (Django's test client)."""

import re

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samspil.conftest import add_member, make_user
from samspil.core.models import Notification, Organisation, Role, Visibility
from samspil.needs import services
from samspil.needs.models import (
    Challenge,
    ChallengeCoOwner,
    CoOwnerStatus,
    Need,
    NeedStatus,
    Theme,
)

HTMX = {"HX-Request": "true"}
CRITERIA = {"saves_time": True, "recognisable_elsewhere": True, "anchored_in_management": True}


@pytest.fixture(autouse=True)
def english(client):
    """Pages in English, so that text assertions hold whether or not translations are compiled."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def make_need(owner, title, visibility=Visibility.INTERNAL, **extra) -> Need:
    return Need.objects.create(
        owner=owner, title=title, description=f"{title}.", visibility=visibility, **extra
    )


def make_challenge(actor, owner, title, needs, visibility=Visibility.INTERNAL, **fields):
    fields.setdefault("problem_statement", f"{title}: the problem.")
    return services.create_challenge(
        actor, owner, needs, title=title, visibility=visibility, **fields
    )


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def error_next_to(content: str, field: str) -> str:
    found = re.search(rf'<(\w+)[^>]*id="id_{field}_error"[^>]*>(.*?)</\1>', content, re.S)
    assert found is not None, f"no error shown next to {field}"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(2)).split())


@pytest.fixture
def hanne(org_b):
    """An innovation lead of organisation B."""
    user = make_user("hanne", language="nb")
    add_member(user, org_b, Role.Code.INNOVATION_LEAD)
    return user


@pytest.fixture
def org_s(db) -> Organisation:
    return Organisation.objects.create(
        name="Sjöstad kommun", slug="sjostad", kind="municipality", country="SE", currency="SEK"
    )


@pytest.fixture
def need_a(org_a):
    return make_need(org_a, "Indkøb af legetøj er besværligt", affected_count=40)


@pytest.fixture
def need_b(org_b):
    return make_need(org_b, "Innkjøp av leker er tungvint", Visibility.SHARED)


@pytest.fixture
def internal_challenge(alice, org_a, need_a):
    return make_challenge(alice, org_a, "Lettere indkøb til børnehaver", [need_a])


@pytest.fixture
def public_challenge(alice, org_a, need_a):
    return make_challenge(
        alice, org_a, "Dagslys på plejehjem", [need_a], Visibility.PUBLIC, **CRITERIA
    )


def challenge_data(chosen, **changes) -> dict:
    data = {
        "title": "Fælles webshop for børnehaver",
        "problem_statement": "Indkøb tager for lang tid.",
        "affected_users": "Pædagoger",
        "success_criteria": "Halv tid brugt på indkøb",
        "status": "open",
        "visibility": "internal",
        "opsi_facet": "enhancement",
        "trl": "5",
        "nesta_stage": "testing",
        "needs": [n.pk for n in chosen],
    }
    data.update(changes)
    return data


# List ------------------------------------------------------------------------------------------


def test_it_lists_public_challenges_to_an_anonymous_visitor(
    client, internal_challenge, public_challenge
):
    response = client.get("/challenges/")

    assert response.status_code == 200
    assert [c.title for c in response.context["page"]] == ["Dagslys på plejehjem"]


def test_it_lists_internal_challenges_to_their_organisation(
    client_for, bob, internal_challenge, public_challenge
):
    response = client_for(bob).get("/challenges/")

    assert {c.title for c in response.context["page"]} == {
        "Lettere indkøb til børnehaver",
        "Dagslys på plejehjem",
    }


def test_it_hides_another_organisations_internal_challenge_from_charlie(
    client_for, charlie, internal_challenge, public_challenge
):
    response = client_for(charlie).get("/challenges/")

    assert "Lettere indkøb til børnehaver" not in response.content.decode()


def test_it_lists_a_challenge_to_an_invited_organisation(
    client_for, alice, charlie, org_b, internal_challenge
):
    services.invite_co_owner(alice, internal_challenge, org_b)

    response = client_for(charlie).get("/challenges/")

    assert [c.title for c in response.context["page"]] == ["Lettere indkøb til børnehaver"]


def test_it_marks_scaling_candidates_and_filters_them(
    client_for, alice, hanne, org_b, need_a, public_challenge
):
    other = make_challenge(
        alice, public_challenge.owner, "Ikke kandidat", [need_a], Visibility.PUBLIC
    )
    co_owner = services.invite_co_owner(alice, public_challenge, org_b)
    services.answer_co_ownership(hanne, co_owner, accept=True)
    client = client_for(alice)

    everything = client.get("/challenges/")
    candidates = client.get("/challenges/", {"scaling": "on"})

    assert {c.title for c in everything.context["page"]} == {other.title, public_challenge.title}
    assert [c.title for c in candidates.context["page"]] == [public_challenge.title]
    assert everything.content.decode().count('<span class="ds-tag" data-color="success">') == 1
    assert "Bergvik kommune" in everything.content.decode()


def test_it_filters_challenges_by_status_theme_and_organisation(
    client_for, alice, hanne, org_a, org_b, need_a, need_b
):
    care = Theme.objects.get(slug="care")
    closed = make_challenge(alice, org_a, "Lukket", [need_a], status="closed", themes=[care])
    make_challenge(alice, org_a, "Åben", [need_a])
    bergvik = make_challenge(hanne, org_b, "Bergviks", [need_b], Visibility.SHARED)
    client = client_for(alice)

    def titles(**query):
        return [c.title for c in client.get("/challenges/", query).context["page"]]

    assert titles(status="closed") == [closed.title]
    assert titles(theme="care") == [closed.title]
    assert titles(organisation=org_b.pk) == [bergvik.title]
    assert set(titles(organisation=org_a.pk)) == {"Lukket", "Åben"}


def test_it_counts_an_accepted_co_owner_as_an_organisation_of_the_challenge(
    client_for, alice, hanne, org_b, internal_challenge
):
    co_owner = services.invite_co_owner(alice, internal_challenge, org_b)
    client = client_for(alice)
    assert (
        client.get("/challenges/", {"organisation": org_b.pk}).context["page"].paginator.count == 0
    )

    services.answer_co_ownership(hanne, co_owner, accept=True)

    assert (
        client.get("/challenges/", {"organisation": org_b.pk}).context["page"].paginator.count == 1
    )


def test_it_searches_challenges_in_full_text(client_for, alice, org_a, need_a):
    make_challenge(alice, org_a, "Dagslys for ældre", [need_a], problem_statement="Lys om vinteren")
    make_challenge(alice, org_a, "Fakturaer", [need_a], problem_statement="Manuel kontering")
    client = client_for(alice)

    found = client.get("/challenges/", {"q": "kontering"})

    assert [c.title for c in found.context["page"]] == ["Fakturaer"]


@pytest.mark.parametrize("text", ['"', "*", "-", "(", "'; DROP TABLE needs_challenge; --", "<b>"])
def test_it_survives_search_syntax_and_sql_in_the_search(
    client_for, alice, internal_challenge, text
):
    response = client_for(alice).get("/challenges/", {"q": text})

    assert response.status_code == 200


def test_it_answers_htmx_with_the_table_only(client_for, alice, internal_challenge):
    response = client_for(alice).get("/challenges/", headers=HTMX)

    assert next(t.name for t in response.templates) == "needs/challenges/_table.html"
    assert "<html" not in response.content.decode()


def test_it_offers_new_challenges_to_innovation_leads_only(client_for, alice, bob):
    assert "/challenges/new/" in client_for(alice).get("/challenges/").content.decode()
    assert "/challenges/new/" not in client_for(bob).get("/challenges/").content.decode()


def _many_challenges(alice, hanne, org_a, org_b, need_a, count: int, start: int = 0) -> None:
    care = Theme.objects.get(slug="care")
    for n in range(start, start + count):
        challenge = make_challenge(alice, org_a, f"Udfordring {n:03}", [need_a], themes=[care])
        co_owner = services.invite_co_owner(alice, challenge, org_b)
        services.answer_co_ownership(hanne, co_owner, accept=True)


def _queries_for(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_it_lists_challenges_in_queries_that_do_not_grow_with_the_page(
    client_for, alice, hanne, org_a, org_b, need_a, settings
):
    settings.PAGE_SIZE = 50
    client = client_for(alice)
    _many_challenges(alice, hanne, org_a, org_b, need_a, 3)
    few = _queries_for(client, "/challenges/")

    _many_challenges(alice, hanne, org_a, org_b, need_a, 27, start=3)
    many = _queries_for(client, "/challenges/")

    assert few == many


# Create ----------------------------------------------------------------------------------------


def test_it_sends_an_anonymous_visitor_to_sign_in_before_creating(client, db):
    response = client.get("/challenges/new/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("persona", ["bob", "charlie", "dave"])
def test_it_refuses_new_challenges_to_people_who_lead_no_innovation(client_for, persona, request):
    client = client_for(request.getfixturevalue(persona))

    assert client.get("/challenges/new/").status_code == 403
    assert client.post("/challenges/new/", {"title": "x"}).status_code == 403


def test_it_prefills_the_needs_given_in_the_address(client_for, alice, need_a, need_b):
    response = client_for(alice).get(f"/challenges/new/?needs={need_a.pk},{need_b.pk},x,999999")

    content = response.content.decode()
    assert response.status_code == 200
    assert re.search(rf'value="{need_a.pk}"[^>]*checked', content)
    assert re.search(rf'value="{need_b.pk}"[^>]*checked', content)
    assert "Innkjøp av leker er tungvint (Bergvik kommune)" in content


def test_it_does_not_offer_a_need_alice_may_not_see(client_for, alice, org_b):
    hidden = make_need(org_b, "Bergviks interne behov")

    response = client_for(alice).get(f"/challenges/new/?needs={hidden.pk}")

    assert "Bergviks interne behov" not in response.content.decode()


def test_it_creates_a_challenge_from_needs_and_invites_co_owners(
    client_for, alice, hanne, org_a, org_b, need_a, need_b
):
    care = Theme.objects.get(slug="care")
    data = challenge_data([need_a, need_b], themes=[care.pk], co_owners=[org_b.pk], owner=org_a.pk)
    data["criteria"] = list(CRITERIA)

    response = client_for(alice).post("/challenges/new/", data)

    challenge = Challenge.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/challenges/{challenge.pk}/"
    assert (challenge.owner, challenge.trl, challenge.opsi_facet) == (org_a, 5, "enhancement")
    assert challenge.meets_scaling_criteria and not challenge.is_scaling_candidate
    assert set(challenge.needs.all()) == {need_a, need_b}
    assert list(challenge.themes.all()) == [care]
    assert challenge.co_owners.get().status == CoOwnerStatus.INVITED
    assert Notification.objects.filter(recipient=hanne).exists()
    need_a.refresh_from_db()
    assert need_a.status == NeedStatus.IN_CHALLENGE
    assert messages_of(response) == ["The challenge was created."]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"title": "x" * 201}, "title", "at most 200 characters"),
        ({"problem_statement": "   "}, "problem_statement", "This field is required."),
        ({"trl": "10"}, "trl", "Select a valid choice."),
        ({"opsi_facet": "disruptive"}, "opsi_facet", "Select a valid choice."),
        ({"needs": []}, "needs", "Choose at least one need."),
    ],
)
def test_it_keeps_what_was_typed_and_explains_bad_input(
    client_for, alice, need_a, changes, field, message
):
    data = challenge_data([need_a], **changes)

    response = client_for(alice).post("/challenges/new/", data)

    content = response.content.decode()
    assert response.status_code == 422
    assert message in error_next_to(content, field)
    assert "Pædagoger" in content
    assert "Halv tid brugt på indkøb" in content
    assert not Challenge.objects.exists()


def test_it_refuses_a_need_alice_may_not_see_in_the_form(client_for, alice, org_b, need_a):
    hidden = make_need(org_b, "Bergviks interne behov")

    response = client_for(alice).post("/challenges/new/", challenge_data([need_a, hidden]))

    assert response.status_code == 422
    assert "Select a valid choice." in error_next_to(response.content.decode(), "needs")
    assert not Challenge.objects.exists()


def test_it_refuses_the_lead_organisation_as_its_own_co_owner(client_for, alice, org_a, need_a):
    data = challenge_data([need_a], owner=org_a.pk, co_owners=[org_a.pk])

    response = client_for(alice).post("/challenges/new/", data)

    assert response.status_code == 422
    assert "already owns" in error_next_to(response.content.decode(), "co_owners")


def test_it_offers_only_public_organisations_as_co_owners(client_for, alice, org_a, org_c, need_a):
    response = client_for(alice).post(
        "/challenges/new/", challenge_data([need_a], owner=org_a.pk, co_owners=[org_c.pk])
    )

    assert response.status_code == 422
    assert "Select a valid choice." in error_next_to(response.content.decode(), "co_owners")


def test_it_refuses_a_lead_organisation_alice_does_not_lead(client_for, alice, org_b, need_a):
    response = client_for(alice).post("/challenges/new/", challenge_data([need_a], owner=org_b.pk))

    assert response.status_code == 422
    assert not Challenge.objects.exists()


# Detail ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "bob", "erin"])
def test_it_shows_an_internal_challenge_to_its_organisation(
    client_for, internal_challenge, persona, request
):
    response = client_for(request.getfixturevalue(persona)).get(
        internal_challenge.get_absolute_url()
    )

    assert response.status_code == 200
    assert "Lettere indkøb til børnehaver" in response.content.decode()


@pytest.mark.parametrize("persona", ["anonymous", "charlie", "dave"])
def test_it_answers_404_for_another_organisations_internal_challenge(
    client, client_for, internal_challenge, persona, request
):
    if persona != "anonymous":
        client = client_for(request.getfixturevalue(persona))

    assert client.get(internal_challenge.get_absolute_url()).status_code == 404
    assert client.get(f"/challenges/{internal_challenge.pk}/edit/").status_code in (302, 404)


def test_it_shows_a_public_challenge_to_an_anonymous_visitor_without_hidden_needs(
    client, public_challenge, need_a
):
    response = client.get(public_challenge.get_absolute_url())

    text = text_of(response)
    assert response.status_code == 200
    assert need_a.title not in text
    assert "1 more need is not visible to you." in text
    assert "History" not in text
    assert "Edit challenge" not in text


def test_it_shows_every_field_and_the_needs_with_their_organisations(
    client_for, alice, org_a, need_a, need_b
):
    challenge = make_challenge(
        alice, org_a, "Fælles", [need_a, need_b], trl=4, opsi_facet="mission",
        nesta_stage="scaling", affected_users="Pædagoger", success_criteria="Færre timer",
    )  # fmt: skip

    text = text_of(client_for(alice).get(challenge.get_absolute_url()))

    for expected in [
        "Fælles: the problem.", "Pædagoger", "Færre timer", "Mission-oriented",
        "Growing, scaling and spreading", "4", f"{need_a.title} · Arby Kommune",
        f"{need_b.title} · Bergvik kommune", "Arby Kommune · Lead organisation", "History",
    ]:  # fmt: skip
        assert expected in text


def test_it_explains_why_a_challenge_is_not_a_scaling_candidate(
    client_for, alice, internal_challenge
):
    text = text_of(client_for(alice).get(internal_challenge.get_absolute_url()))

    assert "Not a scaling candidate yet" in text
    assert "It has one owner organisation" in text
    assert "Criterion not met: saves time" in text
    assert "Criterion not met: anchored in top management" in text


def test_it_marks_a_scaling_candidate_and_says_why(
    client_for, alice, hanne, org_b, public_challenge
):
    co_owner = services.invite_co_owner(alice, public_challenge, org_b)
    services.answer_co_ownership(hanne, co_owner, accept=True)

    text = text_of(client_for(alice).get(public_challenge.get_absolute_url()))

    assert "Scaling candidate" in text
    assert "Owned by 2 organisations and meets all three CO-PI criteria" in text
    assert "Bergvik kommune · Accepted" in text


def test_it_shows_accept_and_decline_to_the_invited_innovation_lead_only(
    client_for, alice, hanne, charlie, org_b, internal_challenge
):
    services.invite_co_owner(alice, internal_challenge, org_b)
    url = internal_challenge.get_absolute_url()

    assert "Accept for Bergvik kommune" in text_of(client_for(hanne).get(url))
    assert "Accept for Bergvik kommune" not in text_of(client_for(charlie).get(url))
    assert "Accept for Bergvik kommune" not in text_of(client_for(alice).get(url))


# Co-owners -------------------------------------------------------------------------------------


def test_it_lets_the_invited_innovation_lead_accept(
    client_for, alice, hanne, org_b, public_challenge
):
    co_owner = services.invite_co_owner(alice, public_challenge, org_b)

    response = client_for(hanne).post(
        f"/challenges/{public_challenge.pk}/co-owners/{co_owner.pk}/answer/", {"answer": "accept"}
    )

    assert response.status_code == 302
    co_owner.refresh_from_db()
    public_challenge.refresh_from_db()
    assert co_owner.status == CoOwnerStatus.ACCEPTED
    assert public_challenge.is_scaling_candidate


def test_it_lets_the_invited_innovation_lead_decline(
    client_for, alice, hanne, org_b, internal_challenge
):
    co_owner = services.invite_co_owner(alice, internal_challenge, org_b)

    client_for(hanne).post(
        f"/challenges/{internal_challenge.pk}/co-owners/{co_owner.pk}/answer/",
        {"answer": "decline"},
    )

    co_owner.refresh_from_db()
    assert co_owner.status == CoOwnerStatus.DECLINED


@pytest.mark.parametrize("persona", ["alice", "charlie"])
def test_it_refuses_an_answer_from_anyone_else(
    client_for, alice, org_b, internal_challenge, persona, request
):
    co_owner = services.invite_co_owner(alice, internal_challenge, org_b)
    client = client_for(request.getfixturevalue(persona))

    response = client.post(
        f"/challenges/{internal_challenge.pk}/co-owners/{co_owner.pk}/answer/", {"answer": "accept"}
    )

    assert response.status_code == 403
    co_owner.refresh_from_db()
    assert co_owner.status == CoOwnerStatus.INVITED


def test_it_answers_404_for_an_answer_to_an_invisible_challenge(
    client_for, dave, alice, org_b, internal_challenge
):
    co_owner = services.invite_co_owner(alice, internal_challenge, org_b)

    response = client_for(dave).post(
        f"/challenges/{internal_challenge.pk}/co-owners/{co_owner.pk}/answer/", {"answer": "accept"}
    )

    assert response.status_code == 404


def test_it_refuses_an_answer_that_is_neither(client_for, alice, hanne, org_b, internal_challenge):
    co_owner = services.invite_co_owner(alice, internal_challenge, org_b)

    response = client_for(hanne).post(
        f"/challenges/{internal_challenge.pk}/co-owners/{co_owner.pk}/answer/", {"answer": "maybe"}
    )

    assert response.status_code == 400


def test_it_lets_an_editor_invite_a_co_owner(client_for, alice, hanne, org_b, internal_challenge):
    response = client_for(alice).post(
        f"/challenges/{internal_challenge.pk}/invite/", {"organisation": org_b.pk}
    )

    assert response.status_code == 302
    assert ChallengeCoOwner.objects.get().organisation == org_b
    assert messages_of(response) == ["Bergvik kommune was invited to own the challenge."]


def test_it_refuses_a_company_as_co_owner_with_an_error(
    client_for, alice, org_c, internal_challenge
):
    response = client_for(alice).post(
        f"/challenges/{internal_challenge.pk}/invite/", {"organisation": org_c.pk}
    )

    assert response.status_code == 422
    assert "Select a valid choice." in error_next_to(response.content.decode(), "organisation")
    assert not ChallengeCoOwner.objects.exists()


@pytest.mark.parametrize("persona", ["bob", "charlie"])
def test_it_refuses_an_invitation_from_someone_who_may_not_edit(
    client_for, alice, org_b, org_s, internal_challenge, persona, request
):
    services.invite_co_owner(alice, internal_challenge, org_b)  # so that charlie sees it
    client = client_for(request.getfixturevalue(persona))

    response = client.post(
        f"/challenges/{internal_challenge.pk}/invite/", {"organisation": org_s.pk}
    )

    assert response.status_code == 403
    assert not ChallengeCoOwner.objects.filter(organisation=org_s).exists()


def test_it_answers_404_for_an_invitation_to_an_invisible_challenge(
    client_for, dave, org_b, internal_challenge
):
    response = client_for(dave).post(
        f"/challenges/{internal_challenge.pk}/invite/", {"organisation": org_b.pk}
    )

    assert response.status_code == 404


# Edit ------------------------------------------------------------------------------------------


def test_it_shows_the_edit_form_with_the_needs_chosen(
    client_for, alice, internal_challenge, need_a
):
    response = client_for(alice).get(f"/challenges/{internal_challenge.pk}/edit/")

    assert response.status_code == 200
    assert re.search(rf'value="{need_a.pk}"[^>]*checked', response.content.decode())


def test_it_saves_an_edit(client_for, alice, internal_challenge, need_a, need_b):
    data = challenge_data(
        [need_a, need_b], title="Ny titel", status="closed", criteria=list(CRITERIA)
    )

    response = client_for(alice).post(f"/challenges/{internal_challenge.pk}/edit/", data)

    assert response.status_code == 302
    internal_challenge.refresh_from_db()
    assert (internal_challenge.title, internal_challenge.status) == ("Ny titel", "closed")
    assert internal_challenge.meets_scaling_criteria
    assert internal_challenge.needs.count() == 2


def test_it_lets_an_accepted_co_owner_edit(
    client_for, alice, hanne, org_b, internal_challenge, need_a
):
    co_owner = services.invite_co_owner(alice, internal_challenge, org_b)
    client = client_for(hanne)
    assert client.get(f"/challenges/{internal_challenge.pk}/edit/").status_code == 403

    services.answer_co_ownership(hanne, co_owner, accept=True)

    assert client.get(f"/challenges/{internal_challenge.pk}/edit/").status_code == 200


@pytest.mark.parametrize("persona", ["bob", "charlie"])
def test_it_refuses_the_edit_form_to_people_who_may_not_edit(
    client_for, alice, org_b, internal_challenge, need_a, persona, request
):
    services.invite_co_owner(alice, internal_challenge, org_b)  # so that charlie sees it
    client = client_for(request.getfixturevalue(persona))
    url = f"/challenges/{internal_challenge.pk}/edit/"

    assert client.get(url).status_code == 403
    assert client.post(url, challenge_data([need_a], title="Ændret")).status_code == 403
    internal_challenge.refresh_from_db()
    assert internal_challenge.title == "Lettere indkøb til børnehaver"


def test_it_keeps_the_typed_edit_and_the_saved_heading_on_bad_input(
    client_for, alice, internal_challenge, need_a
):
    data = challenge_data([need_a], title="", affected_users="Nye brugere")

    response = client_for(alice).post(f"/challenges/{internal_challenge.pk}/edit/", data)

    content = response.content.decode()
    assert response.status_code == 422
    assert "Edit Lettere indkøb til børnehaver" in content
    assert "Nye brugere" in content
    assert "This field is required." in error_next_to(content, "title")
    internal_challenge.refresh_from_db()
    assert internal_challenge.title == "Lettere indkøb til børnehaver"


def test_it_keeps_needs_an_editor_cannot_see(client_for, alice, hanne, org_b, need_a):
    hidden = make_need(org_b, "Bergviks interne behov")
    challenge = make_challenge(hanne, org_b, "Bergviks udfordring", [hidden])
    co_owner = services.invite_co_owner(hanne, challenge, Organisation.objects.get(slug="arby"))
    services.answer_co_ownership(alice, co_owner, accept=True)
    client = client_for(alice)

    form_page = client.get(f"/challenges/{challenge.pk}/edit/")
    response = client.post(
        f"/challenges/{challenge.pk}/edit/", challenge_data([need_a], title="Fælles titel")
    )

    assert "Bergviks interne behov" not in form_page.content.decode()
    assert "needs you cannot see" in form_page.content.decode()
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.title == "Fælles titel"
    assert list(challenge.needs.all()) == [hidden]


def test_it_shows_the_criteria_met_and_clears_those_unticked(
    client_for, alice, hanne, org_b, public_challenge, need_a
):
    co_owner = services.invite_co_owner(alice, public_challenge, org_b)
    services.answer_co_ownership(hanne, co_owner, accept=True)
    client = client_for(alice)
    url = f"/challenges/{public_challenge.pk}/edit/"

    form_page = client.get(url).content.decode()
    response = client.post(url, challenge_data([need_a], criteria=["saves_time"]))

    assert re.search(r'value="anchored_in_management"[^>]*checked', form_page)
    assert response.status_code == 302
    public_challenge.refresh_from_db()
    assert public_challenge.saves_time and not public_challenge.anchored_in_management
    assert not public_challenge.is_scaling_candidate
