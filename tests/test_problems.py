from __future__ import annotations

import pytest

from codegen.problems import Location, Problem, ProblemsError, Severity, join_pointer, split_pointer


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
