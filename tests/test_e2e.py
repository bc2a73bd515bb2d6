"""The example service over real HTTP: uvicorn serving the generated app with the in-memory
implementation, called with httpx, the way a client would."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.e2e  # a server in a process
BEARER = {"Authorization": "Bearer demo-token"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = _free_port()
    env_path = f"{ROOT / 'generated'}:{ROOT / 'examples'}"
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "shipping_service.main:app", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT,
        env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(url + "/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("the example service did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _new_shipment() -> dict[str, object]:
    address = {"name": "Ada", "line1": "1 Main St", "city": "Berlin", "postal_code": "10115", "country": "DE"}
    return {
        "sender": address,
        "recipient": address | {"name": "Bob"},
        "service": "express",
        "parcels": [{"weight_grams": 1200}],
    }


def test_book_track_and_cancel_a_shipment(server: str) -> None:
    with httpx.Client(base_url=server, headers=BEARER) as client:
        created = client.post("/shipments", json=_new_shipment(), headers={"Idempotency-Key": "order-000123"})
        assert created.status_code == 201, created.text
        shipment = created.json()
        assert created.headers["location"].endswith(f"/shipments/{shipment['id']}")
        assert shipment["status"] == "booked"
        assert shipment["price"] == {"amount_minor": 1490, "currency": "EUR"}
        assert "last_event" in shipment and shipment["last_event"] is None
        assert "reference" not in shipment  # absent stays absent: never null

        again = client.post("/shipments", json=_new_shipment(), headers={"Idempotency-Key": "order-000123"})
        assert again.json()["id"] == shipment["id"]

        page = client.get("/shipments", params={"limit": 10, "status": ["booked", "draft"]})
        assert page.status_code == 200
        assert page.headers["x-ratelimit-remaining"] == "1000"
        assert [s["id"] for s in page.json()["items"]] == [shipment["id"]]
        assert page.json()["next_cursor"] is None

        patched = client.patch(
            f"/shipments/{shipment['id']}",
            content=b'{"reference": "PO-42"}',
            headers={"Content-Type": "application/merge-patch+json"},
        )
        assert patched.status_code == 200 and patched.json()["reference"] == "PO-42"

        label = client.get(f"/shipments/{shipment['id']}/label", params={"format": "zpl"})
        assert label.status_code == 200
        assert label.headers["content-type"] == "application/pdf"
        assert label.content.startswith(b"%PDF") and b"(zpl)" in label.content

        events = client.get(f"/shipments/{shipment['id']}/events")
        assert events.status_code == 200 and events.json() == []

        anonymous = httpx.get(f"{server}/tracking/{shipment['tracking_number']}")
        assert anonymous.status_code == 200
        assert "recipient" not in anonymous.json()
        merchant = httpx.get(f"{server}/tracking/{shipment['tracking_number']}", headers={"X-Api-Key": "demo-key"})
        assert merchant.json()["recipient"]["name"] == "Bob"

        assert client.delete(f"/shipments/{shipment['id']}").status_code == 204
        missing = client.get(f"/shipments/{shipment['id']}")
        assert missing.status_code == 404
        assert missing.json()["title"] == "No such shipment"


def test_invalid_requests_get_the_specs_error_model(server: str) -> None:
    bad = httpx.get(f"{server}/shipments", params={"limit": 0}, headers=BEARER)
    assert bad.status_code == 400
    body = bad.json()
    assert body["status"] == 400 and "limit" in body["title"] + body.get("detail", "")
    no_key = httpx.post(f"{server}/shipments", json=_new_shipment(), headers=BEARER)
    assert no_key.status_code == 400  # the required Idempotency-Key header is missing


def test_problem_json_is_served_on_request(server: str) -> None:
    response = httpx.get(
        f"{server}/shipments", params={"limit": 500}, headers=BEARER | {"Accept": "application/problem+json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


def test_credentials_are_required_where_the_spec_says(server: str) -> None:
    assert httpx.get(f"{server}/shipments").status_code == 401
    assert httpx.get(f"{server}/account", headers={"X-Api-Key": "demo-key"}).status_code == 200
    assert httpx.get(f"{server}/account", headers={"X-Api-Key": "wrong"}).status_code == 401
