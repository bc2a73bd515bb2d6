"""Implementations survive regeneration, and a type checker points at what no longer fits.

The example service is copied next to a copy of the spec; the spec changes (a required
parameter added, a response model changed, an operation removed); the package is
regenerated; ``mypy --strict`` on the untouched service then names each operation.
"""

from __future__ import annotations

import ast
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run_cli, write

pytestmark = pytest.mark.e2e  # mypy on a scratch project


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*.py"))
    }


def _mypy(project: Path) -> subprocess.CompletedProcess[str]:
    """mypy as a service's CI runs it; the second run reuses the first one's cache (fastapi,
    pydantic and the unchanged modules), as mypy's incremental mode is meant to."""
    env = {**os.environ, "MYPYPATH": f"{project / 'generated'}:{project / 'examples'}"}
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(project / ".mypy_cache"),
         "--enable-error-code", "explicit-override", "-p", "shipping_service"],
        cwd=project, capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip


def test_spec_changes_surface_as_type_errors_by_operation(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "specs", tmp_path / "specs")
    shutil.copytree(ROOT / "examples", tmp_path / "examples", ignore=shutil.ignore_patterns("__pycache__"))
    write(tmp_path / "pyproject.toml", '[tool.codegen]\nspecs = ["specs/shipping.yaml"]\n')
    assert run_cli("generate", cwd=tmp_path).exit_code == 0
    before = _digests(tmp_path / "examples")
    clean = _mypy(tmp_path)
    assert clean.returncode == 0, clean.stdout

    spec_path = tmp_path / "specs/shipping.yaml"
    spec = yaml.safe_load(spec_path.read_text())
    get_shipment = spec["paths"]["/shipments/{shipmentId}"]["get"]
    get_shipment["parameters"] = [{"name": "expand", "in": "query", "required": True, "schema": {"type": "string"}}]
    account = spec["paths"]["/account"]["get"]["responses"]["200"]["content"]["application/json"]
    account["schema"] = {"$ref": "#/components/schemas/Merchant"}
    spec["components"]["schemas"]["Merchant"] = {
        "type": "object", "required": ["merchant_id"], "properties": {"merchant_id": {"type": "string"}},
    }  # fmt: skip
    del spec["paths"]["/shipments/{shipmentId}"]["delete"]
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))

    regenerated = run_cli("generate", cwd=tmp_path)
    assert regenerated.exit_code == 0, regenerated.stderr
    assert _digests(tmp_path / "examples") == before  # not a byte of the service changed

    result = _mypy(tmp_path)
    assert result.returncode == 1
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    print("\n".join(errors))  # shown in the closing note of the issue
    by_method = _errors_by_method(tmp_path / "examples/shipping_service/service.py", errors)
    assert any("incompatible with supertype" in e for e in by_method["get_shipment"])  # new parameter
    assert any("expected" in e and "Merchant" in e for e in by_method["get_account"])  # new model
    assert any("no base method was found" in e for e in by_method["cancel_shipment"])  # removed
    assert set(by_method) - {"<module>"} == {"get_shipment", "get_account", "cancel_shipment"}


def _errors_by_method(source: Path, errors: list[str]) -> dict[str, list[str]]:
    """Group mypy errors by the method whose lines (decorators included) they fall in."""
    spans = [
        (min([node.lineno, *(d.lineno for d in node.decorator_list)]), node.end_lineno or node.lineno, node.name)
        for node in ast.walk(ast.parse(source.read_text()))
        if isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef)
    ]
    grouped: dict[str, list[str]] = {}
    for error in errors:
        line = int(error.split(":")[1])
        names = [name for start, end, name in spans if start <= line <= end]
        grouped.setdefault(names[-1] if names else "<module>", []).append(error)
    return grouped
