"""Mock mode: wrong-typed examples do not crash it, and ``Prefer`` picks the response (Prism's
``Prefer: code=404`` and ``Prefer: example=NAME``)."""

from __future__ import annotations

from typing import Any

import codegen_runtime as rt
from fastapi import FastAPI, Response
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field


class Status(BaseModel):
    # the spec's `type: integer, example: "200"`: the model engine copies the example as is
    code: int = Field(examples=["200"])
    label: str = Field(examples=["fine"])


class Missing(BaseModel):
    reason: str


class Get404:  # result classes, as the interfaces declare them
    pass


class Get4XX:
    pass


RESULTS = rt.Results(
    {
        Get404: rt.ResultSpec(404, "application/json", Missing, "json"),
        Get4XX: rt.ResultSpec(None, "application/json", Missing, "json", key="4XX"),
    },
    primary=rt.ResultSpec(200, "application/json", Status, "json"),
)
EXAMPLES = {"200": {"busy": {"code": 503, "label": "busy"}}, "404": {"gone": {"reason": "deleted"}}}


def _client(example: Any = None) -> TestClient:
    app = FastAPI()
    app.router.route_class = rt.CodegenRoute
    call = rt.mock_call(RESULTS, "get_status", example, EXAMPLES)

    @app.get("/status", response_class=Response)
    async def status() -> Response:
        return RESULTS.respond(await call())

    rt.install(app, mock=True)
    return TestClient(app)


def test_an_example_of_the_wrong_type_is_not_copied() -> None:
    response = _client().get("/status")
    assert response.status_code == 200, response.text
    body = response.json()
    assert isinstance(body["code"], int) and body["label"] == "fine"  # the fitting example is still used


def test_a_fitting_operation_example_is_answered() -> None:
    assert _client({"code": 201, "label": "made"}).get("/status").json() == {"code": 201, "label": "made"}


def test_prefer_code_picks_the_response() -> None:
    response = _client().get("/status", headers={"Prefer": "code=404"})
    assert response.status_code == 404
    assert set(response.json()) == {"reason"}
    assert response.headers["preference-applied"] == "code=404"
    ranged = _client().get("/status", headers={"Prefer": "code=429"})
    assert ranged.status_code == 429  # the 4XX response covers it


def test_prefer_example_picks_a_named_example() -> None:
    client = _client()
    assert client.get("/status", headers={"Prefer": "example=busy"}).json() == {"code": 503, "label": "busy"}
    both = client.get("/status", headers={"Prefer": "code=404, example=gone"})
    assert both.status_code == 404 and both.json() == {"reason": "deleted"}
    assert both.headers["preference-applied"] == "code=404, example=gone"


def test_an_undeclared_preference_is_ignored() -> None:
    response = _client().get("/status", headers={"Prefer": "code=503, example=nope"})
    assert response.status_code == 200
    assert "preference-applied" not in response.headers


def test_an_xml_response_is_mocked_as_xml() -> None:
    # From mastercard.com/Repower.json: the mock sent an empty body, which failed validation (a 500)
    results = rt.Results({}, primary=rt.ResultSpec(200, "application/xml", Missing, "xml"))
    app = FastAPI()
    app.router.route_class = rt.CodegenRoute
    call = rt.mock_call(results, "get_xml")

    @app.get("/xml", response_class=Response)
    async def xml() -> Response:
        return results.respond(await call())

    response = TestClient(app).get("/xml")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/xml"
    assert response.content.startswith(b"<?xml") and b"<reason>" in response.content


def test_an_operation_with_only_a_default_response_is_mocked_with_it() -> None:
    # From enode.io.json: `responses: {default: {content: {application/json: ...}}}` was answered
    # with an empty 200 and no Content-Type
    results = rt.Results({Get4XX: rt.ResultSpec(None, "application/json", str, "json")}, primary=None)
    app = FastAPI()
    app.router.route_class = rt.CodegenRoute
    call = rt.mock_call(results, "test_hook")

    @app.post("/hook", response_class=Response)
    async def hook() -> Response:
        return results.respond(await call())

    response = TestClient(app).post("/hook")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert isinstance(response.json(), str)
