"""Golden cases: each spec in ``tests/golden/`` generates exactly its ``expected/`` package.

After a deliberate change to the output, ``python -m tests.golden`` regenerates them all; the
diff is then reviewed like any other change. The runtime modules every package copies are
compared with their source, so a golden case does not change with every runtime fix.
"""

from __future__ import annotations

import ast
import difflib
from pathlib import Path

import pytest

from tests.golden import CASES, render_case

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
