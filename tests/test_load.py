from __future__ import annotations

import os
from pathlib import Path

import pytest

from codegen.load import Limits, load_spec
from codegen.problems import ProblemsError
from tests.conftest import write

ROOT_SPEC = """
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    $ref: paths/pets.yaml
components:
  schemas:
    Error: {type: object, properties: {message: {type: string}}}
"""
PETS = """
get:
  operationId: listPets
  parameters:
    - $ref: '../schemas/common.yaml#/parameters/limit'
  responses:
    '200':
      description: ok
      content:
        application/json:
          schema: {type: array, items: {$ref: '../schemas/pet.yaml'}}
    default:
      description: err
      content:
        application/json:
          schema: {$ref: '../api.yaml#/components/schemas/Error'}
"""
PET = """
type: object
properties:
  name: {type: string}
  children: {type: array, items: {$ref: '#'}}
  kind: {$ref: 'common.yaml#/schemas/Kind'}
example: {$ref: '/etc/passwd'}
"""
COMMON = """
parameters:
  limit: {name: limit, in: query, schema: {type: integer}}
schemas:
  Kind: {type: string, enum: [cat, dog]}
  Error: {type: object, properties: {code: {type: integer}}}
"""


@pytest.fixture
def multi(tmp_path: Path) -> Path:
    write(tmp_path / "spec/paths/pets.yaml", PETS)
    write(tmp_path / "spec/schemas/pet.yaml", PET)
    write(tmp_path / "spec/schemas/common.yaml", COMMON)
    return write(tmp_path / "spec/api.yaml", ROOT_SPEC)


