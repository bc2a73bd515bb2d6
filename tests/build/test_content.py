"""Request bodies and responses: the media type chosen, its type, and what is left out."""

from __future__ import annotations

from typing import Any

from codegen import ir
from codegen.build import plan_names
from codegen.build.content import body, primary, responses, status_sort_key
from codegen.build.context import Context
from codegen.build.formats import format_table
from codegen.build.operations import RESERVED_LOCALS
from codegen.naming import Namespace
from codegen.problems import Problem, Severity

PTR = "/paths/~1p/post"
OBJ: dict[str, Any] = {"type": "object", "properties": {"id": {"type": "integer"}}}


def context(op: dict[str, Any]) -> Context:
    document: dict[str, Any] = {"openapi": "3.1.0", "paths": {"/p": {"post": op}}}
    formats = format_table(document)
    return Context.of(document, plan_names(document, formats), formats)


def request(content: dict[str, Any], **rest: Any) -> tuple[ir.Body | None, list[Problem]]:
    op = {"requestBody": {"content": content, **rest}, "responses": {}}
    return body(context(op), op["requestBody"], f"{PTR}/requestBody", "PostP", Namespace(RESERVED_LOCALS))


def respond(raw: dict[str, Any]) -> tuple[list[ir.Response], list[Problem]]:
    ctx = context({"responses": raw})
    return responses(ctx, raw, f"{PTR}/responses", "PostP")


def ok(content: dict[str, Any], status: str = "200") -> ir.Response:
    found, problems = respond({status: {"description": "ok", "content": content}})
    assert problems == []
    return found[0]


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


def test_statuses_sort_numerically_ranges_after_their_codes_default_last() -> None:
    assert sorted(["default", "4XX", "404", "200", "201", "2XX", "500"], key=status_sort_key) == [
        "200", "201", "2XX", "404", "4XX", "500", "default",
    ]  # fmt: skip


def test_the_body_is_json_when_the_spec_offers_it() -> None:
    found, problems = request(
        {"text/plain": {"schema": {"type": "string"}}, "application/json": {"schema": OBJ}},
        required=True,
        description="a pet",
    )
    assert found is not None
    assert (found.media.name, found.media.kind, found.media.type) == (
        "application/json",
        "json",
        ir.model("PostPRequest"),
    )
    assert (found.required, found.description, found.unsupported) == (True, "a pet", ("text/plain",))
    assert codes(problems) == ["body.media"]


def test_media_types_of_the_same_kind_and_schema_are_served_alike() -> None:
    found, problems = request({"application/merge-patch+json": {"schema": OBJ}, "application/json": {"schema": OBJ}})
    assert found is not None and problems == []
    assert (found.media.name, found.media.also) == ("application/json", ("application/merge-patch+json",))


def test_a_body_is_optional_unless_required() -> None:
    found, _ = request({"application/json": {"schema": OBJ}})
    assert found is not None and not found.required


def test_a_media_type_without_schema_documents_none() -> None:
    found, problems = request({"application/json": {}})
    assert found is not None and problems == []
    assert (found.media.type, found.media.documented, found.media.doc_type) == (None, ir.NO_SCHEMA, None)
    text = ok({"text/plain": {}}).media
    assert text is not None
    # the implementation still gives a str; the app documents no schema
    assert (text.type, text.documented, text.doc_type) == (ir.builtin("str"), ir.NO_SCHEMA, None)


def test_a_text_response_documents_its_schema_when_it_is_not_a_string() -> None:
    media = ok({"text/plain": {"schema": OBJ}}).media
    assert media is not None
    assert (media.kind, media.type) == ("text", ir.builtin("str"))
    assert media.documented == ir.model("PostPResponse")
    assert media.doc_type == ir.model("PostPResponse")
    plain = ok({"text/plain": {"schema": {"type": "string"}}}).media
    assert plain is not None
    assert (plain.documented, plain.doc_type) == (None, ir.builtin("str"))


def test_binary_bodies_are_bytes() -> None:
    found, _ = request({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}})
    assert found is not None
    assert (found.media.kind, found.media.type, found.media.doc_type) == (
        "binary",
        ir.builtin("bytes"),
        ir.builtin("bytes"),
    )


