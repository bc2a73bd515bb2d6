"""GitHub's REST API description, side by side with its references, over several rounds.

Each round, in this order on the same machine: datamodel-codegen alone (``--formatters
builtin``, the reference of the issue), a cold ``codegen generate`` (fresh cache, validation
included), the same command again (cache hit), ``generate --check``, ``codegen drift`` against
the generated app, and the import times of the generated package in a fresh interpreter.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.fetch import CORPUS, fetch
from bench.measure import Run, median, run

BIN = Path(sys.executable).parent
PACKAGE = "github"

IMPORTS = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
t0 = time.perf_counter()
import github.models
t1 = time.perf_counter()
import github.app
t2 = time.perf_counter()
app = github.app.create_app()
t3 = time.perf_counter()
schema = app.openapi()
t4 = time.perf_counter()
print(json.dumps({"models": t1 - t0, "app module": t2 - t1, "create_app()": t3 - t2,
                  "app.openapi()": t4 - t3, "routes": len(app.routes), "classes": sum(
                  isinstance(v, type) for v in vars(github.models).values())}))
"""


def spec_path() -> Path:
    return fetch("octokit", CORPUS) / "generated" / "api.github.com.json"


def one_round(spec: Path, work: Path, log: Any, *, sample: bool = False) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    cache, out, ref = work / "cache", work / "out", work / "ref"
    for folder in (cache, out, ref):
        shutil.rmtree(folder, ignore_errors=True)
    ref.mkdir(parents=True)
    env = {"CODEGEN_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    target = [str(spec), "--out", str(out), "--package", PACKAGE]
    generate = [str(BIN / "codegen"), "generate", *target, "-q"]
    steps: list[tuple[str, list[str]]] = [
        ("datamodel-codegen --formatters builtin", [
            str(BIN / "datamodel-codegen"), "--input", str(spec), "--input-file-type", "openapi",
            "--output", str(ref / "models.py"), "--output-model-type", "pydantic_v2.BaseModel",
            "--formatters", "builtin",
        ]),
        ("codegen generate (cold)", generate),
        ("codegen generate (unchanged)", generate),
        ("codegen generate --check", [*generate, "--check"]),
        ("codegen drift", [str(BIN / "codegen"), "drift", *target, "-f", "json", "--fail-on", "breaking"]),
    ]  # fmt: skip
    for label, argv in steps:
        print(f"  {label} ...", file=log, flush=True)
        result: Run = run(argv, env=env, sample=sample)
        if result.returncode != 0:
            raise RuntimeError(f"{label} exited {result.returncode}")
        figures[label] = result
        if label == "codegen drift":
            report = json.loads(result.stdout)
            figures["drift findings"] = report.get("counts") or report.get("summary")
    done = run([sys.executable, "-c", IMPORTS, str(out)])
    figures["imports"] = json.loads(done.stdout)
    text = (ref / "models.py").read_text()
    figures["reference classes"] = text.count("\nclass ")
    return figures


def bench(rounds: int, log: Any = sys.stderr) -> dict[str, Any]:
    spec = spec_path()
    results = []
    with tempfile.TemporaryDirectory(prefix="codegen-bench-") as tmp:
        for n in range(rounds):
            print(f"GitHub round {n + 1}/{rounds} (timed)", file=log, flush=True)
            results.append(one_round(spec, Path(tmp), log))
        print("GitHub memory round (sampled, not timed)", file=log, flush=True)
        memory = one_round(spec, Path(tmp), log, sample=True)
    return summarize(results, spec, memory)


def summarize(results: list[dict[str, Any]], spec: Path, memory: dict[str, Any]) -> dict[str, Any]:
    labels = [k for k, v in results[0].items() if isinstance(v, Run)]
    timing = {
        label: {
            "seconds": median([r[label].seconds for r in results]),
            "tree_mb": memory[label].tree_mb,
            "max_mb": median([r[label].max_mb for r in results]),
            "all_seconds": [round(r[label].seconds, 2) for r in results],
        }
        for label in labels
    }
    imports = {k: median([r["imports"][k] for r in results]) for k in results[0]["imports"]}
    return {
        "spec": f"{spec.name} ({spec.stat().st_size / 2**20:.1f} MB)",
        "rounds": len(results),
        "timing": timing,
        "imports": imports,
        "drift findings": results[-1]["drift findings"],
        "reference classes": results[-1]["reference classes"],
    }


def table(summary: dict[str, Any]) -> str:
    t = summary["timing"]
    ref = t["datamodel-codegen --formatters builtin"]
    cold = t["codegen generate (cold)"]
    rows = [
        ("datamodel-codegen --formatters builtin (reference)", ref, "1.00×", "-"),
        (
            "codegen generate, cold (validation included)",
            cold,
            f"{cold['seconds'] / ref['seconds']:.2f}×",
            "≤ 1.3×, < 700 MB",
        ),
        ("codegen generate, unchanged spec", t["codegen generate (unchanged)"], "-", "≤ 0.5 s"),
        ("codegen generate --check, unchanged spec", t["codegen generate --check"], "-", "≤ 0.5 s"),
        ("codegen drift", t["codegen drift"], "-", "< 10 s"),
    ]
    lines = [
        f"### GitHub's REST API: {summary['spec']}, median of {summary['rounds']} timed rounds; tree memory sampled in one more round",
        "",
        "| command | time (s) | ratio | peak memory, whole tree (PSS, MB) | peak RSS, largest process (MB) | target | every round (s) |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, fig, ratio, target in rows:
        lines.append(
            f"| {label} | {fig['seconds']:.2f} | {ratio} | {fig['tree_mb']:.0f} | {fig['max_mb']:.0f} | {target} "
            f"| {', '.join(f'{s:.2f}' for s in fig['all_seconds'])} |"
        )
    imp = summary["imports"]
    lines += [
        "",
        "| generated package, fresh interpreter | seconds |",
        "|---|---|",
        f"| `import github.models` ({imp['classes']:.0f} classes) | {imp['models']:.2f} |",
        f"| `import github.app` (routers load lazily) | {imp['app module']:.2f} |",
        f"| `create_app()` ({imp['routes']:.0f} routes) | {imp['create_app()']:.2f} |",
        f"| `app.openapi()` | {imp['app.openapi()']:.2f} |",
        "",
        f"Drift findings of the last round: {summary['drift findings']}. "
        f"datamodel-codegen's reference output has {summary['reference classes']} classes.",
    ]
    return "\n".join(lines)
