"""Findings, how they are graded, and every rule the engine knows (the table is in docs/drift.md).

A comparison notes, for each difference, what kind of change it is (:class:`Change`): the
revision accepts or sends *more* than the base, *less*, something *different* (neither holds
the other), says something else about the same values (*doc*: a default, a style, a name), or
differs in an annotation only. The severity follows from the change, the direction the data
travels (a request the client sends, a response it reads) and the mode, for a client built
from the *base* document (the spec, or the old spec):

==========  ===================  ===================  =========
change      request              response             any
==========  ===================  ===================  =========
narrower    breaking             drift: warning,
                                 diff: info
wider       drift: warning,      breaking
            diff: info
different                                             breaking
doc                                                   drift: warning, diff: the rule's own
annotation                                            info
==========  ===================  ===================  =========

In drift mode anything the app says differently from the spec is at least a warning: only
annotations and FastAPI's own additions (its automatic 422, its validation-error schemas)
are info.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from typing_extensions import override

__all__ = ["RULES", "Change", "Finding", "Mode", "Rule", "Severity", "Side", "grade"]


class Severity(enum.IntEnum):
    INFO = 0
    WARNING = 1
    BREAKING = 2

    @property
    def label(self) -> str:
        return self.name.lower()


class Mode(enum.Enum):
    DRIFT = "drift"  # base: the spec, revision: the app
    DIFF = "diff"  # base: the old spec, revision: the new one


class Change(enum.Enum):
    NARROWER = "narrower"  # the revision accepts (or sends) less than the base
    WIDER = "wider"  # the revision accepts (or sends) more
    DIFFERENT = "different"  # neither holds the other
    DOC = "doc"  # the same values, said differently (a default, a style, a name)
    ANNOTATION = "annotation"  # a description, a summary, an example

    def flipped(self) -> Change:
        if self is Change.NARROWER:
            return Change.WIDER
        if self is Change.WIDER:
            return Change.NARROWER
        return self


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    summary: str
    doc_in_diff: Severity = Severity.INFO  # the severity of a "doc" change in diff mode


def grade(change: Change, direction: str, mode: Mode, rule: Rule) -> Severity:
    """The severity of ``change`` for a client built from the base (see the module's table)."""
    if change is Change.ANNOTATION:
        return Severity.INFO
    if change is Change.DOC:
        return Severity.WARNING if mode is Mode.DRIFT else rule.doc_in_diff
    if change is Change.DIFFERENT:
        return Severity.BREAKING
    harmless = Change.WIDER if direction == "request" else Change.NARROWER
    if change is harmless:
        return Severity.WARNING if mode is Mode.DRIFT else Severity.INFO
    return Severity.BREAKING


_B, _W, _I = Severity.BREAKING, Severity.WARNING, Severity.INFO

_RULE_LIST = [
    # operations, under paths, webhooks and callbacks alike
    Rule("operation.missing", "an operation of the base is not in the revision"),
    Rule("operation.added", "an operation of the revision is not in the base"),
    Rule("operation.id", "the operationId differs", _B),
    Rule("operation.summary", "the summary differs"),
    Rule("operation.description", "the description differs"),
    Rule("operation.tags", "the tags differ"),
    Rule("operation.deprecated", "deprecated in one and not the other"),
    Rule("operation.servers", "the servers of an operation or path differ", _W),
    Rule("operation.external-docs", "the external documentation of an operation differs"),
    Rule("callback.missing", "a callback of the base is not in the revision"),
    Rule("callback.added", "a callback of the revision is not in the base"),
    Rule("webhook.missing", "a webhook of the base is not in the revision", _B),
    Rule("webhook.added", "a webhook of the revision is not in the base"),
    # parameters
    Rule("parameter.missing", "a parameter of the base is not read by the revision"),
    Rule("parameter.added", "the revision reads a parameter the base does not have"),
    Rule("parameter.required", "required in one and optional in the other"),
    Rule("parameter.name", "a path parameter has another name (the same position in the template)"),
    Rule("parameter.style", "style or explode differ: the value is written differently on the wire", _B),
    Rule("parameter.allow-reserved", "allowReserved differs", _B),
    Rule("parameter.allow-empty-value", "allowEmptyValue differs"),
    Rule("parameter.content", "the media type of a parameter given with content differs", _B),
    Rule("parameter.deprecated", "deprecated in one and not the other"),
    Rule("parameter.description", "the description differs"),
    # request bodies
    Rule("request-body.missing", "the revision takes no request body", _W),
    Rule("request-body.added", "the revision takes a request body the base does not"),
    Rule("request-body.required", "required in one and optional in the other"),
    Rule("request-body.media-type-missing", "the revision does not accept a media type"),
    Rule("request-body.media-type-added", "the revision accepts another media type"),
    Rule("request-body.encoding", "the encoding of a form or multipart property differs", _B),
    Rule("request-body.description", "the description differs"),
    # responses
    Rule("response.missing", "a response of the base is not documented by the revision", _W),
    Rule("response.added", "the revision documents a response the base does not"),
    Rule("response.fastapi-status", "FastAPI's own 200, where the spec has only default or ranges"),
    Rule("response.validation-422", "FastAPI's automatic 422, which the spec does not declare"),
    Rule("response.description", "the description differs"),
    Rule("response.body-not-allowed", "content declared for a 1xx, 204 or 304 response, which has no body"),
    Rule("response.media-type-missing", "the revision does not send a media type"),
    Rule("response.media-type-added", "the revision may send another media type"),
    Rule("response.header-missing", "a response header is not sent"),
    Rule("response.header-added", "another response header is sent"),
    Rule("response.header-required", "required in one and optional in the other"),
    Rule("response.header-description", "the description of a response header differs"),
    Rule("response.links", "the links of a response differ"),
    # schemas
    Rule("schema.type", "the type differs"),
    Rule("schema.nullable", "null allowed in one and not the other"),
    Rule("schema.format", "the format differs"),
    Rule("schema.enum", "the enum (or const) values differ"),
    Rule("schema.minimum", "the lower bound differs"),
    Rule("schema.maximum", "the upper bound differs"),
    Rule("schema.min-length", "minLength differs"),
    Rule("schema.max-length", "maxLength differs"),
    Rule("schema.pattern", "the pattern differs"),
    Rule("schema.multiple-of", "multipleOf differs"),
    Rule("schema.min-items", "minItems differs"),
    Rule("schema.max-items", "maxItems differs"),
    Rule("schema.unique-items", "uniqueItems differs"),
    Rule("schema.min-properties", "minProperties differs"),
    Rule("schema.max-properties", "maxProperties differs"),
    Rule("schema.property-missing", "a property of the base is not declared by the revision"),
    Rule("schema.property-added", "the revision declares a property the base does not"),
    Rule("schema.required", "a property is required in one and not the other"),
    Rule("schema.additional-properties", "additionalProperties differ"),
    Rule("schema.pattern-properties", "patternProperties differ"),
    Rule("schema.property-names", "propertyNames differs"),
    Rule("schema.dependent", "dependentRequired or dependentSchemas differ"),
    Rule("schema.unevaluated", "unevaluatedProperties or unevaluatedItems differ"),
    Rule("schema.contains", "contains, minContains or maxContains differ"),
    Rule("schema.conditional", "if/then/else differ"),
    Rule("schema.not", "not differs"),
    Rule("schema.all-of", "an allOf part that cannot be merged differs"),
    Rule("schema.content", "contentMediaType, contentEncoding or contentSchema differ", _B),
    Rule("schema.read-only", "readOnly differs", _W),
    Rule("schema.write-only", "writeOnly differs", _W),
    Rule("schema.default", "the default differs", _W),
    Rule("schema.deprecated", "deprecated in one and not the other"),
    Rule("schema.union", "the alternatives of oneOf/anyOf differ"),
    Rule("schema.discriminator", "the discriminator differs", _W),
    Rule("schema.xml", "the XML representation differs", _W),
    Rule("schema.keyword", "a keyword no other rule covers differs (default-deny)", _W),
    # security
    Rule("security.added", "the revision requires credentials the base does not"),
    Rule("security.removed", "the revision requires no credentials"),
    Rule("security.alternative-missing", "a way to authenticate is not accepted"),
    Rule("security.alternative-added", "another way to authenticate is accepted"),
    Rule("security.scopes", "an alternative requires other scopes"),
    Rule("security.scheme-missing", "a security scheme of the base is not in the revision", _W),
    Rule("security.scheme-added", "a security scheme of the revision is not in the base"),
    Rule("security.scheme-changed", "a security scheme is defined differently", _B),
    # the document
    Rule("info.changed", "document information differs (title, version, license, ...)"),
    Rule("servers.changed", "the servers differ", _W),
    Rule("tags.changed", "tag metadata differs"),
    Rule("external-docs.changed", "the document's external documentation differs"),
    Rule("document.keyword", "a document-level field no other rule covers differs (default-deny)", _W),
]
RULES: dict[str, Rule] = {rule.id: rule for rule in _RULE_LIST}


@dataclass(frozen=True, slots=True)
class Side:
    pointer: str
    file: str | None = None
    line: int | None = None
    column: int | None = None

    @override
    def __str__(self) -> str:
        if self.file is None:
            return f"#{self.pointer}"
        return f"{self.file}:{self.line or 1}:{self.column or 1}"


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    where: str  # a path a person can follow: "GET /pets › response 200 › application/json › name"
    operation: str | None  # "GET /pets"
    base: Side
    revision: Side
    change: Change = Change.DIFFERENT

    @property
    def key(self) -> str:
        """Stable across runs: what an ignore file matches."""
        return f"{self.rule} {self.where}"
