"""Schemas of either dialect (OpenAPI 3.0's Schema Object, JSON Schema 2020-12 of 3.1) in one
canonical form, so that only the spellings named in :mod:`equivalences` compare equal.

A :class:`Schema` holds its keywords in ``kw``, normalized:

=====================  =====================================================================
``type``               frozenset of JSON types; absent: any; empty: nothing (the false schema)
``enum``               frozenset of canonical JSON values (``const`` included)
``minimum``            ``(value, exclusive)``, the tighter of ``minimum``/``exclusiveMinimum``
``maximum``            likewise
``pattern``            frozenset of patterns (``allOf`` parts may bring several)
``multipleOf``         frozenset of numbers
``required``           frozenset of names
``properties`` …       dict of name -> Schema (likewise ``patternProperties``,
                       ``dependentSchemas``); subschema keywords hold Schema objects
``anyOf``/``oneOf``    list of Schema; ``allOf`` only holds parts that cannot be merged
``discriminator``      :class:`Discriminator`
``default``, others    canonical JSON
=====================  =====================================================================

Every keyword a schema has is kept unless an equivalence says it means nothing: the comparer
reports whatever it does not know as ``schema.keyword``.

Schemas are built lazily and memoized by the identity of the raw schema, so a recursive schema
becomes a cyclic graph of Schema objects, never an infinite tree; ``kw`` is computed on first
use, when every node it refers to exists.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from typing_extensions import override

from codegen.drift.pointers import canonical, escape, resolve

__all__ = ["ANNOTATIONS", "FOLDED", "NUMERIC", "SUBSCHEMA", "Discriminator", "Normalizer", "Schema"]

# Keywords that describe and never constrain (equivalence "annotations").
ANNOTATIONS = frozenset(
    {
        "title", "description", "example", "examples", "$comment", "externalDocs",
        "$id", "$schema", "$anchor", "$dynamicAnchor", "$defs", "definitions", "$vocabulary",
    }
)  # fmt: skip
# Keywords folded into others while normalizing (they never appear in ``kw``).
FOLDED = {
    "nullable": "type",
    "const": "enum",
    "exclusiveMinimum": "minimum",
    "exclusiveMaximum": "maximum",
    "$ref": "the schema it points at",
}
# One subschema, a list of them, a map of them.
SUBSCHEMA = frozenset(
    {"additionalProperties", "items", "contains", "not", "if", "then", "else", "propertyNames",
     "unevaluatedProperties", "unevaluatedItems", "contentSchema"}
)  # fmt: skip
SUBSCHEMA_LISTS = frozenset({"anyOf", "oneOf", "allOf", "prefixItems"})
SUBSCHEMA_MAPS = frozenset({"properties", "patternProperties", "dependentSchemas"})
NUMERIC = frozenset(
    {"minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "minContains", "maxContains"}
)
# Which instance type a keyword constrains (equivalence "inapplicable").
_APPLIES = {
    **dict.fromkeys(("minimum", "maximum", "multipleOf"), "number"),
    **dict.fromkeys(("minLength", "maxLength", "pattern"), "string"),
    **dict.fromkeys(
        (
            "items",
            "prefixItems",
            "contains",
            "minContains",
            "maxContains",
            "minItems",
            "maxItems",
            "uniqueItems",
            "unevaluatedItems",
        ),
        "array",
    ),
    **dict.fromkeys(
        (
            "properties",
            "patternProperties",
            "additionalProperties",
            "required",
            "minProperties",
            "maxProperties",
            "propertyNames",
            "dependentRequired",
            "dependentSchemas",
            "unevaluatedProperties",
        ),
        "object",
    ),
}
_SCALAR_CHECKS = ("minimum", "maximum", "multipleOf", "minLength", "maxLength", "pattern", "format")
# Formats no valid value of which is empty (equivalence "format-lengths").
_NON_EMPTY_FORMATS = frozenset(
    {"date-time", "date", "time", "duration", "email", "idn-email", "hostname", "idn-hostname", "ipv4", "ipv6",
     "uri", "iri", "uuid", "uri-reference", "iri-reference", "uri-template", "json-pointer", "regex", "int32",
     "int64", "byte"}
)  # fmt: skip
_FIXED_LENGTH_FORMATS = {"uuid": 36, "date": 10}
_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")

_BUSY = object()


class Cycle(Exception):
    """A schema's keywords depend on themselves (an allOf that reaches back to its owner)."""


