"""Schemas in one canonical shape, so that spellings that mean the same compare equal.

Normalizations (each one documented in docs/drift.md):

* ``$ref`` is followed; names of components do not matter, only structure.
* 3.0 ``nullable: true``, 3.1 ``type: [X, "null"]`` and ``anyOf``/``oneOf`` with a
  ``{type: null}`` branch all become "X or null".
* ``exclusiveMinimum: true`` + ``minimum`` (3.0) becomes numeric ``exclusiveMinimum`` (3.1).
* ``allOf`` is merged into one schema (properties, required, constraints), which is what a
  Pydantic subclass documents; an ``allOf`` of one schema is that schema.
* ``const: x`` and ``enum: [x]`` are the same; enum order does not matter.
* ``format: binary`` and ``contentMediaType: application/octet-stream`` are the same.
* ``oneOf`` and ``anyOf`` are both "one of these".
* Annotations are ignored: title, description, examples, ``$comment``, ``xml``, ``x-*``.
* A schema with ``properties`` but no ``type`` is an object; ``additionalProperties: true``
  is the same as leaving it out.

Nodes are built lazily and cached by the identity of the schema object, so recursive schemas
become cyclic graphs of nodes, never infinite trees.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from codegen.jsontypes import json_type_in

__all__ = ["Node", "SchemaIndex"]

_CONSTRAINTS = (
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
)
_TIGHTER_HIGH = {"minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"}
_TIGHTER_LOW = {"maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"}


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


@dataclass(eq=False)
class Node:
    """A normalized schema. ``types`` is None for "any type"; ``null`` is in it when nullable."""

    pointer: str
    types: frozenset[str] | None = None
    format: str | None = None
    enum: frozenset[str] | None = None  # canonical JSON of each value
    properties: dict[str, Node] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    additional: bool | Node = True
    items: Node | None = None
    constraints: dict[str, Any] = field(default_factory=dict)
    read_only: bool = False
    write_only: bool = False
    union: list[Node] | None = None
    discriminator: str | None = None
    mapping: dict[str, Node] = field(default_factory=dict)
    default: str | None = None
    deprecated: bool = False
    pending: bool = False  # still being built (recursion)

    @property
    def nullable(self) -> bool:
        return self.types is not None and "null" in self.types

    @property
    def is_object(self) -> bool:
        return self.types is not None and "object" in self.types

    def describe_type(self) -> str:
        if self.union is not None:
            return "one of " + str(len(self.union)) + " schemas"
        if self.types is None:
            return "any"
        named = sorted(self.types - {"null"}) or ["null"]
        text = " or ".join(named)
        if self.format:
            text += f" ({self.format})"
        return text + (" or null" if self.nullable and named != ["null"] else "")


class SchemaIndex:
    """Normalizes the schemas of one document on demand."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.version = str(document.get("openapi", "3.1.0"))
        self._cache: dict[tuple[int, bool, str], Node] = {}
        self._children: dict[int, list[tuple[str, Any, str]]] | None = None

    def children(self, schema: Any) -> list[tuple[str, Any, str]]:
        """Components that extend ``schema`` through ``allOf`` (OpenAPI polymorphism)."""
        if self._children is None:
            self._children = {}
            components = (self.document.get("components") or {}).get("schemas") or {}
            for name, child in sorted(components.items()) if isinstance(components, dict) else ():
                parts = child.get("allOf") if isinstance(child, dict) else None
                for part in parts if isinstance(parts, list) else ():
                    if isinstance(part, dict) and isinstance(part.get("$ref"), str):
                        parent, _ = self.resolve(part["$ref"])
                        self._children.setdefault(id(parent), []).append(
                            (name, child, f"/components/schemas/{_escape(name)}")
                        )
        return self._children.get(id(schema), [])

    def resolve(self, ref: str) -> tuple[Any, str]:
        if not ref.startswith("#"):
            return {}, ref
        node: Any = self.document
        pointer = urllib.parse.unquote(ref[1:])
        for part in pointer.split("/")[1:] if pointer else []:
            key = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and key in node:
                node = node[key]
            elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                return {}, pointer
        return node, pointer

    def deref(self, schema: Any, pointer: str) -> tuple[Any, str]:
        for _ in range(64):
            if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
                siblings = {k for k in schema if k != "$ref" and not k.startswith("x-")}
                if siblings and not self.version.startswith("3.0"):
                    return schema, pointer  # 3.1: $ref beside keywords is an allOf; handled in build
                schema, pointer = self.resolve(schema["$ref"])
            else:
                break
        return schema, pointer

    def node(self, schema: Any, pointer: str, *, nullable: bool = False, extras: str = "") -> Node:
        """The node for a schema; ``extras``: keywords a nullable wrapper adds (readOnly, ...)."""
        schema, pointer = self.deref(schema, pointer)
        wrapped = self._nullable_wrapper(schema, pointer)
        if wrapped is not None:
            outer = {k: schema[k] for k in _WRAPPER_EXTRAS if k in schema}
            union = self._union(schema, pointer)
            with_null = nullable or (union is not None and union[1]) or _says_nullable(schema)
            return self.node(wrapped[0], wrapped[1], nullable=with_null, extras=canonical(outer) if outer else "")
        key = (id(schema), nullable, extras)
        found = self._cache.get(key)
        if found is not None:
            return found
        node = Node(pointer, pending=True)
        self._cache[key] = node
        self._build(node, schema, pointer)
        if extras:
            self._merge(node, json.loads(extras), pointer)
        if nullable or _says_nullable(schema):
            if node.union is not None:
                if not any(b.types == frozenset({"null"}) for b in node.union):
                    node.union.append(Node(f"{pointer}/null", types=frozenset({"null"})))
            elif node.types is not None:
                node.types = node.types | {"null"}
        node.pending = False
        return node

    def _nullable_wrapper(self, schema: Any, pointer: str) -> tuple[Any, str] | None:
        """The one real branch of ``anyOf``/``oneOf: [X, {type: null}]`` (or of a one-branch
        ``oneOf``) with nothing else beside."""
        if not isinstance(schema, dict) or self._has_own_keywords(schema):
            return None
        union = self._union(schema, pointer)
        if union is None or len(union[0]) != 1:
            return None
        return union[0][0]

    # -- building

    def _build(self, node: Node, schema: Any, pointer: str) -> None:
        if schema is False:
            node.types = frozenset()
            return
        if not isinstance(schema, dict):  # true, or not a schema
            return
        if self._polymorphic(node, schema):
            return
        parts = self._all_of_parts(schema, pointer)
        if parts:
            for part_schema, part_pointer in parts:
                self._merge(node, part_schema, part_pointer)
            return
        self._merge(node, schema, pointer)

    def _polymorphic(self, node: Node, schema: dict[str, Any]) -> bool:
        """A schema with a discriminator that others extend stands for "one of those others",
        as a Pydantic discriminated union of the subclasses says."""
        disc = schema.get("discriminator")
        if not isinstance(disc, dict) or not isinstance(disc.get("propertyName"), str):
            return False
        if "oneOf" in schema or "anyOf" in schema:
            return False
        children = self.children(schema)
        if not children:
            return False
        node.discriminator = disc["propertyName"]
        explicit: dict[str, Any] = disc["mapping"] if isinstance(disc.get("mapping"), dict) else {}
        by_target = {v.rsplit("/", 1)[-1]: k for k, v in explicit.items() if isinstance(v, str)}
        node.union = []
        for name, child, at in children:
            branch = self.node(child, at)
            node.union.append(branch)
            node.mapping[by_target.get(name, name)] = branch
        return True

    def _all_of_parts(self, schema: dict[str, Any], pointer: str) -> list[tuple[Any, str]]:
        """The schemas an allOf (or a 3.1 $ref with siblings) combines, siblings included."""
        parts: list[tuple[Any, str]] = []
        rest = {k: v for k, v in schema.items() if k not in ("allOf", "$ref")}
        if isinstance(schema.get("$ref"), str):
            parts.append(self.deref({"$ref": schema["$ref"]}, pointer))
        all_of = schema.get("allOf")
        if isinstance(all_of, list):
            for i, part in enumerate(all_of):
                resolved, at = self.deref(part, f"{pointer}/allOf/{i}")
                inner = self._all_of_parts(resolved, at) if isinstance(resolved, dict) else []
                parts.extend(inner or [(resolved, at)])
        if not parts:
            return []
        if any(k not in _ANNOTATIONS for k in rest):
            parts.append((rest, pointer))
        return parts

    def _merge(self, node: Node, schema: Any, pointer: str) -> None:
        if not isinstance(schema, dict):
            return
        types = self._types(schema)
        union = self._union(schema, pointer)
        if union is not None:
            branches, null_branch = union
            node.union = [self.node(s, p) for s, p in branches]
            if null_branch:
                node.union.append(Node(f"{pointer}/null", types=frozenset({"null"})))
            disc = schema.get("discriminator")
            objects = all(b.types is None or "object" in b.types for b in node.union if b.types != frozenset({"null"}))
            if isinstance(disc, dict) and isinstance(disc.get("propertyName"), str) and objects:
                # (a discriminator picks among objects by a property; over an array it says nothing)
                node.discriminator = disc["propertyName"]
                mapping = disc.get("mapping")
                if isinstance(mapping, dict):
                    for value, target in mapping.items():
                        if isinstance(target, str):
                            resolved, at = self.resolve(
                                target if target.startswith("#") else "#/components/schemas/" + target
                            )
                            node.mapping[str(value)] = self.node(resolved, at)
        if types is not None:
            node.types = types if node.types is None else node.types & types
        fmt = schema.get("format")
        if isinstance(fmt, str):
            node.format = fmt
        if schema.get("contentMediaType") == "application/octet-stream" or fmt == "binary":
            node.format = "binary"
        values: list[Any] | None = None
        if "const" in schema:
            values = [schema["const"]]
        elif isinstance(schema.get("enum"), list):
            values = list(schema["enum"])
        if values is not None:
            if None in values and node.types is not None:
                node.types = node.types | {"null"}
            enum = frozenset(canonical(v) for v in values if v is not None)
            if not enum and None in values:
                node.types = frozenset({"null"})  # enum: [null] allows null alone
            else:
                node.enum = enum if node.enum is None else node.enum & enum
        self._merge_object(node, schema, pointer)
        if union is not None and node.union and (node.properties or node.required):
            self._distribute(node, union[0])
        items = schema.get("items")
        if isinstance(items, dict):
            node.items = self.node(items, f"{pointer}/items")
        self._merge_constraints(node, schema)
        if node.enum is not None:
            _drop_redundant(node)
        _drop_implied_by_format(node)
        _drop_inapplicable(node)
        node.read_only = node.read_only or schema.get("readOnly") is True
        node.write_only = node.write_only or schema.get("writeOnly") is True
        node.deprecated = node.deprecated or schema.get("deprecated") is True
        if "default" in schema:
            node.default = canonical(schema["default"])

    def _merge_object(self, node: Node, schema: dict[str, Any], pointer: str) -> None:
        props = schema.get("properties")
        if isinstance(props, dict):
            for name, sub in props.items():
                at = f"{pointer}/properties/{_escape(name)}"
                previous = node.properties.get(name)
                if previous is None or previous.pending:
                    node.properties[name] = self.node(sub, at)
                else:
                    # allOf parts that both define a property: it must satisfy both
                    node.properties[name] = self._both(previous, self.node(sub, at))
        required = schema.get("required")
        if isinstance(required, list):
            node.required = node.required | {r for r in required if isinstance(r, str)}
        extra = schema.get("additionalProperties")
        if extra is False:
            node.additional = False
        elif isinstance(extra, dict) and set(extra) - _ANNOTATIONS and node.additional is not False:
            # an additionalProperties schema with nothing but a description admits anything
            node.additional = self.node(extra, f"{pointer}/additionalProperties")

    def _both(self, first: Node, second: Node) -> Node:
        """One node for a value that must satisfy two: the second refines the first."""
        if first is second:
            return first
        merged = Node(second.pointer)
        for attr in ("types", "format", "enum", "items", "union", "discriminator", "default"):
            value = getattr(second, attr)
            setattr(merged, attr, value if value is not None else getattr(first, attr))
        if first.types is not None and second.types is not None:
            merged.types = first.types & second.types
        if first.enum is not None and second.enum is not None:
            merged.enum = first.enum & second.enum
        merged.properties = {**first.properties, **second.properties}
        merged.required = first.required | second.required
        merged.additional = second.additional if second.additional is not True else first.additional
        merged.constraints = {**first.constraints, **second.constraints}
        merged.mapping = {**first.mapping, **second.mapping}
        merged.read_only = first.read_only or second.read_only
        merged.write_only = first.write_only or second.write_only
        return merged

    def _distribute(self, node: Node, branches: list[tuple[Any, str]]) -> None:
        """``{properties, anyOf: [B1, B2]}`` with branches that only say more about the object
        (``required: [a]`` for "at least one of", or refined properties) is the union of the
        object with each branch, which is how generators write it."""
        raw = [self.deref(s, p)[0] for s, p in branches]
        partial = {"type", "properties", "required", "additionalProperties"}
        if not all(
            isinstance(b, dict) and b.get("type", "object") == "object" and not set(b) - _ANNOTATIONS - partial
            for b in raw
        ):
            return
        merged = []
        for branch, (_, at) in zip(raw, branches, strict=True):
            part = Node(at, types=frozenset({"object"}), properties=dict(node.properties), additional=node.additional)
            part.required = node.required
            self._merge_object(part, branch, at)
            merged.append(part)
        node.union = merged
        node.properties, node.required, node.additional = {}, frozenset(), True

    def _merge_constraints(self, node: Node, schema: dict[str, Any]) -> None:
        found = {k: schema[k] for k in _CONSTRAINTS if k in schema}
        # 3.0: exclusiveMinimum/Maximum are booleans qualifying minimum/maximum
        for flag, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            if isinstance(found.get(flag), bool):
                if found[flag] and bound in found:
                    found[flag] = found.pop(bound)
                else:
                    del found[flag]
        if found.get("uniqueItems") is False:
            del found["uniqueItems"]
        for key, value in found.items():
            old = node.constraints.get(key)
            if old is None or not isinstance(value, (int, float)) or isinstance(value, bool):
                node.constraints[key] = value
            elif key in _TIGHTER_HIGH:
                node.constraints[key] = max(old, value)
            elif key in _TIGHTER_LOW:
                node.constraints[key] = min(old, value)

    def _types(self, schema: dict[str, Any]) -> frozenset[str] | None:
        raw = schema.get("type")
        if isinstance(raw, str):
            types = {raw}
        elif isinstance(raw, list):
            types = {t for t in raw if isinstance(t, str)}
        else:
            types = set()
            # Without "type", object keywords only constrain objects; read a non-empty
            # "properties" as the author meaning an object, as generators do.
            if schema.get("properties") or "additionalProperties" in schema or schema.get("required"):
                types.add("object")
            if "items" in schema:
                types.add("array")
            if not types:
                return None
        if schema.get("nullable") is True:
            types.add("null")
        if "number" in types:
            types.discard("integer")  # integer is a number
        return frozenset(types)

    def _union(self, schema: dict[str, Any], pointer: str) -> tuple[list[tuple[Any, str]], bool] | None:
        for key in ("oneOf", "anyOf"):
            branches = schema.get(key)
            if isinstance(branches, list) and branches:
                kept: list[tuple[Any, str]] = []
                null = False
                for i, branch in enumerate(branches):
                    resolved, _at = self.deref(branch, f"{pointer}/{key}/{i}")
                    if isinstance(resolved, dict) and (
                        resolved.get("type") == "null" or resolved.get("type") == ["null"]
                    ):
                        null = True
                    else:
                        kept.append((branch, f"{pointer}/{key}/{i}"))
                return kept, null
        return None

    def _has_own_keywords(self, schema: dict[str, Any]) -> bool:
        own = set(schema) - _ANNOTATIONS - _WRAPPER_EXTRAS - {"oneOf", "anyOf", "discriminator", "nullable"}
        return bool(own)


