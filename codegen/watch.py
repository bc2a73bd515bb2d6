"""What ``codegen generate --watch`` polls: the files specs are read from, and nothing else.

Each spec and every file it ``$ref``s is stat'ed a few times a second (modification time and
size); a change is reported once the files have stopped changing for one more poll, since
editors save in several steps. No dependency, no inotify, and no walk over a virtualenv: a
project's specs are a handful of files, so polling them costs nothing measurable.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

__all__ = ["INTERVAL", "Stamp", "spec_folder_files", "stamps", "wait_for_change"]

INTERVAL = 0.3  # seconds between polls
Stamp = tuple[int, int] | None  # (mtime in ns, size); None when the file is missing
_SPEC_SUFFIXES = (".yaml", ".yml", ".json")
_MAX_FOLDER_FILES = 2_000  # the loader's own limit on the files of one spec


def stamps(paths: Iterable[Path]) -> dict[Path, Stamp]:
    found: dict[Path, Stamp] = {}
    for path in paths:
        try:
            stat = path.stat()
            found[path] = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            found[path] = None
    return found


def spec_folder_files(spec: Path) -> list[Path]:
    """Every YAML and JSON file under the spec's folder: what to watch for a spec that has not
    loaded yet (its ``$ref``s are not known until it does)."""
    found = []
    for folder, dirs, files in os.walk(spec.resolve().parent):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(folder) / name for name in sorted(files) if name.endswith(_SPEC_SUFFIXES)]
        if len(found) > _MAX_FOLDER_FILES:
            break
    return found[:_MAX_FOLDER_FILES]


def wait_for_change(
    watched: Mapping[Path, Stamp],
    interval: float = INTERVAL,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[set[Path], dict[Path, Stamp]]:
    """Block until a watched file differs from its stamp (changed, appeared, or gone): the
    files that did, and the stamps they settled at (the next round's baseline, taken before
    regenerating, so an edit made while generating is not missed)."""
    while True:
        now = stamps(watched)
        changed = {path for path, stamp in now.items() if stamp != watched[path]}
        if changed:
            break
        sleep(interval)
    while True:  # settle: an editor may still be writing
        sleep(interval)
        later = stamps(watched)
        if later == now:
            return changed, now
        changed |= {path for path, stamp in later.items() if stamp != now[path]}
        now = later
