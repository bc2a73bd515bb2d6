"""Typed results into HTTP responses, and the documentation of what each response holds.

A generated route returns one of its operation's result classes (or a bare body for its
primary response); :class:`Results` turns it into the response the spec declares: status,
media type (negotiated with ``Accept``), body serialized by the type the spec gives, headers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import Enum
from typing import Any, get_args, get_origin

from fastapi import Response
from pydantic import BaseModel, TypeAdapter

from .negotiation import negotiate
from .types import json_schema

__all__ = [
    "REF_TEMPLATE",
    "ResultSpec",
    "Results",
    "content_doc",
    "header_text",
    "headers_doc",
    "inline_content",
    "json_content",
    "json_response",
    "problem",
    "to_xml",
]


def problem(status: int, title: str, detail: str, **members: Any) -> Response:
    """An RFC 9457 problem document (for a failure the spec declares no response for)."""
    body = json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail, **members})
    return Response(body, status_code=status, media_type="application/problem+json")


def header_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ",".join(header_text(v) for v in value)
    return str(value)


class _Adapted:
    """A type and its TypeAdapter, built on first use: creating adapters for every result of a
    large API when the app starts would cost seconds that most apps never need."""

    __slots__ = ("_adapter", "type")

    def __init__(self, type_: Any) -> None:
        self.type = type_
        self._adapter: TypeAdapter[Any] | None = None

    @property
    def adapter(self) -> TypeAdapter[Any]:
        if self._adapter is None:
            self._adapter = TypeAdapter(self.type)
        return self._adapter

    def dump(self, value: Any) -> bytes:
        adapter = self.adapter
        try:
            return adapter.dump_json(value, by_alias=True, warnings="error")
        except Exception:  # noqa: BLE001 - plain data rather than the declared type: validate it first
            return adapter.dump_json(adapter.validate_python(value, from_attributes=True), by_alias=True)

    def dump_xml(self, value: Any) -> bytes:
        adapter = self.adapter
        try:
            data = adapter.dump_python(value, mode="json", by_alias=True, warnings="error")
        except Exception:  # noqa: BLE001 - as in dump()
            data = adapter.dump_python(adapter.validate_python(value, from_attributes=True), mode="json", by_alias=True)
        return to_xml(data, self.type)


def _is_xml(media_type: str) -> bool:
    return media_type.split(";", 1)[0].strip().lower().endswith(("/xml", "+xml"))


_XML_NAME = re.compile(r"[^\w.-]", re.ASCII)


def _xml_name(name: str) -> str:
    """An element name for a property name (XML names are stricter than JSON keys)."""
    cleaned = _XML_NAME.sub("_", name) or "_"
    return cleaned if cleaned[0].isalpha() or cleaned[0] == "_" else "_" + cleaned


def _xml_element(name: str, value: Any, item: str = "item") -> Any:
    from xml.etree.ElementTree import Element

    element = Element(_xml_name(name))
    if isinstance(value, dict):
        for key, member in value.items():
            if isinstance(member, list):  # an array property: its items, repeated (unwrapped)
                element.extend(_xml_element(key, part) for part in member)
            elif member is not None:
                element.append(_xml_element(key, member))
    elif isinstance(value, list):
        element.extend(_xml_element(item, part) for part in value)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)
    return element


def _xml_type_name(type_: Any, default: str) -> str:
    name = getattr(type_, "__name__", None)
    return name if isinstance(name, str) and name.isidentifier() and get_origin(type_) is None else default


def to_xml(value: Any, type_: Any) -> bytes:
    """``value`` (JSON-like data of ``type_``) as an XML document, as OpenAPI's ``xml``
    defaults say: the root element is named after the schema, properties become elements
    named after them, array items repeat their element; a top-level array is an ``items``
    element holding one element per item, named after the item's schema."""
    from xml.etree.ElementTree import tostring

    if get_origin(type_) in (list, tuple, set, frozenset):
        args = get_args(type_)
        element = _xml_element("items", value, _xml_type_name(args[0] if args else None, "item"))
    else:
        element = _xml_element(_xml_type_name(type_, "root"), value)
    document: bytes = tostring(element, encoding="utf-8", xml_declaration=True)
    return document