def test_files_join_into_one_document_with_local_refs(multi: Path) -> None:
    loaded = load_spec(multi)
    doc = loaded.document
    op = doc["paths"]["/pets"]["get"]
    assert op["parameters"][0] == {"name": "limit", "in": "query", "schema": {"type": "integer"}}
    items = op["responses"]["200"]["content"]["application/json"]["schema"]["items"]
    assert items == {"$ref": "#/components/schemas/pet"}
    # a ref back into the root document stays a local ref
    assert op["responses"]["default"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    pet = doc["components"]["schemas"]["pet"]
    assert pet["properties"]["children"]["items"] == {"$ref": "#/components/schemas/pet"}  # recursion kept
    assert pet["properties"]["kind"] == {"$ref": "#/components/schemas/Kind"}
    assert pet["example"] == {"$ref": "/etc/passwd"}  # data, never resolved
    assert set(loaded.inputs) == {str(Path(os.path.relpath(p))) for p in multi.parent.rglob("*.yaml")}


def test_problems_in_referenced_files_point_at_those_files(multi: Path) -> None:
    loaded = load_spec(multi)
    from codegen.problems import Problem

    [located] = loaded.sources.locate([Problem.at("x", "here", "/components/schemas/pet/properties/name")])
    assert located.location.file is not None and located.location.file.endswith("pet.yaml")
    assert located.location.line == 3


@pytest.mark.parametrize(
    ("ref", "code", "message"),
    [
        ("../outside.yaml", "ref.outside", "outside the spec's folder"),
        ("/etc/passwd", "ref.outside", "absolute path"),
        ("file:///etc/passwd", "ref.scheme", "scheme 'file'"),
        ("https://example.com/x.yaml", "ref.remote", "--allow-remote-refs"),
        ("missing.yaml", "ref.missing-file", "no such file"),
        ("#/components/schemas/Nope", "ref.unresolvable", "does not resolve"),
        ("other.yaml#/nope", "ref.unresolvable", "/nope does not exist"),
        ("#not-a-pointer", "ref.fragment", "not a JSON pointer"),
    ],
)
def test_bad_refs_are_located_errors(tmp_path: Path, ref: str, code: str, message: str) -> None:
    write(tmp_path / "outside.yaml", "type: string\n")
    write(tmp_path / "spec/other.yaml", "a: {type: string}\n")
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
                      schema: {{$ref: '{ref}'}}
        """,
    )
    with pytest.raises(ProblemsError) as caught:
        load_spec(spec)
    [problem] = caught.value.problems
    assert problem.code == code
    assert message in problem.message
    assert repr(ref) in problem.message  # the reference is named, whatever is wrong with it (issue 14)
    assert problem.location.file is not None and problem.location.file.endswith("api.yaml")
    assert problem.location.line == 11
    assert "root:" not in problem.message  # nothing read from the target leaks into messages


def test_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "secret.yaml", "type: string\n")
    (tmp_path / "spec").mkdir()
    (tmp_path / "spec/link.yaml").symlink_to(tmp_path / "secret.yaml")
    spec = write(
        tmp_path / "spec/api.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents: {schemas: {A: {$ref: link.yaml}}}\n",
    )
    with pytest.raises(ProblemsError, match="outside the spec's folder"):
        load_spec(spec)


def test_circular_refs_between_files_are_refused(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", "$ref: b.yaml\n")
    write(tmp_path / "b.yaml", "$ref: a.yaml\n")
    spec = write(
        tmp_path / "api.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    $ref: a.yaml\n",
    )
    with pytest.raises(ProblemsError, match="circular"):
        load_spec(spec)


def test_recursive_schemas_across_files_keep_working(tmp_path: Path) -> None:
    write(
        tmp_path / "node.yaml", "type: object\nproperties:\n  next: {$ref: 'node.yaml'}\n  tree: {$ref: 'tree.yaml'}\n"
    )
    write(tmp_path / "tree.yaml", "type: array\nitems: {$ref: 'node.yaml'}\n")
    spec = write(
        tmp_path / "api.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents: {schemas: {Root: {$ref: node.yaml}}}\n",
    )
    schemas = load_spec(spec).document["components"]["schemas"]
    assert schemas["node"]["properties"]["next"] == {"$ref": "#/components/schemas/node"}
    assert schemas["tree"]["items"] == {"$ref": "#/components/schemas/node"}


def test_names_that_collide_when_hoisted_are_numbered(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", "Error: {type: string}\n")
    write(tmp_path / "b.yaml", "Error: {type: integer}\n")
    spec = write(
        tmp_path / "api.yaml",
        """
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths: {}
        components:
          schemas:
            Error: {type: boolean}
            A: {$ref: 'a.yaml#/Error'}
            B: {$ref: 'b.yaml#/Error'}
        """,
    )
    schemas = load_spec(spec).document["components"]["schemas"]
    assert schemas["A"] == {"$ref": "#/components/schemas/Error2"}
    assert schemas["B"] == {"$ref": "#/components/schemas/Error3"}


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("", "load.empty", "empty"),
        ("- a\n- b\n", "load.not-mapping", "this is a list"),
        ("openapi: [\n", "load.yaml", "invalid YAML"),
        ("swagger: '2.0'\ninfo: {}\n", "load.swagger2", "Swagger 2.0 is not supported"),
        ("info: {}\n", "load.version", "missing the 'openapi'"),
        ("openapi: 4.0.0\n", "load.version", "'4.0.0' is not supported"),
    ],
)
def test_documents_that_are_not_openapi_3(tmp_path: Path, text: str, code: str, message: str) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(text, encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        load_spec(spec)
    assert caught.value.problems[0].code == code
    assert message in caught.value.problems[0].message


def test_json_errors_have_line_and_column(tmp_path: Path) -> None:
    spec = tmp_path / "api.json"
    spec.write_text('{\n  "openapi": "3.1.0",\n  "info": {,}\n}\n', encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        load_spec(spec)
    location = caught.value.problems[0].location
    assert (location.line, location.column) == (3, 12)


def test_limits_bound_size_and_depth(tmp_path: Path) -> None:
    spec = tmp_path / "api.json"
    spec.write_text('{"openapi": "3.0.3", "x": ' + "[" * 300 + "]" * 300 + "}", encoding="utf-8")
    with pytest.raises(ProblemsError, match="deeper than"):
        load_spec(spec, limits=Limits(max_depth=100))
    with pytest.raises(ProblemsError, match="larger than"):
        load_spec(spec, limits=Limits(max_file_bytes=100))


def test_not_utf8_is_located(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_bytes(b"openapi: 3.0.3\ninfo:\n  title: caf\xe9\n")
    with pytest.raises(ProblemsError) as caught:
        load_spec(spec)
    location = caught.value.problems[0].location
    assert (caught.value.problems[0].code, location.line, location.column) == ("load.encoding", 3, 13)


def test_percent_encoded_local_refs_resolve(tmp_path: Path) -> None:
    spec = write(
        tmp_path / "api.yaml",
        """
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths:
          /a/{id}:
            get:
              responses:
                '200': {description: ok, content: {application/json: {schema: {type: string}}}}
          /b:
            get:
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema: {$ref: '#/paths/~1a~1%7Bid%7D/get/responses/200/content/application~1json/schema'}
        """,
    )
    load_spec(spec)  # no problem raised
