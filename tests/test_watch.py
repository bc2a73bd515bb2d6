"""``codegen generate --watch``: the poller on its own, then the command as a process (an edit
to the spec, or to a file it ``$ref``s, regenerates the package; a broken spec is reported and
watched until it is fixed)."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import pytest

from codegen.watch import stamps, wait_for_change
from tests.conftest import SPECS, write


def test_a_change_made_while_generating_is_seen_once_it_settles(tmp_path: Path) -> None:
    spec = write(tmp_path / "api.yaml", "a")
    baseline = stamps([spec])  # taken before generating
    spec.write_text("ab")  # saved while the generation ran
    still_writing = iter(["abc"])

    def sleep(_: float) -> None:  # the editor's second write lands during the first settling poll
        text = next(still_writing, None)
        if text is not None:
            spec.write_text(text)

    changed, settled = wait_for_change(baseline, sleep=sleep)
    assert changed == {spec}
    assert spec.read_text() == "abc"
    assert settled == stamps([spec])  # the next round's baseline: the final bytes


def test_a_file_that_appears_or_goes_is_a_change(tmp_path: Path) -> None:
    missing, present = tmp_path / "later.yaml", write(tmp_path / "now.yaml", "x")
    baseline = stamps([missing, present])
    assert baseline[missing] is None
    missing.write_text("y")
    present.unlink()
    changed, _ = wait_for_change(baseline, sleep=lambda _: None)
    assert changed == {missing, present}


class Lines:
    """A process's stderr, line by line, read on a thread (a pipe cannot be read with a timeout)."""

    def __init__(self, stream: IO[str]) -> None:
        self.seen: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        self._thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self._thread.start()

    def _pump(self, stream: IO[str]) -> None:
        for line in stream:
            self._queue.put(line)

    def wait_for(self, text: str, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while True:
            line = self._queue.get(timeout=max(0.1, deadline - time.monotonic()))
            self.seen.append(line)
            if text in line:
                return line

    def join(self) -> None:
        self._thread.join(timeout=10)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


@pytest.mark.e2e
def test_edits_to_the_spec_and_its_refs_regenerate(tmp_path: Path) -> None:
    project = tmp_path / "service"
    shutil.copytree(SPECS, project / "specs")
    write(project / "pyproject.toml", '[tool.codegen]\nout = "generated"\n')
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "NO_COLOR": "1"}
    command = [sys.executable, "-m", "codegen", "generate", "--watch"]
    with subprocess.Popen(command, cwd=project, env=env, stderr=subprocess.PIPE, text=True) as process:
        assert process.stderr is not None
        lines = Lines(process.stderr)
        try:
            assert "generated/shipping: written" in lines.wait_for("generated/shipping: ")
            assert "watching 2 files of 1 spec(s)" in lines.wait_for("watching ")  # the spec and the file it $refs
            package = project / "generated/shipping"

            _edit(project / "specs/shipping.yaml", "The account the credentials belong to", "Who is calling")
            lines.wait_for("changed: specs/shipping.yaml")
            assert "written (3 changed, 0 added, 0 removed)" in lines.wait_for("generated/shipping: ")
            assert "Who is calling" in (package / "interfaces/account.py").read_text()

            # a file the spec $refs, which the watcher knows from the last load
            _edit(
                project / "specs/common/problems.yaml", "A short summary of the problem.", "What went wrong, briefly."
            )
            lines.wait_for("changed: specs/common/problems.yaml")
            lines.wait_for("generated/shipping: written")
            assert "What went wrong, briefly." in (package / "models.py").read_text()

            # broken: reported with its location, nothing written, still watching; then fixed
            before = (package / "models.py").read_text()
            _edit(project / "specs/shipping.yaml", "openapi: 3.1.0", "openapi: 3.1.0\nwhat: ever")
            assert "specs/shipping.yaml:2:1: error:" in lines.wait_for("error:")
            lines.wait_for("not generated; waiting for a change")
            assert (package / "models.py").read_text() == before
            _edit(project / "specs/shipping.yaml", "\nwhat: ever", "")
            assert "up to date" in lines.wait_for("generated/shipping: ")  # fixed as it was: nothing to write

            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=60) == 130  # interrupted, as with Ctrl-C
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            lines.join()
    assert sorted(p.name for p in scratch.iterdir()) == []
    assert sorted(p.name for p in (project / "generated").iterdir()) == ["shipping"]
