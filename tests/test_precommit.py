"""The pre-commit hooks of ``.pre-commit-hooks.yaml``, tried for real: pre-commit installs this
repository (as it is in the work tree, committed to a scratch copy) as a hook environment and
runs both hooks in a scratch project, as a user's ``.pre-commit-config.yaml`` would.

One hook environment serves all four runs (``pre-commit try-repo`` would build a new one each
time, a minute or more apiece on a busy machine)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SPECS, git

BIN = Path(sys.executable).parent
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(shutil.which("git") is None, reason="needs git")]


def _hook_repository(folder: Path) -> str:
    """This work tree's files (tracked, or new and not ignored) committed to a scratch
    repository, so uncommitted changes to the hooks are what is tried; its commit id."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name)
    git(folder, "init", "-q", ".")
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", "hooks")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, check=True)
    return head.stdout.strip()


def _hooks(project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(BIN / "pre-commit"), "run", "--all-files"],
        cwd=project, env=env, capture_output=True, text=True, check=False, timeout=900,
    )  # fmt: skip
    print(done.stdout, done.stderr)  # the output, as a person sees it (pytest -s)
    return done


def test_hooks_in_a_scratch_repository(tmp_path: Path) -> None:
    hooks = tmp_path / "codegen"
    rev = _hook_repository(hooks)
    project = tmp_path / "service"
    runtime = hooks / "runtime"  # unpublished: from the hook repository (a release publishes it)
    shutil.copytree(SPECS, project / "specs")
    (project / "pyproject.toml").write_text('[tool.codegen]\nout = "generated"\n')  # the specs in specs/
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n      - id: codegen-check\n"
        f"        additional_dependencies: [{runtime}]\n      - id: codegen-drift\n"
        f"        additional_dependencies: [{runtime}]\n"
    )
    git(project, "init", "-q", ".")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "the spec")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}

    # Nothing generated yet: the check hook fails and says what would change, and what to run.
    first = _hooks(project, env)
    assert first.returncode == 1
    assert "codegen (specs valid, generated code up to date)" in first.stdout
    assert "generated/shipping: would change" in first.stdout
    assert "run `codegen generate`" in first.stdout

    # Generated and committed: both hooks pass.
    subprocess.run([str(BIN / "codegen"), "generate", "-q"], cwd=project, check=True, env=env)
    git(project, "add", "-A")
    git(project, "commit", "-qm", "generated")
    second = _hooks(project, env)
    assert second.returncode == 0, second.stdout
    assert second.stdout.count("Passed") == 2

    # The spec changes and the package is not regenerated: both hooks fail, drift says where.
    spec = project / "specs/shipping.yaml"
    spec.write_text(spec.read_text().replace("operationId: getShipment\n", "operationId: fetchShipment\n"))
    third = _hooks(project, env)
    assert third.returncode == 1
    assert third.stdout.count("Failed") == 2
    assert "fetchShipment" in third.stdout

    # An invalid spec: the check hook reports it with its location.
    spec.write_text(spec.read_text().replace("openapi: 3.1.0", "openapi: 3.1.0\nwhat: ever", 1))
    fourth = _hooks(project, env)
    assert fourth.returncode == 1
    assert "specs/shipping.yaml:2:1: error: Unevaluated properties are not allowed" in fourth.stdout
    # one hook environment for all four (a clone holds it; the bare clone beside it holds none)
    assert len(list((tmp_path / "pre-commit-home").glob("repo*/py_env-*"))) == 1
