"""One operation as data for the router and interface templates: the route's keyword arguments,
its parameters, its responses' documentation, its result specs and error models.

Everything here returns values (:mod:`codegen.ir` types and calls, dicts and lists of them,
:class:`~codegen.render.pysource.Param`); the templates arrange them and
:func:`~codegen.render.pysource.expr` writes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from codegen import ir
from codegen.render.pysource import NO_DEFAULT, Param, Splat

__all__ = [
    "auth_type",
    "body_params",
    "error_model",
    "form_fields",
    "interface_params",
    "negotiates",
    "primary_is_json",
    "result_fields",
    "result_spec",
    "result_union",
    "route_keywords",
    "route_params",
    "styled",
    "unauthenticated_model",
]

_PARAM_CLASS = {"path": "Path", "query": "Query", "header": "Header", "cookie": "Cookie"}


def _fastapi(name: str) -> ir.Named:
    return ir.Named("fastapi", name)


def _rt(name: str, *args: Any, **kwargs: Any) -> ir.Call:
    return ir.Call(ir.Named("rt", name), args, tuple(kwargs.items()))


def primary_is_json(op: ir.Operation) -> bool:
    media = op.primary.media if op.primary else None
    return media is not None and media.kind == "json" and media.type is not None


def _route_json_media(op: ir.Operation) -> str:
    """The media type FastAPI documents every ``"model"`` response of the route under: its
    response class's (the primary response's, when that is JSON)."""
    if primary_is_json(op):
        assert op.primary is not None and op.primary.media is not None
        return op.primary.media.name
    return "application/json"


def negotiates(op: ir.Operation) -> bool:
    """Whether some response has several media types, chosen by the Accept header."""
    return any(r.media is not None and r.media.also for r in op.responses)


# --------------------------------------------------------------------------- credentials


def credential_class(scheme: ir.SecurityScheme) -> str:
    if scheme.kind == "http":
        return "BasicCredentials" if scheme.scheme == "basic" else "BearerCredentials"
    if scheme.kind == "apiKey":
        return "ApiKeyCredentials"
    if scheme.kind == "oauth2":
        return "OAuth2Credentials"
    return "OpenIdCredentials"


def auth_type(op: ir.Operation, schemes: dict[str, ir.SecurityScheme]) -> ir.Type | None:
    if not op.security:
        return None
    kinds: list[ir.Type] = []
    for name in op.security_schemes:
        kind = ir.Named("rt", credential_class(schemes[name]))
        if kind not in kinds:
            kinds.append(kind)
    union = ir.union(*kinds)
    return ir.union(union, ir.NONE) if op.optional_security else union


# --------------------------------------------------------------------------- parameters


def _marker(cls: str, kwargs: list[tuple[str, Any]]) -> ir.Call:
    return ir.Call(_fastapi(cls), (), tuple(kwargs))


def _param(p: ir.Parameter) -> Param:
    """``name: Annotated[T, Query(...)] = default`` of a route function."""
    kwargs: list[tuple[str, Any]] = [("alias", p.wire_name)]
    if p.location == "header":
        kwargs.append(("convert_underscores", False))
    kwargs += list(p.constraints)
    if p.description:
        kwargs.append(("description", p.description))
    if p.deprecated:
        kwargs.append(("deprecated", True))
    if p.required_default:
        # documented, never applied: a required parameter is always sent (FastAPI would take a
        # Python default as making it optional)
        kwargs.append(("json_schema_extra", {"default": p.required_default[0]}))
    marker = _marker(_PARAM_CLASS[p.location], kwargs)
    if p.required:
        return Param(p.python_name, ir.AnnotatedOf(p.type, (marker,)))
    if p.has_default:
        return Param(p.python_name, ir.AnnotatedOf(p.type, (marker,)), p.default)
    return Param(p.python_name, ir.AnnotatedOf(ir.union(p.type, ir.MISSING), (marker,)), ir.MISSING)


def body_params(body: ir.Body | None) -> list[Param]:
    if body is None:
        return []
    media = body.media
    if media.kind in ("form", "multipart") and media.fields:
        found = []
        for f in media.fields:
            upload: ir.Type = _fastapi("UploadFile")
            file_type = ir.Generic(ir.builtin("list"), (upload,)) if f.is_list else upload
            kwargs: list[tuple[str, Any]] = [("alias", f.name), *f.constraints]
            if f.description:
                kwargs.append(("description", f.description))
            marker = _marker("File" if f.is_file else "Form", kwargs)
            type_ = file_type if f.is_file else f.type
            if f.required:
                found.append(Param(f.python_name, ir.AnnotatedOf(type_, (marker,))))
            elif f.has_default:
                found.append(Param(f.python_name, ir.AnnotatedOf(type_, (marker,)), f.default))
            else:
                found.append(Param(f.python_name, ir.AnnotatedOf(ir.union(type_, ir.MISSING), (marker,)), ir.MISSING))
        return found
    type_ = media.type if media.type is not None else ir.ANY
    marker = _marker("Form" if media.kind in ("form", "multipart") else "Body", [("media_type", media.name)])
    if body.required:
        return [Param("body", ir.AnnotatedOf(type_, (marker,)))]
    return [Param("body", ir.AnnotatedOf(ir.union(type_, ir.MISSING), (marker,)), ir.MISSING)]


def route_params(op: ir.Operation, dependency: str | None, schemes: dict[str, ir.SecurityScheme]) -> list[Param]:
    """The route function's parameters (keyword-only): what FastAPI reads from the request."""
    params = [_param(p) for p in op.parameters]
    if negotiates(op):
        params.append(Param("request", _fastapi("Request")))
    params += body_params(op.body)
    auth = auth_type(op, schemes)
    if auth is not None and dependency is not None:
        depends = ir.Call(_fastapi("Depends"), (ir.Named("security", dependency),))
        params.append(Param("auth", ir.AnnotatedOf(auth, (depends,))))
    return params


