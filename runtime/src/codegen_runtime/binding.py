"""Parameters in every style OpenAPI defines, rewritten into the one form FastAPI parses.

FastAPI reads ``form``/``explode`` query arrays and ``simple`` path and header values. For any
other ``style``/``explode`` the route rewrites the request before FastAPI sees it: delimited
arrays become repeated keys, and an object parameter (``deepObject``, ``form``, ``simple``…) is
gathered into one JSON value that :class:`codegen_runtime.types.ObjectParam` decodes.

Path parameters are decoded here from their raw segment (``;id=5``, ``.5``, ``5``; arrays and
objects in ``matrix``, ``label`` and ``simple``) by :func:`decode_path`, and an array or object
is handed on as one JSON value for :class:`~codegen_runtime.types.StyledParam` to validate:
FastAPI takes only scalar path parameters.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qsl, quote, urlencode

__all__ = ["MalformedParameter", "Styled", "decode_path", "restyle_headers", "restyle_path", "restyle_query"]


@dataclass(frozen=True, slots=True)
class Styled:
    """A parameter whose style FastAPI does not parse itself: an array in a non-default
    style, or an object (``properties`` names its properties, which ``form`` spreads)."""

    location: str
    name: str
    style: str
    explode: bool
    properties: tuple[str, ...] | None = None
    array: bool = False  # an array (``properties`` says object; neither: a primitive)

    @property
    def shape(self) -> Shape:
        return "object" if self.properties is not None else "array" if self.array else "primitive"


Shape = Literal["primitive", "array", "object"]


class MalformedParameter(ValueError):
    """A parameter value that is not in its declared style (a matrix value without ``;name=``)."""

    def __init__(self, location: str, name: str, message: str) -> None:
        super().__init__(message)
        self.location = location
        self.name = name


_SEPARATORS = {"form": ",", "simple": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


def restyle_query(query: bytes, styled: Sequence[Styled]) -> bytes:
    """The query as FastAPI reads it: delimited arrays split into repeated keys, and each
    object parameter gathered from its style into one value that :class:`ObjectParam` decodes."""
    params = [s for s in styled if s.location == "query"]
    if not params:
        return query
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    for s in params:
        if s.properties is None:
            sep = _SEPARATORS.get(s.style, ",")
            pairs = [(k, part) for k, v in pairs for part in (v.split(sep) if k == s.name and v else [v])]
            continue
        found: dict[str, Any] | None = None
        rest: list[tuple[str, str]] = []
        if s.style == "deepObject":
            for key, value in pairs:
                path = _bracket_path(key, s.name)
                if path:
                    found = found if found is not None else {}
                    _deep_set(found, path, value)
                elif key != s.name:
                    rest.append((key, value))
        elif s.style == "form" and s.explode:
            props = set(s.properties)
            for key, value in pairs:
                if key in props:
                    found = found if found is not None else {}
                    found[key] = value
                elif key != s.name:
                    rest.append((key, value))
        else:
            sep = _SEPARATORS.get(s.style, ",")
            for key, value in pairs:
                if key == s.name:
                    found = _pairs_object(value.split(sep) if value else [])
                else:
                    rest.append((key, value))
        pairs = rest if found is None else [*rest, (s.name, _encode(found))]
    return urlencode(pairs, quote_via=quote).encode("latin-1")


def _bracket_path(key: str, name: str) -> list[str]:
    """``filter[a][b]`` -> ``["a", "b"]`` for ``name`` filter; else []."""
    if not key.startswith(name + "[") or not key.endswith("]"):
        return []
    inner = key[len(name) + 1 : -1]
    return inner.split("][")


def _deep_set(target: dict[str, Any], path: list[str], value: str) -> None:
    for step in path[:-1]:
        nested = target.setdefault(step, {})
        if not isinstance(nested, dict):
            nested = target[step] = {}
        target = nested
    target[path[-1]] = value


def _pairs_object(items: list[str]) -> Any:
    """``k1,v1,k2,v2`` -> an object; anything else -> the text, which then fails validation."""
    if len(items) % 2:
        return ",".join(items)
    return dict(zip(items[::2], items[1::2], strict=True))


def _exploded_pairs(items: list[str]) -> Any:
    """``k1=v1,k2=v2`` -> an object."""
    result: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            return ",".join(items)
        result[key] = value
    return result


def _encode(value: Any) -> str:
    """The one value :class:`ObjectParam` decodes. Every value of a styled parameter goes
    through the route's restyling first, so what a client sends is never taken as-is."""
    return json.dumps(value, separators=(",", ":"))


