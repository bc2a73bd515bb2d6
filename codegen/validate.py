"""openapi-spec-validator over the bundled document, every error as a located problem.

The validator resolves ``$ref``s itself and, given the chance, reads files and URLs (a
``$ref: /etc/passwd`` ends up in its error message). It only ever sees the bundled document,
whose references the loader has already resolved and confined, and it gets no resolver
handlers at all, so it cannot reach the file system or the network.
"""

from __future__ import annotations

import abc
import ast
import re
import sys
from collections.abc import Iterable
from typing import Any

from typing_extensions import override

from codegen.load import resolve_pointer
from codegen.problems import Problem, join_pointer

__all__ = ["validate_document"]

_OPENAPI_KEYS = {
    "openapi", "info", "paths", "components", "servers", "security", "tags", "externalDocs",
    "webhooks", "jsonSchemaDialect",
}  # fmt: skip
_OPERATION_IN = re.compile(r"for '(\w+)' (?:operation )?in '([^']+)'")
_MAX_MESSAGE = 300


def _short(message: str) -> str:
    first = message.strip().splitlines()[0] if message.strip() else "invalid"
    return first if len(first) <= _MAX_MESSAGE else first[: _MAX_MESSAGE - 1] + "…"


_UNEXPECTED = re.compile(r"^(?:Additional|Unevaluated) properties are not allowed \((.*) (?:was|were) unexpected\)")


def _describe(error: Any, document: Any) -> tuple[list[Any], str]:
    """The most specific path and message of a jsonschema error."""
    from jsonschema.exceptions import best_match

    if getattr(error, "context", None):
        # the deepest failure among the alternatives says most about what is wrong
        deepest = max(error.context, key=lambda e: len(e.absolute_path))
        inner = best_match([e for e in error.context if len(e.absolute_path) == len(deepest.absolute_path)])
        if inner is not None and len(inner.absolute_path) > len(error.absolute_path):
            error = inner
    path = list(error.absolute_path)
    message = str(error.message)
    instance = error.instance
    extra = _UNEXPECTED.match(message)
    if extra:
        # point at the key that is not allowed rather than at the mapping around it
        try:
            mapping = resolve_pointer(document, join_pointer(path))
        except KeyError:
            mapping = None
        keys = mapping if isinstance(mapping, dict) else {}
        unexpected = [key for key in keys if isinstance(key, str) and repr(key) in extra.group(1)]
        if len(unexpected) == 1:
            path.append(unexpected[0])
    if isinstance(instance, (dict, list)):
        message = message.replace(repr(instance), "this value")
        text = re.sub(r"^\{.*\} |^\[.*\] ", "this value ", message)
        message = text
    return path, _short(message)


_NOT_REGEX = re.compile(r"^'(.*)' is not a 'regex'$", re.DOTALL)


def _find(document: Any, relative: list[Any], instance: Any) -> str | None:
    """Where in the document ``relative`` (a path the validator gives relative to some schema)
    leads to ``instance``: the first such place, as a JSON pointer."""
    stack: list[tuple[Any, list[Any]]] = [(document, [])]
    while stack:
        node, at = stack.pop()
        target: Any = node
        for part in relative:
            if (isinstance(target, dict) and part in target) or (
                isinstance(target, list) and isinstance(part, int) and part < len(target)
            ):
                target = target[part]
            else:
                target = _MISSING
                break
        if target is not _MISSING and target == instance:
            return join_pointer([*at, *relative])
        if isinstance(node, dict):
            stack.extend((v, [*at, k]) for k, v in reversed(list(node.items())) if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, [*at, i]) for i, v in reversed(list(enumerate(node))) if isinstance(v, (dict, list)))
    return None


_MISSING = object()


