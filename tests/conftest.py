"""Shared fixtures. Every test runs with its own cache folder and working folder, so no test
leaves anything outside its temporary folder (the session hooks at the end check)."""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

from codegen.cli import app

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
EXAMPLE_SPEC = SPECS / "shipping.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEGEN_CACHE_DIR", str(tmp_path / ".cache"))
    monkeypatch.delenv("CI", raising=False)


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: Path | None = None) -> CliResult:
    """The CLI in-process, as a user calls it (exit code, stdout, stderr)."""
    runner = CliRunner()
    with _chdir(cwd):
        result = runner.invoke(app, list(args), catch_exceptions=False)
    return CliResult(result.exit_code, result.stdout, result.stderr)


@contextmanager
def _chdir(path: Path | None) -> Iterator[None]:
    if path is None:
        yield
        return
    import os

    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def git(folder: Path, *args: str) -> None:
    """Run git in ``folder`` as a throwaway identity (scratch repositories of the tests)."""
    import subprocess

    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=folder,
        check=True,
        capture_output=True,
    )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@contextmanager
def imported(folder: Path, package: str) -> Iterator[ModuleType]:
    """Import a generated package from ``folder``, and forget it afterwards."""
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(package)
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]


MINIMAL = """
openapi: 3.0.3
info: {title: Minimal, version: '1.0'}
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, format: int64}}
      responses:
        '200':
          description: a thing
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
        '404': {description: no such thing}
components:
  schemas:
    Thing:
      type: object
      required: [id, name]
      properties:
        id: {type: integer, format: int64}
        name: {type: string, maxLength: 20}
        note: {type: string, nullable: true}
"""


# -- hygiene: no test leaves files outside its temporary folder
#
# The session runs with its own TMPDIR (inherited by xdist workers and every subprocess), so
# what codegen leaves in the temporary folder is told apart from other programs' files.

_CACHES = {".pytest_cache", ".hypothesis", "__pycache__", ".mypy_cache", ".ruff_cache"}
_BEFORE = pytest.StashKey[set[str]]()
_TMP = pytest.StashKey[Path]()


def _repository_footprint() -> set[str]:
    """Files in the repository that git neither tracks nor ignores (caches aside)."""
    import subprocess

    listed = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", "--ignored"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    ).stdout.splitlines()  # fmt: skip
    return {line[3:] for line in listed if not _CACHES & set(Path(line[3:]).parts)}


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):
        return
    import os
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="tests-tmp-"))
    os.environ["TMPDIR"] = str(folder)
    tempfile.tempdir = None  # read TMPDIR again
    config.stash[_TMP] = folder
    config.stash[_BEFORE] = _repository_footprint()


def pytest_unconfigure(config: pytest.Config) -> None:
    import shutil

    folder = config.stash.get(_TMP, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    folder = session.config.stash.get(_TMP, None)
    if folder is None:
        return
    left = sorted(p.name for p in folder.iterdir() if not p.name.startswith("pytest-of-"))
    before: set[str] = session.config.stash[_BEFORE]
    left += sorted(_repository_footprint() - before)
    if left:
        print(f"\nhygiene: the tests left files outside their temporary folders: {left}", file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
