from __future__ import annotations

from codegen.positions import json_positions, yaml_positions
from codegen.yamlsafe import SpecLoader

JSON = '{\n  "a": {\n    "b": [1, {"c": "x"}]\n  },\n  "d/e": true\n}\n'
YAML = "a:\n  b:\n    - 1\n    - c: x\nd/e: true\n"


def test_json_positions_of_keys_and_items() -> None:
    found = json_positions(JSON, [["a", "b", "1", "c"], ["d/e"], ["a", "missing"]])
    assert found[("a", "b", "1", "c")] == (3, 15)
    assert found[("d/e",)] == (5, 3)
    assert found[("a", "missing")] == (2, 3)  # deepest existing node


def test_yaml_positions_of_keys_and_items() -> None:
    found = yaml_positions(YAML, [["a", "b", "1", "c"], ["d/e"], ["nope"]], SpecLoader)
    assert found[("a", "b", "1", "c")] == (4, 7)
    assert found[("d/e",)] == (5, 1)
    assert found[("nope",)] == (1, 1)


def test_json_strings_with_brackets_do_not_confuse_the_scanner() -> None:
    text = '{"x": "[{]}\\"", "y": 2}'
    assert json_positions(text, [["y"]])[("y",)] == (1, 17)
