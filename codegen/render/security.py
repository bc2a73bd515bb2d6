"""``security.py`` as data for its template: FastAPI security objects named as in the spec,
and one dependency per distinct requirement, which checks the credentials and hands them to
the implementation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from codegen import ir
from codegen.naming import Namespace, snake_name
from codegen.render.operations import credential_class
from codegen.render.pysource import Param

__all__ = ["Check", "Dependency", "SecurityModule", "security_module"]

_HTTP_CLASSES = {"bearer": "HTTPBearer", "basic": "HTTPBasic", "digest": "HTTPDigest"}
_API_KEY_CLASSES = {"header": "APIKeyHeader", "query": "APIKeyQuery", "cookie": "APIKeyCookie"}
_FLOW_CLASSES = {
    "implicit": "OAuthFlowImplicit",
    "password": "OAuthFlowPassword",
    "clientCredentials": "OAuthFlowClientCredentials",
    "authorizationCode": "OAuthFlowAuthorizationCode",
}


def _security(name: str) -> ir.Named:
    return ir.Named("fastapi.security", name)


@dataclass(frozen=True, slots=True)
class Check:
    """One alternative of a requirement: when all ``present`` are given, these credentials."""

    present: tuple[str, ...]
    credentials: ir.Call


@dataclass(frozen=True, slots=True)
class Dependency:
    name: str
    params: tuple[Param, ...]
    checks: tuple[Check, ...]
    result: ir.Type
    optional: bool  # anonymous requests pass
    schemes: tuple[str, ...]  # the spec names, for the 401's message


@dataclass(frozen=True, slots=True)
class SecurityModule:
    objects: tuple[tuple[str, ir.Call], ...]
    dependencies: tuple[Dependency, ...]
    by_requirement: dict[tuple[tuple[ir.SecurityRequirement, ...], bool], str]  # -> dependency name

    @property
    def exported(self) -> list[str]:
        return sorted([*(name for name, _ in self.objects), *(d.name for d in self.dependencies)])


def _scheme_object(s: ir.SecurityScheme) -> ir.Call:
    common: list[tuple[str, Any]] = [("scheme_name", s.name)]
    if s.description:
        common.append(("description", s.description))
    common.append(("auto_error", False))
    if s.kind == "http":
        cls = _HTTP_CLASSES.get(s.scheme or "", "HTTPBase")
        args: list[tuple[str, Any]] = []
        if cls == "HTTPBase":
            args.append(("scheme", s.scheme or ""))
        if cls == "HTTPBearer" and s.bearer_format:
            args.append(("bearerFormat", s.bearer_format))
        # HTTPBase is not exported by fastapi.security (pay1.de, twitter.com: other HTTP schemes)
        found = ir.Named("fastapi.security.http", cls) if cls == "HTTPBase" else _security(cls)
        return ir.Call(found, (), tuple(args + common))
    if s.kind == "apiKey":
        cls = _API_KEY_CLASSES.get(s.location or "header", "APIKeyHeader")
        return ir.Call(_security(cls), (), (("name", s.parameter or ""), *common))
    if s.kind == "oauth2":
        flows = tuple(
            (flow, ir.Call(ir.Named("fastapi.openapi.models", _FLOW_CLASSES[flow]), (), items))
            for flow, items in s.flows
        )
        models = ir.Call(ir.Named("fastapi.openapi.models", "OAuthFlows"), (), flows)
        return ir.Call(_security("OAuth2"), (), (("flows", models), *common))
    return ir.Call(_security("OpenIdConnect"), (), (("openIdConnectUrl", s.openid_url or ""), *common))


def _received(s: ir.SecurityScheme) -> ir.Type:
    """The type a scheme object hands its dependency."""
    if s.kind == "http" and s.scheme == "basic":
        return ir.union(_security("HTTPBasicCredentials"), ir.NONE)
    if s.kind == "http":
        return ir.union(_security("HTTPAuthorizationCredentials"), ir.NONE)
    return ir.union(ir.builtin("str"), ir.NONE)


def _credentials(s: ir.SecurityScheme, var: str, scopes: tuple[str, ...]) -> ir.Call:
    cls = ir.Named("rt", credential_class(s))
    value = ir.Named("", var)
    if s.kind == "http" and s.scheme == "basic":
        return ir.Call(cls, (s.name, ir.Named("", f"{var}.username"), ir.Named("", f"{var}.password")))
    if s.kind == "http":
        return ir.Call(cls, (s.name, ir.Named("", f"{var}.credentials")))
    if s.kind == "apiKey":
        return ir.Call(cls, (s.name, value))
    token = ir.Call(ir.Named("rt", "bearer_token"), (value,))
    if s.kind == "oauth2":
        return ir.Call(cls, (s.name, token, tuple(scopes)))
    return ir.Call(cls, (s.name, token))


def security_module(api: ir.Api) -> SecurityModule:
    schemes = {s.python_name: s for s in api.security_schemes if s.supported}
    objects = tuple((name, _scheme_object(s)) for name, s in sorted(schemes.items()))
    names = Namespace(set(schemes) | {"Annotated", "Security", "MISSING"})
    by_requirement: dict[tuple[tuple[ir.SecurityRequirement, ...], bool], str] = {}
    dependencies = []
    for op in api.operations:
        if not op.security:
            continue
        key = (op.security, op.optional_security)
        if key in by_requirement:
            continue
        label = "_or_".join("_and_".join(n for n, _ in req.schemes) for req in op.security)
        scopes = sorted({sc for req in op.security for _, scs in req.schemes for sc in scs})
        if scopes:
            label += "_" + snake_name(" ".join(scopes))
        name = names.claim(("allow_" if op.optional_security else "require_") + label)
        by_requirement[key] = name
        dependencies.append(_dependency(name, op, schemes))
    return SecurityModule(objects, tuple(dependencies), by_requirement)


def _dependency(name: str, op: ir.Operation, schemes: dict[str, ir.SecurityScheme]) -> Dependency:
    assert op.security is not None
    params: list[Param] = []
    checks: list[Check] = []
    returns: list[ir.Type] = []
    seen: dict[tuple[str, tuple[str, ...]], str] = {}
    security = ir.Named("fastapi", "Security")
    for req in op.security:
        variables = []
        for scheme_name, scopes in req.schemes:
            key = (scheme_name, scopes)
            if key not in seen:
                var = f"{scheme_name}_{len(seen) + 1}"
                seen[key] = var
                marker = ir.Call(security, (ir.Named("", scheme_name),), (("scopes", list(scopes)),) if scopes else ())
                params.append(Param(var, ir.AnnotatedOf(_received(schemes[scheme_name]), (marker,))))
            variables.append(seen[key])
        first = req.schemes[0]
        credentials = _credentials(schemes[first[0]], variables[0], first[1])
        if credentials.func not in returns:
            returns.append(credentials.func)
        checks.append(Check(tuple(variables), credentials))
    result = ir.union(*returns)
    if op.optional_security:
        result = ir.union(result, ir.NONE)
    scheme_names = tuple(schemes[n].name for n in dict.fromkeys(n for r in op.security for n, _ in r.schemes))
    return Dependency(name, tuple(params), tuple(checks), result, op.optional_security, scheme_names)
