"""Two OpenAPI documents in, graded findings out: everything a document says, part by part.

Operations under ``paths``, ``webhooks`` and ``callbacks``; their parameters, bodies,
responses, headers, links and security requirements; the security schemes of ``components``;
``info``, ``servers``, ``tags`` and ``externalDocs``. Schemas go to :mod:`schemas`. A field no
rule covers is still compared (``document.keyword``), so nothing a document says goes unseen.

Webhooks and callbacks are requests the API sends: there the request body is graded as a
response would be (a wider one breaks the receiver) and the responses as requests.
"""

from __future__ import annotations

import re
import sys
import threading
from dataclasses import dataclass
from typing import Any

from codegen.drift.findings import RULES, Change, Finding, Mode, Side, grade
from codegen.drift.normalize import Normalizer, Schema
from codegen.drift.pointers import canonical, escape, resolve
from codegen.drift.schemas import Result, SchemaComparer

__all__ = ["Documents", "compare_documents"]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
N, W, D, DOC, A = Change.NARROWER, Change.WIDER, Change.DIFFERENT, Change.DOC, Change.ANNOTATION
_IGNORED_HEADERS = {"accept", "content-type", "authorization"}  # equivalence "ignored-headers"
_DOCUMENT_KEYS = {"openapi", "info", "jsonSchemaDialect", "servers", "paths", "webhooks", "components", "security",
                  "tags", "externalDocs"}  # fmt: skip
_OPERATION_KEYS = {"tags", "summary", "description", "externalDocs", "operationId", "parameters", "requestBody",
                   "responses", "callbacks", "deprecated", "security", "servers"}  # fmt: skip
_PARAMETER_KEYS = {"name", "in", "description", "required", "deprecated", "allowEmptyValue", "style", "explode",
                   "allowReserved", "schema", "example", "examples", "content"}  # fmt: skip
_RESPONSE_KEYS = {"description", "headers", "content", "links"}
_HEADER_KEYS = _PARAMETER_KEYS - {"name", "in", "allowReserved", "allowEmptyValue"}
_MEDIA_KEYS = {"schema", "example", "examples", "encoding"}
_BODY_KEYS = {"description", "content", "required"}


@dataclass(frozen=True, slots=True)
class Documents:
    base: dict[str, Any]
    revision: dict[str, Any]
    mode: Mode
    auto_summaries: frozenset[str] = frozenset()  # revision pointers whose summary FastAPI made up
    auto_ids: frozenset[str] = frozenset()  # revision pointers whose operationId FastAPI made up


@dataclass(frozen=True, slots=True)
class _Ctx:
    where: str
    operation: str | None
    direction: str  # request | response: what the data is, for the client of the base
    flipped: bool = False  # inside a webhook or callback: the API sends the request

    def at(self, step: str) -> _Ctx:
        return _Ctx(f"{self.where} › {step}", self.operation, self.direction, self.flipped)

    def going(self, direction: str) -> _Ctx:
        if self.flipped:
            direction = "response" if direction == "request" else "request"
        return _Ctx(self.where, self.operation, direction, self.flipped)


Ops = dict[tuple[str, ...], tuple[str, str, dict[str, Any], dict[str, Any], str]]


class _Doc:
    def __init__(self, document: dict[str, Any]) -> None:
        self.doc = document
        self.norm = Normalizer(document)

    def deref(self, obj: Any, pointer: str) -> tuple[Any, str]:
        for _ in range(32):
            if not (isinstance(obj, dict) and isinstance(obj.get("$ref"), str)):
                break
            found = resolve(self.doc, obj["$ref"])
            if found is None:
                return None, pointer
            obj, pointer = found
        return obj, pointer

    def schema(self, raw: Any, pointer: str) -> Schema:
        return self.norm.schema(raw if raw is not None else {}, pointer)


def _path_key(path: str) -> str:
    return re.sub(r"\{[^}/]*\}", "{}", path)  # equivalence "path-names"


def _media_key(name: str) -> str:
    """Equivalence "media-type-names"."""
    parts = [p.strip() for p in name.lower().split(";")]
    base, params = parts[0].replace(" ", ""), sorted(p.replace(" ", "") for p in parts[1:] if p)
    if base == "application/json" or base.endswith("+json"):
        params = [p for p in params if not p.startswith("charset=")]
    return ";".join([base, *params])


def _status(key: Any) -> str:
    text = str(key)
    return text.upper() if text.upper().endswith("XX") else text.lower()


def _covering(status: str, statuses: dict[str, str]) -> str | None:
    """The range or default of ``statuses`` that covers a fixed ``status``."""
    if status.isdigit():
        if f"{status[0]}XX" in statuses:
            return statuses[f"{status[0]}XX"]
        if "default" in statuses:
            return statuses["default"]
    return None


def _clean(value: Any) -> Any:
    return " ".join(value.split()) if isinstance(value, str) else value


def _style(param: dict[str, Any]) -> tuple[str, bool]:
    """Equivalence "parameter-defaults"."""
    where = param.get("in")
    default = "simple" if where in ("path", "header") else "form"
    style = param.get("style") if isinstance(param.get("style"), str) else default
    explode = param.get("explode") if isinstance(param.get("explode"), bool) else style == "form"
    return str(style), bool(explode)


