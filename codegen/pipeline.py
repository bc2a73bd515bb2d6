"""The stages in order, for one spec: load, validate, build, render; then compare or write.

``generate`` and ``generate --check`` share every step but the last. Validation (seconds on
large specs) runs in a forked process while the models are generated, and both validation
results and outputs are cached by content, so an unchanged spec costs two hashes.
"""

from __future__ import annotations

import keyword
import os
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codegen import __version__
from codegen.background import Background, can_fork
from codegen.build import build_api
from codegen.cache import Cache, digest_files, hash_bytes
from codegen.collector import few_collections
from codegen.load import Limits, Loaded, SourceMap, load_spec
from codegen.output import Changes, compare, write_package
from codegen.problems import Location, Problem, ProblemsError, Severity, by_position

__all__ = ["Options", "Outcome", "check_package_name", "generate", "validate"]

Progress = Callable[[str], None]


def _silent(_: str) -> None:
    return None


@dataclass(frozen=True, slots=True)
class Options:
    allow_remote_refs: bool = False
    interface_style: str = "any"
    library: bool = False  # also a pyproject.toml: the package as a distribution
    limits: Limits = field(default_factory=Limits)
    cache: Cache = field(default_factory=Cache)
    parallel: bool = True
    progress: Progress = _silent

    @property
    def fingerprint(self) -> tuple[Any, ...]:
        return (self.allow_remote_refs, self.interface_style, self.library)


@dataclass(slots=True)
class Outcome:
    package: str
    target: Path
    changes: Changes
    warnings: list[Problem]  # not located yet: see ``sources``
    files: dict[str, str] | None = None  # None when the cache showed nothing changed
    sources: SourceMap | None = None
    inputs: tuple[Path, ...] = ()  # the files the spec was read from (not remote ones): what --watch polls

    @property
    def up_to_date(self) -> bool:
        return not self.changes.any


def check_package_name(name: str) -> None:
    if not name.isidentifier() or keyword.iskeyword(name) or name in sys.stdlib_module_names:
        raise ProblemsError(
            [Problem("cli.package", f"{name!r} cannot be a package name (not an identifier, or a stdlib module)")]
        )


# --------------------------------------------------------------------------- validation


def _validate_now(loaded: Loaded) -> list[Problem]:
    from codegen.validate import validate_document

    return validate_document(loaded.document, loaded.version)


_SEVERITIES = frozenset(s.value for s in Severity)
_running: list[Background[list[Problem]]] = []  # validations started and not yet collected


def _start_validation(loaded: Loaded, options: Options) -> Callable[[], list[Problem]]:
    """Validation results, from the cache or (in the background when possible) the validator."""
    key = Cache.key("validation", digest_files(loaded.inputs))
    cached = options.cache.get("validation", key)
    if isinstance(cached, list):
        problems = [
            Problem(p["code"], p["message"], Location(p["pointer"]), Severity(p["severity"]))
            for p in cached
            if isinstance(p, dict) and p.get("severity") in _SEVERITIES
        ]
        if len(problems) == len(cached):  # else a damaged entry: validate again
            return lambda: problems

    def store(problems: list[Problem]) -> list[Problem]:
        options.cache.put(
            "validation",
            key,
            [
                {"code": p.code, "message": p.message, "pointer": p.location.pointer, "severity": p.severity.value}
                for p in problems
            ],
        )
        return problems

    if options.parallel and can_fork():
        background = Background(lambda: _validate_now(loaded), "validation")
        _running.append(background)

        def collect() -> list[Problem]:
            _running.remove(background)
            return store(list(background.result()))

        return collect
    done = store(_validate_now(loaded))  # now, while the document is still there
    return lambda: done


# --------------------------------------------------------------------------- stages


def _load(spec: Path, options: Options) -> Loaded:
    options.progress(f"loading {spec}")
    return load_spec(spec, allow_remote=options.allow_remote_refs, limits=options.limits)


def validate(spec: Path, options: Options) -> list[Problem]:
    """Every problem with a spec (errors and warnings), located; raises nothing for bad input."""
    try:
        loaded = _load(spec, options)
    except ProblemsError as exc:
        return list(exc.problems)
    options.progress("validating")
    problems = _start_validation(loaded, Options(cache=options.cache, parallel=False))()
    if not any(p.severity is Severity.ERROR for p in problems):
        try:
            problems += build_api(loaded.document, package="spec", spec_name=str(spec)).problems
        except ProblemsError as exc:
            problems += exc.problems
    return by_position(loaded.sources.locate(problems))


def render(spec: Path, package: str, options: Options) -> tuple[dict[str, str], list[Problem], Loaded]:
    """The package's files, or ProblemsError (located) if the spec is invalid."""
    try:
        with few_collections():
            loaded = _load(spec, options)
            validation = _start_validation(loaded, options)
            return _render(loaded, validation, package, options)
    finally:
        while _running:  # the run failed before it collected the validation: stop it
            _running.pop().cancel()


