"""Types as Python source: the one place a :data:`codegen.ir.Type` becomes text, and the one
place that says what it needs imported.

Names of the package's own modules are written ``models.X`` and ``formats.X`` (the modules
import ``models`` and ``formats`` themselves), the runtime's ``rt.X`` (``import
codegen_runtime as rt``), builtins bare, everything else by its name with a ``from`` import.
Values (literals, defaults, keyword arguments) are written by :func:`literal`, which never
writes anything but a literal, whatever a spec holds.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from codegen import ir

__all__ = [
    "NO_DEFAULT",
    "OWN_MODULES",
    "NotAValue",
    "Param",
    "Splat",
    "call",
    "expr",
    "import_lines",
    "imports",
    "literal",
    "needs",
    "source",
]

OWN_MODULES = frozenset({"", "models", "formats", "security", "rt"})


class NotAValue(ValueError):
    """A value Python source cannot spell as a literal (NaN, an object of no JSON type)."""


def literal(value: Any) -> str:
    """Python source for a JSON value; never anything but a literal."""
    if isinstance(value, float) and not math.isfinite(value):
        raise NotAValue(f"{value!r} is not a JSON number")
    if value is None or isinstance(value, (bool, int, float, str)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{literal(str(k))}: {literal(v)}" for k, v in value.items())
        return "{" + items + "}"
    raise NotAValue(f"{type(value).__name__} is not a JSON value")


def _name(named: ir.Named) -> str:
    if named.module in ("models", "formats", "security", "rt"):
        return f"{named.module}.{named.name}"
    return named.name


def call(c: ir.Call) -> str:
    args = [expr(a) for a in c.args] + [f"{k}={expr(v)}" for k, v in c.kwargs]
    return f"{_name(c.func)}({', '.join(args)})"


def source(t: ir.Type) -> str:
    if isinstance(t, ir.Named):
        return _name(t)
    if isinstance(t, ir.Generic):
        return f"{_name(t.origin)}[{', '.join(source(a) for a in t.args)}]"
    if isinstance(t, ir.UnionOf):
        return " | ".join(source(m) for m in t.members)
    if isinstance(t, ir.LiteralOf):
        return f"Literal[{', '.join(literal(v) for v in t.values)}]"
    return f"Annotated[{', '.join([source(t.base), *(call(m) for m in t.metadata)])}]"


def imports(t: ir.Type | ir.Call) -> frozenset[tuple[str, str]]:
    """``(module, name)`` of every ``from module import name`` that ``t`` needs."""
    found: set[tuple[str, str]] = set()
    todo: list[Any] = [t]
    while todo:
        node = todo.pop()
        if isinstance(node, ir.Named):
            if node.module not in OWN_MODULES:
                found.add((node.module, node.name))
        elif isinstance(node, ir.Generic):
            todo += [node.origin, *node.args]
        elif isinstance(node, ir.UnionOf):
            todo += node.members
        elif isinstance(node, ir.LiteralOf):
            found.add(("typing", "Literal"))
        elif isinstance(node, ir.AnnotatedOf):
            found.add(("typing", "Annotated"))
            todo += [node.base, *node.metadata]
        elif isinstance(node, ir.Call):
            todo += [node.func, *node.args, *(v for _, v in node.kwargs)]
        elif isinstance(node, (list, tuple)):  # a call's arguments may hold types in tuples
            todo += list(node)
        elif isinstance(node, dict):
            todo += [*node.keys(), *node.values()]
    return frozenset(found)


def import_lines(needed: Iterable[tuple[str, str]]) -> list[str]:
    """``from module import a, b`` lines, sorted."""
    by_module: dict[str, set[str]] = {}
    for module, name in needed:
        by_module.setdefault(module, set()).add(name)
    return [f"from {module} import {', '.join(sorted(names))}" for module, names in sorted(by_module.items())]


class _NoDefault:
    __slots__ = ()


NO_DEFAULT: Any = _NoDefault()


@dataclass(frozen=True, slots=True)
class Splat:
    """``**value`` inside a call: a dict's entries as keyword arguments."""

    value: Any


@dataclass(frozen=True, slots=True)
class Param:
    """A parameter of a generated function: ``name: type = default``."""

    name: str
    type: ir.Type
    default: Any = NO_DEFAULT

    @property
    def has_default(self) -> bool:
        return self.default is not NO_DEFAULT


def expr(value: Any) -> str:
    """Python source for data: types and calls, dicts, lists and tuples of them, and literals."""
    if isinstance(value, (ir.Named, ir.Generic, ir.UnionOf, ir.LiteralOf, ir.AnnotatedOf)):
        return source(value)
    if isinstance(value, ir.Call):
        return call(value)
    if isinstance(value, Splat):
        return f"**{expr(value.value)}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{expr(k)}: {expr(v)}" for k, v in value.items()) + "}"
    if isinstance(value, tuple):
        inner = ", ".join(expr(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(expr(v) for v in value) + "]"
    return literal(value)


def needs(value: Any) -> frozenset[tuple[str, str]]:
    """What :func:`expr` of ``value`` needs imported."""
    found: set[tuple[str, str]] = set()
    todo = [value]
    while todo:
        node = todo.pop()
        if isinstance(node, (ir.Named, ir.Generic, ir.UnionOf, ir.LiteralOf, ir.AnnotatedOf, ir.Call)):
            found |= imports(node)
        elif isinstance(node, Splat):
            todo.append(node.value)
        elif isinstance(node, Param):
            todo.append(node.type)
            if node.has_default:
                todo.append(node.default)
        elif isinstance(node, dict):
            todo += [*node.keys(), *node.values()]
        elif isinstance(node, (list, tuple)):
            todo += list(node)
    return frozenset(found)
