"""Mock mode: an implementation of every operation from the spec's examples or made-up data.

Imported only by apps built with ``create_app(mock=True)``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Response
from pydantic import TypeAdapter, ValidationError

from .results import Results, _Adapted, header_text
from .synth import synthesize

__all__ = ["mock_call"]


def _mock_body(body: _Adapted, example: Any) -> Any:
    """The spec's example if it fits the schema (examples are not always right), else data
    made up from the schema, which always does."""
    if example is not None:
        try:
            return body.adapter.validate_python(example)
        except ValidationError:
            pass
    return body.adapter.validate_python(synthesize(body.adapter.json_schema()))


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
                body = str(example) if example is not None else operation
            else:
                body = b""
        response = spec.render(None, body, results.primary_status)
        for _attribute, name, type_, required in spec.headers:
            if required:
                adapter: TypeAdapter[Any] = TypeAdapter(type_)
                value = adapter.validate_python(synthesize(adapter.json_schema()))
                response.headers[name] = header_text(value)
        return response

    return answer
