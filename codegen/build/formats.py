"""Which Python type stands for each ``type`` + ``format`` pair.

Every format the spec uses gets a named alias in the generated ``formats.py``: an annotated
type whose JSON schema carries the format and whose validation does what the format says
(``int32`` bounds; ``date-time`` only as RFC 3339 text, not a Unix timestamp). Formats Pydantic
already describes and checks exactly (``uuid``, ``email``, ``ipv4``/``ipv6``) use its types.

Numbers come in two flavours. In a JSON body a value must already have the spec's JSON type
(``"5"`` is not an integer), so those aliases are strict; in a path, query, header or cookie
everything is text, so the ``...Text`` aliases parse it.

:func:`format_table` names the alias of every pair a document uses, once, in sorted order:
the table is data, the same however the rest of the build reads it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from codegen import ir
from codegen.naming import Namespace, class_name

__all__ = ["ENGINE_ALIASES", "PYDANTIC_FORMATS", "FormatAlias", "Formats", "format_table", "type_format_pairs"]

# string formats whose Pydantic type documents and checks exactly what the format says
PYDANTIC_FORMATS: dict[str, tuple[str, str]] = {
    "uuid": ("uuid", "UUID"),
    "email": ("pydantic", "EmailStr"),
    "ipv4": ("ipaddress", "IPv4Address"),
    "ipv6": ("ipaddress", "IPv6Address"),
}

# (type, format) -> the model engine's name for it: mapped through its type manager to our
# aliases, where its own mapping would drop the format or accept too much.
ENGINE_ALIASES: dict[tuple[str, str], str] = {
    ("integer", "int32"): "int32",
    ("integer", "int64"): "int64",
    ("number", "float"): "float",
    ("number", "double"): "double",
    ("string", "uri"): "uri",
    ("string", "password"): "password",
    ("string", "byte"): "byte",
    ("string", "hostname"): "hostname",
    ("string", "date-time"): "date_time",
    ("string", "date"): "date",
    ("string", "time"): "time",
    ("string", "duration"): "timedelta",
}

_BASE = {"integer": "int", "number": "float", "string": "str"}
_NATURAL = {"int32": "integer", "int64": "integer", "float": "number", "double": "number"}
_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
# formats whose value is parsed into a Python object, with the type it becomes
_PARSED = {
    "date-time": ("pydantic", "AwareDatetime"),
    "date": ("datetime", "date"),
    "time": ("datetime", "time"),
    "duration": ("datetime", "timedelta"),
}
_MARKERS = {"int": "IntFormat", "float": "NumberFormat", "str": "StrFormat"}
# Names formats.py imports: no alias may take one.
_RESERVED = {"Annotated", "IntFormat", "NumberFormat", "StrFormat", "TextFormat", "TypeAlias", "AwareDatetime",
             "date", "time", "timedelta"}  # fmt: skip

Key = tuple[str, str, bool]  # (type, format, parsed from text)


@dataclass(frozen=True, slots=True)
class FormatAlias:
    name: str
    base: str  # int, float, str
    format: str
    bounds: tuple[int, int] | None
    strict: bool  # numbers from JSON: no coercion from text

    @property
    def definition(self) -> ir.Type:
        """The alias's type: ``Annotated[int, rt.IntFormat('int32', low, high, strict=True)]``."""
        if self.format in _PARSED and self.base == "str":
            module, name = _PARSED[self.format]
            return ir.AnnotatedOf(ir.Named(module, name), (ir.Call(_marker("TextFormat"), (self.format,)),))
        args: tuple[ir.Value, ...] = (self.format,)
        if self.bounds is not None:
            args += self.bounds
        kwargs: tuple[tuple[str, ir.Value], ...] = (("strict", True),) if self.base != "str" and self.strict else ()
        return ir.AnnotatedOf(ir.builtin(self.base), (ir.Call(_marker(_MARKERS[self.base]), args, kwargs),))

    @property
    def type(self) -> ir.Named:
        return ir.Named("formats", self.name)


def _marker(name: str) -> ir.Named:
    return ir.Named("codegen_runtime.types", name)


def delegated(type_: str, fmt: str) -> bool:
    """Whether Pydantic has a type for this pair that documents and checks it exactly."""
    return type_ == "string" and (fmt in PYDANTIC_FORMATS or fmt == "binary")


def engine_knows(type_: str, fmt: str) -> bool:
    """Whether the model engine types this pair right (itself, or through our aliases); any
    other format reaches it through ``type_overrides`` or as an annotation."""
    return delegated(type_, fmt) or (type_, fmt) in ENGINE_ALIASES


@dataclass(frozen=True, slots=True)
class Formats:
    """The aliases of one document's formats, named."""

    aliases: Mapping[Key, FormatAlias]

    def alias(self, type_: str, fmt: str, *, text: bool = False) -> FormatAlias | None:
        if type_ not in _BASE or delegated(type_, fmt):
            return None
        return self.aliases.get((type_, fmt, text and type_ != "string"))

    def type_for(self, type_: str, fmt: str, *, text: bool = False) -> ir.Type | None:
        """The type for a formatted primitive, or None when the format adds nothing."""
        if type_ == "string" and fmt in PYDANTIC_FORMATS:
            module, name = PYDANTIC_FORMATS[fmt]
            return ir.Named(module, name)
        if type_ == "string" and fmt == "binary":
            return ir.builtin("bytes")
        found = self.alias(type_, fmt, text=text)
        return None if found is None else found.type

    def by_name(self, names: Iterable[str]) -> list[FormatAlias]:
        wanted = set(names)
        return sorted((a for a in self.aliases.values() if a.name in wanted), key=lambda a: a.name)


def type_format_pairs(document: Any) -> set[tuple[str, str]]:
    """Every (type, format) pair written in the document (a list of types counts each)."""
    found: set[tuple[str, str]] = set()
    todo = [document]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            fmt = node.get("format")
            if isinstance(fmt, str):
                kinds = node.get("type")
                for kind in kinds if isinstance(kinds, list) else [kinds]:
                    if isinstance(kind, str):
                        found.add((kind, fmt))
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    return found


def format_table(document: dict[str, Any]) -> Formats:
    """The alias of every (type, format) pair the document uses, in both flavours (from JSON,
    from text), named in sorted order of the pairs."""
    names = Namespace(_RESERVED)
    aliases: dict[Key, FormatAlias] = {}
    for type_, fmt in sorted(type_format_pairs(document)):
        if type_ not in _BASE or delegated(type_, fmt):
            continue
        for text in (False, True) if type_ != "string" else (False,):
            natural = _NATURAL.get(fmt, "string")
            label = fmt if natural == type_ else f"{type_} {fmt}"
            if text:
                label += " text"
            bounds = _RANGES.get(fmt) if type_ == "integer" else None
            aliases[(type_, fmt, text)] = FormatAlias(
                names.claim(class_name(label)), _BASE[type_], fmt, bounds, strict=not text
            )
    return Formats(aliases)
