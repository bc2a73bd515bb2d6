"""The format table: one named alias per (type, format) pair a document uses."""

from __future__ import annotations

from typing import Any

from codegen import ir
from codegen.build.formats import Formats, format_table


def doc(*schemas: dict[str, Any]) -> dict[str, Any]:
    return {"components": {"schemas": {f"S{i}": s for i, s in enumerate(schemas)}}}


def runtime(name: str) -> ir.Named:
    return ir.Named("codegen_runtime.types", name)


def test_integer_formats_have_a_strict_json_alias_and_a_text_alias() -> None:
    table = format_table(doc({"type": "integer", "format": "int32"}))
    strict, lax = table.alias("integer", "int32"), table.alias("integer", "int32", text=True)
    assert strict is not None and lax is not None
    assert (strict.name, lax.name) == ("Int32", "Int32Text")
    assert strict.bounds == lax.bounds == (-(2**31), 2**31 - 1)
    assert strict.strict and not lax.strict
    bounds = (-(2**31), 2**31 - 1)
    assert strict.definition == ir.AnnotatedOf(
        ir.builtin("int"), (ir.Call(runtime("IntFormat"), ("int32", *bounds), (("strict", True),)),)
    )
    # from text: parsed, so no strict flag
    assert lax.definition == ir.AnnotatedOf(ir.builtin("int"), (ir.Call(runtime("IntFormat"), ("int32", *bounds)),))
    assert table.type_for("integer", "int32", text=True) == ir.Named("formats", "Int32Text")


def test_string_formats_have_one_alias_for_json_and_text() -> None:
    table = format_table(doc({"type": "string", "format": "date-time"}))
    alias = table.alias("string", "date-time")
    assert alias is not None
    assert table.alias("string", "date-time", text=True) is alias
    assert len(table.aliases) == 1
    # parsed into an aware datetime, and only from RFC 3339 text
    assert alias.definition == ir.AnnotatedOf(
        ir.Named("pydantic", "AwareDatetime"), (ir.Call(runtime("TextFormat"), ("date-time",)),)
    )


def test_formats_pydantic_checks_exactly_get_no_alias() -> None:
    table = format_table(
        doc(
            {"type": "string", "format": "uuid"},
            {"type": "string", "format": "email"},
            {"type": "string", "format": "binary"},
        )
    )
    assert table.aliases == {}
    assert table.type_for("string", "uuid") == ir.Named("uuid", "UUID")
    assert table.type_for("string", "email") == ir.Named("pydantic", "EmailStr")
    assert table.type_for("string", "binary") == ir.builtin("bytes")


def test_a_format_on_an_unexpected_type_names_the_type_too() -> None:
    table = format_table(doc({"type": "number", "format": "int32"}, {"type": "string", "format": "phone"}))
    number = table.alias("number", "int32")
    assert number is not None
    assert number.name == "NumberInt32"
    assert number.bounds is None  # bounds are for integers only
    phone = table.alias("string", "phone")
    assert phone is not None and phone.name == "Phone"


def test_every_type_of_a_type_list_counts() -> None:
    table = format_table(doc({"type": ["integer", "null"], "format": "int64"}))
    assert table.type_for("integer", "int64") == ir.Named("formats", "Int64")
    # booleans and nulls have no formatted alias
    assert table.type_for("boolean", "int64") is None


def test_alias_names_avoid_what_formats_py_imports() -> None:
    table = format_table(doc({"type": "string", "format": "text-format"}))
    alias = table.alias("string", "text-format")
    assert alias is not None and alias.name == "TextFormat2"


def test_collisions_are_broken_in_sorted_order_whatever_the_document_order() -> None:
    first = doc({"type": "string", "format": "date_time"}, {"type": "string", "format": "date-time"})
    second = doc({"type": "string", "format": "date-time"}, {"type": "string", "format": "date_time"})
    for table in (format_table(first), format_table(second)):
        names = {fmt: alias.name for (_, fmt, _), alias in table.aliases.items()}
        assert names == {"date-time": "DateTime", "date_time": "DateTime2"}
    assert format_table(first) == format_table(second)


def test_by_name_picks_aliases_in_name_order() -> None:
    table = format_table(doc({"type": "string", "format": "uri"}, {"type": "integer", "format": "int64"}))
    picked = table.by_name({"Uri", "Int64", "Unknown"})
    assert [a.name for a in picked] == ["Int64", "Uri"]
    assert Formats({}).by_name({"Uri"}) == []
