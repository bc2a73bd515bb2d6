"""Request bodies and responses: which media type the app accepts or sends, and their types."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from codegen import ir
from codegen.build.context import STATUS, Context, canonical, is_xml, media_kind, not_json, text, warning
from codegen.build.schema import deref
from codegen.build.types import UnsupportedSchema
from codegen.naming import Namespace, class_name, snake_name
from codegen.problems import Problem, escape_pointer

__all__ = ["body", "primary", "responses", "status_sort_key"]

_PREFERENCE = {"json": 0, "form": 1, "multipart": 2, "text": 3, "binary": 4}
Picked = tuple[str, dict[str, Any], tuple[str, ...], tuple[str, ...]]


def status_sort_key(status: str) -> tuple[int, str]:
    if status.isdigit():
        return (int(status), "")
    if status.upper().endswith("XX"):
        return (int(status[0]) * 100 + 99, status)
    return (1000, status)


def _structured(schema: dict[str, Any]) -> bool:
    """An object or array schema (of a media type that does not say how it is encoded)."""
    return schema.get("type") in ("object", "array") or any(
        k in schema for k in ("properties", "allOf", "oneOf", "anyOf")
    )


def pick_media(ctx: Context, content: Any, *, response: bool = False) -> Picked | None:
    """(chosen media type, its object, same-kind alternatives with the same schema, the rest).
    A response's JSON can also be sent as XML, which counts as the same kind."""
    if not isinstance(content, dict) or not content:
        return None
    names = sorted(content, key=lambda n: (_PREFERENCE[media_kind(n)], n != "application/json", n))
    chosen = names[0]
    media = content[chosen] if isinstance(content[chosen], dict) else {}
    kind = media_kind(chosen)
    schema = canonical(ctx.deref(media.get("schema")))
    also: list[str] = []
    rest: list[str] = []
    for other in names[1:]:
        obj = content[other] if isinstance(content[other], dict) else {}
        same_kind = media_kind(other) == kind or (response and kind == "json" and is_xml(other))
        same = same_kind and canonical(ctx.deref(obj.get("schema"))) == schema
        (also if same and kind not in {"multipart", "form"} else rest).append(other)
    return chosen, media, tuple(also), tuple(rest)


def media(
    ctx: Context, name: str, kind: ir.BodyKind, schema: Any, hint: str, ptr: str, locals_: Namespace | None
) -> tuple[ir.MediaType, list[Problem]]:
    """A media type's type (``ptr``: where its schema is); a form's fields when ``locals_``."""
    if kind in ("binary", "text"):
        # the implementation gives bytes or text; the app documents the spec's schema, or none
        given = ir.builtin("bytes" if kind == "binary" else "str")
        return ir.MediaType(name, kind, given, documented=_documented(ctx, schema, hint, ptr)), []
    if schema is None:
        return ir.MediaType(name, kind, None, documented=ir.NO_SCHEMA), []
    try:
        typed = ctx.typer.type_of(schema, hint=hint, pointer=ptr)
    except UnsupportedSchema as exc:
        return ir.MediaType(name, kind, ir.ANY), [warning("schema.type", f"{exc}; typed as Any", ptr)]
    fields: tuple[ir.BodyField, ...] = ()
    problems: list[Problem] = []
    if kind in ("form", "multipart") and locals_ is not None:
        fields, problems = form_fields(ctx, schema, ptr, locals_)
    return ir.MediaType(name, kind, typed.full, fields), problems


def _documented(ctx: Context, schema: Any, hint: str, ptr: str) -> ir.Type | None:
    """What a text or binary body documents, where that is not its ``str``/``bytes``: none
    when the spec gives no schema, the spec's schema when it is not a string's."""
    if schema is None:
        return ir.NO_SCHEMA
    target = ctx.deref(schema)
    if not isinstance(target, dict) or not (_structured(target) or target.get("type") not in ("string", None)):
        return None
    try:
        return ctx.typer.type_of(schema, hint=hint, pointer=ptr).full
    except UnsupportedSchema:
        return None


def body(ctx: Context, raw: Any, ptr: str, prefix: str, locals_: Namespace) -> tuple[ir.Body | None, list[Problem]]:
    found, at = deref(ctx.document, raw, ptr)
    if not isinstance(found, dict):
        return None, []
    picked = pick_media(ctx, found.get("content"))
    if picked is None:
        return None, []
    name, obj, also, others = picked
    problems = [
        warning("body.media", f"request media type {other!r}: the app only accepts {name!r}", ptr) for other in others
    ]
    kind = media_kind(name)
    mptr = f"{at}/content/{escape_pointer(name)}"
    built, found_problems = media(ctx, name, kind, obj.get("schema"), f"{prefix} Request", f"{mptr}/schema", locals_)
    return ir.Body(
        required=found.get("required") is True,
        media=dataclasses.replace(built, also=also),
        description=text(found.get("description")),
        unsupported=others,
    ), problems + found_problems


