"""An operation's parameters: merged from its path item and itself, typed, styled."""

from __future__ import annotations

from typing import Any

from codegen import ir
from codegen.build.context import Context, not_json, text, warning
from codegen.build.schema import deref
from codegen.build.types import Typed, UnsupportedSchema
from codegen.naming import Namespace, snake_name
from codegen.problems import Problem, escape_pointer

__all__ = ["parameters"]

_ORDER = {"path": 0, "query": 1, "header": 2, "cookie": 3}
# OpenAPI: these header parameters are ignored; the media types and security say it
_IGNORED_HEADERS = {"accept", "content-type", "authorization"}


def parameters(
    ctx: Context, op: dict[str, Any], item: dict[str, Any], path: str, ptr: str, prefix: str, locals_: Namespace
) -> tuple[list[ir.Parameter], list[Problem]]:
    """The operation's parameters (its own override its path item's), sorted by location and
    name, and the problems with them. ``locals_`` hands out their Python names."""
    problems: list[Problem] = []
    merged: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
    for owner, base in ((item, f"/paths/{escape_pointer(path)}"), (op, ptr)):
        for i, raw in enumerate(owner.get("parameters") or ()):
            param, at = deref(ctx.document, raw, f"{base}/parameters/{i}")
            if isinstance(param, dict) and isinstance(param.get("name"), str):
                merged[(str(param.get("in")), param["name"])] = (param, at)
    result = []
    for (where, name), (param, at) in sorted(merged.items(), key=lambda kv: (_ORDER.get(kv[0][0], 9), kv[0][1])):
        built, found = parameter(ctx, param, where, name, at, prefix, locals_)
        problems += found
        if built is not None:
            result.append(built)
    return result, problems


def _text_type(ctx: Context, ptr: str) -> Typed:
    return ctx.typer.type_of({"type": "string"}, scalar=True, pointer=ptr)


def parameter(
    ctx: Context, param: dict[str, Any], where: str, name: str, ptr: str, prefix: str, locals_: Namespace
) -> tuple[ir.Parameter | None, list[Problem]]:
    problems: list[Problem] = []
    if where not in ("path", "query", "header", "cookie"):
        return None, [Problem.at("param.in", f"parameter {name!r} has unknown location {where!r}", ptr)]
    if where == "header" and name.lower() in _IGNORED_HEADERS:
        return None, problems
    schema = param.get("schema")
    schema_at = f"{ptr}/schema"
    if schema is None and isinstance(param.get("content"), dict):
        problems.append(warning("param.content", f"parameter {name!r} uses 'content'; it is passed as a string", ptr))
        schema = {"type": "string"}
    shape = "scalar"
    try:
        typed, shape = ctx.typer.parameter_type(schema, hint=f"{prefix} {name}", pointer=schema_at)
    except UnsupportedSchema as exc:
        problems.append(warning("param.type", f"parameter {name!r}: {exc}; it is passed as a string", ptr))
        typed = _text_type(ctx, schema_at)
    if shape != "scalar" and (where == "cookie" or (shape == "objects" and where != "query")):
        problems.append(warning("param.type", f"parameter {name!r}: objects in a {where} are passed as a string", ptr))
        typed, shape = _text_type(ctx, schema_at), "scalar"
    if shape == "objects":
        problems.append(
            warning(
                "param.objects",
                f"parameter {name!r}: OpenAPI defines no serialization for an array of objects in a "
                "query; the app takes each item as JSON text",
                ptr,
            )
        )
    target = ctx.deref(schema) if isinstance(schema, dict) else {}
    default: ir.Value = None
    has_default = False
    if isinstance(target, dict) and "default" in target:
        reason = not_json(target["default"])
        if reason is None:
            default, has_default = target["default"], True
        else:
            problems.append(warning("param.default", f"parameter {name!r}: default {reason}", ptr))
    style_default = "simple" if where in ("path", "header") else "form"
    raw_style, raw_explode = param.get("style"), param.get("explode")
    style: str = raw_style if isinstance(raw_style, str) else style_default
    explode: bool = raw_explode if isinstance(raw_explode, bool) else style == "form"
    default_style = style == style_default and explode == (style == "form")
    native = default_style and shape != "object"  # FastAPI parses it itself
    if not default_style:
        problems.append(
            warning(
                "param.style",
                f"parameter {name!r} uses style={style}, explode={str(explode).lower()}: the app parses it "
                "that way, but FastAPI cannot say so in its schema",
                ptr,
            )
        )
    required = where == "path" or param.get("required") is True
    built = ir.Parameter(
        name=name,
        location=where,  # type: ignore[arg-type]
        python_name=locals_.claim(snake_name(name, prefix="p")),
        required=required,
        type=typed.full,
        constraints=typed.constraints,
        default=None if required else default,
        has_default=has_default and not required,
        required_default=(default,) if has_default and required else (),
        description=text(param.get("description")),
        deprecated=param.get("deprecated") is True,
        style=style,
        explode=explode,
        native=native,
        properties=_property_names(ctx, schema) if shape == "object" else None,
    )
    return built, problems


def _property_names(ctx: Context, schema: Any) -> tuple[str, ...]:
    """The properties of an object parameter, as its form style spreads them in a query."""
    target = ctx.deref(schema)
    names: list[str] = []
    for raw in [target, *(target.get("allOf") or [] if isinstance(target, dict) else [])]:
        part = ctx.deref(raw)
        if isinstance(part, dict) and isinstance(part.get("properties"), dict):
            names.extend(p for p in part["properties"] if p not in names)
    return tuple(names)
