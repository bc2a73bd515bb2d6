"""rt.CodegenRoute with template names Starlette cannot take (``{access-token-key}``, from
turbinelabs.io and amazonaws.com/mq): matched under stand-ins, documented and read by FastAPI
under the spec's names, repeated names included."""

from __future__ import annotations

from typing import Annotated

from codegen_runtime.routes import CodegenRoute
from fastapi import FastAPI, Path
from fastapi.testclient import TestClient


def _app() -> FastAPI:
    app = FastAPI()
    app.router.route_class = CodegenRoute

    @app.get("/tokens/{access-token-key}/{id}")
    async def read(
        key: Annotated[str, Path(alias="access-token-key")], id: Annotated[int, Path()]
    ) -> dict[str, object]:
        return {"key": key, "id": id}

    @app.get("/pairs/{x-id}/again/{x-id}")
    async def pair(x: Annotated[str, Path(alias="x-id")]) -> str:
        return x

    return app


def test_the_spec_names_are_documented_and_read() -> None:
    app = _app()
    client = TestClient(app)
    assert client.get("/tokens/a-b.c/7").json() == {"key": "a-b.c", "id": 7}
    assert client.get("/tokens/abc/x").status_code == 422
    paths = app.openapi()["paths"]
    assert set(paths) == {"/tokens/{access-token-key}/{id}", "/pairs/{x-id}/again/{x-id}"}
    names = [p["name"] for p in paths["/tokens/{access-token-key}/{id}"]["get"]["parameters"]]
    assert names == ["access-token-key", "id"]


def test_a_repeated_name_that_is_not_an_identifier_matches_the_same_value() -> None:
    client = TestClient(_app())
    assert client.get("/pairs/q/again/q").json() == "q"
    assert client.get("/pairs/q/again/r").status_code == 404
