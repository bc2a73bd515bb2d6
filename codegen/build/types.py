"""Types for the schemas of parameters, bodies, responses and headers.

Models are the model engine's job; this module types what sits *around* them, in route
signatures and interfaces, choosing the spellings for which FastAPI derives the same schema
the spec has: ``Literal`` for an inline enum (FastAPI keeps it inline), ``T | None`` only when
the spec says nullable, constraints as ``Query(ge=...)`` keywords, formats via ``formats``.
Types are data (:data:`codegen.ir.Type`); class names come from the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from codegen import ir
from codegen.build.formats import Formats
from codegen.build.models import ModelView
from codegen.build.schema import ANNOTATIONS, is_object_like, says_nullable
from codegen.regex import regex_engine

__all__ = ["Typed", "Typer", "UnsupportedSchema"]

_PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_STRICT = {"integer": "StrictInt", "number": "StrictFloat", "boolean": "StrictBool"}
_FIELD = ir.Named("pydantic", "Field")


class UnsupportedSchema(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Typed:
    type: ir.Type
    nullable: bool
    constraints: tuple[tuple[str, ir.Value], ...]  # for the outermost Field/Query/...

    @property
    def full(self) -> ir.Type:
        return ir.union(self.type, ir.NONE) if self.nullable else self.type


def constraints(schema: dict[str, Any], kind: str | None) -> list[tuple[str, ir.Value]]:
    """A schema's constraints as the keywords of Pydantic's ``Field`` (and FastAPI's ``Query``...)."""
    out: list[tuple[str, ir.Value]] = []
    if kind in ("integer", "number"):
        minimum, maximum = schema.get("minimum"), schema.get("maximum")
        ex_min, ex_max = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
        if isinstance(ex_min, bool):  # 3.0 spelling
            if minimum is not None:
                out.append(("gt" if ex_min else "ge", minimum))
        else:
            if minimum is not None:
                out.append(("ge", minimum))
            if ex_min is not None:
                out.append(("gt", ex_min))
        if isinstance(ex_max, bool):
            if maximum is not None:
                out.append(("lt" if ex_max else "le", maximum))
        else:
            if maximum is not None:
                out.append(("le", maximum))
            if ex_max is not None:
                out.append(("lt", ex_max))
        if schema.get("multipleOf") is not None:
            out.append(("multiple_of", schema["multipleOf"]))
    elif kind == "string":
        for key, kw in (("minLength", "min_length"), ("maxLength", "max_length")):
            if isinstance(schema.get(key), int):
                out.append((kw, schema[key]))
        if isinstance(schema.get("pattern"), str) and regex_engine(schema["pattern"]) == "rust":
            out.append(("pattern", schema["pattern"]))
    elif kind == "array":
        for key, kw in (("minItems", "min_length"), ("maxItems", "max_length")):
            if isinstance(schema.get(key), int):
                out.append((kw, schema[key]))
    return out


def _discriminated(members: list[str], prop: str) -> ir.Type:
    union = ir.UnionOf(tuple(ir.model(name) for name in members))
    return ir.AnnotatedOf(union, (ir.pydantic_field(discriminator=prop),))


class Typer:
    """Types schemas against one package's model view and formats."""

    def __init__(self, view: ModelView, formats: Formats) -> None:
        self.view = view
        self.formats = formats

    def type_of(self, schema: Any, *, pointer: str, scalar: bool = False, hint: str = "") -> Typed:
        """The type of the schema at ``pointer`` (where it is in the document: inline objects
        are named by it). ``scalar``: the value is a parameter or header, which FastAPI cannot
        take as a model, so referenced primitives and arrays are typed inline, not as classes."""
        if not isinstance(schema, dict) or not schema:
            return Typed(ir.ANY, False, ())
        ref = schema.get("$ref")
        if isinstance(ref, str):
            target, at = self.view.locate(schema, pointer)
            if scalar and is_object_like(target):
                raise UnsupportedSchema("an object is not a simple value")
            if scalar and isinstance(target, dict) and "enum" not in target:
                return self.type_of(target, scalar=True, pointer=at)
            nullable = bool(self.view.ref_siblings(schema).get("nullable")) or says_nullable(target)
            subtypes = self.view.subtypes(at)
            if len(subtypes) > 1:
                return Typed(_discriminated(subtypes, str(target["discriminator"]["propertyName"])), nullable, ())
            cls = subtypes[0] if subtypes else self.view.ref_class(ref)
            if cls is None:
                raise UnsupportedSchema(f"$ref {ref!r} does not name a schema")
            return Typed(ir.model(cls), nullable, ())
        if is_object_like(schema):
            if scalar:
                raise UnsupportedSchema("an object is not a simple value")
            cls = self.view.namer.hoist(pointer, hint, schema)
            return Typed(ir.model(cls), _nullable(schema), ())
        return self._inline(schema, scalar=scalar, hint=hint, pointer=pointer)

    def parameter_type(self, schema: Any, *, hint: str, pointer: str) -> tuple[Typed, str]:
        """A parameter's type and shape: ``"scalar"`` (or an array of scalars), ``"object"``
        (a model, decoded from the parameter's style), or ``"objects"`` (an array of models,
        each item JSON text: OpenAPI defines no other serialization for it)."""
        schema, pointer = _annotated(schema, pointer)
        target = self.view.deref(schema) if isinstance(schema, dict) else schema
        if _is_object(target):
            model = self._model_expr(schema, hint, pointer)
            return Typed(ir.Generic(ir.Named("rt", "ObjectParam"), (model,)), False, ()), "object"
        items = target.get("items") if isinstance(target, dict) and target.get("type") == "array" else None
        items, items_at = _annotated(items, f"{pointer}/items")
        item_target = self.view.deref(items) if isinstance(items, dict) else None
        if _is_object(item_target):
            assert isinstance(target, dict) and isinstance(items, dict)
            item = ir.Generic(ir.Named("rt", "JsonParam"), (self._model_expr(items, f"{hint} Item", items_at),))
            return Typed(ir.Generic(ir.builtin("list"), (item,)), False, tuple(constraints(target, "array"))), "objects"
        return self.type_of(schema, scalar=True, hint=hint, pointer=pointer), "scalar"

    def _model_expr(self, schema: dict[str, Any], hint: str, pointer: str) -> ir.Type:
        """The model class of an object schema, hoisted if inline; a free-form object's dict."""
        target = self.view.deref(schema)
        if not (is_object_like(target) or _is_plain_object(target)):
            return self.type_of(schema, hint=hint, pointer=pointer).full
        ref = schema.get("$ref")
        if isinstance(ref, str):
            cls = self.view.ref_class(ref)
            if cls is None:
                raise UnsupportedSchema(f"$ref {ref!r} does not name a schema")
            return ir.model(cls)
        return ir.model(self.view.namer.hoist(pointer, hint, schema))

    def _merged_primitive(self, parts: list[Any]) -> dict[str, Any] | None:
        """The parts of an ``allOf`` as one schema, when none is an object or a composition
        and they never disagree on a keyword; else None."""
        merged: dict[str, Any] = {}
        for part in parts:
            target = self.view.deref(part)
            if not isinstance(target, dict) or _is_object(target):
                return None
            if any(key in target for key in ("allOf", "oneOf", "anyOf", "properties", "items")):
                return None
            for key, value in target.items():
                if key in merged and merged[key] != value and key not in ANNOTATIONS:
                    return None
                merged.setdefault(key, value)
        return merged if merged.get("type") not in (None, "object", "array") else None

    def _inline(self, schema: dict[str, Any], *, scalar: bool, hint: str, pointer: str) -> Typed:
        nullable = _nullable(schema)
        tagged = self.view.tagged_branches(schema, pointer)
        if tagged is not None:
            return Typed(_discriminated(tagged, str(schema["discriminator"]["propertyName"])), nullable, ())
        for key in ("oneOf", "anyOf"):
            branches = schema.get(key)
            if isinstance(branches, list) and branches:
                parts: list[ir.Type] = []
                for i, branch in enumerate(branches):
                    if isinstance(branch, dict) and branch.get("type") == "null":
                        nullable = True
                        continue
                    typed = self.type_of(
                        branch, scalar=scalar, hint=f"{hint} Option {i + 1}", pointer=f"{pointer}/{key}/{i}"
                    )
                    parts.append(self._annotate(typed))
                if not parts:
                    return Typed(ir.NONE, False, ())
                return Typed(ir.union(*parts), nullable, ())
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1:
            inner = self.type_of(all_of[0], scalar=scalar, hint=hint, pointer=pointer + "/allOf/0")
            return Typed(inner.type, nullable or inner.nullable, inner.constraints)
        merged = self._merged_primitive(all_of) if isinstance(all_of, list) else None
        if merged is not None:
            # allOf: [{$ref: String}, {maxLength: 5}]: one primitive schema, refined
            primitive = {**merged, **{k: v for k, v in schema.items() if k != "allOf"}}
            inner = self.type_of(primitive, scalar=scalar, pointer=pointer)
            return Typed(inner.type, nullable or inner.nullable, inner.constraints)
        if "const" in schema:
            return Typed(ir.LiteralOf((schema["const"],)), nullable, ())
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            values = [v for v in enum if v is not None]
            if None in enum:
                nullable = True
            if values and all(isinstance(v, (str, int, bool)) for v in values):
                return Typed(ir.LiteralOf(tuple(values)), nullable, ())
        kind = self._kind(schema)
        found = tuple(constraints(schema, kind))
        if kind is None:
            return Typed(ir.ANY, False, ())
        if kind == "null":
            return Typed(ir.NONE, False, ())
        if kind == "array":
            item = self.type_of(schema.get("items"), scalar=scalar, hint=f"{hint} Item", pointer=pointer + "/items")
            return Typed(ir.Generic(ir.builtin("list"), (self._annotate(item),)), nullable, found)
        if kind == "object":
            if scalar:
                raise UnsupportedSchema("an object is not a simple value")
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                value = self.type_of(extra, hint=f"{hint} Value", pointer=pointer + "/additionalProperties")
                return Typed(ir.Generic(ir.builtin("dict"), (ir.builtin("str"), self._annotate(value))), nullable, ())
            return Typed(ir.Generic(ir.builtin("dict"), (ir.builtin("str"), ir.ANY)), nullable, ())
        base: ir.Type = ir.builtin(_PRIMITIVES[kind])
        if not scalar and kind in _STRICT:
            # a body is JSON: "5" is not an integer there, though Pydantic's lax mode takes it
            base = ir.Named("pydantic", _STRICT[kind])
        fmt = schema.get("format")
        if isinstance(fmt, str):
            formatted = self.formats.type_for(kind, fmt, text=scalar)
            if formatted is not None:
                base = formatted
        pattern = schema.get("pattern")
        if kind == "string" and isinstance(pattern, str) and regex_engine(pattern) == "python":
            # Pydantic's engine has no look-around; this marker validates with ``re`` instead.
            # Constraints go inside, so they apply to the string before the marker wraps it.
            metadata = [ir.Call(_FIELD, (), found)] if found else []
            metadata.append(ir.Call(ir.Named("rt", "PythonPattern"), (pattern,)))
            return Typed(ir.AnnotatedOf(base, tuple(metadata)), nullable, ())
        return Typed(base, nullable, found)

    def _kind(self, schema: dict[str, Any]) -> str | None:
        types = schema.get("type")
        if isinstance(types, list):
            rest = [t for t in types if t != "null"]
            if len(rest) == 1:
                types = rest[0]
            elif not rest:
                return "null"
            else:
                raise UnsupportedSchema(f"a value of several types {rest} is not supported here")
        if isinstance(types, str) and (types in _PRIMITIVES or types in ("array", "object", "null")):
            return types
        if "properties" in schema or "additionalProperties" in schema:
            return "object"
        if "items" in schema:
            return "array"
        return None

    def _annotate(self, typed: Typed) -> ir.Type:
        """The full type with its own constraints attached, for use inside a container."""
        if not typed.constraints:
            return typed.full
        return ir.AnnotatedOf(typed.full, (ir.Call(_FIELD, (), typed.constraints),))


def _nullable(schema: dict[str, Any]) -> bool:
    types = schema.get("type")
    return schema.get("nullable") is True or (isinstance(types, list) and "null" in types)


def _is_object(schema: Any) -> bool:
    """Any object schema, with properties or free-form (``additionalProperties``)."""
    if not isinstance(schema, dict) or "enum" in schema:
        return False
    return (
        is_object_like(schema)
        or schema.get("type") == "object"
        or (schema.get("type") is None and ("properties" in schema or "additionalProperties" in schema))
    )


def _is_plain_object(schema: Any) -> bool:
    """``type: object`` with properties only by reference or none at all: still a model."""
    return isinstance(schema, dict) and schema.get("type") == "object" and isinstance(schema.get("properties"), dict)


def _annotated(schema: Any, pointer: str) -> tuple[Any, str]:
    """``allOf: [X, {xml: ...}]``, X with annotations only beside it, is X."""
    if not isinstance(schema, dict) or not isinstance(schema.get("allOf"), list):
        return schema, pointer
    if set(schema) - ANNOTATIONS - {"allOf"}:
        return schema, pointer
    substantive = [
        (p, f"{pointer}/allOf/{i}")
        for i, p in enumerate(schema["allOf"])
        if not (isinstance(p, dict) and set(p) <= ANNOTATIONS)
    ]
    return substantive[0] if len(substantive) == 1 else (schema, pointer)
