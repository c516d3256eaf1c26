"""The needs and challenges API as its clients see it: tokens, who may and may not, pages
and problem details."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samspil.api.tests.test_api import assert_problem, bearer, token_for
from samspil.conftest import add_member, make_user
from samspil.core.models import Organisation, Role, Visibility
from samspil.needs import services
from samspil.needs.models import (
    Challenge,
    ChallengeCoOwner,
    Endorsement,
    Need,
    NeedStatus,
    Theme,
)


def make_need(owner, title, visibility=Visibility.INTERNAL, **extra) -> Need:
    return Need.objects.create(
        owner=owner, title=title, description=f"{title}.", visibility=visibility, **extra
    )


def post(client, path: str, body: dict, user=None, method: str = "post"):
    headers = bearer(token_for(user)) if user is not None else {}
    return getattr(client, method)(
        path, json.dumps(body), content_type="application/json", headers=headers
    )


def get(client, path: str, user=None, **query):
    headers = bearer(token_for(user)) if user is not None else {}
    return client.get(path, query, headers=headers)


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


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
def needs(org_a, org_b):
    return {
        "a_internal": make_need(org_a, "Arby intern", affected_count=10),
        "a_shared": make_need(org_a, "Arby delt", Visibility.SHARED),
        "a_public": make_need(org_a, "Arby offentlig", Visibility.PUBLIC),
        "b_internal": make_need(org_b, "Bergvik intern"),
        "b_shared": make_need(org_b, "Bergvik delt", Visibility.SHARED),
    }


NEED_BODY = {
    "title": "Fakturaer konteres i hånden",
    "description": "Hver bydel bruger mange timer om ugen på manuel kontering af fakturaer.",
    "visibility": "shared",
}


# Reading needs ---------------------------------------------------------------------------------


def test_it_lists_only_public_needs_to_an_anonymous_client(client, needs):
    assert titles(get(client, "/api/needs")) == ["Arby offentlig"]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("alice", {"Arby intern", "Arby delt", "Arby offentlig", "Bergvik delt"}),
        ("charlie", {"Arby delt", "Arby offentlig", "Bergvik intern", "Bergvik delt"}),
        ("dave", {"Arby offentlig"}),
    ],
)
def test_it_lists_the_needs_each_persona_may_see(client, needs, persona, expected, request):
    assert set(titles(get(client, "/api/needs", request.getfixturevalue(persona)))) == expected


def test_it_answers_a_need_with_its_endorsements_summed(
    client, alice, charlie, org_b, org_s, needs
):
    need = needs["a_shared"]
    need.themes.set(Theme.objects.filter(slug__in=["care", "health"]))
    Endorsement.objects.create(need=need, organisation=org_b, affected_count=30, hours_per_week=2.5)
    Endorsement.objects.create(need=need, organisation=org_s, affected_count=12)

    body = get(client, f"/api/needs/{need.pk}", charlie).json()

    assert body["title"] == "Arby delt"
    assert body["organisation"] == {"id": need.owner_id, "name": "Arby Kommune"}
    assert body["themes"] == ["care", "health"]
    assert body["endorsements"] == {
        "count": 2,
        "affected_count": 42,
        "hours_per_week": 2.5,
        "organisations": [
            {"id": org_b.pk, "name": "Bergvik kommune"},
            {"id": org_s.pk, "name": "Sjöstad kommun"},
        ],
    }


@pytest.mark.parametrize("persona", ["anonymous", "charlie", "dave"])
def test_it_answers_404_for_another_organisations_internal_need(client, needs, persona, request):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)

    body = assert_problem(get(client, f"/api/needs/{needs['a_internal'].pk}", user), 404)

    assert body["instance"] == f"/api/needs/{needs['a_internal'].pk}"


def test_it_filters_needs_by_status_organisation_country_and_theme(client, alice, org_b, needs):
    needs["a_shared"].status = NeedStatus.ACCEPTED
    needs["a_shared"].save()
    needs["a_public"].themes.add(Theme.objects.get(slug="climate"))

    assert titles(get(client, "/api/needs", alice, status="accepted")) == ["Arby delt"]
    assert titles(get(client, "/api/needs", alice, organisation=org_b.pk)) == ["Bergvik delt"]
    assert titles(get(client, "/api/needs", alice, country="NO")) == ["Bergvik delt"]
    assert titles(get(client, "/api/needs", alice, theme="climate")) == ["Arby offentlig"]


def test_it_searches_needs_in_full_text(client, alice, org_a, needs):
    services.search.index_need(make_need(org_a, "Dagslys", Visibility.PUBLIC))
    services.search.index_need(make_need(org_a, "Lønudbetaling", Visibility.PUBLIC))

    assert titles(get(client, "/api/needs", alice, search="dagslys")) == ["Dagslys"]


@pytest.mark.parametrize("text", ['"', "*", "-", "(", "'; DROP TABLE needs_need; --", "<b>x</b>"])
def test_it_survives_search_syntax_and_sql(client, alice, needs, text):
    assert get(client, "/api/needs", alice, search=text).status_code == 200


@pytest.mark.parametrize(
    ("query", "location"),
    [
        ({"status": "lost"}, ["query", "status"]),
        ({"country": "FI"}, ["query", "country"]),
        ({"organisation": "x"}, ["query", "organisation"]),
        ({"page": 0}, ["query", "page"]),
    ],
)
def test_it_refuses_bad_filters_with_422(client, needs, query, location):
    body = assert_problem(get(client, "/api/needs", **query), 422)

    assert [error["loc"] for error in body["errors"]] == [location]


def test_it_refuses_an_unknown_theme_filter_with_422(client, needs):
    body = assert_problem(get(client, "/api/needs", theme="dragons"), 422)

    assert "dragons" in body["errors"]["themes"][0]


def _queries_for(client, path: str, headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=headers)
    assert response.status_code == 200
    return len(queries)


def test_it_lists_needs_in_queries_that_do_not_grow_with_the_page(
    client, alice, org_a, org_b, org_s
):
    care = Theme.objects.get(slug="care")
    for n in range(30):
        need = make_need(org_a, f"Behov {n:02}", Visibility.SHARED, affected_count=n)
        need.themes.add(care)
        Endorsement.objects.create(need=need, organisation=org_b, affected_count=1)
        Endorsement.objects.create(need=need, organisation=org_s, hours_per_week=1)
    headers = bearer(token_for(alice))
    client.get("/api/needs", headers=headers)  # the token's last use is written once

    few = _queries_for(client, "/api/needs?page_size=3", headers)
    many = _queries_for(client, "/api/needs?page_size=30", headers)

    assert few == many
    assert many <= 8


def test_it_pages_the_needs(client, alice, needs):
    body = get(client, "/api/needs", alice, page=2, page_size=3).json()

    assert (body["count"], body["page"], body["pages"], len(body["items"])) == (4, 2, 2, 1)


# Reporting needs -------------------------------------------------------------------------------


def test_it_reports_a_need_for_the_persons_organisation(client, bob, org_a):
    body = {
        **NEED_BODY,
        "themes": ["administration"],
        "hours_per_week": 12.5,
        "frequency": "weekly",
    }

    response = post(client, "/api/needs", body, bob)

    assert response.status_code == 201, response.content
    created = response.json()
    need = Need.objects.get(pk=created["id"])
    assert (need.owner, need.submitted_by, need.visibility) == (org_a, bob, "shared")
    assert created["themes"] == ["administration"]
    assert created["hours_per_week"] == 12.5
    assert created["language"] == "da"  # detected
    assert created["endorsements"]["count"] == 0


def test_it_keeps_a_need_internal_unless_told(client, bob):
    body = {k: v for k, v in NEED_BODY.items() if k != "visibility"}

    assert post(client, "/api/needs", body, bob).json()["visibility"] == "internal"


def test_it_reports_for_a_department_of_the_organisation(client, bob, org_a, org_a_department):
    body = {**NEED_BODY, "department_id": org_a_department.pk, "language": "nb"}

    created = post(client, "/api/needs", body, bob).json()

    assert created["department"] == {"id": org_a_department.pk, "name": "Arby Socialforvaltning"}
    assert created["language"] == "nb"


def test_it_files_a_department_members_need_under_the_municipality(client, org_a, org_a_department):
    frida = make_user("frida")
    add_member(frida, org_a_department)

    created = post(client, "/api/needs", NEED_BODY, frida).json()

    assert created["organisation"] == {"id": org_a.pk, "name": "Arby Kommune"}
    assert created["department"] == {"id": org_a_department.pk, "name": "Arby Socialforvaltning"}


def test_it_refuses_a_need_from_an_anonymous_client_with_401(client, db):
    assert_problem(post(client, "/api/needs", NEED_BODY), 401)


def test_it_refuses_a_need_from_a_supplier_with_403(client, dave):
    assert_problem(post(client, "/api/needs", NEED_BODY, dave), 403)


def test_it_refuses_a_need_for_another_organisation_with_403(client, bob, org_b):
    assert_problem(post(client, "/api/needs", {**NEED_BODY, "organisation_id": org_b.pk}, bob), 403)


def test_it_answers_404_for_an_organisation_the_person_cannot_see(
    client, charlie, org_a_department
):
    body = {**NEED_BODY, "department_id": org_a_department.pk}

    assert_problem(post(client, "/api/needs", body, charlie), 404)


def test_it_refuses_a_session_write_without_csrf(client_for, bob):
    client = client_for(bob)
    client.handler.enforce_csrf_checks = True

    response = client.post("/api/needs", json.dumps(NEED_BODY), content_type="application/json")

    assert_problem(response, 403)
    assert not Need.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"description": ""}, "description"),
        ({"visibility": "secret"}, "visibility"),
        ({"language": "fi"}, "language"),
        ({"frequency": "hourly"}, "frequency"),
        ({"affected_count": -1}, "affected_count"),
        ({"hours_per_week": 100001}, "hours_per_week"),
        ({"hours_per_week": 1.25}, "hours_per_week"),
        ({"themes": ["dragons"]}, "themes"),
        ({"department_id": "x"}, "department_id"),
    ],
)
def test_it_refuses_bad_input_with_a_422_problem(client, bob, changes, field):
    body = assert_problem(post(client, "/api/needs", {**NEED_BODY, **changes}, bob), 422)

    errors = body["errors"]
    fields = set(errors) if isinstance(errors, dict) else {e["loc"][-1] for e in errors}
    assert field in fields
    assert not Need.objects.exists()


def test_it_refuses_a_body_that_is_not_json_with_a_problem(client, bob):
    response = client.post(
        "/api/needs", "{not json", content_type="application/json", headers=bearer(token_for(bob))
    )

    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == "application/problem+json"


def test_it_refuses_a_department_of_another_organisation(client, alice, org_a, org_b):
    bergvik_part = Organisation.objects.create(
        name="Bergvik helse", slug="bergvik-helse", kind="department", country="NO",
        currency="NOK", parent=org_b,
    )  # fmt: skip

    body = assert_problem(
        post(client, "/api/needs", {**NEED_BODY, "department_id": bergvik_part.pk}, alice), 422
    )

    assert "department" in body["errors"]


# Changing needs --------------------------------------------------------------------------------


def test_it_lets_the_reporter_change_a_new_need(client, bob, org_a):
    need = make_need(org_a, "Gammel titel", submitted_by=bob, affected_count=3)

    response = post(
        client, f"/api/needs/{need.pk}", {"title": "Ny titel", "themes": ["care"]}, bob, "patch"
    )

    assert response.status_code == 200, response.content
    need.refresh_from_db()
    assert (need.title, need.affected_count) == ("Ny titel", 3)
    assert response.json()["themes"] == ["care"]


def test_it_lets_an_innovation_lead_move_a_need_and_requires_a_reason_to_reject(
    client, alice, needs
):
    need = needs["a_internal"]
    path = f"/api/needs/{need.pk}"

    assert (
        post(client, path, {"status": "in_triage"}, alice, "patch").json()["status"] == "in_triage"
    )
    body = assert_problem(post(client, path, {"status": "rejected"}, alice, "patch"), 422)
    assert "reason" in body["errors"]
    rejected = post(client, path, {"status": "rejected", "reason": "Dublet"}, alice, "patch")
    assert (rejected.json()["status"], rejected.json()["status_reason"]) == ("rejected", "Dublet")


@pytest.mark.parametrize(("role", "status"), [(Role.Code.INNOVATION_LEAD, 200), (None, 403)])
def test_it_lets_a_department_lead_move_a_need_filed_under_the_municipality(
    client, org_a, org_a_department, role, status
):
    need = make_need(org_a, "Afdelingens behov", department=org_a_department)
    person = make_user("frida")
    add_member(person, org_a_department, *([role] if role else []))

    response = post(client, f"/api/needs/{need.pk}", {"status": "accepted"}, person, "patch")

    assert response.status_code == status


def test_it_does_not_let_a_sibling_departments_lead_move_the_need(client, org_a, org_a_department):
    sibling = Organisation.objects.create(
        name="Arby Teknik", slug="arby-teknik", kind="department", country="DK",
        currency="DKK", parent=org_a,
    )  # fmt: skip
    need = make_need(org_a, "Afdelingens behov", Visibility.SHARED, department=org_a_department)
    lead = make_user("lead")
    add_member(lead, sibling, Role.Code.INNOVATION_LEAD)

    assert_problem(
        post(client, f"/api/needs/{need.pk}", {"status": "accepted"}, lead, "patch"), 403
    )


def test_it_lists_the_visible_needs_merged_into_a_need(client, alice, charlie, org_a, org_b, needs):
    survivor = needs["a_shared"]
    own = make_need(org_a, "Arby dublet")
    other = make_need(org_b, "Bergvik dublet", Visibility.SHARED)
    hidden = make_need(org_b, "Bergvik skjult")
    for absorbed in (own, other, hidden):
        absorbed.status, absorbed.merged_into = NeedStatus.MERGED, survivor
        absorbed.save()

    seen_by_alice = get(client, f"/api/needs/{survivor.pk}", alice).json()["absorbed"]
    seen_by_charlie = get(client, f"/api/needs/{survivor.pk}", charlie).json()["absorbed"]

    assert seen_by_alice == [
        {"id": own.pk, "title": "Arby dublet"},
        {"id": other.pk, "title": "Bergvik dublet"},
    ]
    assert [n["title"] for n in seen_by_charlie] == ["Bergvik dublet", "Bergvik skjult"]


def test_it_keeps_the_stored_reason_and_points_a_merged_need_to_its_survivor(client, alice, needs):
    survivor, absorbed = needs["a_shared"], needs["a_internal"]
    services.merge_needs(alice, survivor, absorbed)

    body = get(client, f"/api/needs/{absorbed.pk}", alice).json()

    assert (body["status"], body["merged_into_id"], body["status_reason"]) == (
        "merged",
        survivor.pk,
        "",
    )
    assert body["absorbed"] == []


def test_it_rolls_back_the_fields_when_the_status_change_fails(client, alice, needs):
    need = needs["a_internal"]

    response = post(
        client, f"/api/needs/{need.pk}", {"title": "Ændret", "status": "rejected"}, alice, "patch"
    )

    assert_problem(response, 422)
    need.refresh_from_db()
    assert need.title == "Arby intern"


def test_it_refuses_a_status_change_by_a_member_with_403(client, bob, org_a):
    need = make_need(org_a, "Bobs behov", submitted_by=bob)

    assert_problem(post(client, f"/api/needs/{need.pk}", {"status": "accepted"}, bob, "patch"), 403)


@pytest.mark.parametrize(("persona", "status"), [("bob", 403), ("charlie", 403), ("dave", 404)])
def test_it_refuses_changes_by_people_who_may_not_edit(client, needs, persona, status, request):
    need = needs["a_shared"]

    response = post(
        client,
        f"/api/needs/{need.pk}",
        {"title": "Hacked"},
        request.getfixturevalue(persona),
        "patch",
    )

    assert_problem(response, status)
    need.refresh_from_db()
    assert need.title == "Arby delt"


def test_it_refuses_an_emptied_title_in_a_change(client, alice, needs):
    need = needs["a_internal"]

    body = assert_problem(
        post(client, f"/api/needs/{need.pk}", {"title": None}, alice, "patch"), 422
    )

    assert "title" in body["errors"]


# Endorsing needs -------------------------------------------------------------------------------


def test_it_lets_charlie_endorse_a_shared_need_of_another_organisation(
    client, charlie, org_b, needs
):
    need = needs["a_shared"]
    body = {
        "organisation_id": org_b.pk,
        "affected_count": 25,
        "hours_per_week": 4,
        "comment": "Også her",
    }

    response = post(client, f"/api/needs/{need.pk}/endorsements", body, charlie)

    assert response.status_code == 201, response.content
    assert response.json()["organisation"] == {"id": org_b.pk, "name": "Bergvik kommune"}
    assert response.json()["hours_per_week"] == 4.0
    summary = get(client, f"/api/needs/{need.pk}", charlie).json()["endorsements"]
    assert (summary["count"], summary["affected_count"], summary["hours_per_week"]) == (1, 25, 4.0)


def test_it_refuses_an_endorsement_of_ones_own_organisations_need(client, alice, org_a, needs):
    body = assert_problem(
        post(
            client,
            f"/api/needs/{needs['a_shared'].pk}/endorsements",
            {"organisation_id": org_a.pk},
            alice,
        ),
        422,
    )

    assert "organisation" in body["errors"]
    assert not Endorsement.objects.exists()


def test_it_refuses_an_endorsement_in_the_name_of_an_organisation_one_is_not_in(
    client, charlie, org_s, needs
):
    response = post(
        client,
        f"/api/needs/{needs['a_shared'].pk}/endorsements",
        {"organisation_id": org_s.pk},
        charlie,
    )

    assert_problem(response, 403)


def test_it_answers_404_for_an_endorsement_of_an_invisible_need(client, charlie, org_b, needs):
    response = post(
        client,
        f"/api/needs/{needs['a_internal'].pk}/endorsements",
        {"organisation_id": org_b.pk},
        charlie,
    )

    assert_problem(response, 404)


def test_it_refuses_an_anonymous_endorsement_with_401(client, org_b, needs):
    response = post(
        client, f"/api/needs/{needs['a_public'].pk}/endorsements", {"organisation_id": org_b.pk}
    )

    assert_problem(response, 401)


@pytest.mark.parametrize(
    "changes", [{"affected_count": -5}, {"hours_per_week": -1}, {"comment": "x" * 2001}]
)
def test_it_refuses_bad_endorsement_numbers_with_422(client, charlie, org_b, needs, changes):
    response = post(
        client,
        f"/api/needs/{needs['a_shared'].pk}/endorsements",
        {"organisation_id": org_b.pk, **changes},
        charlie,
    )

    assert_problem(response, 422)


# Similar needs ---------------------------------------------------------------------------------


@pytest.fixture
def similar(org_a, org_b, org_s, reset_similarity):
    texts = [
        (org_a, "Indkøb til børnehaver i en webshop der er svær at bruge", Visibility.SHARED),
        (
            org_b,
            "Innkjøp til barnehager i en nettbutikk som er vanskelig å bruke",
            Visibility.SHARED,
        ),
        (org_s, "Inköp till förskolor i en webbutik som är svår att använda", Visibility.SHARED),
        (org_b, "Innkjøp til barnehager i nettbutikk, internt", Visibility.INTERNAL),
        (org_a, "Manuel kontering af fakturaer", Visibility.SHARED),
    ]
    created = [
        Need.objects.create(
            owner=owner,
            title=title,
            description=title,
            visibility=visibility,
            match_text=services.similarity.normalise(title),
        )
        for owner, title, visibility in texts
    ]
    services.search.reindex_needs()  # PostgreSQL finds candidates in the full-text index
    return created


@pytest.fixture
def reset_similarity():
    services.similarity.reset_index()
    yield
    services.similarity.reset_index()


def test_it_finds_similar_needs_of_other_organisations_without_itself(client, alice, similar):
    response = get(client, f"/api/needs/{similar[0].pk}/similar", alice, limit=2)

    assert response.status_code == 200, response.content
    found = response.json()
    assert [item["id"] for item in found] == [similar[1].pk, similar[2].pk] or [
        item["id"] for item in found
    ] == [similar[2].pk, similar[1].pk]
    assert set(found[0]) == {"id", "title", "organisation", "score"}
    assert found[0]["score"] >= found[1]["score"]
    assert {item["organisation"]["name"] for item in found} == {"Bergvik kommune", "Sjöstad kommun"}


def test_it_never_shows_a_similar_need_the_person_cannot_see(client, alice, similar):
    found = get(client, f"/api/needs/{similar[0].pk}/similar", alice, limit=50).json()

    ids = {item["id"] for item in found}
    assert similar[3].pk not in ids
    assert similar[0].pk not in ids


@pytest.mark.parametrize("limit", [0, 51, "x"])
def test_it_refuses_a_similar_limit_out_of_range(client, alice, similar, limit):
    assert_problem(get(client, f"/api/needs/{similar[0].pk}/similar", alice, limit=limit), 422)


def test_it_answers_404_for_the_similar_needs_of_an_invisible_need(client, alice, similar):
    assert_problem(get(client, f"/api/needs/{similar[3].pk}/similar", alice), 404)


# Challenges ------------------------------------------------------------------------------------


CHALLENGE_BODY = {
    "title": "Lettere indkøb til børnehaver",
    "problem_statement": "Indkøb i webshoppen tager pædagogerne for lang tid.",
}


@pytest.fixture
def challenge(alice, org_a, needs):
    return services.create_challenge(
        alice, org_a, [needs["a_internal"]], title="Intern udfordring", problem_statement="Intern."
    )


def test_it_creates_a_challenge_from_needs_and_invites_co_owners(
    client, alice, org_a, org_b, needs
):
    body = {
        **CHALLENGE_BODY,
        "need_ids": [needs["a_internal"].pk, needs["b_shared"].pk],
        "co_owner_ids": [org_b.pk],
        "trl": 4,
        "opsi_facet": "mission",
        "nesta_stage": "testing",
        "saves_time": True,
        "visibility": "shared",
    }

    response = post(client, "/api/challenges", body, alice)

    assert response.status_code == 201, response.content
    created = response.json()
    assert created["organisation"] == {"id": org_a.pk, "name": "Arby Kommune"}
    assert {n["id"] for n in created["needs"]} == {needs["a_internal"].pk, needs["b_shared"].pk}
    assert created["co_owners"] == [
        {"organisation": {"id": org_b.pk, "name": "Bergvik kommune"}, "status": "invited"}
    ]
    assert (created["trl"], created["opsi_facet"], created["is_scaling_candidate"]) == (
        4,
        "mission",
        False,
    )
    needs["a_internal"].refresh_from_db()
    assert needs["a_internal"].status == NeedStatus.IN_CHALLENGE


@pytest.mark.parametrize(("persona", "status"), [("bob", 403), ("charlie", 403), ("dave", 403)])
def test_it_refuses_challenges_from_people_who_lead_no_innovation(
    client, needs, persona, status, request
):
    body = {**CHALLENGE_BODY, "need_ids": [needs["a_public"].pk]}

    assert_problem(post(client, "/api/challenges", body, request.getfixturevalue(persona)), status)
    assert not Challenge.objects.exists()


def test_it_refuses_a_challenge_from_an_anonymous_client_with_401(client, needs):
    assert_problem(
        post(client, "/api/challenges", {**CHALLENGE_BODY, "need_ids": [needs["a_public"].pk]}), 401
    )


def test_it_refuses_a_challenge_in_the_name_of_an_organisation_alice_does_not_lead(
    client, alice, org_b, needs
):
    body = {**CHALLENGE_BODY, "need_ids": [needs["a_public"].pk], "organisation_id": org_b.pk}

    assert_problem(post(client, "/api/challenges", body, alice), 403)


@pytest.mark.parametrize("which", ["need", "co_owner"])
def test_it_answers_404_for_invisible_needs_and_organisations(
    client, alice, org_a_department, needs, which
):
    hidden_org = Organisation.objects.create(
        name="Skjult", slug="skjult", kind="municipality", country="NO", currency="NOK",
        visibility=Visibility.INTERNAL,
    )  # fmt: skip
    body = {**CHALLENGE_BODY, "need_ids": [needs["a_public"].pk]}
    if which == "need":
        body["need_ids"] = [needs["a_public"].pk, needs["b_internal"].pk]
    else:
        body["co_owner_ids"] = [hidden_org.pk]

    assert_problem(post(client, "/api/challenges", body, alice), 404)
    assert not Challenge.objects.exists()


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"title": ""}, 422),
        ({"title": "x" * 201}, 422),
        ({"need_ids": []}, 422),
        ({"trl": 10}, 422),
        ({"opsi_facet": "disruptive"}, 422),
        ({"status": "archived"}, 422),
        ({"themes": ["dragons"]}, 422),
        ({"co_owner_ids": "company"}, 422),
    ],
)
def test_it_refuses_a_bad_challenge_with_a_problem(client, alice, org_c, needs, changes, status):
    body = {**CHALLENGE_BODY, "need_ids": [needs["a_public"].pk], **changes}
    if changes.get("co_owner_ids") == "company":
        body["co_owner_ids"] = [org_c.pk]

    assert_problem(post(client, "/api/challenges", body, alice), status)
    assert not Challenge.objects.exists()


def test_it_lists_challenges_by_visibility(client, alice, charlie, dave, challenge, org_a, needs):
    services.create_challenge(
        alice, org_a, [needs["a_public"]], title="Offentlig", problem_statement="Alle ser den.",
        visibility=Visibility.PUBLIC,
    )  # fmt: skip

    assert set(titles(get(client, "/api/challenges", alice))) == {"Intern udfordring", "Offentlig"}
    assert titles(get(client, "/api/challenges", charlie)) == ["Offentlig"]
    assert titles(get(client, "/api/challenges")) == ["Offentlig"]


def test_it_shows_only_the_needs_a_person_may_see_in_a_challenge(
    client, alice, hanne, org_b, needs
):
    shared = services.create_challenge(
        alice, needs["a_internal"].owner, [needs["a_internal"], needs["a_public"]],
        title="Delt", problem_statement="Delt.", visibility=Visibility.SHARED,
    )  # fmt: skip

    body = get(client, f"/api/challenges/{shared.pk}", hanne).json()

    assert [n["title"] for n in body["needs"]] == ["Arby offentlig"]


@pytest.mark.parametrize("persona", ["anonymous", "charlie", "dave"])
def test_it_answers_404_for_another_organisations_internal_challenge(
    client, challenge, persona, request
):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)

    assert_problem(get(client, f"/api/challenges/{challenge.pk}", user), 404)


def test_it_filters_scaling_candidates(client, alice, hanne, org_a, org_b, needs):
    candidate = services.create_challenge(
        alice, org_a, [needs["a_public"]], title="Kandidat", problem_statement="Skalering.",
        saves_time=True, recognisable_elsewhere=True, anchored_in_management=True,
    )  # fmt: skip
    services.create_challenge(
        alice, org_a, [needs["a_public"]], title="Ikke", problem_statement="Nej."
    )
    co_owner = services.invite_co_owner(alice, candidate, org_b)
    services.answer_co_ownership(hanne, co_owner, accept=True)

    response = get(client, "/api/challenges", alice, scaling_candidate="true")

    assert titles(response) == ["Kandidat"]
    assert response.json()["items"][0]["is_scaling_candidate"] is True


def test_it_lets_an_editor_change_a_challenge(client, alice, challenge, needs):
    body = {
        "title": "Ny titel",
        "need_ids": [needs["a_internal"].pk, needs["b_shared"].pk],
        "trl": 7,
    }

    response = post(client, f"/api/challenges/{challenge.pk}", body, alice, "patch")

    assert response.status_code == 200, response.content
    challenge.refresh_from_db()
    assert (challenge.title, challenge.trl, challenge.needs.count()) == ("Ny titel", 7, 2)
    assert challenge.problem_statement == "Intern."


@pytest.mark.parametrize(("persona", "status"), [("bob", 403), ("erin", 200), ("charlie", 404)])
def test_it_lets_only_editors_change_a_challenge(client, challenge, persona, status, request):
    response = post(
        client,
        f"/api/challenges/{challenge.pk}",
        {"title": "Ændret"},
        request.getfixturevalue(persona),
        "patch",
    )

    assert response.status_code == status


def test_it_answers_404_for_a_change_adding_an_invisible_need(client, alice, challenge, needs):
    response = post(
        client,
        f"/api/challenges/{challenge.pk}",
        {"need_ids": [needs["b_internal"].pk]},
        alice,
        "patch",
    )

    assert_problem(response, 404)
    assert list(challenge.needs.all()) == [needs["a_internal"]]


def test_it_refuses_a_change_adding_a_merged_need_with_422(client, alice, challenge, needs):
    services.merge_needs(alice, needs["a_public"], needs["a_shared"])

    response = post(
        client,
        f"/api/challenges/{challenge.pk}",
        {"title": "Ændret", "need_ids": [needs["a_internal"].pk, needs["a_shared"].pk]},
        alice,
        "patch",
    )

    body = assert_problem(response, 422)
    assert "needs" in body["errors"]
    challenge.refresh_from_db()
    assert challenge.title == "Intern udfordring"
    assert list(challenge.needs.all()) == [needs["a_internal"]]


def test_it_keeps_a_need_merged_after_it_joined_when_the_challenge_is_edited(
    client, alice, challenge, needs
):
    services.merge_needs(alice, needs["a_public"], needs["a_internal"])

    response = post(
        client,
        f"/api/challenges/{challenge.pk}",
        {"title": "Ændret", "need_ids": [needs["a_internal"].pk]},
        alice,
        "patch",
    )

    assert response.status_code == 200
    challenge.refresh_from_db()
    assert challenge.title == "Ændret"
    assert list(challenge.needs.all()) == [needs["a_internal"]]


def test_it_lists_challenges_in_queries_that_do_not_grow_with_the_page(
    client, alice, hanne, org_a, org_b, needs
):
    care = Theme.objects.get(slug="care")
    for n in range(30):
        made = services.create_challenge(
            alice, org_a, [needs["a_internal"], needs["b_shared"]], title=f"Udfordring {n}",
            problem_statement="P.", themes=[care],
        )  # fmt: skip
        ChallengeCoOwner.objects.create(challenge=made, organisation=org_b, status="accepted")
    headers = bearer(token_for(alice))
    client.get("/api/challenges", headers=headers)

    few = _queries_for(client, "/api/challenges?page_size=3", headers)
    many = _queries_for(client, "/api/challenges?page_size=30", headers)

    assert few == many
    assert many <= 10
