"""Security schemes and per-operation requirements, as FastAPI's security classes see them.

FastAPI documents an operation's security from the security dependencies it finds, each as
its own alternative (``[{a: []}, {b: []}]``), the scopes of one scheme merged. That expresses
every requirement made of one scheme per alternative, each scheme once; the others (two schemes
at once, one scheme in several alternatives) the route documents itself, from these same
requirements (``render/operations.py``, ``rt.security_requirements``).
"""

from __future__ import annotations

from typing import Any

from codegen import ir
from codegen.naming import Namespace, snake_name
from codegen.problems import Problem, escape_pointer

__all__ = ["build_schemes", "requirements"]

_FLOW_KEYS = ("authorizationUrl", "tokenUrl", "refreshUrl")


def _flows(raw: Any) -> tuple[tuple[tuple[str, tuple[tuple[str, ir.Value], ...]], ...], tuple[tuple[str, str], ...]]:
    flows: list[tuple[str, tuple[tuple[str, ir.Value], ...]]] = []
    scopes: dict[str, str] = {}
    if not isinstance(raw, dict):
        return (), ()
    for flow in ("implicit", "password", "clientCredentials", "authorizationCode"):
        body = raw.get(flow)
        if not isinstance(body, dict):
            continue
        items: list[tuple[str, ir.Value]] = [(key, body[key]) for key in _FLOW_KEYS if isinstance(body.get(key), str)]
        raw_scopes = body.get("scopes")
        flow_scopes: dict[str, Any] = raw_scopes if isinstance(raw_scopes, dict) else {}
        items.append(("scopes", {str(k): str(v) for k, v in flow_scopes.items()}))
        for k, v in flow_scopes.items():
            scopes.setdefault(str(k), str(v))
        flows.append((flow, tuple(items)))
    return tuple(flows), tuple(sorted(scopes.items()))


def build_schemes(document: dict[str, Any]) -> tuple[dict[str, ir.SecurityScheme], list[Problem]]:
    """Every security scheme of ``components``, by its spec name."""
    problems: list[Problem] = []
    components = document.get("components") or {}
    raw = components.get("securitySchemes") if isinstance(components, dict) else None
    if not isinstance(raw, dict):
        return {}, problems
    names = Namespace()
    result: dict[str, ir.SecurityScheme] = {}
    for name in sorted(raw):
        scheme = raw[name]
        if not isinstance(scheme, dict):
            continue
        kind = str(scheme.get("type", ""))
        flows, scopes = _flows(scheme.get("flows"))
        built = ir.SecurityScheme(
            name=name,
            python_name=names.claim(snake_name(name, prefix="scheme")),
            kind=kind,
            scheme=str(scheme["scheme"]).lower() if isinstance(scheme.get("scheme"), str) else None,
            bearer_format=scheme.get("bearerFormat") if isinstance(scheme.get("bearerFormat"), str) else None,
            location=scheme.get("in") if isinstance(scheme.get("in"), str) else None,
            parameter=scheme.get("name") if isinstance(scheme.get("name"), str) else None,
            flows=flows,
            scopes=scopes,
            openid_url=scheme.get("openIdConnectUrl") if isinstance(scheme.get("openIdConnectUrl"), str) else None,
            description=scheme.get("description") if isinstance(scheme.get("description"), str) else None,
        )
        if not built.supported:
            problems.append(
                Problem.at(
                    "security.kind",
                    f"security scheme {name!r} of type {kind!r} has no FastAPI class; it is not enforced",
                    f"/components/securitySchemes/{escape_pointer(name)}",
                    warning=True,
                )
            )
        result[name] = built
    return result, problems


def requirements(
    op: dict[str, Any], document: dict[str, Any], schemes: dict[str, ir.SecurityScheme], ptr: str
) -> tuple[tuple[ir.SecurityRequirement, ...] | None, bool, list[Problem]]:
    """The operation's effective requirements, whether anonymous access is one of them, and
    the problems with them."""
    problems: list[Problem] = []
    raw = op.get("security", document.get("security"))
    where = f"{ptr}/security" if "security" in op else "/security"
    if not isinstance(raw, list) or not raw:
        return None, False, problems
    result: list[ir.SecurityRequirement] = []
    optional = False
    for i, req in enumerate(raw):
        if not isinstance(req, dict):
            continue
        if not req:
            optional = True
            continue
        parts = []
        names: list[str] = []
        for name, scopes in req.items():
            scheme = schemes.get(name)
            if scheme is None:
                problems.append(
                    Problem.at("security.unknown", f"security scheme {name!r} is not defined", f"{where}/{i}")
                )
                continue
            if not scheme.supported:
                continue
            scope_list = tuple(str(s) for s in scopes) if isinstance(scopes, list) else ()
            parts.append((scheme.python_name, scope_list))
            names.append(name)
        if parts:
            result.append(ir.SecurityRequirement(tuple(parts), tuple(names)))
    if not result:
        return None, optional, problems
    return tuple(result), optional, problems
