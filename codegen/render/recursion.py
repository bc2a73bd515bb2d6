"""Groups of mutually recursive models, which Pydantic builds depth-first.

Pydantic completes a model by building the schema of every model it refers to that is not
complete yet, and so on: the first model of a group of N mutually recursive ones goes N models
deep, about 12 Python frames each, and a JSON schema of the group (FastAPI's ``openapi()``)
about 30 frames per model. Python's default limit of 1,000 frames ends that near 80 models
(near 30 for the JSON schema): a group of 100 made ``import models`` fail with RecursionError.

For a package with such a group every model class defers its build (``defer_build``), and the
models are completed at the end of the module in dependency order (each after the models it
refers to, so only the first of a group goes deep; the engine's name order repeated the walk
for every member, quadratic in N) by ``codegen_runtime.types.complete_models``, in a thread whose stack and
recursion limit fit the group; the app runs ``openapi()`` the same way.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import Any

__all__ = ["FRAMES_PER_MODEL", "complete_explicitly", "depth_needed", "reference_graph"]

FRAMES_PER_MODEL = 40  # measured: 12 to build a model, 30 for its JSON schema; with room
_COMFORTABLE = 800  # what Python's default limit leaves for the group, the caller's frames aside
_REF = "#/components/schemas/"


def reference_graph(view: dict[str, Any]) -> dict[str, list[str]]:
    """Class name -> the classes its schema in the model view refers to."""
    schemas = view.get("components", {}).get("schemas", {})
    graph: dict[str, list[str]] = {}
    for name, schema in schemas.items():
        found: set[str] = set()
        todo: list[Any] = [schema]
        while todo:
            node = todo.pop()
            if isinstance(node, dict):
                ref = node.get("$ref")
                if isinstance(ref, str) and ref.startswith(_REF) and ref[len(_REF) :] in schemas:
                    found.add(ref[len(_REF) :])
                todo.extend(node.values())
            elif isinstance(node, list):
                todo.extend(node)
        graph[name] = sorted(found)
    return graph


def largest_group(graph: dict[str, list[str]]) -> int:
    """Size of the largest strongly connected component (Tarjan's algorithm, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    largest = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(graph[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                size = 0
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    size += 1
                    if member == node:
                        break
                largest = max(largest, size)
    return largest


def depth_needed(view: dict[str, Any]) -> int | None:
    """The recursion depth the package's models need, when Python's default is not enough."""
    size = largest_group(reference_graph(view))
    if size * FRAMES_PER_MODEL <= _COMFORTABLE:
        return None
    return size * FRAMES_PER_MODEL + 1000


def _completion_order(graph: dict[str, list[str]]) -> list[str]:
    """Every class after the classes it refers to (depth-first post-order; within a cycle,
    each after the one it refers to)."""
    done: set[str] = set()
    order: list[str] = []
    for root in sorted(graph):
        if root in done:
            continue
        done.add(root)
        work: list[tuple[str, Iterator[str]]] = [(root, iter(graph[root]))]
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                order.append(node)
            elif child not in done:
                done.add(child)
                work.append((child, iter(graph[child])))
    return order


_REBUILD = re.compile(r"^\w+\.model_rebuild\(\)$\n?", re.MULTILINE)


def complete_explicitly(source: str, view: dict[str, Any], depth: int) -> str:
    """Defer every model class's build and complete them all at the end of the module."""
    from codegen.render.models import set_config  # here: models imports this module

    tree = ast.parse(source)
    models: set[str] = set()
    lines = source.splitlines(keepends=True)
    roots: list[tuple[int, int]] = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and any(_is_model_base(base, models) for base in node.bases):
            models.add(node.name)
            # ``RootModel[X]`` is a class of its own, built where it is written, before the
            # model's ``defer_build`` applies: its deferring twin is built when the model is
            roots += [
                (base.value.lineno - 1, base.value.col_offset)
                for base in node.bases
                if isinstance(base, ast.Subscript) and isinstance(base.value, ast.Name) and base.value.id == "RootModel"
            ]
    for index, column in sorted(roots, reverse=True):
        lines[index] = lines[index][:column] + "Deferred" + lines[index][column:]
    source = set_config("".join(lines), lambda node: node.name in models, "defer_build", "True")
    ordered = [name for name in _completion_order(reference_graph(view)) if name in models]
    ordered += sorted(models - set(ordered))
    listed = "".join(f"        {name},\n" for name in ordered)
    source = _REBUILD.sub("", source).rstrip() + "\n"
    anchor = re.search(r"^from pydantic import .*$", source, re.MULTILINE)
    assert anchor is not None
    source = (
        source[: anchor.end() + 1]
        + "\nfrom codegen_runtime.types import DeferredRootModel, complete_models\n"
        + source[anchor.end() + 1 :]
    )
    return source + f"\n\ncomplete_models(\n    (\n{listed}    ),\n    depth={depth},\n)\n"


def _is_model_base(base: ast.expr, models: set[str]) -> bool:
    if isinstance(base, ast.Subscript):
        base = base.value
    return isinstance(base, ast.Name) and (base.id in ("BaseModel", "RootModel") or base.id in models)
