"""JSON values against JSON Schema types, as the generator and the drift checker both read them."""

from __future__ import annotations

from typing import Any

__all__ = ["json_type_in"]


def json_type_in(value: Any, types: set[Any]) -> bool:
    """Whether a JSON value has one of the JSON Schema ``types`` (an integer is a number)."""
    if value is None:
        kind = "null"
    elif isinstance(value, bool):
        kind = "boolean"
    elif isinstance(value, int):
        return bool({"integer", "number"} & types)
    elif isinstance(value, float):
        return "number" in types or ("integer" in types and value.is_integer())
    elif isinstance(value, str):
        kind = "string"
    elif isinstance(value, list):
        kind = "array"
    else:
        kind = "object"
    return kind in types
