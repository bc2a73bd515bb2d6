"""Golden cases: a spec in, the expected package out, compared file by file.

Each folder here holds ``spec.yaml`` or ``spec.json`` (and any files it refers to), an
optional ``options.json`` (pipeline options, as ``{"library": true}``) and ``expected/``, the
package codegen generates from it. ``python -m tests.golden`` regenerates
every ``expected/`` after a deliberate change to the output; review the diff, then commit it.
The runtime modules every package copies verbatim are checked against their source instead.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from codegen.cache import Cache
from codegen.pipeline import Options, render
from codegen.render import RUNTIME_FILES

HERE = Path(__file__).resolve().parent
CASES = sorted(p.parent for p in HERE.glob("*/spec.*"))


@contextmanager
def _inside(folder: Path) -> Iterator[None]:
    old = Path.cwd()
    os.chdir(folder)  # the header names the spec as given: relative, the same on every machine
    try:
        yield
    finally:
        os.chdir(old)


def spec_of(case: Path) -> Path:
    return next(case.glob("spec.*"))


def render_case(case: Path) -> dict[str, str]:
    """The package's files (runtime copies left out), keyed by their path in the package."""
    chosen = case / "options.json"
    extra = json.loads(chosen.read_text()) if chosen.is_file() else {}
    with _inside(case):
        options = Options(cache=Cache(enabled=False), parallel=False, **extra)
        files, _, _ = render(Path(spec_of(case).name), case.name, options)
    return {name: text for name, text in files.items() if name not in RUNTIME_FILES}


def update() -> None:
    for case in CASES:
        expected = case / "expected"
        files = render_case(case)
        for old in sorted(expected.rglob("*"), reverse=True) if expected.exists() else []:
            if old.is_file():
                old.unlink()
            elif old.is_dir() and not any(old.iterdir()):
                old.rmdir()
        for name, text in files.items():
            target = expected / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        print(f"{case.name}: {len(files)} files")
