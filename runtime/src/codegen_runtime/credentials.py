"""What a security dependency hands an implementation: the credentials a request presented."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ApiKeyCredentials",
    "BasicCredentials",
    "BearerCredentials",
    "Credentials",
    "OAuth2Credentials",
    "OpenIdCredentials",
    "Unauthenticated",
    "bearer_token",
    "security_requirements",
]


@dataclass(frozen=True, slots=True)
class BearerCredentials:
    scheme: str  # the security scheme's name in the spec
    token: str


@dataclass(frozen=True, slots=True)
class BasicCredentials:
    scheme: str
    username: str
    password: str


@dataclass(frozen=True, slots=True)
class ApiKeyCredentials:
    scheme: str
    key: str


@dataclass(frozen=True, slots=True)
class OAuth2Credentials:
    scheme: str
    token: str
    scopes: tuple[str, ...]  # the scopes the operation requires


@dataclass(frozen=True, slots=True)
class OpenIdCredentials:
    scheme: str
    token: str


Credentials = BearerCredentials | BasicCredentials | ApiKeyCredentials | OAuth2Credentials | OpenIdCredentials


class Unauthenticated(Exception):
    """Raised by a security dependency: none of the operation's requirements is met."""

    def __init__(self, schemes: tuple[str, ...]) -> None:
        super().__init__(f"authentication required: {' or '.join(schemes)}")
        self.schemes = schemes


def bearer_token(authorization: str) -> str:
    """The token of an ``Authorization: Bearer <token>`` header value."""
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token else authorization


def security_requirements(*alternatives: dict[str, list[str]]) -> tuple[dict[str, list[str]], ...]:
    """An operation's security requirements as its route documents them (``openapi_extra``),
    where FastAPI cannot derive them from the route's security dependencies: a requirement of
    several schemes at once (FastAPI lists each dependency as an alternative of its own), or
    one scheme in several alternatives (FastAPI merges their scopes). The generator writes it
    from the same requirements as the dependency that enforces them. A tuple, because FastAPI
    merges ``openapi_extra`` into what it derived and extends lists: this replaces them."""
    return tuple({name: list(scopes) for name, scopes in alternative.items()} for alternative in alternatives)
