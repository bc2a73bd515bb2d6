"""Pydantic types for generated models.

Only Pydantic is imported here, so importing a package's models costs no FastAPI. Each type
validates what its part of the spec says and puts that into the JSON schema Pydantic derives,
so FastAPI documents what the app really enforces.
"""

from __future__ import annotations

import json
import re
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeAlias, TypeVar, cast

from pydantic import (
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    RootModel,
    TypeAdapter,
    ValidationError,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic.root_model import RootModelRootType
from pydantic_core import CoreSchema, PydanticCustomError, core_schema
from typing_extensions import override

__all__ = [
    "BOOL_TEXT",
    "ENUM_TEXT",
    "NOT_BOOL",
    "UNIQUE_ITEMS",
    "BoolText",
    "DeferredRootModel",
    "EnumText",
    "IntFormat",
    "JsonParam",
    "NotBool",
    "NumberFormat",
    "ObjectParam",
    "PythonPattern",
    "Result",
    "StrFormat",
    "StyledParam",
    "TextFormat",
    "UniqueItems",
    "complete_models",
    "json_schema",
    "with_headroom",
]

T = TypeVar("T")


class IntFormat:
    """``int`` with a ``format`` in its JSON schema, and the format's range enforced.

    ``strict``: the value comes from JSON and must already be a number (``"5"`` is refused).
    """

    __slots__ = ("bounds", "format", "strict")

    def __init__(self, format: str, low: int | None = None, high: int | None = None, *, strict: bool = False) -> None:
        self.format = format
        self.bounds = (low, high)
        self.strict = strict

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        schema = handler(source)
        low, high = self.bounds
        if schema.get("type") == "int":
            raw = cast(dict[str, Any], schema)
            if low is not None:
                raw["ge"] = max(raw.get("ge", low), low)
            if high is not None:
                raw["le"] = min(raw.get("le", high), high)
            if self.strict:
                raw["strict"] = True
        return schema

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        value = handler(schema)
        low, high = self.bounds
        # The range is what the format means; the spec does not spell it out, so neither do we.
        if low is not None and value.get("minimum") == low:
            del value["minimum"]
        if high is not None and value.get("maximum") == high:
            del value["maximum"]
        value["format"] = self.format
        return value


class _Annotation:
    __slots__ = ("format",)

    def __init__(self, format: str) -> None:
        self.format = format

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        value = handler(schema)
        value["format"] = self.format
        return value


class NumberFormat(_Annotation):
    """``float`` whose JSON schema names a format (``float``, ``double``, ...)."""

    __slots__ = ("strict",)

    def __init__(self, format: str, *, strict: bool = False) -> None:
        super().__init__(format)
        self.strict = strict

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        schema = handler(source)
        if self.strict and schema.get("type") == "float":
            cast(dict[str, Any], schema)["strict"] = True
        return schema


# RFC 3986: an absolute URI has a scheme; a reference may be relative. Neither holds a space,
# a control character or a stray ``%``.
_URI_CHARS = r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})"
_STR_SYNTAX = {
    "uri": re.compile(rf"^[A-Za-z][A-Za-z0-9+.\-]*:{_URI_CHARS}*$"),
    "url": re.compile(rf"^[A-Za-z][A-Za-z0-9+.\-]*:{_URI_CHARS}*$"),
    "uri-reference": re.compile(rf"^{_URI_CHARS}*$"),
}


