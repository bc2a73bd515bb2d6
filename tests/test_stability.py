"""Stable output: the same spec gives the same bytes in any process, a reordered spec changes
nothing but the manifest (the spec's hash), and a changed summary or one more operation changes
only the lines it must."""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT, SPECS

pytestmark = pytest.mark.slow


def _generate(specs: Path, out: Path, seed: str = "0") -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "CODEGEN_NO_CACHE": "1"}
    subprocess.run(
        [sys.executable, "-m", "codegen", "generate", "specs/shipping.yaml", "--out", str(out), "-q"],
        cwd=specs.parent, env=env, check=True, capture_output=True,
    )  # fmt: skip
    return {p.relative_to(out).as_posix(): p.read_text("utf-8") for p in sorted(out.rglob("*")) if p.is_file()}


def _project(tmp_path: Path, name: str, change: Any = None) -> Path:
    specs = tmp_path / name / "specs"
    shutil.copytree(SPECS, specs)
    if change is not None:
        path = specs / "shipping.yaml"
        spec = yaml.safe_load(path.read_text())
        change(spec)
        path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return specs


MANIFEST = "shipping/_manifest.py"  # the spec's hash: changes with any byte of the spec


def _changed_lines(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    """Changed lines (removed and added) per file."""
    changes = {}
    for name in sorted(set(before) | set(after)):
        diff = difflib.unified_diff(before.get(name, "").splitlines(), after.get(name, "").splitlines(), n=0)
        lines = [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]
        if lines:
            changes[name] = lines
    return changes


def _hash_lines_only(lines: list[str]) -> bool:
    return all(re.search(r'^[+-](SPEC_SHA256 = |    "[^"]+": )"[0-9a-f]{64}",?$', line) for line in lines)


def test_same_bytes_in_any_process(tmp_path: Path) -> None:
    specs = _project(tmp_path, "a")
    first = _generate(specs, tmp_path / "one", seed="1")
    second = _generate(specs, tmp_path / "two", seed="2")
    assert first == second
    committed = ROOT / "generated/shipping"
    assert first == {
        p.relative_to(ROOT / "generated").as_posix(): p.read_text("utf-8")
        for p in committed.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_reordering_paths_and_schemas_changes_nothing_but_the_manifest(tmp_path: Path) -> None:
    def reorder(spec: dict[str, Any]) -> None:
        spec["paths"] = dict(reversed(spec["paths"].items()))
        spec["components"]["schemas"] = dict(reversed(spec["components"]["schemas"].items()))

    before = _generate(_project(tmp_path, "a"), tmp_path / "before")
    after = _generate(_project(tmp_path, "b", reorder), tmp_path / "after")
    changes = _changed_lines(before, after)
    assert set(changes) == {MANIFEST}
    assert _hash_lines_only(changes[MANIFEST]), changes[MANIFEST]


def test_a_changed_summary_changes_only_the_files_that_show_it(tmp_path: Path) -> None:
    def new_summary(spec: dict[str, Any]) -> None:
        spec["paths"]["/account"]["get"]["summary"] = "Who is calling, and on which plan"

    before = _generate(_project(tmp_path, "a"), tmp_path / "before")
    after = _generate(_project(tmp_path, "b", new_summary), tmp_path / "after")
    changes = _changed_lines(before, after)
    # the route's summary and the interface method's docstring; the manifest for the hash
    assert set(changes) == {MANIFEST, "shipping/routers/account.py", "shipping/interfaces/account.py"}
    assert _hash_lines_only(changes[MANIFEST])
    assert all(len(changes[name]) == 2 for name in changes if name != MANIFEST), changes


def test_one_more_operation_changes_only_what_it_must(tmp_path: Path) -> None:
    def add_operation(spec: dict[str, Any]) -> None:
        spec["paths"]["/shipments/{shipmentId}/notes"] = {
            "get": {
                "operationId": "listShipmentNotes",
                "tags": ["shipments"],
                "summary": "Notes on a shipment",
                "parameters": [{"$ref": "#/components/parameters/ShipmentId"}],
                "responses": {
                    "200": {
                        "description": "The notes.",
                        "content": {
                            "application/json": {
                                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Note"}}
                            }
                        },
                    }
                },
            }
        }
        spec["components"]["schemas"]["Note"] = {
            "type": "object",
            "required": ["text"],
            "properties": {"text": {"type": "string"}},
        }

    before = _generate(_project(tmp_path, "a"), tmp_path / "before")
    after = _generate(_project(tmp_path, "b", add_operation), tmp_path / "after")
    changes = _changed_lines(before, after)
    sizes = {name: len(lines) for name, lines in changes.items()}
    print(f"lines changed per file: {sizes}, in all {sum(sizes.values())}")  # shown in the closing note
    assert set(changes) <= {
        MANIFEST,
        "shipping/models.py",  # the new schema
        "shipping/routers/shipments.py",  # the new route
        "shipping/interfaces/shipments.py",  # the new method and its results
        "shipping/routers/__init__.py",  # the operation count
    }
    added_model = [line for line in changes["shipping/models.py"] if line.startswith("-")]
    assert added_model == [
        line for line in changes["shipping/models.py"] if line.startswith("-") and "__all__" in line
    ]  # nothing removed from the models but the old __all__ line
    assert _hash_lines_only(changes[MANIFEST])
    assert sum(sizes.values()) < 160
