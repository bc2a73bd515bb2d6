"""Parameters in every style OpenAPI defines, rewritten into the one form FastAPI parses.

FastAPI reads ``form``/``explode`` query arrays and ``simple`` path and header values. For any
other ``style``/``explode`` the route rewrites the request before FastAPI sees it: delimited
arrays become repeated keys, and an object parameter (``deepObject``, ``form``, ``simple``…) is
gathered into one JSON value that :class:`codegen_runtime.types.ObjectParam` decodes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

__all__ = ["Styled", "restyle_headers", "restyle_path", "restyle_query"]


@dataclass(frozen=True, slots=True)
class Styled:
    """A parameter whose style FastAPI does not parse itself: an array in a non-default
    style, or an object (``properties`` names its properties, which ``form`` spreads)."""

    location: str
    name: str
    style: str
    explode: bool
    properties: tuple[str, ...] | None = None


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


def restyle_path(path_params: dict[str, Any], styled: Sequence[Styled]) -> None:
    for s in styled:
        if s.location == "path" and s.properties is not None and isinstance(path_params.get(s.name), str):
            path_params[s.name] = _simple_object(path_params[s.name], s.explode)
