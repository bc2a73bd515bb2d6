"""Parameters: merged from the path item and the operation, typed, styled, defaulted."""

from __future__ import annotations

from typing import Any

from codegen import ir
from codegen.build import plan_names
from codegen.build.context import Context
from codegen.build.formats import format_table
from codegen.build.operations import RESERVED_LOCALS
from codegen.build.parameters import parameters
from codegen.naming import Namespace
from codegen.problems import Problem, Severity

PTR = "/paths/~1p/get"


def build(
    *params: dict[str, Any], shared: list[dict[str, Any]] | None = None, components: dict[str, Any] | None = None
) -> tuple[list[ir.Parameter], list[Problem]]:
    """The parameters of ``GET /p`` (``shared``: its path item's) in a document of their own."""
    op: dict[str, Any] = {"parameters": list(params), "responses": {}}
    item: dict[str, Any] = {"get": op, **({"parameters": shared} if shared else {})}
    document: dict[str, Any] = {"openapi": "3.1.0", "paths": {"/p": item}, "components": components or {}}
    formats = format_table(document)
    ctx = Context.of(document, plan_names(document, formats), formats)
    return parameters(ctx, op, item, "/p", PTR, "GetP", Namespace(RESERVED_LOCALS))


def one(param: dict[str, Any], **kwargs: Any) -> tuple[ir.Parameter, list[Problem]]:
    found, problems = build(param, **kwargs)
    assert len(found) == 1
    return found[0], problems


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


def q(name: str, **rest: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": {"type": "string"}, **rest}


def test_the_operation_overrides_its_path_item_and_order_is_by_location_then_name() -> None:
    shared = [q("limit", description="shared"), {"name": "id", "in": "path", "schema": {"type": "string"}}]
    found, problems = build(
        {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
        {"name": "session", "in": "cookie", "schema": {"type": "string"}},
        q("limit", description="own"),
        q("after"),
        shared=shared,
    )
    assert problems == []
    assert [(p.location, p.name) for p in found] == [
        ("path", "id"), ("query", "after"), ("query", "limit"), ("header", "X-Trace"), ("cookie", "session"),
    ]  # fmt: skip
    assert next(p for p in found if p.name == "limit").description == "own"


def test_a_path_parameter_is_always_required() -> None:
    param, _ = one({"name": "id", "in": "path", "schema": {"type": "string"}})
    assert param.required
    optional, _ = one(q("limit"))
    assert not optional.required


def test_a_default_applies_only_to_an_optional_parameter() -> None:
    optional, _ = one({"name": "limit", "in": "query", "schema": {"type": "integer", "default": 10}})
    assert (optional.has_default, optional.default, optional.required_default) == (True, 10, ())
    # the server never applies a required parameter's default: it is only documented
    required, _ = one({"name": "limit", "in": "query", "required": True, "schema": {"type": "integer", "default": 10}})
    assert (required.has_default, required.default, required.required_default) == (False, None, (10,))


def test_a_default_json_cannot_hold_is_dropped_with_a_warning() -> None:
    param, problems = one({"name": "ratio", "in": "query", "schema": {"type": "number", "default": float("nan")}})
    assert not param.has_default
    assert codes(problems) == ["param.default"]


def test_the_default_styles_are_native() -> None:
    found, problems = build(
        q("tags", style="form", explode=True),
        {"name": "id", "in": "path", "schema": {"type": "array", "items": {"type": "integer"}}},
        {"name": "X-Ids", "in": "header", "style": "simple", "schema": {"type": "array", "items": {"type": "string"}}},
    )
    assert problems == []
    assert all(p.native for p in found)
    assert {p.name: (p.style, p.explode) for p in found} == {
        "id": ("simple", False),
        "tags": ("form", True),
        "X-Ids": ("simple", False),
    }


def test_another_style_is_parsed_by_the_app_with_a_warning() -> None:
    param, problems = one(q("tags", style="form", explode=False, schema={"type": "array", "items": {"type": "string"}}))
    assert (param.style, param.explode, param.native) == ("form", False, False)
    assert codes(problems) == ["param.style"]
    assert problems[0].severity is Severity.WARNING
    assert problems[0].location.pointer == f"{PTR}/parameters/0"
    piped, problems = one(q("ids", style="pipeDelimited", schema={"type": "array", "items": {"type": "string"}}))
    # explode defaults to true only for form
    assert (piped.explode, piped.native, codes(problems)) == (False, False, ["param.style"])


def test_an_object_parameter_is_spread_by_its_properties() -> None:
    components = {
        "schemas": {
            "Base": {"type": "object", "properties": {"a": {"type": "string"}}},
            "Filter": {
                "allOf": [{"$ref": "#/components/schemas/Base"}],
                "type": "object",
                "properties": {"b": {"type": "integer"}},
            },
        }
    }
    param, problems = one(q("filter", schema={"$ref": "#/components/schemas/Filter"}), components=components)
    assert param.type == ir.Generic(ir.Named("rt", "ObjectParam"), (ir.model("Filter"),))
    assert param.properties == ("b", "a")
    assert not param.native  # a style parser, not FastAPI, reads it
    assert problems == []  # form, exploded: the default style
    scalar, _ = one(q("name"))
    assert scalar.properties is None


def test_objects_where_they_cannot_go_are_passed_as_strings() -> None:
    obj = {"type": "object", "properties": {"a": {"type": "string"}}}
    cookie, problems = one({"name": "prefs", "in": "cookie", "schema": obj})
    assert (cookie.type, codes(problems)) == (ir.builtin("str"), ["param.type"])
    header, problems = one({"name": "X-Filter", "in": "header", "schema": {"type": "array", "items": obj}})
    assert (header.type, codes(problems)) == (ir.builtin("str"), ["param.type"])
    # in a query an array of objects is kept, each item as JSON text
    query, problems = one(q("filters", schema={"type": "array", "items": obj}))
    assert codes(problems) == ["param.objects"]
    assert isinstance(query.type, ir.Generic) and query.type.origin == ir.builtin("list")


def test_content_parameters_are_strings() -> None:
    param, problems = one({"name": "where", "in": "query", "content": {"application/json": {"schema": {}}}})
    assert param.type == ir.builtin("str")
    assert codes(problems) == ["param.content"]


def test_headers_openapi_ignores_are_left_out() -> None:
    found, problems = build(*({"name": n, "in": "header", "schema": {"type": "string"}} for n in
                              ("Accept", "content-type", "Authorization", "X-Kept")))  # fmt: skip
    assert [p.name for p in found] == ["X-Kept"]
    assert problems == []


def test_an_unknown_location_is_an_error() -> None:
    found, problems = build({"name": "x", "in": "body", "schema": {"type": "string"}})
    assert found == []
    assert codes(problems) == ["param.in"]
    assert problems[0].severity is Severity.ERROR


def test_python_names_are_unique_and_avoid_the_route_locals() -> None:
    found, _ = build(q("body"), q("class"), q("X-Request-Id"), {"name": "x_request_id", "in": "header"})
    assert {p.name: p.python_name for p in found} == {
        "body": "body2",  # the route's own ``body`` argument
        "class": "class_",
        "X-Request-Id": "x_request_id",
        "x_request_id": "x_request_id2",
    }


def test_a_referenced_parameter_is_located_where_it_is_defined() -> None:
    components = {"parameters": {"Style": q("tags", style="spaceDelimited")}}
    param, problems = one({"$ref": "#/components/parameters/Style"}, components=components)
    assert param.name == "tags"
    assert [p.location.pointer for p in problems] == ["/components/parameters/Style"]
