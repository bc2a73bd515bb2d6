"""Two OpenAPI documents in, graded findings out: operations, parameters, bodies, responses,
headers, media types, security and document information."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from codegen.drift.compare_schema import SchemaComparer
from codegen.drift.findings import Context, Finding, Mode, Severity, Side, Sink
from codegen.drift.schema import SchemaIndex

__all__ = ["Documents", "compare_documents"]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_IGNORED_HEADERS = {"accept", "content-type", "authorization"}


def _path_key(path: str) -> str:
    return re.sub(r"\{[^}/]*\}", "{}", path)


def _esc(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _media_key(name: str) -> str:
    return name.split(";", maxsplit=1)[0].strip().lower()


@dataclass(frozen=True, slots=True)
class Documents:
    base: dict[str, Any]
    revision: dict[str, Any]
    mode: Mode
    auto_summaries: frozenset[str] = frozenset()  # revision pointers whose summary FastAPI invented
    auto_ids: frozenset[str] = frozenset()  # revision pointers whose operationId FastAPI invented


class _Doc:
    def __init__(self, document: dict[str, Any]) -> None:
        self.doc = document
        self.index = SchemaIndex(document)

    def deref(self, obj: Any) -> Any:
        for _ in range(32):
            if isinstance(obj, dict) and isinstance(obj.get("$ref"), str):
                obj, _ptr = self.index.resolve(obj["$ref"])
            else:
                break
        return obj

    def operations(self) -> dict[tuple[str, str], tuple[str, str, dict[str, Any], dict[str, Any]]]:
        """(method, path key) -> (path, pointer, operation, path item)."""
        found = {}
        for path, raw in (self.doc.get("paths") or {}).items():
            item = self.deref(raw)
            if not isinstance(item, dict):
                continue
            for method in METHODS:
                op = item.get(method)
                if isinstance(op, dict):
                    found[(method, _path_key(path))] = (path, f"/paths/{_esc(path)}/{method}", op, item)
        return found

    def parameters(
        self, op: dict[str, Any], item: dict[str, Any], pointer: str, path: str
    ) -> dict[tuple[str, str], tuple[dict[str, Any], str]]:
        """Parameters by (location, name); path parameters by their position in the template,
        since their names are not part of what goes over the wire."""
        result: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        positions = {name: str(i) for i, name in enumerate(re.findall(r"\{([^}/]*)\}", path))}
        base = pointer.rsplit("/", 1)[0]
        for owner, at in ((item, base), (op, pointer)):
            for i, raw in enumerate(owner.get("parameters") or ()):
                param = self.deref(raw)
                if not isinstance(param, dict) or not isinstance(param.get("name"), str):
                    continue
                where = str(param.get("in"))
                name = param["name"].lower() if where == "header" else param["name"]
                if where == "header" and name in _IGNORED_HEADERS:
                    continue
                if where == "path":
                    name = "#" + positions.get(name, name)
                result[(where, name)] = (param, f"{at}/parameters/{i}")
        return result

    def security(self, op: dict[str, Any]) -> list[dict[str, Any]] | None:
        raw = op.get("security", self.doc.get("security"))
        return raw if isinstance(raw, list) and raw else None

    def scheme_identity(self, name: str) -> str:
        schemes = (self.doc.get("components") or {}).get("securitySchemes") or {}
        scheme = self.deref(schemes.get(name))
        if not isinstance(scheme, dict):
            return f"unknown:{name}"
        kind = scheme.get("type")
        if kind == "http":
            return f"http:{str(scheme.get('scheme', '')).lower()}"
        if kind == "apiKey":
            return f"apiKey:{scheme.get('in')}:{str(scheme.get('name', '')).lower()}"
        if kind == "oauth2":
            flows = scheme.get("flows") or {}
            return "oauth2:" + ",".join(sorted(flows)) if isinstance(flows, dict) else "oauth2"
        if kind == "openIdConnect":
            return f"openIdConnect:{scheme.get('openIdConnectUrl')}"
        return str(kind)


class _Comparer:
    def __init__(self, docs: Documents) -> None:
        self.docs = docs
        self.a = _Doc(docs.base)
        self.b = _Doc(docs.revision)
        self.sink = Sink()
        self.schemas = SchemaComparer(self.sink)

    def add(
        self, rule: str, severity: Severity, message: str, where: str, op: str | None, a_ptr: str, b_ptr: str
    ) -> None:
        self.sink.add(Finding(rule, severity, message, where, op, Side(a_ptr), Side(b_ptr)))

    def run(self) -> list[Finding]:
        self.info()
        a_ops, b_ops = self.a.operations(), self.b.operations()
        for key in sorted(set(a_ops) | set(b_ops)):
            method, _ = key
            if key not in b_ops:
                path, ptr, _op, _item = a_ops[key]
                label = f"{method.upper()} {path}"
                self.add(
                    "operation.missing", Severity.BREAKING, f"{label} is not in the revision", label, label, ptr, ""
                )
            elif key not in a_ops:
                path, ptr, _op, _item = b_ops[key]
                label = f"{method.upper()} {path}"
                self.add("operation.added", Severity.WARNING, f"{label} is not in the base", label, label, "", ptr)
            else:
                self.operation(a_ops[key], b_ops[key], method)
        return self.sink.findings

    # -- document level

    def info(self) -> None:
        a_info, b_info = self.a.doc.get("info") or {}, self.b.doc.get("info") or {}
        for key in ("title", "version", "summary", "description", "termsOfService", "contact", "license"):
            if _clean(a_info.get(key)) != _clean(b_info.get(key)):
                self.add(
                    "info.changed",
                    Severity.INFO,
                    f"info.{key} differs",
                    f"info.{key}",
                    None,
                    f"/info/{key}",
                    f"/info/{key}",
                )
        servers = [{k: v for k, v in s.items() if k != "description"} for s in self.a.doc.get("servers") or []]
        other = [{k: v for k, v in s.items() if k != "description"} for s in self.b.doc.get("servers") or []]
        if servers != other and not (not servers and other == [{"url": "/"}]):
            self.add("servers.changed", Severity.INFO, "the servers differ", "servers", None, "/servers", "/servers")
        a_tags = {
            t.get("name"): _clean(t.get("description")) for t in self.a.doc.get("tags") or [] if isinstance(t, dict)
        }
        b_tags = {
            t.get("name"): _clean(t.get("description")) for t in self.b.doc.get("tags") or [] if isinstance(t, dict)
        }
        if a_tags != b_tags:
            self.add("tags.changed", Severity.INFO, "tag metadata differs", "tags", None, "/tags", "/tags")

    # -- operations

    def operation(
        self,
        a: tuple[str, str, dict[str, Any], dict[str, Any]],
        b: tuple[str, str, dict[str, Any], dict[str, Any]],
        method: str,
    ) -> None:
        a_path, a_ptr, a_op, a_item = a
        b_path, b_ptr, b_op, b_item = b
        label = f"{method.upper()} {a_path}"
        ctx = Context(self.docs.mode, "request", label, label)
        self.metadata(a_op, b_op, label, a_ptr, b_ptr)
        self.parameters(
            self.a.parameters(a_op, a_item, a_ptr, a_path), self.b.parameters(b_op, b_item, b_ptr, b_path), ctx
        )
        self.request_body(a_op.get("requestBody"), b_op.get("requestBody"), ctx, a_ptr, b_ptr)
        self.responses(a_op.get("responses") or {}, b_op.get("responses") or {}, label, a_ptr, b_ptr)
        self.security(a_op, b_op, label, a_ptr, b_ptr)

    def metadata(self, a: dict[str, Any], b: dict[str, Any], label: str, a_ptr: str, b_ptr: str) -> None:
        a_id, b_id = a.get("operationId"), b.get("operationId")
        if b_ptr in self.docs.auto_ids and a_id is None:
            b_id = None
        if a_id != b_id:
            self.add(
                "operation.id",
                Severity.BREAKING,
                f"operationId {a_id!r} in the base, {b_id!r} in the revision",
                label,
                label,
                f"{a_ptr}/operationId",
                f"{b_ptr}/operationId",
            )
        b_summary = None if b_ptr in self.docs.auto_summaries else b.get("summary")
        for key, a_value, b_value in (
            ("summary", a.get("summary"), b_summary),
            ("description", a.get("description"), b.get("description")),
        ):
            if _clean(a_value) != _clean(b_value):
                self.add(
                    f"operation.{key}",
                    Severity.INFO,
                    f"the {key} differs",
                    label,
                    label,
                    f"{a_ptr}/{key}",
                    f"{b_ptr}/{key}",
                )
        if list(a.get("tags") or []) != list(b.get("tags") or []):
            self.add(
                "operation.tags",
                Severity.INFO,
                f"tags {a.get('tags') or []} in the base, {b.get('tags') or []} in the revision",
                label,
                label,
                f"{a_ptr}/tags",
                f"{b_ptr}/tags",
            )
        if bool(a.get("deprecated")) != bool(b.get("deprecated")):
            self.add(
                "operation.deprecated",
                Severity.INFO,
                f"deprecated {bool(a.get('deprecated'))} in the base, {bool(b.get('deprecated'))} in the revision",
                label,
                label,
                a_ptr,
                b_ptr,
            )

    def parameters(
        self,
        a: dict[tuple[str, str], tuple[dict[str, Any], str]],
        b: dict[tuple[str, str], tuple[dict[str, Any], str]],
        ctx: Context,
    ) -> None:
        for key in sorted(set(a) | set(b)):
            where, _name = key
            label = f"{where} parameter {a[key][0]['name'] if key in a else b[key][0]['name']!r}"
            step = ctx.at(label)
            if key not in b:
                param, ptr = a[key]
                severity = Severity.WARNING if self.docs.mode is Mode.DRIFT else Severity.BREAKING
                self.add(
                    "parameter.missing",
                    severity,
                    f"the revision does not read the {label}",
                    step.where,
                    ctx.operation,
                    ptr,
                    "",
                )
                continue
            if key not in a:
                param, ptr = b[key]
                required = param.get("required") is True
                self.add(
                    "parameter.added",
                    Severity.BREAKING if required else Severity.INFO,
                    f"the revision reads the {label}" + (", and requires it" if required else ""),
                    step.where,
                    ctx.operation,
                    "",
                    ptr,
                )
                continue
            (pa, a_ptr), (pb, b_ptr) = a[key], b[key]
            ra, rb = pa.get("required") is True or where == "path", pb.get("required") is True or where == "path"
            if ra != rb:
                self.add(
                    "parameter.required",
                    step.grade(ra),
                    f"the {label} is {'required' if rb else 'optional'} in the revision",
                    step.where,
                    ctx.operation,
                    a_ptr,
                    b_ptr,
                )
            if _style(pa) != _style(pb):
                self.add(
                    "parameter.style",
                    Severity.INFO,
                    f"style/explode {_style(pa)} in the base, {_style(pb)} in the revision",
                    step.where,
                    ctx.operation,
                    a_ptr,
                    b_ptr,
                )
            if bool(pa.get("deprecated")) != bool(pb.get("deprecated")):
                self.add(
                    "parameter.deprecated",
                    Severity.INFO,
                    f"the {label} is deprecated in one only",
                    step.where,
                    ctx.operation,
                    a_ptr,
                    b_ptr,
                )
            if _clean(pa.get("description")) != _clean(pb.get("description")):
                self.add(
                    "parameter.description",
                    Severity.INFO,
                    "the description differs",
                    step.where,
                    ctx.operation,
                    a_ptr,
                    b_ptr,
                )
            sa, sb = pa.get("schema"), pb.get("schema")
            if sa is not None or sb is not None:
                self.schemas.compare(
                    self.a.index.node(sa or {}, f"{a_ptr}/schema"), self.b.index.node(sb or {}, f"{b_ptr}/schema"), step
                )

    def content(self, a: dict[str, Any], b: dict[str, Any], ctx: Context, a_ptr: str, b_ptr: str, kind: str) -> None:
        a_map = {_media_key(k): (k, v) for k, v in (a or {}).items()}
        b_map = {_media_key(k): (k, v) for k, v in (b or {}).items()}
        for key in sorted(set(a_map) | set(b_map)):
            if key not in b_map:
                self.add(
                    f"{kind}.media-type-missing",
                    Severity.BREAKING,
                    f"the revision does not {'accept' if kind == 'request-body' else 'send'} {key}",
                    ctx.where,
                    ctx.operation,
                    f"{a_ptr}/content/{_esc(a_map[key][0])}",
                    "",
                )
                continue
            if key not in a_map:
                severity = Severity.INFO if kind == "request-body" else Severity.BREAKING
                self.add(
                    f"{kind}.media-type-added",
                    severity,
                    f"the revision may {'accept' if kind == 'request-body' else 'send'} {key}",
                    ctx.where,
                    ctx.operation,
                    "",
                    f"{b_ptr}/content/{_esc(b_map[key][0])}",
                )
                continue
            (ak, av), (bk, bv) = a_map[key], b_map[key]
            sa = av.get("schema") if isinstance(av, dict) else None
            sb = bv.get("schema") if isinstance(bv, dict) else None
            if sa is None and sb is None:
                continue
            na = self.a.index.node(sa or {}, f"{a_ptr}/content/{_esc(ak)}/schema")
            nb = self.b.index.node(sb or {}, f"{b_ptr}/content/{_esc(bk)}/schema")
            if not _is_json(key):
                continue  # a raw body: the schema only says "bytes" or "text"
            self.schemas.compare(na, nb, ctx.at(key))

    def request_body(self, a: Any, b: Any, ctx: Context, a_ptr: str, b_ptr: str) -> None:
        a, b = self.a.deref(a), self.b.deref(b)
        if not isinstance(a, dict) and not isinstance(b, dict):
            return
        step = ctx.at("request body")
        if not isinstance(b, dict):
            self.add(
                "request-body.missing",
                Severity.WARNING,
                "the revision takes no request body",
                step.where,
                ctx.operation,
                f"{a_ptr}/requestBody",
                "",
            )
            return
        if not isinstance(a, dict):
            self.add(
                "request-body.added",
                Severity.BREAKING if b.get("required") else Severity.INFO,
                "the revision takes a request body",
                step.where,
                ctx.operation,
                "",
                f"{b_ptr}/requestBody",
            )
            return
        ra, rb = a.get("required") is True, b.get("required") is True
        if ra != rb:
            self.add(
                "request-body.required",
                step.grade(ra),
                f"the request body is {'required' if rb else 'optional'} in the revision",
                step.where,
                ctx.operation,
                f"{a_ptr}/requestBody",
                f"{b_ptr}/requestBody",
            )
        self.content(
            a.get("content") or {},
            b.get("content") or {},
            step,
            f"{a_ptr}/requestBody",
            f"{b_ptr}/requestBody",
            "request-body",
        )

    def responses(self, a: dict[str, Any], b: dict[str, Any], label: str, a_ptr: str, b_ptr: str) -> None:
        a_map = {_status(k): k for k in a}
        b_map = {_status(k): k for k in b}
        for status in sorted(set(a_map) | set(b_map)):
            ctx = Context(self.docs.mode, "response", f"{label} › response {status}", label)
            if status not in b_map:
                success = status.startswith("2")
                self.add(
                    "response.missing",
                    Severity.BREAKING if success else Severity.WARNING,
                    f"response {status} is not documented by the revision",
                    ctx.where,
                    label,
                    f"{a_ptr}/responses/{_esc(a_map[status])}",
                    "",
                )
                continue
            b_resp = self.b.deref(b[b_map[status]])
            if status not in a_map:
                if (
                    status == "200"
                    and not any(k[0].isdigit() and "X" not in k for k in a_map)
                    and self.docs.mode is Mode.DRIFT
                ):
                    self.add(
                        "response.fastapi-status",
                        Severity.INFO,
                        "the spec gives no fixed status code; FastAPI documents its route's own (200)",
                        ctx.where,
                        label,
                        a_ptr,
                        f"{b_ptr}/responses/200",
                    )
                elif status == "422" and _is_fastapi_validation(b_resp, self.b):
                    self.add(
                        "response.validation-422",
                        Severity.INFO,
                        "FastAPI documents its automatic 422 validation error, which the spec does not declare",
                        ctx.where,
                        label,
                        a_ptr,
                        f"{b_ptr}/responses/422",
                    )
                else:
                    self.add(
                        "response.added",
                        Severity.WARNING,
                        f"the revision documents response {status}, which the base does not",
                        ctx.where,
                        label,
                        "",
                        f"{b_ptr}/responses/{_esc(b_map[status])}",
                    )
                continue
            a_resp = self.a.deref(a[a_map[status]])
            ra_ptr, rb_ptr = f"{a_ptr}/responses/{_esc(a_map[status])}", f"{b_ptr}/responses/{_esc(b_map[status])}"
            if not isinstance(a_resp, dict) or not isinstance(b_resp, dict):
                continue
            if _clean(a_resp.get("description")) != _clean(b_resp.get("description")):
                self.add(
                    "response.description", Severity.INFO, "the description differs", ctx.where, label, ra_ptr, rb_ptr
                )
            a_content, b_content = a_resp.get("content") or {}, b_resp.get("content") or {}
            if _no_body_status(status) and bool(a_content) != bool(b_content):
                self.add(
                    "response.body-not-allowed",
                    Severity.INFO,
                    f"HTTP allows no body in a {status} response; the content declared for it is never sent",
                    ctx.where,
                    label,
                    f"{ra_ptr}/content" if a_content else ra_ptr,
                    f"{rb_ptr}/content" if b_content else rb_ptr,
                )
                a_content = b_content = {}
            self.content(a_content, b_content, ctx, ra_ptr, rb_ptr, "response")
            self.headers(a_resp.get("headers") or {}, b_resp.get("headers") or {}, ctx, ra_ptr, rb_ptr)

    def headers(self, a: dict[str, Any], b: dict[str, Any], ctx: Context, a_ptr: str, b_ptr: str) -> None:
        a_map = {k.lower(): k for k in a if k.lower() != "content-type"}
        b_map = {k.lower(): k for k in b if k.lower() != "content-type"}
        for key in sorted(set(a_map) | set(b_map)):
            step = ctx.at(f"header {key}")
            if key not in b_map:
                required = (
                    isinstance(self.a.deref(a[a_map[key]]), dict)
                    and self.a.deref(a[a_map[key]]).get("required") is True
                )
                self.add(
                    "response.header-missing",
                    Severity.BREAKING if required else Severity.WARNING,
                    f"the revision does not send header {a_map[key]}",
                    step.where,
                    ctx.operation,
                    f"{a_ptr}/headers/{_esc(a_map[key])}",
                    "",
                )
                continue
            if key not in a_map:
                self.add(
                    "response.header-added",
                    Severity.INFO,
                    f"the revision sends header {b_map[key]}",
                    step.where,
                    ctx.operation,
                    "",
                    f"{b_ptr}/headers/{_esc(b_map[key])}",
                )
                continue
            ha, hb = self.a.deref(a[a_map[key]]), self.b.deref(b[b_map[key]])
            if not isinstance(ha, dict) or not isinstance(hb, dict):
                continue
            ra, rb = ha.get("required") is True, hb.get("required") is True
            if ra != rb:
                self.add(
                    "response.header-required",
                    step.grade(not rb),
                    f"header {a_map[key]} is {'required' if rb else 'optional'} in the revision",
                    step.where,
                    ctx.operation,
                    f"{a_ptr}/headers/{_esc(a_map[key])}",
                    f"{b_ptr}/headers/{_esc(b_map[key])}",
                )
            pa, pb = f"{a_ptr}/headers/{_esc(a_map[key])}/schema", f"{b_ptr}/headers/{_esc(b_map[key])}/schema"
            self.schemas.compare(
                self.a.index.node(ha.get("schema") or {}, pa), self.b.index.node(hb.get("schema") or {}, pb), step
            )

    def security(self, a: dict[str, Any], b: dict[str, Any], label: str, a_ptr: str, b_ptr: str) -> None:
        a_reqs, b_reqs = self._requirements(self.a, a), self._requirements(self.b, b)
        a_alts, b_alts = _alternatives(a_reqs), _alternatives(b_reqs)
        if a_alts == b_alts:
            return
        where = f"{label} › security"
        if self.docs.mode is Mode.DRIFT and _alternatives(_fastapi_view(a_reqs)) == b_alts:
            # The app says what FastAPI can say of these requirements; the difference is FastAPI's.
            self.add(
                "security.inexpressible", Severity.INFO,
                "FastAPI documents each scheme as an alternative of its own, with scopes merged; "
                "it cannot say that several schemes are needed at once, or one scheme with other scopes",
                where, label, f"{a_ptr}/security", f"{b_ptr}/security",
            )  # fmt: skip
            return
        if not a_alts:
            self.add(
                "security.added",
                Severity.BREAKING,
                "the revision requires credentials",
                where,
                label,
                a_ptr,
                f"{b_ptr}/security",
            )
            return
        if not b_alts:
            self.add(
                "security.removed",
                Severity.WARNING,
                "the revision requires no credentials",
                where,
                label,
                f"{a_ptr}/security",
                b_ptr,
            )
            return
        for alt in sorted(a_alts - b_alts, key=sorted):
            text = " and ".join(sorted(alt)) or "anonymous access"
            self.add(
                "security.alternative-missing",
                Severity.BREAKING,
                f"the revision does not accept {text}",
                where,
                label,
                f"{a_ptr}/security",
                f"{b_ptr}/security",
            )
        for alt in sorted(b_alts - a_alts, key=sorted):
            text = " and ".join(sorted(alt)) or "anonymous access"
            self.add(
                "security.alternative-added",
                Severity.INFO,
                f"the revision also accepts {text}",
                where,
                label,
                f"{a_ptr}/security",
                f"{b_ptr}/security",
            )

    def _requirements(self, doc: _Doc, op: dict[str, Any]) -> list[dict[str, frozenset[str]]]:
        """Each alternative as {scheme identity: scopes}; [] when nothing is required."""
        raw = doc.security(op)
        if raw is None:
            return []
        result = []
        for req in raw:
            if isinstance(req, dict):
                result.append(
                    {
                        doc.scheme_identity(name): frozenset(map(str, scopes))
                        if isinstance(scopes, list)
                        else frozenset()
                        for name, scopes in req.items()
                    }
                )
        return result


def _alternatives(reqs: list[dict[str, frozenset[str]]]) -> frozenset[frozenset[str]]:
    return frozenset(
        frozenset(scheme + (f"[{','.join(sorted(scopes))}]" if scopes else "") for scheme, scopes in req.items())
        for req in reqs
    )


def _fastapi_view(reqs: list[dict[str, frozenset[str]]]) -> list[dict[str, frozenset[str]]]:
    """What FastAPI documents for an app enforcing ``reqs``: one alternative per scheme, with
    the scopes of every alternative using it; an anonymous alternative stays as it is."""
    merged: dict[str, set[str]] = {}
    anonymous = False
    for req in reqs:
        anonymous = anonymous or not req
        for scheme, scopes in req.items():
            merged.setdefault(scheme, set()).update(scopes)
    view: list[dict[str, frozenset[str]]] = [{scheme: frozenset(scopes)} for scheme, scopes in merged.items()]
    return [*view, {}] if anonymous else view


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.split())
    return value


def _style(param: dict[str, Any]) -> tuple[str, bool]:
    where = param.get("in")
    default = "simple" if where in ("path", "header") else "form"
    style = param.get("style", default)
    explode = param.get("explode", style == "form")
    return (str(style), bool(explode))


def _no_body_status(status: str) -> bool:
    """1xx, 204 and 304 responses have no body (RFC 9110)."""
    return status in ("204", "304") or (len(status) == 3 and status.startswith("1") and status.isdigit())


def _status(key: Any) -> str:
    text = str(key)
    return text.upper() if text.upper().endswith("XX") else text.lower()


def _is_json(media: str) -> bool:
    return (
        media == "application/json"
        or media.endswith("+json")
        or media in ("*/*", "text/json")
        or (media.startswith(("application/x-www-form-urlencoded", "multipart/")))
    )


def _is_fastapi_validation(response: Any, doc: _Doc) -> bool:
    if not isinstance(response, dict):
        return False
    schema = ((response.get("content") or {}).get("application/json") or {}).get("schema") or {}
    return isinstance(schema, dict) and str(schema.get("$ref", "")).endswith("/HTTPValidationError")


def compare_documents(docs: Documents) -> list[Finding]:
    return _Comparer(docs).run()
