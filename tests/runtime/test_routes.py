"""What a CodegenRoute app does with requests the spec allows and FastAPI reads otherwise: route
precedence across tags, ``%2F`` in a path parameter, media types (415, JSON and YAML kinds),
empty form values and zero-byte bodies. Real apps, called through TestClient."""

from __future__ import annotations

from typing import Annotated, Any

import codegen_runtime as rt
import pytest
from codegen_runtime.routes import order_routes, precedence
from fastapi import Body, FastAPI, Form, Path
from fastapi.testclient import TestClient
from pydantic import BaseModel

# (paths in the order their routers add them, request path, the template that must answer)
PRECEDENCE = [
    (["/users/{userId}", "/users/me"], "/users/me", "/users/me"),
    (["/users/{userId}", "/users/me"], "/users/42", "/users/{userId}"),
    (["/{a}/{b}", "/users/{id}", "/users/me"], "/users/me", "/users/me"),
    (["/{a}/{b}", "/users/{id}"], "/users/7", "/users/{id}"),
    (["/{a}/{b}", "/users/{id}"], "/teams/7", "/{a}/{b}"),
    (["/files/{name}", "/files/{name}.json"], "/files/report.json", "/files/{name}.json"),
    (["/a/{x}/c", "/a/b/{y}"], "/a/b/c", "/a/b/{y}"),  # the first segment that differs decides
    (["/orders/{id}/items", "/orders/latest/items"], "/orders/latest/items", "/orders/latest/items"),
]


def _precedence_app(paths: list[str]) -> FastAPI:
    app = FastAPI()
    for tag, path in enumerate(paths):  # one router per tag, included one after the other
        router = app.router
        router.route_class = rt.CodegenRoute

        async def answer(template: str = path) -> dict[str, str]:
            return {"template": template}

        router.add_api_route(path, answer, methods=["GET"], tags=[f"tag{tag}"])
    rt.install(app)
    return app


@pytest.mark.parametrize(("paths", "request_path", "template"), PRECEDENCE)
def test_concrete_paths_match_before_templated_ones(paths: list[str], request_path: str, template: str) -> None:
    client = TestClient(_precedence_app(paths))
    response = client.get(request_path)
    assert response.status_code == 200, response.text
    assert response.json() == {"template": template}


def test_the_order_is_stable_and_segment_wise() -> None:
    assert precedence("/users/me") < precedence("/users/{id}") < precedence("/{a}/{b}")
    assert precedence("/files/{name}.json") < precedence("/files/{name}")
    app = _precedence_app(["/b/{x}", "/a/{x}", "/b/c"])
    paths = [getattr(r, "path", "") for r in order_routes(list(app.router.routes))]
    # equal keys keep their order (FastAPI's own routes, then /b/{x} before /a/{x})
    assert paths[-3:] == ["/b/c", "/b/{x}", "/a/{x}"]


class Pet(BaseModel):
    name: str


class Problem(BaseModel):
    status: int
    detail: str


def _app() -> FastAPI:
    app = FastAPI()
    app.router.route_class = rt.CodegenRoute
    invalid = rt.ErrorModel(400, Problem)

    @app.get("/files/{name}")
    @rt.route_options(invalid=invalid)
    async def file(name: Annotated[str, Path(alias="name")]) -> dict[str, str]:
        return {"name": name}

    @app.get("/files/{folder}/{name}")
    async def nested(folder: str, name: str) -> dict[str, str]:
        return {"folder": folder, "name": name}

    @app.post("/pets")
    @rt.route_options(invalid=invalid)
    async def pets(body: Annotated[Pet, Body(media_type="application/json")]) -> dict[str, Any]:
        return body.model_dump()

    @app.patch("/objects", openapi_extra={"requestBody": {"content": {"application/merge-patch+json": {}}}})
    @rt.route_options(invalid=invalid)
    async def objects(body: Annotated[Pet, Body(media_type="application/apply-patch+yaml")]) -> dict[str, Any]:
        return body.model_dump()

    @app.put("/blob")
    @rt.route_options(invalid=invalid)
    async def blob(body: Annotated[bytes, Body(media_type="application/octet-stream")]) -> dict[str, int]:
        return {"size": len(body)}

    @app.post("/hooks")
    @rt.route_options(invalid=invalid)
    async def hooks(
        callback: Annotated[str, Form(alias="callbackUrl")], note: Annotated[str, Form(alias="note")] = "none"
    ) -> dict[str, str]:
        return {"callbackUrl": callback, "note": note}

    @app.post("/uploads")
    @rt.route_options(invalid=invalid)
    async def uploads(
        meta: Annotated[str, Form(alias="meta")], note: Annotated[str, Form(alias="note")] = "-"
    ) -> dict[str, Any]:
        body = rt.form_model(Upload, {"meta": meta, "note": note})
        return body.model_dump()

    rt.install(app)
    return app


