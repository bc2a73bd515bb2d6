"""A content-addressed cache, so an unchanged spec regenerates in a blink.

Two kinds of entries, both keyed by the bytes of every file of the spec, codegen's version
and the options: *validation* results (validating GitHub's API takes 12 s) and *outputs* (the
hash of every file a run wrote). An output entry lets ``generate`` and ``generate --check``
answer "up to date" by hashing the inputs and the package on disk, without parsing anything.

The cache lives in ``$CODEGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/codegen``, else
``~/.cache/codegen``; deleting it is always safe.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from codegen import __version__

__all__ = ["Cache", "digest_files", "hash_bytes"]


def hash_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest_files(paths: dict[str, bytes]) -> dict[str, str]:
    return {key: hash_bytes(data) for key, data in paths.items()}


@functools.cache
def tool_fingerprint() -> str:
    """codegen's version, a hash of its own source (templates included) and the versions of the
    libraries that shape its output: any change to them invalidates every entry."""
    from importlib import metadata

    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".jinja") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for dist in ("datamodel-code-generator", "ruff", "openapi-spec-validator", "pydantic", "fastapi"):
        try:
            digest.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(dist.encode())
    return digest.hexdigest()


def _default_dir() -> Path:
    explicit = os.environ.get("CODEGEN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "codegen"


class Cache:
    def __init__(self, folder: Path | None = None, *, enabled: bool = True) -> None:
        self.folder = folder or _default_dir()
        self.enabled = enabled and os.environ.get("CODEGEN_NO_CACHE") is None

    @staticmethod
    def key(*parts: Any) -> str:
        text = json.dumps([tool_fingerprint(), *parts], sort_keys=True, default=str)
        return hash_bytes(text.encode())

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / kind / f"{key}.json"

    def get(self, kind: str, key: str) -> Any:
        if not self.enabled:
            return None
        try:
            return json.loads(self._path(kind, key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, kind: str, key: str, value: Any) -> None:
        """Best effort: a cache that cannot be written is a slower run, not a failure."""
        if not self.enabled:
            return
        path = self._path(kind, key)
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(value, handle)
            os.replace(tmp, path)
