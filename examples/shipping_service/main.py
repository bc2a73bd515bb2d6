"""``uvicorn shipping_service.main:app`` (``make run``): the example service, served."""

from shipping.app import create_app

from shipping_service.service import ShippingService

__all__ = ["app"]

app = create_app(ShippingService())
