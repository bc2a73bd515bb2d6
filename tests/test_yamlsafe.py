from __future__ import annotations

import pytest
import yaml

from codegen.yamlsafe import LimitExceeded, SpecLoader, UnsupportedValue, check_events


def load(text: str) -> object:
    return yaml.load(text, Loader=SpecLoader)


def test_yaml_1_2_scalars_and_string_keys() -> None:
    data = load("a: on\nb: 2024-01-01\n200: x\nc: 010\nd: 1.5\ne: ~\nf: 0x1F\ng: yes\nh: true\n")
    assert data == {
        "a": "on",
        "b": "2024-01-01",
        "200": "x",
        "c": 10,
        "d": 1.5,
        "e": None,
        "f": 31,
        "g": "yes",
        "h": True,
    }


def test_keys_keep_the_authors_spelling() -> None:
    assert list(load("1.10: a\n010: b\n")) == ["1.10", "010"]  # type: ignore[call-overload]


def test_duplicate_keys_are_refused_but_merge_keys_may_override() -> None:
    with pytest.raises(yaml.MarkedYAMLError, match="duplicate key 'x'"):
        load("d: {x: 1, x: 2}")
    assert load("b: &b {x: 1}\nd: {<<: *b, x: 2}") == {"b": {"x": 1}, "d": {"x": 2}}


@pytest.mark.parametrize("tag", ["!!binary aGk=", "!!set {a}", "!custom x", "!!timestamp 2024-01-01"])
def test_tags_without_json_meaning_are_refused(tag: str) -> None:
    with pytest.raises(UnsupportedValue):
        load(f"a: {tag}")


def test_alias_bomb_is_refused_from_events() -> None:
    lines = ["a: &a [x,x,x,x,x,x,x,x,x,x]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    with pytest.raises(LimitExceeded, match="more than 1,000,000 nodes"):
        check_events("\n".join(lines), max_depth=100, max_nodes=1_000_000)


def test_deep_nesting_is_refused_with_a_position() -> None:
    with pytest.raises(LimitExceeded, match="deeper than 50") as caught:
        check_events("[" * 60 + "]" * 60, max_depth=50, max_nodes=10_000)
    assert (caught.value.line, caught.value.column) == (1, 51)
