"""Runtime behaviour that also needs the generator to emit something else: each a strict xfail
whose reason says exactly what the generated code must declare (the runtime half is in place
and tested directly in the other modules). A fix shows up as an unexpected pass: remove the
mark then."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from codegen.pipeline import Options, generate
from tests.conftest import imported
from tests.runtime.test_generated import SPEC, Recorder

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "runtime"


@pytest.fixture(scope="module")
def app_module(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("pending")
    generate(SPEC, "behaviour_pending", folder, Options(parallel=False), write=True)
    with imported(folder, "behaviour_pending"), imported(folder, "behaviour_pending.app") as module:
        yield module


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def client(app_module: Any, recorder: Recorder) -> TestClient:
    return TestClient(app_module.create_app(recorder))


@pytest.mark.xfail(
    strict=True,
    reason="generator: declare an array path parameter `Annotated[rt.StyledParam[list[int]], Path(alias='ids')]` "
    "(FastAPI takes no list in a path) and emit `rt.Styled('path', 'ids', STYLE, EXPLODE, array=True)` for it "
    "whatever its style, the default simple one included",
)
def test_an_array_path_parameter(tmp_path: Path) -> None:
    spec = FIXTURES / "path-array.yaml"
    generate(spec, "path_array", tmp_path, Options(parallel=False), write=True)
    with imported(tmp_path, "path_array"), imported(tmp_path, "path_array.app") as module:
        client = TestClient(module.create_app(mock=True))  # today: AssertionError, Path params must be...
        assert client.get("/ids/.3.4.5").status_code == 200


@pytest.mark.xfail(
    strict=True,
    reason="generator: emit `rt.Styled('header', 'X-Tags', 'simple', False, array=True)` for every array header "
    "parameter, the default style included (FastAPI does not split a header value at commas)",
)
def test_a_header_array_in_the_default_style(client: TestClient, recorder: Recorder) -> None:
    client.get("/search", headers={"X-Tags": "a,b"})
    assert recorder.calls["search"]["x_tags"] == ["a", "b"]


@pytest.mark.xfail(
    strict=True,
    reason="generator: type a boolean parameter `Annotated[bool, rt.BOOL_TEXT]` (query, header, path, cookie, "
    "form field): Pydantic reads 0, 1, yes, off as booleans",
)
def test_a_boolean_parameter_refuses_0(client: TestClient) -> None:
    assert client.get("/search?flag=true").status_code == 200
    assert client.get("/search?flag=0").status_code == 400


@pytest.mark.xfail(
    strict=True,
    reason="generator: type an integer enum parameter `Annotated[Literal[0, ..., 6], rt.ENUM_TEXT]`: its value "
    "arrives as text, and `Literal[0, ..., 6]` refuses '3' (every valid request is refused today)",
)
def test_an_integer_enum_parameter(client: TestClient) -> None:
    assert client.get("/search?level=3").status_code == 200
    assert client.get("/search?level=false").status_code == 400


@pytest.mark.xfail(
    strict=True,
    reason="generator (models): type an integer enum without boolean members `Annotated[Literal[0, ..., 6], "
    "rt.NOT_BOOL]` (from codegen_runtime.types): Python's False == 0 lets `false` through",
)
def test_an_integer_enum_in_a_body_refuses_false(client: TestClient) -> None:
    assert client.post("/levels", json={"level": 3}).status_code == 204
    assert client.post("/levels", json={"level": False}).status_code == 400


@pytest.mark.xfail(
    strict=True,
    reason="generator: a body whose media type is YAML (application/apply-patch+yaml) with a JSON schema must be "
    "declared by that schema (`body: Annotated[models.Who, Body(media_type='application/apply-patch+yaml')]`), "
    "not as bytes; the route then parses it as YAML",
)
def test_a_yaml_body_with_a_json_schema(client: TestClient) -> None:
    response = client.patch("/objects", content=b"name: x\n", headers={"content-type": "application/apply-patch+yaml"})
    assert response.status_code == 200, response.text
    assert response.json() == {"name": "x"}


@pytest.mark.xfail(
    strict=True,
    reason="generator: emit each response's named examples (e.g. `examples.NAMED = {'get_status': {'200': "
    "{'busy': ..., 'idle': ...}}}`) and pass them as `rt.mock_call(RESULTS, name, EXAMPLE, examples=NAMED.get(name))`; "
    "and `rt.ResultSpec(..., key='4XX')` for range responses",
)
def test_prefer_example_picks_a_named_example(app_module: Any) -> None:
    mock = TestClient(app_module.create_app(mock=True))
    response = mock.get("/status", headers={"Prefer": "example=idle"})
    assert response.json() == {"code": 200}


@pytest.mark.xfail(
    strict=True,
    reason="generator: put a string constraint of a date-typed value into its format type, "
    "`Annotated[AwareDatetime, TextFormat('date-time', min_length=1)]` (also max_length, pattern), not into "
    "`Field`/`Query(min_length=1)`: Pydantic raises TypeError applying it to the datetime, a 500 on every request",
)
def test_a_string_constraint_on_a_date_time(tmp_path: Path) -> None:
    spec = FIXTURES / "date-constraints.yaml"
    generate(spec, "date_constraints", tmp_path, Options(parallel=False), write=True)
    with imported(tmp_path, "date_constraints"), imported(tmp_path, "date_constraints.app") as module:
        client = TestClient(module.create_app(mock=True), raise_server_exceptions=False)
        assert client.get("/events", params={"since": "2026-12-01T10:00:00Z"}).status_code == 200
