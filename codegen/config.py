"""One frozen ``Config`` from ``[tool.codegen]`` in pyproject.toml, overridden by CLI flags.

::

    [tool.codegen]
    out = "generated"              # where packages are written
    allow-remote-refs = false      # fetch http(s) $refs
    interface-style = "any"        # any | async | sync: what implementation methods may be
    specs = [
        "specs/shipping.yaml",                                 # package name from the file
        { path = "specs/billing.yaml", package = "billing" },  # or given
        "specs/partners/*.yaml",                               # a glob: every OpenAPI document it matches
    ]
    library = false                # also write a pyproject.toml: the package as an installable distribution
    serve = "shipping_service.main:app"  # the app `make run` and `make dev` serve

Without ``specs``, every OpenAPI document directly in ``specs/`` is generated (a YAML or JSON
file with a top-level ``openapi`` key; files that are only ``$ref``'d parts are skipped).
Unknown keys and bad values are errors that name the key.
"""

from __future__ import annotations

import glob
import json
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from codegen.naming import module_name
from codegen.problems import Location, Problem, ProblemsError

__all__ = [
    "Config",
    "SpecEntry",
    "discover_specs",
    "find_pyproject",
    "is_openapi_document",
    "load_config",
    "package_for",
]

INTERFACE_STYLES = ("any", "async", "sync")
SPECS_FOLDER = "specs"  # where specs are found when [tool.codegen] names none
_KEYS = {"out", "allow-remote-refs", "interface-style", "specs", "library", "serve"}
_SPEC_SUFFIXES = (".yaml", ".yml", ".json")
_GLOB = re.compile(r"[*?\[]")
# A top-level key of a YAML block mapping starts in the first column, quoted or not.
_YAML_OPENAPI = re.compile(rb"""^(openapi|"openapi"|'openapi')[ \t]*:""", re.MULTILINE)
_TARGET = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")


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
    discovered: bool = False  # specs found in specs/, not named by the config
    library: bool = False
    serve: str | None = None  # MODULE:ATTR of the app `make run` serves

    def with_overrides(self, **changes: Any) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def serve_target(self) -> str:
        """The app ``make run`` serves, or an error that says how to name it."""
        if self.serve is None:
            where = self.source or "pyproject.toml"
            message = f"no [tool.codegen] serve in {where}: set serve = 'MODULE:ATTR' (your app), or run make run APP=MODULE:ATTR"
            raise ProblemsError([Problem("cli.config", message)])
        return self.serve

    def app_folders(self) -> list[Path]:
        """The folder of the top-level package that holds the served app's module (what a
        reloading server watches besides the output), found without importing it; none for a
        module beside pyproject.toml, whose folder holds the virtualenv too."""
        import importlib.util

        top = self.serve_target().split(":", 1)[0].split(".", 1)[0]
        try:
            found = importlib.util.find_spec(top)
        except (ImportError, ValueError):
            return []
        if found is None or found.origin is None:
            return []
        folder = Path(found.origin).resolve().parent
        return [] if folder == self.root.resolve() else [folder]

    def packages(self) -> list[tuple[SpecEntry, str]]:
        """Each spec with its package name; two specs that would write one package are an error."""
        seen: dict[str, Path] = {}
        named = []
        for entry in self.specs:
            name = package_for(entry.path, entry.package)
            if name in seen:
                where = self.source or self.root / "pyproject.toml"
                both = " and ".join(_shown(p, self.root) for p in (seen[name], entry.path))
                raise _error(where, "specs", f"{both} would both be the package {name!r}; give one a package name")
            seen[name] = entry.path
            named.append((entry, name))
        return named


def package_for(spec: Path, explicit: str | None = None) -> str:
    """The package name: given, or the spec file's stem in snake_case."""
    if explicit:
        return explicit
    stem = spec.name.split(".")[0]
    return module_name(stem)


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def _error(source: Path, key: str, message: str) -> ProblemsError:
    return ProblemsError([Problem("config.invalid", f"[tool.codegen] {key}: {message}", Location("", str(source)))])


