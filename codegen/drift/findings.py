"""Findings, their severities, and every rule the engine knows (the table is in docs/drift.md).

Severity is judged for a client built from the *base* document (the spec, or the old spec):

* **breaking**: such a client can fail (a request it sends is refused, a response it gets
  is something it was not told to expect);
* **warning**: the two documents disagree, but that client keeps working (in a drift check:
  the app does not enforce part of the contract, or documents something the spec does not);
* **info**: documentation only (descriptions, summaries, examples, defaults).

A narrower request or a wider response breaks clients; the opposite does not.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from typing_extensions import override

__all__ = ["RULES", "Context", "Finding", "Mode", "Rule", "Severity", "Side"]


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


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    summary: str
    default: Severity  # when the severity does not depend on direction


_RULE_LIST = [
    Rule("operation.missing", "an operation of the base is not in the revision", Severity.BREAKING),
    Rule("operation.added", "an operation of the revision is not in the base", Severity.WARNING),
    Rule("operation.id", "the operationId differs", Severity.BREAKING),
    Rule("operation.summary", "the summary differs", Severity.INFO),
    Rule("operation.description", "the description differs", Severity.INFO),
    Rule("operation.tags", "the tags differ", Severity.INFO),
    Rule("operation.deprecated", "deprecated in one and not the other", Severity.INFO),
    Rule("parameter.missing", "a parameter of the base is not read by the revision", Severity.WARNING),
    Rule("parameter.added", "the revision reads a parameter the base does not have", Severity.INFO),
    Rule("parameter.required", "required in one and optional in the other", Severity.BREAKING),
    Rule("parameter.style", "style/explode differ (FastAPI cannot document them)", Severity.INFO),
    Rule("parameter.deprecated", "deprecated in one and not the other", Severity.INFO),
    Rule("parameter.description", "the description differs", Severity.INFO),
    Rule("request-body.missing", "the revision takes no request body", Severity.WARNING),
    Rule("request-body.added", "the revision takes a request body the base does not", Severity.BREAKING),
    Rule("request-body.required", "required in one and optional in the other", Severity.BREAKING),
    Rule("request-body.media-type-missing", "the revision does not accept a media type", Severity.BREAKING),
    Rule("request-body.media-type-added", "the revision accepts another media type", Severity.INFO),
    Rule("response.missing", "a response of the base is not documented by the revision", Severity.WARNING),
    Rule("response.added", "the revision documents a response the base does not", Severity.WARNING),
    Rule("response.fastapi-status", "FastAPI's own 200, where the spec has only default or ranges", Severity.INFO),
    Rule("response.validation-422", "FastAPI's automatic 422, which the spec does not declare", Severity.INFO),
    Rule("response.description", "the description differs", Severity.INFO),
    Rule(
        "response.body-not-allowed", "content declared for a 1xx, 204 or 304 response, which has no body", Severity.INFO
    ),
    Rule("response.media-type-missing", "the revision does not send a media type", Severity.BREAKING),
    Rule("response.media-type-added", "the revision may send another media type", Severity.BREAKING),
    Rule("response.header-missing", "a response header is not sent", Severity.WARNING),
    Rule("response.header-added", "another response header is sent", Severity.INFO),
    Rule("response.header-required", "required in one and optional in the other", Severity.WARNING),
    Rule("schema.type", "the type differs", Severity.BREAKING),
    Rule("schema.nullable", "null allowed in one and not the other", Severity.BREAKING),
    Rule("schema.format", "the format differs", Severity.BREAKING),
    Rule("schema.enum", "the enum values differ", Severity.BREAKING),
    Rule("schema.minimum", "the lower bound differs", Severity.BREAKING),
    Rule("schema.maximum", "the upper bound differs", Severity.BREAKING),
    Rule("schema.min-length", "minLength differs", Severity.BREAKING),
    Rule("schema.max-length", "maxLength differs", Severity.BREAKING),
    Rule("schema.pattern", "the pattern differs", Severity.BREAKING),
    Rule("schema.multiple-of", "multipleOf differs", Severity.BREAKING),
    Rule("schema.min-items", "minItems differs", Severity.BREAKING),
    Rule("schema.max-items", "maxItems differs", Severity.BREAKING),
    Rule("schema.unique-items", "uniqueItems differs", Severity.BREAKING),
    Rule("schema.min-properties", "minProperties differs", Severity.BREAKING),
    Rule("schema.max-properties", "maxProperties differs", Severity.BREAKING),
    Rule("schema.property-missing", "a property of the base is not in the revision", Severity.BREAKING),
    Rule("schema.property-added", "the revision has a property the base does not", Severity.INFO),
    Rule("schema.required", "a property is required in one and not the other", Severity.BREAKING),
    Rule("schema.additional-properties", "additionalProperties differ", Severity.BREAKING),
    Rule("schema.read-only", "readOnly differs", Severity.WARNING),
    Rule("schema.write-only", "writeOnly differs", Severity.WARNING),
    Rule("schema.default", "the default differs", Severity.INFO),
    Rule("schema.union", "the alternatives of oneOf/anyOf differ", Severity.BREAKING),
    Rule("schema.discriminator", "the discriminator differs", Severity.WARNING),
    Rule("security.added", "the revision requires credentials the base does not", Severity.BREAKING),
    Rule("security.removed", "the revision requires no credentials", Severity.WARNING),
    Rule("security.alternative-missing", "a way to authenticate is not accepted", Severity.BREAKING),
    Rule("security.alternative-added", "another way to authenticate is accepted", Severity.INFO),
    Rule("security.inexpressible", "requirements FastAPI cannot document exactly (counted apart)", Severity.INFO),
    Rule("info.changed", "document information differs (title, version, license, ...)", Severity.INFO),
    Rule("servers.changed", "the servers differ", Severity.INFO),
    Rule("tags.changed", "tag metadata differs", Severity.INFO),
    Rule("webhook.missing", "a webhook of the base is not in the revision", Severity.WARNING),
    Rule("webhook.added", "a webhook of the revision is not in the base", Severity.INFO),
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

    @property
    def key(self) -> str:
        """Stable across runs: what an ignore file matches."""
        return f"{self.rule} {self.where}"


@dataclass(frozen=True, slots=True)
class Context:
    mode: Mode
    direction: str  # request | response
    where: str
    operation: str | None
    narrowed: tuple[str, str] | None = None  # (property, value) fixed by a discriminator

    def at(self, step: str) -> Context:
        return Context(self.mode, self.direction, f"{self.where} › {step}", self.operation, None)

    def grade(self, revision_wider: bool) -> Severity:
        """Severity of a change that makes the revision accept (or send) more, or less."""
        if self.direction == "request":
            if revision_wider:
                return Severity.WARNING if self.mode is Mode.DRIFT else Severity.INFO
            return Severity.BREAKING
        if revision_wider:
            return Severity.BREAKING
        return Severity.WARNING if self.mode is Mode.DRIFT else Severity.INFO


@dataclass
class Sink:
    findings: list[Finding] = field(default_factory=list)

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)
