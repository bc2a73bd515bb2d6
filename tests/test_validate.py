from __future__ import annotations

import re
from pathlib import Path

import pytest

from codegen.pipeline import Options, validate
from codegen.problems import Severity
from tests.conftest import run_cli, write

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
    assert any(re.match(r"""["']strin["'] is not one of ["']array""", m) for m in messages)  # not "any of the given"
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


TWO_IN_ONE_SCHEMA = """
openapi: {version}
info: {{title: t, version: '1'}}
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  a: {{type: strng}}
                  b: {{type: integer, minimum: x}}
components:
  schemas:
    Z: {{type: wrong}}
    A:
      type: object
      properties:
        n: {{type: strng, maxLength: -1}}
"""


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_every_error_in_a_schema_is_reported_specifically_and_in_order(tmp_path: Path, version: str) -> None:
    """Issue 16: a ``type: strng`` was hidden behind a generic "not valid under any of the given
    schemas"; the validator's error tree holds the specific failures, each located."""
    spec = write(tmp_path / "api.yaml", TWO_IN_ONE_SCHEMA.format(version=version))
    result = run_cli("validate", str(spec), cwd=tmp_path)
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if ": error: " in line]
    schema = "/paths/~1a/get/responses/200/content/application~1json/schema/properties"
    found = [(re.match(r"api\.yaml:(\d+):(\d+): ", line), line) for line in lines]
    assert all(m for m, _ in found), lines
    where = [
        (int(m.group(1)), int(m.group(2)), line[line.rindex("(#") + 2 : line.rindex(")")]) for m, line in found if m
    ]
    assert where == sorted(where), "sorted by position"
    assert [(line, pointer) for line, _, pointer in where] == [
        (14, f"{schema}/a/type"),
        (15, f"{schema}/b/minimum"),
        (18, "/components/schemas/Z/type"),
        (22, "/components/schemas/A/properties/n/type"),
        (22, "/components/schemas/A/properties/n/maxLength"),
    ], lines
    assert not any("not valid under any of" in line for line in lines), lines
    assert sum("'strng' is not" in line or '"strng" is not' in line for line in lines) == 2, lines


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_an_ecma_pattern_hides_no_other_error_of_its_schema(tmp_path: Path, version: str) -> None:
    """The validator stops at a schema's first failure; when that is a pattern Python's ``re``
    cannot read (a warning for us), the schema's real errors must still be found."""
    spec = write(
        tmp_path / "api.yaml",
        rf"""
        openapi: {version}
        info: {{title: t, version: '1'}}
        paths: {{}}
        components:
          schemas:
            Name: {{type: string, pattern: '^[\p{{L}} ]+$', maxLength: -2}}
        """,
    )
    problems = validate(spec, Options())
    assert [(p.severity, p.location.pointer, p.location.line) for p in problems] == [
        (Severity.WARNING, "/components/schemas/Name/pattern", 6),
        (Severity.ERROR, "/components/schemas/Name/maxLength", 6),
    ], problems


def test_a_default_its_schema_refuses_is_located_at_the_default(tmp_path: Path) -> None:
    """From exavault.com and paypi.dev (``default: 'true'`` on a boolean): the validator
    says what is wrong with the value but not where it is; the error was shown at 1:1."""
    spec = write(
        tmp_path / "api.yaml",
        """
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths: {}
        components:
          schemas:
            A:
              type: object
              properties:
                flag: {type: boolean, default: true}
                other: {type: boolean, default: 'true'}
                day: {type: string, format: date, default: ''}
        """,
    )
    problems = validate(spec, Options())
    assert [(p.location.pointer, p.location.line) for p in problems] == [
        ("/components/schemas/A/properties/other/default", 10),
        ("/components/schemas/A/properties/day/default", 11),
    ], problems
    assert problems[0].message == "default: 'true' is not of type 'boolean'"
