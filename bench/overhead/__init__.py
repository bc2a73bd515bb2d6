"""Per-request overhead of a generated route against a hand-written one (``apps.py``).

Each app is served by uvicorn (one worker, no access log) on loopback and loaded by wrk
(one thread, 32 connections) after a warm-up; the apps take turns for several rounds so that
drift in the machine's speed hits both. The figure is the median time per request.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.measure import median

HERE = Path(__file__).parent
BIN = Path(sys.executable).parent
ROOT = HERE.parent.parent
URL = "/items/42?fields=name"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _serve(factory: str, work: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    proc = subprocess.Popen(
        [str(BIN / "uvicorn"), "--factory", f"bench.overhead.apps:{factory}", "--port", str(port),
         "--log-level", "warning", "--no-access-log"],
        cwd=ROOT, env={**os.environ, "CODEGEN_BENCH_WORK": str(work)},
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"uvicorn {factory} did not start")


def _wrk(port: int, seconds: int) -> dict[str, float]:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed (make bench installs it: apt-get install wrk)")
    out = subprocess.run(
        [wrk, "-t1", "-c32", f"-d{seconds}s", "--latency", f"http://127.0.0.1:{port}{URL}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    if re.search(r"Non-2xx", out):
        raise RuntimeError(f"non-2xx answers under load:\n{out}")
    return {"rps": rps, "us_per_request": 1e6 / rps}


def bench(rounds: int, seconds: int, log: Any = sys.stderr) -> dict[str, Any]:
    work = ROOT / "bench" / ".work" / "overhead"
    shutil.rmtree(work, ignore_errors=True)
    subprocess.run(
        [str(BIN / "codegen"), "generate", str(HERE / "items.yaml"), "--out", str(work), "-q"],
        check=True, env={**os.environ, "CODEGEN_NO_CACHE": "1"},
    )  # fmt: skip
    figures: dict[str, list[dict[str, float]]] = {"generated": [], "handwritten": []}
    for n in range(rounds):
        for factory in ("handwritten", "generated") if n % 2 == 0 else ("generated", "handwritten"):
            print(f"  request overhead round {n + 1}/{rounds}: {factory}", file=log, flush=True)
            proc, port = _serve(factory, work)
            try:
                _wrk(port, 2)  # warm-up
                figures[factory].append(_wrk(port, seconds))
            finally:
                proc.terminate()
                proc.wait(10)
    summary: dict[str, Any] = {
        name: {
            "rps": median([f["rps"] for f in runs]),
            "us_per_request": median([f["us_per_request"] for f in runs]),
            "all_rps": [round(f["rps"]) for f in runs],
        }
        for name, runs in figures.items()
    }
    summary["ratio"] = summary["generated"]["us_per_request"] / summary["handwritten"]["us_per_request"]
    return summary


def table(summary: dict[str, Any], rounds: int, seconds: int) -> str:
    hand, gen = summary["handwritten"], summary["generated"]
    return "\n".join([
        f"### Request overhead: `GET {URL}` (uvicorn, wrk -t1 -c32, {seconds} s × {rounds} rounds, medians)",
        "",
        "| app | requests/s | µs per request | ratio | target | every round (req/s) |",
        "|---|---|---|---|---|---|",
        f"| hand-written FastAPI route | {hand['rps']:.0f} | {hand['us_per_request']:.0f} | 1.00× | - | {', '.join(map(str, hand['all_rps']))} |",
        f"| generated route → implementation | {gen['rps']:.0f} | {gen['us_per_request']:.0f} | {summary['ratio']:.3f}× | ≤ 1.05× | {', '.join(map(str, gen['all_rps']))} |",
    ])  # fmt: skip
