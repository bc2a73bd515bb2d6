"""``codegen serve --mock`` as a process: SIGTERM at any moment leaves no scratch folder.

On a loaded machine a ``kill`` may arrive while the mock is still being generated; before the
handler was installed first, that left ``codegen-serve-…`` and ``codegen-format-…`` behind
(the test session's hygiene check caught it on fresh clones)."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

import pytest

from tests.conftest import EXAMPLE_SPEC


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _lines(stream: IO[str]) -> tuple[queue.Queue[str], threading.Thread]:
    """The stream's lines as they come, read on a thread (a pipe cannot be read with a timeout)."""
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in stream:
            lines.put(line)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    return lines, reader


@pytest.mark.parametrize(
    ("moment", "scratch_then"),
    [
        ("generating models", {"codegen-serve-", "codegen-format-"}),  # the formatter runs beside the model engine
        ("serving a mock", {"codegen-serve-"}),
    ],
)
def test_sigterm_leaves_no_scratch_folder(tmp_path: Path, moment: str, scratch_then: set[str]) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "CODEGEN_NO_CACHE": "1", "NO_COLOR": "1"}
    command = [sys.executable, "-m", "codegen", "serve", str(EXAMPLE_SPEC), "--mock", "--port", str(_free_port()), "-v"]
    said: list[str] = []
    with subprocess.Popen(command, cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True) as process:
        assert process.stderr is not None
        lines, reader = _lines(process.stderr)
        try:
            while not any(moment in line for line in said):
                said.append(lines.get(timeout=120))
            present = {entry.name.rsplit("-", 1)[0] + "-" for entry in scratch.iterdir()}
            assert present == scratch_then, said  # the signal comes while these exist
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=60) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            reader.join(timeout=10)
    assert sorted(p.name for p in scratch.iterdir()) == []
