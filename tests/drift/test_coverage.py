"""What the pair suite and the engine must cover: every rule fires, every equivalence is proven,
every schema rule is tried in requests and in responses, and every keyword of both schema
dialects is either compared or named an annotation."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import codegen.drift.normalize as normalize
from codegen.drift.equivalences import EQUIVALENCES
from codegen.drift.findings import RULES
from codegen.drift.schemas import AS_JSON, COMPARED
from tests.drift.test_pairs import CASES, parse, run, schema_document, verdicts


def _site() -> Path:
    import openapi_spec_validator

    return Path(openapi_spec_validator.__file__).parent.parent


def expected_rules() -> Counter[tuple[str, str]]:
    """(rule, position) of every finding the suite expects."""
    found: Counter[tuple[str, str]] = Counter()
    for _, case in CASES:
        for _, position, expected in verdicts(case):
            for rule, _severity, _where in parse(expected):
                found[(rule, position)] += 1
    return found


def test_every_rule_fires_in_some_pair() -> None:
    fired = {rule for rule, _ in expected_rules()}
    assert set(RULES) - fired == set(), "rules no hand-written pair expects"
    assert fired - set(RULES) == set(), "pairs expect rules the engine does not have"


def test_every_schema_rule_is_tried_in_requests_and_in_responses() -> None:
    found = expected_rules()
    missing = []
    for rule in RULES:
        if not rule.startswith("schema."):
            continue
        for position in ("request", "response"):
            if found[(rule, position)] == 0 and found[(rule, "document")] == 0:
                missing.append((rule, position))
    assert missing == []


def test_every_equivalence_is_proven_by_a_pair() -> None:
    proven = {case.get("same") or case.get("equivalence") for _, case in CASES} - {None}
    assert set(EQUIVALENCES) - proven == set(), "equivalences no pair proves"
    assert proven - set(EQUIVALENCES) == set(), "pairs name equivalences that do not exist"


def test_the_pair_suite_size_per_rule() -> None:
    """Printed with -s: how many verdicts each rule has (the closing note reports it)."""
    found = expected_rules()
    per_rule: dict[str, dict[str, int]] = {}
    for (rule, position), n in found.items():
        per_rule.setdefault(rule, {})[position] = n
    assert len(per_rule) == len(RULES)
    for rule in sorted(per_rule):
        print(rule, per_rule[rule])


def _meta_keywords() -> set[str]:
    """Every keyword of the OpenAPI 3.0 Schema Object and of the JSON Schema 2020-12
    vocabularies (plus OpenAPI 3.1's own), read from the meta-schemas installed here."""
    site = _site()
    keywords: set[str] = set()
    v30 = json.loads((site / "openapi_spec_validator/resources/schemas/v3.0/schema.json").read_text())
    keywords |= set(v30["definitions"]["Schema"]["properties"])
    vocab = site / "jsonschema_specifications/schemas/draft202012/vocabularies"
    for path in vocab.iterdir():
        keywords |= set(json.loads(path.read_text()).get("properties", {}))
    oas31 = json.loads((site / "openapi_schema_validator/schemas/oas3.1/vocabularies/base").read_text())
    keywords |= set(oas31["properties"])
    return keywords


def test_every_keyword_of_both_dialects_is_compared_or_an_annotation() -> None:
    keywords = _meta_keywords()
    assert len(keywords) > 50  # the meta-schemas were read
    known = COMPARED | AS_JSON | normalize.ANNOTATIONS | set(normalize.FOLDED)
    assert sorted(keywords - known) == []


# A schema with the keyword against the same schema without it: (base, revision), hand-written.
# Every keyword that is not an annotation must make a difference the engine reports.
SAMPLES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "type": ({}, {"type": "string"}),
    "enum": ({"type": "string"}, {"type": "string", "enum": ["a"]}),
    "const": ({"type": "string"}, {"type": "string", "const": "a"}),
    "nullable": ({"type": "string"}, {"type": "string", "nullable": True}),
    "format": ({"type": "string"}, {"type": "string", "format": "email"}),
    "minimum": ({"type": "number"}, {"type": "number", "minimum": 1}),
    "maximum": ({"type": "number"}, {"type": "number", "maximum": 1}),
    "exclusiveMinimum": ({"type": "number"}, {"type": "number", "exclusiveMinimum": 1}),
    "exclusiveMaximum": ({"type": "number"}, {"type": "number", "exclusiveMaximum": 1}),
    "multipleOf": ({"type": "number"}, {"type": "number", "multipleOf": 2}),
    "minLength": ({"type": "string"}, {"type": "string", "minLength": 2}),
    "maxLength": ({"type": "string"}, {"type": "string", "maxLength": 2}),
    "pattern": ({"type": "string"}, {"type": "string", "pattern": "^a"}),
    "minItems": ({"type": "array"}, {"type": "array", "minItems": 2}),
    "maxItems": ({"type": "array"}, {"type": "array", "maxItems": 2}),
    "uniqueItems": ({"type": "array"}, {"type": "array", "uniqueItems": True}),
    "items": ({"type": "array"}, {"type": "array", "items": {"type": "string"}}),
    "prefixItems": ({"type": "array"}, {"type": "array", "prefixItems": [{"type": "string"}]}),
    "contains": ({"type": "array"}, {"type": "array", "contains": {"type": "string"}}),
    "minContains": (
        {"type": "array", "contains": {"type": "string"}},
        {"type": "array", "contains": {"type": "string"}, "minContains": 2},
    ),
    "maxContains": (
        {"type": "array", "contains": {"type": "string"}},
        {"type": "array", "contains": {"type": "string"}, "maxContains": 2},
    ),
    "unevaluatedItems": ({"type": "array"}, {"type": "array", "unevaluatedItems": False}),
    "properties": ({"type": "object"}, {"type": "object", "properties": {"a": {"type": "string"}}}),
    "required": ({"type": "object"}, {"type": "object", "required": ["a"]}),
    "additionalProperties": ({"type": "object"}, {"type": "object", "additionalProperties": False}),
    "patternProperties": ({"type": "object"}, {"type": "object", "patternProperties": {"^a": {"type": "string"}}}),
    "propertyNames": ({"type": "object"}, {"type": "object", "propertyNames": {"maxLength": 2}}),
    "minProperties": ({"type": "object"}, {"type": "object", "minProperties": 2}),
    "maxProperties": ({"type": "object"}, {"type": "object", "maxProperties": 2}),
    "dependentRequired": ({"type": "object"}, {"type": "object", "dependentRequired": {"a": ["b"]}}),
    "dependentSchemas": ({"type": "object"}, {"type": "object", "dependentSchemas": {"a": {"required": ["b"]}}}),
    "unevaluatedProperties": ({"type": "object"}, {"type": "object", "unevaluatedProperties": False}),
    "allOf": ({"type": "string"}, {"type": "string", "allOf": [{"maxLength": 3}]}),
    "anyOf": ({}, {"anyOf": [{"type": "string"}, {"type": "object", "required": ["a"]}]}),
    "oneOf": ({}, {"oneOf": [{"type": "string"}, {"type": "object", "required": ["a"]}]}),
    "not": ({}, {"not": {"type": "string"}}),
    "if": ({}, {"if": {"type": "string"}, "then": {"maxLength": 2}}),
    "then": ({"if": {"type": "string"}}, {"if": {"type": "string"}, "then": {"maxLength": 2}}),
    "else": ({"if": {"type": "string"}}, {"if": {"type": "string"}, "else": {"type": "integer"}}),
    "contentMediaType": ({"type": "string"}, {"type": "string", "contentMediaType": "image/png"}),
    "contentEncoding": ({"type": "string"}, {"type": "string", "contentEncoding": "base64"}),
    "contentSchema": (
        {"type": "string", "contentMediaType": "application/json"},
        {"type": "string", "contentMediaType": "application/json", "contentSchema": {"type": "object"}},
    ),
    "readOnly": ({"type": "string"}, {"type": "string", "readOnly": True}),
    "writeOnly": ({"type": "string"}, {"type": "string", "writeOnly": True}),
    "deprecated": ({"type": "string"}, {"type": "string", "deprecated": True}),
    "default": ({"type": "string"}, {"type": "string", "default": "a"}),
    "xml": ({"type": "object"}, {"type": "object", "xml": {"name": "a"}}),
    "discriminator": (
        {
            "oneOf": [
                {"type": "object", "properties": {"k": {"const": "a"}}, "required": ["k"]},
                {"type": "object", "properties": {"k": {"const": "b"}}, "required": ["k"]},
            ]
        },
        {
            "oneOf": [
                {"type": "object", "properties": {"k": {"const": "a"}}, "required": ["k"]},
                {"type": "object", "properties": {"k": {"const": "b"}}, "required": ["k"]},
            ],
            "discriminator": {"propertyName": "k"},
        },
    ),
    "$ref": ({"type": "string"}, {"$ref": "#/paths/~1x/post/responses/200/description"}),
    "$dynamicRef": ({}, {"$dynamicRef": "#meta"}),
}
_NOT_SCHEMA = {"$defs", "definitions", "$vocabulary", "$schema", "$id", "$anchor", "$dynamicAnchor", "$comment"}


@pytest.mark.parametrize("keyword", sorted(_meta_keywords() - normalize.ANNOTATIONS - _NOT_SCHEMA))
def test_a_difference_in_any_keyword_is_a_finding(keyword: str) -> None:
    assert keyword in SAMPLES, f"no sample for {keyword}"
    base, revision = SAMPLES[keyword]
    media = "application/xml" if keyword == "xml" else "application/json"
    for position in ("request", "response"):
        found = run(schema_document(base, position, "3.0.3" if keyword == "nullable" else "3.1.0", media),
                    schema_document(revision, position, "3.1.0", media), "drift")  # fmt: skip
        assert any(f.severity.value >= 1 for f in found), f"{keyword} in a {position}: {found}"


@pytest.mark.parametrize("keyword", sorted(normalize.ANNOTATIONS))
def test_an_annotation_makes_no_finding(keyword: str) -> None:
    value: Any = (
        {"url": "https://example.com"} if keyword == "externalDocs" else ["x"] if keyword == "examples" else "x"
    )
    for position in ("request", "response"):
        found = run(schema_document({"type": "string"}, position, "3.1.0"),
                    schema_document({"type": "string", keyword: value}, position, "3.1.0"), "drift")  # fmt: skip
        assert found == []
