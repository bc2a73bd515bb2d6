"""The model view: the document the model engine receives, with every class named."""

from __future__ import annotations

from typing import Any

from codegen.build import plan_names
from codegen.build.formats import format_table
from codegen.build.models import ModelView
from codegen.problems import Problem, Severity

REF = "#/components/schemas/"


def view(schemas: dict[str, Any], **rest: Any) -> tuple[dict[str, Any], dict[str, str], list[Problem]]:
    """(engine components, type overrides, problems) of a document with these component schemas."""
    document: dict[str, Any] = {"openapi": "3.1.0", "paths": {}, "components": {"schemas": schemas}, **rest}
    formats = format_table(document)
    plan = plan_names(document, formats)
    variants = sorted({v.name: v for v in plan.variants.values()}.values(), key=lambda v: v.name)
    return ModelView(document, plan, formats).build(dict(plan.classes), dict(plan.schemas), variants)


def test_references_name_classes_and_inline_objects_are_hoisted() -> None:
    found, _, problems = view({
        "pet-owner": {"type": "object", "properties": {"name": {"type": "string"}}},
        "Pet": {
            "type": "object",
            "x-internal": True,
            "properties": {
                "owner": {"$ref": f"{REF}pet-owner"},
                "toy": {"type": "object", "properties": {"kind": {"type": "string"}}},
            },
        },
    })  # fmt: skip
    assert problems == []
    assert sorted(found) == ["Pet", "PetOwner", "PetToy"]
    pet = found["Pet"]
    assert pet["properties"]["owner"] == {"$ref": f"{REF}PetOwner"}
    assert pet["properties"]["toy"] == {"$ref": f"{REF}PetToy"}
    assert "x-internal" not in pet  # the spec's extensions mean nothing to the engine
    assert found["PetToy"]["properties"] == {"kind": {"type": "string"}}


def test_a_required_key_no_property_declares_becomes_a_field() -> None:
    found, _, _ = view({
        "Free": {"type": "object", "required": ["id", "extra"], "properties": {"id": {"type": "integer"}}},
        "Typed": {"type": "object", "required": ["count"], "additionalProperties": {"type": "integer"}},
        "Closed": {"type": "object", "required": ["x"], "additionalProperties": False},
    })  # fmt: skip
    # any value, where additionalProperties says nothing
    assert found["Free"]["properties"]["extra"] == {}
    assert found["Free"]["required"] == ["extra", "id"]
    # the schema additionalProperties gives, where it gives one
    assert found["Typed"]["properties"] == {"count": {"type": "integer"}}
    assert found["Typed"]["required"] == ["count"]
    # no such key can be there: nothing to declare
    assert "properties" not in found["Closed"]


def test_a_key_required_beside_an_allof_part_that_defines_it_keeps_that_definition() -> None:
    found, _, _ = view({
        "Base": {"type": "object", "properties": {"name": {"type": "string"}}},
        "Named": {"allOf": [{"$ref": f"{REF}Base"}], "required": ["name"]},
    })  # fmt: skip
    named = found["Named"]
    # Base's definition, not the free-form field of an undeclared key
    assert named["properties"] == {"name": {"type": "string"}}
    assert named["required"] == ["name"]


def test_a_nullable_component_is_nullable_where_it_is_used() -> None:
    found, _, _ = view({
        "Maybe": {"type": ["object", "null"], "properties": {"a": {"type": "string"}}},
        "Holder": {
            "type": "object",
            "properties": {"m": {"$ref": f"{REF}Maybe"}},
            "allOf": [{"$ref": f"{REF}Maybe"}],
        },
    })  # fmt: skip
    holder = found["Holder"]
    assert holder["properties"]["m"] == {"anyOf": [{"$ref": f"{REF}Maybe"}, {"type": "null"}]}
    # not inside allOf: every part must allow null for the whole to
    assert holder["allOf"] == [{"$ref": f"{REF}Maybe"}]


