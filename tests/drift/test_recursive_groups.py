"""The comparison of large mutually recursive groups (hand-written documents, built in code).

Schemas recur, so the differences of one pair are reached along many paths (exponentially many
in a group like this): each is reported once, under the shortest path, and the comparison
finishes in time proportional to the pairs, not the paths. Alternatives of a union are paired by
the component they name before anything else, so a difference deep inside one alternative is
reported there, not as a difference between two unrelated alternatives.
"""

from __future__ import annotations

import copy
from typing import Any

from codegen.drift.documents import Documents, compare_documents
from codegen.drift.findings import Mode


def group(size: int) -> dict[str, Any]:
    def ref(i: int) -> dict[str, str]:
        return {"$ref": f"#/components/schemas/Node{i % size}"}

    schemas: dict[str, Any] = {}
    for i in range(size):
        if i % 10 == 9:
            schemas[f"Node{i}"] = {"anyOf": [ref(i + 1), ref(i + 3)]}
        else:
            schemas[f"Node{i}"] = {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "next": ref(i + 1),
                    "related": {"type": "array", "items": ref(i + 7)},
                },
            }
    body = {"content": {"application/json": {"schema": ref(0)}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "group", "version": "1"},
        "paths": {"/nodes": {"post": {"requestBody": body, "responses": {"204": {"description": "stored"}}}}},
        "components": {"schemas": schemas},
    }


def test_a_difference_deep_in_a_group_of_200_is_reported_once() -> None:
    base = group(200)
    revision = copy.deepcopy(base)
    revision["components"]["schemas"]["Node150"]["properties"]["name"]["maxLength"] = 10
    findings = compare_documents(Documents(base, revision, Mode.DRIFT))
    assert [(f.rule, f.revision.pointer) for f in findings] == [
        ("schema.max-length", "/components/schemas/Node150/properties/name")
    ]


def test_alternatives_are_paired_by_the_component_they_name() -> None:
    base = group(30)
    revision = copy.deepcopy(base)
    revision["components"]["schemas"]["Node12"]["properties"]["name"]["type"] = "integer"
    findings = compare_documents(Documents(base, revision, Mode.DRIFT))
    assert {(f.rule, f.revision.pointer) for f in findings} == {
        ("schema.type", "/components/schemas/Node12/properties/name")
    }
    assert len(findings) == 1


def test_an_identical_group_has_no_difference() -> None:
    assert compare_documents(Documents(group(300), group(300), Mode.DRIFT)) == []
