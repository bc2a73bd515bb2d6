"""Groups of mutually recursive schemas (issue 14: about 100 of them made ``import models``
fail with RecursionError; 60 imported, but their app's ``openapi()`` failed the same way).

Pydantic builds such a group depth-first, one level per model; the generated package gives it
the room (see ``codegen/render/recursion.py``). The specs are generated here, in the shape real
ones have: every schema refers to the next (one cycle through all), to another inside an array,
and every tenth is a union of two others (a root model inside the group); some have a
``model_config`` of their own.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from codegen.drift import Severity, check_drift
from tests.conftest import imported, run_cli


def recursive_group(size: int) -> dict[str, Any]:
    def ref(i: int) -> dict[str, str]:
        return {"$ref": f"#/components/schemas/Node{i % size}"}

    schemas: dict[str, Any] = {}
    for i in range(size):
        if i % 10 == 9:
            schemas[f"Node{i}"] = {"anyOf": [ref(i + 1), ref(i + 3)]}  # oneOf: a known gap (issue 14)
        else:
            schemas[f"Node{i}"] = {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string"},
                    "next": ref(i + 1),
                    "related": {"type": "array", "items": ref(i + 7)},
                },
            }
            if i % 10 == 1:  # a class with a config of its own, and text that is not ASCII
                schemas[f"Node{i}"].update(additionalProperties=False, description="Ünïcode — a nœud")
    return {
        "openapi": "3.0.3",
        "info": {"title": f"{size} mutually recursive schemas", "version": "1"},
        "paths": {
            "/nodes/{id}": {
                "get": {
                    "operationId": "getNode",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        "200": {
                            "description": "a node",
                            "content": {"application/json": {"schema": ref(0)}},
                        }
                    },
                }
            },
            "/nodes": {
                "post": {
                    "operationId": "putNode",
                    "requestBody": {"required": True, "content": {"application/json": {"schema": ref(size // 2)}}},
                    "responses": {"204": {"description": "stored"}},
                }
            },
        },
        "components": {"schemas": schemas},
    }


@pytest.fixture(autouse=True)
def _recursion_limit() -> Iterator[None]:
    """The generated models raise the process's recursion limit (what a thread's stack
    carries); the other tests of this worker get theirs back."""
    limit = sys.getrecursionlimit()
    yield
    sys.setrecursionlimit(limit)


def _generate(size: int, folder: Path) -> Path:
    spec = folder / "spec.json"
    spec.write_text(json.dumps(recursive_group(size)))
    result = run_cli("generate", str(spec), "--out", str(folder / "out"), "--package", "group", cwd=folder)
    assert result.exit_code == 0, result.stderr
    return spec


@pytest.mark.parametrize("size", [100, 300])
def test_a_group_of_mutually_recursive_schemas_imports_builds_and_answers(size: int, tmp_path: Path) -> None:
    spec = _generate(size, tmp_path)
    with imported(tmp_path / "out", "group"):
        models = __import__("group.models", fromlist=["*"])
        assert all(getattr(models, f"Node{i}").__pydantic_complete__ for i in range(size))
        app = __import__("group.app", fromlist=["create_app"]).create_app(mock=True)
        client = TestClient(app)
        answered = client.get("/nodes/1")
        assert answered.status_code == 200, answered.text
        assert models.Node0.model_validate(answered.json()).name is not None  # the mock's data fits
        assert client.post("/nodes", json={"name": "n", "next": {"name": "m"}}).status_code == 204
        assert client.post("/nodes", json={"next": {"name": "m"}}).status_code == 422  # name is required
        if size <= 100:  # FastAPI's own work for the document grows with the square of the group
            document = client.get("/openapi.json").json()
            assert len(document["components"]["schemas"]) >= size
            report = check_drift(spec, app)
            serious = [f for f in report.findings if f.severity >= Severity.WARNING]
            assert not serious, "\n".join(f"{f.rule} {f.where}: {f.message}" for f in serious)


_SMALL_STACK = """
import resource, sys
from fastapi.testclient import TestClient
from group.app import create_app

client = TestClient(create_app(mock=True))
assert client.get("/nodes/1").status_code == 200
assert client.post("/nodes", json={"name": "n", "next": {"name": "m"}}).status_code == 204
print("ok", sys.getrecursionlimit())
"""


@pytest.mark.slow
def test_the_depth_is_found_in_a_thread_of_its_own(tmp_path: Path) -> None:
    """With 1 MB of C stack in the main thread (Windows' size; 8 MB elsewhere), 300 models
    build and answer (the deep work runs in a thread sized for it), and the recursion limit
    left to the process is no more than that stack is sure to carry. (On CPython 3.11 Python
    frames take little C stack, so this holds without the thread too; the thread is for the
    runtimes and the native code where they take more.)"""
    import resource
    import subprocess

    _generate(300, tmp_path)

    def small_stack() -> None:
        resource.setrlimit(resource.RLIMIT_STACK, (1024 * 1024, resource.getrlimit(resource.RLIMIT_STACK)[1]))

    done = subprocess.run(
        [sys.executable, "-W", "ignore::DeprecationWarning", "-c", _SMALL_STACK],
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        preexec_fn=small_stack,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["ok", "1000"]  # 1 MB carries fewer frames than the default