class Schema:
    """A normalized schema; ``kw`` is computed on first use."""

    __slots__ = ("_kw", "_make", "pointer")

    def __init__(
        self, pointer: str, make: Callable[[], dict[str, Any]] | None = None, kw: dict[str, Any] | None = None
    ):
        self.pointer = pointer
        self._make: Any = make
        self._kw = kw

    @property
    def kw(self) -> dict[str, Any]:
        if self._kw is None:
            if self._make is _BUSY:
                raise Cycle(self.pointer)
            make, self._make = self._make, _BUSY
            try:
                self._kw = make() if make is not None else {}
            except Cycle:
                self._make = make
                raise
            self._make = None
        return self._kw

    @property
    def types(self) -> frozenset[str] | None:
        value = self.kw.get("type")
        return value if isinstance(value, frozenset) else None

    def describe(self) -> str:
        kw = self.kw
        if "anyOf" in kw or "oneOf" in kw:
            key = "anyOf" if "anyOf" in kw else "oneOf"
            return f"{key} of {len(kw[key])} schemas"
        types = self.types
        if types is None:
            text = "any"
        elif not types:
            text = "nothing"
        else:
            text = " or ".join(sorted(types))
        if "format" in kw:
            text += f" ({kw['format']})"
        if "enum" in kw:
            text += " " + _short(kw["enum"])
        return text

    @override
    def __repr__(self) -> str:
        return f"Schema({self.pointer!r})"


ANY = Schema("", kw={})


@dataclass(frozen=True)
class Discriminator:
    property: str
    mapping: dict[str, Schema] = field(default_factory=dict, hash=False, compare=False)


def _short(values: frozenset[str], limit: int = 6) -> str:
    shown = sorted(values)[:limit]
    more = f", … ({len(values)} in all)" if len(values) > limit else ""
    return "[" + ", ".join(shown) + more + "]"


def _type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _in_types(value: Any, types: frozenset[str]) -> bool:
    kind = _type_of(value)
    return kind in types or (kind == "integer" and "number" in types)


def _normal_types(types: set[str]) -> frozenset[str]:
    if "number" in types:
        types.discard("integer")  # equivalence "integer-number"
    return frozenset(types)


def _meets(value: Any, key: str, expected: Any) -> bool | None:
    """Whether a scalar enum value meets one keyword; None when this module cannot tell."""
    if key in ("minimum", "maximum", "multipleOf"):
        if _type_of(value) not in ("integer", "number"):
            return True  # a keyword for numbers: other values meet it (equivalence "inapplicable")
        if key == "multipleOf":
            return all(_multiple(value, m) for m in expected)
        bound, exclusive = expected
        if key == "minimum":
            return value > bound or (value == bound and not exclusive)
        return value < bound or (value == bound and not exclusive)
    if not isinstance(value, str):
        return True
    if key == "minLength":
        return bool(len(value) >= expected)
    if key == "maxLength":
        return bool(len(value) <= expected)
    if key == "pattern":
        try:
            return all(re.search(p, value) is not None for p in expected)
        except re.error:
            return None
    if key == "format":
        return _format_ok(value, expected)
    return None


def _multiple(value: float, of: float) -> bool:
    if of == 0:
        return False
    quotient = value / of
    return math.isclose(quotient, round(quotient), rel_tol=0, abs_tol=1e-9)


