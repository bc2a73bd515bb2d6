"""Code snippets for one operation, used by the router and interface templates.

Each function takes IR and returns Python source text; the templates only arrange them.
"""

from __future__ import annotations

from dataclasses import dataclass

from codegen import ir
from codegen.render.code import pystr

__all__ = [
    "body_parameters",
    "call_arguments",
    "interface_parameters",
    "param_annotation",
    "primary_is_json",
    "response_class",
    "response_entries",
    "result_union",
    "route_keywords",
    "styled",
]

_PARAM_CLASS = {"path": "Path", "query": "Query", "header": "Header", "cookie": "Cookie"}


def primary_is_json(op: ir.Operation) -> bool:
    media = op.primary.media if op.primary else None
    return media is not None and media.kind == "json" and media.type is not None


def route_json_media(op: ir.Operation) -> str:
    """The media type FastAPI documents every ``"model"`` response of the route under: its
    response class's (the primary response's, when that is JSON)."""
    if primary_is_json(op):
        assert op.primary is not None and op.primary.media is not None
        return op.primary.media.name
    return "application/json"


def auth_type(op: ir.Operation, schemes: dict[str, ir.SecurityScheme]) -> str | None:
    if not op.security:
        return None
    kinds: list[str] = []
    for name in op.security_schemes:
        kind = credential_class(schemes[name])
        if kind not in kinds:
            kinds.append(kind)
    union = " | ".join(f"rt.{k}" for k in kinds)
    return f"{union} | None" if op.optional_security else union


def credential_class(scheme: ir.SecurityScheme) -> str:
    if scheme.kind == "http":
        return "BasicCredentials" if scheme.scheme == "basic" else "BearerCredentials"
    if scheme.kind == "apiKey":
        return "ApiKeyCredentials"
    if scheme.kind == "oauth2":
        return "OAuth2Credentials"
    return "OpenIdCredentials"


def param_annotation(p: ir.Parameter) -> str:
    """``name: Annotated[T, Query(...)] = default`` for a route function."""
    args = [f"alias={pystr(p.wire_name)}"]
    if p.location == "header":
        args.append("convert_underscores=False")
    args.extend(f"{k}={v}" for k, v in p.constraints)
    if p.description:
        args.append(f"description={pystr(p.description)}")
    if p.deprecated:
        args.append("deprecated=True")
    marker = f"{_PARAM_CLASS[p.location]}({', '.join(args)})"
    if p.required:
        return f"{p.python_name}: Annotated[{p.type.code}, {marker}]"
    if p.default is not None:
        return f"{p.python_name}: Annotated[{p.type.code}, {marker}] = {p.default}"
    return f"{p.python_name}: Annotated[{p.type.code} | MISSING, {marker}] = MISSING"


def body_parameters(body: ir.Body | None) -> list[str]:
    if body is None:
        return []
    media = body.media
    if media.kind in ("form", "multipart") and media.fields:
        lines = []
        for f in media.fields:
            marker = "File" if f.is_file else "Form"
            file_type = "list[UploadFile]" if f.is_list else "UploadFile"
            type_code = file_type if f.is_file else f.type.code
            args = [f"alias={pystr(f.name)}", *(f"{k}={v}" for k, v in f.constraints)]
            if f.description:
                args.append(f"description={pystr(f.description)}")
            call = f"{marker}({', '.join(args)})"
            if f.required:
                lines.append(f"{f.python_name}: Annotated[{type_code}, {call}]")
            elif f.default is not None:
                lines.append(f"{f.python_name}: Annotated[{type_code}, {call}] = {f.default}")
            else:
                lines.append(f"{f.python_name}: Annotated[{type_code} | MISSING, {call}] = MISSING")
        return lines
    type_code = media.type.code if media.type is not None else "Any"
    marker = f"Body(media_type={pystr(media.name)})"
    if media.kind in ("form", "multipart"):
        marker = f"Form(media_type={pystr(media.name)})"
    if body.required:
        return [f"body: Annotated[{type_code}, {marker}]"]
    return [f"body: Annotated[{type_code} | MISSING, {marker}] = MISSING"]


def interface_parameters(op: ir.Operation, schemes: dict[str, ir.SecurityScheme]) -> list[str]:
    """Keyword-only parameters of the interface method: what the implementation receives."""
    lines = []
    for p in op.parameters:
        absent = not p.required and p.default is None
        lines.append(f"{p.python_name}: {p.type.code}{' | None' if absent else ''}")
    if op.body is not None:
        type_code = op.body.media.type.code if op.body.media.type is not None else "Any"
        lines.append(f"body: {type_code}{'' if op.body.required else ' | None'}")
    auth = auth_type(op, schemes)
    if auth is not None:
        lines.append(f"auth: {auth}")
    return lines