def _render(
    loaded: Loaded, validation: Callable[[], list[Problem]], package: str, options: Options
) -> tuple[dict[str, str], list[Problem], Loaded]:
    from codegen.render import render_package

    try:
        options.progress("building the intermediate representation")
        built = build_api(loaded.document, package=package, spec_name=loaded.root.key)
        # The IR and the model view hold everything still needed; letting the document go
        # before the model engine runs keeps the peak memory of large specs down by a sixth.
        loaded.document = {}
        files = render_package(
            built,
            version=__version__,
            inputs=loaded.inputs,
            interface_style=options.interface_style,
            library=options.library,
            progress=options.progress,
        )
        build_problems = built.problems + (_library_problems(built.api.version) if options.library else [])
    except ProblemsError as exc:
        files, build_problems = {}, list(exc.problems)
    except Exception:
        # Building reads the spec as valid. On an invalid one it may fail in ways no check
        # foresaw: then the validator's word is the answer; on a valid one, it is our bug.
        invalid = [p for p in validation() if p.severity is Severity.ERROR]
        if invalid:
            raise ProblemsError(loaded.sources.locate(invalid)) from None
        raise
    options.progress("validating")
    problems = validation() + build_problems
    if any(p.severity is Severity.ERROR for p in problems):
        raise ProblemsError(loaded.sources.locate(problems))
    return files, problems, loaded  # warnings are located by whoever shows them


def _library_problems(spec_version: str) -> list[Problem]:
    from codegen.render.library import distribution_version

    version, exact = distribution_version(spec_version)
    if exact:
        return []
    message = (
        f"info.version {spec_version!r} is not a PEP 440 version; the library is versioned {version!r} "
        "(the numbers in it, joined by dots)"
    )
    return [Problem.at("library.version", message, "/info/version", warning=True)]


def _output_key(spec: Path, package: str, target: Path, options: Options) -> str:
    return Cache.key("output", str(spec.resolve()), package, str(target.resolve()), options.fingerprint)


def _cached_up_to_date(spec: Path, package: str, target: Path, options: Options) -> tuple[Path, ...] | None:
    """The spec's input files if the cache shows the package on disk is what they generate."""
    entry = options.cache.get("output", _output_key(spec, package, target, options))
    if not isinstance(entry, dict):
        return None
    try:
        for path, digest in entry["inputs"].items():
            if hash_bytes(Path(path).read_bytes()) != digest:
                return None
        files = entry["files"]
        on_disk = {
            p.relative_to(target).as_posix()
            for p in target.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
        }
        if on_disk != set(files):
            return None
        if not all(hash_bytes((target / name).read_bytes()) == digest for name, digest in files.items()):
            return None
        return tuple(Path(path) for path in entry["inputs"])
    except (OSError, KeyError, TypeError, AttributeError):
        return None


def _input_paths(loaded: Loaded) -> tuple[Path, ...]:
    return tuple(
        (Path.cwd() / key).resolve() if not os.path.isabs(key) else Path(key)
        for key in loaded.inputs
        if not key.startswith(("http://", "https://"))
    )


def _remember(spec: Path, package: str, target: Path, options: Options, loaded: Loaded, files: dict[str, str]) -> None:
    if any(key.startswith(("http://", "https://")) for key in loaded.inputs):
        return  # remote inputs cannot be re-checked without fetching them
    root = spec.resolve().parent
    inputs = {
        str((Path.cwd() / key).resolve() if not os.path.isabs(key) else Path(key)): hash_bytes(data)
        for key, data in loaded.inputs.items()
    }
    if not all(Path(p).is_relative_to(root) for p in inputs):
        return
    options.cache.put(
        "output",
        _output_key(spec, package, target, options),
        {"inputs": inputs, "files": {name: hash_bytes(text.encode("utf-8")) for name, text in files.items()}},
    )


def generate(spec: Path, package: str, out: Path, options: Options, *, write: bool) -> Outcome:
    """Generate one package; with ``write=False`` only compare it with what is on disk."""
    check_package_name(package)
    target = out / package
    nothing = Changes((), (), ())
    cached = _cached_up_to_date(spec, package, target, options)
    if cached is not None:
        options.progress("up to date (cached)")
        return Outcome(package, target, nothing, [], inputs=cached)
    files, warnings, loaded = render(spec, package, options)
    changes = compare(target, files)
    if write and changes.any:
        options.progress(f"writing {target}")
        write_package(out, package, files)
    if write or not changes.any:
        _remember(spec, package, target, options, loaded, files)
    return Outcome(package, target, changes, warnings, files, loaded.sources, _input_paths(loaded))


def internal_error(exc: BaseException) -> Problem:
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f" ({Path(where.filename).name}:{where.lineno})" if where else ""
    return Problem("internal", f"internal error: {type(exc).__name__}: {exc}{at}", Location(""))