def test_a_format_the_engine_does_not_know_becomes_an_override() -> None:
    found, overrides, _ = view({
        "Contact": {
            "type": "object",
            "properties": {
                "phone": {"type": "string", "format": "phone", "description": "digits"},
                "phones": {"type": "array", "items": {"type": "string", "format": "phone"}},
                "age": {"type": "integer", "format": "int32"},
            },
        }
    })  # fmt: skip
    props = found["Contact"]["properties"]
    assert props["phone"] == {"allOf": [{"$ref": f"{REF}CodegenFormatPhone"}], "description": "digits"}
    assert props["phones"]["items"] == {"$ref": f"{REF}CodegenFormatPhone"}  # kept in lists too
    assert found["CodegenFormatPhone"] == {"type": "string", "format": "phone"}
    assert overrides == {"CodegenFormatPhone": "Phone"}
    assert props["age"] == {"type": "integer", "format": "int32"}  # the engine maps this one itself


def test_enum_values_of_another_type_are_left_out_with_a_warning() -> None:
    found, _, problems = view({"Level": {"type": "integer", "enum": [1, "two", 3]}})
    assert found["Level"]["enum"] == [1, 3]
    assert [(p.code, p.severity, p.location.pointer) for p in problems] == [
        ("schema.enum", Severity.WARNING, "/components/schemas/Level/enum")
    ]
    nullable, _, problems = view({"Level": {"type": "integer", "nullable": True, "enum": [1, None]}})
    assert nullable["Level"]["enum"] == [1, None] and problems == []


def test_a_pattern_no_engine_runs_is_a_warning() -> None:
    found, _, problems = view({"Code": {"type": "string", "pattern": "(unclosed"}})
    assert "pattern" not in found["Code"]
    assert [p.code for p in problems] == ["schema.pattern"]


def test_read_only_of_a_whole_class_is_carried_as_an_extension() -> None:
    found, _, _ = view({"Audit": {"type": "object", "readOnly": True, "properties": {"at": {"type": "string"}}}})
    assert found["Audit"]["x-readOnly"] is True


def test_union_members_get_variants_fixing_their_tag() -> None:
    found, _, problems = view({
        "Cat": {"type": "object", "properties": {"kind": {"type": "string"}, "claws": {"type": "boolean"}}},
        "Pet": {
            "oneOf": [{"$ref": f"{REF}Cat"}],
            "discriminator": {"propertyName": "kind", "mapping": {"cat": f"{REF}Cat", "ghost": f"{REF}Nope"}},
        },
    })  # fmt: skip
    variants = [name for name, schema in found.items() if schema.get("allOf") == [{"$ref": f"{REF}Cat"}]]
    assert len(variants) == 1
    variant = found[variants[0]]
    assert variant["properties"]["kind"]["enum"] == ["cat"]
    assert variant["required"] == ["kind"]
    pet = found["Pet"]
    assert pet["oneOf"] == [{"$ref": f"{REF}{variants[0]}"}]
    assert pet["discriminator"]["mapping"] == {"cat": f"{REF}{variants[0]}"}
    # a mapping value that names no schema: left out, with a warning
    assert [(p.code, p.location.pointer) for p in problems] == [
        ("schema.mapping", "/components/schemas/Pet/discriminator/mapping/ghost")
    ]


def test_subtypes_of_a_discriminated_base_say_their_tag() -> None:
    found, _, _ = view({
        "Animal": {
            "type": "object",
            "properties": {"kind": {"type": "string"}},
            "discriminator": {"propertyName": "kind", "mapping": {"feline": f"{REF}Cat"}},
        },
        "Cat": {"allOf": [{"$ref": f"{REF}Animal"}, {"properties": {"claws": {"type": "boolean"}}}]},
        "Dog": {"allOf": [{"$ref": f"{REF}Animal"}]},
    })  # fmt: skip
    # the mapping's tag where it names the subtype, else the component's own name
    assert found["Cat"]["properties"]["kind"]["enum"] == ["feline"]
    assert found["Dog"]["properties"]["kind"]["enum"] == ["Dog"]
    assert "kind" in found["Cat"]["required"] and "kind" in found["Dog"]["required"]