class ResultSpec:
    """How one result type of an operation becomes an HTTP response."""

    __slots__ = ("also", "body", "headers", "key", "kind", "media_type", "status")

    def __init__(
        self,
        status: int | None,
        media_type: str | None,
        body: Any = None,
        kind: str = "json",
        *,
        headers: tuple[tuple[str, str, Any, bool], ...] = (),
        also: tuple[str, ...] = (),
        key: str | None = None,
    ) -> None:
        self.status = status  # None: the result carries ``status_code`` (ranges and ``default``)
        self.media_type = media_type
        self.body = _Adapted(body) if body is not None else None
        self.kind = kind  # json, text or binary
        self.headers = headers  # (attribute, header name, type, required)
        self.also = also  # more media types for the same body, chosen by the Accept header
        # the spec's key for this response ("404", "4XX", "default"); None: str(status)
        self.key = key if key is not None else (str(status) if status is not None else None)

    def negotiate(self, accept: str | None) -> str | None:
        """The media type to send, by the client's preferences (RFC 9110 q-values; ties keep
        the spec's order); None when the client accepts none of them."""
        if self.media_type is None or not self.also:
            return self.media_type
        return negotiate(accept, (self.media_type, *self.also))

    def render(self, result: Any, body: Any, status: int, accept: str | None = None) -> Response:
        content = b""
        media_type = self.negotiate(accept)
        if media_type is None and self.media_type is not None:
            # RFC 9110 lets a server either disregard Accept or answer 406; this one answers 406
            # only for a success the client explicitly cannot take (every media type excluded
            # or unnamed): sending what it refused would be worse. Errors go out regardless.
            if 200 <= status < 300:
                offered = ", ".join((self.media_type, *self.also))
                return problem(406, "Not Acceptable", f"this response is available as {offered} only")
            media_type = self.media_type
        if self.body is not None and status not in (204, 304):
            if self.kind == "xml" or (self.kind == "json" and media_type is not None and _is_xml(media_type)):
                content = self.body.dump_xml(body)
            elif self.kind == "json":
                content = self.body.dump(body)
            elif self.kind == "text":
                content = str(body).encode()
            else:
                content = bytes(body)
        response = Response(content, status_code=status, media_type=media_type)
        headers = getattr(result, "headers", None)
        if headers is not None:
            for attribute, name, _type, _required in self.headers:
                value = getattr(headers, attribute)
                if value is not None:
                    response.headers[name] = header_text(value)
        return response


@dataclass(frozen=True, slots=True)
class Results:
    """The result types of one operation; a bare body means the primary response."""

    specs: Mapping[type, ResultSpec]
    primary: ResultSpec | None
    primary_status: int = 200

    def respond(self, result: Any, accept: str | None = None) -> Response:
        spec = self.specs.get(type(result))
        if spec is not None:
            status = spec.status if spec.status is not None else int(result.status_code)
            return spec.render(result, getattr(result, "body", None), status, accept)
        if isinstance(result, Response):
            return result
        if self.primary is None:
            raise TypeError(f"unexpected result {type(result).__name__}")
        return self.primary.render(None, result, self.primary_status, accept)


def headers_doc(*headers: tuple[str, Any, bool, str | None]) -> dict[str, Any]:
    """OpenAPI header objects for ``(name, python type, required, description)``, with the
    schema Pydantic derives from the type the app really sends."""
    result: dict[str, Any] = {}
    for name, type_, required, description in headers:
        entry: dict[str, Any] = {"schema": json_schema(TypeAdapter(type_))}
        if required:
            entry["required"] = True
        if description:
            entry["description"] = description
        result[name] = entry
    return result


REF_TEMPLATE = "#/components/schemas/{model}"


def json_content(media_types: Sequence[str], type_: Any) -> dict[str, Any]:
    """Content entries for more JSON media types carrying the same body as the route's own:
    a model is referred to as FastAPI refers to it, anything else described by Pydantic."""
    if isinstance(type_, type) and issubclass(type_, BaseModel):
        schema: dict[str, Any] = {"$ref": REF_TEMPLATE.format(model=type_.__name__)}
    else:
        schema = json_schema(TypeAdapter(type_), ref_template=REF_TEMPLATE)
        schema.pop("$defs", None)
    return {media_type: {"schema": schema} for media_type in media_types}


def inline_content(media_type: str, type_: Any) -> dict[str, Any]:
    """A content entry for a body FastAPI does not see (a media type with a schema of its
    own): the full schema Pydantic derives, its definitions inlined where they do not recur."""
    schema = json_schema(TypeAdapter(type_), ref_template="#/$defs/{model}")
    definitions = schema.pop("$defs", {})

    def inline(node: Any, seen: tuple[str, ...]) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                name = ref[len("#/$defs/") :]
                if name in seen or name not in definitions:
                    return {"$ref": REF_TEMPLATE.format(model=name)}  # recursion: FastAPI's name
                return inline(definitions[name], (*seen, name))
            return {key: inline(value, seen) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(item, seen) for item in node]
        return node

    return {media_type: {"schema": inline(schema, ())}}


def content_doc(media_type: str, type_: Any, *also: str) -> dict[str, Any]:
    """A content entry for a non-JSON media type, with the schema of what the app sends
    (``None``: the spec gives none, and neither does the app)."""
    if type_ is None:
        return {name: {} for name in (media_type, *also)}
    if type_ is bytes:
        schema: dict[str, Any] = {"type": "string", "contentMediaType": "application/octet-stream"}
    else:
        schema = json_schema(TypeAdapter(type_))
    return {name: {"schema": schema} for name in (media_type, *also)}


_MEDIA_CLASSES: dict[str, type[Response]] = {}


def json_response(media_type: str) -> type[Response]:
    """A JSONResponse class for a JSON media type other than application/json."""
    from fastapi.responses import JSONResponse

    if media_type not in _MEDIA_CLASSES:
        _MEDIA_CLASSES[media_type] = type("JSONResponse", (JSONResponse,), {"media_type": media_type})
    return _MEDIA_CLASSES[media_type]
