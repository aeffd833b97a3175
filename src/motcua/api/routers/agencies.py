"""The agency tree: who handles, receives and is consulted."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from motcua.agencies.models import Agency

from .. import render
from .. import schemas as s
from ..auth import READ_AUTH
from ..errors import ApiError

router = Router(tags=["agencies"], auth=READ_AUTH)


@router.get("/agencies", response=s.AgencyPage, operation_id="agency_list")
def agency_list(request: HttpRequest, filters: Query[s.AgencyFilter]) -> s.AgencyPage:
    """Agencies by code, filtered by parent, level and validity; `limit`/`offset` pages
    (`next_offset` is null on the last page)."""
    qs = Agency.objects.all()
    if filters.parent:
        qs = qs.filter(parent__code=filters.parent)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.valid_on:
        qs = qs.valid_on(filters.valid_on)
    page = qs.select_related("parent").order_by("code")
    rows = list(page[filters.offset : filters.offset + filters.limit + 1])
    more = len(rows) > filters.limit
    return s.AgencyPage(
        items=[
            render.agency_out(a, a.parent.code if a.parent else None) for a in rows[: filters.limit]
        ],
        next_offset=filters.offset + filters.limit if more else None,
    )


@router.get("/agencies/{code}", response=s.AgencyDetailOut, operation_id="agency_get")
def agency_get(request: HttpRequest, code: Path[s.AgencyCode]) -> s.AgencyDetailOut:
    """One agency and its direct children."""
    agency = Agency.objects.select_related("parent").filter(code=code).first()
    if agency is None:
        raise ApiError(404, "not_found", _("No agency has the code %(code)s.") % {"code": code})
    children = agency.children.order_by("code")
    return s.AgencyDetailOut(
        **render.agency_out(agency, agency.parent.code if agency.parent else None).model_dump(),
        children=[s.AgencyRef(code=c.code, name=c.name) for c in children],
    )
