"""Line and column of a JSON pointer inside JSON or YAML text.

Positions are only needed when something is wrong, so they are computed on demand from the
source text instead of being carried through the fast path (``json.loads`` of a 13 MB spec
takes a quarter of a second; a position-tracking parse takes ten times that).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

import yaml

__all__ = ["json_constants", "json_positions", "yaml_positions"]

Position = tuple[int, int]  # 1-based line and column

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+', re.DOTALL)


class _Lines:
    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> Position:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


def _unquote(token: str) -> str:
    import json

    try:
        value = json.loads(token)
    except ValueError:
        return token
    return value if isinstance(value, str) else token


def json_positions(text: str, paths: Sequence[Sequence[str]]) -> dict[tuple[str, ...], Position]:
    """Position of the deepest existing node on each path (keys and indexes as strings).

    One tokenizing pass over the text; containers that are not on any wanted path are
    skipped token by token without building values.
    """
    wanted = {tuple(p) for p in paths}
    prefixes = {p[:i] for p in wanted for i in range(len(p) + 1)}
    lines = _Lines(text)
    found: dict[tuple[str, ...], Position] = {}
    # Each frame: [path of the container, kind, current key or index, expecting_key]
    stack: list[list[object]] = []
    path: tuple[str, ...] = ()
    pending_key: str | None = None
    for match in _TOKEN.finditer(text):
        tok = match.group()
        if stack:
            frame = stack[-1]
            if frame[1] == "{":
                if tok == "}":
                    stack.pop()
                    continue
                if tok == ",":
                    frame[3] = True
                    continue
                if tok == ":":
                    frame[3] = False
                    continue
                if frame[3]:
                    pending_key = _unquote(tok)
                    parent = frame[0]
                    assert isinstance(parent, tuple)
                    key_path = (*parent, pending_key)
                    if key_path in prefixes and key_path not in found:
                        found[key_path] = lines.position(match.start())
                    frame[2] = pending_key
                    continue
                parent = frame[0]
                assert isinstance(parent, tuple)
                path = (*parent, str(frame[2]))
            else:
                if tok == "]":
                    stack.pop()
                    continue
                if tok == ",":
                    index = frame[2]
                    assert isinstance(index, int)
                    frame[2] = index + 1
                    continue
                parent = frame[0]
                assert isinstance(parent, tuple)
                path = (*parent, str(frame[2]))
        else:
            path = ()
        if path in prefixes and path not in found:
            found[path] = lines.position(match.start())
        if tok == "{":
            stack.append([path, "{", None, True])
        elif tok == "[":
            stack.append([path, "[", 0, False])
    return {p: _deepest(p, found) for p in wanted}


_CONSTANTS = frozenset({"NaN", "Infinity", "-Infinity"})


def json_constants(text: str) -> list[tuple[str, Position]]:
    """``NaN``, ``Infinity`` and ``-Infinity`` outside strings, with their positions: Python's
    parser reads them, JSON has no such values, and the parser's hook is not told where."""
    lines = _Lines(text)
    return [
        (match.group(), lines.position(match.start())) for match in _TOKEN.finditer(text) if match.group() in _CONSTANTS
    ]


def _deepest(path: tuple[str, ...], found: dict[tuple[str, ...], Position]) -> Position:
    for i in range(len(path), -1, -1):
        if path[:i] in found:
            return found[path[:i]]
    return (1, 1)


def yaml_positions(
    text: str, paths: Sequence[Sequence[str]], loader: type[yaml.SafeLoader]
) -> dict[tuple[str, ...], Position]:
    """Position of the deepest existing node on each path, from the composed YAML node tree."""
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.YAMLError:
        root = None
    result: dict[tuple[str, ...], Position] = {}
    for raw in paths:
        path = tuple(raw)
        node = root
        position: Position = (1, 1)
        if node is not None:
            position = (node.start_mark.line + 1, node.start_mark.column + 1)
        for segment in path:
            child = _yaml_child(node, segment)
            if child is None:
                break
            key_node, node = child
            anchor = key_node if key_node is not None else node
            position = (anchor.start_mark.line + 1, anchor.start_mark.column + 1)
        result[path] = position
    return result


def _yaml_child(node: yaml.Node | None, segment: str) -> tuple[yaml.Node | None, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == segment:
                return key, value
    elif isinstance(node, yaml.SequenceNode) and segment.isdigit():
        index = int(segment)
        if index < len(node.value):
            return None, node.value[index]
    return None
