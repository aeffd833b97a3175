"""Per-request memory of the caller's permission scope (see `permissions.scopes_remembered`)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .permissions import scopes_remembered


class ScopesRememberedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with scopes_remembered():
            return self.get_response(request)
