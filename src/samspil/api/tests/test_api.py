"""The JSON API as its clients see it: tokens, sessions, visibility, pages and problems."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext, override_settings
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from samspil.api.api import TokenOrSession, api
from samspil.api.problems import ProblemDetails
from samspil.conftest import add_member
from samspil.core import services
from samspil.core.models import AccessToken, Organisation, Visibility

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def token_for(user) -> str:
    _token, secret = services.create_access_token(user, "tests")
    return secret


def assert_problem(response, status: int) -> dict:
    """The response is an RFC 9457 problem with the given status; returns its body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert set(body) >= PROBLEM_KEYS
    assert body["type"] == "about:blank"
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    ProblemDetails.model_validate(body)  # the shape the OpenAPI document promises
    return body


def names_in(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


# Tokens and sessions ---------------------------------------------------------------------------


def test_it_answers_me_for_a_valid_token(client, alice):
    response = client.get("/api/me", headers=bearer(token_for(alice)))

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "alice"
    assert [m["organisation"]["slug"] for m in body["memberships"]] == ["arby"]
    assert body["memberships"][0]["roles"] == ["member", "innovation_lead"]


def test_it_records_when_a_token_was_last_used(client, alice):
    token, secret = services.create_access_token(alice, "laptop")
    assert token.last_used_at is None

    client.get("/api/me", headers=bearer(secret))

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_it_refuses_a_revoked_token_with_401(client, alice):
    token, secret = services.create_access_token(alice, "old laptop")
    services.revoke_access_token(alice, token)

    response = client.get("/api/me", headers=bearer(secret))

    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Bearer"


def test_it_refuses_a_garbage_token_with_401(client, alice):
    assert_problem(client.get("/api/me", headers=bearer("sp_not-a-token")), 401)


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Basic YWxpY2U6c2VjcmV0", "sp_abc"])
def test_it_refuses_a_malformed_authorization_header_with_401(client, alice, header):
    assert_problem(client.get("/api/me", headers={"Authorization": header}), 401)


def test_it_refuses_a_token_of_a_deactivated_person(client, alice):
    secret = token_for(alice)
    alice.is_active = False
    alice.save(update_fields=["is_active"])

    assert_problem(client.get("/api/me", headers=bearer(secret)), 401)


def test_it_refuses_a_bad_token_even_for_public_lists(client, org_a):
    """An unknown token is a mistake to report, not a reason to fall back to anonymous."""
    assert_problem(client.get("/api/organisations", headers=bearer("sp_wrong")), 401)


def test_it_refuses_a_bad_token_even_with_a_signed_in_session(client_for, alice):
    client = client_for(alice)

    assert_problem(client.get("/api/me", headers=bearer("sp_wrong")), 401)


def test_it_asks_an_anonymous_visitor_to_authenticate_for_me(client, db):
    body = assert_problem(client.get("/api/me"), 401)

    assert body["instance"] == "/api/me"


def test_it_answers_me_for_a_signed_in_session(client_for, alice):
    response = client_for(alice).get("/api/me")

    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_it_prefers_the_token_to_the_session(client_for, alice, bob):
    client = client_for(alice)

    response = client.get("/api/me", headers=bearer(token_for(bob)))

    assert response.json()["username"] == "bob"


def test_it_never_stores_the_secret_of_a_token(alice):
    token, secret = services.create_access_token(alice, "laptop")

    assert not AccessToken.objects.filter(digest=secret).exists()
    assert secret not in (token.digest, token.hint)


# CSRF on session writes (no write endpoint exists yet: the auth class is tested directly) ------


def test_it_lets_a_session_read_without_a_csrf_token(alice):
    request = RequestFactory().get("/api/me")
    request.user = alice

    assert TokenOrSession()(request) == alice


def test_it_refuses_a_session_write_without_a_csrf_token(alice):
    request = RequestFactory().post("/api/anything")
    request.user = alice

    with pytest.raises(PermissionDenied):
        TokenOrSession()(request)


def test_it_lets_a_session_write_with_a_csrf_token(alice):
    secret = "a" * 32
    factory = RequestFactory()
    factory.cookies["csrftoken"] = secret
    request = factory.post("/api/anything", headers={"X-CSRFToken": secret})
    request.user = alice

    assert TokenOrSession()(request) == alice


def test_it_needs_no_csrf_token_for_a_token_write(alice):
    request = RequestFactory().post("/api/anything", headers=bearer(token_for(alice)))

    assert TokenOrSession()(request) == alice


def test_it_treats_an_anonymous_write_as_anonymous(db):
    request = RequestFactory().post("/api/anything")

    assert not TokenOrSession()(request).is_authenticated


# Organisations ---------------------------------------------------------------------------------


@pytest.fixture
def organisations(org_a, org_a_department, org_b, org_c):
    return {"a": org_a, "department": org_a_department, "b": org_b, "c": org_c}


@pytest.mark.parametrize("persona", ["anonymous", "charlie", "dave"])
def test_it_hides_an_internal_organisation_from_outsiders(
    client_for, client, organisations, persona, request
):
    if persona != "anonymous":
        client = client_for(request.getfixturevalue(persona))

    names = names_in(client.get("/api/organisations"))

    assert names == ["Arby Kommune", "Bergvik kommune", "Cobalt Software ApS"]


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_it_lists_an_internal_department_for_members_of_its_parent(
    client, organisations, persona, request
):
    secret = token_for(request.getfixturevalue(persona))

    names = names_in(client.get("/api/organisations", headers=bearer(secret)))

    assert "Arby Socialforvaltning" in names
    assert len(names) == 4


def test_it_shows_shared_organisations_to_the_public_sector_only(client, charlie, dave, org_b):
    shared = Organisation.objects.create(
        name="Delt Netværk", slug="delt", kind="cluster", country="DK", currency="DKK",
        visibility=Visibility.SHARED,
    )  # fmt: skip

    assert shared.name in names_in(
        client.get("/api/organisations", headers=bearer(token_for(charlie)))
    )
    assert shared.name not in names_in(
        client.get("/api/organisations", headers=bearer(token_for(dave)))
    )
    assert shared.name not in names_in(client.get("/api/organisations"))


@pytest.mark.parametrize("persona", ["anonymous", "charlie", "dave"])
def test_it_answers_404_for_an_internal_organisation_outside_ones_reach(
    client, organisations, persona, request
):
    headers = {} if persona == "anonymous" else bearer(token_for(request.getfixturevalue(persona)))
    department = organisations["department"]

    response = client.get(f"/api/organisations/{department.pk}", headers=headers)

    body = assert_problem(response, 404)
    assert body["instance"] == f"/api/organisations/{department.pk}"


def test_it_shows_an_internal_department_to_a_member_of_its_parent(client, alice, organisations):
    department = organisations["department"]

    response = client.get(f"/api/organisations/{department.pk}", headers=bearer(token_for(alice)))

    assert response.status_code == 200
    assert response.json() == {
        "id": department.pk,
        "name": "Arby Socialforvaltning",
        "slug": "arby-social",
        "kind": "department",
        "country": "DK",
        "national_id": "",
        "parent_id": organisations["a"].pk,
        "currency": "DKK",
        "theme_colour": department.theme_colour,
        "website": "",
        "visibility": "internal",
    }


def test_it_shows_an_internal_department_to_a_signed_in_session(client_for, alice, organisations):
    department = organisations["department"]

    response = client_for(alice).get(f"/api/organisations/{department.pk}")

    assert response.status_code == 200


@pytest.mark.parametrize("organisation_id", ["999999", "-1", str(2**70)])
def test_it_answers_404_for_an_unknown_organisation(client, organisations, organisation_id):
    assert_problem(client.get(f"/api/organisations/{organisation_id}"), 404)


@pytest.mark.parametrize("organisation_id", ["abc", "1.5", "1e3"])
def test_it_answers_422_for_an_id_that_is_not_a_number(client, organisations, organisation_id):
    body = assert_problem(client.get(f"/api/organisations/{organisation_id}"), 422)

    assert [error["loc"] for error in body["errors"]] == [["path", "organisation_id"]]


# Pagination ------------------------------------------------------------------------------------


def test_it_pages_one_organisation_at_a_time(client, organisations):
    response = client.get("/api/organisations", {"page_size": 1})

    assert response.status_code == 200
    assert response.json() == {
        "items": [response.json()["items"][0]],
        "count": 3,
        "page": 1,
        "page_size": 1,
        "pages": 3,
    }
    assert names_in(response) == ["Arby Kommune"]


def test_it_walks_through_every_organisation_once_by_name(client, organisations):
    pages = [
        names_in(client.get("/api/organisations", {"page": page, "page_size": 2}))
        for page in (1, 2)
    ]

    assert pages == [["Arby Kommune", "Bergvik kommune"], ["Cobalt Software ApS"]]


@pytest.mark.parametrize("page", [4, 10**30])
def test_it_answers_a_page_beyond_the_last_with_no_items(client, organisations, page):
    response = client.get("/api/organisations", {"page": page, "page_size": 1})

    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 3, "page": page, "page_size": 1, "pages": 3}


