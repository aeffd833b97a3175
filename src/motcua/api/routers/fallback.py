"""Anything under /api/v1/ that matches no endpoint gets a JSON 404, not an HTML page.
Mounted last: Django tries URL patterns in order."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from ..errors import not_found

router = Router()


METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@router.api_operation(METHODS, "/", auth=None, include_in_schema=False)
def api_root(request: HttpRequest) -> None:
    raise not_found()


@router.api_operation(METHODS, "/{path:rest}", auth=None, include_in_schema=False)
def no_such_endpoint(request: HttpRequest, rest: str) -> None:
    raise not_found()