def is_openapi_document(path: Path) -> bool:
    """Whether a file is an OpenAPI root document: a top-level ``openapi`` key. A file that
    holds only parts other documents ``$ref`` has none. Read, not parsed: a YAML top-level key
    starts its line."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    if path.suffix == ".json":
        try:
            document = json.loads(data)
        except ValueError:
            return False
        return isinstance(document, dict) and "openapi" in document
    return _YAML_OPENAPI.search(data) is not None


def discover_specs(folder: Path) -> tuple[SpecEntry, ...]:
    """Every OpenAPI document directly in ``folder`` (not in its subfolders), sorted by name."""
    if not folder.is_dir():
        return ()
    found = [
        SpecEntry(path)
        for path in sorted(folder.iterdir())
        if path.suffix in _SPEC_SUFFIXES and path.is_file() and is_openapi_document(path)
    ]
    return tuple(found)


def _with_discovery(config: Config) -> Config:
    if config.specs:
        return config
    found = discover_specs(config.root / SPECS_FOLDER)
    return replace(config, specs=found, discovered=bool(found))


def load_config(start: Path | None = None) -> Config:
    """The configuration of the project around ``start`` (default: the working folder)."""
    config = _read_config((start or Path.cwd()).resolve())
    return _with_discovery(config)


def _read_config(here: Path) -> Config:
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
    library = table.get("library", False)
    if not isinstance(library, bool):
        raise _error(pyproject, "library", "must be true or false")
    serve = table.get("serve")
    if serve is not None and (not isinstance(serve, str) or not _TARGET.match(serve)):
        raise _error(pyproject, "serve", f"must be MODULE:ATTR (like 'my_service.main:app'), not {serve!r}")
    return Config(
        root=root,
        out=root / out,
        allow_remote_refs=remote,
        interface_style=style,
        specs=_specs(table.get("specs", []), root, pyproject),
        source=pyproject,
        library=library,
        serve=serve,
    )


def _expand(pattern: str, root: Path, source: Path, key: str) -> list[Path]:
    """A path, or every OpenAPI document a glob matches (sorted; ``**`` crosses folders)."""
    if not _GLOB.search(pattern):
        return [root / pattern]
    matches = sorted(Path(p) for p in glob.glob(str(root / pattern), recursive=True))
    found = [p for p in matches if p.is_file() and is_openapi_document(p)]
    if not found:
        raise _error(source, key, f"{pattern!r} matches no OpenAPI document")
    return found


def _specs(raw: Any, root: Path, source: Path) -> tuple[SpecEntry, ...]:
    if not isinstance(raw, list):
        raise _error(source, "specs", "must be a list of paths or {path, package} tables")
    entries: list[SpecEntry] = []
    for i, item in enumerate(raw):
        if isinstance(item, str):
            entries.extend(SpecEntry(path) for path in _expand(item, root, source, f"specs[{i}]"))
        elif isinstance(item, dict):
            extra = sorted(set(item) - {"path", "package"})
            if extra:
                raise _error(source, f"specs[{i}].{extra[0]}", "unknown key (known: path, package)")
            path, package = item.get("path"), item.get("package")
            if not isinstance(path, str):
                raise _error(source, f"specs[{i}].path", "must be a path")
            if package is not None and (not isinstance(package, str) or not package.isidentifier()):
                raise _error(source, f"specs[{i}].package", f"{package!r} is not a Python identifier")
            paths = _expand(path, root, source, f"specs[{i}].path")
            if package is not None and len(paths) > 1:
                raise _error(
                    source,
                    f"specs[{i}].package",
                    f"{path!r} matches {len(paths)} specs, which cannot share one package",
                )
            entries.extend(SpecEntry(p, package) for p in paths)
        else:
            raise _error(source, f"specs[{i}]", "must be a path or a {path, package} table")
    return tuple(entries)
