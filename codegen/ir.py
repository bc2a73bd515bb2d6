"""The intermediate representation: what the renderers know about an API, and nothing more.

Built from the bundled document by :mod:`codegen.build`; every name here is already a valid,
collision-free Python identifier. Types are data (:data:`Type`: named, generic, union,
literal, annotated), turned into source in one place (:mod:`codegen.render.pysource`).
Templates receive these objects, never the raw spec.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "ANY",
    "MISSING",
    "NONE",
    "AnnotatedOf",
    "Api",
    "Body",
    "BodyField",
    "Call",
    "Generic",
    "Group",
    "Header",
    "LiteralOf",
    "MediaType",
    "Named",
    "Operation",
    "Parameter",
    "Response",
    "SecurityRequirement",
    "SecurityScheme",
    "Type",
    "UnionOf",
    "annotated",
    "builtin",
    "model",
    "pydantic_field",
    "union",
]

ParamIn = Literal["path", "query", "header", "cookie"]
BodyKind = Literal["json", "form", "multipart", "binary", "text", "xml"]  # xml: responses only


# --------------------------------------------------------------------------- types as data

Value = Any  # a JSON value: what a literal, a default or a keyword argument holds


@dataclass(frozen=True, slots=True)
class Named:
    """A name: a builtin (``module=""``), a class or alias of the package's own ``models`` or
    ``formats``, a name of the runtime (``module="rt"``), or one imported from a module."""

    module: str
    name: str


@dataclass(frozen=True, slots=True)
class Generic:
    """``origin[args]``: ``list[X]``, ``dict[str, X]``, ``rt.ObjectParam[X]``."""

    origin: Named
    args: tuple[Type, ...]


@dataclass(frozen=True, slots=True)
class UnionOf:
    members: tuple[Type, ...]


@dataclass(frozen=True, slots=True)
class LiteralOf:
    values: tuple[Value, ...]


@dataclass(frozen=True, slots=True)
class Call:
    """``func(args..., key=value...)``: what ``Annotated`` metadata is made of."""

    func: Named
    args: tuple[Value, ...] = ()
    kwargs: tuple[tuple[str, Value], ...] = ()


@dataclass(frozen=True, slots=True)
class AnnotatedOf:
    base: Type
    metadata: tuple[Call, ...]


Type = Named | Generic | UnionOf | LiteralOf | AnnotatedOf

ANY = Named("typing", "Any")
NONE = Named("", "None")
MISSING = Named("pydantic", "MISSING")
NO_SCHEMA = Named("", "<no schema>")  # a media type the spec gives no schema (never rendered)


def builtin(name: str) -> Named:
    return Named("", name)


def model(name: str) -> Named:
    return Named("models", name)


def union(*parts: Type) -> Type:
    """The union of ``parts``, flattened, each member once, in order."""
    members: list[Type] = []
    for part in parts:
        for member in part.members if isinstance(part, UnionOf) else (part,):
            if member not in members:
                members.append(member)
    return members[0] if len(members) == 1 else UnionOf(tuple(members))


def pydantic_field(**kwargs: Value) -> Call:
    """``pydantic.Field(...)`` with keyword arguments in the order given."""
    return Call(Named("pydantic", "Field"), (), tuple(kwargs.items()))


def annotated(base: Type, *metadata: Call) -> Type:
    return AnnotatedOf(base, tuple(metadata)) if metadata else base


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str  # as in the spec
    location: ParamIn
    python_name: str
    required: bool
    type: Type  # the value's type, without ``| MISSING`` for absence
    constraints: tuple[tuple[str, Value], ...] = ()  # keyword -> value, for Query(...) & co.
    default: Value = None  # the spec's default (JSON), when has_default
    has_default: bool = False
    # the default a required parameter declares: documentation for clients (never applied)
    required_default: tuple[Value, ...] = ()
    description: str | None = None
    deprecated: bool = False
    style: str = "form"
    explode: bool = True
    native: bool = True  # FastAPI parses it as the spec says; otherwise a style parser does
    properties: tuple[str, ...] | None = None  # an object parameter's property names; else None

    @property
    def wire_name(self) -> str:
        """The name on the wire: the spec's (a path template's too, see rt.CodegenRoute)."""
        return self.name


@dataclass(frozen=True, slots=True)
class BodyField:
    """One top-level property of a form or multipart body."""

    name: str
    python_name: str
    type: Type
    required: bool
    is_file: bool
    is_list: bool = False
    constraints: tuple[tuple[str, Value], ...] = ()  # for Form(...)
    default: Value = None  # the spec's default (JSON), when has_default
    has_default: bool = False
    description: str | None = None


@dataclass(frozen=True, slots=True)
class MediaType:
    name: str  # e.g. application/json
    kind: BodyKind
    type: Type | None  # None: the spec gives no schema
    fields: tuple[BodyField, ...] = ()  # form and multipart bodies
    also: tuple[str, ...] = ()  # more media types of the same kind and schema, served alike
    # what the app documents, where it is not ``type``: the spec's schema typed (a text or
    # binary body the implementation gives as ``str``/``bytes``), or NO_SCHEMA (none given)
    documented: Type | None = None

    def with_kind(self, kind: BodyKind) -> MediaType:
        return MediaType(self.name, kind, self.type, self.fields, self.also, self.documented)

    def with_name(self, name: str) -> MediaType:
        return MediaType(name, self.kind, self.type, self.fields, self.also, self.documented)

    @property
    def doc_type(self) -> Type | None:
        """The type whose schema the app documents; None for no schema."""
        if self.documented is not None:
            return None if self.documented == NO_SCHEMA else self.documented
        return self.type


@dataclass(frozen=True, slots=True)
class Body:
    required: bool
    media: MediaType  # the one the app accepts
    description: str | None = None
    unsupported: tuple[str, ...] = ()  # further media types the app cannot accept


@dataclass(frozen=True, slots=True)
class Header:
    name: str
    python_name: str
    required: bool
    type: Type
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Response:
    status: str  # "200", "4XX", "default"
    class_name: str  # the result type an implementation returns
    description: str
    media: MediaType | None
    headers: tuple[Header, ...] = ()
    unsupported: tuple[str, ...] = ()  # further media types the app cannot produce
    variant: bool = False  # another media type (and schema) of the response before it
    example: Any = None  # the spec's example body for its media type, if it gives one

    @property
    def fixed_status(self) -> int | None:
        return int(self.status) if self.status.isdigit() else None


@dataclass(frozen=True, slots=True)
class SecurityRequirement:
    """One alternative of an operation's ``security``: all of its schemes at once."""

    schemes: tuple[tuple[str, tuple[str, ...]], ...]  # (scheme python name, scopes)
    names: tuple[str, ...] = ()  # the schemes' names in the spec, in the same order


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    name: str  # as in the spec: FastAPI's scheme_name
    python_name: str
    kind: str  # http | apiKey | oauth2 | openIdConnect | mutualTLS
    scheme: str | None = None  # for http: bearer, basic, ...
    bearer_format: str | None = None
    location: str | None = None  # for apiKey: header, query, cookie
    parameter: str | None = None  # for apiKey: the header/query/cookie name
    flows: tuple[tuple[str, tuple[tuple[str, Value], ...]], ...] = ()  # (flow, (key, value)...)
    scopes: tuple[tuple[str, str], ...] = ()  # every scope of every flow
    openid_url: str | None = None
    description: str | None = None

    @property
    def supported(self) -> bool:
        return self.kind in ("http", "apiKey", "oauth2", "openIdConnect")


