"""The route class of generated apps, and what its endpoints call.

:class:`CodegenRoute` rewrites parameters in non-default styles before FastAPI reads them,
parses bodies as their media type says (JSON as JSON Schema reads it, YAML, empty values),
refuses media types the operation does not take (415), and answers invalid or
unauthenticated requests with the error responses the spec declares, built from the real
failure (:mod:`codegen_runtime.errors`). :func:`install` gives the app OpenAPI's path
precedence and the service's error body factory. The other functions bind an
implementation's methods.
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
    Sequence,
)
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial
from typing import Any, ParamSpec, TypeVar, cast

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import TypeAdapter
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match
from typing_extensions import override

from .binding import (
    MalformedParameter,
    Styled,
    restyle_headers,
    restyle_path,
    restyle_query,
)
from .credentials import Unauthenticated
from .errors import (
    ErrorBodyFactory,
    ErrorModel,
    Failure,
    FieldError,
    problem_members,
    samples,
)
from .requests import (
    accepts_media,
    declared_media,
    encoded_slashes,
    prepare_body,
)
from .results import problem
from .types import with_headroom

__all__ = [
    "CodegenRoute",
    "ErrorModel",
    "RouteOptions",
    "bind",
    "current_request",
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


def not_implemented(operation: str) -> Response:
    return problem(501, "Not Implemented", f"operation {operation!r} is not implemented by this service")


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


_REQUEST: ContextVar[Request | None] = ContextVar("codegen_request", default=None)


def current_request() -> Request | None:
    """The request the current route is answering (mock mode reads its ``Prefer`` header)."""
    return _REQUEST.get()


@dataclass(frozen=True, slots=True)
class ErrorPolicy:
    """What :func:`install` gives every route of an app: the service's error body factory."""

    factory: ErrorBodyFactory | None = None
    mock: bool = False


def _field_errors(errors: Sequence[Any]) -> tuple[FieldError, ...]:
    return tuple(
        FieldError(tuple(e.get("loc", ())), str(e.get("msg", "invalid")), str(e.get("type", "value_error")))
        for e in errors
        if isinstance(e, Mapping)
    )


def _detail(errors: tuple[FieldError, ...]) -> str:
    parts = [f"{'.'.join(str(p) for p in e.loc)}: {e.message}" for e in errors]
    return "; ".join(parts) or "the request is not valid"


_ANY_PARAMETER = re.compile(r"\{([^{}]+)\}")  # a template parameter, as OpenAPI names it
_IDENTIFIER = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
_TEMPLATE_PARAMETER = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)(:[a-zA-Z_][a-zA-Z0-9_]*)?\}")  # Starlette's


class CodegenRoute(APIRoute):
    """An APIRoute that honours parameter styles, media types and the spec's error responses.

    Non-default ``style``/``explode`` parameters are rewritten into the form FastAPI parses
    before FastAPI sees the request. Invalid requests are answered with the error model the
    spec declares for 400 (or 422, ``4XX``, ``default``), unauthenticated ones with its 401
    model, a body in a media type the operation does not take with 415, instead of FastAPI's
    own bodies. A path parameter may hold an encoded slash (``%2F``): the route matches the
    path as sent, where ``%2F`` is data, not a separator.
    A template that names a parameter twice (valid OpenAPI, refused by Starlette) matches
    where every place holds the same value; a name Starlette's templates cannot take
    (``{access-token-key}``) matches under a stand-in and is documented and read as written.
    """

    errors: ErrorPolicy = ErrorPolicy()

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
    def matches(self, scope: Any) -> tuple[Match, Any]:
        alternative = encoded_slashes(scope)
        if alternative is None:
            return super().matches(scope)
        path, restore = alternative
        match, child = super().matches({**scope, "path": path})
        if match is not Match.NONE:
            child["path_params"] = {k: restore(v) for k, v in child.get("path_params", {}).items()}
        return match, child

    @override
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        options: RouteOptions = getattr(self.endpoint, "__codegen__", RouteOptions())
        styled, invalid, unauthenticated = options.styled, options.invalid, options.unauthenticated
        media = declared_media(self)
        route = self

        def refuse(model: ErrorModel | None, failure: Failure, request: Request, headers: dict[str, str]) -> Response:
            accept = request.headers.get("accept")
            if model is None:
                response = problem(failure.status, failure.title, failure.detail, **problem_members(failure))
                response.headers.update(headers)
                return response
            return model.render(failure, headers or None, accept, route.errors.factory, route.errors.mock)

        def invalid_failure(request: Request, errors: tuple[FieldError, ...], status: int | None = None) -> Failure:
            code = status if status is not None else (invalid.status if invalid is not None else 400)
            return Failure(code, _detail(errors), errors, request.url.path, request.method)

        def unsupported(request: Request, content_type: str) -> Failure:
            takes = ", ".join(media)
            error = FieldError(("header", "Content-Type"), f"{content_type} is not one of {takes}", "media_type")
            detail = f"this operation takes {takes}, not {content_type}"
            return Failure(415, detail, (error,), request.url.path, request.method)

        spec_names = self.spec_names

        async def handle(request: Request) -> Response:
            token = _REQUEST.set(request)
            if spec_names:
                found = request.scope.setdefault("path_params", {})
                for alias, name in spec_names.items():
                    if alias in found:
                        found[name] = found.pop(alias)
            try:
                if styled:
                    scope = request.scope
                    scope["query_string"] = restyle_query(scope.get("query_string", b""), styled)
                    scope["headers"] = restyle_headers(list(scope.get("headers", [])), styled)
                    restyle_path(scope.setdefault("path_params", {}), styled)
                if media:
                    content_type = Request(request.scope).headers.get("content-type")
                    if content_type is not None and not accepts_media(media, content_type):
                        return refuse(invalid, unsupported(request, content_type), request, {})
                    request = prepare_body(request.scope, request.receive, media)
                elif styled:
                    request = Request(request.scope, request.receive)  # reads the rewritten scope
                return await handler(request)
            except MalformedParameter as exc:
                error = FieldError((exc.location, exc.name), str(exc), "style")
                return refuse(invalid, invalid_failure(request, (error,)), request, {})
            except RequestValidationError as exc:
                if invalid is None:
                    raise
                return refuse(invalid, invalid_failure(request, _field_errors(exc.errors())), request, {})
            except StarletteHTTPException as exc:
                # a body FastAPI cannot even parse ("There was an error parsing the body")
                if invalid is None or exc.status_code != 400:
                    raise
                error = FieldError(("body",), str(exc.detail), "body_parsing")
                return refuse(invalid, invalid_failure(request, (error,)), request, {})
            except Unauthenticated as exc:
                failure = Failure(401, str(exc), (), request.url.path, request.method)
                return refuse(unauthenticated, failure, request, {"WWW-Authenticate": "Bearer"})
            finally:
                _REQUEST.reset(token)

        return handle


