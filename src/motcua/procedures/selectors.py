"""Read paths of the procedure catalogue."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch

from .models import (
    ChannelOption,
    Field,
    ImplementingLevel,
    Procedure,
    ProcedureQuerySet,
    ProcedureVersion,
)


def procedure_list(
    *,
    query: str = "",
    field_id: int | None = None,
    level: ImplementingLevel | None = None,
) -> ProcedureQuerySet:
    """Active procedures matching an accent-insensitive query and the filters, by code."""
    qs = Procedure.objects.filter(is_active=True).select_related("field")
    if query.strip():
        qs = qs.search(query)
    if field_id is not None:
        qs = qs.filter(field_id=field_id)
    if level is not None:
        qs = qs.at_level(level)
    return qs.order_by("code")


def field_list_with_procedures() -> list[Field]:
    return list(Field.objects.filter(procedures__is_active=True).distinct().order_by("name"))


def procedure_get_with_version(
    *, code: str, on: dt.date
) -> tuple[Procedure, ProcedureVersion | None]:
    """The procedure by national code and its version in force on `on`, with channels,
    documents and process steps loaded. Raises Procedure.DoesNotExist."""
    procedure = Procedure.objects.select_related("field").get(code=code, is_active=True)
    version = (
        ProcedureVersion.objects.effective_on(on)
        .filter(procedure=procedure)
        .select_related("competent_agency")
        .prefetch_related(
            Prefetch(
                "channel_options",
                queryset=ChannelOption.objects.order_by("channel", "position"),
            ),
            "documents",
            "steps__agency",
        )
        .order_by("-effective_from")
        .first()
    )
    return procedure, version
