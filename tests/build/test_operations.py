"""Operations from their path items, and the groups (one per tag) they form."""

from __future__ import annotations

from typing import Any

from codegen import ir
from codegen.build import plan_names
from codegen.build.context import Context
from codegen.build.formats import format_table
from codegen.build.names import raw_operations
from codegen.build.operations import build_operations, groups
from codegen.build.security import build_schemes
from codegen.problems import Problem


def build(document: dict[str, Any]) -> tuple[list[ir.Operation], list[Problem]]:
    formats = format_table(document)
    plan = plan_names(document, formats)
    schemes, _ = build_schemes(document)
    return build_operations(Context.of(document, plan, formats), dict(plan.operations), schemes)


def op(**rest: Any) -> dict[str, Any]:
    return {"responses": {"200": {"description": "ok"}}, **rest}


def test_operations_come_in_path_then_method_order_whatever_the_spec_order() -> None:
    document: dict[str, Any] = {
        "paths": {
            "/b": {"post": op(), "get": op()},
            "/a": {"$ref": "#/components/pathItems/A"},
        },
        "components": {"pathItems": {"A": {"delete": op(), "put": op()}}},
    }
    found = [(method, path, ptr) for _, _, method, path, ptr in raw_operations(document)]
    assert found == [
        ("put", "/a", "/paths/~1a/put"),
        ("delete", "/a", "/paths/~1a/delete"),
        ("get", "/b", "/paths/~1b/get"),
        ("post", "/b", "/paths/~1b/post"),
    ]


def test_an_operation_carries_what_the_spec_says_of_it() -> None:
    document = {
        "paths": {
            "/pets/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "get": op(
                    operationId="getPet",
                    summary="Get a pet",
                    description="",
                    tags=["pets", 3, "extra"],
                    deprecated=True,
                ),
            }
        }
    }
    (found,), problems = build(document)
    assert problems == []
    assert (found.method, found.path, found.pointer) == ("get", "/pets/{id}", "/paths/~1pets~1{id}/get")
    assert (found.operation_id, found.python_name, found.class_prefix) == ("getPet", "get_pet", "GetPet")
    assert (found.summary, found.description) == ("Get a pet", None)
    assert found.tags == ("pets", "extra")
    assert found.deprecated
    assert [p.name for p in found.parameters] == ["id"]  # from the path item
    assert found.primary is not None and found.primary.class_name == "GetPet200"
    assert (found.body, found.security, found.optional_security) == (None, None, False)


def test_security_and_problems_of_every_part_are_collected() -> None:
    document = {
        "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}},
        "security": [{"key": []}],
        "paths": {
            "/a": {
                "get": op(
                    security=[{"key": []}, {}, {"nope": []}],
                    parameters=[{"name": "ids", "in": "query", "style": "spaceDelimited", "schema": {"type": "array"}}],
                    responses={"default": {"description": ""}},
                )
            },
            "/b": {"get": op()},
        },
    }
    (first, second), problems = build(document)
    assert first.security_schemes == ("key",)
    assert first.optional_security
    assert second.security is not None and second.security[0].names == ("key",)  # the document's
    assert sorted(p.code for p in problems) == ["param.style", "response.no-status", "security.unknown"]


def test_groups_by_first_tag_untagged_last() -> None:
    document: dict[str, Any] = {
        "tags": [{"name": "Pets", "description": "All the pets"}],
        "paths": {
            "/a": {"get": op(tags=["pets"])},
            "/b": {"get": op(tags=["Pets", "pets"])},
            "/c": {"get": op()},
            "/d": {"get": op(tags=["Pets"])},
        },
    }
    operations, _ = build(document)
    found = groups(document, operations)
    assert [(g.tag, g.module, g.interface, g.description) for g in found] == [
        ("Pets", "pets", "PetsApi", "All the pets"),
        # one module name for both tags: told apart
        ("pets", "pets2", "PetsApi2", None),
        (None, "default", "DefaultApi", None),
    ]
    assert [o.path for o in found[0].operations] == ["/b", "/d"]