def _json_part(value: Any) -> Any:
    """A form or multipart value holding an object or array: OpenAPI sends it as JSON text."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def form_model(model: type[T], values: Mapping[str, Any]) -> T:
    """The body model of a form or multipart request, from the fields FastAPI parsed. A part
    holding an object or array is read as JSON (its default content type in OpenAPI); what does
    not validate is an invalid request (400 in the spec's shape), never a 500."""
    from pydantic import MISSING, ValidationError

    present = {k: v for k, v in values.items() if v is not MISSING}
    adapter: TypeAdapter[T] = TypeAdapter(model)
    try:
        return adapter.validate_python(present)
    except ValidationError as exc:
        failed = exc
    wrong = {e["loc"][0] for e in failed.errors(include_url=False) if e["loc"]}
    decoded = {k: _json_part(v) if k in wrong else v for k, v in present.items()}
    if decoded != present:
        try:
            return adapter.validate_python(decoded)
        except ValidationError as exc:
            failed = exc
    errors = failed.errors(include_url=False, include_context=False)
    raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in errors])


def precedence(path: str) -> tuple[int, ...]:
    """The sort key of a path template by OpenAPI's rule, concrete before templated: segment by
    segment, a literal one (``me``) before a partly templated one (``{id}.json``) before a
    template (``{id}``)."""
    return tuple(
        0 if "{" not in segment else 2 if segment.startswith("{") and segment.endswith("}") else 1
        for segment in path.strip("/").split("/")
    )


def order_routes(routes: list[BaseRoute]) -> list[BaseRoute]:
    """The routes in OpenAPI's precedence, stably: routers are included tag by tag, so
    ``/users/{userId}`` (tag admin) may come before ``/users/me`` (tag profile)."""
    return sorted(routes, key=lambda r: precedence(str(getattr(r, "path", ""))))


def install(
    app: Any, *, mock: bool = False, error_body: ErrorBodyFactory | None = None, recursion_depth: int | None = None
) -> None:
    """App-wide behaviour, once every route is added:

    - OpenAPI's path precedence, whatever the order the routes were added in;
    - the service's error body factory for every route, and the check that every error model
      can be filled from real failures (raises :class:`~codegen_runtime.errors.ErrorModelUnfillable`,
      so ``create_app()`` fails, unless ``mock``: a mock makes up what no failure says);
    - a 405 that lists every method the path has (Starlette's own answer lists only those of
      the first route it tried);
    - ``recursion_depth``: the models hold a deep group of mutually recursive models, which
      ``app.openapi()`` documents with that much room (FastAPI's way to change how the document
      is made is to replace ``app.openapi``).
    """
    if recursion_depth is not None:
        document = app.openapi

        def openapi() -> dict[str, Any]:
            return cast("dict[str, Any]", with_headroom(document, recursion_depth))

        app.openapi = openapi
    from fastapi.routing import iter_route_contexts

    app.router.routes[:] = order_routes(list(app.router.routes))
    policy = ErrorPolicy(error_body, mock)
    invalid, unauthenticated = samples()
    checked: set[tuple[int, int]] = set()
    for route in app.router.routes:
        if not isinstance(route, CodegenRoute):
            continue
        route.errors = policy
        options: RouteOptions = getattr(route.endpoint, "__codegen__", RouteOptions())
        for model, failure in ((options.invalid, invalid), (options.unauthenticated, unauthenticated)):
            key = (id(model.body.type if model is not None and model.body is not None else None), failure.status)
            if model is not None and not mock and key not in checked:
                model.check(error_body, (failure,))
                checked.add(key)

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
