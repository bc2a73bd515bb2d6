"""The drift engine on hand-written pairs of documents with known verdicts.

Each file under ``pairs/`` is a list of cases, written by hand, never generated:

* a *schema case* has ``base`` and ``revision`` schemas, put in the position of a JSON request
  body (``request``) and of a JSON response (``response``), and for each mode (``diff``,
  ``drift``) and position the findings expected, as ``rule/severity`` (``@text`` after it: the
  finding's ``where`` must contain the text). A case with ``same: <equivalence id>`` expects no
  finding anywhere: it proves that equivalence.
* a *document case* has ``base_doc`` and ``revision_doc`` (``openapi`` and ``info`` filled in
  when absent) and the findings expected per mode.

The findings must match exactly: nothing missing, nothing more.
"""

from __future__ import annotations

import copy
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from codegen.drift.documents import Documents, compare_documents
from codegen.drift.findings import Finding, Mode

PAIRS = Path(__file__).parent / "pairs"
POSITIONS = ("request", "response")


def load_cases() -> list[tuple[str, dict[str, Any]]]:
    cases = []
    for path in sorted(PAIRS.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append((f"{path.stem}: {case['name']}", case))
    return cases


CASES = load_cases()


def schema_document(schema: Any, position: str, version: str, media: str = "application/json") -> dict[str, Any]:
    op: dict[str, Any] = {"operationId": "op", "responses": {"200": {"description": "ok"}}}
    if position == "request":
        op["requestBody"] = {"required": True, "content": {media: {"schema": copy.deepcopy(schema)}}}
    else:
        op["responses"]["200"]["content"] = {media: {"schema": copy.deepcopy(schema)}}
    doc: dict[str, Any] = {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": {"/x": {"post": op}}}
    return doc


def full_document(doc: dict[str, Any], version: str) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    out.setdefault("openapi", version)
    out.setdefault("info", {"title": "t", "version": "1"})
    if not out["openapi"].startswith("3.1"):
        out.setdefault("paths", {})
    return out


def with_components(doc: dict[str, Any], case: dict[str, Any], side: str) -> dict[str, Any]:
    components = case.get(f"{side}_components", case.get("components"))
    if components:
        doc["components"] = {"schemas": copy.deepcopy(components)}
    return doc


def run(base: dict[str, Any], revision: dict[str, Any], mode: str, case: dict[str, Any] | None = None) -> list[Finding]:
    case = case or {}
    auto_summaries = frozenset(case.get("auto_summaries", ()))
    auto_ids = frozenset(case.get("auto_ids", ()))
    return compare_documents(Documents(base, revision, Mode(mode), auto_summaries, auto_ids))


def parse(expected: list[str]) -> list[tuple[str, str, str | None]]:
    out = []
    for item in expected:
        head, _, where = item.partition("@")
        rule, _, severity = head.strip().partition("/")
        out.append((rule, severity, where.strip() or None))
    return out


def check(found: list[Finding], expected: list[str], label: str) -> None:
    want = parse(expected)
    got = Counter((f.rule, f.severity.label) for f in found)
    assert got == Counter((r, s) for r, s, _ in want), f"{label}: got\n" + "\n".join(
        f"  {f.rule}/{f.severity.label} at {f.where}: {f.message}" for f in found
    )
    for rule, _severity, where in want:
        if where is not None:
            assert any(f.rule == rule and where in f.where for f in found), f"{label}: {rule} not at {where!r}"


def verdicts(case: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """(mode, position, expected) for every verdict a case gives."""
    out = []
    if "same" in case:
        if "base_doc" in case:
            return [(mode, "document", []) for mode in ("diff", "drift")]
        positions = case.get("positions", list(POSITIONS))
        return [(mode, pos, []) for mode in ("diff", "drift") for pos in positions]
    for mode in ("diff", "drift"):
        given = case.get(mode)
        if given is None:
            continue
        if "base_doc" in case:
            out.append((mode, "document", list(given)))
        else:
            out.extend((mode, pos, list(given.get(pos, []))) for pos in POSITIONS if pos in given)
    return out


@pytest.mark.parametrize(("label", "case"), CASES, ids=[label for label, _ in CASES])
def test_pair(label: str, case: dict[str, Any]) -> None:
    base_version = str(case.get("base_version", case.get("version", "3.1.0")))
    revision_version = str(case.get("revision_version", case.get("version", "3.1.0")))
    found_any = False
    for mode, position, expected in verdicts(case):
        found_any = True
        if position == "document":
            base = full_document(case["base_doc"], base_version)
            revision = full_document(case["revision_doc"], revision_version)
        else:
            base = with_components(schema_document(case["base"], position, base_version), case, "base")
            revision = with_components(schema_document(case["revision"], position, revision_version), case, "revision")
        check(run(base, revision, mode, case), expected, f"{mode}, {position}")
    assert found_any, "a case gives no verdict"


def test_every_case_is_symmetric_in_identity() -> None:
    """A document compared with itself has no finding (every case's base and revision)."""
    for label, case in CASES:
        for side in ("base", "revision"):
            version = str(case.get(f"{side}_version", case.get("version", "3.1.0")))
            if "base_doc" in case:
                doc = full_document(case[f"{side}_doc"], version)
                docs = [doc]
            else:
                docs = [with_components(schema_document(case[side], p, version), case, side) for p in POSITIONS]
            for doc in docs:
                for mode in ("diff", "drift"):
                    found = run(doc, copy.deepcopy(doc), mode)
                    assert not found, f"{label} ({side}, {mode}): {[(f.rule, f.message) for f in found]}"
