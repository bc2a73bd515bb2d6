"""Which Python type stands for each ``type`` + ``format`` pair.

Every format the spec uses gets a named alias in the generated ``formats.py``: an annotated
type whose JSON schema carries the format and whose validation does what the format says
(``int32`` bounds; ``date-time`` only as RFC 3339 text, not a Unix timestamp). Formats Pydantic
already describes and checks exactly (``uuid``, ``email``, ``ipv4``/``ipv6``) use its types.

Numbers come in two flavours. In a JSON body a value must already have the spec's JSON type
(``"5"`` is not an integer), so those aliases are strict; in a path, query, header or cookie
everything is text, so the ``...Text`` aliases parse it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from codegen.ir import TypeExpr
from codegen.naming import Namespace, class_name

__all__ = ["ENGINE_ALIASES", "PYDANTIC_FORMATS", "FormatAlias", "Formats"]

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


@dataclass(frozen=True, slots=True)
class FormatAlias:
    name: str
    base: str  # int, float, str
    format: str
    bounds: tuple[int, int] | None
    strict: bool  # numbers from JSON: no coercion from text

    @property
    def definition(self) -> str:
        if self.format in _PARSED and self.base == "str":
            return f"Annotated[{_PARSED[self.format][1]}, TextFormat({self.format!r})]"
        marker = {"int": "IntFormat", "float": "NumberFormat", "str": "StrFormat"}[self.base]
        args = repr(self.format)
        if self.bounds is not None:
            args += f", {self.bounds[0]}, {self.bounds[1]}"
        if self.base != "str" and self.strict:
            args += ", strict=True"
        return f"Annotated[{self.base}, {marker}({args})]"

    @property
    def imports(self) -> tuple[tuple[str, str], ...]:
        parsed = _PARSED.get(self.format) if self.base == "str" else None
        return (parsed,) if parsed is not None else ()


@dataclass
class Formats:
    """Collects the aliases a package uses while its models and routes are built."""

    _aliases: dict[tuple[str, str, bool], FormatAlias] = field(default_factory=dict)
    _used: set[tuple[str, str, bool]] = field(default_factory=set)
    _names: Namespace = field(
        default_factory=lambda: Namespace(
            {
                "Annotated",
                "IntFormat",
                "NumberFormat",
                "StrFormat",
                "TextFormat",
                "TypeAlias",
                "AwareDatetime",
                "date",
                "time",
                "timedelta",
            }
        )
    )

    def delegated(self, type_: str, fmt: str) -> bool:
        """Whether Pydantic has a type for this pair that documents and checks it exactly."""
        return type_ == "string" and (fmt in PYDANTIC_FORMATS or fmt == "binary")

    def engine_knows(self, type_: str, fmt: str) -> bool:
        """Whether the model engine types this pair right (itself, or through our aliases);
        any other format reaches it through ``type_overrides`` or as an annotation."""
        return self.delegated(type_, fmt) or (type_, fmt) in ENGINE_ALIASES

    def alias(self, type_: str, fmt: str, *, text: bool = False, use: bool = True) -> FormatAlias | None:
        """The alias for a pair (named on first sight). ``text``: parsed from text (parameters,
        headers); ``use``: generated code refers to it."""
        if type_ not in _BASE or self.delegated(type_, fmt):
            return None
        text = text and type_ != "string"  # strings are strings either way
        key = (type_, fmt, text)
        if use:
            self._used.add(key)
        if key not in self._aliases:
            natural = _NATURAL.get(fmt, "string")
            label = fmt if natural == type_ else f"{type_} {fmt}"
            if text:
                label += " text"
            bounds = _RANGES.get(fmt) if type_ == "integer" else None
            name = self._names.claim(class_name(label))
            self._aliases[key] = FormatAlias(name, _BASE[type_], fmt, bounds, strict=not text)
        return self._aliases[key]

    def type_for(self, type_: str, fmt: str, *, text: bool = False) -> TypeExpr | None:
        """The type for a formatted primitive, or None when the format adds nothing."""
        if type_ == "string" and fmt in PYDANTIC_FORMATS:
            module, name = PYDANTIC_FORMATS[fmt]
            return TypeExpr(name, frozenset({(module, name)}))
        if type_ == "string" and fmt == "binary":
            return TypeExpr("bytes")
        found = self.alias(type_, fmt, text=text)
        return None if found is None else TypeExpr(f"formats.{found.name}")

    @property
    def used(self) -> list[FormatAlias]:
        return sorted((self._aliases[k] for k in self._used), key=lambda a: a.name)

    def mark_used(self, names: set[str]) -> None:
        """Aliases the model engine's output imports (it decides which it needs)."""
        self._used.update(key for key, alias in self._aliases.items() if alias.name in names)
