from __future__ import annotations

from pathlib import Path

import pytest

from codegen.problems import Location, Problem, ProblemsError, Severity, join_pointer, split_pointer
from tests.conftest import run_cli


@pytest.mark.parametrize(
    ("parts", "pointer"),
    [([], ""), (["paths", "/pets/{id}", "get"], "/paths/~1pets~1{id}/get"), (["a~b", 0], "/a~0b/0")],
)
def test_pointers_round_trip(parts: list[str | int], pointer: str) -> None:
    assert join_pointer(parts) == pointer
    assert split_pointer(pointer) == [str(p) for p in parts]


def test_split_pointer_rejects_relative() -> None:
    with pytest.raises(ValueError, match="not a JSON pointer"):
        split_pointer("paths/x")


def test_render_names_file_line_column_pointer_and_code() -> None:
    problem = Problem("spec.invalid", "bad", Location("/info", "spec.yaml", 3, 7))
    assert problem.render() == "spec.yaml:3:7: error: bad (#/info) [spec.invalid]"
    assert Problem.at("x", "y", "/a", warning=True).severity is Severity.WARNING


def test_problems_error_keeps_every_problem() -> None:
    error = ProblemsError([Problem.at("a", "one", ""), Problem.at("b", "two", "", warning=True)])
    assert [p.code for p in error.problems] == ["a", "b"]
    assert [p.code for p in error.errors] == ["a"]


def test_a_problem_without_a_location_has_no_bare_pointer() -> None:
    assert Problem("cli.package", "--package needs a SPEC").render() == "error: --package needs a SPEC [cli.package]"
    assert Problem.at("spec.x", "bad", "/paths").render() == "#/paths: error: bad [spec.x]"  # a pointer alone
    whole_file = Problem("config.invalid", "bad key", Location("", "pyproject.toml"))
    assert whole_file.render() == "pyproject.toml: error: bad key [config.invalid]"
    at_the_root = Problem("spec.invalid", "bad", Location("", "spec.yaml", 1, 1))
    assert at_the_root.render() == "spec.yaml:1:1: error: bad (#) [spec.invalid]"


def test_cli_messages_without_a_location_start_with_the_severity(tmp_path: Path) -> None:
    result = run_cli("generate", "--package", "x", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: "), result.stderr
    assert "#:" not in result.stderr
