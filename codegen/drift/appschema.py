"""The code side of a drift check: what FastAPI derives from an app's routes and models.

The document comes from ``fastapi.openapi.utils.get_openapi`` called on ``app.routes``, the
same function ``app.openapi()`` uses, so a patched or cached ``app.openapi`` cannot hide
anything. Besides the document we note which summaries and operationIds FastAPI made up
(from function names), and where each route's function is, for the report.
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codegen.problems import Problem, ProblemsError

__all__ = ["AppDocument", "app_document", "load_app"]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True, slots=True)
class AppDocument:
    document: dict[str, Any]
    auto_summaries: frozenset[str] = frozenset()
    auto_ids: frozenset[str] = frozenset()
    sources: dict[str, tuple[str, int]] = field(default_factory=dict)  # operation pointer -> (file, line)


@contextmanager
def _on_path(folder: Path | None) -> Iterator[None]:
    if folder is None:
        yield
        return
    entry = str(folder.resolve())
    sys.path.insert(0, entry)
    try:
        yield
    finally:
        if entry in sys.path:
            sys.path.remove(entry)


def load_app(target: str, search: Path | None = None) -> Any:
    """``module:attribute`` (an app, or a factory called without arguments), or the name of a
    generated package whose ``app.create_app`` is called."""
    from fastapi import FastAPI

    module_name, _, attribute = target.partition(":")
    generated = not attribute
    if not attribute:
        module_name, attribute = f"{target}.app", "create_app"
    with _on_path(search):
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:  # noqa: BLE001 - report any import failure of user or generated code
            raise ProblemsError(
                [Problem("drift.import", f"cannot import {module_name}: {type(exc).__name__}: {exc}")]
            ) from None
    obj = getattr(module, attribute, None)
    if obj is None:
        raise ProblemsError([Problem("drift.import", f"{module_name} has no attribute {attribute!r}")])
    if not isinstance(obj, FastAPI) and callable(obj):
        # A generated package's app is documented through its mock: the same routes and
        # models, and it starts where the app itself waits for an error-body factory (an error
        # model needing what no real failure says); a service's own factory as it is.
        obj = _call(obj, target, mock=True) if generated else _call(obj, target)
    if not isinstance(obj, FastAPI):
        raise ProblemsError([Problem("drift.import", f"{target} is not a FastAPI app or a factory of one")])
    return obj


def _call(factory: Any, target: str, **options: Any) -> Any:
    try:
        return factory(**options)
    except Exception as exc:  # noqa: BLE001 - the factory's own failure, reported as such
        raise ProblemsError([Problem("drift.app", f"{target}: {type(exc).__name__}: {exc}")]) from None


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def app_document(app: Any) -> AppDocument:
    from fastapi.openapi.utils import get_openapi
    from fastapi.routing import APIRoute, iter_route_contexts

    document = get_openapi(
        title=app.title,
        version=app.version,
        openapi_version=app.openapi_version,
        summary=app.summary,
        description=app.description,
        terms_of_service=app.terms_of_service,
        contact=app.contact,
        license_info=app.license_info,
        routes=app.routes,
        webhooks=app.webhooks.routes,
        tags=app.openapi_tags,
        servers=app.servers,
        separate_input_output_schemas=app.separate_input_output_schemas,
        external_docs=getattr(app, "openapi_external_docs", None),
    )
    summaries, ids, sources = set(), set(), {}
    # FastAPI keeps included routers as such; its own iterator yields every route with the
    # path it is served under.
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or not route.include_in_schema or context.path_format is None:
            continue
        for method in context.methods or ():
            pointer = f"/paths/{_escape(context.path_format)}/{method.lower()}"
            if route.summary is None:
                summaries.add(pointer)
            if route.operation_id is None:
                ids.add(pointer)
            code = getattr(inspect.unwrap(route.endpoint), "__code__", None)
            if code is not None:  # the function's first line, its decorators' (what inspect says)
                sources[pointer] = (os.path.relpath(code.co_filename), code.co_firstlineno)
    return AppDocument(document, frozenset(summaries), frozenset(ids), sources)
