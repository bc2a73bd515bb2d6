from __future__ import annotations

from pathlib import Path

from codegen.pipeline import Options, validate
from codegen.problems import Severity
from tests.conftest import write

MANY_ERRORS = """
openapi: 3.0.3
info:
  title: broken
paths:
  /a/{id}:
    get:
      responses:
        '200': {description: ok}
  /b:
    get:
      operationId: same
      parameters:
        - {name: q, in: query, schema: {type: strin}}
      responses: {}
  /c:
    post:
      operationId: same
      responses:
        '200': {description: ok}
"""


def test_every_error_is_reported_with_a_location(tmp_path: Path) -> None:
    spec = write(tmp_path / "api.yaml", MANY_ERRORS)
    problems = [p for p in validate(spec, Options()) if p.severity is Severity.ERROR]
    messages = [p.message for p in problems]
    assert len(problems) >= 5, messages
    assert any('"version" is a required property' in m for m in messages)
    assert any("'strin' is not valid" in m for m in messages)
    assert any("less than 1 property" in m for m in messages)
    assert any("not unique" in m for m in messages)
    assert any("was not resolved" in m for m in messages)
    by_pointer = {p.location.pointer: p for p in problems}
    info = by_pointer["/info"]
    assert info.location.file is not None and info.location.file.endswith("api.yaml")
    assert (info.location.line, info.location.column) == (2, 1)
    assert by_pointer["/paths/~1b/get/responses"].location.line == 14
    assert by_pointer["/paths/~1b/get/parameters/0/schema/type"].location.line == 13


def test_validator_never_reads_the_file_system(tmp_path: Path) -> None:
    secret = write(tmp_path / "secret.txt", "top-secret-contents\n")
    spec = write(
        tmp_path / "spec/api.yaml",
        f"""
        openapi: 3.0.3
        info: {{title: t, version: '1'}}
        paths:
          /x:
            get:
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema: {{$ref: '{secret}'}}
        """,
    )
    problems = validate(spec, Options())
    assert [p.code for p in problems] == ["ref.outside"]
    assert all("top-secret" not in p.message for p in problems)


def test_a_valid_spec_has_no_errors(tmp_path: Path) -> None:
    from tests.conftest import EXAMPLE_SPEC

    assert [p for p in validate(EXAMPLE_SPEC, Options()) if p.severity is Severity.ERROR] == []


def test_ecma_regex_classes_are_not_errors(tmp_path: Path) -> None:
    spec = write(
        tmp_path / "api.yaml",
        r"""
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths: {}
        components:
          schemas:
            Name: {type: string, pattern: '^[\p{L}\p{N} ]+$'}
        """,
    )
    problems = validate(spec, Options())
    assert [p.severity for p in problems] == [Severity.WARNING]
    assert "Pydantic's engine runs it" in problems[0].message


def test_a_key_that_is_not_allowed_is_located_at_the_key(tmp_path: Path) -> None:
    for version in ("3.0.3", "3.1.0"):
        spec = write(
            tmp_path / f"api-{version}.yaml",
            f"""
            openapi: {version}
            what: ever
            info: {{title: t, version: "1"}}
            paths:
              /a:
                get:
                  bogus: 1
                  responses: {{"200": {{description: ok}}}}
            """,
        )
        problems = sorted(validate(spec, Options()), key=lambda p: p.location.line or 0)
        assert [(p.location.pointer, p.location.line, p.location.column) for p in problems] == [
            ("/what", 2, 1),
            ("/paths/~1a/get/bogus", 7, 7),
        ], problems


def test_the_fast_node_check_answers_as_the_protocol_does() -> None:
    from collections import OrderedDict

    from pathable import accessors, protocols

    from codegen.validate import _fast_node_checks

    _fast_node_checks()
    values: list[object] = [{}, [], "s", b"b", (), OrderedDict(), 1, 1.5, None, True, object(), range(3), {1}]
    fast = getattr(accessors, "Subscriptable")  # noqa: B009 - the replaced attribute, not re-exported
    assert [isinstance(v, fast) for v in values] == [isinstance(v, protocols.Subscriptable) for v in values]
