"""The route class of generated apps, and what its endpoints call.

:class:`CodegenRoute` rewrites parameters in non-default styles before FastAPI reads them,
parses JSON as JSON Schema reads it, and answers invalid or unauthenticated requests with the
error responses the spec declares. The other functions bind an implementation's methods.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import (
    Awaitable,
    Callable,
    Coroutine,
    Mapping,
    MutableMapping,
    Sequence,
)
from dataclasses import dataclass
from functools import partial
from typing import Any, ParamSpec, TypeVar, cast

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from typing_extensions import override

from .binding import Styled, restyle_headers, restyle_path, restyle_query
from .credentials import Unauthenticated
from .results import _Adapted
from .synth import synthesize
from .types import json_schema, with_headroom

__all__ = [
    "CodegenRoute",
    "ErrorModel",
    "RouteOptions",
    "bind",
    "form_model",
    "implemented",
    "install",
    "not_implemented",
    "problem",
    "route_options",
]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


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


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()))
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "the request is not valid"


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


_ANY_PARAMETER = re.compile(r"\{([^{}]+)\}")  # a template parameter, as OpenAPI names it
_IDENTIFIER = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
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
        # Starlette's templates take ASCII identifiers: other names (``{access-token-key}``)
        # match under a stand-in, are documented as the spec writes them, and reach FastAPI,
        # which reads them by that name, under it
        self.spec_names: dict[str, str] = {}  # stand-in -> the spec's name

        def stand_in(match: re.Match[str]) -> str:
            name = match.group(1)
            if _IDENTIFIER.fullmatch(name):
                return match.group()
            alias = next((k for k, v in self.spec_names.items() if v == name), None)
            if alias is None:
                alias = f"codegen_name_{len(self.spec_names) + 1}"
                self.spec_names[alias] = name
            return "{" + alias + "}"

        path = _ANY_PARAMETER.sub(stand_in, path)
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
        if repeats:
            pattern, path_format = self.path_regex.pattern, self.path_format
            for alias, name in repeats.items():
                group = f"(?P<{alias}>{self.param_convertors.pop(alias).regex})"
                pattern = pattern.replace(group, f"(?P={name})")  # a back-reference: the same text again
                path_format = path_format.replace("{" + alias + "}", "{" + name + "}")
            self.path_regex, self.path_format = re.compile(pattern), path_format
        for alias, name in self.spec_names.items():
            self.path_format = self.path_format.replace("{" + alias + "}", "{" + name + "}")

    @override
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        options: RouteOptions = getattr(self.endpoint, "__codegen__", RouteOptions())
        styled, invalid, unauthenticated = options.styled, options.invalid, options.unauthenticated

        reads_json = self.body_field is not None

        spec_names = self.spec_names

        async def handle(request: Request) -> Response:
            if spec_names:
                found = request.scope.setdefault("path_params", {})
                for alias, name in spec_names.items():
                    if alias in found:
                        found[name] = found.pop(alias)
            if styled:
                scope = request.scope
                scope["query_string"] = restyle_query(scope.get("query_string", b""), styled)
                scope["headers"] = restyle_headers(list(scope.get("headers", [])), styled)
                restyle_path(scope.setdefault("path_params", {}), styled)
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
