"""Parameter binding: the whole style x location x explode matrix OpenAPI 3 defines, against
the examples of its style table (https://spec.openapis.org/oas/v3.1.0#style-examples), as
oapi-codegen's runtime tests its binders.

The parameter is ``color``: the string ``blue``, the array ``[blue, black, brown]``, the object
``{R: 100, G: 200, B: 150}``. Each row is sent to a real app (a FastAPI route of
:class:`codegen_runtime.CodegenRoute`, declared as the generator declares it), which echoes
what it bound; path rows also go through :func:`codegen_runtime.binding.decode_path` directly.
"""

from __future__ import annotations

import inspect
from typing import Annotated, Any

import codegen_runtime as rt
import pytest
from codegen_runtime.binding import MalformedParameter, decode_path
from fastapi import Cookie, FastAPI, Header, Path, Query
from fastapi.testclient import TestClient
from pydantic import BaseModel


class Color(BaseModel):
    R: int
    G: int
    B: int


STRING = "blue"
ARRAY = ["blue", "black", "brown"]
OBJECT = {"R": 100, "G": 200, "B": 150}
VALUES = {"primitive": STRING, "array": ARRAY, "object": OBJECT}

# (style, explode, shape, the path segment) from the spec's table
PATH_ROWS = [
    ("matrix", False, "primitive", ";color=blue"),
    ("matrix", False, "array", ";color=blue,black,brown"),
    ("matrix", False, "object", ";color=R,100,G,200,B,150"),
    ("matrix", True, "primitive", ";color=blue"),
    ("matrix", True, "array", ";color=blue;color=black;color=brown"),
    ("matrix", True, "object", ";R=100;G=200;B=150"),
    ("label", False, "primitive", ".blue"),
    ("label", False, "array", ".blue,black,brown"),
    ("label", False, "object", ".R,100,G,200,B,150"),
    ("label", True, "primitive", ".blue"),
    ("label", True, "array", ".blue.black.brown"),
    ("label", True, "object", ".R=100.G=200.B=150"),
    ("simple", False, "primitive", "blue"),
    ("simple", False, "array", "blue,black,brown"),
    ("simple", False, "object", "R,100,G,200,B,150"),
    ("simple", True, "primitive", "blue"),
    ("simple", True, "array", "blue,black,brown"),
    ("simple", True, "object", "R=100,G=200,B=150"),
]

# (style, explode, shape, the query string)
QUERY_ROWS = [
    ("form", False, "primitive", "color=blue"),
    ("form", False, "array", "color=blue,black,brown"),
    ("form", False, "object", "color=R,100,G,200,B,150"),
    ("form", True, "primitive", "color=blue"),
    ("form", True, "array", "color=blue&color=black&color=brown"),
    ("form", True, "object", "R=100&G=200&B=150"),
    ("spaceDelimited", False, "array", "color=blue%20black%20brown"),
    ("spaceDelimited", False, "object", "color=R%20100%20G%20200%20B%20150"),
    ("pipeDelimited", False, "array", "color=blue|black|brown"),
    ("pipeDelimited", False, "object", "color=R|100|G|200|B|150"),
    ("deepObject", True, "object", "color[R]=100&color[G]=200&color[B]=150"),
]

# (style, explode, shape, the header value): headers are simple only
HEADER_ROWS = [
    ("simple", False, "primitive", "blue"),
    ("simple", False, "array", "blue,black,brown"),
    ("simple", False, "object", "R,100,G,200,B,150"),
    ("simple", True, "primitive", "blue"),
    ("simple", True, "array", "blue,black,brown"),
    ("simple", True, "object", "R=100,G=200,B=150"),
]


def _native(location: str, style: str, explode: bool, shape: str) -> bool:
    """Whether the generator leaves the parameter to FastAPI (no ``rt.Styled``): its location's
    default style, and not an object (``codegen/build.py``, ``native``)."""
    default = "simple" if location in ("path", "header") else "form"
    return style == default and explode == (style == "form") and shape != "object"


def _annotation(location: str, shape: str) -> Any:
    marker = {"path": Path, "query": Query, "header": Header, "cookie": Cookie}[location]
    extra: dict[str, Any] = {"convert_underscores": False} if location == "header" else {}
    if shape == "primitive":
        return Annotated[str, marker(alias="color", **extra)]
    if shape == "object":
        return Annotated[rt.ObjectParam[Color], marker(alias="color", **extra)]
    if location == "path":  # FastAPI takes no list in a path: declared as the runtime decodes it
        return Annotated[rt.StyledParam[list[str]], marker(alias="color")]
    return Annotated[list[str], marker(alias="color", **extra)]


