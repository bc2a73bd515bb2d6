"""Run a command and measure it: wall time, and peak memory of its whole process tree.

Peak memory is sampled from ``/proc`` every 50 ms as the sum of the proportional set sizes
(PSS) of the command and all its descendants: the pipeline validates in a forked process
while it generates, and PSS counts the pages parent and child still share once, where a sum
of resident sets would count them twice. The kernel's own high-water mark of the largest
single process (``ru_maxrss``, resident) is kept beside it, as it cannot miss a short spike.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    seconds: float
    tree_mb: float  # peak of the summed PSS of the process tree (sampled)
    max_mb: float  # kernel high-water mark of the largest process
    returncode: int
    stdout: str


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _tree_rss(root: int) -> int:
    tree = _children()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        with contextlib.suppress(OSError, IndexError, ValueError, StopIteration):
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            total += int(next(line for line in rollup.splitlines() if line.startswith("Pss:")).split()[1]) * 1024
        todo.extend(tree.get(pid, ()))
    return total


def run(
    argv: Sequence[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None, sample: bool = True
) -> Run:
    """Time ``argv``; with ``sample``, also its peak memory (reading every process's page
    tables costs CPU, so timed runs should not sample)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        list(argv), cwd=cwd, env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    peak = 0
    done = threading.Event()

    def sampling() -> None:
        nonlocal peak
        while sample and not done.wait(0.05):
            peak = max(peak, _tree_rss(proc.pid))

    sampler = threading.Thread(target=sampling, daemon=True)
    sampler.start()
    out: list[str] = []
    reader = threading.Thread(target=lambda: out.append(proc.stdout.read() if proc.stdout else ""), daemon=True)
    reader.start()
    errors = proc.stderr.read() if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    sampler.join()
    reader.join()
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}:\n{errors[-2000:]}")
    return Run(seconds, peak / 2**20, usage.ru_maxrss / 1024, proc.returncode, out[0] if out else "")


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")