_ANNOTATIONS = frozenset(
    {"title", "description", "examples", "example", "$comment", "externalDocs", "xml", "$schema", "$id", "deprecated"}
)


# Keywords a nullable wrapper (``anyOf: [X, null]``) may carry; they apply to X.
_WRAPPER_EXTRAS = frozenset({"readOnly", "writeOnly", "default", "deprecated"})


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _drop_redundant(node: Node) -> None:
    """Constraints every enum value already meets say nothing more: drop them."""
    values = [json.loads(v) for v in node.enum or ()]
    texts = [v for v in values if isinstance(v, str)]
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    met = {
        "minLength": lambda limit: len(texts) == len(values) and all(len(v) >= limit for v in texts),
        "maxLength": lambda limit: len(texts) == len(values) and all(len(v) <= limit for v in texts),
        "pattern": lambda limit: len(texts) == len(values) and _all_match(str(limit), texts),
        "minimum": lambda limit: len(numbers) == len(values) and all(v >= limit for v in numbers),
        "maximum": lambda limit: len(numbers) == len(values) and all(v <= limit for v in numbers),
    }
    for key in list(node.constraints):
        if key in met and met[key](node.constraints[key]):
            del node.constraints[key]


# Shortest and longest text of a format whose Pydantic type validates it.
_FORMAT_LENGTHS = {
    "date-time": (20, None), "date": (10, 10), "time": (8, None), "uuid": (36, 36),
    "email": (3, None), "ipv4": (7, 15), "ipv6": (2, 45), "duration": (3, None),
}  # fmt: skip


