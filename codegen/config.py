"""One frozen ``Config`` from ``[tool.codegen]`` in pyproject.toml, overridden by CLI flags.

::

    [tool.codegen]
    out = "generated"              # where packages are written
    allow-remote-refs = false      # fetch http(s) $refs
    interface-style = "any"        # any | async | sync: what implementation methods may be
    specs = [
        "specs/shipping.yaml",                                 # package name from the file
        { path = "specs/billing.yaml", package = "billing" },  # or given
    ]

Unknown keys and bad values are errors that name the key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from codegen.naming import module_name
from codegen.problems import Location, Problem, ProblemsError

__all__ = ["Config", "SpecEntry", "find_pyproject", "load_config", "package_for"]

INTERFACE_STYLES = ("any", "async", "sync")
_KEYS = {"out", "allow-remote-refs", "interface-style", "specs"}


@dataclass(frozen=True, slots=True)
class SpecEntry:
    path: Path
    package: str | None = None


@dataclass(frozen=True, slots=True)
class Config:
    root: Path = Path(".")
    out: Path = Path("generated")
    allow_remote_refs: bool = False
    interface_style: str = "any"
    specs: tuple[SpecEntry, ...] = field(default_factory=tuple)
    source: Path | None = None  # the pyproject.toml read, if any

    def with_overrides(self, **changes: Any) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def package_for(spec: Path, explicit: str | None = None) -> str:
    """The package name: given, or the spec file's stem in snake_case."""
    if explicit:
        return explicit
    stem = spec.name.split(".")[0]
    return module_name(stem)


def find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def _error(source: Path, key: str, message: str) -> ProblemsError:
    return ProblemsError([Problem("config.invalid", f"[tool.codegen] {key}: {message}", Location("", str(source)))])


def load_config(start: Path | None = None) -> Config:
    """The configuration of the project around ``start`` (default: the working folder)."""
    here = (start or Path.cwd()).resolve()
    pyproject = find_pyproject(here)
    if pyproject is None:
        return Config(root=here)
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ProblemsError([Problem("config.toml", f"cannot read: {exc}", Location("", str(pyproject)))]) from None
    table = data.get("tool", {}).get("codegen")
    root = pyproject.parent
    if table is None:
        return Config(root=root, source=pyproject)
    if not isinstance(table, dict):
        raise _error(pyproject, "", "must be a table")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise _error(pyproject, unknown[0], f"unknown key (known: {', '.join(sorted(_KEYS))})")
    out = table.get("out", "generated")
    if not isinstance(out, str) or not out:
        raise _error(pyproject, "out", "must be a folder path")
    remote = table.get("allow-remote-refs", False)
    if not isinstance(remote, bool):
        raise _error(pyproject, "allow-remote-refs", "must be true or false")
    style = table.get("interface-style", "any")
    if style not in INTERFACE_STYLES:
        raise _error(pyproject, "interface-style", f"must be one of {', '.join(INTERFACE_STYLES)}, not {style!r}")
    return Config(
        root=root,
        out=root / out,
        allow_remote_refs=remote,
        interface_style=style,
        specs=_specs(table.get("specs", []), root, pyproject),
        source=pyproject,
    )


def _specs(raw: Any, root: Path, source: Path) -> tuple[SpecEntry, ...]:
    if not isinstance(raw, list):
        raise _error(source, "specs", "must be a list of paths or {path, package} tables")
    entries = []
    for i, item in enumerate(raw):
        if isinstance(item, str):
            entries.append(SpecEntry(root / item))
        elif isinstance(item, dict):
            extra = sorted(set(item) - {"path", "package"})
            if extra:
                raise _error(source, f"specs[{i}].{extra[0]}", "unknown key (known: path, package)")
            path, package = item.get("path"), item.get("package")
            if not isinstance(path, str):
                raise _error(source, f"specs[{i}].path", "must be a path")
            if package is not None and (not isinstance(package, str) or not package.isidentifier()):
                raise _error(source, f"specs[{i}].package", f"{package!r} is not a Python identifier")
            entries.append(SpecEntry(root / path, package))
        else:
            raise _error(source, f"specs[{i}]", "must be a path or a {path, package} table")
    return tuple(entries)
