"""Which regular-expression engine can run a spec's ``pattern``.

Pydantic validates patterns with a Rust engine (linear time, no look-around); Python's ``re``
has look-around but not ``\\p{L}``-style classes. A pattern goes to the first engine that
compiles it; one neither compiles is reported and left unenforced.
"""

from __future__ import annotations

import functools
import re

__all__ = ["regex_engine"]


@functools.lru_cache(maxsize=4096)
def regex_engine(pattern: str) -> str | None:
    """``rust`` if Pydantic's default engine takes the pattern, ``python`` if only ``re`` does."""
    from pydantic_core import SchemaError, SchemaValidator, core_schema

    try:
        SchemaValidator(core_schema.str_schema(pattern=pattern))
        return "rust"
    except SchemaError:
        pass
    try:
        re.compile(pattern)
        return "python"
    except (re.error, RecursionError, OverflowError):
        return None