def _semantic(error: Any, document: Any) -> Problem:
    message = _short(str(getattr(error, "message", None) or error))
    found = _NOT_REGEX.match(str(getattr(error, "message", "")))
    if found is not None:
        from codegen.regex import regex_engine

        try:
            pattern = str(ast.literal_eval("'" + found.group(1) + "'"))  # the message quotes a repr
        except (ValueError, SyntaxError):
            pattern = found.group(1)
        if regex_engine(pattern) is not None:
            # The validator checks patterns with Python's re, which lacks ECMA-262 classes such
            # as \p{L}; Pydantic's engine runs them, so the spec is fine for us.
            return Problem.at(
                "spec.pattern", f"pattern {pattern!r} is not Python syntax; Pydantic's engine runs it", "", warning=True
            )
    path = list(getattr(error, "absolute_path", None) or [])
    if path and str(path[0]) in _OPENAPI_KEYS:
        return Problem.at("spec.invalid", message, join_pointer(path))
    found = _OPERATION_IN.search(message)
    if found:
        method, url = found.groups()
        return Problem.at("spec.invalid", message, join_pointer(["paths", url, method]))
    if path:
        found_at = _find(document, path, getattr(error, "instance", _MISSING))
        if found_at is not None:
            return Problem.at("spec.invalid", message, found_at)
        message = f"in a schema, at {'/'.join(map(str, path))}: {message}"
    return Problem.at("spec.invalid", message, "")


def _fast_node_checks() -> None:
    """pathable (under openapi-spec-validator) checks every node it visits against the runtime
    ``Protocol`` ``Subscriptable``. On Python 3.11 each such ``isinstance`` re-derives the
    protocol's members, which was a quarter of the validator's time on GitHub's API. The same
    structural check as an ABC gives the same answers, cached per type by ``ABCMeta``."""
    from pathable import accessors

    current = getattr(accessors, "Subscriptable", None)
    if sys.version_info >= (3, 12) or current is None or getattr(current, "_codegen_abc", False):
        return

    class Subscriptable(abc.ABC):  # noqa: B024 - a structural check, no methods to require
        _codegen_abc = True

        @classmethod
        @override
        def __subclasshook__(cls, other: type) -> bool:
            members = ("__contains__", "__getitem__", "__len__")
            return all(any(base.__dict__.get(m) is not None for base in other.__mro__) for m in members)

    setattr(accessors, "Subscriptable", Subscriptable)  # noqa: B010 - a module attribute, replaced


def validate_document(document: dict[str, Any], version: str) -> list[Problem]:
    """Every problem openapi-spec-validator finds, without any file or network access."""
    _fast_node_checks()
    from jsonschema_path import SchemaPath
    from openapi_spec_validator.validation import (
        OpenAPIV30SpecValidator,
        OpenAPIV31SpecValidator,
    )

    cls = OpenAPIV31SpecValidator if version.startswith("3.1") else OpenAPIV30SpecValidator
    path = SchemaPath.from_dict(document, base_uri="urn:codegen:bundle", handlers={})
    validator = cls(path)
    problems: list[Problem] = []
    for error in validator.schema_validator.iter_errors(validator.schema):
        where, message = _describe(error, document)
        problems.append(Problem.at("spec.invalid", message, join_pointer(where)))
    problems.extend(_run_semantic(validator, structural_errors=bool(problems)))
    return _unique(problems)


def _run_semantic(validator: Any, *, structural_errors: bool) -> list[Problem]:
    problems: list[Problem] = []
    try:
        for error in validator.root_validator(validator.schema_path):
            problems.append(_semantic(error, validator.schema))
    except RecursionError:
        problems.append(Problem.at("spec.invalid", "schemas nest too deeply to validate", ""))
    except Exception as exc:  # noqa: BLE001 - the validator crashes on some invalid documents
        if not structural_errors:
            problems.append(
                Problem.at("spec.invalid", f"the validator stopped: {_short(type(exc).__name__ + ': ' + str(exc))}", "")
            )
    return problems


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    seen: set[tuple[str, str]] = set()
    result = []
    for problem in problems:
        key = (problem.location.pointer, problem.message)
        if key not in seen:
            seen.add(key)
            result.append(problem)
    return result
