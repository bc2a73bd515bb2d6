"""``security.py``: FastAPI security objects named as in the spec, and one dependency per
distinct requirement, which checks the credentials and hands them to the implementation."""

from __future__ import annotations

from dataclasses import dataclass

from codegen import ir
from codegen.naming import Namespace, snake_name
from codegen.render.code import pystr

__all__ = ["SecurityModule", "render_security"]

_HTTP_CLASSES = {"bearer": "HTTPBearer", "basic": "HTTPBasic", "digest": "HTTPDigest"}
_API_KEY_CLASSES = {"header": "APIKeyHeader", "query": "APIKeyQuery", "cookie": "APIKeyCookie"}
_FLOW_CLASSES = {
    "implicit": "OAuthFlowImplicit",
    "password": "OAuthFlowPassword",
    "clientCredentials": "OAuthFlowClientCredentials",
    "authorizationCode": "OAuthFlowAuthorizationCode",
}


@dataclass(frozen=True, slots=True)
class SecurityModule:
    source: str
    dependencies: dict[tuple[tuple[ir.SecurityRequirement, ...], bool], str]  # -> function name


def _scheme_object(s: ir.SecurityScheme, imports: set[str]) -> str:
    common = [f"scheme_name={pystr(s.name)}"]
    if s.description:
        common.append(f"description={pystr(s.description)}")
    common.append("auto_error=False")
    if s.kind == "http":
        cls = _HTTP_CLASSES.get(s.scheme or "", "HTTPBase")
        imports.add(cls)
        args = []
        if cls == "HTTPBase":
            args.append(f"scheme={pystr(s.scheme or '')}")
        if cls == "HTTPBearer" and s.bearer_format:
            args.append(f"bearerFormat={pystr(s.bearer_format)}")
        return f"{cls}({', '.join(args + common)})"
    if s.kind == "apiKey":
        cls = _API_KEY_CLASSES.get(s.location or "header", "APIKeyHeader")
        imports.add(cls)
        return f"{cls}(name={pystr(s.parameter or '')}, {', '.join(common)})"
    if s.kind == "oauth2":
        imports.update({"OAuth2", "OAuthFlows"})
        flows = []
        for flow, items in s.flows:
            imports.add(_FLOW_CLASSES[flow])
            kwargs = ", ".join(f"{k}={v}" for k, v in items)
            flows.append(f"{flow}={_FLOW_CLASSES[flow]}({kwargs})")
        return f"OAuth2(flows=OAuthFlows({', '.join(flows)}), {', '.join(common)})"
    imports.add("OpenIdConnect")
    return f"OpenIdConnect(openIdConnectUrl={pystr(s.openid_url or '')}, {', '.join(common)})"


def _received(s: ir.SecurityScheme, imports: set[str]) -> str:
    """The type a scheme object hands its dependency."""
    if s.kind == "http" and s.scheme == "basic":
        imports.add("HTTPBasicCredentials")
        return "HTTPBasicCredentials | None"
    if s.kind == "http":
        imports.add("HTTPAuthorizationCredentials")
        return "HTTPAuthorizationCredentials | None"
    return "str | None"


def _credentials(s: ir.SecurityScheme, var: str, scopes: tuple[str, ...]) -> str:
    name = pystr(s.name)
    if s.kind == "http" and s.scheme == "basic":
        return f"rt.BasicCredentials({name}, {var}.username, {var}.password)"
    if s.kind == "http":
        return f"rt.BearerCredentials({name}, {var}.credentials)"
    if s.kind == "apiKey":
        return f"rt.ApiKeyCredentials({name}, {var})"
    if s.kind == "oauth2":
        return f"rt.OAuth2Credentials({name}, rt.bearer_token({var}), {scopes!r})"
    return f"rt.OpenIdCredentials({name}, rt.bearer_token({var}))"


def render_security(api: ir.Api, header: str) -> SecurityModule:
    schemes = {s.python_name: s for s in api.security_schemes if s.supported}
    imports: set[str] = set()
    objects = [f"{name} = {_scheme_object(s, imports)}" for name, s in sorted(schemes.items())]
    functions: list[str] = []
    names = Namespace(set(schemes) | {"Annotated", "Security", "MISSING"})
    dependencies: dict[tuple[tuple[ir.SecurityRequirement, ...], bool], str] = {}
    for op in api.operations:
        if not op.security:
            continue
        key = (op.security, op.optional_security)
        if key in dependencies:
            continue
        label = "_or_".join("_and_".join(n for n, _ in req.schemes) for req in op.security)
        scopes = sorted({sc for req in op.security for _, scs in req.schemes for sc in scs})
        if scopes:
            label += "_" + snake_name(" ".join(scopes))
        name = names.claim(("allow_" if op.optional_security else "require_") + label)
        dependencies[key] = name
        functions.append(_dependency(name, op, schemes, imports))
    lines = [
        header + '"""Security schemes, named as in the spec, and the checks each operation needs."""',
        "",
        "from __future__ import annotations",
        "",
    ]
    if functions:
        lines += ["from typing import Annotated", "", "from fastapi import Security"]
    models = sorted(name for name in imports if name.startswith("OAuthFlow"))
    classes = sorted(name for name in imports if not name.startswith("OAuthFlow"))
    if models:
        lines.append(f"from fastapi.openapi.models import {', '.join(models)}")
    if classes:
        lines.append(f"from fastapi.security import {', '.join(classes)}")
    if functions:
        lines += ["", "import codegen_runtime as rt"]
    exported = sorted([*schemes, *dependencies.values()])
    lines += ["", f"__all__ = [{', '.join(pystr(n) for n in exported)}]", ""]
    lines += objects
    for function in functions:
        lines += ["", "", function]
    return SecurityModule("\n".join(lines).rstrip() + "\n", dependencies)


def _dependency(name: str, op: ir.Operation, schemes: dict[str, ir.SecurityScheme], imports: set[str]) -> str:
    assert op.security is not None
    params: list[str] = []
    checks: list[str] = []
    returns: list[str] = []
    seen: dict[tuple[str, tuple[str, ...]], str] = {}
    for req in op.security:
        variables = []
        for scheme_name, scopes in req.schemes:
            key = (scheme_name, scopes)
            if key not in seen:
                var = f"{scheme_name}_{len(seen) + 1}"
                seen[key] = var
                scheme = schemes[scheme_name]
                marker = f"Security({scheme_name}, scopes={list(scopes)!r})" if scopes else f"Security({scheme_name})"
                params.append(f"    {var}: Annotated[{_received(scheme, imports)}, {marker}],")
            variables.append(seen[key])
        first = req.schemes[0]
        condition = " and ".join(f"{v} is not None" for v in variables)
        value = _credentials(schemes[first[0]], variables[0], first[1])
        kind = value.split("(")[0]
        if kind not in returns:
            returns.append(kind)
        checks.append(f"    if {condition}:\n        return {value}")
    result = " | ".join(returns)
    scheme_names = ", ".join(
        pystr(schemes[n].name) for n in dict.fromkeys(n for r in op.security for n, _ in r.schemes)
    )
    if op.optional_security:
        result += " | None"
        tail = "    return None"
    else:
        tail = f"    raise rt.Unauthenticated(({scheme_names},))"
    doc = "Anonymous requests pass." if op.optional_security else "Anything else is answered with 401."
    body = "\n".join(checks)
    return f"async def {name}(\n" + "\n".join(params) + f'\n) -> {result}:\n    """{doc}"""\n{body}\n{tail}'