def form_fields(
    ctx: Context, schema: Any, ptr: str, locals_: Namespace
) -> tuple[tuple[ir.BodyField, ...], list[Problem]]:
    target, at = deref(ctx.document, schema, ptr)
    props = target.get("properties") if isinstance(target, dict) else None
    if not isinstance(props, dict):
        return (), [warning("body.form", "a form body without properties is passed as a whole", ptr)]
    problems: list[Problem] = []
    required = {r for r in target.get("required") or () if isinstance(r, str)}
    fields = []
    for prop in props:
        prop_at = f"{at}/properties/{escape_pointer(prop)}"
        sub = ctx.deref(props[prop])
        is_list = isinstance(sub, dict) and sub.get("type") == "array"
        leaf = ctx.deref(sub.get("items")) if is_list and isinstance(sub, dict) else sub
        is_file = isinstance(leaf, dict) and (
            leaf.get("format") == "binary" or "contentMediaType" in leaf or leaf.get("type") == "file"
        )
        try:
            typed = ctx.typer.type_of(props[prop], scalar=not is_file, hint=prop, pointer=prop_at)
        except UnsupportedSchema:
            typed = ctx.typer.type_of({"type": "string"}, scalar=True, pointer=prop_at)
        default: ir.Value = None
        has_default = False
        if isinstance(sub, dict) and "default" in sub and prop not in required:
            reason = not_json(sub["default"])
            if reason is None:
                default, has_default = sub["default"], True
            else:
                problems.append(warning("body.default", f"form field {prop!r}: default {reason}", ptr))
        fields.append(
            ir.BodyField(
                name=prop,
                python_name=locals_.claim(snake_name(prop, prefix="f")),
                type=typed.full,
                required=prop in required,
                is_file=is_file,
                is_list=is_list,
                constraints=() if is_file else typed.constraints,
                default=default,
                has_default=has_default,
                description=text(sub.get("description")) if isinstance(sub, dict) else None,
            )
        )
    return tuple(fields), problems


def responses(ctx: Context, raw: dict[str, Any], ptr: str, prefix: str) -> tuple[list[ir.Response], list[Problem]]:
    problems: list[Problem] = []
    result: list[ir.Response] = []
    statuses = []
    for key in (str(k) for k in raw):
        if STATUS.fullmatch(key):
            statuses.append(key)
        elif not key.startswith("x-"):
            problems.append(
                Problem.at(
                    "response.status",
                    f"{key!r} is not a response status (100 to 599, 1XX to 5XX, or default)",
                    f"{ptr}/{escape_pointer(key)}",
                )
            )
    statuses.sort(key=status_sort_key)
    twos = [s for s in statuses if s.startswith("2") and s.isdigit()]
    primary_status = twos[0] if twos else None
    for status in statuses:
        rptr = f"{ptr}/{escape_pointer(status)}"
        response, at = deref(ctx.document, raw.get(status), rptr)
        if not isinstance(response, dict):
            continue
        hint = f"{prefix} Response" if status == primary_status else f"{prefix} Response {status}"
        built, found = _response(ctx, response, at, rptr, status, prefix, hint)
        result += built
        problems += found
    return result, problems


