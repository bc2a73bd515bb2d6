"""Reading schemas of the bundled document: references, and the shapes the build stage cares
about (which schemas become classes, what is nullable, how allOf parts and branches combine).

Pure functions of the document; nothing here names or builds anything.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from codegen.load import resolve_pointer
from codegen.problems import split_pointer

__all__ = [
    "ANNOTATIONS",
    "COMPONENT_PREFIX",
    "deref",
    "distribute_branches",
    "fixed_tag",
    "hint_for",
    "is_discriminated_base",
    "is_enum",
    "is_object_like",
    "merged_primitive",
    "resolve",
    "says_nullable",
]


COMPONENT_PREFIX = "#/components/schemas/"


def is_object_like(schema: Any) -> bool:
    """Would the model engine make a class of this inline schema?"""
    if not isinstance(schema, dict) or "$ref" in schema:
        return False
    if isinstance(schema.get("properties"), dict) and schema["properties"]:
        return True
    if schema.get("additionalProperties") is False and schema.get("type") in ("object", None):
        return True  # an object that must be empty: a class that forbids extra fields
    parts = schema.get("allOf")
    if isinstance(parts, list) and parts:
        substantive = [p for p in parts if isinstance(p, dict) and set(p) - ANNOTATIONS]
        inline = [p for p in substantive if "$ref" not in p]
        # allOf: [{$ref: X}, {description: ...}] only annotates X: not a class of its own
        return len(substantive) > 1 or any(isinstance(p.get("properties"), dict) for p in inline)
    return False


# Keywords that describe a schema without changing what it accepts.
ANNOTATIONS = frozenset(
    {"description", "title", "example", "examples", "externalDocs", "xml", "deprecated", "$comment"}
    | {"readOnly", "writeOnly", "nullable", "default"}
)


def fixed_tag(schema: Any, prop: str) -> list[str] | None:
    """The values a schema's own ``prop`` is limited to (const or enum), if any."""
    props = schema.get("properties") if isinstance(schema, dict) else None
    sub = props.get(prop) if isinstance(props, dict) else None
    if not isinstance(sub, dict):
        return None
    if "const" in sub:
        return [str(sub["const"])]
    enum = sub.get("enum")
    return sorted(str(v) for v in enum) if isinstance(enum, list) else None


def says_nullable(schema: Any) -> bool:
    """``nullable: true`` (3.0) or ``"null"`` among the types (3.1)."""
    if not isinstance(schema, dict):
        return False
    types = schema.get("type")
    return schema.get("nullable") is True or (isinstance(types, list) and "null" in types)


def is_discriminated_base(schema: Any) -> bool:
    disc = schema.get("discriminator") if isinstance(schema, dict) else None
    return (
        isinstance(disc, dict)
        and isinstance(disc.get("propertyName"), str)
        and not ("oneOf" in schema or "anyOf" in schema)
    )


def hint_for(pointer: str) -> str:
    """A name for a schema referenced where it sits inside an operation, from its location:
    ``/paths/~1pets/get/responses/200/...`` gives "get pets Response 200"."""
    parts = split_pointer(pointer)
    if len(parts) >= 3 and parts[0] == "paths":
        words = [parts[2], parts[1]]
        rest = parts[3:]
        if rest[:1] == ["responses"] and len(rest) > 1:
            words += ["Response", rest[1]]
        elif rest[:1] == ["requestBody"]:
            words.append("Request")
        elif rest[:1] == ["parameters"] and len(rest) > 1:
            words += ["Parameter", rest[1]]
        return " ".join(words)
    return parts[-1] if parts else "Schema"


_STRUCTURE = frozenset({"$ref", "allOf", "anyOf", "oneOf", "properties", "items", "additionalProperties", "not"})


_TIGHTER = {"maxLength": min, "maximum": min, "maxItems": min, "minLength": max, "minimum": max, "minItems": max}


def _allows_null(schema: dict[str, Any]) -> bool:
    if "enum" in schema:
        return None in schema["enum"] or schema.get("nullable") is True
    kinds = schema.get("type")
    if kinds is None:
        return True
    return schema.get("nullable") is True or (isinstance(kinds, list) and "null" in kinds)


