"""Format generated sources with ruff, in isolation from any project's settings.

The model engine's output and our templates differ in style; one formatter pass gives the
package one style and sorted imports. ``--isolated`` makes the result the same in every
project, so ``generate --check`` never fails because of someone's ruff configuration.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["FormatError", "format_sources"]

LINE_LENGTH = "120"


class FormatError(Exception):
    pass


def _ruff() -> list[str]:
    found = shutil.which("ruff", path=str(Path(sys.executable).parent))
    if found:
        return [found]
    return [sys.executable, "-m", "ruff"]


def format_sources(files: dict[str, str]) -> dict[str, str]:
    """Formatted copies of the ``.py`` files (others returned unchanged)."""
    python = {name: text for name, text in files.items() if name.endswith(".py")}
    if not python:
        return dict(files)
    with tempfile.TemporaryDirectory(prefix="codegen-format-") as tmp:
        root = Path(tmp)
        for name, text in python.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        common = ["--isolated", "--no-cache", "--line-length", LINE_LENGTH, "--target-version", "py311"]
        ruff = _ruff()
        steps = [
            [*ruff, "check", *common, "--select", "I,F401,RUF022,RUF036,UP", "--fix", "--quiet", "--exit-zero", "."],
            [*ruff, "format", *common, "--quiet", "."],
        ]
        for step in steps:
            done = subprocess.run(step, cwd=root, capture_output=True, text=True, check=False)  # noqa: S603
            if done.returncode != 0:
                raise FormatError(f"ruff failed: {done.stderr.strip() or done.stdout.strip()}")
        formatted = {name: (root / name).read_text(encoding="utf-8") for name in python}
    return {name: formatted.get(name, text) for name, text in files.items()}
