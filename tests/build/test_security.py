"""Security schemes, and each operation's requirements."""

from __future__ import annotations

from typing import Any

from codegen import ir
from codegen.build.security import build_schemes, requirements
from codegen.problems import Severity

PTR = "/paths/~1p/get"
SCHEMES: dict[str, Any] = {
    "bearer": {"type": "http", "scheme": "Bearer", "bearerFormat": "JWT"},
    "key": {"type": "apiKey", "in": "header", "name": "X-API-Key", "description": "the key"},
    "oauth": {
        "type": "oauth2",
        "flows": {
            "clientCredentials": {"tokenUrl": "https://t/token", "scopes": {"write": "Write", "read": "Read"}},
            "authorizationCode": {
                "authorizationUrl": "https://t/auth",
                "tokenUrl": "https://t/token",
                "scopes": {"read": "Read it", "admin": "Admin"},
            },
        },
    },
    "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://t/.well-known/openid-configuration"},
    "mtls": {"type": "mutualTLS"},
}


def document(**rest: Any) -> dict[str, Any]:
    return {"components": {"securitySchemes": SCHEMES}, **rest}


def schemes() -> dict[str, ir.SecurityScheme]:
    found, _ = build_schemes(document())
    return found


def test_schemes_as_fastapi_sees_them() -> None:
    found = schemes()
    assert list(found) == ["bearer", "key", "mtls", "oauth", "oidc"]
    bearer, key, oidc = found["bearer"], found["key"], found["oidc"]
    assert (bearer.kind, bearer.scheme, bearer.bearer_format) == ("http", "bearer", "JWT")  # schemes ignore case
    assert (key.location, key.parameter, key.description) == ("header", "X-API-Key", "the key")
    assert oidc.openid_url == "https://t/.well-known/openid-configuration"


def test_oauth2_flows_keep_their_urls_and_scopes_merge() -> None:
    oauth = schemes()["oauth"]
    flows = dict(oauth.flows)
    assert list(flows) == ["clientCredentials", "authorizationCode"]
    assert dict(flows["authorizationCode"]) == {
        "authorizationUrl": "https://t/auth",
        "tokenUrl": "https://t/token",
        "scopes": {"read": "Read it", "admin": "Admin"},
    }
    # every scope once, the first flow's description kept
    assert oauth.scopes == (("admin", "Admin"), ("read", "Read"), ("write", "Write"))


def test_a_scheme_fastapi_has_no_class_for_is_a_warning() -> None:
    found, problems = build_schemes(document())
    assert not found["mtls"].supported
    assert [(p.code, p.severity, p.location.pointer) for p in problems] == [
        ("security.kind", Severity.WARNING, "/components/securitySchemes/mtls")
    ]


def test_scheme_python_names_are_unique() -> None:
    found, _ = build_schemes({"components": {"securitySchemes": {n: {"type": "http", "scheme": "basic"} for n in
                                                                  ("api_key", "api-key", "class")}}})  # fmt: skip
    assert {n: s.python_name for n, s in found.items()} == {
        "api-key": "api_key",
        "api_key": "api_key2",
        "class": "class_",
    }


def test_a_requirement_of_two_schemes_keeps_both() -> None:
    op = {"security": [{"bearer": [], "oauth": ["read", "write"]}]}
    reqs, optional, problems = requirements(op, document(), schemes(), PTR)
    assert problems == [] and not optional
    assert reqs == (ir.SecurityRequirement((("bearer", ()), ("oauth", ("read", "write"))), ("bearer", "oauth")),)


def test_alternatives_stay_apart_and_an_empty_one_makes_security_optional() -> None:
    op: dict[str, Any] = {"security": [{"bearer": []}, {}, {"key": []}]}
    reqs, optional, _ = requirements(op, document(), schemes(), PTR)
    assert reqs is not None and [r.names for r in reqs] == [("bearer",), ("key",)]
    assert optional
    reqs, optional, _ = requirements({"security": [{}]}, document(), schemes(), PTR)
    assert (reqs, optional) == (None, True)


def test_the_document_security_applies_unless_the_operation_overrides_it() -> None:
    top = document(security=[{"key": []}])
    reqs, _, _ = requirements({}, top, schemes(), PTR)
    assert reqs is not None and reqs[0].names == ("key",)
    # ``security: []`` on the operation: no security at all
    assert requirements({"security": []}, top, schemes(), PTR) == (None, False, [])
    assert requirements({}, document(), schemes(), PTR) == (None, False, [])


def test_an_unknown_scheme_is_an_error_where_it_is_named() -> None:
    reqs, _, problems = requirements({"security": [{"bearer": []}, {"nope": []}]}, document(), schemes(), PTR)
    assert reqs is not None and [r.names for r in reqs] == [("bearer",)]
    assert [(p.code, p.severity, p.location.pointer) for p in problems] == [
        ("security.unknown", Severity.ERROR, f"{PTR}/security/1")
    ]
    _, _, problems = requirements({}, document(security=[{"nope": []}]), schemes(), PTR)
    assert [p.location.pointer for p in problems] == ["/security/0"]


def test_an_unsupported_scheme_drops_out_of_its_requirement() -> None:
    reqs, _, problems = requirements({"security": [{"mtls": [], "key": []}]}, document(), schemes(), PTR)
    assert problems == []  # reported once, with the scheme
    assert reqs == (ir.SecurityRequirement((("key", ()),), ("key",)),)