class Upload(BaseModel):
    meta: Pet  # an object part, sent as JSON per OpenAPI
    note: str


CLIENT = TestClient(_app())


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/files/a%2Fb", {"name": "a/b"}),  # the spec's own example: one parameter holding a slash
        ("/files/a%2fb%20c", {"name": "a/b c"}),
        ("/files/plain", {"name": "plain"}),
        ("/files/dir/plain", {"folder": "dir", "name": "plain"}),  # a real slash still separates
    ],
)
def test_an_encoded_slash_is_data(path: str, expected: dict[str, str]) -> None:
    response = CLIENT.get(path)
    assert response.status_code == 200, response.text
    assert response.json() == expected


@pytest.mark.parametrize(
    ("path", "content_type", "body", "status"),
    [
        ("/pets", "text/plain", b'{"name": "Rex"}', 415),
        ("/pets", "application/xml", b"<name>Rex</name>", 415),
        ("/pets", "application/json", b'{"name": "Rex"}', 200),
        ("/pets", "application/json; charset=utf-8", b'{"name": "Rex"}', 200),
        ("/pets", "application/vnd.api+json", b'{"name": "Rex"}', 200),  # FastAPI parses JSON alike
        ("/pets", "application/json", b"{not json", 400),
        ("/objects", "application/apply-patch+yaml", b"name: Rex\n", 200),  # Kubernetes
        ("/objects", "application/apply-patch+yaml", b'{"name": "Rex"}', 200),
        ("/objects", "application/merge-patch+json", b'{"name": "Rex"}', 200),
        ("/objects", "text/plain", b"name: Rex", 415),
        ("/blob", "application/octet-stream", b"", 200),  # zero bytes are a body
        ("/blob", "image/png", b"x", 415),
        ("/hooks", "application/json", b"{}", 415),
    ],
)
def test_media_types(path: str, content_type: str, body: bytes, status: int) -> None:
    method = {"/pets": "POST", "/objects": "PATCH", "/blob": "PUT", "/hooks": "POST"}[path]
    response = CLIENT.request(method, path, content=body, headers={"content-type": content_type})
    assert response.status_code == status, response.text
    if status == 415:
        problem = response.json()
        assert problem["status"] == 415 and content_type in problem["detail"]


def test_a_zero_byte_body_is_read_as_zero_bytes() -> None:
    response = CLIENT.put("/blob", content=b"", headers={"content-type": "application/octet-stream"})
    assert response.json() == {"size": 0}


def test_an_empty_form_value_is_a_value() -> None:
    response = CLIENT.post("/hooks", data={"callbackUrl": "", "note": ""})
    assert response.status_code == 200, response.text
    assert response.json() == {"callbackUrl": "", "note": ""}
    missing = CLIENT.post("/hooks", data={"note": "x"})
    assert missing.status_code == 400  # absent is still absent


def test_a_multipart_part_holding_an_object_is_json() -> None:
    files = {"meta": (None, '{"name": "Rex"}', "application/json"), "note": (None, '{"kept": "as text"}')}
    response = CLIENT.post("/uploads", files=files)
    assert response.status_code == 200, response.text
    assert response.json() == {"meta": {"name": "Rex"}, "note": '{"kept": "as text"}'}
    invalid = CLIENT.post("/uploads", files={"meta": (None, '{"name": 5}', "application/json")})
    assert invalid.status_code == 400  # not a 500
    assert invalid.json()["detail"].startswith("body.meta.name: ")