def _no_body_status(status: str) -> bool:
    return status in ("204", "304") or (len(status) == 3 and status.startswith("1") and status.isdigit())


class _Comparer:
    def __init__(self, docs: Documents) -> None:
        self.docs = docs
        self.mode = docs.mode
        self.a = _Doc(docs.base)
        self.b = _Doc(docs.revision)
        self.schemas = SchemaComparer(self.a.norm, self.b.norm)
        self.findings: list[Finding] = []

    # -- output

    def add(self, rule: str, change: Change, message: str, ctx: _Ctx, a_ptr: str, b_ptr: str) -> None:
        severity = grade(change, ctx.direction, self.mode, RULES[rule])
        self.findings.append(
            Finding(rule, severity, message, ctx.where, ctx.operation, Side(a_ptr), Side(b_ptr), change)
        )

    def diffs(self, result: Result, ctx: _Ctx) -> None:
        for d in result.flat():
            where = ctx.where + "".join(f" › {step}" for step in d.path)
            severity = grade(d.graded or d.change, ctx.direction, self.mode, RULES[d.rule])
            self.findings.append(
                Finding(d.rule, severity, d.message, where, ctx.operation, Side(d.base), Side(d.revision), d.change)
            )

    def compare_schemas(self, a: Schema, b: Schema, ctx: _Ctx, *, xml: bool = False) -> None:
        self.diffs(self.schemas.diff(a, b, ctx.direction + (":xml" if xml else "")), ctx)

    def unknown(self, a: dict[str, Any], b: dict[str, Any], known: set[str], ctx: _Ctx, a_ptr: str, b_ptr: str) -> None:
        """Default-deny for the fields of an object: any other field is compared as JSON."""
        for key in sorted((set(a) | set(b)) - known):
            if key.startswith("x-"):
                continue
            if canonical(a.get(key)) != canonical(b.get(key)):
                self.add(
                    "document.keyword", D, f"{key} differs", ctx, f"{a_ptr}/{escape(key)}", f"{b_ptr}/{escape(key)}"
                )

    # -- the document

    def run(self) -> list[Finding]:
        top = _Ctx("document", None, "request")
        self.info(top)
        self.unknown(self.a.doc, self.b.doc, _DOCUMENT_KEYS, top, "", "")
        self.security_schemes(top)
        self.operations(self._paths(self.a), self._paths(self.b), "operation", Change.DIFFERENT)
        self.operations(self._webhooks(self.a), self._webhooks(self.b), "webhook", Change.DOC, flipped=True)
        return self.findings

    def info(self, ctx: _Ctx) -> None:
        a_info, b_info = self.a.doc.get("info") or {}, self.b.doc.get("info") or {}
        for key in sorted(set(a_info) | set(b_info)):
            if key.startswith("x-"):
                continue
            if canonical(_clean(a_info.get(key))) != canonical(_clean(b_info.get(key))):
                self.add(
                    "info.changed", A, f"info.{key} differs", ctx.at(f"info.{key}"), f"/info/{key}", f"/info/{key}"
                )
        servers_a, servers_b = _servers(self.a.doc.get("servers")), _servers(self.b.doc.get("servers"))
        if servers_a != servers_b:
            self.add("servers.changed", DOC, "the servers differ", ctx.at("servers"), "/servers", "/servers")
        tags_a, tags_b = _tags(self.a.doc.get("tags")), _tags(self.b.doc.get("tags"))
        if tags_a != tags_b:
            names = sorted(k for k in tags_a.keys() | tags_b.keys() if tags_a.get(k) != tags_b.get(k))
            self.add(
                "tags.changed",
                A,
                f"tag metadata differs: {', '.join(map(str, names))}",
                ctx.at("tags"),
                "/tags",
                "/tags",
            )
        if canonical(self.a.doc.get("externalDocs")) != canonical(self.b.doc.get("externalDocs")):
            self.add(
                "external-docs.changed",
                A,
                "externalDocs differs",
                ctx.at("externalDocs"),
                "/externalDocs",
                "/externalDocs",
            )

    # -- operations

    def _paths(self, doc: _Doc) -> Ops:
        """key -> (label, operation pointer, operation, path item, path)."""
        found: Ops = {}
        for path, raw in (doc.doc.get("paths") or {}).items():
            if str(path).startswith("x-"):
                continue
            item, _ = doc.deref(raw, f"/paths/{escape(path)}")
            if not isinstance(item, dict):
                continue
            for method in METHODS:
                op = item.get(method)
                if isinstance(op, dict):
                    ptr = f"/paths/{escape(path)}/{method}"
                    found[(method, _path_key(path))] = (f"{method.upper()} {path}", ptr, op, item, path)
        return found

    def _webhooks(self, doc: _Doc) -> Ops:
        found: Ops = {}
        for name, raw in (doc.doc.get("webhooks") or {}).items():
            item, _ = doc.deref(raw, f"/webhooks/{escape(name)}")
            if not isinstance(item, dict):
                continue
            for method in METHODS:
                op = item.get(method)
                if isinstance(op, dict):
                    ptr = f"/webhooks/{escape(name)}/{method}"
                    found[(name, method)] = (f"webhook {name} {method.upper()}", ptr, op, item, "")
        return found

    def operations(
        self,
        a_ops: Ops,
        b_ops: Ops,
        kind: str,
        missing: Change,
        flipped: bool = False,
        prefix: str = "",
        operation: str | None = None,
    ) -> None:
        for key in sorted(a_ops.keys() | b_ops.keys()):
            if key not in b_ops:
                label, ptr, *_ = a_ops[key]
                ctx = _Ctx(prefix + label, operation or label, "request", flipped)
                self.add(f"{kind}.missing", missing, f"{label} is not in the revision", ctx, ptr, "")
            elif key not in a_ops:
                label, ptr, *_ = b_ops[key]
                ctx = _Ctx(prefix + label, operation or label, "request", flipped)
                self.add(f"{kind}.added", DOC, f"{label} is not in the base", ctx, "", ptr)
            else:
                label = a_ops[key][0]
                self.operation(a_ops[key], b_ops[key], _Ctx(prefix + label, operation or label, "request", flipped))

    def operation(
        self,
        a: tuple[str, str, dict[str, Any], dict[str, Any], str],
        b: tuple[str, str, dict[str, Any], dict[str, Any], str],
        ctx: _Ctx,
    ) -> None:
        _, a_ptr, a_op, a_item, a_path = a
        _, b_ptr, b_op, b_item, b_path = b
        self.metadata(a_op, b_op, ctx, a_ptr, b_ptr)
        self.unknown(a_op, b_op, _OPERATION_KEYS, ctx, a_ptr, b_ptr)
        servers_a = _servers(a_op.get("servers") or a_item.get("servers") or self.a.doc.get("servers"))
        servers_b = _servers(b_op.get("servers") or b_item.get("servers") or self.b.doc.get("servers"))
        if servers_a != servers_b and (
            a_op.get("servers") or a_item.get("servers") or b_op.get("servers") or b_item.get("servers")
        ):
            self.add("operation.servers", DOC, "the servers differ", ctx, f"{a_ptr}/servers", f"{b_ptr}/servers")
        for key in ("summary", "description"):
            if _clean(a_item.get(key)) != _clean(b_item.get(key)):
                self.add("operation.description", A, f"the path's {key} differs", ctx, a_ptr, b_ptr)
        self.parameters(self._parameters(self.a, a_op, a_item, a_ptr, a_path),
                        self._parameters(self.b, b_op, b_item, b_ptr, b_path), ctx)  # fmt: skip
        self.request_body(
            a_op.get("requestBody"), b_op.get("requestBody"), ctx, f"{a_ptr}/requestBody", f"{b_ptr}/requestBody"
        )
        self.responses(
            a_op.get("responses") or {}, b_op.get("responses") or {}, ctx, f"{a_ptr}/responses", f"{b_ptr}/responses"
        )
        self.callbacks(a_op.get("callbacks") or {}, b_op.get("callbacks") or {}, ctx, a_ptr, b_ptr)
        self.security(a_op, b_op, ctx, a_ptr, b_ptr)

    def metadata(self, a: dict[str, Any], b: dict[str, Any], ctx: _Ctx, a_ptr: str, b_ptr: str) -> None:
        a_id, b_id = a.get("operationId"), b.get("operationId")
        drift = self.mode is Mode.DRIFT
        if drift and b_ptr in self.docs.auto_ids and a_id is None:
            b_id = None  # equivalence "fastapi-invented"
        if a_id != b_id:
            self.add("operation.id", DOC, f"operationId {a_id!r} in the base, {b_id!r} in the revision", ctx,
                     f"{a_ptr}/operationId", f"{b_ptr}/operationId")  # fmt: skip
        invented = drift and b_ptr in self.docs.auto_summaries and a.get("summary") is None
        b_summary = None if invented else b.get("summary")
        for key, x, y in (
            ("summary", a.get("summary"), b_summary),
            ("description", a.get("description"), b.get("description")),
        ):
            if _clean(x) != _clean(y):
                self.add(f"operation.{key}", A, f"the {key} differs", ctx, f"{a_ptr}/{key}", f"{b_ptr}/{key}")
        if list(a.get("tags") or []) != list(b.get("tags") or []):
            self.add("operation.tags", DOC, f"tags {a.get('tags') or []} in the base, {b.get('tags') or []} in the revision",
                     ctx, f"{a_ptr}/tags", f"{b_ptr}/tags")  # fmt: skip
        if bool(a.get("deprecated")) != bool(b.get("deprecated")):
            self.add("operation.deprecated", DOC,
                     f"deprecated {bool(a.get('deprecated'))} in the base, {bool(b.get('deprecated'))} in the revision",
                     ctx, a_ptr, b_ptr)  # fmt: skip
        if canonical(a.get("externalDocs")) != canonical(b.get("externalDocs")):
            self.add("operation.external-docs", A, "externalDocs differs", ctx, a_ptr, b_ptr)

    # -- parameters

    def _parameters(
        self, doc: _Doc, op: dict[str, Any], item: dict[str, Any], pointer: str, path: str
    ) -> dict[tuple[str, str], tuple[dict[str, Any], str, str]]:
        """(location, key) -> (parameter, pointer, name); path parameters keyed by their position
        in the template (equivalence "path-names"), header names case-folded."""
        result: dict[tuple[str, str], tuple[dict[str, Any], str, str]] = {}
        positions = {name: str(i) for i, name in enumerate(re.findall(r"\{([^}/]*)\}", path))}
        base = pointer.rsplit("/", 1)[0]
        for owner, at in ((item, base), (op, pointer)):
            for i, raw in enumerate(owner.get("parameters") or ()):
                param, ptr = doc.deref(raw, f"{at}/parameters/{i}")
                if not isinstance(param, dict) or not isinstance(param.get("name"), str):
                    continue
                where, name = str(param.get("in")), param["name"]
                key = name.lower() if where == "header" else name
                if where == "header" and key in _IGNORED_HEADERS:
                    continue
                if where == "path":
                    key = "#" + positions.get(name, str(name))
                result[(where, key)] = (param, ptr, name)
        return result

    def parameters(
        self,
        a: dict[tuple[str, str], tuple[dict[str, Any], str, str]],
        b: dict[tuple[str, str], tuple[dict[str, Any], str, str]],
        ctx: _Ctx,
    ) -> None:
        req = ctx.going("request")
        for key in sorted(a.keys() | b.keys()):
            where = key[0]
            name = a[key][2] if key in a else b[key][2]
            step = req.at(f"{where} parameter {name!r}")
            if key not in b:
                param, ptr, _ = a[key]
                change = W if param.get("required") is True or where == "path" else DOC
                self.add(
                    "parameter.missing",
                    change,
                    f"the revision does not read the {where} parameter {name!r}",
                    step,
                    ptr,
                    "",
                )
                continue
            if key not in a:
                param, ptr, _ = b[key]
                required = param.get("required") is True or where == "path"
                self.add("parameter.added", N if required else DOC,
                         f"the revision reads the {where} parameter {name!r}" + (", and requires it" if required else ""),
                         step, "", ptr)  # fmt: skip
                continue
            (pa, a_ptr, a_name), (pb, b_ptr, b_name) = a[key], b[key]
            self.parameter(pa, pb, step, a_ptr, b_ptr, a_name, b_name)

    def parameter(self, pa: dict[str, Any], pb: dict[str, Any], ctx: _Ctx, a_ptr: str, b_ptr: str, a_name: str,
                  b_name: str) -> None:  # fmt: skip
        where = pa.get("in")
        self.unknown(pa, pb, _PARAMETER_KEYS, ctx, a_ptr, b_ptr)
        if a_name != b_name and where == "path":  # (other names are the key: headers differ in case only)
            self.add("parameter.name", DOC, f"named {a_name!r} in the base, {b_name!r} in the revision", ctx,
                     f"{a_ptr}/name", f"{b_ptr}/name")  # fmt: skip
        ra = pa.get("required") is True or where == "path"
        rb = pb.get("required") is True or where == "path"
        if ra != rb:
            self.add("parameter.required", N if rb else W, f"the parameter is {'required' if rb else 'optional'} in the revision",
                     ctx, a_ptr, b_ptr)  # fmt: skip
        if _style(pa) != _style(pb):
            self.add("parameter.style", DOC, f"style/explode {_style(pa)} in the base, {_style(pb)} in the revision",
                     ctx, a_ptr, b_ptr)  # fmt: skip
        for key, rule in (
            ("allowReserved", "parameter.allow-reserved"),
            ("allowEmptyValue", "parameter.allow-empty-value"),
        ):
            x, y = pa.get(key) is True, pb.get(key) is True
            if x != y:
                change = DOC if key == "allowReserved" else (W if y else N)
                self.add(rule, change, f"{key} {x} in the base, {y} in the revision", ctx, a_ptr, b_ptr)
        if bool(pa.get("deprecated")) != bool(pb.get("deprecated")):
            self.add("parameter.deprecated", DOC, "deprecated in one only", ctx, a_ptr, b_ptr)
        if _clean(pa.get("description")) != _clean(pb.get("description")):
            self.add("parameter.description", A, "the description differs", ctx, a_ptr, b_ptr)
        if "content" in pa or "content" in pb:
            self.content(pa.get("content") or {}, pb.get("content") or {}, ctx, a_ptr, b_ptr, "parameter")
            if "schema" not in pa and "schema" not in pb:
                return
        self.compare_schemas(self.a.schema(pa.get("schema"), f"{a_ptr}/schema"),
                             self.b.schema(pb.get("schema"), f"{b_ptr}/schema"), ctx)  # fmt: skip

    # -- bodies and content

    def request_body(self, a: Any, b: Any, ctx: _Ctx, a_ptr: str, b_ptr: str) -> None:
        a, a_ptr = self.a.deref(a, a_ptr)
        b, b_ptr = self.b.deref(b, b_ptr)
        if not isinstance(a, dict) and not isinstance(b, dict):
            return
        step = ctx.going("request").at("request body")
        if not isinstance(b, dict):
            self.add("request-body.missing", D, "the revision takes no request body", step, a_ptr, "")
            return
        if not isinstance(a, dict):
            required = b.get("required") is True
            self.add("request-body.added", N if required else DOC,
                     "the revision takes a request body" + (", and requires it" if required else ""), step, "", b_ptr)  # fmt: skip
            return
        self.unknown(a, b, _BODY_KEYS, step, a_ptr, b_ptr)
        ra, rb = a.get("required") is True, b.get("required") is True
        if ra != rb:
            self.add("request-body.required", N if rb else W,
                     f"the request body is {'required' if rb else 'optional'} in the revision", step, a_ptr, b_ptr)  # fmt: skip
        if _clean(a.get("description")) != _clean(b.get("description")):
            self.add("request-body.description", A, "the description differs", step, a_ptr, b_ptr)
        self.content(a.get("content") or {}, b.get("content") or {}, step, a_ptr, b_ptr, "request-body")

    def content(self, a: dict[str, Any], b: dict[str, Any], ctx: _Ctx, a_ptr: str, b_ptr: str, kind: str) -> None:
        a_map = {_media_key(k): k for k in a} if isinstance(a, dict) else {}
        b_map = {_media_key(k): k for k in b} if isinstance(b, dict) else {}
        rule = "request-body" if kind in ("request-body", "parameter") else "response"
        if kind == "parameter" and set(a_map) != set(b_map):
            self.add("parameter.content", DOC, f"content {sorted(a_map)} in the base, {sorted(b_map)} in the revision",
                     ctx, f"{a_ptr}/content", f"{b_ptr}/content")  # fmt: skip
        for key in sorted(a_map.keys() | b_map.keys()):
            if key not in b_map:
                if kind != "parameter":
                    verb = "accept" if rule == "request-body" else "send"
                    change = N if rule == "request-body" else D
                    self.add(f"{rule}.media-type-missing", change, f"the revision does not {verb} {key}", ctx,
                             f"{a_ptr}/content/{escape(a_map[key])}", "")  # fmt: skip
                continue
            if key not in a_map:
                if kind != "parameter":
                    verb = "accept" if rule == "request-body" else "send"
                    self.add(f"{rule}.media-type-added", W, f"the revision may {verb} {key}", ctx, "",
                             f"{b_ptr}/content/{escape(b_map[key])}")  # fmt: skip
                continue
            ma, mb = a[a_map[key]], b[b_map[key]]
            pa, pb = f"{a_ptr}/content/{escape(a_map[key])}", f"{b_ptr}/content/{escape(b_map[key])}"
            ma = ma if isinstance(ma, dict) else {}
            mb = mb if isinstance(mb, dict) else {}
            step = ctx.at(key)
            self.unknown(ma, mb, _MEDIA_KEYS, step, pa, pb)
            xml = key.split(";")[0].endswith(("/xml", "+xml"))
            self.compare_schemas(self.a.norm.content_schema(ma, pa), self.b.norm.content_schema(mb, pb), step, xml=xml)
            self.encoding(ma.get("encoding") or {}, mb.get("encoding") or {}, step, pa, pb)

    def encoding(self, a: dict[str, Any], b: dict[str, Any], ctx: _Ctx, a_ptr: str, b_ptr: str) -> None:
        for name in sorted(set(a) | set(b)):
            x: dict[str, Any] = a[name] if isinstance(a.get(name), dict) else {}
            y: dict[str, Any] = b[name] if isinstance(b.get(name), dict) else {}
            xs = {
                k: canonical(_content_types(v) if k == "contentType" else v)
                for k, v in x.items()
                if not k.startswith("x-")
            }
            ys = {
                k: canonical(_content_types(v) if k == "contentType" else v)
                for k, v in y.items()
                if not k.startswith("x-")
            }
            if xs != ys:
                self.add("request-body.encoding", DOC, f"the encoding of {name!r} differs", ctx.at(name),
                         f"{a_ptr}/encoding/{escape(name)}", f"{b_ptr}/encoding/{escape(name)}")  # fmt: skip

    # -- responses

    def responses(self, a: dict[str, Any], b: dict[str, Any], ctx: _Ctx, a_ptr: str, b_ptr: str) -> None:
        a_map = {_status(k): k for k in a if not str(k).startswith("x-")}
        b_map = {_status(k): k for k in b if not str(k).startswith("x-")}
        fixed_a = any(s.isdigit() for s in a_map)
        for status in sorted(a_map.keys() | b_map.keys()):
            step = ctx.going("response").at(f"response {status}")
            if status not in b_map:
                self.add("response.missing", N, f"response {status} is not documented by the revision", step,
                         f"{a_ptr}/{escape(a_map[status])}", "")  # fmt: skip
                continue
            b_key = b_map[status]
            b_resp, rb_ptr = self.b.deref(b[b_key], f"{b_ptr}/{escape(b_key)}")
            if status not in a_map:
                if status == "200" and self.mode is Mode.DRIFT and not fixed_a:
                    self.add("response.fastapi-status", A,
                             "the spec gives no fixed status code; FastAPI documents its route's own (200)",
                             step, a_ptr, rb_ptr)  # fmt: skip
                    cover = _covering(status, a_map)
                    if cover is not None:  # what it says must still be what the range says
                        a_resp, ra_ptr = self.a.deref(a[cover], f"{a_ptr}/{escape(cover)}")
                        self.response(a_resp, b_resp, step, ra_ptr, rb_ptr, status, describe=False)
                elif status == "422" and self.mode is Mode.DRIFT and _is_fastapi_validation(b_resp):
                    self.add("response.validation-422", A,
                             "FastAPI documents its automatic 422 validation error, which the spec does not declare",
                             step, a_ptr, rb_ptr)  # fmt: skip
                else:
                    success = status.startswith(("2", "3"))
                    self.add("response.added", W if success else DOC,
                             f"the revision documents response {status}, which the base does not", step, "", rb_ptr)  # fmt: skip
                continue
            a_resp, ra_ptr = self.a.deref(a[a_map[status]], f"{a_ptr}/{escape(a_map[status])}")
            self.response(a_resp, b_resp, step, ra_ptr, rb_ptr, status)

    def response(
        self, a: Any, b: Any, ctx: _Ctx, a_ptr: str, b_ptr: str, status: str, *, describe: bool = True
    ) -> None:
        if not isinstance(a, dict) or not isinstance(b, dict):
            return
        self.unknown(a, b, _RESPONSE_KEYS, ctx, a_ptr, b_ptr)
        if describe and _clean(a.get("description")) != _clean(b.get("description")):
            self.add("response.description", A, "the description differs", ctx, a_ptr, b_ptr)
        a_content, b_content = a.get("content") or {}, b.get("content") or {}
        if _no_body_status(status) and bool(a_content) != bool(b_content):
            self.add("response.body-not-allowed", A,
                     f"HTTP allows no body in a {status} response; the content declared for it is never sent",
                     ctx, f"{a_ptr}/content", f"{b_ptr}/content")  # fmt: skip
            a_content = b_content = {}
        self.content(a_content, b_content, ctx, a_ptr, b_ptr, "response")
        self.headers(a.get("headers") or {}, b.get("headers") or {}, ctx, a_ptr, b_ptr)
        if canonical(a.get("links")) != canonical(b.get("links")):
            self.add("response.links", DOC, "the links differ", ctx, f"{a_ptr}/links", f"{b_ptr}/links")

    def headers(self, a: dict[str, Any], b: dict[str, Any], ctx: _Ctx, a_ptr: str, b_ptr: str) -> None:
        a_map = {k.lower(): k for k in a if k.lower() != "content-type"}
        b_map = {k.lower(): k for k in b if k.lower() != "content-type"}
        for key in sorted(a_map.keys() | b_map.keys()):
            step = ctx.at(f"header {key}")
            if key not in b_map:
                header, ptr = self.a.deref(a[a_map[key]], f"{a_ptr}/headers/{escape(a_map[key])}")
                required = isinstance(header, dict) and header.get("required") is True
                self.add("response.header-missing", D if required else N,
                         f"the revision does not send header {a_map[key]}", step, ptr, "")  # fmt: skip
                continue
            if key not in a_map:
                header, ptr = self.b.deref(b[b_map[key]], f"{b_ptr}/headers/{escape(b_map[key])}")
                self.add("response.header-added", N, f"the revision sends header {b_map[key]}", step, "", ptr)
                continue
            ha, pa = self.a.deref(a[a_map[key]], f"{a_ptr}/headers/{escape(a_map[key])}")
            hb, pb = self.b.deref(b[b_map[key]], f"{b_ptr}/headers/{escape(b_map[key])}")
            if not isinstance(ha, dict) or not isinstance(hb, dict):
                continue
            self.unknown(ha, hb, _HEADER_KEYS, step, pa, pb)
            ra, rb = ha.get("required") is True, hb.get("required") is True
            if ra != rb:
                self.add("response.header-required", N if rb else W,
                         f"header {a_map[key]} is {'required' if rb else 'optional'} in the revision", step, pa, pb)  # fmt: skip
            if _clean(ha.get("description")) != _clean(hb.get("description")):
                self.add("response.header-description", A, "the description differs", step, pa, pb)
            if bool(ha.get("deprecated")) != bool(hb.get("deprecated")):
                self.add("parameter.deprecated", DOC, "deprecated in one only", step, pa, pb)
            if _style({**ha, "in": "header"}) != _style({**hb, "in": "header"}):
                self.add("parameter.style", DOC, "style/explode differ", step, pa, pb)
            if "content" in ha or "content" in hb:
                self.content(ha.get("content") or {}, hb.get("content") or {}, step, pa, pb, "parameter")
            self.compare_schemas(
                self.a.schema(ha.get("schema"), f"{pa}/schema"), self.b.schema(hb.get("schema"), f"{pb}/schema"), step
            )

    # -- callbacks

    def callbacks(self, a: dict[str, Any], b: dict[str, Any], ctx: _Ctx, a_ptr: str, b_ptr: str) -> None:
        def operations(doc: _Doc, callbacks: dict[str, Any], ptr: str) -> dict[tuple[str, ...], Any]:
            found: dict[tuple[str, ...], Any] = {}
            for name, raw in callbacks.items():
                callback, _ = doc.deref(raw, f"{ptr}/callbacks/{escape(name)}")
                for expression, raw_item in (callback or {}).items() if isinstance(callback, dict) else ():
                    if str(expression).startswith("x-"):
                        continue
                    item, _ = doc.deref(raw_item, "")
                    for method in METHODS if isinstance(item, dict) else ():
                        op = item.get(method)
                        if isinstance(op, dict):
                            at = f"{ptr}/callbacks/{escape(name)}/{escape(expression)}/{method}"
                            found[(name, expression, method)] = (
                                f"callback {name} {method.upper()} {expression}",
                                at,
                                op,
                                item,
                                "",
                            )
            return found

        self.operations(operations(self.a, a, a_ptr), operations(self.b, b, b_ptr), "callback", D,
                        flipped=True, prefix=f"{ctx.where} › ", operation=ctx.operation)  # fmt: skip

    # -- security

    def security(self, a_op: dict[str, Any], b_op: dict[str, Any], ctx: _Ctx, a_ptr: str, b_ptr: str) -> None:
        a_alts, b_alts = _requirements(a_op, self.a.doc), _requirements(b_op, self.b.doc)
        if a_alts == b_alts:
            return
        step = ctx.going("request").at("security")
        pa, pb = f"{a_ptr}/security", f"{b_ptr}/security"
        a_open, b_open = not a_alts or {} in a_alts, not b_alts or {} in b_alts
        if a_open and not b_open:
            self.add("security.added", N, "the revision requires credentials", step, pa, pb)
            return
        if b_open and not a_open:
            self.add("security.removed", W, "the revision requires no credentials", step, pa, pb)
            return
        for x in a_alts:
            if x in b_alts or any(_accepts(y, x) for y in b_alts):
                continue
            same = [y for y in b_alts if y.keys() == x.keys()]
            if same:
                self.add("security.scopes", _scopes(x, same[0]), f"{_alt(x)} needs other scopes in the revision: {_alt(same[0])}",
                         step, pa, pb)  # fmt: skip
            else:
                self.add("security.alternative-missing", N, f"the revision does not accept {_alt(x)}", step, pa, pb)
        for y in b_alts:
            if y in a_alts or any(_accepts(x, y) for x in a_alts) or any(y.keys() == x.keys() for x in a_alts):
                continue
            self.add("security.alternative-added", W, f"the revision also accepts {_alt(y)}", step, pa, pb)

    def security_schemes(self, ctx: _Ctx) -> None:
        def schemes(doc: _Doc) -> dict[str, Any]:
            found = ((doc.doc.get("components") or {}).get("securitySchemes")) or {}
            return found if isinstance(found, dict) else {}

        a, b = schemes(self.a), schemes(self.b)
        for name in sorted(set(a) | set(b)):
            pa, pb = f"/components/securitySchemes/{escape(name)}", f"/components/securitySchemes/{escape(name)}"
            step = ctx.at(f"security scheme {name!r}")
            if name not in b:
                what = _scheme_summary(self.a.deref(a[name], pa)[0])
                message = f"security scheme {name!r} ({what}) is not in the revision"
                self.add("security.scheme-missing", DOC, message, step, pa, "")
                continue
            if name not in a:
                what = _scheme_summary(self.b.deref(b[name], pb)[0])
                self.add(
                    "security.scheme-added", DOC, f"security scheme {name!r} ({what}) is not in the base", step, "", pb
                )
                continue
            x, pa = self.a.deref(a[name], pa)
            y, pb = self.b.deref(b[name], pb)
            if not isinstance(x, dict) or not isinstance(y, dict):
                continue
            for field, change in _scheme_differences(x, y):
                self.add("security.scheme-changed", change, f"{field} differs", step, pa, pb)