def call_arguments(op: ir.Operation) -> list[str]:
    """Keyword arguments passing the route's values to the implementation."""
    args = []
    for p in op.parameters:
        if not p.required and p.default is None:
            args.append(f"{p.python_name}=None if {p.python_name} is MISSING else {p.python_name}")
        else:
            args.append(f"{p.python_name}={p.python_name}")
    if op.body is not None:
        if op.body.media.fields or op.body.required:
            args.append("body=body")
        else:
            args.append("body=None if body is MISSING else body")
    if op.security:
        args.append("auth=auth")
    return args


def form_body(op: ir.Operation) -> str | None:
    """An expression building the body model from form fields, for form and multipart bodies."""
    body = op.body
    if body is None or not body.media.fields or body.media.type is None:
        return None
    items = []
    for f in body.media.fields:
        value = f.python_name
        if f.is_file:
            value = f"[await item.read() for item in {f.python_name}]" if f.is_list else f"await {f.python_name}.read()"
            if not f.required:
                value = f"MISSING if {f.python_name} is MISSING else {value}"
        items.append(f"{pystr(f.name)}: {value}")
    payload = "{" + ", ".join(items) + "}"
    return f"rt.form_model({body.media.type.code}, {payload})"


def response_class(op: ir.Operation) -> str | None:
    """``response_class=`` when the primary response is not plain JSON."""
    media = op.primary.media if op.primary else None
    if media is None or media.kind != "json" or media.type is None:
        return "Response"
    if media.name != "application/json":
        return f"rt.json_response({pystr(media.name)})"
    return None


def _headers_doc(response: ir.Response) -> str | None:
    if not response.headers:
        return None
    items = ", ".join(
        f"({pystr(h.name)}, {h.type.code}, {h.required}, {pystr(h.description) if h.description else None})"
        for h in response.headers
    )
    return f"rt.headers_doc({items})"


def response_entries(op: ir.Operation) -> list[str]:
    """``responses={...}`` entries: every response but the primary, plus the primary's extras."""
    entries = []
    route_media = route_json_media(op)
    for index, r in enumerate(op.responses):
        if r.variant:
            continue
        parts = []
        is_primary = r is op.primary
        media = r.media
        variants = []
        for later in op.responses[index + 1 :]:
            if not later.variant:
                break
            if later.media is not None:
                variants.append(_content(later.media))
        if not is_primary:
            parts.append(f'"description": {pystr(r.description)}')
            if media is not None and media.kind == "json" and media.type is not None:
                if media.name == route_media:
                    parts.append(f'"model": {media.type.code}')
                else:
                    # FastAPI would file a model under the route's media type; described instead
                    variants.insert(0, _content(media))
        if media is not None and media.kind == "xml" and media.type is not None:
            entries_ = ", ".join(f"**{_content(media.with_name(n))}" for n in (media.name, *media.also))
            parts.append('"content": {' + entries_ + "}")
        elif media is not None and (media.kind != "json" or media.type is None):
            type_code = media.type.code if media.type is not None else "str"
            names = ", ".join(pystr(n) for n in (media.name, *media.also))
            parts.append(f'"content": rt.content_doc({names}, {type_code})')
        elif media is not None and media.also and media.type is not None:
            # the same body under more JSON media types, which the app really sends on request
            variants.insert(0, f"rt.json_content({_tuple(media.also)}, {media.type.code})")
        if variants:
            # other media types with bodies of their own, each a result class of its own
            merged = ", ".join(f"**{v}" for v in variants)
            if any(p.startswith('"content"') for p in parts):
                parts = [
                    p
                    if not p.startswith('"content"')
                    else p.replace('"content": ', '"content": {**', 1) + ", " + merged + "}"
                    for p in parts
                ]
            else:
                parts.append('"content": {' + merged + "}")
        headers = _headers_doc(r)
        if headers is not None:
            parts.append(f'"headers": {headers}')
        if parts:
            key = str(r.fixed_status) if r.fixed_status is not None else pystr(r.status)
            entries.append(f"{key}: {{{', '.join(parts)}}}")
    return entries


def _content(media: ir.MediaType) -> str:
    type_code = media.type.code if media.type is not None else "str"
    if media.kind in ("json", "xml"):
        return f"rt.inline_content({pystr(media.name)}, {type_code})"
    return f"rt.content_doc({pystr(media.name)}, {type_code})"


