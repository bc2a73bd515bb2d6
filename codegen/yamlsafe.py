"""A YAML reader for untrusted specs: YAML 1.2 scalars, string keys, bounded size and depth.

PyYAML implements YAML 1.1, where ``on``/``yes`` are booleans, ``2024-01-01`` is a date and
``200:`` is an integer key. OpenAPI documents are JSON data, so we read scalars with the
YAML 1.2 core schema, keep every mapping key as the text the author wrote, and refuse tags
that have no JSON meaning. Alias bombs and deep nesting are refused from the event stream,
before any node is built.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import yaml

__all__ = ["LimitExceeded", "SpecLoader", "UnsupportedValue", "check_events"]

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LimitExceeded(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


class UnsupportedValue(yaml.constructor.ConstructorError):
    pass


_CORE_RESOLVERS: list[tuple[str, re.Pattern[str], str]] = [
    ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"),
    (
        "tag:yaml.org,2002:int",
        re.compile(r"^(?:[-+]?[0-9]+|0x[0-9a-fA-F]+)$"),
        "-+0123456789",
    ),
    (
        "tag:yaml.org,2002:float",
        re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        "-+.0123456789",
    ),
    ("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), "~nN"),
    ("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), "<"),
]


class SpecLoader(_Base):  # type: ignore[misc,valid-type]
    """YAML 1.2 core schema on top of the fastest available safe loader."""

    # PyYAML's resolver table, replaced (not inherited) so only YAML 1.2 core scalars resolve
    yaml_implicit_resolvers: ClassVar[dict[str | None, list[tuple[str, re.Pattern[str]]]]] = {}

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        text = str(self.construct_scalar(node))
        if text.startswith(("0x", "0X")):
            return int(text, 16)
        return int(text, 10)

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        text = str(self.construct_scalar(node)).lower()
        if text.endswith(".nan"):
            return float("nan")
        if text.endswith(".inf"):
            return float("-inf") if text.startswith("-") else float("inf")
        return float(text)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[str, Any]:
        own = sum(1 for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge")
        self.flatten_mapping(node)
        merged = len(node.value) - own  # merged pairs come first and may be overridden
        mapping: dict[str, Any] = {}
        own_keys: set[str] = set()
        for index, (key_node, value_node) in enumerate(node.value):
            if isinstance(key_node, yaml.ScalarNode):
                key = key_node.value
            else:
                raise yaml.constructor.ConstructorError(
                    None, None, "mapping keys must be plain strings", key_node.start_mark
                )
            if index >= merged:
                if key in own_keys:
                    raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
                own_keys.add(key)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_yaml_map(self, node: yaml.MappingNode) -> Any:
        data: dict[str, Any] = {}
        yield data
        data.update(self.construct_mapping(node))

    def construct_unsupported(self, node: yaml.Node) -> Any:
        raise UnsupportedValue(None, None, f"YAML tag {node.tag} has no JSON equivalent", node.start_mark)


for _tag, _regexp, _first in _CORE_RESOLVERS:
    SpecLoader.add_implicit_resolver(_tag, _regexp, list(_first))
SpecLoader.add_constructor("tag:yaml.org,2002:int", SpecLoader.construct_yaml_int)
SpecLoader.add_constructor("tag:yaml.org,2002:float", SpecLoader.construct_yaml_float)
SpecLoader.add_constructor("tag:yaml.org,2002:map", SpecLoader.construct_yaml_map)
for _tag in ("binary", "timestamp", "set", "omap", "pairs"):
    SpecLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", SpecLoader.construct_unsupported)
SpecLoader.add_constructor(None, SpecLoader.construct_unsupported)


def check_events(text: str, *, max_depth: int, max_nodes: int) -> None:
    """Refuse deep nesting and alias expansion before composing any node.

    Every node counts once per place it appears after aliases are expanded, so a
    "billion laughs" document is refused after reading its few hundred bytes.
    """
    anchors: dict[str, int] = {}
    # One frame per open collection: [node count so far, anchor of the collection]
    frames: list[list[Any]] = []
    total = 0

    def finish(size: int, anchor: str | None) -> None:
        nonlocal total
        if anchor is not None:
            anchors[anchor] = size
        if frames:
            frames[-1][0] += size
        else:
            total += size

    for event in yaml.parse(text, Loader=SpecLoader):
        mark = event.start_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        if isinstance(event, yaml.CollectionStartEvent):
            frames.append([1, event.anchor])
            if len(frames) > max_depth:
                raise LimitExceeded(f"nesting deeper than {max_depth} levels", line, column)
        elif isinstance(event, yaml.CollectionEndEvent):
            size, anchor = frames.pop()
            finish(size, anchor)
        elif isinstance(event, yaml.ScalarEvent):
            finish(1, event.anchor)
        elif isinstance(event, yaml.AliasEvent):
            finish(anchors.get(event.anchor or "", 1), None)
        else:
            continue
        current = total + sum(f[0] for f in frames)
        if current > max_nodes:
            raise LimitExceeded(f"document expands to more than {max_nodes:,} nodes (YAML aliases?)", line, column)