def _servers(raw: Any) -> list[str]:
    """Equivalence "default-server"; descriptions are annotations."""
    servers = raw if isinstance(raw, list) and raw else [{"url": "/"}]
    return [canonical({k: v for k, v in s.items() if k != "description" and not k.startswith("x-")})
            for s in servers if isinstance(s, dict)]  # fmt: skip


def _tags(raw: Any) -> dict[Any, str]:
    return {t.get("name"): canonical({k: _clean(v) for k, v in t.items() if not k.startswith("x-")})
            for t in raw or [] if isinstance(t, dict)}  # fmt: skip


def _content_types(value: Any) -> Any:
    if isinstance(value, str):
        return sorted(_media_key(v) for v in value.split(",") if v.strip())
    return value


def _is_fastapi_validation(response: Any) -> bool:
    """Equivalence "fastapi-422": FastAPI's own 422, by the schema it refers to."""
    if not isinstance(response, dict):
        return False
    schema = ((response.get("content") or {}).get("application/json") or {}).get("schema") or {}
    return isinstance(schema, dict) and str(schema.get("$ref", "")) == "#/components/schemas/HTTPValidationError"


Alternative = dict[str, frozenset[str]]


def _requirements(op: dict[str, Any], doc: dict[str, Any]) -> list[Alternative]:
    """An operation's alternatives (equivalence "security-inherited"): scheme -> scopes."""
    raw = op["security"] if "security" in op else doc.get("security")
    result: list[Alternative] = []
    for req in raw if isinstance(raw, list) else ():
        if isinstance(req, dict):
            alt = {str(k): frozenset(map(str, v)) if isinstance(v, list) else frozenset() for k, v in req.items()}
            if alt not in result:
                result.append(alt)
    return result