class StrFormat(_Annotation):
    """``str`` whose JSON schema names a format Pydantic has no type for; the formats with a
    syntax of their own (``uri``: an absolute URI, with a scheme; ``uri-reference``) are
    checked, so ``""`` or ``null`` is not taken for a URI."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        schema = handler(source)
        syntax = _STR_SYNTAX.get(self.format)
        if syntax is None:
            return schema
        fmt = self.format

        def check(value: Any) -> Any:
            if isinstance(value, str) and not syntax.match(value):
                raise PydanticCustomError("format", "not a valid {format}", {"format": fmt})
            return value

        return core_schema.no_info_after_validator_function(check, schema)


_TEXT_SYNTAX = {
    # RFC 3339 (date-time, full-date, partial-time) and ISO 8601 durations
    "date-time": re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"),
    "date": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "time": re.compile(r"^\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$"),
    "duration": re.compile(
        r"^-?P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?"
        r"(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$"
    ),
}


class TextFormat:
    """A date, time or duration given as text in the spec's syntax, nothing else.

    Pydantic also takes Unix timestamps and other spellings; the spec's clients are told
    RFC 3339, so the app holds them to it (for values from JSON and from query strings alike).
    """

    __slots__ = ("format", "length", "pattern", "syntax")

    def __init__(
        self, format: str, *, min_length: int | None = None, max_length: int | None = None, pattern: str | None = None
    ) -> None:
        # string constraints on a date-typed value (``format: date-time`` with ``minLength``)
        # apply to its text: Pydantic cannot apply them to the datetime it becomes
        self.format = format
        self.syntax = _TEXT_SYNTAX[format]
        self.length = (min_length, max_length)
        self.pattern = re.compile(pattern) if pattern is not None else None

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_before_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        value = handler(schema)
        low, high = self.length
        if low is not None:
            value["minLength"] = low
        if high is not None:
            value["maxLength"] = high
        if self.pattern is not None:
            value["pattern"] = self.pattern.pattern
        return value

    def _check(self, value: Any) -> Any:
        if isinstance(value, str):
            if not self.syntax.match(value):
                raise ValueError(f"not a {self.format} (RFC 3339)")
            low, high = self.length
            if (low is not None and len(value) < low) or (high is not None and len(value) > high):
                raise ValueError(f"the {self.format}'s text is not {low or 0} to {high or 'any'} characters long")
            if self.pattern is not None and not self.pattern.search(value):
                raise ValueError(f"does not match {self.pattern.pattern!r}")
            return value
        if isinstance(value, (int, float, bool)):
            raise ValueError(f"a {self.format} is text, not a number")  # noqa: TRY004 - Pydantic turns ValueError into a validation error
        return value  # already a datetime and the like: built in Python, not from a request


class NotBool:
    """``true``/``false`` are not numbers: an integer enum (``Literal[0, 1]``) or an integer
    refuses them, although Python's ``False == 0`` would let them through. Placed on a type
    with no boolean member (``Annotated[Literal[0, 1, 2], NOT_BOOL]``)."""

    __slots__ = ()

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_before_validator_function(_refuse_bool, handler(source))


def _refuse_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("bool_not_number", "a boolean is not a number")
    return value


NOT_BOOL = NotBool()


class EnumText:
    """An integer enum parameter (``Literal[0, 1, 2]``), which arrives as text: ``"2"`` is 2.
    Pydantic compares the text with the members as it is, so it refuses every valid value;
    ``"false"`` or ``"2.0"`` stay text and are refused."""

    __slots__ = ()

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_before_validator_function(_enum_text, handler(source))


_INT_TEXT = re.compile(r"^-?[0-9]+$")


def _enum_text(value: Any) -> Any:
    _refuse_bool(value)
    if isinstance(value, str) and _INT_TEXT.match(value):
        return int(value)
    return value


ENUM_TEXT = EnumText()


class BoolText:
    """A boolean parameter as OpenAPI serializes it: ``true`` or ``false``, nothing else
    (Pydantic also reads ``0``, ``1``, ``yes``, ``off``…, which the spec never says)."""

    __slots__ = ()

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_before_validator_function(_bool_text, handler(source))


def _bool_text(value: Any) -> Any:
    if isinstance(value, str) and value not in ("true", "false"):
        raise PydanticCustomError("bool_text", "a boolean is 'true' or 'false'")
    return value


BOOL_TEXT = BoolText()


class PythonPattern:
    """A ``pattern`` Pydantic's regex engine cannot run (look-around): checked with ``re``."""

    __slots__ = ("pattern", "regex")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.regex = re.compile(pattern)

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def _check(self, value: str) -> str:
        if not self.regex.search(value):
            raise ValueError(f"does not match {self.pattern!r}")
        return value

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        value = handler(schema)
        value["pattern"] = self.pattern
        return value


