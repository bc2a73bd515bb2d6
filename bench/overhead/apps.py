"""The two apps of the request-overhead benchmark, as uvicorn factories.

``generated``: the app generated from ``items.yaml`` (into ``$CODEGEN_BENCH_WORK``), delegating
to an implementation of its interface. ``handwritten``: the route a FastAPI user would write by
hand for the same operation, calling the same lookup. Both validate the path and query
parameters and serialize the same model, so the difference is what the generated layer costs.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

from fastapi import FastAPI, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel

ITEMS: dict[int, dict[str, Any]] = {
    n: {"id": n, "name": f"item {n}", "price": n * 1.5, "tags": ["a", "b", "c"]} for n in range(1, 101)
}


def generated() -> FastAPI:
    sys.path.insert(0, os.environ["CODEGEN_BENCH_WORK"])
    from items import models  # type: ignore[import-not-found]
    from items.app import create_app  # type: ignore[import-not-found]
    from items.interfaces import Implementation  # type: ignore[import-not-found]
    from items.interfaces.items import GetItem404  # type: ignore[import-not-found]

    class Service(Implementation):  # type: ignore[misc]
        async def get_item(self, *, item_id: int, fields: str | None = None) -> Any:
            found = ITEMS.get(item_id)
            if found is None:
                return GetItem404(body=models.Problem(title="No such item", status=404))
            return models.Item(**found)

    app: FastAPI = create_app(Service())
    return app


class Item(BaseModel):
    id: int
    name: str
    price: float
    tags: list[str]
    description: str | None = None


class Problem(BaseModel):
    title: str
    status: int | None = None


def handwritten() -> FastAPI:
    app = FastAPI(title="Items", version="1.0.0")

    @app.get(
        "/items/{itemId}", response_model=Item, response_model_exclude_unset=True, responses={404: {"model": Problem}}
    )
    async def get_item(
        item_id: Annotated[int, Path(alias="itemId", ge=1)],
        fields: Annotated[str | None, Query(max_length=100)] = None,
    ) -> Any:
        found = ITEMS.get(item_id)
        if found is None:
            return JSONResponse(Problem(title="No such item", status=404).model_dump(), status_code=404)
        return Item(**found)

    return app
