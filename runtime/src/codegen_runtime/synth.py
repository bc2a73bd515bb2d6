"""Example data from a JSON schema.

Used by mock mode (``create_app(mock=True)``) and to fill the spec's error model when a request
is invalid. The schema is the one Pydantic derives from the generated types, so data that
satisfies it validates against those same types. Deterministic: the same schema gives the same
data.
"""

from __future__ import annotations

import re
from re import _parser as _sre_p  # type: ignore[attr-defined,unused-ignore]  # private, untyped in some typeshed views
from typing import Any

__all__ = ["synthesize"]

_FORMATS: dict[str, str] = {
    "date-time": "2024-01-02T03:04:05Z",
    "date": "2024-01-02",
    "time": "03:04:05",
    "duration": "PT1H",
    "uuid": "123e4567-e89b-42d3-a456-426614174000",
    "email": "user@example.com",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "aGVsbG8=",
    "binary": "binary",
    "password": "secret",
}
_MESSAGE = re.compile(r"message|detail|title|error|description|reason|msg", re.IGNORECASE)
_STATUS = re.compile(r"^(status|code|status_?code)$", re.IGNORECASE)


def synthesize(schema: Any, *, hints: dict[str, Any] | None = None, examples: bool = True) -> Any:
    """A value that satisfies ``schema`` (resolving ``$defs`` references); ``examples``: use
    the schema's own examples where they have its type."""
    return _Synth(schema, hints or {}, examples).value(schema, "", 0)


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
    "null": (type(None),),
}


def _of_type(value: Any, kind: Any) -> bool:
    """Whether ``value`` has the JSON type ``kind`` (any, when the schema names none)."""
    kinds = kind if isinstance(kind, list) else [kind]
    if kind is None:
        return True
    for name in kinds:
        types = _JSON_TYPES.get(str(name), ())
        if isinstance(value, types) and not (isinstance(value, bool) and name in ("integer", "number")):
            return True
    return False