def _app(location: str, style: str, explode: bool, shape: str) -> TestClient:
    app = FastAPI()
    app.router.route_class = rt.CodegenRoute
    styled = []
    # an array in a path or header is styled whatever its style: FastAPI neither takes a list in
    # a path nor splits a header value (the generator's half of this: tests/runtime/test_pending.py)
    if not _native(location, style, explode, shape) or (location in ("path", "header") and shape == "array"):
        properties = tuple(OBJECT) if shape == "object" else None
        styled.append(rt.Styled(location, "color", style, explode, properties, array=shape == "array"))

    async def echo(**values: Any) -> Any:
        value = values["color"]
        return value.model_dump() if isinstance(value, BaseModel) else value

    echo.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter("color", inspect.Parameter.KEYWORD_ONLY, annotation=_annotation(location, shape))]
    )
    endpoint = rt.route_options(styled=styled)(echo)
    app.get("/items/{color}" if location == "path" else "/items")(endpoint)
    rt.install(app)
    return TestClient(app)


@pytest.mark.parametrize(("style", "explode", "shape", "segment"), PATH_ROWS)
def test_decode_path_reads_the_spec_table(style: str, explode: bool, shape: Any, segment: str) -> None:
    decoded = decode_path(segment, "color", style, explode, shape)
    expected = {k: str(v) for k, v in OBJECT.items()} if shape == "object" else VALUES[shape]
    assert decoded == expected


@pytest.mark.parametrize(("style", "explode", "shape", "segment"), PATH_ROWS)
def test_path_parameters_bind_in_every_style(style: str, explode: bool, shape: str, segment: str) -> None:
    client = _app("path", style, explode, shape)
    response = client.get(f"/items/{segment}")
    assert response.status_code == 200, response.text
    assert response.json() == VALUES[shape]


@pytest.mark.parametrize(("style", "explode", "shape", "query"), QUERY_ROWS)
def test_query_parameters_bind_in_every_style(style: str, explode: bool, shape: str, query: str) -> None:
    client = _app("query", style, explode, shape)
    response = client.get(f"/items?{query}")
    assert response.status_code == 200, response.text
    assert response.json() == VALUES[shape]


@pytest.mark.parametrize(("style", "explode", "shape", "value"), HEADER_ROWS)
def test_header_parameters_bind_in_every_style(style: str, explode: bool, shape: str, value: str) -> None:
    client = _app("header", style, explode, shape)
    response = client.get("/items", headers={"color": value})
    assert response.status_code == 200, response.text
    assert response.json() == VALUES[shape]


def test_a_cookie_holds_a_primitive_in_form_style() -> None:
    # OpenAPI's form style in a cookie: color=blue (arrays and objects in a cookie are passed
    # as text by the generator, which warns)
    client = _app("cookie", "form", True, "primitive")
    client.cookies.set("color", "blue")
    response = client.get("/items")
    assert response.status_code == 200, response.text
    assert response.json() == "blue"


@pytest.mark.parametrize(
    ("style", "explode", "shape", "segment"),
    [
        ("matrix", False, "primitive", "blue"),  # no ;color=
        ("matrix", True, "primitive", ";other=blue"),
        ("label", False, "array", "blue,black"),  # no leading dot
        ("simple", False, "object", "R,100,G"),  # odd number of items
        ("simple", True, "object", "R=100,G"),
    ],
)
def test_a_value_not_in_its_style_is_refused(style: str, explode: bool, shape: Any, segment: str) -> None:
    with pytest.raises(MalformedParameter):
        decode_path(segment, "color", style, explode, shape)
    response = _app("path", style, explode, shape).get(f"/items/{segment}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["pointer"] == "/path/color"


def test_leaves_are_validated_by_the_declared_type() -> None:
    app = FastAPI()
    app.router.route_class = rt.CodegenRoute

    @app.get("/ids/{ids}")
    @rt.route_options(styled=(rt.Styled("path", "ids", "label", True, array=True),), invalid=rt.ErrorModel(400, None))
    async def ids(ids: Annotated[rt.StyledParam[list[int]], Path(alias="ids")]) -> list[int]:
        return ids

    rt.install(app)
    client = TestClient(app)
    assert client.get("/ids/.3.4.5").json() == [3, 4, 5]
    assert client.get("/ids/.3.x.5").status_code == 400
