"""Runtime support for a generated package. DO NOT EDIT: copied by codegen on every run.

Small and dependency-free beyond FastAPI and Pydantic, so a service needs nothing else at run
time. Everything the generated routes do beyond FastAPI's own machinery lives here, where it is
written once and tested once: binding an implementation, turning typed results into responses,
parsing non-default parameter styles, answering validation errors with the spec's error model.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Awaitable, Callable, Coroutine, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import Enum
from functools import partial
from typing import Any, ParamSpec, TypeVar, cast, get_args, get_origin
from urllib.parse import parse_qsl, quote, urlencode

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from typing_extensions import override

from ._synth import synthesize
from ._types import (
    IntFormat,
    JsonParam,
    NumberFormat,
    ObjectParam,
    PythonPattern,
    StrFormat,
    TextFormat,
    json_schema,
    with_headroom,
)

__all__ = [
    "ApiKeyCredentials",
    "BasicCredentials",
    "BearerCredentials",
    "CodegenRoute",
    "IntFormat",
    "JsonParam",
    "NumberFormat",
    "OAuth2Credentials",
    "ObjectParam",
    "OpenIdCredentials",
    "PythonPattern",
    "ResultSpec",
    "Results",
    "StrFormat",
    "TextFormat",
    "bind",
    "content_doc",
    "headers_doc",
    "implemented",
    "json_content",
    "not_implemented",
    "problem",
    "route_options",
]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


# --------------------------------------------------------------------------- credentials


@dataclass(frozen=True, slots=True)
class BearerCredentials:
    scheme: str  # the security scheme's name in the spec
    token: str


@dataclass(frozen=True, slots=True)
class BasicCredentials:
    scheme: str
    username: str
    password: str


@dataclass(frozen=True, slots=True)
class ApiKeyCredentials:
    scheme: str
    key: str


@dataclass(frozen=True, slots=True)
class OAuth2Credentials:
    scheme: str
    token: str
    scopes: tuple[str, ...]  # the scopes the operation requires


@dataclass(frozen=True, slots=True)
class OpenIdCredentials:
    scheme: str
    token: str


Credentials = BearerCredentials | BasicCredentials | ApiKeyCredentials | OAuth2Credentials | OpenIdCredentials


# --------------------------------------------------------------------------- implementations


def implemented(implementation: object, name: str, protocol: type) -> bool:
    """Whether ``implementation`` provides ``name`` itself (not the Protocol's stub)."""
    if implementation is None:
        return False
    attribute = getattr(type(implementation), name, None)
    if attribute is None:
        return callable(getattr(implementation, name, None))
    return attribute is not getattr(protocol, name, None) and callable(attribute)


def bind(method: Callable[P, R | Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """An async callable for a sync or async implementation method.

    Sync methods run in the thread pool, as FastAPI runs sync endpoints, so they never block
    the event loop.
    """
    if inspect.iscoroutinefunction(method):
        return cast(Callable[P, Awaitable[R]], method)

    async def call_sync(*args: P.args, **kwargs: P.kwargs) -> R:
        result = await run_in_threadpool(partial(method, *args, **kwargs))
        if inspect.isawaitable(result):
            return cast(R, await result)
        return result

    return call_sync


def problem(status: int, title: str, detail: str) -> Response:
    """An RFC 9457 problem document."""
    body = json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail})
    return Response(body, status_code=status, media_type="application/problem+json")


def not_implemented(operation: str) -> Response:
    return problem(501, "Not Implemented", f"operation {operation!r} is not implemented by this service")


# --------------------------------------------------------------------------- results


def _header_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ",".join(_header_text(v) for v in value)
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

    __slots__ = ("also", "body", "headers", "kind", "media_type", "status")

    def __init__(
        self,
        status: int | None,
        media_type: str | None,
        body: Any = None,
        kind: str = "json",
        *,
        headers: tuple[tuple[str, str, Any, bool], ...] = (),
        also: tuple[str, ...] = (),
    ) -> None:
        self.status = status  # None: the result carries ``status_code`` (ranges and ``default``)
        self.media_type = media_type
        self.body = _Adapted(body) if body is not None else None
        self.kind = kind  # json, text or binary
        self.headers = headers  # (attribute, header name, type, required)
        self.also = also  # more media types for the same body, chosen by the Accept header

    def negotiate(self, accept: str | None) -> str | None:
        """The media type to send: the first one the client accepts, else the spec's first."""
        if accept and self.also:
            wanted = [part.split(";")[0].strip().lower() for part in accept.split(",")]
            for candidate in (self.media_type, *self.also):
                if candidate is not None and candidate.lower() in wanted:
                    return candidate
        return self.media_type

    def render(self, result: Any, body: Any, status: int, accept: str | None = None) -> Response:
        content = b""
        media_type = self.negotiate(accept)
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
                    response.headers[name] = _header_text(value)
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
    """A content entry for a non-JSON media type, with the schema of what the app sends."""
    if type_ is bytes:
        schema: dict[str, Any] = {"type": "string", "contentMediaType": "application/octet-stream"}
    else:
        schema = json_schema(TypeAdapter(type_))
    return {name: {"schema": schema} for name in (media_type, *also)}


# --------------------------------------------------------------------------- routes


@dataclass(frozen=True, slots=True)
class Styled:
    """A parameter whose style FastAPI does not parse itself: an array in a non-default
    style, or an object (``properties`` names its properties, which ``form`` spreads)."""

    location: str
    name: str
    style: str
    explode: bool
    properties: tuple[str, ...] | None = None


class ErrorModel:
    """The spec's response for a request the app refuses (invalid, or unauthenticated)."""

    __slots__ = ("also", "body", "media_type", "status")

    def __init__(
        self, status: int, body: Any, media_type: str = "application/json", also: tuple[str, ...] = ()
    ) -> None:
        self.status = status
        self.body = _Adapted(body) if body is not None else None
        self.media_type = media_type
        self.also = also

    def render(self, message: str, headers: Mapping[str, str] | None = None, accept: str | None = None) -> Response:
        if self.body is None:
            return Response(status_code=self.status, headers=headers)
        try:
            schema = json_schema(self.body.adapter)
            draft = synthesize(schema, hints={"message": message, "status": self.status})
            content = self.body.dump(self.body.adapter.validate_python(draft))
        except (ValidationError, TypeError, ValueError):
            title = "Unauthorized" if self.status == 401 else "Bad Request"
            response = problem(self.status, title, message)
            response.headers.update(headers or {})
            return response
        media_type = self.media_type
        if accept and self.also:
            wanted = [part.split(";")[0].strip().lower() for part in accept.split(",")]
            media_type = next((m for m in (self.media_type, *self.also) if m.lower() in wanted), self.media_type)
        return Response(content, status_code=self.status, media_type=media_type, headers=headers)


class Unauthenticated(Exception):
    """Raised by a security dependency: none of the operation's requirements is met."""

    def __init__(self, schemes: tuple[str, ...]) -> None:
        super().__init__(f"authentication required: {' or '.join(schemes)}")
        self.schemes = schemes


@dataclass(frozen=True, slots=True)
class RouteOptions:
    styled: tuple[Styled, ...] = ()
    invalid: ErrorModel | None = None
    unauthenticated: ErrorModel | None = None


def route_options(
    styled: Sequence[Styled] = (), invalid: ErrorModel | None = None, unauthenticated: ErrorModel | None = None
) -> Callable[[T], T]:
    """Attach parsing and error options to an endpoint function for :class:`CodegenRoute`."""

    def mark(endpoint: T) -> T:
        endpoint.__codegen__ = RouteOptions(tuple(styled), invalid, unauthenticated)  # type: ignore[attr-defined]
        return endpoint

    return mark


_SEPARATORS = {"form": ",", "simple": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


def _restyle_query(query: bytes, styled: Sequence[Styled]) -> bytes:
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


def _restyle_headers(headers: list[tuple[bytes, bytes]], styled: Sequence[Styled]) -> list[tuple[bytes, bytes]]:
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


def _restyle_path(path_params: dict[str, Any], styled: Sequence[Styled]) -> None:
    for s in styled:
        if s.location == "path" and s.properties is not None and isinstance(path_params.get(s.name), str):
            path_params[s.name] = _simple_object(path_params[s.name], s.explode)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()))
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "the request is not valid"


