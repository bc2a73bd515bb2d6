"""The shipping service: every operation of ``specs/shipping.yaml``, kept in memory.

The class implements the generated ``Implementation`` interface; ``typing_extensions.override``
on each method makes a type checker report any method the spec no longer has, and a missing
method makes the class abstract, so a changed spec points at exactly what to update.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal
from uuid import UUID, uuid4

from codegen_runtime import ApiKeyCredentials, BearerCredentials
from shipping import models
from shipping.interfaces import Implementation
from shipping.interfaces.account import GetAccountDefault, GetAccountResult
from shipping.interfaces.shipments import (
    CancelShipment204,
    CancelShipment404,
    CancelShipmentDefault,
    CancelShipmentResult,
    CreateShipment201,
    CreateShipment201Headers,
    CreateShipment409,
    CreateShipmentDefault,
    CreateShipmentResult,
    GetLabel200,
    GetLabel404,
    GetLabelDefault,
    GetLabelResult,
    GetShipment404,
    GetShipmentDefault,
    GetShipmentResult,
    ListShipments200,
    ListShipments200Headers,
    ListShipmentsDefault,
    ListShipmentsResult,
    UpdateShipment404,
    UpdateShipment409,
    UpdateShipmentDefault,
    UpdateShipmentResult,
)
from shipping.interfaces.tracking import (
    ListShipmentEvents404,
    ListShipmentEventsDefault,
    ListShipmentEventsResult,
    TrackParcel404,
    TrackParcelResult,
)
from typing_extensions import override

__all__ = ["Account", "ShippingService"]

UNKNOWN_CREDENTIALS = models.Problem(title="Unknown credentials", status=401)
PRICES = {"economy": 450, "standard": 690, "express": 1490, "overnight": 2990}  # cents per parcel


def _problem(status: int, title: str, detail: str | None = None) -> models.Problem:
    return models.Problem(title=title, status=status, detail=detail)


@dataclass
class Account:
    id: UUID
    name: str
    email: str
    plan: Literal["free", "pro", "enterprise"] = "pro"
    tokens: set[str] = field(default_factory=set)
    api_keys: set[str] = field(default_factory=set)


@dataclass
class _Record:
    account: UUID
    shipment: models.Shipment
    events: list[models.TrackingEvent] = field(default_factory=list)
    idempotency_key: str | None = None
    request: models.NewShipment | None = None


class ShippingService(Implementation):
    """All operations, in memory. Thread-safe: sync methods run in FastAPI's thread pool."""

    def __init__(self, accounts: list[Account] | None = None, base_url: str = "http://localhost:8000") -> None:
        self.accounts = accounts if accounts is not None else [self.demo_account()]
        self.base_url = base_url.rstrip("/")
        self._lock = threading.Lock()
        self._shipments: dict[UUID, _Record] = {}

    @staticmethod
    def demo_account() -> Account:
        return Account(uuid4(), "Demo merchant", "demo@example.com", tokens={"demo-token"}, api_keys={"demo-key"})

    # -- credentials

    def _account(self, auth: BearerCredentials | ApiKeyCredentials | None) -> Account | None:
        if auth is None:
            return None
        for account in self.accounts:
            if isinstance(auth, BearerCredentials) and auth.token in account.tokens:
                return account
            if isinstance(auth, ApiKeyCredentials) and auth.key in account.api_keys:
                return account
        return None

    def _owned(self, account: Account, shipment_id: UUID) -> _Record | None:
        record = self._shipments.get(shipment_id)
        if record is None or record.account != account.id:
            return None
        return record

    # -- shipments

    @override
    async def list_shipments(
        self,
        *,
        created_after: datetime | None,
        cursor: str | None,
        limit: int,
        service: models.ServiceLevel | None,
        status: list[models.ShipmentStatus] | None,
        x_request_id: UUID | None,
        auth: BearerCredentials,
    ) -> ListShipmentsResult:
        account = self._account(auth)
        if account is None:
            return ListShipmentsDefault(status_code=401, body=UNKNOWN_CREDENTIALS)
        mine = [r.shipment for r in self._shipments.values() if r.account == account.id]
        if status:
            mine = [s for s in mine if s.status in status]
        if service is not None:
            mine = [s for s in mine if s.service == service]
        if created_after is not None:
            mine = [s for s in mine if s.created_at > created_after]
        mine.sort(key=lambda s: s.created_at, reverse=True)
        start = int(cursor) if cursor and cursor.isdigit() else 0
        page = mine[start : start + limit]
        after = start + limit
        next_cursor = str(after) if after < len(mine) else None
        remaining = ListShipments200Headers(x_rate_limit_remaining=1000)
        return ListShipments200(body=models.ShipmentPage(items=page, next_cursor=next_cursor), headers=remaining)

    @override
    async def create_shipment(
        self,
        *,
        idempotency_key: str,
        x_request_id: UUID | None,
        body: models.NewShipment,
        auth: BearerCredentials,
    ) -> CreateShipmentResult:
        account = self._account(auth)
        if account is None:
            return CreateShipmentDefault(status_code=401, body=UNKNOWN_CREDENTIALS)
        with self._lock:
            for record in self._shipments.values():
                if record.account == account.id and record.idempotency_key == idempotency_key:
                    if record.request != body:
                        return CreateShipment409(body=_problem(409, "Idempotency key reused", idempotency_key))
                    return self._created(record.shipment)
            now = datetime.now(UTC)
            price = PRICES[body.service.value] * len(body.parcels)
            shipment = models.Shipment(
                **body.model_dump(by_alias=True),
                id=uuid4(),
                status=models.ShipmentStatus.booked,
                tracking_number="PX" + secrets.token_hex(6).upper(),
                created_at=now,
                price=models.Money(amount_minor=price, currency="EUR"),
                last_event=None,
            )
            self._shipments[shipment.id] = _Record(account.id, shipment, [], idempotency_key, body)
        return self._created(shipment)

    def _created(self, shipment: models.Shipment) -> CreateShipment201:
        location = f"{self.base_url}/shipments/{shipment.id}"
        return CreateShipment201(body=shipment, headers=CreateShipment201Headers(location=location))

    @override
    async def get_shipment(self, *, shipment_id: UUID, auth: BearerCredentials) -> GetShipmentResult:
        account = self._account(auth)
        if account is None:
            return GetShipmentDefault(status_code=401, body=UNKNOWN_CREDENTIALS)
        record = self._owned(account, shipment_id)
        if record is None:
            return GetShipment404(body=_problem(404, "No such shipment", str(shipment_id)))
        return record.shipment

    @override
    async def cancel_shipment(self, *, shipment_id: UUID, auth: BearerCredentials) -> CancelShipmentResult:
        account = self._account(auth)
        if account is None:
            return CancelShipmentDefault(status_code=401, body=UNKNOWN_CREDENTIALS)
        record = self._owned(account, shipment_id)
        if record is None:
            return CancelShipment404(body=_problem(404, "No such shipment", str(shipment_id)))
        with self._lock:
            del self._shipments[shipment_id]
        return CancelShipment204()

    @override
    async def update_shipment(
        self, *, shipment_id: UUID, body: models.ShipmentUpdate, auth: BearerCredentials
    ) -> UpdateShipmentResult:
        account = self._account(auth)
        if account is None:
            return UpdateShipmentDefault(status_code=401, body=UNKNOWN_CREDENTIALS)
        record = self._owned(account, shipment_id)
        if record is None:
            return UpdateShipment404(body=_problem(404, "No such shipment", str(shipment_id)))
        if record.events:
            return UpdateShipment409(body=_problem(409, "Already picked up"))
        changes = body.model_dump(exclude_unset=True)
        record.shipment = record.shipment.model_copy(update={k: getattr(body, k) for k in changes})
        return record.shipment

    @override
    def get_label(self, *, shipment_id: UUID, format: Literal["pdf", "zpl"], auth: BearerCredentials) -> GetLabelResult:
        # A sync method: it runs in the thread pool, as rendering a real label would.
        account = self._account(auth)
        if account is None:
            return GetLabelDefault(status_code=401, body=UNKNOWN_CREDENTIALS)
        record = self._owned(account, shipment_id)
        if record is None:
            return GetLabel404(body=_problem(404, "No such shipment", str(shipment_id)))
        text = f"LABEL {record.shipment.tracking_number} {record.shipment.recipient.name} ({format})"
        return GetLabel200(body=b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF\n")

    # -- tracking

    @override
    async def list_shipment_events(self, *, shipment_id: UUID, auth: BearerCredentials) -> ListShipmentEventsResult:
        account = self._account(auth)
        if account is None:
            return ListShipmentEventsDefault(status_code=401, body=UNKNOWN_CREDENTIALS)
        record = self._owned(account, shipment_id)
        if record is None:
            return ListShipmentEvents404(body=_problem(404, "No such shipment", str(shipment_id)))
        return record.events

    @override
    async def track_parcel(
        self, *, tracking_number: str, locale: str | None, auth: ApiKeyCredentials | None
    ) -> TrackParcelResult:
        merchant = self._account(auth)
        for record in self._shipments.values():
            shipment = record.shipment
            if shipment.tracking_number == tracking_number:
                eta = (shipment.created_at + timedelta(days=2)).date()
                show_address = merchant is not None and merchant.id == record.account
                return models.TrackParcelResponse(
                    tracking_number=tracking_number,
                    status=shipment.status,
                    estimated_delivery=eta,
                    events=record.events,
                    **({"recipient": shipment.recipient} if show_address else {}),
                )
        return TrackParcel404(body=_problem(404, "Unknown tracking number", tracking_number))

    def record_event(self, shipment_id: UUID, event: models.TrackingEvent) -> None:
        """What a carrier integration would call; here for tests and demos."""
        with self._lock:
            record = self._shipments[shipment_id]
            record.events.append(event)
            status = {"picked_up": "in_transit", "in_transit": "in_transit", "delivered": "delivered"}
            kind = event.root.kind
            record.shipment = record.shipment.model_copy(
                update={"status": models.ShipmentStatus(status.get(kind, "exception")), "last_event": event}
            )

    # -- account

    @override
    async def get_account(self, *, auth: BearerCredentials | ApiKeyCredentials) -> GetAccountResult:
        account = self._account(auth)
        if account is None:
            return GetAccountDefault(status_code=401, body=UNKNOWN_CREDENTIALS)
        return models.Account(id=account.id, name=account.name, email=account.email, plan=account.plan)