def _response(
    ctx: Context, response: dict[str, Any], at: str, rptr: str, status: str, prefix: str, hint: str
) -> tuple[list[ir.Response], list[Problem]]:
    problems: list[Problem] = []
    picked = pick_media(ctx, response.get("content"), response=True)
    if picked is not None and status.isdigit() and (int(status) in (204, 304) or int(status) < 200):
        problems.append(
            warning("response.no-body", f"a {status} response cannot have a body (HTTP); its content is left out", rptr)
        )
        picked = None
    chosen = None
    variants: list[tuple[str, ir.MediaType]] = []
    unsupported: list[str] = []
    if picked is not None:
        name, mobj, also, others = picked
        mptr = f"{at}/content/{escape_pointer(name)}/schema"
        if is_xml(name) and isinstance(ctx.deref(mobj.get("schema")), dict):
            # an XML document of the schema: typed as JSON would be, serialized as XML
            typed_media, found = media(ctx, name, "json", mobj.get("schema"), hint, mptr, None)
            typed_media = typed_media.with_kind("xml")
        else:
            typed_media, found = media(ctx, name, media_kind(name), mobj.get("schema"), hint, mptr, None)
        problems += found
        chosen = dataclasses.replace(typed_media, also=also)
        for other in others:
            variant, found = _variant(ctx, response["content"], other, f"{hint} {other}", at)
            problems += found
            if variant is None:
                unsupported.append(other)
                problems.append(
                    warning("response.media", f"response media type {other!r}: the app only sends {name!r}", rptr)
                )
            else:
                variants.append((other, variant))
    headers, found = _headers(ctx, response.get("headers"), at)
    problems += found
    label = status.upper() if status.upper().endswith("XX") else status.capitalize()
    base = ir.Response(
        status=status.upper() if status.upper().endswith("XX") else status.lower(),
        class_name=f"{prefix}{label}",
        description=str(response.get("description", "")),
        media=chosen,
        headers=headers,
        unsupported=tuple(unsupported),
        example=_example(ctx, picked[1]) if picked is not None else None,
    )
    result = [base]
    names = Namespace({base.class_name})
    for media_name, variant in variants:
        suffix = class_name(re.sub(r"\+(json|xml)$", "", media_name.split("/")[-1]), prefix="Media")
        result.append(
            dataclasses.replace(base, class_name=names.claim(base.class_name + suffix), media=variant, variant=True)
        )
    return result, problems


def _example(ctx: Context, obj: dict[str, Any]) -> Any:
    """The media type's example: ``example``, else the first of ``examples``."""
    if "example" in obj:
        return obj["example"]
    examples = obj.get("examples")
    if isinstance(examples, dict):
        for value in examples.values():
            found = ctx.deref(value)
            if isinstance(found, dict) and "value" in found:
                return found["value"]
    return None


def _variant(
    ctx: Context, content: dict[str, Any], name: str, hint: str, at: str
) -> tuple[ir.MediaType | None, list[Problem]]:
    """Another media type of a response with a schema of its own: a result of its own, if the
    app can send it (JSON-like, or text and bytes given as strings)."""
    kind: ir.BodyKind = "xml" if is_xml(name) else media_kind(name)
    raw = content.get(name)
    obj: dict[str, Any] = raw if isinstance(raw, dict) else {}
    schema = ctx.deref(obj.get("schema"))
    sptr = f"{at}/content/{escape_pointer(name)}/schema"
    if kind == "xml" and isinstance(schema, dict) and schema:
        found, problems = media(ctx, name, "json", obj.get("schema"), hint, sptr, None)
        return found.with_kind("xml"), problems
    if kind == "binary" and isinstance(schema, dict) and _structured(schema):
        kind = "json"  # a vendor type (application/vnd.github.object) of an object: sent as JSON
    if kind not in ("json", "text", "binary"):
        return None, []
    if kind != "json" and isinstance(schema, dict) and schema.get("type") not in (None, "string"):
        return None, []  # an XML document of an object, say: nothing the app can serialize
    return media(ctx, name, kind, obj.get("schema"), hint, sptr, None)


def primary(responses: list[ir.Response], ptr: str) -> tuple[ir.Response | None, list[Problem]]:
    """The response FastAPI documents as the route's own: the first success with a fixed status."""
    numeric = [r for r in responses if r.fixed_status is not None]
    success = [r for r in numeric if 200 <= (r.fixed_status or 0) < 300]
    candidates = success or numeric
    if candidates:
        return candidates[0], []
    return None, [
        warning(
            "response.no-status",
            "no response has a fixed status code; FastAPI will also document a 200 response",
            f"{ptr}/responses",
        )
    ]


def _headers(ctx: Context, raw: Any, ptr: str) -> tuple[tuple[ir.Header, ...], list[Problem]]:
    if not isinstance(raw, dict):
        return (), []
    names = Namespace({"content_type"})
    result = []
    for name in sorted(raw):
        if name.lower() == "content-type":
            continue  # OpenAPI: ignored for responses
        header, at = deref(ctx.document, raw[name], f"{ptr}/headers/{escape_pointer(name)}")
        if not isinstance(header, dict):
            continue
        try:
            typed = ctx.typer.type_of(header.get("schema"), scalar=True, pointer=f"{at}/schema").full
        except UnsupportedSchema:
            typed = ir.builtin("str")
        result.append(
            ir.Header(
                name=name,
                python_name=names.claim(snake_name(name, prefix="h")),
                required=header.get("required") is True,
                type=typed,
                description=text(header.get("description")),
            )
        )
    return tuple(result), []