# --------------------------------------------------------------------------- unique items


def _no_duplicates(value: Any) -> Any:
    """``uniqueItems``: a list with the same item twice is invalid (a set would drop one).
    Items compare as JSON values do: ``1`` and ``1.0`` are the same, ``true`` and ``1`` not."""
    if isinstance(value, list | tuple):
        seen: set[Any] = set()
        for item in value:
            key = _json_key(item)
            if key in seen:
                raise PydanticCustomError("unique_items", "items must be unique; {item} is repeated", {"item": item})
            seen.add(key)
    return value


def _json_key(item: Any) -> Any:
    if isinstance(item, bool):
        return (bool, item)
    if isinstance(item, dict | list):
        return json.dumps(item, sort_keys=True, default=str)
    try:
        hash(item)
    except TypeError:
        return repr(item)
    return item


class UniqueItems:
    """``uniqueItems``: duplicates are refused, for a set (which would drop them) or a list
    of objects (which Python cannot put in a set). Placed last in ``Annotated[...]``, so the
    array's own constraints (``maxItems``) stay the array's."""

    __slots__ = ()

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_before_validator_function(_no_duplicates, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        value = handler(schema)
        for branch in value.get("anyOf", [value]):
            if branch.get("type") == "array":
                branch["uniqueItems"] = True
        return value


UNIQUE_ITEMS = UniqueItems()


# --------------------------------------------------------------------------- object parameters


class _Encoded(Generic[T]):
    """What FastAPI reads for an object parameter: one value (FastAPI takes a model in a
    query for a group of parameters, which an object parameter is not)."""


class _Decode:
    """Validates the one value of an object parameter as the model it stands for. From a
    style (``deepObject``, ``form``, ``simple``) every leaf is text, validated as Pydantic
    validates strings ("5" is 5 for an integer field); an array item is JSON text."""

    __slots__ = ("_adapter", "json", "model")

    def __init__(self, model: Any, *, json: bool) -> None:
        self.model = model
        self.json = json
        self._adapter: TypeAdapter[Any] | None = None

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_plain_validator_function(
            self._validate, json_schema_input_schema=handler.generate_schema(self.model)
        )

    def _validate(self, value: Any) -> Any:
        if self._adapter is None:
            self._adapter = TypeAdapter(self.model)
        try:
            if self.json:
                return (
                    self._adapter.validate_json(value)
                    if isinstance(value, str | bytes)
                    else self._adapter.validate_python(value, strict=True)
                )
            data = json.loads(value) if isinstance(value, str) else value
            if isinstance(data, list):
                # Pydantic reads strings into objects only; the items of an array parameter are
                # primitives, which its lax mode reads from text as a query's are read
                return self._adapter.validate_python(data)
            return self._adapter.validate_strings(data)
        except (ValidationError, ValueError) as exc:
            details = exc.errors() if isinstance(exc, ValidationError) else [{"msg": str(exc), "loc": ()}]
            message = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'value'}: {e['msg']}" for e in details[:5])
            raise PydanticCustomError("object_parameter", "{message}", {"message": message}) from None


if TYPE_CHECKING:
    ObjectParam: TypeAlias = Annotated[T, "an object parameter"]
    StyledParam: TypeAlias = Annotated[T, "an array or object parameter, decoded from its style"]
    JsonParam: TypeAlias = Annotated[T, "an array item given as JSON text"]
else:

    class ObjectParam:
        """``ObjectParam[Model]``: a parameter whose value is an object, gathered by the route
        from its style; a type checker sees ``Model``."""

        def __class_getitem__(cls, model: Any) -> Any:
            return Annotated[_Encoded[model], _Decode(model, json=False)]

    class StyledParam(ObjectParam):
        """``StyledParam[list[int]]``: an array or object parameter FastAPI cannot declare
        (a path parameter), decoded by the route from its style (see
        :func:`codegen_runtime.binding.decode_path`); a type checker sees ``list[int]``."""

    class JsonParam:
        """``JsonParam[Model]``: an item of an array parameter, sent as JSON text."""

        def __class_getitem__(cls, model: Any) -> Any:
            return Annotated[_Encoded[model], _Decode(model, json=True)]