def test_form_fields() -> None:
    schema = {
        "type": "object",
        "required": ["name", "file"],
        "properties": {
            "name": {"type": "string", "maxLength": 9, "default": "ignored"},
            "file": {"type": "string", "format": "binary"},
            "tags": {"type": "array", "items": {"type": "string"}, "default": ["a"]},
            "body": {"type": "integer"},
        },
    }
    found, problems = request({"multipart/form-data": {"schema": schema}})
    assert found is not None and problems == []
    fields = {f.name: f for f in found.media.fields}
    assert (fields["name"].required, fields["name"].has_default, fields["name"].constraints) == (
        True, False, (("max_length", 9),),
    )  # fmt: skip
    assert (fields["file"].is_file, fields["file"].type) == (True, ir.builtin("bytes"))
    assert (fields["tags"].is_list, fields["tags"].has_default, fields["tags"].default) == (True, True, ["a"])
    assert fields["body"].python_name == "body2"  # not the route's own ``body``
    assert fields["body"].type == ir.builtin("int")  # a form's fields are text, parsed


def test_a_form_without_properties_is_passed_whole() -> None:
    found, problems = request({"application/x-www-form-urlencoded": {"schema": {"type": "object"}}})
    assert found is not None and found.media.fields == ()
    assert codes(problems) == ["body.form"]


def test_response_statuses_and_class_names() -> None:
    found, problems = respond({
        "default": {"description": "error"},
        "4xx": {"description": "client"},
        "201": {"description": "created", "content": {"application/json": {"schema": OBJ}}},
        "x-note": {},
        "2000": {"description": "bad"},
    })  # fmt: skip
    assert [(r.status, r.class_name) for r in found] == [
        ("201", "PostP201"), ("4XX", "PostP4XX"), ("default", "PostPDefault"),
    ]  # fmt: skip
    assert codes(problems) == ["response.status"]
    assert problems[0].severity is Severity.ERROR
    assert problems[0].location.pointer == f"{PTR}/responses/2000"


def test_a_response_that_cannot_have_a_body_loses_its_content() -> None:
    found, problems = respond({"204": {"description": "gone", "content": {"application/json": {"schema": OBJ}}}})
    assert found[0].media is None
    assert codes(problems) == ["response.no-body"]


def test_another_schema_in_xml_is_a_variant_of_its_own() -> None:
    other = {"type": "object", "properties": {"name": {"type": "string"}}}
    found, problems = respond({
        "200": {"description": "ok", "content": {"application/json": {"schema": OBJ}, "application/xml": {"schema": other}}}
    })  # fmt: skip
    assert problems == []
    assert [(r.class_name, r.variant) for r in found] == [("PostP200", False), ("PostP200Xml", True)]
    assert found[1].media is not None and found[1].media.kind == "xml"
    same = ok({"application/json": {"schema": OBJ}, "application/xml": {"schema": OBJ}})
    assert same.media is not None and same.media.also == ("application/xml",)


def test_response_headers() -> None:
    response = {
        "description": "ok",
        "headers": {
            "Content-Type": {"schema": {"type": "string"}},
            "X-Rate-Limit": {"required": True, "schema": {"type": "integer"}},
            "X-Next": {"schema": {"type": "object"}},
        },
    }
    found, _ = respond({"200": response})
    headers = {h.name: h for h in found[0].headers}
    assert set(headers) == {"X-Rate-Limit", "X-Next"}  # OpenAPI: Content-Type is ignored here
    assert (headers["X-Rate-Limit"].python_name, headers["X-Rate-Limit"].required) == ("x_rate_limit", True)
    assert headers["X-Rate-Limit"].type == ir.builtin("int")  # text on the wire
    assert headers["X-Next"].type == ir.builtin("str")  # an object is no header value


def test_the_example_is_the_media_types_or_its_first_named_one() -> None:
    assert ok({"application/json": {"schema": OBJ, "example": {"id": 1}}}).example == {"id": 1}
    named = {"a": {"value": {"id": 2}}, "b": {"value": {"id": 3}}}
    assert ok({"application/json": {"schema": OBJ, "examples": named}}).example == {"id": 2}


def test_the_primary_response_is_the_first_fixed_success() -> None:
    found, _ = respond({"2XX": {"description": ""}, "404": {"description": ""}, "202": {"description": ""}})
    chosen, problems = primary(found, PTR)
    assert chosen is not None and chosen.status == "202" and problems == []
    errors, _ = respond({"404": {"description": ""}, "400": {"description": ""}})
    chosen, _ = primary(errors, PTR)
    assert chosen is not None and chosen.status == "400"
    ranges, _ = respond({"default": {"description": ""}, "2XX": {"description": ""}})
    chosen, problems = primary(ranges, PTR)
    assert chosen is None and codes(problems) == ["response.no-status"]
