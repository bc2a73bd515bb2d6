"""Drift: does the app still say what the spec says? And: what does a spec change break?

``check_drift`` compares a spec with the document FastAPI derives from an app (the generated
package's ``create_app()``, or a service's own app); ``check_diff`` compares two versions of a
spec. Both use one engine (:mod:`compare`), and report graded findings located on both sides.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from codegen.drift.appschema import AppDocument, app_document, load_app
from codegen.drift.documents import Documents, compare_documents
from codegen.drift.findings import RULES, Change, Finding, Mode, Severity, Side
from codegen.drift.report import render_report
from codegen.load import Limits, Loaded, SourceMap, load_spec
from codegen.problems import Location, Problem, ProblemsError

__all__ = [
    "RULES",
    "Change",
    "Finding",
    "IgnoreRule",
    "Mode",
    "Report",
    "Severity",
    "check_diff",
    "check_drift",
    "check_package_drift",
    "load_ignore",
    "render_report",
]


@dataclass(frozen=True, slots=True)
class IgnoreRule:
    """Accept a known finding: its rule id, and where (a glob over the finding's path)."""

    rule: str
    where: str = "*"
    reason: str = ""

    def matches(self, finding: Finding) -> bool:
        return fnmatch.fnmatchcase(finding.rule, self.rule) and fnmatch.fnmatchcase(finding.where, self.where)


@dataclass(frozen=True, slots=True)
class Report:
    title: str
    findings: tuple[Finding, ...]
    ignored: int
    mode: Mode = Mode.DRIFT

    def at_least(self, threshold: Severity) -> list[Finding]:
        return [f for f in self.findings if f.severity >= threshold]

    def count(self, rule: str) -> int:
        return sum(1 for f in self.findings if f.rule == rule)


def load_ignore(path: Path) -> list[IgnoreRule]:
    """An ignore file: a YAML list of ``{rule, where, reason}``."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as exc:
        raise ProblemsError(
            [Problem("drift.ignore", f"cannot read the ignore file: {exc}", Location("", str(path)))]
        ) from None
    if not isinstance(data, list):
        raise ProblemsError([Problem("drift.ignore", "the ignore file must be a list", Location("", str(path)))])
    rules = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("rule"), str):
            raise ProblemsError([Problem("drift.ignore", f"entry {i + 1} needs a 'rule'", Location("", str(path)))])
        unknown = set(item) - {"rule", "where", "reason"}
        if unknown:
            raise ProblemsError(
                [Problem("drift.ignore", f"entry {i + 1}: unknown key {sorted(unknown)[0]!r}", Location("", str(path)))]
            )
        if not any(fnmatch.fnmatchcase(rule, item["rule"]) for rule in RULES):
            raise ProblemsError(
                [Problem("drift.ignore", f"entry {i + 1}: no rule matches {item['rule']!r}", Location("", str(path)))]
            )
        rules.append(IgnoreRule(item["rule"], str(item.get("where", "*")), str(item.get("reason", ""))))
    return rules


def _side(side: Side, found: dict[str, Location]) -> Side:
    loc = found.get(side.pointer)
    if loc is None or loc.file is None:
        return side
    return Side(side.pointer, loc.file, loc.line, loc.column)


def _locate(findings: list[Finding], base: SourceMap, revision: SourceMap | AppDocument) -> list[Finding]:
    base_found = base.locations(f.base.pointer for f in findings if f.base.pointer)
    if isinstance(revision, SourceMap):
        rev_found = revision.locations(f.revision.pointer for f in findings if f.revision.pointer)
    else:
        rev_found = {}
        for f in findings:
            # an operation's pointer is /paths/<path>/<method>: its first three steps
            parts = f.revision.pointer.split("/")
            source = revision.sources.get("/".join(parts[:4])) if len(parts) >= 4 else None
            if source is not None:
                rev_found[f.revision.pointer] = Location(f.revision.pointer, source[0], source[1], 1)
    return [replace(f, base=_side(f.base, base_found), revision=_side(f.revision, rev_found)) for f in findings]


def _filter(findings: list[Finding], ignore: list[IgnoreRule]) -> tuple[list[Finding], int]:
    kept = [f for f in findings if not any(rule.matches(f) for rule in ignore)]
    return kept, len(findings) - len(kept)


def check_drift(
    spec: Path,
    app: Any,
    *,
    ignore: list[IgnoreRule] | None = None,
    allow_remote: bool = False,
    limits: Limits = Limits(),
) -> Report:
    """Compare ``spec`` with the document FastAPI derives from ``app`` (a FastAPI instance)."""
    loaded = load_spec(spec, allow_remote=allow_remote, limits=limits)
    derived = app_document(app)
    docs = Documents(loaded.document, derived.document, Mode.DRIFT, derived.auto_summaries, derived.auto_ids)
    findings = _locate(compare_documents(docs), loaded.sources, derived)
    kept, ignored = _filter(findings, ignore or [])
    return Report(f"drift between {loaded.root.key} and the app", tuple(kept), ignored, Mode.DRIFT)


def _load_valid(path: Path, allow_remote: bool, limits: Limits) -> Loaded:
    """A spec, loaded and validated: a diff of documents the validator refuses says nothing."""
    from codegen.problems import Severity as Level
    from codegen.validate import validate_document

    loaded = load_spec(path, allow_remote=allow_remote, limits=limits)
    errors = [p for p in validate_document(loaded.document, loaded.version) if p.severity is Level.ERROR]
    if errors:
        raise ProblemsError(loaded.sources.locate(errors))
    return loaded


def check_diff(
    old: Path,
    new: Path,
    *,
    ignore: list[IgnoreRule] | None = None,
    allow_remote: bool = False,
    limits: Limits = Limits(),
) -> Report:
    """Compare two versions of a spec, graded for clients built from ``old``."""
    before = _load_valid(old, allow_remote, limits)
    after = _load_valid(new, allow_remote, limits)
    findings = compare_documents(Documents(before.document, after.document, Mode.DIFF))
    findings = _locate(findings, before.sources, after.sources)
    kept, ignored = _filter(findings, ignore or [])
    return Report(f"changes from {before.root.key} to {after.root.key}", tuple(kept), ignored, Mode.DIFF)


def check_package_drift(
    spec: Path,
    package: str,
    out: Path,
    *,
    ignore: list[IgnoreRule] | None = None,
    allow_remote: bool = False,
    limits: Limits = Limits(),
) -> Report:
    """``check_drift`` of a generated package's app; a large one is built in two processes
    (see :mod:`codegen.drift.parallel`) while the spec loads."""
    from codegen.drift.parallel import package_document

    derived, loaded = package_document(package, out, lambda: load_spec(spec, allow_remote=allow_remote, limits=limits))
    docs = Documents(loaded.document, derived.document, Mode.DRIFT, derived.auto_summaries, derived.auto_ids)
    findings = _locate(compare_documents(docs), loaded.sources, derived)
    kept, ignored = _filter(findings, ignore or [])
    return Report(f"drift between {loaded.root.key} and the app", tuple(kept), ignored, Mode.DRIFT)


def build_app(package: str, out: Path) -> Any:
    """The generated package's app, built by its ``create_app()``."""
    return load_app(package, search=out)
