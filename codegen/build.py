"""The bundled, validated document to the IR, collecting problems instead of stopping.

Everything the renderers need is decided here: which media type a route accepts, which
response is the route's own, how every name becomes a Python name, and which schemas become
classes. Constructs FastAPI cannot express are kept out of the app's behaviour claims and
reported as warnings, so the drift check can count them honestly.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from typing import Any

from codegen import ir
from codegen.formats import Formats
from codegen.naming import Namespace, class_name, module_name, snake_name
from codegen.problems import Problem, ProblemsError, escape_pointer
from codegen.pytypes import Typer, UnsupportedSchema, literal
from codegen.schemas import SchemaPlan
from codegen.security import build_schemes, requirements

__all__ = ["BuildResult", "build_api", "status_sort_key"]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Names a route function or interface method uses itself; parameters must not shadow them.
_RESERVED_LOCALS = {
    "models", "formats", "security", "request", "body", "auth", "implementation", "result",
    "Annotated", "Any", "Literal", "Query", "Path", "Header", "Cookie", "Body", "Form", "File",
    "UploadFile", "Depends", "Security", "Request", "Response", "Field", "UUID", "AwareDatetime",
    "EmailStr", "IPv4Address", "IPv6Address", "date", "time", "timedelta", "self", "call",
    "isinstance", "str", "int", "float", "bool", "list", "dict", "bytes", "None",
}  # fmt: skip


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


def _is_xml(name: str) -> bool:
    base = name.split(";", maxsplit=1)[0].strip().lower()
    return base.endswith(("/xml", "+xml"))


def _media_kind(name: str) -> ir.BodyKind:
    base = name.split(";", maxsplit=1)[0].strip().lower()
    if base == "application/json" or base.endswith(("+json", "/json")) or base == "*/*":
        return "json"
    if base == "application/x-www-form-urlencoded":
        return "form"
    if base.startswith("multipart/"):
        return "multipart"
    if base.startswith("text/"):
        return "text"
    return "binary"


_PREFERENCE = {"json": 0, "form": 1, "multipart": 2, "text": 3, "binary": 4}


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


_STATUS = re.compile(r"[1-5](?:\d\d|XX)|default", re.IGNORECASE)
_TEMPLATE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # Starlette's path parameter names


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


class BuildResult:
    def __init__(self, api: ir.Api, formats: Formats, problems: list[Problem]) -> None:
        self.api = api
        self.formats = formats
        self.problems = problems


class _Builder:
    def __init__(self, document: dict[str, Any]) -> None:
        self.doc = document
        self.formats = Formats()
        self.plan = SchemaPlan(document, self.formats)
        self.typer = Typer(self.plan, self.formats)
        self.problems: list[Problem] = []  # the plan keeps its own: see build_api
        self.methods = Namespace()
        self.prefixes = Namespace(set(self.plan.class_names.values()))

    def warn(self, code: str, message: str, pointer: str) -> None:
        self.problems.append(Problem.at(code, message, pointer, warning=True))

    def error(self, code: str, message: str, pointer: str) -> None:
        self.problems.append(Problem.at(code, message, pointer))

    # -- operations

    def operations(self) -> list[tuple[dict[str, Any], str, str, str]]:
        """(operation object, method, path, pointer), sorted so spec order never matters."""
        found = []
        paths = self.doc.get("paths") or {}
        for path in sorted(paths):
            item = self.plan.deref(paths[path])
            if not isinstance(item, dict):
                continue
            for method in METHODS:
                op = item.get(method)
                if isinstance(op, dict):
                    found.append((op, method, path, f"/paths/{escape_pointer(path)}/{method}"))
        return found

    def build(self, package: str, spec_name: str, spec_bytes: bytes) -> ir.Api:
        schemes = build_schemes(self.doc, self.problems)
        raw_ops = self.operations()
        # Names are handed out in sorted order of their source, before anything else.
        bases: dict[str, str] = {}
        for op, method, path, ptr in raw_ops:
            op_id = op.get("operationId")
            bases[ptr] = op_id if isinstance(op_id, str) and op_id else f"{method} {path}"
        method_names = {ptr: self.methods.claim(snake_name(bases[ptr], prefix="op")) for ptr in sorted(bases)}
        prefixes = {ptr: self.prefixes.claim(class_name(bases[ptr], prefix="Op")) for ptr in sorted(bases)}
        operations = [
            self.operation(op, method, path, ptr, method_names[ptr], prefixes[ptr], schemes)
            for op, method, path, ptr in raw_ops
        ]
        info = self.doc.get("info") or {}
        return ir.Api(
            package=package,
            spec_name=spec_name,
            spec_sha256=hashlib.sha256(spec_bytes).hexdigest(),
            openapi_version=str(self.doc.get("openapi")),
            title=str(info.get("title", "")),
            version=str(info.get("version", "")),
            summary=_text(info.get("summary")),
            description=_text(info.get("description")),
            terms_of_service=_text(info.get("termsOfService")),
            contact=info.get("contact") if isinstance(info.get("contact"), dict) else None,
            license=info.get("license") if isinstance(info.get("license"), dict) else None,
            servers=tuple(s for s in self.doc.get("servers") or () if isinstance(s, dict)),
            tags=tuple(t for t in self.doc.get("tags") or () if isinstance(t, dict)),
            external_docs=self.doc.get("externalDocs") if isinstance(self.doc.get("externalDocs"), dict) else None,
            groups=self.groups(operations),
            webhooks=(),
            security_schemes=tuple(schemes.values()),
            models=self.model_document(),
            origins=dict(self.plan.origins),
            class_names=dict(self.plan.class_names),
        )

    def groups(self, operations: list[ir.Operation]) -> tuple[ir.Group, ...]:
        by_tag: dict[str | None, list[ir.Operation]] = {}
        for op in operations:
            by_tag.setdefault(op.tags[0] if op.tags else None, []).append(op)
        modules = Namespace({"__init__"}, fold_case=True)
        interfaces = Namespace()
        descriptions = {
            t.get("name"): _text(t.get("description")) for t in self.doc.get("tags") or () if isinstance(t, dict)
        }
        ordered = sorted(by_tag, key=lambda t: (t is None, t or ""))
        result = []
        for tag in ordered:
            label = tag if tag is not None else "default"
            module = modules.claim(module_name(label))
            result.append(
                ir.Group(
                    tag=tag,
                    module=module,
                    interface=interfaces.claim(class_name(label, prefix="Tag") + "Api"),
                    description=descriptions.get(tag) if tag is not None else None,
                    operations=tuple(by_tag[tag]),
                )
            )
        return tuple(result)

    def operation(
        self,
        op: dict[str, Any],
        method: str,
        path: str,
        ptr: str,
        python_name: str,
        prefix: str,
        schemes: dict[str, ir.SecurityScheme],
    ) -> ir.Operation:
        locals_ = Namespace(_RESERVED_LOCALS)
        params = self.parameters(op, path, ptr, prefix, locals_)
        body = self.body(op.get("requestBody"), f"{ptr}/requestBody", prefix, locals_)
        responses = self.responses(op.get("responses") or {}, f"{ptr}/responses", prefix)
        primary = self.primary(responses, ptr)
        reqs, optional = requirements(op, self.doc, schemes, ptr, self.problems)
        tags = tuple(t for t in op.get("tags") or () if isinstance(t, str))
        route_path = path
        for i, p in enumerate(params):
            if p.location == "path" and not _TEMPLATE_NAME.fullmatch(p.name):
                # Starlette's templates take ASCII identifiers; the name is not on the wire
                route_path = route_path.replace("{" + p.name + "}", "{" + p.python_name + "}")
                params[i] = dataclasses.replace(p, alias=p.python_name)
        return ir.Operation(
            method=method,
            path=path,
            route_path=route_path,
            operation_id=_text(op.get("operationId")),
            python_name=python_name,
            class_prefix=prefix,
            summary=_text(op.get("summary")),
            description=_text(op.get("description")),
            tags=tags,
            deprecated=op.get("deprecated") is True,
            parameters=tuple(params),
            body=body,
            responses=tuple(responses),
            primary=primary,
            security=reqs,
            optional_security=optional,
            pointer=ptr,
        )

    # -- parameters

    def parameters(
        self, op: dict[str, Any], path: str, ptr: str, prefix: str, locals_: Namespace
    ) -> list[ir.Parameter]:
        item = self.plan.deref((self.doc.get("paths") or {}).get(path)) or {}
        merged: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        for owner, base in ((item, f"/paths/{escape_pointer(path)}"), (op, ptr)):
            for i, raw in enumerate(owner.get("parameters") or ()):
                param = self.plan.deref(raw)
                if isinstance(param, dict) and isinstance(param.get("name"), str):
                    merged[(str(param.get("in")), param["name"])] = (param, f"{base}/parameters/{i}")
        order = {"path": 0, "query": 1, "header": 2, "cookie": 3}
        result = []
        for (where, name), (param, pptr) in sorted(merged.items(), key=lambda kv: (order.get(kv[0][0], 9), kv[0][1])):
            built = self.parameter(param, where, name, pptr, prefix, locals_)
            if built is not None:
                result.append(built)
        return result

    def parameter(
        self, param: dict[str, Any], where: str, name: str, ptr: str, prefix: str, locals_: Namespace
    ) -> ir.Parameter | None:
        if where not in ("path", "query", "header", "cookie"):
            self.error("param.in", f"parameter {name!r} has unknown location {where!r}", ptr)
            return None
        if where == "header" and name.lower() in ("accept", "content-type", "authorization"):
            # OpenAPI: these header parameters are ignored; the media types and security say it
            return None
        schema = param.get("schema")
        if schema is None and isinstance(param.get("content"), dict):
            self.warn("param.content", f"parameter {name!r} uses 'content'; it is passed as a string", ptr)
            schema = {"type": "string"}
        shape = "scalar"
        try:
            typed, shape = self.typer.parameter_type(schema, hint=f"{prefix} {name}", pointer=f"{ptr}/schema")
        except UnsupportedSchema as exc:
            self.warn("param.type", f"parameter {name!r}: {exc}; it is passed as a string", ptr)
            typed = self.typer.type_of({"type": "string"}, scalar=True)
        if shape != "scalar" and (where == "cookie" or (shape == "objects" and where != "query")):
            self.warn("param.type", f"parameter {name!r}: objects in a {where} are passed as a string", ptr)
            typed, shape = self.typer.type_of({"type": "string"}, scalar=True), "scalar"
        if shape == "objects":
            self.warn(
                "param.objects",
                f"parameter {name!r}: OpenAPI defines no serialization for an array of objects in a "
                "query; the app takes each item as JSON text",
                ptr,
            )
        target = self.plan.deref(schema) if isinstance(schema, dict) else {}
        default = None
        if isinstance(target, dict) and "default" in target:
            try:
                default = literal(target["default"])
            except UnsupportedSchema as exc:
                self.warn("param.default", f"parameter {name!r}: default {exc}", ptr)
        style_default = "simple" if where in ("path", "header") else "form"
        raw_style, raw_explode = param.get("style"), param.get("explode")
        style: str = raw_style if isinstance(raw_style, str) else style_default
        explode: bool = raw_explode if isinstance(raw_explode, bool) else style == "form"
        default_style = style == style_default and explode == (style == "form")
        native = default_style and shape != "object"  # FastAPI parses it itself
        if not default_style:
            self.warn(
                "param.style",
                f"parameter {name!r} uses style={style}, explode={str(explode).lower()}: the app parses it "
                "that way, but FastAPI cannot say so in its schema",
                ptr,
            )
        required = where == "path" or param.get("required") is True
        return ir.Parameter(
            name=name,
            location=where,  # type: ignore[arg-type]
            python_name=locals_.claim(snake_name(name, prefix="p")),
            required=required,
            type=typed.full,
            constraints=typed.constraints,
            default=None if required else default,
            description=_text(param.get("description")),
            deprecated=param.get("deprecated") is True,
            style=style,
            explode=explode,
            native=native,
            properties=self._property_names(schema) if shape == "object" else None,
        )

    def _property_names(self, schema: Any) -> tuple[str, ...]:
        """The properties of an object parameter, as its form style spreads them in a query."""
        target = self.plan.deref(schema)
        names: list[str] = []
        for raw in [target, *(target.get("allOf") or [] if isinstance(target, dict) else [])]:
            part = self.plan.deref(raw)
            if isinstance(part, dict) and isinstance(part.get("properties"), dict):
                names.extend(p for p in part["properties"] if p not in names)
        return tuple(names)

    # -- bodies

    def _pick_media(
        self, content: Any, ptr: str, *, response: bool = False
    ) -> tuple[str, dict[str, Any], tuple[str, ...], tuple[str, ...]] | None:
        """(chosen media type, its object, same-kind alternatives with the same schema, the rest).
        A response's JSON can also be sent as XML, which counts as the same kind."""
        if not isinstance(content, dict) or not content:
            return None
        names = sorted(content, key=lambda n: (_PREFERENCE[_media_kind(n)], n != "application/json", n))
        chosen = names[0]
        media = content[chosen] if isinstance(content[chosen], dict) else {}
        kind = _media_kind(chosen)
        schema = canonical(self.plan.deref(media.get("schema")))
        also: list[str] = []
        rest: list[str] = []
        for other in names[1:]:
            obj = content[other] if isinstance(content[other], dict) else {}
            same_kind = _media_kind(other) == kind or (response and kind == "json" and _is_xml(other))
            same = same_kind and canonical(self.plan.deref(obj.get("schema"))) == schema
            (also if same and kind not in {"multipart", "form"} else rest).append(other)
        return chosen, media, tuple(also), tuple(rest)

    def body(self, raw: Any, ptr: str, prefix: str, locals_: Namespace) -> ir.Body | None:
        body = self.plan.deref(raw)
        if not isinstance(body, dict):
            return None
        picked = self._pick_media(body.get("content"), ptr)
        if picked is None:
            return None
        name, media, also, others = picked
        for other in others:
            self.warn("body.media", f"request media type {other!r}: the app only accepts {name!r}", ptr)
        kind = _media_kind(name)
        mptr = f"{ptr}/content/{escape_pointer(name)}"
        built = self.media(name, kind, media.get("schema"), f"{prefix} Request", f"{mptr}/schema", locals_)
        built = dataclasses.replace(built, also=also)
        return ir.Body(
            required=body.get("required") is True,
            media=built,
            description=_text(body.get("description")),
            unsupported=others,
        )

    def media(
        self, name: str, kind: ir.BodyKind, schema: Any, hint: str, ptr: str, locals_: Namespace | None
    ) -> ir.MediaType:
        if kind == "binary":
            return ir.MediaType(name, kind, ir.TypeExpr("bytes"))
        if kind == "text":
            return ir.MediaType(name, kind, ir.TypeExpr("str"))
        if schema is None:
            return ir.MediaType(name, kind, None)
        try:
            typed = self.typer.type_of(schema, hint=hint, pointer=ptr)
        except UnsupportedSchema as exc:
            self.warn("schema.type", f"{exc}; typed as Any", ptr)
            return ir.MediaType(name, kind, ir.TypeExpr("Any", frozenset({("typing", "Any")})))
        fields: tuple[ir.BodyField, ...] = ()
        if kind in ("form", "multipart") and locals_ is not None:
            fields = self.form_fields(schema, ptr, locals_)
        return ir.MediaType(name, kind, typed.full, fields)

    def form_fields(self, schema: Any, ptr: str, locals_: Namespace) -> tuple[ir.BodyField, ...]:
        target = self.plan.deref(schema)
        props = target.get("properties") if isinstance(target, dict) else None
        if not isinstance(props, dict):
            self.warn("body.form", "a form body without properties is passed as a whole", ptr)
            return ()
        required = {r for r in target.get("required") or () if isinstance(r, str)}
        fields = []
        for prop in props:
            sub = self.plan.deref(props[prop])
            is_list = isinstance(sub, dict) and sub.get("type") == "array"
            leaf = self.plan.deref(sub.get("items")) if is_list and isinstance(sub, dict) else sub
            is_file = isinstance(leaf, dict) and (
                leaf.get("format") == "binary" or "contentMediaType" in leaf or leaf.get("type") == "file"
            )
            try:
                typed = self.typer.type_of(props[prop], scalar=not is_file, hint=prop)
            except UnsupportedSchema:
                typed = self.typer.type_of({"type": "string"}, scalar=True)
            default = None
            if isinstance(sub, dict) and "default" in sub and prop not in required:
                try:
                    default = literal(sub["default"])
                except UnsupportedSchema as exc:
                    self.warn("body.default", f"form field {prop!r}: default {exc}", ptr)
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
                    description=_text(sub.get("description")) if isinstance(sub, dict) else None,
                )
            )
        return tuple(fields)

    # -- responses

    def responses(self, raw: dict[str, Any], ptr: str, prefix: str) -> list[ir.Response]:
        result = []
        statuses = []
        for key in (str(k) for k in raw):
            if _STATUS.fullmatch(key):
                statuses.append(key)
            elif not key.startswith("x-"):
                self.error(
                    "response.status",
                    f"{key!r} is not a response status (100 to 599, 1XX to 5XX, or default)",
                    f"{ptr}/{escape_pointer(key)}",
                )
        statuses.sort(key=status_sort_key)
        twos = [s for s in statuses if s.startswith("2") and s.isdigit()]
        primary_status = twos[0] if twos else None
        for status in statuses:
            response = self.plan.deref(raw.get(status))
            rptr = f"{ptr}/{escape_pointer(status)}"
            if not isinstance(response, dict):
                continue
            hint = f"{prefix} Response" if status == primary_status else f"{prefix} Response {status}"
            picked = self._pick_media(response.get("content"), rptr, response=True)
            if picked is not None and status.isdigit() and (int(status) in (204, 304) or int(status) < 200):
                self.warn(
                    "response.no-body", f"a {status} response cannot have a body (HTTP); its content is left out", rptr
                )
                picked = None
            media = None
            variants: list[tuple[str, ir.MediaType]] = []
            unsupported: list[str] = []
            if picked is not None:
                name, mobj, also, others = picked
                mptr = f"{rptr}/content/{escape_pointer(name)}/schema"
                if _is_xml(name) and isinstance(self.plan.deref(mobj.get("schema")), dict):
                    # an XML document of the schema: typed as JSON would be, serialized as XML
                    typed_media = self.media(name, "json", mobj.get("schema"), hint, mptr, None).with_kind("xml")
                else:
                    typed_media = self.media(name, _media_kind(name), mobj.get("schema"), hint, mptr, None)
                media = dataclasses.replace(typed_media, also=also)
                for other in others:
                    variant = self._variant(response["content"], other, f"{hint} {other}", rptr)
                    if variant is None:
                        unsupported.append(other)
                        self.warn("response.media", f"response media type {other!r}: the app only sends {name!r}", rptr)
                    else:
                        variants.append((other, variant))
            label = status.upper() if status.upper().endswith("XX") else status.capitalize()
            base = ir.Response(
                status=status.upper() if status.upper().endswith("XX") else status.lower(),
                class_name=f"{prefix}{label}",
                description=str(response.get("description", "")),
                media=media,
                headers=self.headers(response.get("headers"), rptr),
                unsupported=tuple(unsupported),
                example=self.example(mobj) if picked is not None else None,
            )
            result.append(base)
            names = Namespace({base.class_name})
            for media_name, variant in variants:
                suffix = class_name(
                    media_name.split("/")[-1].removesuffix("+json").removesuffix("+xml"), prefix="Media"
                )
                result.append(
                    dataclasses.replace(
                        base, class_name=names.claim(base.class_name + suffix), media=variant, variant=True
                    )
                )
        return result

    def example(self, media: dict[str, Any]) -> Any:
        """The media type's example: ``example``, else the first of ``examples``."""
        if "example" in media:
            return media["example"]
        examples = media.get("examples")
        if isinstance(examples, dict):
            for value in examples.values():
                found = self.plan.deref(value)
                if isinstance(found, dict) and "value" in found:
                    return found["value"]
        return None

    def _variant(self, content: dict[str, Any], name: str, hint: str, ptr: str) -> ir.MediaType | None:
        """Another media type of a response with a schema of its own: a result of its own,
        if the app can send it (JSON-like, or text and bytes given as strings)."""
        kind: ir.BodyKind = "xml" if _is_xml(name) else _media_kind(name)
        raw = content.get(name)
        obj: dict[str, Any] = raw if isinstance(raw, dict) else {}
        schema = self.plan.deref(obj.get("schema"))
        if kind == "xml" and isinstance(schema, dict) and schema:
            return self.media(
                name, "json", obj.get("schema"), hint, f"{ptr}/content/{escape_pointer(name)}/schema", None
            ).with_kind("xml")
        if kind == "binary" and isinstance(schema, dict) and _structured(schema):
            kind = "json"  # a vendor type (application/vnd.github.object) of an object: sent as JSON
        if kind not in ("json", "text", "binary"):
            return None
        if kind != "json" and isinstance(schema, dict) and schema.get("type") not in (None, "string"):
            return None  # an XML document of an object, say: nothing the app can serialize
        return self.media(name, kind, obj.get("schema"), hint, f"{ptr}/content/{escape_pointer(name)}/schema", None)

    def primary(self, responses: list[ir.Response], ptr: str) -> ir.Response | None:
        numeric = [r for r in responses if r.fixed_status is not None]
        success = [r for r in numeric if 200 <= (r.fixed_status or 0) < 300]
        candidates = success or numeric
        chosen = candidates[0] if candidates else None
        if chosen is None:
            self.warn(
                "response.no-status",
                "no response has a fixed status code; FastAPI will also document a 200 response",
                f"{ptr}/responses",
            )
        return chosen

    def headers(self, raw: Any, ptr: str) -> tuple[ir.Header, ...]:
        if not isinstance(raw, dict):
            return ()
        names = Namespace({"content_type"})
        result = []
        for name in sorted(raw):
            if name.lower() == "content-type":
                continue  # OpenAPI: ignored for responses
            header = self.plan.deref(raw[name])
            if not isinstance(header, dict):
                continue
            try:
                typed = self.typer.type_of(header.get("schema"), scalar=True).full
            except UnsupportedSchema:
                typed = ir.TypeExpr("str")
            result.append(
                ir.Header(
                    name=name,
                    python_name=names.claim(snake_name(name, prefix="h")),
                    required=header.get("required") is True,
                    type=typed,
                    description=_text(header.get("description")),
                )
            )
        return tuple(result)

    # -- the model engine's input

    def model_document(self) -> dict[str, Any]:
        return {
            "openapi": self.doc.get("openapi"),
            "info": {"title": "models", "version": "0"},
            "paths": {},
            "components": {"schemas": self.plan.finish()},
            "x-codegen-type-overrides": self.plan.type_overrides,
        }


def build_api(document: dict[str, Any], *, package: str, spec_name: str, spec_bytes: bytes) -> BuildResult:
    builder = _Builder(document)
    api = builder.build(package, spec_name, spec_bytes)
    # The plan finds problems while the operations are typed and while it finishes: only
    # now, with the IR complete, does it have all of them.
    problems = builder.problems + builder.plan.problems
    if any(p.severity.value == "error" for p in problems):
        raise ProblemsError(problems)
    return BuildResult(api, builder.formats, problems)