def test_it_counts_one_empty_page_when_nothing_matches(client, organisations, settings):
    settings.PAGE_SIZE = 25

    response = client.get("/api/organisations", {"kind": "region"})

    assert response.json() == {"items": [], "count": 0, "page": 1, "page_size": 25, "pages": 1}


@override_settings(PAGE_SIZE=2)
def test_it_uses_the_page_size_setting_when_none_is_asked_for(client, organisations):
    body = client.get("/api/organisations").json()

    assert (body["page_size"], len(body["items"]), body["pages"]) == (2, 2, 2)


def test_it_lists_every_invalid_pagination_parameter(client, organisations):
    response = client.get("/api/organisations", {"page": 0, "page_size": 1000})

    body = assert_problem(response, 422)
    assert sorted((tuple(e["loc"]), e["type"]) for e in body["errors"]) == [
        (("query", "page"), "greater_than_equal"),
        (("query", "page_size"), "less_than_equal"),
    ]
    assert all(e["msg"] for e in body["errors"])


@pytest.mark.parametrize("query", [{"page": "x"}, {"page_size": "many"}, {"page_size": 0}])
def test_it_refuses_other_invalid_pagination_with_422(client, organisations, query):
    assert_problem(client.get("/api/organisations", query), 422)


# Filters ---------------------------------------------------------------------------------------


