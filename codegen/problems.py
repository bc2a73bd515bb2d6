"""Problems are values: every stage collects them and the CLI reports them together.

A problem points into the document with a JSON pointer. Where the document came from files,
the pointer is translated to ``file:line:col`` by :class:`codegen.load.SourceMap` before the
problem is shown, so stages never need to know about files or text positions.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from typing_extensions import override

__all__ = [
    "Location",
    "Problem",
    "ProblemsError",
    "Severity",
    "by_position",
    "escape_pointer",
    "join_pointer",
    "split_pointer",
]


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with control characters (newlines, terminal escapes) written as escapes, so a
    spec's keys cannot break a report's lines or drive the terminal."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem is: a file position when known, and always a JSON pointer."""

    pointer: str = ""
    file: str | None = None
    line: int | None = None
    column: int | None = None

    @override
    def __str__(self) -> str:
        if self.file is None:
            return f"#{self.pointer}"
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}:{self.column or 1}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input, with a stable ``code`` tests and tools can rely on."""

    code: str
    message: str
    location: Location = Location()
    severity: Severity = Severity.ERROR

    @classmethod
    def at(cls, code: str, message: str, pointer: str, *, warning: bool = False) -> Problem:
        severity = Severity.WARNING if warning else Severity.ERROR
        return cls(code, message, Location(pointer=pointer), severity)

    def located(self, location: Location) -> Problem:
        return replace(self, location=location)

    def render(self) -> str:
        """One line, whatever the spec's keys and text hold (control characters escaped).

        ``file:line:col: error: message (#/pointer) [code]``; a problem of a whole file (a
        config file) has no pointer, and one with no location at all (a command line
        mistake, an internal error) starts with its severity."""
        at = self.location
        head = f"{self.severity.value}: {self.message}"
        if at.file is None and not at.pointer:
            return printable(f"{head} [{self.code}]")
        pointer = f" (#{at.pointer})" if at.file is not None and (at.pointer or at.line is not None) else ""
        return printable(f"{at}: {head}{pointer} [{self.code}]")


def by_position(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in reading order: by file, line and column (those located nowhere last); the
    order they were found in stands between problems at the same place."""

    def key(problem: Problem) -> tuple[bool, str, int, int]:
        where = problem.location
        return (where.file is None, where.file or "", where.line or 0, where.column or 0)

    return sorted(problems, key=key)


class ProblemsError(Exception):
    """Raised by a stage that cannot go on; carries every problem found so far."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(p.render() for p in self.problems))

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)


def escape_pointer(segment: str | int) -> str:
    return str(segment).replace("~", "~0").replace("/", "~1")


def join_pointer(parts: Sequence[str | int]) -> str:
    """JSON pointer (RFC 6901) for a path of keys and indexes; the root is ``""``."""
    return "".join("/" + escape_pointer(p) for p in parts)


def split_pointer(pointer: str) -> list[str]:
    if pointer in ("", "/"):
        return [] if pointer == "" else [""]
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer[1:].split("/")]
