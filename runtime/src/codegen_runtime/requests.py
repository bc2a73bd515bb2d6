"""Requests as the spec reads them, where FastAPI and Starlette read them otherwise.

- JSON as JSON Schema reads it (``3.0`` is an integer), and any JSON media type the operation
  declares (``text/json``); a YAML media type it declares (``application/apply-patch+yaml``)
  parsed as YAML (JSON is YAML too, so without PyYAML only its JSON form is read);
- an empty form value (``callbackUrl=``) is a value, and a zero-byte body sent with its media
  type is a body: FastAPI reads both as missing;
- the media types an operation takes, to refuse any other with 415;
- a path with an encoded slash (``%2F``), matched as sent: the slash is data.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import unquote

from fastapi import Request
from starlette.datastructures import FormData
from typing_extensions import override

__all__ = ["CodegenRequest", "accepts_media", "declared_media", "encoded_slashes", "prepare_body"]

_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _base(media_type: str) -> str:
    return media_type.split(";", 1)[0].strip().lower()


def is_json(media_type: str) -> bool:
    base = _base(media_type)
    return base.endswith(("/json", "+json"))


def is_yaml(media_type: str) -> bool:
    base = _base(media_type)
    return base.endswith(("/yaml", "+yaml", "/x-yaml"))


def declared_media(route: Any) -> tuple[str, ...]:
    """The request media types of a route: its body's, and the others the spec lists
    (``openapi_extra``), as FastAPI documents them."""
    field = getattr(route, "body_field", None)
    if field is None:
        return ()
    names: list[str] = []
    media = getattr(field.field_info, "media_type", None)
    if isinstance(media, str):
        names.append(media)
    extra = ((getattr(route, "openapi_extra", None) or {}).get("requestBody") or {}).get("content") or {}
    names.extend(name for name in extra if isinstance(name, str) and name not in names)
    return tuple(names)


def accepts_media(declared: Sequence[str], content_type: str) -> bool:
    """Whether a body in ``content_type`` is one the operation takes: a declared type (or
    range, ``image/*``), a JSON type where one is declared (FastAPI parses them alike), or
    either form encoding where one is declared (Starlette parses both)."""
    sent = _base(content_type)
    for name in declared:
        want = _base(name)
        if want in (sent, "*/*") or (want.endswith("/*") and sent.startswith(want[:-1])):
            return True
        if is_json(want) and is_json(sent):
            return True
        if want in _FORMS and sent in _FORMS:
            return True
    return False


class _Blank(str):
    """An empty form value FastAPI keeps: it drops values equal to ``""``; Pydantic turns this
    back into a plain ``""`` when it validates the field."""

    __slots__ = ()

    @override
    def __eq__(self, other: object) -> bool:
        return False if type(other) is str and other == "" else str.__eq__(self, other)

    @override
    def __hash__(self) -> int:
        return str.__hash__(self)


class _Present(bytes):
    """A zero-byte body that was sent (with its media type): FastAPI takes b"" for none."""

    def __bool__(self) -> bool:
        return True


def _json_float(text: str) -> float | int:
    number = float(text)
    return int(number) if number.is_integer() and abs(number) < 2**63 else number


class CodegenRequest(Request):
    """The request a route's FastAPI handler reads (see the module's docstring)."""

    yaml = False
    empty_body = False

    @override
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            raw = await self.body()
            self._json = _load_yaml(raw) if self.yaml else json.loads(raw, parse_float=_json_float)
        return self._json

    @override
    async def body(self) -> bytes:
        raw = await super().body()
        return _Present(raw) if not raw and self.empty_body else raw

    async def _form_with_blanks(self, **limits: Any) -> FormData:
        form = await super().form(**limits)
        if not any(value == "" for _, value in form.multi_items()):
            return form
        return FormData([(key, _Blank("") if value == "" else value) for key, value in form.multi_items()])

    @override
    def form(self, **limits: Any) -> Any:  # FastAPI awaits it
        return self._form_with_blanks(**limits)


def _load_yaml(raw: bytes) -> Any:
    try:
        import yaml
    except ImportError:  # the optional extra is not installed: JSON, the YAML every client can send
        return json.loads(raw, parse_float=_json_float)
    return yaml.safe_load(raw)


def prepare_body(scope: Any, receive: Any, declared: Sequence[str]) -> CodegenRequest:
    """The request for FastAPI's body parsing, set up by the body's declared media type (the
    scope's Content-Type rewritten first: a request caches its headers)."""
    headers = scope.get("headers") or []
    yaml = empty_body = False
    for i, (key, value) in enumerate(headers):
        if key != b"content-type":
            continue
        base = _base(value.decode("latin-1"))
        if is_yaml(base) and any(is_yaml(d) for d in declared):
            yaml = True
        elif not is_json(base):
            # a raw body (octet-stream, text): zero bytes sent with a length are a body
            empty_body = base not in _FORMS and any(h == b"content-length" for h, _ in headers)
            break
        elif base == "application/json":
            break
        # FastAPI parses only application/json and +json as JSON: tell it this is JSON too
        headers = list(headers)
        headers[i] = (key, b"application/json" + value[len(value.split(b";", 1)[0]) :])
        scope["headers"] = headers
        break
    request = CodegenRequest(scope, receive)
    request.yaml, request.empty_body = yaml, empty_body
    return request


_SLASH = "\ufffe"  # a noncharacter: never in a real path, holds an encoded slash while matching


def encoded_slashes(scope: Any) -> tuple[str, Callable[[Any], Any]] | None:
    """For a request whose raw path holds ``%2F``: the path to match (each encoded slash held
    by a placeholder, so it stays inside its segment) and the function that puts the slash
    back into a parameter's value. None for every other request."""
    raw = scope.get("raw_path")
    if scope.get("type") != "http" or not isinstance(raw, bytes) or b"%2f" not in raw.lower():
        return None
    text = raw.decode("latin-1").split("?", 1)[0]
    if _SLASH in text:
        return None
    held = text.replace("%2F", _SLASH).replace("%2f", _SLASH)
    path = unquote(held, encoding="utf-8", errors="replace")

    def restore(value: Any) -> Any:
        return value.replace(_SLASH, "/") if isinstance(value, str) else value

    return path, restore
