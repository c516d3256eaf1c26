"""The OpenAPI document is compared with the committed snapshot ``src/samspil/api/openapi.json``.

A change to the API shows up as a diff of that file in review. After a deliberate change:

    UPDATE_SNAPSHOTS=1 .venv/bin/pytest src/samspil/api/tests/test_openapi_snapshot.py
"""

import difflib
import json
import os
from pathlib import Path

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation

from samspil.api.api import api

SNAPSHOT = Path(__file__).resolve().parent.parent / "openapi.json"


def render(schema: dict) -> str:
    """Sorted keys and a fixed indent, so that the file only changes when the API does."""
    return json.dumps(schema, cls=DjangoJSONEncoder, indent=2, sort_keys=True) + "\n"


def current_document() -> str:
    with translation.override("en"):
        return render(api.get_openapi_schema())


def test_it_matches_the_committed_openapi_document():
    current = current_document()
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(current, encoding="utf-8")
    committed = SNAPSHOT.read_text(encoding="utf-8") if SNAPSHOT.exists() else ""

    diff = "".join(
        difflib.unified_diff(
            committed.splitlines(keepends=True),
            current.splitlines(keepends=True),
            "openapi.json (committed)",
            "openapi.json (generated)",
        )
    )
    assert not diff, (
        "The API changed. If that was meant, rerun with UPDATE_SNAPSHOTS=1 and commit "
        f"src/samspil/api/openapi.json.\n{diff}"
    )


def test_it_serves_the_same_document_at_openapi_json(client):
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    assert render(response.json()) == current_document()


def test_it_names_no_server_so_the_document_does_not_depend_on_the_host():
    schema = api.get_openapi_schema()

    assert schema.get("servers", []) == []
    assert "localhost" not in current_document()
    assert "127.0.0.1" not in current_document()


def test_it_serves_the_interactive_documentation(client):
    assert client.get("/api/docs").status_code == 200


def test_every_reference_resolves_and_every_body_may_be_refused_as_unreadable():
    schema = api.get_openapi_schema()
    document = current_document()
    components = schema["components"]["schemas"]
    for name in {ref.rsplit("/", 1)[1] for ref in _refs(json.loads(document))}:
        assert name in components, name
    for operations in schema["paths"].values():
        for operation in operations.values():
            if "requestBody" in operation:
                assert {400, 413} <= {int(status) for status in operation["responses"]}


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)
