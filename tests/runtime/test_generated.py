"""The runtime's behaviour in a generated app (``tests/fixtures/runtime/behaviour.yaml``): what
the generator emits today plus the runtime gives the spec's answers. The classes that also
need the generator to change are in ``test_pending.py``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from codegen.pipeline import Options, generate
from tests.conftest import imported

SPEC = Path(__file__).resolve().parent.parent / "fixtures" / "runtime" / "behaviour.yaml"


class Recorder:
    """The implementation: records what each operation received, answers with plain data."""

    def __init__(self) -> None:
        self.calls: dict[str, dict[str, Any]] = {}

    def _record(self, operation: str, **values: Any) -> None:
        self.calls[operation] = values

    def get_user(self, **values: Any) -> Any:
        self._record("get_user", **values)
        return {"name": f"user {values['user_id']}"}

    def get_me(self, **values: Any) -> Any:
        return {"name": "me"}

    def get_file(self, **values: Any) -> Any:
        self._record("get_file", **values)
        return values["name"]

    def get_matrix(self, **values: Any) -> Any:
        return values["id"]

    def search(self, **values: Any) -> Any:
        self._record("search", **values)
        return {}

    def set_level(self, **values: Any) -> Any:
        self._record("set_level", **values)

    def add_hook(self, **values: Any) -> Any:
        self._record("add_hook", **values)

    def put_blob(self, **values: Any) -> Any:
        self._record("put_blob", **values)

    def apply_object(self, **values: Any) -> Any:
        self._record("apply_object", **values)
        return values["body"]


@pytest.fixture(scope="module")
def app_module(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("behaviour")
    generate(SPEC, "behaviour_rt", folder, Options(parallel=False), write=True)
    with imported(folder, "behaviour_rt"), imported(folder, "behaviour_rt.app") as module:
        yield module


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def client(app_module: Any, recorder: Recorder) -> TestClient:
    return TestClient(app_module.create_app(recorder))


def test_users_me_is_not_taken_for_a_user_id(client: TestClient) -> None:
    # /users/{userId} (tag admin) is added before /users/me (tag profile)
    assert client.get("/users/me").json() == {"name": "me"}
    assert client.get("/users/42").json() == {"name": "user 42"}


def test_a_path_parameter_holds_an_encoded_slash(client: TestClient, recorder: Recorder) -> None:
    response = client.get("/files/reports%2F2026.pdf")  # the spec's own example
    assert response.status_code == 200, response.text
    assert recorder.calls["get_file"]["name"] == "reports/2026.pdf"


def test_a_matrix_path_parameter(client: TestClient) -> None:
    assert client.get("/matrix/;id=5").json() == 5
    refused = client.get("/matrix/5")
    assert refused.status_code == 400
    assert refused.json() == {"code": 400, "message": refused.json()["message"]}
    assert "matrix" in refused.json()["message"]


@pytest.mark.parametrize("value", ["", "null", "not a uri"])
def test_a_uri_parameter_refuses_what_is_no_uri(client: TestClient, value: str) -> None:
    response = client.get("/search", params={"callback": value})
    assert response.status_code == 400
    assert response.json()["message"].startswith("query.callback: ")


def test_an_empty_form_value_and_a_zero_byte_body_are_values(client: TestClient, recorder: Recorder) -> None:
    assert client.post("/hooks", data={"callbackUrl": ""}).status_code == 204
    assert recorder.calls["add_hook"]["body"].callbackUrl == ""
    put = client.put("/blobs", content=b"", headers={"content-type": "application/octet-stream"})
    assert put.status_code == 204, put.text
    assert recorder.calls["put_blob"]["body"] == b""


def test_an_unsupported_media_type_is_a_415_in_the_spec_s_error_shape(client: TestClient) -> None:
    response = client.post("/levels", content=b"level=1", headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415
    assert response.json() == {"code": 415, "message": response.json()["message"]}
    assert "application/json" in response.json()["message"]


def test_error_bodies_hold_no_placeholder(client: TestClient) -> None:
    response = client.get("/users/abc")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == 400 and body["message"].startswith("path.userId: ")
    assert '"string"' not in response.text


def test_mock_mode_survives_an_example_of_the_wrong_type(app_module: Any) -> None:
    mock = TestClient(app_module.create_app(mock=True))
    response = mock.get("/status")
    assert response.status_code == 200
    assert isinstance(response.json()["code"], int)
    preferred = mock.get("/status", headers={"Prefer": "code=404"})
    assert preferred.status_code == 404 and preferred.headers["preference-applied"] == "code=404"
