"""The runtime's Pydantic types refuse what the spec does not allow: ``0`` for a boolean
parameter, ``false`` for an integer enum, ``""`` or ``null`` for a ``format: uri``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import codegen_runtime as rt
import pytest
from codegen_runtime.types import StrFormat
from pydantic import TypeAdapter, ValidationError

BOOL = TypeAdapter(Annotated[bool, rt.BOOL_TEXT])
ENUM = TypeAdapter(Annotated[Literal[0, 1, 2, 3, 4, 5, 6], rt.NOT_BOOL])
URI = TypeAdapter(Annotated[str, StrFormat("uri")])


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("true", True),
        ("false", True),
        (True, True),
        ("0", False),
        ("1", False),
        ("yes", False),
        ("True", False),
        ("", False),
    ],
)
def test_a_boolean_parameter_is_true_or_false(value: Any, ok: bool) -> None:
    if ok:
        assert BOOL.validate_python(value) in (True, False)
    else:
        with pytest.raises(ValidationError):
            BOOL.validate_python(value)


@pytest.mark.parametrize(("raw", "ok"), [("0", True), ("6", True), ("false", False), ("true", False), ("7", False)])
def test_an_integer_enum_refuses_booleans(raw: str, ok: bool) -> None:
    if ok:
        assert ENUM.validate_json(raw) == int(raw)
    else:
        with pytest.raises(ValidationError):
            ENUM.validate_json(raw)
    with pytest.raises(ValidationError):
        ENUM.validate_python(False)


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("https://example.org/a?b=c#d", True),
        ("urn:isbn:0451450523", True),
        ("mailto:a@b.c", True),
        ("", False),
        ("null", False),  # what a client sends for a null in a query
        ("/relative/path", False),
        ("http://a b", False),
        ("http://x/%zz", False),
    ],
)
def test_a_uri_is_an_absolute_uri(value: str, ok: bool) -> None:
    if ok:
        assert URI.validate_python(value) == value
    else:
        with pytest.raises(ValidationError):
            URI.validate_python(value)
    assert URI.json_schema() == {"type": "string", "format": "uri"}


def test_a_uri_reference_may_be_relative() -> None:
    adapter = TypeAdapter(Annotated[str, StrFormat("uri-reference")])
    assert adapter.validate_python("/relative") == "/relative"
    assert adapter.validate_python("") == ""
    with pytest.raises(ValidationError):
        adapter.validate_python("a b")


@pytest.mark.parametrize(
    ("raw", "ok"),
    [("0", True), ("6", True), ("-0", True), ("false", False), ("2.0", False), ("7", False), (" 1", False)],
)
def test_an_integer_enum_parameter_reads_its_text(raw: str, ok: bool) -> None:
    adapter = TypeAdapter(Annotated[Literal[0, 1, 2, 3, 4, 5, 6], rt.ENUM_TEXT])
    if ok:
        assert adapter.validate_python(raw) == int(raw)
    else:
        with pytest.raises(ValidationError):
            adapter.validate_python(raw)


def test_string_constraints_on_a_date_apply_to_its_text() -> None:
    from datetime import date

    from codegen_runtime.types import TextFormat
    from pydantic import AwareDatetime

    stamp = TypeAdapter(Annotated[AwareDatetime, TextFormat("date-time", min_length=1)])
    assert stamp.validate_python("2026-12-01T10:00:00Z").year == 2026
    day = TypeAdapter(Annotated[date, TextFormat("date", pattern=r"^20")])
    assert day.validate_python("2026-12-01") == date(2026, 12, 1)
    with pytest.raises(ValidationError):
        day.validate_python("1999-12-01")
    assert day.json_schema() == {"type": "string", "format": "date", "pattern": "^20"}
