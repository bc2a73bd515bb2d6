"""Typing the schemas around the models: parameters, bodies, responses, headers."""

from __future__ import annotations

from typing import Any

import pytest

from codegen import ir
from codegen.build.formats import format_table
from codegen.build.models import ModelView
from codegen.build.names import Recorder
from codegen.build.types import Typer, UnsupportedSchema

STR, INT = ir.builtin("str"), ir.builtin("int")
FIELD = ir.Named("pydantic", "Field")

COMPONENTS: dict[str, Any] = {
    "Pet": {"type": "object", "properties": {"id": {"type": "integer"}}},
    "Code": {"type": "string", "maxLength": 4},
    "Animal": {"type": "object", "properties": {"kind": {"type": "string"}}, "discriminator": {"propertyName": "kind"}},
    "Cat": {"allOf": [{"$ref": "#/components/schemas/Animal"}, {"properties": {"claws": {"type": "boolean"}}}]},
    "Dog": {"allOf": [{"$ref": "#/components/schemas/Animal"}]},
    "Stamp": {"type": "integer", "format": "int32"},
}


def typer(extra: dict[str, Any] | None = None) -> tuple[Typer, Recorder]:
    """A typer whose namer records: inline objects are named as they are met."""
    document: dict[str, Any] = {"components": {"schemas": {**COMPONENTS, **(extra or {})}}}
    recorder = Recorder.start(document, sorted(document["components"]["schemas"]))
    formats = format_table(document)
    return Typer(ModelView(document, recorder, formats), formats), recorder


def type_of(schema: Any, *, scalar: bool = False) -> ir.Type:
    return typer()[0].type_of(schema, pointer="/x", scalar=scalar, hint="Thing").full


@pytest.mark.parametrize(
    ("kind", "body", "param"),
    [
        ("string", STR, STR),
        ("integer", ir.Named("pydantic", "StrictInt"), INT),
        ("number", ir.Named("pydantic", "StrictFloat"), ir.builtin("float")),
        ("boolean", ir.Named("pydantic", "StrictBool"), ir.builtin("bool")),
    ],
)
def test_bodies_are_strict_json_and_parameters_parse_text(kind: str, body: ir.Type, param: ir.Type) -> None:
    assert type_of({"type": kind}) == body
    assert type_of({"type": kind}, scalar=True) == param


def test_no_schema_is_any() -> None:
    assert type_of({}) == ir.ANY
    assert type_of(None) == ir.ANY


def test_none_only_when_the_spec_says_nullable() -> None:
    assert type_of({"type": "string", "nullable": True}) == ir.UnionOf((STR, ir.NONE))
    assert type_of({"type": ["string", "null"]}) == ir.UnionOf((STR, ir.NONE))
    assert type_of({"type": "null"}) == ir.NONE
    assert type_of({"oneOf": [{"type": "string"}, {"type": "null"}]}) == ir.UnionOf((STR, ir.NONE))


def test_inline_enums_and_consts_are_literals() -> None:
    assert type_of({"type": "string", "enum": ["a", "b"]}) == ir.LiteralOf(("a", "b"))
    assert type_of({"enum": ["a", None]}) == ir.UnionOf((ir.LiteralOf(("a",)), ir.NONE))
    assert type_of({"const": 3}) == ir.LiteralOf((3,))


def test_constraints_in_both_spellings_of_exclusive_bounds() -> None:
    t, _ = typer()
    v30 = t.type_of({"type": "integer", "minimum": 1, "exclusiveMinimum": True, "maximum": 9}, pointer="/x")
    assert v30.constraints == (("gt", 1), ("le", 9))
    v31 = t.type_of({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1, "multipleOf": 0.5}, pointer="/x")
    assert v31.constraints == (("gt", 0), ("lt", 1), ("multiple_of", 0.5))
    text = t.type_of({"type": "string", "minLength": 2, "maxLength": 5, "pattern": "^[a-z]+$"}, pointer="/x")
    assert text.constraints == (("min_length", 2), ("max_length", 5), ("pattern", "^[a-z]+$"))
    array = t.type_of({"type": "array", "items": {"type": "string"}, "minItems": 1}, pointer="/x")
    assert array.constraints == (("min_length", 1),)


