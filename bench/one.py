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

# findings kept per spec, to classify them (CODEGEN_BENCH_MAX_FINDINGS: another limit)
MAX_FINDINGS = int(os.environ.get("CODEGEN_BENCH_MAX_FINDINGS") or 3000)


def _error(exc: BaseException) -> str:
    from codegen.problems import ProblemsError

    if isinstance(exc, ProblemsError):
        first = exc.errors[0] if exc.errors else exc.problems[0]
        return f"{first.code}: {first.message}"[:300]
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" [{Path(frame.filename).name}:{frame.lineno}]" if frame else ""
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300] + where


def typecheck(out: Path) -> dict[str, Any]:
    """``mypy --strict`` and ``ruff check`` with ruff's default rules (``--isolated``: no project
    configuration, as issue 14 asks) on the generated package: whether each passes, the first
    message when it does not, and the messages counted by error code.

    ``CODEGEN_BENCH_MYPY_CACHE`` names a mypy cache to reuse (the corpus run gives each worker
    its own): the third-party packages are then analysed once, not for every spec.
    ``CODEGEN_BENCH_TYPECHECK_TIMEOUT`` (seconds, default 900) bounds each tool."""
    import subprocess

    bin_dir = Path(sys.executable).parent
    cache = os.environ.get("CODEGEN_BENCH_MYPY_CACHE")
    limit = float(os.environ.get("CODEGEN_BENCH_TYPECHECK_TIMEOUT", "900"))
    mypy_cache = ["--cache-dir", cache] if cache else ["--no-incremental", "--cache-dir", os.devnull]
    found: dict[str, Any] = {}
    for tool, argv in (
        ("mypy", [str(bin_dir / "mypy"), "--strict", *mypy_cache, "-p", "api"]),
        ("ruff", [str(bin_dir / "ruff"), "check", "--isolated", "--no-cache", "--output-format", "concise", "api"]),
    ):
        started = time.perf_counter()
        try:
            done = subprocess.run(argv, cwd=out, capture_output=True, text=True, check=False, timeout=limit)
        except subprocess.TimeoutExpired:
            found[tool] = {"ok": False, "timeout": True, "first": f"timeout after {limit:.0f}s", "codes": {}}
            continue
        if tool == "mypy":
            lines = [line for line in done.stdout.splitlines() if ": error:" in line]
            codes = Counter(line.rsplit("[", 1)[-1].rstrip("]") if line.endswith("]") else "?" for line in lines)
        else:
            lines = [line for line in done.stdout.splitlines() if line.startswith("api")]
            codes = Counter(line.split(": ", 2)[1].split(" ", 1)[0] if line.count(": ") >= 1 else "?" for line in lines)
        found[tool] = {
            "ok": done.returncode == 0,
            "first": (lines or [(done.stdout + done.stderr).strip()[-200:]])[0][:240],
            "codes": dict(codes),
            "messages": [line[:300] for line in lines[:20]],
            "seconds": round(time.perf_counter() - started, 1),
        }
    return found


def _progress(stage: str) -> None:
    """Where the run is, for a caller that has to stop it (a line that is not a result)."""
    print(f"# stage {stage}", flush=True)


def run(spec: Path, work: Path) -> dict[str, Any]:
    from codegen.cache import Cache
    from codegen.pipeline import Options, generate, validate
    from codegen.problems import Severity

    result: dict[str, Any] = {"spec": str(spec), "stage": "start", "times": {}}
    options = Options(cache=Cache(work / "cache"), parallel=False)
    t = time.perf_counter()
    _progress("validate")
    problems = validate(spec, options)
    result["times"]["validate"] = round(time.perf_counter() - t, 2)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        result.update(stage="invalid", error=f"{errors[0].code}: {errors[0].message}"[:300], errors=len(errors))
        return result
    result["warnings"] = dict(Counter(p.code for p in problems if p.severity is Severity.WARNING))
    t = time.perf_counter()
    _progress("generate")
    try:
        generate(spec, "api", work / "out", options, write=True)
    except BaseException as exc:  # noqa: BLE001
        result.update(stage="generate", error=_error(exc))
        return result
    result["times"]["generate"] = round(time.perf_counter() - t, 2)
    try:
        _imported(result, spec, work)
    finally:
        if os.environ.get("CODEGEN_BENCH_TYPECHECK"):
            # after the rest: what the app says is printed first, so a type check that runs
            # out of time loses only itself
            print(json.dumps(result), flush=True)
            _progress("typecheck")
            result["typecheck"] = typecheck(work / "out")
    return result


def _imported(result: dict[str, Any], spec: Path, work: Path) -> None:
    """Import the generated package, build its app and compare it with the spec."""
    sys.path.insert(0, str(work / "out"))
    t = time.perf_counter()
    _progress("import")
    try:
        import api.app  # type: ignore[import-not-found]
    except BaseException as exc:  # noqa: BLE001
        result.update(stage="import", error=_error(exc))
        return
    _progress("app")
    try:
        try:
            app = api.app.create_app()
        except Exception as exc:
            if type(exc).__name__ != "ErrorModelUnfillable":
                raise
            # the app refuses to start until the service gives an error-body factory (its
            # error model needs what no failure says): counted apart; the mock documents the same
            result["needs_error_factory"] = str(exc)[:200]
            app = api.app.create_app(mock=True)
    except BaseException as exc:  # noqa: BLE001
        result.update(stage="app", error=_error(exc))
        return
    result["times"]["import+app"] = round(time.perf_counter() - t, 2)
    from codegen.drift import check_drift

    t = time.perf_counter()
    _progress("drift")
    try:
        report = check_drift(spec, app)
    except BaseException as exc:  # noqa: BLE001
        result.update(stage="drift", error=_error(exc))
        return
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
        # every breaking and warning finding (the first MAX_FINDINGS), to classify them
        findings=[
            {
                "rule": f.rule,
                "severity": f.severity.label,
                "change": f.change.value,
                "where": f.where[:400],
                "message": f.message[:400],
                "base": f.base.pointer[:400],
                "revision": f.revision.pointer[:400],
            }
            for f in report.findings
            if f.severity.value > 0
        ][:MAX_FINDINGS],
    )


def _limit_memory() -> None:
    """``CODEGEN_BENCH_MEMORY_GB``: an address-space limit, so that one huge spec fails with a
    MemoryError instead of starving the machine (it applies to the type checkers too)."""
    import resource

    gigabytes = float(os.environ.get("CODEGEN_BENCH_MEMORY_GB") or 0)
    if gigabytes > 0:
        size = int(gigabytes * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (size, size))


if __name__ == "__main__":
    os.environ.setdefault("CODEGEN_NO_CACHE", "")
    _limit_memory()
    out = run(Path(sys.argv[1]), Path(sys.argv[2]))
    print(json.dumps(out))
