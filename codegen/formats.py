"""Which Python type stands for each ``type`` + ``format`` pair.

Formats Pydantic already describes itself (``date-time``, ``uuid``, ...) map to Pydantic's
types. Every other format gets a named alias in the generated ``formats.py``: an annotated
``int``/``float``/``str`` whose JSON schema carries the format, and for ``int32``/``int64``
also validates the range, so the app both says and does what the spec says.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from codegen.ir import TypeExpr
from codegen.naming import Namespace, class_name

__all__ = ["PYDANTIC_FORMATS", "FormatAlias", "Formats"]

# string formats whose Pydantic type emits exactly {"type": "string", "format": ...}
PYDANTIC_FORMATS: dict[str, tuple[str, str]] = {
    "date-time": ("pydantic", "AwareDatetime"),
    "date": ("datetime", "date"),
    "time": ("datetime", "time"),
    "duration": ("datetime", "timedelta"),
    "uuid": ("uuid", "UUID"),
    "email": ("pydantic", "EmailStr"),
    "ipv4": ("ipaddress", "IPv4Address"),
    "ipv6": ("ipaddress", "IPv6Address"),
}

# Formats the model engine cannot map itself: mapped through its type manager to our aliases.
ENGINE_ALIASES: dict[tuple[str, str], str] = {
    ("integer", "int32"): "int32",
    ("integer", "int64"): "int64",
    ("number", "float"): "float",
    ("number", "double"): "double",
    ("string", "uri"): "uri",
    ("string", "password"): "password",
    ("string", "byte"): "byte",
    ("string", "hostname"): "hostname",
}

_BASE = {"integer": "int", "number": "float", "string": "str"}
_NATURAL = {"int32": "integer", "int64": "integer", "float": "number", "double": "number"}
_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


@dataclass(frozen=True, slots=True)
class FormatAlias:
    name: str
    base: str  # int, float, str
    format: str
    bounds: tuple[int, int] | None

    @property
    def definition(self) -> str:
        marker = {"int": "IntFormat", "float": "NumberFormat", "str": "StrFormat"}[self.base]
        args = repr(self.format)
        if self.bounds is not None:
            args += f", {self.bounds[0]}, {self.bounds[1]}"
        return f"Annotated[{self.base}, {marker}({args})]"


@dataclass
class Formats:
    """Collects the aliases a package uses while its models and routes are built."""

    _aliases: dict[tuple[str, str], FormatAlias] = field(default_factory=dict)
    _used: set[tuple[str, str]] = field(default_factory=set)
    _names: Namespace = field(
        default_factory=lambda: Namespace({"Annotated", "IntFormat", "NumberFormat", "StrFormat", "TypeAlias"})
    )

    def delegated(self, type_: str, fmt: str) -> bool:
        """Whether Pydantic has a type for this pair that documents it exactly."""
        return type_ == "string" and (fmt in PYDANTIC_FORMATS or fmt == "binary")

    def engine_knows(self, type_: str, fmt: str) -> bool:
        """Whether the model engine types this pair right (itself, or through our aliases);
        any other format is kept on the model as an annotation only (see schemas.py)."""
        return self.delegated(type_, fmt) or (type_, fmt) in ENGINE_ALIASES

    def by_name(self, name: str) -> FormatAlias | None:
        return next((a for a in self._aliases.values() if a.name == name), None)

    def alias(self, type_: str, fmt: str, *, use: bool = True) -> FormatAlias | None:
        """The alias for a pair (named on first sight); ``use``: generated code refers to it."""
        if type_ not in _BASE or self.delegated(type_, fmt):
            return None
        key = (type_, fmt)
        if use:
            self._used.add(key)
        if key not in self._aliases:
            natural = _NATURAL.get(fmt, "string")
            label = fmt if natural == type_ else f"{type_} {fmt}"
            bounds = _RANGES.get(fmt) if type_ == "integer" else None
            self._aliases[key] = FormatAlias(self._names.claim(class_name(label)), _BASE[type_], fmt, bounds)
        return self._aliases[key]

    def type_for(self, type_: str, fmt: str) -> TypeExpr | None:
        """The type for a formatted primitive, or None when the format adds nothing."""
        if type_ == "string" and fmt in PYDANTIC_FORMATS:
            module, name = PYDANTIC_FORMATS[fmt]
            return TypeExpr(name, frozenset({(module, name)}))
        if type_ == "string" and fmt == "binary":
            return TypeExpr("bytes")
        found = self.alias(type_, fmt)
        return None if found is None else TypeExpr(f"formats.{found.name}")

    @property
    def used(self) -> list[FormatAlias]:
        return sorted((self._aliases[k] for k in self._used), key=lambda a: a.name)

    def mark_used(self, names: set[str]) -> None:
        """Aliases the model engine's output imports (it decides which it needs)."""
        self._used.update(key for key, alias in self._aliases.items() if alias.name in names)