def test_a_pattern_only_python_runs_gets_the_python_pattern_marker() -> None:
    found = type_of({"type": "string", "maxLength": 5, "pattern": "^(?!x)"}, scalar=True)
    # the length applies to the string inside the marker
    assert found == ir.AnnotatedOf(
        STR, (ir.Call(FIELD, (), (("max_length", 5),)), ir.Call(ir.Named("rt", "PythonPattern"), ("^(?!x)",)))
    )


def test_item_constraints_stay_on_the_items() -> None:
    found = type_of({"type": "array", "items": {"type": "string", "maxLength": 3}})
    item = ir.AnnotatedOf(STR, (ir.Call(FIELD, (), (("max_length", 3),)),))
    assert found == ir.Generic(ir.builtin("list"), (item,))


def test_formats_use_the_alias_of_their_flavour() -> None:
    assert type_of({"$ref": "#/components/schemas/Stamp"}, scalar=True) == ir.Named("formats", "Int32Text")
    t, _ = typer()
    assert t.type_of({"type": "integer", "format": "int32"}, pointer="/x").type == ir.Named("formats", "Int32")
    assert t.type_of({"type": "string", "format": "uuid"}, pointer="/x").type == ir.Named("uuid", "UUID")


def test_references_name_classes_except_in_simple_values() -> None:
    assert type_of({"$ref": "#/components/schemas/Pet"}) == ir.model("Pet")
    # a parameter takes a referenced primitive inline, with its constraints
    t, _ = typer()
    code = t.type_of({"$ref": "#/components/schemas/Code"}, pointer="/x", scalar=True)
    assert (code.type, code.constraints) == (STR, (("max_length", 4),))
    with pytest.raises(UnsupportedSchema):
        t.type_of({"$ref": "#/components/schemas/Pet"}, pointer="/x", scalar=True)
    with pytest.raises(UnsupportedSchema):
        t.type_of({"$ref": "#/components/schemas/Missing"}, pointer="/x")


def test_a_discriminated_base_stands_for_its_subtypes() -> None:
    found = type_of({"$ref": "#/components/schemas/Animal"})
    union = ir.UnionOf((ir.model("Cat"), ir.model("Dog")))
    assert found == ir.AnnotatedOf(union, (ir.pydantic_field(discriminator="kind"),))


def test_inline_objects_are_hoisted_by_their_pointer() -> None:
    t, recorder = typer()
    found = t.type_of({"type": "object", "properties": {"a": {}}}, pointer="/x", hint="Thing")
    assert found.type == ir.model("Thing")
    assert recorder.classes["/x"] == "Thing"


def test_maps_and_free_form_objects_are_dicts() -> None:
    assert type_of({"type": "object", "additionalProperties": {"type": "string"}}) == ir.Generic(
        ir.builtin("dict"), (STR, STR)
    )
    assert type_of({"type": "object"}) == ir.Generic(ir.builtin("dict"), (STR, ir.ANY))


def test_what_a_simple_value_cannot_be() -> None:
    t, _ = typer()
    with pytest.raises(UnsupportedSchema):
        t.type_of({"type": "object"}, pointer="/x", scalar=True)
    with pytest.raises(UnsupportedSchema):
        t.type_of({"type": ["string", "integer"]}, pointer="/x")


def test_parameter_shapes() -> None:
    t, _ = typer()
    obj, shape = t.parameter_type({"$ref": "#/components/schemas/Pet"}, hint="p", pointer="/x")
    assert (obj.type, shape) == (ir.Generic(ir.Named("rt", "ObjectParam"), (ir.model("Pet"),)), "object")
    many, shape = t.parameter_type(
        {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}, hint="p", pointer="/x"
    )
    json_item = ir.Generic(ir.Named("rt", "JsonParam"), (ir.model("Pet"),))
    assert (many.type, shape) == (ir.Generic(ir.builtin("list"), (json_item,)), "objects")
    ids, shape = t.parameter_type({"type": "array", "items": {"type": "integer"}}, hint="p", pointer="/x")
    assert (ids.type, shape) == (ir.Generic(ir.builtin("list"), (INT,)), "scalar")