_APPLIES_TO = {
    "minimum": {"number", "integer"}, "maximum": {"number", "integer"}, "exclusiveMinimum": {"number", "integer"},
    "exclusiveMaximum": {"number", "integer"}, "multipleOf": {"number", "integer"},
    "minLength": {"string"}, "maxLength": {"string"}, "pattern": {"string"},
    "minItems": {"array"}, "maxItems": {"array"}, "uniqueItems": {"array"},
    "minProperties": {"object"}, "maxProperties": {"object"},
}  # fmt: skip


_NUMBER_FORMATS = {
    "int32": lambda v: isinstance(v, int) and -(2**31) <= v < 2**31,
    "int64": lambda v: isinstance(v, int) and -(2**63) <= v < 2**63,
    "float": lambda v: isinstance(v, (int, float)),
    "double": lambda v: isinstance(v, (int, float)),
}


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _drop_inapplicable(node: Node) -> None:
    """Keywords for other types than the schema's say nothing (JSON Schema ignores them), and
    an enum says which types its values have."""
    if node.enum is not None and node.types is not None:
        # both keywords apply: a value of another type than the declared ones never validates
        node.enum = frozenset(v for v in node.enum if json_type_in(json.loads(v), set(node.types)))
    if node.enum is not None:
        # the values are the ground truth: their JSON types are the schema's types, and a
        # format every value meets (a const 2000 with int32) adds nothing
        values = [json.loads(v) for v in node.enum]
        kinds = {_json_type(v) for v in values}
        if node.nullable:
            kinds.add("null")
        node.types = frozenset(kinds)
        if node.format in _NUMBER_FORMATS and all(_NUMBER_FORMATS[node.format](v) for v in values):
            node.format = None
    if node.types is None:
        return
    for key in list(node.constraints):
        if not (_APPLIES_TO.get(key, node.types) & node.types):
            del node.constraints[key]


def _drop_implied_by_format(node: Node) -> None:
    """``minLength: 1`` on a date-time says nothing more than the format: drop it."""
    lengths = _FORMAT_LENGTHS.get(node.format or "")
    if lengths is None:
        return
    low, high = lengths
    if isinstance(node.constraints.get("minLength"), int) and node.constraints["minLength"] <= low:
        del node.constraints["minLength"]
    if (
        high is not None
        and isinstance(node.constraints.get("maxLength"), int)
        and node.constraints["maxLength"] >= high
    ):
        del node.constraints["maxLength"]


def _all_match(pattern: str, texts: list[str]) -> bool:
    import re

    try:
        regex = re.compile(pattern)
    except re.error:
        return False
    return all(regex.search(t) for t in texts)


def _says_nullable(schema: Any) -> bool:
    """3.0 ``nullable: true``, on the schema or on a part of its ``allOf``."""
    if not isinstance(schema, dict):
        return False
    if schema.get("nullable") is True:
        return True
    parts = schema.get("allOf")
    return isinstance(parts, list) and any(isinstance(p, dict) and p.get("nullable") is True for p in parts)