def _accepts(revision: Alternative, base: Alternative) -> bool:
    """Whether a client holding ``base``'s credentials (and scopes) meets ``revision``."""
    return all(name in base and scopes <= base[name] for name, scopes in revision.items())


def _scopes(base: Alternative, revision: Alternative) -> Change:
    if all(revision[k] <= base[k] for k in base):
        return W
    if all(base[k] <= revision[k] for k in base):
        return N
    return D


def _alt(alt: Alternative) -> str:
    if not alt:
        return "anonymous access"
    return " and ".join(f"{k}{'[' + ', '.join(sorted(v)) + ']' if v else ''}" for k, v in sorted(alt.items()))


def _scheme_summary(scheme: Any) -> str:
    """What a scheme is, in a few words: its type and everything a client needs to use it."""
    if not isinstance(scheme, dict):
        return "not a scheme"
    kind = str(scheme.get("type"))
    if kind == "apiKey":
        return f"apiKey {scheme.get('name')} in {scheme.get('in')}"
    if kind == "http":
        return f"http {scheme.get('scheme')}"
    if kind == "openIdConnect":
        return f"openIdConnect {scheme.get('openIdConnectUrl')}"
    if kind == "oauth2":
        flows: dict[str, Any] = scheme["flows"] if isinstance(scheme.get("flows"), dict) else {}
        parts = []
        for flow, raw in sorted(flows.items()):
            body: dict[str, Any] = raw if isinstance(raw, dict) else {}
            urls = " ".join(str(body[k]) for k in ("authorizationUrl", "tokenUrl", "refreshUrl") if k in body)
            scopes = ",".join(sorted(map(str, body.get("scopes") or {})))
            parts.append(f"{flow} {urls} [{scopes}]")
        return "oauth2 " + "; ".join(parts)
    return kind


