"""Error responses built from the real failure, in the shape of the spec's error model.

A request the app refuses (invalid, unauthenticated, in a media type the operation does not
take) is described by a :class:`Failure`: its status, title, detail, and the field errors as
data. :func:`fill` maps it onto the spec's error model by the model's field names (RFC 9457
``type/title/status/detail/instance/errors``, ``{code, message}``, ``{error: {code, message}}``,
``{errors: [{field, message}]}``…), filling only what the failure really says. A service can
supply its own factory (``create_app(error_body=...)``); an error model with a required field
that neither the factory nor the failure can fill stops the app from being built, because a
production service must never send invented data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from fastapi import Response
from pydantic import ValidationError

from .negotiation import negotiate
from .results import _Adapted, problem
from .types import json_schema

__all__ = [
    "ErrorBodyFactory",
    "ErrorModel",
    "ErrorModelUnfillable",
    "Failure",
    "FieldError",
    "fill",
    "problem_members",
]

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    406: "Not Acceptable",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
}
CODES = {401: "unauthenticated", 406: "not_acceptable", 415: "unsupported_media_type"}


@dataclass(frozen=True, slots=True)
class FieldError:
    """One thing wrong with a request: where (``("query", "limit")``, ``("body", "items", 0)``),
    what (a sentence) and its kind (Pydantic's error type: ``missing``, ``int_parsing``…)."""

    loc: tuple[str | int, ...]
    message: str
    type: str

    @property
    def field(self) -> str:
        """The field's dotted name, without the ``body`` it sits in: ``limit``, ``items.0.name``."""
        parts = self.loc[1:] if self.loc[:1] == ("body",) and len(self.loc) > 1 else self.loc
        return ".".join(str(p) for p in parts)

    @property
    def location(self) -> str:
        return str(self.loc[0]) if self.loc else "body"

    @property
    def pointer(self) -> str:
        """A JSON pointer: into the body for a body field (``/items/0/name``), else to the
        parameter under its location (``/query/limit``)."""
        parts = self.loc[1:] if self.loc[:1] == ("body",) else self.loc
        return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a request was refused, as data: what an error body may say."""

    status: int
    detail: str
    errors: tuple[FieldError, ...] = ()
    instance: str | None = None  # the request's path
    method: str | None = None
    title: str = ""
    code: str = ""  # a machine-readable kind: invalid_request, unauthenticated…
    at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        if not self.title:
            object.__setattr__(self, "title", TITLES.get(self.status, "Error"))
        if not self.code:
            object.__setattr__(self, "code", CODES.get(self.status, "invalid_request"))


# (failure, the spec's error model type) -> the body (model instance or plain data), or None to
# let the runtime map the failure onto the model itself
ErrorBodyFactory = Callable[[Failure, Any], Any]


class ErrorModelUnfillable(ValueError):
    """The spec's error model requires a field no real failure can fill, and no factory does."""


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


_INT_STATUS = {"status", "statuscode", "httpstatus", "httpstatuscode", "code", "httpcode"}
_MESSAGE = {"message", "detail", "details", "description", "errordescription", "msg", "reason", "errormessage", "error"}
_TITLE = {"title", "summary"}
_CODE = {"code", "errorcode", "kind", "errortype"}
_LIST = {"errors", "details", "fielderrors", "violations", "invalidparams", "validationerrors", "issues", "causes"}
_ITEM_FIELD = {"field", "name", "param", "parameter", "property", "propertyname", "key", "target", "fieldname"}
_ITEM_POINTER = {"pointer", "jsonpointer", "path"}
_ITEM_LOCATION = {"in", "location", "source", "loc"}
_ITEM_MESSAGE = {"message", "msg", "detail", "description", "reason", "error", "errormessage"}
_ITEM_TYPE = {"type", "code", "errortype", "kind", "errorcode"}
_NESTED = {"error", "problem", "fault"}


class _Unfillable(Exception):
    def __init__(self, missing: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.missing = missing


class _Filler:
    def __init__(self, root: Mapping[str, Any], failure: Failure) -> None:
        self.root = root
        self.failure = failure

    def resolve(self, schema: Any) -> dict[str, Any]:
        for _ in range(32):
            if not isinstance(schema, dict) or "$ref" not in schema:
                break
            node: Any = self.root
            for part in str(schema["$ref"]).lstrip("#/").split("/"):
                node = node.get(part, {}) if isinstance(node, dict) else {}
            schema = node
        return schema if isinstance(schema, dict) else {}

    def branches(self, schema: dict[str, Any]) -> list[dict[str, Any]]:
        for key in ("anyOf", "oneOf"):
            if isinstance(schema.get(key), list):
                found = [self.resolve(b) for b in schema[key]]
                return [b for b in found if b.get("type") != "null"] or found
        return [schema]

    def kind(self, schema: dict[str, Any]) -> str:
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind is None:
            kind = "object" if "properties" in schema else "array" if "items" in schema else ""
        return str(kind)

    def obj(self, schema: dict[str, Any], where: str, item: FieldError | None = None) -> dict[str, Any]:
        """The object's fillable properties; raises when a required one cannot be filled."""
        result: dict[str, Any] = {}
        missing: list[str] = []
        required = set(schema.get("required") or ())
        for name, sub in (schema.get("properties") or {}).items():
            try:
                value = self.value(name, self.resolve(sub), f"{where}/{name}", item)
            except _Unfillable as exc:
                if name in required:
                    missing.extend(exc.missing or (f"{where}/{name}",))
                continue
            result[name] = value
        missing.extend(f"{where}/{name}" for name in required if name not in (schema.get("properties") or {}))
        if missing:
            raise _Unfillable(tuple(missing))
        return result

    def value(self, name: str, schema: dict[str, Any], where: str, item: FieldError | None) -> Any:
        missing: tuple[str, ...] = ()
        for branch in self.branches(schema):
            try:
                return self.one(name, branch, where, item)
            except _Unfillable as exc:
                missing = missing or exc.missing
        raise _Unfillable(missing)

    def one(self, name: str, schema: dict[str, Any], where: str, item: FieldError | None) -> Any:
        key, kind, failure = _norm(name), self.kind(schema), self.failure
        if "allOf" in schema and kind in ("", "object"):
            merged: dict[str, Any] = {"properties": {}, "required": []}
            for part in (self.resolve(p) for p in schema["allOf"]):
                merged["properties"].update(part.get("properties") or {})
                merged["required"] += list(part.get("required") or ())
            return self.obj(merged, where, item)
        if item is not None:
            return self.item_member(key, kind, schema, item)
        if kind in ("integer", "number") and key in _INT_STATUS:
            return self.fits(failure.status, schema)
        if kind == "string":
            return self.text(key, schema)
        if kind == "array" and key in _LIST:
            entry = self.resolve(schema.get("items") or {})
            entry = self.branches(entry)[0]
            values = [self.entry(entry, f"{where}/-", e) for e in failure.errors]
            if len(values) < int(schema.get("minItems", 0)):
                raise _Unfillable
            return values
        if kind == "object" and key in _NESTED:
            return self.obj(schema, where)
        raise _Unfillable

    def text(self, key: str, schema: dict[str, Any]) -> str:
        failure = self.failure
        fmt = schema.get("format")
        if fmt == "date-time" and key in ("timestamp", "time", "datetime", "date", "occurredat"):
            return failure.at.isoformat().replace("+00:00", "Z")
        if fmt not in (None, "uri", "uri-reference"):
            raise _Unfillable
        candidates: list[str] = []
        if key in _MESSAGE:
            candidates.append(failure.detail)
        elif key in _TITLE:
            candidates.append(failure.title)
        elif key == "type":
            candidates.append("about:blank")  # RFC 9457: no more specific type than the status
        elif key in _CODE:
            candidates += [failure.code, str(failure.status), failure.title]
        elif key in {"status", "statuscode"}:
            candidates.append(str(failure.status))
        elif key in ("instance", "path") and failure.instance is not None and fmt != "uri":
            candidates.append(failure.instance)
        elif key == "method" and failure.method is not None:
            candidates.append(failure.method)
        for text in candidates:
            try:
                return self.fits_text(text, schema)
            except _Unfillable:
                continue
        raise _Unfillable

    def fits_text(self, text: str, schema: dict[str, Any]) -> str:
        enum = schema.get("enum")
        if isinstance(enum, list):
            match = next((e for e in enum if isinstance(e, str) and e.lower() == text.lower()), None)
            if match is None:
                raise _Unfillable
            return match
        if "const" in schema and schema["const"] != text:
            raise _Unfillable
        high = schema.get("maxLength")
        if isinstance(high, int) and len(text) > high:
            text = text[: max(high - 1, 0)] + "…" if high > 1 else text[:high]
        if len(text) < int(schema.get("minLength", 0)):
            raise _Unfillable
        pattern = schema.get("pattern")
        if isinstance(pattern, str) and not re.search(pattern, text):
            raise _Unfillable
        return text

    def fits(self, number: int, schema: dict[str, Any]) -> int:
        enum = schema.get("enum")
        if (isinstance(enum, list) and number not in enum) or ("const" in schema and schema["const"] != number):
            raise _Unfillable
        if number < schema.get("minimum", number) or number > schema.get("maximum", number):
            raise _Unfillable
        return number

    def entry(self, schema: dict[str, Any], where: str, error: FieldError) -> Any:
        kind = self.kind(schema)
        if kind == "string":
            return self.fits_text(f"{error.field}: {error.message}" if error.field else error.message, schema)
        if kind == "object":
            return self.obj(schema, where, error)
        raise _Unfillable

    def item_member(self, key: str, kind: str, schema: dict[str, Any], error: FieldError) -> Any:
        if kind == "array" and key in _ITEM_LOCATION:
            item = self.kind(self.resolve(schema.get("items") or {}))
            return [p if isinstance(p, int) and item == "integer" else str(p) for p in error.loc]
        if kind == "object" and key in ("source", "location", "target"):  # JSON:API's {source: {pointer}}
            return self.obj(schema, "", error)
        if kind in ("integer", "number") and key in _INT_STATUS - {"code"}:
            return self.fits(self.failure.status, schema)
        if kind != "string":
            raise _Unfillable
        if key in ("status", "statuscode"):  # JSON:API's error objects carry the status as text
            text = str(self.failure.status)
        elif key in _TITLE:
            text = self.failure.title
        elif key in _ITEM_FIELD:
            text = error.field
        elif key in _ITEM_POINTER:
            text = error.pointer
        elif key in _ITEM_LOCATION:
            text = error.location
        elif key in _ITEM_MESSAGE:
            text = error.message
        elif key in _ITEM_TYPE:
            text = error.type
        else:
            raise _Unfillable
        if not text:  # an error of the whole request has no field: left out, not blank
            raise _Unfillable
        return self.fits_text(text, schema)


def fill(schema: Mapping[str, Any], failure: Failure) -> tuple[Any, list[str]]:
    """The failure mapped onto ``schema`` (a JSON schema, as Pydantic derives it): the body,
    and the JSON pointers of the required fields that nothing real could fill."""
    filler = _Filler(schema, failure)
    root = filler.resolve(dict(schema))
    missing: tuple[str, ...] = ()
    for branch in filler.branches(root):
        try:
            if "allOf" in branch:
                return filler.one("", branch, "", None), []
            if filler.kind(branch) == "object":
                return filler.obj(branch, ""), []
            if filler.kind(branch) == "string":
                return filler.fits_text(failure.detail, branch), []
            if filler.kind(branch) == "array":  # the body is the list of errors
                entry = filler.branches(filler.resolve(branch.get("items") or {}))[0]
                errors = failure.errors or (FieldError((), failure.detail, failure.code),)
                return [filler.entry(entry, "/-", e) for e in errors], []
        except _Unfillable as exc:
            missing = missing or exc.missing
    return None, list(missing or ("",))


def samples() -> tuple[Failure, ...]:
    """The failures an error model must be able to describe, to check it when the app is built."""
    return (
        Failure(400, "query.limit: Input should be a valid integer", (FieldError(("query", "limit"), "Input should be a valid integer", "int_parsing"),), "/", "GET"),
        Failure(401, "authentication required", (), "/", "GET"),
    )  # fmt: skip


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

    def check(self, factory: ErrorBodyFactory | None, failures: tuple[Failure, ...] | None = None) -> None:
        """Raise :class:`ErrorModelUnfillable` unless each failure (by default, a sample of
        every kind) gives a valid body."""
        if self.body is None:
            return
        for failure in failures if failures is not None else samples():
            made = factory(failure, self.body.type) if factory is not None else None
            if made is not None:
                try:
                    self.body.adapter.validate_python(made, from_attributes=True)
                except ValidationError as exc:
                    raise ErrorModelUnfillable(
                        f"the error body factory's answer does not fit the spec's error model {_name(self.body.type)}: {exc}"
                    ) from None
                continue
            _, missing = fill(json_schema(self.body.adapter), failure)
            if missing:
                raise ErrorModelUnfillable(
                    f"the spec's error model {_name(self.body.type)} requires {', '.join(m or '(the body)' for m in missing)}, "
                    f"which no real failure fills ({failure.status} {failure.title}); pass "
                    "create_app(error_body=...) a factory that fills it, or make the field optional in the spec"
                )

    def render(
        self,
        failure: Failure,
        headers: Mapping[str, str] | None = None,
        accept: str | None = None,
        factory: ErrorBodyFactory | None = None,
        mock: bool = False,
    ) -> Response:
        if self.body is None:
            return Response(status_code=failure.status, headers=headers)
        media_type = negotiate(accept, (self.media_type, *self.also)) if self.also else None
        made = factory(failure, self.body.type) if factory is not None else None
        try:
            if made is None:
                made, missing = fill(json_schema(self.body.adapter), failure)
                if missing and mock:
                    made = _complete(json_schema(self.body.adapter), made)
            content = self.body.dump(self.body.adapter.validate_python(made, from_attributes=True))
        except (ValidationError, TypeError, ValueError):
            # the model cannot say it (checked when the app was built, unless it was skipped):
            # a problem document with the real failure, never made-up data
            response = problem(failure.status, failure.title, failure.detail, **problem_members(failure))
            response.headers.update(headers or {})
            return response
        return Response(content, status_code=failure.status, media_type=media_type or self.media_type, headers=headers)


def problem_members(failure: Failure) -> dict[str, Any]:
    members: dict[str, Any] = {}
    if failure.instance is not None:
        members["instance"] = failure.instance
    if failure.errors:
        members["errors"] = [{"pointer": e.pointer, "detail": e.message, "type": e.type} for e in failure.errors]
    return members


def _complete(schema: dict[str, Any], body: Any) -> Any:
    """Mock mode only: the required fields no failure fills, made up (a mock's data is)."""
    from .synth import synthesize

    made = synthesize(schema)
    if isinstance(made, dict) and isinstance(body, dict):
        return {**made, **body}
    return body if body is not None else made


def _name(type_: Any) -> str:
    return str(getattr(type_, "__name__", type_))