def interface_params(op: ir.Operation, schemes: dict[str, ir.SecurityScheme]) -> list[Param]:
    """Keyword-only parameters of the interface method: what the implementation receives."""
    params = []
    for p in op.parameters:
        absent = not p.required and not p.has_default
        params.append(Param(p.python_name, ir.union(p.type, ir.NONE) if absent else p.type))
    if op.body is not None:
        type_ = op.body.media.type if op.body.media.type is not None else ir.ANY
        params.append(Param("body", type_ if op.body.required else ir.union(type_, ir.NONE)))
    auth = auth_type(op, schemes)
    if auth is not None:
        params.append(Param("auth", auth))
    return params


@dataclass(frozen=True, slots=True)
class FormField:
    """How the route builds a form body's model from one field FastAPI parsed."""

    key: str  # the property name in the body
    name: str  # the route's parameter
    file: bool
    many: bool  # a list of files
    optional: bool  # may be MISSING


def form_fields(op: ir.Operation) -> list[FormField] | None:
    body = op.body
    if body is None or not body.media.fields or body.media.type is None:
        return None
    return [FormField(f.name, f.python_name, f.is_file, f.is_list, not f.required) for f in body.media.fields]


# --------------------------------------------------------------------------- the route


def _response_class(op: ir.Operation) -> Any:
    """``response_class=`` when the primary response is not plain JSON (NO_DEFAULT: none)."""
    media = op.primary.media if op.primary else None
    if media is None or media.kind != "json" or media.type is None:
        return _fastapi("Response")
    if media.name != "application/json":
        return _rt("json_response", media.name)
    return NO_DEFAULT


def _headers_doc(response: ir.Response) -> ir.Call | None:
    if not response.headers:
        return None
    return _rt("headers_doc", *((h.name, h.type, h.required, h.description) for h in response.headers))


def _content(media: ir.MediaType) -> ir.Call:
    type_ = media.doc_type
    if media.kind in ("json", "xml") and type_ is not None:
        return _rt("inline_content", media.name, type_)
    return _rt("content_doc", media.name, type_)


