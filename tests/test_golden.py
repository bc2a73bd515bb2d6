"""Golden cases: each spec in ``tests/golden/`` generates exactly its ``expected/`` package.

After a deliberate change to the output, ``python -m tests.golden`` regenerates them all; the
diff is then reviewed like any other change. The runtime modules every package copies are
compared with their source, so a golden case does not change with every runtime fix.
"""

from __future__ import annotations

import ast
import difflib
from importlib import resources
from pathlib import Path

import pytest

from codegen.render import RUNTIME_FILES
from codegen.render.code import header
from tests.golden import CASES, render_case, spec_of

pytestmark = pytest.mark.slow


def test_there_are_golden_cases() -> None:
    assert {c.name for c in CASES} >= {"minimal", "features", "hostile", "library"}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_generated_package_matches_the_golden_files(case: Path) -> None:
    expected_dir = case / "expected"
    expected = {p.relative_to(expected_dir).as_posix(): p.read_text("utf-8") for p in expected_dir.rglob("*.py")}
    for other in ("py.typed", "pyproject.toml"):
        expected |= {p.relative_to(expected_dir).as_posix(): p.read_text("utf-8") for p in expected_dir.rglob(other)}
    actual = render_case(case)
    assert sorted(actual) == sorted(expected), "files differ; run `python -m tests.golden` if this is intended"
    for name in sorted(actual):
        if actual[name] != expected[name]:
            diff = "".join(
                difflib.unified_diff(
                    expected[name].splitlines(True), actual[name].splitlines(True), f"expected/{name}", name, n=2
                )
            )
            pytest.fail(f"{case.name}/{name} differs (`python -m tests.golden` regenerates):\n{diff[:4000]}")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_files_are_python_that_compiles(case: Path) -> None:
    for path in (case / "expected").rglob("*.py"):
        ast.parse(path.read_text("utf-8"), str(path))


def test_runtime_modules_are_copied_verbatim_under_the_header(tmp_path: Path) -> None:
    from codegen.pipeline import Options, generate

    case = next(c for c in CASES if c.name == "minimal")
    generate(spec_of(case), "runtime_check", tmp_path, Options(parallel=False), write=True)
    lines = header("x").count("\n")
    first_lines = (tmp_path / "runtime_check/models.py").read_text().split("\n", lines)[:lines]
    for name in RUNTIME_FILES:
        source = resources.files("codegen.render.runtime").joinpath(name).read_text("utf-8")
        copied = (tmp_path / "runtime_check" / name).read_text("utf-8")
        assert copied.split("\n", lines)[:lines] == first_lines
        assert copied.split("\n", lines)[lines] == source
