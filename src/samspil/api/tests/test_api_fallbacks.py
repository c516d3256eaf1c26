"""Answers outside the endpoints are problem details too: wrong method, unknown path, bugs."""

from unittest import mock

import pytest


def assert_problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == status


@pytest.mark.django_db
def test_it_answers_a_wrong_method_with_a_problem_and_the_allowed_methods(client):
    response = client.post("/api/me")
    assert_problem(response, 405)
    assert response["Allow"] == "GET"


@pytest.mark.django_db
def test_it_answers_an_unknown_api_path_with_a_problem(client):
    assert_problem(client.get("/api/no-such-thing"), 404)
    assert_problem(client.get("/api/organisations/1/nothing"), 404)


@pytest.mark.django_db
def test_it_answers_a_bug_with_a_500_problem_and_logs_it(client, caplog):
    with mock.patch(
        "samspil.core.permissions.organisations_visible_to", side_effect=RuntimeError("boom")
    ):
        response = client.get("/api/organisations")
    assert_problem(response, 500)
    assert "boom" not in response.content.decode()
    assert "API error on /api/organisations" in caplog.text