def _merge(parts: list[Any]) -> Any:
    """One content mapping of several (``dict(**a, **b)``); the mapping itself when one."""
    return parts[0] if len(parts) == 1 else ir.Call(ir.builtin("dict"), tuple(Splat(p) for p in parts))


def responses(op: ir.Operation) -> dict[Any, dict[str, Any]]:
    """``responses={...}``: every response but the primary, plus the primary's extras."""
    entries: dict[Any, dict[str, Any]] = {}
    route_media = _route_json_media(op)
    for index, r in enumerate(op.responses):
        if r.variant:
            continue
        parts: dict[str, Any] = {}
        media = r.media
        content: list[Any] = []
        variants = []
        for later in op.responses[index + 1 :]:
            if not later.variant:
                break
            if later.media is not None:
                variants.append(_content(later.media))
        if r is not op.primary:
            parts["description"] = r.description
            if media is not None and media.kind == "json" and media.type is not None:
                if media.name == route_media:
                    parts["model"] = media.type
                else:
                    # FastAPI would file a model under the route's media type; described instead
                    variants.insert(0, _content(media))
        if media is not None and media.kind == "xml" and media.type is not None:
            content += [_content(media.with_name(n)) for n in (media.name, *media.also)]
        elif media is not None and (media.kind != "json" or media.type is None):
            content.append(_rt("content_doc", media.name, media.doc_type, *media.also))
        elif media is not None and media.also and media.type is not None:
            # the same body under more JSON media types, which the app really sends on request
            variants.insert(0, _rt("json_content", media.also, media.type))
        content += variants  # other media types with bodies of their own, each a result class
        if content:
            parts["content"] = _merge(content)
        headers = _headers_doc(r)
        if headers is not None:
            parts["headers"] = headers
        if parts:
            entries[r.fixed_status if r.fixed_status is not None else r.status] = parts
    return entries


def route_keywords(op: ir.Operation) -> list[tuple[str, Any]]:
    """The keyword arguments of ``@router.<method>(path, ...)``."""
    kw: list[tuple[str, Any]] = []
    if op.operation_id is not None:
        kw.append(("operation_id", op.operation_id))
    kw.append(("name", op.python_name))
    if op.summary:
        kw.append(("summary", op.summary))
    if op.description:
        kw.append(("description", op.description))
    if op.tags:
        kw.append(("tags", list(op.tags)))
    if op.deprecated:
        kw.append(("deprecated", True))
    if op.primary is not None:
        kw.append(("status_code", op.primary.fixed_status))
        kw.append(("response_description", op.primary.description))
        if primary_is_json(op):
            assert op.primary.media is not None and op.primary.media.type is not None
            kw.append(("response_model", op.primary.media.type))
    else:
        kw.append(("response_model", None))
    cls = _response_class(op)
    if cls is not NO_DEFAULT:
        kw.append(("response_class", cls))
    entries = responses(op)
    if entries:
        kw.append(("responses", entries))
    extra: dict[str, Any] = {}
    if op.security and not _fastapi_derives(op.security):
        # Requirements FastAPI cannot derive from the security dependencies: documented from
        # the same requirements the dependency (security.py) is generated from and enforces.
        alternatives = [
            {name: list(scopes) for name, (_, scopes) in zip(req.names, req.schemes, strict=True)}
            for req in op.security
        ]
        if op.optional_security:
            alternatives.append({})
        extra["security"] = _rt("security_requirements", *alternatives)
    elif op.optional_security and op.security:
        # The dependency really lets anonymous requests through; FastAPI has no other way to say it.
        extra["security"] = [{}]
    body = op.body.media if op.body is not None else None
    if body is not None and body.also:
        # FastAPI parses every JSON (and raw) media type alike, but documents one per body.
        if body.kind == "json" and body.type is not None:
            extra["requestBody"] = {"content": _rt("json_content", body.also, body.type)}
        else:
            extra["requestBody"] = {"content": _rt("content_doc", body.also[0], body.doc_type, *body.also[1:])}
    if extra:
        kw.append(("openapi_extra", extra))
    return kw


