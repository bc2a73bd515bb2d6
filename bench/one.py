"""Run the pipeline on one spec and print one JSON line: how far it got, and the drift.

``python -m bench.one SPEC WORKDIR``. Run in its own process by ``bench.corpus`` so that a
crash, a hang or the memory of one spec cannot affect the others.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any


def _error(exc: BaseException) -> str:
    from codegen.problems import ProblemsError

    if isinstance(exc, ProblemsError):
        first = exc.errors[0] if exc.errors else exc.problems[0]
        return f"{first.code}: {first.message}"[:300]
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" [{Path(frame.filename).name}:{frame.lineno}]" if frame else ""
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300] + where


def typecheck(out: Path) -> dict[str, Any]:
    """``mypy --strict`` and ``ruff check`` (the project's rules, no per-file ignores) on the
    generated package: whether each passes, and the first message when it does not."""
    import subprocess

    bin_dir = Path(sys.executable).parent
    root = Path(__file__).resolve().parent.parent
    found: dict[str, Any] = {}
    for tool, argv in (
        ("mypy", [str(bin_dir / "mypy"), "--strict", "--no-incremental", "--cache-dir", os.devnull, "-p", "api"]),
        (
            "ruff",
            [
                str(bin_dir / "ruff"),
                "check",
                "--no-cache",
                "--output-format",
                "concise",
                "--config",
                str(root / "pyproject.toml"),
                "api",
            ],
        ),
    ):
        done = subprocess.run(argv, cwd=out, capture_output=True, text=True, check=False)
        lines = [line for line in done.stdout.splitlines() if ": error:" in line or (": " in line and tool == "ruff")]
        found[tool] = {"ok": done.returncode == 0, "first": (lines or [done.stdout.strip()[-200:]])[0][:240]}
    return found


def run(spec: Path, work: Path) -> dict[str, Any]:
    from codegen.cache import Cache
    from codegen.pipeline import Options, generate, validate
    from codegen.problems import Severity

    result: dict[str, Any] = {"spec": str(spec), "stage": "start", "times": {}}
    options = Options(cache=Cache(work / "cache"), parallel=False)
    t = time.perf_counter()
    problems = validate(spec, options)
    result["times"]["validate"] = round(time.perf_counter() - t, 2)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        result.update(stage="invalid", error=f"{errors[0].code}: {errors[0].message}"[:300], errors=len(errors))
        return result
    result["warnings"] = dict(Counter(p.code for p in problems if p.severity is Severity.WARNING))
    t = time.perf_counter()
    try:
        generate(spec, "api", work / "out", options, write=True)
    except BaseException as exc:  # noqa: BLE001
        result.update(stage="generate", error=_error(exc))
        return result
    result["times"]["generate"] = round(time.perf_counter() - t, 2)
    if os.environ.get("CODEGEN_BENCH_TYPECHECK"):
        result["typecheck"] = typecheck(work / "out")
    sys.path.insert(0, str(work / "out"))
    t = time.perf_counter()
    try:
        import api.app  # type: ignore[import-not-found]
    except BaseException as exc:  # noqa: BLE001
        result.update(stage="import", error=_error(exc))
        return result
    try:
        app = api.app.create_app()
    except BaseException as exc:  # noqa: BLE001
        result.update(stage="app", error=_error(exc))
        return result
    result["times"]["import+app"] = round(time.perf_counter() - t, 2)
    from codegen.drift import check_drift

    t = time.perf_counter()
    try:
        report = check_drift(spec, app)
    except BaseException as exc:  # noqa: BLE001
        result.update(stage="drift", error=_error(exc))
        return result
    result["times"]["drift"] = round(time.perf_counter() - t, 2)
    counts = Counter(f.severity.label for f in report.findings if f.rule != "response.validation-422")
    result.update(
        stage="ok",
        drift={k: counts.get(k, 0) for k in ("breaking", "warning", "info")},
        validation_422=report.count("response.validation-422"),
        rules=dict(
            Counter(f"{f.severity.label}:{f.rule}" for f in report.findings if f.rule != "response.validation-422")
        ),
        samples={f.rule: f"{f.where}: {f.message}"[:240] for f in report.findings if f.severity.value > 0},
    )
    return result


if __name__ == "__main__":
    os.environ.setdefault("CODEGEN_NO_CACHE", "")
    out = run(Path(sys.argv[1]), Path(sys.argv[2]))
    print(json.dumps(out))
