"""Public pages: thin views that parse the request, call one selector and render."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from motcua.procedures import selectors
from motcua.procedures.models import ImplementingLevel, Procedure

PAGE_SIZE = 25


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def procedure_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    field_id = request.GET.get("field", "")
    level = request.GET.get("level", "")
    procedures = selectors.procedure_list(
        query=query,
        field_id=int(field_id) if field_id.isdigit() else None,
        level=ImplementingLevel(level) if level in ImplementingLevel.values else None,
    )
    page = Paginator(procedures, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/procedure_list.html",
        {
            "page": page,
            "query": query,
            "field_id": field_id,
            "level": level,
            "fields": selectors.field_list_with_procedures(),
            "levels": ImplementingLevel.choices,
        },
    )


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        procedure, version = selectors.procedure_get_with_version(
            code=code, on=timezone.localdate()
        )
    except Procedure.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request, "portal/procedure_detail.html", {"procedure": procedure, "version": version}
    )


def lookup(request: HttpRequest) -> HttpResponse:
    """The public status lookup by dossier code and a second factor (`?code=&token=` from
    the receipt's QR code)."""
    return render(request, "portal/lookup.html", {"code": request.GET.get("code", "")})