def _simple_object(value: str, explode: bool) -> str:
    items = [part.strip() for part in value.split(",")] if value else []
    return _encode(_exploded_pairs(items) if explode else _pairs_object(items))


def restyle_headers(headers: list[tuple[bytes, bytes]], styled: Sequence[Styled]) -> list[tuple[bytes, bytes]]:
    params = {s.name.lower().encode("latin-1"): s for s in styled if s.location == "header"}
    if not params:
        return headers
    result: list[tuple[bytes, bytes]] = []
    for key, value in headers:
        s = params.get(key.lower())
        if s is None:
            result.append((key, value))
        elif s.properties is None:
            result.extend((key, part.strip()) for part in value.split(b","))
        else:
            result.append((key, _simple_object(value.decode("latin-1"), s.explode).encode("latin-1")))
    return result


def decode_path(raw: str, name: str, style: str, explode: bool, shape: Shape) -> str | list[str] | dict[str, str]:
    """The value of a path parameter from its segment, as OpenAPI's style table spells it:

    ========  =======  =========  =====================  ======================
    style     explode  primitive  array                  object
    ========  =======  =========  =====================  ======================
    simple    false    ``5``      ``3,4,5``              ``R,100,G,200``
    simple    true     ``5``      ``3,4,5``              ``R=100,G=200``
    label     false    ``.5``     ``.3,4,5``             ``.R,100,G,200``
    label     true     ``.5``     ``.3.4.5``             ``.R=100.G=200``
    matrix    false    ``;id=5``  ``;id=3,4,5``          ``;id=R,100,G,200``
    matrix    true     ``;id=5``  ``;id=3;id=4;id=5``    ``;R=100;G=200``
    ========  =======  =========  =====================  ======================

    Leaves stay text (the declared type validates them). Raises :class:`MalformedParameter`
    when the segment is not in the style (no leading ``.`` or ``;name=``)."""
    if style == "label":
        if not raw.startswith("."):
            raise MalformedParameter("path", name, f"expected a label-style value ('.' first), got {raw!r}")
        body = raw[1:]
        sep = "." if explode else ","
        if shape == "primitive":
            return body
        items = body.split(sep) if body else []
        if shape == "array":
            return items
        return _object_items(items, explode, name)
    if style == "matrix":
        if not raw.startswith(";"):
            raise MalformedParameter("path", name, f"expected a matrix-style value (';{name}=' first), got {raw!r}")
        pairs = [part.partition("=") for part in raw[1:].split(";")]
        if shape == "object" and explode:
            return _object_items([f"{k}={v}" for k, eq, v in pairs if eq], True, name)
        values = [v for k, _, v in pairs if k == name]
        if not values:
            raise MalformedParameter("path", name, f"expected ';{name}=…', got {raw!r}")
        if shape == "primitive":
            return values[0]
        if shape == "array":
            return values if explode else (values[0].split(",") if values[0] else [])
        return _object_items(values[0].split(",") if values[0] else [], False, name)
    # simple (the default), and any style a path does not define, read as simple
    if shape == "primitive":
        return raw
    items = raw.split(",") if raw else []
    if shape == "array":
        return items
    return _object_items(items, explode, name)


def _object_items(items: list[str], explode: bool, name: str) -> dict[str, str]:
    """``R=100,G=200`` (exploded) or ``R,100,G,200`` as an object."""
    if explode:
        result: dict[str, str] = {}
        for item in items:
            key, sep, value = item.partition("=")
            if not sep:
                raise MalformedParameter("path", name, f"expected key=value pairs, got {item!r}")
            result[key] = value
        return result
    if len(items) % 2:
        raise MalformedParameter("path", name, "expected key,value pairs (an even number of items)")
    return dict(zip(items[::2], items[1::2], strict=True))


def restyle_path(path_params: dict[str, Any], styled: Sequence[Styled]) -> None:
    """Each styled path parameter decoded from its segment: a primitive as its text, an array
    or object as one JSON value."""
    for s in styled:
        raw = path_params.get(s.name)
        if s.location != "path" or not isinstance(raw, str):
            continue
        value = decode_path(raw, s.name, s.style, s.explode, s.shape)
        path_params[s.name] = value if isinstance(value, str) else _encode(value)
