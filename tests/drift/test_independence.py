"""The drift checker is an independent oracle: it must not share schema semantics with the
generator. It may use the loader (a spec in, a document with positions out), the validator and
the problem type; nothing of the build stage, the renderers or the runtime."""

from __future__ import annotations

import ast
from pathlib import Path

import codegen.drift

ALLOWED = {"codegen.load", "codegen.problems", "codegen.validate", "codegen.background"}  # no schema semantics


def test_the_drift_checker_imports_nothing_of_the_generator() -> None:
    folder = Path(codegen.drift.__file__).parent
    found: set[tuple[str, str]] = set()
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                if name.startswith("codegen") and not name.startswith("codegen.drift") and name not in ALLOWED:
                    found.add((path.name, name))
    assert found == set()
