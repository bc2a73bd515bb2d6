"""Mock mode: an implementation of every operation from the spec's examples or made-up data.

Imported only by apps built with ``create_app(mock=True)``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Response
from pydantic import TypeAdapter, ValidationError

from .results import Results, _Adapted, header_text
from .synth import synthesize
from .types import json_schema

__all__ = ["mock_call"]


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
                response.headers[name] = header_text(value)
        return response

    return answer