class _Synth:
    def __init__(self, root: Any, hints: dict[str, Any], examples: bool = True) -> None:
        self.root = root
        self.hints = hints
        self.examples = examples

    def resolve(self, ref: str) -> Any:
        node = self.root
        for raw in ref.lstrip("#/").split("/"):
            if not raw:
                continue
            part = raw.replace("~1", "/").replace("~0", "~")
            node = node.get(part, {}) if isinstance(node, dict) else {}
        return node

    def value(self, schema: Any, name: str, depth: int) -> Any:
        if not isinstance(schema, dict) or depth > 12:
            return None
        if "$ref" in schema:
            return self.value(self.resolve(schema["$ref"]), name, depth + 1)
        if "const" in schema:
            return schema["const"]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return schema["enum"][0]
        if self.examples and isinstance(schema.get("examples"), list) and schema["examples"]:
            # a spec's example is not always of its schema's type (``type: integer, example: "200"``)
            fitting = [e for e in schema["examples"] if _of_type(e, schema.get("type"))]
            if fitting:
                return fitting[0]
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list) and schema[key]:
                branches = [b for b in schema[key] if not (isinstance(b, dict) and b.get("type") == "null")]
                return self.value(branches[0] if branches else schema[key][0], name, depth + 1)
        if isinstance(schema.get("allOf"), list):
            merged: dict[str, Any] = {}
            for part in schema["allOf"]:
                value = self.value(part, name, depth + 1)
                if isinstance(value, dict):
                    merged.update(value)
            return merged
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind is None:
            kind = "object" if "properties" in schema else "array" if "items" in schema else "string"
        return getattr(self, f"_{kind}", self._null)(schema, name, depth)

    def _null(self, schema: dict[str, Any], name: str, depth: int) -> Any:
        return None

    def _boolean(self, schema: dict[str, Any], name: str, depth: int) -> Any:
        return True

    def _integer(self, schema: dict[str, Any], name: str, depth: int) -> int:
        hint = self.hints.get("status")
        if hint is not None and _STATUS.match(name) and self._fits(hint, schema):
            return int(hint)
        return int(self._number(schema, name, depth, integer=True))

    def _fits(self, value: float, schema: dict[str, Any]) -> bool:
        return bool(
            value >= schema.get("minimum", value)
            and value <= schema.get("maximum", value)
            and value > schema.get("exclusiveMinimum", value - 1)
            and value < schema.get("exclusiveMaximum", value + 1)
        )

    def _number(self, schema: dict[str, Any], name: str, depth: int, integer: bool = False) -> float:
        low = schema.get("minimum")
        if "exclusiveMinimum" in schema:
            ex = schema["exclusiveMinimum"]
            low = ex + (1 if integer else 0.5) if low is None or ex >= low else low
        high = schema.get("maximum")
        if "exclusiveMaximum" in schema:
            ex = schema["exclusiveMaximum"]
            high = ex - (1 if integer else 0.5) if high is None or ex <= high else high
        value: float = low if low is not None else (min(1, high) if high is not None else 1)
        step = schema.get("multipleOf")
        if step:
            value = -(-value // step) * step
        return value

    def _string(self, schema: dict[str, Any], name: str, depth: int) -> str:
        hint = self.hints.get("message")
        fmt = schema.get("format")
        text: str
        if isinstance(hint, str) and _MESSAGE.search(name) and not fmt and "pattern" not in schema:
            text = hint
        elif isinstance(fmt, str) and fmt in _FORMATS:
            text = _FORMATS[fmt]
        elif isinstance(schema.get("pattern"), str):
            text = _from_pattern(schema["pattern"]) or "string"
        else:
            text = "string"
        low, high = schema.get("minLength", 0), schema.get("maxLength")
        if len(text) < low:
            text += "x" * (low - len(text))
        if high is not None and len(text) > high:
            text = text[:high]
        return text

    def _array(self, schema: dict[str, Any], name: str, depth: int) -> list[Any]:
        count = max(schema.get("minItems", 1), 0)
        if schema.get("maxItems") is not None:
            count = min(count, schema["maxItems"])
        prefix = schema.get("prefixItems") or []
        items = [self.value(p, name, depth + 1) for p in prefix]
        while len(items) < count:
            items.append(self.value(schema.get("items", {}), name, depth + 1))
        return items

    def _object(self, schema: dict[str, Any], name: str, depth: int) -> dict[str, Any]:
        props = schema.get("properties") or {}
        required = schema.get("required") or []
        result: dict[str, Any] = {}
        for key in props:
            if key in required or depth == 0:
                result[key] = self.value(props[key], key, depth + 1)
        for key in required:
            if key not in result:
                result[key] = "string"
        return result


def _from_pattern(pattern: str) -> str | None:
    """A string matching ``pattern``, or None when the pattern is beyond this small generator."""
    try:
        parsed = _sre_p.parse(pattern)
        text = _emit(list(parsed))
        return text if re.search(pattern, text) else None
    except (re.error, RecursionError, ValueError, TypeError, IndexError):
        return None


def _emit(items: list[Any]) -> str:
    out: list[str] = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "ANY":
            out.append("a")
        elif name == "IN":
            out.append(_class_char(arg))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _high, sub = arg
            out.append(_emit(list(sub)) * low)
        elif name == "SUBPATTERN":
            out.append(_emit(list(arg[-1])))
        elif name == "BRANCH":
            out.append(_emit(list(arg[1][0])))
        elif name == "CATEGORY":
            out.append(_category(arg))
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        else:
            raise ValueError(name)
    return "".join(out)


def _category(arg: Any) -> str:
    name = str(arg)
    if "DIGIT" in name and "NOT" not in name:
        return "0"
    if "SPACE" in name and "NOT" not in name:
        return " "
    return "a"


def _class_char(items: list[Any]) -> str:
    negate = any(str(op) == "NEGATE" for op, _ in items)
    if negate:
        excluded = {chr(a) for op, a in items if str(op) == "LITERAL"}
        return next(c for c in "aA0_-" if c not in excluded)
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            return chr(arg)
        if name == "RANGE":
            return chr(arg[0])
        if name == "CATEGORY":
            return _category(arg)
    return "a"
