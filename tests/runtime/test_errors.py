"""Error bodies come from the real failure, never from placeholder data.

A table of error models in the shapes real specs use; for each, a real app refuses an invalid
and an unauthenticated request, and every value in the body must be something the failure
really says (its status, title, detail, the field errors, the request's path and method, the
time): no ``"string"``, no ``https://example.com/``, no made-up number. A model with a required
field nothing real fills stops the app from being built, unless the service's factory fills it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import codegen_runtime as rt
import pytest
from codegen_runtime.errors import ErrorModelUnfillable
from fastapi import Depends, FastAPI, Query
from fastapi.testclient import TestClient
from pydantic import AnyUrl, BaseModel, Field, TypeAdapter


class Rfc9457Error(BaseModel):
    pointer: str
    detail: str


class Rfc9457(BaseModel):
    type: AnyUrl | None = None
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[Rfc9457Error] | None = None


class CodeMessage(BaseModel):
    code: int
    message: str


class TextCodeMessage(BaseModel):
    code: str
    message: str


class Inner(BaseModel):
    code: str
    message: str
    status: str | None = None


class Wrapped(BaseModel):
    error: Inner


class FieldMessage(BaseModel):
    field: str
    message: str


class FieldList(BaseModel):
    errors: list[FieldMessage]


class LocItem(BaseModel):
    loc: list[str]
    msg: str
    type: str


class FastApiLike(BaseModel):
    message: str
    detail: list[LocItem] | None = None
    errors: list[LocItem] = Field(default_factory=list)


class Spring(BaseModel):
    timestamp: datetime
    status: int
    error: str
    message: str
    path: str


class Enumerated(BaseModel):
    code: Annotated[str, Field(pattern="^[a-z_]+$")]
    message: Annotated[str, Field(max_length=20)]


class StringsOnly(BaseModel):
    errors: list[str]


class JsonApiSource(BaseModel):
    pointer: str | None = None
    parameter: str | None = None


class JsonApiError(BaseModel):
    status: str
    title: str
    detail: str | None = None
    source: JsonApiSource | None = None


class JsonApi(BaseModel):  # From metadapi.com.json: JSON:API error objects
    errors: list[JsonApiError]


class Item(BaseModel):
    message: str
    field: str | None = None


ListBody = list[Item]  # From adobe.com/aem.json: the body is the list itself

MODELS: list[Any] = [
    Rfc9457,
    CodeMessage,
    TextCodeMessage,
    Wrapped,
    FieldList,
    FastApiLike,
    Spring,
    Enumerated,
    StringsOnly,
    JsonApi,
    ListBody,
]
IDS = [getattr(m, "__name__", "ListBody") for m in MODELS]


class RequestIdRequired(BaseModel):
    requestId: str  # nothing in a failure says this
    message: str


async def needs_token(authorization: Annotated[str | None, Query(alias="token")] = None) -> str:
    if authorization is None:
        raise rt.Unauthenticated(("bearerAuth",))
    return authorization


def _app(model: Any, *, mock: bool = False, error_body: Any = None) -> FastAPI:
    app = FastAPI()
    app.router.route_class = rt.CodegenRoute

    @app.get("/items/{item_id}")
    @rt.route_options(invalid=rt.ErrorModel(400, model), unauthenticated=rt.ErrorModel(401, model))
    async def item(item_id: int, auth: Annotated[str, Depends(needs_token)], limit: int = 10) -> dict[str, int]:
        return {"item_id": item_id, "limit": limit}

    rt.install(app, mock=mock, error_body=error_body)
    return app


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


def _real(status: int, detail_parts: list[str], path: str) -> set[Any]:
    """Every value the failure really gives, as each shape spells it."""
    title = {400: "Bad Request", 401: "Unauthorized"}[status]
    code = {400: "invalid_request", 401: "unauthenticated"}[status]
    # None: an optional field left to its model's default (null), which says nothing made up
    return {None, status, str(status), title, code, "about:blank", path, "GET", *detail_parts}


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_an_invalid_request_is_described_by_its_real_failure(model: Any) -> None:
    client = TestClient(_app(model))
    response = client.get("/items/abc?token=t&limit=x")
    assert response.status_code == 400
    body = response.json()
    TypeAdapter(model).validate_python(body)  # the spec's model, filled
    messages = {
        "Input should be a valid integer, unable to parse string as an integer",
        "path.item_id: Input should be a valid integer, unable to parse string as an integer; "
        "query.limit: Input should be a valid integer, unable to parse string as an integer",
    }
    fields = {"path.item_id", "query.limit", "/path/item_id", "/query/limit", "path", "item_id", "query", "limit"}
    strings = [f"{f}: {m}" for f in ("path.item_id", "query.limit") for m in messages]
    real = _real(400, [*messages, *fields, *strings, "int_parsing"], "/items/abc")
    for leaf in _leaves(body):
        if isinstance(leaf, str) and leaf.endswith("…"):  # cut to the model's maxLength
            assert any(m.startswith(leaf[:-1]) for m in real if isinstance(m, str))
            continue
        if model is Spring and leaf == body["timestamp"]:  # the time of the failure
            assert abs((datetime.fromisoformat(leaf) - datetime.now().astimezone()).total_seconds()) < 60
            continue
        assert leaf in real, f"{leaf!r} is not from the failure: {body}"
    text = response.text
    for placeholder in ('"string"', "example.com", "2024-01-02"):
        assert placeholder not in text


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_an_unauthenticated_request_is_described_by_its_real_failure(model: Any) -> None:
    response = TestClient(_app(model)).get("/items/5")
    assert response.status_code == 401
    body = response.json()
    TypeAdapter(model).validate_python(body)
    real = _real(401, ["authentication required: bearerAuth", "unauthenticated"], "/items/5")
    for leaf in _leaves(body):
        if isinstance(leaf, str) and (leaf.endswith("…") or (model is Spring and leaf == body["timestamp"])):
            continue
        assert leaf in real, f"{leaf!r} is not from the failure: {body}"
    assert response.headers["www-authenticate"] == "Bearer"


def test_the_field_errors_are_data() -> None:
    body = TestClient(_app(Rfc9457)).get("/items/abc?token=t").json()
    assert body["type"] == "about:blank" and body["status"] == 400 and body["instance"] == "/items/abc"
    assert body["errors"] == [
        {"pointer": "/path/item_id", "detail": "Input should be a valid integer, unable to parse string as an integer"}
    ]
    fastapi_like = TestClient(_app(FastApiLike)).get("/items/abc?token=t").json()
    assert fastapi_like["errors"][0] == {
        "loc": ["path", "item_id"],
        "msg": "Input should be a valid integer, unable to parse string as an integer",
        "type": "int_parsing",
    }


def test_a_required_field_no_failure_fills_stops_the_app_from_being_built() -> None:
    with pytest.raises(ErrorModelUnfillable, match=r"requires /requestId.*error_body"):
        _app(RequestIdRequired)
    _app(RequestIdRequired, mock=True)  # a mock makes data up anyway


def test_the_service_factory_fills_what_the_failure_cannot() -> None:
    seen: list[rt.Failure] = []

    def factory(failure: rt.Failure, model: Any) -> Any:
        seen.append(failure)
        if model is RequestIdRequired:
            return RequestIdRequired(requestId="req-1", message=failure.detail)
        return None

    client = TestClient(_app(RequestIdRequired, error_body=factory))
    body = client.get("/items/abc?token=t").json()
    assert body == {"requestId": "req-1", "message": seen[-1].detail}
    assert seen[-1].errors[0].loc == ("path", "item_id") and seen[-1].instance == "/items/abc"


def test_a_factory_whose_answer_does_not_fit_the_model_stops_the_app_from_being_built() -> None:
    with pytest.raises(ErrorModelUnfillable, match="does not fit"):
        _app(CodeMessage, error_body=lambda failure, model: {"code": "not a number"})


def test_the_generated_app_takes_the_factory() -> None:
    from shipping.app import create_app

    def factory(failure: rt.Failure, model: Any) -> Any:
        return {"type": "https://errors.example.org/invalid", "title": failure.title, "status": failure.status}

    client = TestClient(create_app(error_body=factory))
    response = client.get("/account")
    assert response.status_code == 401
    assert response.json()["type"] == "https://errors.example.org/invalid"
    default = TestClient(create_app()).get("/shipments?limit=x", headers={"Authorization": "Bearer t"})
    assert default.status_code == 400
    assert default.json()["errors"][0]["field"] == "query.limit"