def _fastapi_derives(requirements: tuple[ir.SecurityRequirement, ...]) -> bool:
    """Whether FastAPI documents these requirements as they are from their dependencies: one
    scheme per alternative, and no scheme in two alternatives (FastAPI merges its scopes)."""
    schemes = [req.schemes[0][0] for req in requirements if len(req.schemes) == 1]
    return len(schemes) == len(requirements) and len(set(schemes)) == len(schemes)


def styled(op: ir.Operation) -> tuple[ir.Call, ...]:
    """Parameters the route rewrites before FastAPI reads them (styles FastAPI does not parse)."""
    found = []
    for p in op.parameters:
        if p.native:
            continue
        args: tuple[Any, ...] = (p.location, p.wire_name, p.style, p.explode)
        if p.properties is not None:
            args += (tuple(p.properties),)
        found.append(_rt("Styled", *args))
    return tuple(found)


# --------------------------------------------------------------------------- results and errors


def result_spec(r: ir.Response | None) -> Any:
    """How the runtime writes one result type of an operation as a response."""
    if r is None:
        return None
    media = r.media
    kwargs: dict[str, Any] = {}
    if r.headers:
        kwargs["headers"] = tuple((h.python_name, h.name, h.type, h.required) for h in r.headers)
    if media is not None and media.also:
        kwargs["also"] = media.also
    return _rt(
        "ResultSpec",
        r.fixed_status,
        media.name if media is not None else None,
        media.type if media is not None and media.type is not None else None,
        media.kind if media is not None else "json",
        **kwargs,
    )


def error_model(op: ir.Operation) -> ir.Call | None:
    """The spec's response for an invalid request: 400, 422, then 4XX, then default."""
    by_status = {r.status: r for r in op.responses if not r.variant}
    for status, code in (("400", 400), ("422", 422), ("4XX", 400), ("default", 400)):
        r = by_status.get(status)
        if r is not None:
            media = r.media
            if media is not None and media.kind == "json" and media.type is not None:
                if media.also:
                    return _rt("ErrorModel", code, media.type, media.name, media.also)
                return _rt("ErrorModel", code, media.type, media.name)
            return _rt("ErrorModel", code, None)
    return None


def unauthenticated_model(op: ir.Operation) -> ir.Call | None:
    """The spec's response for a request without the credentials it needs: 401, 4XX, default."""
    by_status = {r.status: r for r in op.responses if not r.variant}
    for status in ("401", "4XX", "default"):
        r = by_status.get(status)
        if r is not None:
            media = r.media
            if media is not None and media.kind == "json" and media.type is not None:
                return _rt("ErrorModel", 401, media.type, media.name)
            return _rt("ErrorModel", 401, None)
    return None


@dataclass(frozen=True, slots=True)
class ResultField:
    name: str
    type: ir.Type
    optional: bool = False  # a parameter defaulting to None, which stands for ``type()``


def result_fields(r: ir.Response) -> list[ResultField]:
    """The attributes of a result class: its status (for ranges and ``default``), its body,
    its headers (defaulting to none when none is required)."""
    fields = []
    if r.fixed_status is None:
        fields.append(ResultField("status_code", ir.builtin("int")))
    if r.media is not None and r.media.type is not None:
        fields.append(ResultField("body", r.media.type))
    if r.headers:
        optional = not any(h.required for h in r.headers)
        fields.append(ResultField("headers", ir.Named("", f"{r.class_name}Headers"), optional))
    return sorted(fields, key=lambda f: f.name)


def result_union(op: ir.Operation) -> ir.Type:
    names: list[ir.Type] = [ir.Named("", r.class_name) for r in op.responses]
    primary = op.primary
    if (
        primary is not None
        and primary.media is not None
        and primary.media.type is not None
        and not any(h.required for h in primary.headers)
    ):
        names.append(primary.media.type)
    if not names:
        names.append(ir.NONE)
    return ir.union(*names)
