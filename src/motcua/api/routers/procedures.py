"""The procedure catalogue and each procedure's version in force."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from motcua.procedures.models import Procedure
from motcua.procedures.selectors import procedure_get_with_version, procedure_list

from .. import render
from .. import schemas as s
from ..auth import READ_AUTH
from ..errors import ApiError

router = Router(tags=["procedures"], auth=READ_AUTH)


@router.get("/procedures", response=s.ProcedurePage, operation_id="procedure_list")
def procedures(request: HttpRequest, filters: Query[s.ProcedureFilter]) -> s.ProcedurePage:
    """Active procedures by code. `q` matches words of the name with or without
    diacritics ("dang ky khai sinh") or the start of the code; `limit`/`offset` pages."""
    qs = procedure_list(query=filters.q, field_id=filters.field, level=filters.level)
    rows = list(qs[filters.offset : filters.offset + filters.limit + 1])
    more = len(rows) > filters.limit
    return s.ProcedurePage(
        items=[render.procedure_summary(p) for p in rows[: filters.limit]],
        next_offset=filters.offset + filters.limit if more else None,
    )


@router.get("/procedures/{code}", response=s.ProcedureOut, operation_id="procedure_get")
def procedure_get(request: HttpRequest, code: Path[s.ProcedureCode]) -> s.ProcedureOut:
    """A procedure with its version in force today: channels with time limits and fees,
    required documents, and the steps of its process."""
    try:
        procedure, version = procedure_get_with_version(code=code, on=timezone.localdate())
    except Procedure.DoesNotExist:
        raise ApiError(
            404, "not_found", _("No procedure has the code %(code)s.") % {"code": code}
        ) from None
    return s.ProcedureOut(
        **render.procedure_summary(procedure).model_dump(),
        current_version=render.version_out(version) if version is not None else None,
    )
