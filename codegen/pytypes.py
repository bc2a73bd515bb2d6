"""Python type expressions for the schemas of parameters, bodies, responses and headers.

Models are the model engine's job; this module types what sits *around* them, in route
signatures and interfaces, choosing the spellings for which FastAPI derives the same schema
the spec has: ``Literal`` for an inline enum (FastAPI keeps it inline), ``T | None`` only when
the spec says nullable, constraints as ``Query(ge=...)`` keywords, formats via ``formats``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from codegen.formats import Formats
from codegen.ir import TypeExpr
from codegen.regex import regex_engine
from codegen.schemas import ANNOTATIONS, SchemaPlan, is_object_like, says_nullable

__all__ = ["Typed", "Typer", "UnsupportedSchema", "literal"]

ANY = TypeExpr("Any", frozenset({("typing", "Any")}))
NONE = TypeExpr("None")
_PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_STRICT = {"integer": "StrictInt", "number": "StrictFloat", "boolean": "StrictBool"}


class UnsupportedSchema(Exception):
    pass


def literal(value: Any) -> str:
    """Python source for a JSON value; never anything but a literal."""
    if isinstance(value, float) and not math.isfinite(value):
        raise UnsupportedSchema(f"{value!r} is not a JSON number")
    if value is None or isinstance(value, (bool, int, float, str)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{literal(str(k))}: {literal(v)}" for k, v in value.items())
        return "{" + items + "}"
    raise UnsupportedSchema(f"{type(value).__name__} is not a JSON value")


@dataclass(frozen=True, slots=True)
class Typed:
    type: TypeExpr
    nullable: bool
    constraints: tuple[tuple[str, str], ...]  # for the outermost Field/Query/...

    @property
    def full(self) -> TypeExpr:
        return TypeExpr.union(self.type, NONE) if self.nullable else self.type


def _constraints(schema: dict[str, Any], kind: str | None) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if kind in ("integer", "number"):
        minimum, maximum = schema.get("minimum"), schema.get("maximum")
        ex_min, ex_max = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
        if isinstance(ex_min, bool):  # 3.0 spelling
            if minimum is not None:
                out.append(("gt" if ex_min else "ge", literal(minimum)))
        else:
            if minimum is not None:
                out.append(("ge", literal(minimum)))
            if ex_min is not None:
                out.append(("gt", literal(ex_min)))
        if isinstance(ex_max, bool):
            if maximum is not None:
                out.append(("lt" if ex_max else "le", literal(maximum)))
        else:
            if maximum is not None:
                out.append(("le", literal(maximum)))
            if ex_max is not None:
                out.append(("lt", literal(ex_max)))
        if schema.get("multipleOf") is not None:
            out.append(("multiple_of", literal(schema["multipleOf"])))
    elif kind == "string":
        for key, kw in (("minLength", "min_length"), ("maxLength", "max_length")):
            if isinstance(schema.get(key), int):
                out.append((kw, literal(schema[key])))
        if isinstance(schema.get("pattern"), str) and regex_engine(schema["pattern"]) == "rust":
            out.append(("pattern", literal(schema["pattern"])))
    elif kind == "array":
        for key, kw in (("minItems", "min_length"), ("maxItems", "max_length")):
            if isinstance(schema.get(key), int):
                out.append((kw, literal(schema[key])))
    return out


class Typer:
    """Types schemas against one package's models and formats."""

    def __init__(self, plan: SchemaPlan, formats: Formats) -> None:
        self.plan = plan
        self.formats = formats

    def type_of(self, schema: Any, *, scalar: bool = False, hint: str = "", pointer: str = "") -> Typed:
        """``scalar``: the value is a parameter or header, which FastAPI cannot take as a model,
        so referenced primitives and arrays are typed inline rather than as classes."""
        if not isinstance(schema, dict) or not schema:
            return Typed(ANY, False, ())
        ref = schema.get("$ref")
        if isinstance(ref, str):
            target = self.plan.deref(schema)
            if scalar and is_object_like(target):
                raise UnsupportedSchema("an object is not a simple value")
            if scalar and isinstance(target, dict) and "enum" not in target:
                return self.type_of(target, scalar=True)
            nullable = bool(schema.get("nullable")) or says_nullable(target)
            subtypes = self.plan.subtypes(target)
            if len(subtypes) > 1:
                prop = literal(target["discriminator"]["propertyName"])
                union = " | ".join(f"models.{name}" for name in subtypes)
                imports = frozenset({("typing", "Annotated"), ("pydantic", "Field")})
                return Typed(TypeExpr(f"Annotated[{union}, Field(discriminator={prop})]", imports), nullable, ())
            cls = subtypes[0] if subtypes else self.plan.ref_class(ref)
            if cls is None:
                raise UnsupportedSchema(f"$ref {ref!r} does not name a schema")
            return Typed(TypeExpr(f"models.{cls}"), nullable, ())
        if is_object_like(schema):
            if scalar:
                raise UnsupportedSchema("an object is not a simple value")
            cls = self.plan.hoist(schema, hint, pointer)
            return Typed(TypeExpr(f"models.{cls}"), self._nullable(schema), ())
        return self._inline(schema, scalar=scalar, hint=hint, pointer=pointer)

    def parameter_type(self, schema: Any, *, hint: str, pointer: str) -> tuple[Typed, str]:
        """A parameter's type and shape: ``"scalar"`` (or an array of scalars), ``"object"``
        (a model, decoded from the parameter's style), or ``"objects"`` (an array of models,
        each item JSON text: OpenAPI defines no other serialization for it)."""
        schema = _annotated(schema)
        target = self.plan.deref(schema) if isinstance(schema, dict) else schema
        if _is_object(target):
            return Typed(self._model_expr(schema, hint, pointer).wrap("rt.ObjectParam[{}]"), False, ()), "object"
        items = target.get("items") if isinstance(target, dict) and target.get("type") == "array" else None
        items = _annotated(items)
        item_target = self.plan.deref(items) if isinstance(items, dict) else None
        if _is_object(item_target):
            assert isinstance(target, dict) and isinstance(items, dict)
            item = self._model_expr(items, f"{hint} Item", f"{pointer}/items").wrap("rt.JsonParam[{}]")
            return Typed(item.wrap("list[{}]"), False, tuple(_constraints(target, "array"))), "objects"
        return self.type_of(schema, scalar=True, hint=hint, pointer=pointer), "scalar"

    def _model_expr(self, schema: dict[str, Any], hint: str, pointer: str) -> TypeExpr:
        """The model class of an object schema, hoisted if inline; a free-form object's dict."""
        target = self.plan.deref(schema)
        if not (is_object_like(target) or _is_plain_object(target)):
            return self.type_of(schema, hint=hint, pointer=pointer).full
        ref = schema.get("$ref")
        if isinstance(ref, str):
            cls = self.plan.ref_class(ref)
            if cls is None:
                raise UnsupportedSchema(f"$ref {ref!r} does not name a schema")
            return TypeExpr(f"models.{cls}")
        return TypeExpr(f"models.{self.plan.hoist(schema, hint, pointer)}")

    def _merged_primitive(self, parts: list[Any]) -> dict[str, Any] | None:
        """The parts of an ``allOf`` as one schema, when none is an object or a composition
        and they never disagree on a keyword; else None."""
        merged: dict[str, Any] = {}
        for part in parts:
            target = self.plan.deref(part)
            if not isinstance(target, dict) or _is_object(target):
                return None
            if any(key in target for key in ("allOf", "oneOf", "anyOf", "properties", "items")):
                return None
            for key, value in target.items():
                if key in merged and merged[key] != value and key not in ANNOTATIONS:
                    return None
                merged.setdefault(key, value)
        return merged if merged.get("type") not in (None, "object", "array") else None

    def _nullable(self, schema: dict[str, Any]) -> bool:
        types = schema.get("type")
        return schema.get("nullable") is True or (isinstance(types, list) and "null" in types)

    def _inline(self, schema: dict[str, Any], *, scalar: bool, hint: str, pointer: str) -> Typed:
        nullable = self._nullable(schema)
        tagged = self.plan.tagged_branches(schema)
        if tagged is not None:
            prop = literal(schema["discriminator"]["propertyName"])
            union = " | ".join(f"models.{cls}" for cls in tagged)
            imports = frozenset({("typing", "Annotated"), ("pydantic", "Field")})
            return Typed(TypeExpr(f"Annotated[{union}, Field(discriminator={prop})]", imports), nullable, ())
        for key in ("oneOf", "anyOf"):
            branches = schema.get(key)
            if isinstance(branches, list) and branches:
                parts: list[TypeExpr] = []
                for i, branch in enumerate(branches):
                    if isinstance(branch, dict) and branch.get("type") == "null":
                        nullable = True
                        continue
                    parts.append(self._annotate(self.type_of(branch, scalar=scalar, hint=f"{hint} Option {i + 1}")))
                if not parts:
                    return Typed(NONE, False, ())
                return Typed(TypeExpr.union(*parts), nullable, ())
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1:
            inner = self.type_of(all_of[0], scalar=scalar, hint=hint, pointer=pointer + "/allOf/0")
            return Typed(inner.type, nullable or inner.nullable, inner.constraints)
        merged = self._merged_primitive(all_of) if isinstance(all_of, list) else None
        if merged is not None:
            # allOf: [{$ref: String}, {maxLength: 5}]: one primitive schema, refined
            inner = self.type_of({**merged, **{k: v for k, v in schema.items() if k != "allOf"}}, scalar=scalar)
            return Typed(inner.type, nullable or inner.nullable, inner.constraints)
        if "const" in schema:
            return Typed(
                TypeExpr(f"Literal[{literal(schema['const'])}]", frozenset({("typing", "Literal")})), nullable, ()
            )
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            values = [v for v in enum if v is not None]
            if None in enum:
                nullable = True
            if values and all(isinstance(v, (str, int, bool)) for v in values):
                members = ", ".join(literal(v) for v in values)
                return Typed(TypeExpr(f"Literal[{members}]", frozenset({("typing", "Literal")})), nullable, ())
        kind = self._kind(schema)
        constraints = tuple(_constraints(schema, kind))
        if kind is None:
            return Typed(ANY, False, ())
        if kind == "null":
            return Typed(NONE, False, ())
        if kind == "array":
            items = schema.get("items")
            item = self.type_of(items, scalar=scalar, hint=f"{hint} Item", pointer=pointer + "/items")
            return Typed(self._annotate(item).wrap("list[{}]"), nullable, constraints)
        if kind == "object":
            if scalar:
                raise UnsupportedSchema("an object is not a simple value")
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                value = self.type_of(extra, hint=f"{hint} Value", pointer=pointer + "/additionalProperties")
                return Typed(self._annotate(value).wrap("dict[str, {}]"), nullable, ())
            return Typed(ANY.wrap("dict[str, {}]"), nullable, ())
        base = TypeExpr(_PRIMITIVES[kind])
        if not scalar and kind in _STRICT:
            # a body is JSON: "5" is not an integer there, though Pydantic's lax mode takes it
            base = TypeExpr(_STRICT[kind], frozenset({("pydantic", _STRICT[kind])}))
        fmt = schema.get("format")
        if isinstance(fmt, str):
            found = self.formats.type_for(kind, fmt, text=scalar)
            if found is not None:
                base = found
        pattern = schema.get("pattern")
        if kind == "string" and isinstance(pattern, str) and regex_engine(pattern) == "python":
            # Pydantic's engine has no look-around; this marker validates with ``re`` instead.
            # Constraints go inside, so they apply to the string before the marker wraps it.
            kwargs = ", ".join(f"{k}={v}" for k, v in constraints)
            pieces = [
                base.code,
                *([f"Field({kwargs})"] if kwargs else []),
                f"rt.PythonPattern({literal(pattern)})",
            ]
            imports = base.imports | {("typing", "Annotated")} | ({("pydantic", "Field")} if kwargs else set())
            return Typed(TypeExpr(f"Annotated[{', '.join(pieces)}]", frozenset(imports)), nullable, ())
        return Typed(base, nullable, constraints)

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

    def _annotate(self, typed: Typed) -> TypeExpr:
        """The full type with its own constraints attached, for use inside a container."""
        full = typed.full
        if not typed.constraints:
            return full
        kwargs = ", ".join(f"{k}={v}" for k, v in typed.constraints)
        return TypeExpr(
            f"Annotated[{full.code}, Field({kwargs})]",
            full.imports | {("typing", "Annotated"), ("pydantic", "Field")},
        )


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


def _annotated(schema: Any) -> Any:
    """``allOf: [X, {xml: ...}]``, X with annotations only beside it, is X."""
    if not isinstance(schema, dict) or not isinstance(schema.get("allOf"), list):
        return schema
    if set(schema) - ANNOTATIONS - {"allOf"}:
        return schema
    substantive = [p for p in schema["allOf"] if not (isinstance(p, dict) and set(p) <= ANNOTATIONS)]
    return substantive[0] if len(substantive) == 1 else schema
