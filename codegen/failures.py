"""The specific failures under a JSON Schema validator's error, for messages that say what is wrong.

A spec's object fails ``oneOf: [Schema, Reference]`` when one of its keys is wrong; the error
the validator reports is that generic ``oneOf`` failure, and the failures that say what is
wrong (``'strng' is not one of ...``, ``'x' is not of type 'number'``) sit in its context, one
list per alternative. :func:`leaves` picks the alternative the author meant (the one whose
failures go deepest into the value: the ``Reference`` alternative fails at the object itself,
on its missing ``$ref``) and returns every failure of it, recursively, so two mistakes in one
schema are two problems.

Both backends of openapi-spec-validator are read: jsonschema's errors (``context``, grouped
by the alternative's index) and jsonschema-rs's (``kind.context``, already grouped).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Failure", "from_jsonschema", "from_rust", "leaves"]


@dataclass(frozen=True, slots=True)
class Failure:
    path: tuple[str | int, ...]  # of the failing value, from the root of what was validated
    message: str
    keyword: str  # the keyword that failed: "type", "enum", "oneOf", "required", ...
    instance: Any
    alternatives: tuple[tuple[Failure, ...], ...] = ()  # one tuple of failures per alternative


def from_jsonschema(error: Any) -> Failure:
    """A ``jsonschema.ValidationError`` (its path is relative to its validation's root)."""
    groups: dict[Any, list[Failure]] = {}
    for sub in getattr(error, "context", None) or ():
        branch = sub.relative_schema_path[0] if sub.relative_schema_path else 0
        groups.setdefault(branch, []).append(from_jsonschema(sub))
    keyword = error.validator if isinstance(error.validator, str) else ""
    return Failure(
        tuple(error.absolute_path),
        str(error.message),
        keyword,
        error.instance,
        tuple(tuple(group) for group in groups.values()),
    )


def from_rust(error: Any) -> Failure:
    """A ``jsonschema_rs.ValidationError``."""
    kind = type(error.kind).__name__  # Type, Enum, OneOfNotValid, AnyOf, Required, ...
    context = getattr(error.kind, "context", None) or ()
    message = str(error.message)
    options = getattr(error.kind, "options", None)
    if kind == "Enum" and isinstance(options, list):  # the message names only the first two
        message = f"{_json(error.instance)} is not one of {', '.join(_json(o) for o in options)}"
    return Failure(
        tuple(error.instance_path),
        message,
        kind[:1].lower() + kind[1:],
        error.instance,
        tuple(tuple(from_rust(sub) for sub in branch) for branch in context),
    )


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def leaves(failure: Failure) -> list[Failure]:
    """The specific failures under ``failure`` (itself, when it has no alternatives)."""
    if not failure.alternatives:
        return [failure]
    candidates = [[leaf for sub in branch for leaf in leaves(sub)] for branch in failure.alternatives]
    candidates = [found for found in candidates if found]
    if not candidates:
        return [failure]
    return max(candidates, key=_meant)


def _meant(found: Sequence[Failure]) -> tuple[int, bool, int]:
    """How likely the author meant this alternative: its failures go deep into the value, they
    are not only of the wrong type (a string where the alternative wants an array), and few."""
    return (
        max(len(f.path) for f in found),
        not all(f.keyword == "type" for f in found),
        -len(found),
    )