def _scheme_differences(x: dict[str, Any], y: dict[str, Any]) -> list[tuple[str, Change]]:
    out: list[tuple[str, Change]] = []
    known = {"type", "description", "name", "in", "scheme", "bearerFormat", "flows", "openIdConnectUrl"}
    if x.get("type") != y.get("type"):
        return [("type", D)]
    if _clean(x.get("description")) != _clean(y.get("description")):
        out.append(("description", A))
    if x.get("in") != y.get("in"):
        out.append(("in", D))
    xn, yn = x.get("name"), y.get("name")
    if x.get("in") == "header" and isinstance(xn, str) and isinstance(yn, str):
        xn, yn = xn.lower(), yn.lower()
    if xn != yn:
        out.append(("name", D))
    if str(x.get("scheme", "")).lower() != str(y.get("scheme", "")).lower():
        out.append(("scheme", D))
    if x.get("bearerFormat") != y.get("bearerFormat"):
        out.append(("bearerFormat", A))
    if x.get("openIdConnectUrl") != y.get("openIdConnectUrl"):
        out.append(("openIdConnectUrl", D))
    fx: dict[str, Any] = x["flows"] if isinstance(x.get("flows"), dict) else {}
    fy: dict[str, Any] = y["flows"] if isinstance(y.get("flows"), dict) else {}
    for flow in sorted(set(fx) | set(fy)):
        a, b = fx.get(flow), fy.get(flow)
        if not isinstance(a, dict) or not isinstance(b, dict):
            out.append((f"flows.{flow}", D))
            continue
        for key in ("authorizationUrl", "tokenUrl", "refreshUrl"):
            if a.get(key) != b.get(key):
                out.append((f"flows.{flow}.{key}", D))
        if set(a.get("scopes") or {}) != set(b.get("scopes") or {}):
            out.append((f"flows.{flow}.scopes", DOC))
        elif canonical({k: _clean(v) for k, v in (a.get("scopes") or {}).items()}) != canonical(
            {k: _clean(v) for k, v in (b.get("scopes") or {}).items()}
        ):
            out.append((f"flows.{flow}.scopes (descriptions)", A))
    for key in sorted((set(x) | set(y)) - known):
        if not key.startswith("x-") and canonical(x.get(key)) != canonical(y.get(key)):
            out.append((key, D))
    return out


_STACK = 512 * 1024 * 1024  # bytes: schemas nested (or recursive) a hundred thousand levels deep
_DEPTH = 400_000


def compare_documents(docs: Documents) -> list[Finding]:
    """Every finding, in a thread with room to recurse: the comparison follows the schemas'
    own nesting, which a group of mutually recursive schemas makes as deep as the group."""
    outcome: list[list[Finding] | BaseException] = []

    def run() -> None:
        try:
            outcome.append(_Comparer(docs).run())
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller
            outcome.append(exc)

    limit = sys.getrecursionlimit()
    size = threading.stack_size()
    try:
        sys.setrecursionlimit(max(limit, _DEPTH))
        threading.stack_size(_STACK)
        worker = threading.Thread(target=run, name="codegen-drift")
        worker.start()
    finally:
        threading.stack_size(size)
    worker.join()
    sys.setrecursionlimit(limit)
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result