_CHALLENGES = {"Basic": "Basic", "Bearer": "Bearer"}


def _json_float(text: str) -> float | int:
    number = float(text)
    return int(number) if number.is_integer() and abs(number) < 2**63 else number


def _json_content_type(scope: MutableMapping[str, Any]) -> None:
    """``text/json`` is JSON too; FastAPI only parses ``application/json`` and ``+json``."""
    headers = scope.get("headers") or []
    for i, (key, value) in enumerate(headers):
        if key == b"content-type":
            base = value.split(b";", 1)[0].strip().lower()
            if base.endswith(b"/json") and base != b"application/json":
                headers = list(headers)
                headers[i] = (key, b"application/json" + value[len(value.split(b";", 1)[0]) :])
                scope["headers"] = headers
            return


class _JsonNumbers(Request):
    """JSON as JSON Schema reads it: ``3.0`` is an integer. Models are strict about JSON types
    (``"3"`` is not a number), and Pydantic's strict int would refuse ``3.0``."""

    @override
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = json.loads(await self.body(), parse_float=_json_float)
        return self._json


_TEMPLATE_PARAMETER = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)(:[a-zA-Z_][a-zA-Z0-9_]*)?\}")  # Starlette's


class CodegenRoute(APIRoute):
    """An APIRoute that honours parameter styles and the spec's error responses.

    Non-default ``style``/``explode`` parameters are rewritten into the form FastAPI parses
    before FastAPI sees the request. Invalid requests are answered with the error model the
    spec declares for 400 (or 422, ``4XX``, ``default``), and unauthenticated ones with its
    401 model, instead of FastAPI's own bodies. A template that names a parameter twice
    (valid OpenAPI, refused by Starlette) matches where every place holds the same value.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        seen: set[str] = set()
        repeats: dict[str, str] = {}  # stand-in name -> the parameter it repeats

        def rename(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in seen:
                seen.add(name)
                return match.group()
            alias = f"codegen_repeat_{len(repeats) + 1}"
            repeats[alias] = name
            return "{" + alias + (match.group(2) or "") + "}"

        super().__init__(_TEMPLATE_PARAMETER.sub(rename, path), endpoint, **kwargs)
        if not repeats:
            return
        pattern, path_format = self.path_regex.pattern, self.path_format
        for alias, name in repeats.items():
            group = f"(?P<{alias}>{self.param_convertors.pop(alias).regex})"
            pattern = pattern.replace(group, f"(?P={name})")  # a back-reference: the same text again
            path_format = path_format.replace("{" + alias + "}", "{" + name + "}")
        self.path_regex, self.path_format = re.compile(pattern), path_format

    @override
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        options: RouteOptions = getattr(self.endpoint, "__codegen__", RouteOptions())
        styled, invalid, unauthenticated = options.styled, options.invalid, options.unauthenticated

        reads_json = self.body_field is not None

        async def handle(request: Request) -> Response:
            if styled:
                scope = request.scope
                scope["query_string"] = _restyle_query(scope.get("query_string", b""), styled)
                scope["headers"] = _restyle_headers(list(scope.get("headers", [])), styled)
                _restyle_path(scope.setdefault("path_params", {}), styled)
                request = Request(scope, request.receive)
            if reads_json:
                _json_content_type(request.scope)
                request = _JsonNumbers(request.scope, request.receive)
            try:
                return await handler(request)
            except RequestValidationError as exc:
                if invalid is None:
                    raise
                return invalid.render(_validation_message(exc), accept=request.headers.get("accept"))
            except StarletteHTTPException as exc:
                # a body FastAPI cannot even parse ("There was an error parsing the body")
                if invalid is None or exc.status_code != 400:
                    raise
                return invalid.render(str(exc.detail), accept=request.headers.get("accept"))
            except Unauthenticated as exc:
                headers = {"WWW-Authenticate": "Bearer"}
                if unauthenticated is None:
                    response = problem(401, "Unauthorized", str(exc))
                    response.headers.update(headers)
                    return response
                return unauthenticated.render(str(exc), headers, request.headers.get("accept"))

        return handle


def bearer_token(authorization: str) -> str:
    """The token of an ``Authorization: Bearer <token>`` header value."""
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token else authorization


_MEDIA_CLASSES: dict[str, type[Response]] = {}


def json_response(media_type: str) -> type[Response]:
    """A JSONResponse class for a JSON media type other than application/json."""
    from fastapi.responses import JSONResponse

    if media_type not in _MEDIA_CLASSES:
        _MEDIA_CLASSES[media_type] = type("JSONResponse", (JSONResponse,), {"media_type": media_type})
    return _MEDIA_CLASSES[media_type]


def form_model(model: type[T], values: Mapping[str, Any]) -> T:
    """The body model of a form or multipart request, from the fields FastAPI parsed."""
    from pydantic import MISSING

    present = {k: v for k, v in values.items() if v is not MISSING}
    adapter: TypeAdapter[T] = TypeAdapter(model)
    return adapter.validate_python(present)


def install(app: Any, *, recursion_depth: int | None = None) -> None:
    """App-wide behaviour: a 405 lists every method the path has (Starlette's own answer
    lists only those of the first route it tried). ``recursion_depth``: the models hold a deep
    group of mutually recursive models, which ``app.openapi()`` documents with that much room
    (FastAPI's way to change how the document is made is to replace ``app.openapi``)."""
    if recursion_depth is not None:
        document = app.openapi

        def openapi() -> dict[str, Any]:
            return cast("dict[str, Any]", with_headroom(document, recursion_depth))

        app.openapi = openapi

    from fastapi.routing import iter_route_contexts
    from starlette.routing import Match

    async def method_not_allowed(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code != 405:
            from fastapi.exception_handlers import http_exception_handler

            return await http_exception_handler(request, exc)
        allowed: set[str] = set()
        for context in iter_route_contexts(app.routes):
            match, _ = context.matches({**request.scope, "method": "__none__"})
            if match is not Match.NONE and context.methods:
                allowed.update(context.methods)
        response = problem(405, "Method Not Allowed", f"{request.method} is not allowed here")
        response.headers["Allow"] = ", ".join(sorted(allowed))
        return response

    app.add_exception_handler(StarletteHTTPException, method_not_allowed)


# --------------------------------------------------------------------------- mock mode


def _mock_body(body: _Adapted, example: Any) -> Any:
    """The spec's example if it fits the schema (examples are not always right), else data
    made up from the schema, which always does."""
    if example is not None:
        try:
            return body.adapter.validate_python(example)
        except ValidationError:
            pass
    return _made_up(body.adapter)


def _made_up(adapter: TypeAdapter[Any]) -> Any:
    """Data for a type, from the schema Pydantic derives for it: with the spec's property
    examples where they fit (an ``example: ''`` beside ``format: date-time`` does not), else
    without any."""
    schema = json_schema(adapter)
    try:
        return adapter.validate_python(synthesize(schema))
    except ValidationError:
        return adapter.validate_python(synthesize(schema, examples=False))


def _mock_text(body: _Adapted | None, example: Any, operation: str) -> str:
    if body is None:
        return str(example) if example is not None else operation
    value = body.adapter.dump_python(_mock_body(body, example), mode="json")
    return value if isinstance(value, str) else json.dumps(value)


def mock_call(results: Results, operation: str, example: Any = None) -> Callable[..., Awaitable[Any]]:
    """An implementation of one operation that answers with example or made-up data."""
    spec = results.primary

    async def answer(**_: Any) -> Any:
        if spec is None:
            return Response(status_code=results.primary_status)
        body: Any = None
        if spec.body is not None:
            if spec.kind == "json":
                body = _mock_body(spec.body, example)
            elif spec.kind == "text":
                body = _mock_text(spec.body, example, operation)
            else:
                body = b""
        response = spec.render(None, body, results.primary_status)
        for _attribute, name, type_, required in spec.headers:
            if required:
                value = _made_up(TypeAdapter(type_))
                response.headers[name] = _header_text(value)
        return response

    return answer