# --------------------------------------------------------------------------- results


class Result:
    """Base of the result classes of the interfaces: immutable values, compared, hashed and
    shown by their attributes. (Plain classes: thousands of dataclasses would cost a large
    spec's interfaces a second to import.)"""

    __slots__ = ()

    def _set(self, **values: Any) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)

    @override
    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable; make a new one")

    @override
    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _values(self) -> tuple[Any, ...]:
        names: tuple[str, ...] = self.__slots__
        return tuple(getattr(self, name) for name in names)

    @override
    def __eq__(self, other: object) -> bool:
        return isinstance(other, Result) and type(other) is type(self) and self._values() == other._values()

    @override
    def __hash__(self) -> int:
        return hash((type(self), self._values()))

    @override
    def __repr__(self) -> str:
        names: tuple[str, ...] = self.__slots__
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__name__}({shown})"


# --------------------------------------------------------------------------- deep recursion

_STACK_PER_FRAME = 2048  # bytes of C stack per frame, with room: CPython 3.11 takes far less
_DEEP = 100_000  # frames for a JSON schema that ran out of them: a group of about 2,500 models


def _thread_stack() -> int:
    """The C stack a thread gets by default (the main thread's size, on Linux and macOS)."""
    try:
        import resource
    except ImportError:  # Windows: 1 MB, which Python's default limit is made for
        return 0
    soft, _ = resource.getrlimit(resource.RLIMIT_STACK)
    return 8 * 1024 * 1024 if soft == resource.RLIM_INFINITY else min(soft, 8 * 1024 * 1024)


def with_headroom(call: Callable[[], T], depth: int) -> T:
    """``call()`` with room for ``depth`` frames of recursion: in a thread whose C stack holds
    them, with Python's recursion limit raised meanwhile. Pydantic builds and documents a group
    of mutually recursive models depth-first, one level per model of the group."""
    outcome: list[tuple[bool, Any]] = []

    def run() -> None:
        try:
            outcome.append((True, call()))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            outcome.append((False, exc))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, depth))
    try:
        size = threading.stack_size()
        threading.stack_size(max(size, -(-depth * _STACK_PER_FRAME // 65536) * 65536))
        try:
            thread = threading.Thread(target=run, name="codegen-deep-models")
            thread.start()
        finally:
            threading.stack_size(size)
        thread.join()
    finally:
        # What a thread's own stack carries stays allowed after: a direct call of FastAPI's
        # get_openapi (the drift check makes one) on a group of a hundred models needs it.
        sys.setrecursionlimit(max(limit, min(depth, _thread_stack() // _STACK_PER_FRAME)))
    ok, value = outcome[0]
    if not ok:
        raise value
    return cast(T, value)


class DeferredRootModel(RootModel[RootModelRootType], Generic[RootModelRootType]):
    """``RootModel`` for a model of a deep recursive group: ``RootModel[X]`` would be built
    as soon as it is written (``complete_models`` builds this one with room to recurse)."""

    model_config = ConfigDict(defer_build=True)


def complete_models(models: Sequence[type[BaseModel]], *, depth: int) -> None:
    """Build the models of a package with a deep group of mutually recursive models (each
    defers its build), in the order given: every model after the ones it refers to."""

    def build() -> None:
        for model in models:
            model.model_rebuild()

    with_headroom(build, depth)
    for model in models:
        # Built now: a TypeAdapter of a deferring model (FastAPI makes one per body and
        # response) would defer too, and build at the first request instead of at startup.
        model.model_config["defer_build"] = False


def json_schema(adapter: TypeAdapter[Any], **options: Any) -> dict[str, Any]:
    """``adapter.json_schema(**options)``; with room to recurse when a deep group of mutually
    recursive models needs more than the caller's thread has."""
    try:
        return adapter.json_schema(**options)
    except RecursionError:
        return with_headroom(lambda: adapter.json_schema(**options), _DEEP)
