"""A server error is answered with the translated 500 page, without details of the error."""

from unittest import mock

import pytest
from django.test import Client


@pytest.mark.parametrize(("language", "heading"), [("en", "Something went wrong"), ("nb", "Noe")])
def test_it_shows_the_translated_500_page_on_a_server_error(db, language, heading):
    client = Client(raise_request_exception=False)
    client.cookies["samspil_language"] = language
    with mock.patch("samspil.core.views.render", side_effect=RuntimeError("secret detail")):
        response = client.get("/")
    assert response.status_code == 500
    body = response.content.decode()
    assert f'lang="{language}"' in body
    assert heading in body
    assert "secret detail" not in body
