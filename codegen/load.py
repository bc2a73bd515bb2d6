"""Spec files in, one self-contained document out, with a map back to the source text.

Loading is where untrusted input first meets the machine, so this module decides what a
spec may reach: relative ``$ref``s are resolved against the referring file and confined to
the root spec's folder; remote references are refused unless the caller allows them. The
result is a *bundled* document whose every ``$ref`` is local (``#/...``), which is what the
validator and every later stage receive, so nothing downstream can touch the file system or
the network on the spec's behalf.

External schemas are hoisted into ``components/schemas`` (keeping their names, so class
names stay recognizable); every other external object is inlined where it is referenced.
"""

from __future__ import annotations

import codecs
import copy
import json
import os
import posixpath
import re
import urllib.parse
import urllib.request
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from codegen.positions import json_constants, json_positions, yaml_positions
from codegen.problems import Location, Problem, ProblemsError, join_pointer, split_pointer
from codegen.yamlsafe import LimitExceeded, SpecLoader, check_events

__all__ = ["Limits", "Loaded", "SourceFile", "SourceMap", "load_spec", "resolve_pointer"]

JsonPath = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on untrusted input; real specs stay far below them (deepest in our corpus: 35)."""

    max_file_bytes: int = 64 * 1024 * 1024
    max_depth: int = 100
    max_nodes: int = 5_000_000
    max_files: int = 2_000
    remote_timeout: float = 10.0


@dataclass(frozen=True, slots=True)
class SourceFile:
    key: str  # shown to people: a path relative to the working folder, or a URL
    text: str
    is_json: bool
    raw: bytes = field(repr=False, default=b"")


class SourceMap:
    """Translates pointers in the bundled document to positions in the files they came from."""

    def __init__(self) -> None:
        self.files: dict[str, SourceFile] = {}
        # (prefix in the bundle, file key, prefix in that file), longest prefixes win
        self._origins: list[tuple[JsonPath, str, JsonPath]] = []

    def add_origin(self, bundle_path: JsonPath, file_key: str, file_path: JsonPath) -> None:
        self._origins.append((bundle_path, file_key, file_path))

    def origin(self, pointer: str) -> tuple[str, JsonPath] | None:
        try:
            path = tuple(split_pointer(pointer))
        except ValueError:
            path = ()
        best: tuple[JsonPath, str, JsonPath] | None = None
        for prefix, key, file_prefix in self._origins:
            if path[: len(prefix)] == prefix and (best is None or len(prefix) > len(best[0])):
                best = (prefix, key, file_prefix)
        if best is None:
            return None
        prefix, key, file_prefix = best
        return key, file_prefix + path[len(prefix) :]

    def locations(self, pointers: Iterable[str]) -> dict[str, Location]:
        """File, line and column for pointers into the bundle (one pass per file)."""
        pointers = list(dict.fromkeys(pointers))
        wanted: dict[str, list[JsonPath]] = {}
        origins: dict[str, tuple[str, JsonPath] | None] = {}
        for pointer in pointers:
            origin = self.origin(pointer)
            origins[pointer] = origin
            if origin is not None:
                wanted.setdefault(origin[0], []).append(origin[1])
        positions: dict[str, dict[JsonPath, tuple[int, int]]] = {}
        for key, paths in wanted.items():
            source = self.files.get(key)
            if source is None:
                continue
            if source.is_json:
                positions[key] = json_positions(source.text, paths)
            else:
                positions[key] = yaml_positions(source.text, paths, SpecLoader)
        result: dict[str, Location] = {}
        for pointer, found in origins.items():
            if found is None:
                result[pointer] = Location(pointer)
                continue
            key, path = found
            line, column = positions.get(key, {}).get(path, (None, None))
            result[pointer] = Location(pointer, key, line, column)
        return result

    def locate(self, problems: Iterable[Problem]) -> list[Problem]:
        """Fill in file, line and column for every problem that points into the bundle."""
        problems = list(problems)
        wanted = [p.location.pointer for p in problems if p.location.file is None]
        found = self.locations(wanted)
        return [p if p.location.file is not None else p.located(found[p.location.pointer]) for p in problems]


@dataclass(slots=True)
class Loaded:
    document: dict[str, Any]
    sources: SourceMap
    root: SourceFile
    version: str

    @property
    def inputs(self) -> dict[str, bytes]:
        """Every file the document was built from, by key: what a cache must be keyed on."""
        return {key: src.raw for key, src in self.sources.files.items()}


def resolve_pointer(document: Any, pointer: str) -> Any:
    """The value at a JSON pointer; ``KeyError`` when it does not exist."""
    node = document
    for part in split_pointer(pointer):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise KeyError(pointer)
    return node


# --------------------------------------------------------------------------- reading


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def _problem(code: str, message: str, file: str, line: int | None = None, col: int | None = None) -> Problem:
    return Problem(code, message, Location("", file, line, col))


def _decode(raw: bytes, key: str) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise ProblemsError([_problem("load.encoding", "the file is not valid UTF-8", key, line, col)]) from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_source(source: SourceFile, limits: Limits) -> Any:
    """JSON or YAML text to data, or ``ProblemsError`` with the position of the fault."""
    text = source.text
    if not text.strip():
        raise ProblemsError([_problem("load.empty", "the file is empty", source.key, 1, 1)])
    if source.is_json:
        try:
            return json.loads(text, parse_constant=_reject_constant)
        except json.JSONDecodeError as exc:
            raise ProblemsError(
                [_problem("load.json", f"invalid JSON: {exc.msg}", source.key, exc.lineno, exc.colno)]
            ) from None
        except ValueError as exc:
            found = json_constants(text)
            if not found:
                raise ProblemsError([_problem("load.json", f"invalid JSON: {exc}", source.key)]) from None
            raise ProblemsError(
                [
                    _problem("load.json", f"invalid JSON: {token} is not valid JSON", source.key, line, col)
                    for token, (line, col) in found
                ]
            ) from None
        except RecursionError:
            deep_line, deep_column = _json_depth_position(text, limits.max_depth)
            message = f"nesting deeper than {limits.max_depth} levels"
            raise ProblemsError([_problem("load.depth", message, source.key, deep_line, deep_column)]) from None
    try:
        check_events(text, max_depth=limits.max_depth, max_nodes=limits.max_nodes)
        return yaml.load(text, Loader=SpecLoader)  # noqa: S506 - SpecLoader is a safe loader
    except LimitExceeded as exc:
        raise ProblemsError([_problem("load.limit", str(exc), source.key, exc.line, exc.column)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and (mark is None or not text[mark.index :].strip()):
            # The parser ran into the end of the file inside something it had opened (a
            # quote, a bracket): where that opened is what the author has to fix.
            mark = exc.context_mark
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        raise ProblemsError([_problem("load.yaml", f"invalid YAML: {message}", source.key, line, col)]) from None
    except yaml.YAMLError as exc:
        raise ProblemsError([_problem("load.yaml", f"invalid YAML: {exc}", source.key)]) from None


def _looks_like_json(name: str, text: str) -> bool:
    if name.endswith(".json"):
        return True
    if name.endswith((".yaml", ".yml")):
        return False
    return text.lstrip()[:1] in ("{", "[")


def read_file(path: Path, limits: Limits) -> SourceFile:
    key = _display(path)
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise ProblemsError(
                [_problem("load.size", f"the file is larger than {limits.max_file_bytes:,} bytes", key)]
            )
        raw = path.read_bytes()
    except ProblemsError:
        raise
    except IsADirectoryError:
        raise ProblemsError([_problem("load.read", "is a folder, not a file", key)]) from None
    except FileNotFoundError:
        raise ProblemsError([_problem("load.read", "no such file", key)]) from None
    except OSError as exc:
        raise ProblemsError([_problem("load.read", f"cannot read: {exc.strerror}", key)]) from None
    text = _decode(raw, key)
    return SourceFile(key, text, _looks_like_json(path.name, text), raw)


def _read_url(url: str, limits: Limits) -> SourceFile:
    request = urllib.request.Request(url, headers={"User-Agent": "codegen"})  # noqa: S310 - scheme checked by caller
    try:
        with urllib.request.urlopen(request, timeout=limits.remote_timeout) as response:  # noqa: S310
            raw = response.read(limits.max_file_bytes + 1)
    except (OSError, ValueError) as exc:
        raise ProblemsError([_problem("ref.remote", f"cannot fetch: {exc}", url)]) from None
    if len(raw) > limits.max_file_bytes:
        raise ProblemsError([_problem("load.size", f"larger than {limits.max_file_bytes:,} bytes", url)])
    text = _decode(raw, url)
    path = urllib.parse.urlsplit(url).path
    return SourceFile(url, text, _looks_like_json(path, text), raw)


# --------------------------------------------------------------------------- bundling

# Keys whose values are data, never references (JSON Schema annotations and OpenAPI examples).
_DATA_KEYS = frozenset({"example", "default", "enum", "const", "value", "examples"})
_REMOTE = ("http://", "https://")


@dataclass(frozen=True, slots=True)
class _Target:
    file: str  # file key
    fragment: str  # JSON pointer inside that file

    @property
    def key(self) -> tuple[str, str]:
        return (self.file, self.fragment)


class _Bundler:
    def __init__(self, root: Path, limits: Limits, allow_remote: bool) -> None:
        self.limits = limits
        self.allow_remote = allow_remote
        self.root_path = root.resolve()
        self.root_dir = self.root_path.parent
        self.sources = SourceMap()
        self.data: dict[str, Any] = {}  # file key -> parsed data
        self.locations: dict[str, str] = {}  # file key -> real path or URL
        self.placed: dict[tuple[str, str], JsonPath] = {}
        self.problems: list[Problem] = []
        self.root_key = ""
        self.document: dict[str, Any] = {}

    # -- files

    def load_root(self) -> dict[str, Any]:
        source = read_file(self.root_path, self.limits)
        data = parse_source(source, self.limits)
        self.root_key = source.key
        self.sources.files[source.key] = source
        self.locations[source.key] = str(self.root_path)
        self.data[source.key] = data
        self.sources.add_origin((), source.key, ())
        if not isinstance(data, dict):
            kind = "a list" if isinstance(data, list) else type(data).__name__
            raise ProblemsError(
                [_problem("load.not-mapping", f"an OpenAPI document is a mapping, this is {kind}", source.key, 1, 1)]
            )
        self.document = data
        return data

    def _load(self, location: str) -> str:
        for key, known in self.locations.items():
            if known == location:
                return key
        if len(self.locations) >= self.limits.max_files:
            raise _RefError("ref.too-many-files", f"more than {self.limits.max_files} referenced files")
        if location.startswith(_REMOTE):
            source = _read_url(location, self.limits)
        else:
            source = read_file(Path(location), self.limits)
        data = parse_source(source, self.limits)
        self.sources.files[source.key] = source
        self.locations[source.key] = location
        self.data[source.key] = data
        return source.key

    # -- references

    def target_of(self, ref: str, from_file: str) -> _Target:
        uri, _, fragment = ref.partition("#")
        fragment = urllib.parse.unquote(fragment)
        if fragment and not fragment.startswith("/"):
            raise _RefError("ref.fragment", f"the fragment {fragment!r} is not a JSON pointer")
        if not uri:
            return _Target(from_file, fragment)
        base = self.locations[from_file]
        if uri.startswith(_REMOTE) or base.startswith(_REMOTE):
            absolute = urllib.parse.urljoin(base, uri) if base.startswith(_REMOTE) else uri
            if not absolute.startswith(_REMOTE):
                raise _RefError("ref.outside", f"a remote document may not refer to {uri!r}")
            if not self.allow_remote:
                raise _RefError(
                    "ref.remote",
                    f"remote $ref {absolute!r} refused; pass --allow-remote-refs to fetch it",
                )
            return _Target(self._load(absolute), fragment)
        scheme = urllib.parse.urlsplit(uri).scheme
        if scheme and len(scheme) > 1:  # one letter is a Windows drive, not a scheme
            raise _RefError(
                "ref.scheme",
                f"scheme {scheme!r} is not supported (relative files are, and http(s) with --allow-remote-refs)",
            )
        relative = urllib.parse.unquote(uri)
        if posixpath.isabs(relative) or os.path.isabs(relative):
            raise _RefError("ref.outside", f"$ref {uri!r} is an absolute path; use a relative one")
        path = (Path(base).parent / relative).resolve()
        if not path.is_relative_to(self.root_dir):
            raise _RefError("ref.outside", f"$ref {uri!r} points outside the spec's folder {_display(self.root_dir)}")
        if path == self.root_path:
            return _Target(self.root_key, fragment)
        if not path.is_file():
            raise _RefError("ref.missing-file", f"$ref {uri!r}: no such file")
        return _Target(self._load(str(path)), fragment)

    def value_of(self, target: _Target) -> Any:
        try:
            return resolve_pointer(self.data[target.file], target.fragment)
        except KeyError:
            raise _RefError("ref.unresolvable", f"{target.fragment or '/'} does not exist in {target.file}") from None

    def hoist_name(self, target: _Target) -> str:
        parts = split_pointer(target.fragment) if target.fragment else []
        if parts and parts[-1]:
            base = parts[-1]
        else:
            base = re.split(r"[.]", Path(urllib.parse.urlsplit(target.file).path).name)[0] or "Schema"
        schemas = self.document.setdefault("components", {}).setdefault("schemas", {})
        name, n = base, 1
        while name in schemas:
            n += 1
            name = f"{base}{n}"
        return name

    def place(self, target: _Target, site: JsonPath, in_schema: bool) -> tuple[JsonPath, Any | None]:
        """Where the target lives in the bundle, and the content still to be walked there."""
        if target.file == self.root_key:
            return tuple(split_pointer(target.fragment)) if target.fragment else (), None
        if target.key in self.placed:
            return self.placed[target.key], None
        value = self.value_of(target)
        if in_schema:
            name = self.hoist_name(target)
            path: JsonPath = ("components", "schemas", name)
            content = copy.deepcopy(value)
            self.document["components"]["schemas"][name] = content
        else:
            path = site
            content = copy.deepcopy(value)
        self.placed[target.key] = path
        self.sources.add_origin(path, target.file, tuple(split_pointer(target.fragment)))
        return path, content

    # -- the walk

    def walk(self, node: Any, path: JsonPath, file_key: str, in_schema: bool) -> None:
        """Resolve every reference under ``node`` (which sits at ``path`` in the bundle)."""
        # first in, first out: references are met (and hoisted names numbered) in document order
        stack: deque[_Frame] = deque([_Frame(node, path, file_key, in_schema, False, len(path))])
        while stack:
            frame = stack.popleft()
            value, at = frame.value, frame.path
            if frame.depth > self.limits.max_depth:
                self.problems.append(
                    Problem.at("load.depth", f"nesting deeper than {self.limits.max_depth} levels", join_pointer(at))
                )
                continue
            if isinstance(value, dict):
                ref = value.get("$ref")
                if not frame.names and isinstance(ref, str):
                    placed = self.resolve_ref(value, ref, at, frame.file, frame.schema)
                    if placed is not None:
                        stack.append(_Frame(placed[1], placed[0], placed[2], frame.schema, False, frame.depth))
                        continue
                for key, child in list(value.items()):
                    if not frame.names and _is_data(key, frame.schema):
                        continue
                    if frame.schema and key == "discriminator" and isinstance(child, dict):
                        self.rewrite_mapping(child, (*at, key), frame.file)
                    schema, names = _child_context(at, key, frame.schema, frame.names)
                    stack.append(_Frame(child, (*at, key), frame.file, schema, names, frame.depth + 1))
            elif isinstance(value, list):
                for index, child in enumerate(value):
                    stack.append(_Frame(child, (*at, str(index)), frame.file, frame.schema, False, frame.depth + 1))

    def resolve_ref(
        self, holder: dict[str, Any], ref: str, at: JsonPath, fkey: str, in_schema: bool
    ) -> tuple[JsonPath, Any, str] | None:
        """Rewrite ``holder['$ref']`` to a local pointer; return new content to walk, if any."""
        if fkey == self.root_key and ref.startswith("#"):
            return None  # local already; checked once the bundle is complete
        try:
            target = self.target_of(ref, fkey)
            if not in_schema and target.file != self.root_key:
                target = self.follow_chain(target)
            path, content = self.place(target, at, in_schema)
        except _RefError as exc:
            self.problems.append(Problem.at(exc.code, exc.named(ref), join_pointer(at)))
            return None
        except ProblemsError as exc:
            self.problems.extend(exc.problems)
            return None
        if content is not None and not in_schema:
            # inlined: the referencing object becomes the referenced one (3.1 siblings win)
            siblings = {k: v for k, v in holder.items() if k != "$ref"}
            holder.clear()
            if isinstance(content, dict):
                holder.update(content)
                holder.update(siblings)
            else:
                self.problems.append(
                    Problem.at("ref.not-object", f"$ref {ref!r} does not point to an object", join_pointer(at))
                )
            return at, holder, target.file
        holder["$ref"] = "#" + join_pointer(path)
        if content is None:
            return None
        return path, content, target.file

    def follow_chain(self, target: _Target) -> _Target:
        """A reference to a reference: inline the final object, refusing cycles."""
        seen = {target.key}
        while True:
            value = self.value_of(target)
            ref = value.get("$ref") if isinstance(value, dict) else None
            if not isinstance(ref, str) or len(value) != 1:
                return target
            target = self.target_of(ref, target.file)
            if target.key in seen:
                raise _RefError("ref.cycle", f"circular $ref chain through {target.file}#{target.fragment}")
            seen.add(target.key)
            if target.file == self.root_key:
                return target

    def rewrite_mapping(self, discriminator: dict[str, Any], at: JsonPath, fkey: str) -> None:
        mapping = discriminator.get("mapping")
        if not isinstance(mapping, dict):
            return
        for name, ref in list(mapping.items()):
            if not isinstance(ref, str) or (fkey == self.root_key and ref.startswith("#")):
                continue
            if "#" not in ref and "/" not in ref and "." not in ref:
                continue  # a bare schema name
            try:
                target = self.target_of(ref, fkey)
                path, content = self.place(target, (*at, "mapping", name), True)
            except _RefError as exc:
                if exc.code not in _NOT_FOUND:  # a target that exists nowhere is the builder's warning
                    self.problems.append(Problem.at(exc.code, exc.named(ref), join_pointer((*at, "mapping", name))))
                continue
            mapping[name] = "#" + join_pointer(path)
            if content is not None:
                self.walk(content, path, target.file, True)


@dataclass(frozen=True, slots=True)
class _Frame:
    value: Any
    path: JsonPath
    file: str
    schema: bool  # inside a Schema Object
    names: bool  # the keys of this mapping are names (properties, paths, components, ...)
    depth: int


# Mappings whose keys are names chosen by the author, not keywords.
_NAME_MAPS = frozenset(
    {
        "properties",
        "patternProperties",
        "definitions",
        "$defs",
        "dependentSchemas",
        "paths",
        "webhooks",
        "responses",
        "content",
        "headers",
        "callbacks",
        "links",
        "encoding",
        "variables",
        "securitySchemes",
    }
)


def _is_data(key: str, in_schema: bool) -> bool:
    if key.startswith("x-"):
        return True
    if key == "examples":
        return in_schema  # JSON Schema examples are values; OpenAPI examples are objects
    return key in _DATA_KEYS


def _child_context(at: JsonPath, key: str, in_schema: bool, in_names: bool) -> tuple[bool, bool]:
    """(schema context, name map) for the value under ``key``."""
    if in_names:
        # a callback object is itself a map of expressions to path items
        return in_schema, len(at) >= 1 and at[-1] == "callbacks"
    if at == ("components",):
        return key == "schemas", True
    if in_schema:
        return True, key in ("properties", "patternProperties", "definitions", "$defs", "dependentSchemas")
    if key == "schema":
        return True, False
    return False, key in _NAME_MAPS or key == "examples"


# A mapping value names a schema but is not a $ref: openapi-spec-validator does not follow it,
# so one that leads nowhere does not make the spec invalid (one that leaves the spec's folder does).
_NOT_FOUND = frozenset({"ref.missing-file", "ref.unresolvable"})


class _RefError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def named(self, ref: str) -> str:
        """The message, naming the reference it is about (once)."""
        if repr(ref) in self.message or self.message.startswith("$ref "):
            return self.message
        return f"$ref {ref!r}: {self.message}"


def _iter_local_refs(node: Any) -> Iterator[tuple[JsonPath, str]]:
    stack: list[tuple[Any, JsonPath, bool, bool]] = [(node, (), False, False)]
    while stack:
        value, at, in_schema, names = stack.pop()
        if isinstance(value, dict):
            ref = value.get("$ref")
            if not names and isinstance(ref, str):
                yield at, ref
            for key, child in value.items():
                if not names and _is_data(key, in_schema):
                    continue
                stack.append((child, (*at, key), *_child_context(at, key, in_schema, names)))
        elif isinstance(value, list):
            stack.extend((child, (*at, str(i)), in_schema, False) for i, child in enumerate(value))


def _json_depth_position(text: str, limit: int) -> tuple[int, int]:
    """Line and column where JSON text first nests deeper than ``limit`` (outside strings)."""
    depth, in_string, escaped, line, column = 0, False, False, 1, 0
    for char in text:
        column += 1
        if char == "\n":
            line, column = line + 1, 0
        elif in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return line, column
        elif char in "]}":
            depth -= 1
    return 1, 1


def check_local_refs(document: dict[str, Any]) -> list[Problem]:
    """Every ``$ref`` left must resolve inside the document and not loop on itself."""
    problems = []
    for at, ref in _iter_local_refs(document):
        if not ref.startswith("#"):
            problems.append(Problem.at("ref.unresolvable", f"$ref {ref!r} was not resolved", join_pointer(at)))
            continue
        fragment = urllib.parse.unquote(ref[1:])
        if fragment and not fragment.startswith("/"):
            problems.append(
                Problem.at(
                    "ref.fragment", f"$ref {ref!r}: the fragment {fragment!r} is not a JSON pointer", join_pointer(at)
                )
            )
            continue
        seen = {ref}
        current = ref
        while True:
            try:
                target = resolve_pointer(document, urllib.parse.unquote(current[1:]))
            except (KeyError, ValueError):
                problems.append(Problem.at("ref.unresolvable", f"$ref {current!r} does not resolve", join_pointer(at)))
                break
            # a schema's own $ref applies to the value itself: a chain of them back to the
            # start never reaches a schema (siblings or not)
            nxt = target.get("$ref") if isinstance(target, dict) else None
            if not isinstance(nxt, str) or not nxt.startswith("#"):
                break
            if nxt in seen:
                problems.append(Problem.at("ref.cycle", f"circular $ref chain through {nxt!r}", join_pointer(at)))
                break
            seen.add(nxt)
            current = nxt
    return problems


_VERSION = re.compile(r"^3\.(0|1)\.\d+$")


def check_version(document: dict[str, Any]) -> str:
    version = document.get("openapi")
    if version is None:
        if "swagger" in document:
            raise ProblemsError(
                [
                    Problem.at(
                        "load.swagger2",
                        "Swagger 2.0 is not supported; convert the document to OpenAPI 3 first "
                        "(for example with swagger2openapi)",
                        "/swagger",
                    )
                ]
            )
        raise ProblemsError([Problem.at("load.version", "missing the 'openapi' version field", "")])
    if not isinstance(version, str) or not _VERSION.match(version):
        raise ProblemsError(
            [
                Problem.at(
                    "load.version",
                    f"OpenAPI version {version!r} is not supported (3.0.x and 3.1.x are)",
                    "/openapi",
                )
            ]
        )
    return version


def load_spec(path: Path, *, allow_remote: bool = False, limits: Limits = Limits()) -> Loaded:
    """Read, parse and bundle a spec; raise ``ProblemsError`` (already located) on failure."""
    bundler = _Bundler(path, limits, allow_remote)
    try:
        document = bundler.load_root()
        version = check_version(document)
        bundler.walk(document, (), bundler.root_key, False)
        if not bundler.problems:
            bundler.problems.extend(check_local_refs(document))
    except ProblemsError as exc:
        raise ProblemsError(bundler.sources.locate(exc.problems)) from None
    if bundler.problems:
        raise ProblemsError(bundler.sources.locate(bundler.problems))
    return Loaded(document, bundler.sources, bundler.sources.files[bundler.root_key], version)