@dataclass(frozen=True, slots=True)
class Operation:
    method: str  # lower case
    path: str  # as in the spec
    operation_id: str | None
    python_name: str  # the interface method
    class_prefix: str  # for result types: ``{class_prefix}201``
    summary: str | None
    description: str | None
    tags: tuple[str, ...]
    deprecated: bool
    parameters: tuple[Parameter, ...]
    body: Body | None
    responses: tuple[Response, ...]
    primary: Response | None  # the response FastAPI documents as the route's own
    security: tuple[SecurityRequirement, ...] | None  # None: no security applies
    optional_security: bool = False  # an empty requirement ``{}`` is among the alternatives
    pointer: str = ""

    @property
    def result_name(self) -> str:
        return f"{self.class_prefix}Result"

    @property
    def security_schemes(self) -> tuple[str, ...]:
        names: list[str] = []
        for req in self.security or ():
            for scheme, _ in req.schemes:
                if scheme not in names:
                    names.append(scheme)
        return tuple(names)


@dataclass(frozen=True, slots=True)
class Group:
    """The operations of one tag: one router module and one interface."""

    tag: str | None  # None: untagged operations
    module: str
    interface: str  # Protocol class name
    description: str | None
    operations: tuple[Operation, ...]


@dataclass(frozen=True, slots=True)
class Api:
    package: str
    spec_name: str
    openapi_version: str
    title: str
    version: str
    summary: str | None
    description: str | None
    terms_of_service: str | None
    contact: dict[str, Any] | None
    license: dict[str, Any] | None
    servers: tuple[dict[str, Any], ...]
    tags: tuple[dict[str, Any], ...]  # tag metadata, as FastAPI's openapi_tags
    external_docs: dict[str, Any] | None
    groups: tuple[Group, ...]
    security_schemes: tuple[SecurityScheme, ...]
    models: dict[str, Any] = field(repr=False, default_factory=dict)  # the document for the model engine
    origins: dict[str, str] = field(repr=False, default_factory=dict)  # model class -> its schema in the spec
    class_names: dict[str, str] = field(default_factory=dict)  # component name -> class name

    @property
    def operations(self) -> tuple[Operation, ...]:
        return tuple(op for group in self.groups for op in group.operations)