def _format_ok(value: Any, fmt: str) -> bool | None:
    if fmt in _INT_RANGES:
        low, high = _INT_RANGES[fmt]
        return low <= value <= high if isinstance(value, int) and not isinstance(value, bool) else True
    if not isinstance(value, str):
        return True
    if fmt == "uuid":
        return _UUID.fullmatch(value) is not None
    if fmt == "date":
        return _DATE.fullmatch(value) is not None
    if fmt == "date-time":
        return _DATE_TIME.fullmatch(value) is not None
    return True  # a format this module does not check: taken as met (format is an annotation in 2020-12)


class Normalizer:
    """Normalizes the schemas of one document, on demand."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.v30 = str(document.get("openapi", "3.1.0")).startswith("3.0")
        self._memo: dict[tuple[int, bool], Schema] = {}
        self._derived: dict[tuple[Any, ...], Schema] = {}
        self._keep: list[Any] = []  # raw values made here, kept alive so their ids stay unique
        self._children: dict[int, list[tuple[str, Any, str]]] | None = None

    # -- entry points

    def schema(self, raw: Any, pointer: str, *, plain: bool = False) -> Schema:
        """The Schema of a raw schema at ``pointer``. ``plain``: a discriminated base as itself,
        not as the union of what extends it (for merging it into those)."""
        raw, pointer = self._deref(raw, pointer)
        key = (id(raw), plain)
        found = self._memo.get(key)
        if found is None:
            found = Schema(pointer, lambda: self._keywords(raw, pointer, plain))
            self._memo[key] = found
            self._keep.append(raw)
        return found

    def content_schema(self, media: Any, pointer: str) -> Schema:
        """The schema of a media type object (equivalence "no-schema": none is ``{}``)."""
        raw = media.get("schema") if isinstance(media, dict) else None
        if raw is None:
            return ANY
        return self.schema(raw, f"{pointer}/schema")

    def derived(self, key: tuple[Any, ...], pointer: str, make: Callable[[], dict[str, Any]]) -> Schema:
        found = self._derived.get(key)
        if found is None:
            found = self._derived[key] = Schema(pointer, make)
        return found

    def tagged(self, branch: Schema, prop: str, values: frozenset[str]) -> Schema:
        """``branch`` with its tag property required and holding ``values`` (equivalence
        "discriminator-tag")."""

        def make() -> dict[str, Any]:
            tag = Schema(branch.pointer, kw={"enum": values})
            merged = _merge(self, branch.kw, {"properties": {prop: tag}, "required": frozenset({prop})}, branch.pointer)
            return merged if merged is not None else {**branch.kw, "allOf": [Schema(branch.pointer, kw={})]}

        return self.derived(("tagged", id(branch), prop, values), branch.pointer, make)

    # -- references

    def _deref(self, raw: Any, pointer: str) -> tuple[Any, str]:
        seen = 0
        while isinstance(raw, dict) and isinstance(raw.get("$ref"), str) and seen < 64:
            siblings = [k for k in raw if k != "$ref" and not k.startswith("x-") and k not in ANNOTATIONS]
            if siblings and not self.v30:
                return raw, pointer  # 3.1: $ref beside keywords: both apply (handled as allOf)
            target = resolve(self.document, raw["$ref"])  # equivalence "ref" (3.0: "ref-siblings-3.0")
            if target is None:
                return {}, pointer
            raw, pointer = target
            seen += 1
        return raw, pointer

    def _children_of(self, raw: Any) -> list[tuple[str, Any, str]]:
        """Components that extend ``raw`` through allOf: (name, schema, pointer)."""
        if self._children is None:
            self._children = {}
            components = (self.document.get("components") or {}).get("schemas") or {}
            for name in sorted(components) if isinstance(components, dict) else ():
                child = components[name]
                parts = child.get("allOf") if isinstance(child, dict) else None
                for part in parts if isinstance(parts, list) else ():
                    if isinstance(part, dict) and isinstance(part.get("$ref"), str):
                        target = resolve(self.document, part["$ref"])
                        if target is not None:
                            self._children.setdefault(id(target[0]), []).append(
                                (name, child, f"/components/schemas/{escape(name)}")
                            )
        return self._children.get(id(raw), [])

    # -- keywords

    def _keywords(self, raw: Any, pointer: str, plain: bool) -> dict[str, Any]:
        if raw is True or raw is None:
            return {}
        if raw is False:
            return {"type": frozenset()}
        if not isinstance(raw, dict):
            return {}
        if not plain:
            poly = self._polymorphic(raw, pointer)
            if poly is not None:
                return poly
        parts: list[Schema] = []
        if isinstance(raw.get("$ref"), str):  # 3.1 $ref with siblings: an allOf of both
            parts.append(self.schema({"$ref": raw["$ref"]}, pointer, plain=True))
            raw = {k: v for k, v in raw.items() if k != "$ref"}
        all_of = raw.get("allOf")
        if isinstance(all_of, list):
            parts += [self.schema(p, f"{pointer}/allOf/{i}", plain=True) for i, p in enumerate(all_of)]
        own = self._own(raw, pointer)
        if not parts:
            return _finish(self, own, pointer)
        return _finish(self, self._merge_all(own, parts, pointer), pointer)

    def _merge_all(self, own: dict[str, Any], parts: list[Schema], pointer: str) -> dict[str, Any]:
        """Equivalences "all-of" and "one-branch": merge what merges exactly, keep the rest."""
        merged = own
        rest: list[Schema] = []
        for part in parts:
            try:
                kw = part.kw
            except Cycle:
                rest.append(part)
                continue
            combined = _merge(self, merged, kw, pointer)
            if combined is None:
                rest.append(part)
            else:
                merged = combined
        if rest:
            merged = {**merged, "allOf": [*merged.get("allOf", []), *rest]}
        return merged

    def _own(self, raw: dict[str, Any], pointer: str) -> dict[str, Any]:
        """The schema's own keywords, translated into the canonical form (no allOf yet)."""
        kw: dict[str, Any] = {}
        for key, value in raw.items():
            if key in ANNOTATIONS or key.startswith("x-") or key in ("allOf", "$ref", "nullable"):
                continue
            if key in ("exclusiveMinimum", "exclusiveMaximum", "minimum", "maximum", "const", "enum", "type"):
                continue  # below
            at = f"{pointer}/{escape(key)}"
            if key in SUBSCHEMA:
                if key == "items" and isinstance(value, list):  # the old tuple form
                    kw["prefixItems"] = [self.schema(v, f"{at}/{i}") for i, v in enumerate(value)]
                else:
                    kw[key] = self.schema(value, at)
            elif key in SUBSCHEMA_LISTS:
                if isinstance(value, list):
                    kw[key] = [self.schema(v, f"{at}/{i}") for i, v in enumerate(value)]
            elif key in SUBSCHEMA_MAPS:
                if isinstance(value, dict):
                    kw[key] = {str(k): self.schema(v, f"{at}/{escape(str(k))}") for k, v in value.items()}
            elif key in NUMERIC:
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    kw[key] = value
            elif key == "required":
                if isinstance(value, list):
                    kw[key] = frozenset(str(v) for v in value)
            elif key == "dependentRequired":
                if isinstance(value, dict):
                    kw[key] = {str(k): frozenset(map(str, v)) for k, v in value.items() if isinstance(v, list)}
            elif key == "pattern":
                if isinstance(value, str):
                    kw[key] = frozenset({value})
            elif key == "multipleOf":
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    kw[key] = frozenset({value})
            elif key in ("uniqueItems", "readOnly", "writeOnly", "deprecated"):
                if value is True:
                    kw[key] = True
            elif key == "format":
                if isinstance(value, str):
                    kw[key] = value
            elif key == "discriminator":
                if isinstance(value, dict) and isinstance(value.get("propertyName"), str):
                    kw[key] = self._discriminator(value, raw, pointer)
            elif key == "default":
                kw[key] = canonical(value)
            elif key in ("contentMediaType", "contentEncoding"):
                if isinstance(value, str):
                    kw[key] = value.lower()
            else:
                kw[key] = canonical(value)  # xml, and anything else: compared as it is
        self._types_and_values(raw, kw)
        self._bounds(raw, kw)
        return kw

    def _types_and_values(self, raw: dict[str, Any], kw: dict[str, Any]) -> None:
        declared = raw.get("type")
        types: set[str] | None = None
        if isinstance(declared, str):
            types = {declared}
        elif isinstance(declared, list):
            types = {t for t in declared if isinstance(t, str)}
        if types is None and "enum" not in raw and "const" not in raw:
            types = _implied_type(raw)
        if types is not None and raw.get("nullable") is True:
            types.add("null")  # equivalence "nullable" (3.0: only beside a type)
        if types is not None:
            kw["type"] = _normal_types(types)
        values: frozenset[str] | None = None
        if "const" in raw:  # equivalence "const-enum"
            values = frozenset({canonical(raw["const"])})
        if isinstance(raw.get("enum"), list):
            listed = frozenset(canonical(v) for v in raw["enum"])
            values = listed if values is None else values & listed
        if values is not None:
            kw["enum"] = values  # _finish filters them by the other keywords

    def _bounds(self, raw: dict[str, Any], kw: dict[str, Any]) -> None:
        for bound, flag in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
            value, exclusive = raw.get(bound), raw.get(flag)
            found: list[tuple[float, bool]] = []
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                found.append((value, exclusive is True))  # 3.0 boolean form (equivalence "exclusive-bounds")
            if isinstance(exclusive, (int, float)) and not isinstance(exclusive, bool):
                found.append((exclusive, True))
            if found:
                kw[bound] = _tighter(bound, found)

    def _discriminator(self, value: dict[str, Any], raw: dict[str, Any], pointer: str) -> Discriminator:
        mapping: dict[str, Schema] = {}
        explicit = value.get("mapping")
        if isinstance(explicit, dict):
            for tag, target in explicit.items():
                if isinstance(target, str):
                    ref = target if target.startswith("#") else f"#/components/schemas/{target}"
                    mapping[str(tag)] = self.schema(
                        {"$ref": ref}, f"{pointer}/discriminator/mapping/{escape(str(tag))}"
                    )
        # equivalence "implicit-mapping": each $ref alternative by its component's name
        for key in ("oneOf", "anyOf"):
            branches = raw.get(key)
            for i, branch in enumerate(branches if isinstance(branches, list) else ()):
                ref_value = branch.get("$ref") if isinstance(branch, dict) else None
                if isinstance(ref_value, str) and ref_value.startswith("#/components/schemas/"):
                    schema = self.schema(branch, f"{pointer}/{key}/{i}")
                    if not any(m is schema for m in mapping.values()):
                        mapping[ref_value.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")] = schema
        return Discriminator(str(value["propertyName"]), mapping)

    def _polymorphic(self, raw: dict[str, Any], pointer: str) -> dict[str, Any] | None:
        """Equivalence "polymorphism": a discriminated base that others extend, where it is
        used, is one of them (as a discriminated oneOf)."""
        disc = raw.get("discriminator")
        if not isinstance(disc, dict) or not isinstance(disc.get("propertyName"), str):
            return None
        if "oneOf" in raw or "anyOf" in raw:
            return None
        children = self._children_of(raw)
        if not children:
            return None
        found = disc.get("mapping")
        explicit: dict[str, Any] = found if isinstance(found, dict) else {}
        by_target: dict[str, str] = {}
        for tag, target in explicit.items():
            if isinstance(target, str):
                by_target.setdefault(target.rsplit("/", 1)[-1], str(tag))
        mapping: dict[str, Schema] = {}
        branches: list[Schema] = []
        for name, child, at in children:
            branch = self.schema(child, at)
            branches.append(branch)
            mapping[by_target.get(name, name)] = branch
        return {"oneOf": branches, "discriminator": Discriminator(str(disc["propertyName"]), mapping)}


_OBJECT_WORDS = frozenset({"properties", "additionalProperties", "patternProperties", "minProperties", "maxProperties"})
_OTHER_WORDS = frozenset(k for k, v in _APPLIES.items() if v != "object") | {"format"}


def _implied_type(raw: dict[str, Any]) -> set[str] | None:
    """Equivalence "implied-type": object keywords and no type read as an object, ``items``
    and no type as an array, as OpenAPI tools read them."""
    keys = raw.keys()
    if keys & _OBJECT_WORDS and not keys & _OTHER_WORDS:
        return {"object"}
    if "items" in keys and not keys & (
        _OBJECT_WORDS | (_OTHER_WORDS - {k for k, v in _APPLIES.items() if v == "array"})
    ):
        return {"array"}
    return None


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _tighter(bound: str, found: list[tuple[float, bool]]) -> tuple[float, bool]:
    """The tighter of several lower (or upper) bounds; exclusive wins a tie."""
    if bound == "minimum":
        return max(found, key=lambda b: (b[0], b[1]))
    return min(found, key=lambda b: (b[0], not b[1]))


# --------------------------------------------------------------------------- merging


def _merge(norm: Normalizer, a: dict[str, Any], b: dict[str, Any], pointer: str) -> dict[str, Any] | None:
    """The keywords of a value that must satisfy both ``a`` and ``b``, if one schema says it
    exactly; None if not (the caller keeps the part as an allOf)."""
    if not a:
        return dict(b)
    if not b:
        return dict(a)
    for one, other in ((a, b), (b, a)):
        # additionalProperties (and patternProperties) judge keys by the part's own properties
        if ("additionalProperties" in one or "patternProperties" in one or "unevaluatedProperties" in one) and set(
            other.get("properties", {})
        ) - set(one.get("properties", {})):
            return None
    out = dict(a)
    for key, value in b.items():
        if key not in out:
            out[key] = value
            continue
        mine = out[key]
        if key == "type":
            out[key] = _meet_types(mine, value)
        elif key == "enum":
            out[key] = mine & value
        elif key in ("minimum", "maximum"):
            out[key] = _tighter(key, [mine, value])
        elif key in NUMERIC:
            out[key] = max(mine, value) if key.startswith("min") else min(mine, value)
        elif key in ("pattern", "multipleOf", "required"):
            out[key] = mine | value
        elif key in ("uniqueItems", "readOnly", "writeOnly", "deprecated"):
            out[key] = True
        elif key in ("properties", "patternProperties"):
            joined = dict(mine)
            for name, sub in value.items():
                joined[name] = _both(norm, joined[name], sub, pointer) if name in joined else sub
            out[key] = joined
        elif key in ("additionalProperties", "items", "propertyNames"):
            out[key] = _both(norm, mine, value, pointer)
        elif key == "dependentRequired":
            joined_req = dict(mine)
            for name, names in value.items():
                joined_req[name] = joined_req.get(name, frozenset()) | names
            out[key] = joined_req
        elif key == "allOf":
            out[key] = [*mine, *value]
        elif key == "xml":
            joined_xml = {**json.loads(mine), **json.loads(value)} if mine != value else None
            out[key] = canonical(joined_xml) if joined_xml is not None else mine
        elif key in {"default", "discriminator"}:
            if mine != value:
                return None
        elif key == "format" and mine != value:
            return None
        elif mine != value:
            return None  # two unions, two nots, two different keywords: not one schema
    return out


def _meet_types(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    met = set(a & b)
    if ("integer" in a and "number" in b) or ("number" in a and "integer" in b):
        met.add("integer")
    return _normal_types(met)


def _both(norm: Normalizer, a: Schema, b: Schema, pointer: str) -> Schema:
    """One Schema for a value that satisfies both."""
    if a is b:
        return a

    def make() -> dict[str, Any]:
        merged = _merge(norm, a.kw, b.kw, pointer)
        return _finish(norm, merged, b.pointer) if merged is not None else {**a.kw, "allOf": [b]}

    return norm.derived(("both", id(a), id(b)), b.pointer, make)


# --------------------------------------------------------------------------- finishing


def _finish(norm: Normalizer, kw: dict[str, Any], pointer: str) -> dict[str, Any]:
    kw = _unions(norm, kw, pointer)
    if "enum" in kw:
        _enum_decides(kw)
    _inapplicable(kw)
    _trivial(kw)
    _binary(kw)
    if "discriminator" in kw and "anyOf" not in kw and "oneOf" not in kw:
        del kw["discriminator"]  # equivalence "discriminator-alone"
    return kw


def _enum_decides(kw: dict[str, Any]) -> None:
    """Equivalence "enum-decides": filter the values by the other keywords, derive the type from
    what is left, and drop the keywords every value meets."""
    values = [json.loads(v) for v in kw["enum"]]
    types = kw.get("type")
    if isinstance(types, frozenset):
        values = [v for v in values if _in_types(v, types)]
    for key in _SCALAR_CHECKS:
        if key not in kw:
            continue
        verdicts = [_meets(v, key, kw[key]) for v in values]
        if any(v is None for v in verdicts):
            continue
        values = [v for v, ok in zip(values, verdicts, strict=True) if ok]
        del kw[key]
    kw["type"] = _normal_types({_type_of(v) for v in values})
    kw["enum"] = frozenset(canonical(v) for v in values)


def _inapplicable(kw: dict[str, Any]) -> None:
    """Equivalence "inapplicable"."""
    types = kw.get("type")
    if not isinstance(types, frozenset):
        return
    allowed = set(types) | ({"number"} if "integer" in types else set())
    for key in [k for k in kw if k in _APPLIES]:
        if _APPLIES[key] not in allowed:
            del kw[key]
    if "format" in kw and kw["format"] not in ("binary", "byte") and types <= {"null", "boolean", "object", "array"}:
        del kw["format"]  # string and number formats say nothing of these


def _trivial(kw: dict[str, Any]) -> None:
    """Equivalences "trivial" and "format-lengths"."""
    for key in ("minLength", "minItems", "minProperties", "minContains"):
        if kw.get(key) == 0 and not (key == "minContains" and "contains" in kw):
            del kw[key]
    if kw.get("minContains") == 1:
        del kw["minContains"]  # contains means at least one
    if kw.get("required") == frozenset():
        del kw["required"]
    for key in ("properties", "patternProperties", "dependentSchemas", "dependentRequired"):
        if key in kw and not kw[key]:
            del kw[key]
    for key in ("additionalProperties", "items", "propertyNames", "unevaluatedProperties", "unevaluatedItems"):
        sub = kw.get(key)
        if isinstance(sub, Schema):
            try:
                if not sub.kw:
                    del kw[key]
            except Cycle:
                pass
    fmt = kw.get("format")
    if fmt in _NON_EMPTY_FORMATS and kw.get("minLength") in (0, 1):
        del kw["minLength"]
    exact = _FIXED_LENGTH_FORMATS.get(fmt) if isinstance(fmt, str) else None
    if exact is not None:  # every value has this length: bounds it meets say nothing more
        if isinstance(kw.get("minLength"), int) and kw["minLength"] <= exact:
            del kw["minLength"]
        if isinstance(kw.get("maxLength"), int) and kw["maxLength"] >= exact:
            del kw["maxLength"]
    types = kw.get("type")
    if isinstance(types, frozenset) and types == frozenset({"string", "number", "boolean", "object", "array", "null"}):
        del kw["type"]


def _binary(kw: dict[str, Any]) -> None:
    """Equivalence "binary"."""
    if kw.get("format") == "binary":
        del kw["format"]
        kw.setdefault("contentMediaType", "application/octet-stream")
    elif kw.get("format") == "byte":
        del kw["format"]
        kw.setdefault("contentEncoding", "base64")


def _unions(norm: Normalizer, kw: dict[str, Any], pointer: str) -> dict[str, Any]:
    """Equivalences "nullable", "one-branch", "distribute" and "union-of-types"."""
    for key in ("anyOf", "oneOf"):
        if key not in kw:
            continue
        branches: list[Schema] = list(kw[key])
        if not branches:
            del kw[key]
            continue
        if key == "anyOf":
            flat: list[Schema] = []
            for branch in branches:
                inner = _safe_kw(branch)
                if inner is not None and set(inner) == {"anyOf"}:
                    flat.extend(inner["anyOf"])
                else:
                    flat.append(branch)
            branches = flat
        null = [b for b in branches if _safe_kw(b) == {"type": frozenset({"null"})}]
        real = [b for b in branches if not any(b is n for n in null)]
        rest = {k: v for k, v in kw.items() if k not in (key, "discriminator")}
        if len(real) == 1 and not (key == "oneOf" and null and _accepts_null(real[0])):
            inner = _safe_kw(real[0])
            if inner is not None:
                merged = _merge(norm, rest, inner, pointer)
                if merged is not None:
                    return _with_null(merged) if null else merged
        if len(real) == 0 and null:
            return {**rest, "type": frozenset({"null"})}
        collapsed = _union_of_types(real, rest)
        if collapsed is not None:
            return _with_null(collapsed) if null else collapsed
        distributed = _distribute(norm, real, rest, pointer)
        if distributed is not None:
            if null:
                distributed.append(Schema(pointer, kw={"type": frozenset({"null"})}))
            out = {
                k: v for k, v in kw.items() if k in ("discriminator", "default", "readOnly", "writeOnly", "deprecated")
            }
            out[key] = distributed
            return out
        kw[key] = [*real, *null]
    return kw


def _safe_kw(schema: Schema) -> dict[str, Any] | None:
    try:
        return schema.kw
    except Cycle:
        return None


def _accepts_null(schema: Schema) -> bool:
    types = schema.types
    return types is None or "null" in types


def _with_null(kw: dict[str, Any]) -> dict[str, Any]:
    types = kw.get("type")
    if not isinstance(types, frozenset):
        return kw  # any type: null already
    out = {**kw, "type": types | {"null"}}
    if "enum" in out:
        out["enum"] = out["enum"] | {"null"}
    return out


_BEHAVIOUR = {"default", "readOnly", "writeOnly", "deprecated"}


def _union_of_types(branches: list[Schema], rest: dict[str, Any]) -> dict[str, Any] | None:
    """Equivalence "union-of-types": branches of pairwise different types, each with keywords of
    its own type only, as one schema."""
    if len(branches) < 2 or rest.keys() - _BEHAVIOUR:
        return None
    merged: dict[str, Any] = dict(rest)
    types: set[str] = set()
    for branch in branches:
        kw = _safe_kw(branch)
        if kw is None:
            return None
        mine = kw.get("type")
        if not isinstance(mine, frozenset) or len(mine) != 1 or "enum" in kw:
            return None
        kind = next(iter(mine))
        family = "number" if kind == "integer" else kind
        if any(("number" if t == "integer" else t) == family for t in types):
            return None
        for key in kw.keys() - {"type"}:
            applies = _APPLIES.get(key, "string" if key == "format" and family == "string" else None)
            if key == "format" and family == "number":
                applies = "number"
            if applies != family or key in merged:
                return None  # a keyword of no one type, or two branches with one keyword
            merged[key] = kw[key]
        types.add(kind)
    merged["type"] = _normal_types(types)
    return merged


def _distribute(norm: Normalizer, branches: list[Schema], rest: dict[str, Any], pointer: str) -> list[Schema] | None:
    """Equivalence "distribute": the keywords beside a union, merged into each branch."""
    own = {k: v for k, v in rest.items() if k not in _BEHAVIOUR}
    if not own:
        return branches
    out: list[Schema] = []
    for branch in branches:
        kw = _safe_kw(branch)
        if kw is None:
            return None
        merged = _merge(norm, own, kw, pointer)
        if merged is None:
            return None
        finished = _finish(norm, merged, branch.pointer)
        out.append(Schema(branch.pointer, kw=finished))
    return out
