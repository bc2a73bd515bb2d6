"""JSON pointers and ``$ref``s inside one document: the drift checker's own, small helpers."""

from __future__ import annotations

import json
import math
import urllib.parse
from typing import Any

__all__ = ["canonical", "escape", "resolve"]

_MISSING = object()


def escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def resolve(document: Any, ref: str) -> tuple[Any, str] | None:
    """The value a local ``$ref`` (``#/a/b``) points at, and its pointer; None if it does not
    resolve (or is not local: bundled documents have only local references)."""
    if not ref.startswith("#"):
        return None
    pointer = urllib.parse.unquote(ref[1:])
    node: Any = document
    if pointer:
        if not pointer.startswith("/"):
            return None
        for raw in pointer.split("/")[1:]:
            part = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict):
                node = node.get(part, _MISSING)
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return None
            if node is _MISSING:
                return None
    return node, pointer


def _numbers(value: Any) -> Any:
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _numbers(v) for k, v in value.items()}
    return value


def canonical(value: Any) -> str:
    """One spelling of a JSON value: keys sorted, ``1.0`` written as ``1`` (JSON Schema
    compares numbers by value), ``true`` distinct from ``1``."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # the common case, an enum value
    return json.dumps(_numbers(value), sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False)
