"""Format generated sources with ruff, in isolation from any project's settings.

The model engine's output and our templates differ in style; one formatter pass gives the
package one style and sorted imports. ``--isolated`` makes the result the same in every
project, so ``generate --check`` never fails because of someone's ruff configuration.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["FormatError", "Formatting", "format_sources"]

LINE_LENGTH = "120"


class FormatError(Exception):
    pass


def _ruff() -> list[str]:
    found = shutil.which("ruff", path=str(Path(sys.executable).parent))
    if found:
        return [found]
    return [sys.executable, "-m", "ruff"]


class Formatting:
    """ruff formatting a set of files in a child process; ``result()`` waits for it.

    Started early, it runs on the second core while the model engine works on the first.
    """

    def __init__(self, files: dict[str, str]) -> None:
        self._files = dict(files)
        self._python = {name: text for name, text in files.items() if name.endswith(".py")}
        self._tmp = tempfile.TemporaryDirectory(prefix="codegen-format-")
        self._root = Path(self._tmp.name)
        self._process: subprocess.Popen[str] | None = None
        try:  # a signal (SIGTERM as an exit, Ctrl-C) may arrive at any moment: no scratch files left
            self._start()
        except BaseException:
            self.cancel()
            raise

    def _start(self) -> None:
        for name, text in self._python.items():
            path = self._root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        common = f"--isolated --no-cache --line-length {LINE_LENGTH} --target-version py311"
        ruff = " ".join(shlex.quote(part) for part in _ruff())
        script = (
            f"{ruff} check {common} --select I,F401,RUF022,RUF036,UP --fix --quiet --exit-zero . && "
            f"{ruff} format {common} --quiet ."
        )
        if self._python:
            self._process = subprocess.Popen(
                ["/bin/sh", "-c", script] if os.name == "posix" else script,
                cwd=self._root,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )

    def result(self) -> dict[str, str]:
        try:
            if self._process is not None:
                out, err = self._process.communicate()
                if self._process.returncode != 0:
                    raise FormatError(f"ruff failed: {err.strip() or out.strip()}")
            formatted = {name: (self._root / name).read_text(encoding="utf-8") for name in self._python}
        except BaseException:
            self.cancel()  # ruff may still be writing into the scratch folder: stop it first
            raise
        finally:
            self._tmp.cleanup()
        return {name: formatted.get(name, text) for name, text in self._files.items()}

    def cancel(self) -> None:
        """Stop formatting and remove the scratch files: the run failed elsewhere. Safe to
        call more than once, and after ``result()``."""
        process = self._process
        if process is not None:
            if process.poll() is None:
                process.kill()
            process.wait()
            for pipe in (process.stdout, process.stderr):
                if pipe is not None:
                    pipe.close()
        self._tmp.cleanup()


def format_sources(files: dict[str, str]) -> dict[str, str]:
    """Formatted copies of the ``.py`` files (others returned unchanged)."""
    return Formatting(files).result()
