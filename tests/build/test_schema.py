"""Reading schemas: which become classes, nullability, merging allOf parts, references."""

from __future__ import annotations

from typing import Any

import pytest

from codegen.build.schema import (
    deref,
    distribute_branches,
    fixed_tag,
    hint_for,
    is_discriminated_base,
    is_enum,
    is_object_like,
    merged_primitive,
    resolve,
    says_nullable,
)
from codegen.naming import class_name

REF = {"$ref": "#/components/schemas/Pet"}


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "object", "properties": {"id": {"type": "integer"}}}, True),
        ({"type": "object", "properties": {}}, False),  # a free-form object: a dict, no class
        ({"type": "object", "additionalProperties": False}, True),  # must be empty: a class forbidding extras
        ({"type": "object", "additionalProperties": {"type": "string"}}, False),  # a map
        (REF, False),  # the class is the component's, not the reference's
        ({"allOf": [REF, {"description": "the pet"}]}, False),  # only annotates Pet
        ({"allOf": [REF, {"properties": {"x": {}}}]}, True),
        ({"allOf": [REF, {"$ref": "#/components/schemas/Owner"}]}, True),
        ({"type": "string"}, False),
        ("not a schema", False),
    ],
)
def test_is_object_like(schema: Any, expected: bool) -> None:
    assert is_object_like(schema) is expected


def test_fixed_tag_reads_const_and_enum() -> None:
    assert fixed_tag({"properties": {"kind": {"const": "cat"}}}, "kind") == ["cat"]
    assert fixed_tag({"properties": {"kind": {"enum": ["b", "a"]}}}, "kind") == ["a", "b"]
    assert fixed_tag({"properties": {"kind": {"type": "string"}}}, "kind") is None
    assert fixed_tag({"properties": {}}, "kind") is None


def test_nullable_in_both_spellings() -> None:
    assert says_nullable({"type": "string", "nullable": True})  # 3.0
    assert says_nullable({"type": ["string", "null"]})  # 3.1
    assert not says_nullable({"type": "string"})
    assert not says_nullable({"type": "string", "nullable": "yes"})


def test_discriminated_base_has_no_branches_of_its_own() -> None:
    disc = {"propertyName": "kind"}
    assert is_discriminated_base({"type": "object", "discriminator": disc})
    assert not is_discriminated_base({"oneOf": [REF], "discriminator": disc})
    assert not is_discriminated_base({"discriminator": {"mapping": {}}})


def test_is_enum() -> None:
    assert is_enum({"type": "string", "enum": ["a"]})
    assert not is_enum({"$ref": "#/x", "enum": ["a"]})
    assert not is_enum({"type": "string"})


@pytest.mark.parametrize(
    ("pointer", "expected"),
    [
        ("/paths/~1pets/get/responses/200/content/application~1json/schema", "GetPetsResponse200"),
        ("/paths/~1pets/post/requestBody/content/application~1json/schema", "PostPetsRequest"),
        ("/paths/~1pets/get/parameters/0/schema", "GetPetsParameter0"),
        ("/components/schemas/Pet/properties/owner", "Owner"),
    ],
)
def test_hint_for_names_a_schema_after_its_operation(pointer: str, expected: str) -> None:
    assert class_name(hint_for(pointer)) == expected


def test_merged_primitive_takes_the_tighter_bound_and_intersects_enums() -> None:
    merged = merged_primitive(
        [
            {"type": "string", "maxLength": 10, "minLength": 1, "enum": ["a", "b", "c"]},
            {"maxLength": 5, "minLength": 2, "enum": ["c", "b", "z"]},
        ]
    )
    assert merged == {"type": "string", "maxLength": 5, "minLength": 2, "enum": ["b", "c"]}


def test_merged_primitive_allows_null_only_if_every_part_does() -> None:
    assert merged_primitive([{"type": "string", "nullable": True}, {"type": "string"}]) == {"type": "string"}
    # a part without a type accepts null too
    both = merged_primitive([{"type": "string", "nullable": True}, {"maxLength": 5}])
    assert both == {"type": "string", "maxLength": 5, "nullable": True}


