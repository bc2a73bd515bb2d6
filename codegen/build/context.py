"""What every pass after naming reads: the document, the plan, and the typer built on them.

A :class:`Context` is read-only; passes take one and return ``(value, problems)``.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from codegen import ir
from codegen.build.formats import Formats
from codegen.build.models import ModelView
from codegen.build.names import Namer
from codegen.build.schema import deref
from codegen.build.types import Typer
from codegen.problems import Problem

__all__ = ["Context", "canonical", "is_xml", "media_kind", "not_json", "text", "warning"]


@dataclass(frozen=True, slots=True)
class Context:
    document: dict[str, Any]
    namer: Namer
    formats: Formats
    view: ModelView
    typer: Typer

    @classmethod
    def of(cls, document: dict[str, Any], namer: Namer, formats: Formats) -> Context:
        view = ModelView(document, namer, formats)
        return cls(document, namer, formats, view, Typer(view, formats))

    def deref(self, value: Any) -> Any:
        return deref(self.document, value)[0]


def not_json(value: Any) -> str | None:
    """Why ``value`` is not a JSON value generated code can hold (NaN, an object of no JSON
    type), or None when it is one."""
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value!r} is not a JSON number"
    if value is None or isinstance(value, (bool, int, float, str)):
        return None
    if isinstance(value, list):
        return next((r for r in map(not_json, value) if r is not None), None)
    if isinstance(value, dict):
        return next((r for r in map(not_json, value.values()) if r is not None), None)
    return f"{type(value).__name__} is not a JSON value"


def warning(code: str, message: str, pointer: str) -> Problem:
    return Problem.at(code, message, pointer, warning=True)


def text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def is_xml(name: str) -> bool:
    base = name.split(";", maxsplit=1)[0].strip().lower()
    return base.endswith(("/xml", "+xml"))


def media_kind(name: str) -> ir.BodyKind:
    base = name.split(";", maxsplit=1)[0].strip().lower()
    if base == "application/json" or base.endswith(("+json", "/json")) or base == "*/*":
        return "json"
    if base == "application/x-www-form-urlencoded":
        return "form"
    if base.startswith("multipart/"):
        return "multipart"
    if base.startswith("text/"):
        return "text"
    return "binary"


STATUS = re.compile(r"[1-5](?:\d\d|XX)|default", re.IGNORECASE)