def route_keywords(op: ir.Operation) -> list[str]:
    kw = []
    if op.operation_id is not None:
        kw.append(f"operation_id={pystr(op.operation_id)}")
    kw.append(f"name={pystr(op.python_name)}")
    if op.summary:
        kw.append(f"summary={pystr(op.summary)}")
    if op.description:
        kw.append(f"description={pystr(op.description)}")
    if op.tags:
        kw.append(f"tags=[{', '.join(pystr(t) for t in op.tags)}]")
    if op.deprecated:
        kw.append("deprecated=True")
    if op.primary is not None:
        kw.append(f"status_code={op.primary.fixed_status}")
        kw.append(f"response_description={pystr(op.primary.description)}")
        if primary_is_json(op):
            assert op.primary.media is not None and op.primary.media.type is not None
            kw.append(f"response_model={op.primary.media.type.code}")
    else:
        kw.append("response_model=None")
    cls = response_class(op)
    if cls is not None:
        kw.append(f"response_class={cls}")
    entries = response_entries(op)
    if entries:
        kw.append("responses={" + ", ".join(entries) + "}")
    extra = []
    if op.optional_security and op.security:
        # The dependency really lets anonymous requests through; FastAPI has no other way to say it.
        extra.append('"security": [{}]')
    body = op.body.media if op.body is not None else None
    if body is not None and body.also:
        # FastAPI parses every JSON (and raw) media type alike, but documents one per body.
        if body.kind == "json" and body.type is not None:
            content = f"rt.json_content({_tuple(body.also)}, {body.type.code})"
        else:
            content = (
                f"rt.content_doc({', '.join(pystr(n) for n in body.also)}, {body.type.code if body.type else 'str'})"
            )
        extra.append(f'"requestBody": {{"content": {content}}}')
    if extra:
        kw.append("openapi_extra={" + ", ".join(extra) + "}")
    return kw


def negotiates(op: ir.Operation) -> bool:
    """Whether some response has several media types, chosen by the Accept header."""
    return any(r.media is not None and r.media.also for r in op.responses)


def _tuple(names: tuple[str, ...]) -> str:
    return "(" + ", ".join(pystr(n) for n in names) + ("," if len(names) == 1 else "") + ")"


def styled(op: ir.Operation) -> list[str]:
    result = []
    for p in op.parameters:
        if p.native:
            continue
        args = [pystr(p.location), pystr(p.wire_name), pystr(p.style), str(p.explode)]
        if p.properties is not None:
            args.append(_tuple(p.properties) if p.properties else "()")
        result.append(f"rt.Styled({', '.join(args)})")
    return result


@dataclass(frozen=True, slots=True)
class ResultField:
    name: str
    type: str
    optional: bool = False  # a parameter defaulting to None, which stands for ``type()``

    @property
    def parameter(self) -> str:
        return f"{self.name}: {self.type} | None = None" if self.optional else f"{self.name}: {self.type}"

    @property
    def value(self) -> str:
        return f"{self.type}() if {self.name} is None else {self.name}" if self.optional else self.name


def result_fields(r: ir.Response) -> list[ResultField]:
    """The attributes of a result class: its status (for ranges and ``default``), its body,
    its headers (defaulting to none when none is required)."""
    fields = []
    if r.fixed_status is None:
        fields.append(ResultField("status_code", "int"))
    if r.media is not None and r.media.type is not None:
        fields.append(ResultField("body", r.media.type.code))
    if r.headers:
        optional = not any(h.required for h in r.headers)
        cls = f"{r.class_name}Headers"
        fields.append(ResultField("headers", cls, optional))
    return sorted(fields, key=lambda f: f.name)


def result_union(op: ir.Operation) -> str:
    names = [r.class_name for r in op.responses]
    primary = op.primary
    if (
        primary is not None
        and primary.media is not None
        and primary.media.type is not None
        and not any(h.required for h in primary.headers)
    ):
        names.append(primary.media.type.code)
    if not names:
        names.append("None")
    return " | ".join(names)


def error_model(op: ir.Operation) -> str | None:
    """The spec's response for an invalid request: 400, 422, then 4XX, then default."""
    by_status = {r.status: r for r in op.responses if not r.variant}
    for status, code in (("400", 400), ("422", 422), ("4XX", 400), ("default", 400)):
        r = by_status.get(status)
        if r is not None:
            media = r.media
            if media is not None and media.kind == "json" and media.type is not None:
                also = f", {_tuple(media.also)}" if media.also else ""
                return f"rt.ErrorModel({code}, {media.type.code}, {pystr(media.name)}{also})"
            return f"rt.ErrorModel({code}, None)"
    return None
