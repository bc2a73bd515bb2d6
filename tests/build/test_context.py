"""What every pass reads: the context, and the small helpers on media types and values."""

from __future__ import annotations

import math
from typing import Any

import pytest

from codegen.build import plan_names
from codegen.build.context import STATUS, Context, canonical, is_xml, media_kind, not_json, text, warning
from codegen.build.formats import format_table
from codegen.problems import Severity


def test_context_shares_its_namer_and_formats_with_view_and_typer() -> None:
    document: dict[str, Any] = {
        "paths": {},
        "components": {"schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {"type": "string"}}},
    }
    formats = format_table(document)
    plan = plan_names(document, formats)
    ctx = Context.of(document, plan, formats)
    assert ctx.view.namer is plan and ctx.view.formats is formats
    assert ctx.typer.view is ctx.view and ctx.typer.formats is formats
    assert ctx.deref({"$ref": "#/components/schemas/A"}) == {"type": "string"}


@pytest.mark.parametrize(
    "value", [None, True, 1, 1.5, "x", [1, "a", None], {"a": {"b": [1.0]}}], ids=lambda v: type(v).__name__
)
def test_json_values_are_json(value: Any) -> None:
    assert not_json(value) is None


@pytest.mark.parametrize("value", [math.nan, math.inf, [1, math.nan], {"a": {"b": -math.inf}}, {1, 2}, b"x"])
def test_values_json_cannot_hold_are_explained(value: Any) -> None:
    assert isinstance(not_json(value), str)


def test_text_is_a_non_empty_string_or_none() -> None:
    assert text("hi") == "hi"
    assert text("") is None
    assert text(3) is None


def test_canonical_ignores_key_order() -> None:
    assert canonical({"a": 1, "b": [1, 2]}) == canonical({"b": [1, 2], "a": 1})
    assert canonical({"b": [1, 2]}) != canonical({"b": [2, 1]})


@pytest.mark.parametrize(
    ("name", "kind", "xml"),
    [
        ("application/json", "json", False),
        ("application/problem+json", "json", False),
        ("Application/JSON; charset=utf-8", "json", False),
        ("*/*", "json", False),
        ("application/x-www-form-urlencoded", "form", False),
        ("multipart/form-data", "multipart", False),
        ("text/plain", "text", False),
        ("text/xml; charset=utf-8", "text", True),
        ("application/xml", "binary", True),
        ("application/atom+xml", "binary", True),
        ("application/octet-stream", "binary", False),
    ],
)
def test_media_kinds(name: str, kind: str, xml: bool) -> None:
    assert media_kind(name) == kind
    assert is_xml(name) is xml


@pytest.mark.parametrize(("status", "valid"), [("200", True), ("599", True), ("4XX", True), ("4xx", True),
                                               ("default", True), ("600", False), ("2000", False), ("20X", False),
                                               ("099", False)])  # fmt: skip
def test_status_keys(status: str, valid: bool) -> None:
    assert bool(STATUS.fullmatch(status)) is valid


def test_warning_is_a_located_warning() -> None:
    problem = warning("x.code", "message", "/paths/~1a")
    assert problem.severity is Severity.WARNING
    assert (problem.code, problem.location.pointer) == ("x.code", "/paths/~1a")
