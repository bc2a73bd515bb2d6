"""Content negotiation with q-values (RFC 9110, 12.5.1): the table, and a real route."""

from __future__ import annotations

import codegen_runtime as rt
import pytest
from codegen_runtime.negotiation import negotiate
from fastapi import FastAPI, Request, Response
from fastapi.testclient import TestClient
from pydantic import BaseModel

OFFERED = ("application/json", "application/problem+json")

ROWS = [
    (None, "application/json"),  # no preference: the spec's first
    ("", "application/json"),
    ("application/json;q=0, application/problem+json", "application/problem+json"),  # the case
    ("application/problem+json", "application/problem+json"),
    ("application/problem+json;q=0.5, application/json;q=0.9", "application/json"),
    ("application/problem+json;q=0.9, application/json;q=0.5", "application/problem+json"),
    ("*/*", "application/json"),
    ("application/*", "application/json"),  # ties keep the spec's order
    ("*/*;q=0.1, application/problem+json", "application/problem+json"),
    ("application/*;q=0.2, application/json;q=0", "application/problem+json"),  # the specific range decides
    ("APPLICATION/PROBLEM+JSON", "application/problem+json"),
    ("text/html", None),  # nothing acceptable
    ("application/json;q=0, application/problem+json;q=0", None),
    ("*/*;q=0", None),
    ("text/html, application/xhtml+xml, */*;q=0.8", "application/json"),  # a browser
    ("application/json;q=x, application/problem+json", "application/problem+json"),  # a bad weight: range dropped
    ("application/json;q=2", "application/json"),  # out of range: dropped, and then nothing is parseable
    ("garbage", "application/json"),
]


@pytest.mark.parametrize(("accept", "chosen"), ROWS)
def test_negotiate(accept: str | None, chosen: str | None) -> None:
    assert negotiate(accept, OFFERED) == chosen


class Problem(BaseModel):
    title: str
    status: int


RESULTS = rt.Results(
    {}, primary=rt.ResultSpec(200, "application/json", Problem, "json", also=("application/problem+json",))
)


def _client() -> TestClient:
    app = FastAPI()
    app.router.route_class = rt.CodegenRoute

    @app.get("/thing", response_class=Response)
    async def thing(request: Request) -> Response:
        return RESULTS.respond(Problem(title="t", status=200), request.headers.get("accept"))

    return TestClient(app)


@pytest.mark.parametrize(("accept", "chosen"), [r for r in ROWS if r[1] is not None and r[0]])
def test_a_route_sends_the_negotiated_media_type(accept: str, chosen: str) -> None:
    response = _client().get("/thing", headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"] == chosen


def test_nothing_acceptable_is_a_406_for_a_success() -> None:
    response = _client().get("/thing", headers={"accept": "text/html"})
    assert response.status_code == 406
    assert "application/json, application/problem+json" in response.json()["detail"]


def test_an_error_goes_out_whatever_the_client_accepts() -> None:
    model = rt.ErrorModel(400, Problem, "application/json", ("application/problem+json",))
    failure = rt.Failure(400, "bad")
    assert model.render(failure, accept="text/html").headers["content-type"] == "application/json"
    chosen = model.render(failure, accept="application/json;q=0, application/problem+json")
    assert chosen.headers["content-type"] == "application/problem+json"