def test_merged_primitive_gives_up_on_disagreement_or_structure() -> None:
    assert merged_primitive([{"type": "string"}, {"type": "integer"}]) is None
    assert merged_primitive([{"type": "string", "pattern": "a"}, {"pattern": "b"}]) is None
    assert merged_primitive([{"type": "string"}, REF]) is None
    assert merged_primitive([{"type": "object", "properties": {}}]) is None


def test_merged_primitive_meets_a_type_list_with_a_type() -> None:
    merged = merged_primitive([{"type": ["string", "null"]}, {"type": "string", "maxLength": 5}])
    assert merged is not None
    assert merged["maxLength"] == 5
    assert "nullable" not in merged  # the second part does not allow null
    assert merged["type"] == "string"


def test_distribute_branches_writes_each_branch_out_whole() -> None:
    schema = {
        "type": "object",
        "properties": {"kind": {"type": "string"}, "name": {"type": "string"}},
        "required": ["kind"],
        "oneOf": [
            {"properties": {"kind": {"enum": ["a"]}}, "required": ["name"]},
            {"properties": {"kind": {"enum": ["b"]}}},
        ],
    }
    written = distribute_branches(schema)
    assert written is not None
    first, second = written["oneOf"]
    assert first["properties"]["kind"] == {"type": "string", "enum": ["a"]}
    assert first["properties"]["name"] == {"type": "string"}
    assert first["required"] == ["kind", "name"]
    assert second["properties"]["kind"] == {"type": "string", "enum": ["b"]}
    assert second["required"] == ["kind"]
    assert "properties" not in written  # the object's own properties live in each branch now


def test_distribute_branches_leaves_other_shapes_alone() -> None:
    props = {"properties": {"a": {"type": "string"}, "b": {"type": "string"}}}
    # "at least one of these": the model engine writes that out itself
    assert distribute_branches({**props, "anyOf": [{"required": ["a"]}, {"required": ["b"]}]}) is None
    assert distribute_branches({**props, "oneOf": [REF], "discriminator": {"propertyName": "a"}}) is None
    assert distribute_branches({**props, "oneOf": [{"type": "string"}]}) is None
    assert distribute_branches(props) is None


DOC: dict[str, Any] = {
    "components": {
        "schemas": {
            "Pet": {"type": "object"},
            "Alias": {"$ref": "#/components/schemas/Pet"},
            "Alias2": {"$ref": "#/components/schemas/Alias"},
            "a/b": {"type": "string"},
            "50%": {"type": "integer"},
        }
    },
    "list": [{"type": "boolean"}],
}


def test_resolve_follows_escaped_pointers_and_percent_encoding() -> None:
    # the pointer given back is a JSON pointer (escaped), with the fragment's %-encoding undone
    assert resolve(DOC, "#/components/schemas/a~1b") == ({"type": "string"}, "/components/schemas/a~1b")
    assert resolve(DOC, "#/components/schemas/50%25") == ({"type": "integer"}, "/components/schemas/50%")
    assert resolve(DOC, "#/list/0") == ({"type": "boolean"}, "/list/0")
    assert resolve(DOC, "#/list/1") is None
    assert resolve(DOC, "#/components/schemas/Missing") is None
    assert resolve(DOC, "other.yaml#/Pet") is None  # only local references


def test_deref_follows_chains_to_the_schema_and_its_pointer() -> None:
    found = deref(DOC, {"$ref": "#/components/schemas/Alias2"}, "/here")
    assert found == ({"type": "object"}, "/components/schemas/Pet")
    plain = {"type": "string"}
    assert deref(DOC, plain, "/here") == (plain, "/here")
    assert deref(DOC, {"$ref": "#/nowhere"}, "/here") == (None, "/here")
