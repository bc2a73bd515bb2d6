"""``make compat``: the generated code at both ends of the runtime ranges of pyproject.toml.

    python -m bench.compat [--corner oldest|newest] [--pin NAME==VERSION ...] [--write]

For each corner a fresh virtualenv (``bench/.work/compat/<corner>``) gets codegen and the
generated package's runtime needs (fastapi, pydantic, starlette, python-multipart,
email-validator):

* ``oldest``: every one of them at the lower bound its range in pyproject.toml declares;
* ``newest``: the newest release each range allows (what a service installing today gets).

Then, in that virtualenv, the example service's end-to-end tests (``tests/test_e2e.py``: uvicorn
serving ``shipping_service.main:app``, called over HTTP) and the drift check (``codegen drift``
on the committed ``generated/``) must pass. ``--pin`` replaces a corner's version of one
package (to find where a range starts). Prints the matrix actually run; ``--write`` also
records it in docs/ci.md. Exits 1 if any corner fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement

from bench import record

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work" / "compat"
RUNTIME = ("fastapi", "pydantic", "starlette", "python-multipart", "email-validator")  # what generated code imports
SHOWN = (*RUNTIME, "pydantic-core")
CORNERS = ("oldest", "newest")


@dataclass
class Result:
    corner: str
    versions: dict[str, str]
    e2e: str
    drift: str
    seconds: float

    @property
    def passed(self) -> bool:
        return self.e2e.startswith("passed") and self.drift.startswith("passed")


def runtime_requirements() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "runtime" / "pyproject.toml").read_text())["project"]
    found = {Requirement(line).name.lower(): Requirement(line) for line in project["dependencies"]}
    return {name: found[name] for name in RUNTIME}


def lower_bound(requirement: Requirement) -> str:
    for spec in requirement.specifier:
        if spec.operator in (">=", "=="):
            return spec.version
    raise SystemExit(f"runtime/pyproject.toml: {requirement} has no lower bound to test")


def pins(corner: str, overrides: dict[str, str]) -> list[str]:
    """The requirement lines a corner installs the runtime packages with."""
    lines = []
    for name, requirement in runtime_requirements().items():
        if name in overrides:
            lines.append(f"{name}=={overrides[name]}")
        elif corner == "oldest":
            lines.append(f"{name}=={lower_bound(requirement)}")
        else:
            lines.append(_spelled(requirement))
    return lines


def _run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload, no-any-return]


def _tail(done: subprocess.CompletedProcess[str], lines: int = 15) -> str:
    said = [
        line for line in (done.stdout + done.stderr).strip().splitlines() if not line.startswith("WARNING: Location")
    ]
    return "\n".join(said[-lines:])


def corner_venv(corner: str, requirements: list[str]) -> Path:
    venv = WORK / corner
    shutil.rmtree(venv, ignore_errors=True)
    WORK.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    # codegen itself (editable: the tests import it from the work tree anyway) with the corner's
    # runtime packages, and what the end-to-end tests use; nothing else is pinned, so the rest
    # resolves as it would for a user installing codegen today.
    done = _run([*pip, "-e", str(ROOT / "runtime"), "-e", str(ROOT), *requirements, "pytest", "httpx"])
    if done.returncode != 0:
        raise RuntimeError(f"installing the {corner} corner failed:\n{_tail(done, 30)}")
    return venv


def installed(venv: Path) -> dict[str, str]:
    done = _run([str(venv / "bin" / "python"), "-m", "pip", "list", "--format=freeze", "--disable-pip-version-check"])
    versions = {}
    for line in done.stdout.splitlines():
        name, _, version = line.partition("==")
        versions[name.lower().replace("_", "-")] = version
    return {name: versions.get(name, "-") for name in SHOWN}


def check(corner: str, overrides: dict[str, str]) -> Result:
    started = time.monotonic()
    requirements = pins(corner, overrides)
    print(f"{corner}: installing {' '.join(requirements)}", file=sys.stderr, flush=True)
    venv = corner_venv(corner, requirements)
    versions = installed(venv)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "generated"), str(ROOT / "examples")]),
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "CODEGEN_NO_CACHE": "1",
        "NO_COLOR": "1",
    }
    python = str(venv / "bin" / "python")
    e2e = _run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_e2e.py"], cwd=ROOT, env=env)
    drift = _run([str(venv / "bin" / "codegen"), "drift"], cwd=ROOT, env=env)
    result = Result(
        corner,
        versions,
        "passed" if e2e.returncode == 0 else f"FAILED ({e2e.returncode})",
        "passed" if drift.returncode == 0 else f"FAILED ({drift.returncode})",
        time.monotonic() - started,
    )
    for name, done in (("e2e tests", e2e), ("drift", drift)):
        if done.returncode != 0:
            print(f"{corner}: {name} failed:\n{_tail(done, 40)}", file=sys.stderr)
    print(f"{corner}: e2e {result.e2e}, drift {result.drift} ({result.seconds:.0f} s)", file=sys.stderr, flush=True)
    return result


def _spelled(requirement: Requirement) -> str:
    """``fastapi>=0.137.2,<1``: the lower bound first, as people write it."""
    specs = sorted(requirement.specifier, key=lambda s: (not s.operator.startswith(">"), str(s)))
    return requirement.name + ",".join(str(s) for s in specs)


def table(results: list[Result]) -> str:
    head = "| corner | " + " | ".join(SHOWN) + " | end-to-end tests | drift | time |"
    rule = "|---" * (len(SHOWN) + 4) + "|"
    rows = [
        f"| {r.corner} | " + " | ".join(r.versions[n] for n in SHOWN) + f" | {r.e2e} | {r.drift} | {r.seconds:.0f} s |"
        for r in results
    ]
    ranges = ", ".join(f"`{_spelled(r)}`" for r in runtime_requirements().values())
    note = f"Measured {time.strftime('%Y-%m-%d')}, Python {sys.version.split()[0]}; ranges in runtime/pyproject.toml: {ranges}."
    return "\n".join([note, "", head, rule, *rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corner", choices=CORNERS, action="append", help="default: both")
    parser.add_argument("--pin", action="append", default=[], help="NAME==VERSION instead of the corner's")
    parser.add_argument("--write", action="store_true", help="record the matrix in docs/ci.md")
    args = parser.parse_args()
    overrides = dict(pin.lower().split("==", 1) for pin in args.pin)
    results = [check(corner, overrides) for corner in args.corner or CORNERS]
    text = table(results)
    print(text)
    if args.write and not overrides:
        record(ROOT / "docs" / "ci.md", "Compatibility", text)
    raise SystemExit(0 if all(r.passed for r in results) else 1)


if __name__ == "__main__":
    main()
