"""Findings as text for people, JSON for tools, markdown for pull requests, and GitHub
annotations or JUnit XML for CI."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from codegen.drift.findings import Finding, Mode, Severity
from codegen.problems import printable

__all__ = ["render_report"]

_ORDER = (Severity.BREAKING, Severity.WARNING, Severity.INFO)


def _sorted(findings: Sequence[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-f.severity, f.operation or "", f.where, f.rule, f.message))


def _summary(findings: Sequence[Finding], ignored: int) -> str:
    counts = Counter(f.severity for f in findings)
    parts = [f"{counts.get(s, 0)} {s.label}" for s in _ORDER]
    text = ", ".join(parts)
    return text + (f" ({ignored} ignored)" if ignored else "")


# Counted, not listed one by one unless asked: FastAPI's own additions.
_COUNTED = ("response.validation-422",)


def text(findings: Sequence[Finding], title: str, ignored: int, color: bool = False, verbose: bool = False) -> str:
    paint = {Severity.BREAKING: "31;1", Severity.WARNING: "33", Severity.INFO: "2"}
    lines = [printable(f"{title}: {_summary(findings, ignored)}")]
    counted = Counter(f.rule for f in findings if f.rule in _COUNTED and f.severity is Severity.INFO)
    shown = findings if verbose else [f for f in findings if f.rule not in counted]
    for f in _sorted(shown):
        label = f.severity.label.upper()
        if color:
            label = f"\033[{paint[f.severity]}m{label}\033[0m"
        lines.append(f"  {label} {printable(f'{f.rule}: {f.message}')}")
        lines.append(printable(f"      at {f.where}"))
        lines.append(printable(f"      base {f.base}   revision {f.revision}"))
    if not verbose:
        for rule, n in sorted(counted.items()):
            lines.append(
                f"  (info) {rule}: FastAPI's automatic 422 on {n} operation(s) whose spec declares none; --verbose lists them"
            )
    return "\n".join(lines) + "\n"


def as_json(findings: Sequence[Finding], title: str, ignored: int) -> str:
    counts = Counter(f.severity.label for f in findings)
    payload = {
        "title": title,
        "summary": {s.label: counts.get(s.label, 0) for s in _ORDER} | {"ignored": ignored},
        "findings": [
            {
                "rule": f.rule,
                "severity": f.severity.label,
                "message": f.message,
                "where": f.where,
                "operation": f.operation,
                "key": f.key,
                "base": {"pointer": f.base.pointer, "file": f.base.file, "line": f.base.line, "column": f.base.column},
                "revision": {
                    "pointer": f.revision.pointer,
                    "file": f.revision.file,
                    "line": f.revision.line,
                    "column": f.revision.column,
                },
            }
            for f in _sorted(findings)
        ],
    }
    return json.dumps(payload, indent=2) + "\n"


def markdown(findings: Sequence[Finding], title: str, ignored: int) -> str:
    lines = [f"### {title}", "", _summary(findings, ignored), ""]
    if findings:
        lines += ["| | rule | where | what |", "|---|---|---|---|"]
        icon = {Severity.BREAKING: "🔴 breaking", Severity.WARNING: "🟡 warning", Severity.INFO: "⚪ info"}
        for f in _sorted(findings):
            where = f"{f.where} ({f.base})" if f.base.file else f.where
            lines.append(f"| {icon[f.severity]} | `{f.rule}` | {_md(where)} | {_md(f.message)} |")
    return "\n".join(lines) + "\n"


def _md(value: str) -> str:
    return printable(value.replace("|", "\\|").replace("\n", " "))


def github(findings: Sequence[Finding], title: str, ignored: int, mode: Mode = Mode.DRIFT) -> str:
    """GitHub Actions workflow commands: one annotation per finding, on the line of the file a
    pull request changes: the spec in a drift check, the new revision in a diff."""
    level = {Severity.BREAKING: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    lines = []
    for f in _sorted(findings):
        first, second = (f.revision, f.base) if mode is Mode.DIFF else (f.base, f.revision)
        side = first if first.file else second
        props = []
        if side.file:
            props.append(f"file={_gh(side.file, prop=True)}")
            if side.line:
                props.append(f"line={side.line}")
            if side.column:
                props.append(f"col={side.column}")
        props.append(f"title={_gh(f.rule, prop=True)}")
        lines.append(f"::{level[f.severity]} {','.join(props)}::{_gh(f.message + ' (at ' + f.where + ')')}")
    lines.append(printable(f"{title}: {_summary(findings, ignored)}"))
    return "\n".join(lines) + "\n"


def _gh(value: str, *, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def junit(findings: Sequence[Finding], title: str, ignored: int) -> str:
    failures = [f for f in findings if f.severity > Severity.INFO]
    cases = []
    for f in _sorted(findings):
        name = quoteattr(f"{f.rule} {f.where}")
        if f.severity > Severity.INFO:
            body = escape(f"{f.message}\nbase: {f.base}\nrevision: {f.revision}")
            cases.append(
                f"  <testcase classname={quoteattr(f.operation or 'document')} name={name}>"
                f'<failure type="{f.severity.label}" message={quoteattr(f.message)}>{body}</failure></testcase>'
            )
        else:
            cases.append(f"  <testcase classname={quoteattr(f.operation or 'document')} name={name}/>")
    if not cases:
        cases.append(f'  <testcase classname="drift" name={quoteattr(title)}/>')
    head = (
        f'<testsuite name={quoteattr(title)} tests="{max(len(findings), 1)}" failures="{len(failures)}" '
        f'skipped="{ignored}">'
    )
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + head + "\n" + "\n".join(cases) + "\n</testsuite>\n"


def render_report(
    findings: Sequence[Finding],
    fmt: str,
    title: str,
    ignored: int = 0,
    color: bool = False,
    *,
    mode: Mode = Mode.DRIFT,
    verbose: bool = False,
) -> str:
    if fmt == "text":
        return text(findings, title, ignored, color, verbose)
    if fmt == "github":
        return github(findings, title, ignored, mode)
    renderers = {"json": as_json, "markdown": markdown, "junit": junit}
    return renderers[fmt](findings, title, ignored)
