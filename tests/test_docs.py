"""The docs cannot rot: every command they show is run here.

* Every line of every ```` ```sh ```` block in README.md and docs/*.md runs in a scratch copy of
  the project (specs, config, generated package, example service) with the project's
  virtualenv first on PATH, and must exit 0, or with the code given by a trailing
  ``# exit N`` comment. ``make`` targets are dry-run (``make -n``) against this repository:
  CI runs them for real.
* The ``run:`` steps of the GitHub Actions workflow in docs/ci.md run the same way, in a git
  repository whose ``origin`` is itself, so the diff against the base branch is real; the
  install step (``pip install``) is what ``make`` already did.
* The drift rule table lists exactly the rules the engine knows, and the configuration page
  every key the loader accepts.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from codegen.config import _KEYS
from codegen.drift import RULES
from tests.conftest import ROOT, git

BIN = Path(sys.executable).parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
_EXIT = re.compile(r"#\s*exit (\d+)\s*$")


def _blocks(page: Path, kind: str) -> list[str]:
    return [m.group(2) for m in _BLOCK.finditer(page.read_text()) if m.group(1) == kind]


def _commands() -> list[tuple[str, str]]:
    """Every command of every ``sh`` block; a line ending in a backslash goes on on the next."""
    found = []
    for page in PAGES:
        for block in _blocks(page, "sh"):
            for line in re.sub(r"\\\n\s*", "", block).splitlines():
                if line.strip() and not line.lstrip().startswith("#"):
                    found.append((page.name, line.strip()))
    return found


COMMANDS = _commands()
MOCK_CURL = next(line for _, line in COMMANDS if line.startswith("codegen serve") and "curl" in line)


def _starts_a_server(line: str) -> bool:
    """Lines that serve (the mock, or the example service for ``curl``): the e2e tier."""
    return "codegen serve" in line or "127.0.0.1:8000" in line


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docs-project")
    for name in ("specs", "generated", "examples"):
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", folder / "pyproject.toml")
    return folder


def _env(project: Path) -> dict[str, str]:
    path = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    pythonpath = os.pathsep.join([str(project / "generated"), str(project / "examples")])
    return {**os.environ, "PATH": path, "PYTHONPATH": pythonpath, "NO_COLOR": "1"}


@pytest.fixture(scope="module")
def service(project: Path) -> Iterator[str]:
    """The example service, served as ``make run`` serves it, for the docs' ``curl`` lines."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [str(BIN / "uvicorn"), "shipping_service.main:app", "--port", str(port), "--log-level", "warning"],
        cwd=project, env=_env(project),
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)


def _run(line: str, cwd: Path, env: dict[str, str], service: str = "") -> subprocess.CompletedProcess[str]:
    expected = _EXIT.search(line)
    command = line
    if line.startswith("curl ") and "127.0.0.1:8000" in line:
        command = line.replace("http://127.0.0.1:8000", service)
    if re.match(r"make\s", line):
        command = "make -n " + line.split(None, 1)[1].split("#", maxsplit=1)[0]
        cwd = ROOT
    done = subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    want = int(expected.group(1)) if expected else 0
    assert done.returncode == want, f"{line!r} exited {done.returncode}, not {want}:\n{done.stdout}\n{done.stderr}"
    return done


def test_the_docs_show_commands() -> None:
    pages = {page for page, _ in COMMANDS}
    assert {"README.md", "pipeline.md", "drift.md", "implementing.md", "configuration.md"} <= pages


@pytest.mark.parametrize(
    ("page", "line"),
    [
        pytest.param(p, c, id=f"{p}:{c[:50]}", marks=[pytest.mark.e2e] if _starts_a_server(c) else [])
        for p, c in COMMANDS
    ],
)
def test_command_in_the_docs_runs(page: str, line: str, project: Path, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("service") if "127.0.0.1:8000" in line else ""
    _run(line, project, _env(project), url)


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("change", "curl_status"),
    [
        ({"/account": "/no-such-path"}, 22),  # the mock answers 404: curl -f fails
        ({"specs/shipping.yaml": "specs/no-such.yaml", "--retry 30": "--retry 2"}, 7),  # no mock ever listens
    ],
    ids=["error answer", "mock not up"],
)
def test_the_documented_mock_curl_fails_when_curl_does(change: dict[str, str], curl_status: int, project: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    line = MOCK_CURL.replace("8765", str(port))
    for old, new in change.items():
        assert old in line, (old, line)
        line = line.replace(old, new)
    done = subprocess.run(
        ["bash", "-c", line], cwd=project, env=_env(project), capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == curl_status, done.stderr


@pytest.mark.e2e
def test_ci_workflow_in_the_docs_runs(tmp_path: Path, project: Path) -> None:
    workflow = yaml.safe_load(_blocks(ROOT / "docs" / "ci.md", "yaml")[0])
    steps = [step for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]
    repo = tmp_path / "repo"
    shutil.copytree(project, repo, ignore=shutil.ignore_patterns("__pycache__"))
    env = {**_env(repo), "GITHUB_BASE_REF": "main"}
    for args in (
        ["init", "-q", "-b", "main", "."],
        ["add", "-A"],
        ["commit", "-qm", "base"],
        ["remote", "add", "origin", "."],
    ):
        git(repo, *args)
    ran = []
    for step in steps:
        script = step["run"]
        if re.match(r"\s*(python -m )?pip install", script):
            continue  # the install step: make has installed everything already
        _run(f"set -e\n{script}", repo, env)
        ran.append(script.strip().splitlines()[0])
    assert len(ran) == 4, ran
    assert (repo / "base/specs/shipping.yaml").read_bytes() == (repo / "specs/shipping.yaml").read_bytes()


def test_every_drift_rule_is_documented() -> None:
    section = (ROOT / "docs" / "drift.md").read_text().split("## Every rule", 1)[1]
    table = re.findall(r"^\| `([a-z0-9.-]+)` \|", section, re.MULTILINE)
    assert sorted(table) == sorted(RULES)


def test_every_equivalence_is_documented() -> None:
    from codegen.drift.equivalences import EQUIVALENCES

    section = (ROOT / "docs" / "drift.md").read_text().split("## What is the same", 1)[1].split("\n## ", 1)[0]
    table = re.findall(r"^\| `([a-z0-9.-]+)` \|", section, re.MULTILINE)
    assert sorted(table) == sorted(EQUIVALENCES)


def test_every_config_key_is_documented() -> None:
    text = (ROOT / "docs" / "configuration.md").read_text()
    table = set(re.findall(r"^\| `([a-z-]+)` \|", text, re.MULTILINE))
    assert table == _KEYS


def test_the_docs_name_the_current_release() -> None:
    """The pre-commit examples pin the release tag of the version in codegen/__init__.py, and
    the changelog has its section: a version bump that forgets one of them fails here."""
    from codegen import __version__

    tag = f"v{__version__}"
    revs = re.findall(r"rev: (\S+)", (ROOT / "docs/ci.md").read_text() + (ROOT / ".pre-commit-hooks.yaml").read_text())
    assert revs and set(revs) == {tag}, revs
    assert f"@{tag}" in (ROOT / "README.md").read_text()  # the install line
    assert re.search(
        rf"^## \[{re.escape(__version__)}\] - \d{{4}}-\d{{2}}-\d{{2}}$",
        (ROOT / "CHANGELOG.md").read_text(),
        re.MULTILINE,
    )
