"""The code side of a drift check on a generated package, in two processes.

A large API's app takes most of a drift check: importing it, building its routes, and
FastAPI deriving their schema. The generated ``create_app`` can build any subset of its router
modules (one per tag), so two forked processes (:class:`codegen.background.Background`) each
build half of them, by operation count,
and ask ``get_openapi`` for their half, while this process loads the spec. The halves are
joined: paths are disjoint, and a component both halves derive must come out identical (the
same model, documented by the same function); if it does not, the whole app is documented in
one process instead. ``tests/test_drift.py`` checks the joined document against the single one.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from codegen.background import Background, can_fork
from codegen.drift.appschema import AppDocument, _on_path, app_document, load_app
from codegen.problems import Problem, ProblemsError

__all__ = ["package_document", "split"]

T = TypeVar("T")


def split(weights: dict[str, int], parts: int = 2) -> list[list[str]]:
    """Router modules in ``parts`` groups of about equal operation counts (largest first)."""
    groups: list[list[str]] = [[] for _ in range(parts)]
    totals = [0] * parts
    for name, weight in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0])):
        i = totals.index(min(totals))
        groups[i].append(name)
        totals[i] += weight
    return [g for g in groups if g]


def _build(package: str, out: Path, groups: list[list[str]]) -> list[AppDocument]:
    """In a child: import the models once, then document each group of routers, the first
    here and each further one in a child of its own (the models shared by fork)."""
    with contextlib.suppress(Exception), _on_path(out):
        __import__(f"{package}.models")  # once for every group; each reports a failure itself
    others = [Background(lambda g=group: _half(package, out, g), "drift's app builder") for group in groups[1:]]  # type: ignore[misc]
    try:
        first = _half(package, out, groups[0])
        return [first, *(other.result() for other in others)]
    finally:
        for other in others:
            other.cancel()


def _half(package: str, out: Path, routers: list[str]) -> AppDocument:
    with _on_path(out):
        module = __import__(f"{package}.app", fromlist=["create_app"])
        # the mock: the same routes, and it starts where the app waits for an error-body
        # factory (see appschema.load_app)
        return app_document(module.create_app(routers=routers, mock=True))


def _join(halves: list[AppDocument]) -> AppDocument | None:
    """One document from the halves, or None if they disagree about a shared component."""
    document = halves[0].document  # a fresh copy from a child: ours to extend
    for half in halves[1:]:
        other = half.document
        document.setdefault("paths", {}).update(other.get("paths") or {})
        for section, entries in (other.get("components") or {}).items():
            mine = document.setdefault("components", {}).setdefault(section, {})
            for name, value in entries.items():
                if name in mine and mine[name] != value:
                    return None
                mine[name] = value
    return AppDocument(
        document,
        frozenset().union(*(h.auto_summaries for h in halves)),
        frozenset().union(*(h.auto_ids for h in halves)),
        {k: v for h in halves for k, v in h.sources.items()},
    )


def _weights(package: str, out: Path) -> dict[str, int] | None:
    with _on_path(out):
        try:
            routers = __import__(f"{package}.routers", fromlist=["OPERATIONS"])
        except Exception:  # noqa: BLE001 - not a package this version generated: build it whole
            return None
    weights = getattr(routers, "OPERATIONS", None)
    return dict(weights) if isinstance(weights, dict) else None


def package_document(
    package: str, out: Path, meanwhile: Callable[[], T], *, threshold: int = 100
) -> tuple[AppDocument, T]:
    """The document FastAPI derives from the generated package's app, and ``meanwhile()``'s
    result, computed while the app is built elsewhere (for ``threshold`` operations or more:
    below that, forking costs more than it saves)."""
    weights = _weights(package, out)
    groups = split(weights) if weights and sum(weights.values()) >= threshold else []
    if len(groups) < 2 or not can_fork() or sys.platform == "darwin":
        result = meanwhile()
        return app_document(load_app(package, search=out)), result
    sys.stdout.flush()
    sys.stderr.flush()
    # the builder (models once, then the halves) runs while this process reads the spec
    builder = Background(lambda: _build(package, out, groups), "drift's app builder", daemon=False)
    try:
        result = meanwhile()
        try:
            halves = builder.result()
        except ProblemsError:
            raise
        except Exception as exc:  # noqa: BLE001 - the app's own failure, as a located problem
            raise ProblemsError(
                [Problem("drift.app", f"building the app failed: {type(exc).__name__}: {exc}")]
            ) from None
    finally:
        builder.cancel()
    joined = _join(halves)
    if joined is None:  # the halves named two models alike: document the app in one piece
        joined = app_document(load_app(package, search=out))
    return joined, result
