"""Runtime conformance: Schemathesis generates requests from the *spec* (not from the app's own
schema) and checks every response of the running service against it: status codes, media
types, headers and bodies; invalid requests must be refused with a status the spec declares.

Run against the example service and against the mock app (``create_app(mock=True)``), over
ASGI, with a bounded number of examples so ``make test`` stays quick; ``make fuzz`` raises it.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from codegen.load import load_spec
from tests.conftest import EXAMPLE_SPEC

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("CODEGEN_CONTRACT_EXAMPLES", "25"))
CREDENTIALS = {"Authorization": "Bearer demo-token", "X-Api-Key": "demo-key"}


def _spec() -> dict[str, Any]:
    document = load_spec(EXAMPLE_SPEC).document
    document.pop("servers", None)  # requests go to the app under test, not to production
    return document


def _service_app() -> Any:
    from shipping.app import create_app
    from shipping_service.service import ShippingService

    return create_app(ShippingService())


def _mock_app() -> Any:
    from shipping.app import create_app

    return create_app(mock=True)


def _schema(app: Any) -> Any:
    schema = schemathesis.openapi.from_dict(_spec())
    schema.app = app
    # OpenAPI leaves parameters a spec does not name unspecified; like most servers, the app
    # ignores them, so they are not "invalid requests" here.
    schema.config.generation.update(allow_extra_parameters=False)
    return schema


service_schema = _schema(_service_app())
mock_schema = _schema(_mock_app())

SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@service_schema.parametrize()
@SETTINGS
def test_service_conforms_to_the_spec(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate(headers=CREDENTIALS)


@mock_schema.parametrize()
@SETTINGS
def test_mock_conforms_to_the_spec(case: schemathesis.Case[Any]) -> None:
    # A mock cannot tell a valid token from an invalid one: it only requires one to be there.
    from schemathesis.specs.openapi.checks import ignored_auth

    case.call_and_validate(headers=CREDENTIALS, excluded_checks=[ignored_auth])


def test_every_operation_is_exercised() -> None:
    labels = {op.ok().label for op in service_schema.get_all_operations()}
    assert len(labels) == 9
