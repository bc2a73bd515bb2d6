"""Mock mode: an implementation of every operation from the spec's examples or made-up data.

Imported only by apps built with ``create_app(mock=True)``. As Prism does, a client picks the
response with ``Prefer`` (RFC 7240): ``Prefer: code=404`` answers with the operation's 404
response (or the range or ``default`` that covers it), ``Prefer: example=NAME`` with the named
example (of the preferred response, else the primary one); ``Preference-Applied`` says which
preferences were honoured.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fastapi import Response
from pydantic import TypeAdapter, ValidationError

from .results import Results, ResultSpec, _Adapted, header_text
from .synth import synthesize
from .types import json_schema

__all__ = ["mock_call", "preferences"]


def _mock_body(body: _Adapted, example: Any) -> Any:
    """The spec's example if it fits the schema (examples are not always right), else data
    made up from the schema: with the schema's own examples where they fit, else without."""
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


def preferences(header: str | None) -> dict[str, str]:
    """``Prefer: code=404, example=missing`` -> ``{"code": "404", "example": "missing"}``."""
    found: dict[str, str] = {}
    for part in (header or "").replace(";", ",").split(","):
        name, _, value = part.partition("=")
        if name.strip():
            found.setdefault(name.strip().lower(), value.strip().strip('"'))
    return found


def _covers(spec: ResultSpec, code: int) -> bool:
    key = (spec.key or "").upper()
    return key == str(code) or key == f"{str(code)[0]}XX" or (key in ("", "DEFAULT") and spec.status is None)


def _chosen(results: Results, code: str | None) -> tuple[ResultSpec | None, int] | None:
    """The response ``Prefer: code=`` names: an exact status first, then a range, then default."""
    if code is None or not code.isdigit():
        return None
    number = int(code)
    specs = list(results.specs.values())
    ranged = f"{code[0]}XX"
    exact = [s for s in specs if s.status == number]
    ranges = [s for s in specs if s.status is None and (s.key or "").upper() == ranged]
    fallback = [s for s in specs if _covers(s, number)]
    for found in (exact, ranges, fallback):
        if found:
            return found[0], number
    return None


def _fallback(results: Results) -> ResultSpec | None:
    """The response of an operation that declares only ``default`` (or ``2XX``): its body, with
    the primary status (an empty 200 would have no Content-Type the spec declares)."""
    for spec in results.specs.values():
        if spec.status is None and (spec.key or "default").upper() in ("DEFAULT", "2XX"):
            return spec
    return None


def mock_call(
    results: Results,
    operation: str,
    example: Any = None,
    examples: Mapping[str, Mapping[str, Any]] | None = None,
) -> Callable[..., Awaitable[Any]]:
    """An implementation of one operation that answers with example or made-up data.

    ``example``: the primary response's example; ``examples``: the named examples of each
    response, by the spec's response key (``{"200": {"sold": {...}}, "404": {...}}``), which
    ``Prefer: example=NAME`` picks from."""

    async def answer(**_: Any) -> Any:
        from .routes import current_request

        request = current_request()
        prefer = preferences(request.headers.get("prefer") if request is not None else None)
        applied: list[str] = []
        spec, status, chosen_example = results.primary or _fallback(results), results.primary_status, example
        picked = _chosen(results, prefer.get("code"))
        if picked is not None:
            spec, status = picked
            chosen_example = None
            applied.append(f"code={status}")
        named = prefer.get("example")
        if named is not None and examples:
            key = spec.key if spec is not None and spec.key is not None else str(status)
            pool = examples.get(key) or {}
            if named in pool:
                chosen_example = pool[named]
                applied.append(f"example={named}")
        if spec is None:
            return Response(status_code=status)
        body: Any = None
        if spec.body is not None:
            if spec.kind in ("json", "xml"):  # an XML body is a model too, written as XML
                body = _mock_body(spec.body, chosen_example)
            elif spec.kind == "text":
                body = _mock_text(spec.body, chosen_example, operation)
            else:
                body = b""
        response = spec.render(None, body, status, request.headers.get("accept") if request is not None else None)
        for _attribute, name, type_, required in spec.headers:
            if required:
                value = _made_up(TypeAdapter(type_))
                response.headers[name] = header_text(value)
        if applied:
            response.headers["Preference-Applied"] = ", ".join(applied)
        return response

    return answer