def merged_primitive(schemas: list[Any]) -> dict[str, Any] | None:
    """Several schemas a value must all satisfy (allOf parts defining one property, or an
    object and a branch refining it), as one schema, when they are primitives: types meet,
    enums intersect, the tighter bound wins, null only if all allow it. None if they are not
    primitives or disagree otherwise (then the engine's choice stands)."""
    if not all(isinstance(s, dict) and not (_STRUCTURE & set(s)) for s in schemas):
        return None
    merged: dict[str, Any] = {}
    for schema in schemas:
        for key, value in schema.items():
            if key == "nullable":
                continue
            if key == "type":
                listed = value if isinstance(value, list) else [value]
                kinds = [k for k in listed if k != "null"]
                kind = kinds[0] if len(kinds) == 1 else None  # one type, however it is spelled
                if kind is None or merged.get("type", kind) != kind:
                    return None
                merged["type"] = kind
            elif key == "enum" and isinstance(value, list):
                merged["enum"] = [v for v in merged["enum"] if v in value] if "enum" in merged else list(value)
            elif key in ANNOTATIONS or key not in merged:
                merged[key] = value
            elif merged[key] != value:
                tighter = _TIGHTER.get(key)
                if tighter is None or not all(isinstance(v, int | float) for v in (merged[key], value)):
                    return None
                merged[key] = tighter(merged[key], value)
    if all(_allows_null(s) for s in schemas):
        if "enum" in merged and None not in merged["enum"]:
            merged["enum"].append(None)
        merged["nullable"] = True
    return merged


def _partial_object(schema: Any) -> bool:
    """A branch that only says more about the object beside it (properties, required...)."""
    return (
        isinstance(schema, dict)
        and schema.get("type", "object") == "object"
        and not set(schema) - ANNOTATIONS - {"type", "properties", "required", "additionalProperties"}
    )


def distribute_branches(schema: dict[str, Any]) -> dict[str, Any] | None:
    """``{properties: P, anyOf: [B1, B2]}`` with branches that refine the object is
    ``anyOf: [P and B1, P and B2]``: each branch written out whole, its properties merged
    with the object's (the engine would let the object's override the branch's)."""
    key = "anyOf" if "anyOf" in schema else "oneOf" if "oneOf" in schema else None
    if key is None or "discriminator" in schema or not (schema.get("properties") or schema.get("required")):
        return None
    branches = schema[key]
    if not isinstance(branches, list) or not branches or not all(_partial_object(b) for b in branches):
        return None
    if all(set(b) - ANNOTATIONS == {"required"} for b in branches):
        return None  # "at least one of these": the engine writes that out itself
    if set(schema) - ANNOTATIONS - {"type", "properties", "required", "additionalProperties", key}:
        return None
    own = schema.get("properties") or {}
    written = []
    for branch in branches:
        props = dict(own)
        for name, sub in (branch.get("properties") or {}).items():
            merged = merged_primitive([own[name], sub]) if name in own else sub
            if merged is None:
                return None
            props[name] = merged
        out: dict[str, Any] = {k: v for k, v in branch.items() if k in ANNOTATIONS}
        out.update(type="object", properties=props)
        required = [
            *(schema.get("required") or []),
            *(r for r in branch.get("required") or () if r not in (schema.get("required") or [])),
        ]
        if required:
            out["required"] = required
        extras = [
            e for e in (schema.get("additionalProperties"), branch.get("additionalProperties")) if e not in (None, True)
        ]
        if len(extras) > 1 and any(e is not False for e in extras):
            return None
        if extras:
            out["additionalProperties"] = extras[0]
        written.append(out)
    return {**{k: v for k, v in schema.items() if k in ANNOTATIONS}, key: written}


def is_enum(schema: Any) -> bool:
    return isinstance(schema, dict) and isinstance(schema.get("enum"), list) and "$ref" not in schema


def resolve(document: dict[str, Any], ref: str) -> tuple[Any, str] | None:
    """The value a local ``$ref`` points at, and its JSON pointer (unquoted)."""
    if not ref.startswith("#"):
        return None
    pointer = urllib.parse.unquote(ref[1:])
    try:
        node = resolve_pointer(document, pointer)
    except KeyError:
        return None
    return node, pointer


def deref(document: dict[str, Any], schema: Any, pointer: str = "") -> tuple[Any, str]:
    """Follow ``$ref`` chains (bounded: the loader refused cycles) to the schema and its pointer."""
    for _ in range(64):
        if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
            return schema, pointer
        found = resolve(document, schema["$ref"])
        if found is None:
            return None, pointer
        schema, pointer = found
    return schema, pointer
