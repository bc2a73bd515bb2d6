"""openapi-spec-validator over the bundled document, every error as a located problem.

The validator resolves ``$ref``s itself and, given the chance, reads files and URLs (a
``$ref: /etc/passwd`` ends up in its error message). It only ever sees the bundled document,
whose references the loader has already resolved and confined, and it gets no resolver
handlers at all, so it cannot reach the file system or the network.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Sequence
from typing import Any

from codegen.failures import Failure, from_jsonschema, from_rust, leaves
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


def _describe(failure: Failure, document: Any, root: Sequence[Any] = ()) -> tuple[list[Any], str]:
    """The path in the document and the message of one specific failure."""
    path = [*root, *failure.path]
    message = failure.message
    instance = failure.instance
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


def _find(document: Any, relative: list[Any], instance: Any) -> list[Any] | None:
    """Where in the document ``relative`` (a path the validator gives relative to some schema)
    leads to ``instance``: the path of the first such schema."""
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
            return at
        if isinstance(node, dict):
            stack.extend((v, [*at, k]) for k, v in reversed(list(node.items())) if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, [*at, i]) for i, v in reversed(list(enumerate(node))) if isinstance(v, (dict, list)))
    return None


_MISSING = object()


def _pattern_warning(message: str, pointer: str) -> Problem | None:
    found = _NOT_REGEX.match(message)
    if found is None:
        return None
    from codegen.regex import regex_engine

    try:
        pattern = str(ast.literal_eval("'" + found.group(1) + "'"))  # the message quotes a repr
    except (ValueError, SyntaxError):
        pattern = found.group(1)
    if regex_engine(pattern) is None:
        return None
    # The validator checks patterns with Python's re, which lacks ECMA-262 classes such as
    # \p{L}; Pydantic's engine runs them, so the spec is fine for us.
    return Problem.at(
        "spec.pattern", f"pattern {pattern!r} is not Python syntax; Pydantic's engine runs it", pointer, warning=True
    )


def _schema_problems(failures: Iterable[Failure], document: Any, root: list[Any]) -> list[Problem]:
    problems = []
    for failure in failures:
        for leaf in leaves(failure):
            where, message = _describe(leaf, document, root)
            pointer = join_pointer(where)
            problems.append(_pattern_warning(leaf.message, pointer) or Problem.at("spec.invalid", message, pointer))
    return problems


def _meta_failures(document: Any, root: list[Any], version: str) -> list[Failure]:
    """Every failure of the schema at ``root`` against the meta-schema openapi-spec-validator
    checks it with. The validator stops at the first (``check_schema`` raises it); the same
    validation, run to the end, lists them all."""
    from jsonschema.validators import validator_for

    try:
        schema = resolve_pointer(document, join_pointer(root))
    except KeyError:
        return []
    if version.startswith("3.0"):
        from openapi_schema_validator import OAS30Validator

        cls: Any = OAS30Validator
        format_checker = OAS30Validator.FORMAT_CHECKER
    else:
        from openapi_schema_validator import OAS31_BASE_DIALECT_ID, oas31_format_checker

        dialect = schema.get("$schema") if isinstance(schema, dict) else None
        if not isinstance(dialect, str):
            dialect = document.get("jsonSchemaDialect") or OAS31_BASE_DIALECT_ID
        cls = validator_for({"$schema": dialect}, default=None)
        format_checker = oas31_format_checker
        if cls is None:
            return []
    try:
        # what check_schema (openapi_schema_validator.validators.check_openapi_schema) reads
        # the dialects' meta-schemas from
        from openapi_schema_validator._specifications import REGISTRY
    except ImportError:
        return []
    meta = validator_for(cls.META_SCHEMA, default=cls)
    checker = meta(cls.META_SCHEMA, format_checker=format_checker, registry=REGISTRY)
    try:
        return [from_jsonschema(error) for error in checker.iter_errors(schema)]
    except Exception:  # noqa: BLE001 - then the validator's first failure is all there is
        return []


def _semantic(error: Any, document: Any, version: str) -> list[Problem]:
    raw = str(getattr(error, "message", None) or error)
    message = _short(raw)
    path = list(getattr(error, "absolute_path", None) or [])
    if path and str(path[0]) in _OPENAPI_KEYS:
        return [Problem.at("spec.invalid", message, join_pointer(path))]
    found = _OPERATION_IN.search(message)
    if found:
        method, url = found.groups()
        return [Problem.at("spec.invalid", message, join_pointer(["paths", url, method]))]
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    # A schema that fails its meta-schema: the validator reports its first failure only,
    # with a path inside the schema, which is found in the document by the failing value.
    meta = type(error) is OpenAPIValidationError and isinstance(getattr(error, "validator", None), str)
    if not isinstance(error, OpenAPIValidationError) and isinstance(getattr(error, "validator", None), str):
        # a schema's default that its schema refuses: the path is inside the default's value
        where = _find_default(document, path, error, version)
        if where is not None:
            return [Problem.at("spec.invalid", f"default: {message}", join_pointer(where))]
    root = _find(document, path, getattr(error, "instance", _MISSING)) if path or meta else None
    if root is not None:
        if meta:
            problems = _schema_problems(_meta_failures(document, root, version), document, root)
            if problems:
                return problems
        if isinstance(getattr(error, "validator", None), str):
            return _schema_problems([from_jsonschema(error)], document, root)
        return [Problem.at("spec.invalid", message, join_pointer([*root, *path]))]
    warning = _pattern_warning(raw, "")
    if warning is not None:
        return [warning]
    if path:
        message = f"in a schema, at {'/'.join(map(str, path))}: {message}"
    return [Problem.at("spec.invalid", message, "")]


def _find_default(document: Any, path: list[Any], error: Any, version: str) -> list[Any] | None:
    """Where the ``default`` is that fails as ``error`` says: the first one that holds the
    failing value at ``path`` and that its own schema refuses with the same message."""
    from openapi_schema_validator import OAS30Validator, OAS31Validator

    checker: Any = OAS30Validator if version.startswith("3.0") else OAS31Validator
    first: list[Any] | None = None
    todo: list[tuple[Any, list[Any]]] = [(document, [])]
    while todo:
        node, at = todo.pop()
        if isinstance(node, dict):
            if "default" in node:
                value: Any = node["default"]
                for part in path:
                    found = isinstance(value, (dict, list)) and (
                        part in value if isinstance(value, dict) else 0 <= part < len(value)
                    )
                    value = value[part] if found else _MISSING
                if value is not _MISSING and type(value) is type(error.instance) and value == error.instance:
                    first = first or [*at, "default", *path]
                    schema = {k: v for k, v in node.items() if k != "default"}
                    try:
                        if any(e.message == error.message for e in checker(schema).iter_errors(node["default"])):
                            return [*at, "default", *path]
                    except Exception:  # noqa: BLE001, S112 - a $ref out of context: no proof either way
                        continue
            todo.extend((v, [*at, k]) for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            todo.extend((v, [*at, i]) for i, v in reversed(list(enumerate(node))))
    return first


def validate_document(document: dict[str, Any], version: str) -> list[Problem]:
    """Every problem openapi-spec-validator finds, without any file or network access."""
    from jsonschema_path import SchemaPath
    from openapi_spec_validator.validation import (
        OpenAPIV30SpecValidator,
        OpenAPIV31SpecValidator,
    )

    cls = OpenAPIV31SpecValidator if version.startswith("3.1") else OpenAPIV30SpecValidator
    path = SchemaPath.from_dict(document, base_uri="urn:codegen:bundle", handlers={})
    validator = cls(path)
    problems = _schema_problems(_structural_failures(validator.schema_validator, document), document, [])
    # In 3.0 both passes check a schema's keywords; the first pass's word on a place stands.
    structural = {p.location.pointer for p in problems}
    semantic = _run_semantic(validator, version, structural_errors=bool(problems))
    problems.extend(p for p in semantic if p.location.pointer not in structural or not p.location.pointer)
    return _unique(problems)


def _structural_failures(schema_validator: Any, document: Any) -> list[Failure]:
    """The document against the OpenAPI schema, by the validator's backend. jsonschema-rs
    errors lose their alternatives in the validator's adapter, so that backend is asked
    directly, with the same schema."""
    from openapi_spec_validator.schemas import get_validator_backend

    if get_validator_backend() == "jsonschema-rs":
        import jsonschema_rs

        schema = dict(schema_validator.schema)
        rust = jsonschema_rs.validator_cls_for(schema)(schema)
        return [from_rust(error) for error in rust.iter_errors(document)]
    return [from_jsonschema(error) for error in schema_validator.iter_errors(document)]


def _run_semantic(validator: Any, version: str, *, structural_errors: bool) -> list[Problem]:
    problems: list[Problem] = []
    try:
        for error in validator.root_validator(validator.schema_path):
            problems.extend(_semantic(error, validator.schema, version))
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
