"""build_api: the whole build stage, document in, IR (and problems) out."""

from __future__ import annotations

from typing import Any

import pytest

from codegen.build import build_api
from codegen.problems import ProblemsError, Severity

OBJ: dict[str, Any] = {"type": "object", "properties": {"id": {"type": "integer", "format": "int64"}}}


def document(**rest: Any) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Pets", "version": "1.2", "summary": "", "description": "All pets", "contact": "nobody"},
        "servers": [{"url": "https://pets.example"}, "not a server"],
        "tags": [{"name": "pets"}],
        "components": {
            "schemas": {"pet-type": {"type": "object", "properties": {"owner": OBJ}}},
            "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
        },
        "paths": {
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "tags": ["pets"],
                    "security": [{"key": []}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": OBJ}}}},
                }
            }
        },
        **rest,
    }


def test_the_api_describes_the_document() -> None:
    result = build_api(document(), package="pets", spec_name="pets.yaml")
    api = result.api
    assert (api.package, api.spec_name, api.openapi_version) == ("pets", "pets.yaml", "3.1.0")
    assert (api.title, api.version, api.summary, api.description) == ("Pets", "1.2", None, "All pets")
    assert api.contact is None  # not an object
    assert api.servers == ({"url": "https://pets.example"},)
    assert [op.python_name for op in api.operations] == ["list_pets"]
    assert [s.name for s in api.security_schemes] == ["key"]
    assert api.class_names == {"pet-type": "PetType"}
    assert result.problems == []
    assert result.formats.type_for("integer", "int64") is not None


def test_the_model_document_holds_every_class_and_where_it_came_from() -> None:
    api = build_api(document(), package="pets", spec_name="pets.yaml").api
    schemas = api.models["components"]["schemas"]
    assert {"PetType", "PetTypeOwner", "ListPetsResponse"} <= set(schemas)
    assert api.origins["PetType"] == "/components/schemas/pet-type"
    assert api.origins["PetTypeOwner"] == "/components/schemas/pet-type/properties/owner"
    assert api.models["paths"] == {}  # the engine only makes models


def test_errors_stop_the_build_warnings_do_not() -> None:
    bad = document()
    bad["paths"]["/pets"]["get"]["security"] = [{"nope": []}]
    with pytest.raises(ProblemsError) as caught:
        build_api(bad, package="pets", spec_name="pets.yaml")
    assert [p.code for p in caught.value.errors] == ["security.unknown"]
    styled = document()
    styled["paths"]["/pets"]["get"]["parameters"] = [
        {"name": "ids", "in": "query", "style": "pipeDelimited", "schema": {"type": "array"}}
    ]
    result = build_api(styled, package="pets", spec_name="pets.yaml")
    assert [(p.code, p.severity) for p in result.problems] == [("param.style", Severity.WARNING)]


def test_the_same_document_in_any_order_builds_the_same_api() -> None:
    def reordered(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: reordered(value[k]) for k in reversed(list(value))}
        return [reordered(v) for v in value] if isinstance(value, list) else value

    first = build_api(document(), package="pets", spec_name="pets.yaml").api
    again = build_api(document(), package="pets", spec_name="pets.yaml").api
    second = build_api(reordered(document()), package="pets", spec_name="pets.yaml").api
    assert first == again
    assert (first.groups, first.security_schemes, first.class_names) == (
        second.groups, second.security_schemes, second.class_names,
    )  # fmt: skip
    assert first.origins == second.origins
