"""Bodies and query strings the API refuses before any endpoint sees them, and the 422
messages in the client's language."""

import json
from typing import Annotated, Any, get_args, get_origin

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation
from pydantic import BaseModel, TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from samspil.api.api import api
from samspil.api.messages import translated
from samspil.api.schemas import Id, NotBoolean
from samspil.api.tests.test_api import assert_problem, bearer, token_for
from samspil.needs.models import Endorsement, Need
from samspil.pilots.api import DecisionIn

NEED_BODY = {
    "title": "Fakturaer konteres i hånden",
    "description": "Hver bydel bruger mange timer om ugen på manuel kontering af fakturaer.",
}


def send(client, path: str, body: Any, user=None, method: str = "post", language: str = "en"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    headers = bearer(token_for(user)) if user is not None else {}
    content = body if isinstance(body, str | bytes) else json.dumps(body)
    return getattr(client, method)(path, content, content_type="application/json", headers=headers)


@pytest.fixture
def need(org_a, bob):
    return Need.objects.create(
        owner=org_a, title="Gammel titel", description="Gammel.", submitted_by=bob
    )


# NUL characters --------------------------------------------------------------------------------


def test_it_refuses_a_nul_character_in_a_body_string_in_the_clients_language(client, bob):
    response = send(client, "/api/needs", {**NEED_BODY, "title": "a\u0000b"}, bob, language="da")

    body = assert_problem(response, 422)
    assert body["errors"] == [
        {"type": "null_character", "loc": ["body", "title"], "msg": "Null-tegn er ikke tilladte."}
    ]
    assert not Need.objects.exists()


def test_it_finds_a_nul_character_anywhere_in_the_body(client, bob):
    body = {**NEED_BODY, "themes": ["care", "x\u0000"], "sub": {"ke\u0000y": 1}}

    errors = assert_problem(send(client, "/api/needs", body, bob), 422)["errors"]

    assert [error["loc"] for error in errors] == [
        ["body", "sub", "ke\u0000y"],
        ["body", "themes", 1],
    ]
    assert {error["msg"] for error in errors} == {"Null characters are not allowed."}


def test_it_refuses_a_nul_character_in_a_query_parameter(client, bob):
    response = client.get("/api/needs", {"search": "a\u0000b"}, headers=bearer(token_for(bob)))

    errors = assert_problem(response, 422)["errors"]
    assert [(error["type"], error["loc"]) for error in errors] == [
        ("null_character", ["query", "search"])
    ]


@pytest.mark.parametrize(
    "path", ["/api/ocds/releases/ocds-abc%00def", "/api/ocds/records/ocds-x%00", "/api/needs/1%00"]
)
def test_it_answers_an_address_with_a_nul_character_not_found(client, db, path):
    assert_problem(client.get(path), 404)


def test_it_refuses_a_nul_character_from_an_anonymous_visitor_alike(client, db):
    assert_problem(send(client, "/api/needs", {**NEED_BODY, "title": "a\u0000b"}), 422)


# Bodies that cannot be read --------------------------------------------------------------------


@pytest.mark.parametrize("content", ["{not json", b"\xff\xfe{", "[" * 100_000])
def test_it_answers_a_body_that_is_not_json_with_a_400_problem(client, bob, content):
    body = assert_problem(send(client, "/api/needs", content, bob), 400)

    assert body["detail"] == "The request body is not valid JSON."
    assert not Need.objects.exists()


def test_it_answers_a_body_that_is_not_json_in_the_clients_language(client, bob):
    with translation.override("da"):
        expected = translation.gettext("The request body is not valid JSON.")

    body = assert_problem(send(client, "/api/needs", "{not json", bob, language="da"), 400)

    assert body["detail"] == expected


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
def test_it_answers_a_body_over_the_size_limit_with_a_413_problem(client, bob):
    response = send(client, "/api/needs", {**NEED_BODY, "description": "x" * 200}, bob)

    body = assert_problem(response, 413)
    assert body["detail"] == "The request body is too large."
    assert not Need.objects.exists()


# Unknown fields and booleans for ids -----------------------------------------------------------


def test_it_refuses_an_unknown_field_instead_of_ignoring_it(client, bob, need):
    response = send(client, f"/api/needs/{need.pk}", {"titel": "Ny titel"}, bob, "patch")

    errors = assert_problem(response, 422)["errors"]
    assert [(error["type"], error["loc"]) for error in errors] == [
        ("extra_forbidden", ["body", "payload", "titel"])
    ]
    assert errors[0]["msg"] == "Unknown field: leave it out or check its name."
    need.refresh_from_db()
    assert need.title == "Gammel titel"


def test_it_refuses_true_as_an_id(client, charlie, org_a, org_b):
    need = Need.objects.create(owner=org_a, title="Delt", description="Delt.", visibility="shared")
    path = f"/api/needs/{need.pk}/endorsements"

    errors = assert_problem(send(client, path, {"organisation_id": True}, charlie), 422)["errors"]

    assert [(error["type"], error["loc"]) for error in errors] == [
        ("int_type", ["body", "payload", "organisation_id"])
    ]
    assert not Endorsement.objects.exists()
    assert send(client, path, {"organisation_id": str(org_b.pk)}, charlie).status_code == 201


def test_it_takes_a_number_or_a_numeric_string_as_an_id_but_no_boolean():
    adapter = TypeAdapter(Id)

    assert (adapter.validate_python(12), adapter.validate_python("12")) == (12, 12)
    for boolean in (True, False):
        with pytest.raises(PydanticValidationError, match="int_type"):
            adapter.validate_python(boolean)


@pytest.mark.parametrize(("point", "refused"), [("BP2", False), (12, False), (True, True)])
def test_it_takes_a_decision_point_by_code_or_id_but_not_as_a_boolean(point, refused):
    body = {
        "decision_point": point,
        "outcome": "go",
        "decided_by": "Rådet",
        "decided_on": "2025-01-01",
    }

    if refused:
        with pytest.raises(PydanticValidationError, match="int_type"):
            DecisionIn.model_validate(body)
    else:
        assert DecisionIn.model_validate(body).decision_point == point


def _body_schemas() -> dict[str, type[BaseModel]]:
    """Every schema a request body of the API is read with, nested ones included."""
    found: dict[str, type[BaseModel]] = {}

    def walk(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation.__qualname__ in found:
                return
            found[annotation.__qualname__] = annotation
            for field in annotation.model_fields.values():
                walk(field.annotation)
        for argument in get_args(annotation):
            walk(argument)

    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    if model.__ninja_param_source__ == "body":
                        for field in model.model_fields.values():
                            walk(field.annotation)
    return found


def _has_plain_int(annotation: Any) -> bool:
    if annotation is int:
        return True
    if get_origin(annotation) is Annotated:
        inner, *extras = get_args(annotation)
        return NotBoolean not in extras and _has_plain_int(inner)
    return any(_has_plain_int(argument) for argument in get_args(annotation))


def test_every_request_body_schema_refuses_unknown_fields():
    schemas = _body_schemas()

    assert len(schemas) > 50
    assert [
        name for name, schema in schemas.items() if schema.model_config.get("extra") != "forbid"
    ] == []


def test_every_id_in_a_request_body_refuses_booleans():
    plain = [
        f"{name}.{field_name}"
        for name, schema in _body_schemas().items()
        for field_name, field in schema.model_fields.items()
        if (field_name == "id" or field_name.endswith(("_id", "_ids")))
        and NotBoolean not in field.metadata
        and _has_plain_int(field.annotation)
    ]

    assert plain == []


# Validation messages ---------------------------------------------------------------------------


def test_it_answers_validation_errors_in_the_clients_language(client, bob):
    body = {"description": "Ingen titel.", "affected_count": "mange", "hours_per_week": "x"}

    with translation.override("da"):
        whole, number = (
            translation.gettext("Enter a whole number."),
            translation.gettext("Enter a number."),
        )

    errors = assert_problem(send(client, "/api/needs", body, bob, language="da"), 422)["errors"]

    assert {tuple(error["loc"]): (error["type"], error["msg"]) for error in errors} == {
        ("body", "payload", "title"): ("missing", "Dette felt er påkrævet."),
        ("body", "payload", "affected_count"): ("int_parsing", whole),
        ("body", "payload", "hours_per_week"): ("decimal_parsing", number),
    }
    assert "Enter" not in whole + number


def test_it_keeps_the_type_location_and_context_of_a_translated_error(client, bob):
    response = send(client, "/api/needs", {**NEED_BODY, "title": "x" * 201}, bob)

    assert assert_problem(response, 422)["errors"] == [
        {
            "type": "string_too_long",
            "loc": ["body", "payload", "title"],
            "msg": "Enter at most 200 characters.",
            "ctx": {"max_length": 200},
        }
    ]


@pytest.mark.parametrize(
    ("kind", "ctx", "message"),
    [
        ("string_too_short", {"min_length": 1}, "Enter at least 1 character."),
        ("too_long", {"max_length": 100}, "Give at most 100 items."),
        ("decimal_max_digits", {"max_digits": 5}, "Enter at most 5 digits in total."),
        ("greater_than_equal", {"ge": 0}, "Enter a value greater than or equal to 0."),
        ("less_than", {"lt": "1.5"}, "Enter a value less than 1.5."),
        ("finite_number", None, "Enter a finite number."),
        ("bool_parsing", None, "Enter true or false."),
        ("date_from_datetime_parsing", {"error": "too short"}, "Enter a valid date."),
        ("literal_error", {"expected": "'gain' or 'sandbox'"}, "Choose one of: 'gain', 'sandbox'."),
        ("enum", {"expected": "'a', 'b' or 'c'"}, "Choose one of: 'a', 'b', 'c'."),
        ("enum", {"expected": "'a'"}, "Choose one of: 'a'."),
        ("value_error", {"error": "Too late."}, "Too late."),
        ("something_new", {"x": 1}, "Pydantic's own text"),
    ],
)
def test_it_words_each_kind_of_validation_error(kind, ctx, message):
    error = {"type": kind, "msg": "Pydantic's own text", "ctx": ctx}

    with translation.override("en"):
        assert translated(error) == message


def test_it_words_a_validation_error_with_djangos_translation_where_one_exists():
    with translation.override("sv"):
        assert (
            translated({"type": "missing", "msg": "Field required"}) == "Detta fält måste fyllas i."
        )