def test_it_filters_organisations_by_kind(client, organisations):
    names = names_in(client.get("/api/organisations", {"kind": "company"}))

    assert names == ["Cobalt Software ApS"]


def test_it_filters_organisations_by_country_in_either_case(client, organisations):
    assert names_in(client.get("/api/organisations", {"country": "no"})) == ["Bergvik kommune"]
    assert names_in(client.get("/api/organisations", {"country": "NO"})) == ["Bergvik kommune"]


def test_it_combines_the_filters(client, alice, organisations):
    response = client.get(
        "/api/organisations",
        {"kind": "municipality", "country": "DK"},
        headers=bearer(token_for(alice)),
    )

    assert names_in(response) == ["Arby Kommune"]


def test_it_refuses_an_unknown_kind_with_422(client, organisations):
    body = assert_problem(client.get("/api/organisations", {"kind": "castle"}), 422)

    assert [error["loc"] for error in body["errors"]] == [["query", "kind"]]


def test_it_does_not_let_a_filter_reveal_internal_organisations(client, organisations):
    assert names_in(client.get("/api/organisations", {"kind": "department"})) == []


# Problem details -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/me", 401),
        ("/api/organisations/999999", 404),
        ("/api/organisations/abc", 422),
        ("/api/organisations?page=0", 422),
    ],
)
def test_it_reports_every_error_as_problem_details(client, db, path, status):
    body = assert_problem(client.get(path), status)

    assert body["instance"] == path


def _request(path: str = "/api/somewhere?x=1"):
    return RequestFactory().get(path)


def test_it_turns_permission_denied_into_a_403_problem(db):
    response = api.on_exception(_request(), PermissionDenied())

    body = assert_problem(response, 403)
    assert body["title"] == "Forbidden"
    assert body["instance"] == "/api/somewhere?x=1"


def test_it_turns_a_django_validation_error_into_a_422_problem(db):
    error = ValidationError({"name": ["This field is required."]})

    body = assert_problem(api.on_exception(_request(), error), 422)

    assert body["errors"] == {"name": ["This field is required."]}


def test_it_turns_a_django_validation_error_without_fields_into_a_422_problem(db):
    body = assert_problem(api.on_exception(_request(), ValidationError("Too late.")), 422)

    assert body["errors"] == {"": ["Too late."]}


def test_it_keeps_validation_errors_serialisable_whatever_their_context(db):
    error = NinjaValidationError(
        [
            {
                "type": "value_error",
                "loc": ("body", "payload", "budget"),
                "msg": "Value error, too small",
                "ctx": {
                    "error": ValueError("too small"),
                    "limit": Decimal("1.50"),
                    "obj": object(),
                },
            }
        ]
    )

    body = assert_problem(api.on_exception(_request(), error), 422)

    assert body["errors"][0]["loc"] == ["body", "payload", "budget"]
    assert body["errors"][0]["ctx"]["error"] == "too small"
    assert body["errors"][0]["ctx"]["limit"] == "1.50"


@pytest.mark.parametrize(
    ("status", "title"), [(429, "Too Many Requests"), (409, "Conflict"), (499, "Client Error")]
)
def test_it_turns_an_http_error_into_a_problem(db, status, title):
    body = assert_problem(api.on_exception(_request(), HttpError(status, "Slow down.")), status)

    assert (body["title"], body["detail"]) == (title, "Slow down.")


# Query counts ----------------------------------------------------------------------------------


@pytest.fixture
def many_organisations(org_a, org_a_department):
    Organisation.objects.bulk_create(
        Organisation(
            name=f"Kommune {n:02}", slug=f"kommune-{n:02}", kind="municipality", country="SE",
            currency="SEK", parent=org_a if n % 2 else None,
        )
        for n in range(30)
    )  # fmt: skip


def _queries_for(client, path: str, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=headers)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["anonymous", "alice"])
def test_it_lists_organisations_in_queries_that_do_not_grow_with_the_page(
    client, many_organisations, persona, request
):
    headers = {} if persona == "anonymous" else bearer(token_for(request.getfixturevalue(persona)))
    client.get("/api/organisations", headers=headers)  # the token's last use is written once

    small = _queries_for(client, "/api/organisations?page_size=2", **headers)
    large = _queries_for(client, "/api/organisations?page_size=20", **headers)

    assert small == large
    assert large <= 8


def test_it_answers_me_in_queries_that_do_not_grow_with_memberships(
    client, alice, org_b, org_c, django_assert_max_num_queries
):
    secret = token_for(alice)
    client.get("/api/me", headers=bearer(secret))
    add_member(alice, org_b, "admin")
    add_member(alice, org_c)

    with django_assert_max_num_queries(4):
        response = client.get("/api/me", headers=bearer(secret))

    assert len(response.json()["memberships"]) == 3
