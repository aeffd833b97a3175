"""Fuzzing the whole API from its own OpenAPI document (schemathesis): for every operation,
requests built from the schema and requests that break it, sent as an officer with every
scope over the demo province, never get a 5xx (DESIGN.md, reliability bars), and every
answer is the documented JSON error or success.

Each operation gets `EXAMPLES` generated requests, in the test's own transaction, plus the
ones schemathesis builds to cover the schema's edges; a dossier code in the path is that of
a dossier received at the ward, so the actions' bodies reach the services. A failure
prints the request that reproduces it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from motcua.wsgi import application

from .conftest import token_for

EXAMPLES = 15


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def connection_kept() -> Iterator[None]:
    """Django closes the database connection when a request ends (`close_old_connections`),
    which on PostgreSQL would end the test's transaction; its test client keeps it, and so
    must the WSGI calls schemathesis makes."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def bearer(received: dict[str, Any], connection_kept: None) -> dict[str, str]:
    # The specialist whose step the received dossier is at: the requests that name it reach
    # the services, not only the permission checks.
    _token, secret = token_for("tuphap.hongchau", "read", "write", "public")
    return {"Authorization": f"Bearer {secret}"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
@pytest.mark.django_db
def test_no_request_gets_a_server_error(
    case: Any, bearer: dict[str, str], received: dict[str, Any]
) -> None:
    if case.path_parameters and "code" in case.path_parameters:
        case.path_parameters["code"] = received["code"]  # a dossier that exists
    response = case.call_and_validate(headers=bearer, checks=[not_a_server_error])
    if response.status_code >= 400 and response.content:
        # Errors are the documented JSON: a stable code and a message.
        body = response.json()
        assert {"code", "message"} <= body.keys(), body
